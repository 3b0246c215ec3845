//! The city's own workbook with its problems marked, beside each letter of `validate
//! --feedback DIR`: a copy of a returned `.xlsx` or `.xlsm` in which every cell a diagnostic
//! points at is highlighted (light orange for an error, light yellow for a warning, the
//! cell's other formatting kept) and carries a comment by "Campaign", in the letter's
//! language and words, saying what is wrong and how to fix it.
//!
//! Everything else is the city's workbook unchanged. The copy is made entry by entry: every
//! zip entry that need not change is copied as it is (its compressed bytes and all), and
//! the few that must change are edited as XML text, quick-xml telling where each element
//! starts and ends:
//!
//! - `xl/styles.xml`: two fills, and for each problem cell a copy of its `xf` with the new
//!   fill, appended to `cellXfs` (the counts bumped);
//! - the sheets with problems: the cells' `s` pointed at those copies (a problem cell that
//!   is not in the sheet's XML is inserted in its row, in column order), and a
//!   `<legacyDrawing>` at its place in the schema;
//! - the sheets' relationships and `[Content_Types].xml`;
//! - new parts: the comments (`xl/commentsN.xml`) and the legacy VML drawing that Excel
//!   (and some LibreOffice versions) need to show them (`xl/drawings/vmlDrawingN.vml`). A
//!   sheet that already has comments or a legacy drawing gets the new comments added to
//!   its own parts; when those cannot be extended safely, its cells are highlighted without
//!   comments and the letter's reference line says so.
//!
//! Text from returns and messages is escaped, characters XML 1.0 forbids are dropped, and
//! every edited part is read back as XML before the copy is kept: a workbook that cannot be
//! annotated safely gets no copy (the reason goes to stderr and feedback.csv), never a
//! damaged one.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read as _, Write as _};
use std::ops::Range;
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use super::batch::FileResult;
use super::feedback::{self, Letter};
use crate::framework::{Framework, Severity};
use crate::i18n::{tr, trf, Lang};
use crate::questionnaire::limits::Limits;
use crate::questionnaire::CellRef;

/// The fill of a cell with an error: light orange.
const ERROR_FILL: &str = "FFF4B183";
/// The fill of a cell with a warning: light yellow.
const WARNING_FILL: &str = "FFFFE699";
/// The extensions of the returns that get an annotated copy.
pub const EXTENSIONS: [&str; 2] = ["xlsx", "xlsm"];
/// The longest comment, in characters (Excel keeps 32,767 in a cell).
const COMMENT_CHARS: usize = 32_000;

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PACKAGE_RELS_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const COMMENTS_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml";
const VML_TYPE: &str = "application/vnd.openxmlformats-officedocument.vmlDrawing";
const VML_V: &str = "urn:schemas-microsoft-com:vml";
const VML_O: &str = "urn:schemas-microsoft-com:office:office";
const VML_X: &str = "urn:schemas-microsoft-com:office:excel";

/// A comment to put on one cell of one sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct CellNote {
    /// The sheet, as the diagnostic names it.
    pub sheet: String,
    pub cell: CellRef,
    /// An error makes the cell orange, a warning yellow.
    pub severity: Severity,
    /// What is wrong and how to fix it, in the letter's words.
    pub text: String,
}

/// A workbook with its problem cells marked.
#[derive(Debug, Default)]
pub struct Annotated {
    /// The annotated workbook.
    pub bytes: Vec<u8>,
    /// Cells highlighted.
    pub highlighted: usize,
    /// Cells given a comment.
    pub commented: usize,
    /// Sheets whose cells are highlighted but got no comment: their own comments or legacy
    /// drawing could not be extended safely.
    pub without_comments: Vec<String>,
    /// Cells commented but not highlighted (a sheet whose XML leaves cell positions
    /// implicit, or a workbook without cell styles).
    pub not_highlighted: usize,
    /// Notes whose sheet is not in the workbook.
    pub sheet_missing: usize,
}

/// The comments to put on a workbook for the diagnostics of `result`, in `lang`, one per
/// diagnostic with a sheet and a cell: what the letter's item of that diagnostic says
/// (without its place, which is the cell itself), headed by the item's number in the
/// letter. Items are numbered as in the letter: errors first, then warnings.
pub fn notes(fw: &Framework, result: &FileResult, lang: Lang) -> Vec<CellNote> {
    let answers: &[super::Answer] = result.checked.as_ref().map_or(&[], |c| &c.answers);
    let ordered = [Severity::Error, Severity::Warning]
        .into_iter()
        .flat_map(|sev| result.diagnostics.iter().filter(move |d| d.severity == sev));
    let mut out = Vec::new();
    for (i, d) in ordered.enumerate() {
        let n = i + 1;
        let (Some(sheet), Some(cell)) = (&d.sheet, d.cell) else { continue };
        let item = feedback::item(fw, d, answers, n, lang);
        let place = trf(lang, "fb.where_cell", &[("sheet", sheet), ("cell", &cell.to_string())]);
        let head = trf(
            lang,
            if d.severity == Severity::Error {
                "annotate.point_error"
            } else {
                "annotate.point_warning"
            },
            &[("n", &n)],
        );
        out.push(CellNote {
            sheet: sheet.clone(),
            cell,
            severity: d.severity,
            text: format!("{head}\n{}", item_body(&item, &format!("{n}. {place}"))),
        });
    }
    out
}

/// The letter's `item` without its number and place (`prefix`): the question, what is
/// wrong, the answers, how to fix it, one to a line. The whole item when it does not start
/// with `prefix`.
fn item_body(item: &str, prefix: &str) -> String {
    let Some(rest) = item.strip_prefix(prefix) else { return item.to_string() };
    let mut lines = rest.lines();
    let first = lines.next().unwrap_or("").trim_start_matches(" — ").trim();
    let mut chars = first.chars();
    let first: String =
        chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
    std::iter::once(first.as_str())
        .chain(lines.map(str::trim))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` as XML character data or attribute value: `&`, `<`, `>`, `"` and `'` escaped, line
/// ends made `\n`, the characters XML 1.0 forbids dropped, and each `_xHHHH_` (which Excel
/// reads as an escaped character) written so that it reads as itself.
fn escape(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let allowed =
        |c: char| matches!(c, '\t' | '\n') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}');
    let mut out = String::with_capacity(text.len() + 16);
    for (i, c) in text.char_indices() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '_' if is_ooxml_escape(&text[i..]) => out.push_str("_x005F_"),
            c if allowed(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether `s` starts with `_xHHHH_`, an escaped character to Excel.
fn is_ooxml_escape(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 7 && b[1] == b'x' && b[2..6].iter().all(u8::is_ascii_hexdigit) && b[6] == b'_'
}

// ---------------------------------------------------------------------------------------
// XML as text: where the tags are, and small edits of them.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Start,
    Empty,
    End,
}

/// One tag of a part, as [`walk`] meets it.
struct Tag<'e, 'x> {
    kind: Kind,
    /// Where the tag is: `xml[at]` is its text, from `<` to `>`.
    at: Range<usize>,
    /// 0 for the root element, 1 for its children, …
    depth: usize,
    /// The local name (`c` of `x:c`).
    local: &'e [u8],
    /// The start tag, for its name and attributes (`None` for an end tag).
    start: Option<&'e BytesStart<'x>>,
}

/// Calls `f` on every tag of `xml`, in order; fails on XML that is not well-formed, on a
/// document type declaration and on a part without a root element.
fn walk<'x>(xml: &'x str, mut f: impl FnMut(&Tag<'_, 'x>)) -> Result<(), String> {
    // A byte order mark is left out of quick-xml's count of positions: read past it.
    let bom = if xml.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let mut reader = quick_xml::Reader::from_str(&xml[bom..]);
    let mut depth = 0usize;
    let mut root = false;
    let position = |r: &quick_xml::Reader<&[u8]>| {
        usize::try_from(r.buffer_position()).ok().and_then(|p| p.checked_add(bom))
    };
    loop {
        let from = position(&reader).ok_or("a part too large")?;
        let event =
            reader.read_event().map_err(|e| format!("XML that is not well-formed ({e})"))?;
        let to = position(&reader).ok_or("a part too large")?;
        // The place of every tag is checked: an edit is only ever made at a tag.
        let tag = |kind: Kind| -> Result<(), String> {
            if xml.get(from..to).is_some_and(|t| t.starts_with('<') && t.ends_with('>')) {
                Ok(())
            } else {
                Err(format!("a {kind:?} tag at an unexpected place"))
            }
        };
        match &event {
            Event::Start(e) => {
                tag(Kind::Start)?;
                f(&Tag {
                    kind: Kind::Start,
                    at: from..to,
                    depth,
                    local: e.local_name().into_inner(),
                    start: Some(e),
                });
                depth += 1;
                root = true;
            }
            Event::Empty(e) => {
                tag(Kind::Empty)?;
                f(&Tag {
                    kind: Kind::Empty,
                    at: from..to,
                    depth,
                    local: e.local_name().into_inner(),
                    start: Some(e),
                });
                root = true;
            }
            Event::End(e) => {
                tag(Kind::End)?;
                depth = depth.checked_sub(1).ok_or("an end tag without its start")?;
                f(&Tag {
                    kind: Kind::End,
                    at: from..to,
                    depth,
                    local: e.local_name().into_inner(),
                    start: None,
                });
            }
            Event::DocType(_) => return Err("a document type declaration".into()),
            Event::Eof => break,
            _ => {}
        }
    }
    if depth != 0 || !root {
        return Err("XML that ends too soon".into());
    }
    Ok(())
}

/// The value of attribute `key` (exactly, prefix included) of `e`, unescaped.
fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.as_ref() == key.as_bytes()).map(|a| {
        a.unescape_value()
            .map(|v| v.into_owned())
            .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned())
    })
}

/// The value of the prefixed attribute whose local name is `local` (`r:id`), unescaped.
fn prefixed_attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.prefix().is_some() && a.key.local_name().as_ref() == local.as_bytes())
        .map(|a| {
            a.unescape_value()
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned())
        })
}

/// `x:` for `<x:worksheet>`, nothing for `<worksheet>`.
fn prefix_of(e: &BytesStart<'_>) -> String {
    e.name()
        .prefix()
        .map(|p| format!("{}:", String::from_utf8_lossy(p.as_ref())))
        .unwrap_or_default()
}

