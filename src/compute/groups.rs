//! Who is left behind (Contract 5): indicators computed for the groups of a dimension (women,
//! people aged 65 or over, a neighbourhood), each compared with its reference group (men,
//! 25–64, …; the city as a whole for neighbourhoods), over every city at once.
//!
//! For each dimension, the returns' breakdown answers make one wide table with a row per
//! return and category: the questions that can be broken down by the dimension take the
//! category's answer (missing when the city did not give it), every other question its
//! total. The indicators whose numerator has a question with that dimension are evaluated
//! over it with the same polars expressions as the totals. A group rate needs its
//! denominator broken down too (women's homelessness per 100,000 women): a question only in
//! the denominator never makes a group.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use polars::prelude::*;

use super::dataset::Dataset;
use super::table::{indicator_values_of, missing_names, wide_table, ReturnAnswers};
use crate::formula::{Binary, Func, Kind, Node};
use crate::framework::{Direction, Framework, Indicator, UnitFormat};
use crate::questionnaire::answer::Value;
use crate::store::ResponseStatus;
use crate::validate::Answer;

/// The columns of `indicators_by_group`, in order (documented in README).
pub const COLUMNS: [&str; 15] = [
    "city_id",
    "city_name",
    "year",
    "right_id",
    "indicator_id",
    "dimension",
    "category",
    "value",
    "status",
    "missing_questions",
    "reference_category",
    "reference_value",
    "gap",
    "ratio",
    "left_behind",
];

/// The columns of `disaggregation_status`, in order.
pub const STATUS_COLUMNS: [&str; 8] = [
    "city_id",
    "year",
    "question_id",
    "dimension",
    "expected",
    "reported",
    "categories_expected",
    "categories_reported",
];

/// The columns of `group_aggregates`, in order.
pub const AGGREGATE_COLUMNS: [&str; 10] = [
    "year",
    "indicator_id",
    "dimension",
    "category",
    "reference_category",
    "n",
    "median_gap",
    "min_gap",
    "max_gap",
    "n_left_behind",
];

/// The questions of a formula's numerator: those of `a` in `a / b` and `pct(a, b)`, the
/// branches (not the condition) of `if`, and every question elsewhere.
pub fn numerator_questions(node: &Node) -> BTreeSet<&str> {
    let mut out = BTreeSet::new();
    numerator(node, &mut out);
    out
}

fn numerator<'a>(node: &'a Node, out: &mut BTreeSet<&'a str>) {
    match &node.kind {
        Kind::Question(id) => {
            out.insert(id);
        }
        Kind::Number(_) | Kind::Str(_) => {}
        Kind::Unary(_, a) => numerator(a, out),
        Kind::Binary(Binary::Div, a, _) => numerator(a, out),
        Kind::Binary(_, a, b) => {
            numerator(a, out);
            numerator(b, out);
        }
        Kind::Call(Func::Pct, args) => {
            if let Some(a) = args.first() {
                numerator(a, out);
            }
        }
        Kind::Call(Func::If, args) => {
            for a in args.iter().skip(1) {
                numerator(a, out);
            }
        }
        Kind::Call(_, args) => {
            for a in args {
                numerator(a, out);
            }
        }
    }
}

/// The dimensions an indicator can be computed for: those of its numerator's questions.
pub fn indicator_dimensions<'a>(fw: &'a Framework, ind: &'a Indicator) -> BTreeSet<&'a str> {
    numerator_questions(&ind.formula.node)
        .into_iter()
        .filter_map(|q| fw.question(q))
        .flat_map(|q| q.disaggregation.iter().map(String::as_str))
        .filter(|d| fw.vocab.disaggregations.contains_key(*d))
        .collect()
}

