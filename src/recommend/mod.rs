//! UN recommendations (Contract 6): imported from exports of OHCHR's Universal Human Rights
//! Index (UHRI) or a plain CSV, kept in the store under the source's own ids, linked to
//! the framework's rights and indicators, and followed up by each city in its workbook.
//!
//! - [`import`] reads an export (`.xlsx`, `.xls`, `.ods`, `.csv`) into [`Recommendation`]s,
//!   with a diagnostic per bad row;
//! - [`registry`] keeps them in the store (`recommendations.parquet`), upserting by id;
//! - [`links`] ties each one to rights (by UHRI theme, through the framework's crosswalk)
//!   and to indicators (by SDG target), keeping the reason.

pub mod import;
pub mod links;
pub mod registry;

use serde::Serialize;

pub use import::{import_file, Import, RowProblem};
pub use links::{link, Link, Via};
pub use registry::{Registry, Upsert};

/// The kind of UN mechanism a recommendation comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mechanism {
    /// The Universal Periodic Review.
    Upr,
    /// A treaty body (its concluding observations).
    TreatyBody,
    /// A special procedure (special rapporteur, independent expert, working group).
    SpecialProcedure,
    /// Anything else (a national tracking database's own category, …).
    #[default]
    Other,
}

impl Mechanism {
    /// Every mechanism, in the order reports list them.
    pub const ALL: [Mechanism; 4] =
        [Mechanism::Upr, Mechanism::TreatyBody, Mechanism::SpecialProcedure, Mechanism::Other];

    /// The code stored and exported (`upr`, `treaty_body`, …).
    pub fn code(self) -> &'static str {
        match self {
            Mechanism::Upr => "upr",
            Mechanism::TreatyBody => "treaty_body",
            Mechanism::SpecialProcedure => "special_procedure",
            Mechanism::Other => "other",
        }
    }

    /// The mechanism of a stored code.
    pub fn from_code(code: &str) -> Option<Mechanism> {
        Mechanism::ALL.into_iter().find(|m| m.code() == code)
    }

    /// The key of its label in the messages (`rec.mechanism.upr`, …).
    pub fn key(self) -> String {
        format!("rec.mechanism.{}", self.code())
    }
}

/// The treaty bodies whose concluding observations UHRI holds, by the abbreviation UHRI
/// uses as the recommending body.
pub const TREATY_BODIES: [&str; 11] =
    ["CCPR", "CESCR", "CERD", "CEDAW", "CAT", "SPT", "CRC", "CMW", "CRPD", "CED", "HRC"];

/// One recommendation (or observation) of a UN mechanism about one or more countries.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Recommendation {
    /// The source's id: UHRI's "OHCHR Annotation Id" (a UUID), the plain CSV's `id`, or,
    /// when a row has none, `h-` and the first 16 hex digits of the sha256 of its country,
    /// symbol, paragraph and text.
    pub id: String,
    /// ISO 3166-1 alpha-3 codes of the countries concerned (usually one).
    pub countries: Vec<String>,
    pub mechanism: Mechanism,
    /// The recommending body as the source names it (`UPR`, `CESCR`, `SR on housing`, …).
    pub body: String,
    /// The document symbol (`A/HRC/55/5`, `E/C.12/COL/CO/7`).
    pub symbol: String,
    /// The paragraph in that document (`121.37`), when the source gives it.
    pub paragraph: Option<String>,
    /// The document's publication date, ISO 8601 (`2024-03-28`).
    pub date: Option<String>,
    /// The UHRI annotation type (`Recommendation`, `Concerns/Observations`).
    pub kind: Option<String>,
    /// UHRI themes, as named by UHRI.
    pub themes: Vec<String>,
    /// UHRI affected persons.
    pub affected: Vec<String>,
    /// SDG targets (`1.4`, `11.1`), without their titles.
    pub sdgs: Vec<String>,
    /// For UPR recommendations: `supported` or `noted`.
    pub position: Option<String>,
    /// For UPR recommendations: the recommending states.
    pub recommending_states: Vec<String>,
    /// For UPR recommendations: the Working Group session (`44`).
    pub upr_session: Option<u32>,
    /// The text, in the language it was issued in.
    pub text: String,
    /// The file it was imported from (its name), its sha256 and the row (1-based, as a
    /// spreadsheet shows it).
    pub source_file: String,
    pub source_sha256: String,
    pub source_row: u32,
    /// When it was first imported and when it last changed (RFC 3339, UTC).
    pub imported_at: String,
    pub updated_at: String,
}

