//! The follow-up of UN recommendations (Contract 6) as tables: `recommendations` (every
//! recommendation imported, with the rights and indicators it is linked to and why) and
//! `recommendation_followup` (one row per return and recommendation the city followed up,
//! with the recommendation's identity beside the city's answers).

use std::collections::HashMap;

use polars::prelude::*;

use super::Dataset;
use crate::framework::Framework;
use crate::recommend::{links, registry, Recommendation};

/// The columns of `recommendation_followup`, in order (documented in README).
pub const COLUMNS: [&str; 25] = [
    "city_id",
    "city_name",
    "country",
    "year",
    "recommendation_id",
    "in_store",
    "mechanism",
    "body",
    "symbol",
    "paragraph",
    "upr_cycle",
    "upr_position",
    "themes",
    "rights",
    "indicators",
    "competence",
    "status",
    "relevant",
    "department",
    "action",
    "source",
    "competence_raw",
    "status_raw",
    "diagnostic_code",
    "cell",
];

/// `recommendations`: every recommendation of the store, with its links.
pub fn recommendation_table(fw: &Framework, ds: &Dataset) -> PolarsResult<DataFrame> {
    registry::frame(&ds.recommendations, Some(fw))
}

/// `recommendation_followup`: every follow-up row of the current returns.
pub fn followup_table(fw: &Framework, ds: &Dataset) -> PolarsResult<DataFrame> {
    // Each recommendation with its links, worked out once (many cities follow up one).
    let by_id: HashMap<&str, (&Recommendation, Vec<links::Link>)> =
        ds.recommendations.iter().map(|r| (r.id.as_str(), (r, links::link(fw, r)))).collect();
    let mut rows: Vec<[Option<String>; 25]> = Vec::new();
    let mut years: Vec<i32> = Vec::new();
    let mut flags: Vec<(bool, bool)> = Vec::new();
    let mut cycles: Vec<Option<u32>> = Vec::new();
    for ((record, profile), followup) in ds.returns.iter().zip(&ds.profiles).zip(&ds.followup) {
        for f in followup {
            let found = by_id.get(f.recommendation_id.as_str());
            let rec = found.map(|(r, _)| *r);
            let linked = found.map_or(&[][..], |(_, l)| l.as_slice());
            let s = |v: &str| Some(v.to_string());
            let rs = |g: &dyn Fn(&Recommendation) -> Option<String>| rec.and_then(g);
            rows.push([
                s(&record.city_id),
                s(&profile.city_name),
                profile.country.clone(),
                None,
                s(&f.recommendation_id),
                None,
                rs(&|r| Some(r.mechanism.code().to_string())),
                rs(&|r| Some(r.body.clone())),
                rs(&|r| Some(r.symbol.clone())),
                rs(&|r| r.paragraph.clone()),
                None,
                rs(&|r| r.position.clone()),
                rs(&|r| Some(r.themes.join("\n"))),
                Some(links::rights(linked).join("\n")),
                Some(links::indicators(linked).join("\n")),
                f.competence.clone(),
                f.status.clone(),
                None,
                f.department.clone(),
                f.action.clone(),
                f.source.clone(),
                s(&f.competence_raw),
                s(&f.status_raw),
                f.diagnostic_code.clone(),
                Some(format!("{}!{}", f.sheet, f.cell)),
            ]);
            years.push(record.year);
            flags.push((rec.is_some(), f.relevant() && rec.is_some()));
            cycles.push(rec.and_then(Recommendation::upr_cycle));
        }
    }
    let mut columns = Vec::with_capacity(COLUMNS.len());
    for (i, name) in COLUMNS.iter().enumerate() {
        let column = match *name {
            "year" => Column::new((*name).into(), years.clone()),
            "in_store" => {
                Column::new((*name).into(), flags.iter().map(|f| f.0).collect::<Vec<_>>())
            }
            "relevant" => {
                Column::new((*name).into(), flags.iter().map(|f| f.1).collect::<Vec<_>>())
            }
            "upr_cycle" => Column::new((*name).into(), cycles.clone()),
            _ => Column::new(
                (*name).into(),
                rows.iter().map(|r| r[i].clone()).collect::<Vec<Option<String>>>(),
            ),
        };
        columns.push(column);
    }
    DataFrame::new_infer_height(columns)
}