/// The group table (columns [`COLUMNS`]); `totals` is the indicator table, whose values are
/// the reference of dimensions without a reference category.
pub fn group_table(fw: &Framework, ds: &Dataset, totals: &DataFrame) -> PolarsResult<DataFrame> {
    let mut frames: Vec<LazyFrame> = Vec::new();
    for (dim_id, dim) in fw.vocab.disaggregations.iter().filter(|(_, d)| d.usable()) {
        let indicators: Vec<&Indicator> = fw
            .indicators
            .iter()
            .filter(|i| indicator_dimensions(fw, i).contains(dim_id.as_str()))
            .collect();
        if indicators.is_empty() {
            continue;
        }
        // The questions that take the category's answer.
        let broken: Vec<bool> =
            fw.questions.iter().map(|q| q.disaggregation.contains(dim_id)).collect();
        // Each return's categories with at least one usable answer, and those answers.
        let mut keys: Vec<(usize, String)> = Vec::new();
        let mut answers: Vec<Vec<Answer>> = Vec::new();
        for (i, rows) in ds.groups.iter().enumerate() {
            let mut by_category: BTreeMap<&str, HashMap<&str, f64>> = BTreeMap::new();
            for g in rows.iter().filter(|g| &g.dimension == dim_id && g.usable()) {
                if let Some(v) = g.value_number {
                    by_category.entry(&g.category).or_default().insert(&g.question_id, v);
                }
            }
            for (category, values) in by_category {
                let these: Vec<Answer> = ds.answers[i]
                    .iter()
                    .zip(&broken)
                    .map(|(a, broken)| {
                        if !broken
                            || matches!(
                                a.status,
                                ResponseStatus::NotApplicable | ResponseStatus::NotAsked
                            )
                        {
                            return a.clone();
                        }
                        let mut a = a.clone();
                        match values.get(a.question.as_str()) {
                            Some(v) => {
                                a.status = ResponseStatus::Answered;
                                a.value = Some(Value::Number(*v));
                            }
                            None => {
                                a.status = ResponseStatus::Blank;
                                a.value = None;
                            }
                        }
                        a
                    })
                    .collect();
                keys.push((i, category.to_string()));
                answers.push(these);
            }
        }
        if keys.is_empty() {
            continue;
        }
        // The wide table keys rows by a made-up city id: the row's number.
        let ids: Vec<String> = (0..keys.len()).map(|k| k.to_string()).collect();
        let returns: Vec<ReturnAnswers<'_>> = keys
            .iter()
            .zip(&answers)
            .zip(&ids)
            .map(|(((i, _), a), id)| ReturnAnswers {
                city_id: id,
                year: ds.returns[*i].year,
                answers: a,
            })
            .collect();
        let wide = wide_table(fw, &returns)?;
        let mut values = indicator_values_of(fw, &wide, &indicators)?;
        let row: Vec<usize> = values
            .column("city_id")?
            .str()?
            .iter()
            .map(|s| s.and_then(|s| s.parse().ok()).unwrap_or(0))
            .collect();
        let names = missing_names(fw, &values)?;
        let city: Vec<&str> = row.iter().map(|r| ds.returns[keys[*r].0].city_id.as_str()).collect();
        let city_name: Vec<&str> =
            row.iter().map(|r| ds.profiles[keys[*r].0].city_name.as_str()).collect();
        let category: Vec<&str> = row.iter().map(|r| keys[*r].1.as_str()).collect();
        values.with_column(Column::new("city_id".into(), city))?;
        values.with_column(Column::new("city_name".into(), city_name))?;
        values.with_column(Column::new("category".into(), category))?;
        values.with_column(Column::new("missing_questions".into(), names))?;
        let reference = dim.reference.clone();
        frames.push(
            values.lazy().with_columns([
                lit(dim_id.as_str()).alias("dimension"),
                match &reference {
                    Some(r) => lit(r.as_str()),
                    None => lit(NULL).cast(DataType::String),
                }
                .alias("reference_category"),
            ]),
        );
    }
    let meta = indicator_meta(fw)?;
    if frames.is_empty() {
        return empty();
    }
    let all = concat(frames, UnionArgs::default())?.with_columns([
        super::indicators::status_expr().alias("status"),
        when(col("state").eq(lit(0)))
            .then(col("value"))
            .otherwise(lit(NULL).cast(DataType::Float64))
            .alias("value"),
    ]);
    // The reference value: the reference category's, or the total's.
    let by_category = all.clone().select([
        col("city_id"),
        col("year"),
        col("indicator_id"),
        col("dimension"),
        col("category").alias("reference_category"),
        col("value").alias("reference_of_category"),
    ]);
    let total = totals.clone().lazy().filter(col("carried_forward").not()).select([
        col("city_id"),
        col("year"),
        col("indicator_id"),
        col("value").alias("reference_total"),
    ]);
    let on = |cols: &[&str]| cols.iter().map(|c| col(*c)).collect::<Vec<_>>();
    let keys_ref = ["city_id", "year", "indicator_id", "dimension", "reference_category"];
    let keys_total = ["city_id", "year", "indicator_id"];
    let joined = all
        .join(by_category, on(&keys_ref), on(&keys_ref), JoinArgs::new(JoinType::Left))
        .join(total, on(&keys_total), on(&keys_total), JoinArgs::new(JoinType::Left))
        .join(
            meta.lazy(),
            [col("indicator_id")],
            [col("indicator_id")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            when(col("reference_category").is_null())
                .then(col("reference_total"))
                .otherwise(col("reference_of_category"))
                .alias("reference_value"),
        )
        .with_column((col("value") - col("reference_value")).alias("gap"))
        .with_columns([
            when(col("reference_value").neq(lit(0.0)))
                .then(col("value") / col("reference_value"))
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias("ratio"),
            left_behind_expr(fw).alias("left_behind"),
        ]);
    joined
        .sort(["city_id", "year", "order", "dimension", "category"], SortMultipleOptions::default())
        .select(COLUMNS.iter().map(|c| col(*c)).collect::<Vec<_>>())
        .collect()
}

/// One row per indicator: `indicator_id, order, right_id, higher, percent`.
fn indicator_meta(fw: &Framework) -> PolarsResult<DataFrame> {
    let inds = &fw.indicators;
    let percent =
        |unit: &str| fw.vocab.units.get(unit).is_some_and(|u| u.format == UnitFormat::Percent);
    DataFrame::new_infer_height(vec![
        Column::new("indicator_id".into(), inds.iter().map(|i| i.id.as_str()).collect::<Vec<_>>()),
        Column::new("order".into(), (0..inds.len() as u32).collect::<Vec<_>>()),
        Column::new("right_id".into(), inds.iter().map(|i| i.right.as_str()).collect::<Vec<_>>()),
        Column::new(
            "higher".into(),
            inds.iter().map(|i| i.direction == Direction::HigherIsBetter).collect::<Vec<_>>(),
        ),
        Column::new("percent".into(), inds.iter().map(|i| percent(&i.unit)).collect::<Vec<_>>()),
    ])
}

/// Worse than the reference, in the indicator's bad direction, by more than the framework's
/// threshold: points for percentages, a share of the reference otherwise. Null without a
/// value or a reference.
fn left_behind_expr(fw: &Framework) -> Expr {
    let worse = when(col("higher")).then(lit(0.0) - col("gap")).otherwise(col("gap"));
    let threshold = when(col("percent"))
        .then(lit(fw.left_behind.points))
        .otherwise(col("reference_value").abs() * lit(fw.left_behind.relative));
    when(col("gap").is_null())
        .then(lit(NULL).cast(DataType::Boolean))
        .otherwise(worse.gt(threshold))
}

fn empty() -> PolarsResult<DataFrame> {
    let s = |n: &str| Column::new(n.into(), Vec::<String>::new());
    let f = |n: &str| Column::new(n.into(), Vec::<f64>::new());
    DataFrame::new_infer_height(vec![
        s("city_id"),
        s("city_name"),
        Column::new("year".into(), Vec::<i32>::new()),
        s("right_id"),
        s("indicator_id"),
        s("dimension"),
        s("category"),
        f("value"),
        s("status"),
        s("missing_questions"),
        s("reference_category"),
        f("reference_value"),
        f("gap"),
        f("ratio"),
        Column::new("left_behind".into(), Vec::<bool>::new()),
    ])
}

/// Which breakdowns each return was expected to give and which it gave: a row per return,
/// question and dimension the question lists (columns [`STATUS_COLUMNS`]), for the returns'
/// questions that apply.
pub fn status_table(fw: &Framework, ds: &Dataset) -> PolarsResult<DataFrame> {
    let (mut city, mut year, mut question, mut dimension) = (vec![], vec![], vec![], vec![]);
    let (mut reported, mut expected_n, mut reported_n) = (vec![], vec![], vec![]);
    for (i, r) in ds.returns.iter().enumerate() {
        let mut given: HashMap<(&str, &str), BTreeSet<&str>> = HashMap::new();
        for g in ds.groups[i].iter().filter(|g| g.usable()) {
            given.entry((&g.question_id, &g.dimension)).or_default().insert(&g.category);
        }
        for (q, a) in fw.questions.iter().zip(&ds.answers[i]) {
            if q.disaggregation.is_empty()
                || matches!(a.status, ResponseStatus::NotApplicable | ResponseStatus::NotAsked)
            {
                continue;
            }
            for d in &q.disaggregation {
                let Some(dim) = fw.vocab.disaggregations.get(d).filter(|d| d.usable()) else {
                    continue;
                };
                let n = given.get(&(q.id.as_str(), d.as_str())).map_or(0, |s| s.len() as u32);
                city.push(r.city_id.as_str());
                year.push(r.year);
                question.push(q.id.as_str());
                dimension.push(d.as_str());
                reported.push(n > 0);
                expected_n.push((!dim.city_named).then_some(dim.categories.len() as u32));
                reported_n.push(n);
            }
        }
    }
    let n = city.len();
    DataFrame::new_infer_height(vec![
        Column::new("city_id".into(), city),
        Column::new("year".into(), year),
        Column::new("question_id".into(), question),
        Column::new("dimension".into(), dimension),
        Column::new("expected".into(), vec![true; n]),
        Column::new("reported".into(), reported),
        Column::new("categories_expected".into(), expected_n),
        Column::new("categories_reported".into(), reported_n),
    ])
}

/// Across governments, per year, indicator, dimension and category other than the
/// reference: how many governments have a gap, its median and range, and how many are left
/// behind (columns [`AGGREGATE_COLUMNS`]). City-named categories (neighbourhoods) are each
/// city's own and are not aggregated.
pub fn group_aggregates(fw: &Framework, groups: &DataFrame) -> PolarsResult<DataFrame> {
    let fixed: Vec<&str> = fw
        .vocab
        .disaggregations
        .values()
        .filter(|d| !d.city_named)
        .map(|d| d.id.as_str())
        .collect();
    let fixed = Series::new("fixed".into(), fixed);
    groups
        .clone()
        .lazy()
        .filter(
            col("gap")
                .is_not_null()
                .and(col("dimension").is_in(lit(fixed).implode(false), false))
                .and(
                    col("reference_category")
                        .is_null()
                        .or(col("category").neq(col("reference_category"))),
                ),
        )
        .group_by([col("year"), col("indicator_id"), col("dimension"), col("category")])
        .agg([
            col("reference_category").first().alias("reference_category"),
            col("gap").count().cast(DataType::UInt32).alias("n"),
            col("gap").median().alias("median_gap"),
            col("gap").min().alias("min_gap"),
            col("gap").max().alias("max_gap"),
            col("left_behind").cast(DataType::UInt32).sum().alias("n_left_behind"),
        ])
        .sort(["year", "indicator_id", "dimension", "category"], SortMultipleOptions::default())
        .select(AGGREGATE_COLUMNS.iter().map(|c| col(*c)).collect::<Vec<_>>())
        .collect()
}