/// The namespace of element `e` from the declarations on it (its own root's).
fn namespace_of(e: &BytesStart<'_>) -> Option<String> {
    let key = match e.name().prefix() {
        Some(p) => format!("xmlns:{}", String::from_utf8_lossy(p.as_ref())),
        None => "xmlns".to_string(),
    };
    attr(e, &key)
}

/// The prefix `e` declares for namespace `uri` (`r` for `xmlns:r="…"`), if any.
fn prefix_for(e: &BytesStart<'_>, uri: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a.unescape_value().ok()?;
        (value == uri).then(|| key.strip_prefix("xmlns:").map(str::to_string)).flatten()
    })
}

/// The attributes of the text of a start or empty tag (`<c r="A1" s='3'/>`): each name with
/// the byte range of its value, quotes excluded. The tag is well-formed ([`walk`] met it).
fn attr_spans(tag: &str) -> Vec<(&str, Range<usize>)> {
    let b = tag.as_bytes();
    let space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r');
    let mut i = 1;
    while i < b.len() && !space(b[i]) && b[i] != b'>' && b[i] != b'/' {
        i += 1;
    }
    let mut out = Vec::new();
    loop {
        while i < b.len() && space(b[i]) {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' || b[i] == b'/' {
            break;
        }
        let name_start = i;
        while i < b.len() && b[i] != b'=' && !space(b[i]) {
            i += 1;
        }
        let name = &tag[name_start..i];
        while i < b.len() && space(b[i]) {
            i += 1;
        }
        if i >= b.len() || b[i] != b'=' {
            break;
        }
        i += 1;
        while i < b.len() && space(b[i]) {
            i += 1;
        }
        let Some(&quote) = b.get(i).filter(|q| **q == b'"' || **q == b'\'') else { break };
        let value = i + 1;
        let Some(len) = tag[value..].find(quote as char) else { break };
        out.push((name, value..value + len));
        i = value + len + 1;
    }
    out
}

/// The end of the start tag at the beginning of `text`: the index just past its `>`,
/// quotes respected.
fn start_tag_end(text: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// The start or empty tag `tag` with attribute `name` set to `value` (plain ASCII), added
/// before the tag's end when it has none.
fn set_attr(tag: &str, name: &str, value: &str) -> String {
    if let Some((_, r)) = attr_spans(tag).into_iter().find(|(n, _)| *n == name) {
        return format!("{}{value}{}", &tag[..r.start], &tag[r.end..]);
    }
    let cut = if tag.ends_with("/>") { tag.len() - 2 } else { tag.len() - 1 };
    format!("{} {name}=\"{value}\"{}", tag[..cut].trim_end(), &tag[cut..])
}

/// The empty tag `<x/>` as the start tag `<x>`.
fn opened(tag: &str) -> String {
    format!("{}>", tag.trim_end_matches('>').trim_end_matches('/').trim_end())
}

/// An edit of a part: the text at `at` replaced by `text` (an insertion when `at` is empty).
struct Splice {
    at: Range<usize>,
    text: String,
}

impl Splice {
    fn insert(at: usize, text: String) -> Splice {
        Splice { at: at..at, text }
    }
}

/// `xml` with `splices` made. Insertions at one place keep their order and come before a
/// replacement starting there; overlapping edits are refused.
fn apply(xml: &str, mut splices: Vec<Splice>) -> Result<String, String> {
    splices.sort_by_key(|s| (s.at.start, !s.at.is_empty()));
    let mut out =
        String::with_capacity(xml.len() + splices.iter().map(|s| s.text.len()).sum::<usize>());
    let mut cursor = 0;
    for s in splices {
        if s.at.start < cursor || s.at.end > xml.len() {
            return Err("two edits of the same place".into());
        }
        out.push_str(&xml[cursor..s.at.start]);
        out.push_str(&s.text);
        cursor = s.at.end;
    }
    out.push_str(&xml[cursor..]);
    Ok(out)
}

/// An element met by [`walk`]: its start (or empty) tag, and where its end tag starts
/// (`None` for an empty element).
#[derive(Clone, Debug)]
struct Block {
    open: Range<usize>,
    close: Option<usize>,
}

// ---------------------------------------------------------------------------------------
// The package: zip entries, part names, relationships.

/// A workbook's zip archive, read part by part within a budget of inflated bytes.
struct Package<'b> {
    zip: zip::ZipArchive<Cursor<&'b [u8]>>,
    names: Vec<String>,
    budget: u64,
}

impl<'b> Package<'b> {
    fn open(bytes: &'b [u8], budget: u64) -> Result<Self, String> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| format!("not a zip archive ({e})"))?;
        let mut names = Vec::with_capacity(zip.len());
        for i in 0..zip.len() {
            let entry = zip.by_index_raw(i).map_err(|e| e.to_string())?;
            names.push(entry.name().map_err(|e| e.to_string())?.into_owned());
        }
        Ok(Package { zip, names, budget })
    }

    /// The entry of part `name` (`xl/styles.xml`, `/xl/styles.xml`): the same name, or the
    /// same but for case (part names are case-insensitive).
    fn find(&self, name: &str) -> Option<&str> {
        let name = name.trim_start_matches('/');
        self.names
            .iter()
            .find(|n| *n == name)
            .or_else(|| self.names.iter().find(|n| n.eq_ignore_ascii_case(name)))
            .map(String::as_str)
    }

    /// The inflated bytes of part `name`, `None` when there is no such part.
    fn bytes(&mut self, name: &str) -> Result<Option<Vec<u8>>, String> {
        let Some(entry) = self.find(name).map(str::to_string) else { return Ok(None) };
        let mut file = self.zip.by_name(&entry).map_err(|e| format!("{entry}: {e}"))?;
        let mut data = Vec::new();
        (&mut file)
            .take(self.budget + 1)
            .read_to_end(&mut data)
            .map_err(|e| format!("{entry}: {e}"))?;
        self.budget = self
            .budget
            .checked_sub(data.len() as u64)
            .ok_or("the workbook inflates to more than the limit")?;
        Ok(Some(data))
    }

    /// The text of part `name` (UTF-8), `None` when there is no such part.
    fn text(&mut self, name: &str) -> Result<Option<String>, String> {
        match self.bytes(name)? {
            Some(b) => String::from_utf8(b)
                .map(Some)
                .map_err(|_| format!("{} is not UTF-8", name.trim_start_matches('/'))),
            None => Ok(None),
        }
    }
}

/// The folder of part `name` (`xl/worksheets` of `xl/worksheets/sheet1.xml`).
fn folder(name: &str) -> &str {
    name.rsplit_once('/').map_or("", |(d, _)| d)
}

/// The relationships part of part `name` (`xl/worksheets/_rels/sheet1.xml.rels`).
fn rels_of(name: &str) -> String {
    match name.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{name}.rels"),
    }
}

