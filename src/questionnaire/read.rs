//! Reads a returned workbook (.xlsx, .xlsm, .xls, .xlsb, .ods) with calamine: finds the
//! header row and columns by their text in any language, and the questions by their ids
//! wherever they are, so inserted rows or columns, reordered rows, blank lines and renamed
//! sheets do not matter. The options of a multiple-choice question are found the same way,
//! by the ids of their rows (`WRK_Q06.none`, template 2); a return made from template 1
//! has them in the question's own cell, separated by `;`, and reads as before.

use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use calamine::{open_workbook_from_rs, Data, Range, Reader, Sheets};

use super::answer::{telling_option, Date, OptionCell, RawCell, Tick};
use super::layout::{
    split_option_id, Column, META_PREFILLED, META_PREFILLED_FROM, META_PREFILLED_YEAR, META_REC,
    META_REC_COUNTRY, META_SHEET,
};
use super::limits::{check_ods, inflate, sheet_range, Limits, Parts};
use super::CellRef;
use crate::framework::{Framework, QuestionType};
use crate::i18n::Lang;

/// What the hidden `_hrcities` sheet says about the workbook.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Template {
    pub template_version: String,
    pub framework_id: String,
    pub framework_version: String,
    /// The language the workbook was written in.
    pub language: Option<Lang>,
    /// The country whose UN recommendations the workbook lists (`None`: it lists none).
    pub recommendations_country: Option<String>,
    /// The ids of the recommendations it lists, in order.
    pub recommendations: Vec<String>,
    /// The sha256 of the earlier return whose answers it carries over, if it was prefilled
    /// (`questionnaire --prefill`); empty when that return's file is not known.
    pub prefilled_from: Option<String>,
    /// The reporting year of that return.
    pub prefilled_year: Option<i32>,
    /// The answers carried over, by question id, as
    /// [`super::prefill::canonical`] wrote them.
    pub prefilled: BTreeMap<String, String>,
}

/// One answer found in a workbook: a question's answer cell or, for a multiple-choice
/// question written one option per row, its option rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    /// The question id.
    pub question: String,
    /// The sheet it was found in.
    pub sheet: String,
    /// The answer cell; for option rows, the row that speaks for the answer
    /// ([`telling_option`]: the first that cannot be read, else the first ticked, …).
    pub cell: CellRef,
    /// What the cell holds ([`RawCell::Options`] for option rows).
    pub raw: RawCell,
    /// The Source / evidence column, if any.
    pub source: Option<String>,
    /// The Comment column, if any.
    pub comment: Option<String>,
    /// The "Who answers" column (the department that answers), if any.
    pub who: Option<String>,
}

/// A row of the breakdown sheet with an answer, as written: the validator resolves its
/// question, dimension and group against the framework.
#[derive(Clone, Debug, PartialEq)]
pub struct FoundGroup {
    /// The ID cell.
    pub question: String,
    /// The Breakdown cell (a dimension's label in any language, or its code).
    pub dimension: String,
    /// The Group cell (a category's label or code; a name the city wrote).
    pub category: String,
    pub sheet: String,
    /// The answer cell.
    pub cell: CellRef,
    pub raw: RawCell,
    pub source: Option<String>,
    pub comment: Option<String>,
}

/// A row of the recommendations sheet with an answer, as written (Contract 6).
#[derive(Clone, Debug, PartialEq)]
pub struct FoundFollowUp {
    /// The ID cell's text.
    pub id: String,
    pub sheet: String,
    /// The ID cell.
    pub id_cell: CellRef,
    /// The competence cell and what it holds.
    pub competence: (CellRef, RawCell),
    /// The status cell and what it holds.
    pub status: (CellRef, RawCell),
    pub department: Option<String>,
    pub action: Option<String>,
    pub source: Option<String>,
    pub comment: Option<String>,
}

