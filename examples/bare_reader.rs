//! The bare reader, for the benchmark: opens every workbook under a folder with calamine and
//! touches every cell of every sheet, nothing else — no limits, no checks, no store. It reads
//! the files in parallel, as `hrcities ingest` does, so `scripts/bench.sh` can print how
//! much more hrcities' validate + ingest costs than reading the same files.
//!
//! `bare_reader DIR` prints the number of files, sheets and non-empty cells.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{open_workbook_auto_from_rs, Data, Reader};
use rayon::prelude::*;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ["xlsx", "xlsm", "xls", "xlsb", "ods"].contains(&e))
        {
            out.push(path);
        }
    }
}

/// The sheets and non-empty cells of the workbook at `path` (zero for one calamine cannot
/// open).
fn read(path: &Path) -> (usize, usize) {
    let Ok(bytes) = std::fs::read(path) else { return (0, 0) };
    let Ok(mut wb) = open_workbook_auto_from_rs(Cursor::new(bytes)) else { return (0, 0) };
    let mut sheets = 0;
    let mut cells = 0;
    for name in wb.sheet_names() {
        if let Ok(range) = wb.worksheet_range(&name) {
            sheets += 1;
            cells += range.used_cells().filter(|(_, _, d)| !matches!(d, Data::Empty)).count();
        }
    }
    (sheets, cells)
}

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: bare_reader DIR");
        std::process::exit(2);
    };
    let mut all = Vec::new();
    files(Path::new(&dir), &mut all);
    let (sheets, cells) =
        all.par_iter().map(|p| read(p)).reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!("{} files, {sheets} sheets, {cells} cells", all.len());
}
