//! The framework as the rest of the toolkit sees it: rights, questions, indicators and
//! rules, checked and with every string in the three working languages.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::formula::{Binary, Node, QuestionKind};
use crate::i18n::Lang;

/// A string in each working language.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Text {
    pub en: String,
    pub es: String,
    pub fr: String,
}

impl Text {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Es => &self.es,
            Lang::Fr => &self.fr,
        }
    }
}

/// Where something was defined: a framework file and a byte range in it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Loc {
    /// Index into [`Framework::files`].
    pub file: usize,
    /// Byte offset of the start of the definition.
    pub offset: usize,
}

/// A framework source file, kept so that positions can be shown as `file:line`.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The file name, e.g. `housing.toml`.
    pub name: String,
    /// Its text.
    pub text: String,
}

impl SourceFile {
    /// The 1-based line and column of byte `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = self.text.get(..offset).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    }
}

/// How reports print values of a unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitFormat {
    Number,
    Percent,
    YesNo,
    Currency,
    Year,
    Text,
    Date,
}

/// A unit of measurement.
#[derive(Clone, Debug, Serialize)]
pub struct Unit {
    pub format: UnitFormat,
    pub label: Text,
    /// The label for one (`1 person`, `1 point`) when it differs from `label`.
    pub one: Option<Text>,
}

/// A treaty a mapping may cite.
#[derive(Clone, Debug, Serialize)]
pub struct Treaty {
    /// Abbreviation of the monitoring body (empty for the UDHR).
    pub body: String,
    pub title: Text,
}

/// The vocabularies of `framework.toml`.
#[derive(Clone, Debug, Default)]
pub struct Vocabularies {
    pub units: BTreeMap<String, Unit>,
    pub kinds: BTreeMap<String, Text>,
    pub charter_agenda: BTreeMap<String, Text>,
    pub treaties: BTreeMap<String, Treaty>,
    pub bodies: BTreeMap<String, Text>,
    pub upr_themes: BTreeMap<String, Text>,
    pub disaggregations: BTreeMap<String, Dimension>,
    /// The crosswalk from UHRI theme names to rights and indicators (Contract 6).
    pub uhri_themes: Vec<UhriTheme>,
}

/// A theme of OHCHR's Universal Human Rights Index, as its exports name it, and the
/// rights (and indicators) of the framework that recommendations on it bear on.
#[derive(Clone, Debug, Serialize)]
pub struct UhriTheme {
    /// UHRI's English name (`Right to adequate housing`).
    pub name: String,
    /// Its label in each language, for workbooks and reports.
    pub label: Text,
    pub rights: Vec<String>,
    /// The indicators that bear most directly on a recommendation of this theme.
    pub indicators: Vec<String>,
    #[serde(skip)]
    pub loc: Loc,
}

impl Vocabularies {
    /// The crosswalk entry of the UHRI theme `name` (ignoring case, accents and spacing).
    pub fn uhri_theme(&self, name: &str) -> Option<&UhriTheme> {
        let key = theme_key(name);
        self.uhri_themes.iter().find(|t| theme_key(&t.name) == key)
    }

    /// The label of the UHRI theme `name` in `lang`: the crosswalk's, else the name as
    /// UHRI gives it.
    pub fn uhri_label(&self, name: &str, lang: crate::i18n::Lang) -> String {
        self.uhri_theme(name).map_or_else(|| name.to_string(), |t| t.label.get(lang).to_string())
    }
}

/// A theme name folded for comparison: case, accents, spacing and `&`/`and` ignored.
pub fn theme_key(name: &str) -> String {
    let folded = crate::i18n::fold(name).replace('&', " and ");
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A dimension answers can be broken down by (Contract 5): sex, age group, disability,
/// migration status; categories a campaign defines; or categories each city names
/// (neighbourhoods).
#[derive(Clone, Debug, Serialize)]
pub struct Dimension {
    pub id: String,
    pub label: Text,
    /// Its categories (empty when each city names its own).
    pub categories: Vec<Choice>,
    /// The category groups are compared with; `None`: the total (the city as a whole, all
    /// complaints).
    pub reference: Option<String>,
    /// Each city names the categories (its neighbourhoods): the workbook gives blank rows.
    pub city_named: bool,
    /// How many blank rows the workbook gives a city-named dimension per question.
    pub rows: u32,
}

impl Dimension {
    /// Whether answers can be broken down by it: it has categories, or each city names
    /// them.
    pub fn usable(&self) -> bool {
        self.city_named || !self.categories.is_empty()
    }

    /// The category with code `code`.
    pub fn category(&self, code: &str) -> Option<&Choice> {
        self.categories.iter().find(|c| c.code == code)
    }

    /// The label of category `code` in `lang` (a city-named category is its own label).
    pub fn category_label<'a>(&'a self, code: &'a str, lang: Lang) -> &'a str {
        self.category(code).map_or(code, |c| c.label.get(lang))
    }
}

/// When a group is "left behind": worse than the reference, in the indicator's bad
/// direction, by more than `relative` of the reference value, or by more than `points` for
/// indicators in percent.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LeftBehind {
    pub relative: f64,
    pub points: f64,
}

