//! Numbers written for people, per language: grouping and decimal mark.

use super::Lang;

/// `value` with `decimals` digits, grouped and with the decimal mark of `lang`:
/// en `12,345.5`, es `12.345,5`, fr `12 345,5` (narrow no-break space).
pub fn format_number(value: f64, decimals: usize, lang: Lang) -> String {
    if !value.is_finite() {
        return "–".into();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let (group, mark) = match lang {
        Lang::En => (",", "."),
        Lang::Es => (".", ","),
        Lang::Fr => ("\u{202f}", ","),
    };
    // Spanish style (RAE) does not group four-digit numbers.
    let grouped =
        if lang == Lang::Es && int.len() <= 4 { int.to_string() } else { group_digits(int, group) };
    let negative = value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0');
    let mut out = String::new();
    if negative {
        // A hyphen-minus: the embedded Noto Sans has no U+2212 MINUS SIGN glyph.
        out.push('-');
    }
    out.push_str(&grouped);
    if let Some(f) = frac {
        out.push_str(mark);
        out.push_str(f);
    }
    out
}

/// `value` with as many decimals as it needs (`2.5`, `48200`) and otherwise as
/// [`format_number`]: the questionnaire's ranges and hints and the reports print a number
/// the same way.
pub fn format_shortest(value: f64, lang: Lang) -> String {
    let text = format!("{}", value.abs());
    let decimals = text.split_once('.').map_or(0, |(_, f)| f.len());
    format_number(value, decimals, lang)
}

/// A percentage: en `12.5%`, es `12,5 %`, fr `12,5 %` (no-break spaces).
pub fn format_percent(value: f64, decimals: usize, lang: Lang) -> String {
    let n = format_number(value, decimals, lang);
    match lang {
        Lang::En => format!("{n}%"),
        Lang::Es => format!("{n}\u{a0}%"),
        Lang::Fr => format!("{n}\u{202f}%"),
    }
}

/// The digits `int` with `sep` between groups of three from the right (`1234567` →
/// `1,234,567` with `,`).
pub fn group_digits(int: &str, sep: &str) -> String {
    let digits: Vec<char> = int.chars().collect();
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(*c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers_per_language() {
        assert_eq!(format_percent(12.5, 1, Lang::En), "12.5%");
        assert_eq!(format_percent(12.5, 1, Lang::Es), "12,5\u{a0}%");
        assert_eq!(format_number(1234567.891, 2, Lang::En), "1,234,567.89");
        assert_eq!(format_number(1234567.891, 2, Lang::Es), "1.234.567,89");
        assert_eq!(format_number(1234567.0, 0, Lang::Fr), "1\u{202f}234\u{202f}567");
        assert_eq!(format_number(2500.0, 0, Lang::Es), "2500");
        assert_eq!(format_number(-0.04, 1, Lang::En), "0.0");
        assert_eq!(format_number(-3.0, 0, Lang::En), "-3");
        assert_eq!(format_number(f64::NAN, 1, Lang::En), "–");
    }
}
