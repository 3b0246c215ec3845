//! Files and tools nobody here wrote (issue 14): the spreadsheet reader's own regression
//! files and other public test files (`tests/fixtures/foreign/`, licences in its README),
//! a reader that panics, a named pipe under a return's name, a run with nothing to file,
//! the JSON manifest of the commands that write files, Parquet read and filtered by
//! pyarrow, and a closed pipe.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{copy_samples, hrcities, root};

/// The spreadsheets of `tests/fixtures/foreign/` (not the licence notes).
fn foreign_files() -> Vec<PathBuf> {
    let dir = root().join("tests/fixtures/foreign");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("foreign files")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| ["xls", "xlsx", "xlsb", "ods"].contains(&&*e.to_string_lossy()))
        })
        .collect();
    files.sort();
    assert!(files.len() >= 2, "the reader's regression files are there");
    files
}

/// Makes a named pipe at `path`.
#[cfg(unix)]
fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).expect("path");
    // SAFETY: `c` is a valid NUL-terminated path that outlives the call.
    let r = unsafe { libc::mkfifo(c.as_ptr(), 0o644) };
    assert_eq!(r, 0, "mkfifo {}", path.display());
}

/// The diagnostics of `validation.json` (or `validate --format json`) for the file named
/// `name`.
fn diagnostics_of<'a>(report: &'a Value, name: &str) -> Vec<&'a Value> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["file"].as_str().is_some_and(|f| Path::new(f).ends_with(name)))
        .collect()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).expect("json file")).expect("JSON")
}

/// A returns folder holding a good return, a second good one reached through a link, each
/// foreign file, and a named pipe; returns the names of the bad ones.
fn mixed_returns(dir: &Path) -> Vec<String> {
    std::fs::create_dir_all(dir).expect("mkdir");
    let sample = root().join("sample-data");
    std::fs::copy(sample.join("port-aurore-2025.ods"), dir.join("port-aurore-2025.ods"))
        .expect("copy");
    #[cfg(unix)]
    std::os::unix::fs::symlink(sample.join("bahia-serena-2026.xlsx"), dir.join("linked.xlsx"))
        .expect("symlink");
    let mut bad = Vec::new();
    for f in foreign_files() {
        let name = f.file_name().expect("name").to_string_lossy().into_owned();
        std::fs::copy(&f, dir.join(&name)).expect("copy");
        bad.push(name);
    }
    #[cfg(unix)]
    {
        mkfifo(&dir.join("pipe.xlsx"));
        bad.push("pipe.xlsx".into());
    }
    bad
}

// See issue 14, items 1 and 2: a panic in the reader stopped the whole run, and a named
// pipe under a return's name made it wait for ever. (The files are read in a child
// process, as a user would run them: an abort there would fail this test, not end it.)
#[test]
fn issue_14_a_reader_panic_a_pipe_and_foreign_files_do_not_stop_a_run() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let returns = tmp.path().join("returns");
    let bad = mixed_returns(&returns);
    let out = tmp.path().join("out");
    let o = hrcities()
        .args(["run", "--png", "none", "--out"])
        .arg(&out)
        .arg(&returns)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{stderr}");
    assert!(!stderr.contains("panicked"), "no panic reaches the user: {stderr}");

    // Every bad file is named with an error.
    let report = read_json(&out.join("validation.json"));
    for name in &bad {
        let d = diagnostics_of(&report, name);
        assert!(d.iter().any(|d| d["severity"] == "error"), "{name}: {d:?}");
    }
    // Files that make calamine 0.38 panic: the reader's message and where it stopped.
    for (name, place) in [
        ("panic_xls_formula_cce_too_long.xls", "calamine-0.38.0/src/xls.rs:"),
        ("panic_xls_truncated_to_16000_bytes.xls", "calamine-0.38.0/src/cfb.rs:"),
        ("panic_xlsb_sst_index_out_of_range.xlsb", "calamine-0.38.0/src/xlsb/"),
    ] {
        let d = diagnostics_of(&report, name);
        assert_eq!(d[0]["code"], "E-FILE-DAMAGED", "{name}");
        let message = d[0]["message"].as_str().expect("message");
        assert!(message.contains("reader stopped"), "{name}: {message}");
        assert!(message.contains(place), "{name}: where it panicked: {message}");
    }
    // Files that would make calamine ask for hundreds of gigabytes are refused before.
    let sst = diagnostics_of(&report, "abort_xlsx_sst_uniquecount_huge.xlsx");
    assert_eq!(sst[0]["code"], "E-FILE-DAMAGED");
    assert!(sst[0]["message"].as_str().expect("message").contains("99999999999 shared strings"));
    let span = diagnostics_of(&report, "abort_xlsx_cells_A1_and_XFD1048576.xlsx");
    assert_eq!(span[0]["code"], "E-SHEET-TOO-LARGE");
    #[cfg(unix)]
    {
        let pipe = diagnostics_of(&report, "pipe.xlsx");
        assert_eq!(pipe.len(), 1);
        assert_eq!(pipe[0]["code"], "E-FILE-NOT-REGULAR");
        assert!(pipe[0]["message"].as_str().expect("message").contains("named pipe"));
    }

    // The good returns (one through a link) are filed and reported.
    assert!(diagnostics_of(&report, "port-aurore-2025.ods").is_empty());
    for (city, year) in [("SEN-port-aurore", 2025), ("URY-bahia-serena", 2026)] {
        let pdf = out.join(format!("reports/{city}/{city}-{year}-en.pdf"));
        assert!(pdf.is_file(), "{}: {stderr}", pdf.display());
    }
}