/// The part a relationship of a part in folder `base` points at, as a part name.
fn resolve(base: &str, target: &str) -> String {
    let target = percent_decoded(target);
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None if base.is_empty() => target,
        None => format!("{base}/{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// `%20` and the like decoded (a target is a URI).
fn percent_decoded(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (b[i], b.get(i + 1).copied().and_then(hex), b.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// The target of a relationship from a part in folder `from` to part `to`, relative.
fn relative(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = to.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count().min(to.len() - 1);
    format!("{}{}", "../".repeat(from.len() - common), to[common..].join("/"))
}

/// One relationship of a part.
#[derive(Clone, Debug)]
struct Rel {
    id: String,
    /// Its type, a URI ending in `/worksheet`, `/comments`, …
    kind: String,
    /// The part it points at (resolved), or the URI of an external target.
    target: String,
    external: bool,
}

/// The relationships of a part in folder `base`, from its relationships part `xml`.
fn read_rels(xml: &str, base: &str) -> Result<Vec<Rel>, String> {
    let mut out = Vec::new();
    walk(xml, |t| {
        if let (1, Some(e), b"Relationship") = (t.depth, t.start, t.local) {
            let external =
                attr(e, "TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("External"));
            let target = attr(e, "Target").unwrap_or_default();
            out.push(Rel {
                id: attr(e, "Id").unwrap_or_default(),
                kind: attr(e, "Type").unwrap_or_default(),
                target: if external { target } else { resolve(base, &target) },
                external,
            });
        }
    })?;
    Ok(out)
}

/// A relationship id not among `rels` nor `taken` (`rId7`); it is then taken.
fn fresh_id(rels: &[Rel], taken: &mut Vec<String>) -> String {
    let mut n = rels.len() + 1;
    loop {
        let id = format!("rId{n}");
        if !rels.iter().any(|r| r.id == id) && !taken.contains(&id) {
            taken.push(id.clone());
            return id;
        }
        n += 1;
    }
}

/// The relationships part `xml` (a new one when `None`) with relationships `new` (id,
/// type, target) added.
fn add_rels(xml: Option<&str>, new: &[(String, String, String)]) -> Result<String, String> {
    let Some(xml) = xml else {
        let mut out = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
             <Relationships xmlns=\"{PACKAGE_RELS_NS}\">"
        );
        for (id, kind, target) in new {
            out += &relationship("", id, kind, target);
        }
        return Ok(out + "</Relationships>");
    };
    let mut root: Option<(Block, String)> = None;
    walk(xml, |t| match (t.depth, t.kind, t.start) {
        (0, Kind::Start | Kind::Empty, Some(e)) => {
            root = Some((Block { open: t.at.clone(), close: None }, prefix_of(e)));
        }
        (0, Kind::End, _) => {
            if let Some((b, _)) = root.as_mut() {
                b.close = Some(t.at.start);
            }
        }
        _ => {}
    })?;
    let (root, p) = root.ok_or("a relationships part without relationships")?;
    let added: String =
        new.iter().map(|(id, kind, target)| relationship(&p, id, kind, target)).collect();
    let splice = match root.close {
        Some(at) => Splice::insert(at, added),
        None => Splice {
            at: root.open.clone(),
            text: format!("{}{added}</{p}Relationships>", opened(&xml[root.open.clone()])),
        },
    };
    apply(xml, vec![splice])
}

fn relationship(p: &str, id: &str, kind: &str, target: &str) -> String {
    format!(
        "<{p}Relationship Id=\"{}\" Type=\"{}\" Target=\"{}\"/>",
        escape(id),
        escape(kind),
        escape(target)
    )
}

/// A part name like `xl/comments1.xml` (`pattern` of 1, 2, …) that is neither in the
/// package nor among `taken`.
fn fresh_part(pkg: &Package<'_>, taken: &[&str], pattern: impl Fn(usize) -> String) -> String {
    (1..)
        .map(pattern)
        .find(|n| pkg.find(n).is_none() && !taken.iter().any(|t| t.eq_ignore_ascii_case(n)))
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// The styles: two fills, and a copy of each problem cell's format with one of them.

struct Styles {
    xml: String,
    prefix: String,
    fills: Option<Block>,
    fill_count: usize,
    cell_xfs: Option<Block>,
    /// Each `xf` of `cellXfs`, the whole element.
    xfs: Vec<Range<usize>>,
    new_fills: Vec<Severity>,
    new_xfs: Vec<(u32, Severity)>,
}

impl Styles {
    fn parse(xml: String) -> Result<Styles, String> {
        let mut prefix = String::new();
        let (mut fills, mut fill_count, mut cell_xfs) = (None, 0, None);
        let mut xfs: Vec<Range<usize>> = Vec::new();
        let mut xf_start = None;
        let (mut in_fills, mut in_xfs) = (false, false);
        walk(&xml, |t| match (t.depth, t.kind, t.local) {
            (0, Kind::Start, _) => prefix = t.start.map(prefix_of).unwrap_or_default(),
            (1, Kind::Start | Kind::Empty, b"fills") => {
                fills = Some(Block { open: t.at.clone(), close: None });
                in_fills = t.kind == Kind::Start;
            }
            (1, Kind::End, b"fills") => {
                if let Some(b) = fills.as_mut() {
                    b.close = Some(t.at.start);
                }
                in_fills = false;
            }
            (2, Kind::Start | Kind::Empty, b"fill") if in_fills => fill_count += 1,
            (1, Kind::Start | Kind::Empty, b"cellXfs") => {
                cell_xfs = Some(Block { open: t.at.clone(), close: None });
                in_xfs = t.kind == Kind::Start;
            }
            (1, Kind::End, b"cellXfs") => {
                if let Some(b) = cell_xfs.as_mut() {
                    b.close = Some(t.at.start);
                }
                in_xfs = false;
            }
            (2, Kind::Empty, b"xf") if in_xfs => xfs.push(t.at.clone()),
            (2, Kind::Start, b"xf") if in_xfs => xf_start = Some(t.at.start),
            (2, Kind::End, b"xf") if in_xfs => {
                if let Some(s) = xf_start.take() {
                    xfs.push(s..t.at.end);
                }
            }
            _ => {}
        })?;
        Ok(Styles {
            xml,
            prefix,
            fills,
            fill_count,
            cell_xfs,
            xfs,
            new_fills: vec![],
            new_xfs: vec![],
        })
    }

    /// The index of a cell format like format `s` but with the fill of `severity`; `None`
    /// when the workbook has no list of fills or of cell formats to add to.
    fn xf_for(&mut self, s: u32, severity: Severity) -> Option<u32> {
        self.fills.as_ref()?;
        self.cell_xfs.as_ref()?;
        let at = match self.new_xfs.iter().position(|k| *k == (s, severity)) {
            Some(i) => i,
            None => {
                if !self.new_fills.contains(&severity) {
                    self.new_fills.push(severity);
                }
                self.new_xfs.push((s, severity));
                self.new_xfs.len() - 1
            }
        };
        u32::try_from(self.xfs.len() + at).ok()
    }

    /// The styles part with the new fills and formats, `None` when nothing was added.
    fn finish(&self) -> Result<Option<String>, String> {
        let (Some(fills), Some(cell_xfs)) = (&self.fills, &self.cell_xfs) else { return Ok(None) };
        if self.new_xfs.is_empty() {
            return Ok(None);
        }
        let p = &self.prefix;
        let mut splices = Vec::new();
        let new_fills: String = self
            .new_fills
            .iter()
            .map(|sev| {
                let rgb = if *sev == Severity::Error { ERROR_FILL } else { WARNING_FILL };
                format!(
                    "<{p}fill><{p}patternFill patternType=\"solid\"><{p}fgColor rgb=\"{rgb}\"/>\
                     <{p}bgColor indexed=\"64\"/></{p}patternFill></{p}fill>"
                )
            })
            .collect();
        let count = (self.fill_count + self.new_fills.len()).to_string();
        let open = &self.xml[fills.open.clone()];
        match fills.close {
            Some(at) => {
                splices
                    .push(Splice { at: fills.open.clone(), text: set_attr(open, "count", &count) });
                splices.push(Splice::insert(at, new_fills));
            }
            None => splices.push(Splice {
                at: fills.open.clone(),
                text: format!("{}{new_fills}</{p}fills>", opened(&set_attr(open, "count", &count))),
            }),
        }
        let plain =
            format!("<{p}xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>");
        let mut new_xfs = String::new();
        for (s, sev) in &self.new_xfs {
            let fill = self.fill_count + self.new_fills.iter().position(|f| f == sev).unwrap_or(0);
            let base = self.xfs.get(*s as usize).map_or(plain.as_str(), |r| &self.xml[r.clone()]);
            let end = start_tag_end(base).ok_or("a cell format without its end")?;
            let tag =
                set_attr(&set_attr(&base[..end], "fillId", &fill.to_string()), "applyFill", "1");
            new_xfs += &tag;
            new_xfs += &base[end..];
        }
        let count = (self.xfs.len() + self.new_xfs.len()).to_string();
        let open = &self.xml[cell_xfs.open.clone()];
        match cell_xfs.close {
            Some(at) => {
                splices.push(Splice {
                    at: cell_xfs.open.clone(),
                    text: set_attr(open, "count", &count),
                });
                splices.push(Splice::insert(at, new_xfs));
            }
            None => splices.push(Splice {
                at: cell_xfs.open.clone(),
                text: format!("{}{new_xfs}</{p}cellXfs>", opened(&set_attr(open, "count", &count))),
            }),
        }
        apply(&self.xml, splices).map(Some)
    }
}

// ---------------------------------------------------------------------------------------
// A sheet: where its rows, cells and top-level elements are.

/// A `<row>` of `sheetData`.
struct Row {
    /// 1-based, as in `r="8"`.
    r: u32,
    block: Block,
    /// Whether every cell of the row says where it is (`r="C8"`): cells can be inserted.
    explicit: bool,
    /// The row's format (`s` with `customFormat="1"`).
    style: Option<u32>,
}

/// A `<c>` of a row the notes are about.
struct Cell {
    /// Index in [`SheetScan::rows`].
    row: usize,
    /// 0-based.
    col: u32,
    open: Range<usize>,
    style: u32,
}

/// What [`scan_sheet`] finds in a sheet's XML.
#[derive(Default)]
struct SheetScan {
    root_prefix: String,
    /// The namespace of the root element (SpreadsheetML's).
    main_ns: Option<String>,
    /// The prefix the root declares for relationship ids (`r`).
    rel_prefix: Option<String>,
    root_close: Option<usize>,
    dimension: Option<Range<usize>>,
    sheet_data: Option<Block>,
    rows: Vec<Row>,
    /// Whether every row says where it is, in ascending order: rows can be inserted.
    rows_in_order: bool,
    cells: Vec<Cell>,
    /// `<col min max style>`: 1-based columns and their format.
    cols: Vec<(u32, u32, u32)>,
    /// The relationship id of the sheet's `<legacyDrawing>`, if it has one.
    legacy: Option<String>,
    /// The first top-level element that comes after `<legacyDrawing>` in the schema.
    after_legacy: Option<usize>,
}

/// The top-level elements of a worksheet that come after `legacyDrawing` in the schema
/// (`mc:AlternateContent` wraps controls and OLE objects).
const AFTER_LEGACY: [&[u8]; 9] = [
    b"legacyDrawingHF",
    b"drawingHF",
    b"picture",
    b"oleObjects",
    b"controls",
    b"webPublishItems",
    b"tableParts",
    b"extLst",
    b"AlternateContent",
];

/// Scans a sheet's XML, keeping the cells of `rows` (1-based).
fn scan_sheet(xml: &str, rows: &BTreeSet<u32>, rel_ns: &str) -> Result<SheetScan, String> {
    let mut scan = SheetScan { rows_in_order: true, ..SheetScan::default() };
    let (mut in_data, mut in_cols, mut after_data) = (false, false, false);
    let mut row_at: Option<usize> = None;
    let mut last_col: Option<u32> = None;
    let mut last_row = 0u32;
    walk(xml, |t| {
        let e = t.start;
        match (t.depth, t.kind, t.local) {
            (0, Kind::Start, _) => {
                if let Some(e) = e {
                    scan.root_prefix = prefix_of(e);
                    scan.main_ns = namespace_of(e);
                    scan.rel_prefix = prefix_for(e, rel_ns);
                }
            }
            (0, Kind::End, _) => scan.root_close = Some(t.at.start),
            (1, Kind::Start | Kind::Empty, b"dimension") => scan.dimension = Some(t.at.clone()),
            (1, Kind::Start | Kind::Empty, b"cols") => in_cols = t.kind == Kind::Start,
            (1, Kind::End, b"cols") => in_cols = false,
            (2, Kind::Start | Kind::Empty, b"col") if in_cols => {
                let n =
                    |k: &str| e.and_then(|e| attr(e, k)).and_then(|v| v.trim().parse::<u32>().ok());
                if let (Some(min), Some(max), Some(style)) = (n("min"), n("max"), n("style")) {
                    scan.cols.push((min, max, style));
                }
            }
            (1, Kind::Start | Kind::Empty, b"sheetData") => {
                scan.sheet_data = Some(Block { open: t.at.clone(), close: None });
                in_data = t.kind == Kind::Start;
                after_data = t.kind == Kind::Empty;
            }
            (1, Kind::End, b"sheetData") => {
                if let Some(b) = scan.sheet_data.as_mut() {
                    b.close = Some(t.at.start);
                }
                in_data = false;
                after_data = true;
            }
            (1, Kind::Start | Kind::Empty, b"legacyDrawing") => {
                scan.legacy = e.and_then(|e| prefixed_attr(e, "id"));
            }
            (1, Kind::Start | Kind::Empty, local)
                if after_data && scan.after_legacy.is_none() && AFTER_LEGACY.contains(&local) =>
            {
                scan.after_legacy = Some(t.at.start);
            }
            (2, Kind::Start | Kind::Empty, b"row") if in_data => {
                let given = e.and_then(|e| attr(e, "r")).and_then(|v| v.trim().parse::<u32>().ok());
                let r = given.unwrap_or(last_row + 1);
                if given.is_none() || r <= last_row {
                    scan.rows_in_order = false;
                }
                last_row = r;
                let custom = e
                    .and_then(|e| attr(e, "customFormat"))
                    .is_some_and(|v| v == "1" || v == "true");
                let style = e
                    .and_then(|e| attr(e, "s"))
                    .and_then(|v| v.trim().parse::<u32>().ok())
                    .filter(|_| custom);
                scan.rows.push(Row {
                    r,
                    block: Block { open: t.at.clone(), close: None },
                    explicit: true,
                    style,
                });
                row_at = (t.kind == Kind::Start).then_some(scan.rows.len() - 1);
                last_col = None;
            }
            (2, Kind::End, b"row") if in_data => {
                if let Some(i) = row_at.take() {
                    scan.rows[i].block.close = Some(t.at.start);
                }
            }
            (3, Kind::Start | Kind::Empty, b"c") if in_data => {
                let Some(i) = row_at else { return };
                let given = e.and_then(|e| attr(e, "r")).and_then(|v| CellRef::parse(&v));
                let col = match given {
                    Some(c) if c.row + 1 == scan.rows[i].r => c.col,
                    _ => {
                        scan.rows[i].explicit = false;
                        last_col.map_or(0, |c| c + 1)
                    }
                };
                last_col = Some(col);
                if rows.contains(&scan.rows[i].r) {
                    let style = e
                        .and_then(|e| attr(e, "s"))
                        .and_then(|v| v.trim().parse::<u32>().ok())
                        .unwrap_or(0);
                    scan.cells.push(Cell { row: i, col, open: t.at.clone(), style });
                }
            }
            _ => {}
        }
    })?;
    Ok(scan)
}

/// The notes of one sheet: by (0-based row, column), the worst severity and the texts.
type SheetNotes = BTreeMap<(u32, u32), (Severity, Vec<String>)>;

/// The row tag `tag` with its `spans` (when it is one range, `1:7`) widened to include
/// the 1-based columns `lo..=hi`.
fn widen_spans(tag: &str, lo: u32, hi: u32) -> String {
    let Some((_, r)) = attr_spans(tag).into_iter().find(|(n, _)| *n == "spans") else {
        return tag.to_string();
    };
    let Some((a, b)) = tag[r.clone()].split_once(':') else { return tag.to_string() };
    let (Ok(a), Ok(b)) = (a.trim().parse::<u32>(), b.trim().parse::<u32>()) else {
        return tag.to_string();
    };
    set_attr(tag, "spans", &format!("{}:{}", a.min(lo), b.max(hi)))
}

/// The edits that highlight the cells of `notes` in a sheet: each cell's `s` pointed at a
/// copy of its format with the fill of its severity; a cell missing from the XML inserted
/// (in its row, in column order, or in a new row), when the sheet says where its rows and
/// cells are. Returns the edits and how many cells they highlight.
fn highlight(
    xml: &str,
    scan: &SheetScan,
    notes: &SheetNotes,
    styles: &mut Styles,
) -> (Vec<Splice>, usize) {
    let p = &scan.root_prefix;
    let mut splices = Vec::new();
    let mut done = 0;
    // Cells to insert: into existing rows (by row index) and into new rows (by number).
    let mut into_rows: BTreeMap<usize, Vec<(u32, String)>> = BTreeMap::new();
    let mut new_rows: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    let mut inserted: Vec<(u32, u32)> = Vec::new();
    for (&(row, col), (severity, _)) in notes {
        let r = row + 1;
        let row_at = scan.rows.iter().position(|x| x.r == r);
        if let Some(cell) = scan.cells.iter().find(|c| Some(c.row) == row_at && c.col == col) {
            let Some(s) = styles.xf_for(cell.style, *severity) else { continue };
            let tag = &xml[cell.open.clone()];
            splices
                .push(Splice { at: cell.open.clone(), text: set_attr(tag, "s", &s.to_string()) });
            done += 1;
            continue;
        }
        let base = row_at
            .and_then(|i| scan.rows[i].style)
            .or_else(|| {
                scan.cols.iter().find(|(lo, hi, _)| (*lo..=*hi).contains(&(col + 1))).map(|c| c.2)
            })
            .unwrap_or(0);
        let place = match row_at {
            Some(i) if scan.rows[i].explicit => Some(Some(i)),
            None if scan.rows_in_order && scan.sheet_data.is_some() => Some(None),
            _ => None,
        };
        let Some(place) = place else { continue };
        let Some(s) = styles.xf_for(base, *severity) else { continue };
        let a1 = CellRef::new(row, col).to_string();
        let text = format!("<{p}c r=\"{a1}\" s=\"{s}\"/>");
        match place {
            Some(i) => into_rows.entry(i).or_default().push((col, text)),
            None => new_rows.entry(r).or_default().push(text),
        }
        inserted.push((row, col));
        done += 1;
    }
    for (i, cells) in into_rows {
        let row = &scan.rows[i];
        let lo = cells.iter().map(|c| c.0 + 1).min().unwrap_or(1);
        let hi = cells.iter().map(|c| c.0 + 1).max().unwrap_or(1);
        let tag = widen_spans(&xml[row.block.open.clone()], lo, hi);
        match row.block.close {
            None => {
                let all: String = cells.into_iter().map(|c| c.1).collect();
                splices.push(Splice {
                    at: row.block.open.clone(),
                    text: format!("{}{all}</{p}row>", opened(&tag)),
                });
            }
            Some(close) => {
                if tag != xml[row.block.open.clone()] {
                    splices.push(Splice { at: row.block.open.clone(), text: tag });
                }
                for (col, text) in cells {
                    let at = scan
                        .cells
                        .iter()
                        .filter(|c| c.row == i && c.col > col)
                        .map(|c| c.open.start)
                        .min()
                        .unwrap_or(close);
                    splices.push(Splice::insert(at, text));
                }
            }
        }
    }
    if let Some(data) = &scan.sheet_data {
        let mut into_empty = String::new();
        for (r, cells) in new_rows {
            let text = format!("<{p}row r=\"{r}\">{}</{p}row>", cells.concat());
            match data.close {
                None => into_empty += &text,
                Some(close) => {
                    let at =
                        scan.rows.iter().find(|x| x.r > r).map_or(close, |x| x.block.open.start);
                    splices.push(Splice::insert(at, text));
                }
            }
        }
        if !into_empty.is_empty() {
            let tag = &xml[data.open.clone()];
            splices.push(Splice {
                at: data.open.clone(),
                text: format!("{}{into_empty}</{p}sheetData>", opened(tag)),
            });
        }
    }
    // The sheet's dimension, widened to the inserted cells.
    if let (Some(at), false) = (&scan.dimension, inserted.is_empty()) {
        let tag = &xml[at.clone()];
        let range = attr_spans(tag).into_iter().find(|(n, _)| *n == "ref").map(|(_, r)| &tag[r]);
        let ends: Vec<CellRef> =
            range.map(|r| r.split(':').filter_map(CellRef::parse).collect()).unwrap_or_default();
        if let (Some(first), Some(last)) = (ends.first(), ends.last()) {
            let (mut r0, mut c0, mut r1, mut c1) = (first.row, first.col, last.row, last.col);
            for (r, c) in &inserted {
                (r0, c0, r1, c1) = (r0.min(*r), c0.min(*c), r1.max(*r), c1.max(*c));
            }
            let new = format!("{}:{}", CellRef::new(r0, c0), CellRef::new(r1, c1));
            splices.push(Splice { at: at.clone(), text: set_attr(tag, "ref", &new) });
        }
    }
    (splices, done)
}

// ---------------------------------------------------------------------------------------
// Comments and their legacy drawing.

/// The runs of a comment's text: the author in bold, then `text` on the next line;
/// `lead` before the author (a blank line when added to a comment already there).
fn runs(p: &str, author: &str, text: &str, lead: &str) -> String {
    let rpr = |bold: bool| {
        format!(
            "<{p}rPr>{}<{p}sz val=\"9\"/><{p}color indexed=\"81\"/><{p}rFont val=\"Tahoma\"/>\
             <{p}family val=\"2\"/></{p}rPr>",
            if bold { format!("<{p}b/>") } else { String::new() }
        )
    };
    let text: String = text.chars().take(COMMENT_CHARS).collect();
    format!(
        "<{p}r>{}<{p}t xml:space=\"preserve\">{}</{p}t></{p}r>\
         <{p}r>{}<{p}t xml:space=\"preserve\">{}</{p}t></{p}r>",
        rpr(true),
        escape(&format!("{lead}{author}:")),
        rpr(false),
        escape(&format!("\n{text}")),
    )
}

/// One `<comment>` on cell `(row, col)`.
fn comment(p: &str, row: u32, col: u32, author_id: usize, author: &str, text: &str) -> String {
    format!(
        "<{p}comment ref=\"{}\" authorId=\"{author_id}\"><{p}text>{}</{p}text></{p}comment>",
        CellRef::new(row, col),
        runs(p, author, text, "")
    )
}

/// A new comments part in namespace `ns`.
fn new_comments(ns: &str, author: &str, notes: &SheetNotes) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <comments xmlns=\"{}\"><authors><author>{}</author></authors><commentList>",
        escape(ns),
        escape(author)
    );
    for (&(row, col), (_, texts)) in notes {
        out += &comment("", row, col, 0, author, &texts.join("\n\n"));
    }
    out + "</commentList></comments>"
}

/// The comments part `xml` with the notes added: a cell that already has a comment gets
/// the new text after its own; the others get a comment, in cell order. Returns the part
/// and the cells that got a new comment (they need a shape in the drawing).
fn merge_comments(
    xml: &str,
    author: &str,
    notes: &SheetNotes,
) -> Result<(String, Vec<(u32, u32)>), String> {
    struct Existing {
        cell: Option<(u32, u32)>,
        start: usize,
        /// Where runs can be added to its text: before its phonetic runs, or its end.
        insert: Option<usize>,
    }
    let mut p = String::new();
    let mut root_open_end = None;
    let (mut authors, mut list): (Option<Block>, Option<Block>) = (None, None);
    let mut names: Vec<&str> = Vec::new();
    let mut name_start = None;
    let mut comments: Vec<Existing> = Vec::new();
    let mut in_text = false;
    walk(xml, |t| match (t.depth, t.kind, t.local) {
        (0, Kind::Start, _) => {
            p = t.start.map(prefix_of).unwrap_or_default();
            root_open_end = Some(t.at.end);
        }
        (1, Kind::Start | Kind::Empty, b"authors") => {
            authors = Some(Block { open: t.at.clone(), close: None });
        }
        (1, Kind::End, b"authors") => {
            if let Some(b) = authors.as_mut() {
                b.close = Some(t.at.start);
            }
        }
        (2, Kind::Start, b"author") => name_start = Some(t.at.end),
        (2, Kind::Empty, b"author") => names.push(""),
        (2, Kind::End, b"author") => {
            names.push(name_start.take().and_then(|s| xml.get(s..t.at.start)).unwrap_or(""));
        }
        (1, Kind::Start | Kind::Empty, b"commentList") => {
            list = Some(Block { open: t.at.clone(), close: None });
        }
        (1, Kind::End, b"commentList") => {
            if let Some(b) = list.as_mut() {
                b.close = Some(t.at.start);
            }
        }
        (2, Kind::Start | Kind::Empty, b"comment") => {
            let cell = t.start.and_then(|e| attr(e, "ref")).and_then(|r| CellRef::parse(&r));
            comments.push(Existing {
                cell: cell.map(|c| (c.row, c.col)),
                start: t.at.start,
                insert: None,
            });
        }
        (3, Kind::Start, b"text") => in_text = true,
        (4, Kind::Start | Kind::Empty, b"rPh" | b"phoneticPr") if in_text => {
            if let Some(c) = comments.last_mut().filter(|c| c.insert.is_none()) {
                c.insert = Some(t.at.start);
            }
        }
        (3, Kind::End, b"text") => {
            in_text = false;
            if let Some(c) = comments.last_mut().filter(|c| c.insert.is_none()) {
                c.insert = Some(t.at.start);
            }
        }
        _ => {}
    })?;
    let mut splices = Vec::new();
    let escaped = escape(author);
    let author_id = match names.iter().position(|n| *n == escaped) {
        Some(i) => i,
        None => {
            let new = format!("<{p}author>{escaped}</{p}author>");
            match (&authors, root_open_end) {
                (Some(Block { close: Some(at), .. }), _) => splices.push(Splice::insert(*at, new)),
                (Some(Block { open, close: None }), _) => splices.push(Splice {
                    at: open.clone(),
                    text: format!("{}{new}</{p}authors>", opened(&xml[open.clone()])),
                }),
                (None, Some(at)) => {
                    splices.push(Splice::insert(at, format!("<{p}authors>{new}</{p}authors>")))
                }
                (None, None) => return Err("a comments part without a root".into()),
            }
            names.len()
        }
    };
    let list = list.ok_or("a comments part without a list of comments")?;
    let mut fresh = Vec::new();
    let mut into_empty = String::new();
    for (&(row, col), (_, texts)) in notes {
        let text = texts.join("\n\n");
        if let Some(c) = comments.iter().find(|c| c.cell == Some((row, col))) {
            let at = c.insert.ok_or("a comment without text")?;
            splices.push(Splice::insert(at, runs(&p, author, &text, "\n\n")));
            continue;
        }
        let new = comment(&p, row, col, author_id, author, &text);
        fresh.push((row, col));
        match list.close {
            None => into_empty += &new,
            Some(close) => {
                let at = comments
                    .iter()
                    .filter(|c| c.cell.is_some_and(|x| x > (row, col)))
                    .map(|c| c.start)
                    .min()
                    .unwrap_or(close);
                splices.push(Splice::insert(at, new));
            }
        }
    }
    if !into_empty.is_empty() {
        splices.push(Splice {
            at: list.open.clone(),
            text: format!("{}{into_empty}</{p}commentList>", opened(&xml[list.open.clone()])),
        });
    }
    Ok((apply(xml, splices)?, fresh))
}

/// The shape type of comments in a legacy drawing, as Excel writes it.
const COMMENT_SHAPETYPE: &str = "<v:shapetype id=\"_x0000_t202\" coordsize=\"21600,21600\" \
     o:spt=\"202\" path=\"m,l,21600r21600,l21600,xe\"><v:stroke joinstyle=\"miter\"/>\
     <v:path gradientshapeok=\"t\" o:connecttype=\"rect\"/></v:shapetype>";

/// The hidden box of the comment on cell `(row, col)`, shape number `id`: three columns
/// wide, beside the cell.
fn shape(id: u32, z: usize, row: u32, col: u32) -> String {
    let top = row.saturating_sub(1);
    let (left_pt, top_pt) = (48.0 * f64::from(col + 1) + 11.25, 15.0 * f64::from(top) + 1.5);
    format!(
        "<v:shape id=\"_x0000_s{id}\" type=\"#_x0000_t202\" style=\"position:absolute;\
         margin-left:{left_pt}pt;margin-top:{top_pt}pt;width:240pt;height:150pt;z-index:{z};\
         visibility:hidden\" fillcolor=\"#ffffe1\" o:insetmode=\"auto\">\
         <v:fill color2=\"#ffffe1\"/>\
         <v:shadow on=\"t\" color=\"black\" obscured=\"t\"/><v:path o:connecttype=\"none\"/>\
         <v:textbox style=\"mso-direction-alt:auto\"><div style=\"text-align:left\"></div>\
         </v:textbox><x:ClientData ObjectType=\"Note\"><x:MoveWithCells/><x:SizeWithCells/>\
         <x:Anchor>{}, 15, {top}, 10, {}, 15, {}, 4</x:Anchor><x:AutoFill>False</x:AutoFill>\
         <x:Row>{row}</x:Row><x:Column>{col}</x:Column></x:ClientData></v:shape>",
        col + 1,
        col + 4,
        top + 4,
    )
}

/// A new legacy drawing with the shapes of `cells`, numbered from block `block` (each
/// block holds 1,024 shape ids). Returns it and the last block it uses.
fn new_vml(block: u32, cells: &[(u32, u32)]) -> (String, u32) {
    let first = block * 1024 + 1;
    let last = (first + cells.len().saturating_sub(1) as u32) / 1024;
    let blocks: Vec<String> = (block..=last.max(block)).map(|b| b.to_string()).collect();
    let mut out = format!(
        "<xml xmlns:v=\"{VML_V}\" xmlns:o=\"{VML_O}\" xmlns:x=\"{VML_X}\">\
         <o:shapelayout v:ext=\"edit\"><o:idmap v:ext=\"edit\" data=\"{}\"/></o:shapelayout>\
         {COMMENT_SHAPETYPE}",
        blocks.join(",")
    );
    for (k, &(row, col)) in cells.iter().enumerate() {
        out += &shape(first + k as u32, k + 1, row, col);
    }
    (out + "</xml>", last.max(block))
}

/// The numbers in the `data="…"` of the `<o:idmap>` of a legacy drawing, and the largest
/// shape number in it (`_x0000_s1025`).
fn vml_ids(text: &str) -> (Vec<u32>, u32) {
    let mut blocks = Vec::new();
    if let Some(i) = text.find("<o:idmap") {
        let rest = &text[i..];
        let end = rest.find('>').unwrap_or(rest.len());
        if let Some(j) = rest[..end].find("data=") {
            let value = rest[j + 5..end].trim_start_matches(['"', '\'']);
            let value = value.split(['"', '\'']).next().unwrap_or("");
            blocks = value.split(',').filter_map(|n| n.trim().parse().ok()).collect();
        }
    }
    let most = text
        .match_indices("_x0000_s")
        .filter_map(|(i, m)| {
            let digits: String =
                text[i + m.len()..].chars().take_while(char::is_ascii_digit).take(9).collect();
            digits.parse::<u32>().ok()
        })
        .max()
        .unwrap_or(0);
    (blocks, most)
}

/// The legacy drawing `xml` with the shapes of `cells` added, when it is one hrcities can
/// extend: a root `<xml>` declaring `v`, `o` and `x` as Excel does, an `<o:idmap>` with
/// room for the new shape numbers.
fn merge_vml(xml: &str, cells: &[(u32, u32)]) -> Result<String, String> {
    if cells.is_empty() {
        return Ok(xml.to_string());
    }
    let open = xml.find("<xml").ok_or("a legacy drawing without its root")?;
    let end = start_tag_end(&xml[open..]).ok_or("a legacy drawing without its root")? + open;
    let root = &xml[open..end];
    let declared = attr_spans(root);
    for (name, uri) in [("xmlns:v", VML_V), ("xmlns:o", VML_O), ("xmlns:x", VML_X)] {
        if !declared.iter().any(|(n, r)| *n == name && &root[r.clone()] == uri) {
            return Err(format!("a legacy drawing without {name}"));
        }
    }
    let close = xml.rfind("</xml>").ok_or("a legacy drawing without its end")?;
    if !xml[close + 6..].trim().is_empty() {
        return Err("text after a legacy drawing".into());
    }
    let (blocks, most) = vml_ids(xml);
    let (Some(lo), Some(hi)) = (blocks.iter().min(), blocks.iter().max()) else {
        return Err("a legacy drawing without shape numbers".into());
    };
    let first = (most + 1).max(lo * 1024 + 1);
    if u64::from(first) + cells.len() as u64 > u64::from(*hi) * 1024 + 1023 {
        return Err("a legacy drawing without room for more shapes".into());
    }
    let shapes = xml.matches("<v:shape ").count();
    let mut add = String::new();
    if !xml.contains("\"_x0000_t202\"") {
        add += COMMENT_SHAPETYPE;
    }
    for (k, &(row, col)) in cells.iter().enumerate() {
        add += &shape(first + k as u32, shapes + k + 1, row, col);
    }
    Ok(format!("{}{add}{}", &xml[..close], &xml[close..]))
}

/// `[Content_Types].xml` with a default for `.vml` (when `vml` and none is there) and an
/// override for each part of `comments`.
fn content_types(xml: &str, vml: bool, comments: &[String]) -> Result<String, String> {
    let mut close = None;
    let mut p = String::new();
    let mut has_vml = false;
    let mut parts: Vec<String> = Vec::new();
    walk(xml, |t| match (t.depth, t.kind, t.local, t.start) {
        (0, Kind::Start, _, Some(e)) => p = prefix_of(e),
        (0, Kind::End, _, _) => close = Some(t.at.start),
        (1, _, b"Default", Some(e)) => {
            has_vml |= attr(e, "Extension").is_some_and(|x| x.eq_ignore_ascii_case("vml"));
        }
        (1, _, b"Override", Some(e)) => parts.extend(attr(e, "PartName")),
        _ => {}
    })?;
    let close = close.ok_or("an empty [Content_Types].xml")?;
    let mut add = String::new();
    if vml && !has_vml {
        add += &format!("<{p}Default Extension=\"vml\" ContentType=\"{VML_TYPE}\"/>");
    }
    for part in comments {
        if !parts.iter().any(|x| x.eq_ignore_ascii_case(part)) {
            add += &format!(
                "<{p}Override PartName=\"{}\" ContentType=\"{COMMENTS_TYPE}\"/>",
                escape(part)
            );
        }
    }
    apply(xml, vec![Splice::insert(close, add)])
}

// ---------------------------------------------------------------------------------------
// The whole workbook.

/// The parts an annotation changes and adds, and what it did.
struct Job<'b> {
    pkg: Package<'b>,
    author: String,
    /// Parts changed: entry name and new text.
    changed: Vec<(String, String)>,
    /// Parts added.
    added: Vec<(String, String)>,
    /// Comments parts added, as `/xl/comments1.xml`.
    overrides: Vec<String>,
    vml_added: bool,
    /// The first block of shape numbers no legacy drawing uses.
    next_block: u32,
    done: Annotated,
}

/// What adding comments to one sheet changes.
#[derive(Default)]
struct CommentPlan {
    splice: Option<Splice>,
    changed: Vec<(String, String)>,
    added: Vec<(String, String)>,
    overrides: Vec<String>,
    vml_added: bool,
    next_block: u32,
}

impl Job<'_> {
    /// The text of part `name` as this job has it: changed, added or as it was.
    fn current(&mut self, name: &str) -> Result<Option<String>, String> {
        let entry = self.pkg.find(name).unwrap_or(name).to_string();
        if let Some((_, t)) =
            self.changed.iter().chain(&self.added).find(|(n, _)| n.eq_ignore_ascii_case(&entry))
        {
            return Ok(Some(t.clone()));
        }
        self.pkg.text(&entry)
    }

    /// Keeps the new text of part `name` (changed when the package has it, else added).
    fn put(&mut self, name: &str, text: String) {
        if let Some(slot) = self
            .changed
            .iter_mut()
            .chain(&mut self.added)
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            slot.1 = text;
        } else if let Some(entry) = self.pkg.find(name) {
            self.changed.push((entry.to_string(), text));
        } else {
            self.added.push((name.to_string(), text));
        }
    }

    /// Highlights and comments the cells of `notes` on the sheet in part `part`, whose
    /// relationship types start with `rel_base`.
    fn sheet(
        &mut self,
        name: &str,
        part: &str,
        rel_base: &str,
        notes: &SheetNotes,
        styles: &mut Option<Styles>,
    ) -> Result<(), String> {
        let xml = self.current(part)?.ok_or_else(|| format!("no {part}"))?;
        let rows: BTreeSet<u32> = notes.keys().map(|(r, _)| r + 1).collect();
        let scan = scan_sheet(&xml, &rows, rel_base)?;
        let (mut splices, highlighted) = match styles.as_mut() {
            Some(styles) => highlight(&xml, &scan, notes, styles),
            None => (Vec::new(), 0),
        };
        self.done.highlighted += highlighted;
        match self.plan_comments(part, &scan, rel_base, notes) {
            Ok(plan) => {
                splices.extend(plan.splice);
                for (n, t) in plan.changed.into_iter().chain(plan.added) {
                    self.put(&n, t);
                }
                self.overrides.extend(plan.overrides);
                self.vml_added |= plan.vml_added;
                self.next_block = self.next_block.max(plan.next_block);
                self.done.commented += notes.len();
                self.done.not_highlighted += notes.len() - highlighted;
            }
            Err(_) => self.done.without_comments.push(name.to_string()),
        }
        if !splices.is_empty() {
            self.put(part, apply(&xml, splices)?);
        }
        Ok(())
    }

    /// What adding the comments of `notes` to a sheet changes; an error when its own
    /// comments or legacy drawing cannot be extended safely.
    fn plan_comments(
        &mut self,
        part: &str,
        scan: &SheetScan,
        rel_base: &str,
        notes: &SheetNotes,
    ) -> Result<CommentPlan, String> {
        let dir = folder(part).to_string();
        let rels_name = rels_of(self.pkg.find(part).unwrap_or(part));
        let rels_xml = self.current(&rels_name)?;
        let rels = match &rels_xml {
            Some(x) => read_rels(x, &dir)?,
            None => Vec::new(),
        };
        let mut plan = CommentPlan::default();
        let mut new_rels = Vec::new();
        let mut taken = Vec::new();
        let taken_parts: Vec<String> = self.added.iter().map(|(n, _)| n.clone()).collect();
        let taken_parts: Vec<&str> = taken_parts.iter().map(String::as_str).collect();
        let own = rels.iter().find(|r| !r.external && r.kind.ends_with("/comments"));
        let fresh: Vec<(u32, u32)> = match own {
            Some(rel) => {
                let xml = self.current(&rel.target)?.ok_or("a missing comments part")?;
                let (text, fresh) = merge_comments(&xml, &self.author, notes)?;
                plan.changed.push((rel.target.clone(), text));
                fresh
            }
            None => {
                let name = fresh_part(&self.pkg, &taken_parts, |n| format!("xl/comments{n}.xml"));
                let ns = scan.main_ns.clone().unwrap_or_else(|| MAIN_NS.to_string());
                plan.added.push((name.clone(), new_comments(&ns, &self.author, notes)));
                plan.overrides.push(format!("/{name}"));
                let id = fresh_id(&rels, &mut taken);
                new_rels.push((id, format!("{rel_base}/comments"), relative(&dir, &name)));
                notes.keys().copied().collect()
            }
        };
        match &scan.legacy {
            Some(rid) => {
                let rel = rels
                    .iter()
                    .find(|r| r.id == *rid && !r.external && r.kind.ends_with("/vmlDrawing"))
                    .ok_or("a legacy drawing without its relationship")?;
                if !fresh.is_empty() {
                    let xml = self.current(&rel.target)?.ok_or("a missing legacy drawing")?;
                    plan.changed.push((rel.target.clone(), merge_vml(&xml, &fresh)?));
                }
            }
            None => {
                let name = fresh_part(&self.pkg, &taken_parts, |n| {
                    format!("xl/drawings/vmlDrawing{n}.vml")
                });
                let (text, last) = new_vml(self.next_block, &fresh);
                plan.next_block = last + 1;
                plan.added.push((name.clone(), text));
                plan.vml_added = true;
                let id = fresh_id(&rels, &mut taken);
                new_rels.push((
                    id.clone(),
                    format!("{rel_base}/vmlDrawing"),
                    relative(&dir, &name),
                ));
                let p = &scan.root_prefix;
                let rid = match &scan.rel_prefix {
                    Some(r) => format!("{r}:id=\"{id}\""),
                    None => format!("xmlns:r=\"{}\" r:id=\"{id}\"", escape(rel_base)),
                };
                let at = scan.after_legacy.or(scan.root_close).ok_or("a sheet without its end")?;
                plan.splice = Some(Splice::insert(at, format!("<{p}legacyDrawing {rid}/>")));
            }
        }
        if !new_rels.is_empty() {
            plan.changed.push((rels_name.clone(), add_rels(rels_xml.as_deref(), &new_rels)?));
        }
        Ok(plan)
    }
}

