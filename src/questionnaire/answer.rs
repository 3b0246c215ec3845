//! Reading answers as a person wrote them (Contract 2): numbers with a decimal comma or
//! point and thousands separators, `%`, yes/no words in three languages, choice labels or
//! codes, dates as date cells or text, "not available" markers kept apart from blanks.

use crate::framework::{Question, QuestionType};
use crate::i18n::{fold, Lang};
use serde::{Deserialize, Serialize};

use super::layout::{is_not_available, parse_yes_no};
use super::CellRef;

/// What became of one answer (Contract 4, `responses.status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseStatus {
    /// A usable answer.
    Answered,
    /// Nothing written.
    Blank,
    /// A "not available" marker such as `N/A`, `n/d` or `no disponible`.
    NotAvailable,
    /// Something written that cannot be used (kept raw, with its diagnostic).
    Invalid,
    /// The question does not apply (its skip logic is false).
    NotApplicable,
    /// The question is newer than the template the return was made from: it was never
    /// asked (neither missing nor a gap the city must fix).
    NotAsked,
}

impl ResponseStatus {
    /// Every status, in the order of this enum.
    pub const ALL: [ResponseStatus; 6] = [
        ResponseStatus::Answered,
        ResponseStatus::Blank,
        ResponseStatus::NotAvailable,
        ResponseStatus::Invalid,
        ResponseStatus::NotApplicable,
        ResponseStatus::NotAsked,
    ];

    /// The name used in exports.
    pub fn name(self) -> &'static str {
        match self {
            ResponseStatus::Answered => "answered",
            ResponseStatus::Blank => "blank",
            ResponseStatus::NotAvailable => "not_available",
            ResponseStatus::Invalid => "invalid",
            ResponseStatus::NotApplicable => "not_applicable",
            ResponseStatus::NotAsked => "not_asked",
        }
    }

    /// The status called `name` in exports.
    pub fn from_name(name: &str) -> Option<ResponseStatus> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The formula state code of an answer with this status (see
    /// [`State`](crate::formula::State)): blank, not available and invalid
    /// answers are all missing to formulas; a question never asked leaves formulas as one
    /// that does not apply (the indicator table then names it `not_asked`).
    pub fn formula_state(self) -> i32 {
        match self {
            ResponseStatus::Answered => 0,
            ResponseStatus::NotApplicable | ResponseStatus::NotAsked => 3,
            _ => 2,
        }
    }
}

/// A cell as the reader found it, before the question's type is applied.
#[derive(Clone, Debug, PartialEq)]
pub enum RawCell {
    /// Nothing in the cell.
    Empty,
    /// A number cell (a formula's cached number included).
    Number(f64),
    /// A number cell formatted as a percentage: the fraction it holds (0.45 for 45 %).
    PercentFraction(f64),
    /// A TRUE/FALSE cell.
    Bool(bool),
    /// A text cell.
    Text(String),
    /// A date cell.
    Date(Date),
    /// An Excel error value such as `#DIV/0!`.
    Error(String),
    /// A formula whose result was never saved in the file (written by a program that does
    /// not calculate): the formula's text, without `=`.
    Formula(String),
    /// A multiple-choice question written as one yes/no row per option (template 2): what
    /// each option's row holds, in sheet order.
    Options(Vec<OptionCell>),
}

/// The row of one option of a multiple-choice question written one option per row: its ID
/// cell reads `QUESTION.code` (`WRK_Q06.none`) and its answer cell says whether the option
/// is ticked.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionCell {
    /// The option's code.
    pub code: String,
    /// The option's label as the row shows it (its code if the row shows none).
    pub label: String,
    /// The sheet of the row.
    pub sheet: String,
    /// The row's answer cell.
    pub cell: CellRef,
    /// What the answer cell holds.
    pub raw: RawCell,
}

/// What the answer cell of an option row says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tick {
    /// Nothing written: the option is not ticked.
    Blank,
    Yes,
    No,
    /// A "not available" marker.
    NotAvailable,
    /// Something that is not yes, no or a "not available" marker.
    Unreadable,
}

