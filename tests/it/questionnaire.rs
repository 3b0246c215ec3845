//! `hrcities questionnaire` driven as a user would: the real binary writes the workbook in
//! each language, and calamine (the reader's library) opens it.

use std::path::Path;

use assert_cmd::Command;
use calamine::{open_workbook_auto, Data, Reader};
use hrcities::framework::Framework;
use hrcities::i18n::Lang;
use hrcities::questionnaire::answer::{RawCell, Value};
use hrcities::questionnaire::fill::{CellValue, Fill, Layout};
use hrcities::questionnaire::layout::{option_id, right_sheet, yes_no_labels, Column};
use hrcities::questionnaire::read::read_workbook;
use hrcities::questionnaire::write::write_workbook;
use hrcities::store::ResponseStatus;
use hrcities::validate::{validate, Checked};

use crate::common::{hrcities, sample};

fn output(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Whether cell `c` holds the text `s`.
fn is(c: &Data, s: &str) -> bool {
    matches!(c, Data::String(x) if x == s)
}

/// The value in the column headed `answer` of the row whose first column holds `id`.
fn answer(range: &calamine::Range<Data>, id: &str, answer: &str) -> Option<Data> {
    let header = range.rows().position(|r| r.iter().any(|c| is(c, "ID")))?;
    let col = range.rows().nth(header)?.iter().position(|c| is(c, answer))?;
    let row = range.rows().find(|r| r.first().is_some_and(|c| is(c, id)))?;
    row.get(col).cloned()
}

#[test]
fn writes_a_workbook_in_each_language() {
    let dir = tempfile::tempdir().expect("temp");
    for (lang, instructions, answer_header) in [
        ("en", "Instructions", "Answer"),
        ("es", "Instrucciones", "Respuesta"),
        ("fr", "Mode d'emploi", "Réponse"),
    ] {
        let path = dir.path().join(format!("questionnaire-{lang}.xlsx"));
        let (code, _, err) =
            output(hrcities().args(["questionnaire", "--lang", lang, "-o"]).arg(&path));
        assert_eq!(code, 0, "{lang}: {err}");
        assert!(err.contains("questionnaire-"), "{lang}: says what it wrote: {err}");
        let mut wb = open_workbook_auto(&path).expect("calamine opens it");
        let names = wb.sheet_names();
        assert_eq!(names.first().map(String::as_str), Some(instructions), "{names:?}");
        assert_eq!(names.last().map(String::as_str), Some("_hrcities"), "{names:?}");
        assert!(names.len() >= 12, "{names:?}");
        let profile = wb.worksheet_range(&names[1]).expect("profile sheet");
        assert_eq!(answer(&profile, "city_name", answer_header), Some(Data::Empty));
        let meta = wb.worksheet_range("_hrcities").expect("meta sheet");
        assert!(meta.rows().any(|r| r.len() > 1 && is(&r[0], "language") && is(&r[1], lang)));
    }
}

#[test]
fn the_profile_can_be_filled_in_ahead() {
    let dir = tempfile::tempdir().expect("temp");
    let path = dir.path().join("villa.xlsx");
    let (code, _, err) = output(
        hrcities()
            .args(["questionnaire", "--lang", "es", "-o"])
            .arg(&path)
            .args(["--city-name", "Villa Esperanza", "--country", "ESP"])
            .args(["--region", "Europa", "--government-level", "municipality"])
            .args(["--population", "48200", "--reporting-year", "2026"])
            .args(["--contact-email", "derechos@villa-esperanza.example"]),
    );
    assert_eq!(code, 0, "{err}");
    let mut wb = open_workbook_auto(&path).expect("opens");
    let profile = wb.worksheet_range("Perfil").expect("profile");
    let get = |id: &str| answer(&profile, id, "Respuesta");
    assert_eq!(get("city_name"), Some(Data::String("Villa Esperanza".into())));
    assert_eq!(get("country"), Some(Data::String("ESP".into())));
    assert_eq!(get("region"), Some(Data::String("Europa".into())));
    assert_eq!(get("government_level"), Some(Data::String("Municipio".into())));
    assert_eq!(get("population"), Some(Data::Float(48200.0)));
    assert_eq!(get("reporting_year"), Some(Data::Float(2026.0)));

    // An unknown code is refused with the valid ones.
    let (code, _, err) = output(
        hrcities()
            .args(["questionnaire", "-o"])
            .arg(dir.path().join("x.xlsx"))
            .args(["--region", "atlantis"]),
    );
    assert_eq!(code, 1);
    assert!(err.contains("atlantis") && err.contains("latin_america"), "{err}");
}

#[test]
fn help_explains_the_command_with_an_example() {
    let (code, out, _) = output(hrcities().args(["questionnaire", "--help"]));
    assert_eq!(code, 0);
    assert!(out.contains("Example") && out.contains("hrcities questionnaire"), "{out}");
    let (code, _, _) = output(hrcities().args(["questionnaire"]));
    assert_eq!(code, 2, "-o is required");
}

/// The blank workbook opened by LibreOffice (converted headless to .ods) keeps every data
/// validation and every question text. Needs `soffice`; CI installs it and sets
/// HRCITIES_REQUIRE_TOOLS=1 so that a missing LibreOffice fails instead of skipping.
#[test]
fn libreoffice_keeps_the_validations_and_texts_of_the_blank_workbook() {
    use calamine::{open_workbook_auto, Data, Reader};
    use std::io::Read;

    let soffice = std::process::Command::new("soffice").arg("--version").output();
    if soffice.is_err() {
        assert!(
            std::env::var_os("HRCITIES_REQUIRE_TOOLS").is_none(),
            "LibreOffice (soffice) is required but not installed"
        );
        eprintln!("skipped: LibreOffice (soffice) is not installed");
        return;
    }
    let loaded = hrcities::framework::load_embedded(hrcities::i18n::Lang::En);
    let fw = loaded.framework;
    let dir = tempfile::tempdir().expect("temp");
    for lang in hrcities::i18n::Lang::ALL {
        let xlsx = dir.path().join(format!("blank-{lang}.xlsx"));
        hrcities::questionnaire::write::write_workbook(
            &fw,
            lang,
            &Default::default(),
            &Default::default(),
            &xlsx,
        )
        .expect("writes");
        let status = std::process::Command::new("soffice")
            .args(["--headless", "--convert-to", "ods", "--outdir"])
            .arg(dir.path())
            .arg(&xlsx)
            .output()
            .expect("soffice runs");
        assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
        let ods = dir.path().join(format!("blank-{lang}.ods"));

        // Every answer cell keeps its validation.
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&ods).expect("ods")).expect("zip");
        let mut content = String::new();
        zip.by_name("content.xml")
            .expect("content.xml")
            .read_to_string(&mut content)
            .expect("utf-8");
        let validations = content.matches("<table:content-validation ").count();
        assert!(validations >= fw.questions.len(), "{lang}: {validations} validations");

        // Every question id and text is still there.
        let mut wb = open_workbook_auto(&ods).expect("opens");
        let mut cells = Vec::new();
        for name in wb.sheet_names() {
            let range = wb.worksheet_range(&name).expect("sheet");
            cells.extend(range.used_cells().filter_map(|(_, _, d)| match d {
                Data::String(s) => Some(s.clone()),
                _ => None,
            }));
        }
        for q in fw.questions.iter().filter(|q| q.on_sheet()) {
            assert!(cells.iter().any(|c| c == &q.id), "{lang}: {} missing", q.id);
            let text = q.text.get(lang);
            assert!(cells.iter().any(|c| c.starts_with(text)), "{lang}: text of {} changed", q.id);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Issue 19, section 4: the workbook as a city fills it.
// ---------------------------------------------------------------------------------------

fn framework() -> Framework {
    hrcities::framework::load_embedded(Lang::En).framework
}

fn codes(list: &[&str]) -> Option<Value> {
    Some(Value::Codes(list.iter().map(|c| c.to_string()).collect()))
}

/// The diagnostics of `checked` about question `id`: `(code, cell, message)`.
fn about(checked: &Checked, id: &str) -> Vec<(String, String, String)> {
    checked
        .diagnostics
        .iter()
        .filter(|d| d.question.as_deref() == Some(id))
        .map(|d| {
            (d.code.clone(), d.cell.map(|c| c.to_string()).unwrap_or_default(), d.message.clone())
        })
        .collect()
}

/// Writes a workbook by hand, as a city or another program might: `rows` of
/// `(sheet row, [(column, text)])` on one sheet, without the hidden `_hrcities` sheet.
fn handmade(path: &Path, sheet: &str, rows: &[(u32, Vec<(u16, &str)>)]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).expect("name");
    for (r, cells) in rows {
        for (c, text) in cells {
            ws.write_string(*r, *c, *text).expect("cell");
        }
    }
    wb.save(path).expect("saved");
}

// See issue 19: a multiple choice was one cell where the city typed long option texts
// separated by `;`. It is now a yes/no row per option, in every language, and reads back.
#[test]
fn issue_19_a_multiple_choice_is_a_yes_no_row_per_option_and_reads_back() {
    let fw = framework();
    let dir = tempfile::tempdir().expect("temp");
    for lang in Lang::ALL {
        let mut fill = Fill::default();
        fill.answer(
            "WRK_Q06",
            CellValue::Choices(vec!["labour_clauses".into(), "own_living_wage".into()]),
        )
        .answer("EQU_Q17", CellValue::Choices(vec![]))
        .answer("EQU_Q18", CellValue::Text("N/A".into()));
        fill.who.insert("WRK_Q06".into(), "Recursos humanos".into());
        let path = dir.path().join(format!("options-{lang}.xlsx"));
        write_workbook(&fw, lang, &fill, &Layout::default(), &path).expect("writes");

        // What a person sees: the option rows below the question, Yes/No in the language.
        let mut wb = open_workbook_auto(&path).expect("opens");
        let work = right_sheet(&fw, fw.right("work").expect("work"), lang);
        let range = wb.worksheet_range(&work).expect("work sheet");
        let answer_header = Column::Answer.header(lang);
        let (yes, no) = yes_no_labels(lang);
        let q = fw.question("WRK_Q06").expect("WRK_Q06");
        for c in &q.choices {
            let ticked = ["labour_clauses", "own_living_wage"].contains(&c.code.as_str());
            let want = if ticked { yes } else { no };
            let got = answer(&range, &option_id("WRK_Q06", &c.code), answer_header);
            assert_eq!(got, Some(Data::String(want.into())), "{lang} {}", c.code);
        }
        assert_eq!(answer(&range, "WRK_Q06", answer_header), Some(Data::Empty), "{lang}");

        // Read back: the ticked codes in framework order; all "No" is an answer; N/A too.
        let read = read_workbook(&path, &fw).expect("reads");
        let checked = validate(&fw, &read, Lang::En);
        let a = checked.answer("WRK_Q06").expect("WRK_Q06");
        assert_eq!(a.status, ResponseStatus::Answered, "{lang}");
        assert_eq!(a.value, codes(&["own_living_wage", "labour_clauses"]), "{lang}");
        let label =
            |code: &str| q.choices.iter().find(|c| c.code == code).map(|c| c.label.get(lang));
        let want = format!(
            "{}; {}",
            label("own_living_wage").expect("l"),
            label("labour_clauses").expect("l")
        );
        assert_eq!(a.raw, want, "{lang}: the raw answer lists the labels, as template 1 did");
        assert_eq!(a.sheet.as_deref(), Some(work.as_str()));
        let first_option = read.get("WRK_Q06").expect("found").cell;
        assert!(
            matches!(read.get("WRK_Q06").map(|f| &f.raw), Some(RawCell::Options(o)) if o.len() == 5)
        );
        assert_eq!(checked.who.get("WRK_Q06").map(String::as_str), Some("Recursos humanos"));
        let equ = checked.answer("EQU_Q17").expect("EQU_Q17");
        assert_eq!((equ.status, &equ.value), (ResponseStatus::Answered, &codes(&[])), "{lang}");
        assert_eq!(checked.answer("EQU_Q18").map(|a| a.status), Some(ResponseStatus::NotAvailable));
        assert!(about(&checked, "WRK_Q06").is_empty(), "{lang}: {:?}", about(&checked, "WRK_Q06"));
        // Answered in the first ticked option's row (own_living_wage is the first option).
        assert_eq!(first_option.row, a.cell.expect("cell").row);
    }
}

// See issue 19: rows are found by id wherever they are (inserted rows and columns, rows
// moved, the option rows above their question), and a diagnostic names the option's cell.
#[test]
fn issue_19_option_rows_are_found_by_id_anywhere_and_diagnostics_name_their_cell() {
    let fw = framework();
    let dir = tempfile::tempdir().expect("temp");
    let path = dir.path().join("handmade.xlsx");
    let q06 = "¿Qué compromisos laborales asumió el gobierno local?";
    handmade(
        &path,
        "Mi hoja",
        &[
            (
                2,
                vec![
                    (1, "ID"),
                    (2, "Pregunta"),
                    (3, "Notas"),
                    (4, "Respuesta"),
                    (5, "Quién responde"),
                ],
            ),
            (4, vec![(1, "WRK_Q06.none"), (2, "Ninguno de estos")]),
            (5, vec![(1, "WRK_Q06"), (2, q06), (5, "Recursos humanos")]),
            (6, vec![(1, "WRK_Q06.labour_clauses"), (4, "x")]),
            (8, vec![(1, "WRK_Q06.own_living_wage"), (4, "Sí")]),
            (9, vec![(1, "WRK_Q06.bonus_scheme"), (4, "Sí")]),
            (10, vec![(1, "WRK_Q06.own_living_wage"), (4, "No")]),
            (11, vec![(1, "EQU_Q17.schooling"), (4, "quizás")]),
            (12, vec![(1, "EQU_Q17.none"), (4, "No")]),
            (13, vec![(1, "EQU_Q18.schooling")]),
        ],
    );
    let read = read_workbook(&path, &fw).expect("reads");
    let checked = validate(&fw, &read, Lang::Es);
    let wrk = checked.answer("WRK_Q06").expect("WRK_Q06");
    assert_eq!(wrk.value, codes(&["own_living_wage", "labour_clauses"]));
    assert_eq!(wrk.cell.map(|c| c.to_string()).as_deref(), Some("E7"), "the first ticked row");
    assert_eq!(checked.who.get("WRK_Q06").map(String::as_str), Some("Recursos humanos"));
    let unknown: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == "W-UNKNOWN-ID")
        .map(|d| format!("{}", d.cell.expect("cell")))
        .collect();
    assert_eq!(unknown, ["B10"], "an option the question does not have");
    let dupes = about(&checked, "WRK_Q06.own_living_wage");
    assert_eq!(dupes.len(), 1, "{dupes:?}");
    assert_eq!((dupes[0].0.as_str(), dupes[0].1.as_str()), ("E-DUPLICATE-QUESTION", "E11"));
    // A tick that is not yes or no: the answer is invalid, at that row's cell, in words.
    let equ = about(&checked, "EQU_Q17");
    assert_eq!(equ.len(), 1, "{equ:?}");
    assert_eq!((equ[0].0.as_str(), equ[0].1.as_str()), ("E-YESNO", "E12"));
    assert!(equ[0].2.contains("quizás"), "{}", equ[0].2);
    // Every option blank: missing, not "none of them", at the first option's cell. (It is
    // not required here: whether it applies depends on EQU_Q17, which is invalid.)
    let equ18 = checked.answer("EQU_Q18").expect("EQU_Q18");
    assert_eq!(
        (equ18.status, equ18.cell.map(|c| c.to_string())),
        (ResponseStatus::Blank, Some("E14".into()))
    );
}

