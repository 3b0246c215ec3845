//! `hrcities site`: the campaign's static web site.

use std::path::PathBuf;

use super::manifest::Done;
use super::{GlobalArgs, Outcome, StoreArgs};
use crate::charts::Cut;
use crate::compute::{compute, Method};
use crate::i18n::{trf, Lang};
use crate::store::Store;

/// Write the campaign's web site: plain HTML, CSS and SVG that work from a folder, a USB
/// stick or any static host, in English, Spanish and French.
///
/// Writes DIR/site/ (a site hrcities wrote there before is replaced):
///   index.html                 the way into each language
///   en/ es/ fr/                the campaign, each right, each indicator, each government,
///                              the methodology, the data and a search page
///   downloads/hrcities-data.zip  the public tables (as `compute --public`), every year,
///                              as CSV and Parquet, with datapackage.json, dictionary.csv
///                              and LICENSE.txt
///   downloads/data/            each table's Parquet file, the dictionary, the licence and
///                              the year's tables in a workbook (hrcities-data-YEAR.xlsx)
///   downloads/indicators/      each indicator's values (CSV); downloads/rights/ each
///                              right's scores (CSV)
///   downloads/reports/         the PDFs of DIR/reports/, when there are any
/// Nothing personal is published: no contact name or e-mail address, no comment, no file
/// name. Governments are listed by region and name, never ranked. Open
/// DIR/site/index.html in a browser, or copy DIR/site/ to any web host.
/// When DIR/data/ holds the tables `compute` or `run` wrote from the store as it stands,
/// the pages are made from them (in far less memory); otherwise they are computed first.
///
/// Examples:
///   hrcities site --out results
///   hrcities site --store campaign-2026 --out results --templates my-templates
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The output folder (the site goes to DIR/site/; PDFs in DIR/reports/ are published).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The reporting year the pages show (default: the latest).
    #[arg(long, value_name = "YEAR")]
    pub year: Option<i32>,
    /// Only the returns the campaign accepted (`hrcities store review … --status accepted`).
    #[arg(long)]
    pub accepted_only: bool,
    /// Use the site templates, site.css and site.js in DIR instead of the built-in ones of
    /// the same name (start from `hrcities templates export DIR`).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Runs `hrcities site`.
pub fn run(args: &Args, global: &GlobalArgs) -> anyhow::Result<Done> {
    let fw = global.framework()?;
    let lang = global.lang();
    let store = Store::open(&args.store.store)?;
    let method = Method::default();
    // The tables `compute` or `run` wrote to DIR/data, when they are the store's as it
    // stands: the site then needs no computation, and far less memory.
    let data = args.out.join("data");
    let whole = args.year.is_none() && !args.accepted_only;
    let results = match whole.then(|| crate::site::tables_of(&data, &store, &fw)).flatten() {
        Some(results) => {
            global.say(trf(lang, "cli.site_from_data", &[("dir", &data.display())]))?;
            results
        }
        None => {
            let cut = Cut { region: None, year: args.year, accepted_only: args.accepted_only };
            let ds = cut.dataset(&store, &fw)?;
            if ds.returns.is_empty() {
                anyhow::bail!(trf(lang, "cli.store_empty", &[("store", &store.dir().display())]));
            }
            let years: Vec<i32> = ds.returns.iter().map(|r| r.year).collect();
            if let Some(year) = args.year.filter(|y| !years.contains(y)) {
                let mut known: Vec<i32> = years;
                known.sort_unstable();
                known.dedup();
                let known: Vec<String> = known.iter().map(i32::to_string).collect();
                anyhow::bail!(trf(
                    lang,
                    "cli.site_no_year",
                    &[("year", &year), ("years", &known.join(", "))]
                ));
            }
            compute(&fw, &ds, &method)?
        }
    };
    let reports = args.out.join("reports");
    let opts = crate::site::Options {
        templates: args.templates.clone(),
        year: args.year,
        reports: reports.is_dir().then_some(reports),
        today: crate::store::now_utc().get(..10).unwrap_or_default().to_string(),
    };
    let summary = crate::site::write_site(results, &method, &fw, &args.out, &Lang::ALL, &opts)?;
    global.say(done_line(lang, &summary))?;
    Ok(Done::new(Outcome::Success).count("pages", summary.pages))
}

/// "312 pages written to …/site (4.1 MB, PDFs 12.3 MB more): open …/site/index.html".
pub fn done_line(lang: Lang, s: &crate::site::Summary) -> String {
    let mb = |b: u64| crate::i18n::format_number(b as f64 / 1e6, 1, lang);
    trf(
        lang,
        "cli.site_done",
        &[
            ("n", &s.pages),
            ("dir", &s.dir.display()),
            ("mb", &mb(s.bytes)),
            ("pdf", &mb(s.pdf_bytes)),
            ("index", &s.dir.join("index.html").display()),
        ],
    )
}