impl Tick {
    /// What `raw`, the answer cell of an option row, says: Yes/No, Sí/No, Oui/Non, TRUE/
    /// FALSE, 1/0 and x as for a yes/no question.
    pub fn of(raw: &RawCell) -> Tick {
        match raw {
            RawCell::Empty => Tick::Blank,
            RawCell::Bool(b) => Tick::yes(*b),
            RawCell::Number(n) if *n == 1.0 || *n == 0.0 => Tick::yes(*n == 1.0),
            RawCell::Text(t) if t.trim().is_empty() => Tick::Blank,
            RawCell::Text(t) if is_not_available(t) => Tick::NotAvailable,
            RawCell::Text(t) => parse_yes_no(t).map_or(Tick::Unreadable, Tick::yes),
            _ => Tick::Unreadable,
        }
    }

    fn yes(b: bool) -> Tick {
        if b {
            Tick::Yes
        } else {
            Tick::No
        }
    }
}

/// The option row that speaks for the whole answer, for its cell and its text: the first
/// that cannot be read, else the first ticked, else the first "not available", else the
/// first "no", else the first.
pub fn telling_option(options: &[OptionCell]) -> Option<&OptionCell> {
    [Tick::Unreadable, Tick::Yes, Tick::NotAvailable, Tick::No]
        .iter()
        .find_map(|t| options.iter().find(|o| Tick::of(&o.raw) == *t))
        .or_else(|| options.first())
}

impl RawCell {
    /// The cell as text, for the store's `raw` column and for messages.
    pub fn text(&self) -> String {
        match self {
            RawCell::Empty => String::new(),
            RawCell::Number(n) => format_plain(*n),
            RawCell::PercentFraction(f) => format!("{}%", format_plain(f * 100.0)),
            RawCell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
            RawCell::Text(t) => t.clone(),
            RawCell::Date(d) => d.to_string(),
            RawCell::Error(e) => e.clone(),
            RawCell::Formula(f) => format!("={f}"),
            // The labels of the ticked options, as template 1 had them written in one
            // cell; else what the telling row holds.
            RawCell::Options(options) => {
                let ticked: Vec<&str> = options
                    .iter()
                    .filter(|o| Tick::of(&o.raw) == Tick::Yes)
                    .map(|o| o.label.as_str())
                    .collect();
                let unreadable = options.iter().any(|o| Tick::of(&o.raw) == Tick::Unreadable);
                if ticked.is_empty() || unreadable {
                    telling_option(options).map_or(String::new(), |o| o.raw.text())
                } else {
                    ticked.join("; ")
                }
            }
        }
    }
}

