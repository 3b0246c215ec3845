//! Reading exports of UN recommendations into [`Recommendation`]s.
//!
//! Two kinds of file are read, as spreadsheets (`.xlsx`, `.xlsm`, `.xls`, `.xlsb`, `.ods`)
//! or delimited text (`.csv`, `.tsv`, `.txt`; comma, semicolon or tab; UTF-8, UTF-16 with
//! a byte-order mark, or Windows-1252):
//!
//! - an export of OHCHR's Universal Human Rights Index (UHRI, "Export → Excel"), whose
//!   headers are `Text`, `Countries Concerned`, `Reccomending Body` (sic), `Document
//!   Symbol` and optional others ([`ExportFormat::Uhri`]);
//! - a plain table, such as a national recommendations tracking database, with the
//!   columns `id, text, mechanism, body, symbol, paragraph, date, themes, sdgs, position,
//!   country` ([`ExportFormat::Plain`]).
//!
//! The header row is looked for in the first 50 rows of every sheet, matching names
//! whatever their case, accents, spacing and punctuation, in any order. Values are cleaned
//! of UHRI's quirks: the `- ` before each value, multi-value cells with a value per line,
//! SDG targets with their titles, Excel serial dates, UN country names with their
//! parenthesised part.
//!
//! A file that cannot be read at all is an [`ImportError`]; a row that cannot be imported
//! is skipped with an error [`RowProblem`]; a value that cannot be read is left out with a
//! warning. Codes:
//!
//! | code | severity | meaning |
//! |---|---|---|
//! | `E-REC-NO-TEXT` | error | the row has no text; skipped |
//! | `E-REC-NO-COUNTRY` | error | the row names no country; skipped |
//! | `E-REC-COUNTRY` | error | a country name is unknown; skipped |
//! | `W-REC-DATE` | warning | the date cannot be read; left empty |
//! | `W-REC-SDG` | warning | an SDG value has no target code (`11.1`); left out |
//! | `W-REC-POSITION` | warning | the UPR position is not one known; left empty |
//! | `W-REC-SESSION` | warning | the UPR session has no number; left empty |
//! | `W-REC-MECHANISM` | warning | the `mechanism` is unknown; classified by the body |
//! | `W-REC-DUPLICATE` | warning | an earlier row has the same id; this row skipped |
//! | `W-REC-LONG-CELL` | warning | a cell is longer than a spreadsheet cell holds; cut |

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Mechanism, Recommendation, TREATY_BODIES};
use crate::framework::Severity;
use crate::i18n::number::format_number;
use crate::i18n::{country_code, fold, tr, trf, Lang};
use crate::questionnaire::answer::Date;
use crate::questionnaire::limits::{Limits, MB};
use crate::questionnaire::read::{read_regular, read_sheets, FileKind, ReadError};

/// The most data rows an export may have: UHRI holds about 267,000 records in all.
pub const MAX_ROWS: usize = 1_000_000;

/// The most characters kept of a cell: what one spreadsheet cell holds.
pub const MAX_CELL_CHARS: usize = 32_767;

/// How many rows of each sheet are searched for the header row.
const HEADER_SEARCH_ROWS: usize = 50;

/// The spreadsheet extensions read as workbooks.
pub const SPREADSHEET_EXTENSIONS: [&str; 5] = crate::questionnaire::read::EXTENSIONS;

/// The extensions read as delimited text.
pub const TEXT_EXTENSIONS: [&str; 3] = ["csv", "tsv", "txt"];

/// Excel serial days accepted as dates: 1950-01-01 to 2099-12-31 (a bare year such as
/// `2024` is not taken for a day of 1905).
const SERIAL_RANGE: std::ops::RangeInclusive<f64> = 18_264.0..=73_050.0;

/// The kind of export a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// An export of OHCHR's Universal Human Rights Index.
    Uhri,
    /// A plain table with the columns `id, text, mechanism, body, …`.
    Plain,
}

impl ExportFormat {
    /// The code shown and stored: `uhri` or `plain`.
    pub fn code(self) -> &'static str {
        match self {
            ExportFormat::Uhri => "uhri",
            ExportFormat::Plain => "plain",
        }
    }
}

/// What one file gave.
#[derive(Clone, Debug)]
pub struct Import {
    /// The file, as given.
    pub file: PathBuf,
    /// The sha256 of its bytes, lowercase hex.
    pub sha256: String,
    /// Which kind of export it is.
    pub format: ExportFormat,
    /// The sheet the header row was found in (`None` for delimited text).
    pub sheet: Option<String>,
    /// The data rows seen below the header (blank rows not counted).
    pub rows: usize,
    /// The recommendations read, in the order of the file.
    pub recommendations: Vec<Recommendation>,
    /// The problems of its rows, in the order of the file.
    pub problems: Vec<RowProblem>,
}

impl Import {
    /// Whether any row was skipped.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }
}

/// A problem of one row (or one cell) of an export.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RowProblem {
    /// The row, 1-based as a spreadsheet shows it (the header is usually row 1).
    pub row: Option<u32>,
    /// The column's header, as written in the file.
    pub column: Option<String>,
    /// An error skips the row; a warning leaves a value out.
    pub severity: Severity,
    /// A stable code such as `E-REC-NO-TEXT` (see the module documentation).
    pub code: &'static str,
    /// What is wrong, in the language asked for.
    pub message: String,
    /// How to fix it, in the language asked for.
    pub hint: Option<String>,
}

/// Why a file could not be imported at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be opened or read.
    Io(#[from] std::io::Error),
    /// The path is a folder.
    Folder,
    /// The path is a named pipe, socket or device: it was not opened.
    NotAFile(FileKind),
    /// The file is larger than the limit (bytes).
    TooLarge {
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The file has no content.
    Empty,
    /// The extension is not one that is imported (the extension, lowercase).
    Unsupported(String),
    /// The name says spreadsheet but the content is something else (what it looks like).
    NotASpreadsheet(String),
    /// The workbook is password-protected.
    Encrypted,
    /// The spreadsheet or text is damaged (the reader's words).
    Damaged(String),
    /// The workbook unzips to more than the limit (bytes): a zip bomb or a damaged file.
    Unzipped {
        /// The limit.
        limit: u64,
    },
    /// A sheet spans more cells than the limit.
    SheetTooLarge {
        /// The sheet.
        sheet: String,
        /// Rows spanned.
        rows: u64,
        /// Columns spanned.
        cols: u64,
        /// The limit, in cells.
        limit: u64,
    },
    /// No sheet has a header row with the columns of a UHRI export or a plain table.
    NotAnExport {
        /// The headers of the row that came closest (or the first filled row).
        found: Vec<String>,
        /// The sheet of that row, for a spreadsheet.
        sheet: Option<String>,
        /// That row, 1-based.
        row: Option<u32>,
    },
    /// More than [`MAX_ROWS`] rows.
    TooManyRows {
        /// The limit.
        limit: usize,
    },
}

impl ImportError {
    /// The stable diagnostic code (the file codes are those of returns).
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::Io(_) | ImportError::Folder => "E-FILE-OPEN",
            ImportError::NotAFile(_) => "E-FILE-NOT-REGULAR",
            ImportError::TooLarge { .. } => "E-FILE-TOO-LARGE",
            ImportError::Empty => "E-FILE-EMPTY",
            ImportError::Unsupported(_) => "E-FILE-UNSUPPORTED",
            ImportError::NotASpreadsheet(_) => "E-FILE-NOT-SPREADSHEET",
            ImportError::Encrypted => "E-FILE-ENCRYPTED",
            ImportError::Damaged(_) => "E-FILE-DAMAGED",
            ImportError::Unzipped { .. } => "E-FILE-UNZIPPED-TOO-LARGE",
            ImportError::SheetTooLarge { .. } => "E-SHEET-TOO-LARGE",
            ImportError::NotAnExport { .. } => "E-REC-NOT-EXPORT",
            ImportError::TooManyRows { .. } => "E-REC-TOO-MANY-ROWS",
        }
    }

    /// What went wrong, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let mb = |bytes: u64| format_number((bytes as f64 / MB as f64).ceil(), 0, lang);
        let count = |n: f64| format_number(n, 0, lang);
        match self {
            ImportError::Io(e) => trf(lang, "rec.import.file.open", &[("detail", e)]),
            ImportError::Folder => tr(lang, "rec.import.file.folder").to_string(),
            ImportError::NotAFile(kind) => {
                trf(lang, "rec.import.file.not_regular", &[("kind", &tr(lang, kind.key()))])
            }
            ImportError::TooLarge { size, limit } => trf(
                lang,
                "rec.import.file.too_large",
                &[("size", &mb(*size)), ("limit", &mb(*limit))],
            ),
            ImportError::Empty => tr(lang, "rec.import.file.empty").to_string(),
            ImportError::Unsupported(ext) => {
                trf(lang, "rec.import.file.unsupported", &[("ext", ext)])
            }
            ImportError::NotASpreadsheet(what) => {
                trf(lang, "rec.import.file.not_spreadsheet", &[("detail", what)])
            }
            ImportError::Encrypted => tr(lang, "rec.import.file.encrypted").to_string(),
            ImportError::Damaged(detail) => {
                trf(lang, "rec.import.file.damaged", &[("detail", detail)])
            }
            ImportError::Unzipped { limit } => {
                trf(lang, "rec.import.file.unzipped", &[("limit", &mb(*limit))])
            }
            ImportError::SheetTooLarge { sheet, rows, cols, limit } => trf(
                lang,
                "rec.import.file.sheet_too_large",
                &[
                    ("sheet", sheet),
                    ("rows", &count(*rows as f64)),
                    ("cols", &count(*cols as f64)),
                    ("limit", &count(*limit as f64)),
                ],
            ),
            ImportError::NotAnExport { found, sheet, row } => {
                let headers = if found.is_empty() {
                    tr(lang, "rec.import.found.none").to_string()
                } else {
                    found.iter().map(|h| format!("\"{h}\"")).collect::<Vec<_>>().join(", ")
                };
                let found = match (sheet, row) {
                    (Some(sheet), Some(row)) if !found.is_empty() => trf(
                        lang,
                        "rec.import.found.in_sheet",
                        &[("headers", &headers), ("sheet", sheet), ("row", row)],
                    ),
                    (None, Some(row)) if !found.is_empty() => {
                        trf(lang, "rec.import.found.in_row", &[("headers", &headers), ("row", row)])
                    }
                    _ => headers,
                };
                trf(
                    lang,
                    "rec.import.file.not_export",
                    &[
                        ("uhri", &"Text, Countries Concerned, Reccomending Body, Document Symbol"),
                        ("plain", &"text, country, body | mechanism"),
                        ("found", &found),
                    ],
                )
            }
            ImportError::TooManyRows { limit } => {
                trf(lang, "rec.import.file.too_many_rows", &[("limit", &count(*limit as f64))])
            }
        }
    }

    /// How to fix it, in `lang`.
    pub fn hint(&self, lang: Lang) -> Option<String> {
        let key = match self {
            ImportError::Io(_) => "rec.import.hint.open",
            ImportError::Folder | ImportError::NotAFile(_) => "rec.import.hint.not_a_file",
            ImportError::TooLarge { .. } => "rec.import.hint.too_large",
            ImportError::Empty | ImportError::Damaged(_) => "rec.import.hint.export_again",
            ImportError::Unsupported(_) | ImportError::NotASpreadsheet(_) => {
                "rec.import.hint.formats"
            }
            ImportError::Encrypted => "rec.import.hint.encrypted",
            ImportError::Unzipped { .. } => "rec.import.hint.unzipped",
            ImportError::SheetTooLarge { .. } | ImportError::TooManyRows { .. } => {
                "rec.import.hint.split"
            }
            ImportError::NotAnExport { .. } => "rec.import.hint.not_export",
        };
        Some(tr(lang, key).to_string())
    }
}

