//! How much of a return hrcities reads before refusing it. Returns arrive from hundreds of
//! senders through many tools; a file that is too large, a zipped workbook that inflates
//! to gigabytes (a "zip bomb"), or a sheet whose filled cells span a million rows gets a
//! clear error naming the file (and sheet and cell), instead of exhausting the machine.
//! Each limit can be raised on the command line.

use std::io::{Cursor, Read};

use calamine::{Cell, Data, DataRef, Range, Reader, Sheets};
use quick_xml::events::{BytesStart, Event};

use super::read::{first_line, ReadError};
use super::CellRef;

/// The limits one return is read within.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest file, in bytes (`--max-file-mb`).
    pub file_bytes: u64,
    /// The most bytes the parts of a zipped workbook (.xlsx, .xlsm, .xlsb, .ods) may
    /// inflate to, together (`--max-unzipped-mb`).
    pub unzipped_bytes: u64,
    /// The most cells a sheet may span, rows × columns from its first to its last filled
    /// cell (`--max-cells`). A questionnaire spans a few thousand.
    pub cells: u64,
}

/// A mebibyte.
pub const MB: u64 = 1 << 20;

impl Default for Limits {
    /// 50 MB per file, 256 MB unzipped, 2,000,000 cells per sheet: about a thousand times
    /// what a filled questionnaire needs, and little enough that two returns read side by
    /// side stay within a few hundred megabytes of memory.
    fn default() -> Self {
        Limits { file_bytes: 50 * MB, unzipped_bytes: 256 * MB, cells: 2_000_000 }
    }
}

fn damaged(e: impl std::fmt::Display) -> ReadError {
    ReadError::Damaged(first_line(&e.to_string()))
}

/// The parts of a zipped workbook (.xlsx, .xlsm, .xlsb, .ods), inflated once, in archive
/// order. The checks of the limits, hrcities' own scan of the sheets' XML and calamine all
/// read these bytes, so no part is inflated twice.
#[derive(Debug, Default)]
pub struct Parts {
    parts: Vec<(String, Vec<u8>)>,
}

impl Parts {
    /// The bytes of the part called `name` (`xl/styles.xml`), if there is one.
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.parts.iter().find(|(n, _)| n == name).map(|(_, b)| b.as_slice())
    }

    /// The same archive with every part stored, not compressed, for calamine: it copies
    /// the parts instead of inflating them again.
    pub fn stored_zip(&self) -> Result<Vec<u8>, ReadError> {
        use std::io::Write as _;
        let total: usize = self.parts.iter().map(|(n, b)| n.len() * 2 + b.len() + 128).sum();
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(total + 64)));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .large_file(false);
        for (name, bytes) in &self.parts {
            zip.start_file(name.as_str(), options).map_err(damaged)?;
            zip.write_all(bytes).map_err(damaged)?;
        }
        Ok(zip.finish().map_err(damaged)?.into_inner())
    }
}

/// Inflates every part of the zip archive `bytes` once and keeps them, failing as soon as
/// more than `limit` bytes come out. The sizes an archive declares can lie, so the parts
/// are inflated for real; for a questionnaire this takes a millisecond.
///
/// It also refuses an OpenDocument file saved with a password (its manifest lists how
/// its parts are encrypted), and a shared-strings part that declares more strings than it
/// can hold: calamine reserves memory for the declared count before reading, and a count of
/// 10¹¹ makes the allocation fail, which ends the whole process (no panic to catch).
pub fn inflate(bytes: &[u8], limit: u64) -> Result<Parts, ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(damaged)?;
    let mut total = 0u64;
    let mut parts = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(damaged)?;
        let name = part.name().map_err(damaged)?.to_string();
        let left = limit - total;
        let declared = part.size().min(left + 1) as usize;
        let mut data = Vec::with_capacity(declared.min(64 * 1024 * 1024));
        (&mut part).take(left + 1).read_to_end(&mut data).map_err(damaged)?;
        total += data.len() as u64;
        if total > limit {
            return Err(ReadError::Unzipped { limit });
        }
        // An OpenDocument file saved with a password lists how each part is encrypted.
        if name == "META-INF/manifest.xml" && data.windows(16).any(|w| w == b":encryption-data") {
            return Err(ReadError::Encrypted);
        }
        if name.to_ascii_lowercase().ends_with("sharedstrings.xml") {
            check_string_count(&name, &data[..data.len().min(4096)], data.len() as u64)?;
        }
        parts.push((name, data));
    }
    Ok(Parts { parts })
}

