//! Writes the questionnaire workbook (Contract 2) with rust_xlsxwriter: an instructions
//! sheet, the profile sheet, one sheet per right and the hidden `_hrcities` sheet.
//!
//! A question sheet looks like this (columns shift right by [`Layout::extra_cols`], rows
//! down by [`Layout::extra_rows`]):
//!
//! ```text
//!     A         B                          C          D        E            F        G
//!  1  Right to adequate housing                                                          (title)
//!  2  Everyone should have a home where they can live in security, peace and …          (summary)
//!  3
//!  4  ID        Question                   Answer     Unit     Help         Source   Comment
//!  5            Habitability                                                    (section, shaded)
//!  6  HOU_Q04   According to the latest …  [      ]   househ…  Use the UN…  [    ]   [     ]
//!  7  …
//! ```
//!
//! Only the answer, source and comment cells are unlocked; the sheet is protected without
//! a password. Answer cells carry data validation (drop-downs, ranges) with error style
//! "warning", so `N/A` can still be typed, and an input message with the help text.
//! Every text comes from the catalog `src/i18n/workbook.toml`. The same input gives the
//! same bytes: the creation date is derived from the framework version.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties,
    ExcelDateTime, Format, FormatAlign, FormatBorder, FormatUnderline, Formula, ProtectionOptions,
    Url, Workbook, Worksheet, XlsxError,
};

use super::fill::{CellValue, Fill, Layout};
use super::layout::{self, Column};
use super::CellRef;
use crate::formula::{Binary, Func, Kind, Node};
use crate::framework::{Framework, Question, QuestionType, Right};
use crate::i18n::{tr, trf, Lang};

/// The hidden sheet holding drop-down lists too long (or with commas) for an inline list.
pub const LISTS_SHEET: &str = "_lists";

/// Excel's limit on an input message and on an inline list of a data validation.
const MAX_MESSAGE: usize = 255;
/// Excel's limit on the title of an input message.
const MAX_TITLE: usize = 32;
/// Excel's tallest row, in points.
const MAX_ROW_HEIGHT: f64 = 409.0;

/// Why a workbook could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// rust_xlsxwriter refused something (e.g. an invalid or duplicate sheet name).
    #[error("cannot write the questionnaire {path} ({source})")]
    Xlsx {
        path: PathBuf,
        #[source]
        source: XlsxError,
    },
    /// The file could not be saved.
    #[error("cannot write the questionnaire {path} ({source})")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A value of the [`Fill`] cannot be put in a cell.
    #[error("cannot write the questionnaire {path} (answer to {id}: {reason})")]
    Value { path: PathBuf, id: String, reason: String },
}

/// A failure before the path is known to the error.
#[derive(Debug)]
enum Fault {
    Xlsx(XlsxError),
    Value { id: String, reason: String },
}

impl From<XlsxError> for Fault {
    fn from(e: XlsxError) -> Self {
        Fault::Xlsx(e)
    }
}

impl Fault {
    fn at(self, path: &Path) -> WriteError {
        let path = path.to_path_buf();
        match self {
            Fault::Xlsx(source) => WriteError::Xlsx { path, source },
            Fault::Value { id, reason } => WriteError::Value { path, id, reason },
        }
    }
}

/// Writes the questionnaire workbook for `fw` in `lang` to `path` (an `.xlsx` file),
/// with the answers, sources and comments of `fill` and the sheet layout of `layout`.
///
/// The file is written through a temporary file renamed into place.
pub fn write_workbook(
    fw: &Framework,
    lang: Lang,
    fill: &Fill,
    layout: &Layout,
    path: &Path,
) -> Result<(), WriteError> {
    let bytes = workbook_bytes(fw, lang, fill, layout).map_err(|f| f.at(path))?;
    crate::export::write_atomic(path, &bytes)
        .map_err(|source| WriteError::Io { path: path.to_path_buf(), source })
}

/// The workbook as bytes.
fn workbook_bytes(
    fw: &Framework,
    lang: Lang,
    fill: &Fill,
    layout: &Layout,
) -> Result<Vec<u8>, Fault> {
    let styles = Styles::new();
    let mut ctx = Ctx { fw, lang, fill, layout, styles: &styles, lists: Lists::default() };
    let sheets = plan_sheets(fw, lang, layout);

    let mut question_sheets = Vec::with_capacity(sheets.len());
    for sheet in &sheets {
        question_sheets.push(question_sheet(&mut ctx, sheet)?);
    }

    let mut workbook = Workbook::new();
    workbook.set_properties(&properties(fw, lang)?);
    workbook.push_worksheet(instructions(&ctx, &sheets)?);
    for ws in question_sheets {
        workbook.push_worksheet(ws);
    }
    if !ctx.lists.columns.is_empty() {
        workbook.push_worksheet(ctx.lists.sheet()?);
    }
    if !layout.without_meta {
        workbook.push_worksheet(meta_sheet(fw, lang, layout)?);
    }
    Ok(workbook.save_to_buffer()?)
}

/// What the writer needs everywhere.
struct Ctx<'a> {
    fw: &'a Framework,
    lang: Lang,
    fill: &'a Fill,
    layout: &'a Layout,
    styles: &'a Styles,
    lists: Lists,
}

impl Ctx<'_> {
    /// The 0-based sheet column of `c`.
    fn col(&self, c: Column) -> u16 {
        let index = Column::ALL.iter().position(|x| *x == c).unwrap_or(0) as u32;
        self.layout.extra_cols.saturating_add(index).min(u16::MAX as u32) as u16
    }
}

// ---------------------------------------------------------------------------------------
// Formats
// ---------------------------------------------------------------------------------------

const BORDER: u32 = 0xBFBFBF;
const HEADER_FILL: u32 = 0x1F4E79;
const SECTION_FILL: u32 = 0xDDEBF7;
const ANSWER_FILL: u32 = 0xFFF2CC;
const EDIT_FILL: u32 = 0xFFFBEF;
const GREY_TEXT: u32 = 0x595959;
const ACCENT: u32 = 0x1F4E79;

/// The cell formats of the workbook.
struct Styles {
    title: Format,
    summary: Format,
    header: Format,
    section: Format,
    id: Format,
    question: Format,
    unit: Format,
    help: Format,
    answer: Format,
    answer_text: Format,
    answer_date: Format,
    answer_percent: Format,
    edit: Format,
    // Instructions sheet.
    doc_title: Format,
    doc_subtitle: Format,
    doc_heading: Format,
    doc_text: Format,
    doc_number: Format,
    doc_link: Format,
    doc_table_head: Format,
}