/// Something the reader noticed about the workbook's structure (not about an answer).
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    /// No `_hrcities` sheet: read by ids anyway.
    NoTemplate,
    /// Made for another version of the framework; the ids it has that no longer exist.
    OtherVersion { version: String, unknown: Vec<String> },
    /// An id in an ID column that the framework does not have.
    UnknownId { id: String, sheet: String, cell: CellRef },
    /// The same question twice; the first is used.
    Duplicate { question: String, sheet: String, cell: CellRef, first: String },
    /// A framework question the workbook does not have.
    NotFound { question: String },
    /// A sheet with question ids but no header row naming the Answer column.
    NoHeader { sheet: String },
    /// The answer cell lies under merged cells (`area`, e.g. `C11:C12`) whose value is
    /// that of their first cell, not its own.
    Merged { question: String, sheet: String, cell: CellRef, area: String },
}

/// Everything read from one workbook.
#[derive(Clone, Debug, PartialEq)]
pub struct Workbook {
    /// The path as given.
    pub path: PathBuf,
    pub template: Option<Template>,
    /// Answer cells by question id, in framework order.
    pub found: Vec<Found>,
    /// The breakdown sheet's rows that have an answer, in sheet order.
    pub groups: Vec<FoundGroup>,
    /// The recommendations sheet, if the workbook has one, and its rows that have an
    /// answer, in sheet order.
    pub followup_sheet: Option<String>,
    pub followup: Vec<FoundFollowUp>,
    pub notices: Vec<Notice>,
}

impl Workbook {
    /// The language to read ambiguous numbers by: the template's, else `fallback`.
    pub fn language(&self, fallback: Lang) -> Lang {
        self.template.as_ref().and_then(|t| t.language).unwrap_or(fallback)
    }

    /// The answer cell of question `id`.
    pub fn get(&self, id: &str) -> Option<&Found> {
        self.found.iter().find(|f| f.question == id)
    }
}

/// Why a file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot open the file ({0})")]
    Io(#[from] std::io::Error),
    #[error("the file is empty")]
    Empty,
    #[error("this is not a spreadsheet (found {0})")]
    NotASpreadsheet(&'static str),
    #[error("unsupported file type .{0}")]
    Unsupported(String),
    #[error("the workbook is password-protected")]
    Encrypted,
    #[error("the workbook is damaged or truncated ({0})")]
    Damaged(String),
    /// The spreadsheet reader panicked on the file (its message and place).
    #[error("the spreadsheet reader stopped on this workbook ({0})")]
    ReaderPanic(String),
    /// Something other than a file under a return's name (a named pipe, a device, a
    /// socket): it is not opened, as opening a pipe waits for a writer.
    #[error("this is not a regular file but {0}")]
    NotAFile(FileKind),
    #[error("no sheet of this workbook has an ID column and an Answer column")]
    NoQuestions,
    #[error("sheet {sheet} is damaged ({detail})")]
    SheetDamaged { sheet: String, detail: String },
    #[error("the file is {size} bytes, more than the limit of {limit}")]
    TooLarge { size: u64, limit: u64 },
    #[error("the workbook unzips to more than {limit} bytes")]
    Unzipped { limit: u64 },
    #[error(
        "sheet {sheet} spans {rows} rows × {cols} columns up to {cell}, more than {limit} cells"
    )]
    SheetTooLarge { sheet: String, cell: CellRef, rows: u64, cols: u64, limit: u64 },
}

impl ReadError {
    /// The stable diagnostic code.
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::Io(_) => "E-FILE-OPEN",
            ReadError::Empty => "E-FILE-EMPTY",
            ReadError::NotASpreadsheet(_) => "E-FILE-NOT-SPREADSHEET",
            ReadError::Unsupported(_) => "E-FILE-UNSUPPORTED",
            ReadError::Encrypted => "E-FILE-ENCRYPTED",
            ReadError::Damaged(_) | ReadError::SheetDamaged { .. } | ReadError::ReaderPanic(_) => {
                "E-FILE-DAMAGED"
            }
            ReadError::NotAFile(_) => "E-FILE-NOT-REGULAR",
            ReadError::NoQuestions => "E-FILE-NO-QUESTIONS",
            ReadError::TooLarge { .. } => "E-FILE-TOO-LARGE",
            ReadError::Unzipped { .. } => "E-FILE-UNZIPPED-TOO-LARGE",
            ReadError::SheetTooLarge { .. } => "E-SHEET-TOO-LARGE",
        }
    }
}

