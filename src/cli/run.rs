//! `hrcities run RETURNS… --out DIR`: the whole job in one command — validate, ingest,
//! compute, charts, reports, exports — and `hrcities demo`, the same on the sample returns
//! built into hrcities.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use super::manifest::Done;
use super::{GlobalArgs, Outcome};
use crate::charts::{published_charts, PngSet, Prepared};
use crate::compute::{write_results_in, Method};
use crate::framework::Severity;
use crate::i18n::{tr, trf, Lang};
use crate::report::{render_all, write_fonts, Reporter};
use crate::store::{file_results, Store};
use crate::validate::batch::{check_files, collect, json_report, write_csv, write_xlsx};

/// Do the whole job: validate, ingest, compute, charts, reports and exports.
///
/// Reads every return (files or folders), files them in a store inside DIR (or --store),
/// computes indicators, scores, aggregates and campaign progress, and writes, in DIR:
///   validation.xlsx            every problem found, with file, sheet and cell, in --lang
///   validation.csv and .json   the same for programs (the CSV in UTF-8 with a BOM)
///   data/                      indicators, scores, aggregates, … as CSV, Parquet and XLSX
///   charts/                    SVG, and PNG for the campaign's charts (--png)
///   reports/                   a PDF per city and year, the campaign report and the
///                              methodology, in each language of --lang (e.g. en,es,fr)
///   site/                      with --site: the web site, in en, es and fr, with the
///                              public data (as `hrcities site`)
/// Exit status: 0 all well, 1 failure, 3 finished but some returns had errors.
///
/// Examples:
///   hrcities run returns/ --out results
///   hrcities --lang en,es,fr run returns/ --out results --year 2026
///   hrcities run returns/ --out results --recommendations uhri-export.xlsx tracker.csv
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Workbooks or folders of workbooks.
    #[arg(required = true, value_name = "RETURNS")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub options: Options,
}

/// What `run` and `demo` share.
#[derive(Debug, clap::Args)]
pub struct Options {
    /// The output folder.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The store (default: DIR/store).
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Only this reporting year's city reports and the campaign report of that year
    /// (default: every year's city reports, and the latest year's campaign report).
    #[arg(long, value_name = "YEAR")]
    pub year: Option<i32>,
    /// Which charts also get a PNG: all, campaign (the default) or none. Every chart is
    /// written as SVG; each city's charts are also in its report.
    #[arg(long, value_name = "WHICH", default_value = "campaign")]
    pub png: PngSet,
    /// Use the report templates in DIR instead of the built-in ones of the same name (start
    /// from `hrcities templates export DIR`).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Rank the governments in the campaign report by mean right score, with a caveat
    /// (right scores summarise; by default no government is ranked).
    #[arg(long)]
    pub rank: bool,
    /// Compute and report only the returns the campaign accepted (`hrcities store review …
    /// --status accepted`); the others are still checked and filed.
    #[arg(long)]
    pub accepted_only: bool,
    /// Also write the campaign's web site to DIR/site/ (as `hrcities site`), with the
    /// reports' PDFs and the public data; `demo` always does.
    #[arg(long)]
    pub site: bool,
    /// Import these UN recommendation exports into the store first (UHRI Excel or CSV
    /// exports, or a plain CSV; as `hrcities recommendations import`). Give them after the
    /// returns: every file after this option is read as an export.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub recommendations: Vec<PathBuf>,
}

/// Run the whole job on the sample returns built into hrcities, to see what it does.
///
/// Writes the 39 sample returns of 13 fictional cities to DIR/returns/ and the sample UN
/// recommendations (fictional) to DIR/recommendations/, then does what `hrcities run
/// --recommendations` does on them. Some returns carry deliberate errors, so it ends with
/// exit status 3 and a list of what to fix.
///
/// Example:
///   hrcities demo
///   hrcities --lang en,es,fr demo --out my-demo
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct DemoArgs {
    /// The output folder.
    #[arg(long, value_name = "DIR", default_value = "hrcities-demo")]
    pub out: PathBuf,
    /// Which charts also get a PNG: all, campaign (the default) or none.
    #[arg(long, value_name = "WHICH", default_value = "campaign")]
    pub png: PngSet,
}