impl Styles {
    fn new() -> Styles {
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
        Styles {
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

    /// The format of an empty answer cell of a question of type `t`.
    fn answer_for(&self, t: QuestionType) -> &Format {
        match t {
            QuestionType::Text => &self.answer_text,
            QuestionType::Date => &self.answer_date,
            _ => &self.answer,
        }
    }
}

/// Column widths, in Excel character units.
fn width(c: Column) -> f64 {
    match c {
        Column::Id => 11.0,
        Column::Question => 60.0,
        Column::Answer => 18.0,
        Column::Unit => 14.0,
        Column::Help => 60.0,
        Column::Source => 30.0,
        Column::Comment => 30.0,
    }
}

/// How many lines `text` takes when wrapped at `cap` characters per line (greedy word
/// wrap; words longer than a line are broken).
fn wrapped_lines(text: &str, cap: f64) -> usize {
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
fn row_height(cells: &[(&str, f64, f64)]) -> f64 {
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
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// A number for people in `lang`: decimal comma in es/fr, thousands grouped from five
/// digits on (`12,500`, `12.500`, `12 500`).
fn format_number(x: f64, lang: Lang) -> String {
    let text = format!("{}", x.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let group = match lang {
        Lang::En => ",",
        Lang::Es => ".",
        Lang::Fr => "\u{a0}",
    };
    let mut out = String::new();
    if x < 0.0 {
        out.push('-');
    }
    if int.len() >= 5 {
        out.push_str(&crate::i18n::number::group_digits(int, group));
    } else {
        out.push_str(int);
    }
    if !frac.is_empty() {
        out.push(if lang == Lang::En { '.' } else { ',' });
        out.push_str(frac);
    }
    out
}

// ---------------------------------------------------------------------------------------
// Sheets and rows
// ---------------------------------------------------------------------------------------

/// A question sheet to write.
struct SheetPlan<'a> {
    /// The sheet name.
    name: String,
    title: &'a str,
    summary: &'a str,
    rows: Vec<Row<'a>>,
}

/// A row below the header of a question sheet.
enum Row<'a> {
    /// The title of an OHCHR attribute, heading the questions that follow.
    Section(&'a str),
    Question(&'a Question),
}

impl SheetPlan<'_> {
    fn questions(&self) -> impl Iterator<Item = &Question> {
        self.rows.iter().filter_map(|r| match r {
            Row::Question(q) => Some(*q),
            Row::Section(_) => None,
        })
    }
}

/// The profile sheet and one sheet per right, with their rows in order.
fn plan_sheets<'a>(fw: &'a Framework, lang: Lang, layout: &Layout) -> Vec<SheetPlan<'a>> {
    let name_of = |key: &str, standard: String| {
        layout.sheet_names.get(key).map_or(standard, |n| layout::sheet_name(n))
    };
    let mut sheets = vec![SheetPlan {
        name: name_of("profile", layout::profile_sheet(fw, lang)),
        title: fw.profile.title.get(lang),
        summary: fw.profile.summary.get(lang),
        rows: plan_rows(None, fw.questions_of(None).collect(), lang, layout),
    }];
    for right in &fw.rights {
        sheets.push(SheetPlan {
            name: name_of(&right.id, layout::right_sheet(fw, right, lang)),
            title: right.title.get(lang),
            summary: right.summary.get(lang),
            rows: plan_rows(Some(right), fw.questions_of(Some(&right.id)).collect(), lang, layout),
        });
    }
    sheets
}

/// The rows of one sheet: a section per attribute of the right (in the right's order) with
/// its questions, then questions of no known attribute, then the rows `layout` moves to
/// the end.
fn plan_rows<'a>(
    right: Option<&'a Right>,
    questions: Vec<&'a Question>,
    lang: Lang,
    layout: &Layout,
) -> Vec<Row<'a>> {
    let (moved, kept): (Vec<&Question>, Vec<&Question>) =
        questions.into_iter().partition(|q| layout.move_to_end.contains(&q.id));
    let attributes = right.map_or(&[][..], |r| &r.attributes[..]);
    let mut rows = Vec::new();
    for attribute in attributes {
        let mut these =
            kept.iter().filter(|q| q.attribute.as_deref() == Some(&attribute.id)).peekable();
        if these.peek().is_some() {
            rows.push(Row::Section(attribute.title.get(lang)));
            rows.extend(these.map(|q| Row::Question(q)));
        }
    }
    let known =
        |q: &Question| q.attribute.as_deref().is_some_and(|a| attributes.iter().any(|x| x.id == a));
    rows.extend(kept.iter().filter(|q| !known(q)).map(|q| Row::Question(q)));
    let mut seen = BTreeSet::new();
    for id in &layout.move_to_end {
        if seen.insert(id) {
            if let Some(q) = moved.iter().find(|q| &q.id == id) {
                rows.push(Row::Question(q));
            }
        }
    }
    rows
}

/// Writes one question sheet.
fn question_sheet(ctx: &mut Ctx<'_>, plan: &SheetPlan<'_>) -> Result<Worksheet, Fault> {
    let st = ctx.styles;
    let lang = ctx.lang;
    let mut ws = Worksheet::new();
    ws.set_name(&plan.name)?;

    let first = ctx.col(Column::Id);
    let last = ctx.col(Column::Comment);
    for c in Column::ALL {
        ws.set_column_width(ctx.col(c), width(c))?;
    }
    // Profile ids are words (`forum_of_regions_member`): the ID column fits the longest.
    let longest = plan.questions().map(|q| q.id.chars().count()).max().unwrap_or(0);
    ws.set_column_width(first, width(Column::Id).max(longest as f64 + 2.0))?;
    let total_width: f64 = Column::ALL.iter().map(|c| width(*c)).sum();

    // Excel has 1,048,576 rows: larger shifts fail in rust_xlsxwriter, not in arithmetic.
    let title_row = ctx.layout.extra_rows.min(1 << 24);
    let summary_row = title_row + 1;
    let header_row = title_row + 3;

    ws.write_string_with_format(title_row, first, plan.title, &st.title)?;
    ws.set_row_height(title_row, 24)?;
    if !plan.summary.is_empty() {
        ws.merge_range(summary_row, first, summary_row, last, plan.summary, &st.summary)?;
        ws.set_row_height(summary_row, row_height(&[(plan.summary, total_width, 11.0)]))?;
    }

    for c in Column::ALL {
        ws.write_string_with_format(header_row, ctx.col(c), c.header(lang), &st.header)?;
    }
    ws.set_row_height(header_row, 20)?;

    let mut first_answer = None;
    for (row, item) in (header_row + 1..).zip(&plan.rows) {
        match item {
            Row::Section(title) => {
                for c in Column::ALL {
                    ws.write_blank(row, ctx.col(c), &st.section)?;
                }
                ws.write_string_with_format(row, ctx.col(Column::Question), *title, &st.section)?;
                ws.set_row_height(row, 20)?;
            }
            Row::Question(q) => {
                question_row(ctx, &mut ws, row, q)?;
                first_answer.get_or_insert(row);
            }
        }
    }

    ws.set_freeze_panes(header_row + 1, 0)?;
    if let Some(r) = first_answer {
        let c = ctx.col(Column::Answer);
        ws.set_selection(r, c, r, c)?;
    }
    let mut protection = ProtectionOptions::new();
    protection.format_columns = true;
    protection.format_rows = true;
    ws.protect_with_options(&protection);
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row)?;
    Ok(ws)
}

/// Writes the row of question `q`.
fn question_row(
    ctx: &mut Ctx<'_>,
    ws: &mut Worksheet,
    row: u32,
    q: &Question,
) -> Result<(), Fault> {
    let st = ctx.styles;
    let lang = ctx.lang;
    let fill = ctx.fill;

    let mut text = q.text.get(lang).to_string();
    if q.required {
        text.push_str(" *");
    }
    let help = help_text(ctx.fw, q, lang);
    let unit = unit_label(ctx.fw, q, lang);
    let source = fill.sources.get(&q.id).map_or("", String::as_str);
    let comment = fill.comments.get(&q.id).map_or("", String::as_str);

    ws.write_string_with_format(row, ctx.col(Column::Id), &q.id, &st.id)?;
    ws.write_string_with_format(row, ctx.col(Column::Question), &text, &st.question)?;
    let answer_col = ctx.col(Column::Answer);
    let shown = write_answer(ctx, ws, row, answer_col, q, fill.answers.get(&q.id))?;
    ws.write_string_with_format(row, ctx.col(Column::Unit), unit, &st.unit)?;
    ws.write_string_with_format(row, ctx.col(Column::Help), &help, &st.help)?;
    for (c, value) in [(Column::Source, source), (Column::Comment, comment)] {
        if value.is_empty() {
            ws.write_blank(row, ctx.col(c), &st.edit)?;
        } else {
            ws.write_string_with_format(row, ctx.col(c), value, &st.edit)?;
        }
    }
    ws.set_row_height(
        row,
        row_height(&[
            (&text, width(Column::Question), 11.0),
            (&help, width(Column::Help), 9.0),
            (&shown, width(Column::Answer), 11.0),
            (unit, width(Column::Unit), 11.0),
            (source, width(Column::Source), 11.0),
            (comment, width(Column::Comment), 11.0),
        ]),
    )?;

    let dv = validation(ctx, q)?;
    ws.add_data_validation(row, answer_col, row, answer_col, &dv)?;
    Ok(())
}