/// The workbook `bytes` (an `.xlsx` or `.xlsm`) with the cells of `notes` highlighted and
/// commented by the campaign, in `lang`; at most `budget` bytes are inflated. Fails, with
/// the reason, when the workbook cannot be annotated safely.
pub fn annotate(
    bytes: &[u8],
    notes: &[CellNote],
    lang: Lang,
    budget: u64,
) -> Result<Annotated, String> {
    let pkg = Package::open(bytes, budget)?;
    let mut job = Job {
        pkg,
        author: tr(lang, "annotate.author").to_string(),
        changed: Vec::new(),
        added: Vec::new(),
        overrides: Vec::new(),
        vml_added: false,
        next_block: 1,
        done: Annotated::default(),
    };
    let types_name =
        job.pkg.find("[Content_Types].xml").ok_or("no [Content_Types].xml")?.to_string();
    let types = job.pkg.text(&types_name)?.unwrap_or_default();
    let root_rels = job.pkg.text("_rels/.rels")?.ok_or("no _rels/.rels")?;
    let book = read_rels(&root_rels, "")?
        .into_iter()
        .find(|r| !r.external && r.kind.ends_with("/officeDocument"))
        .map_or_else(|| "xl/workbook.xml".to_string(), |r| r.target);
    let book_xml = job.pkg.text(&book)?.ok_or("no workbook part")?;
    let book_rels_xml = job.pkg.text(&rels_of(&book))?.ok_or("no workbook relationships")?;
    let book_rels = read_rels(&book_rels_xml, folder(&book))?;
    let mut sheets: Vec<(String, String)> = Vec::new();
    walk(&book_xml, |t| {
        if let (2, Some(e), b"sheet") = (t.depth, t.start, t.local) {
            if let (Some(name), Some(rid)) = (attr(e, "name"), prefixed_attr(e, "id")) {
                sheets.push((name, rid));
            }
        }
    })?;
    let mut styles = match book_rels.iter().find(|r| !r.external && r.kind.ends_with("/styles")) {
        Some(rel) => job.pkg.text(&rel.target)?.map(Styles::parse).transpose()?,
        None => None,
    };
    // The shape numbers the workbook's legacy drawings use.
    let drawings: Vec<String> = job
        .pkg
        .names
        .iter()
        .filter(|n| n.to_ascii_lowercase().ends_with(".vml"))
        .cloned()
        .collect();
    for name in drawings {
        let bytes = job.pkg.bytes(&name)?.unwrap_or_default();
        let (blocks, most) = vml_ids(&String::from_utf8_lossy(&bytes));
        let top = blocks.into_iter().max().unwrap_or(0).max(most / 1024);
        job.next_block = job.next_block.max(top + 1);
    }
    // The notes by sheet, then by cell.
    let mut by_sheet: BTreeMap<usize, SheetNotes> = BTreeMap::new();
    for note in notes {
        let found = sheets.iter().position(|(n, _)| *n == note.sheet).or_else(|| {
            sheets.iter().position(|(n, _)| n.to_lowercase() == note.sheet.to_lowercase())
        });
        let in_range = note.cell.row < 1_048_576 && note.cell.col < 16_384;
        match found.filter(|_| in_range) {
            Some(i) => {
                let slot = by_sheet.entry(i).or_default().entry((note.cell.row, note.cell.col));
                let (severity, texts) = slot.or_insert((note.severity, Vec::new()));
                *severity = (*severity).max(note.severity);
                texts.push(note.text.clone());
            }
            None => job.done.sheet_missing += 1,
        }
    }
    for (i, cells) in &by_sheet {
        let (name, rid) = &sheets[*i];
        let Some(rel) = book_rels.iter().find(|r| r.id == *rid && !r.external) else {
            job.done.sheet_missing += cells.values().map(|(_, t)| t.len()).sum::<usize>();
            continue;
        };
        let rel_base = rel.kind.rsplit_once('/').map_or(REL_NS, |(b, _)| b).to_string();
        job.sheet(name, &rel.target, &rel_base, cells, &mut styles)?;
    }
    if let Some(text) = styles.as_ref().map(Styles::finish).transpose()?.flatten() {
        let name = book_rels
            .iter()
            .find(|r| !r.external && r.kind.ends_with("/styles"))
            .map(|r| r.target.clone())
            .unwrap_or_default();
        job.put(&name, text);
    }
    if job.vml_added || !job.overrides.is_empty() {
        let text = content_types(&types, job.vml_added, &job.overrides)?;
        job.put(&types_name, text);
    }
    // Every part changed or added is read back as XML (a legacy drawing of the workbook's
    // own may not be XML; the shapes added to it are).
    for (name, text) in job.changed.iter().chain(&job.added) {
        if !name.to_ascii_lowercase().ends_with(".vml") {
            walk(text, |_| {}).map_err(|e| format!("{name}: {e}"))?;
        }
    }
    job.done.bytes = write_zip(bytes, &job.changed, &job.added)?;
    Ok(job.done)
}