#[test]
fn every_foreign_file_is_named_with_a_diagnostic_beside_a_good_return() {
    let mut paths = foreign_files();
    paths.push(root().join("sample-data/port-aurore-2025.ods"));
    let o = hrcities().args(["--format", "json", "validate"]).args(&paths).output().expect("runs");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let report: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let files = report["files"].as_array().expect("files");
    assert_eq!(files.len(), paths.len());
    for p in &paths[..paths.len() - 1] {
        let name = p.file_name().expect("name").to_string_lossy().into_owned();
        let d = diagnostics_of(&report, &name);
        assert!(!d.is_empty(), "{name}: named with a diagnostic");
        assert!(d.iter().any(|d| d["severity"] == "error"), "{name}: not a questionnaire");
    }
    assert!(diagnostics_of(&report, "port-aurore-2025.ods").is_empty(), "the good one is read");
    // What some of them are, said as such.
    for (name, code) in [
        ("password.ods", "E-FILE-ENCRYPTED"),
        ("password.xlsx", "E-FILE-ENCRYPTED"),
        ("biff4_no_format_no_window2.xls", "E-FILE-UNSUPPORTED"),
        ("ragged.xls", "E-FILE-NO-QUESTIONS"),
        ("issue_666_panic.xlsb", "E-FILE-NO-QUESTIONS"),
        ("ptgexp-truncated-operand.xls", "E-FILE-NO-QUESTIONS"),
    ] {
        assert_eq!(diagnostics_of(&report, name)[0]["code"], code, "{name}");
    }
    // A panic's message is on one line (`assert_eq!` spreads its own over three).
    let d = diagnostics_of(&report, "panic_xls_truncated_to_1001_bytes.xls");
    let message = d[0]["message"].as_str().expect("message");
    assert!(
        !message.contains('\n') && message.contains("calamine-0.38.0/src/utils.rs:"),
        "{message}"
    );
}

// See issue 14, item 3: `run` with nothing to file advised running `ingest`.
#[test]
fn issue_14_a_run_with_nothing_to_file_says_so_and_exits_3() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let returns = tmp.path().join("returns");
    std::fs::create_dir_all(&returns).expect("mkdir");
    for f in foreign_files() {
        std::fs::copy(&f, returns.join(f.file_name().expect("name"))).expect("copy");
    }
    #[cfg(unix)]
    mkfifo(&returns.join("pipe.xlsx"));
    let out = tmp.path().join("out");
    let o = hrcities().args(["run", "--out"]).arg(&out).arg(&returns).output().expect("runs");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("None of the"), "{stderr}");
    assert!(stderr.contains("validation.xlsx"), "{stderr}");
    assert!(!stderr.contains("hrcities ingest"), "no advice to ingest: {stderr}");
    assert!(out.join("validation.csv").is_file());
    assert!(out.join("validation.xlsx").is_file());
    assert!(!out.join("reports").exists());
}

/// The sha256 of the file at `path`, as lowercase hex.
fn sha256(path: &Path) -> String {
    hrcities::store::sha256_hex(&std::fs::read(path).expect("file"))
}

/// Checks a JSON manifest: its command, exit status, and that every file it lists exists
/// with that size and sha256 (and that it lists some, if `wrote`). Returns the manifest.
fn check_manifest(stdout: &[u8], command: &str, code: Option<i32>, wrote: bool) -> Value {
    let m: Value = serde_json::from_slice(stdout).expect("stdout is one JSON object");
    assert_eq!(m["command"], command);
    assert_eq!(m["exit_status"].as_i64().map(|c| c as i32), code, "{m}");
    let files = m["files"].as_array().expect("files");
    assert_eq!(!files.is_empty(), wrote, "{command}: {m}");
    for f in files {
        let path = Path::new(f["path"].as_str().expect("path"));
        assert_eq!(f["sha256"].as_str(), Some(sha256(path).as_str()), "{}", path.display());
        let bytes = std::fs::metadata(path).expect("exists").len();
        assert_eq!(f["bytes"].as_u64(), Some(bytes));
    }
    m
}

