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
use crate::i18n::number::format_shortest;
use crate::i18n::{tr, trf, Lang};

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

    let mut workbook = Workbook::new();
    workbook.set_properties(&properties(fw, lang)?);
    workbook.push_worksheet(instructions(&ctx, &sheets)?);
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
        let index = Column::ALL.iter().position(|x| *x == c).unwrap_or(0) as u32;
        self.layout.extra_cols.saturating_add(index).min(u16::MAX as u32) as u16
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
            Column::Dimension => "dimension",
            Column::Category => "category",
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
                assert_eq!(order, (0..7).collect::<Vec<u32>>(), "{lang} {sheet}");
                for c in Column::ALL {
                    assert_eq!(text(range.get_value((row, cols[name(c)]))), c.header(lang));
                }
            }
            let (rows, dupes) = read_rows(&path);
            assert!(dupes.is_empty(), "{lang}: ids seen twice: {dupes:?}");
            let want: BTreeSet<&str> =
                fw.questions.iter().filter(|q| q.on_sheet()).map(|q| q.id.as_str()).collect();
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
            added_recommendations: 0,
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
        assert!(help_text(&fw, fw.question("HOU_STATE").expect("q"), Lang::En)
            .starts_with("New question in 2026.3.\n"));
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