/// The file extensions the reader accepts.
pub const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xls", "xlsb", "ods"];

/// What is under a return's name when it is not a regular file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    NamedPipe,
    Socket,
    Device,
    Other,
}

impl FileKind {
    /// The key of its name in the messages (`word.file_kind.…`).
    pub fn key(self) -> &'static str {
        match self {
            FileKind::NamedPipe => "word.file_kind.pipe",
            FileKind::Socket => "word.file_kind.socket",
            FileKind::Device => "word.file_kind.device",
            FileKind::Other => "word.file_kind.other",
        }
    }

    fn of(file_type: std::fs::FileType) -> FileKind {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if file_type.is_fifo() {
                return FileKind::NamedPipe;
            }
            if file_type.is_socket() {
                return FileKind::Socket;
            }
            if file_type.is_char_device() || file_type.is_block_device() {
                return FileKind::Device;
            }
        }
        let _ = file_type;
        FileKind::Other
    }
}

impl std::fmt::Display for FileKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(crate::i18n::tr(Lang::En, self.key()))
    }
}

/// The bytes of the return at `path`. A missing file or a folder is reported as such,
/// whatever its name; anything that is not a regular file (or a link to one) is refused
/// without being opened, as opening a named pipe waits for a writer for ever; a file of a
/// format hrcities does not read is refused before it is read; a file larger than `limits`
/// allow is refused without reading it.
pub fn read_file(path: &Path, limits: &Limits) -> Result<Vec<u8>, ReadError> {
    read_regular(path, limits.file_bytes, || {
        if EXTENSIONS.contains(&extension(path).as_str()) {
            Ok(())
        } else {
            Err(ReadError::Unsupported(extension(path)))
        }
    })
}

