//! Campaign progress: governments committed to the campaign per year (from the profile's
//! `joined_campaign`), cumulative, against the milestones 10, 100 and 1,000, with a
//! projection to 2030 at the recent pace.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::dataset::Dataset;
use super::Method;

/// The columns of the campaign table, in order (documented in README).
pub const COLUMNS: [&str; 6] =
    ["year", "kind", "new_commitments", "cumulative", "pace", "milestones_passed"];

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

/// The year each government committed: the `joined_campaign` of its latest return that
/// gives one.
pub fn commitment_years(ds: &Dataset) -> BTreeMap<String, i32> {
    let mut out: BTreeMap<String, (i32, i32)> = BTreeMap::new();
    for (r, p) in ds.returns.iter().zip(&ds.profiles) {
        if let Some(d) = p.joined_campaign {
            let e = out.entry(r.city_id.clone()).or_insert((r.year, d.year));
            if r.year >= e.0 {
                *e = (r.year, d.year);
            }
        }
    }
    out.into_iter().map(|(k, (_, y))| (k, y)).collect()
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

/// The campaign table (columns [`COLUMNS`]).
pub fn campaign_frame(years: &[Year]) -> PolarsResult<DataFrame> {
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