// See issue 19: "None of these" and another option ticked together contradict each other.
// WRK_Q06 has a consistency rule for it (WRK_R03); its message names the option's cell.
#[test]
fn issue_19_none_with_another_option_is_an_error_at_the_option_row() {
    let fw = framework();
    let dir = tempfile::tempdir().expect("temp");
    let mut fill = Fill::default();
    fill.answer("WRK_Q06", CellValue::Choices(vec!["equal_pay_audit".into(), "none".into()]));
    let path = dir.path().join("none.xlsx");
    write_workbook(&fw, Lang::Fr, &fill, &Layout::default(), &path).expect("writes");
    let checked = validate(&fw, &read_workbook(&path, &fw).expect("reads"), Lang::Fr);
    let found = about(&checked, "WRK_Q06");
    let rule: Vec<&(String, String, String)> = found.iter().filter(|d| d.0 == "E-RULE").collect();
    assert_eq!(rule.len(), 1, "{found:?}");
    // The cell of the first ticked option, equal_pay_audit (the 4th option row).
    let mut wb = open_workbook_auto(&path).expect("opens");
    let work = right_sheet(&fw, fw.right("work").expect("w"), Lang::Fr);
    let range = wb.worksheet_range(&work).expect("sheet");
    let row = range
        .rows()
        .position(|r| r.first().is_some_and(|c| is(c, "WRK_Q06.equal_pay_audit")))
        .expect("the option row") as u32
        + range.start().map_or(0, |s| s.0);
    assert_eq!(rule[0].1, format!("C{}", row + 1));
}