/// The bytes of the regular file at `path`, at most `limit` of them: `metadata` first (it
/// follows links and opens nothing), so a folder or a named pipe is refused unopened; then
/// `accept` (a check of the name), then the file opened without waiting and looked at
/// again; read up to the limit and no further.
pub fn read_regular(
    path: &Path,
    limit: u64,
    accept: impl FnOnce() -> Result<(), ReadError>,
) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(ReadError::Io(std::io::Error::other("this is a folder, not a file")));
    }
    if !meta.is_file() {
        return Err(ReadError::NotAFile(FileKind::of(meta.file_type())));
    }
    accept()?;
    let f = open_without_waiting(path)?;
    // The name may have been given to something else between the two looks.
    let meta = f.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile(FileKind::of(meta.file_type())));
    }
    let too_large = |size| ReadError::TooLarge { size, limit };
    if meta.len() > limit {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // A file that grows while it is read stops at the limit too.
    f.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Opens `path` for reading; on Unix with `O_NONBLOCK`, so that a named pipe put there
/// after it was looked at does not make the open wait (reading a regular file is not
/// changed by the flag).
fn open_without_waiting(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// The file's extension, lowercase.
fn extension(path: &Path) -> String {
    path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default()
}

fn sniff(path: &Path, bytes: &[u8]) -> Result<(), ReadError> {
    let ext = extension(path);
    if !EXTENSIONS.contains(&ext.as_str()) {
        return Err(ReadError::Unsupported(ext));
    }
    let n = bytes.len().min(8);
    let head = &bytes[..n];
    if n == 0 {
        return Err(ReadError::Empty);
    }
    let zip = head.starts_with(b"PK\x03\x04");
    let ole = head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    match (ext.as_str(), zip, ole) {
        ("xlsx" | "xlsm" | "xlsb", false, true) => Err(ReadError::Encrypted),
        ("xlsx" | "xlsm" | "xlsb" | "ods", true, _) | ("xls", _, true) => Ok(()),
        _ if head.starts_with(b"%PDF") => Err(ReadError::NotASpreadsheet("a PDF document")),
        _ if zip => Err(ReadError::NotASpreadsheet("a zip archive of another kind")),
        _ if ole => Err(ReadError::NotASpreadsheet("an old Office document of another kind")),
        // The BOF record of a BIFF2, BIFF3 or BIFF4 worksheet: Excel 2.x to 4.0, before
        // workbooks were OLE files. calamine reads BIFF5 (Excel 5.0) and later.
        ("xls", _, _) if matches!(head, [0x09, 0x00 | 0x02 | 0x04, ..]) => {
            Err(ReadError::Unsupported("xls (Excel 4.0 or older)".into()))
        }
        _ if head.iter().all(|b| *b >= 0x20 || b"\t\n\r".contains(b)) => {
            Err(ReadError::NotASpreadsheet("text"))
        }
        _ => Err(ReadError::NotASpreadsheet("unknown binary data")),
    }
}

fn raw_cell(data: &Data) -> RawCell {
    match data {
        Data::Empty => RawCell::Empty,
        Data::Int(i) => RawCell::Number(*i as f64),
        Data::Float(f) => RawCell::Number(*f),
        Data::String(s) => {
            if s.trim().is_empty() {
                RawCell::Empty
            } else {
                RawCell::Text(s.clone())
            }
        }
        Data::Bool(b) => RawCell::Bool(*b),
        Data::DateTime(dt) => match Date::from_excel_serial(dt.as_f64()) {
            Some(d) if dt.is_datetime() => RawCell::Date(d),
            _ => RawCell::Number(dt.as_f64()),
        },
        Data::DateTimeIso(s) => match Date::parse(s) {
            Some(d) => RawCell::Date(d),
            None => RawCell::Text(s.clone()),
        },
        Data::DurationIso(s) => RawCell::Text(s.clone()),
        Data::Error(e) => RawCell::Error(format!("{e}")),
    }
}

fn text_of(data: &Data) -> Option<String> {
    match raw_cell(data) {
        RawCell::Empty => None,
        other => Some(other.text().trim().to_string()),
    }
}

/// Reads the workbook at `path` against the questions of `fw`.
pub fn read_workbook(path: &Path, fw: &Framework) -> Result<Workbook, ReadError> {
    let limits = Limits::default();
    let bytes = read_file(path, &limits)?;
    read_workbook_bytes(path, &bytes, fw, &limits)
}

/// Opens `bytes` as the spreadsheet format of `path`'s extension.
fn open<'a>(path: &Path, bytes: &'a [u8]) -> Result<Sheets<Cursor<&'a [u8]>>, calamine::Error> {
    let rs = Cursor::new(bytes);
    Ok(match extension(path).as_str() {
        "xls" => Sheets::Xls(open_workbook_from_rs(rs)?),
        "xlsb" => Sheets::Xlsb(open_workbook_from_rs(rs)?),
        "ods" => Sheets::Ods(open_workbook_from_rs(rs)?),
        _ => Sheets::Xlsx(open_workbook_from_rs(rs)?),
    })
}

/// Reads the workbook `bytes`, read from `path` (whose extension says the format),
/// against the questions of `fw`, within `limits`. A panic of the spreadsheet reader (or
/// of the zip and XML readers under it) on these bytes is caught and becomes
/// [`ReadError::ReaderPanic`]: one damaged file never stops a batch.
pub fn read_workbook_bytes(
    path: &Path,
    bytes: &[u8],
    fw: &Framework,
    limits: &Limits,
) -> Result<Workbook, ReadError> {
    crate::guard::catch(|| read_workbook_bytes_unguarded(path, bytes, fw, limits))
        .unwrap_or_else(|message| Err(ReadError::ReaderPanic(message)))
}