impl fmt::Display for ImportError {
    /// The message in English.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl From<ReadError> for ImportError {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Io(e) => ImportError::Io(e),
            ReadError::Empty => ImportError::Empty,
            ReadError::NotASpreadsheet(what) => ImportError::NotASpreadsheet(what.to_string()),
            ReadError::Unsupported(ext) => ImportError::Unsupported(ext),
            ReadError::Encrypted => ImportError::Encrypted,
            ReadError::Damaged(detail) | ReadError::ReaderPanic(detail) => {
                ImportError::Damaged(detail)
            }
            ReadError::SheetDamaged { sheet, detail } => {
                ImportError::Damaged(format!("{sheet}: {detail}"))
            }
            ReadError::NotAFile(kind) => ImportError::NotAFile(kind),
            // Only the reader of returns asks for questions.
            ReadError::NoQuestions => {
                ImportError::NotAnExport { found: Vec::new(), sheet: None, row: None }
            }
            ReadError::TooLarge { size, limit } => ImportError::TooLarge { size, limit },
            ReadError::Unzipped { limit } => ImportError::Unzipped { limit },
            ReadError::SheetTooLarge { sheet, rows, cols, limit, .. } => {
                ImportError::SheetTooLarge { sheet, rows, cols, limit }
            }
        }
    }
}

/// Imports the export at `path`: a folder, a pipe or device, a file of another type or one
/// larger than `limits.file_bytes` is refused without being read. `now` (RFC 3339) is
/// written as each recommendation's `imported_at` and `updated_at`; messages are in `lang`.
pub fn import_file(
    path: &Path,
    limits: &Limits,
    now: &str,
    lang: Lang,
) -> Result<Import, ImportError> {
    let bytes = read_export(path, limits)?;
    import_bytes(path, &bytes, limits, now, lang)
}

/// Imports `bytes`, read from `path` (whose extension says the format), as
/// [`import_file`] does.
pub fn import_bytes(
    path: &Path,
    bytes: &[u8],
    limits: &Limits,
    now: &str,
    lang: Lang,
) -> Result<Import, ImportError> {
    let size = bytes.len() as u64;
    if size > limits.file_bytes {
        return Err(ImportError::TooLarge { size, limit: limits.file_bytes });
    }
    let sheets = read_rows(path, bytes, limits, &|rows| find_header(rows).is_some())?;
    let Some((sheet, header)) =
        sheets.iter().find_map(|s| find_header(&s.rows).map(|header| (s, header)))
    else {
        return Err(not_an_export(&sheets));
    };
    if sheet.rows.len() > MAX_ROWS.saturating_add(header.row + 1) {
        return Err(ImportError::TooManyRows { limit: MAX_ROWS });
    }
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let source = Source {
        file: file_name,
        sha256: crate::export::sha256_hex(bytes),
        now: now.to_string(),
        lang,
    };
    let mut out = Import {
        file: path.to_path_buf(),
        sha256: source.sha256.clone(),
        format: header.format,
        sheet: sheet.name.clone(),
        rows: 0,
        recommendations: Vec::new(),
        problems: Vec::new(),
    };
    let mut seen: HashMap<String, u32> = HashMap::new();
    for (i, cells) in sheet.rows.iter().enumerate().skip(header.row + 1) {
        if cells.iter().all(|c| c.as_deref().is_none_or(|t| t.trim().is_empty())) {
            continue;
        }
        out.rows += 1;
        let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let Some(rec) = read_row(&source, &header, cells, row, &mut out.problems) else {
            continue;
        };
        if let Some(first) = seen.get(&rec.id) {
            out.problems.push(problem(
                row,
                header.name_of(Field::Id),
                "W-REC-DUPLICATE",
                trf(
                    lang,
                    "rec.import.row.duplicate",
                    &[("row", &row), ("first", first), ("id", &rec.id)],
                ),
                tr(lang, "rec.import.hint.duplicate"),
            ));
            continue;
        }
        seen.insert(rec.id.clone(), row);
        out.recommendations.push(rec);
    }
    Ok(out)
}

/// Whether rows (the first 50 of a sheet, each cell as text) hold a table's header row.
pub(crate) type HasHeader = dyn Fn(&[Vec<Option<String>>]) -> bool;

/// The sheets of a table file `bytes` read from `path` (whose extension says spreadsheet or
/// delimited text), each row's cells as text: a spreadsheet's sheets, or delimited text as
/// one unnamed sheet, split at the delimiter that gives a row `has_header` accepts (of the
/// first 50 rows). A "spreadsheet" that is really delimited text, as some tools export, is
/// read as text when it has such a row. For recommendation exports and the pledge register.
pub(crate) fn read_rows(
    path: &Path,
    bytes: &[u8],
    limits: &Limits,
    has_header: &HasHeader,
) -> Result<Vec<Sheet>, ImportError> {
    let kind = source_kind(path)?;
    if bytes.is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(match kind {
        SourceKind::Text => vec![Sheet { name: None, rows: read_delimited(bytes, has_header)? }],
        SourceKind::Spreadsheet => match read_sheets(path, bytes, limits) {
            Ok(sheets) => {
                sheets.into_iter().map(|(n, rows)| Sheet { name: Some(n), rows }).collect()
            }
            Err(ReadError::NotASpreadsheet("text")) => match read_delimited(bytes, has_header) {
                Ok(rows) if has_header(&rows) => vec![Sheet { name: None, rows }],
                _ => return Err(ImportError::NotASpreadsheet("text".into())),
            },
            Err(e) => return Err(e.into()),
        },
    })
}

/// Spreadsheet or delimited text, by the extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SourceKind {
    Spreadsheet,
    Text,
}

fn extension(path: &Path) -> String {
    path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default()
}

fn source_kind(path: &Path) -> Result<SourceKind, ImportError> {
    let ext = extension(path);
    if SPREADSHEET_EXTENSIONS.contains(&ext.as_str()) {
        Ok(SourceKind::Spreadsheet)
    } else if TEXT_EXTENSIONS.contains(&ext.as_str()) {
        Ok(SourceKind::Text)
    } else {
        Err(ImportError::Unsupported(ext))
    }
}

/// The bytes at `path`, checked as the reader of returns checks them
/// ([`read_regular`]): a folder or a named pipe is refused unopened, a name of a kind
/// hrcities does not import before the file is opened, and no more than the limit is read.
pub(crate) fn read_export(path: &Path, limits: &Limits) -> Result<Vec<u8>, ImportError> {
    if std::fs::metadata(path)?.is_dir() {
        return Err(ImportError::Folder);
    }
    let accept = || match source_kind(path) {
        Ok(_) => Ok(()),
        Err(ImportError::Unsupported(ext)) => Err(ReadError::Unsupported(ext)),
        Err(other) => Err(ReadError::Damaged(other.to_string())),
    };
    Ok(read_regular(path, limits.file_bytes, accept)?)
}

// ---------------------------------------------------------------------------------------
// Delimited text

/// The text of `bytes`: UTF-8 (a byte-order mark dropped), UTF-16 with a byte-order mark
/// (Excel's "Unicode text"), or else Windows-1252, byte by byte.
fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    let utf16 = |rest: &[u8], unit: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| unit([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => bytes.iter().map(|b| windows_1252(*b)).collect(),
    }
}