/// The archive `bytes` with the entries of `changed` replaced and those of `added` at the
/// end; every other entry copied as it is, compressed bytes and all.
fn write_zip(
    bytes: &[u8],
    changed: &[(String, String)],
    added: &[(String, String)],
) -> Result<Vec<u8>, String> {
    let err = |e: zip::result::ZipError| e.to_string();
    let io = |e: std::io::Error| e.to_string();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(err)?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(bytes.len() + 64 * 1024)));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(err)?;
        let name = entry.name().map_err(err)?.into_owned();
        match changed.iter().find(|(n, _)| *n == name) {
            Some((_, text)) => {
                drop(entry);
                out.start_file(name.as_str(), options).map_err(err)?;
                out.write_all(text.as_bytes()).map_err(io)?;
            }
            None => out.raw_copy_file(entry).map_err(err)?,
        }
    }
    for (name, text) in added {
        out.start_file(name.as_str(), options).map_err(err)?;
        out.write_all(text.as_bytes()).map_err(io)?;
    }
    Ok(out.finish().map_err(err)?.into_inner())
}

// ---------------------------------------------------------------------------------------
// Beside the letters.

/// The annotated copy of one return, made before its letter is written.
#[derive(Debug, Default)]
pub struct WorkbookCopy {
    /// The copy's extension (`xlsx` or `xlsm`) and bytes, when there is one.
    pub workbook: Option<(String, Vec<u8>)>,
    /// What feedback.csv says of it: why there is none, or what it leaves out.
    pub note: String,
    /// Whether annotating failed (to be told on stderr as well).
    pub failed: bool,
}