/// [`read_workbook_bytes`] without the guard: a panic of the reader (or of hrcities) goes
/// up. For the fuzz targets, which must see every panic to report it.
pub fn read_workbook_bytes_unguarded(
    path: &Path,
    bytes: &[u8],
    fw: &Framework,
    limits: &Limits,
) -> Result<Workbook, ReadError> {
    sniff(path, bytes)?;
    read_sniffed(path, bytes, fw, limits)
}

/// A sheet's name and its cells as text, by row and column (`None`: empty).
pub type TextSheet = (String, Vec<Vec<Option<String>>>);

/// Every sheet of the spreadsheet `bytes` (read from `path`, whose extension says the
/// format) as text cells, within `limits` and with the reader's panics caught, in the
/// order of the workbook: for files that are not returns (recommendation exports). Each
/// sheet's rows are absolute: row 0 is the sheet's first row, column 0 column A.
pub fn read_sheets(
    path: &Path,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Vec<TextSheet>, ReadError> {
    crate::guard::catch(|| {
        sniff(path, bytes)?;
        let (_, source) = unpacked(path, bytes, limits)?;
        let mut wb =
            open(path, &source).map_err(|e| ReadError::Damaged(first_line(&e.to_string())))?;
        let mut out = Vec::new();
        for name in wb.sheet_names() {
            let range = sheet_range(&mut wb, &name, limits.cells)?;
            let mut rows: Vec<Vec<Option<String>>> = Vec::new();
            if let Some((r0, c0)) = range.start() {
                let (r0, c0) = (r0 as usize, c0 as usize);
                rows.resize(r0 + range.height(), Vec::new());
                for (r, row) in range.rows().enumerate() {
                    let mut cells = vec![None; c0];
                    cells.extend(row.iter().map(|d| match raw_cell(d) {
                        RawCell::Empty => None,
                        other => Some(other.text()),
                    }));
                    rows[r0 + r] = cells;
                }
            }
            out.push((name, rows));
        }
        Ok(out)
    })
    .unwrap_or_else(|message| Err(ReadError::ReaderPanic(message)))
}

/// A spreadsheet's bytes ready for calamine, within `limits`. A zipped workbook is
/// inflated once: the limits, hrcities' scan of the sheets' XML (the parts, returned) and
/// calamine (given the parts stored, not compressed) all read the same bytes; any other
/// format is given as it is.
fn unpacked<'a>(
    path: &Path,
    bytes: &'a [u8],
    limits: &Limits,
) -> Result<(Option<Parts>, std::borrow::Cow<'a, [u8]>), ReadError> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return Ok((None, std::borrow::Cow::Borrowed(bytes)));
    }
    let parts = inflate(bytes, limits.unzipped_bytes)?;
    if extension(path) == "ods" {
        check_ods(&parts, limits.cells)?;
    }
    let stored = parts.stored_zip()?;
    Ok((Some(parts), std::borrow::Cow::Owned(stored)))
}