/// The character of byte `b` in Windows-1252 (Latin-1 with printable characters in
/// 0x80–0x9F; the five unassigned bytes map to the C1 controls Latin-1 has there).
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// The rows of delimited text `bytes`, with the delimiter (tab, `;` or `,`) that gives a
/// header row (`has_header`); when none does, the one most frequent in the first lines.
fn read_delimited(
    bytes: &[u8],
    has_header: &HasHeader,
) -> Result<Vec<Vec<Option<String>>>, ImportError> {
    let text = decode(bytes);
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let head: Vec<&str> = text.lines().take(HEADER_SEARCH_ROWS).collect();
    let mut delimiters: Vec<(usize, u8)> = [b'\t', b';', b',']
        .iter()
        .map(|d| (head.iter().map(|l| l.bytes().filter(|b| b == d).count()).sum(), *d))
        .collect();
    // Most frequent first; ties keep the order above.
    delimiters.sort_by_key(|(n, _)| std::cmp::Reverse(*n));
    for (_, d) in &delimiters {
        let head = parse_delimited(&text, *d, Some(HEADER_SEARCH_ROWS))?;
        if has_header(&head) {
            return parse_delimited(&text, *d, None);
        }
    }
    parse_delimited(&text, delimiters.first().map_or(b',', |(_, d)| *d), None)
}

/// The records of `text` split at `delimiter` (quoted cells may span lines), `max` at
/// most; empty cells are `None`. An empty line, which the CSV reader skips, is kept as an
/// empty row, so that rows are numbered as a spreadsheet program shows them.
fn parse_delimited(
    text: &str,
    delimiter: u8,
    max: Option<usize>,
) -> Result<Vec<Vec<Option<String>>>, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| ImportError::Damaged(first_line(&e.to_string())))?;
        // The reader's position is where it began reading the record, before the empty
        // lines it skipped (and on the `\n` of a `\r\n` that ended the record before).
        let bytes = text.as_bytes();
        let mut start = record.position().map_or(0, |p| usize::try_from(p.byte()).unwrap_or(0));
        if start > 0 && bytes.get(start - 1) == Some(&b'\r') && bytes.get(start) == Some(&b'\n') {
            start += 1;
        }
        for _ in 0..empty_lines(bytes.get(start..).unwrap_or_default()) {
            if max.is_some_and(|m| rows.len() >= m) || rows.len() > MAX_ROWS {
                break;
            }
            rows.push(Vec::new());
        }
        if max.is_some_and(|m| rows.len() >= m) {
            break;
        }
        if rows.len() > MAX_ROWS {
            return Err(ImportError::TooManyRows { limit: MAX_ROWS });
        }
        rows.push(
            record
                .iter()
                .map(|c| if c.trim().is_empty() { None } else { Some(c.to_string()) })
                .collect(),
        );
    }
    Ok(rows)
}

/// How many empty lines `bytes` starts with (`\n`, `\r\n` or `\r` each).
fn empty_lines(bytes: &[u8]) -> usize {
    let (mut n, mut i) = (0, 0);
    while let Some(b) = bytes.get(i) {
        match b {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => i += 2,
            b'\n' | b'\r' => i += 1,
            _ => break,
        }
        n += 1;
    }
    n
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or("").trim().to_string()
}

// ---------------------------------------------------------------------------------------
// Headers

/// One sheet of rows (delimited text is one unnamed sheet).
pub(crate) struct Sheet {
    /// The sheet's name (`None` for delimited text).
    pub(crate) name: Option<String>,
    /// Its rows from row 1, each cell as text (`None`: empty).
    pub(crate) rows: Vec<Vec<Option<String>>>,
}

/// What a column holds, whatever the export calls it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Field {
    Id,
    Text,
    Countries,
    Body,
    Mechanism,
    Symbol,
    Paragraph,
    Date,
    Kind,
    Themes,
    Affected,
    Sdgs,
    Position,
    States,
    Session,
}

/// The field of a UHRI header, by its key ([`header_key`]); the regions and the date of
/// publication on UHRI are not kept.
fn uhri_field(key: &str) -> Option<Field> {
    Some(match key {
        "text" => Field::Text,
        "countriesconcerned" => Field::Countries,
        "reccomendingbody" | "recommendingbody" => Field::Body,
        "documentsymbol" => Field::Symbol,
        "themes" => Field::Themes,
        "affectedpersons" => Field::Affected,
        "sdgs" => Field::Sdgs,
        "documentpublicationdate" => Field::Date,
        "uprreccomendingstates" | "uprrecommendingstates" => Field::States,
        "uprposition" => Field::Position,
        "type" => Field::Kind,
        "ohchrannotationid" => Field::Id,
        "uprsession" => Field::Session,
        "paragraph" => Field::Paragraph,
        _ => return None,
    })
}

/// The field of a plain table's header, by its key ([`header_key`]).
fn plain_field(key: &str) -> Option<Field> {
    Some(match key {
        "id" => Field::Id,
        "text" => Field::Text,
        "mechanism" => Field::Mechanism,
        "body" => Field::Body,
        "symbol" => Field::Symbol,
        "paragraph" => Field::Paragraph,
        "date" => Field::Date,
        "themes" => Field::Themes,
        "sdgs" => Field::Sdgs,
        "position" => Field::Position,
        "country" | "countries" => Field::Countries,
        "recommendingstates" => Field::States,
        "uprsession" => Field::Session,
        "affectedpersons" => Field::Affected,
        "type" => Field::Kind,
        _ => return None,
    })
}

/// A header as compared: folded (case and accents), letters and digits only, so
/// `Reccomending  Body`, `reccomending_body` and `RECCOMENDING-BODY` are one.
pub(crate) fn header_key(text: &str) -> String {
    fold(text).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// A header row found.
#[derive(Debug)]
struct Header {
    /// Its index in the sheet (0 = row 1).
    row: usize,
    format: ExportFormat,
    /// Each known column: its index, field and header as written (the first of a field).
    columns: Vec<(usize, Field, String)>,
}

impl Header {
    fn name_of(&self, field: Field) -> Option<&str> {
        self.columns.iter().find(|(_, f, _)| *f == field).map(|(_, _, n)| n.as_str())
    }

    fn has(&self, field: Field) -> bool {
        self.name_of(field).is_some()
    }
}

/// The known columns of `cells` read as headers of `format`.
fn columns_of(cells: &[Option<String>], format: ExportFormat) -> Vec<(usize, Field, String)> {
    let field_of = match format {
        ExportFormat::Uhri => uhri_field,
        ExportFormat::Plain => plain_field,
    };
    let mut out: Vec<(usize, Field, String)> = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        let Some(text) = cell else { continue };
        if let Some(field) = field_of(&header_key(text)) {
            if !out.iter().any(|(_, f, _)| *f == field) {
                out.push((i, field, text.trim().to_string()));
            }
        }
    }
    out
}

/// The first row (of the first 50) with the columns a UHRI export or a plain table needs;
/// UHRI first.
fn find_header(rows: &[Vec<Option<String>>]) -> Option<Header> {
    rows.iter().take(HEADER_SEARCH_ROWS).enumerate().find_map(|(row, cells)| {
        [ExportFormat::Uhri, ExportFormat::Plain].into_iter().find_map(|format| {
            let header = Header { row, format, columns: columns_of(cells, format) };
            let complete = match format {
                ExportFormat::Uhri => [Field::Text, Field::Countries, Field::Body, Field::Symbol]
                    .iter()
                    .all(|f| header.has(*f)),
                ExportFormat::Plain => {
                    header.has(Field::Text)
                        && header.has(Field::Countries)
                        && (header.has(Field::Body) || header.has(Field::Mechanism))
                }
            };
            complete.then_some(header)
        })
    })
}

/// The row of `sheets` (among the first [`HEADER_SEARCH_ROWS`] of each) that came closest to
/// a header row by `score` (most known columns), or else the first filled row: its first
/// `max` headers, shortened, its sheet and its row number — for the refusal of a file
/// without a header row.
pub(crate) fn closest_header(
    sheets: &[Sheet],
    score: impl Fn(&[Option<String>]) -> usize,
    max: usize,
) -> (Vec<String>, Option<String>, Option<u32>) {
    let mut best: Option<(usize, &Sheet, usize)> = None;
    for sheet in sheets {
        for (i, cells) in sheet.rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
            if cells.iter().all(Option::is_none) {
                continue;
            }
            let score = score(cells);
            if best.is_none_or(|(s, _, _)| score > s) {
                best = Some((score, sheet, i));
            }
        }
    }
    match best {
        Some((_, sheet, i)) => (
            sheet.rows[i]
                .iter()
                .flatten()
                .map(|h| shorten(h.trim(), 40))
                .filter(|h| !h.is_empty())
                .take(max)
                .collect(),
            sheet.name.clone(),
            u32::try_from(i + 1).ok(),
        ),
        None => (Vec::new(), None, None),
    }
}

/// The refusal of a file without a header row, naming the headers of the row that came
/// closest (most known columns), or else of the first filled row.
fn not_an_export(sheets: &[Sheet]) -> ImportError {
    let score = |cells: &[Option<String>]| {
        columns_of(cells, ExportFormat::Uhri)
            .len()
            .max(columns_of(cells, ExportFormat::Plain).len())
    };
    let (found, sheet, row) = closest_header(sheets, score, 30);
    ImportError::NotAnExport { found, sheet, row }
}

// ---------------------------------------------------------------------------------------
// Rows

/// What every row of one imported file shares (recommendations, pledges).
pub(crate) struct Source {
    pub(crate) file: String,
    pub(crate) sha256: String,
    pub(crate) now: String,
    pub(crate) lang: Lang,
}

/// A problem of row `row` (an `E-` code is an error, anything else a warning).
pub(crate) fn problem(
    row: u32,
    column: Option<&str>,
    code: &'static str,
    message: String,
    hint: &str,
) -> RowProblem {
    RowProblem {
        row: Some(row),
        column: column.map(str::to_string),
        severity: if code.starts_with('E') { Severity::Error } else { Severity::Warning },
        code,
        message,
        hint: Some(hint.to_string()),
    }
}

/// The cleaned cells of one row, by field.
struct Cells<'a> {
    header: &'a Header,
    values: HashMap<Field, String>,
}

