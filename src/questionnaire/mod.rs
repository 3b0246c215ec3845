//! Stage 2: the questionnaire workbook (Contract 2) — the blank workbook cities fill in,
//! and the reader of what they send back. Every answer keeps the cell it came from.

pub mod answer;
pub mod fill;
pub mod layout;
pub mod limits;
mod percent;
pub mod prefill;
pub mod read;
pub mod write;

use std::fmt;

/// A cell of a worksheet, 0-based internally and shown in A1 notation (`B14`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellRef {
    /// 0-based row.
    pub row: u32,
    /// 0-based column.
    pub col: u32,
}

impl CellRef {
    /// The cell at 0-based `row` and `col`.
    pub fn new(row: u32, col: u32) -> Self {
        CellRef { row, col }
    }

    /// The column letters of 0-based column `col`: 0 → `A`, 25 → `Z`, 26 → `AA`.
    pub fn column_name(col: u32) -> String {
        let mut n = col as u64 + 1;
        let mut out = Vec::new();
        while n > 0 {
            let rem = ((n - 1) % 26) as u8;
            out.push(b'A' + rem);
            n = (n - 1) / 26;
        }
        out.reverse();
        String::from_utf8(out).unwrap_or_default()
    }

    /// Parses A1 notation (`b14`, `AA3`, with optional `$`).
    pub fn parse(a1: &str) -> Option<CellRef> {
        let a1 = a1.trim();
        let owned;
        let s = if a1.contains('$') {
            owned = a1.replace('$', "");
            owned.as_str()
        } else {
            a1
        };
        let split = s.find(|c: char| c.is_ascii_digit())?;
        let (letters, digits) = s.split_at(split);
        if letters.is_empty() || !letters.chars().all(|c| c.is_ascii_alphabetic()) {
            return None;
        }
        let mut col: u64 = 0;
        for c in letters.chars() {
            col = col * 26 + (c.to_ascii_uppercase() as u64 - 'A' as u64 + 1);
            if col > u32::MAX as u64 {
                return None;
            }
        }
        let row: u32 = digits.parse().ok()?;
        (row >= 1).then(|| CellRef::new(row - 1, (col - 1) as u32))
    }
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", CellRef::column_name(self.col), self.row as u64 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::CellRef;

    #[test]
    fn a1_notation_round_trips() {
        assert_eq!(CellRef::new(13, 1).to_string(), "B14");
        assert_eq!(CellRef::new(0, 25).to_string(), "Z1");
        assert_eq!(CellRef::new(2, 26).to_string(), "AA3");
        assert_eq!(CellRef::new(0, 16383).to_string(), "XFD1");
        for (r, c) in [(0, 0), (13, 1), (99, 27), (1_048_575, 16383)] {
            let cell = CellRef::new(r, c);
            assert_eq!(CellRef::parse(&cell.to_string()), Some(cell));
        }
        assert_eq!(CellRef::parse("$b$14"), Some(CellRef::new(13, 1)));
        assert_eq!(CellRef::parse("14"), None);
        assert_eq!(CellRef::parse("B0"), None);
        assert_eq!(CellRef::parse("B-1"), None);
    }
}
