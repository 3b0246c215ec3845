//! The city's own workbook with its problems marked (`validate --feedback`, issue 22): a
//! copy of each `.xlsx` return with a problem in a cell, beside its letter, in which every
//! such cell is highlighted and carries a comment in the letter's language; the copy is
//! otherwise the city's workbook unchanged (same values, every other zip entry the same
//! bytes); LibreOffice and openpyxl find the comments on the right cells; hostile answers
//! give a well-formed workbook; a workbook that cannot be annotated is reported and stops
//! no other.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use calamine::{open_workbook_auto, Data, Reader};

use crate::common::{hrcities, root, sample};

/// Runs `hrcities validate --feedback DIR` on `inputs`; returns DIR (in `tmp`) and stderr.
fn feedback(tmp: &Path, inputs: &[PathBuf]) -> (PathBuf, String) {
    let dir = tmp.join("letters");
    let o =
        hrcities().args(["validate", "--feedback"]).arg(&dir).args(inputs).output().expect("runs");
    assert!(matches!(o.status.code(), Some(0 | 3)), "{}", String::from_utf8_lossy(&o.stderr));
    (dir, String::from_utf8_lossy(&o.stderr).into_owned())
}

/// The rows of `DIR/feedback.csv`, as column → value.
fn index(dir: &Path) -> Vec<BTreeMap<String, String>> {
    let bytes = std::fs::read(dir.join("feedback.csv")).expect("feedback.csv");
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|rec| header.iter().cloned().zip(rec.unwrap().iter().map(str::to_string)).collect())
        .collect()
}

/// Every located diagnostic of `validate` on `inputs`: file name → (sheet, cell, severity).
fn located(inputs: &[PathBuf]) -> BTreeMap<String, Vec<(String, String, String)>> {
    let o = hrcities().args(["validate", "--format", "csv"]).args(inputs).output().expect("runs");
    let mut out: BTreeMap<String, Vec<(String, String, String)>> = BTreeMap::new();
    let mut r = csv::Reader::from_reader(&o.stdout[3..]);
    for rec in r.records() {
        let rec = rec.expect("row");
        if rec[1].is_empty() || rec[2].is_empty() {
            continue;
        }
        let file = Path::new(&rec[0]).file_name().unwrap().to_string_lossy().into_owned();
        out.entry(file).or_default().push((rec[1].into(), rec[2].into(), rec[4].into()));
    }
    out
}

/// Every zip entry of the workbook at `path`, inflated.
fn entries(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).expect("open")).expect("zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().to_string(), data)
        })
        .collect()
}

/// A sheet's name and its cells: 0-based row and column, value.
type Sheet = (String, Vec<(usize, usize, Data)>);

/// Every sheet's cells as calamine reads them.
fn values(path: &Path) -> Vec<Sheet> {
    let mut wb = open_workbook_auto(path).expect("calamine opens it");
    wb.sheet_names()
        .into_iter()
        .map(|name| {
            let range = wb.worksheet_range(&name).expect("sheet");
            let start = range.start().unwrap_or((0, 0));
            let cells = range
                .used_cells()
                .map(|(r, c, d)| (r + start.0 as usize, c + start.1 as usize, d.clone()))
                .collect();
            (name, cells)
        })
        .collect()
}

/// Whether `tool` runs; when it does not, a skip (or a failure under
/// HRCITIES_REQUIRE_TOOLS).
fn have(tool: &str, arg: &str) -> bool {
    match std::process::Command::new(tool).arg(arg).output() {
        Ok(o) if o.status.success() => true,
        _ => {
            assert!(
                std::env::var_os("HRCITIES_REQUIRE_TOOLS").is_none(),
                "{tool} is required but not installed"
            );
            eprintln!("skipped: {tool} is not installed");
            false
        }
    }
}

/// Python's openpyxl reads each workbook of `expected` (path → cells) and prints, for
/// every commented cell of every sheet, the sheet, cell, fill colour and comment text.
const READ_COMMENTS: &str = r#"
import json, sys, openpyxl
out = {}
for path in json.loads(sys.argv[1]):
    wb = openpyxl.load_workbook(path)
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.comment is not None:
                    found.append([ws.title, c.coordinate, c.fill.fgColor.rgb, c.comment.text])
    out[path] = found