/// Fails when the `<sst uniqueCount="…">` at the start of the shared-strings part `name`
/// (`head`, of a part `size` bytes long) declares more strings than the part could hold:
/// each takes at least `<si/>`, five bytes.
fn check_string_count(name: &str, head: &[u8], size: u64) -> Result<(), ReadError> {
    let text = String::from_utf8_lossy(head);
    let Some(at) = text.find("uniqueCount=") else { return Ok(()) };
    let digits: String = text[at + "uniqueCount=".len()..]
        .chars()
        .skip_while(|c| *c == '"' || *c == '\'')
        .take_while(char::is_ascii_digit)
        .collect();
    if digits.is_empty() {
        return Ok(());
    }
    let most = size / 5;
    match digits.parse::<u64>() {
        Ok(count) if count <= most => Ok(()),
        _ => Err(ReadError::Damaged(format!(
            "{name} declares {digits} shared strings, but its {size} bytes hold at most {most}"
        ))),
    }
}

/// Tracks the rectangle a sheet's filled cells span.
struct Span {
    sheet: String,
    first: (u64, u64),
    last: (u64, u64),
    any: bool,
    limit: u64,
}

impl Span {
    fn new(sheet: &str, limit: u64) -> Span {
        Span { sheet: sheet.to_string(), first: (0, 0), last: (0, 0), any: false, limit }
    }

    /// Adds the filled cells from `(row, col)` to `(row2, col2)`; fails once the span
    /// covers more than the limit.
    fn add(&mut self, (row, col): (u64, u64), (row2, col2): (u64, u64)) -> Result<(), ReadError> {
        if self.any {
            self.first = (self.first.0.min(row), self.first.1.min(col));
            self.last = (self.last.0.max(row2), self.last.1.max(col2));
        } else {
            (self.first, self.last, self.any) = ((row, col), (row2, col2), true);
        }
        let rows = self.last.0 - self.first.0 + 1;
        let cols = self.last.1 - self.first.1 + 1;
        let cells = rows.saturating_mul(cols);
        if cells > self.limit {
            return Err(ReadError::SheetTooLarge {
                sheet: self.sheet.clone(),
                cell: CellRef::new(
                    row2.min(u32::MAX as u64) as u32,
                    col2.min(u32::MAX as u64) as u32,
                ),
                rows,
                cols,
                limit: self.limit,
            });
        }
        Ok(())
    }
}

