//! Writing files: tables for people as CSV, Parquet and XLSX (text guarded against formula
//! injection where a spreadsheet would run it), every file written atomically (and noted
//! for a JSON manifest when asked), and the sha256 that identifies a file.

use std::io::Write;
use std::path::Path;

use polars::prelude::*;
use polars_io::prelude::{
    CsvWriter, KeyValueMetadata, ParquetCompression, ParquetWriter, SerWriter,
};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// A text cell made safe for spreadsheets: a cell that starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return would be run as a formula by Excel or LibreOffice, so it gets
/// a leading apostrophe (OWASP, "CSV Injection"). Numbers are written as numbers, not here.
pub fn safe_cell(text: &str) -> std::borrow::Cow<'_, str> {
    if looks_like_formula(text) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// Whether a spreadsheet would take `text`, typed or imported as CSV, for a formula.
fn looks_like_formula(text: &str) -> bool {
    matches!(text.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'))
}

/// The sha256 of `bytes`, as lowercase hex (a return's identity in the store, the files of
/// a JSON manifest).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes `rows` under `header` as CSV to `path` through a temporary file renamed into
/// place, so a reader never sees half a file. Every cell goes through [`safe_cell`].
pub fn write_csv(path: &Path, header: &[&str], rows: &[Vec<String>]) -> std::io::Result<()> {
    let mut buf = Vec::new();
    {
        let mut w = csv::Writer::from_writer(&mut buf);
        w.write_record(header)?;
        for row in rows {
            w.write_record(row.iter().map(|c| safe_cell(c).into_owned()))?;
        }
        w.flush()?;
    }
    write_atomic(path, &buf)
}

/// Writes `bytes` to `path` via a temporary file in the same folder and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |f| f.write_all(bytes))
}

/// The files written since [`record_written`] was called, or `None` when nobody asked.
static WRITTEN: std::sync::Mutex<Option<Vec<std::path::PathBuf>>> = std::sync::Mutex::new(None);

/// From now on, remember every file written through [`write_atomic_with`] (for the JSON
/// manifest of `--format json`).
pub fn record_written() {
    *WRITTEN.lock().unwrap_or_else(|e| e.into_inner()) = Some(Vec::new());
}

/// The files written since [`record_written`], in the order written (a file written twice
/// is there twice).
pub fn take_written() -> Vec<std::path::PathBuf> {
    WRITTEN.lock().unwrap_or_else(|e| e.into_inner()).take().unwrap_or_default()
}

