//! The corpus of bad returns in `tests/fixtures/bad/` (made by
//! `scripts/make-bad-fixtures.py`): each file gets the diagnostic `EXPECTED.tsv` gives it,
//! naming the file, and the sheet and cell where there is one; the rest of the batch is
//! read; nothing panics. And the limits that refuse oversized files can be changed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{hrcities, root};

/// `hrcities [args] --format json validate paths…`: its exit status and diagnostics.
fn validate(args: &[&str], paths: &[PathBuf]) -> (Option<i32>, Vec<Value>) {
    let o = hrcities()
        .args(args)
        .args(["--format", "json", "validate"])
        .args(paths)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let report: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let diagnostics = report["diagnostics"].as_array().expect("diagnostics").clone();
    (o.status.code(), diagnostics)
}

/// The diagnostics of the file named `name`.
fn of<'a>(diagnostics: &'a [Value], name: &str) -> Vec<&'a Value> {
    diagnostics
        .iter()
        .filter(|d| d["file"].as_str().is_some_and(|f| Path::new(f).ends_with(name)))
        .collect()
}

/// `Sheet!Cell`, `Sheet` or "".
fn place(d: &Value) -> String {
    match (d["sheet"].as_str(), d["cell"].as_str()) {
        (Some(s), Some(c)) => format!("{s}!{c}"),
        (Some(s), None) => s.to_string(),
        _ => String::new(),
    }
}

#[test]
fn every_bad_file_gets_its_diagnostic_and_the_batch_goes_on() {
    let dir = root().join("tests/fixtures/bad");
    let expected = std::fs::read_to_string(dir.join("EXPECTED.tsv")).expect("EXPECTED.tsv");
    // file → its diagnostics as (severity, code, where).
    let mut want: BTreeMap<String, Vec<(String, String, String)>> = BTreeMap::new();
    for line in expected.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let place = f.get(3).copied().unwrap_or("").to_string();
        want.entry(f[0].to_string()).or_default().push((f[1].into(), f[2].into(), place));
    }
    // Every file of the corpus has its expectation.
    for entry in std::fs::read_dir(&dir).expect("corpus") {
        let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
        assert!(name == "EXPECTED.tsv" || want.contains_key(&name), "{name}: not in EXPECTED.tsv");
    }
    // A good return in the same batch is read as usual.
    let good = root().join("sample-data/port-aurore-2025.ods");
    let (code, diagnostics) = validate(&[], &[dir.clone(), good]);
    assert_eq!(code, Some(3), "some returns have errors");
    for (name, want) in &want {
        // The fixtures' made-up figures are often implausible, and change from one fixture
        // of a city to the next: that is not what they test, unless EXPECTED.tsv says so.
        const PLAUSIBILITY: [&str; 3] = ["W-IMPLAUSIBLE", "W-JUMP", "W-REPEAT"];
        let plausibility = want.iter().any(|w| PLAUSIBILITY.contains(&w.1.as_str()));
        let mut got: Vec<(String, String, String)> = of(&diagnostics, name)
            .iter()
            .filter(|d| plausibility || !PLAUSIBILITY.iter().any(|c| d["code"].as_str() == Some(c)))
            .map(|d| {
                let s = |k: &str| d[k].as_str().unwrap_or("").to_string();
                (s("severity"), s("code"), place(d))
            })
            .collect();
        got.sort();
        let mut want = want.clone();
        want.sort();
        assert_eq!(got, want, "{name}");
        for d in of(&diagnostics, name) {
            assert!(d["message"].as_str().is_some_and(|m| m.len() > 20), "{name}: a message");
            assert!(d["hint"].as_str().is_some_and(|h| h.len() > 10), "{name}: a hint: {d}");
        }
    }
    assert!(of(&diagnostics, "port-aurore-2025.ods").is_empty(), "the good return");
}

/// Hidden characters and long answers are kept as written in the store, and a name is
/// shown without its hidden characters.
#[test]
fn what_a_city_wrote_is_kept_even_when_it_hides_something() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = tmp.path().join("store");
    let bad = root().join("tests/fixtures/bad");
    let o = hrcities()
        .args(["-q", "ingest", "--store"])
        .arg(&store)
        .arg(bad.join("control-rtl-name.xlsx"))
        .arg(bad.join("long-answer.xlsx"))
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(0), "warnings only: {}", String::from_utf8_lossy(&o.stderr));
    let o = hrcities()
        .args(["--format", "json", "store", "list", "--store"])
        .arg(&store)
        .output()
        .expect("runs");
    let list = String::from_utf8_lossy(&o.stdout);
    assert!(
        list.contains("\"Bahía Serena gnp.exe مدينة\""),
        "the name without its hidden characters: {list}"
    );
    assert!(!list.contains('\u{202e}') && !list.contains("\\u0007"), "{list}");
    let responses = std::fs::File::open(store.join("responses.parquet")).expect("responses");
    use polars_io::prelude::SerReader;
    let df = polars_io::prelude::ParquetReader::new(responses).finish().expect("parquet");
    let raw = df.column("raw").expect("raw").str().expect("text").clone();
    assert!(
        raw.iter().flatten().any(|r| r.contains('\u{202e}') && r.contains('\u{7}')),
        "kept raw"
    );
    assert!(raw.iter().flatten().any(|r| r.chars().count() == 40_000), "kept in full");
}

#[test]
fn the_limits_refuse_oversized_returns_and_can_be_raised() {
    let good = root().join("sample-data/bahia-serena-2026.xlsx");
    let code_of = |args: &[&str], path: &Path| {
        let (_, diagnostics) = validate(args, &[path.to_path_buf()]);
        diagnostics
            .iter()
            .filter(|d| d["severity"] == "error")
            .map(|d| (d["code"].as_str().unwrap_or("").to_string(), place(d)))
            .collect::<Vec<_>>()
    };
    let errors = code_of(&["--max-file-mb", "0"], &good);
    assert_eq!(errors, [("E-FILE-TOO-LARGE".to_string(), String::new())]);
    let errors = code_of(&["--max-unzipped-mb", "0"], &good);
    assert_eq!(errors, [("E-FILE-UNZIPPED-TOO-LARGE".to_string(), String::new())]);
    // The instructions sheet alone spans more than 100 cells; the farthest cell is named.
    let errors = code_of(&["--max-cells", "100"], &good);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "E-SHEET-TOO-LARGE");
    assert!(errors[0].1.contains('!'), "sheet and cell: {errors:?}");
    // With room for its 300 MB, the zip bomb is read for what it wraps: a good return.
    let bomb = root().join("tests/fixtures/bad/zip-bomb.xlsx");
    assert!(code_of(&["--max-unzipped-mb", "400"], &bomb).is_empty());
    assert!(code_of(&[], &good).is_empty());
}