/// The cells of sheet `name`, refusing a sheet whose filled cells span more than `limit`
/// cells before the grid of that size is made. .xlsx and .xlsb sheets are streamed cell by
/// cell; an .ods file is measured first by [`check_ods`]; an .xls sheet is bounded by its
/// format (65,536 × 256 cells) and checked once read.
pub fn sheet_range(
    wb: &mut Sheets<Cursor<&[u8]>>,
    name: &str,
    limit: u64,
) -> Result<Range<Data>, ReadError> {
    let damaged = |e: &dyn std::fmt::Display| ReadError::SheetDamaged {
        sheet: name.to_string(),
        detail: first_line(&e.to_string()),
    };
    fn collect<'a, E: std::fmt::Display>(
        name: &str,
        limit: u64,
        mut next: impl FnMut() -> Result<Option<Cell<DataRef<'a>>>, E>,
        damaged: impl Fn(&dyn std::fmt::Display) -> ReadError,
    ) -> Result<Range<Data>, ReadError> {
        let mut span = Span::new(name, limit);
        let mut cells = Vec::new();
        while let Some(cell) = next().map_err(|e| damaged(&e))? {
            if matches!(cell.get_value(), DataRef::Empty) {
                continue;
            }
            let (r, c) = cell.get_position();
            span.add((r as u64, c as u64), (r as u64, c as u64))?;
            cells.push(Cell::new((r, c), Data::from(cell.get_value().clone())));
        }
        Ok(Range::from_sparse(cells))
    }
    match wb {
        Sheets::Xlsx(x) => match x.worksheet_cells_reader(name) {
            Ok(mut reader) => collect(name, limit, || reader.next_cell(), damaged),
            // A chart sheet: no cells.
            Err(calamine::XlsxError::NotAWorksheet(_)) => Ok(Range::default()),
            Err(e) => Err(damaged(&e)),
        },
        Sheets::Xlsb(x) => {
            let mut reader = x.worksheet_cells_reader(name).map_err(|e| damaged(&e))?;
            collect(name, limit, || reader.next_cell(), damaged)
        }
        _ => {
            let range = wb.worksheet_range(name).map_err(|e| damaged(&e))?;
            if let (Some(first), Some(last)) = (range.start(), range.end()) {
                let mut span = Span::new(name, limit);
                span.add((first.0 as u64, first.1 as u64), (last.0 as u64, last.1 as u64))?;
            }
            Ok(range)
        }
    }
}

/// The value of attribute `key` of `e`, as a count (1 when absent or unreadable).
fn repeat(e: &BytesStart<'_>, key: &[u8]) -> u64 {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| std::str::from_utf8(&a.value).ok().and_then(|v| v.parse::<u64>().ok()))
        .unwrap_or(1)
        .max(1)
}

fn attr(e: &BytesStart<'_>, key: &[u8]) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.as_ref() == key).map(|a| {
        let raw = String::from_utf8_lossy(&a.value).into_owned();
        quick_xml::escape::unescape(&raw).map(|v| v.into_owned()).unwrap_or(raw)
    })
}

/// Measures every table of an .ods (its inflated `parts`) before calamine reads it: ODF compresses a
/// run of equal rows or cells into one element with a repeat count, so a small file can
/// describe a sheet of a billion filled cells, which calamine would spell out in memory.
pub fn check_ods(parts: &Parts, limit: u64) -> Result<(), ReadError> {
    let part = parts.get("content.xml").ok_or_else(|| damaged("no content.xml"))?;
    let mut xml = quick_xml::Reader::from_reader(part);
    let mut buf = Vec::new();
    let mut span: Option<Span> = None;
    let (mut row, mut col, mut rows_here) = (0u64, 0u64, 1u64);
    loop {
        let event = xml.read_event_into(&mut buf).map_err(damaged)?;
        let (e, empty) = match &event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                match e.name().as_ref() {
                    b"table:table" => span = None,
                    b"table:table-row" => row = row.saturating_add(rows_here),
                    _ => {}
                }
                buf.clear();
                continue;
            }
            Event::Eof => break,
            _ => {
                buf.clear();
                continue;
            }
        };
        match e.name().as_ref() {
            b"table:table" => {
                let name = attr(e, b"table:name").unwrap_or_default();
                span = Some(Span::new(&name, limit));
                row = 0;
            }
            b"table:table-row" => {
                rows_here = repeat(e, b"table:number-rows-repeated");
                col = 0;
                if empty {
                    row = row.saturating_add(rows_here);
                }
            }
            b"table:table-cell" | b"table:covered-table-cell" => {
                let cols_here = repeat(e, b"table:number-columns-repeated");
                let filled = attr(e, b"office:value-type").is_some();
                if let (true, Some(span)) = (filled, span.as_mut()) {
                    let last =
                        (row.saturating_add(rows_here - 1), col.saturating_add(cols_here - 1));
                    span.add((row, col), last)?;
                }
                col = col.saturating_add(cols_here);
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}
