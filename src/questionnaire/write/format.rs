//! Formats: the cell styles, column widths and row heights of the workbook.

use super::*;

pub(super) const BORDER: u32 = 0xBFBFBF;
pub(super) const HEADER_FILL: u32 = 0x1F4E79;
pub(super) const SECTION_FILL: u32 = 0xDDEBF7;
pub(super) const ANSWER_FILL: u32 = 0xFFF2CC;
pub(super) const EDIT_FILL: u32 = 0xFFFBEF;
pub(super) const NO_ANSWER_FILL: u32 = 0xEDEDED;
/// Answers carried over from last year, until they are changed (light green).
pub(super) const PREFILLED_FILL: u32 = 0xD9EAD3;
pub(super) const GREY_TEXT: u32 = 0x595959;
pub(super) const ACCENT: u32 = 0x1F4E79;

/// The cell formats of the workbook.
pub(super) struct Styles {
    pub(super) title: Format,
    pub(super) summary: Format,
    pub(super) header: Format,
    pub(super) section: Format,
    pub(super) id: Format,
    pub(super) question: Format,
    pub(super) unit: Format,
    pub(super) help: Format,
    pub(super) answer: Format,
    pub(super) answer_text: Format,
    pub(super) answer_date: Format,
    pub(super) answer_percent: Format,
    pub(super) edit: Format,
    /// The answer cell of a question answered in its option rows: locked, shaded.
    pub(super) no_answer: Format,
    /// A locked cell with nothing to write in it.
    pub(super) plain: Format,
    /// An option row's id and label.
    pub(super) option_id: Format,
    pub(super) option: Format,
    /// An option row's copy of its question's "Who answers".
    pub(super) who_copy: Format,
    /// The answer cells of answers carried over from last year, for any answer, text, a
    /// date and a percentage (as `answer`, `answer_text`, `answer_date`, `answer_percent`).
    pub(super) prefilled: [Format; 4],
    /// The column "Prefilled from 2026": last year's answer, locked, in the same four kinds.
    pub(super) copy: [Format; 4],
    /// What a carried-over answer cell turns to once its answer differs from last year's
    /// (a conditional format): the fill of an ordinary answer cell.
    pub(super) updated: Format,
    // Instructions sheet.
    pub(super) doc_title: Format,
    pub(super) doc_subtitle: Format,
    pub(super) doc_heading: Format,
    pub(super) doc_text: Format,
    pub(super) doc_number: Format,
    pub(super) doc_link: Format,
    pub(super) doc_table_head: Format,
}

