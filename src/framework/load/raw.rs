//! The framework files as TOML gives them, with the place of every value (`Spanned`),
//! before they are checked and turned into the model.

use super::*;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawText {
    pub(super) en: Option<String>,
    pub(super) es: Option<String>,
    pub(super) fr: Option<String>,
}

/// Where a right or an indicator comes from: `source = { en, es, fr }` like any text, or,
/// as frameworks before 2026.4 gave it, one string, read as English.
pub(super) enum RawSource {
    English(String),
    Text(RawText),
}

impl RawSource {
    /// Whether it says nothing in any language.
    pub(super) fn is_blank(&self) -> bool {
        let blank = |s: &Option<String>| s.as_ref().is_none_or(|s| s.trim().is_empty());
        match self {
            RawSource::English(s) => s.trim().is_empty(),
            RawSource::Text(t) => blank(&t.en) && blank(&t.es) && blank(&t.fr),
        }
    }
}

impl<'de> Deserialize<'de> for RawSource {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawSource;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a table { en, es, fr } or a string")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<RawSource, E> {
                Ok(RawSource::English(s.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<RawSource, A::Error> {
                let map = serde::de::value::MapAccessDeserializer::new(map);
                RawText::deserialize(map).map(RawSource::Text)
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLabelled {
    pub(super) format: Option<UnitFormat>,
    /// A unit's label for one (`1 person`), when it differs from the plural.
    pub(super) one: Option<S<RawText>>,
    pub(super) body: Option<String>,
    pub(super) en: Option<String>,
    pub(super) es: Option<String>,
    pub(super) fr: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMeta {
    pub(super) id: S<String>,
    pub(super) version: String,
    pub(super) versions: Option<S<Vec<String>>>,
    pub(super) languages: S<Vec<String>>,
    pub(super) title: S<RawText>,
    pub(super) description: S<RawText>,
    #[serde(default)]
    pub(super) unit: BTreeMap<String, S<RawLabelled>>,
    #[serde(default)]
    pub(super) kind: BTreeMap<String, S<RawText>>,
    #[serde(default)]
    pub(super) charter_agenda: BTreeMap<String, S<RawText>>,
    #[serde(default)]
    pub(super) treaty: BTreeMap<String, S<RawLabelled>>,
    #[serde(default)]
    pub(super) body: BTreeMap<String, S<RawText>>,
    #[serde(default)]
    pub(super) upr_theme: BTreeMap<String, S<RawText>>,
    #[serde(default)]
    pub(super) disaggregation: BTreeMap<String, S<RawDimension>>,
    pub(super) left_behind: Option<S<RawLeftBehind>>,
    #[serde(default)]
    pub(super) uhri_theme: Vec<S<RawUhriTheme>>,
}

/// `[[uhri_theme]]`: a UHRI theme name, its labels, and the rights and indicators it bears on.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawUhriTheme {
    pub(super) name: S<String>,
    pub(super) en: Option<String>,
    pub(super) es: Option<String>,
    pub(super) fr: Option<String>,
    #[serde(default)]
    pub(super) rights: Vec<S<String>>,
    #[serde(default)]
    pub(super) indicators: Vec<S<String>>,
}

/// `[disaggregation.sex]`: a dimension, its label, its categories and reference category, or
/// `city_named = true` with the number of blank rows the workbook gives it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDimension {
    pub(super) en: Option<String>,
    pub(super) es: Option<String>,
    pub(super) fr: Option<String>,
    #[serde(default)]
    pub(super) categories: Vec<S<RawChoice>>,
    pub(super) reference: Option<S<String>>,
    #[serde(default)]
    pub(super) city_named: bool,
    pub(super) rows: Option<u32>,
}

/// `[left_behind]`: how much worse than the reference group a group must be to be flagged.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLeftBehind {
    pub(super) relative: f64,
    pub(super) points: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    pub(super) right: Option<S<RawRight>>,
    pub(super) profile: Option<S<RawProfile>>,
    #[serde(default)]
    pub(super) question: Vec<S<RawQuestion>>,
    #[serde(default)]
    pub(super) indicator: Vec<S<RawIndicator>>,
    #[serde(default)]
    pub(super) rule: Vec<S<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawProfile {
    pub(super) title: S<RawText>,
    pub(super) summary: S<RawText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRight {
    pub(super) id: S<String>,
    pub(super) order: i64,
    pub(super) title: S<RawText>,
    pub(super) short_title: Option<S<RawText>>,
    pub(super) summary: S<RawText>,
    #[serde(default)]
    pub(super) charter_agenda: Vec<S<String>>,
    #[serde(default)]
    pub(super) treaty: Vec<S<String>>,
    #[serde(default)]
    pub(super) general_comment: Vec<S<String>>,
    pub(super) source: Option<S<RawSource>>,
    #[serde(default)]
    pub(super) attribute: Vec<S<RawAttribute>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAttribute {
    pub(super) id: S<String>,
    pub(super) title: S<RawText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawQuestion {
    pub(super) id: S<String>,
    pub(super) attribute: Option<S<String>>,
    #[serde(rename = "type")]
    pub(super) qtype: QuestionType,
    #[serde(default)]
    pub(super) required: bool,
    pub(super) text: S<RawText>,
    pub(super) help: Option<S<RawText>>,
    pub(super) unit: Option<S<String>>,
    pub(super) min: Option<f64>,
    pub(super) max: Option<f64>,
    pub(super) relevant: Option<S<String>>,
    #[serde(default)]
    pub(super) disaggregation: Vec<S<String>>,
    #[serde(default)]
    pub(super) choices: Vec<S<RawChoice>>,
    pub(super) since: Option<S<String>>,
    pub(super) changed: Option<S<RawChange>>,
    pub(super) asked_before: Option<S<RawAskedBefore>>,
    pub(super) derived: Option<S<String>>,
    pub(super) plausible: Option<S<Plausible>>,
    pub(super) dated_by: Option<S<String>>,
    pub(super) competence: Option<S<String>>,
    #[serde(default)]
    pub(super) personal: bool,
}

/// `changed = { version = "2026.2", what = { en, es, fr } }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawChange {
    pub(super) version: S<String>,
    pub(super) what: S<RawText>,
}

/// `asked_before = { version = "2026.2", relevant = "…" }`: before `version`, the question
/// was asked only when `relevant` held.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAskedBefore {
    pub(super) version: S<String>,
    pub(super) relevant: S<String>,
}

/// `sdg_when = [{ code = "1.2.1", when = "…" }]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSdgWhen {
    pub(super) code: S<String>,
    pub(super) when: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawChoice {
    pub(super) code: S<String>,
    pub(super) label: S<RawText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIndicator {
    pub(super) id: S<String>,
    pub(super) title: S<RawText>,
    pub(super) definition: Option<S<RawText>>,
    pub(super) kind: IndicatorKind,
    pub(super) attribute: Option<S<String>>,
    pub(super) formula: S<String>,
    pub(super) unit: S<String>,
    pub(super) direction: Direction,
    pub(super) goalposts: Option<S<Goalposts>>,
    pub(super) target: Option<f64>,
    pub(super) weight: Option<S<f64>>,
    #[serde(default)]
    pub(super) sdg: Vec<S<String>>,
    #[serde(default)]
    pub(super) sdg_related: Vec<S<String>>,
    #[serde(default)]
    pub(super) sdg_when: Vec<S<RawSdgWhen>>,
    #[serde(default)]
    pub(super) treaty: Vec<S<String>>,
    #[serde(default)]
    pub(super) general_comment: Vec<S<String>>,
    #[serde(default)]
    pub(super) charter_agenda: Vec<S<String>>,
    #[serde(default)]
    pub(super) upr_themes: Vec<S<String>>,
    pub(super) source: Option<S<RawSource>>,
    pub(super) since: Option<S<String>>,
    pub(super) changed: Option<S<RawChange>>,
    pub(super) plausible: Option<S<Plausible>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRule {
    pub(super) id: S<String>,
    pub(super) left: S<String>,
    pub(super) op: S<String>,
    pub(super) right: S<String>,
    #[serde(default = "default_severity")]
    pub(super) severity: Severity,
    #[serde(default = "default_missing")]
    pub(super) missing: MissingStrategy,
    pub(super) message: S<RawText>,
}

pub(super) fn default_severity() -> Severity {
    Severity::Error
}

pub(super) fn default_missing() -> MissingStrategy {
    MissingStrategy::SkipIfAnyMissing
}