/// A number without float noise: `0.30000000000000004` prints as `0.3`.
pub fn format_plain(n: f64) -> String {
    let rounded = (n * 1e9).round() / 1e9;
    if rounded == rounded.trunc() && rounded.abs() < 1e15 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded}")
    }
}

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// The date if it exists in the calendar.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (day >= 1 && day <= days && (1000..=9999).contains(&year)).then_some(Date {
            year,
            month,
            day,
        })
    }

    /// The date of an Excel serial day number (1900 system: day 1 is 1900-01-01, and
    /// Excel's fictitious 1900-02-29 is day 60).
    pub fn from_excel_serial(serial: f64) -> Option<Date> {
        if !(1.0..2_958_466.0).contains(&serial) {
            return None;
        }
        // Days since 1899-12-30 (serials after 60 already count the fictitious leap day).
        let mut days = serial.floor() as i64;
        if days < 60 {
            days += 1;
        }
        Some(Date::from_days_since_1899_12_30(days))
    }

    fn from_days_since_1899_12_30(days: i64) -> Date {
        // Civil-from-days (Howard Hinnant), with the epoch moved to 1899-12-30.
        let z = days - 25_569 + 719_468; // to days since 0000-03-01 via 1970-01-01
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Parses `2024-03-15`, `15/03/2024`, `15.03.2024` or `15-03-2024` (day first, as in
    /// Spanish and French; also in English outside the US).
    pub fn parse(text: &str) -> Option<Date> {
        let t = text.trim();
        let t = t.split(['T', ' ']).next().unwrap_or(t); // drop a time part
        let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
        if parts.len() != 3
            || parts.iter().any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
        {
            return None;
        }
        let n: Vec<i64> = parts.iter().filter_map(|p| p.parse().ok()).collect();
        if n.len() != 3 {
            return None;
        }
        let (y, m, d) = if parts[0].len() == 4 {
            (n[0], n[1], n[2])
        } else if parts[2].len() == 4 {
            (n[2], n[1], n[0])
        } else {
            return None;
        };
        Date::new(i32::try_from(y).ok()?, u32::try_from(m).ok()?, u32::try_from(d).ok()?)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A usable answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// number, integer, percent (in points), yes/no (1/0), year.
    Number(f64),
    /// A choice code.
    Code(String),
    /// Ticked choice codes, in framework order.
    Codes(Vec<String>),
    /// Free text.
    Text(String),
    /// A date.
    Date(Date),
}

/// Why an answer could not be used, or a doubt about how it was read.
#[derive(Clone, Debug, PartialEq)]
pub enum Issue {
    /// Text that is not a number (`E-NUM-PARSE`).
    NotANumber,
    /// `%` on a question that is not a percentage (`E-NUM-PARSE`).
    PercentNotAllowed,
    /// A fraction where a whole number is needed (`E-NOT-INTEGER`).
    NotInteger,
    /// Outside `min`–`max` (`E-RANGE`).
    OutOfRange { min: Option<f64>, max: Option<f64> },
    /// Not a yes/no word (`E-YESNO`).
    NotYesNo,
    /// Not one of the choices (`E-CHOICE`); the unknown part.
    UnknownChoice(String),
    /// Not a date (`E-DATE`).
    NotADate,
    /// An Excel error value (`E-CELL-ERROR`).
    CellError(String),
    /// A formula whose result was not saved (`E-FORMULA-NO-VALUE`).
    FormulaNoValue,
    /// Warning: `1.234` could be read two ways; read as `value` (`W-NUM-AMBIGUOUS`).
    AmbiguousNumber { value: f64 },
    /// Warning: a date stored as a plain number, read as a serial day (`W-DATE-SERIAL`).
    DateFromSerial(Date),
}

impl Issue {
    /// The stable diagnostic code.
    pub fn code(&self) -> &'static str {
        match self {
            Issue::NotANumber | Issue::PercentNotAllowed => "E-NUM-PARSE",
            Issue::NotInteger => "E-NOT-INTEGER",
            Issue::OutOfRange { .. } => "E-RANGE",
            Issue::NotYesNo => "E-YESNO",
            Issue::UnknownChoice(_) => "E-CHOICE",
            Issue::NotADate => "E-DATE",
            Issue::CellError(_) => "E-CELL-ERROR",
            Issue::FormulaNoValue => "E-FORMULA-NO-VALUE",
            Issue::AmbiguousNumber { .. } => "W-NUM-AMBIGUOUS",
            Issue::DateFromSerial(_) => "W-DATE-SERIAL",
        }
    }

    /// Whether the answer is still used (a warning) or not (an error).
    pub fn is_warning(&self) -> bool {
        matches!(self, Issue::AmbiguousNumber { .. } | Issue::DateFromSerial(_))
    }
}

/// What an answer cell means for its question.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    /// answered, blank, not_available or invalid (not_applicable is decided by skip logic).
    pub status: ResponseStatus,
    /// The value when answered.
    pub value: Option<Value>,
    /// The problem or doubt, if any.
    pub issue: Option<Issue>,
}

impl Reading {
    fn answered(value: Value) -> Self {
        Reading { status: ResponseStatus::Answered, value: Some(value), issue: None }
    }

    fn invalid(issue: Issue) -> Self {
        Reading { status: ResponseStatus::Invalid, value: None, issue: Some(issue) }
    }

    fn with(status: ResponseStatus) -> Self {
        Reading { status, value: None, issue: None }
    }
}

/// A number read from text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParsedNumber {
    pub value: f64,
    /// Written with `%`.
    pub percent: bool,
    /// `1.234` or `1,234`: read by the convention of the workbook's language.
    pub ambiguous: bool,
}

