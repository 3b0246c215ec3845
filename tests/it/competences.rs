//! Competences (issue 20): the profile's `competences` says which services a government is
//! responsible for, and a question about a service it does not tick (`competence` in the
//! framework) is not applicable, like a question its skip logic leaves out; a blank list
//! asks everything. Returns of four fictional governments, written with the workbook
//! writer, go through `validate`, `ingest` and `compute`; broken framework copies through
//! `framework check`.
// See: issue 20 ("Competences").

use std::collections::BTreeMap;
use std::path::Path;

use hrcities::compute::{compute, Dataset, Method};
use hrcities::framework::{load_embedded, Framework, COMPETENCES};
use hrcities::i18n::Lang;
use hrcities::questionnaire::answer::Value;
use hrcities::questionnaire::fill::{CellValue, Fill, Layout};
use hrcities::questionnaire::read::read_workbook;
use hrcities::questionnaire::write::write_workbook;
use hrcities::store::{ResponseStatus, Store};
use hrcities::validate::{validate, Checked};
use polars::prelude::*;

use crate::common::{framework_copy, hrcities};

/// Every service but the local police, as a Colombian municipality ticks them.
const NO_POLICE: [&str; 8] = [
    "education",
    "childcare",
    "health",
    "water",
    "housing",
    "social_protection",
    "employment",
    "environment",
];

/// The questions about the local police, and the indicators made from them.
const POLICE_QUESTIONS: [&str; 5] = ["SAF_Q02", "SAF_Q03", "SAF_Q04", "SAF_Q05", "SAF_Q06"];
const POLICE_INDICATORS: [&str; 2] = ["SAF_I02", "SAF_I03"];

fn n(x: f64) -> CellValue {
    CellValue::Number(x)
}

/// A 2027 return (current template): its profile, the services it ticks (`None` leaves
/// the list blank) and its safety answers; `police` adds answers about a local force.
fn a_return(name: &str, ticks: Option<&[&str]>, police: bool) -> Fill {
    let mut f = Fill::default();
    f.answer("city_name", CellValue::Text(name.into()))
        .answer("country", CellValue::Text("COL".into()))
        .answer("region", CellValue::Choice("latin_america".into()))
        .answer("government_level", CellValue::Choice("municipality".into()))
        .answer("population", n(150_000.0))
        .answer("households", n(50_000.0))
        .answer("reporting_year", n(2027.0))
        // A safety plan and the homicides: every government answers them.
        .answer("SAF_Q01", CellValue::Choice("plan".into()))
        .answer("SAF_Q07", n(12.0));
    if let Some(ticks) = ticks {
        f.answer(COMPETENCES, CellValue::Choices(ticks.iter().map(|t| t.to_string()).collect()));
    }
    if police {
        f.answer("SAF_Q02", CellValue::YesNo(true))
            .answer("SAF_Q03", CellValue::YesNo(true))
            .answer("SAF_Q04", CellValue::Choice("visited".into()))
            .answer("SAF_Q05", n(240.0))
            .answer("SAF_Q06", n(60.0));
    }
    f
}

/// The four governments: without a local police and rightly silent about one (A), without
/// one yet answering about it (B), with a blank list and a police force (C), with a blank
/// list and no answer about the police (D).
fn returns(dir: &Path, fw: &Framework) -> BTreeMap<&'static str, Checked> {
    let cities = [
        ("a", a_return("Ciudad Sin Policía", Some(&NO_POLICE), false)),
        ("b", a_return("Ciudad Que Responde", Some(&NO_POLICE), true)),
        ("c", a_return("Ciudad Con Policía", None, true)),
        ("d", a_return("Ciudad En Blanco", None, false)),
    ];
    std::fs::create_dir_all(dir).expect("mkdir");
    let mut out = BTreeMap::new();
    for (key, fill) in cities {
        let path = dir.join(format!("{key}.xlsx"));
        write_workbook(fw, Lang::Es, &fill, &Layout::default(), &path).expect("written");
        let wb = read_workbook(&path, fw).expect("reads");
        out.insert(key, validate(fw, &wb, Lang::En));
    }
    out
}

fn status(c: &Checked, id: &str) -> ResponseStatus {
    c.answers.iter().find(|a| a.question == id).expect(id).status
}

fn codes<'a>(c: &'a Checked, id: &str) -> Vec<&'a str> {
    c.diagnostics
        .iter()
        .filter(|d| d.question.as_deref() == Some(id))
        .map(|d| d.code.as_str())
        .collect()
}

fn strs(df: &DataFrame, name: &str) -> Vec<String> {
    let c = df.column(name).expect(name).cast(&DataType::String).expect("str");
    c.str().expect("str").iter().map(|s| s.unwrap_or("").into()).collect()
}