impl Styles {
    pub(super) fn new() -> Styles {
        let cell = || {
            Format::new()
                .set_align(FormatAlign::Top)
                .set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(BORDER))
        };
        let answer = || {
            cell()
                .set_unlocked()
                .set_background_color(Color::RGB(ANSWER_FILL))
                .set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(0x7F7F7F))
        };
        let prefilled = || answer().set_background_color(Color::RGB(PREFILLED_FILL));
        let copy = || {
            cell().set_font_color(Color::RGB(GREY_TEXT)).set_align(FormatAlign::Left).set_indent(1)
        };
        Styles {
            prefilled: [
                prefilled().set_text_wrap(),
                prefilled().set_text_wrap().set_num_format("@"),
                prefilled().set_num_format("yyyy-mm-dd"),
                prefilled().set_num_format("0%"),
            ],
            copy: [
                copy().set_text_wrap(),
                copy().set_text_wrap().set_num_format("@"),
                copy().set_num_format("yyyy-mm-dd"),
                copy().set_num_format("0%"),
            ],
            updated: Format::new().set_background_color(Color::RGB(ANSWER_FILL)),
            title: Format::new().set_bold().set_font_size(16).set_font_color(Color::RGB(ACCENT)),
            summary: Format::new().set_text_wrap().set_align(FormatAlign::Top).set_italic(),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter)
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(HEADER_FILL))
                .set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(BORDER)),
            section: Format::new()
                .set_bold()
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(SECTION_FILL))
                .set_border_top(FormatBorder::Thin)
                .set_border_bottom(FormatBorder::Thin)
                .set_border_color(Color::RGB(BORDER)),
            id: cell().set_font_color(Color::RGB(GREY_TEXT)),
            question: cell().set_text_wrap(),
            unit: cell().set_text_wrap().set_font_color(Color::RGB(GREY_TEXT)),
            help: cell().set_text_wrap().set_font_size(9).set_font_color(Color::RGB(GREY_TEXT)),
            answer: answer().set_text_wrap(),
            answer_text: answer().set_text_wrap().set_num_format("@"),
            answer_date: answer().set_num_format("yyyy-mm-dd"),
            answer_percent: answer().set_num_format("0%"),
            edit: cell().set_text_wrap().set_unlocked().set_background_color(Color::RGB(EDIT_FILL)),
            no_answer: cell().set_background_color(Color::RGB(NO_ANSWER_FILL)),
            plain: cell(),
            option_id: cell()
                .set_text_wrap()
                .set_font_size(8)
                .set_font_color(Color::RGB(GREY_TEXT)),
            option: cell().set_text_wrap().set_indent(1),
            who_copy: cell().set_text_wrap().set_font_color(Color::RGB(GREY_TEXT)),
            doc_title: Format::new()
                .set_bold()
                .set_font_size(18)
                .set_font_color(Color::RGB(ACCENT)),
            doc_subtitle: Format::new().set_italic().set_font_color(Color::RGB(GREY_TEXT)),
            doc_heading: Format::new()
                .set_bold()
                .set_font_size(13)
                .set_font_color(Color::RGB(ACCENT))
                .set_align(FormatAlign::Bottom),
            doc_text: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            doc_number: Format::new()
                .set_bold()
                .set_align(FormatAlign::Top)
                .set_align(FormatAlign::Right),
            doc_link: Format::new()
                .set_font_color(Color::RGB(0x0563C1))
                .set_underline(FormatUnderline::Single),
            doc_table_head: Format::new()
                .set_bold()
                .set_border_bottom(FormatBorder::Thin)
                .set_border_color(Color::RGB(BORDER)),
        }
    }

    /// The answer formats — for any answer, text, a date and a percentage — of an answer
    /// carried over from last year (`prefilled`) or not.
    pub(super) fn answers(&self, prefilled: bool) -> [&Format; 4] {
        if prefilled {
            let [a, b, c, d] = &self.prefilled;
            [a, b, c, d]
        } else {
            [&self.answer, &self.answer_text, &self.answer_date, &self.answer_percent]
        }
    }

    /// The formats of the column "Prefilled from 2026", as [`Styles::answers`].
    pub(super) fn copies(&self) -> [&Format; 4] {
        let [a, b, c, d] = &self.copy;
        [a, b, c, d]
    }
}

/// Column widths, in Excel character units.
pub(super) fn width(c: Column) -> f64 {
    match c {
        Column::Id => 11.0,
        Column::Question => 60.0,
        Column::Answer => 18.0,
        Column::Unit => 14.0,
        Column::Help => 60.0,
        Column::Source => 30.0,
        Column::Comment => 30.0,
        Column::WhoAnswers => 20.0,
        Column::Dimension => 22.0,
        Column::Category => 26.0,
        Column::Reference => 20.0,
        Column::Body => 14.0,
        Column::Themes => 22.0,
        Column::Position => 12.0,
        Column::RecommendedBy => 16.0,
        Column::Recommendation => 60.0,
        Column::Competence => 14.0,
        Column::FollowStatus => 16.0,
        Column::Department => 22.0,
        Column::Action => 40.0,
        Column::Prefilled => 18.0,
    }
}

/// How many lines `text` takes when wrapped at `cap` characters per line (greedy word
/// wrap; words longer than a line are broken).
pub(super) fn wrapped_lines(text: &str, cap: f64) -> usize {
    let cap = cap.max(1.0) as usize;
    text.split('\n')
        .map(|para| {
            let mut lines = 1;
            let mut len = 0;
            for word in para.split_whitespace() {
                let w = word.chars().count();
                if len == 0 {
                    len = w;
                } else if len + 1 + w <= cap {
                    len += 1 + w;
                } else {
                    lines += 1;
                    len = w;
                }
                while len > cap {
                    lines += 1;
                    len -= cap;
                }
            }
            lines
        })
        .sum()
}

/// The height in points of a row whose wrapped cells hold `cells`: (text, column width,
/// font size). Rust_xlsxwriter does not autofit, so the height is estimated: about 1.05
/// characters per unit of width at 11 points, which leaves room for wider fonts than
/// Calibri (LibreOffice's DejaVu Sans fits, with a line to spare on long texts).
pub(super) fn row_height(cells: &[(&str, f64, f64)]) -> f64 {
    let height = cells
        .iter()
        .filter(|(text, _, _)| !text.is_empty())
        .map(|(text, width, size)| {
            let per_line = width * 11.0 / size * 1.05;
            let line = size * 1.3;
            wrapped_lines(text, per_line) as f64 * line
        })
        .fold(15.0, f64::max);
    (height + 4.0).min(MAX_ROW_HEIGHT)
}

/// `text` cut to `max` characters, ending with "…" if it was cut.
pub(super) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}
