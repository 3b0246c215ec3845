//! What calamine does not tell about the cells of an .xlsx / .xlsm workbook, read from the
//! sheets' XML in one pass:
//!
//! - which cells are formatted as percentages: someone who types `45%` in Excel gets the
//!   number 0.45 in a cell formatted `0%`; calamine gives the number but not the format
//!   (Contract 2: such a cell holds a fraction, 0.45 → 45 points);
//! - which cells hold a formula whose result was never saved (a file written by a program
//!   that does not calculate): calamine reads them as empty, which would report the answer
//!   as missing when the city did write something;
//! - which cells are merged: a merged area keeps the value of its first cell only.
//!
//! Anything it cannot read simply yields nothing: the answers are still read.

use std::collections::{HashMap, HashSet};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::limits::Parts;
use super::CellRef;

/// What one sheet's XML says about its cells.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    /// Cells formatted as percentages.
    pub percent: HashSet<CellRef>,
    /// Cells with a formula and no saved result, with the formula's text.
    pub formula_only: HashMap<CellRef, String>,
    /// Merged areas, as first and last cell.
    pub merged: Vec<(CellRef, CellRef)>,
}

/// [`Facts`] by sheet name.
pub type SheetFacts = HashMap<String, Facts>;

/// The [`Facts`] of every sheet of a workbook (an .xlsx or .xlsm), from its inflated parts.
pub fn sheet_facts(parts: &Parts) -> SheetFacts {
    let styles = parts.get("xl/styles.xml").map(percent_styles).unwrap_or_default();
    let targets = parts.get("xl/_rels/workbook.xml.rels").map(relationships).unwrap_or_default();
    let sheets = parts.get("xl/workbook.xml").map(sheet_ids).unwrap_or_default();
    let mut out = SheetFacts::new();
    for (name, rid) in sheets {
        let Some(target) = targets.get(&rid) else { continue };
        let target = target.trim_start_matches('/');
        let full =
            if target.starts_with("xl/") { target.to_string() } else { format!("xl/{target}") };
        if let Some(xml) = parts.get(&full) {
            let facts = facts(xml, &styles);
            if facts != Facts::default() {
                out.insert(name, facts);
            }
        }
    }
    out
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

/// The facts of one sheet's XML. A sheet with no formula, elements without a namespace
/// prefix and attributes written `name="value"` (as Excel, LibreOffice and hrcities write
/// them) is searched for its `<c>` and `<mergeCell>` tags only, which is several times
/// faster than reading every element; any other sheet is read element by element
/// ([`facts_by_element`]). A test checks both ways agree on every sheet of the fixtures.
fn facts(xml: &[u8], styles: &HashSet<usize>) -> Facts {
    use memchr::memmem;
    let plain = memmem::find(xml, b"<sheetData").is_some();
    let formula = [&b"<f>"[..], b"<f ", b"<f/"].iter().any(|f| memmem::find(xml, f).is_some());
    // Attributes in single quotes or with spaces around `=` are valid XML too, but no
    // spreadsheet program writes them: leave such a sheet to the element reader.
    let odd = [&b":c "[..], b"='", b" =", b"= "].iter().any(|p| memmem::find(xml, p).is_some());
    if !plain || formula || odd {
        return facts_by_element(xml, styles);
    }
    let mut out = Facts::default();
    // The value of the attribute `key` (`r="`) in `tag`, the text of one start tag.
    fn value<'t>(tag: &'t [u8], key: &[u8]) -> Option<&'t str> {
        let mut from = 0;
        while let Some(at) = memmem::find(&tag[from..], key) {
            let start = from + at;
            // The attribute's name must stand alone (` r="`, not ` xr="`).
            if start > 0 && tag[start - 1].is_ascii_whitespace() {
                let rest = &tag[start + key.len()..];
                let end = memchr::memchr(b'"', rest)?;
                return std::str::from_utf8(&rest[..end]).ok();
            }
            from = start + key.len();
        }
        None
    }
    let tags = |name: &'static [u8]| {
        memmem::find_iter(xml, name).filter_map(move |at| {
            let rest = &xml[at..];
            memchr::memchr(b'>', rest).map(|end| &rest[..end])
        })
    };
    if !styles.is_empty() {
        for tag in tags(b"<c ") {
            let Some(style) = value(tag, b"s=\"").and_then(|s| s.parse::<usize>().ok()) else {
                continue;
            };
            if styles.contains(&style) {
                if let Some(c) = value(tag, b"r=\"").and_then(CellRef::parse) {
                    out.percent.insert(c);
                }
            }
        }
    }
    for tag in tags(b"<mergeCell ") {
        let area = value(tag, b"ref=\"").unwrap_or_default();
        let mut ends = area.split(':').filter_map(CellRef::parse);
        if let (Some(a), Some(b)) = (ends.next(), ends.next()) {
            out.merged.push((a, b));
        }
    }
    out
}

