//! What the pages need of each return beyond the computed values — who it is from, which
//! services it says it is responsible for, which answers got a warning — and of each UN
//! recommendation, read from the public tables (`responses`, `recommendations`). The site
//! is made from tables only, so that it can be made from the data folder `compute` wrote,
//! without the store's returns in memory.

use std::collections::HashMap;

use polars::prelude::*;

/// One return.
#[derive(Clone, Debug, Default)]
pub struct Return {
    pub city_name: String,
    /// ISO3 when the answer names a known country, else what was written.
    pub country: Option<String>,
    pub region: Option<String>,
    pub level: Option<String>,
    pub population: Option<f64>,
    /// The services it ticked (`competences`), when it answered that question.
    pub competences: Option<Vec<String>>,
    /// The first diagnostic code of each answer that has one, by question.
    pub codes: HashMap<String, String>,
}

/// A UN recommendation as the pages cite it.
#[derive(Clone, Debug, Default)]
pub struct Recommendation {
    pub symbol: String,
    pub paragraph: Option<String>,
    pub body: String,
}

impl Recommendation {
    /// `A/HRC/55/5, para. 121.37` (or the symbol alone), with `para` in the page's language.
    pub fn citation(&self, para: &str) -> String {
        match &self.paragraph {
            Some(p) if !self.symbol.is_empty() => format!("{}, {para} {p}", self.symbol),
            Some(p) => format!("{para} {p}"),
            None => self.symbol.clone(),
        }
    }
}

/// Every return's facts, by city id and year, and the recommendations by id.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub returns: HashMap<(String, i32), Return>,
    pub recommendations: HashMap<String, Recommendation>,
}

/// The column `name` of `df` as optional strings.
fn strings(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<String>>> {
    Ok(df
        .column(name)?
        .cast(&DataType::String)?
        .str()?
        .iter()
        .map(|s| s.map(String::from))
        .collect())
}

impl Facts {
    /// Reads the facts from the answers table `responses` and the recommendations table
    /// `recommendations` (as `compute` makes them, public or not).
    pub fn read(responses: &DataFrame, recommendations: &DataFrame) -> PolarsResult<Facts> {
        let city = strings(responses, "city_id")?;
        let name = strings(responses, "city_name")?;
        let year = responses.column("year")?.cast(&DataType::Int32)?;
        let year = year.i32()?;
        let question = strings(responses, "question_id")?;
        let raw = strings(responses, "raw")?;
        let text = strings(responses, "value_text")?;
        let status = strings(responses, "status")?;
        let code = strings(responses, "diagnostic_code")?;
        let number = responses.column("value_number")?.cast(&DataType::Float64)?;
        let number = number.f64()?;
        let mut returns: HashMap<(String, i32), Return> = HashMap::new();
        for i in 0..responses.height() {
            let (Some(c), Some(y), Some(q)) = (&city[i], year.get(i), &question[i]) else {
                continue;
            };
            let r = returns.entry((c.clone(), y)).or_default();
            if r.city_name.is_empty() {
                r.city_name = name[i].clone().unwrap_or_default();
            }
            if let Some(code) = &code[i] {
                r.codes.entry(q.clone()).or_insert_with(|| code.clone());
            }
            let answered = status[i].as_deref() == Some("answered");
            let value = || text[i].clone().or_else(|| raw[i].clone()).filter(|t| !t.is_empty());
            match q.as_str() {
                "country" if answered => r.country = value(),
                "region" if answered => r.region = value(),
                "government_level" if answered => r.level = value(),
                "population" if answered => r.population = number.get(i),
                crate::framework::COMPETENCES if answered => {
                    r.competences = Some(
                        value()
                            .unwrap_or_default()
                            .split(';')
                            .filter(|s| !s.is_empty())
                            .map(String::from)
                            .collect(),
                    );
                }
                _ => {}
            }
        }
        let mut recs = HashMap::new();
        if recommendations.height() > 0 {
            let id = strings(recommendations, "recommendation_id")?;
            let symbol = strings(recommendations, "symbol")?;
            let paragraph = strings(recommendations, "paragraph")?;
            let body = strings(recommendations, "body")?;
            for i in 0..recommendations.height() {
                let Some(id) = &id[i] else { continue };
                recs.insert(
                    id.clone(),
                    Recommendation {
                        symbol: symbol[i].clone().unwrap_or_default(),
                        paragraph: paragraph[i].clone().filter(|p| !p.is_empty()),
                        body: body[i].clone().unwrap_or_default(),
                    },
                );
            }
        }
        Ok(Facts { returns, recommendations: recs })
    }
}
