//! `hrcities framework …` driven as a user would: the real binary on the default
//! framework and on broken copies of it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

use crate::common::{framework_copy, hrcities};

fn default_framework() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("indicators")
}

fn output(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_default_framework_checks_clean() {
    let (code, stdout, _) = output(hrcities().args(["framework", "check"]));
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("0 error(s)"), "{stdout}");
    // Every right has each kind of indicator, every Charter-Agenda article two of them.
    assert!(!stdout.contains("F-KINDS") && !stdout.contains("F-COVERAGE"), "{stdout}");
    // Every text, the sources included, is in the three languages.
    assert!(!stdout.contains("F-MISSING-TRANSLATION"), "{stdout}");
    // The same files read from disk give the same result.
    let (code, stdout, _) =
        output(hrcities().args(["framework", "check"]).arg(default_framework()));
    assert_eq!(code, 0, "{stdout}");
}

#[test]
fn a_broken_copy_reports_every_problem_with_file_and_line() {
    let dir = framework_copy();
    let housing = dir.path().join("housing.toml");
    let original = std::fs::read_to_string(&housing).expect("housing.toml");
    let first = original.lines().count() + 3; // `[[indicator]]`, after two blank lines
    let block = r#"
[[indicator]]
id = "HOU_I01"
title = { en = "A duplicate", es = "Un duplicado" }
kind = "outcome"
formula = "HOU_Q99 / households"
unit = "percent"
direction = "higher_is_better"
goalposts = { lo = 0, hi = 100 }
sdg = ["11.1.1"]
source = { en = "test", es = "prueba", fr = "essai" }
"#;
    std::fs::write(&housing, format!("{original}\n{block}")).expect("write");
    let (code, stdout, _) = output(hrcities().args(["framework", "check"]).arg(dir.path()));
    assert_eq!(code, 1, "{stdout}");
    let id_line = first + 1;
    let title_line = first + 2;
    let formula_line = first + 4;
    assert!(
        stdout.contains(&format!("error[F-DUPLICATE-ID]: housing.toml:{id_line}:")),
        "duplicate id at line {id_line}:\n{stdout}"
    );
    assert!(
        stdout.contains(&format!("error[F-MISSING-TRANSLATION]: housing.toml:{title_line}:")),
        "missing fr at line {title_line}:\n{stdout}"
    );
    assert!(stdout.contains("missing fr text for title"), "{stdout}");
    // The column points at HOU_Q99 inside the formula: `formula = "` is 11 characters.
    assert!(
        stdout.contains(&format!("error[F-UNKNOWN-QUESTION]: housing.toml:{formula_line}:12")),
        "unknown question at line {formula_line}, column 12:\n{stdout}"
    );
    assert!(stdout.contains("unknown question `HOU_Q99`"), "{stdout}");
    assert!(stdout.contains("3 error(s)"), "exactly these three errors:\n{stdout}");

    // Commands that use the framework refuse it and say why.
    let (code, _, stderr) =
        output(hrcities().args(["framework", "list", "--framework"]).arg(dir.path()));
    assert_eq!(code, 1);
    assert!(stderr.contains("3 error(s)"), "{stderr}");
}

#[test]
fn a_malformed_formula_is_reported_with_its_column() {
    let dir = framework_copy();
    let housing = dir.path().join("housing.toml");
    let original = std::fs::read_to_string(&housing).expect("housing.toml");
    let block = r#"
[[indicator]]
id = "HOU_I98"
title = { en = "Broken", es = "Roto", fr = "Cassé" }
kind = "outcome"
formula = "HOU_Q01 + * 2"
unit = "percent"
direction = "higher_is_better"
goalposts = { lo = 0, hi = 100 }
sdg = ["11.1.1"]
source = { en = "test", es = "prueba", fr = "essai" }
"#;
    std::fs::write(&housing, format!("{original}\n{block}")).expect("write");
    let formula_line = original.lines().count() + 3 + 4;
    let (code, stdout, _) = output(hrcities().args(["framework", "check"]).arg(dir.path()));
    assert_eq!(code, 1, "{stdout}");
    // `*` is column 11 of the formula, column 22 of the line.
    let want =
        format!("error[F-FORMULA-SYNTAX]: housing.toml:{formula_line}:22 (HOU_I98): found `*`");
    assert!(stdout.contains(&want), "{want}\n{stdout}");
    assert!(stdout.contains("    | HOU_Q01 + * 2\n    |           ^"), "{stdout}");

    // JSON output carries the same position.
    let (code, stdout, _) =
        output(hrcities().args(["framework", "check", "--format", "json"]).arg(dir.path()));
    assert_eq!(code, 1);
    let json: Value = serde_json::from_str(&stdout).expect("json");
    let p = &json["problems"][0];
    assert_eq!(p["code"], "F-FORMULA-SYNTAX");
    assert_eq!(p["line"], formula_line);
    assert_eq!(p["column"], 22);
}