/// Parses a number as people write it: `1234.5`, `1,234.5`, `1.234,5`, `1 234,5`,
/// `1'234`, `45 %`, `−3`. `lang` (the workbook's language) settles `1.234` / `1,234`:
/// thousands in Spanish and French for `.`, in English for `,`.
pub fn parse_number(text: &str, lang: Lang) -> Option<ParsedNumber> {
    let mut s: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\''))
        .collect();
    let percent = s.ends_with('%') || s.starts_with('%');
    s = s.trim_matches('%').to_string();
    let negative = s.starts_with(['-', '−']);
    let s = s.strip_prefix(['-', '−', '+']).unwrap_or(&s);
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
        return None;
    }
    if !s.chars().next().is_some_and(|c| c.is_ascii_digit() || c == '.' || c == ',') {
        return None;
    }
    let dots = s.matches('.').count();
    let commas = s.matches(',').count();
    let grouped = |s: &str, sep: char| -> bool {
        let groups: Vec<&str> = s.split(sep).collect();
        groups[0].len() <= 3 && !groups[0].is_empty() && groups[1..].iter().all(|g| g.len() == 3)
    };
    let mut ambiguous = false;
    let canonical = match (dots, commas) {
        (0, 0) => s.to_string(),
        (_, 0) | (0, _) => {
            let sep = if dots > 0 { '.' } else { ',' };
            let count = dots.max(commas);
            let (int, frac) = s.rsplit_once(sep).unwrap_or((s, ""));
            if count > 1 {
                // Several: thousands separators.
                if !grouped(s, sep) {
                    return None;
                }
                s.replace(sep, "")
            } else if frac.len() == 3 && !int.is_empty() && int.len() <= 3 && int != "0" {
                // One, followed by exactly three digits: the language decides.
                ambiguous = true;
                let thousands = match sep {
                    '.' => lang != Lang::En,
                    _ => lang == Lang::En,
                };
                if thousands {
                    format!("{int}{frac}")
                } else {
                    format!("{int}.{frac}")
                }
            } else {
                format!("{}.{frac}", if int.is_empty() { "0" } else { int })
            }
        }
        _ => {
            // Both: the last one is the decimal mark, the other groups thousands.
            let last_dot = s.rfind('.').unwrap_or(0);
            let last_comma = s.rfind(',').unwrap_or(0);
            let (decimal, group) = if last_dot > last_comma { ('.', ',') } else { (',', '.') };
            let (int, frac) = s.rsplit_once(decimal).unwrap_or((s, ""));
            if int.contains(decimal) || !grouped(int, group) || frac.contains(group) {
                return None;
            }
            format!("{}.{frac}", int.replace(group, ""))
        }
    };
    let value: f64 = canonical.parse().ok()?;
    if !value.is_finite() {
        return None;
    }
    Some(ParsedNumber { value: if negative { -value } else { value }, percent, ambiguous })
}