print(json.dumps(out))
"#;

/// Runs `script` with `args` in Python; `None` when Python or openpyxl is missing (a
/// failure under HRCITIES_REQUIRE_TOOLS).
fn openpyxl(script: &str, args: &[&str]) -> Option<String> {
    let probe = std::process::Command::new("python3").args(["-c", "import openpyxl"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        assert!(
            std::env::var_os("HRCITIES_REQUIRE_TOOLS").is_none(),
            "python3 with openpyxl is required but not installed"
        );
        eprintln!("skipped: python3 with openpyxl is not installed");
        return None;
    }
    let o = std::process::Command::new("python3").arg("-c").arg(script).args(args).output().ok()?;
    assert!(o.status.success(), "python: {}", String::from_utf8_lossy(&o.stderr));
    Some(String::from_utf8_lossy(&o.stdout).into_owned())
}

/// The comments LibreOffice finds in the workbook at `xlsx` (converted headless to .ods,
/// with its own profile in `tmp`): sheet, 0-based row and column, text.
fn libreoffice_comments(xlsx: &Path, tmp: &Path) -> Vec<(String, usize, usize, String)> {
    use quick_xml::events::Event;
    let out = tmp.join("ods");
    let profile = format!("-env:UserInstallation=file://{}", tmp.join("lo-profile").display());
    let o = std::process::Command::new("soffice")
        .args([profile.as_str(), "--headless", "--convert-to", "ods", "--outdir"])
        .arg(&out)
        .arg(xlsx)
        .output()
        .expect("soffice runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ods = out.join(xlsx.with_extension("ods").file_name().unwrap());
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&ods).expect("ods")).expect("zip");
    let mut content = String::new();
    zip.by_name("content.xml").unwrap().read_to_string(&mut content).unwrap();
    let mut reader = quick_xml::Reader::from_str(&content);
    let attr = |e: &quick_xml::events::BytesStart<'_>, key: &str| {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == key.as_bytes())
            .map(|a| a.unescape_value().unwrap().into_owned())
    };
    let repeat = |e: &quick_xml::events::BytesStart<'_>, key: &str| {
        attr(e, key).and_then(|v| v.parse::<usize>().ok()).unwrap_or(1)
    };
    let (mut sheet, mut row, mut col) = (String::new(), 0usize, 0usize);
    let (mut rows_here, mut cols_here) = (1usize, 1usize);
    let (mut in_note, mut in_p, mut text) = (false, false, Vec::<String>::new());
    let mut found = Vec::new();
    loop {
        let event = reader.read_event().expect("content.xml");
        let (e, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let (Some(e), false) = (e, in_note) {
            match e.name().as_ref() {
                b"table:table" => {
                    sheet = attr(e, "table:name").unwrap_or_default();
                    row = 0;
                }
                b"table:table-row" => {
                    rows_here = repeat(e, "table:number-rows-repeated");
                    col = 0;
                    if empty {
                        row += rows_here;
                    }
                }
                b"table:table-cell" | b"table:covered-table-cell" => {
                    cols_here = repeat(e, "table:number-columns-repeated");
                    if empty {
                        col += cols_here;
                    }
                }
                b"office:annotation" if !empty => {
                    in_note = true;
                    text.clear();
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(e) if e.name().as_ref() == b"text:p" => {
                in_p = true;
                text.push(String::new());
            }
            Event::Empty(e) if in_p && e.name().as_ref() == b"text:line-break" => {
                text.last_mut().unwrap().push('\n');
            }
            Event::Empty(e) if in_p && e.name().as_ref() == b"text:s" => {
                let n = repeat(&e, "text:c");
                text.last_mut().unwrap().push_str(&" ".repeat(n));
            }
            Event::Text(t) if in_p => {
                text.last_mut().unwrap().push_str(&t.xml_content().unwrap());
            }
            Event::GeneralRef(r) if in_p => {
                let ch = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match &*r {
                        b"lt" => "<",
                        b"gt" => ">",
                        b"amp" => "&",
                        b"quot" => "\"",
                        b"apos" => "'",
                        _ => "?",
                    }
                    .to_string(),
                };
                text.last_mut().unwrap().push_str(&ch);
            }
            Event::End(e) => match e.name().as_ref() {
                b"text:p" => in_p = false,
                b"office:annotation" => {
                    in_note = false;
                    found.push((sheet.clone(), row, col, text.join("\n")));
                }
                b"table:table-cell" | b"table:covered-table-cell" => col += cols_here,
                b"table:table-row" => row += rows_here,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    found
}

/// The letter's stem of a row of feedback.csv (`FRA-valbrume-sur-loirette-2026`).
fn stem(row: &BTreeMap<String, String>) -> String {
    row["message"].trim_end_matches(".txt").to_string()
}

#[test]
fn each_return_with_a_problem_cell_gets_its_own_workbook_marked_and_otherwise_unchanged() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let samples = vec![root().join("sample-data")];
    let (dir, _) = feedback(tmp.path(), &samples);
    let located = located(&samples);
    let rows = index(&dir);
    assert!(!rows.is_empty());
    let mut copies = Vec::new();
    for row in &rows {
        let file = &row["file"];
        let annotated = &row["annotated"];
        let note = &row["annotated_note"];
        // A copy for each .xlsx return with at least one problem in a cell, and only them.
        match located.get(file) {
            Some(_) if file.ends_with(".xlsx") => {
                assert_eq!(annotated, &format!("{}-annotated.xlsx", stem(row)), "{file}");
                assert!(note.is_empty(), "{file}: {note}");
                copies.push((sample(file), dir.join(annotated), row["language"].clone()));
            }
            _ => {
                assert!(annotated.is_empty(), "{file}: {annotated}");
                assert!(note.starts_with("no annotated copy"), "{file}: {note}");
            }
        }
        if file.ends_with(".ods") || file.ends_with(".xls") {
            assert!(note.contains(".ods") || note.contains(".xls"), "{file}: {note}");
        }
    }
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("-annotated"))
        .collect();
    assert_eq!(on_disk.len(), copies.len(), "{on_disk:?}");
    assert!(copies.len() >= 12, "{} copies", copies.len());

    let fill = |severity: &str| if severity == "error" { "FFF4B183" } else { "FFFFE699" };
    for (original, copy, _) in &copies {
        let name = original.file_name().unwrap().to_string_lossy().into_owned();
        // The same values on every sheet.
        assert_eq!(values(original), values(copy), "{name}");
        // Every other entry the same bytes; the changed ones are the styles, the content
        // types and one sheet per sheet with a problem; the new ones are comments, their
        // drawings and the sheets' relationships.
        let (before, after) = (entries(original), entries(copy));
        let sheets: BTreeSet<&String> = located[&name].iter().map(|(s, _, _)| s).collect();
        let mut changed_sheets = 0;
        for (entry, bytes) in &before {
            let same = after.get(entry).is_some_and(|b| b == bytes);
            if entry.starts_with("xl/worksheets/sheet") && !same {
                changed_sheets += 1;
                let xml = String::from_utf8(after[entry].clone()).unwrap();
                assert!(xml.contains("<legacyDrawing "), "{name}: {entry}");
            } else if !same {
                assert!(
                    entry == "xl/styles.xml" || entry == "[Content_Types].xml",
                    "{name}: {entry} changed"
                );
            }
        }
        assert_eq!(changed_sheets, sheets.len(), "{name}");
        for entry in after.keys().filter(|e| !before.contains_key(*e)) {
            let new = (entry.starts_with("xl/comments") && entry.ends_with(".xml"))
                || (entry.starts_with("xl/drawings/vmlDrawing") && entry.ends_with(".vml"))
                || (entry.starts_with("xl/worksheets/_rels/") && entry.ends_with(".xml.rels"));
            assert!(new, "{name}: new entry {entry}");
        }
    }

    // openpyxl finds a comment on each problem cell and nowhere else, the cell filled in
    // the colour of its problem, the comment by the campaign in the letter's language.
    let paths: Vec<String> = copies.iter().map(|(_, c, _)| c.display().to_string()).collect();
    if let Some(json) = openpyxl(READ_COMMENTS, &[&serde_json::to_string(&paths).unwrap()]) {
        let found: BTreeMap<String, Vec<(String, String, String, String)>> =
            serde_json::from_str(&json).expect("json");
        for (original, copy, lang) in &copies {
            let name = original.file_name().unwrap().to_string_lossy().into_owned();
            let mut want: BTreeMap<(String, String), String> = BTreeMap::new();
            for (sheet, cell, severity) in &located[&name] {
                let worst = want.entry((sheet.clone(), cell.clone())).or_insert(severity.clone());
                if severity == "error" {
                    *worst = severity.clone();
                }
            }
            let got = &found[&copy.display().to_string()];
            let cells: BTreeSet<(String, String)> =
                got.iter().map(|(s, c, _, _)| (s.clone(), c.clone())).collect();
            assert_eq!(cells, want.keys().cloned().collect(), "{name}");
            let author = match lang.as_str() {
                "es" => "Campaña:",
                "fr" => "Campagne:",
                _ => "Campaign:",
            };
            for (sheet, cell, rgb, text) in got {
                assert!(text.starts_with(author), "{name} {sheet}!{cell}: {text}");
                assert_eq!(rgb, fill(&want[&(sheet.clone(), cell.clone())]), "{name} {cell}");
                // The letter's words, without diagnostic codes.
                let code =
                    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).find(|w| {
                        (w.starts_with("E-") || w.starts_with("W-"))
                            && w[2..].chars().all(|c| c.is_ascii_uppercase() || c == '-')
                    });
                assert!(code.is_none(), "{name}: {code:?} in {text}");
            }
        }
        let valbrume = &found
            [&dir.join("FRA-valbrume-sur-loirette-2026-annotated.xlsx").display().to_string()];
        let (_, cell, _, text) = &valbrume[0];
        assert_eq!(cell, "C8");
        assert!(text.contains("Point 1 de notre lettre, à corriger"), "{text}");
        assert!(text.contains("Le problème") && text.contains("Comment corriger"), "{text}");
        assert!(text.contains("« 55 » dans la cellule C8"), "{text}");
    }
}

#[test]
fn libreoffice_shows_the_comments_on_the_right_cells_in_the_letters_language() {
    if !have("soffice", "--version") {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let inputs: Vec<PathBuf> = [
        "valbrume-sur-loirette-2026.xlsx",
        "nyota-bay-2027.xlsx",
        "villa-esperanza-del-sur-2026.xlsx",
    ]
    .iter()
    .map(|n| sample(n))
    .collect();
    let (dir, _) = feedback(tmp.path(), &inputs);
    for (copy, sheet, cell, words) in [
        (
            "FRA-valbrume-sur-loirette-2026-annotated.xlsx",
            "01 Logement",
            "C8",
            ["Campagne:", "Le problème : Le nombre de ménages expulsés relogés"],
        ),
        (
            "KEN-nyota-bay-2027-annotated.xlsx",
            "UN recommendations",
            "A9",
            ["Campaign:", "the recommendation KE-NAP-2024-17 is not one this workbook listed"],
        ),
        (
            "COL-villa-esperanza-del-sur-2026-annotated.xlsx",
            "Perfil",
            "C12",
            ["Campaña:", "Qué ocurre:"],
        ),
    ] {
        let found = libreoffice_comments(&dir.join(copy), tmp.path());
        let at = hrcities::questionnaire::CellRef::parse(cell).unwrap();
        let here: Vec<&(String, usize, usize, String)> = found
            .iter()
            .filter(|(s, r, c, _)| s == sheet && *r == at.row as usize && *c == at.col as usize)
            .collect();
        assert_eq!(here.len(), 1, "{copy}: {found:?}");
        for w in words {
            assert!(here[0].3.contains(w), "{copy}: {w:?} not in {}", here[0].3);
        }
        // Every comment LibreOffice finds is one of the campaign's.
        for (s, r, c, text) in &found {
            assert!(text.starts_with(words[0]), "{copy}: {s} {r} {c}: {text}");
        }
    }
}

/// `hostile-2026.xlsx` with its `Maybe` (an answer to a yes/no question, quoted in the
/// diagnostic's message) replaced by `text`, written as `dir/name`.
fn with_answer(text: &str, dir: &Path, name: &str) -> PathBuf {
    let src = root().join("tests/fixtures/hostile/hostile-2026.xlsx");
    let path = dir.join(name);
    crate::common::with_shared_strings(&src, &path, |xml| {
        assert!(xml.contains("<t>Maybe</t>"));
        xml.replace("<t>Maybe</t>", &format!("<t xml:space=\"preserve\">{text}</t>"))
    });
    path
}

#[test]
fn hostile_answers_give_a_well_formed_workbook() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let returns = tmp.path().join("returns");
    std::fs::create_dir_all(&returns).unwrap();
    // Markup, a CDATA end, a formula, a control character (`_x0001_`, which calamine reads
    // as U+0001 and XML 1.0 forbids) and an escaped character Excel would decode.
    let answer = "&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &amp; \
                  =HYPERLINK(&quot;http://evil.example&quot;) _x0001_ _x005F_x0041_";
    let path = with_answer(answer, &returns, "hostile-2026.xlsx");
    let (dir, _) = feedback(tmp.path(), std::slice::from_ref(&returns));
    let rows = index(&dir);
    assert_eq!(rows.len(), 1);
    let copy = dir.join(&rows[0]["annotated"]);
    assert!(copy.is_file(), "{:?}", rows[0]);
    assert_eq!(values(&path), values(&copy));
    // Every XML part is well-formed.
    let mut comments = String::new();
    for (entry, bytes) in entries(&copy) {
        if entry.ends_with(".vml") || !(entry.ends_with(".xml") || entry.ends_with(".rels")) {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap_or_else(|_| panic!("{entry}: not UTF-8"));
        let mut reader = quick_xml::Reader::from_str(&text);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{entry}: {e}"),
            }
        }
        if entry.starts_with("xl/comments") {
            comments += &text;
        }
    }
    assert!(comments.contains("&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &amp;"), "{comments}");
    assert!(!comments.contains('\u{1}') && comments.contains("_x005F_x0041_"), "{comments}");
    if let Some(json) =
        openpyxl(READ_COMMENTS, &[&serde_json::to_string(&[copy.display().to_string()]).unwrap()])
    {
        let found: BTreeMap<String, Vec<(String, String, String, String)>> =
            serde_json::from_str(&json).unwrap();
        let texts: Vec<&String> = found.values().flatten().map(|c| &c.3).collect();
        assert!(
            texts.iter().any(|t| t
                .contains("<script>alert(1)</script> ]]> & =HYPERLINK(\"http://evil.example\")")),
            "{texts:?}"
        );
    }
    if have("soffice", "--version") {
        let found = libreoffice_comments(&copy, tmp.path());
        assert!(
            found.iter().any(|(_, _, _, t)| t.contains("<script>alert(1)</script>")),
            "{found:?}"
        );
    }
}