/// The unit column: the unit's label, `%` for percentages, nothing for yes/no and choices.
fn unit_label<'a>(fw: &'a Framework, q: &'a Question, lang: Lang) -> &'a str {
    match (q.qtype, q.unit.as_deref()) {
        (QuestionType::YesNo | QuestionType::Choice | QuestionType::MultiChoice, _) => "",
        (QuestionType::Percent, _) => "%",
        (_, Some(unit)) => fw.unit_label(unit, lang),
        (_, None) => "",
    }
}

/// The help column: the skip-logic note, the help text, and the options of a
/// multiple-choice question.
fn help_text(fw: &Framework, q: &Question, lang: Lang) -> String {
    let mut parts = Vec::new();
    if let Some(note) = skip_note(fw, q, lang) {
        parts.push(note);
    }
    if let Some(help) = q.help.as_ref().map(|h| h.get(lang)).filter(|h| !h.is_empty()) {
        parts.push(help.to_string());
    }
    if q.qtype == QuestionType::MultiChoice && !q.choices.is_empty() {
        parts.push(options_line(q, lang));
    }
    parts.join("\n")
}

/// The options of a multiple-choice question, one per line, for the help column.
fn options_line(q: &Question, lang: Lang) -> String {
    let labels: Vec<String> =
        q.choices.iter().map(|c| format!("• {}", c.label.get(lang))).collect();
    trf(lang, "workbook.help.options", &[("options", &labels.join("\n"))])
}

/// The label of choice `code` of `q` in `lang`; the code itself if `q` has no such choice.
fn choice_label<'a>(q: &'a Question, code: &'a str, lang: Lang) -> &'a str {
    q.choices.iter().find(|c| c.code == code).map_or(code, |c| c.label.get(lang))
}

// ---------------------------------------------------------------------------------------
// Skip logic
// ---------------------------------------------------------------------------------------

/// "Answer only if …" for a question with a `relevant` formula: in words when the formula
/// is a simple comparison of a question with a value (or several joined by `and` / `or`),
/// otherwise with the formula itself.
fn skip_note(fw: &Framework, q: &Question, lang: Lang) -> Option<String> {
    let formula = q.relevant.as_ref()?;
    Some(match describe(fw, &formula.node, lang) {
        Some(condition) => trf(lang, "workbook.skip.only_if", &[("condition", &condition)]),
        None => trf(lang, "workbook.skip.only_if_formula", &[("formula", &formula.text)]),
    })
}

/// A condition in words, if it is simple enough.
fn describe(fw: &Framework, node: &Node, lang: Lang) -> Option<String> {
    let Kind::Binary(op, a, b) = &node.kind else { return None };
    match op {
        Binary::And | Binary::Or => {
            let word =
                tr(lang, if *op == Binary::And { "workbook.skip.and" } else { "workbook.skip.or" });
            // Mixing `and` and `or` needs parentheses that words do not have.
            let same = |n: &Node| match &n.kind {
                Kind::Binary(o @ (Binary::And | Binary::Or), _, _) => o == op,
                _ => true,
            };
            if !same(a) || !same(b) {
                return None;
            }
            Some(format!("{} {word} {}", describe(fw, a, lang)?, describe(fw, b, lang)?))
        }
        _ if op.is_comparison() => {
            // Put the question (or count) on the left.
            let (op, left, right) = match (&a.kind, &b.kind) {
                (Kind::Number(_) | Kind::Str(_), _) => (flip(*op), b, a),
                _ => (*op, a, b),
            };
            compare(fw, op, left, right, lang)
        }
        _ => None,
    }
}

/// `a op b` is the same as `b flip(op) a`.
fn flip(op: Binary) -> Binary {
    match op {
        Binary::Lt => Binary::Gt,
        Binary::Le => Binary::Ge,
        Binary::Gt => Binary::Lt,
        Binary::Ge => Binary::Le,
        other => other,
    }
}