/// [`read_workbook_bytes`] once the first bytes say the format matches the extension.
fn read_sniffed(
    path: &Path,
    bytes: &[u8],
    fw: &Framework,
    limits: &Limits,
) -> Result<Workbook, ReadError> {
    let (parts, source) = unpacked(path, bytes, limits)?;
    let mut wb = open(path, &source).map_err(|e| ReadError::Damaged(first_line(&e.to_string())))?;
    let names = wb.sheet_names();
    let mut template = None;
    let mut sheets: Vec<(String, Range<Data>)> = Vec::new();
    for name in &names {
        let range = sheet_range(&mut wb, name, limits.cells)?;
        if name == META_SHEET {
            template = Some(read_template(&range));
        } else if !name.starts_with('_') {
            // Sheets named `_…` are the toolkit's own (hidden lists), not questions.
            sheets.push((name.clone(), range));
        }
    }
    let is_xlsx = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xlsm"));
    let facts = match (&parts, is_xlsx) {
        (Some(parts), true) => super::percent::sheet_facts(parts),
        _ => Default::default(),
    };
    let known: HashMap<&str, usize> =
        fw.questions.iter().enumerate().map(|(i, q)| (q.id.as_str(), i)).collect();
    let mut found: BTreeMap<usize, Found> = BTreeMap::new();
    // The option rows of multiple-choice questions (`WRK_Q06.none`), by question.
    let mut options: BTreeMap<usize, Vec<OptionCell>> = BTreeMap::new();
    let mut groups: Vec<FoundGroup> = Vec::new();
    let mut followup_sheet = None;
    let mut followup: Vec<FoundFollowUp> = Vec::new();
    let mut notices = Vec::new();
    let mut unknown_ids = Vec::new();
    let mut any_header = false;
    for (sheet, range) in &sheets {
        let Some((start_row, start_col)) = range.start() else { continue };
        let Some((header_row, columns)) = find_header(range) else {
            let has_ids = range
                .used_cells()
                .any(|(_, _, d)| text_of(d).is_some_and(|t| known.contains_key(t.as_str())));
            if has_ids {
                notices.push(Notice::NoHeader { sheet: sheet.clone() });
            }
            continue;
        };
        any_header = true;
        let cell_at = |r: usize, c: usize| {
            CellRef::new((start_row as usize + r) as u32, (start_col as usize + c) as u32)
        };
        let text_at =
            |r: usize, col: Option<&usize>| col.and_then(|c| range.get((r, *c))).and_then(text_of);
        // The recommendations sheet: a Status column besides ID (no Answer column).
        if let (Some(&id_col), Some(&status_col), None) = (
            columns.get(&Column::Id),
            columns.get(&Column::FollowStatus),
            columns.get(&Column::Answer),
        ) {
            followup_sheet.get_or_insert_with(|| sheet.clone());
            let competence_col = columns.get(&Column::Competence).copied();
            for r in header_row + 1..range.height() {
                let Some(id) = range.get((r, id_col)).and_then(text_of) else { continue };
                let at =
                    |c: usize| (cell_at(r, c), range.get((r, c)).map_or(RawCell::Empty, raw_cell));
                let competence =
                    competence_col.map_or((cell_at(r, status_col), RawCell::Empty), at);
                let row = FoundFollowUp {
                    id,
                    sheet: sheet.clone(),
                    id_cell: cell_at(r, id_col),
                    competence,
                    status: at(status_col),
                    department: text_at(r, columns.get(&Column::Department)),
                    action: text_at(r, columns.get(&Column::Action)),
                    source: text_at(r, columns.get(&Column::Source)),
                    comment: text_at(r, columns.get(&Column::Comment)),
                };
                let blank = row.competence.1 == RawCell::Empty
                    && row.status.1 == RawCell::Empty
                    && row.department.is_none()
                    && row.action.is_none()
                    && row.source.is_none()
                    && row.comment.is_none();
                if !blank {
                    followup.push(row);
                }
            }
            continue;
        }
        let (Some(&id_col), Some(&answer_col)) =
            (columns.get(&Column::Id), columns.get(&Column::Answer))
        else {
            continue;
        };
        let answer_at = |r: usize, cell: CellRef| {
            let facts = facts.get(sheet);
            match range.get((r, answer_col)).map_or(RawCell::Empty, raw_cell) {
                RawCell::Number(n) if facts.is_some_and(|f| f.percent.contains(&cell)) => {
                    RawCell::PercentFraction(n)
                }
                RawCell::Empty => match facts.and_then(|f| f.formula_only.get(&cell)) {
                    Some(formula) => RawCell::Formula(formula.clone()),
                    None => RawCell::Empty,
                },
                other => other,
            }
        };
        // The breakdown sheet: a Breakdown and a Group column besides ID and Answer. Its
        // rows without an answer are the template's, left blank.
        if let (Some(&dim_col), Some(&cat_col)) =
            (columns.get(&Column::Dimension), columns.get(&Column::Category))
        {
            for r in header_row + 1..range.height() {
                let Some(id) = range.get((r, id_col)).and_then(text_of) else { continue };
                let cell = cell_at(r, answer_col);
                let raw = answer_at(r, cell);
                if raw == RawCell::Empty {
                    continue;
                }
                groups.push(FoundGroup {
                    question: id,
                    dimension: text_at(r, Some(&dim_col)).unwrap_or_default(),
                    category: text_at(r, Some(&cat_col)).unwrap_or_default(),
                    sheet: sheet.clone(),
                    cell,
                    raw,
                    source: text_at(r, columns.get(&Column::Source)),
                    comment: text_at(r, columns.get(&Column::Comment)),
                });
            }
            continue;
        }
        for r in header_row + 1..range.height() {
            let Some(id) = range.get((r, id_col)).and_then(text_of) else { continue };
            // The row of an option of a multiple-choice question, wherever it is.
            let option = split_option_id(&id).and_then(|(qid, code)| {
                let &index = known.get(qid)?;
                let q = &fw.questions[index];
                let choice = q.choices.iter().find(|c| c.code == code)?;
                (q.qtype == QuestionType::MultiChoice).then(|| (index, choice.code.clone()))
            });
            if let Some((index, code)) = option {
                let cell = cell_at(r, answer_col);
                let rows = options.entry(index).or_default();
                if let Some(first) = rows.iter().find(|o| o.code == code) {
                    notices.push(Notice::Duplicate {
                        question: id,
                        sheet: sheet.clone(),
                        cell,
                        first: format!("{}!{}", first.sheet, first.cell),
                    });
                } else {
                    let label =
                        text_at(r, columns.get(&Column::Question)).unwrap_or_else(|| code.clone());
                    let raw = answer_at(r, cell);
                    rows.push(OptionCell { code, label, sheet: sheet.clone(), cell, raw });
                }
                continue;
            }
            let Some(&index) = known.get(id.as_str()) else {
                if looks_like_id(&id) {
                    unknown_ids.push(id.clone());
                    notices.push(Notice::UnknownId {
                        id,
                        sheet: sheet.clone(),
                        cell: cell_at(r, id_col),
                    });
                }
                continue;
            };
            let cell = cell_at(r, answer_col);
            if let Some(first) = found.get(&index) {
                notices.push(Notice::Duplicate {
                    question: id,
                    sheet: sheet.clone(),
                    cell,
                    first: format!("{}!{}", first.sheet, first.cell),
                });
                continue;
            }
            let facts = facts.get(sheet);
            let raw = answer_at(r, cell);
            if let Some((first, last)) = facts.and_then(|f| {
                f.merged.iter().find(|(a, b)| {
                    (a.row..=b.row).contains(&cell.row)
                        && (a.col..=b.col).contains(&cell.col)
                        && *a != cell
                })
            }) {
                notices.push(Notice::Merged {
                    question: id.clone(),
                    sheet: sheet.clone(),
                    cell,
                    area: format!("{first}:{last}"),
                });
            }
            found.insert(
                index,
                Found {
                    question: id,
                    sheet: sheet.clone(),
                    cell,
                    raw,
                    source: text_at(r, columns.get(&Column::Source)),
                    comment: text_at(r, columns.get(&Column::Comment)),
                    who: text_at(
                        r,
                        columns.get(&Column::WhoAnswers).or(columns.get(&Column::Department)),
                    ),
                },
            );
        }
    }
    if !any_header {
        return Err(ReadError::NoQuestions);
    }
    merge_options(fw, &mut found, options);
    match &template {
        None => notices.insert(0, Notice::NoTemplate),
        // An older template of the same framework whose every id still exists reads as
        // it is (its questions newer than it are `not_asked`); anything else is told.
        Some(t)
            if t.framework_version != fw.version
                && (!unknown_ids.is_empty()
                    || t.framework_id != fw.id
                    || !fw.versions.contains(&t.framework_version)) =>
        {
            notices.insert(
                0,
                Notice::OtherVersion {
                    version: t.framework_version.clone(),
                    unknown: unknown_ids.clone(),
                },
            )
        }
        Some(_) => {}
    }
    for (i, q) in fw.questions.iter().enumerate() {
        if !found.contains_key(&i) && q.on_sheet() {
            notices.push(Notice::NotFound { question: q.id.clone() });
        }
    }
    Ok(Workbook {
        path: path.to_path_buf(),
        template,
        found: found.into_values().collect(),
        groups,
        followup_sheet,
        followup,
        notices,
    })
}

