//! `hrcities compute`: indicator values, scores, aggregates, trends, campaign progress and
//! data quality for every return in the store, exported as CSV, Parquet and XLSX.

use std::path::PathBuf;

use super::manifest::Done;
use super::{GlobalArgs, Outcome, StoreArgs};
use crate::compute::{compute, write_results_in, Method};
use crate::i18n::trf;
use crate::store::Store;

/// Compute indicators, scores, aggregates and campaign progress from the store.
///
/// Uses the current return of every city and year in the store. Writes, in DIR/data/:
/// indicators, scores, aggregates, campaign, quality, responses, the breakdowns
/// (indicators_by_group, disaggregation_status, group_aggregates) and the UN
/// recommendations and their follow-up (recommendations, recommendation_followup) as .csv
/// and .parquet (column names as codes, for programs); hrcities-data.xlsx with a sheet per
/// table, for people, in --lang (a first sheet explaining the others, column names above
/// their codes, indicator and right titles beside their ids, numbers shown rounded);
/// method.json with the method's parameters; and datapackage.json, a Frictionless Data
/// package describing every table (fields, types, units, allowed values, keys;
/// descriptions in en, es and fr).
///
/// With --public, the tables go to DIR/public/ instead, ready to publish: without the
/// contact person and e-mail address, the comments, who answered each question, the
/// returns' file names and the practices of governments that did not agree to share them
/// (e-mail addresses and contact names are also removed from the texts kept), with the
/// data's licence (LICENSE.txt, and in datapackage.json) and a data dictionary
/// (dictionary.csv). `hrcities site` publishes the same tables.
///
/// Examples:
///   hrcities compute --out results
///   hrcities compute --store campaign-2026 --out results
///   hrcities compute --region latin_america --year 2026 --out results-latam
///   hrcities compute --public --out results
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The output folder (made if needed).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Only the governments of this UCLG region (africa, asia_pacific, eurasia, europe,
    /// latin_america, middle_east_west_asia, north_america).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Only the returns of this year and earlier (the campaign as it stood that year;
    /// earlier returns give the changes).
    #[arg(long, value_name = "YEAR")]
    pub year: Option<i32>,
    /// Only the returns the campaign accepted (`hrcities store review … --status accepted`).
    #[arg(long)]
    pub accepted_only: bool,
    /// Write the public tables to DIR/public/ (nothing personal; see above).
    #[arg(long)]
    pub public: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Runs `hrcities compute`.
pub fn run(args: &Args, global: &GlobalArgs) -> anyhow::Result<Done> {
    let fw = global.framework()?;
    let cut = crate::charts::Cut {
        region: args.region.clone(),
        year: args.year,
        accepted_only: args.accepted_only,
    };
    cut.check(&fw, global.lang()).map_err(anyhow::Error::msg)?;
    let ds = cut.dataset(&Store::open(&args.store.store)?, &fw)?;
    let method = Method::default();
    let results = compute(&fw, &ds, &method)?;
    let dir = args.out.join(if args.public { "public" } else { "data" });
    let results = if args.public {
        let public = results.into_public(&fw)?;
        crate::compute::write_public(&public, &method, &dir, Some(global.lang()))?;
        public
    } else {
        write_results_in(&results, &method, &dir, global.lang())?;
        results
    };
    let status = results.indicators.column("status")?.str()?.clone();
    let ok = status.iter().filter(|s| *s == Some("ok")).count();
    let returns = ds.returns.len();
    global.say(trf(
        global.lang(),
        "cli.compute_done",
        &[
            ("returns", &returns),
            ("values", &results.indicators.height()),
            ("ok", &ok),
            ("out", &dir.display()),
        ],
    ))?;
    Ok(Done::new(Outcome::Success)
        .count("returns", returns)
        .count("indicator_values", results.indicators.height())
        .count("indicator_values_ok", ok))
}