impl Recommendation {
    /// The UPR cycle of its session: 1 (sessions 1–12, 2008–2011), 2 (13–26), 3 (27–40),
    /// 4 (41–54, from November 2022); `None` for other mechanisms.
    pub fn upr_cycle(&self) -> Option<u32> {
        let s = self.upr_session?;
        Some(match s {
            0..=12 => 1,
            13..=26 => 2,
            27..=40 => 3,
            _ => 4 + (s - 41) / 14,
        })
    }

    /// The text without the paragraph number it opens with, when that is the paragraph
    /// cited (`121.37 Ensure…` → `Ensure…`, `34. The Committee…` → `The Committee…`), for
    /// a report that prints the citation beside it.
    pub fn text_after_number(&self) -> &str {
        let Some(p) = self.paragraph.as_deref().filter(|p| !p.is_empty()) else {
            return &self.text;
        };
        match self.text.trim_start().strip_prefix(p) {
            Some(rest) if rest.starts_with([' ', '.', ')', ':', '\n', '\t']) => {
                rest.trim_start_matches(['.', ')', ':']).trim_start()
            }
            _ => &self.text,
        }
    }

    /// The recommending states, named in `lang` where hrcities knows the country (UN names
    /// with a parenthesised part too: `Netherlands (Kingdom of the)`), as a list a sentence
    /// can hold: `Sweden and Iceland`, `Suecia e Islandia`.
    pub fn recommended_by(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::{country_code, country_name};
        let name = |s: &String| {
            let short = s.split(" (").next().unwrap_or(s);
            country_code(s)
                .or_else(|| country_code(short))
                .map_or_else(|| s.clone(), |c| country_name(&c, lang))
        };
        let names: Vec<String> = self.recommending_states.iter().map(name).collect();
        crate::i18n::and_list(&names, lang)
    }

    /// How a report cites it: `A/HRC/55/5, para. 121.37` (or the symbol alone).
    pub fn citation(&self, para: &str) -> String {
        match &self.paragraph {
            Some(p) if !self.symbol.is_empty() => format!("{}, {para} {p}", self.symbol),
            Some(p) => format!("{para} {p}"),
            None => self.symbol.clone(),
        }
    }

    /// Whether it concerns country `iso3`.
    pub fn concerns(&self, iso3: &str) -> bool {
        self.countries.iter().any(|c| c.eq_ignore_ascii_case(iso3))
    }

    /// The fields that say what it is (not where or when it was imported): two rows with
    /// the same content are the same recommendation.
    pub fn same_content(&self, other: &Recommendation) -> bool {
        let strip = |r: &Recommendation| Recommendation {
            source_file: String::new(),
            source_sha256: String::new(),
            source_row: 0,
            imported_at: String::new(),
            updated_at: String::new(),
            ..r.clone()
        };
        strip(self) == strip(other)
    }
}

/// The recommendations of `country` that a city's workbook lists, in the order of
/// Contract 6: the latest UPR cycle's and each treaty body's latest concluding
/// observations first, then the rest, newest first; only those linked to the framework.
pub fn for_country<'a>(
    fw: &crate::framework::Framework,
    all: &'a [Recommendation],
    country: &str,
) -> Vec<&'a Recommendation> {
    let mine: Vec<&Recommendation> =
        all.iter().filter(|r| r.concerns(country) && !link(fw, r).is_empty()).collect();
    let latest_session = mine.iter().filter_map(|r| r.upr_session).max();
    let mut latest_co: std::collections::HashMap<&str, &str> = Default::default();
    for r in mine.iter().filter(|r| r.mechanism == Mechanism::TreatyBody) {
        let date = r.date.as_deref().unwrap_or("");
        let e = latest_co.entry(r.body.as_str()).or_insert(date);
        if date > *e {
            *e = date;
        }
    }
    let recent = |r: &Recommendation| match r.mechanism {
        Mechanism::Upr => r.upr_session.is_some() && r.upr_session == latest_session,
        Mechanism::TreatyBody => {
            latest_co.get(r.body.as_str()) == Some(&r.date.as_deref().unwrap_or(""))
        }
        _ => false,
    };
    let mut out = mine;
    out.sort_by(|a, b| {
        recent(b)
            .cmp(&recent(a))
            .then(a.mechanism.cmp(&b.mechanism))
            .then(b.date.cmp(&a.date))
            .then(a.body.cmp(&b.body))
            .then(natural(&a.symbol, &b.symbol))
            .then(natural(
                a.paragraph.as_deref().unwrap_or(""),
                b.paragraph.as_deref().unwrap_or(""),
            ))
            .then(a.id.cmp(&b.id))
    });
    out
}

