//! The review gate (issue 21): answers involved in a broken error-level consistency rule
//! are out of the computation until corrected or overridden, and a share outside 0–100 %
//! is never `ok`.

use std::collections::HashSet;
use std::path::Path;

use hrcities::compute::indicators::indicator_table;
use hrcities::compute::{Dataset, Method};
use hrcities::framework::load_embedded;
use hrcities::i18n::Lang;
use hrcities::store::Store;

use crate::common::hrcities;

const VALBRUME: &str = "FRA-valbrume-sur-loirette";

/// HOU_I02's value and status for Valbrume's 2026 return.
fn hou_i02(fw: &hrcities::framework::Framework, ds: &Dataset) -> (Option<f64>, String) {
    let df = indicator_table(fw, ds, &Method::default()).expect("computes");
    let (city, year, ind) = (
        df.column("city_id").unwrap(),
        df.column("year").unwrap(),
        df.column("indicator_id").unwrap(),
    );
    let (value, status) = (df.column("value").unwrap(), df.column("status").unwrap());
    for i in 0..df.height() {
        let s = |c: &polars::prelude::Column| c.get(i).unwrap().get_str().map(String::from);
        if s(city).as_deref() == Some(VALBRUME)
            && year.get(i).unwrap().extract::<i32>() == Some(2026)
            && s(ind).as_deref() == Some("HOU_I02")
        {
            return (value.get(i).unwrap().extract::<f64>(), s(status).unwrap());
        }
    }
    panic!("no HOU_I02 for Valbrume 2026");
}

#[test]
fn a_broken_rule_keeps_its_answers_out_and_an_impossible_share_is_never_ok() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = tmp.path().join("store");
    hrcities()
        .args(["-q", "ingest", "--store"])
        .arg(&store)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data"))
        .output()
        .expect("runs");
    let fw = load_embedded(Lang::En).framework;
    let mut ds = Dataset::load(&Store::open(&store).expect("store"), &fw).expect("loads");
    // Valbrume 2026 says 55 households rehoused of 40 evicted (rule HOU_R01, an error): both
    // answers are kept as written in the responses, but out of the indicator.
    let i = ds.returns.iter().position(|r| r.city_id == VALBRUME && r.year == 2026).unwrap();
    assert_eq!(ds.gated[i], ["HOU_R01"]);
    let row = ds.responses[i].iter().find(|r| r.question_id == "HOU_Q03").unwrap();
    assert_eq!((row.raw.as_str(), row.value_number), ("55", Some(55.0)));
    assert_eq!(hou_i02(&fw, &ds), (None, "missing".to_string()));
    // The other returns break no error rule.
    assert_eq!(ds.gated.iter().filter(|g| !g.is_empty()).count(), 1);

    // Overridden by the analyst, the answers count again: 55 of 40 is 137.5 %, a share that
    // cannot be, so its status says so and it has no value or score.
    let sha = ds.returns[i].sha256.clone();
    ds.override_gate(&fw, &HashSet::from([sha.as_str()]));
    assert!(ds.gated[i].is_empty());
    assert_eq!(hou_i02(&fw, &ds), (None, "out_of_range".to_string()));

    // The analyst's override is a review accepting the return with a note: without a note
    // the gate stays.
    let review = |args: &[&str]| {
        let o = hrcities()
            .args(["store", "review", VALBRUME, "--year", "2026", "--status", "accepted"])
            .args(args)
            .arg("--store")
            .arg(&store)
            .output()
            .expect("runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    review(&[]);
    let ds = Dataset::load(&Store::open(&store).expect("store"), &fw).expect("loads");
    assert_eq!(ds.gated[i], ["HOU_R01"]);
    review(&[
        "--note",
        "Confirmed by the city: 15 households evicted in 2025 were rehoused in 2026.",
    ]);
    let ds = Dataset::load(&Store::open(&store).expect("store"), &fw).expect("loads");
    assert!(ds.gated[i].is_empty());
    assert_eq!(hou_i02(&fw, &ds), (None, "out_of_range".to_string()));
}