/// Lets `write` fill a temporary file in `path`'s folder, flushes it to disk, then renames
/// it to `path`: a reader sees the old file or the new one, never half of one. If `write`
/// fails, the temporary file is removed and `path` is untouched.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        write(&mut f)?;
        f.sync_all()
    })();
    match result {
        Ok(()) => {
            std::fs::rename(&tmp, path)?;
            if let Some(list) = WRITTEN.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
                list.push(path.to_path_buf());
            }
            Ok(())
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// `df` with every text cell passed through [`safe_cell`], for spreadsheets.
pub fn guarded(df: &DataFrame) -> PolarsResult<DataFrame> {
    let columns = df
        .columns()
        .iter()
        .map(|c| match c.dtype() {
            DataType::String => Ok(c.str()?.apply_values(safe_cell).into_column()),
            _ => Ok(c.clone()),
        })
        .collect::<PolarsResult<Vec<_>>>()?;
    DataFrame::new_infer_height(columns)
}

/// Writes `df` as `DIR/NAME.csv` (text guarded against formula injection) and
/// `DIR/NAME.parquet` (text as written), each atomically.
pub fn write_frame(dir: &Path, name: &str, df: &DataFrame) -> std::io::Result<()> {
    let mut safe = guarded(df).map_err(std::io::Error::other)?;
    write_atomic_with(&dir.join(format!("{name}.csv")), |f| {
        let mut w = std::io::BufWriter::new(f);
        CsvWriter::new(&mut w).finish(&mut safe).map_err(std::io::Error::other)?;
        w.flush()
    })?;
    let mut df = df.clone();
    write_atomic_with(&dir.join(format!("{name}.parquet")), |f| {
        write_parquet(f, &mut df).map_err(std::io::Error::other)
    })
}

/// Writes `df` as Parquet (zstd) to `w`, with text declared as plain UTF-8 strings so that
/// every Arrow reader can read and filter it ([`plain_text_schema`]).
pub fn write_parquet(w: impl Write, df: &mut DataFrame) -> PolarsResult<()> {
    let schema = KeyValueMetadata::Static(vec![plain_text_schema(df)]);
    ParquetWriter::new(w)
        .with_compression(ParquetCompression::Zstd(None))
        .with_key_value_metadata(Some(schema))
        .finish(df)
        .map(|_| ())
}

/// The Arrow schema stored in a Parquet file's metadata (`ARROW:schema`), with text as
/// plain UTF-8 strings. polars declares its text columns as Arrow string views, which
/// pyarrow reads back as `string_view` and cannot filter (`equal` has no kernel for
/// `string_view` and `string`), and which older Arrow readers do not know at all. The
/// column data are the same either way: Parquet byte arrays with the String logical type.
fn plain_text_schema(df: &DataFrame) -> polars_parquet::write::KeyValue {
    fn plain(dtype: &mut ArrowDataType) {
        match dtype {
            ArrowDataType::Utf8View => *dtype = ArrowDataType::Utf8,
            ArrowDataType::BinaryView => *dtype = ArrowDataType::Binary,
            ArrowDataType::List(f)
            | ArrowDataType::LargeList(f)
            | ArrowDataType::FixedSizeList(f, _) => plain(&mut f.dtype),
            ArrowDataType::Struct(fields) => fields.iter_mut().for_each(|f| plain(&mut f.dtype)),
            _ => {}
        }
    }
    let mut schema = df.schema().to_arrow(CompatLevel::newest());
    schema.iter_values_mut().for_each(|field| plain(&mut field.dtype));
    polars_parquet::write::schema_to_metadata_key(&schema)
}

/// How a column's numbers are shown in a workbook for people. Only the look changes: the
/// cell keeps every digit (a number format, not a rounded value), so a formula or a copy
/// into another program gets the full precision.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Shown {
    /// As the spreadsheet shows any number (years, counts, ids).
    #[default]
    General,
    /// Rounded for reading: a whole number with thousands separators (`48,200`), others
    /// with one decimal (`12.3`), or two below 1 (`0.85`).
    Rounded,
    /// With this many decimals.
    Decimals(u8),
    /// A share from 0 to 1 as a whole percentage: 0.75 shows as `75%`.
    Percent,
    /// A yes/no value: 1 shows as the sheet's word for yes, 0 as its word for no
    /// ([`Sheet::yes_no`]).
    YesNo,
}

/// The header of a sheet.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Header {
    /// The column names, bold.
    #[default]
    Names,
    /// A row of labels for people (one per column) above the row of column names; the
    /// filters sit on the names, just above the data.
    LabelsAbove(Vec<String>),
    /// The labels alone, in place of the names.
    Labels(Vec<String>),
}

/// A table to write as a sheet of a workbook.
#[derive(Clone, Debug)]
pub struct Sheet<'a> {
    /// The sheet's name (at most 31 characters, none of `[]:*?/\`).
    pub name: String,
    /// Its rows.
    pub df: &'a DataFrame,
    /// Its header rows.
    pub header: Header,
    /// How each column's numbers are shown (a column not listed: [`Shown::General`]).
    pub shown: Vec<Shown>,
    /// Columns whose numbers are shown row by row (one [`Shown`] per row), by name: an
    /// indicator's value is yes/no on some rows, a percentage on others.
    pub shown_by_row: Vec<(String, Vec<Shown>)>,
    /// The words of [`Shown::YesNo`].
    pub yes_no: (String, String),
    /// The columns of long text, wrapped in a wide column instead of cut off.
    pub wrapped: Vec<String>,
}

impl<'a> Sheet<'a> {
    /// `df` as a sheet named `name`, with the column names as its header.
    pub fn new(name: &str, df: &'a DataFrame) -> Sheet<'a> {
        Sheet {
            name: name.to_string(),
            df,
            header: Header::Names,
            shown: Vec::new(),
            shown_by_row: Vec::new(),
            yes_no: ("Yes".into(), "No".into()),
            wrapped: Vec::new(),
        }
    }
}

/// A sheet of text for people (a workbook's "Read me"): a title, paragraphs, then small
/// tables, each under a heading.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Notes {
    /// The sheet's name.
    pub name: String,
    /// The title, in large bold letters.
    pub title: String,
    /// Paragraphs under the title.
    pub paragraphs: Vec<String>,
    /// Tables under the paragraphs.
    pub tables: Vec<NotesTable>,
}

