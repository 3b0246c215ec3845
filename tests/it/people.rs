//! Issue 19, "Every word in the user's language": what people open is in the language of
//! `--lang` — the data workbook (labels above the codes, names beside codes, numbers shown
//! rounded but kept whole), `validation.xlsx` and the messages of diagnostics (answers as
//! the city wrote them, conditions in words) — while the CSV files for programs keep their
//! codes, and `validation.csv` opens in Excel (a UTF-8 byte order mark).

use std::io::Read;
use std::path::Path;

use calamine::{open_workbook, Data, Range, Reader, Xlsx};

use crate::common::{copy_samples, framework_copy, hrcities, root, sample};
use hrcities::framework::load_embedded;
use hrcities::i18n::Lang;

/// Runs `cmd`, which must end with `status`; returns its stdout.
fn run(cmd: &mut assert_cmd::Command, status: i32) -> Vec<u8> {
    let o = cmd.output().expect("runs");
    assert_eq!(
        o.status.code(),
        Some(status),
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o.stdout
}

/// The text of cell (`row`, `col`) of `range` (0-based, from the sheet's top left).
fn text(range: &Range<Data>, row: usize, col: usize) -> String {
    match range.get_value((row as u32, col as u32)) {
        Some(Data::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// The cells of row `row` of `range`, as text.
fn row(range: &Range<Data>, row: usize) -> Vec<String> {
    (0..range.width()).map(|c| text(range, row, c)).collect()
}

/// The file `name` inside the zip archive (`.xlsx`) at `path`.
fn part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).expect("xlsx")).expect("zip");
    let mut out = String::new();
    zip.by_name(name).expect(name).read_to_string(&mut out).expect("utf-8");
    out
}

#[test]
fn the_data_workbook_is_in_the_language_of_the_command_and_keeps_full_precision() {
    let tmp = tempfile::tempdir().expect("tmp");
    let returns = tmp.path().join("returns");
    copy_samples(&returns, &["villa-esperanza-del-sur-2026.xlsx", "puerto-lumbre-2026.xlsx"]);
    let store = tmp.path().join("store");
    run(hrcities().args(["-q", "ingest", "--store"]).arg(&store).arg(&returns), 0);
    let out = tmp.path().join("out");
    run(
        hrcities().args(["--lang", "es", "compute", "--store"]).arg(&store).arg("--out").arg(&out),
        0,
    );
    let data = out.join("data");
    let path = data.join("hrcities-data.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&path).expect("xlsx");

    // A first sheet explains the others, in Spanish, with each column's description.
    let names = wb.sheet_names();
    assert_eq!(names[0], "Léame", "{names:?}");
    assert!(names.contains(&"indicators".to_string()), "the tables keep their names");
    let read_me = wb.worksheet_range("Léame").expect("read me");
    let all: Vec<String> = (0..read_me.height()).flat_map(|r| row(&read_me, r)).collect();
    assert!(all.iter().any(|c| c.contains("La primera fila de cada hoja")), "{all:?}");
    assert!(all.iter().any(|c| c == "Indicadores"), "the title of the indicators sheet");
    assert!(all.iter().any(|c| c.starts_with("El identificador del gobierno")), "descriptions");

    // Labels in Spanish above the codes; the title beside the indicator's id.
    let sheet = wb.worksheet_range("indicators").expect("indicators");
    let labels = row(&sheet, 0);
    let codes = row(&sheet, 1);
    let at = |code: &str| codes.iter().position(|c| c == code).unwrap_or_else(|| panic!("{code}"));
    assert_eq!(labels[at("indicator_title")], "Indicador");
    assert_eq!(labels[at("value")], "Valor");
    assert_eq!(labels[at("status_label")], "Estado");
    assert_eq!(at("indicator_title"), at("indicator_id") + 1);
    let fw = load_embedded(Lang::Es).framework;
    let id = text(&sheet, 2, at("indicator_id"));
    let title = &fw.indicator(&id).expect("an indicator").title.es;
    assert_eq!(&text(&sheet, 2, at("indicator_title")), title);
    let countries: Vec<String> =
        (2..sheet.height()).map(|r| text(&sheet, r, at("country_name"))).collect();
    assert!(countries.contains(&"Colombia".into()) && countries.contains(&"Chile".into()));

    // The CSV keeps its codes, and every value of the sheet is the CSV's to the last digit.
    let csv = std::fs::read_to_string(data.join("indicators.csv")).expect("csv");
    let header: Vec<&str> = csv.lines().next().expect("header").split(',').collect();
    assert_eq!(header[..3], ["city_id", "city_name", "country"]);
    assert!(!header.contains(&"indicator_title"), "names only in the workbook");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let value = reader.headers().expect("h").iter().position(|h| h == "value").expect("value");
    let mut fractional = 0;
    for (i, record) in reader.records().enumerate() {
        let record = record.expect("record");
        let Ok(want) = record[value].parse::<f64>() else { continue };
        match sheet.get_value((i as u32 + 2, at("value") as u32)) {
            Some(Data::Float(got)) => assert_eq!(*got, want, "row {i}"),
            other => panic!("row {i}: {other:?}"),
        }
        fractional += usize::from(want.fract() != 0.0);
    }
    assert!(fractional > 10, "values with decimals were compared");

    // Shown rounded, shares as percentages, yes/no in words: number formats, not values.
    let styles = part(&path, "xl/styles.xml");
    for format in ["#,##0.0", "0%", "&quot;Sí&quot;;&quot;Sí&quot;;&quot;No&quot;"] {
        assert!(styles.contains(&format!("formatCode=\"{format}\"")), "{format}: {styles}");
    }
}

#[test]
fn validation_files_open_in_excel_in_any_language() {
    let tmp = tempfile::tempdir().expect("tmp");
    let xlsx = tmp.path().join("validation.xlsx");
    let stdout = run(
        hrcities()
            .current_dir(root())
            .args(["--lang", "es", "--format", "csv", "validate"])
            .arg("sample-data/valbrume-sur-loirette-2026.xlsx")
            .arg("--xlsx")
            .arg(&xlsx),
        3,
    );
    // The CSV starts with a byte order mark, then the same codes as before.
    assert!(stdout.starts_with(b"\xEF\xBB\xBFfile,sheet,cell,question,severity,code"), "BOM");
    let text_csv = String::from_utf8(stdout).expect("UTF-8");
    assert!(text_csv.contains(",error,E-RULE,"), "{text_csv}");

    // The workbook: headers, severities and messages in Spanish, the code last.
    let mut wb: Xlsx<_> = open_workbook(&xlsx).expect("validation.xlsx opens");
    assert_eq!(wb.sheet_names(), ["Problemas", "Archivos"]);
    let problems = wb.worksheet_range("Problemas").expect("problems");
    let header = row(&problems, 0);
    for label in ["Archivo", "Hoja", "Celda", "ID de la pregunta", "Qué falla", "Cómo corregirlo"]
    {
        assert!(header.iter().any(|h| h == label), "{label}: {header:?}");
    }
    assert_eq!(header.last().map(String::as_str), Some("Código"));
    let first = row(&problems, 1);
    assert!(first.iter().any(|c| c == "Error"), "{first:?}");
    assert!(first.iter().any(|c| c == "Valbrume-sur-Loirette"), "{first:?}");
    assert!(first.iter().any(|c| c.contains("HOU_Q03 «55»")), "{first:?}");
    assert!(first.iter().any(|c| c.starts_with("De los hogares desalojados")), "question text");
    assert_eq!(first.last().map(String::as_str), Some("E-RULE"));
    let files = wb.worksheet_range("Archivos").expect("files");
    assert_eq!(row(&files, 0)[0], "Archivo");
    assert_eq!(text(&files, 1, 4), "1", "one error");
}

// A consistency rule on a yes/no answer says what the city wrote ("Sí"), not 1, and what
// was expected in words ("should be “No”"), not `HOU_Q01 = 0`.
#[test]
fn a_rule_on_a_yes_no_answer_shows_the_answer_as_written() {
    let fw = framework_copy();
    let housing = fw.path().join("housing.toml");
    let original = std::fs::read_to_string(&housing).expect("housing.toml");
    let rule = r#"
[[rule]]
id = "HOU_R99"
left = "HOU_Q01"
op = "="
right = "0"
severity = "warning"
missing = "skip_if_any_missing"
message = { en = "A test rule on a yes/no answer.", es = "Una regla de prueba sobre una respuesta sí/no.", fr = "Une règle de test sur une réponse oui/non." }
"#;
    std::fs::write(&housing, format!("{original}\n{rule}")).expect("write");
    let validate = |lang: &str| {
        let stdout = run(
            hrcities()
                .arg("--framework")
                .arg(fw.path())
                .args(["--lang", lang, "--format", "json", "validate"])
                .arg(sample("puerto-lumbre-2026.xlsx")),
            0,
        );
        let report: serde_json::Value = serde_json::from_slice(&stdout).expect("json");
        let d = report["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .find(|d| d["code"] == "W-RULE")
            .expect("the rule's warning")
            .clone();
        assert_eq!(d["question"], "HOU_Q01", "the id stays, for the analyst");
        d["message"].as_str().expect("message").to_string()
    };
    let en = validate("en");
    assert!(en.contains("HOU_Q01 “Sí”"), "{en}");
    assert!(en.contains("HOU_Q01 should be “No”"), "{en}");
    let es = validate("es");
    assert!(es.contains("HOU_Q01 «Sí»") && es.contains("debería ser «No»"), "{es}");
    for m in [&en, &es] {
        assert!(!m.contains("= 1") && !m.contains("= 0"), "no formula code: {m}");
    }
}

// An answer where the question does not apply: the condition in words, as the workbook's
// note says it, and what the city answered to the question it depends on, as written.
#[test]
fn an_answer_that_does_not_apply_says_why_in_words() {
    let stdout = run(
        hrcities()
            .args(["--format", "json", "validate"])
            .arg(sample("valbrume-sur-loirette-2025.xlsx")),
        0,
    );
    let report: serde_json::Value = serde_json::from_slice(&stdout).expect("json");
    let messages: Vec<&str> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "W-NOT-APPLICABLE")
        .map(|d| d["message"].as_str().expect("message"))
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    for m in messages {
        assert!(m.contains("asked only when the answer to HOU_Q01 is “Yes”"), "{m}");
        assert!(m.contains("and here HOU_Q01 is “Non”"), "{m}");
        assert!(!m.contains("= 1"), "{m}");
    }
}