// See issue 19: returns made from template 1 (the 2025 and 2026 sample returns) have each
// multiple choice in one cell, options separated by `;`: they read exactly as before.
#[test]
fn issue_19_returns_with_a_multiple_choice_in_one_cell_read_as_before() {
    let fw = framework();
    let dir = tempfile::tempdir().expect("temp");
    let mut fill = Fill::default();
    fill.answer(
        "WRK_Q06",
        CellValue::Choices(vec!["own_living_wage".into(), "equal_pay_audit".into()]),
    );
    let path = dir.path().join("template-1.xlsx");
    let layout = Layout { multi_choice_in_one_cell: true, ..Layout::default() };
    write_workbook(&fw, Lang::Es, &fill, &layout, &path).expect("writes");
    let read = read_workbook(&path, &fw).expect("reads");
    let found = read.get("WRK_Q06").expect("WRK_Q06");
    assert!(matches!(found.raw, RawCell::Text(_)), "{:?}", found.raw);
    assert_eq!(found.cell.to_string().chars().next(), Some('C'), "the question's own cell");
    let checked = validate(&fw, &read, Lang::Es);
    assert_eq!(
        checked.answer("WRK_Q06").and_then(|a| a.value.clone()),
        codes(&["own_living_wage", "equal_pay_audit"])
    );

    let mut seen = 0;
    for entry in std::fs::read_dir(crate::common::root().join("sample-data")).expect("sample-data")
    {
        let path = entry.expect("entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        if !(name.contains("-2025.") || name.contains("-2026.")) {
            continue;
        }
        let read = read_workbook(&path, &fw).expect("reads");
        let found = read.get("WRK_Q06").expect("WRK_Q06 in every return");
        assert!(!matches!(found.raw, RawCell::Options(_)), "{name}: one cell");
        let checked = validate(&fw, &read, Lang::En);
        let a = checked.answer("WRK_Q06").expect("WRK_Q06");
        assert_eq!(a.status, ResponseStatus::Answered, "{name}");
        assert!(checked.who.is_empty(), "{name}: template 1 had no column Who answers");
        seen += 1;
    }
    assert!(seen >= 26, "{seen} returns of 2025 and 2026");
}