/// A table of a [`Notes`] sheet. Its last column is the widest, and wraps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NotesTable {
    /// A bold line above the table.
    pub heading: String,
    /// The header row.
    pub header: Vec<String>,
    /// The rows, as many cells as the header.
    pub rows: Vec<Vec<String>>,
}

/// Writes `tables` to one `.xlsx` workbook at `path`, a sheet each (named after the table),
/// with the column names as a bold header: [`write_workbook`] without notes or labels.
pub fn write_xlsx(path: &Path, tables: &[(&str, &DataFrame)]) -> Result<(), XlsxError> {
    let sheets: Vec<Sheet<'_>> = tables.iter().map(|(name, df)| Sheet::new(name, df)).collect();
    write_workbook(path, &[], &sheets)
}

/// The widths, in characters, of the columns of a [`Notes`] sheet.
const NOTES_WIDTHS: [f64; 4] = [24.0, 28.0, 28.0, 90.0];

/// Writes a workbook at `path`: the `notes` sheets first, then a sheet per table of
/// `sheets`. A table's sheet has a frozen header (the labels, the column names or both)
/// with filters on its last row; numbers and booleans are typed cells, shown as
/// [`Sheet::shown`] says; text is written exactly as it is (string cells, which never run;
/// those that look like a formula also get the quote-prefix format); missing values are
/// empty cells. Table sheets are written row by row in rust_xlsxwriter's low-memory mode:
/// rows go to a temporary file as they are finished, which takes about half the time and a
/// fraction of the memory of building the whole workbook in memory first, and each
/// distinct text is stored once (the names beside codes repeat on every row: on 1,000
/// returns, a workbook a fifth smaller, and a tenth faster to write, than with the text
/// inline in each row as the constant-memory mode writes it).
pub fn write_workbook(path: &Path, notes: &[Notes], sheets: &[Sheet<'_>]) -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    // Most of the time of a large workbook goes into compressing its XML: level 2 saves in
    // about 0.6 of the time of the default 6, for a file about 10 % larger.
    wb.set_zip_compression_level(2);
    for n in notes {
        write_notes(wb.add_worksheet(), n)?;
    }
    for sheet in sheets {
        write_sheet(wb.add_worksheet_with_low_memory()?, sheet)?;
    }
    let bytes = wb.save_to_buffer()?;
    write_atomic(path, &bytes).map_err(XlsxError::IoError)
}

/// The formats of a table sheet's cells.
struct Formats {
    bold: Format,
    label: Format,
    name: Format,
    /// Text, booleans and numbers shown as they are: top-aligned on a sheet with wrapped
    /// text, else without a format (the cheapest cell to write).
    plain: Option<Format>,
    quoted: Format,
    wrapped: Format,
    whole: Format,
    one: Format,
    two: Format,
    percent: Format,
    yes_no: Format,
    decimals: Vec<Format>,
}

impl Formats {
    /// The formats of `sheet`: its cells aligned at the top when some of its text wraps
    /// (so that a row reads across from its first line).
    fn new(sheet: &Sheet<'_>) -> Formats {
        let top = !sheet.wrapped.is_empty();
        let base = if top {
            Format::new().set_align(rust_xlsxwriter::FormatAlign::Top)
        } else {
            Format::new()
        };
        let number = |f: &str| base.clone().set_num_format(f);
        // Text in a number format is quoted, and a quote cannot be escaped inside it.
        let word = |w: &str| w.replace('"', "");
        let (yes, no) = (word(&sheet.yes_no.0), word(&sheet.yes_no.1));
        Formats {
            bold: Format::new().set_bold(),
            label: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(rust_xlsxwriter::FormatAlign::Top)
                .set_background_color(0xE8EEF4),
            name: Format::new().set_font_color(0x555555).set_font_size(9),
            plain: top.then(|| base.clone()),
            quoted: base.clone().set_quote_prefix(),
            wrapped: base.clone().set_text_wrap(),
            whole: number("#,##0"),
            one: number("#,##0.0"),
            two: number("0.00"),
            percent: number("0%"),
            yes_no: number(&format!("\"{yes}\";\"{yes}\";\"{no}\"")),
            decimals: (0..=6)
                .map(|d| match d {
                    0 => number("#,##0"),
                    d => number(&format!("#,##0.{}", "0".repeat(d))),
                })
                .collect(),
        }
    }

    /// The format of number `v` in a column shown as `shown`.
    fn number(&self, shown: Shown, v: f64) -> Option<&Format> {
        match shown {
            Shown::YesNo => Some(&self.yes_no),
            Shown::General => self.plain.as_ref(),
            Shown::Rounded if v.fract() == 0.0 => Some(&self.whole),
            Shown::Rounded if v.abs() < 1.0 => Some(&self.two),
            Shown::Rounded => Some(&self.one),
            Shown::Decimals(d) => self.decimals.get(d as usize).or(self.decimals.last()),
            Shown::Percent => Some(&self.percent),
        }
    }
}

/// The widest a column gets (in characters), and a wrapped one.
const MAX_WIDTH: usize = 48;
const WRAPPED_WIDTH: usize = 60;

fn write_sheet(ws: &mut rust_xlsxwriter::Worksheet, sheet: &Sheet<'_>) -> Result<(), XlsxError> {
    /// One cell, borrowed from its column.
    #[derive(Clone, Copy)]
    enum Cell<'a> {
        Empty,
        Text(&'a str),
        Bool(bool),
        Number(f64),
    }
    let df = sheet.df;
    let formats = Formats::new(sheet);
    let labels = match &sheet.header {
        Header::Names => None,
        Header::LabelsAbove(l) | Header::Labels(l) => Some(l),
    };
    let names_row = !matches!(sheet.header, Header::Labels(_));
    let mut columns: Vec<Vec<Cell<'_>>> = Vec::with_capacity(df.width());
    let mut widths = Vec::with_capacity(df.width());
    for (j, c) in df.columns().iter().enumerate() {
        let label = labels.and_then(|l| l.get(j)).map_or(0, |l| longest_word(l).max(12));
        let name = if names_row { c.name().chars().count() } else { 0 };
        let mut width = name.max(label);
        let cells: Vec<Cell<'_>> = match c.dtype() {
            DataType::String => c
                .str()
                .map_err(polars_xlsx)?
                .iter()
                .map(|v| match v {
                    Some(v) => {
                        width = width.max(v.chars().take(MAX_WIDTH).count());
                        Cell::Text(v)
                    }
                    None => Cell::Empty,
                })
                .collect(),
            DataType::Boolean => c
                .bool()
                .map_err(polars_xlsx)?
                .iter()
                .map(|v| v.map_or(Cell::Empty, Cell::Bool))
                .collect(),
            _ => {
                width = width.max(10);
                let c = c.cast(&DataType::Float64).map_err(polars_xlsx)?;
                c.f64()
                    .map_err(polars_xlsx)?
                    .iter()
                    .map(|v| v.filter(|v| v.is_finite()).map_or(Cell::Empty, Cell::Number))
                    .collect()
            }
        };
        if sheet.wrapped.iter().any(|w| w == c.name().as_str()) {
            width = WRAPPED_WIDTH;
        }
        columns.push(cells);
        widths.push(width.min(WRAPPED_WIDTH));
    }
    ws.set_name(&sheet.name)?;
    for (j, width) in widths.iter().enumerate() {
        ws.set_column_width(j as u16, (width + 2) as f64)?;
    }
    let mut row = 0u32;
    if let Some(labels) = labels {
        // As many lines as the longest label needs in its column.
        let lines = labels
            .iter()
            .zip(&widths)
            .map(|(l, w)| l.chars().count().div_ceil((*w).max(1)))
            .max()
            .unwrap_or(1)
            .clamp(1, 4);
        ws.set_row_height(row, 15.0 * lines as f64 + 2.0)?;
        for (j, label) in labels.iter().enumerate().take(df.width()) {
            ws.write_string_with_format(row, j as u16, label, &formats.label)?;
        }
        row += 1;
    }
    if names_row {
        let format = if labels.is_some() { &formats.name } else { &formats.bold };
        for (j, c) in df.columns().iter().enumerate() {
            ws.write_string_with_format(row, j as u16, c.name().as_str(), format)?;
        }
        row += 1;
    }
    let header_rows = row;
    let by_row: Vec<Option<&Vec<Shown>>> = df
        .columns()
        .iter()
        .map(|c| sheet.shown_by_row.iter().find(|(n, _)| n == c.name().as_str()).map(|(_, s)| s))
        .collect();
    let shown = |i: usize, j: usize| match by_row[j] {
        Some(rows) => rows.get(i).copied().unwrap_or_default(),
        None => sheet.shown.get(j).copied().unwrap_or_default(),
    };
    let wrapped: Vec<bool> =
        df.columns().iter().map(|c| sheet.wrapped.iter().any(|w| w == c.name().as_str())).collect();
    let lines_of = |text: &str, width: usize| {
        text.split('\n')
            .map(|l| (l.chars().count() as f64 / (width as f64 * 1.2)).ceil().max(1.0))
            .sum::<f64>()
    };
    for i in 0..df.height() {
        // Wrapped text needs its row as high as its lines: neither Excel nor LibreOffice
        // works that out when it opens the file.
        let lines = columns
            .iter()
            .zip(&widths)
            .zip(&wrapped)
            .filter(|(_, w)| **w)
            .filter_map(|((cells, width), _)| match cells[i] {
                Cell::Text(v) => Some(lines_of(v, *width)),
                _ => None,
            })
            .fold(1.0, f64::max)
            .min(12.0);
        if lines > 1.0 {
            ws.set_row_height(row, 15.0 * lines)?;
        }
        for (j, cells) in columns.iter().enumerate() {
            let col = j as u16;
            match cells[i] {
                Cell::Empty => {}
                // A string cell is never run as a formula: the text goes in as written, and
                // one that looks like a formula gets Excel's quote prefix (a format, not a
                // character), so that editing the cell keeps it text.
                Cell::Text(v) if looks_like_formula(v) => {
                    ws.write_string_with_format(row, col, v, &formats.quoted)?;
                }
                Cell::Text(v) if wrapped[j] => {
                    ws.write_string_with_format(row, col, v, &formats.wrapped)?;
                }
                Cell::Text(v) => match &formats.plain {
                    Some(f) => {
                        ws.write_string_with_format(row, col, v, f)?;
                    }
                    None => {
                        ws.write_string(row, col, v)?;
                    }
                },
                Cell::Bool(v) => match &formats.plain {
                    Some(f) => {
                        ws.write_boolean_with_format(row, col, v, f)?;
                    }
                    None => {
                        ws.write_boolean(row, col, v)?;
                    }
                },
                Cell::Number(v) => match formats.number(shown(i, j), v) {
                    Some(f) => {
                        ws.write_number_with_format(row, col, v, f)?;
                    }
                    None => {
                        ws.write_number(row, col, v)?;
                    }
                },
            }
        }
        row += 1;
    }
    ws.set_freeze_panes(header_rows, 0)?;
    if df.width() > 0 {
        ws.autofilter(
            header_rows - 1,
            0,
            (header_rows - 1) + df.height() as u32,
            df.width() as u16 - 1,
        )?;
    }
    Ok(())
}

