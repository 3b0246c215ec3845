//! Indicator values computed in polars over all sample returns at once agree, return by
//! return, with the reference evaluator; no indicator is `ok` where an input it needs was
//! blank.

use std::path::Path;

use hrcities::compute::table::{indicator_values, missing_questions, wide_table, ReturnAnswers};
use hrcities::formula::{self, State};
use hrcities::framework::load_embedded;
use hrcities::i18n::Lang;
use hrcities::store::ResponseStatus;
use hrcities::validate::batch::{check_all, collect};

#[test]
fn polars_indicator_values_agree_with_the_reference_evaluator_on_sample_data() {
    let fw = load_embedded(Lang::En).framework;
    let files = collect(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data")]);
    let results = check_all(&fw, &files, Lang::En);
    let checked: Vec<_> = results.iter().filter_map(|r| r.checked.as_ref()).collect();
    let returns: Vec<ReturnAnswers<'_>> = checked
        .iter()
        .map(|c| ReturnAnswers {
            city_id: c.city_id.as_deref().expect("a city id"),
            year: c.year.expect("a year"),
            answers: &c.answers,
        })
        .collect();
    let wide = wide_table(&fw, &returns).expect("wide table");
    assert_eq!(wide.height(), returns.len());
    let values = indicator_values(&fw, &wide).expect("indicator values");
    assert_eq!(values.height(), returns.len() * fw.indicators.len());

    let city = values.column("city_id").expect("city_id").str().expect("str").clone();
    let year = values.column("year").expect("year").i32().expect("i32").clone();
    let id = values.column("indicator_id").expect("id").str().expect("str").clone();
    let value = values.column("value").expect("value").f64().expect("f64").clone();
    let state = values.column("state").expect("state").i32().expect("i32").clone();
    let mask = values.column("missing").expect("missing").u64().expect("u64").clone();
    let mut ok = 0;
    for row in 0..values.height() {
        let (c, y, i) =
            (city.get(row).expect("c"), year.get(row).expect("y"), id.get(row).expect("i"));
        let ret = returns.iter().find(|r| r.city_id == c && r.year == y).expect("the return");
        let ind = fw.indicator(i).expect("the indicator");
        let want = formula::eval(&ind.formula.node, &|q| {
            ret.answers
                .iter()
                .find(|a| a.question == q)
                .map_or(formula::Answer::Missing, |a| a.formula_answer())
        });
        let got_state = State::from_code(state.get(row).expect("state"));
        assert_eq!(got_state, want.state, "{c} {y} {i}");
        match want.number() {
            Some(x) => {
                let v = value.get(row).expect("a value");
                assert!((v - x).abs() <= 1e-9 * x.abs().max(1.0), "{c} {y} {i}: {v} vs {x}");
                ok += 1;
            }
            None => assert_eq!(value.get(row), None, "{c} {y} {i}"),
        }
        let mut missing = missing_questions(&fw, i, mask.get(row).expect("mask"));
        missing.sort();
        assert_eq!(missing, want.missing.iter().cloned().collect::<Vec<_>>(), "{c} {y} {i}");
        // No indicator is ok where an input it needs was blank.
        if got_state == State::Ok
            && !ind.formula.text.contains("coalesce")
            && !ind.formula.text.contains("count")
            && !ind.formula.text.contains("if(")
        {
            for q in ind.formula.node.questions() {
                let a = ret.answers.iter().find(|a| a.question == q).expect("answer");
                assert_eq!(
                    a.status,
                    ResponseStatus::Answered,
                    "{c} {y} {i} is ok but {q} is {:?}",
                    a.status
                );
            }
        }
    }
    assert!(ok > returns.len() * fw.indicators.len() / 2, "most indicators have values: {ok}");
}