fn every_text_has_three_languages(v: &Value, path: &str) {
    match v {
        Value::Object(map) => {
            if map.contains_key("en") || map.contains_key("es") || map.contains_key("fr") {
                for lang in ["en", "es", "fr"] {
                    let text = map.get(lang).and_then(Value::as_str).unwrap_or("");
                    assert!(!text.trim().is_empty(), "{path}: no {lang}");
                }
            }
            for (k, x) in map {
                every_text_has_three_languages(x, &format!("{path}.{k}"));
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                every_text_has_three_languages(x, &format!("{path}[{i}]"));
            }
        }
        _ => {}
    }
}

#[test]
fn the_default_framework_covers_rights_kinds_and_mechanisms() {
    let (code, stdout, stderr) = output(hrcities().args(["framework", "list", "--format", "json"]));
    assert_eq!(code, 0, "{stderr}");
    let json: Value = serde_json::from_str(&stdout).expect("json");
    let rights = json["rights"].as_array().expect("rights");
    assert!(rights.len() >= 10, "{} rights", rights.len());
    let mut indicators = 0;
    let mut articles: std::collections::BTreeMap<String, usize> = Default::default();
    for r in rights {
        let inds = r["indicators"].as_array().expect("indicators");
        indicators += inds.len();
        for kind in ["structural", "process", "outcome"] {
            assert!(inds.iter().any(|i| i["kind"] == kind), "{} has no {kind} indicator", r["id"]);
        }
        for i in inds {
            let n = ["sdg", "sdg_related", "sdg_when", "treaty"]
                .iter()
                .map(|k| i[*k].as_array().map_or(0, Vec::len))
                .sum::<usize>();
            assert!(n > 0, "{} has no SDG or treaty mapping", i["id"]);
            for article in i["charter_agenda"].as_array().expect("charter_agenda") {
                *articles.entry(article.as_str().expect("text").to_string()).or_insert(0) += 1;
            }
        }
    }
    assert!(indicators >= 45, "{indicators} indicators");
    // Every article of the Charter-Agenda is measured by at least two indicators.
    let numerals = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"];
    for n in numerals {
        let count = articles.get(n).copied().unwrap_or(0);
        assert!(count >= 2, "Charter-Agenda article {n}: {count} indicator(s)");
    }
    every_text_has_three_languages(&json, "list");
}

#[test]
fn versions_and_related_mappings_are_checked() {
    let dir = framework_copy();
    let housing = dir.path().join("housing.toml");
    let original = std::fs::read_to_string(&housing).expect("housing.toml");
    let block = r#"
[[question]]
id = "HOU_Q90"
type = "integer"
since = "2099.1"
text = { en = "A question from the future?", es = "¿Del futuro?", fr = "Du futur ?" }
help = { en = "h", es = "h", fr = "h" }

[[question]]
id = "HOU_Q91"
type = "integer"
since = "2026.2"
text = { en = "A new question?", es = "¿Nueva?", fr = "Nouvelle ?" }
help = { en = "h", es = "h", fr = "h" }

[[indicator]]
id = "HOU_I90"
title = { en = "Old indicator, new question", es = "Viejo", fr = "Vieux" }
kind = "outcome"
formula = "HOU_Q91 + HOU_Q90"
unit = "count"
direction = "higher_is_better"
goalposts = { lo = 0, hi = 100 }
sdg_related = ["11.1.1", "99.99.99"]
sdg_when = [{ code = "1.2.1", when = "HOU_Q99 = 1" }]
source = { en = "test", es = "prueba", fr = "essai" }
"#;
    std::fs::write(
        &housing,
        format!(
            "{original}
{block}"
        ),
    )
    .expect("write");
    let (code, stdout, _) = output(hrcities().args(["framework", "check"]).arg(dir.path()));
    assert_eq!(code, 1, "{stdout}");
    for expected in [
        "version \"2099.1\" is not one of the framework's versions",
        "uses question HOU_Q91, which is asked only since 2026.2",
        "uses question HOU_Q90, which is asked only since 2099.1",
        "99.99.99",
        "unknown question `HOU_Q99`",
    ] {
        assert!(stdout.contains(expected), "{expected}:\n{stdout}");
    }
    assert!(stdout.contains("F-VERSION") && stdout.contains("F-MAPPING"), "{stdout}");
}

