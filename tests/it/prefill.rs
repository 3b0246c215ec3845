//! Prefilled questionnaires (issue 21): `questionnaire --prefill-from-store` writes one
//! workbook per government of the store, in its language, with last year's usable answers
//! marked; `--prefill` does the same from one return; a prefilled return sent back
//! unchanged gets `W-UNCHANGED`, an updated one does not.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use calamine::{open_workbook_auto, Data, Range, Reader};
use hrcities::framework::{Framework, QuestionType};
use hrcities::i18n::Lang;
use hrcities::questionnaire::fill::{CellValue, Layout, Prefilled};
use hrcities::questionnaire::layout::{
    prefilled_header, profile_sheet, right_sheet, Column, META_SHEET,
};
use hrcities::questionnaire::read::read_workbook;
use hrcities::questionnaire::write::write_workbook;
use hrcities::store::ResponseStatus;
use hrcities::validate::{city_id, validate, Checked};

use crate::common::{hrcities, root, sample};

fn output(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn framework() -> Framework {
    hrcities::framework::load_embedded(Lang::En).framework
}

fn text(d: Option<&Data>) -> String {
    match d {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// The rows of the hidden sheet: (key, value, third column).
fn meta(path: &Path) -> Vec<(String, String, String)> {
    let mut wb = open_workbook_auto(path).expect("opens");
    let range = wb.worksheet_range(META_SHEET).expect("hidden sheet");
    range.rows().map(|r| (text(r.first()), text(r.get(1)), text(r.get(2)))).collect()
}

fn meta_value(rows: &[(String, String, String)], key: &str) -> Option<String> {
    rows.iter().find(|(k, ..)| k == key).map(|(_, v, _)| v.clone())
}

/// The header row of `range` (the row with an `ID` cell), as texts.
fn header(range: &Range<Data>) -> Vec<String> {
    let row = range.rows().find(|r| r.iter().any(|c| matches!(c, Data::String(s) if s == "ID")));
    row.map(|r| r.iter().map(|c| text(Some(c))).collect()).unwrap_or_default()
}

/// The government ids and languages of the sample data (sample-data/README.md's table).
fn governments() -> Vec<(String, Lang)> {
    let readme = std::fs::read_to_string(root().join("sample-data/README.md")).expect("README");
    let mut out = Vec::new();
    for line in readme.lines().filter(|l| l.starts_with("| ")) {
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
        if let [name, country, _, _, lang] = cells[..] {
            if let Some(lang) = Lang::from_code(lang) {
                out.push((city_id(country, name), lang));
            }
        }
    }
    assert_eq!(out.len(), 13, "the 13 governments of the sample data");
    out
}

/// The sample data filed in a new store at `store`.
fn ingest_sample(store: &Path) {
    let (code, _, err) = output(
        hrcities().args(["-q", "ingest", "--store"]).arg(store).arg(root().join("sample-data")),
    );
    assert!(code == 0 || code == 3, "{err}");
}

/// The (code, question) of each diagnostic of the workbook at `path`.
fn codes(fw: &Framework, path: &Path) -> Vec<(String, String)> {
    let checked = validate(fw, &read_workbook(path, fw).expect("reads"), Lang::En);
    checked
        .diagnostics
        .iter()
        .map(|d| (d.code.clone(), d.question.clone().unwrap_or_default()))
        .collect()
}

// See issue 21: "questionnaire --prefill takes one return; it forgets the city's language;
// it copies last year's invalid answers ("Maybe") and answers to questions that no longer
// apply".
#[test]
fn issue_21_every_government_gets_its_prefilled_workbook_in_its_language() {
    let fw = framework();
    let tmp = tempfile::tempdir().expect("temp");
    let store = tmp.path().join("store");
    ingest_sample(&store);
    let out = tmp.path().join("to-send");
    let (code, _, err) = output(
        hrcities()
            .args(["questionnaire", "--prefill-from-store", "--year", "2026", "--store"])
            .arg(&store)
            .arg("--out")
            .arg(&out),
    );
    assert_eq!(code, 0, "{err}");
    let mut written: Vec<String> = std::fs::read_dir(&out)
        .expect("out")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    let governments = governments();
    let mut want: Vec<String> =
        governments.iter().map(|(id, _)| format!("{id}-2026.xlsx")).collect();
    want.sort();
    assert_eq!(written, want, "one workbook per government, named by its id");

    let housing = fw.right("housing").expect("housing");
    for (id, lang) in &governments {
        let path = out.join(format!("{id}-2026.xlsx"));
        let rows = meta(&path);
        // Its language (Lumenstad's 2025 return has no hidden sheet: told by its sheets).
        assert_eq!(meta_value(&rows, "language").as_deref(), Some(lang.code()), "{id}");
        assert_eq!(meta_value(&rows, "prefilled_year").as_deref(), Some("2025"), "{id}");
        let sha = meta_value(&rows, "prefilled_from").unwrap_or_default();
        assert!(sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit()), "{id}: {sha}");
        let mut wb = open_workbook_auto(&path).expect("opens");
        let names = wb.sheet_names();
        assert!(names.contains(&profile_sheet(&fw, *lang)), "{id}: {names:?}");
        let sheet = wb.worksheet_range(&right_sheet(&fw, housing, *lang)).expect("housing sheet");
        let head = header(&sheet);
        let at = |h: &str| head.iter().position(|x| x == h);
        let answer = at(Column::Answer.header(*lang)).expect("the answer column");
        let before = at(&prefilled_header(*lang, Some(2025))).expect("the prefilled column");
        assert_eq!(before, answer + 1, "{id}: last year's answer beside the answer");

        let checked = validate(&fw, &read_workbook(&path, &fw).expect("reads"), Lang::En);
        let value = |q: &str| checked.answer(q).expect(q).clone();
        assert_eq!(checked.city_id.as_deref(), Some(id.as_str()), "{id}: the profile is there");
        assert_eq!(checked.year, Some(2026), "{id}: the new reporting year");
        for q in ["country", "region", "government_level", "contact_email", "population"] {
            assert_eq!(value(q).status, ResponseStatus::Answered, "{id}: {q}");
        }
        // What was carried over is listed in the hidden sheet, with the answer.
        let listed: BTreeSet<&str> =
            rows.iter().filter(|(k, ..)| k == "prefilled").map(|(_, q, _)| q.as_str()).collect();
        assert!(listed.len() > 100 && listed.contains("population"), "{id}: {}", listed.len());
        assert!(!listed.contains("reporting_year"), "{id}");
    }

    // Nyota Bay wrote "Maybe" for HOU_Q01 in 2025: not carried over, nor listed.
    let nyota = out.join("KEN-nyota-bay-2026.xlsx");
    let checked = validate(&fw, &read_workbook(&nyota, &fw).expect("reads"), Lang::En);
    assert_eq!(checked.answer("HOU_Q01").expect("q").status, ResponseStatus::Blank);
    assert!(!meta(&nyota).iter().any(|(k, q, _)| k == "prefilled" && q == "HOU_Q01"));
    // Valbrume answered HOU_Q02 and HOU_Q03 in 2025 where they did not apply: left blank.
    let valbrume = out.join("FRA-valbrume-sur-loirette-2026.xlsx");
    let checked = validate(&fw, &read_workbook(&valbrume, &fw).expect("reads"), Lang::En);
    for q in ["HOU_Q02", "HOU_Q03"] {
        assert_eq!(checked.answer(q).expect(q).raw, "", "{q}");
    }
    assert_eq!(checked.answer("HOU_Q01").expect("q").status, ResponseStatus::Answered);

    // The next year, from the 2027 returns (made from the current template): an untouched
    // workbook reads with W-UNCHANGED and nothing else that its return did not have, but
    // for the answers not carried over (now blank).
    let out = tmp.path().join("to-send-2028");
    let (code, _, err) = output(
        hrcities()
            .args(["questionnaire", "--prefill-from-store", "--year", "2028", "--store"])
            .arg(&store)
            .arg("--out")
            .arg(&out)
            .args(["--lang", "fr"]),
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("questionnaire(s) prérempli(s) pour 2028"), "{err}");
    for (id, _) in &governments {
        let slug = id.split_once('-').expect("ISO3-slug").1;
        let source = sample(&format!("{slug}-2027.xlsx"));
        let before: BTreeSet<(String, String)> = codes(&fw, &source).into_iter().collect();
        let path = out.join(format!("{id}-2028.xlsx"));
        let listed: BTreeSet<String> =
            meta(&path).into_iter().filter(|(k, ..)| k == "prefilled").map(|(_, q, _)| q).collect();
        let after = codes(&fw, &path);
        let unchanged = after.iter().filter(|(c, _)| c == "W-UNCHANGED").count();
        assert_eq!(unchanged, 1, "{id}: {after:?}");
        for (code, q) in after.iter().filter(|(c, _)| c != "W-UNCHANGED") {
            let left_out = code == "E-REQUIRED" && !listed.contains(q);
            assert!(
                left_out || before.contains(&(code.clone(), q.clone())),
                "{id}: {code} {q} is new"
            );
        }
    }

    // --cities: the governments asked for; an unknown id is an error, the others written.
    let some = tmp.path().join("some");
    let (code, _, err) = output(
        hrcities()
            .args(["questionnaire", "--prefill-from-store", "--year", "2027", "--store"])
            .arg(&store)
            .arg("--out")
            .arg(&some)
            .args(["--cities", "SEN-port-aurore,XXX-nowhere"]),
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("XXX-nowhere"), "{err}");
    let names: Vec<String> = std::fs::read_dir(&some)
        .expect("out")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["SEN-port-aurore-2027.xlsx"]);
    // A return the analyst rejected is not prefilled from: the one before it is.
    let (code, _, err) = output(
        hrcities()
            .args(["-q", "store", "review", "KEN-nyota-bay", "--year", "2027"])
            .args(["--status", "rejected", "--store"])
            .arg(&store),
    );
    assert_eq!(code, 0, "{err}");
    let rejected = tmp.path().join("rejected");
    let (code, _, err) = output(
        hrcities()
            .args(["questionnaire", "--prefill-from-store", "--year", "2028", "--store"])
            .arg(&store)
            .arg("--out")
            .arg(&rejected)
            .args(["--cities", "KEN-nyota-bay"]),
    );
    assert_eq!(code, 0, "{err}");
    let rows = meta(&rejected.join("KEN-nyota-bay-2028.xlsx"));
    assert_eq!(meta_value(&rows, "prefilled_year").as_deref(), Some("2026"), "{err}");

    // No return before the year: nothing to prefill, and said so.
    let (code, _, err) = output(
        hrcities()
            .args(["questionnaire", "--prefill-from-store", "--year", "2020", "--store"])
            .arg(&store)
            .arg("--out")
            .arg(tmp.path().join("none")),
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no government has a return for a year before 2020"), "{err}");
}

/// `--prefill` from one return: the workbook in the return's language, whatever --lang.
fn prefill_one(source: &Path, out: &Path, year: &str) {
    let (code, _, err) = output(
        hrcities()
            .args(["questionnaire", "--lang", "en", "--reporting-year", year, "--prefill"])
            .arg(source)
            .arg("-o")
            .arg(out),
    );
    assert_eq!(code, 0, "{err}");
}

/// The workbook at `path` written again with its answers as they are, what it carried
/// over kept in its hidden sheet, and `change` applied to the answers first.
fn rewrite(
    fw: &Framework,
    path: &Path,
    out: &Path,
    change: impl Fn(&Checked, &mut BTreeMap<String, CellValue>),
) {
    let wb = read_workbook(path, fw).expect("reads");
    let template = wb.template.clone().expect("hidden sheet");
    let checked = validate(fw, &wb, Lang::En);
    let mut fill = checked.to_fill(fw);
    fill.answer("reporting_year", CellValue::Number(f64::from(checked.year.unwrap_or(2028))));
    fill.prefilled = Some(Prefilled {
        year: template.prefilled_year,
        sha256: template.prefilled_from.clone(),
        values: template.prefilled.clone(),
        ..Prefilled::default()
    });
    change(&checked, &mut fill.answers);
    let lang = template.language.expect("a language");
    write_workbook(fw, lang, &fill, &Layout::default(), out).expect("written");
}

/// The figures (number, integer, percent answers) carried over into `checked`'s workbook.
fn figures(fw: &Framework, checked: &Checked) -> Vec<String> {
    checked
        .answers
        .iter()
        .filter(|a| a.status == ResponseStatus::Answered && a.question != "reporting_year")
        .filter(|a| {
            fw.question(&a.question).is_some_and(|q| {
                matches!(
                    q.qtype,
                    QuestionType::Number | QuestionType::Integer | QuestionType::Percent
                ) && q.dated_by.is_none()
            })
        })
        .map(|a| a.question.clone())
        .collect()
}

// See issue 21: "a form sent back unchanged passes with no warning (63 of 70 indicators
// with a change of exactly 0)".
#[test]
fn issue_21_a_return_sent_back_unchanged_warns_once_and_an_updated_one_does_not() {
    let fw = framework();
    let tmp = tempfile::tempdir().expect("temp");
    let prefilled = tmp.path().join("marisol-2028.xlsx");
    prefill_one(&sample("marisol-de-la-costa-2027.xlsx"), &prefilled, "2028");
    assert_eq!(meta_value(&meta(&prefilled), "language").as_deref(), Some("es"));

    // Untouched: one warning, naming a sheet, in the language of the messages.
    let out = Command::new(assert_cmd::cargo::cargo_bin!("hrcities"))
        .env_clear()
        .args(["--lang", "es", "--format", "json", "validate"])
        .arg(&prefilled)
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let diagnostics = json["diagnostics"].as_array().expect("diagnostics").clone();
    let unchanged: Vec<&serde_json::Value> =
        diagnostics.iter().filter(|d| d["code"] == "W-UNCHANGED").collect();
    assert_eq!(unchanged.len(), 1, "{diagnostics:?}");
    let d = unchanged[0];
    assert_eq!(d["severity"], "warning");
    assert!(d["sheet"].as_str().is_some_and(|s| !s.is_empty()), "{d}");
    let message = d["message"].as_str().expect("message");
    assert!(message.contains("volvieron sin cambios") && message.contains("2027"), "{message}");
    assert!(d["hint"].as_str().expect("hint").contains("Comentario"), "{d}");

    let checked = validate(&fw, &read_workbook(&prefilled, &fw).expect("reads"), Lang::En);
    let figures = figures(&fw, &checked);
    assert!(figures.len() >= 20, "{figures:?}");
    let has = |path: &Path| codes(&fw, path).iter().any(|(c, _)| c == "W-UNCHANGED");

    // One figure updated: still (nearly) all as they were.
    let one = tmp.path().join("one.xlsx");
    let first = figures[0].clone();
    rewrite(&fw, &prefilled, &one, |_, answers| {
        if let Some(CellValue::Number(n)) = answers.get_mut(&first) {
            *n += 1.0;
        }
    });
    assert!(has(&one), "one figure changed of {}", figures.len());

    // A fifth of the figures updated: no warning.
    let updated = tmp.path().join("updated.xlsx");
    let fifth: Vec<String> = figures.iter().step_by(5).cloned().collect();
    rewrite(&fw, &prefilled, &updated, |_, answers| {
        for id in &fifth {
            if let Some(CellValue::Number(n)) = answers.get_mut(id) {
                *n += 1.0;
            }
        }
    });
    assert!(!has(&updated), "{} of {} figures changed", fifth.len(), figures.len());

    // Nothing changed, and said so in the comment of the reporting year: no warning.
    let confirmed = tmp.path().join("confirmed.xlsx");
    rewrite(&fw, &prefilled, &confirmed, |_, _| {});
    assert!(has(&confirmed), "the copy still reads as unchanged");
    let wb = read_workbook(&confirmed, &fw).expect("reads");
    let mut fill = validate(&fw, &wb, Lang::En).to_fill(&fw);
    fill.answer("reporting_year", CellValue::Number(2028.0));
    fill.comments.insert("reporting_year".into(), "Cifras revisadas: sin cambios".into());
    let t = wb.template.expect("hidden sheet");
    fill.prefilled =
        Some(Prefilled { year: t.prefilled_year, values: t.prefilled, ..Prefilled::default() });
    write_workbook(&fw, Lang::Es, &fill, &Layout::default(), &confirmed).expect("written");
    assert!(!has(&confirmed), "confirmed in a comment");

    // A corrected version of the same year's return is not next year's questionnaire.
    let corrected = tmp.path().join("marisol-2027-v2.xlsx");
    prefill_one(&sample("marisol-de-la-costa-2027.xlsx"), &corrected, "2027");
    assert!(!has(&corrected), "prefilled from the same year");

    // A workbook that was not prefilled never gets it.
    assert!(!has(&sample("marisol-de-la-costa-2027.xlsx")));
}

/// Whether python3 with openpyxl is there (required when HRCITIES_REQUIRE_TOOLS is set).
fn openpyxl() -> bool {
    let python = std::process::Command::new("python3").args(["-c", "import openpyxl"]).output();
    if python.is_ok_and(|o| o.status.success()) {
        return true;
    }
    assert!(
        std::env::var_os("HRCITIES_REQUIRE_TOOLS").is_none(),
        "openpyxl is required (pip install openpyxl)"
    );
    eprintln!("skipped: openpyxl is not installed");
    false
}

// See issue 21: "prefilled cells look like new answers".
#[test]
fn issue_21_prefilled_answers_are_styled_and_a_city_can_update_them_in_a_spreadsheet() {
    if !openpyxl() {
        return;
    }
    let fw = framework();
    let tmp = tempfile::tempdir().expect("temp");
    let prefilled = tmp.path().join("port-aurore-2028.xlsx");
    prefill_one(&sample("port-aurore-2027.xlsx"), &prefilled, "2028");
    let housing = right_sheet(&fw, fw.right("housing").expect("housing"), Lang::Fr);
    // The script prints, for each question row of the housing sheet, the id, the fill
    // colour of the answer cell and the value of the column "Repris de 2027"; then changes
    // the figures listed, as a city would in its spreadsheet program.
    let script = r#"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
def columns(ws):
    for row in ws.iter_rows():
        texts = [str(c.value or "") for c in row]
        if "ID" in texts and "Réponse" in texts:
            return row[0].row, texts.index("ID"), texts.index("Réponse"), texts
    return None
ws = wb[sys.argv[3]]
hrow, idc, ac, texts = columns(ws)
pc = texts.index(sys.argv[4])
for row in ws.iter_rows(min_row=hrow + 1):
    if row[idc].value:
        fill = row[ac].fill.fgColor.rgb if row[ac].fill and row[ac].fill.fill_type else ""
        print(f"{row[idc].value}\t{fill}\t{row[pc].value}")
change = dict(c.split(":") for c in sys.argv[5].split(","))
for ws in wb.worksheets:
    found = columns(ws)
    if not found:
        continue
    hrow, idc, ac, _ = found
    for row in ws.iter_rows(min_row=hrow + 1):
        qid, cell = row[idc].value, row[ac]
        if qid in change and isinstance(cell.value, (int, float)):
            new = round(cell.value * 1.01, int(change[qid]))
            if new != cell.value:
                print(f"changed\t{qid}\t{new}")
            cell.value = new
wb.save(sys.argv[2])
"#;
    // The figures a city updates: every count and amount carried over, 1 % up (rounded
    // as their type wants), which keeps every consistency rule and breakdown as it was.
    let listed: BTreeSet<String> = meta(&prefilled)
        .into_iter()
        .filter(|(k, ..)| k == "prefilled")
        .map(|(_, q, _)| q)
        .collect();
    let change: Vec<String> = fw
        .questions
        .iter()
        .filter(|q| listed.contains(&q.id) && q.dated_by.is_none())
        .filter_map(|q| match q.qtype {
            QuestionType::Integer => Some(format!("{}:0", q.id)),
            QuestionType::Number => Some(format!("{}:2", q.id)),
            _ => None,
        })
        .collect();
    let edited = tmp.path().join("edited.xlsx");
    let o = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&prefilled)
        .arg(&edited)
        .arg(&housing)
        .arg(prefilled_header(Lang::Fr, Some(2027)))
        .arg(change.join(","))
        .output()
        .expect("python3 runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let printed = String::from_utf8_lossy(&o.stdout);
    let rows: BTreeMap<&str, (&str, &str)> = printed
        .lines()
        .filter_map(|l| {
            let mut parts = l.split('\t');
            Some((parts.next()?, (parts.next()?, parts.next()?)))
        })
        .collect();
    let checked = validate(&fw, &read_workbook(&prefilled, &fw).expect("reads"), Lang::En);
    let mut seen = 0;
    for (id, (fill, before)) in &rows {
        let Some(q) = fw.question(id) else { continue };
        if q.qtype == QuestionType::MultiChoice {
            continue; // answered in its option rows
        }
        let answer = checked.answer(id).expect("answer");
        if listed.contains(*id) {
            seen += 1;
            assert!(fill.ends_with("D9EAD3"), "{id}: carried over, shaded green ({fill})");
            let number = |s: &str| s.replace(',', ".").parse::<f64>().ok();
            match (number(before), number(&answer.raw)) {
                (Some(a), Some(b)) => assert_eq!(a, b, "{id}: last year's answer beside"),
                _ => assert_eq!(*before, answer.raw, "{id}: last year's answer beside"),
            }
        } else {
            assert!(fill.ends_with("FFF2CC"), "{id}: an ordinary answer cell ({fill})");
            assert_eq!(*before, "None", "{id}: nothing carried over");
        }
    }
    assert!(seen >= 5, "{rows:?}");
    // The legend is on the instructions sheet, in French.
    let mut wb = open_workbook_auto(&prefilled).expect("opens");
    let instructions = wb.worksheet_range("Mode d'emploi").expect("instructions");
    let all: String =
        instructions.rows().flatten().map(|c| text(Some(c))).collect::<Vec<_>>().join(" ");
    assert!(
        all.contains("Les réponses de l'an dernier") && all.contains("Repris de 2027"),
        "{all}"
    );

    // The file the spreadsheet program saved reads with no new diagnostic, and without
    // W-UNCHANGED once more than a tenth of the figures changed.
    let figures = figures(&fw, &checked).len();
    let changed = printed.lines().filter(|l| l.starts_with("changed\t")).count();
    assert!(changed * 10 > figures, "{changed} of {figures} figures changed");
    let before: Vec<(String, String)> = codes(&fw, &prefilled);
    let after: Vec<(String, String)> = codes(&fw, &edited);
    assert!(before.iter().any(|(c, _)| c == "W-UNCHANGED"), "{before:?}");
    let expected: Vec<(String, String)> =
        before.into_iter().filter(|(c, _)| c != "W-UNCHANGED").collect();
    assert_eq!(after, expected);
}

// See issue 21: hostile text in last year's answers is written back as text.
#[test]
fn issue_21_hostile_text_in_a_previous_answer_is_carried_over_as_text() {
    let fw = framework();
    let tmp = tempfile::tempdir().expect("temp");
    let source = sample("lumenstad-2027.xlsx");
    let checked = validate(&fw, &read_workbook(&source, &fw).expect("reads"), Lang::En);
    let mut fill = checked.to_fill(&fw);
    fill.answer("reporting_year", CellValue::Number(2027.0));
    let formula = "=HYPERLINK(\"http://evil.example/x\",\"click\")";
    let script = "<script>alert(1)</script>";
    fill.answer("HOU_STATE", CellValue::Text(formula.into()));
    fill.comments.insert("HOU_Q01".into(), script.into());
    fill.sources.insert("HOU_Q04".into(), "=1+1".into());
    let last = tmp.path().join("hostile-2027.xlsx");
    write_workbook(&fw, Lang::En, &fill, &Layout::default(), &last).expect("written");
    let next = tmp.path().join("hostile-2028.xlsx");
    prefill_one(&last, &next, "2028");

    let checked = validate(&fw, &read_workbook(&next, &fw).expect("reads"), Lang::En);
    let a = checked.answer("HOU_STATE").expect("HOU_STATE");
    assert_eq!(a.raw, formula, "carried over as written");
    assert_eq!(checked.answer("HOU_Q01").and_then(|a| a.comment.as_deref()), Some(script));
    assert_eq!(checked.answer("HOU_Q04").and_then(|a| a.source.as_deref()), Some("=1+1"));
    // No cell of the workbook is a formula holding the text.
    let mut wb = open_workbook_auto(&next).expect("opens");
    for sheet in wb.sheet_names() {
        let formulas = wb.worksheet_formula(&sheet).expect("formulas");
        for f in formulas.used_cells().map(|(_, _, f)| f) {
            assert!(!f.contains("HYPERLINK") && !f.contains("1+1"), "{sheet}: formula {f}");
        }
    }
    let sheet = right_sheet(&fw, fw.right("housing").expect("housing"), Lang::En);
    let range = wb.worksheet_range(&sheet).expect("sheet");
    assert!(range.used_cells().any(|(_, _, c)| matches!(c, Data::String(s) if s == formula)));
}

// See issue 21: the single-return prefill writes the workbook in the return's language,
// unless told otherwise.
#[test]
fn issue_21_prefill_keeps_the_language_of_the_return() {
    let tmp = tempfile::tempdir().expect("temp");
    let out = tmp.path().join("valbrume.xlsx");
    prefill_one(&sample("valbrume-sur-loirette-2027.xlsx"), &out, "2028");
    assert_eq!(meta_value(&meta(&out), "language").as_deref(), Some("fr"));
    let chosen: PathBuf = tmp.path().join("valbrume-es.xlsx");
    let (code, _, err) = output(
        hrcities()
            .args(["questionnaire", "--workbook-lang", "es", "--prefill"])
            .arg(sample("valbrume-sur-loirette-2027.xlsx"))
            .arg("-o")
            .arg(&chosen),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(meta_value(&meta(&chosen), "language").as_deref(), Some("es"));
    // The profile given on the command line is not marked as carried over.
    let named = tmp.path().join("renamed.xlsx");
    let (code, _, err) = output(
        hrcities()
            .args(["questionnaire", "--city-name", "Valbrume", "--prefill"])
            .arg(sample("valbrume-sur-loirette-2027.xlsx"))
            .arg("-o")
            .arg(&named),
    );
    assert_eq!(code, 0, "{err}");
    let rows = meta(&named);
    assert!(!rows.iter().any(|(k, q, _)| k == "prefilled" && q == "city_name"));
    assert!(rows.iter().any(|(k, q, _)| k == "prefilled" && q == "country"));
}

// See issue 21: workbooks are named by city id, and an id comes from a return.
#[test]
fn issue_21_file_names_are_safe_whatever_the_city_id() {
    let fw = framework();
    let tmp = tempfile::tempdir().expect("temp");
    let source = sample("lumenstad-2027.xlsx");
    let checked = validate(&fw, &read_workbook(&source, &fw).expect("reads"), Lang::En);
    let mut fill = checked.to_fill(&fw);
    fill.answer("reporting_year", CellValue::Number(2027.0));
    let id = "../../CON:<evil>";
    fill.answer("city_id", CellValue::Text(id.into()));
    let last = tmp.path().join("odd-id-2027.xlsx");
    write_workbook(&fw, Lang::En, &fill, &Layout::default(), &last).expect("written");
    let store = tmp.path().join("store");
    let (code, _, err) =
        output(hrcities().args(["-q", "ingest", "--store"]).arg(&store).arg(&last));
    assert!(code == 0 || code == 3, "{err}");
    let out = tmp.path().join("out");
    let (code, _, err) = output(
        hrcities()
            .args(["questionnaire", "--prefill-from-store", "--year", "2028", "--store"])
            .arg(&store)
            .arg("--out")
            .arg(&out),
    );
    assert_eq!(code, 0, "{err}");
    let names: Vec<String> = std::fs::read_dir(&out)
        .expect("out")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    let name = &names[0];
    assert!(name.ends_with("-2028.xlsx") && !name.starts_with('.'), "{name}");
    assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)), "{name}");
    assert_eq!(std::fs::read_dir(tmp.path()).expect("tmp").count(), 3, "nothing written outside");
}
