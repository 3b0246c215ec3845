//! Writing tables for people: CSV with cells guarded against formula injection.

use std::io::Write;
use std::path::Path;

/// A text cell made safe for spreadsheets: a cell that starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return would be run as a formula by Excel or LibreOffice, so it gets
/// a leading apostrophe (OWASP, "CSV Injection"). Numbers are written as numbers, not here.
pub fn safe_cell(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
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
        Ok(()) => std::fs::rename(&tmp, path),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::safe_cell;

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