impl Default for LeftBehind {
    fn default() -> Self {
        LeftBehind { relative: 0.10, points: 5.0 }
    }
}

/// An OHCHR attribute of a right: a section of its sheet.
#[derive(Clone, Debug, Serialize)]
pub struct Attribute {
    pub id: String,
    pub title: Text,
}

/// A right, with the ids of its questions and indicators.
#[derive(Clone, Debug, Serialize)]
pub struct Right {
    pub id: String,
    pub order: i64,
    pub title: Text,
    /// A label of a few words for charts and tables (the title when the file gives none).
    pub short_title: Text,
    pub summary: Text,
    pub charter_agenda: Vec<String>,
    pub treaty: Vec<String>,
    pub general_comment: Vec<String>,
    /// Where the right's treaty provisions, General Comments and attributes come from.
    pub source: Text,
    pub attributes: Vec<Attribute>,
    #[serde(skip)]
    pub loc: Loc,
}

/// The answer type of a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    Number,
    Integer,
    Percent,
    YesNo,
    Choice,
    MultiChoice,
    Text,
    Date,
    Year,
}

impl QuestionType {
    /// How formulas see answers of this type.
    pub fn formula_kind(self) -> QuestionKind {
        match self {
            QuestionType::Number
            | QuestionType::Integer
            | QuestionType::Percent
            | QuestionType::YesNo
            | QuestionType::Year => QuestionKind::Number,
            QuestionType::Choice => QuestionKind::Code,
            QuestionType::MultiChoice => QuestionKind::Codes,
            QuestionType::Text | QuestionType::Date => QuestionKind::Opaque,
        }
    }

    /// Whether the type takes `min` and `max`.
    pub fn is_numeric(self) -> bool {
        self.formula_kind() == QuestionKind::Number && self != QuestionType::YesNo
    }

    /// The name used in framework files.
    pub fn name(self) -> &'static str {
        match self {
            QuestionType::Number => "number",
            QuestionType::Integer => "integer",
            QuestionType::Percent => "percent",
            QuestionType::YesNo => "yes_no",
            QuestionType::Choice => "choice",
            QuestionType::MultiChoice => "multi_choice",
            QuestionType::Text => "text",
            QuestionType::Date => "date",
            QuestionType::Year => "year",
        }
    }
}

/// One option of a choice question.
#[derive(Clone, Debug, Serialize)]
pub struct Choice {
    pub code: String,
    pub label: Text,
}

/// A parsed formula with its source text.
#[derive(Clone, Debug)]
pub struct Formula {
    pub text: String,
    pub node: Node,
    /// Where the formula's text starts in its framework file.
    pub at: Loc,
}

impl Serialize for Formula {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

/// The profile question where a government ticks the services it is responsible for.
pub const COMPETENCES: &str = "competences";

/// A question of the workbook.
#[derive(Clone, Debug, Serialize)]
pub struct Question {
    pub id: String,
    /// The right whose sheet holds it; `None` for the profile sheet.
    pub right: Option<String>,
    pub attribute: Option<String>,
    #[serde(rename = "type")]
    pub qtype: QuestionType,
    pub required: bool,
    pub text: Text,
    pub help: Option<Text>,
    pub unit: Option<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub relevant: Option<Formula>,
    pub disaggregation: Vec<String>,
    pub choices: Vec<Choice>,
    /// The framework version that first asked it (`None`: asked since the first version).
    pub since: Option<String>,
    /// The last change of its definition.
    pub changed: Option<Change>,
    /// Its skip logic in templates older than a version.
    pub asked_before: Option<AskedBefore>,
    /// Not asked on a sheet but computed by the validator from another part of the
    /// workbook: `recommendations` (counts from the recommendations sheet, Contract 6).
    pub derived: Option<String>,
    /// The usual range of the answer, and of its change in a year.
    pub plausible: Option<Plausible>,
    /// The question giving the year of the fact this answer describes (the election, the
    /// survey): two returns that give the same year should give the same answer
    /// (`W-REPEAT`).
    pub dated_by: Option<String>,
    /// The service the question is about (a choice of the profile's `competences`
    /// question): where a government says it is not responsible for it, the question does
    /// not apply.
    pub competence: Option<String>,
    /// The answer is personal data (a contact's name or e-mail address): kept in the store
    /// and the analyst's exports, never in the public export or the web site.
    pub personal: bool,
    #[serde(skip)]
    pub loc: Loc,
}

impl Question {
    /// Whether the workbook asks it (a derived value is computed instead).
    pub fn on_sheet(&self) -> bool {
        self.derived.is_none()
    }