/// Reads `raw` as an answer to `q`; `lang` is the workbook's language.
pub fn read_answer(q: &Question, raw: &RawCell, lang: Lang) -> Reading {
    if let RawCell::Options(options) = raw {
        return read_options(q, options);
    }
    if let RawCell::Text(t) = raw {
        if t.trim().is_empty() {
            return Reading::with(ResponseStatus::Blank);
        }
        if is_not_available(t) {
            return Reading::with(ResponseStatus::NotAvailable);
        }
    }
    match raw {
        RawCell::Empty => return Reading::with(ResponseStatus::Blank),
        RawCell::Error(e) => return Reading::invalid(Issue::CellError(e.clone())),
        RawCell::Formula(_) => return Reading::invalid(Issue::FormulaNoValue),
        _ => {}
    }
    let reading = match q.qtype {
        QuestionType::Number
        | QuestionType::Integer
        | QuestionType::Percent
        | QuestionType::Year => read_numeric(q, raw, lang),
        QuestionType::YesNo => match raw {
            RawCell::Bool(b) => Reading::answered(Value::Number(f64::from(u8::from(*b)))),
            RawCell::Number(n) if *n == 0.0 || *n == 1.0 => Reading::answered(Value::Number(*n)),
            RawCell::Text(t) => match parse_yes_no(t) {
                Some(b) => Reading::answered(Value::Number(f64::from(u8::from(b)))),
                None => Reading::invalid(Issue::NotYesNo),
            },
            _ => Reading::invalid(Issue::NotYesNo),
        },
        QuestionType::Choice => match choice_code(q, &raw.text()) {
            Some(code) => Reading::answered(Value::Code(code)),
            None => Reading::invalid(Issue::UnknownChoice(raw.text().trim().to_string())),
        },
        QuestionType::MultiChoice => {
            let text = raw.text();
            // Labels are separated by `;` or new lines (labels may contain commas); a list
            // separated by commas only is read that way when that is the only reading.
            let split = |seps: &[char]| -> Result<Vec<String>, String> {
                text.split(seps)
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(|p| choice_code(q, p).ok_or_else(|| p.to_string()))
                    .collect()
            };
            let codes = match split(&[';', '\n']) {
                Ok(codes) => codes,
                Err(unknown) => match split(&[';', '\n', ',']) {
                    Ok(codes) => codes,
                    Err(_) => return Reading::invalid(Issue::UnknownChoice(unknown)),
                },
            };
            // Framework order, each code once.
            let ordered: Vec<String> =
                q.choices.iter().map(|c| c.code.clone()).filter(|c| codes.contains(c)).collect();
            Reading::answered(Value::Codes(ordered))
        }
        QuestionType::Text => Reading::answered(Value::Text(raw.text().trim().to_string())),
        QuestionType::Date => match raw {
            RawCell::Date(d) => Reading::answered(Value::Date(*d)),
            RawCell::Text(t) => match Date::parse(t) {
                Some(d) => Reading::answered(Value::Date(d)),
                None => Reading::invalid(Issue::NotADate),
            },
            RawCell::Number(n) => {
                match Date::from_excel_serial(*n).filter(|d| (1990..=2100).contains(&d.year)) {
                    Some(d) => Reading {
                        status: ResponseStatus::Answered,
                        value: Some(Value::Date(d)),
                        issue: Some(Issue::DateFromSerial(d)),
                    },
                    None => Reading::invalid(Issue::NotADate),
                }
            }
            _ => Reading::invalid(Issue::NotADate),
        },
    };
    reading
}

/// Reads the option rows of a multiple-choice question: the ticked options (a blank row is
/// an option not ticked); no row written at all is a blank answer; "not available" when no
/// option is ticked and a row says so; no option ticked but some answered "No" is an
/// answer that none applies. A row that is not yes, no or "not available" makes the answer
/// invalid (the reader points at that row).
fn read_options(q: &Question, options: &[OptionCell]) -> Reading {
    let ticks: Vec<Tick> = options.iter().map(|o| Tick::of(&o.raw)).collect();
    if let Some(o) = options.iter().find(|o| Tick::of(&o.raw) == Tick::Unreadable) {
        return match &o.raw {
            RawCell::Error(e) => Reading::invalid(Issue::CellError(e.clone())),
            RawCell::Formula(_) => Reading::invalid(Issue::FormulaNoValue),
            _ => Reading::invalid(Issue::NotYesNo),
        };
    }
    let ticked =
        |code: &str| options.iter().zip(&ticks).any(|(o, t)| o.code == code && *t == Tick::Yes);
    // Framework order, each code once.
    let codes: Vec<String> =
        q.choices.iter().map(|c| c.code.clone()).filter(|c| ticked(c)).collect();
    if !codes.is_empty() {
        Reading::answered(Value::Codes(codes))
    } else if ticks.contains(&Tick::NotAvailable) {
        Reading::with(ResponseStatus::NotAvailable)
    } else if ticks.contains(&Tick::No) {
        Reading::answered(Value::Codes(Vec::new()))
    } else {
        Reading::with(ResponseStatus::Blank)
    }
}