/// The rows of `df` as maps from column to text.
fn rows(df: &DataFrame) -> Vec<BTreeMap<String, String>> {
    let names: Vec<String> = df.get_column_names().iter().map(|c| c.to_string()).collect();
    let cols: Vec<Vec<String>> = names.iter().map(|c| strs(df, c)).collect();
    (0..df.height())
        .map(|k| names.iter().cloned().zip(cols.iter().map(|c| c[k].clone())).collect())
        .collect()
}

#[test]
fn questions_about_a_service_the_government_does_not_hold_do_not_apply() {
    let fw = load_embedded(Lang::En).framework;
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("returns");
    let checked = returns(&dir, &fw);
    let (a, b, c, d) = (&checked["a"], &checked["b"], &checked["c"], &checked["d"]);

    // The ticks are read back from the option rows of the profile.
    let ticks = a.answers.iter().find(|x| x.question == COMPETENCES).expect("competences");
    assert_eq!(ticks.status, ResponseStatus::Answered);
    assert_eq!(ticks.value, Some(Value::Codes(NO_POLICE.iter().map(|s| s.to_string()).collect())));

    // A: the police questions do not apply, and SAF_Q02, although required, is not asked.
    for q in POLICE_QUESTIONS {
        assert_eq!(status(a, q), ResponseStatus::NotApplicable, "A {q}");
        assert!(codes(a, q).is_empty(), "A {q}: {:?}", codes(a, q));
    }
    // The services it ticks still apply: a required question about schools is asked.
    assert_eq!(codes(a, "EDU_Q01"), ["E-REQUIRED"]);
    // What every government answers is unchanged.
    assert_eq!(status(a, "SAF_Q01"), ResponseStatus::Answered);

    // B: what it wrote about a police it does not hold is kept out, with a warning that
    // names the service.
    for q in POLICE_QUESTIONS {
        assert_eq!(status(b, q), ResponseStatus::NotApplicable, "B {q}");
        assert_eq!(codes(b, q), ["W-NOT-APPLICABLE"], "B {q}");
    }
    let w = b.diagnostics.iter().find(|x| x.question.as_deref() == Some("SAF_Q05")).expect("W");
    assert_eq!(
        w.message,
        "answer \"240\" given to a question about a service your profile says your government \
         is not responsible for (Local police)"
    );
    assert_eq!(w.sheet.as_deref(), Some("12 Paz cívica y seguridad"));

    // C and D: a blank list asks everything, as returns made before 2026.5 were asked.
    assert_eq!(status(c, COMPETENCES), ResponseStatus::Blank);
    for q in POLICE_QUESTIONS {
        assert_eq!(status(c, q), ResponseStatus::Answered, "C {q}");
        assert!(codes(c, q).is_empty(), "C {q}: {:?}", codes(c, q));
    }
    assert_eq!(codes(d, "SAF_Q02"), ["E-REQUIRED"], "D: the police question is asked");

    // Indicators and scores: the police indicators are not applicable for A and B and
    // leave the coverage of the right; for C they have values.
    let store = tmp.path().join("store");
    hrcities().arg("ingest").arg(&dir).arg("--store").arg(&store).assert().code(3);
    let ds = Dataset::load(&Store::open(&store).expect("store"), &fw).expect("dataset");
    let results = compute(&fw, &ds, &Method::default()).expect("compute");
    let indicators = rows(&results.indicators);
    let city = |name: &str| format!("COL-{}", hrcities::validate::slug(name));
    let get = |name: &str, id: &str| {
        indicators
            .iter()
            .find(|r| r["city_id"] == city(name) && r["indicator_id"] == id)
            .unwrap_or_else(|| panic!("{name} {id}"))
            .clone()
    };
    for id in POLICE_INDICATORS {
        for name in ["Ciudad Sin Policía", "Ciudad Que Responde"] {
            let row = get(name, id);
            assert_eq!(row["status"], "not_applicable", "{name} {id}");
            assert!(row["value"].is_empty() && row["score"].is_empty(), "{row:?}");
        }
        assert_eq!(get("Ciudad Con Policía", id)["status"], "ok", "{id}");
        assert_eq!(get("Ciudad En Blanco", id)["status"], "missing", "{id}");
    }
    // Safety has five indicators. A: three apply, two of which have a value (the plan and
    // the homicide rate; nobody answered the survey question): coverage 2/3, enough for a
    // score, which counting the police indicators (2/5) would not have given.
    let scores = rows(&results.scores);
    let safety = |name: &str| {
        scores
            .iter()
            .find(|r| r["city_id"] == city(name) && r["right_id"] == "safety")
            .unwrap_or_else(|| panic!("{name} safety"))
            .clone()
    };
    let s = safety("Ciudad Sin Policía");
    assert_eq!(
        (s["indicators_applicable"].as_str(), s["indicators_with_value"].as_str()),
        ("3", "2")
    );
    assert_eq!(s["status"], "ok", "{s:?}");
    let coverage: f64 = s["coverage"].parse().expect("coverage");
    assert!((coverage - 2.0 / 3.0).abs() < 1e-6, "{s:?}");
    let s = safety("Ciudad Con Policía");
    assert_eq!(
        (s["indicators_applicable"].as_str(), s["indicators_with_value"].as_str()),
        ("5", "4")
    );
    let s = safety("Ciudad En Blanco");
    assert_eq!(
        (s["indicators_applicable"].as_str(), s["indicators_with_value"].as_str()),
        ("5", "2")
    );
    assert_eq!(s["status"], "insufficient_data", "{s:?}");

    // The responses table says the same, for A's police questions.
    let responses = rows(&results.responses);
    for q in POLICE_QUESTIONS {
        let r = responses
            .iter()
            .find(|r| r["city_id"] == city("Ciudad Sin Policía") && r["question_id"] == q)
            .expect(q);
        assert_eq!(r["status"], "not_applicable", "{q}");
    }
}