/// The facts of one sheet's XML, read element by element.
fn facts_by_element(xml: &[u8], styles: &HashSet<usize>) -> Facts {
    let mut out = Facts::default();
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    // The cell being read, its formula and whether it has a saved value.
    let (mut cell, mut formula, mut valued) = (None::<CellRef>, None::<String>, false);
    let mut in_f = false;
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => break,
            Ok(e) => e,
        };
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.local_name().as_ref() {
                    b"c" => {
                        // The cell's reference and style, read without copying: this runs
                        // for every cell of every sheet.
                        let (mut r, mut style) = (None, None);
                        for a in e.attributes().flatten() {
                            match a.key.local_name().as_ref() {
                                b"r" => {
                                    r = std::str::from_utf8(&a.value).ok().and_then(CellRef::parse)
                                }
                                b"s" if !styles.is_empty() => {
                                    style = std::str::from_utf8(&a.value)
                                        .ok()
                                        .and_then(|s| s.parse::<usize>().ok())
                                }
                                _ => {}
                            }
                        }
                        cell = r;
                        (formula, valued) = (None, false);
                        if let (Some(c), true) = (cell, style.is_some_and(|s| styles.contains(&s)))
                        {
                            out.percent.insert(c);
                        }
                    }
                    b"f" => {
                        // A shared formula's other cells carry only a reference to it.
                        formula = Some(String::new());
                        in_f = !empty;
                    }
                    // A saved result, even an empty one (a formula may give "").
                    b"v" | b"is" => valued = true,
                    b"mergeCell" => {
                        let area = attr(e, b"ref").unwrap_or_default();
                        let mut ends = area.split(':').filter_map(CellRef::parse);
                        if let (Some(a), Some(b)) = (ends.next(), ends.next()) {
                            out.merged.push((a, b));
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_f => {
                let text = String::from_utf8_lossy(t);
                let text = quick_xml::escape::unescape(&text).map(|v| v.into_owned());
                if let (Some(f), Ok(text)) = (formula.as_mut(), text) {
                    f.push_str(&text);
                }
            }
            // quick-xml reports `&amp;` and the like apart from the text around them.
            Event::GeneralRef(r) if in_f => {
                let entity = format!("&{};", String::from_utf8_lossy(r));
                let text = quick_xml::escape::unescape(&entity).map(|v| v.into_owned());
                if let (Some(f), Ok(text)) = (formula.as_mut(), text) {
                    f.push_str(&text);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"f" => in_f = false,
                b"c" => {
                    if let (Some(c), Some(f), false) = (cell, formula.take(), valued) {
                        out.formula_only.insert(c, f);
                    }
                    cell = None;
                }
                _ => {}
            },
            _ => {}
        }
        buf.clear();
    }
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
        let cells = facts(sheet, &found).percent;
        assert_eq!(cells, HashSet::from([CellRef::new(2, 1), CellRef::new(2, 3)]));
        assert_eq!(facts_by_element(sheet, &found).percent, cells, "both ways");
    }

    #[test]
    fn finds_formulas_without_results_and_merged_cells() {
        let sheet = br#"<worksheet><sheetData><row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1"><f>SUM(A1:A3)&amp;"x"</f></c><c r="C1"><f>2*2</f></c><c r="D1"><v>5</v></c><c r="E1" t="str"><f>IF(D1,"","x")</f><v></v></c></row></sheetData><mergeCells count="1"><mergeCell ref="C11:C12"/></mergeCells></worksheet>"#;
        let f = facts(sheet, &HashSet::new());
        assert_eq!(
            f.formula_only.get(&CellRef::new(0, 1)).map(String::as_str),
            Some("SUM(A1:A3)&\"x\"")
        );
        assert_eq!(f.formula_only.get(&CellRef::new(0, 2)).map(String::as_str), Some("2*2"));
        assert_eq!(f.formula_only.len(), 2, "A1 and E1 have results (E1's empty), D1 no formula");
        assert_eq!(f.merged, vec![(CellRef::new(10, 2), CellRef::new(11, 2))]);
    }

    /// The facts of every sheet of `parts`, by the quick search and element by element.
    fn both_ways(parts: &Parts) -> Vec<(Facts, Facts)> {
        let styles = parts.get("xl/styles.xml").map(percent_styles).unwrap_or_default();
        let mut out = Vec::new();
        for i in 1..=40 {
            if let Some(xml) = parts.get(&format!("xl/worksheets/sheet{i}.xml")) {
                out.push((facts(xml, &styles), facts_by_element(xml, &styles)));
            }
        }
        out
    }

    #[test]
    fn the_quick_search_finds_what_reading_every_element_finds() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sheets = 0;
        for dir in ["sample-data", "tests/fixtures/bad", "tests/fixtures/formats"] {
            for entry in std::fs::read_dir(root.join(dir)).expect("folder") {
                let path = entry.expect("entry").path();
                // A sheet whose XML is broken is refused before this matters; the element
                // reader stops at the break, the search does not.
                if path.extension().is_none_or(|e| e != "xlsx")
                    || path.ends_with("malformed-xml.xlsx")
                {
                    continue;
                }
                let bytes = std::fs::read(&path).expect("file");
                if !bytes.starts_with(b"PK") {
                    continue;
                }
                let Ok(parts) = super::super::limits::inflate(&bytes, 64 << 20) else { continue };
                for (quick, full) in both_ways(&parts) {
                    assert_eq!(quick, full, "{}", path.display());
                    sheets += 1;
                }
            }
        }
        assert!(sheets > 300, "{sheets} sheets");
    }
}