fn read_numeric(q: &Question, raw: &RawCell, lang: Lang) -> Reading {
    let percent_question = q.qtype == QuestionType::Percent;
    let (value, ambiguous) = match raw {
        RawCell::Number(n) => (*n, false),
        RawCell::PercentFraction(f) if percent_question => (f * 100.0, false),
        RawCell::PercentFraction(_) => return Reading::invalid(Issue::PercentNotAllowed),
        RawCell::Bool(_) | RawCell::Date(_) => return Reading::invalid(Issue::NotANumber),
        RawCell::Text(t) => match parse_number(t, lang) {
            Some(p) if p.percent && !percent_question => {
                return Reading::invalid(Issue::PercentNotAllowed)
            }
            Some(p) => (p.value, p.ambiguous),
            None => return Reading::invalid(Issue::NotANumber),
        },
        RawCell::Empty | RawCell::Error(_) | RawCell::Formula(_) | RawCell::Options(_) => {
            return Reading::invalid(Issue::NotANumber)
        }
    };
    // Percentages in points: tidy the float noise of 0.45 × 100.
    let value = if percent_question { (value * 1e9).round() / 1e9 } else { value };
    let whole = matches!(q.qtype, QuestionType::Integer | QuestionType::Year);
    if whole && value.fract() != 0.0 {
        return Reading::invalid(Issue::NotInteger);
    }
    let too_low = q.min.is_some_and(|m| value < m);
    let too_high = q.max.is_some_and(|m| value > m);
    if too_low || too_high {
        return Reading::invalid(Issue::OutOfRange { min: q.min, max: q.max });
    }
    let mut reading = Reading::answered(Value::Number(value));
    if ambiguous {
        reading.issue = Some(Issue::AmbiguousNumber { value });
    }
    reading
}

