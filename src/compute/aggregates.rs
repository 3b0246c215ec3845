//! Aggregates: the distribution of each indicator and right score across cities, per year,
//! overall and per UCLG region, level of government and population class. Each city counts
//! once (its own return of that year; carried-forward values are left out).

use polars::prelude::*;

use super::Method;

/// The columns of the aggregates table, in order (documented in README).
pub const COLUMNS: [&str; 16] = [
    "year",
    "group_by",
    "group",
    "measure",
    "measure_id",
    "right_id",
    "n_applicable",
    "n",
    "mean",
    "median",
    "q1",
    "q3",
    "min",
    "max",
    "n_yes",
    "share_yes",
];

/// The groupings, as (`group_by` name, column).
pub const GROUPINGS: [(&str, Option<&str>); 4] = [
    ("overall", None),
    ("region", Some("region")),
    ("government_level", Some("government_level")),
    ("population_class", Some("population_class")),
];

fn stats(x: &str, method: &Method) -> Vec<Expr> {
    let q = |p: f64| col(x).quantile(lit(p), method.quantile_method());
    vec![
        len().cast(DataType::UInt32).alias("n_applicable"),
        col(x).count().cast(DataType::UInt32).alias("n"),
        col(x).mean().alias("mean"),
        col(x).median().alias("median"),
        q(0.25).alias("q1"),
        q(0.75).alias("q3"),
        col(x).min().alias("min"),
        col(x).max().alias("max"),
    ]
}

/// Aggregates of the indicator values (`measure = indicator`) and right scores
/// (`measure = right`). `n_applicable` counts the cities to which the measure applies, `n`
/// those with a value; for yes/no indicators `n_yes` counts the cities answering yes and
/// `share_yes` is `n_yes / n`.
pub fn aggregates(
    indicators: LazyFrame,
    scores: LazyFrame,
    method: &Method,
) -> PolarsResult<LazyFrame> {
    let indicators = indicators.filter(col("carried_forward").not().and(super::applicable()));
    let scores = scores.filter(col("carried_forward").not().and(super::applicable()));
    let mut frames = Vec::new();
    for (rank, (name, column)) in GROUPINGS.into_iter().enumerate() {
        let group = match column {
            Some(c) => col(c).fill_null(lit("unknown")),
            None => lit("all"),
        };
        let mut agg = stats("value", method);
        agg.push(col("yes_no").first().alias("yes_no"));
        agg.push(col("value").eq(lit(1.0)).cast(DataType::UInt32).sum().alias("n_yes"));
        frames.push(
            indicators
                .clone()
                .with_column(group.clone().alias("group"))
                .group_by([
                    col("year"),
                    col("group"),
                    col("indicator_id"),
                    col("right_id"),
                    col("order"),
                ])
                .agg(agg)
                .with_columns([
                    lit(name).alias("group_by"),
                    lit(rank as u32).cast(DataType::UInt32).alias("grouping"),
                    lit("indicator").alias("measure"),
                    col("indicator_id").alias("measure_id"),
                    when(col("yes_no"))
                        .then(col("n_yes"))
                        .otherwise(lit(NULL).cast(DataType::UInt32))
                        .alias("n_yes"),
                    when(col("yes_no").and(col("n").gt(lit(0))))
                        .then(
                            col("n_yes").cast(DataType::Float64) / col("n").cast(DataType::Float64),
                        )
                        .otherwise(lit(NULL).cast(DataType::Float64))
                        .alias("share_yes"),
                ])
                .select(select_with_order()),
        );
        frames.push(
            scores
                .clone()
                .with_column(group.alias("group"))
                .group_by([col("year"), col("group"), col("right_id")])
                .agg(stats("score", method))
                .with_columns([
                    lit(name).alias("group_by"),
                    lit(rank as u32).cast(DataType::UInt32).alias("grouping"),
                    lit("right").alias("measure"),
                    col("right_id").alias("measure_id"),
                    lit(NULL).cast(DataType::UInt32).alias("n_yes"),
                    lit(NULL).cast(DataType::Float64).alias("share_yes"),
                    lit(u32::MAX).cast(DataType::UInt32).alias("order"),
                ])
                .select(select_with_order()),
        );
    }
    Ok(concat(frames, UnionArgs::default())?.sort(
        ["year", "grouping", "group", "measure", "right_id", "order"],
        SortMultipleOptions::default(),
    ))
}

fn select_with_order() -> Vec<Expr> {
    let mut s: Vec<Expr> = COLUMNS.iter().map(|c| col(*c)).collect();
    s.push(col("order"));
    s.push(col("grouping"));
    s
}