/// The annotated copy of the return of `result` (its diagnostics in the letter's
/// language), the letter's reference line saying which sheets it leaves without
/// comments; `lang` is the analyst's, for the note in feedback.csv. A return whose
/// problems point at no cell, or that is not an `.xlsx` or `.xlsm`, gets none.
pub fn prepare(
    fw: &Framework,
    result: &FileResult,
    letter: &mut Letter,
    limits: &Limits,
    lang: Lang,
) -> WorkbookCopy {
    let ext = result
        .path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let none = |note: String| WorkbookCopy { workbook: None, note, failed: false };
    let failed = |detail: &dyn std::fmt::Display| WorkbookCopy {
        workbook: None,
        note: trf(lang, "annotate.failed", &[("detail", detail)]),
        failed: true,
    };
    if !EXTENSIONS.contains(&ext.as_str()) {
        let shown = if ext.is_empty() { "?".to_string() } else { format!(".{ext}") };
        return none(trf(lang, "annotate.none_format", &[("ext", &shown)]));
    }
    if result.diagnostics.is_empty() {
        return none(tr(lang, "annotate.none_clean").to_string());
    }
    let notes = notes(fw, result, letter.lang);
    if notes.is_empty() {
        return none(tr(lang, "annotate.none_cells").to_string());
    }
    let bytes = match crate::questionnaire::read::read_file(&result.path, limits) {
        Ok(b) => b,
        Err(e) => return failed(&e),
    };
    if result.sha256.as_deref().is_some_and(|s| s != crate::export::sha256_hex(&bytes)) {
        return failed(&tr(lang, "annotate.changed"));
    }
    let done = match crate::guard::catch(|| {
        annotate(&bytes, &notes, letter.lang, limits.unzipped_bytes)
    }) {
        Ok(Ok(done)) => done,
        Ok(Err(e)) | Err(e) => return failed(&e),
    };
    if done.highlighted == 0 && done.commented == 0 {
        return none(tr(lang, "annotate.none_cells").to_string());
    }
    let mut notes_out = Vec::new();
    if !done.without_comments.is_empty() {
        let sheets: Vec<String> = done.without_comments.iter().map(|s| format!("“{s}”")).collect();
        let sheets = crate::i18n::and_list(&sheets, lang);
        notes_out.push(trf(lang, "annotate.without_comments", &[("sheets", &sheets)]));
        let theirs: Vec<String> = done.without_comments.iter().map(|s| format!("“{s}”")).collect();
        let theirs = crate::i18n::and_list(&theirs, letter.lang);
        let line = trf(letter.lang, "annotate.reference", &[("sheets", &theirs)]);
        letter.body = format!("{}{line}\n", letter.body.trim_end_matches('\n'));
    }
    if done.not_highlighted > 0 {
        notes_out.push(trf(lang, "annotate.not_highlighted", &[("n", &done.not_highlighted)]));
    }
    if done.sheet_missing > 0 {
        notes_out.push(trf(lang, "annotate.sheet_missing", &[("n", &done.sheet_missing)]));
    }
    WorkbookCopy { workbook: Some((ext, done.bytes)), note: notes_out.join("; "), failed: false }
}