/// The code of the choice written as `text`: its code, or its label in any language
/// (ignoring case and accents).
pub fn choice_code(q: &Question, text: &str) -> Option<String> {
    let t = text.trim();
    if let Some(c) = q.choices.iter().find(|c| c.code == t) {
        return Some(c.code.clone());
    }
    let f = fold(t);
    q.choices
        .iter()
        .find(|c| Lang::ALL.iter().any(|l| fold(c.label.get(*l)) == f) || fold(&c.code) == f)
        .map(|c| c.code.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(text: &str, lang: Lang) -> Option<(f64, bool, bool)> {
        parse_number(text, lang).map(|p| (p.value, p.percent, p.ambiguous))
    }

    #[test]
    fn parses_numbers_as_people_write_them() {
        use Lang::*;
        assert_eq!(num("1234.5", En), Some((1234.5, false, false)));
        assert_eq!(num("1234,5", Es), Some((1234.5, false, false)));
        assert_eq!(num("1,234.5", Es), Some((1234.5, false, false)));
        assert_eq!(num("1.234,5", En), Some((1234.5, false, false)));
        assert_eq!(num("1 234,5", Fr), Some((1234.5, false, false)));
        assert_eq!(num("1\u{202f}234\u{a0}567", Fr), Some((1234567.0, false, false)));
        assert_eq!(num("1.234.567", En), Some((1234567.0, false, false)));
        assert_eq!(num("1,234,567", Fr), Some((1234567.0, false, false)));
        assert_eq!(num("1'234", Fr), Some((1234.0, false, false)));
        assert_eq!(num("45 %", Fr), Some((45.0, true, false)));
        assert_eq!(num("45%", En), Some((45.0, true, false)));
        assert_eq!(num("12,5 %", Es), Some((12.5, true, false)));
        assert_eq!(num("0,45", En), Some((0.45, false, false)));
        assert_eq!(num(",5", Es), Some((0.5, false, false)));
        assert_eq!(num("−3", Es), Some((-3.0, false, false)));
        assert_eq!(num("-2.5", En), Some((-2.5, false, false)));
        // one separator followed by three digits: the workbook's language decides
        assert_eq!(num("1.234", Es), Some((1234.0, false, true)));
        assert_eq!(num("1.234", En), Some((1.234, false, true)));
        assert_eq!(num("1,234", En), Some((1234.0, false, true)));
        assert_eq!(num("1,234", Fr), Some((1.234, false, true)));
        assert_eq!(num("0.125", Es), Some((0.125, false, false)), "a leading 0 is never thousands");
        for bad in
            ["", "abc", "12a", "1.2.3,4,5", "1,23,456", "1.234,5.6", "--3", "%", "12 kg", "1e5"]
        {
            assert_eq!(parse_number(bad, En), None, "{bad}");
        }
    }

    // See issue 19: a multiple-choice question is a list of yes/no rows, one per option.
    #[test]
    fn options_written_one_per_row_read_as_the_ticked_codes() {
        let fw = crate::framework::load_embedded(Lang::En).framework;
        let q = fw.question("WRK_Q06").expect("WRK_Q06");
        let row = |code: &str, r: u32, raw: RawCell| OptionCell {
            code: code.into(),
            label: format!("label of {code}"),
            sheet: "05 Work".into(),
            cell: CellRef::new(r, 2),
            raw,
        };
        let text = |t: &str| RawCell::Text(t.into());
        let read = |rows: Vec<OptionCell>| {
            let raw = RawCell::Options(rows);
            let r = read_answer(q, &raw, Lang::Es);
            (r.status, r.value, r.issue, raw.text())
        };
        // Ticks in any language and form, blank rows not ticked, framework order.
        let (status, value, issue, raw) = read(vec![
            row("labour_clauses", 10, text("Sí")),
            row("own_living_wage", 8, RawCell::Bool(true)),
            row("contractor_living_wage", 9, RawCell::Empty),
            row("equal_pay_audit", 11, text("non")),
        ]);
        assert_eq!(status, ResponseStatus::Answered);
        assert_eq!(
            value,
            Some(Value::Codes(vec!["own_living_wage".into(), "labour_clauses".into()]))
        );
        assert_eq!(
            (issue, raw.as_str()),
            (None, "label of labour_clauses; label of own_living_wage")
        );
        // Every row blank: no answer (missing), not "none of them".
        let blank =
            read(vec![row("none", 12, RawCell::Empty), row("own_living_wage", 8, text(" "))]);
        assert_eq!((blank.0, blank.1), (ResponseStatus::Blank, None));
        // Only "No": an answer that no option applies.
        let no = read(vec![row("none", 12, text("No")), row("own_living_wage", 8, RawCell::Empty)]);
        assert_eq!((no.0, no.1), (ResponseStatus::Answered, Some(Value::Codes(vec![]))));
        // "Not available" when nothing is ticked.
        let na = read(vec![row("none", 12, text("N/D")), row("own_living_wage", 8, text("No"))]);
        assert_eq!((na.0, na.3.as_str()), (ResponseStatus::NotAvailable, "N/D"));
        // A row that is not yes or no makes the answer invalid, with what it holds.
        let bad =
            read(vec![row("none", 12, text("Sí")), row("own_living_wage", 8, text("quizás"))]);
        assert_eq!(
            (bad.0, bad.2, bad.3.as_str()),
            (ResponseStatus::Invalid, Some(Issue::NotYesNo), "quizás")
        );
        let err = read(vec![row("none", 12, RawCell::Error("#REF!".into()))]);
        assert_eq!(err.2, Some(Issue::CellError("#REF!".into())));
    }

    #[test]
    fn the_telling_option_row_is_the_one_to_point_at() {
        let row = |code: &str, raw: RawCell| OptionCell {
            code: code.into(),
            label: code.into(),
            sheet: "s".into(),
            cell: CellRef::new(0, 0),
            raw,
        };
        let rows = vec![
            row("a", RawCell::Empty),
            row("b", RawCell::Text("No".into())),
            row("c", RawCell::Text("x".into())),
            row("d", RawCell::Text("??".into())),
        ];
        assert_eq!(telling_option(&rows).map(|o| o.code.as_str()), Some("d"));
        assert_eq!(telling_option(&rows[..3]).map(|o| o.code.as_str()), Some("c"));
        assert_eq!(telling_option(&rows[..2]).map(|o| o.code.as_str()), Some("b"));
        assert_eq!(telling_option(&rows[..1]).map(|o| o.code.as_str()), Some("a"));
        assert_eq!(telling_option(&[]), None);
    }

    #[test]
    fn converts_excel_serial_dates() {
        assert_eq!(Date::from_excel_serial(1.0), Date::new(1900, 1, 1));
        assert_eq!(Date::from_excel_serial(61.0), Date::new(1900, 3, 1));
        assert_eq!(Date::from_excel_serial(45_000.0), Date::new(2023, 3, 15));
        assert_eq!(Date::from_excel_serial(45_658.5), Date::new(2025, 1, 1));
        assert_eq!(Date::parse("2024-02-29"), Date::new(2024, 2, 29));
        assert_eq!(Date::parse("15/03/2024"), Date::new(2024, 3, 15));
        assert_eq!(Date::parse("15.03.2024"), Date::new(2024, 3, 15));
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("03/15/24"), None);
        assert_eq!(Date::parse("2024-03-15T10:00:00"), Date::new(2024, 3, 15));
    }
}
