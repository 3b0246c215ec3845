//! Snapshots of the text the CLI prints for people (insta): `--help`, `validate`,
//! `framework check` and `store list`. A change to any of them shows as a diff to review
//! (`cargo insta review`, or `INSTA_UPDATE=always cargo test` and read `git diff`);
//! temporary folders print as `[TMP]` and times are fixed with SOURCE_DATE_EPOCH.

use std::path::Path;

use assert_cmd::Command;

/// The repository's root: commands run there, so `sample-data/…` paths print as they are.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `hrcities args…` in the repository with a fixed clock and no inherited settings;
/// returns its exit status, stdout and stderr as one text, with `tmp` shown as `[TMP]`.
fn run(args: &[&str], tmp: Option<&Path>) -> String {
    let o = Command::new(assert_cmd::cargo::cargo_bin!("hrcities"))
        .env_clear()
        .env("SOURCE_DATE_EPOCH", "1795867384")
        .current_dir(root())
        .args(args)
        .output()
        .expect("runs");
    let mut text = format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    if let Some(tmp) = tmp {
        text = text.replace(&tmp.display().to_string(), "[TMP]");
    }
    text
}

#[test]
fn help() {
    insta::assert_snapshot!("help", run(&["--help"], None));
    insta::assert_snapshot!("help_validate", run(&["validate", "--help"], None));
    insta::assert_snapshot!("help_run", run(&["run", "--help"], None));
}

#[test]
fn validate_in_two_languages() {
    let files = [
        "sample-data/valbrume-sur-loirette-2026.xlsx",
        "sample-data/puerto-lumbre-2025.xls",
        "sample-data/villa-esperanza-del-sur-2026.xlsx",
    ];
    let mut args = vec!["validate"];
    args.extend(files);
    insta::assert_snapshot!("validate_en", run(&args, None));
    let mut args = vec!["--lang", "es", "validate"];
    args.extend(files);
    insta::assert_snapshot!("validate_es", run(&args, None));
}

#[test]
fn framework_check_of_a_broken_copy() {
    let tmp = crate::common::framework_copy();
    let housing = tmp.path().join("housing.toml");
    let original = std::fs::read_to_string(&housing).expect("housing.toml");
    let block = r#"
[[indicator]]
id = "HOU_I98"
title = { en = "Broken", es = "Roto" }
kind = "outcome"
formula = "HOU_Q01 + * 2"
unit = "percent"
direction = "higher_is_better"
goalposts = { lo = 0, hi = 100 }
sdg = ["11.1.1"]
source = { en = "test", es = "prueba", fr = "essai" }
"#;
    std::fs::write(&housing, format!("{original}\n{block}")).expect("write");
    let dir = tmp.path().to_str().expect("path");
    insta::assert_snapshot!("framework_check", run(&["framework", "check", dir], Some(tmp.path())));
}

#[test]
fn store_list_after_ingesting_the_sample_data() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = tmp.path().join("store");
    let store = store.to_str().expect("path");
    run(&["-q", "ingest", "--store", store, "sample-data"], Some(tmp.path()));
    insta::assert_snapshot!(
        "store_list",
        run(&["store", "list", "--store", store], Some(tmp.path()))
    );
}