impl Cells<'_> {
    fn raw(&self, field: Field) -> &str {
        self.values.get(&field).map_or("", String::as_str)
    }

    fn column(&self, field: Field) -> Option<&str> {
        self.header.name_of(field)
    }

    /// A single value: `- ` removed; several lines joined with `; `.
    fn single(&self, field: Field) -> String {
        split_values(self.raw(field), false).join("; ")
    }

    /// A multi-value cell: one value per line (and per `;` in a plain table).
    fn multi(&self, field: Field) -> Vec<String> {
        split_values(self.raw(field), self.header.format == ExportFormat::Plain)
    }
}

/// The recommendation of one row, or `None` (with an error in `problems`) if it cannot be
/// imported. Every problem of the row is reported, even when it is skipped.
fn read_row(
    source: &Source,
    header: &Header,
    row_cells: &[Option<String>],
    row: u32,
    problems: &mut Vec<RowProblem>,
) -> Option<Recommendation> {
    let lang = source.lang;
    let mut values = HashMap::new();
    for (i, field, name) in &header.columns {
        let Some(raw) = row_cells.get(*i).and_then(Option::as_deref) else { continue };
        let (value, chars) = clean_cell(raw);
        if chars > MAX_CELL_CHARS {
            problems.push(problem(
                row,
                Some(name),
                "W-REC-LONG-CELL",
                trf(
                    lang,
                    "rec.import.row.long_cell",
                    &[
                        ("row", &row),
                        ("count", &format_number(chars as f64, 0, lang)),
                        ("limit", &format_number(MAX_CELL_CHARS as f64, 0, lang)),
                    ],
                ),
                tr(lang, "rec.import.hint.long_cell"),
            ));
        }
        values.insert(*field, value);
    }
    let cells = Cells { header, values };
    let mut skip = false;

    let text = cells.raw(Field::Text).trim().to_string();
    if text.is_empty() {
        skip = true;
        problems.push(problem(
            row,
            cells.column(Field::Text),
            "E-REC-NO-TEXT",
            trf(lang, "rec.import.row.no_text", &[("row", &row)]),
            tr(lang, "rec.import.hint.no_text"),
        ));
    }

    let names = cells.multi(Field::Countries);
    let mut countries: Vec<String> = Vec::new();
    if names.is_empty() {
        skip = true;
        problems.push(problem(
            row,
            cells.column(Field::Countries),
            "E-REC-NO-COUNTRY",
            trf(lang, "rec.import.row.no_country", &[("row", &row)]),
            tr(lang, "rec.import.hint.country"),
        ));
    }
    for name in &names {
        match country(name) {
            Some(code) if !countries.contains(&code) => countries.push(code),
            Some(_) => {}
            None => {
                skip = true;
                problems.push(problem(
                    row,
                    cells.column(Field::Countries),
                    "E-REC-COUNTRY",
                    trf(
                        lang,
                        "rec.import.row.country",
                        &[("row", &row), ("value", &shorten(name, 80))],
                    ),
                    tr(lang, "rec.import.hint.country"),
                ));
            }
        }
    }

    let date_text = cells.single(Field::Date);
    let date = if date_text.is_empty() {
        None
    } else {
        let date = parse_date(&date_text);
        if date.is_none() {
            problems.push(problem(
                row,
                cells.column(Field::Date),
                "W-REC-DATE",
                trf(
                    lang,
                    "rec.import.row.date",
                    &[("row", &row), ("value", &shorten(&date_text, 80))],
                ),
                tr(lang, "rec.import.hint.date"),
            ));
        }
        date
    };

    let mut sdgs: Vec<String> = Vec::new();
    for value in cells.multi(Field::Sdgs) {
        match sdg_target(&value) {
            Some(code) if !sdgs.contains(&code) => sdgs.push(code),
            Some(_) => {}
            None => problems.push(problem(
                row,
                cells.column(Field::Sdgs),
                "W-REC-SDG",
                trf(lang, "rec.import.row.sdg", &[("row", &row), ("value", &shorten(&value, 80))]),
                tr(lang, "rec.import.hint.sdg"),
            )),
        }
    }

    let position_text = cells.single(Field::Position);
    let position = match upr_position(&position_text) {
        Ok(p) => p.map(str::to_string),
        Err(()) => {
            problems.push(problem(
                row,
                cells.column(Field::Position),
                "W-REC-POSITION",
                trf(
                    lang,
                    "rec.import.row.position",
                    &[("row", &row), ("value", &shorten(&position_text, 80))],
                ),
                tr(lang, "rec.import.hint.position"),
            ));
            None
        }
    };

    let session_text = cells.single(Field::Session);
    let upr_session = if session_text.is_empty() {
        None
    } else {
        let session = first_integer(&session_text);
        if session.is_none() {
            problems.push(problem(
                row,
                cells.column(Field::Session),
                "W-REC-SESSION",
                trf(
                    lang,
                    "rec.import.row.session",
                    &[("row", &row), ("value", &shorten(&session_text, 80))],
                ),
                tr(lang, "rec.import.hint.session"),
            ));
        }
        session
    };

    let body = cells.single(Field::Body);
    let recommending_states = cells.multi(Field::States);
    let upr_signs =
        !position_text.is_empty() || !recommending_states.is_empty() || !session_text.is_empty();
    let classified = classify(&body, upr_signs);
    let mechanism_text = cells.single(Field::Mechanism);
    let mechanism = if mechanism_text.is_empty() {
        classified
    } else {
        match mechanism_code(&mechanism_text) {
            Some(m) => m,
            None => {
                problems.push(problem(
                    row,
                    cells.column(Field::Mechanism),
                    "W-REC-MECHANISM",
                    trf(
                        lang,
                        "rec.import.row.mechanism",
                        &[
                            ("row", &row),
                            ("value", &shorten(&mechanism_text, 80)),
                            ("mechanism", &tr(lang, &classified.key())),
                        ],
                    ),
                    tr(lang, "rec.import.hint.mechanism"),
                ));
                classified
            }
        }
    };

    if skip {
        return None;
    }

    let symbol = cells.single(Field::Symbol);
    let paragraph = Some(cells.single(Field::Paragraph))
        .filter(|p| !p.is_empty())
        .or_else(|| leading_paragraph(&text));
    let kind = Some(cells.single(Field::Kind)).filter(|k| !k.is_empty());
    let id = match cells.single(Field::Id) {
        id if !id.is_empty() => id,
        _ => {
            let key = format!(
                "{}|{}|{}|{}",
                countries.join(";"),
                symbol,
                paragraph.as_deref().unwrap_or(""),
                text
            );
            let hash = crate::export::sha256_hex(key.as_bytes());
            format!("h-{}", hash.chars().take(16).collect::<String>())
        }
    };
    Some(Recommendation {
        id,
        countries,
        mechanism,
        body,
        symbol,
        paragraph,
        date,
        kind,
        themes: cells.multi(Field::Themes),
        affected: cells.multi(Field::Affected),
        sdgs,
        position,
        recommending_states,
        upr_session,
        text,
        source_file: source.file.clone(),
        source_sha256: source.sha256.clone(),
        source_row: row,
        imported_at: source.now.clone(),
        updated_at: source.now.clone(),
    })
}

/// `raw` with line breaks made `\n` and hidden characters removed (controls other than
/// tab and line feed, bidirectional overrides), cut at [`MAX_CELL_CHARS`]; and how many
/// characters it had before the cut.
pub(crate) fn clean_cell(raw: &str) -> (String, usize) {
    let mut out = String::with_capacity(raw.len().min(MAX_CELL_CHARS * 4));
    let mut count = 0;
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        let c = match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                '\n'
            }
            '\u{2028}' | '\u{2029}' => '\n',
            c if c.is_control() && c != '\n' && c != '\t' => continue,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' => continue,
            c => c,
        };
        count += 1;
        if count <= MAX_CELL_CHARS {
            out.push(c);
        }
    }
    (out, count)
}

/// The values of a cell: one per line (and per `;` when `semicolons`), each without its
/// leading `- `, trimmed, empty ones dropped, each once in the order first seen.
fn split_values(cell: &str, semicolons: bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in cell.split(|c| c == '\n' || (semicolons && c == ';')) {
        let value = strip_dash(part);
        if !value.is_empty() && !out.iter().any(|v| v == value) {
            out.push(value.to_string());
        }
    }
    out
}

/// `value` trimmed and without the `- ` (or `– `, `• `) UHRI puts before each value.
fn strip_dash(value: &str) -> &str {
    let t = value.trim();
    if t == "-" {
        return "";
    }
    for mark in ['-', '–', '•'] {
        if let Some(rest) = t.strip_prefix(mark) {
            if rest.starts_with(char::is_whitespace) {
                return rest.trim();
            }
        }
    }
    t
}

/// `text` cut to `max` characters, with `…` if cut.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

/// Country names UHRI (and the UN) write that the country table spells otherwise.
const COUNTRY_ALIASES: [(&str, &str); 5] = [
    ("democratic republic of the congo", "COD"),
    ("congo, democratic republic of the", "COD"),
    ("congo (democratic republic of the)", "COD"),
    ("the democratic republic of the congo", "COD"),
    ("holy see", "VAT"),
];

/// The ISO3 code of a country as UHRI or a person writes it: the name or code as is;
/// `Bolivia (Plurinational State of)` as `Plurinational State of Bolivia`, `Bolivia,
/// Plurinational State of` or `Bolivia`; `Republic of Korea` as `Korea, Republic of`.
pub(crate) fn country(name: &str) -> Option<String> {
    let name = name.replace(['’', 'ʼ', '`'], "'");
    let name = name.trim();
    let folded = fold(name);
    if let Some((_, code)) = COUNTRY_ALIASES.iter().find(|(alias, _)| *alias == folded) {
        return country_code(code);
    }
    let mut candidates: Vec<String> = vec![name.to_string()];
    if let Some((base, rest)) = name.split_once('(') {
        let base = base.trim();
        let inner = rest.trim_end().trim_end_matches(')').trim();
        if !inner.is_empty() {
            candidates.push(format!("{inner} {base}"));
            candidates.push(format!("{base}, {inner}"));
        }
        candidates.push(base.to_string());
    } else if let Some(at) = name.find(" of ") {
        // `Republic of Korea` → `Korea, Republic of`.
        let (kind, place) = (&name[..at + 3], name[at + 4..].trim());
        let place = place.strip_prefix("the ").unwrap_or(place);
        candidates.push(format!("{place}, {kind}"));
    }
    if let Some(rest) = name.strip_prefix("the ").or_else(|| name.strip_prefix("The ")) {
        candidates.push(rest.to_string());
    }
    candidates.iter().find_map(|c| country_code(c))
}