// See issue 19: `questionnaire --prefill` writes last year's ticks in the new layout, and
// last year's departments in the column Who answers.
#[test]
fn issue_19_prefill_writes_last_years_ticks_one_per_row() {
    let fw = framework();
    let dir = tempfile::tempdir().expect("temp");
    let last = sample("villa-esperanza-del-sur-2026.xlsx");
    let before = validate(&fw, &read_workbook(&last, &fw).expect("reads"), Lang::Es);
    let next = dir.path().join("villa-2027.xlsx");
    let (code, _, err) = output(
        hrcities()
            .args(["questionnaire", "--lang", "es", "--reporting-year", "2027", "--prefill"])
            .arg(&last)
            .arg("-o")
            .arg(&next),
    );
    assert_eq!(code, 0, "{err}");
    let read = read_workbook(&next, &fw).expect("reads");
    let after = validate(&fw, &read, Lang::Es);
    for q in
        fw.questions.iter().filter(|q| q.qtype == hrcities::framework::QuestionType::MultiChoice)
    {
        let (Some(b), Some(a)) = (before.answer(&q.id), after.answer(&q.id)) else { continue };
        if b.status == ResponseStatus::NotAsked {
            continue;
        }
        assert_eq!((a.status, &a.value), (b.status, &b.value), "{}", q.id);
        assert!(matches!(read.get(&q.id).map(|f| &f.raw), Some(RawCell::Options(_))), "{}", q.id);
    }
    let mut wb = open_workbook_auto(&next).expect("opens");
    let work = right_sheet(&fw, fw.right("work").expect("w"), Lang::Es);
    let range = wb.worksheet_range(&work).expect("sheet");
    let ticked = before.answer("WRK_Q06").and_then(|a| a.value.clone());
    let Some(Value::Codes(ticked)) = ticked else { panic!("WRK_Q06 answered last year") };
    for c in &fw.question("WRK_Q06").expect("q").choices {
        let want = if ticked.contains(&c.code) { "Sí" } else { "No" };
        let got = answer(&range, &option_id("WRK_Q06", &c.code), "Respuesta");
        assert_eq!(got, Some(Data::String(want.into())), "{}", c.code);
    }
}

