//! The modules of `src/` follow the pipeline (shared/DESIGN.md, "Source layout"), and an
//! import only points down it: a stage may use the stages before it and the helpers at the
//! bottom, never a later stage, and no stage uses `cli`. This reads every `crate::…` path in
//! `src/` and fails on one that points up.

use std::path::Path;

/// The layers, bottom first; modules on one line may use each other.
const LAYERS: [&[&str]; 11] = [
    &["i18n", "export", "guard", "fonts", "embedded"],
    &["formula"],
    &["framework"],
    &["questionnaire"],
    &["validate"],
    &["store", "recommend"],
    &["compute"],
    &["charts"],
    &["report"],
    &["site"],
    &["cli"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The modules named after `crate::` in `line` (`use crate::{a, b::c}` names a and b).
fn crate_paths(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a, b::c}`: the first segment of each item.
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            for item in inner.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        } else {
            let name: String =
                rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            out.push(name);
        }
    }
    out
}

#[test]
fn imports_point_down_the_pipeline() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut wrong = Vec::new();
    let mut checked = 0;
    for file in &files {
        let rel = file.strip_prefix(&src).expect("under src");
        let first = rel.components().next().expect("a component");
        let module = first.as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let Some(own) = layer(&module) else {
            wrong.push(format!("{}: module `{module}` is in no layer of this test", rel.display()));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("source");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for used in crate_paths(code) {
                checked += 1;
                match layer(&used) {
                    Some(l) if l <= own => {}
                    Some(_) => wrong.push(format!(
                        "{}:{}: `{module}` uses `crate::{used}`, a later stage",
                        rel.display(),
                        n + 1
                    )),
                    None => wrong.push(format!(
                        "{}:{}: `crate::{used}` is in no layer of this test",
                        rel.display(),
                        n + 1
                    )),
                }
            }
        }
    }
    assert!(checked > 100, "the paths were found ({checked})");
    assert!(wrong.is_empty(), "imports that point up the pipeline:\n{}", wrong.join("\n"));
}

#[test]
fn the_path_reader_sees_groups_and_plain_paths() {
    assert_eq!(crate_paths("use crate::framework::{Framework, Severity};"), ["framework"]);
    assert_eq!(crate_paths("use crate::{i18n::tr, store::Store};"), ["i18n", "store"]);
    assert_eq!(crate_paths("let x = crate::export::write_atomic(p, b)?;"), ["export"]);
}