/// The ISO date of `value`: an Excel serial day (`46078`, `46125.4996`) from 1950 to 2099,
/// or a date Excel or a person writes (`2024-03-28`, `28/03/2024`, `2024-03-28T10:00`).
pub(crate) fn parse_date(value: &str) -> Option<String> {
    let v = value.trim();
    if let Ok(serial) = v.parse::<f64>() {
        return if serial.is_finite() && SERIAL_RANGE.contains(&serial) {
            Date::from_excel_serial(serial).map(|d| d.to_string())
        } else {
            None
        };
    }
    Date::parse(v).filter(|d| (1900..=2200).contains(&d.year)).map(|d| d.to_string())
}

/// The SDG target code of `value` (`- 1.4 - Equal rights…` → `1.4`, `11.A` → `11.a`): the
/// first word of the form goal (1–17), dot, one or two digits or letters.
fn sdg_target(value: &str) -> Option<String> {
    value
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '(' | ')' | '-'))
        .map(|w| w.trim_end_matches('.').to_lowercase())
        .find(|w| is_sdg_target(w))
}

fn is_sdg_target(word: &str) -> bool {
    let Some((goal, target)) = word.split_once('.') else { return false };
    (1..=2).contains(&goal.len())
        && goal.chars().all(|c| c.is_ascii_digit())
        && goal.parse::<u32>().is_ok_and(|g| (1..=17).contains(&g))
        && (1..=2).contains(&target.len())
        && target.chars().all(|c| c.is_ascii_digit() || c.is_ascii_lowercase())
}

/// The UPR position of `value`: `Ok(None)` when empty, `Err` when not understood.
fn upr_position(value: &str) -> Result<Option<&'static str>, ()> {
    match header_key(value).as_str() {
        "" => Ok(None),
        "supported" | "accepted" | "apoyada" | "aceptada" | "acceptee" | "soutenue" => {
            Ok(Some("supported"))
        }
        "partiallysupported"
        | "partiallyaccepted"
        | "supportedinpart"
        | "apoyadaparcialmente"
        | "parcialmenteapoyada"
        | "partiellementsoutenue"
        | "partiellementacceptee" => Ok(Some("partially_supported")),
        "noted" | "notsupported" | "rejected" | "anotada" | "tomadaencuenta" | "notee"
        | "priseennote" => Ok(Some("noted")),
        _ => Err(()),
    }
}

/// The first whole number in `value` (`- 44`, `44th session`).
fn first_integer(value: &str) -> Option<u32> {
    let start = value.find(|c: char| c.is_ascii_digit())?;
    let digits: String =
        value[start..].chars().take_while(char::is_ascii_digit).collect::<String>();
    digits.parse().ok()
}

/// The mechanism of a plain table's `mechanism` cell (`upr`, `treaty_body`, `treaty`,
/// `special_procedure`, `other`, in any case and spacing).
fn mechanism_code(value: &str) -> Option<Mechanism> {
    match header_key(value).as_str() {
        "upr" | "universalperiodicreview" => Some(Mechanism::Upr),
        "treatybody" | "treatybodies" | "treaty" => Some(Mechanism::TreatyBody),
        "specialprocedure" | "specialprocedures" => Some(Mechanism::SpecialProcedure),
        "other" => Some(Mechanism::Other),
        _ => None,
    }
}

/// The mechanism of a recommending body: the UPR (or any row with a UPR position,
/// recommending states or session: `upr_signs`), a treaty body of [`TREATY_BODIES`] by its
/// first word, a special procedure (`SR…`, `IE…`, `WG…`, "Special Rapporteur", …), or
/// other.
fn classify(body: &str, upr_signs: bool) -> Mechanism {
    let first = body
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_uppercase();
    let folded = fold(body);
    if upr_signs || first == "UPR" || folded.contains("universal periodic review") {
        return Mechanism::Upr;
    }
    if TREATY_BODIES.contains(&first.as_str()) {
        return Mechanism::TreatyBody;
    }
    const SPECIAL: [&str; 9] = [
        "special rapporteur",
        "independent expert",
        "working group",
        "relator especial",
        "relatora especial",
        "experto independiente",
        "grupo de trabajo",
        "rapporteur special",
        "groupe de travail",
    ];
    if ["SR", "IE", "WG"].contains(&first.as_str())
        || SPECIAL.iter().any(|s| folded.contains(s))
        || folded.contains("expert independant")
    {
        return Mechanism::SpecialProcedure;
    }
    Mechanism::Other
}

/// The paragraph number a text starts with: `121.37 Strengthen…` → `121.37`, `23. The
/// Committee…` → `23`, `para. 23: …` → `23`. A bare number needs a `.` or `)` after it
/// and a dotted one a space, and the next word must not start with a lowercase letter
/// (so `1.4 million people…` is not a paragraph).
fn leading_paragraph(text: &str) -> Option<String> {
    let t = text.trim_start();
    let lower = t.to_lowercase();
    for prefix in ["paragraph", "para.", "para", "párr.", "párrafo", "par."] {
        if lower.starts_with(prefix) && t.is_char_boundary(prefix.len()) {
            if let Some(rest) = t.get(prefix.len()..) {
                let rest = rest.trim_start();
                if let Some((number, _)) = number_at(rest) {
                    return Some(number);
                }
            }
        }
    }
    let (number, rest) = number_at(t)?;
    let rest = if number.contains('.') { rest } else { rest.strip_prefix(['.', ')'])? };
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let next = rest.trim_start().chars().next()?;
    (!next.is_lowercase()).then_some(number)
}

