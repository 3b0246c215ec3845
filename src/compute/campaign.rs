//! Campaign progress: governments committed to the campaign per year, cumulative, against
//! the milestones 10, 100 and 1,000, with a projection to 2030 at the recent pace, beside the
//! governments that returned a questionnaire each year.
//!
//! A government counts as committed from the year it pledged, as the campaign's pledge
//! register says (`hrcities pledges import`); a government the register does not list
//! counts from the `joined_campaign` date of its latest return that gives one, else from
//! the first year it returned a questionnaire (returning one is taking part). A government
//! whose pledge the register says was withdrawn is not counted at all, in any year: the
//! register keeps no date of withdrawal, and a campaign's count of committed governments
//! should not include one that has left.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::dataset::Dataset;
use super::Method;

/// The columns of the campaign table, in order (documented in README).
pub const COLUMNS: [&str; 7] =
    ["year", "kind", "new_commitments", "cumulative", "pace", "milestones_passed", "reporting"];

/// One year of the campaign table.
#[derive(Clone, Debug, PartialEq)]
pub struct Year {
    pub year: i32,
    /// `observed` or `projected`.
    pub projected: bool,
    /// Governments that committed that year (observed years only).
    pub new_commitments: Option<u32>,
    /// Governments committed by the end of the year (projected: at the recent pace).
    pub cumulative: f64,
    /// The yearly pace a projection uses.
    pub pace: Option<f64>,
    /// Milestones first reached that year.
    pub milestones: Vec<u32>,
}

/// Where the year a government committed comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// The pledge date of the campaign's pledge register.
    Register,
    /// The `joined_campaign` date of its latest return that gives one.
    JoinedCampaign,
    /// The first year it returned a questionnaire (neither of the above).
    FirstReturn,
}

/// The year a government committed, and where that year comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Commitment {
    pub year: i32,
    pub source: Source,
}

/// Every government committed to the campaign (see the module's documentation), by id.
pub fn commitments(ds: &Dataset) -> BTreeMap<String, Commitment> {
    let mut out: BTreeMap<String, Commitment> = BTreeMap::new();
    let withdrawn: std::collections::HashSet<&str> =
        ds.pledges.iter().filter(|p| !p.stands()).map(|p| p.government_id.as_str()).collect();
    for p in ds.pledges.iter().filter(|p| p.stands()) {
        if let Some(year) = p.year() {
            out.insert(p.government_id.clone(), Commitment { year, source: Source::Register });
        }
    }
    // The returns, in city then year order: the latest `joined_campaign` wins, else the
    // first year reported.
    let mut joined: BTreeMap<&str, (i32, i32)> = BTreeMap::new();
    let mut first: BTreeMap<&str, i32> = BTreeMap::new();
    for (r, p) in ds.returns.iter().zip(&ds.profiles) {
        let id = r.city_id.as_str();
        let f = first.entry(id).or_insert(r.year);
        *f = (*f).min(r.year);
        if let Some(d) = p.joined_campaign {
            let e = joined.entry(id).or_insert((r.year, d.year));
            if r.year >= e.0 {
                *e = (r.year, d.year);
            }
        }
    }
    for (id, year) in first {
        if out.contains_key(id) || withdrawn.contains(id) {
            continue;
        }
        let c = match joined.get(id) {
            Some(&(_, y)) => Commitment { year: y, source: Source::JoinedCampaign },
            None => Commitment { year, source: Source::FirstReturn },
        };
        out.insert(id.to_string(), c);
    }
    out
}

/// The year each government committed ([`commitments`]).
pub fn commitment_years(ds: &Dataset) -> BTreeMap<String, i32> {
    commitments(ds).into_iter().map(|(k, c)| (k, c.year)).collect()
}

/// How many governments returned a questionnaire for each year.
pub fn reporting(ds: &Dataset) -> BTreeMap<i32, u32> {
    let mut seen: std::collections::BTreeSet<(i32, &str)> = Default::default();
    for r in &ds.returns {
        seen.insert((r.year, r.city_id.as_str()));
    }
    let mut out = BTreeMap::new();
    for (year, _) in seen {
        *out.entry(year).or_default() += 1;
    }
    out
}