/// A multiple-choice question's answer from its option rows (template 2), or, when none
/// of them is written but the question's own answer cell is (template 1: the options'
/// codes or labels separated by `;`), from that cell as before. Written option rows win
/// over the question's cell, which the template locks. The answer's cell is the option row
/// that speaks for it; the question row keeps its sources, comment and who answers.
fn merge_options(
    fw: &Framework,
    found: &mut BTreeMap<usize, Found>,
    options: BTreeMap<usize, Vec<OptionCell>>,
) {
    for (index, rows) in options {
        let written = rows.iter().any(|o| Tick::of(&o.raw) != Tick::Blank);
        let own_cell = found.get(&index).is_some_and(|f| f.raw != RawCell::Empty);
        if own_cell && !written {
            continue;
        }
        let Some(tell) = telling_option(&rows) else { continue };
        let (sheet, cell) = (tell.sheet.clone(), tell.cell);
        let f = found.entry(index).or_insert_with(|| Found {
            question: fw.questions[index].id.clone(),
            sheet: sheet.clone(),
            cell,
            raw: RawCell::Empty,
            source: None,
            comment: None,
            who: None,
        });
        f.sheet = sheet;
        f.cell = cell;
        f.raw = RawCell::Options(rows);
    }
}

/// An id-like token: letters, digits and `_`, with a `_` (HOU_Q01, city_name), or the id
/// of an option row (`WRK_Q06.none`).
fn looks_like_id(s: &str) -> bool {
    let limit = if s.contains('.') { 80 } else { 40 };
    s.contains('_')
        && s.len() <= limit
        && s.matches('.').count() <= 1
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

/// The first line of an error message, at most 200 characters.
pub(super) fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").chars().take(200).collect()
}

