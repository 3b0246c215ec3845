//! Letters to each city (`validate --feedback`, issue 22): one per return, in its language,
//! listing exactly its diagnostics; `.eml` files any mail library reads, with the right
//! `To:` and subject; hostile text cannot forge a header.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::hrcities;

/// Runs Python on `script` with `args`; `None` when Python is not installed (a failure
/// under HRCITIES_REQUIRE_TOOLS).
fn python(script: &str, args: &[&str]) -> Option<String> {
    match std::process::Command::new("python3").arg("-c").arg(script).args(args).output() {
        Ok(o) => {
            assert!(o.status.success(), "python: {}", String::from_utf8_lossy(&o.stderr));
            Some(String::from_utf8_lossy(&o.stdout).into_owned())
        }
        Err(e) => {
            assert!(std::env::var_os("HRCITIES_REQUIRE_TOOLS").is_none(), "python3: {e}");
            None
        }
    }
}

/// Reads every `.eml` of `dir` with Python's `email` package: file, To, decoded subject,
/// and whether the decoded body equals the `.txt` beside it.
const READ_EML: &str = r#"
import email, email.policy, json, pathlib, sys
out = []
for p in sorted(pathlib.Path(sys.argv[1]).glob("*.eml")):
    m = email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
    body = m.get_content()
    txt = p.with_suffix(".txt").read_text(encoding="utf-8")
    out.append({"file": p.name, "to": m["To"] or "", "subject": str(m["Subject"]),
                "keys": sorted(m.keys()), "same": body == txt, "defects": len(m.defects)})
print(json.dumps(out))
"#;

#[test]
fn every_return_gets_a_letter_in_its_language_with_exactly_its_diagnostics() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("letters");
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let o =
        hrcities().args(["validate", "--feedback"]).arg(&dir).arg(&samples).output().expect("runs");
    assert_eq!(o.status.code(), Some(3), "{}", String::from_utf8_lossy(&o.stderr));
    // What validate says per file, to compare with.
    let o = hrcities().args(["validate", "--format", "csv"]).arg(&samples).output().expect("runs");
    let mut expected: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut r = csv::Reader::from_reader(&o.stdout[3..]);
    for rec in r.records() {
        let rec = rec.expect("row");
        let file = Path::new(&rec[0]).file_name().unwrap().to_string_lossy().into_owned();
        let e = expected.entry(file).or_default();
        if &rec[4] == "error" {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }
    let index = std::fs::read(dir.join("feedback.csv")).expect("feedback.csv");
    let mut r = csv::Reader::from_reader(&index[3..]);
    let files = std::fs::read_dir(&samples).unwrap().count() - 1; // README.md
    let mut rows = 0;
    let mut by_lang: BTreeMap<String, usize> = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.expect("row");
        rows += 1;
        let (file, lang) = (&rec[3], &rec[5]);
        let counts: (usize, usize) = (rec[6].parse().unwrap(), rec[7].parse().unwrap());
        assert_eq!(counts, expected.get(file).copied().unwrap_or_default(), "{file}");
        *by_lang.entry(lang.to_string()).or_default() += 1;
        let txt = std::fs::read_to_string(dir.join(&rec[8])).expect("letter");
        let greeting = match lang {
            "es" => "Estimadas y estimados colegas de",
            "fr" => "Chères et chers collègues de",
            _ => "Dear colleagues of",
        };
        assert!(txt.starts_with(greeting), "{file}: {txt}");
        // No diagnostic code or question id in the body: they are in the reference line.
        let (body, reference) = txt.split_once("\n-- \n").expect("a reference line");
        let code = body.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).find(|w| {
            (w.starts_with("E-") || w.starts_with("W-"))
                && w[2..].chars().all(|c| c.is_ascii_uppercase() || c == '-')
        });
        assert!(code.is_none(), "{file}: {code:?} in {body}");
        assert!(!body.contains("_Q0") && !body.contains("_R0"), "{file}: {body}");
        let items = body
            .lines()
            .filter(|l| l.split_once(". ").is_some_and(|(n, _)| n.parse::<usize>().is_ok()))
            .count();
        assert_eq!(items, counts.0 + counts.1, "{file}: {body}");
        if counts.0 + counts.1 > 0 {
            assert!(reference.contains('×'), "{file}: {reference}");
        }
    }
    assert_eq!(rows, files);
    // The sample's returns are in the three languages.
    assert!(by_lang.get("es").is_some_and(|n| *n >= 9), "{by_lang:?}");
    assert!(by_lang.get("fr").is_some_and(|n| *n >= 9), "{by_lang:?}");
    assert!(by_lang.get("en").is_some_and(|n| *n >= 9), "{by_lang:?}");
    let fr = std::fs::read_to_string(dir.join("FRA-valbrume-sur-loirette-2026.txt")).unwrap();
    assert!(fr.contains("Feuille « 01 Logement », cellule C8"), "{fr}");
    assert!(fr.contains("« 55 » dans la cellule C8"), "{fr}");

    if let Some(json) = python(READ_EML, &[dir.to_str().unwrap()]) {
        let mails: Vec<serde_json::Value> = serde_json::from_str(&json).expect("json");
        assert_eq!(mails.len(), files);
        for m in &mails {
            assert!(m["same"].as_bool().unwrap(), "{m}");
            assert_eq!(m["defects"], 0, "{m}");
        }
        let villa =
            mails.iter().find(|m| m["file"] == "COL-villa-esperanza-del-sur-2027.eml").unwrap();
        assert_eq!(villa["to"], "rights@villaesperanzadelsur.example");
        assert!(villa["subject"]
            .as_str()
            .unwrap()
            .starts_with("Villa Esperanza del Sur: hemos recibido"));
    }
}

