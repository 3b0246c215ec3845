//! Writes the questionnaire workbook (Contract 2) with rust_xlsxwriter: an instructions
//! sheet, the profile sheet, one sheet per right and the hidden `_hrcities` sheet.
//!
//! A question sheet (tab `05 Work`: the right's number, as in the contents list of the
//! instructions sheet, and its short title) looks like this (columns shift right by
//! [`Layout::extra_cols`], rows down by [`Layout::extra_rows`]):
//!
//! ```text
//!     A          B                          C         D       E            F       G        H
//!  1  Right to work and to just and favourable conditions of work                         (title)
//!  2  Everyone should have the opportunity to gain their living by work …                (summary)
//!  3
//!  4  ID         Question                   Answer    Unit    Help         Source  Comment  Who answers
//!  5             Access to decent work                                            (section, shaded)
//!  6  WRK_Q01    On 31 December …, did …    [     ]           …            [    ]  [     ]  [         ]
//!  …
//! 12  WRK_Q06    Which of these labour …    (shaded)          Answer in …  [    ]  [     ]  [         ]
//! 13  WRK_Q06.   All its own employees …    [Yes  ]                                         (= H12)
//!     own_living_wage
//! 14  WRK_Q06.   Its procurement rules …    [No   ]                                         (= H12)
//!     contractor_living_wage
//!  …
//! ```
//!
//! Questions are in id order, under the title of their OHCHR attribute. A multiple-choice
//! question is answered in one yes/no row per option below it (template 2; with
//! [`Layout::multi_choice_in_one_cell`], as template 1 did, in its own cell, options
//! separated by `;`). Only the answer, source, comment and "Who answers" cells are
//! unlocked; the sheet is protected without a password, and rows and columns can still be
//! inserted, resized and filtered (a filter on the header row lets each department show
//! its own questions). Answer cells carry data validation (drop-downs, ranges) with error
//! style "warning", so `N/A` can still be typed, and an input message with the help text.
//! Every text comes from the catalog `src/i18n/workbook.toml`. The same input gives the
//! same bytes: the creation date is derived from the framework version.

use std::collections::{BTreeMap, BTreeSet};
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
use crate::framework::{Choice, Framework, Question, QuestionType, Right};
use crate::i18n::number::format_shortest;
use crate::i18n::{tr, trf, Lang};
use crate::questionnaire::answer::choice_code;

mod answer;
mod breakdown;
mod format;
mod instructions;
mod recommendations;
mod sheets;
mod skip;
mod validation;

