//! `hrcities compute`: indicator values, scores, aggregates, trends, campaign progress and
//! data quality for every return in the store, exported as CSV, Parquet and XLSX.

use std::path::{Path, PathBuf};

use super::manifest::Done;
use super::{GlobalArgs, Outcome, StoreArgs};
use crate::compute::{compute, Dataset, Method, Results};
use crate::framework::Framework;
use crate::i18n::trf;
use crate::store::Store;

/// Compute indicators, scores, aggregates and campaign progress from the store.
///
/// Uses the current return of every city and year in the store. Writes, in DIR/data/:
/// indicators, scores, aggregates, campaign, quality and responses as .csv and .parquet,
/// hrcities-data.xlsx with a sheet per table, and method.json with the method's parameters.
/// The columns are documented in README.
///
/// Examples:
///   hrcities compute --out results
///   hrcities compute --store campaign-2026 --out results
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The output folder (made if needed).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Computes the results of `store` and writes them to `out/data`; returns them.
pub fn compute_and_export(fw: &Framework, store: &Store, out: &Path) -> anyhow::Result<Results> {
    let ds = Dataset::load(store, fw)?;
    let method = Method::default();
    let results = compute(fw, &ds, &method)?;
    export(&results, &method, out)?;
    Ok(results)
}

/// Writes `results` to `out/data`.
pub fn export(results: &Results, method: &Method, out: &Path) -> anyhow::Result<()> {
    use rayon::prelude::*;
    let data = out.join("data");
    std::fs::create_dir_all(&data)?;
    let sheets: Vec<(&str, &polars::frame::DataFrame)> =
        results.tables().into_iter().filter(|(name, _)| *name != "responses").collect();
    // The workbook takes as long as all the CSV and Parquet files: write them side by side.
    let (xlsx, frames) = rayon::join(
        || crate::export::write_xlsx(&data.join("hrcities-data.xlsx"), &sheets),
        || {
            results
                .tables()
                .par_iter()
                .try_for_each(|(name, df)| crate::export::write_frame(&data, name, df))
        },
    );
    xlsx?;
    frames?;
    crate::export::write_atomic(
        &data.join("method.json"),
        serde_json::to_string_pretty(method)?.as_bytes(),
    )?;
    Ok(())
}

/// Runs `hrcities compute`.
pub fn run(args: &Args, global: &GlobalArgs) -> anyhow::Result<Done> {
    let fw = global.framework()?;
    let store = Store::open(&args.store.store)?;
    let results = compute_and_export(&fw, &store, &args.out)?;
    let status = results.indicators.column("status")?.str()?.clone();
    let ok = status.iter().filter(|s| *s == Some("ok")).count();
    let returns = results.responses.column("sha256")?.n_unique()?;
    global.say(trf(
        global.lang(),
        "cli.compute_done",
        &[
            ("returns", &returns),
            ("values", &results.indicators.height()),
            ("ok", &ok),
            ("out", &args.out.join("data").display()),
        ],
    ))?;
    Ok(Done::new(Outcome::Success)
        .count("returns", returns)
        .count("indicator_values", results.indicators.height())
        .count("indicator_values_ok", ok))
}