    /// Whether a return made from the template of framework `version` asked it: `false` when
    /// the question is newer than the template.
    pub fn asked_in(&self, version: &str) -> bool {
        self.since.as_deref().is_none_or(|since| !version_lt(version, since))
    }

    /// The skip logic that applied in the template of framework `version` (`None`: the
    /// question applied to every return).
    pub fn relevant_in(&self, version: Option<&str>) -> Option<&Formula> {
        match (&self.asked_before, version) {
            (Some(before), Some(v)) if version_lt(v, &before.version) => before.relevant.as_ref(),
            _ => self.relevant.as_ref(),
        }
    }
}

/// A change of definition between framework versions: values before and after it are not
/// compared.
#[derive(Clone, Debug, Serialize)]
pub struct Change {
    /// The version that made the change.
    pub version: String,
    /// What changed and why.
    pub what: Text,
}

/// A question's skip logic before a version changed it.
#[derive(Clone, Debug, Serialize)]
pub struct AskedBefore {
    /// Templates older than this version used `relevant`.
    pub version: String,
    /// `None`: asked of every return.
    pub relevant: Option<Formula>,
}

/// An SDG indicator mapped only where a city's answers make `when` true (e.g. the poverty line
/// the city used decides between SDG 1.2.1 and 10.2.1).
#[derive(Clone, Debug, Serialize)]
pub struct SdgWhen {
    pub code: String,
    pub when: Formula,
}

/// Whether framework version `a` is older than `b`. Versions are dot-separated numbers
/// (`2026.1` < `2026.2` < `2026.10`); a part that is not a number compares as text.
pub fn version_lt(a: &str, b: &str) -> bool {
    version_key(a) < version_key(b)
}

fn version_key(v: &str) -> Vec<(u64, String)> {
    v.trim()
        .split('.')
        .map(|p| match p.parse::<u64>() {
            Ok(n) => (n, String::new()),
            Err(_) => (u64::MAX, p.to_string()),
        })
        .collect()
}

/// Whether `v` is a well-formed framework version (`2026.2`).
pub fn is_version(v: &str) -> bool {
    let parts: Vec<&str> = v.split('.').collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 6 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// OHCHR indicator type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    Structural,
    Process,
    Outcome,
}

impl IndicatorKind {
    pub const ALL: [IndicatorKind; 3] =
        [IndicatorKind::Structural, IndicatorKind::Process, IndicatorKind::Outcome];

    /// The name used in framework files and exports.
    pub fn name(self) -> &'static str {
        match self {
            IndicatorKind::Structural => "structural",
            IndicatorKind::Process => "process",
            IndicatorKind::Outcome => "outcome",
        }
    }
}

/// Which end of the goalposts is best.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
}

impl Direction {
    /// The name used in framework files and exports.
    pub fn name(self) -> &'static str {
        match self {
            Direction::HigherIsBetter => "higher_is_better",
            Direction::LowerIsBetter => "lower_is_better",
        }
    }
}

/// What a value usually is (Contract 2: valid is not enough). A value outside `lo`..`hi`
/// is kept with a warning (`W-IMPLAUSIBLE`), and so is a change of more than `jump` (in the
/// value's unit; points for a percentage) from one reporting year to the next (`W-JUMP`).
/// For a question, `per` names the question the answer is divided by (`population`,
/// `households`), times `scale`, before the range applies: tonnes of waste per person,
/// police officers per 100,000 inhabitants. `source` says where the range comes from.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plausible {
    pub lo: Option<f64>,
    pub hi: Option<f64>,
    pub jump: Option<f64>,
    pub per: Option<String>,
    #[serde(default = "one")]
    pub scale: f64,
    pub source: String,
}

fn one() -> f64 {
    1.0
}

