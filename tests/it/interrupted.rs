//! Nothing is lost when an ingest is interrupted: stopped between the writes of its tables
//! (a failpoint aborts the process there) or killed at any moment, the store still reads
//! as it was before, and ingesting again completes it, with every answer of every return
//! stored once.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use assert_cmd::Command;
use polars_io::prelude::{ParquetReader, SerReader};

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin!("hrcities").to_path_buf()
}

fn sample() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("sample-data")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e != "md"))
        .collect();
    files.sort();
    files
}

/// The shas `store list --all` gives, or none when there is no store yet.
fn listed(store: &Path) -> HashSet<String> {
    if !store.join("returns.parquet").exists() {
        return HashSet::new();
    }
    let o = Command::new(bin())
        .args(["--format", "json", "store", "list", "--all", "--store"])
        .arg(store)
        .output()
        .expect("runs");
    assert!(o.status.success(), "the store reads: {}", String::from_utf8_lossy(&o.stderr));
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    list.as_array()
        .expect("a list")
        .iter()
        .map(|r| r["sha256"].as_str().expect("sha256").to_string())
        .collect()
}

/// Checks that every listed return has each of its answers stored exactly once.
fn consistent(store: &Path) -> HashSet<String> {
    let shas = listed(store);
    if shas.is_empty() {
        return shas;
    }
    let f = std::fs::File::open(store.join("responses.parquet")).expect("responses");
    let df = ParquetReader::new(f).finish().expect("parquet");
    let sha = df.column("sha256").expect("sha256").str().expect("text").clone();
    let question = df.column("question_id").expect("question_id").str().expect("text").clone();
    let mut seen = HashSet::new();
    let mut per_return: std::collections::HashMap<String, usize> = Default::default();
    for (s, q) in sha.iter().zip(question.iter()) {
        let (s, q) = (s.expect("sha"), q.expect("question"));
        if shas.contains(s) {
            assert!(seen.insert((s.to_string(), q.to_string())), "{s} {q} stored twice");
            *per_return.entry(s.to_string()).or_default() += 1;
        }
    }
    for s in &shas {
        assert!(per_return.get(s).copied().unwrap_or(0) > 50, "{s}: its answers are stored");
    }
    shas
}

fn ingest(store: &Path, files: &[PathBuf], failpoint: Option<&str>) -> std::process::Output {
    let mut cmd = Command::new(bin());
    cmd.args(["-q", "ingest", "--store"]).arg(store).args(files);
    if let Some(f) = failpoint {
        cmd.env("HRCITIES_FAILPOINT", f);
    }
    cmd.output().expect("runs")
}

#[test]
fn an_ingest_stopped_between_its_writes_leaves_the_store_as_it_was() {
    let files = sample();
    let (first, _) = files.split_at(files.len() / 2);
    for point in ["after-responses", "after-diagnostics"] {
        let tmp = tempfile::tempdir().expect("tempdir");
        let store = tmp.path().join("store");
        ingest(&store, first, None);
        let before = consistent(&store);
        assert!(!before.is_empty());
        let o = ingest(&store, &files, Some(point));
        assert!(!o.status.success(), "{point}: the process was stopped");
        assert_eq!(consistent(&store), before, "{point}: the store reads as before");
        // Ingesting again completes it: nothing doubled, nothing missing.
        ingest(&store, &files, None);
        let after = consistent(&store);
        assert_eq!(after.len(), files.len(), "{point}: every return");
        assert!(after.is_superset(&before));
    }
}

#[test]
fn an_ingest_killed_at_any_moment_leaves_a_readable_store() {
    let files = sample();
    for delay_ms in [0, 20, 60, 120, 200, 300, 450, 700] {
        let tmp = tempfile::tempdir().expect("tempdir");
        let store = tmp.path().join("store");
        let mut child = std::process::Command::new(bin())
            .args(["-q", "ingest", "--store"])
            .arg(&store)
            .args(&files)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawns");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let before = consistent(&store);
        assert!(before.is_empty() || before.len() == files.len(), "all or nothing: {delay_ms} ms");
        ingest(&store, &files, None);
        assert_eq!(consistent(&store).len(), files.len(), "completed after {delay_ms} ms");
    }
}