/// The length of the longest word of `text`, in characters: a wrapped label needs a
/// column at least that wide.
fn longest_word(text: &str) -> usize {
    text.split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0)
}

/// Writes the notes `n` on `ws`: the title, the paragraphs (each across the sheet's width,
/// its row as high as its lines), then each table under its heading.
fn write_notes(ws: &mut rust_xlsxwriter::Worksheet, n: &Notes) -> Result<(), XlsxError> {
    ws.set_name(&n.name)?;
    for (j, w) in NOTES_WIDTHS.iter().enumerate() {
        ws.set_column_width(j as u16, *w)?;
    }
    let last = NOTES_WIDTHS.len() as u16 - 1;
    let title = Format::new().set_bold().set_font_size(14);
    let text = Format::new().set_text_wrap().set_align(rust_xlsxwriter::FormatAlign::Top);
    let bold = Format::new().set_bold().set_font_size(12);
    let head = Format::new()
        .set_bold()
        .set_background_color(0xE8EEF4)
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    let total: f64 = NOTES_WIDTHS.iter().sum();
    let mut row = 0u32;
    ws.write_string_with_format(row, 0, &n.title, &title)?;
    ws.set_row_height(row, 22.0)?;
    row += 2;
    for p in &n.paragraphs {
        // A merged range keeps the height it is given: as many lines as the text needs
        // at about 1.1 characters per unit of width.
        let lines = (p.chars().count() as f64 / (total * 1.2)).ceil().max(1.0);
        ws.merge_range(row, 0, row, last, p, &text)?;
        ws.set_row_height(row, 15.0 * lines + 3.0)?;
        row += 1;
    }
    for t in &n.tables {
        row += 1;
        ws.write_string_with_format(row, 0, &t.heading, &bold)?;
        row += 1;
        let cols = t.header.len().min(NOTES_WIDTHS.len());
        for (j, h) in t.header.iter().take(cols).enumerate() {
            ws.write_string_with_format(row, j as u16, h, &head)?;
        }
        row += 1;
        for r in &t.rows {
            for (j, cell) in r.iter().take(cols).enumerate() {
                if looks_like_formula(cell) {
                    ws.write_string_with_format(
                        row,
                        j as u16,
                        cell,
                        &text.clone().set_quote_prefix(),
                    )?;
                } else {
                    ws.write_string_with_format(row, j as u16, cell, &text)?;
                }
            }
            // The widest cell decides how many lines the row needs.
            let lines = r
                .iter()
                .take(cols)
                .zip(NOTES_WIDTHS)
                .map(|(c, w)| (c.chars().count() as f64 / (w * 1.2)).ceil())
                .fold(1.0, f64::max);
            ws.set_row_height(row, 15.0 * lines + 2.0)?;
            row += 1;
        }
    }
    Ok(())
}