/// Writes each copy beside its letter as `DIR/<letter>-annotated.xlsx` (or `.xlsm`) and
/// adds the columns `annotated` (the copy's file) and `annotated_note` to the index
/// `DIR/feedback.csv` that [`feedback::write`] wrote for the same letters, in the same
/// order. Returns how many copies were written.
pub fn write(dir: &Path, copies: &[WorkbookCopy]) -> std::io::Result<usize> {
    let bad = |what: String| std::io::Error::other(what);
    let index = dir.join("feedback.csv");
    let bytes = std::fs::read(&index)?;
    let body = bytes.strip_prefix(super::batch::UTF8_BOM).unwrap_or(&bytes);
    let mut reader = csv::Reader::from_reader(body);
    let mut header: Vec<String> =
        reader.headers().map_err(|e| bad(e.to_string()))?.iter().map(str::to_string).collect();
    let message = header
        .iter()
        .position(|h| h == "message")
        .ok_or_else(|| bad("feedback.csv: no message column".into()))?;
    let rows: Vec<csv::StringRecord> =
        reader.records().collect::<Result<_, _>>().map_err(|e| bad(e.to_string()))?;
    if rows.len() != copies.len() {
        return Err(bad(format!(
            "feedback.csv lists {} letters, not {}",
            rows.len(),
            copies.len()
        )));
    }
    header.extend(["annotated".to_string(), "annotated_note".to_string()]);
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(&header).map_err(|e| bad(e.to_string()))?;
    let mut written = 0;
    for (row, copy) in rows.iter().zip(copies) {
        // The letter's name, as feedback::write chose it (its index guards cells that
        // start like a formula with an apostrophe; names never start with one).
        let letter = row.get(message).unwrap_or_default();
        let letter = letter.strip_prefix('\'').unwrap_or(letter);
        let stem = letter.strip_suffix(".txt").unwrap_or(letter);
        let mut file = String::new();
        if let Some((ext, bytes)) = &copy.workbook {
            if !stem.is_empty() && !stem.contains(['/', '\\']) {
                file = format!("{stem}-annotated.{ext}");
                crate::export::write_atomic(&dir.join(&file), bytes)?;
                written += 1;
            }
        }
        let mut out: Vec<String> = row.iter().map(str::to_string).collect();
        out.push(crate::export::safe_cell(&file).into_owned());
        out.push(crate::export::safe_cell(&copy.note).into_owned());
        csv.write_record(&out).map_err(|e| bad(e.to_string()))?;
    }
    let mut out = super::batch::UTF8_BOM.to_vec();
    out.extend(csv.into_inner().map_err(|e| bad(e.to_string()))?);
    crate::export::write_atomic(&index, &out)?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_forbidden_characters_dropped() {
        assert_eq!(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(escape("]]><script>"), "]]&gt;&lt;script&gt;");
        assert_eq!(escape("x\u{0}\u{1}\u{b}y\u{FFFF}\r\nz\tw"), "xy\nz\tw");
        assert_eq!(escape("_x0041_ and _x00_"), "_x005F_x0041_ and _x00_");
    }

    #[test]
    fn tags_are_found_where_they_are() {
        let xml = "\u{feff}<?xml version=\"1.0\"?>\n<a x='1>2'><b/>t&amp;<c>u</c></a>";
        let mut seen = Vec::new();
        walk(xml, |t| seen.push((t.kind, xml[t.at.clone()].to_string(), t.depth))).unwrap();
        assert_eq!(
            seen,
            vec![
                (Kind::Start, "<a x='1>2'>".to_string(), 0),
                (Kind::Empty, "<b/>".to_string(), 1),
                (Kind::Start, "<c>".to_string(), 1),
                (Kind::End, "</c>".to_string(), 1),
                (Kind::End, "</a>".to_string(), 0),
            ]
        );
        assert!(walk("<a><b></a>", |_| {}).is_err());
        assert!(walk("<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>", |_| {}).is_err());
        assert!(walk("", |_| {}).is_err());
    }

    #[test]
    fn attributes_are_set_in_place_or_added() {
        assert_eq!(set_attr("<c r=\"A1\" s='3'>", "s", "7"), "<c r=\"A1\" s='7'>");
        assert_eq!(set_attr("<c r=\"A1\"/>", "s", "7"), "<c r=\"A1\" s=\"7\"/>");
        assert_eq!(set_attr("<c r=\"A1\" t=\"s>\" >", "s", "7"), "<c r=\"A1\" t=\"s>\" s=\"7\">");
        assert_eq!(set_attr("<xs=\"1\" s = \"2\"/>", "s", "9"), "<xs=\"1\" s = \"9\"/>");
        assert_eq!(opened("<row r=\"3\" />"), "<row r=\"3\">");
        assert_eq!(widen_spans("<row r=\"3\" spans=\"2:4\">", 1, 3), "<row r=\"3\" spans=\"1:4\">");
        assert_eq!(start_tag_end("<xf a=\">\"><x/></xf>"), Some(10));
    }

    #[test]
    fn relationship_targets_resolve_both_ways() {
        assert_eq!(resolve("xl/worksheets", "../comments1.xml"), "xl/comments1.xml");
        assert_eq!(resolve("xl", "/xl/styles.xml"), "xl/styles.xml");
        assert_eq!(resolve("xl", "worksheets/sheet%201.xml"), "xl/worksheets/sheet 1.xml");
        assert_eq!(relative("xl/worksheets", "xl/comments1.xml"), "../comments1.xml");
        assert_eq!(
            relative("xl/worksheets", "xl/drawings/vmlDrawing2.vml"),
            "../drawings/vmlDrawing2.vml"
        );
        assert_eq!(relative("xl", "xl/x.xml"), "x.xml");
        assert_eq!(rels_of("xl/worksheets/sheet1.xml"), "xl/worksheets/_rels/sheet1.xml.rels");
    }

    #[test]
    fn the_letters_item_becomes_the_comment_body() {
        let item = "3. Sheet “A”, cell C8 — question: “How many?”\n   What is wrong: x.\n   \
                    How to fix it: y.";
        assert_eq!(
            item_body(item, "3. Sheet “A”, cell C8"),
            "Question: “How many?”\nWhat is wrong: x.\nHow to fix it: y."
        );
        assert_eq!(
            item_body("4. Sheet “A”, cell A9\n   What: z.", "4. Sheet “A”, cell A9"),
            "What: z."
        );
    }

    /// A small workbook made by rust_xlsxwriter: values on "Data" (with a note of its own
    /// on B2, a table, a missing C5 and no row 7) and on "Other".
    fn workbook(with_note: bool) -> Vec<u8> {
        use rust_xlsxwriter::{Format, Note, Table, Workbook};
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet().set_name("Data").unwrap();
        let bold = Format::new().set_bold();
        ws.write_string_with_format(0, 0, "Name", &bold).unwrap();
        ws.write_string(0, 1, "Value").unwrap();
        for r in 1..5u32 {
            ws.write_string(r, 0, format!("row {r}")).unwrap();
            ws.write_number(r, 1, f64::from(r) * 1.5).unwrap();
        }
        ws.write_number(4, 3, 9.0).unwrap();
        if with_note {
            ws.insert_note(1, 1, &Note::new("The city's own note").set_author("City")).unwrap();
        }
        ws.add_table(0, 5, 3, 6, &Table::new()).unwrap();
        let other = wb.add_worksheet().set_name("Other").unwrap();
        other.write_string(0, 0, "x").unwrap();
        wb.save_to_buffer().unwrap()
    }

    fn part(bytes: &[u8], name: &str) -> Option<String> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut f = zip.by_name(name).ok()?;
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        Some(s)
    }

    fn note(sheet: &str, a1: &str, severity: Severity, text: &str) -> CellNote {
        CellNote {
            sheet: sheet.into(),
            cell: CellRef::parse(a1).unwrap(),
            severity,
            text: text.into(),
        }
    }

    /// Each sheet's name and cells (0-based row and column, value as text).
    type Sheet = (String, Vec<(usize, usize, String)>);

    fn values(bytes: &[u8]) -> Vec<Sheet> {
        use calamine::{Reader, Xlsx};
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
        wb.sheet_names()
            .into_iter()
            .map(|s| {
                let range = wb.worksheet_range(&s).unwrap();
                let cells = range.used_cells().map(|(r, c, d)| (r, c, d.to_string())).collect();
                (s, cells)
            })
            .collect()
    }

    #[test]
    fn a_workbook_gets_highlights_and_comments_and_nothing_else_changes() {
        let original = workbook(false);
        let notes = [
            note("Data", "B3", Severity::Error, "Too big <script>]]>"),
            note("Data", "B3", Severity::Warning, "And odd"),
            note("data", "C5", Severity::Warning, "Missing cell"),
            note("Data", "B7", Severity::Error, "Missing row"),
            note("Nowhere", "A1", Severity::Error, "?"),
        ];
        let done = annotate(&original, &notes, Lang::Fr, 1 << 26).unwrap();
        assert_eq!((done.highlighted, done.commented, done.sheet_missing), (3, 3, 1));
        assert_eq!(values(&original), values(&done.bytes));
        let sheet = part(&done.bytes, "xl/worksheets/sheet1.xml").unwrap();
        // The comments' drawing comes before the table, as the schema wants.
        let legacy = sheet.find("<legacyDrawing r:id=").unwrap();
        assert!(legacy < sheet.find("<tableParts").unwrap(), "{sheet}");
        assert!(sheet.contains("<c r=\"C5\" s=\""), "{sheet}");
        assert!(sheet.contains("<row r=\"7\"><c r=\"B7\" s=\""), "{sheet}");
        let comments = part(&done.bytes, "xl/comments1.xml").unwrap();
        assert!(comments.contains("<author>Campagne</author>"), "{comments}");
        assert!(comments.contains("Too big &lt;script&gt;]]&gt;\n\nAnd odd"), "{comments}");
        let types = part(&done.bytes, "[Content_Types].xml").unwrap();
        assert!(types.contains("Extension=\"vml\"") && types.contains("/xl/comments1.xml"));
        let styles = part(&done.bytes, "xl/styles.xml").unwrap();
        assert!(styles.contains(ERROR_FILL) && styles.contains(WARNING_FILL));
        // The other sheet is the same entry, byte for byte.
        for name in ["xl/worksheets/sheet2.xml", "xl/sharedStrings.xml", "xl/tables/table1.xml"] {
            assert_eq!(part(&original, name), part(&done.bytes, name), "{name}");
        }
    }

    #[test]
    fn a_sheet_with_comments_of_its_own_gets_the_new_ones_added() {
        let original = workbook(true);
        let notes = [
            note("Data", "B2", Severity::Error, "On the city's note"),
            note("Data", "A1", Severity::Warning, "Before it"),
            note("Data", "D5", Severity::Warning, "After it"),
        ];
        let done = annotate(&original, &notes, Lang::Es, 1 << 26).unwrap();
        assert_eq!((done.highlighted, done.commented), (3, 3));
        assert!(done.without_comments.is_empty());
        assert_eq!(values(&original), values(&done.bytes));
        let comments = part(&done.bytes, "xl/comments1.xml").unwrap();
        let (a1, b2, d5) = (
            comments.find("ref=\"A1\"").unwrap(),
            comments.find("ref=\"B2\"").unwrap(),
            comments.find("ref=\"D5\"").unwrap(),
        );
        assert!(a1 < b2 && b2 < d5, "{comments}");
        assert!(comments.contains("The city's own note"), "{comments}");
        assert!(comments.contains("Campaña:") && comments.contains("On the city&apos;s note"));
        assert_eq!(comments.matches("<comment ").count(), 3, "{comments}");
        let vml = part(&done.bytes, "xl/drawings/vmlDrawing1.vml").unwrap();
        assert_eq!(vml.matches("<v:shape ").count(), 3, "{vml}");
        assert_eq!(vml.matches("id=\"_x0000_t202\"").count(), 1, "{vml}");
        let sheet = part(&done.bytes, "xl/worksheets/sheet1.xml").unwrap();
        assert_eq!(sheet.matches("<legacyDrawing").count(), 1, "{sheet}");
        assert!(part(&done.bytes, "xl/comments2.xml").is_none());
    }

    #[test]
    fn a_drawing_it_cannot_extend_leaves_the_cells_highlighted_only() {
        let original = workbook(true);
        // A legacy drawing that is not as Excel writes it.
        let mut zip = zip::ZipArchive::new(Cursor::new(&original)).unwrap();
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            if name.ends_with(".vml") {
                data = b"<xml><odd/></xml>".to_vec();
            }
            out.start_file(name, options).unwrap();
            out.write_all(&data).unwrap();
        }
        let odd = out.finish().unwrap().into_inner();
        let done =
            annotate(&odd, &[note("Data", "A3", Severity::Error, "x")], Lang::En, 1 << 26).unwrap();
        assert_eq!((done.highlighted, done.commented), (1, 0));
        assert_eq!(done.without_comments, vec!["Data".to_string()]);
        assert_eq!(part(&done.bytes, "xl/comments1.xml"), part(&odd, "xl/comments1.xml"));
    }

    #[test]
    fn what_is_not_a_workbook_is_refused_not_copied() {
        assert!(annotate(b"PK\x03\x04 nothing", &[], Lang::En, 1 << 20).is_err());
        let original = workbook(false);
        assert!(annotate(&original, &[note("Data", "A1", Severity::Error, "x")], Lang::En, 100)
            .is_err());
    }
}