#[test]
fn hostile_text_in_a_return_cannot_forge_a_header_or_break_the_letter() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("letters");
    let returns = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile");
    hrcities().args(["validate", "--feedback"]).arg(&dir).arg(&returns).output().expect("runs");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    // The letter, its e-mail, the index and the annotated copy of the workbook.
    assert_eq!(names.len(), 4, "{names:?}");
    for n in &names {
        assert!(!n.starts_with('.') && !n.contains(['/', '\\', ':', '<', '>']), "{n}");
    }
    let eml = names.iter().find(|n| n.ends_with(".eml")).unwrap();
    let bytes = std::fs::read(dir.join(eml)).unwrap();
    let text = String::from_utf8(bytes).expect("ASCII headers");
    let (head, _) = text.split_once("\r\n\r\n").expect("headers, then a body");
    let keys: Vec<&str> = head
        .split("\r\n")
        .filter(|l| !l.starts_with(' '))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    for k in &keys {
        assert!(
            [
                "From",
                "To",
                "Subject",
                "Date",
                "MIME-Version",
                "Content-Type",
                "Content-Transfer-Encoding",
                "Content-Language",
                "X-Unsent"
            ]
            .contains(k),
            "unexpected header {k} in\n{head}"
        );
    }
    assert!(head.is_ascii());
    if let Some(json) = python(READ_EML, &[dir.to_str().unwrap()]) {
        let mails: Vec<serde_json::Value> = serde_json::from_str(&json).expect("json");
        assert!(mails[0]["same"].as_bool().unwrap());
        let letter = std::fs::read_to_string(dir.join(eml.replace(".eml", ".txt"))).unwrap();
        let name = letter.lines().next().unwrap();
        // The hostile name is in the subject as text.
        let first = name.trim_start_matches("Dear colleagues of ").trim_end_matches(',');
        assert!(
            mails[0]["subject"].as_str().unwrap().starts_with(first),
            "{} / {first}",
            mails[0]["subject"]
        );
    }
}

#[test]
fn returns_with_errors_can_be_marked_needs_correction_in_the_store() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = tmp.path().join("store");
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    hrcities().args(["-q", "ingest", "--store"]).arg(&store).arg(&samples).output().expect("runs");
    let o = hrcities()
        .args(["validate", "--mark", "--feedback"])
        .arg(tmp.path().join("letters"))
        .arg("--store")
        .arg(&store)
        .arg(&samples)
        .output()
        .expect("runs");
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(said.contains("8 return(s) with errors marked needs_correction"), "{said}");
    let o = hrcities()
        .args(["--format", "csv", "store", "list", "--store"])
        .arg(&store)
        .output()
        .expect("runs");
    let list = String::from_utf8_lossy(&o.stdout);
    let row = list
        .lines()
        .find(|l| l.contains("FRA-valbrume-sur-loirette") && l.contains(",2026,"))
        .expect("Valbrume 2026 listed");
    assert!(row.contains("needs_correction"), "{row}");
    let clean = list
        .lines()
        .find(|l| l.contains("URY-bahia-serena") && l.contains(",2027,"))
        .expect("Bahía Serena 2027 listed");
    assert!(!clean.contains("needs_correction"), "{clean}");
}
