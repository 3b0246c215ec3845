//! Framework versions (Contract 1): the sample returns of 2025 and 2026 were made from the
//! template of framework 2026.1, those of 2027 from the current one (2026.5). Read against
//! it, the earlier ones do not ask the new questions, keep their template's skip logic, and
//! no change is computed across a changed definition; right scores come with a sub-score
//! per kind.

use hrcities::compute::{compute, Dataset, Method};
use hrcities::framework::{load_embedded, version_lt, IndicatorKind};
use hrcities::i18n::Lang;
use hrcities::store::{ResponseStatus, Store};
use polars::prelude::*;

use crate::common::{copy_samples, hrcities};

const CITY: &str = "COL-villa-esperanza-del-sur";

fn results(names: &[&str]) -> (tempfile::TempDir, hrcities::compute::Results, Dataset) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let returns = tmp.path().join("returns");
    copy_samples(&returns, names);
    let store = tmp.path().join("store");
    hrcities().arg("ingest").arg(&returns).arg("--store").arg(&store).assert().code(0);
    let fw = load_embedded(Lang::En).framework;
    let ds = Dataset::load(&Store::open(&store).expect("store"), &fw).expect("dataset");
    let results = compute(&fw, &ds, &Method::default()).expect("compute");
    (tmp, results, ds)
}

fn strs(df: &DataFrame, name: &str) -> Vec<String> {
    df.column(name)
        .expect(name)
        .str()
        .expect("str")
        .iter()
        .map(|s| s.unwrap_or("").into())
        .collect()
}

/// A column of integers (counts, years) as i32, nulls as 0.
fn i32s(df: &DataFrame, name: &str) -> Vec<i32> {
    let c = df.column(name).expect(name).cast(&DataType::Int32).expect("i32");
    c.i32().expect("i32").iter().map(|v| v.unwrap_or(0)).collect()
}

/// A column of booleans, nulls as false.
fn bools(df: &DataFrame, name: &str) -> Vec<bool> {
    df.column(name).expect(name).bool().expect("bool").iter().map(|b| b.unwrap_or(false)).collect()
}

fn f64s(df: &DataFrame, name: &str) -> Vec<Option<f64>> {
    df.column(name)
        .expect(name)
        .cast(&DataType::Float64)
        .expect("f64")
        .f64()
        .expect("f64")
        .iter()
        .collect()
}

#[test]
fn questions_newer_than_a_template_are_not_asked_and_leave_coverage() {
    let fw = load_embedded(Lang::En).framework;
    assert_eq!(fw.version, "2026.5");
    let (_tmp, results, ds) =
        results(&["villa-esperanza-del-sur-2026.xlsx", "villa-esperanza-del-sur-2027.xlsx"]);
    // The template each return was made from is filed with it.
    let versions: Vec<(i32, Option<&str>)> =
        ds.returns.iter().map(|r| (r.year, r.template_version.as_deref())).collect();
    assert_eq!(versions, [(2026, Some("2026.1")), (2027, Some("2026.5"))]);

    // Answers: every question new since 2026.1 is `not_asked` in 2026 and asked in 2027
    // (whose template is 2026.5), the derived follow-up counts included.
    let new: Vec<&str> = fw
        .questions
        .iter()
        .filter(|q| q.since.as_deref().is_some_and(|s| version_lt("2026.1", s)))
        .map(|q| q.id.as_str())
        .collect();
    assert!(new.len() >= 40, "{} new questions", new.len());
    for (r, answers) in ds.returns.iter().zip(&ds.answers) {
        for a in answers.iter().filter(|a| new.contains(&a.question.as_str())) {
            if r.year == 2026 {
                assert_eq!(a.status, ResponseStatus::NotAsked, "{} {}", r.year, a.question);
            } else {
                assert_ne!(a.status, ResponseStatus::NotAsked, "{} {}", r.year, a.question);
            }
        }
    }

    // Indicators: those computed from a new question are `not_asked` in 2026, never in 2027.
    let ind = &results.indicators;
    let (city, id, status) = (strs(ind, "city_id"), strs(ind, "indicator_id"), strs(ind, "status"));
    let year = i32s(ind, "year");
    let uses_new = |i: &str| {
        let i = fw.indicator(i).expect("indicator");
        i.formula.node.questions().iter().any(|q| new.contains(q))
    };
    let mut not_asked = 0;
    for k in 0..ind.height() {
        if city[k] != CITY {
            continue;
        }
        let expected = year[k] == 2026 && uses_new(&id[k]);
        assert_eq!(status[k] == "not_asked", expected, "{} {} {}", year[k], id[k], status[k]);
        not_asked += usize::from(expected);
    }
    assert!(not_asked >= 30, "{not_asked}");

    // Right scores: a right none of whose indicators were asked is `not_asked`, not a gap;
    // elsewhere coverage counts only the indicators the template asked.
    let sc = &results.scores;
    let (right, st) = (strs(sc, "right_id"), strs(sc, "status"));
    let syear = i32s(sc, "year");
    let applicable = i32s(sc, "indicators_applicable");
    for k in 0..sc.height() {
        if syear[k] == 2026 && right[k] == "human_rights_city" {
            assert_eq!(st[k], "not_asked");
            assert_eq!(applicable[k], 0);
        }
        if syear[k] == 2027 && right[k] == "human_rights_city" {
            assert_eq!(
                applicable[k] as usize,
                fw.indicators_of("human_rights_city").count()
                    - not_applicable(&results, 2027, "human_rights_city")
            );
        }
    }
}