use answer::*;
use breakdown::*;
use format::*;
use instructions::*;
use recommendations::*;
use sheets::*;
use skip::*;
use validation::*;

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

    let breakdowns = breakdown_sheet(&mut ctx)?;
    let recommendations = recommendations_sheet(&mut ctx)?;

    let mut others = Vec::new();
    if breakdowns.is_some() {
        others.push(OtherSheet {
            name: layout::breakdown_sheet(lang).to_string(),
            title: tr(lang, "workbook.breakdown.title").to_string(),
            what: tr(lang, "workbook.instructions.contents_optional").to_string(),
        });
    }
    if recommendations.is_some() {
        let n = fill.recommendations.len();
        others.push(OtherSheet {
            name: layout::recommendations_sheet(lang).to_string(),
            title: tr(lang, "workbook.rec.title").to_string(),
            what: trf(lang, "workbook.instructions.contents_recommendations", &[("n", &n)]),
        });
    }

    let mut workbook = Workbook::new();
    workbook.set_properties(&properties(fw, lang)?);
    workbook.push_worksheet(instructions(&ctx, &sheets, &others)?);
    for ws in question_sheets {
        workbook.push_worksheet(ws);
    }
    if let Some(ws) = breakdowns {
        workbook.push_worksheet(ws);
    }
    if let Some(ws) = recommendations {
        workbook.push_worksheet(ws);
    }
    if !ctx.lists.columns.is_empty() {
        workbook.push_worksheet(ctx.lists.sheet()?);
    }
    if !layout.without_meta {
        workbook.push_worksheet(meta_sheet(fw, lang, layout, fill)?);
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
        let index = self.columns().iter().position(|x| *x == c).unwrap_or(0) as u32;
        self.layout.extra_cols.saturating_add(index).min(u16::MAX as u32) as u16
    }

    /// The columns of a question sheet, in order: all of them, or those of template 1
    /// (without "Who answers") when the layout writes multiple choices in one cell; in a
    /// prefilled workbook, with last year's answers beside the answers.
    fn columns(&self) -> &'static [Column] {
        match (self.layout.multi_choice_in_one_cell, self.fill.prefilled.is_some()) {
            (false, false) => &Column::ALL,
            (true, false) => &Column::ALL[..7],
            (false, true) => &Column::PREFILLED,
            (true, true) => &Column::PREFILLED[..8],
        }
    }

    /// The header of column `c` (with the year for last year's answers).
    fn header(&self, c: Column) -> String {
        match c {
            Column::Prefilled => layout::prefilled_header(
                self.lang,
                self.fill.prefilled.as_ref().and_then(|p| p.year),
            ),
            _ => c.header(self.lang).to_string(),
        }
    }

    /// Whether the answer to question `id` was carried over from last year.
    fn is_prefilled(&self, id: &str) -> bool {
        self.fill.prefilled.as_ref().is_some_and(|p| p.values.contains_key(id))
    }

    /// Whether question `q` is written one option per row.
    fn by_option(&self, q: &Question) -> bool {
        q.qtype == QuestionType::MultiChoice && !self.layout.multi_choice_in_one_cell
    }
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
            Column::WhoAnswers => "who",
            Column::Dimension => "dimension",
            Column::Category => "category",
            Column::Prefilled => "prefilled",
            _ => "recommendations sheet",
        }
    }

    /// Every question row of every question sheet (the breakdown sheet repeats ids by
    /// design) with a header row, by id (ids seen twice are listed in `dupes`).
    fn read_rows(path: &Path) -> (BTreeMap<String, Read>, Vec<String>) {
        let mut wb = open_workbook_auto(path).expect("calamine opens the workbook");
        let mut rows = BTreeMap::new();
        let mut dupes = Vec::new();
        let breakdowns: Vec<&str> = Lang::ALL.iter().map(|l| layout::breakdown_sheet(*l)).collect();
        for sheet in wb.sheet_names().into_iter().filter(|s| !breakdowns.contains(&s.as_str())) {
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
            let question_sheets = wb
                .sheet_names()
                .into_iter()
                .skip(1)
                .filter(|s| !s.starts_with('_') && s != layout::breakdown_sheet(lang));
            for sheet in question_sheets {
                let range = wb.worksheet_range(&sheet).expect("sheet");
                let (row, cols) = header(&range).expect("a header row");
                assert_eq!(row, 3, "{lang} {sheet}: title, summary, blank, header");
                let order: Vec<u32> = Column::ALL.iter().map(|c| cols[name(*c)]).collect();
                assert_eq!(order, (0..8).collect::<Vec<u32>>(), "{lang} {sheet}");
                for c in Column::ALL {
                    assert_eq!(text(range.get_value((row, cols[name(c)]))), c.header(lang));
                }
            }
            let (rows, dupes) = read_rows(&path);
            assert!(dupes.is_empty(), "{lang}: ids seen twice: {dupes:?}");
            // Every question, and below each multiple-choice question a row per option.
            let mut want: BTreeSet<String> =
                fw.questions.iter().filter(|q| q.on_sheet()).map(|q| q.id.clone()).collect();
            for q in fw.questions.iter().filter(|q| q.qtype == QuestionType::MultiChoice) {
                for (i, c) in q.choices.iter().enumerate() {
                    let id = layout::option_id(&q.id, &c.code);
                    assert_eq!(rows[&id].row, rows[&q.id].row + 1 + i as u32, "{lang} {id}");
                    assert_eq!(text(rows[&id].cells.get("question")), c.label.get(lang));
                    want.insert(id);
                }
            }
            let got: BTreeSet<String> = rows.keys().cloned().collect();
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

    // See issue 19: questions appeared in the order of the right's attributes (HOU_Q04,
    // HOU_Q06, …, HOU_Q01), not in the order of their ids.
    #[test]
    fn questions_are_in_id_order_under_the_title_of_their_attribute() {
        let fw = framework();
        let (_dir, path) = write(&fw, Lang::En, &Fill::default(), &Layout::default());
        let mut wb = open_workbook_auto(&path).expect("opens");
        for right in &fw.rights {
            let range =
                wb.worksheet_range(&layout::right_sheet(&fw, right, Lang::En)).expect("sheet");
            assert_eq!(text(range.get_value((0, 0))), right.title.en);
            assert_eq!(text(range.get_value((1, 0))), right.summary.en);
            // Below the header: section rows (no id, the attribute's title) and questions.
            let mut shown = Vec::new();
            let mut section = None;
            for r in 4..=range.end().map_or(0, |e| e.0) {
                let id = text(range.get_value((r, 0)));
                if id.is_empty() {
                    section = Some(text(range.get_value((r, 1))));
                } else if !id.contains('.') {
                    let q = fw.question(&id).expect("a question");
                    let attribute = right
                        .attributes
                        .iter()
                        .find(|a| Some(&a.id) == q.attribute.as_ref())
                        .map(|a| a.title.en.clone());
                    assert_eq!(section, attribute, "{id} is under its attribute");
                    shown.push(id);
                }
            }
            let mut sorted = shown.clone();
            sorted.sort_by_cached_key(|id| sheets::id_order(id));
            assert_eq!(shown, sorted, "{}: questions in id order", right.id);
            let want: Vec<&str> = fw
                .questions_of(Some(&right.id))
                .filter(|q| q.on_sheet())
                .map(|q| q.id.as_str())
                .collect();
            assert_eq!(shown.len(), want.len(), "{}", right.id);
        }
        let range = wb
            .worksheet_range(&layout::right_sheet(&fw, fw.right("housing").expect("h"), Lang::En))
            .expect("sheet");
        assert_eq!(text(range.get_value((5, 0))), "HOU_Q01", "first question, under its section");
        assert!(sheets::id_order("HOU_Q2") < sheets::id_order("HOU_Q10"));
        assert!(sheets::id_order("HOU_Q10") < sheets::id_order("HOU_STATE"));
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
            fill.who.insert("HOU_Q03".into(), "Housing department".into());
            fill.who.insert("WRK_Q06".into(), "Human resources".into());
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
            // A multiple choice: "Yes" in the rows of the options ticked, "No" in the others,
            // nothing in the question's own (locked) cell.
            assert_eq!(answer("WRK_Q06"), Data::Empty);
            for c in &fw.question("WRK_Q06").expect("WRK_Q06").choices {
                let ticked = ["own_living_wage", "none"].contains(&c.code.as_str());
                let want = if ticked { yes } else { no };
                assert_eq!(
                    answer(&layout::option_id("WRK_Q06", &c.code)),
                    Data::String(want.into())
                );
            }
            assert_eq!(text(rows["HOU_Q03"].cells.get("who")), "Housing department");
            assert_eq!(
                text(rows["WRK_Q06.none"].cells.get("who")),
                "Human resources",
                "option rows repeat their question's department"
            );
            assert_eq!(text(rows["population"].cells.get("source")), "Census 2020");
            assert_eq!(text(rows["HOU_Q03"].cells.get("comment")), "estimate");
            assert_eq!(answer("HOU_Q07"), Data::Empty);
        }
    }

    #[test]
    fn template_1_writes_multiple_choices_in_one_cell() {
        let fw = framework();
        let mut fill = Fill::default();
        fill.answer("WRK_Q06", CellValue::Choices(vec!["own_living_wage".into(), "none".into()]));
        let layout = Layout { multi_choice_in_one_cell: true, ..Layout::default() };
        let (_dir, path) = write(&fw, Lang::Es, &fill, &layout);
        let (rows, _) = read_rows(&path);
        let label = |code: &str| {
            let q = fw.question("WRK_Q06").expect("WRK_Q06");
            q.choices.iter().find(|c| c.code == code).map(|c| c.label.es.clone()).expect("label")
        };
        let want = format!("{}; {}", label("own_living_wage"), label("none"));
        assert_eq!(rows["WRK_Q06"].cells.get("answer"), Some(&Data::String(want)));
        assert!(!rows.keys().any(|id| id.contains('.')), "no option rows");
        assert!(!rows["WRK_Q06"].cells.contains_key("who"), "no column Who answers");
        let mut wb = open_workbook_auto(&path).expect("opens");
        let meta = wb.worksheet_range(layout::META_SHEET).expect("meta");
        assert_eq!(text(meta.get_value((0, 1))), "1", "template_version");
    }

    #[test]
    fn option_rows_take_last_years_answer_as_it_was_written() {
        let fw = framework();
        let q = fw.question("EQU_Q17").expect("EQU_Q17");
        let values = |v: CellValue| option_values(q, Some(&v));
        let yes_no = |m: &BTreeMap<String, CellValue>| -> Vec<(String, bool)> {
            m.iter()
                .filter_map(|(k, v)| match v {
                    CellValue::YesNo(b) => Some((k.clone(), *b)),
                    _ => None,
                })
                .filter(|(_, b)| *b)
                .collect()
        };
        // Codes, or a template-1 answer by label in any language.
        let ticked = vec![("schooling".to_string(), true)];
        assert_eq!(yes_no(&values(CellValue::Choices(vec!["schooling".into()]))), ticked);
        let written = CellValue::Text("Écoles ou éducation de la petite enfance".into());
        assert_eq!(yes_no(&values(written)), ticked);
        assert_eq!(values(CellValue::Choices(vec![])).len(), q.choices.len(), "all No");
        // "Not available" in every row; anything else in the first, to be corrected.
        let na = values(CellValue::Text("N/A".into()));
        assert!(na.values().all(|v| *v == CellValue::Text("N/A".into())) && na.len() == 6);
        let odd = values(CellValue::Text("some of them".into()));
        assert_eq!(odd.len(), 1);
        assert_eq!(odd.get(&q.choices[0].code), Some(&CellValue::Text("some of them".into())));
    }

    /// The `<sheetProtection …/>` element of each worksheet part of the workbook at `path`.
    fn protections(path: &Path) -> Vec<String> {
        use std::io::Read;
        let mut zip =
            zip::ZipArchive::new(std::fs::File::open(path).expect("file")).expect("a zip");
        let mut out = Vec::new();
        for i in 0..zip.len() {
            let mut part = zip.by_index(i).expect("part");
            if !part.name().expect("name").starts_with("xl/worksheets/sheet") {
                continue;
            }
            let mut xml = String::new();
            part.read_to_string(&mut xml).expect("utf-8");
            if let Some(start) = xml.find("<sheetProtection") {
                let end = xml[start..].find("/>").map_or(xml.len(), |e| start + e + 2);
                out.push(xml[start..end].to_string());
            }
        }
        out
    }

    // See issue 19: the instructions said rows and columns may be inserted, but the
    // protection forbade it.
    #[test]
    fn protection_allows_what_the_instructions_say() {
        let fw = framework();
        let (_dir, path) = write(&fw, Lang::Fr, &Fill::default(), &Layout::default());
        let found = protections(&path);
        assert_eq!(found.len(), fw.rights.len() + 2, "every sheet of answers: {found:?}");
        for p in &found {
            // In OOXML an attribute set to 0 is a thing the protection does not forbid.
            for allowed in ["insertRows=\"0\"", "insertColumns=\"0\"", "autoFilter=\"0\""] {
                assert!(p.contains(allowed), "{allowed} in {p}");
            }
            assert!(!p.contains("deleteRows=\"0\"") && !p.contains("password"), "{p}");
        }
        let text = tr(Lang::Fr, "workbook.instructions.step_ids");
        assert!(text.contains("insérer des lignes ou des colonnes"), "{text}");
        let protection = protection();
        assert!(protection.insert_rows && protection.insert_columns && !protection.delete_rows);
    }

    // See issue 19: the instructions numbered the sheets unlike their tabs, and said only
    // "a few hours".
    #[test]
    fn contents_are_numbered_as_the_tabs_and_give_the_time_needed() {
        let fw = framework();
        for lang in Lang::ALL {
            let (_dir, path) = write(&fw, lang, &Fill::default(), &Layout::default());
            let mut wb = open_workbook_auto(&path).expect("opens");
            let range = wb.worksheet_range(layout::instructions_sheet(lang)).expect("sheet");
            let cells: Vec<(String, String, String)> = (0..=range.end().map_or(0, |e| e.0))
                .map(|r| {
                    let at = |c: u32| text(range.get_value((r, c)));
                    (at(1), at(2), at(3))
                })
                .collect();
            for right in &fw.rights {
                let tab = layout::right_sheet(&fw, right, lang);
                let row = cells
                    .iter()
                    .find(|(_, title, _)| title == right.title.get(lang))
                    .unwrap_or_else(|| panic!("{lang}: {} in the contents", right.id));
                assert_eq!(row.0, tab[..2], "{lang}: {tab}");
                assert!(row.2.ends_with(" min") || row.2.ends_with(" h"), "{lang}: {}", row.2);
            }
            let profile = cells.iter().find(|(_, t, _)| t == fw.profile.title.get(lang));
            assert_eq!(
                profile.map(|r| r.0.as_str()),
                Some(""),
                "{lang}: the profile has no number"
            );
            let breakdowns = tr(lang, "workbook.breakdown.title");
            assert!(cells.iter().any(|(_, t, _)| t == breakdowns), "{lang}: breakdowns listed");
            // The time in all, from the questions on the sheets.
            let on_sheets = fw.questions.iter().filter(|q| q.on_sheet());
            let (lo, hi) = time_needed(on_sheets);
            let time = time_words(lo, hi, lang);
            assert!(time.ends_with(" h"), "{time}");
            let stated = cells.iter().any(|(a, b, _)| a.contains(&time) || b.contains(&time));
            assert!(stated, "{lang}: {time} stated");
        }
        assert_eq!(time_words(12, 40, Lang::En), "10–40 min");
        assert_eq!(time_words(2, 3, Lang::En), "5–5 min");
        assert_eq!(time_words(316, 849, Lang::Es), "5–15 h");
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
            added_recommendations: 0,
            multi_choice_in_one_cell: false,
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
        assert_eq!(note("HOU_Q02", Lang::En), None, "asked of every city since 2026.2");
        assert_eq!(
            note("HOU_Q10", Lang::En).as_deref(),
            Some("Answer only if the answer to HOU_Q09 is “Yes”.")
        );
        assert_eq!(
            note("HOU_Q10", Lang::Fr).as_deref(),
            Some("Répondez seulement si la réponse à HOU_Q09 est « Oui ».")
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
        // The help cell carries it; a question new in this version says so first.
        assert!(help_text(&fw, fw.question("HOU_Q10").expect("q"), Lang::En)
            .starts_with("Answer only if"));
        let new = fw.questions.iter().find(|q| q.since.as_deref() == Some(fw.version.as_str()));
        if let Some(q) = new {
            let want = format!("New question in {}.", fw.version);
            assert!(help_text(&fw, q, Lang::En).starts_with(&want), "{}", q.id);
        }
        assert!(!help_text(&fw, fw.question("HOU_Q10").expect("q"), Lang::En).contains("New"));
    }

    // See issue 21: prefilled answers looked like new answers.
    #[test]
    fn a_prefilled_workbook_marks_what_it_carries_and_records_it() {
        use crate::questionnaire::fill::Prefilled;
        let fw = framework();
        let mut fill = Fill::default();
        fill.answer("HOU_Q01", CellValue::YesNo(true));
        fill.answer("HOU_Q02", CellValue::Number(40.0));
        fill.answer("HOU_STATE", CellValue::Text("=HYPERLINK(\"x\")".into()));
        // Given on the command line, not carried over.
        fill.answer("population", CellValue::Number(1000.0));
        let values: BTreeMap<String, String> =
            [("HOU_Q01", "n:1"), ("HOU_Q02", "n:40"), ("HOU_STATE", "t:=HYPERLINK(\"x\")")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        let sha = "ab".repeat(32);
        fill.prefilled = Some(Prefilled {
            year: Some(2026),
            sha256: Some(sha.clone()),
            values: values.clone(),
            ..Prefilled::default()
        });
        let (_dir, path) = write(&fw, Lang::Es, &fill, &Layout::default());
        let mut wb = open_workbook_auto(&path).expect("opens");
        let housing = layout::right_sheet(&fw, fw.right("housing").expect("housing"), Lang::Es);
        let range = wb.worksheet_range(&housing).expect("sheet");
        let (row, cols) = header(&range).expect("header");
        assert_eq!(cols["prefilled"], cols["answer"] + 1, "last year's answer beside the answer");
        assert_eq!(text(range.get_value((row, cols["prefilled"]))), "Precargado de 2026");
        let (rows, _) = read_rows(&path);
        assert_eq!(rows["HOU_Q02"].cells["prefilled"], Data::Float(40.0));
        assert_eq!(rows["HOU_Q01"].cells["prefilled"], Data::String("Sí".into()));
        assert_eq!(rows["population"].cells["prefilled"], Data::Empty);
        // The hidden sheet records what was carried over; the reader reads it back, and
        // reads the answers as before.
        let read = crate::questionnaire::read::read_workbook(&path, &fw).expect("reads");
        let t = read.template.clone().expect("hidden sheet");
        assert_eq!(
            (t.prefilled, t.prefilled_year, t.prefilled_from),
            (values, Some(2026), Some(sha))
        );
        let unknown = read
            .notices
            .iter()
            .any(|n| matches!(n, crate::questionnaire::read::Notice::UnknownId { .. }));
        assert!(!unknown, "{:?}", read.notices);
        let q02 = read.get("HOU_Q02").map(|f| f.raw.clone());
        assert_eq!(q02, Some(crate::questionnaire::answer::RawCell::Number(40.0)));
        // A carried-over answer turns to the ordinary colour once changed.
        let xml = sheet_xml(&path, "HOU_Q02");
        let answer = CellRef::new(rows["HOU_Q02"].row, cols["answer"]).to_string();
        assert!(xml.contains(&format!("<conditionalFormatting sqref=\"{answer}\">")), "{answer}");
        // The instructions say so.
        let instructions = wb.worksheet_range(layout::instructions_sheet(Lang::Es)).expect("sheet");
        let all: Vec<String> = instructions.rows().flatten().map(|c| text(Some(c))).collect();
        assert!(all.iter().any(|t| t.contains("«Precargado de 2026»")), "{all:?}");
    }

    /// The XML of the worksheet part of the workbook at `path` that holds the text `id`
    /// (in its shared strings or inline).
    fn sheet_xml(path: &Path, id: &str) -> String {
        use std::io::Read;
        let mut zip =
            zip::ZipArchive::new(std::fs::File::open(path).expect("file")).expect("a zip");
        let mut strings = String::new();
        if let Ok(mut part) = zip.by_name("xl/sharedStrings.xml") {
            part.read_to_string(&mut strings).expect("utf-8");
        }
        let index = strings
            .split("<si>")
            .skip(1)
            .position(|si| si.contains(&format!(">{id}<")))
            .map(|i| format!("<v>{i}</v>"));
        for i in 0..zip.len() {
            let mut part = zip.by_index(i).expect("part");
            if !part.name().expect("name").starts_with("xl/worksheets/sheet") {
                continue;
            }
            let mut xml = String::new();
            part.read_to_string(&mut xml).expect("utf-8");
            if index.as_ref().is_some_and(|v| xml.contains(v.as_str())) || xml.contains(id) {
                return xml;
            }
        }
        panic!("no sheet holds {id}");
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
        assert_eq!(format_shortest(1_000_000.0, Lang::En), "1,000,000");
        assert_eq!(format_shortest(1_000_000.0, Lang::Es), "1.000.000");
        assert_eq!(format_shortest(2.5, Lang::Fr), "2,5");
        assert_eq!(format_shortest(5000.0, Lang::En), "5,000");
        assert_eq!(format_shortest(5000.0, Lang::Es), "5000");
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
