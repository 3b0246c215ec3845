//! `hrcities charts`: the campaign's and the cities' charts, as SVG and PNG.

use std::path::PathBuf;

use super::manifest::Done;
use super::{GlobalArgs, Outcome, StoreArgs};
use crate::charts::{
    city_charts, published_charts, source_line, write_charts, Cut, Labels, PngSet, Prepared,
};
use crate::compute::Method;
use crate::i18n::trf;
use crate::store::Store;

/// Draw the charts of the campaign and of each city, as SVG (and PNG), in --lang.
///
/// Without --city: campaign progress toward 10 / 100 / 1,000 governments, data quality per
/// right and per region, the heatmap of cities × rights, the median scores by kind of
/// indicator, which breakdowns governments report, the follow-up of UN recommendations by
/// theme and by mechanism, the distribution of every indicator across cities, and each
/// city's right scores (also by kind), trends, groups against their reference and
/// follow-up of UN recommendations.
/// With --city: that city's charts, and every indicator with the city highlighted among
/// the others.
/// Charts go to DIR/charts/; PNGs are drawn with the fonts embedded in hrcities.
///
/// Examples:
///   hrcities charts --out results
///   hrcities charts --lang fr --out results --city SEN-port-aurore
///   hrcities charts --out results --region africa --year 2026
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The output folder (charts go to DIR/charts/).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Only this city's charts (its id, as `hrcities store list` shows it).
    #[arg(long, value_name = "ID")]
    pub city: Option<String>,
    /// The reporting year of the campaign charts (default: the latest); later returns are
    /// left out.
    #[arg(long, value_name = "YEAR")]
    pub year: Option<i32>,
    /// Only the governments of this UCLG region (africa, asia_pacific, eurasia, europe,
    /// latin_america, middle_east_west_asia, north_america); charts go to
    /// DIR/charts/<region>/.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Which charts also get a PNG: all, campaign or none (default: campaign; all with
    /// --city). Every chart is written as SVG.
    #[arg(long, value_name = "WHICH")]
    pub png: Option<PngSet>,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Runs `hrcities charts`.
pub fn run(args: &Args, global: &GlobalArgs) -> anyhow::Result<Done> {
    let fw = global.framework()?;
    let lang = global.lang();
    let cut = Cut { region: args.region.clone(), year: args.year, accepted_only: false };
    cut.check(&fw, lang).map_err(anyhow::Error::msg)?;
    let Prepared { ds, data, .. } =
        Prepared::load_cut(&Store::open(&args.store.store)?, &fw, Method::default(), &cut)?;
    let labels = Labels { fw: &fw, lang };
    let today = crate::store::now_utc().get(..10).unwrap_or_default().to_string();
    let year = args.year.or_else(|| data.years().last().copied()).unwrap_or(0);
    let charts = match &args.city {
        Some(city) => {
            let Some(id) =
                ds.returns.iter().map(|r| &r.city_id).find(|id| id.eq_ignore_ascii_case(city))
            else {
                let mut known: Vec<&str> = ds.returns.iter().map(|r| r.city_id.as_str()).collect();
                known.dedup();
                anyhow::bail!(trf(
                    lang,
                    "cli.store_no_city",
                    &[("city", city), ("known", &known.join(", "))]
                ));
            };
            let line = source_line(lang, &today);
            let charts = city_charts(&data, labels, id, Some(year));
            charts.into_iter().map(|c| c.published(lang, &line)).collect()
        }
        None => {
            let mut langs = global.lang.clone();
            langs.dedup();
            published_charts(&data, &fw, &ds, year, &langs, &today)
        }
    };
    let dir = match &args.region {
        Some(r) => args.out.join("charts").join(crate::charts::file_part(r)),
        None => args.out.join("charts"),
    };
    let png = args.png.unwrap_or(if args.city.is_some() { PngSet::All } else { PngSet::Campaign });
    write_charts(&charts, &dir, png)?;
    global.say(trf(lang, "cli.charts_done", &[("n", &charts.len()), ("dir", &dir.display())]))?;
    Ok(Done::new(Outcome::Success).count("charts", charts.len()))
}