/// A progress bar on a terminal; nothing elsewhere (the stage's closing line is printed).
fn bar(len: usize, message: String, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(len as u64);
    pb.set_style(
        ProgressStyle::with_template("{msg:24} [{bar:30}] {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb.set_message(message);
    pb
}

/// Seconds, as people read them.
fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

/// Runs `hrcities run`.
pub fn run(args: &Args, global: &GlobalArgs) -> anyhow::Result<Done> {
    run_on(&args.paths, &args.options, global).map(|(done, _)| done)
}

/// Runs `hrcities demo`.
pub fn demo(args: &DemoArgs, global: &GlobalArgs) -> anyhow::Result<Done> {
    let lang = global.lang();
    let returns = args.out.join("returns");
    std::fs::create_dir_all(&returns).with_context(|| global.cannot_make(&returns))?;
    for (name, bytes) in crate::embedded::SAMPLE_FILES {
        crate::export::write_atomic(&returns.join(name), bytes)
            .with_context(|| global.cannot_write(&returns.join(name)))?;
    }
    let recs_dir = args.out.join("recommendations");
    std::fs::create_dir_all(&recs_dir).with_context(|| global.cannot_make(&recs_dir))?;
    let mut recommendations = Vec::new();
    for (name, bytes) in crate::embedded::SAMPLE_RECOMMENDATIONS {
        let path = recs_dir.join(name);
        crate::export::write_atomic(&path, bytes).with_context(|| global.cannot_write(&path))?;
        recommendations.push(path);
    }
    // The sample pledge register (fictional), which the campaign's progress counts.
    let pledges_dir = args.out.join("pledges");
    std::fs::create_dir_all(&pledges_dir).with_context(|| global.cannot_make(&pledges_dir))?;
    let mut pledges = Vec::new();
    for (name, bytes) in crate::embedded::SAMPLE_PLEDGES {
        let path = pledges_dir.join(name);
        crate::export::write_atomic(&path, bytes).with_context(|| global.cannot_write(&path))?;
        pledges.push(path);
    }
    super::pledges::import_into(&pledges, &args.out.join("store"), global)?;
    let options = Options {
        out: args.out.clone(),
        store: None,
        year: None,
        png: args.png,
        templates: None,
        rank: false,
        accepted_only: false,
        site: true,
        recommendations,
    };
    let (done, first) = run_on(std::slice::from_ref(&returns), &options, global)?;
    global.say("")?;
    global.say(tr(lang, "cli.demo_look"))?;
    for (key, path) in first {
        global.say(format_args!("  {:<32} {}", tr(lang, key), path.display()))?;
    }
    Ok(done)
}

/// Does the whole job; returns how it ended and the outputs to look at first.
fn run_on(
    paths: &[PathBuf],
    o: &Options,
    global: &GlobalArgs,
) -> anyhow::Result<(Done, Vec<(&'static str, PathBuf)>)> {
    let lang = global.lang();
    let say = |line: String| global.say(line);
    let fw = global.framework()?;
    let out = &o.out;
    std::fs::create_dir_all(out).with_context(|| global.cannot_make(out))?;
    let store_dir = o.store.clone().unwrap_or_else(|| out.join("store"));
    let mut times: Vec<(&'static str, Duration)> = Vec::new();

    // 0. UN recommendations, which the computation links to the returns' follow-up.
    let recs_ok = o.recommendations.is_empty()
        || super::recommendations::import_into(&o.recommendations, &store_dir, global, false)?
            == Outcome::Success;

    // 1. Validate.
    let t = Instant::now();
    let files = collect(paths);
    if files.is_empty() {
        anyhow::bail!(tr(lang, "cli.validate_no_files").to_string());
    }
    let pb = bar(files.len(), tr(lang, "cli.stage_validate").to_string(), global.quiet);
    let mut results = check_files(&fw, &files, lang, &global.limits(), &|| pb.inc(1));
    pb.finish_and_clear();
    crate::store::compare_with_store(&fw, &mut results, &store_dir, lang)?;
    // People are pointed to the workbook; the CSV and JSON are for programs.
    let validation = out.join("validation.xlsx");
    write_xlsx(&validation, &results, &fw, lang)?;
    let mut csv = Vec::new();
    write_csv(&mut csv, &results)?;
    crate::export::write_atomic(&out.join("validation.csv"), &csv)?;
    crate::export::write_atomic(
        &out.join("validation.json"),
        serde_json::to_string_pretty(&json_report(&results))?.as_bytes(),
    )?;
    let count = |s: Severity| {
        results.iter().flat_map(|r| &r.diagnostics).filter(|d| d.severity == s).count()
    };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    let with_errors = results
        .iter()
        .filter(|r| r.diagnostics.iter().any(|d| d.severity == Severity::Error))
        .count();
    times.push(("cli.stage_validate", t.elapsed()));
    say(trf(
        lang,
        "cli.run_validated",
        &[("files", &results.len()), ("errors", &errors), ("warnings", &warnings)],
    ))?;
    let done = Done::new(Outcome::Success)
        .count("returns_read", results.len())
        .count("returns_with_errors", with_errors)
        .diagnostics(errors, warnings);

    // 2. Ingest.
    let t = Instant::now();
    let filed = file_results(&fw, &results, &store_dir, lang)?;
    for (path, reason) in &filed.skipped {
        eprintln!(
            "{}",
            trf(lang, "cli.ingest_skipped", &[("file", &path.display()), ("reason", reason)])
        );
    }
    times.push(("cli.stage_ingest", t.elapsed()));
    say(trf(
        lang,
        "cli.ingest_total",
        &[
            ("added", &filed.added),
            ("unchanged", &filed.unchanged),
            ("skipped", &filed.skipped.len()),
            ("store", &store_dir.display()),
        ],
    ))?;
    let done = done
        .count("returns_added", filed.added)
        .count("returns_unchanged", filed.unchanged)
        .count("returns_not_filed", filed.skipped.len());
    // The checked returns are in the store now: what follows reads them from there.
    let read = results.len();
    drop(results);

    // Nothing filed now or before: nothing to compute; say so, and what to fix.
    let store = Store::open(&store_dir).ok().filter(|s| s.current().is_ok_and(|c| !c.is_empty()));
    let Some(store) = store else {
        eprintln!(
            "{}",
            trf(
                lang,
                "cli.run_nothing_filed",
                &[("files", &read), ("file", &validation.display())]
            )
        );
        let mut done = done;
        done.outcome = Outcome::ReturnsHaveErrors;
        return Ok((done, vec![("cli.look_validation", validation)]));
    };

    // 3. Compute and export.
    let t = Instant::now();
    let cut = crate::charts::Cut { accepted_only: o.accepted_only, ..Default::default() };
    let Prepared { ds, method, results: computed, data } =
        Prepared::load_cut(&store, &fw, Method::default(), &cut)?;
    write_results_in(&computed, &method, &out.join("data"), lang)?;
    let values = computed.indicators.height();
    // The site's public tables are written now, while the results are in memory.
    let site = if o.site {
        let dir = crate::site::prepare_dir(out)?;
        let public = computed.into_public(&fw)?;
        let facts = crate::site::write_downloads(&dir, &public, &method, lang, o.year)?;
        Some((dir, facts))
    } else {
        drop(computed);
        None
    };
    times.push(("cli.stage_compute", t.elapsed()));
    let cities = {
        let mut ids: Vec<&str> = ds.returns.iter().map(|r| r.city_id.as_str()).collect();
        ids.dedup();
        ids.len()
    };
    let ok = data.values.iter().filter(|v| v.status == "ok" && !v.carried_forward).count();
    say(trf(
        lang,
        "cli.compute_done",
        &[
            ("returns", &ds.returns.len()),
            ("values", &values),
            ("ok", &ok),
            ("out", &out.join("data").display()),
        ],
    ))?;
    let done = done.count("cities", cities).count("indicator_values", values);

    // 4. Charts.
    let t = Instant::now();
    let years = data.years();
    let Some(&latest) = years.last() else {
        anyhow::bail!(trf(lang, "cli.store_empty", &[("store", &store_dir.display())]));
    };
    let year = o.year.unwrap_or(latest);
    let langs: Vec<Lang> = {
        let mut l = global.lang.clone();
        l.dedup();
        l
    };
    let today = crate::store::now_utc().get(..10).unwrap_or_default().to_string();
    let charts = published_charts(&data, &fw, &ds, year, &langs, &today);
    let pb = bar(charts.len(), tr(lang, "cli.stage_charts").to_string(), global.quiet);
    let chart_dir = out.join("charts");
    charts
        .par_iter()
        .try_for_each(|c| {
            let r = c.write(&chart_dir, o.png.wants(c)).map(|_| ());
            pb.inc(1);
            r
        })
        .with_context(|| global.cannot_write(&chart_dir))?;
    pb.finish_and_clear();
    times.push(("cli.stage_charts", t.elapsed()));
    say(trf(lang, "cli.charts_done", &[("n", &charts.len()), ("dir", &chart_dir.display())]))?;
    let done = done.count("charts", charts.len());
    drop(charts);

    // 5. Reports, in each language.
    let t = Instant::now();
    let mut reporter = Reporter::new(&fw, &ds, &data, &method)?;
    if let Some(dir) = &o.templates {
        reporter.templates = crate::report::template::from_dir(dir)?;
    }
    let report_dir = out.join("reports");
    write_fonts(&report_dir)?;
    let jobs: Vec<(&str, i32, Lang)> = ds
        .returns
        .iter()
        .filter(|r| o.year.is_none_or(|y| r.year == y))
        .flat_map(|r| langs.iter().map(move |&l| (r.city_id.as_str(), r.year, l)))
        .collect();
    let pb = bar(jobs.len() + langs.len(), tr(lang, "cli.stage_reports").to_string(), global.quiet);
    let written: Vec<anyhow::Result<PathBuf>> = render_all(&jobs, |(city, y, l)| {
        let r = reporter.city(city, *y, *l).and_then(|r| Ok(r.write(&report_dir)?));
        pb.inc(1);
        r
    })?;
    let (mut campaign_reports, mut methodology) = (Vec::new(), Vec::new());
    for &l in &langs {
        let r = reporter.campaign(year, l, o.rank)?;
        campaign_reports.push(r.write(&report_dir)?);
        if campaign_reports.len() == 1 {
            let peers = report_dir.join("campaign").join(format!("peers-{year}.csv"));
            let csv = crate::report::peers::peers_csv(&reporter.peers(year));
            crate::export::write_atomic(&peers, &csv)
                .with_context(|| global.cannot_write(&peers))?;
        }
        methodology.push(reporter.methodology(l)?.write(&report_dir)?);
        pb.inc(1);
    }
    pb.finish_and_clear();
    let mut failed = 0;
    for (res, (city, y, _)) in written.iter().zip(&jobs) {
        if let Err(e) = res {
            failed += 1;
            eprintln!("{city} {y}: {e:#}");
        }
    }
    let n_reports = written.len() - failed + campaign_reports.len() + methodology.len();
    global.report_warnings(&reporter);
    times.push(("cli.stage_reports", t.elapsed()));
    say(trf(lang, "cli.reports_done", &[("n", &n_reports), ("dir", &report_dir.display())]))?;
    let mut done = done.count("reports", n_reports).count("reports_failed", failed);

    // 6. The web site, in every language, with the reports just written.
    let mut site_index = None;
    if let Some((dir, facts)) = site {
        let t = Instant::now();
        let opts = crate::site::Options {
            templates: o.templates.clone(),
            year: o.year,
            reports: Some(report_dir.clone()),
            today: today.clone(),
        };
        let src = crate::site::Sources { fw: &fw, method: &method, data: &data, facts: &facts };
        let summary = crate::site::write_pages(&dir, src, &Lang::ALL, &opts)?;
        times.push(("cli.stage_site", t.elapsed()));
        say(super::site::done_line(lang, &summary))?;
        done = done.count("site_pages", summary.pages);
        site_index = Some(summary.dir.join("index.html"));
    }

    // Summary.
    say(String::new())?;
    say(trf(
        lang,
        "cli.run_summary",
        &[("returns", &read), ("cities", &cities), ("reports", &n_reports)],
    ))?;
    if errors + warnings > 0 {
        say(trf(
            lang,
            "cli.run_problems",
            &[
                ("errors", &errors),
                ("with_errors", &with_errors),
                ("warnings", &warnings),
                ("file", &validation.display()),
            ],
        ))?;
    }
    let total: Duration = times.iter().map(|(_, d)| *d).sum();
    let stages: Vec<String> =
        times.iter().map(|(k, d)| format!("{} {}", tr(lang, k), secs(*d))).collect();
    say(trf(lang, "cli.run_times", &[("stages", &stages.join(" · ")), ("total", &secs(total))]))?;

    let mut first: Vec<(&'static str, PathBuf)> = Vec::new();
    if let Some(p) = campaign_reports.first() {
        first.push(("cli.look_campaign", p.clone()));
    }
    // A city's latest report, in the first language.
    let latest = jobs
        .iter()
        .zip(&written)
        .rev()
        .find(|((_, y, l), r)| *y == year && *l == lang && r.is_ok());
    if let Some((_, Ok(p))) = latest {
        first.push(("cli.look_city", p.clone()));
    }
    if let Some(p) = methodology.first() {
        first.push(("cli.look_methodology", p.clone()));
    }
    first.push(("cli.look_data", out.join("data").join("hrcities-data.xlsx")));
    first.push(("cli.look_charts", chart_dir.join("campaign")));
    if let Some(index) = site_index {
        first.push(("cli.look_site", index));
    }
    if errors + warnings > 0 {
        first.push(("cli.look_validation", validation.clone()));
    }
    done.outcome = if failed > 0 {
        Outcome::Failure
    } else if with_errors > 0 || !filed.skipped.is_empty() || !recs_ok {
        Outcome::ReturnsHaveErrors
    } else {
        Outcome::Success
    };
    Ok((done, first))
}