/// The first row with an ID header and an Answer header, and where each column is.
fn find_header(range: &Range<Data>) -> Option<(usize, HashMap<Column, usize>)> {
    for r in 0..range.height().min(200) {
        let mut columns = HashMap::new();
        for c in 0..range.width().min(60) {
            if let Some(col) =
                range.get((r, c)).and_then(text_of).and_then(|t| Column::from_header(&t))
            {
                columns.entry(col).or_insert(c);
            }
        }
        let answers =
            columns.contains_key(&Column::Answer) || columns.contains_key(&Column::FollowStatus);
        if columns.contains_key(&Column::Id) && answers {
            return Some((r, columns));
        }
    }
    None
}

fn read_template(range: &Range<Data>) -> Template {
    let mut t = Template::default();
    for r in 0..range.height() {
        let (Some(key), Some(value)) =
            (range.get((r, 0)).and_then(text_of), range.get((r, 1)).and_then(text_of))
        else {
            continue;
        };
        match key.as_str() {
            "template_version" => t.template_version = value,
            "framework_id" => t.framework_id = value,
            "framework_version" => t.framework_version = value,
            "language" => t.language = Lang::from_code(&value),
            META_REC_COUNTRY => t.recommendations_country = Some(value),
            META_REC => t.recommendations.push(value),
            META_PREFILLED_FROM => t.prefilled_from = Some(value),
            META_PREFILLED_YEAR => t.prefilled_year = value.parse().ok(),
            // `prefilled | question id | value`: the value in the third column.
            META_PREFILLED => {
                let canon = range.get((r, 2)).and_then(text_of).unwrap_or_default();
                t.prefilled.insert(value, canon);
            }
            _ => {}
        }
    }
    t
}
