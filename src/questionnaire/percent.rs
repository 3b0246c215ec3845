//! Finds the cells of an .xlsx / .xlsm workbook that are formatted as percentages.
//!
//! Someone who types `45%` in Excel gets the number 0.45 in a cell formatted `0%`; calamine
//! gives the number but not the format, so the reader looks at the styles itself
//! (Contract 2: such a cell holds a fraction, 0.45 → 45 points). Anything it cannot read
//! simply yields no percent cells: the answers are still read, as plain numbers.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Seek};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::CellRef;

/// Percent-formatted cells, by sheet name.
pub type PercentCells = HashMap<String, HashSet<CellRef>>;

/// At most this much XML is read from one part: a second guard, as the whole archive has
/// already been inflated within `--max-unzipped-mb` (`limits::check_unzipped`).
const MAX_PART: u64 = 256 * 1024 * 1024;

/// The percent-formatted cells of every sheet of the workbook `file` (an .xlsx or .xlsm).
pub fn percent_cells<R: Read + Seek>(file: R) -> PercentCells {
    let Ok(mut zip) = zip::ZipArchive::new(file) else {
        return PercentCells::new();
    };
    let styles = part(&mut zip, "xl/styles.xml").map(|x| percent_styles(&x)).unwrap_or_default();
    if styles.is_empty() {
        return PercentCells::new();
    }
    let targets =
        part(&mut zip, "xl/_rels/workbook.xml.rels").map(|x| relationships(&x)).unwrap_or_default();
    let sheets = part(&mut zip, "xl/workbook.xml").map(|x| sheet_ids(&x)).unwrap_or_default();
    let mut out = PercentCells::new();
    for (name, rid) in sheets {
        let Some(target) = targets.get(&rid) else { continue };
        let target = target.trim_start_matches('/');
        let full =
            if target.starts_with("xl/") { target.to_string() } else { format!("xl/{target}") };
        if let Some(xml) = part(&mut zip, &full) {
            let cells = styled_cells(&xml, &styles);
            if !cells.is_empty() {
                out.insert(name, cells);
            }
        }
    }
    out
}

fn part<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, name: &str) -> Option<Vec<u8>> {
    let entry = zip.by_name(name).ok()?;
    let mut buf = Vec::new();
    entry.take(MAX_PART).read_to_end(&mut buf).ok()?;
    Some(buf)
}

fn attr(e: &BytesStart<'_>, key: &[u8]) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.local_name().as_ref() == key).map(|a| {
        let raw = String::from_utf8_lossy(&a.value).into_owned();
        quick_xml::escape::unescape(&raw).map(|v| v.into_owned()).unwrap_or(raw)
    })
}

/// Calls `f` on every start or empty element.
fn each_element(xml: &[u8], mut f: impl FnMut(&BytesStart<'_>, bool)) {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => f(&e, false),
            Ok(Event::Empty(e)) => f(&e, true),
            Ok(Event::End(e)) if e.local_name().as_ref() == b"cellXfs" => {
                f(&BytesStart::new("/cellXfs"), true)
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
}

/// Whether a number format shows a percentage: `%` outside quotes and escapes.
fn is_percent_format(code: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

/// The indices of the cell styles (`cellXfs`) whose number format is a percentage.
fn percent_styles(xml: &[u8]) -> HashSet<usize> {
    let mut custom: HashMap<String, bool> = HashMap::new();
    let mut in_xfs = false;
    let mut index = 0;
    let mut out = HashSet::new();
    each_element(xml, |e, _| match e.local_name().as_ref() {
        b"numFmt" => {
            if let (Some(id), Some(code)) = (attr(e, b"numFmtId"), attr(e, b"formatCode")) {
                custom.insert(id, is_percent_format(&code));
            }
        }
        b"cellXfs" => in_xfs = true,
        b"/cellXfs" => in_xfs = false,
        b"xf" if in_xfs => {
            let id = attr(e, b"numFmtId").unwrap_or_default();
            let builtin = id == "9" || id == "10";
            if builtin || custom.get(&id).copied().unwrap_or(false) {
                out.insert(index);
            }
            index += 1;
        }
        _ => {}
    });
    out
}

fn relationships(xml: &[u8]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    each_element(xml, |e, _| {
        if e.local_name().as_ref() == b"Relationship" {
            if let (Some(id), Some(target)) = (attr(e, b"Id"), attr(e, b"Target")) {
                out.insert(id, target);
            }
        }
    });
    out
}

fn sheet_ids(xml: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    each_element(xml, |e, _| {
        if e.local_name().as_ref() == b"sheet" {
            if let (Some(name), Some(id)) = (attr(e, b"name"), attr(e, b"id")) {
                out.push((name, id));
            }
        }
    });
    out
}

fn styled_cells(xml: &[u8], styles: &HashSet<usize>) -> HashSet<CellRef> {
    let mut out = HashSet::new();
    each_element(xml, |e, _| {
        if e.local_name().as_ref() != b"c" {
            return;
        }
        let style = attr(e, b"s").and_then(|s| s.parse::<usize>().ok());
        if style.is_some_and(|s| styles.contains(&s)) {
            if let Some(cell) = attr(e, b"r").and_then(|r| CellRef::parse(&r)) {
                out.insert(cell);
            }
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_percent_formats() {
        assert!(is_percent_format("0%"));
        assert!(is_percent_format("0.0 %"));
        assert!(!is_percent_format("0.0\\%"));
        assert!(!is_percent_format("0\" %\""));
        assert!(!is_percent_format("#,##0.00"));
    }

    #[test]
    fn finds_percent_styles_and_cells() {
        let styles = br#"<styleSheet><numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>
            <cellStyleXfs><xf numFmtId="9"/></cellStyleXfs>
            <cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="9"/><xf numFmtId="164"/><xf numFmtId="2"/></cellXfs></styleSheet>"#;
        let found = percent_styles(styles);
        assert_eq!(found, HashSet::from([1, 2]), "cellStyleXfs do not count");
        let sheet = br#"<worksheet><sheetData><row r="3"><c r="B3" s="1"><v>0.45</v></c><c r="C3" s="3"><v>2</v></c><c r="D3" s="2"/></row></sheetData></worksheet>"#;
        let cells = styled_cells(sheet, &found);
        assert_eq!(cells, HashSet::from([CellRef::new(2, 1), CellRef::new(2, 3)]));
    }
}