// See issue 19: a "Who answers" column to share the work between departments, read back,
// kept in the store and exported like comments; a store made before it still takes new
// returns.
#[test]
fn issue_19_who_answers_is_read_stored_and_exported() {
    use polars_io::prelude::{ParquetReader, ParquetWriter, SerReader};

    let fw = framework();
    let dir = tempfile::tempdir().expect("temp");
    let store = dir.path().join("store");
    // Last year's return, from the sample data (template 1: no such column).
    let (code, _, err) = output(
        hrcities().args(["-q", "ingest", "--store"]).arg(&store).arg(sample("lumenstad-2026.xlsx")),
    );
    assert!(code == 0 || code == 3, "{err}");
    // As a store made before the column was added: responses.parquet without it.
    let responses = store.join("responses.parquet");
    let df =
        ParquetReader::new(std::fs::File::open(&responses).expect("table")).finish().expect("read");
    let mut df = df.drop("answered_by").expect("the column is there");
    ParquetWriter::new(std::fs::File::create(&responses).expect("file"))
        .finish(&mut df)
        .expect("write");

    // This year's return, with departments.
    let checked =
        validate(&fw, &read_workbook(&sample("lumenstad-2026.xlsx"), &fw).expect("r"), Lang::En);
    let mut fill = checked.to_fill(&fw);
    fill.answer("reporting_year", CellValue::Number(2027.0));
    fill.who.insert("HOU_Q01".into(), "Housing department".into());
    fill.who.insert("WRK_Q06".into(), "Human resources; legal service".into());
    let path = dir.path().join("lumenstad-2027.xlsx");
    write_workbook(&fw, Lang::En, &fill, &Layout::default(), &path).expect("writes");
    let (code, _, err) =
        output(hrcities().args(["-q", "ingest", "--store"]).arg(&store).arg(&path));
    assert!(code == 0 || code == 3, "{err}");
    let out = dir.path().join("out");
    let (code, _, err) =
        output(hrcities().args(["-q", "compute", "--store"]).arg(&store).arg("--out").arg(&out));
    assert_eq!(code, 0, "{err}");
    let mut csv = csv::Reader::from_path(out.join("data/responses.csv")).expect("responses.csv");
    let header: Vec<String> = csv.headers().expect("header").iter().map(String::from).collect();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (year, question, by) = (col("year"), col("question_id"), col("answered_by"));
    let mut found = Vec::new();
    for rec in csv.records() {
        let rec = rec.expect("row");
        if !rec[by].is_empty() {
            found.push((rec[year].to_string(), rec[question].to_string(), rec[by].to_string()));
        }
    }
    found.sort();
    assert_eq!(
        found,
        [
            ("2027".to_string(), "HOU_Q01".to_string(), "Housing department".to_string()),
            ("2027".into(), "WRK_Q06".into(), "Human resources; legal service".into()),
        ]
    );
}