fn compare(fw: &Framework, op: Binary, left: &Node, right: &Node, lang: Lang) -> Option<String> {
    let arg =
        |key: &str, id: &str, answer: &str| trf(lang, key, &[("id", &id), ("answer", &answer)]);
    match (&left.kind, &right.kind) {
        // count(Q) = 1, count(Q) >= 1, count(Q) > 0: Q is answered; count(Q) = 0: it is not.
        (Kind::Call(Func::Count, args), Kind::Number(n)) if args.len() == 1 => {
            let Kind::Question(id) = &args[0].kind else { return None };
            let answered = match op {
                Binary::Eq if *n == 1.0 => true,
                Binary::Ge if *n == 1.0 => true,
                Binary::Gt if *n == 0.0 => true,
                Binary::Ne if *n == 0.0 => true,
                Binary::Eq if *n == 0.0 => false,
                Binary::Lt if *n == 1.0 => false,
                _ => return None,
            };
            let key = if answered { "workbook.skip.answered" } else { "workbook.skip.unanswered" };
            Some(trf(lang, key, &[("id", id)]))
        }
        (Kind::Question(id), Kind::Number(n)) => {
            let q = fw.question(id)?;
            if q.qtype == QuestionType::YesNo {
                let (yes, no) = layout::yes_no_labels(lang);
                let yes_wanted = match op {
                    Binary::Eq if *n == 1.0 => true,
                    Binary::Ne if *n == 0.0 => true,
                    Binary::Eq if *n == 0.0 => false,
                    Binary::Ne if *n == 1.0 => false,
                    _ => return None,
                };
                return Some(arg("workbook.skip.is", id, if yes_wanted { yes } else { no }));
            }
            let op_key = match op {
                Binary::Lt => "workbook.skip.op.lt",
                Binary::Le => "workbook.skip.op.le",
                Binary::Gt => "workbook.skip.op.gt",
                Binary::Ge => "workbook.skip.op.ge",
                Binary::Eq => "workbook.skip.op.eq",
                Binary::Ne => "workbook.skip.op.ne",
                _ => return None,
            };
            let value = format_number(*n, lang);
            Some(trf(
                lang,
                "workbook.skip.compare",
                &[("id", id), ("op", &tr(lang, op_key)), ("value", &value)],
            ))
        }
        (Kind::Question(id), Kind::Str(code)) => {
            let q = fw.question(id)?;
            let label = choice_label(q, code, lang);
            let key = match (q.qtype, op) {
                (QuestionType::MultiChoice, Binary::Eq) => "workbook.skip.includes",
                (QuestionType::MultiChoice, Binary::Ne) => "workbook.skip.excludes",
                (_, Binary::Eq) => "workbook.skip.is",
                (_, Binary::Ne) => "workbook.skip.is_not",
                _ => return None,
            };
            Some(arg(key, id, label))
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------

/// Writes the answer cell of `q` (blank, or `value`) and returns the text it shows, for
/// the row height.
fn write_answer(
    ctx: &Ctx<'_>,
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    q: &Question,
    value: Option<&CellValue>,
) -> Result<String, Fault> {
    let st = ctx.styles;
    let lang = ctx.lang;
    let base = st.answer_for(q.qtype);
    let finite = |x: f64| {
        if x.is_finite() {
            Ok(x)
        } else {
            Err(Fault::Value {
                id: q.id.clone(),
                reason: format!("{x} is not a number a cell can hold"),
            })
        }
    };
    let text = match value {
        None => {
            ws.write_blank(row, col, base)?;
            String::new()
        }
        Some(CellValue::Number(x)) => {
            ws.write_number_with_format(row, col, finite(*x)?, &st.answer)?;
            x.to_string()
        }
        Some(CellValue::PercentFraction(x)) => {
            ws.write_number_with_format(row, col, finite(*x)?, &st.answer_percent)?;
            x.to_string()
        }
        Some(CellValue::YesNo(b)) => {
            let (yes, no) = layout::yes_no_labels(lang);
            let word = if *b { yes } else { no };
            ws.write_string_with_format(row, col, word, base)?;
            word.to_string()
        }
        Some(CellValue::Choice(code)) => {
            let label = choice_label(q, code, lang);
            ws.write_string_with_format(row, col, label, base)?;
            label.to_string()
        }
        Some(CellValue::Choices(codes)) => {
            let labels: Vec<&str> = codes.iter().map(|c| choice_label(q, c, lang)).collect();
            let joined = labels.join("; ");
            ws.write_string_with_format(row, col, &joined, base)?;
            joined
        }
        Some(CellValue::Date { year, month, day }) => {
            let iso = format!("{year:04}-{month:02}-{day:02}");
            let date = u16::try_from(*year)
                .ok()
                .zip(u8::try_from(*month).ok())
                .zip(u8::try_from(*day).ok());
            match date.and_then(|((y, m), d)| ExcelDateTime::from_ymd(y, m, d).ok()) {
                Some(d) => {
                    ws.write_datetime_with_format(row, col, &d, &st.answer_date)?;
                }
                // Not a date Excel can hold: kept as the text a person would have typed.
                None => {
                    ws.write_string_with_format(row, col, &iso, &st.answer_text)?;
                }
            }
            iso
        }
        Some(CellValue::Text(s)) => {
            ws.write_string_with_format(row, col, s, base)?;
            s.clone()
        }
        Some(CellValue::Formula { formula, cached }) => {
            let cached = finite(*cached)?;
            ws.write_formula_with_format(row, col, Formula::new(formula), &st.answer)?
                .set_formula_result(row, col, cached.to_string());
            cached.to_string()
        }
        Some(CellValue::Error(e)) => {
            let Some((formula, error)) = error_formula(e) else {
                return Err(Fault::Value {
                    id: q.id.clone(),
                    reason: format!("`{e}` is not an Excel error value"),
                });
            };
            ws.write_formula_with_format(row, col, formula, &st.answer)?
                .set_formula_result(row, col, error);
            error.to_string()
        }
    };
    Ok(text)
}

/// A formula that yields the Excel error `e` (`#DIV/0!` → `1/0`) and the error's
/// canonical spelling, stored as the formula's cached result.
fn error_formula(e: &str) -> Option<(&'static str, &'static str)> {
    let key = e.trim().to_ascii_uppercase();
    Some(match key.as_str() {
        "#DIV/0!" => ("=1/0", "#DIV/0!"),
        "#N/A" => ("=NA()", "#N/A"),
        "#VALUE!" => ("=\"a\"+1", "#VALUE!"),
        "#NUM!" => ("=SQRT(-1)", "#NUM!"),
        "#REF!" => ("=#REF!", "#REF!"),
        "#NAME?" => ("=#NAME?", "#NAME?"),
        "#NULL!" => ("=#NULL!", "#NULL!"),
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------
// Data validation
// ---------------------------------------------------------------------------------------

/// Drop-down lists written to the hidden [`LISTS_SHEET`]: one column per question, its id
/// in the first row and the labels below.
#[derive(Default)]
struct Lists {
    columns: Vec<(String, Vec<String>)>,
}

impl Lists {
    /// Adds a list and returns the range that refers to it.
    fn add(&mut self, id: &str, labels: Vec<String>) -> String {
        let col = self.columns.len() as u32;
        let n = labels.len() as u32;
        self.columns.push((id.to_string(), labels));
        let letter = CellRef::column_name(col);
        format!("='{LISTS_SHEET}'!${letter}$2:${letter}${}", n + 1)
    }

    fn sheet(&self) -> Result<Worksheet, Fault> {
        let mut ws = Worksheet::new();
        ws.set_name(LISTS_SHEET)?;
        for (c, (id, labels)) in self.columns.iter().enumerate() {
            let c = c.min(u16::MAX as usize) as u16;
            ws.write_string(0, c, id)?;
            for (r, label) in labels.iter().enumerate() {
                ws.write_string(r as u32 + 1, c, label)?;
            }
            ws.set_column_width(c, 40)?;
        }
        ws.set_hidden(true);
        Ok(ws)
    }
}

/// Whether `labels` fit an inline list: no commas (the separator) and at most 255
/// characters joined, as rust_xlsxwriter counts them.
fn fits_inline(labels: &[String]) -> bool {
    let joined: usize =
        labels.iter().map(|l| l.replace('"', "\"\"").chars().count()).sum::<usize>()
            + labels.len().saturating_sub(1);
    joined <= MAX_MESSAGE && !labels.iter().any(|l| l.contains(','))
}

/// The data validation of the answer cell of `q`.
fn validation(ctx: &mut Ctx<'_>, q: &Question) -> Result<DataValidation, Fault> {
    let lang = ctx.lang;
    let n = |x: f64| format_number(x, lang);
    let (dv, hint, restricted) = match q.qtype {
        QuestionType::YesNo => {
            let (yes, no) = layout::yes_no_labels(lang);
            let hint = trf(lang, "workbook.hint.yes_no", &[("yes", &yes), ("no", &no)]);
            (DataValidation::new().allow_list_strings(&[yes, no])?, hint, true)
        }
        QuestionType::Choice if !q.choices.is_empty() => {
            let labels: Vec<String> =
                q.choices.iter().map(|c| c.label.get(lang).to_string()).collect();
            let dv = if fits_inline(&labels) {
                DataValidation::new().allow_list_strings(&labels)?
            } else {
                let range = ctx.lists.add(&q.id, labels);
                DataValidation::new().allow_list_formula(Formula::new(range))
            };
            (dv, tr(lang, "workbook.hint.choice").to_string(), true)
        }
        QuestionType::Choice | QuestionType::MultiChoice => {
            let key = if q.qtype == QuestionType::Choice {
                "workbook.hint.choice"
            } else {
                "workbook.hint.multi_choice"
            };
            (DataValidation::new().allow_any_value(), tr(lang, key).to_string(), false)
        }
        QuestionType::Integer => {
            let lo = q.min.map_or(i32::MIN, |x| x.ceil() as i32);
            let hi = q.max.map_or(i32::MAX, |x| x.floor() as i32);
            let hint = match (q.min, q.max) {
                (Some(a), Some(b)) => {
                    trf(lang, "workbook.hint.integer_range", &[("min", &n(a)), ("max", &n(b))])
                }
                (Some(a), None) => trf(lang, "workbook.hint.integer_min", &[("min", &n(a))]),
                (None, Some(b)) => trf(lang, "workbook.hint.integer_max", &[("max", &n(b))]),
                (None, None) => tr(lang, "workbook.hint.integer").to_string(),
            };
            let dv = DataValidation::new().allow_whole_number(DataValidationRule::Between(lo, hi));
            (dv, hint, true)
        }
        QuestionType::Year => {
            let lo = q.min.map_or(1900, |x| x.ceil() as i32);
            let hi = q.max.map_or(2100, |x| x.floor() as i32);
            // Years are written without a thousands separator.
            let hint = trf(lang, "workbook.hint.year_range", &[("min", &lo), ("max", &hi)]);
            let dv = DataValidation::new().allow_whole_number(DataValidationRule::Between(lo, hi));
            (dv, hint, true)
        }
        QuestionType::Percent => {
            let lo = q.min.unwrap_or(0.0);
            let hi = q.max.unwrap_or(100.0);
            let hint = trf(lang, "workbook.hint.percent", &[("min", &n(lo)), ("max", &n(hi))]);
            let dv =
                DataValidation::new().allow_decimal_number(DataValidationRule::Between(lo, hi));
            (dv, hint, true)
        }
        QuestionType::Number => {
            let (rule, hint) = match (q.min, q.max) {
                (Some(a), Some(b)) => (
                    DataValidationRule::Between(a, b),
                    trf(lang, "workbook.hint.number_range", &[("min", &n(a)), ("max", &n(b))]),
                ),
                (Some(a), None) => (
                    DataValidationRule::GreaterThanOrEqualTo(a),
                    trf(lang, "workbook.hint.number_min", &[("min", &n(a))]),
                ),
                (None, Some(b)) => (
                    DataValidationRule::LessThanOrEqualTo(b),
                    trf(lang, "workbook.hint.number_max", &[("max", &n(b))]),
                ),
                (None, None) => (
                    DataValidationRule::Between(-1e15, 1e15),
                    tr(lang, "workbook.hint.number").to_string(),
                ),
            };
            (DataValidation::new().allow_decimal_number(rule), hint, true)
        }
        QuestionType::Date => {
            let dv = match (
                ExcelDateTime::from_ymd(1900, 1, 1),
                ExcelDateTime::from_ymd(2100, 12, 31),
            ) {
                (Ok(lo), Ok(hi)) => {
                    DataValidation::new().allow_date(DataValidationRule::Between(lo, hi))
                }
                _ => DataValidation::new().allow_any_value(),
            };
            (dv, tr(lang, "workbook.hint.date").to_string(), true)
        }
        QuestionType::Text => (
            DataValidation::new().allow_any_value(),
            tr(lang, "workbook.hint.text").to_string(),
            false,
        ),
    };

    let mut message = Vec::new();
    if let Some(note) = skip_note(ctx.fw, q, lang) {
        message.push(note);
    }
    message.push(hint.clone());
    if let Some(help) = q.help.as_ref().map(|h| h.get(lang)).filter(|h| !h.is_empty()) {
        message.push(help.to_string());
    }
    let mut dv = dv
        .set_error_style(DataValidationErrorStyle::Warning)
        .set_input_title(truncate(&q.id, MAX_TITLE))?
        .set_input_message(truncate(&message.join("\n"), MAX_MESSAGE))?;
    if restricted {
        let error = trf(lang, "workbook.error.message", &[("hint", &hint)]);
        dv = dv
            .set_error_title(truncate(tr(lang, "workbook.error.title"), MAX_TITLE))?
            .set_error_message(truncate(&error, MAX_MESSAGE))?;
    }
    Ok(dv)
}

// ---------------------------------------------------------------------------------------
// Instructions, meta sheet, properties
// ---------------------------------------------------------------------------------------

/// The instructions sheet: what the questionnaire is, how to answer, where to send it,
/// and a table of contents with links to the sheets.
fn instructions(ctx: &Ctx<'_>, sheets: &[SheetPlan<'_>]) -> Result<Worksheet, Fault> {
    let st = ctx.styles;
    let lang = ctx.lang;
    let fw = ctx.fw;
    let mut ws = Worksheet::new();
    ws.set_name(layout::instructions_sheet(lang))?;
    // A: margin, B: step numbers, C: text, D: counts in the contents table.
    let widths = [2.0, 5.0, 95.0, 34.0];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let text_width: f64 = widths[1] + widths[2] + widths[3];
    let step_width: f64 = widths[2] + widths[3];

    let paragraph = |ws: &mut Worksheet, row: u32, text: &str| -> Result<(), Fault> {
        ws.merge_range(row, 1, row, 3, text, &st.doc_text)?;
        ws.set_row_height(row, row_height(&[(text, text_width, 11.0)]))?;
        Ok(())
    };
    let heading = |ws: &mut Worksheet, row: u32, key: &str| -> Result<(), Fault> {
        ws.write_string_with_format(row, 1, tr(lang, key), &st.doc_heading)?;
        ws.set_row_height(row, 28)?;
        Ok(())
    };

    let mut row = 0;
    ws.write_string_with_format(row, 1, tr(lang, "workbook.instructions.title"), &st.doc_title)?;
    ws.set_row_height(row, 30)?;
    row += 1;
    let subtitle = trf(
        lang,
        "workbook.instructions.framework",
        &[("title", &fw.title.get(lang)), ("version", &fw.version)],
    );
    ws.merge_range(row, 1, row, 3, &subtitle, &st.doc_subtitle)?;
    row += 2;
    paragraph(&mut ws, row, tr(lang, "workbook.instructions.thanks"))?;
    row += 1;

    heading(&mut ws, row, "workbook.instructions.about_heading")?;
    row += 1;
    for key in [
        "workbook.instructions.about_campaign",
        "workbook.instructions.about_use",
        "workbook.instructions.about_no_ranking",
    ] {
        paragraph(&mut ws, row, tr(lang, key))?;
        row += 1;
    }

    heading(&mut ws, row, "workbook.instructions.how_heading")?;
    row += 1;
    let header = |c: Column| c.header(lang);
    let (yes, no) = layout::yes_no_labels(lang);
    let profile = sheets.first().map_or("", |s| s.name.as_str());
    let example = fw
        .rights
        .first()
        .and_then(|r| fw.questions_of(Some(&r.id)).next())
        .map_or("", |q| q.id.as_str());
    let steps = [
        trf(lang, "workbook.instructions.step_sheets", &[("profile", &profile)]),
        trf(
            lang,
            "workbook.instructions.step_answer",
            &[
                ("answer", &header(Column::Answer)),
                ("source", &header(Column::Source)),
                ("comment", &header(Column::Comment)),
            ],
        ),
        trf(lang, "workbook.instructions.step_numbers", &[("unit", &header(Column::Unit))]),
        tr(lang, "workbook.instructions.step_percent").to_string(),
        trf(lang, "workbook.instructions.step_lists", &[("yes", &yes), ("no", &no)]),
        tr(lang, "workbook.instructions.step_dates").to_string(),
        tr(lang, "workbook.instructions.step_not_available").to_string(),
        trf(
            lang,
            "workbook.instructions.step_source",
            &[("source", &header(Column::Source)), ("comment", &header(Column::Comment))],
        ),
        tr(lang, "workbook.instructions.step_required").to_string(),
        tr(lang, "workbook.instructions.step_skip").to_string(),
        trf(lang, "workbook.instructions.step_help", &[("help", &header(Column::Help))]),
        trf(
            lang,
            "workbook.instructions.step_ids",
            &[("id", &header(Column::Id)), ("example", &example)],
        ),
        tr(lang, "workbook.instructions.step_protection").to_string(),
        tr(lang, "workbook.instructions.step_warning").to_string(),
    ];
    for (i, step) in steps.iter().enumerate() {
        ws.write_string_with_format(row, 1, format!("{}.", i + 1), &st.doc_number)?;
        ws.merge_range(row, 2, row, 3, step, &st.doc_text)?;
        ws.set_row_height(row, row_height(&[(step, step_width, 11.0)]))?;
        row += 1;
    }

    heading(&mut ws, row, "workbook.instructions.send_heading")?;
    row += 1;
    for key in ["workbook.instructions.send", "workbook.instructions.send_feedback"] {
        paragraph(&mut ws, row, tr(lang, key))?;
        row += 1;
    }

    heading(&mut ws, row, "workbook.instructions.contents_heading")?;
    row += 1;
    ws.write_string_with_format(
        row,
        2,
        tr(lang, "workbook.instructions.contents_sheet"),
        &st.doc_table_head,
    )?;
    ws.write_string_with_format(
        row,
        3,
        tr(lang, "workbook.instructions.contents_questions"),
        &st.doc_table_head,
    )?;
    row += 1;
    for (i, sheet) in sheets.iter().enumerate() {
        let count = sheet.questions().count();
        let required = sheet.questions().filter(|q| q.required).count();
        let link = format!("internal:'{}'!A1", sheet.name.replace('\'', "''"));
        ws.write_string_with_format(row, 1, format!("{}.", i + 1), &st.doc_number)?;
        ws.write_url_with_format(row, 2, Url::new(link).set_text(sheet.title), &st.doc_link)?;
        let counts = trf(
            lang,
            "workbook.instructions.contents_count",
            &[("count", &count), ("required", &required)],
        );
        ws.write_string(row, 3, counts)?;
        row += 1;
    }

    ws.set_screen_gridlines(false);
    ws.set_portrait();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.set_active(true);
    Ok(ws)
}

/// The hidden sheet that identifies the template: `key | value` rows.
fn meta_sheet(fw: &Framework, lang: Lang, layout: &Layout) -> Result<Worksheet, Fault> {
    let mut ws = Worksheet::new();
    ws.set_name(layout::META_SHEET)?;
    let version = layout.framework_version.as_deref().unwrap_or(&fw.version);
    for (row, key) in layout::META_KEYS.iter().enumerate() {
        let value = match *key {
            "template_version" => layout::TEMPLATE_VERSION,
            "framework_id" => fw.id.as_str(),
            "framework_version" => version,
            "language" => lang.code(),
            _ => "",
        };
        ws.write_string(row as u32, 0, *key)?;
        ws.write_string(row as u32, 1, value)?;
    }
    ws.set_column_width(0, 20)?;
    ws.set_column_width(1, 20)?;
    ws.set_hidden(true);
    Ok(ws)
}

/// Document properties, with a creation date taken from the framework version
/// (`2026.1` → 2026-01-01) so that the same input gives the same bytes.
fn properties(fw: &Framework, lang: Lang) -> Result<DocProperties, Fault> {
    let mut parts = fw.version.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty());
    let year =
        parts.next().and_then(|y| y.parse::<u16>().ok()).filter(|y| (1980..=9999).contains(y));
    let month = parts.next().and_then(|m| m.parse::<u8>().ok()).filter(|m| (1..=12).contains(m));
    let created = ExcelDateTime::from_ymd(year.unwrap_or(2000), month.unwrap_or(1), 1)?;
    let keywords = format!("hrcities; {}; {}; {}", fw.id, fw.version, lang.code());
    Ok(DocProperties::new()
        .set_title(tr(lang, "workbook.properties.title"))
        .set_subject(tr(lang, "workbook.properties.subject"))
        .set_author("hrcities")
        .set_keywords(keywords)
        .set_creation_datetime(&created))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use calamine::{open_workbook_auto, Data, Range, Reader, SheetVisible};

    use super::*;

    fn framework() -> Framework {
        crate::framework::load_embedded(Lang::En).framework
    }

    /// Writes a workbook into a temporary folder and returns both.
    fn write(
        fw: &Framework,
        lang: Lang,
        fill: &Fill,
        layout: &Layout,
    ) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(format!("questionnaire-{lang}.xlsx"));
        write_workbook(fw, lang, fill, layout, &path).expect("the workbook is written");
        (dir, path)
    }

    fn text(d: Option<&Data>) -> String {
        match d {
            Some(Data::String(s)) => s.clone(),
            Some(Data::Empty) | None => String::new(),
            Some(other) => other.to_string(),
        }
    }

    /// A question row as read back: the sheet, the 0-based row and every column.
    #[derive(Debug)]
    struct Read {
        sheet: String,
        row: u32,
        cells: BTreeMap<&'static str, Data>,
    }

    /// The header row (0-based row, column of each header) of a sheet.
    fn header(range: &Range<Data>) -> Option<(u32, BTreeMap<&'static str, u32>)> {
        for (r, c, v) in range.used_cells() {
            if matches!(v, Data::String(s) if s == "ID") {
                let (r0, c0) = range.start().unwrap_or((0, 0));
                let row = r0 + r as u32;
                let mut cols = BTreeMap::new();
                for col in c0 + c as u32..range.end().map_or(0, |e| e.1 + 1) {
                    if let Some(column) = Column::from_header(&text(range.get_value((row, col)))) {
                        cols.insert(name(column), col);
                    }
                }
                return Some((row, cols));
            }
        }
        None
    }

    fn name(c: Column) -> &'static str {
        match c {
            Column::Id => "id",
            Column::Question => "question",
            Column::Answer => "answer",
            Column::Unit => "unit",
            Column::Help => "help",
            Column::Source => "source",
            Column::Comment => "comment",
        }
    }

    /// Every question row of every sheet with a header row, by id (ids seen twice are
    /// listed in `dupes`).
    fn read_rows(path: &Path) -> (BTreeMap<String, Read>, Vec<String>) {
        let mut wb = open_workbook_auto(path).expect("calamine opens the workbook");
        let mut rows = BTreeMap::new();
        let mut dupes = Vec::new();
        for sheet in wb.sheet_names() {
            let range = wb.worksheet_range(&sheet).expect("sheet");
            let Some((hrow, cols)) = header(&range) else { continue };
            let id_col = cols["id"];
            let end = range.end().map_or(0, |e| e.0);
            for row in hrow + 1..=end {
                let id = text(range.get_value((row, id_col)));
                if id.is_empty() {
                    continue;
                }
                let cells = cols
                    .iter()
                    .map(|(k, c)| (*k, range.get_value((row, *c)).cloned().unwrap_or(Data::Empty)))
                    .collect();
                if rows.insert(id.clone(), Read { sheet: sheet.clone(), row, cells }).is_some() {
                    dupes.push(id);
                }
            }
        }
        (rows, dupes)
    }

    #[test]
    fn every_language_has_its_sheets_in_order_and_the_meta_sheet() {
        let fw = framework();
        for lang in Lang::ALL {
            let (_dir, path) = write(&fw, lang, &Fill::default(), &Layout::default());
            let mut wb = open_workbook_auto(&path).expect("opens");
            let names = wb.sheet_names();
            let mut want = vec![
                layout::instructions_sheet(lang).to_string(),
                layout::profile_sheet(&fw, lang),
            ];
            want.extend(fw.rights.iter().map(|r| layout::right_sheet(&fw, r, lang)));
            assert_eq!(names[..want.len()], want[..], "{lang}");
            assert_eq!(names.last().map(String::as_str), Some(layout::META_SHEET), "{lang}");
            for sheet in wb.sheets_metadata() {
                let hidden = sheet.name.starts_with('_');
                assert_eq!(sheet.visible != SheetVisible::Visible, hidden, "{lang} {}", sheet.name);
            }

            let meta = wb.worksheet_range(layout::META_SHEET).expect("meta sheet");
            let pairs: Vec<(String, String)> =
                meta.rows().map(|r| (text(r.first()), text(r.get(1)))).collect();
            let want: Vec<(String, String)> = vec![
                ("template_version".into(), layout::TEMPLATE_VERSION.into()),
                ("framework_id".into(), fw.id.clone()),
                ("framework_version".into(), fw.version.clone()),
                ("language".into(), lang.code().into()),
            ];
            assert_eq!(pairs, want, "{lang}");
            assert_eq!(layout::META_KEYS.len(), want.len());
        }
    }

    #[test]
    fn every_question_appears_once_below_the_header_row() {
        let fw = framework();
        for lang in Lang::ALL {
            let (_dir, path) = write(&fw, lang, &Fill::default(), &Layout::default());
            let mut wb = open_workbook_auto(&path).expect("opens");
            for sheet in wb.sheet_names().into_iter().skip(1).filter(|s| !s.starts_with('_')) {
                let range = wb.worksheet_range(&sheet).expect("sheet");
                let (row, cols) = header(&range).expect("a header row");
                assert_eq!(row, 3, "{lang} {sheet}: title, summary, blank, header");
                let order: Vec<u32> = Column::ALL.iter().map(|c| cols[name(*c)]).collect();
                assert_eq!(order, (0..7).collect::<Vec<u32>>(), "{lang} {sheet}");
                for c in Column::ALL {
                    assert_eq!(text(range.get_value((row, cols[name(c)]))), c.header(lang));
                }
            }
            let (rows, dupes) = read_rows(&path);
            assert!(dupes.is_empty(), "{lang}: ids seen twice: {dupes:?}");
            let want: BTreeSet<&str> = fw.questions.iter().map(|q| q.id.as_str()).collect();
            let got: BTreeSet<&str> = rows.keys().map(String::as_str).collect();
            assert_eq!(got, want, "{lang}");
            assert_eq!(rows["city_name"].sheet, layout::profile_sheet(&fw, lang));
            assert_eq!(rows["city_name"].row, 4, "the first row below the header");
            // Required questions are marked, units and skip notes are shown.
            let hou_q02 = &rows["HOU_Q02"];
            assert!(text(hou_q02.cells.get("question")).ends_with(" *"));
            assert_eq!(text(hou_q02.cells.get("unit")), fw.unit_label("households", lang));
            assert_eq!(text(rows["HOU_Q05"].cells.get("unit")), "%");
            assert_eq!(text(rows["HOU_Q01"].cells.get("unit")), "");
        }
    }

    #[test]
    fn sections_follow_the_attributes_of_the_right() {
        let fw = framework();
        let (_dir, path) = write(&fw, Lang::En, &Fill::default(), &Layout::default());
        let mut wb = open_workbook_auto(&path).expect("opens");
        let housing = fw.right("housing").expect("housing");
        let range =
            wb.worksheet_range(&layout::right_sheet(&fw, housing, Lang::En)).expect("sheet");
        assert_eq!(text(range.get_value((0, 0))), housing.title.en);
        assert_eq!(text(range.get_value((1, 0))), housing.summary.en);
        // Section rows: no id, the attribute title in the question column.
        let sections: Vec<String> = (4..=range.end().map_or(0, |e| e.0))
            .filter(|r| text(range.get_value((*r, 0))).is_empty())
            .map(|r| text(range.get_value((r, 1))))
            .collect();
        let want: Vec<String> = housing
            .attributes
            .iter()
            .filter(|a| {
                fw.questions_of(Some("housing")).any(|q| q.attribute.as_deref() == Some(&a.id))
            })
            .map(|a| a.title.en.clone())
            .collect();
        assert_eq!(sections, want);
        assert_eq!(text(range.get_value((5, 0))), "HOU_Q04", "first question of habitability");
    }

    #[test]
    fn each_kind_of_fill_lands_in_its_answer_cell() {
        let fw = framework();
        for lang in Lang::ALL {
            let mut fill = Fill::default();
            fill.answer("city_name", CellValue::Text("Villa Esperanza".into()))
                .answer("population", CellValue::Number(125_000.0))
                .answer("region", CellValue::Choice("europe".into()))
                .answer("government_level", CellValue::Choice("no_such_code".into()))
                .answer("joined_campaign", CellValue::Date { year: 2024, month: 3, day: 15 })
                .answer("HOU_Q01", CellValue::YesNo(true))
                .answer("HOU_Q02", CellValue::Formula { formula: "=2+3".into(), cached: 5.0 })
                .answer("HOU_Q03", CellValue::Text("1.234,5".into()))
                .answer("HOU_Q04", CellValue::Error("#DIV/0!".into()))
                .answer("HOU_Q05", CellValue::PercentFraction(0.45))
                .answer("HOU_Q06", CellValue::Choice("estimate".into()))
                .answer(
                    "WRK_Q06",
                    CellValue::Choices(vec!["own_living_wage".into(), "none".into()]),
                )
                .answer("CUL_Q01", CellValue::YesNo(false));
            fill.sources.insert("population".into(), "Census 2020".into());
            fill.comments.insert("HOU_Q03".into(), "estimate".into());
            let (_dir, path) = write(&fw, lang, &fill, &Layout::default());
            let (rows, _) = read_rows(&path);
            let answer = |id: &str| rows[id].cells.get("answer").cloned().unwrap_or(Data::Empty);
            let label = |q: &str, code: &str| {
                fw.question(q)
                    .and_then(|q| q.choices.iter().find(|c| c.code == code))
                    .map(|c| c.label.get(lang).to_string())
            };
            let (yes, no) = layout::yes_no_labels(lang);

            assert_eq!(answer("city_name"), Data::String("Villa Esperanza".into()));
            assert_eq!(answer("population"), Data::Float(125_000.0));
            assert_eq!(answer("region"), Data::String(label("region", "europe").expect("europe")));
            assert_eq!(answer("government_level"), Data::String("no_such_code".into()));
            match answer("joined_campaign") {
                Data::DateTime(d) => assert_eq!(d.as_f64(), 45366.0, "2024-03-15"),
                other => panic!("{lang}: joined_campaign is {other:?}"),
            }
            assert_eq!(answer("HOU_Q01"), Data::String(yes.into()));
            assert_eq!(answer("CUL_Q01"), Data::String(no.into()));
            assert_eq!(answer("HOU_Q02"), Data::Float(5.0), "cached formula value");
            assert_eq!(answer("HOU_Q03"), Data::String("1.234,5".into()));
            assert_eq!(answer("HOU_Q04"), Data::Error(calamine::CellErrorType::Div0));
            assert_eq!(answer("HOU_Q05"), Data::Float(0.45));
            assert_eq!(
                answer("HOU_Q06"),
                Data::String(label("HOU_Q06", "estimate").expect("estimate"))
            );
            let want = format!(
                "{}; {}",
                label("WRK_Q06", "own_living_wage").expect("label"),
                label("WRK_Q06", "none").expect("label")
            );
            assert_eq!(answer("WRK_Q06"), Data::String(want));
            assert_eq!(text(rows["population"].cells.get("source")), "Census 2020");
            assert_eq!(text(rows["HOU_Q03"].cells.get("comment")), "estimate");
            assert_eq!(answer("HOU_Q07"), Data::Empty);
        }
    }

    #[test]
    fn layout_shifts_renames_reorders_and_drops_the_meta_sheet() {
        let fw = framework();
        let mut fill = Fill::default();
        fill.answer("HOU_Q01", CellValue::YesNo(true));
        let layout = Layout {
            extra_rows: 2,
            extra_cols: 1,
            sheet_names: [("housing".to_string(), "Vivienda (2026)".to_string())].into(),
            move_to_end: vec!["HOU_Q01".into()],
            without_meta: true,
            framework_version: None,
        };
        let (_dir, path) = write(&fw, Lang::Es, &fill, &layout);
        let mut wb = open_workbook_auto(&path).expect("opens");
        let names = wb.sheet_names();
        assert!(names.contains(&"Vivienda (2026)".to_string()), "{names:?}");
        assert!(!names.contains(&layout::META_SHEET.to_string()), "{names:?}");
        let range = wb.worksheet_range("Vivienda (2026)").expect("renamed sheet");
        let (row, cols) = header(&range).expect("header");
        assert_eq!((row, cols["id"], cols["answer"]), (5, 1, 3));
        let end = range.end().map_or(0, |e| e.0);
        assert_eq!(text(range.get_value((end, 1))), "HOU_Q01", "moved to the end");
        assert_eq!(text(range.get_value((end, 3))), "Sí");

        let layout = Layout { framework_version: Some("2025.1".into()), ..Layout::default() };
        let (_dir, path) = write(&fw, Lang::Fr, &Fill::default(), &layout);
        let mut wb = open_workbook_auto(&path).expect("opens");
        let meta = wb.worksheet_range(layout::META_SHEET).expect("meta");
        let version =
            meta.rows().find(|r| text(r.first()) == "framework_version").map(|r| text(r.get(1)));
        assert_eq!(version.as_deref(), Some("2025.1"));
    }

    #[test]
    fn long_choice_lists_and_lists_with_commas_go_to_a_hidden_sheet() {
        let fw = framework();
        let (_dir, path) = write(&fw, Lang::En, &Fill::default(), &Layout::default());
        let mut wb = open_workbook_auto(&path).expect("opens");
        let lists = wb.worksheet_range(LISTS_SHEET).expect("lists sheet");
        let hou_q06 = fw.question("HOU_Q06").expect("HOU_Q06");
        let col = (0..lists.width() as u32)
            .find(|c| text(lists.get_value((0, *c))) == "HOU_Q06")
            .expect("HOU_Q06 has a list (its labels have commas)");
        for (i, choice) in hou_q06.choices.iter().enumerate() {
            assert_eq!(text(lists.get_value((i as u32 + 1, col))), choice.label.en);
        }
        let region = fw.question("region").expect("region");
        let labels: Vec<String> = region.choices.iter().map(|c| c.label.en.clone()).collect();
        assert!(fits_inline(&labels), "a short list stays inline");
    }

    #[test]
    fn skip_logic_is_explained_in_words() {
        let fw = framework();
        let note = |id: &str, lang| skip_note(&fw, fw.question(id).expect("question"), lang);
        assert_eq!(note("HOU_Q01", Lang::En), None);
        assert_eq!(
            note("HOU_Q02", Lang::En).as_deref(),
            Some("Answer only if the answer to HOU_Q01 is “Yes”.")
        );
        assert_eq!(
            note("HOU_Q02", Lang::Fr).as_deref(),
            Some("Répondez seulement si la réponse à HOU_Q01 est « Oui ».")
        );
        assert_eq!(
            note("HOU_Q07", Lang::En).as_deref(),
            Some("Answer only if the answer to HOU_Q06 is not “No count or estimate”.")
        );
        assert_eq!(
            note("SOC_Q04", Lang::Es).as_deref(),
            Some("Responda solo si SOC_Q03 tiene respuesta.")
        );
        assert_eq!(
            note("CUL_Q04", Lang::En).as_deref(),
            Some("Answer only if the answer to CUL_Q03 is greater than 0.")
        );
        // Anything else shows the formula.
        let mut q = fw.question("HOU_Q02").expect("question").clone();
        let text = "HOU_Q01 + HOU_Q04 > 2";
        q.relevant = Some(crate::framework::Formula {
            text: text.into(),
            node: crate::formula::parse(text).expect("parses"),
            at: Default::default(),
        });
        let got = skip_note(&fw, &q, Lang::En).expect("a note");
        assert!(got.ends_with(text), "{got}");
        // The help cell carries it.
        assert!(help_text(&fw, fw.question("HOU_Q02").expect("q"), Lang::En)
            .starts_with("Answer only if"));
    }

    #[test]
    fn the_same_input_gives_the_same_bytes() {
        let fw = framework();
        let mut fill = Fill::default();
        fill.answer("population", CellValue::Number(42.0));
        let a = workbook_bytes(&fw, Lang::Fr, &fill, &Layout::default()).expect("bytes");
        let b = workbook_bytes(&fw, Lang::Fr, &fill, &Layout::default()).expect("bytes");
        assert!(a == b, "two runs differ");
    }

    #[test]
    fn values_a_cell_cannot_hold_are_errors_naming_the_question_and_path() {
        let fw = framework();
        let dir = tempfile::tempdir().expect("temp");
        let path = dir.path().join("bad.xlsx");
        for value in [CellValue::Number(f64::NAN), CellValue::Error("#OOPS".into())] {
            let mut fill = Fill::default();
            fill.answer("population", value);
            let err = write_workbook(&fw, Lang::En, &fill, &Layout::default(), &path)
                .expect_err("refused");
            let msg = err.to_string();
            assert!(msg.contains("population") && msg.contains("bad.xlsx"), "{msg}");
        }
        // A date Excel cannot hold is kept as text.
        let mut fill = Fill::default();
        fill.answer("joined_campaign", CellValue::Date { year: 2024, month: 2, day: 30 });
        let (_dir, path) = write(&fw, Lang::En, &fill, &Layout::default());
        let (rows, _) = read_rows(&path);
        assert_eq!(
            rows["joined_campaign"].cells.get("answer"),
            Some(&Data::String("2024-02-30".into()))
        );
        // Shifts beyond Excel's grid and bad sheet names are errors, not panics.
        for layout in [
            Layout { extra_rows: u32::MAX, ..Layout::default() },
            Layout { extra_cols: u32::MAX, ..Layout::default() },
        ] {
            let out = dir.path().join("big.xlsx");
            assert!(write_workbook(&fw, Lang::En, &Fill::default(), &layout, &out).is_err());
        }
        let layout = Layout {
            sheet_names: [("profile".to_string(), String::new())].into(),
            ..Layout::default()
        };
        let err =
            write_workbook(&fw, Lang::En, &Fill::default(), &layout, &dir.path().join("x.xlsx"));
        assert!(err.is_err());
    }

    #[test]
    fn texts_fit_excel_limits_and_every_key_exists() {
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate(&"é".repeat(300), MAX_MESSAGE).chars().count(), MAX_MESSAGE);
        assert_eq!(format_number(1_000_000.0, Lang::En), "1,000,000");
        assert_eq!(format_number(1_000_000.0, Lang::Es), "1.000.000");
        assert_eq!(format_number(2.5, Lang::Fr), "2,5");
        assert_eq!(format_number(5000.0, Lang::En), "5000");
        assert_eq!(wrapped_lines("aaa bbb ccc", 7.0), 2);
        assert_eq!(wrapped_lines("a\nb", 10.0), 2);
        // Keys chosen at run time (the i18n test only sees literal keys).
        for key in ["and", "or", "op.lt", "op.le", "op.gt", "op.ge", "op.eq", "op.ne"] {
            let key = format!("workbook.skip.{key}");
            for lang in Lang::ALL {
                assert_ne!(tr(lang, &key), key);
            }
        }
    }

    #[test]
    fn every_validation_is_accepted_by_rust_xlsxwriter() {
        // Building a validation fails on over-long titles, messages or lists: try them all.
        let fw = framework();
        let styles = Styles::new();
        let fill = Fill::default();
        let layout = Layout::default();
        for lang in Lang::ALL {
            let mut ctx = Ctx {
                fw: &fw,
                lang,
                fill: &fill,
                layout: &layout,
                styles: &styles,
                lists: Lists::default(),
            };
            for q in &fw.questions {
                assert!(validation(&mut ctx, q).is_ok(), "{lang} {}", q.id);
            }
        }
    }
}