fn polars_xlsx(e: PolarsError) -> XlsxError {
    XlsxError::ParameterError(e.to_string())
}

/// A string safe as one file or folder name: ASCII letters, digits, `-`, `_` and `.` (not
/// first), everything else replaced by `-`, at most 80 characters, never a name Windows
/// reserves; when anything had to change, 8 hex digits of the original's sha256 are added so
/// two names cannot end up the same. City ids come from returns, so they are never used as
/// paths unchecked.
pub fn file_part(s: &str) -> String {
    let keep = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.';
    let mut out: String = s.chars().map(|c| if keep(c) { c } else { '-' }).take(80).collect();
    if out != s || out.starts_with('.') || out.is_empty() {
        out.push('-');
        out.push_str(&crate::export::sha256_hex(s.as_bytes())[..8]);
    }
    while out.starts_with('.') {
        out.replace_range(0..1, "_");
    }
    let stem = out.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = ["CON", "PRN", "AUX", "NUL"].contains(&stem.as_str())
        || ((stem.starts_with("COM") || stem.starts_with("LPT")) && stem.len() == 4);
    if out.is_empty() || reserved {
        out.insert(0, '_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{open_workbook, Data, Reader, Xlsx};

    fn hostile() -> DataFrame {
        DataFrame::new_infer_height(vec![
            Column::new("name".into(), ["=HYPERLINK(\"http://x\")", "+cmd", "Lumenstad"]),
            Column::new("value".into(), [Some(1.5), None, Some(-2.0)]),
            Column::new("flag".into(), [true, false, true]),
        ])
        .unwrap()
    }

    #[test]
    fn csv_and_xlsx_exports_neutralise_formulas_and_keep_types() {
        let dir = tempfile::tempdir().unwrap();
        write_frame(dir.path(), "t", &hostile()).unwrap();
        let csv = std::fs::read_to_string(dir.path().join("t.csv")).unwrap();
        assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{csv}");
        assert!(csv.contains("'+cmd,,false"), "{csv}");
        assert!(csv.contains("Lumenstad,-2.0,true"), "{csv}");
        // Parquet keeps the text as written.
        let f = std::fs::File::open(dir.path().join("t.parquet")).unwrap();
        let back = ParquetReader::new(f).finish().unwrap();
        assert_eq!(back.column("name").unwrap().str().unwrap().get(1), Some("+cmd"));

        let path = dir.path().join("t.xlsx");
        write_xlsx(&path, &[("t", &hostile())]).unwrap();
        let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
        let range = wb.worksheet_range("t").unwrap();
        // See issue 14: the XLSX keeps the text as written (no apostrophe in the text);
        // the cell is a string with the quote-prefix format.
        assert_eq!(range.get_value((1, 0)), Some(&Data::String("=HYPERLINK(\"http://x\")".into())));
        assert_eq!(range.get_value((2, 0)), Some(&Data::String("+cmd".into())));
        assert_eq!(range.get_value((1, 1)), Some(&Data::Float(1.5)));
        assert!(matches!(range.get_value((2, 1)), None | Some(Data::Empty)), "a null stays empty");
        assert_eq!(range.get_value((3, 2)), Some(&Data::Bool(true)));
        let formulas = wb.worksheet_formula("t").unwrap();
        assert!(formulas.used_cells().next().is_none(), "no formula cells");
        let mut zip = ::zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        let mut styles = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").unwrap(), &mut styles)
            .unwrap();
        assert!(styles.contains("quotePrefix=\"1\""), "{styles}");
    }

    // See issue 19: labels for people above the codes, numbers shown rounded but kept
    // whole, yes/no in words, and a first sheet of notes.
    #[test]
    fn a_workbook_for_people_has_labels_above_codes_and_keeps_every_digit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.xlsx");
        let df = DataFrame::new_infer_height(vec![
            Column::new("indicator_id".into(), ["HOU_I01", "HOU_I02"]),
            Column::new("value".into(), [1.0, 61.41234]),
            Column::new("coverage".into(), [0.6666, 1.0]),
            Column::new("text".into(), ["short", "a long text that wraps\nover lines"]),
        ])
        .unwrap();
        let mut sheet = Sheet::new("indicators", &df);
        sheet.header = Header::LabelsAbove(
            ["Indicador", "Valor", "Cobertura", "Texto"].map(String::from).to_vec(),
        );
        sheet.shown = vec![Shown::General, Shown::Rounded, Shown::Percent, Shown::General];
        sheet.shown_by_row = vec![("value".into(), vec![Shown::YesNo, Shown::Rounded])];
        sheet.yes_no = ("Sí".into(), "No".into());
        sheet.wrapped = vec!["text".into()];
        let notes = Notes {
            name: "Léame".into(),
            title: "Título".into(),
            paragraphs: vec!["Un párrafo.".into()],
            tables: vec![NotesTable {
                heading: "Hojas".into(),
                header: vec!["Hoja".into(), "Título".into()],
                rows: vec![vec!["indicators".into(), "=no formula".into()]],
            }],
        };
        write_workbook(&path, &[notes], &[sheet]).unwrap();

        let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
        assert_eq!(wb.sheet_names(), ["Léame", "indicators"]);
        let read_me = wb.worksheet_range("Léame").unwrap();
        assert_eq!(read_me.get_value((0, 0)), Some(&Data::String("Título".into())));
        let range = wb.worksheet_range("indicators").unwrap();
        assert_eq!(range.get_value((0, 1)), Some(&Data::String("Valor".into())));
        assert_eq!(range.get_value((1, 1)), Some(&Data::String("value".into())));
        assert_eq!(range.get_value((3, 1)), Some(&Data::Float(61.41234)), "every digit");
        assert_eq!(range.get_value((2, 2)), Some(&Data::Float(0.6666)));
        assert!(wb.worksheet_formula("Léame").unwrap().used_cells().next().is_none());
        let mut zip = ::zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        let mut read = |name: &str| {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
            text
        };
        let styles = read("xl/styles.xml");
        for format in ["#,##0.0", "0%", "&quot;Sí&quot;;&quot;Sí&quot;;&quot;No&quot;"] {
            assert!(styles.contains(&format!("formatCode=\"{format}\"")), "{format}: {styles}");
        }
        // Filters on the codes, the two header rows frozen.
        let sheet = read("xl/worksheets/sheet2.xml");
        assert!(sheet.contains("<autoFilter ref=\"A2:D4\"/>"), "{sheet}");
        assert!(sheet.contains("ySplit=\"2\""), "{sheet}");
    }

    #[test]
    fn guards_formula_starts() {
        assert_eq!(safe_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe_cell("+cmd"), "'+cmd");
        assert_eq!(safe_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_cell("-2+3"), "'-2+3");
        assert_eq!(safe_cell("Villa Esperanza"), "Villa Esperanza");
        assert_eq!(safe_cell(""), "");
    }
}