// See issue 14, items 6 and 8: `--format json` was accepted and ignored; pyarrow could not
// filter the Parquet files (text written as Arrow string views).
#[test]
fn issue_14_commands_that_write_print_a_json_manifest_and_parquet_filters_in_pyarrow() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let returns = tmp.path().join("returns");
    // Valbrume's 2026 return has an error: status 3.
    copy_samples(&returns, &["port-aurore-2025.ods", "valbrume-sur-loirette-2026.xlsx"]);
    let out = tmp.path().join("out");
    let o = hrcities()
        .args(["--format", "json", "run", "--png", "none", "--out"])
        .arg(&out)
        .arg(&returns)
        .output()
        .expect("runs");
    let m = check_manifest(&o.stdout, "run", o.status.code(), true);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(m["status"], "returns_have_errors");
    assert_eq!(m["counts"]["returns_read"], 2);
    assert_eq!(m["counts"]["returns_added"], 2);
    assert!(m["diagnostics"]["errors"].as_u64() > Some(0), "{m}");
    let listed: Vec<&str> =
        m["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    for must in ["validation.csv", "indicators.parquet", "returns.parquet", "-en.pdf"] {
        assert!(listed.iter().any(|p| p.ends_with(must)), "{must} in {listed:?}");
    }
    // Text for people went to stderr, not into the JSON.
    assert!(String::from_utf8_lossy(&o.stderr).contains("returns read"));

    // The other commands that write files.
    let store = out.join("store");
    let o = hrcities()
        .args(["--format", "json", "ingest", "--store"])
        .arg(&store)
        .arg(&returns)
        .output()
        .expect("runs");
    let m = check_manifest(&o.stdout, "ingest", o.status.code(), false);
    assert_eq!(m["counts"]["returns_unchanged"], 2, "{m}");
    let o = hrcities()
        .args(["--format", "json", "compute", "--store"])
        .arg(&store)
        .args(["--out"])
        .arg(tmp.path().join("c"))
        .output()
        .expect("runs");
    let m = check_manifest(&o.stdout, "compute", Some(0), true);
    assert_eq!(o.status.code(), Some(0));
    assert!(m["counts"]["indicator_values"].as_u64() > Some(0));
    let o = hrcities()
        .args(["--format", "json", "charts", "--png", "none", "--store"])
        .arg(&store)
        .args(["--out"])
        .arg(tmp.path().join("c"))
        .output()
        .expect("runs");
    let m = check_manifest(&o.stdout, "charts", Some(0), true);
    assert_eq!(m["counts"]["charts"].as_u64(), Some(m["files"].as_array().unwrap().len() as u64));
    let o = hrcities()
        .args(["--format", "json", "report", "campaign", "--store"])
        .arg(&store)
        .args(["--out"])
        .arg(tmp.path().join("c"))
        .output()
        .expect("runs");
    let m = check_manifest(&o.stdout, "report", Some(0), true);
    assert_eq!(m["counts"]["reports"], 1);

    // pyarrow reads every Parquet output and filters it on a text column.
    let mut parquet: Vec<PathBuf> = Vec::new();
    for dir in [out.join("data"), store] {
        for e in std::fs::read_dir(dir).expect("dir") {
            let p = e.expect("entry").path();
            if p.extension().is_some_and(|e| e == "parquet") {
                parquet.push(p);
            }
        }
    }
    assert!(parquet.len() >= 9, "{parquet:?}");
    let script = r#"
import sys
import pyarrow as pa, pyarrow.parquet as pq, pyarrow.compute as pc
for path in sys.argv[1:]:
    table = pq.read_table(path)
    text = [f for f in table.schema if pa.types.is_string(f.type)]
    views = [f.name for f in table.schema if pa.types.is_string_view(f.type) or pa.types.is_large_string(f.type)]
    assert not views, (path, views)
    assert text, (path, table.schema)
    column = text[0].name
    values = [v for v in table.column(column).to_pylist() if v is not None]
    if values:
        filtered = pq.read_table(path, filters=[(column, "=", values[0])])
        assert filtered.num_rows == values.count(values[0]), (path, column)
    print(path, table.num_rows, column, "ok")
"#;
    let py = std::process::Command::new("python3").arg("-c").arg(script).args(&parquet).output();
    match py {
        Ok(o) if o.status.success() => {}
        Ok(o) if String::from_utf8_lossy(&o.stderr).contains("No module named 'pyarrow'") => {
            assert!(std::env::var_os("HRCITIES_REQUIRE_TOOLS").is_none(), "pyarrow is required");
        }
        Ok(o) => panic!("pyarrow: {}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => assert!(std::env::var_os("HRCITIES_REQUIRE_TOOLS").is_none(), "python3: {e}"),
    }
}

// See issue 14, item 9: `hrcities framework list --format json | head` panicked.
#[test]
fn issue_14_a_closed_pipe_ends_a_command_quietly() {
    use std::process::{Command as Std, Stdio};
    for args in [&["framework", "list", "--format", "json"][..], &["framework", "list"][..]] {
        let mut child = Std::new(assert_cmd::cargo::cargo_bin!("hrcities"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starts");
        // Read nothing: the reader goes away at once, as `head -c0` would.
        drop(child.stdout.take());
        let o = child.wait_with_output().expect("ends");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(o.status.code(), Some(0), "{args:?}: {stderr}");
    }
}
