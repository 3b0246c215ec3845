//! Text from returns is untrusted. A return whose name holds Typst markup, a spreadsheet
//! formula, HTML and a path, whose city id climbs out of folders and is a name Windows
//! reserves, and whose answers spreadsheets would run as formulas
//! (`tests/fixtures/hostile/`), goes through the whole job: nothing is written outside the
//! output folder, no file name carries a path piece, no export runs a formula, no chart
//! carries HTML, and the store keeps what the city wrote.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use calamine::{open_workbook, Data, Reader, Xlsx};

const FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"click\")";

fn files_under(dir: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir") {
            let p = entry.expect("entry").path();
            if p.is_dir() {
                stack.push(p.clone());
            }
            out.insert(p);
        }
    }
    out
}

/// Whether a spreadsheet would take `cell` as a formula: it starts with `=`, `+`, `@` or
/// `-` (unless it is a plain number).
fn runs_as_formula(cell: &str) -> bool {
    match cell.chars().next() {
        Some('=' | '+' | '@' | '\t' | '\r') => true,
        Some('-') => cell.parse::<f64>().is_err(),
        _ => false,
    }
}

#[test]
fn hostile_text_cannot_escape_the_output_folder_or_run_anywhere() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let returns = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile");
    let out = tmp.path().join("work").join("out");
    let o = Command::new(assert_cmd::cargo::cargo_bin!("hrcities"))
        .args(["run", "--png", "all", "--out"])
        .arg(&out)
        .arg(&returns)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&o.stderr);
    // The return has one deliberate error (a yes/no answered "Maybe"): status 3.
    assert_eq!(o.status.code(), Some(3), "{stderr}");

    // Nothing outside the output folder.
    let everything = files_under(tmp.path());
    for p in &everything {
        assert!(p.starts_with(&out) || p == &out || out.starts_with(p), "outside: {}", p.display());
    }
    // No file name is a path piece, hidden, a leftover temporary file or reserved.
    for p in &everything {
        let name = p.file_name().expect("name").to_string_lossy().into_owned();
        let stem = name.split('.').next().unwrap_or("").to_ascii_uppercase();
        // The store's lock file is the one hidden file.
        let lock = name == ".lock" && p.parent().is_some_and(|d| d.ends_with("store"));
        assert!(!name.starts_with('.') || lock, "hidden or temporary: {}", p.display());
        assert!(!["CON", "PRN", "AUX", "NUL"].contains(&stem.as_str()), "{}", p.display());
        assert!(!name.contains(['\\', ':', '<', '>', '"', '|', '?', '*']), "{}", p.display());
    }

    // CSV exports: no cell a spreadsheet would run; the formula is kept, guarded.
    let mut saw_guarded = false;
    for p in everything.iter().filter(|p| p.extension().is_some_and(|e| e == "csv")) {
        let mut r = csv::ReaderBuilder::new().has_headers(false).from_path(p).expect("csv");
        for record in r.records() {
            for cell in record.expect("record").iter() {
                assert!(!runs_as_formula(cell), "{}: {cell}", p.display());
                saw_guarded |= cell == format!("'{FORMULA}");
            }
        }
    }
    assert!(saw_guarded, "the answer is exported, guarded by an apostrophe");

    // The workbook of results: no formula cells; text exactly as the city wrote it, in
    // string cells, which never run (issue 14; src/export.rs checks the quote prefix).
    let xlsx = out.join("data/hrcities-data.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&xlsx).expect("xlsx");
    let mut saw_as_written = false;
    for sheet in wb.sheet_names() {
        let formulas = wb.worksheet_formula(&sheet).expect("formulas");
        assert!(formulas.used_cells().next().is_none(), "{sheet}: no formulas");
        for (_, _, cell) in wb.worksheet_range(&sheet).expect("range").used_cells() {
            if let Data::String(s) = cell {
                assert!(!s.starts_with('\''), "{sheet}: {s}");
                saw_as_written |= s.starts_with("#read(") && s.contains("=HYPERLINK(");
            }
        }
    }
    assert!(saw_as_written, "the city's name is in the workbook as written");

    // Charts carry the name as text, never as markup.
    let mut charts = 0;
    for p in everything.iter().filter(|p| p.extension().is_some_and(|e| e == "svg")) {
        let svg = std::fs::read_to_string(p).expect("svg");
        assert!(!svg.contains("<script"), "{}", p.display());
        charts += 1;
    }
    assert!(charts > 3);
    let in_charts = |ext: &str| {
        let dir = out.join("charts");
        everything
            .iter()
            .filter(|p| p.starts_with(&dir) && p.extension().is_some_and(|e| e == ext))
            .count()
    };
    assert_eq!(in_charts("png"), in_charts("svg"), "every chart drawn as PNG too");

    // The report prints the name literally and reads nothing from disk.
    let pdf = everything
        .iter()
        .find(|p| {
            p.extension().is_some_and(|e| e == "pdf")
                && !p.to_string_lossy().contains("campaign")
                && !p.to_string_lossy().contains("methodology")
        })
        .expect("the city's report");
    if let Ok(o) = std::process::Command::new("pdftotext").arg(pdf).arg("-").output() {
        let text = String::from_utf8_lossy(&o.stdout);
        let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("#read(\"/etc/passwd\")"), "{}", &flat[..flat.len().min(400)]);
        assert!(flat.contains("<script>alert(1)</script>"));
        assert!(!flat.contains("root:"));
    }

    // The store keeps what the city wrote.
    use polars_io::prelude::{ParquetReader, SerReader};
    let f = std::fs::File::open(out.join("store/responses.parquet")).expect("responses");
    let df = ParquetReader::new(f).finish().expect("parquet");
    let raw = df.column("raw").expect("raw").str().expect("text").clone();
    assert!(raw.iter().flatten().any(|r| r == FORMULA), "kept as written");
    assert!(raw.iter().flatten().any(|r| r == "../../outside/CON"));
}