impl Plausible {
    /// Whether `value` is within the usual range.
    pub fn holds(&self, value: f64) -> bool {
        self.lo.is_none_or(|lo| value >= lo) && self.hi.is_none_or(|hi| value <= hi)
    }
}

/// The values that score 0 and 100 (which is which depends on the direction).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct Goalposts {
    pub lo: f64,
    pub hi: f64,
}

/// An indicator.
#[derive(Clone, Debug, Serialize)]
pub struct Indicator {
    pub id: String,
    pub right: String,
    pub title: Text,
    pub definition: Option<Text>,
    pub kind: IndicatorKind,
    pub attribute: Option<String>,
    pub formula: Formula,
    pub unit: String,
    pub direction: Direction,
    pub goalposts: Option<Goalposts>,
    pub target: Option<f64>,
    pub weight: f64,
    /// SDG indicators whose official definition it measures (maybe restricted to the territory).
    pub sdg: Vec<String>,
    /// SDG indicators it only serves ("related to SDG 11.7.1").
    pub sdg_related: Vec<String>,
    /// SDG indicators mapped only where a city's answers make a condition true.
    pub sdg_when: Vec<SdgWhen>,
    pub treaty: Vec<String>,
    pub general_comment: Vec<String>,
    pub charter_agenda: Vec<String>,
    pub upr_themes: Vec<String>,
    /// Where the indicator and each of its mappings come from.
    pub source: Text,
    /// The framework version that introduced it.
    pub since: Option<String>,
    /// The last change of its definition.
    pub changed: Option<Change>,
    /// The usual range of its value, and of its change in a year.
    pub plausible: Option<Plausible>,
    #[serde(skip)]
    pub loc: Loc,
}

impl Indicator {
    /// The mechanisms it reports to, on one line: its SDG indicators and treaty provisions
    /// (`SDG 11.1.1 · ICESCR art. 11(1)`), and with `all` also its General Comments and
    /// Charter-Agenda articles (`… · CESCR GC 4 · CA X`).
    pub fn mechanisms(&self, lang: Lang, all: bool) -> String {
        self.mechanisms_where(lang, all, None)
    }

    /// [`Indicator::mechanisms`] for one city: `when` are the codes of `sdg_when` whose
    /// condition held for its answers (`None`: not known, every conditional code is shown
    /// with its condition).
    pub fn mechanisms_where(&self, lang: Lang, all: bool, when: Option<&[String]>) -> String {
        let sdg = crate::i18n::tr(lang, "field.sdg");
        let mut parts: Vec<String> = self.sdg.iter().map(|s| format!("{sdg} {s}")).collect();
        match when {
            Some(codes) => parts.extend(codes.iter().map(|s| format!("{sdg} {s}"))),
            None => {
                let when = crate::i18n::tr(lang, "field.when");
                parts.extend(
                    self.sdg_when
                        .iter()
                        .map(|w| format!("{sdg} {} ({when} {})", w.code, w.when.text)),
                );
            }
        }
        let related = crate::i18n::tr(lang, "field.sdg_related");
        parts.extend(self.sdg_related.iter().map(|s| format!("{related} {s}")));
        parts.extend(self.treaty.iter().map(|t| crate::i18n::treaty_ref(t, lang)));
        if all {
            parts.extend(self.general_comment.iter().map(|g| crate::i18n::treaty_ref(g, lang)));
            parts.extend(self.charter_agenda.iter().map(|c| format!("CA {c}")));
        }
        parts.join(" · ")
    }
}

/// How a rule treats missing answers (DHIS2's missing-value strategies).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingStrategy {
    /// Not checked when either side is missing.
    SkipIfAnyMissing,
    /// Not checked when both sides are missing; a missing side counts as 0.
    SkipIfAllMissing,
    /// Always checked; missing answers count as 0.
    NeverSkip,
}

/// Error or warning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    /// The name used in exports: `warning` or `error`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A consistency rule: `left op right` must hold.
#[derive(Clone, Debug, Serialize)]
pub struct Rule {
    pub id: String,
    pub right: Option<String>,
    pub left: Formula,
    #[serde(serialize_with = "serialize_op")]
    pub op: Binary,
    #[serde(rename = "right_side")]
    pub right_side: Formula,
    pub severity: Severity,
    pub missing: MissingStrategy,
    pub message: Text,
    #[serde(skip)]
    pub loc: Loc,
}

fn serialize_op<S: serde::Serializer>(op: &Binary, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(op.symbol())
}

/// The profile sheet.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Profile {
    pub title: Text,
    pub summary: Text,
}