/// Campaign progress from the commitment year of each government, up to `last_year` (the
/// latest year the data covers) and projected from there to `method.projection_to`.
///
/// The pace is the mean number of new commitments per year over the last
/// `method.projection_window` observed years (fewer if the campaign is younger).
pub fn progress(commitments: &BTreeMap<String, i32>, last_year: i32, method: &Method) -> Vec<Year> {
    let Some(&first) = commitments.values().min() else { return Vec::new() };
    let last = last_year.max(*commitments.values().max().unwrap_or(&first));
    let mut per_year: BTreeMap<i32, u32> = BTreeMap::new();
    for &y in commitments.values() {
        *per_year.entry(y).or_default() += 1;
    }
    let mut out = Vec::new();
    let mut cumulative = 0u32;
    let passed = |before: f64, after: f64| -> Vec<u32> {
        method
            .milestones
            .iter()
            .copied()
            .filter(|&m| before < m as f64 && after >= m as f64)
            .collect()
    };
    for year in first..=last {
        let new = per_year.get(&year).copied().unwrap_or(0);
        let before = cumulative as f64;
        cumulative += new;
        out.push(Year {
            year,
            projected: false,
            new_commitments: Some(new),
            cumulative: cumulative as f64,
            pace: None,
            milestones: passed(before, cumulative as f64),
        });
    }
    let window = (method.projection_window as i32).min(last - first + 1).max(1);
    let recent: u32 =
        (last - window + 1..=last).map(|y| per_year.get(&y).copied().unwrap_or(0)).sum();
    let pace = recent as f64 / window as f64;
    let mut projected = cumulative as f64;
    for year in last + 1..=method.projection_to {
        let before = projected;
        projected += pace;
        out.push(Year {
            year,
            projected: true,
            new_commitments: None,
            cumulative: projected,
            pace: Some(pace),
            milestones: passed(before, projected),
        });
    }
    out
}

/// The campaign table (columns [`COLUMNS`]) without the governments reporting each year.
pub fn campaign_frame(years: &[Year]) -> PolarsResult<DataFrame> {
    campaign_table(years, &BTreeMap::new())
}