#[test]
fn a_workbook_that_cannot_be_annotated_is_reported_and_stops_no_other() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let returns = tmp.path().join("returns");
    std::fs::create_dir_all(&returns).unwrap();
    // calamine reads a workbook without [Content_Types].xml; an annotated copy needs it.
    let src = sample("valbrume-sur-loirette-2026.xlsx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(
        std::fs::File::create(returns.join("valbrume-sur-loirette-2026.xlsx")).unwrap(),
    );
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).unwrap();
        if f.name().unwrap() != "[Content_Types].xml" {
            out.raw_copy_file(f).unwrap();
        }
    }
    out.finish().unwrap();
    std::fs::copy(sample("nyota-bay-2027.xlsx"), returns.join("nyota-bay-2027.xlsx")).unwrap();
    let (dir, stderr) = feedback(tmp.path(), &[returns]);
    let rows = index(&dir);
    let broken = rows.iter().find(|r| r["file"] == "valbrume-sur-loirette-2026.xlsx").unwrap();
    assert!(broken["annotated"].is_empty());
    assert!(broken["annotated_note"].contains("could not be annotated"), "{broken:?}");
    assert!(stderr.contains("valbrume-sur-loirette-2026.xlsx: no annotated copy"), "{stderr}");
    let good = rows.iter().find(|r| r["file"] == "nyota-bay-2027.xlsx").unwrap();
    assert!(dir.join(&good["annotated"]).is_file(), "{good:?}");
    // The broken return still gets its letter.
    assert!(dir.join(&broken["message"]).is_file());
}
