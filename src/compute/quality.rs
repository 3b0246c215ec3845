//! Data quality: how complete the returns are — per city, indicator, right and region, and
//! overall — and how many values are flagged as outliers (flagged, never altered).

use polars::prelude::*;

/// The columns of the quality table, in order (documented in README).
pub const COLUMNS: [&str; 7] = [
    "year",
    "scope",
    "id",
    "indicators_applicable",
    "indicators_with_value",
    "completeness",
    "outliers",
];

/// Completeness of each scope from the indicator table: the share of applicable
/// indicators (status other than `not_applicable`) that have a value, over the cities' own
/// returns (carried-forward values are left out).
pub fn quality(indicators: LazyFrame) -> PolarsResult<LazyFrame> {
    let reported = indicators.filter(col("carried_forward").not());
    let scopes: [(&str, Expr); 5] = [
        ("city", col("city_id")),
        ("indicator", col("indicator_id")),
        ("right", col("right_id")),
        ("region", col("region").fill_null(lit("unknown"))),
        ("overall", lit("all")),
    ];
    let frames: Vec<LazyFrame> = scopes
        .into_iter()
        .enumerate()
        .map(|(rank, (scope, id))| {
            reported
                .clone()
                .with_column(id.alias("id"))
                .group_by([col("year"), col("id")])
                .agg([
                    super::applicable().cast(DataType::UInt32).sum().alias("indicators_applicable"),
                    col("value")
                        .is_not_null()
                        .cast(DataType::UInt32)
                        .sum()
                        .alias("indicators_with_value"),
                    col("outlier").cast(DataType::UInt32).sum().alias("outliers"),
                    col("order").min().alias("order"),
                ])
                .with_columns([
                    lit(scope).alias("scope"),
                    lit(rank as u32).cast(DataType::UInt32).alias("rank"),
                    when(col("indicators_applicable").gt(lit(0)))
                        .then(
                            col("indicators_with_value").cast(DataType::Float64)
                                / col("indicators_applicable").cast(DataType::Float64),
                        )
                        .otherwise(lit(NULL).cast(DataType::Float64))
                        .alias("completeness"),
                ])
        })
        .collect();
    let mut select: Vec<Expr> = COLUMNS.iter().map(|c| col(*c)).collect();
    select.extend([col("rank"), col("order")]);
    let frames: Vec<LazyFrame> = frames.into_iter().map(|f| f.select(&select)).collect();
    Ok(concat(frames, UnionArgs::default())?
        .sort(["year", "rank", "order", "id"], SortMultipleOptions::default())
        .select(COLUMNS.iter().map(|c| col(*c)).collect::<Vec<_>>()))
}