/// The campaign table (columns [`COLUMNS`]), with `reporting`, the governments that
/// returned a questionnaire each year, in the observed years.
pub fn campaign_table(years: &[Year], reporting: &BTreeMap<i32, u32>) -> PolarsResult<DataFrame> {
    DataFrame::new_infer_height(vec![
        Column::new("year".into(), years.iter().map(|y| y.year).collect::<Vec<_>>()),
        Column::new(
            "kind".into(),
            years
                .iter()
                .map(|y| if y.projected { "projected" } else { "observed" })
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "new_commitments".into(),
            years.iter().map(|y| y.new_commitments).collect::<Vec<_>>(),
        ),
        Column::new("cumulative".into(), years.iter().map(|y| y.cumulative).collect::<Vec<_>>()),
        Column::new("pace".into(), years.iter().map(|y| y.pace).collect::<Vec<_>>()),
        Column::new(
            "milestones_passed".into(),
            years
                .iter()
                .map(|y| {
                    (!y.milestones.is_empty()).then(|| {
                        y.milestones.iter().map(u32::to_string).collect::<Vec<_>>().join(";")
                    })
                })
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "reporting".into(),
            years
                .iter()
                .map(|y| (!y.projected).then(|| reporting.get(&y.year).copied().unwrap_or(0)))
                .collect::<Vec<Option<u32>>>(),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commitments(years: &[(i32, u32)]) -> BTreeMap<String, i32> {
        let mut out = BTreeMap::new();
        for &(year, n) in years {
            for i in 0..n {
                out.insert(format!("C{year}-{i}"), year);
            }
        }
        out
    }

    #[test]
    fn counts_milestones_and_projects_the_recent_pace() {
        let method = Method::default();
        // 4 in 2020, 0 in 2021, 8 in 2022, 30 in 2023, 60 in 2024, 90 in 2025.
        let c = commitments(&[(2020, 4), (2022, 8), (2023, 30), (2024, 60), (2025, 90)]);
        let years = progress(&c, 2025, &method);
        let observed: Vec<(i32, Option<u32>, f64)> = years
            .iter()
            .filter(|y| !y.projected)
            .map(|y| (y.year, y.new_commitments, y.cumulative))
            .collect();
        assert_eq!(
            observed,
            vec![
                (2020, Some(4), 4.0),
                (2021, Some(0), 4.0),
                (2022, Some(8), 12.0),
                (2023, Some(30), 42.0),
                (2024, Some(60), 102.0),
                (2025, Some(90), 192.0),
            ]
        );
        let milestone = |m: u32| {
            years.iter().find(|y| y.milestones.contains(&m)).map(|y| (y.year, y.projected))
        };
        assert_eq!(milestone(10), Some((2022, false)));
        assert_eq!(milestone(100), Some((2024, false)));
        // Pace: (30 + 60 + 90) / 3 = 60 a year; 192 + 60 × k ≥ 1000 first when k = 14 → 2039,
        // after 2030, so the projection to 2030 does not reach 1,000.
        assert_eq!(milestone(1000), None);
        let last = years.last().unwrap();
        assert_eq!((last.year, last.cumulative, last.pace), (2030, 492.0, Some(60.0)));
    }

    fn record(city: &str, year: i32) -> crate::store::ReturnRecord {
        crate::store::ReturnRecord {
            sha256: format!("{city}-{year}"),
            seq: 1,
            city_id: city.into(),
            city_name: city.into(),
            year,
            file: format!("{city}-{year}.xlsx"),
            ingested_at: "2027-01-01T00:00:00Z".into(),
            framework_id: "uclg-hrc".into(),
            framework_version: "2026.5".into(),
            template_version: None,
            errors: 0,
            warnings: 0,
            superseded_by: None,
        }
    }

    fn profile(city: &str, joined: Option<i32>) -> crate::compute::dataset::Profile {
        crate::compute::dataset::Profile {
            city_id: city.into(),
            city_name: city.into(),
            country: None,
            region: None,
            government_level: None,
            population: None,
            joined_campaign: joined.and_then(|y| crate::questionnaire::answer::Date::new(y, 6, 1)),
        }
    }

    fn pledge(id: &str, date: &str, status: crate::store::PledgeStatus) -> crate::store::Pledge {
        crate::store::Pledge {
            government_id: id.into(),
            name: id.into(),
            country: "PER".into(),
            region: None,
            government_level: None,
            pledged_on: date.into(),
            status,
            contact_email: None,
            language: None,
            source_file: "pledges.csv".into(),
            source_sha256: "x".into(),
            source_row: 2,
            imported_at: "2027-01-01T00:00:00Z".into(),
            superseded_at: None,
        }
    }

    // See issue 21: pledges count from their date; a reporting government the register does
    // not list counts from its joined_campaign, else its first return; a withdrawn one not
    // at all.
    #[test]
    fn issue_21_pledges_count_with_the_returns_as_a_fallback() {
        use crate::store::PledgeStatus::{Active, Pledged, Withdrawn};
        let ds = Dataset {
            returns: vec![
                record("A", 2025),
                record("A", 2026),
                record("B", 2025),
                record("B", 2026),
                record("C", 2026),
                record("W", 2026),
            ],
            profiles: vec![
                profile("A", Some(2021)),
                profile("A", Some(2024)),
                profile("B", None),
                profile("B", None),
                profile("C", Some(2022)),
                profile("W", Some(2023)),
            ],
            pledges: vec![
                pledge("A", "2022-03-01", Active),
                pledge("P", "2024-11-30", Pledged),
                pledge("Q", "2026-01-15", Pledged),
                pledge("W", "2023-05-05", Withdrawn),
            ],
            ..Dataset::default()
        };
        let c = super::commitments(&ds);
        let got: Vec<(&str, i32, Source)> =
            c.iter().map(|(k, v)| (k.as_str(), v.year, v.source)).collect();
        assert_eq!(
            got,
            [
                ("A", 2022, Source::Register),
                ("B", 2025, Source::FirstReturn),
                ("C", 2022, Source::JoinedCampaign),
                ("P", 2024, Source::Register),
                ("Q", 2026, Source::Register),
            ]
        );
        let reporting = reporting(&ds);
        assert_eq!(reporting.into_iter().collect::<Vec<_>>(), [(2025, 2), (2026, 4)]);
        let years = progress(&commitment_years(&ds), 2026, &Method::default());
        let table = campaign_table(&years, &super::reporting(&ds)).expect("table");
        let column = |name: &str| -> Vec<Option<f64>> {
            let c = table.column(name).expect(name).cast(&DataType::Float64).expect("cast");
            c.f64().expect("f64").iter().take(5).collect()
        };
        // 2022: A, C; 2024: P; 2025: B; 2026: Q.
        assert_eq!(column("cumulative"), [Some(2.0), Some(2.0), Some(3.0), Some(4.0), Some(5.0)]);
        assert_eq!(column("reporting"), [Some(0.0), Some(0.0), Some(0.0), Some(2.0), Some(4.0)]);
        assert_eq!(table.get_column_names(), COLUMNS);
    }

    #[test]
    fn a_young_campaign_uses_the_years_it_has() {
        let method = Method::default();
        let c = commitments(&[(2025, 6)]);
        let years = progress(&c, 2026, &method);
        // Window: 2025–2026 (2 years), 6 commitments → 3 a year.
        assert_eq!(years[1].cumulative, 6.0);
        assert_eq!(years[2].pace, Some(3.0));
        assert_eq!(years.iter().find(|y| y.milestones.contains(&10)).map(|y| y.year), Some(2028));
        assert!(progress(&BTreeMap::new(), 2026, &method).is_empty());
    }
}