#[test]
fn list_and_show_speak_the_chosen_language() {
    let (code, en, _) = output(hrcities().args(["framework", "list"]));
    assert_eq!(code, 0);
    let (_, es, _) = output(hrcities().args(["framework", "list", "--lang", "es"]));
    let (_, fr, _) = output(hrcities().args(["framework", "list", "--lang", "fr"]));
    assert!(en.contains("Structural") && es.contains("Estructural") && fr.contains("Structurel"));
    assert!(en.contains("HOU_I01") && en.contains("SDG 11.1.1"), "{en}");

    for id in ["housing", "HOU_Q01", "HOU_I01", "population"] {
        let (code, out, err) = output(hrcities().args(["framework", "show", id]));
        assert_eq!(code, 0, "{id}: {err}");
        assert!(out.contains(id) && out.contains(".toml:"), "{id}: {out}");
    }
    let (code, out, _) = output(hrcities().args(["framework", "show", "HOU_I01", "--lang", "fr"]));
    assert_eq!(code, 0);
    assert!(out.contains("Formule") && out.contains("Bornes"), "{out}");
    let (code, out, _) =
        output(hrcities().args(["framework", "show", "HOU_I01", "--format", "json"]));
    assert_eq!(code, 0);
    let json: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(json["id"], "HOU_I01");

    let (code, _, err) = output(hrcities().args(["framework", "show", "HOU_I9"]));
    assert_eq!(code, 1);
    assert!(err.contains("HOU_I9"), "{err}");
}

#[test]
fn export_writes_one_row_per_indicator_with_its_mappings() {
    let dir = tempfile::tempdir().expect("temp");
    let csv_path = dir.path().join("indicators.csv");
    let (code, _, err) =
        output(hrcities().args(["framework", "export", "--format", "csv", "-o"]).arg(&csv_path));
    assert_eq!(code, 0, "{err}");
    let mut reader = csv::Reader::from_path(&csv_path).expect("csv");
    let header: Vec<String> = reader.headers().expect("header").iter().map(String::from).collect();
    for col in [
        "indicator_id",
        "kind",
        "formula",
        "sdg",
        "treaty",
        "general_comment",
        "charter_agenda",
        "source",
    ] {
        assert!(header.contains(&col.to_string()), "{col} in {header:?}");
    }
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert!(rows.len() >= 45);
    let id = header.iter().position(|h| h == "indicator_id").expect("id column");
    let hou = rows.iter().find(|r| &r[id] == "HOU_I01").expect("HOU_I01 row");
    let sdg = header.iter().position(|h| h == "sdg").expect("sdg column");
    let treaty = header.iter().position(|h| h == "treaty").expect("treaty column");
    assert!(!hou[sdg].is_empty() || !hou[treaty].is_empty());

    let json_path = dir.path().join("indicators.json");
    let (code, _, _) = output(hrcities().args(["framework", "export", "-o"]).arg(&json_path));
    assert_eq!(code, 0);
    let json: Value =
        serde_json::from_slice(&std::fs::read(&json_path).expect("json")).expect("json");
    assert_eq!(json.as_array().expect("array").len(), rows.len());
    assert!(json[0]["sdg"].is_array());
}

#[test]
fn help_explains_every_command_with_an_example() {
    for args in [
        vec!["--help"],
        vec!["framework", "--help"],
        vec!["framework", "check", "--help"],
        vec!["framework", "list", "--help"],
        vec!["framework", "show", "--help"],
        vec!["framework", "export", "--help"],
    ] {
        let (code, out, _) = output(hrcities().args(&args));
        assert_eq!(code, 0, "{args:?}");
        assert!(out.contains("Example") || out.contains("hrcities framework"), "{args:?}: {out}");
    }
    let (code, _, err) = output(hrcities().args(["framework", "frobnicate"]));
    assert_eq!(code, 2, "bad usage exits 2: {err}");
}

// See issue 19: a city can give a multidimensional poverty headcount; only a national index
// maps to SDG 1.2.2, and the global MPI maps to no SDG code.
#[test]
fn issue_19_a_national_multidimensional_poverty_index_maps_to_sdg_1_2_2() {
    use hrcities::framework::load_embedded;
    use hrcities::i18n::Lang;
    use hrcities::questionnaire::answer::choice_code;

    let fw = load_embedded(Lang::En).framework;
    let q = fw.question("SOC_Q04").expect("SOC_Q04");
    for (code, es) in [
        ("mpi_national", "Índice nacional de pobreza multidimensional (incidencia)"),
        ("mpi_global", "Índice de Pobreza Multidimensional global, OPHI/PNUD (incidencia)"),
    ] {
        assert_eq!(choice_code(q, es).as_deref(), Some(code), "{es}");
    }
    let when: Vec<(&str, &str)> = fw
        .indicator("SOC_I04")
        .expect("SOC_I04")
        .sdg_when
        .iter()
        .map(|w| (w.code.as_str(), w.when.text.as_str()))
        .collect();
    assert!(when.contains(&("1.2.2", "SOC_Q04 = \"mpi_national\"")), "{when:?}");
    assert!(!when.iter().any(|(_, w)| w.contains("mpi_global")), "{when:?}");
}