/// The questionnaire writes `competences` on the profile as one Yes/No row per service; a
/// city ticks them in a spreadsheet program (here openpyxl, typing Sí, x or No), and the
/// reader reads back the ticked services.
#[test]
fn the_services_ticked_in_a_spreadsheet_program_are_read_back() {
    let python = std::process::Command::new("python3").args(["-c", "import openpyxl"]).output();
    if !python.is_ok_and(|o| o.status.success()) {
        assert!(
            std::env::var_os("HRCITIES_REQUIRE_TOOLS").is_none(),
            "openpyxl is required (pip install openpyxl)"
        );
        eprintln!("skipped: openpyxl is not installed");
        return;
    }
    let fw = load_embedded(Lang::En).framework;
    let tmp = tempfile::tempdir().expect("tempdir");
    let blank = tmp.path().join("blank.xlsx");
    hrcities().args(["questionnaire", "--lang", "es", "-o"]).arg(&blank).assert().code(0);
    let filled = tmp.path().join("filled.xlsx");
    let script = r#"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Perfil"]
marks = {"competences.health": "Sí", "competences.water": "x", "competences.police": "No",
         "competences.environment": "sí"}
seen = []
for row in ws.iter_rows():
    qid = row[0].value
    if qid in marks:
        row[2].value = marks[qid]
        seen.append(qid)
wb.save(sys.argv[2])
print(len(seen))
"#;
    let o = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&blank)
        .arg(&filled)
        .output()
        .expect("python runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "4", "the four option rows");
    let wb = read_workbook(&filled, &fw).expect("reads");
    let checked = validate(&fw, &wb, Lang::Es);
    let a = checked.answers.iter().find(|a| a.question == COMPETENCES).expect("competences");
    assert_eq!(a.status, ResponseStatus::Answered);
    let want = ["health", "water", "environment"].map(String::from).to_vec();
    assert_eq!(a.value, Some(Value::Codes(want)), "in framework order");
    assert_eq!(a.sheet.as_deref(), Some("Perfil"));
    // Police not ticked: its questions are not asked, so the required one is not missing.
    assert_eq!(status(&checked, "SAF_Q02"), ResponseStatus::NotApplicable);
    assert!(codes(&checked, "SAF_Q02").is_empty());
    assert_eq!(codes(&checked, "HEA_Q01"), ["E-REQUIRED"], "health is ticked");
}

#[test]
fn an_unknown_service_is_reported_with_file_and_line() {
    let dir = framework_copy();
    let safety = dir.path().join("safety.toml");
    let text = std::fs::read_to_string(&safety).expect("safety.toml");
    let line = text.lines().position(|l| l == "id = \"SAF_Q03\"").expect("SAF_Q03") + 1;
    let (before, after) = text.split_at(text.find("id = \"SAF_Q03\"").expect("SAF_Q03"));
    let after = after.replacen("competence = \"police\"", "competence = \"nope\"", 1);
    std::fs::write(&safety, format!("{before}{after}")).expect("write");
    let out = hrcities().args(["framework", "check"]).arg(dir.path()).output().expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let want = format!("error[F-COMPETENCE]: safety.toml:{line}:");
    assert!(stdout.contains(&want), "{want}\n{stdout}");
    assert!(stdout.contains("(SAF_Q03): `competence = \"nope\"` is not a choice"), "{stdout}");
    assert!(stdout.contains("police, education, childcare"), "the choices:\n{stdout}");
    assert!(stdout.contains("1 error(s)"), "only this one:\n{stdout}");
}
