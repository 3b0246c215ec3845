//! Values to put in a workbook before it is sent: last year's answers (`--prefill`), the
//! profile (`--city-name` …), and the answers of test fixtures and sample data.

use std::collections::BTreeMap;

/// What to write in an answer cell.
#[derive(Clone, Debug, PartialEq)]
pub enum CellValue {
    /// A number cell.
    Number(f64),
    /// A number cell formatted as a percentage, holding a fraction (0.45 shows as 45%).
    PercentFraction(f64),
    /// A yes/no answer, written as the word of the workbook's language.
    YesNo(bool),
    /// A choice, written as its label in the workbook's language.
    Choice(String),
    /// The ticked options of a multiple-choice question, by code: "Yes" in the rows of
    /// these options and "No" in the others (with [`Layout::multi_choice_in_one_cell`],
    /// their labels joined by `; ` in the question's cell).
    Choices(Vec<String>),
    /// A date cell.
    Date { year: i32, month: u32, day: u32 },
    /// A text cell, written exactly as given (e.g. `1.234,5`, `45 %`, `N/A`).
    Text(String),
    /// A formula with the value Excel would have cached for it.
    Formula { formula: String, cached: f64 },
    /// An Excel error value such as `#DIV/0!`, written as a formula that yields it.
    Error(String),
}

/// Everything a workbook is filled with, by question id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fill {
    /// Answers.
    pub answers: BTreeMap<String, CellValue>,
    /// The Source / evidence column.
    pub sources: BTreeMap<String, String>,
    /// The Comment column.
    pub comments: BTreeMap<String, String>,
    /// The "Who answers" column: the department that answers each question.
    pub who: BTreeMap<String, String>,
    /// Breakdown answers, by question, dimension and category (the category's code, or the
    /// name a city gave it for a dimension each city names).
    pub groups: BTreeMap<GroupKey, CellValue>,
    /// The names of city-named categories (neighbourhoods), by dimension, in order: the
    /// breakdown sheet gives every question of that dimension a row for each.
    pub group_names: BTreeMap<String, Vec<String>>,
    /// The UN recommendations the recommendations sheet lists (Contract 6), in order, and
    /// the country they concern; none: no recommendations sheet.
    pub recommendations: Vec<Listed>,
    pub recommendations_country: Option<String>,
    /// Follow-up answers, by recommendation id (last year's, or a fixture's).
    pub followup: BTreeMap<String, FollowUp>,
    /// What was carried over from an earlier return (`--prefill`, `--prefill-from-store`):
    /// those answers are marked in the workbook, and recorded in its hidden sheet so that
    /// the validator can tell a return sent back unchanged (`W-UNCHANGED`).
    pub prefilled: Option<Prefilled>,
}

/// The answers a workbook carries over from an earlier return of the same government.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Prefilled {
    /// The reporting year of that return.
    pub year: Option<i32>,
    /// The sha256 of its file, when known.
    pub sha256: Option<String>,
    /// The answers carried over, by question id, as [`super::prefill::canonical`] writes
    /// them. A question missing here is not marked as prefilled (e.g. a profile answer
    /// given on the command line).
    pub values: BTreeMap<String, String>,
    /// The breakdown answers carried over (marked like the answers).
    pub groups: std::collections::BTreeSet<GroupKey>,
    /// The recommendations whose follow-up (competence, status) was carried over.
    pub followup: std::collections::BTreeSet<String>,
}

/// A UN recommendation as the recommendations sheet shows it: every text ready in the
/// workbook's language, except the recommendation itself (in the language it was issued in).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Listed {
    pub id: String,
    /// `A/HRC/55/5, para. 121.37` and the date.
    pub reference: String,
    /// `UPR, 4th cycle`, `CESCR`, …
    pub body: String,
    pub themes: String,
    pub position: String,
    pub recommended_by: String,
    pub text: String,
}

/// A city's follow-up of one recommendation. Competence and status are codes
/// ([`super::layout::COMPETENCE`], [`super::layout::FOLLOW_STATUS`]), written as their
/// labels; anything else is written exactly as given.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FollowUp {
    pub competence: Option<String>,
    pub status: Option<String>,
    pub department: Option<String>,
    pub action: Option<String>,
    pub source: Option<String>,
    pub comment: Option<String>,
}

/// A breakdown answer's key: question id, dimension, category.
pub type GroupKey = (String, String, String);

impl Fill {
    /// Sets the answer to `id`.
    pub fn answer(&mut self, id: &str, value: CellValue) -> &mut Self {
        self.answers.insert(id.to_string(), value);
        self
    }

    /// Sets the answer to `id` for `category` of `dimension`.
    pub fn group(&mut self, id: &str, dimension: &str, category: &str, value: CellValue) {
        self.groups.insert((id.into(), dimension.into(), category.into()), value);
    }
}

/// How to lay the workbook out. The defaults make the standard workbook; the other
/// settings reproduce what people do to workbooks (for tests and sample data).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    /// Blank rows inserted above the header row of every question sheet.
    pub extra_rows: u32,
    /// Blank columns inserted before the ID column of every question sheet.
    pub extra_cols: u32,
    /// Sheet names to use instead of the standard ones, by right id (`"profile"` for the
    /// profile sheet).
    pub sheet_names: BTreeMap<String, String>,
    /// Question ids whose rows are moved to the end of their sheet (reordered rows).
    pub move_to_end: Vec<String>,
    /// Leave out the hidden `_hrcities` sheet (a workbook not made by hrcities).
    pub without_meta: bool,
    /// Write this framework version in `_hrcities` instead of the real one.
    pub framework_version: Option<String>,
    /// The last rows of the recommendations sheet that the city typed in itself: written
    /// on the sheet, not listed in `_hrcities`.
    pub added_recommendations: usize,
    /// Write each multiple-choice question in one cell, its options' labels separated by
    /// `;`, as template 1 did (before issue 19), instead of one yes/no row per option.
    pub multi_choice_in_one_cell: bool,
}