/// A whole framework.
#[derive(Clone, Debug)]
pub struct Framework {
    pub id: String,
    pub version: String,
    /// Every released version, oldest first, ending with `version`: a return made from the
    /// template of any of them is read without a warning.
    pub versions: Vec<String>,
    pub title: Text,
    pub description: Text,
    pub vocab: Vocabularies,
    /// The threshold of Contract 5's `left_behind`.
    pub left_behind: LeftBehind,
    pub profile: Profile,
    /// Rights in report order.
    pub rights: Vec<Right>,
    /// Profile questions first, then each right's, in file order.
    pub questions: Vec<Question>,
    pub indicators: Vec<Indicator>,
    pub rules: Vec<Rule>,
    /// The files it was read from.
    pub files: Vec<SourceFile>,
}

impl Framework {
    /// The question with id `id`.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// The indicator with id `id`.
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }

    /// The right with id `id`.
    pub fn right(&self, id: &str) -> Option<&Right> {
        self.rights.iter().find(|r| r.id == id)
    }

    /// The indicators of right `id`, in file order.
    pub fn indicators_of<'a>(&'a self, right: &'a str) -> impl Iterator<Item = &'a Indicator> {
        self.indicators.iter().filter(move |i| i.right == right)
    }

    /// The questions of right `id` (`None`: the profile), in file order.
    pub fn questions_of<'a>(
        &'a self,
        right: Option<&'a str>,
    ) -> impl Iterator<Item = &'a Question> {
        self.questions.iter().filter(move |q| q.right.as_deref() == right)
    }

    /// The framework as a template of `version` asked it: without the questions,
    /// indicators and rules newer than it (and rights left with no question), with the
    /// skip logic of that version. The sample returns of earlier years are written from it.
    pub fn as_of(&self, version: &str) -> Framework {
        let mut fw = self.clone();
        fw.version = version.to_string();
        fw.versions.retain(|v| !version_lt(version, v));
        fw.questions.retain(|q| q.asked_in(version));
        for q in &mut fw.questions {
            if let Some(before) = q.asked_before.take() {
                if version_lt(version, &before.version) {
                    q.relevant = before.relevant;
                }
            }
        }
        let asked: std::collections::HashSet<String> =
            fw.questions.iter().map(|q| q.id.clone()).collect();
        let known = |f: &Formula| f.node.questions().iter().all(|q| asked.contains(*q));
        fw.indicators.retain(|i| {
            i.since.as_deref().is_none_or(|s| !version_lt(version, s)) && known(&i.formula)
        });
        fw.rules.retain(|r| known(&r.left) && known(&r.right_side));
        fw.rights.retain(|r| fw.questions.iter().any(|q| q.right.as_deref() == Some(&r.id)));
        fw
    }

    /// `file:line` of a definition.
    pub fn locate(&self, loc: &Loc) -> String {
        match self.files.get(loc.file) {
            Some(f) => format!("{}:{}", f.name, f.line_col(loc.offset).0),
            None => "?".into(),
        }
    }

    /// The label of unit `code` for `value` in `lang`: singular for one (below two in
    /// French: `1,5 point`), plural otherwise.
    pub fn unit_label_for<'a>(&'a self, code: &'a str, value: f64, lang: Lang) -> &'a str {
        let singular = match lang {
            Lang::Fr => value.abs() < 2.0,
            _ => value == 1.0,
        };
        match self.vocab.units.get(code).and_then(|u| u.one.as_ref()) {
            Some(one) if singular => one.get(lang),
            _ => self.unit_label(code, lang),
        }
    }

    /// The label of unit `code` in `lang` (the code itself if unknown).
    pub fn unit_label<'a>(&'a self, code: &'a str, lang: Lang) -> &'a str {
        self.vocab.units.get(code).map_or(code, |u| u.label.get(lang))
    }
}

#[cfg(test)]
mod tests {
    use super::{is_version, version_lt};

    #[test]
    fn versions_compare_as_numbers() {
        assert!(version_lt("2026.1", "2026.2"));
        assert!(version_lt("2026.2", "2026.10"));
        assert!(version_lt("2025.9", "2026.1"));
        assert!(!version_lt("2026.2", "2026.2"));
        assert!(!version_lt("2026.2", "2026.1"));
        assert!(is_version("2026.2") && is_version("2026.10.1"));
        for bad in ["2026", "2026.", "v2026.2", "2026.x", "", "2026..1"] {
            assert!(!is_version(bad), "{bad}");
        }
    }
}