/// A number of one to three parts of one to three digits (`23`, `121.37`, `1.2.3`) at the
/// start of `s`, and what follows it.
fn number_at(s: &str) -> Option<(String, &str)> {
    let bytes = s.as_bytes();
    let mut end = 0;
    let mut parts = 0;
    loop {
        let start = end;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
        let len = end - start;
        if !(1..=3).contains(&len) {
            return None;
        }
        parts += 1;
        let dot_then_digit =
            bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(|b| b.is_ascii_digit());
        if parts < 3 && dot_then_digit {
            end += 1;
            continue;
        }
        break;
    }
    Some((s.get(..end)?.to_string(), s.get(end..)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{Format, Workbook};

    const NOW: &str = "2026-03-01T10:00:00Z";

    fn limits() -> Limits {
        Limits::default()
    }

    fn import(name: &str, bytes: &[u8]) -> Result<Import, ImportError> {
        import_bytes(Path::new(name), bytes, &limits(), NOW, Lang::En)
    }

    fn by_row(import: &Import, row: u32) -> &Recommendation {
        import
            .recommendations
            .iter()
            .find(|r| r.source_row == row)
            .unwrap_or_else(|| panic!("no recommendation from row {row}: {import:#?}"))
    }

    /// The problems as `(row, code)`, in order.
    fn codes(import: &Import) -> Vec<(u32, &'static str)> {
        import.problems.iter().map(|p| (p.row.unwrap_or(0), p.code)).collect()
    }

    const UUID_1: &str = "3f2a9c1e-5b7d-4e8a-9f01-23456789abcd";
    const UUID_2: &str = "0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f";

    /// The columns of [`uhri_xlsx`], in its (shuffled) order.
    const SYM: u16 = 0;
    const BODY: u16 = 1;
    const TEXT: u16 = 2;
    const CTRY: u16 = 3;
    const THEMES: u16 = 4;
    const AFFECTED: u16 = 5;
    const SDGS: u16 = 6;
    const DATE: u16 = 7;
    const STATES: u16 = 8;
    const POS: u16 = 9;
    const TYPE: u16 = 10;
    const ID: u16 = 11;
    const SESSION: u16 = 12;
    const EXTRA: u16 = 13;
    const UHRI_DATE: u16 = 14;

    /// A UHRI export as OHCHR writes it, with the quirks of facts §9: a title row, the
    /// header on row 2 in another order with odd case and spacing, misspelt and correct
    /// names, an unknown column; `- ` before values, multi-line cells, SDGs with titles,
    /// serial dates as plain numbers. A value `#…` is written as a number cell, `@…` as a
    /// date cell.
    fn uhri_xlsx() -> Vec<u8> {
        let header = [
            "  document SYMBOL ",
            "Reccomending  Body",
            "TEXT",
            "Countries_Concerned",
            "Themes",
            "Affected Persons",
            "SDGs",
            "Document Publication Date",
            "UPR Recommending States",
            "UPR Position",
            "Type",
            "OHCHR Annotation Id",
            "UPR Session",
            "Something Else",
            "Date of publication on UHRI",
        ];
        let rows: Vec<Vec<(u16, &str)>> = vec![
            // Row 3: UPR, supported.
            vec![
                (SYM, "- A/HRC/55/5"),
                (BODY, "- UPR"),
                (TEXT, "121.37 Strengthen the housing policy in rural areas"),
                (CTRY, "- Colombia"),
                (THEMES, "- Right to adequate housing\n- Land rights\n- Right to adequate housing"),
                (AFFECTED, "- Persons living in rural areas"),
                (SDGS, "- 11.1 - Slums, adequate housing\r\n- 1.4 - Equal rights to resources"),
                (DATE, "#46078"),
                (STATES, "- Brazil\n- Chile"),
                (POS, "- Supported"),
                (TYPE, "- Recommendation"),
                (ID, "  3f2a9c1e-5b7d-4e8a-9f01-23456789abcd "),
                (SESSION, "- 44"),
                (EXTRA, "ignored"),
                (UHRI_DATE, "#46100"),
            ],
            // Row 4: UPR, noted; a UN name with a parenthesis; a time in the date; a goal
            // without a target.
            vec![
                (SYM, "A/HRC/55/5"),
                (BODY, "UPR"),
                (TEXT, "Ratify the Optional Protocol\r\nto the Covenant"),
                (CTRY, "- Bolivia (Plurinational State of)"),
                (SDGS, "- Goal 11 - Sustainable cities"),
                (DATE, "#46125.4996"),
                (STATES, "- Germany"),
                (POS, "Noted"),
                (TYPE, "- Recommendation"),
                (ID, "a1b2c3d4-0000-4000-8000-000000000004"),
                (SESSION, "44th session"),
            ],
            // Row 5: a treaty body; two countries; a date cell; no id.
            vec![
                (SYM, "- E/C.12/COL/CO/7"),
                (BODY, "- CESCR"),
                (TEXT, "23. The Committee recommends that the State adopt a housing law."),
                (CTRY, "- Venezuela (Bolivarian Republic of)\n- Türkiye"),
                (THEMES, "- Right to adequate housing"),
                (DATE, "@2017-10-19"),
                (TYPE, "- Concerns/Observations"),
            ],
            // Row 6: a special procedure; a control character and formula-like text.
            vec![
                (SYM, "A/HRC/43/43"),
                (BODY, "- SR on adequate housing"),
                (TEXT, "=1+1 Ensure\u{7} access to water"),
                (CTRY, "- Côte d'Ivoire"),
                (DATE, "28/03/2024"),
                (TYPE, "- Recommendation"),
                (ID, UUID_2),
            ],
            // Row 7: an unknown country.
            vec![(SYM, "X/1"), (BODY, "- CEDAW"), (TEXT, "Adopt a law"), (CTRY, "- Atlantis")],
            // Row 8: no text (only spaces).
            vec![(SYM, "X/2"), (BODY, "- CEDAW"), (TEXT, "  "), (CTRY, "- Iraq")],
            // Row 9: the id of row 3 again.
            vec![(SYM, "X/3"), (BODY, "- UPR"), (TEXT, "Another"), (CTRY, "- Iraq"), (ID, UUID_1)],
            // Row 10: blank.
            vec![],
            // Row 11: an independent expert; a date that is not one.
            vec![
                (SYM, "A/HRC/50/27"),
                (BODY, "- IE SOGI"),
                (TEXT, "Collect data on violence"),
                (CTRY, "- Iran (Islamic Republic of)"),
                (DATE, "soon"),
            ],
            // Row 12: a treaty body and another UN name; the paragraph written out.
            vec![
                (SYM, "CRC/C/GBR/CO/6-7"),
                (BODY, "- CRC"),
                (TEXT, "Para. 12: Ensure child benefits reach every city"),
                (CTRY, "- United Kingdom of Great Britain and Northern Ireland"),
            ],
        ];
        let mut wb = Workbook::new();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let ws = wb.add_worksheet();
        ws.set_name("Export").expect("name");
        ws.write_string(0, 0, "Universal Human Rights Index export").expect("title");
        for (c, h) in header.iter().enumerate() {
            ws.write_string(1, c as u16, *h).expect("header");
        }
        for (r, row) in rows.iter().enumerate() {
            let r = r as u32 + 2;
            for (c, v) in row {
                if let Some(n) = v.strip_prefix('#') {
                    ws.write_number(r, *c, n.parse::<f64>().expect("number")).expect("n");
                } else if let Some(d) = v.strip_prefix('@') {
                    let d = rust_xlsxwriter::ExcelDateTime::parse_from_str(d).expect("date");
                    ws.write_datetime_with_format(r, *c, &d, &date).expect("date cell");
                } else {
                    ws.write_string(r, *c, *v).expect("text");
                }
            }
        }
        wb.save_to_buffer().expect("xlsx")
    }

    #[test]
    fn excel_serials_are_the_days_expected() {
        assert_eq!(parse_date("46078").as_deref(), Some("2026-02-25"));
        assert_eq!(parse_date("46125.4996").as_deref(), Some("2026-04-13"));
        assert_eq!(parse_date("45000").as_deref(), Some("2023-03-15"));
        assert_eq!(parse_date("2024").as_deref(), None, "a bare year is not a serial day");
        assert_eq!(parse_date("28/03/2024").as_deref(), Some("2024-03-28"));
        assert_eq!(parse_date("2024-03-28T09:00:00").as_deref(), Some("2024-03-28"));
        assert_eq!(parse_date("3/28/2024"), None);
        assert_eq!(parse_date("NaN"), None);
    }

    #[test]
    fn reads_a_uhri_workbook_with_its_quirks() {
        let import = import("uhri-export.xlsx", &uhri_xlsx()).expect("imported");
        assert_eq!(import.format, ExportFormat::Uhri);
        assert_eq!(import.sheet.as_deref(), Some("Export"));
        assert_eq!(import.rows, 9, "rows 3–9, 11 and 12; the blank row 10 not counted");
        assert_eq!(import.recommendations.len(), 6, "{:#?}", import.problems);

        let upr = by_row(&import, 3);
        assert_eq!(upr.id, UUID_1, "the id is trimmed");
        assert_eq!(upr.countries, ["COL"]);
        assert_eq!(upr.mechanism, Mechanism::Upr);
        assert_eq!(upr.body, "UPR");
        assert_eq!(upr.symbol, "A/HRC/55/5");
        assert_eq!(upr.paragraph.as_deref(), Some("121.37"));
        assert!(upr.text.starts_with("121.37 Strengthen"), "text kept as issued");
        assert_eq!(upr.date.as_deref(), Some("2026-02-25"));
        assert_eq!(upr.kind.as_deref(), Some("Recommendation"));
        assert_eq!(upr.themes, ["Right to adequate housing", "Land rights"]);
        assert_eq!(upr.affected, ["Persons living in rural areas"]);
        assert_eq!(upr.sdgs, ["11.1", "1.4"]);
        assert_eq!(upr.position.as_deref(), Some("supported"));
        assert_eq!(upr.recommending_states, ["Brazil", "Chile"]);
        assert_eq!(upr.upr_session, Some(44));
        assert_eq!(upr.upr_cycle(), Some(4));
        assert_eq!(upr.source_file, "uhri-export.xlsx");
        assert_eq!(upr.source_sha256, import.sha256);
        assert_eq!(upr.source_sha256.len(), 64);
        assert_eq!(upr.imported_at, NOW);
        assert_eq!(upr.updated_at, NOW);

        let noted = by_row(&import, 4);
        assert_eq!(noted.countries, ["BOL"]);
        assert_eq!(noted.position.as_deref(), Some("noted"));
        assert_eq!(noted.upr_session, Some(44));
        assert_eq!(noted.date.as_deref(), Some("2026-04-13"));
        assert_eq!(noted.text, "Ratify the Optional Protocol\nto the Covenant");
        assert_eq!(noted.paragraph, None);
        assert!(noted.sdgs.is_empty());
        assert_eq!(noted.themes, Vec::<String>::new());

        let tb = by_row(&import, 5);
        assert_eq!(tb.mechanism, Mechanism::TreatyBody);
        assert_eq!(tb.body, "CESCR");
        assert_eq!(tb.countries, ["VEN", "TUR"]);
        assert_eq!(tb.paragraph.as_deref(), Some("23"));
        assert_eq!(tb.date.as_deref(), Some("2017-10-19"), "a date cell");
        assert_eq!(tb.kind.as_deref(), Some("Concerns/Observations"));
        assert_eq!(tb.position, None);
        assert!(tb.id.starts_with("h-") && tb.id.len() == 18, "{}", tb.id);
        let expected = crate::export::sha256_hex(
            "VEN;TUR|E/C.12/COL/CO/7|23|23. The Committee recommends that the State adopt a \
             housing law."
                .as_bytes(),
        );
        assert_eq!(tb.id, format!("h-{}", &expected[..16]));

        let sp = by_row(&import, 6);
        assert_eq!(sp.mechanism, Mechanism::SpecialProcedure);
        assert_eq!(sp.body, "SR on adequate housing");
        assert_eq!(sp.countries, ["CIV"]);
        assert_eq!(sp.text, "=1+1 Ensure access to water", "control removed, text kept");
        assert_eq!(sp.date.as_deref(), Some("2024-03-28"));
        assert_eq!(sp.id, UUID_2);

        let ie = by_row(&import, 11);
        assert_eq!(ie.mechanism, Mechanism::SpecialProcedure);
        assert_eq!(ie.countries, ["IRN"]);
        assert_eq!(ie.date, None);

        let crc = by_row(&import, 12);
        assert_eq!(crc.mechanism, Mechanism::TreatyBody);
        assert_eq!(crc.countries, ["GBR"]);
        assert_eq!(crc.paragraph.as_deref(), Some("12"));

        assert_eq!(
            codes(&import),
            [
                (4, "W-REC-SDG"),
                (7, "E-REC-COUNTRY"),
                (8, "E-REC-NO-TEXT"),
                (9, "W-REC-DUPLICATE"),
                (11, "W-REC-DATE"),
            ]
        );
        let p = |code: &str| import.problems.iter().find(|p| p.code == code).expect(code);
        assert_eq!(p("W-REC-SDG").column.as_deref(), Some("SDGs"));
        assert!(p("W-REC-SDG").message.contains("Goal 11"), "{}", p("W-REC-SDG").message);
        assert_eq!(p("E-REC-COUNTRY").severity, Severity::Error);
        assert!(p("E-REC-COUNTRY").message.contains("\"Atlantis\""));
        assert!(p("E-REC-COUNTRY").message.contains("row 7"));
        assert_eq!(p("E-REC-COUNTRY").column.as_deref(), Some("Countries_Concerned"));
        assert_eq!(p("E-REC-NO-TEXT").column.as_deref(), Some("TEXT"));
        let dup = p("W-REC-DUPLICATE");
        assert_eq!(dup.severity, Severity::Warning);
        assert!(dup.message.contains("row 9") && dup.message.contains("row 3"), "{}", dup.message);
        assert!(dup.message.contains(UUID_1));
        assert!(p("W-REC-DATE").message.contains("\"soon\""));
        assert!(import.problems.iter().all(|p| p.hint.as_deref().is_some_and(|h| !h.is_empty())));
        assert!(import.has_errors());
    }

    #[test]
    fn messages_follow_the_language() {
        let bytes = uhri_xlsx();
        let es = import_bytes(Path::new("u.xlsx"), &bytes, &limits(), NOW, Lang::Es).expect("es");
        let fr = import_bytes(Path::new("u.xlsx"), &bytes, &limits(), NOW, Lang::Fr).expect("fr");
        let en = import("u.xlsx", &bytes).expect("en");
        for (a, b) in [(&en, &es), (&en, &fr), (&es, &fr)] {
            assert_eq!(codes(a), codes(b));
            for (pa, pb) in a.problems.iter().zip(&b.problems) {
                assert_ne!(pa.message, pb.message);
                assert_ne!(pa.hint, pb.hint);
            }
        }
        let country = es.problems.iter().find(|p| p.code == "E-REC-COUNTRY").expect("country");
        assert!(country.message.contains("Atlantis") && country.message.contains('7'));
        assert!(!country.message.contains('{'), "{}", country.message);
    }

    #[test]
    fn reads_a_uhri_csv_with_semicolons_multiline_cells_and_a_bom() {
        let csv = "\u{FEFF}Text;Countries Concerned;Reccomending Body;Document Symbol;Themes;\
                   Sdgs;Document Publication Date;UPR Reccomending States;UPR Position;\
                   OHCHR Annotation Id;UPR Session\r\n\
                   \"120.45 Guarantee the right to housing; evict no one\";- Colombia;- UPR;\
                   - A/HRC/39/6;\"- Right to adequate housing\r\n- Right to food\";\
                   \"- 11.1 - Slums\r\n- 2.1 - Hunger\";43290;\"- Spain\r\n- Peru\";\
                   - Supported;abc-1;- 30\r\n\
                   \"The Committee recommends\r\nthat \"\"housing\"\" be a right\";\
                   - Mexico;- CESCR;- E/C.12/MEX/CO/5-6;;;2018-03-29;;;abc-2;\r\n";
        let import = import("uhri.csv", csv.as_bytes()).expect("imported");
        assert_eq!(import.format, ExportFormat::Uhri);
        assert_eq!(import.sheet, None);
        assert_eq!(import.rows, 2);
        assert!(import.problems.is_empty(), "{:#?}", import.problems);
        let upr = by_row(&import, 2);
        assert_eq!(upr.id, "abc-1");
        assert_eq!(upr.text, "120.45 Guarantee the right to housing; evict no one");
        assert_eq!(upr.paragraph.as_deref(), Some("120.45"));
        assert_eq!(upr.themes, ["Right to adequate housing", "Right to food"]);
        assert_eq!(upr.sdgs, ["11.1", "2.1"]);
        assert_eq!(upr.recommending_states, ["Spain", "Peru"]);
        assert_eq!(upr.date.as_deref(), Some("2018-07-09"));
        assert_eq!(upr.upr_session, Some(30));
        assert_eq!(upr.upr_cycle(), Some(3));
        let tb = by_row(&import, 3);
        assert_eq!(tb.text, "The Committee recommends\nthat \"housing\" be a right");
        assert_eq!(tb.countries, ["MEX"]);
        assert_eq!(tb.mechanism, Mechanism::TreatyBody);
        assert_eq!(tb.date.as_deref(), Some("2018-03-29"));
        assert_eq!(tb.paragraph, None);
    }

    #[test]
    fn reads_a_plain_csv() {
        let csv = "id,text,mechanism,body,symbol,paragraph,date,themes,sdgs,position,country,\
                   recommending_states,upr_session\n\
                   NRT-1,Adopt a housing policy,UPR,UPR,A/HRC/39/6,120.45,2018-07-09,\
                   \"Right to adequate housing; Right to food\",11.1;1.4,Accepted,COL,\
                   Brazil;Chile,30\n\
                   NRT-2,Ensure water in every district,treaty,CESCR,E/C.12/COL/CO/6,,28/03/2024,\
                   Safe drinking water & sanitation,6.1,,Colombia,,\n\
                   NRT-3,Report every year,ombudsman,Defensoría del Pueblo,,,45000,,,,col,,\n\
                   NRT-4,Consult cities,upr,UPR,,,,,,maybe,\"COL;Peru\",,\n\
                   NRT-5,Train the police,Special_Procedure,Somebody,,,,,,,COL,,\n";
        let import = import("tracking.csv", csv.as_bytes()).expect("imported");
        assert_eq!(import.format, ExportFormat::Plain);
        assert_eq!(import.recommendations.len(), 5);
        let a = by_row(&import, 2);
        assert_eq!(a.id, "NRT-1");
        assert_eq!(a.mechanism, Mechanism::Upr);
        assert_eq!(a.paragraph.as_deref(), Some("120.45"));
        assert_eq!(a.citation("para."), "A/HRC/39/6, para. 120.45");
        assert_eq!(a.themes, ["Right to adequate housing", "Right to food"]);
        assert_eq!(a.sdgs, ["11.1", "1.4"]);
        assert_eq!(a.position.as_deref(), Some("supported"));
        assert_eq!(a.recommending_states, ["Brazil", "Chile"]);
        assert_eq!(a.upr_session, Some(30));
        let b = by_row(&import, 3);
        assert_eq!(b.mechanism, Mechanism::TreatyBody);
        assert_eq!(b.date.as_deref(), Some("2024-03-28"));
        assert_eq!(b.countries, ["COL"]);
        let c = by_row(&import, 4);
        assert_eq!(c.mechanism, Mechanism::Other, "classified from the body");
        assert_eq!(c.body, "Defensoría del Pueblo");
        assert_eq!(c.date.as_deref(), Some("2023-03-15"));
        let d = by_row(&import, 5);
        assert_eq!(d.countries, ["COL", "PER"]);
        assert_eq!(d.position, None);
        let e = by_row(&import, 6);
        assert_eq!(e.mechanism, Mechanism::SpecialProcedure, "the column wins");
        assert_eq!(codes(&import), [(4, "W-REC-MECHANISM"), (5, "W-REC-POSITION")]);
        let m = &import.problems[0];
        assert_eq!(m.column.as_deref(), Some("mechanism"));
        assert!(
            m.message.contains("\"ombudsman\"") && m.message.contains("other"),
            "{}",
            m.message
        );
    }

    #[test]
    fn reads_latin1_and_windows_1252_text() {
        let mut bytes = b"text\tcountry\tbody\n".to_vec();
        bytes.extend_from_slice(
            b"Am\xe9liorer l\x92acc\xe8s au logement\tC\xf4te d'Ivoire\tCEDAW\n",
        );
        let import = import("liste.tsv", &bytes).expect("imported");
        assert_eq!(import.format, ExportFormat::Plain);
        let r = by_row(&import, 2);
        assert_eq!(r.text, "Améliorer l’accès au logement");
        assert_eq!(r.countries, ["CIV"]);
        assert_eq!(r.mechanism, Mechanism::TreatyBody);
        assert!(r.id.starts_with("h-"));
    }

    #[test]
    fn reads_utf16_text_from_excel() {
        let text = "\u{FEFF}text\tcountry\tmechanism\nRéviser la loi\tPérou\tother\n";
        let mut bytes = Vec::new();
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let import = import("export.txt", &bytes).expect("imported");
        let r = by_row(&import, 2);
        assert_eq!(r.text, "Réviser la loi");
        assert_eq!(r.countries, ["PER"]);
        assert_eq!(r.mechanism, Mechanism::Other);
    }

    #[test]
    fn the_same_content_gives_the_same_id_and_a_duplicate_warning() {
        let csv = "text,country,body\nAdopt a law,Peru,CEDAW\nAdopt a law,PER,CEDAW\n";
        let import = import("x.csv", csv.as_bytes()).expect("imported");
        assert_eq!(import.recommendations.len(), 1);
        assert_eq!(codes(&import), [(3, "W-REC-DUPLICATE")]);
        assert_eq!(import.problems[0].column, None, "no id column");
    }

    #[test]
    fn refuses_files_that_are_not_exports_naming_the_headers() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("Housing").expect("name");
        for (c, h) in ["ID", "Question", "Answer", "Unit"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).expect("header");
        }
        ws.write_string(1, 0, "HOU_Q01").expect("cell");
        let bytes = wb.save_to_buffer().expect("xlsx");
        let err = import("return.xlsx", &bytes).expect_err("a return is not an export");
        match &err {
            ImportError::NotAnExport { found, sheet, row } => {
                assert_eq!(found, &["ID", "Question", "Answer", "Unit"]);
                assert_eq!(sheet.as_deref(), Some("Housing"));
                assert_eq!(*row, Some(1));
            }
            other => panic!("{other:?}"),
        }
        let message = err.message(Lang::En);
        assert!(message.contains("Countries Concerned") && message.contains("Reccomending Body"));
        assert!(message.contains("\"ID\", \"Question\"") && message.contains("Housing"));
        assert!(err.hint(Lang::En).is_some_and(|h| h.contains("uhri.ohchr.org")));
        assert_eq!(err.code(), "E-REC-NOT-EXPORT");
        assert_eq!(err.to_string(), message);
        assert_ne!(err.message(Lang::Es), message);
        assert_ne!(err.message(Lang::Fr), message);
        assert!(err.message(Lang::Fr).contains("\"Answer\""));

        let err = import("random.csv", b"a,b\n1,2\n").expect_err("not an export");
        match &err {
            ImportError::NotAnExport { found, .. } => assert_eq!(found, &["a", "b"]),
            other => panic!("{other:?}"),
        }
        assert!(err.message(Lang::En).contains("text, country"));

        // The closest row is named, not merely the first.
        let csv = "Report of 2024\nText,Countries Concerned,Document Symbol\nx,y,z\n";
        match import("near.csv", csv.as_bytes()) {
            Err(ImportError::NotAnExport { found, row, .. }) => {
                assert_eq!(found, ["Text", "Countries Concerned", "Document Symbol"]);
                assert_eq!(row, Some(2));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn refuses_empty_garbage_and_oversized_files() {
        assert!(matches!(import("e.csv", b""), Err(ImportError::Empty)));
        assert!(matches!(import("e.xlsx", b""), Err(ImportError::Empty)));
        assert!(matches!(import("e.csv", b"\xEF\xBB\xBF \r\n"), Err(ImportError::Empty)));
        let garbage: Vec<u8> =
            (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        for name in ["g.xlsx", "g.xls", "g.ods", "g.xlsb"] {
            let err = import(name, &garbage).expect_err(name);
            assert!(
                matches!(err, ImportError::NotASpreadsheet(_) | ImportError::Damaged(_)),
                "{name}: {err:?}"
            );
        }
        // A real workbook cut short.
        let xlsx = uhri_xlsx();
        let mut cut = xlsx[..xlsx.len() / 2].to_vec();
        cut.extend_from_slice(&[0; 64]);
        let err = import("cut.xlsx", &cut).expect_err("damaged");
        assert_eq!(err.code(), "E-FILE-DAMAGED", "{err:?}");
        // Text under a spreadsheet's name that is not an export.
        assert!(matches!(import("t.xlsx", b"hello world"), Err(ImportError::NotASpreadsheet(_))));
        let small = Limits { file_bytes: 10, ..limits() };
        let err = import_bytes(Path::new("big.csv"), b"text,country,body\n", &small, NOW, Lang::En)
            .expect_err("too large");
        assert!(matches!(err, ImportError::TooLarge { size: 18, limit: 10 }), "{err:?}");
        assert!(
            matches!(import("x.pdf", b"%PDF-1.7"), Err(ImportError::Unsupported(e)) if e == "pdf")
        );
    }

    #[test]
    fn reads_tab_separated_text_saved_as_xls() {
        let tsv = "Text\tCountries Concerned\tReccomending Body\tDocument Symbol\n\
                   Adopt a law\t- Peru\t- CEDAW\tCEDAW/C/PER/CO/9\n";
        let import = import("export.xls", tsv.as_bytes()).expect("read as text");
        assert_eq!(import.format, ExportFormat::Uhri);
        assert_eq!(by_row(&import, 2).countries, ["PER"]);
    }

    #[test]
    fn csv_rows_are_numbered_as_a_spreadsheet_shows_them() {
        let lf = "text,country,body\n\"Two\nlines\",Peru,CEDAW\n\n\n,Peru,CEDAW\nLast,Peru,X\n";
        let crlf = lf.replace('\n', "\r\n");
        let cr = lf.replace('\n', "\r");
        for csv in [lf, &crlf, &cr] {
            let import = import("rows.csv", csv.as_bytes()).expect("imported");
            assert_eq!(import.rows, 3, "the two empty lines are not data rows");
            assert_eq!(by_row(&import, 2).text, "Two\nlines");
            assert_eq!(codes(&import), [(5, "E-REC-NO-TEXT")], "{csv:?}");
            assert_eq!(by_row(&import, 6).text, "Last");
        }
    }

    #[test]
    fn cuts_enormous_cells_with_a_warning() {
        let long = "x".repeat(MAX_CELL_CHARS + 10);
        let csv = format!("text,country,body\n{long},Peru,CEDAW\n");
        let import = import("long.csv", csv.as_bytes()).expect("imported");
        assert_eq!(by_row(&import, 2).text.chars().count(), MAX_CELL_CHARS);
        assert_eq!(codes(&import), [(2, "W-REC-LONG-CELL")]);
        assert_eq!(import.problems[0].column.as_deref(), Some("text"));
    }

    #[test]
    fn reads_files_and_refuses_folders_and_pipes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("recs.csv");
        std::fs::write(&path, "text,country,body\nAdopt a law,Peru,CEDAW\n").expect("write");
        let import = import_file(&path, &limits(), NOW, Lang::Fr).expect("imported");
        assert_eq!(import.file, path);
        assert_eq!(import.recommendations[0].source_file, "recs.csv");
        let folder = dir.path().join("folder.csv");
        std::fs::create_dir(&folder).expect("mkdir");
        assert!(matches!(import_file(&folder, &limits(), NOW, Lang::En), Err(ImportError::Folder)));
        let missing = import_file(&dir.path().join("none.csv"), &limits(), NOW, Lang::En);
        assert!(matches!(missing, Err(ImportError::Io(_))));
        let small = Limits { file_bytes: 5, ..limits() };
        assert!(matches!(
            import_file(&path, &small, NOW, Lang::En),
            Err(ImportError::TooLarge { limit: 5, .. })
        ));
        #[cfg(unix)]
        {
            let fifo = dir.path().join("pipe.csv");
            let c = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).expect("path");
            // SAFETY: a valid NUL-terminated path.
            let made = unsafe { libc::mkfifo(c.as_ptr(), 0o600) };
            assert_eq!(made, 0);
            let err = import_file(&fifo, &limits(), NOW, Lang::En).expect_err("a pipe");
            assert!(matches!(err, ImportError::NotAFile(FileKind::NamedPipe)), "{err:?}");
            assert!(err.message(Lang::En).contains("named pipe"));
        }
    }

    #[test]
    fn un_country_names_are_found() {
        for (name, code) in [
            ("Bolivia (Plurinational State of)", "BOL"),
            ("Venezuela (Bolivarian Republic of)", "VEN"),
            ("Iran (Islamic Republic of)", "IRN"),
            ("Micronesia (Federated States of)", "FSM"),
            ("Netherlands (Kingdom of the)", "NLD"),
            ("Türkiye", "TUR"),
            ("Côte d’Ivoire", "CIV"),
            ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
            ("Republic of Korea", "KOR"),
            ("Democratic People's Republic of Korea", "PRK"),
            ("Democratic Republic of the Congo", "COD"),
            ("Congo", "COG"),
            ("United Republic of Tanzania", "TZA"),
            ("Republic of Moldova", "MDA"),
            ("State of Palestine", "PSE"),
            ("Lao People's Democratic Republic", "LAO"),
            ("Syrian Arab Republic", "SYR"),
            ("Viet Nam", "VNM"),
            ("Russian Federation", "RUS"),
            ("Holy See", "VAT"),
            ("Eswatini", "SWZ"),
            ("United States of America", "USA"),
            ("COL", "COL"),
        ] {
            assert_eq!(country(name).as_deref(), Some(code), "{name}");
        }
        assert_eq!(country("Atlantis"), None);
        assert_eq!(country("Narnia (Kingdom of)"), None);
    }

    #[test]
    fn values_are_cleaned() {
        assert_eq!(strip_dash("- CEDAW"), "CEDAW");
        assert_eq!(strip_dash("-CEDAW"), "-CEDAW");
        assert_eq!(strip_dash("  -  "), "");
        assert_eq!(split_values("- a\n- b\n\n- a\n", false), ["a", "b"]);
        assert_eq!(split_values("a; b", true), ["a", "b"]);
        assert_eq!(split_values("a; b", false), ["a; b"]);
        assert_eq!(
            sdg_target("- 1.4 - Equal rights to economic resources").as_deref(),
            Some("1.4")
        );
        assert_eq!(sdg_target("- 11.A - Urban planning").as_deref(), Some("11.a"));
        assert_eq!(sdg_target("Target 16.10"), Some("16.10".into()));
        assert_eq!(sdg_target("Goal 1"), None);
        assert_eq!(sdg_target("99.1 nothing"), None);
        assert_eq!(upr_position("Partially supported"), Ok(Some("partially_supported")));
        assert_eq!(upr_position("- Accepted"), Ok(Some("supported")));
        assert_eq!(upr_position("perhaps"), Err(()));
        assert_eq!(first_integer("- 44"), Some(44));
        assert_eq!(first_integer("session 99999999999"), None);
        assert_eq!(classify("WG on arbitrary detention", false), Mechanism::SpecialProcedure);
        assert_eq!(classify("Special Rapporteur on housing", false), Mechanism::SpecialProcedure);
        assert_eq!(classify("CRC-OP-SC", false), Mechanism::TreatyBody);
        assert_eq!(classify("", true), Mechanism::Upr);
        assert_eq!(classify("Ombudsman", false), Mechanism::Other);
        assert_eq!(classify("SRI LANKA MISSION", false), Mechanism::Other);
        assert_eq!(leading_paragraph("121.37 Strengthen"), Some("121.37".into()));
        assert_eq!(leading_paragraph("23. The Committee"), Some("23".into()));
        assert_eq!(leading_paragraph("23) Adopt"), Some("23".into()));
        assert_eq!(leading_paragraph("para. 23 Adopt"), Some("23".into()));
        assert_eq!(leading_paragraph("1.4 million people"), None);
        assert_eq!(leading_paragraph("2030 Agenda"), None);
        assert_eq!(leading_paragraph("23 Adopt"), None);
        assert_eq!(leading_paragraph("Adopt 23. laws"), None);
        let (clean, n) = clean_cell("a\r\nb\rc\u{0}\u{202E}d");
        assert_eq!((clean.as_str(), n), ("a\nb\ncd", 6));
    }
}