/// How many indicators of `right` are `not_applicable` for the city in `year`.
fn not_applicable(results: &hrcities::compute::Results, year: i32, right: &str) -> usize {
    let ind = &results.indicators;
    let (city, r, status) = (strs(ind, "city_id"), strs(ind, "right_id"), strs(ind, "status"));
    let y = i32s(ind, "year");
    (0..ind.height())
        .filter(|&k| {
            city[k] == CITY && y[k] == year && r[k] == right && status[k] == "not_applicable"
        })
        .count()
}

#[test]
fn no_change_is_computed_across_a_changed_definition() {
    let fw = load_embedded(Lang::En).framework;
    let changed: Vec<&str> = fw
        .indicators
        .iter()
        .filter(|i| i.changed.as_ref().is_some_and(|c| c.version == "2026.2"))
        .map(|i| i.id.as_str())
        .collect();
    assert!(changed.contains(&"WRK_I05"), "{changed:?}");
    let (_tmp, results, _) = results(&[
        "villa-esperanza-del-sur-2025.xlsx",
        "villa-esperanza-del-sur-2026.xlsx",
        "villa-esperanza-del-sur-2027.xlsx",
    ]);
    let ind = &results.indicators;
    let (id, year) = (strs(ind, "indicator_id"), i32s(ind, "year"));
    let change = f64s(ind, "change");
    let value = f64s(ind, "value");
    let flag = bools(ind, "definition_changed");
    for k in 0..ind.height() {
        let y = year[k];
        let is_changed = changed.contains(&id[k].as_str());
        // 2026 → 2027 crosses the change; 2025 → 2026 (both 2026.1) does not.
        assert_eq!(flag[k], is_changed && y == 2027, "{} {y}", id[k]);
        if flag[k] {
            assert_eq!(change[k], None, "{} {y}: no change across the definition", id[k]);
            assert!(value[k].is_some(), "{} {y}: the value itself is computed", id[k]);
        }
    }
    // Between two returns of the same template the change is computed as before.
    let k =
        (0..ind.height()).find(|&k| id[k] == "WRK_I05" && year[k] == 2026).expect("WRK_I05 2026");
    assert!(change[k].is_some(), "WRK_I05 2025 → 2026 has a change");
}

#[test]
fn right_scores_come_with_a_sub_score_per_kind() {
    let (_tmp, results, _) = results(&["villa-esperanza-del-sur-2027.xlsx"]);
    let fw = load_embedded(Lang::En).framework;
    let ind = &results.indicators;
    let (id, right) = (strs(ind, "indicator_id"), strs(ind, "right_id"));
    let score = f64s(ind, "score");
    let weight = f64s(ind, "weight");
    let sc = &results.scores;
    let srights = strs(sc, "right_id");
    for kind in IndicatorKind::ALL {
        let k = kind.name();
        let sub = f64s(sc, &format!("{k}_score"));
        let cov = f64s(sc, &format!("{k}_coverage"));
        for (row, r) in srights.iter().enumerate() {
            // The weighted mean of the scores of the right's indicators of that kind.
            let of_kind: Vec<usize> = (0..ind.height())
                .filter(|&j| &right[j] == r && fw.indicator(&id[j]).expect("ind").kind == kind)
                .collect();
            assert!(!of_kind.is_empty(), "{r} has a {k} indicator");
            let (mut num, mut den) = (0.0, 0.0);
            for &j in &of_kind {
                if let Some(s) = score[j] {
                    num += s * weight[j].unwrap_or(1.0);
                    den += weight[j].unwrap_or(1.0);
                }
            }
            if cov[row].is_some_and(|c| c >= 0.5) && den > 0.0 {
                let got = sub[row].expect("a sub-score");
                assert!((got - num / den).abs() < 1e-9, "{r} {k}: {got} vs {}", num / den);
            } else {
                assert_eq!(sub[row], None, "{r} {k}");
            }
        }
    }
}
