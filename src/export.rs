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

/// Writes `tables` to one `.xlsx` workbook at `path`, a sheet each (named after the
/// table): a bold frozen header with filters, numbers and booleans as typed cells, text
/// exactly as written (string cells, which never run; those that look like a formula
/// also get the quote-prefix format), empty cells for missing values. Sheets are written
/// row by row in rust_xlsxwriter's constant-memory mode (rows go to a temporary file as they
/// are finished, text inline), which takes about half the time and a fraction of the
/// memory of building the whole workbook in memory first.
pub fn write_xlsx(path: &Path, tables: &[(&str, &DataFrame)]) -> Result<(), XlsxError> {
    /// One cell, borrowed from its column.
    #[derive(Clone, Copy)]
    enum Cell<'a> {
        Empty,
        Text(&'a str),
        Bool(bool),
        Number(f64),
    }
    let mut wb = Workbook::new();
    // Most of the time of a large workbook goes into compressing its XML: level 2 saves in
    // about 0.6 of the time of the default 6, for a file about 10 % larger.
    wb.set_zip_compression_level(2);
    let bold = Format::new().set_bold();
    let quoted = Format::new().set_quote_prefix();
    for (name, df) in tables {
        let mut columns: Vec<Vec<Cell<'_>>> = Vec::with_capacity(df.width());
        let mut widths = Vec::with_capacity(df.width());
        for c in df.columns() {
            let mut width = c.name().chars().count();
            let cells: Vec<Cell<'_>> = match c.dtype() {
                DataType::String => c
                    .str()
                    .map_err(polars_xlsx)?
                    .iter()
                    .map(|v| match v {
                        Some(v) => {
                            width = width.max(v.chars().take(48).count());
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
            columns.push(cells);
            widths.push(width);
        }
        let ws = wb.add_worksheet_with_constant_memory()?;
        ws.set_name(*name)?;
        for (j, width) in widths.iter().enumerate() {
            ws.set_column_width(j as u16, (width + 2) as f64)?;
        }
        for (j, c) in df.columns().iter().enumerate() {
            ws.write_string_with_format(0, j as u16, c.name().as_str(), &bold)?;
        }
        for i in 0..df.height() {
            let row = i as u32 + 1;
            for (j, cells) in columns.iter().enumerate() {
                let j = j as u16;
                match cells[i] {
                    Cell::Empty => {}
                    // A string cell is never run as a formula: the text goes in as
                    // written, and one that looks like a formula gets Excel's quote
                    // prefix (a format, not a character), so that editing the cell
                    // keeps it text.
                    Cell::Text(v) if looks_like_formula(v) => {
                        ws.write_string_with_format(row, j, v, &quoted)?;
                    }
                    Cell::Text(v) => {
                        ws.write_string(row, j, v)?;
                    }
                    Cell::Bool(v) => {
                        ws.write_boolean(row, j, v)?;
                    }
                    Cell::Number(v) => {
                        ws.write_number(row, j, v)?;
                    }
                }
            }
        }
        ws.set_freeze_panes(1, 0)?;
        if df.width() > 0 {
            ws.autofilter(0, 0, df.height() as u32, df.width() as u16 - 1)?;
        }
    }
    let bytes = wb.save_to_buffer()?;
    write_atomic(path, &bytes).map_err(XlsxError::IoError)
}

fn polars_xlsx(e: PolarsError) -> XlsxError {
    XlsxError::ParameterError(e.to_string())
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