/// The rows of a city's recommendations sheet for `recs`, with every label in `lang` (the
/// recommendation's own text stays as issued).
pub fn listed(
    fw: &crate::framework::Framework,
    recs: &[&Recommendation],
    lang: crate::i18n::Lang,
) -> Vec<crate::questionnaire::fill::Listed> {
    use crate::i18n::{tr, trf};
    recs.iter()
        .map(|r| {
            let mut reference = r.citation(tr(lang, "rec.para"));
            if let Some(d) = &r.date {
                reference.push_str(&format!("\n{d}"));
            }
            let body = match (r.mechanism, r.upr_cycle()) {
                (Mechanism::Upr, Some(c)) => trf(
                    lang,
                    "rec.upr_cycle",
                    &[("body", &tr(lang, &r.mechanism.key())), ("n", &c)],
                ),
                (Mechanism::Upr, None) => tr(lang, &r.mechanism.key()).to_string(),
                _ => r.body.clone(),
            };
            let themes: Vec<String> =
                r.themes.iter().map(|t| fw.vocab.uhri_label(t, lang)).collect();
            let position = r
                .position
                .as_deref()
                .map(|p| tr(lang, &format!("rec.position.{p}")).to_string())
                .unwrap_or_default();
            crate::questionnaire::fill::Listed {
                id: r.id.clone(),
                reference,
                body,
                themes: themes.join("\n"),
                position,
                recommended_by: r.recommended_by(lang),
                text: r.text.clone(),
            }
        })
        .collect()
}

/// Compares `121.9` before `121.37`: runs of digits by value.
pub fn natural(a: &str, b: &str) -> std::cmp::Ordering {
    let parts = |s: &str| -> Vec<(u64, String)> {
        s.split(|c: char| !c.is_ascii_alphanumeric())
            .map(|p| (p.parse::<u64>().unwrap_or(u64::MAX), p.to_string()))
            .collect()
    };
    parts(a).cmp(&parts(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_paragraph_number_is_not_printed_twice() {
        let rec = |text: &str, para: &str| Recommendation {
            text: text.into(),
            paragraph: Some(para.into()),
            recommending_states: vec!["Spain".into(), "Atlantis".into()],
            ..Recommendation::default()
        };
        assert_eq!(rec("121.37 Ensure water", "121.37").text_after_number(), "Ensure water");
        assert_eq!(rec("34. The Committee", "34").text_after_number(), "The Committee");
        assert_eq!(rec("121.37 Ensure", "121.3").text_after_number(), "121.37 Ensure");
        assert_eq!(rec("1.4 million people", "12").text_after_number(), "1.4 million people");
        let r = rec("x", "1");
        assert_eq!(r.recommended_by(crate::i18n::Lang::Es), "España y Atlantis");
        let dutch = Recommendation {
            recommending_states: vec!["Netherlands (Kingdom of the)".into()],
            ..Recommendation::default()
        };
        assert_eq!(dutch.recommended_by(crate::i18n::Lang::En), "Netherlands");
    }

    #[test]
    fn paragraphs_sort_by_number() {
        assert_eq!(natural("121.9", "121.37"), std::cmp::Ordering::Less);
        assert_eq!(natural("9", "10"), std::cmp::Ordering::Less);
    }
}
