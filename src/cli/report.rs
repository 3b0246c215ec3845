//! `hrcities report city|campaign|submission` and `hrcities templates export`.

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::manifest::Done;
use super::{GlobalArgs, Outcome, StoreArgs};
use crate::charts::Prepared;
use crate::compute::Method;
use crate::i18n::{tr, trf};
use crate::report::submission::{Mechanism, Options, Plan};
use crate::report::{render_all, write_fonts, Rendered, Reporter};
use crate::store::Store;

/// Write PDF reports (with their Typst sources) in --lang.
///
/// Reports go to DIR/reports/: each PDF beside a folder holding its report.typ and charts,
/// which `typst compile --font-path DIR/reports/fonts report.typ` compiles unchanged.
///
/// Examples:
///   hrcities report city --city COL-villa-esperanza-del-sur --out results
///   hrcities --lang es report city --all --out results
///   hrcities --lang fr report campaign --year 2026 --out results
///   hrcities --lang fr report campaign --region africa --out results
///   hrcities --lang es report submission --country COL --mechanism upr --session "…" --out results
///   hrcities --lang es report submission --country COL --mechanism upr --write-plan plan.toml
///   hrcities report submission --plan plan.toml --out results
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(subcommand)]
    pub kind: Kind,
}

#[derive(Debug, clap::Subcommand)]
pub enum Kind {
    /// A city's self-assessment: profile, right scores against the regional median and last
    /// year, strengths and what to improve, every indicator, and how scores are made; with
    /// the methodology document (every indicator's formula, goalposts and source).
    City(CityArgs),
    /// The campaign's annual report: progress toward 10 / 100 / 1,000, returns by region and
    /// level, distributions per right, structural measures, data quality, participants.
    Campaign(CampaignArgs),
    /// Evidence from one country's governments for a UN mechanism, in numbered paragraphs
    /// with a word count, as PDF and .docx.
    Submission(SubmissionArgs),
}

/// What every report command takes.
#[derive(Debug, clap::Args)]
pub struct Common {
    /// The output folder (reports go to DIR/reports/).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Use the templates in DIR instead of the built-in ones of the same name (start from
    /// `hrcities templates export DIR`).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Only the returns the campaign accepted (`hrcities store review … --status accepted`).
    #[arg(long)]
    pub accepted_only: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, clap::Args)]
pub struct CityArgs {
    /// The city (its id, as `hrcities store list` shows it).
    #[arg(long, value_name = "ID", required_unless_present = "all")]
    pub city: Option<String>,
    /// Every city in the store, rendered in parallel.
    #[arg(long, conflicts_with = "city")]
    pub all: bool,
    /// The reporting year (default: the city's latest; with --all, every year).
    #[arg(long, value_name = "YEAR")]
    pub year: Option<i32>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, clap::Args)]
pub struct CampaignArgs {
    /// The reporting year (default: the latest).
    #[arg(long, value_name = "YEAR")]
    pub year: Option<i32>,
    /// A regional report: only the governments of this UCLG region (africa, asia_pacific,
    /// eurasia, europe, latin_america, middle_east_west_asia, north_america).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Add an annex ranking governments by mean right score (off by default: right scores
    /// summarise indicators and are not meant to rank governments).
    #[arg(long)]
    pub rank: bool,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, clap::Args)]
pub struct SubmissionArgs {
    /// The country, as an ISO 3166-1 alpha-3 code (e.g. COL); not needed with --plan.
    #[arg(long, value_name = "ISO3", required_unless_present = "plan")]
    pub country: Option<String>,
    /// The mechanism: upr (Universal Periodic Review), cescr (Committee on Economic, Social
    /// and Cultural Rights), hrc (a Human Rights Council call for input); not needed with
    /// --plan.
    #[arg(long, value_enum, required_unless_present = "plan")]
    pub mechanism: Option<Mechanism>,
    /// Only these governments (ids, comma-separated; default: every one of the country).
    #[arg(long, value_name = "ID,…", value_delimiter = ',')]
    pub cities: Vec<String>,
    /// Who submits, as it is registered with OHCHR (default: the government, or the
    /// governments jointly).
    #[arg(long, value_name = "NAME", alias = "organisation")]
    pub submitter: Option<String>,
    /// A short description of the submitter (default: from the governments' profiles).
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// The submitter's contact (default: a single government's contact e-mail).
    #[arg(long, value_name = "TEXT")]
    pub contact: Option<String>,
    /// The session the submission is for, e.g. "4th cycle, 48th session of the UPR Working
    /// Group (January 2027)"; printed on the cover.
    #[arg(long, value_name = "TEXT", alias = "review")]
    pub session: Option<String>,
    /// The reporting year (default: the latest with a return from the country).
    #[arg(long, value_name = "YEAR")]
    pub year: Option<i32>,
    /// The word limit (default: upr 2,815, or 5,630 with --joint; cescr 5,000; hrc 2,500 —
    /// see README for sources; check the current call).
    #[arg(long, value_name = "N")]
    pub word_limit: Option<usize>,
    /// A joint submission (several submitters; a higher UPR word limit).
    #[arg(long)]
    pub joint: bool,
    /// Write the submission plan (issues, findings, recommendations) to FILE, to edit and
    /// use with --plan; no document is written.
    #[arg(long, value_name = "FILE", conflicts_with = "plan")]
    pub write_plan: Option<PathBuf>,
    /// With --write-plan: replace FILE if it exists.
    #[arg(long, requires = "write_plan")]
    pub force: bool,
    /// Render the submission from a plan file (written by --write-plan and edited).
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

/// Export the built-in report and site templates to DIR, to edit and use with `--templates`.
#[derive(Debug, clap::Args)]
pub struct TemplatesArgs {
    #[command(subcommand)]
    pub action: TemplatesAction,
}

#[derive(Debug, clap::Subcommand)]
pub enum TemplatesAction {
    /// Copy the built-in templates to DIR (files already there are left alone unless --force).
    Export {
        dir: PathBuf,
        /// Overwrite files that exist.
        #[arg(long)]
        force: bool,
    },
}

/// Runs `hrcities templates`.
pub fn templates(args: &TemplatesArgs, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let TemplatesAction::Export { dir, force } = &args.action;
    let (written, kept) =
        crate::report::template::export(dir, *force).with_context(|| global.cannot_write(dir))?;
    if !global.quiet {
        for p in &kept {
            outln!("{}", trf(global.lang(), "cli.templates_kept", &[("path", &p.display())]))?;
        }
        outln!(
            "{}",
            trf(
                global.lang(),
                "cli.templates_done",
                &[("n", &written.len()), ("dir", &dir.display())]
            )
        )?;
    }
    Ok(Outcome::Success)
}

/// What reports are made from, loaded once.
struct Loaded {
    fw: crate::framework::Framework,
    prepared: Prepared,
}

fn load(global: &GlobalArgs, common: &Common) -> anyhow::Result<Loaded> {
    load_cut(global, common, &crate::charts::Cut::default())
}

/// [`load`] for one UCLG region and the years up to one.
fn load_cut(
    global: &GlobalArgs,
    common: &Common,
    cut: &crate::charts::Cut,
) -> anyhow::Result<Loaded> {
    let fw = global.framework()?;
    cut.check(&fw, global.lang()).map_err(anyhow::Error::msg)?;
    let store = Store::open(&common.store.store)?;
    let cut = crate::charts::Cut { accepted_only: common.accepted_only, ..cut.clone() };
    let prepared = Prepared::load_cut(&store, &fw, Method::default(), &cut)?;
    Ok(Loaded { fw, prepared })
}

fn reporter<'a>(loaded: &'a Loaded, common: &Common) -> anyhow::Result<Reporter<'a>> {
    let p = &loaded.prepared;
    let mut r = Reporter::new(&loaded.fw, &p.ds, &p.data, &p.method)?;
    if let Some(dir) = &common.templates {
        r.templates = crate::report::template::from_dir(dir)?;
    }
    Ok(r)
}

fn write(r: &Rendered, dir: &Path, global: &GlobalArgs) -> anyhow::Result<PathBuf> {
    r.write(dir).with_context(|| global.cannot_write(&dir.join(&r.path)))
}

/// Writes `r` as [`write`] does, and its charts as PNG too beside their SVG (for slides): for
/// one city's report, not for `--all`, where drawing a PNG of every chart of every city
/// would take longer than the reports.
fn write_with_png(r: &Rendered, dir: &Path, global: &GlobalArgs) -> anyhow::Result<PathBuf> {
    let pdf = write(r, dir, global)?;
    for (name, bytes) in r.files.iter().filter(|(n, _)| n.ends_with(".svg")) {
        let path = dir.join(&r.path).join(name).with_extension("png");
        let svg = String::from_utf8_lossy(bytes);
        let png = crate::charts::png(&svg, 2.0).map_err(|e| anyhow::anyhow!("{e}"))?;
        crate::export::write_atomic(&path, &png).with_context(|| global.cannot_write(&path))?;
    }
    Ok(pdf)
}

/// Today's date (or `SOURCE_DATE_EPOCH`'s), as (year, month, day).
fn today() -> (i32, u8, u8) {
    let now = crate::store::now_utc();
    let part = |a: usize, b: usize| now.get(a..b).and_then(|s| s.parse::<u8>().ok());
    let year = now.get(0..4).and_then(|s| s.parse().ok()).unwrap_or(1970);
    (year, part(5, 7).unwrap_or(1), part(8, 10).unwrap_or(1))
}

/// Runs `hrcities report`.
pub fn run(args: &Args, global: &GlobalArgs) -> anyhow::Result<Done> {
    let lang = global.lang();
    let say = |line: String| global.say(line);
    match &args.kind {
        Kind::City(a) => {
            let loaded = load(global, &a.common)?;
            let r = reporter(&loaded, &a.common)?;
            let dir = a.common.out.join("reports");
            write_fonts(&dir)?;
            let mut jobs: Vec<(String, i32)> = loaded
                .prepared
                .ds
                .returns
                .iter()
                .filter(|x| {
                    a.all || a.city.as_ref().is_some_and(|c| c.eq_ignore_ascii_case(&x.city_id))
                })
                .map(|x| (x.city_id.clone(), x.year))
                .collect();
            match a.year {
                Some(y) => jobs.retain(|j| j.1 == y),
                // One city: its latest year.
                None if !a.all => {
                    if let Some(last) = jobs.iter().map(|j| j.1).max() {
                        jobs.retain(|j| j.1 == last);
                    }
                }
                None => {}
            }
            if jobs.is_empty() {
                let city = a.city.clone().unwrap_or_default();
                anyhow::bail!(trf(
                    lang,
                    "report.no_return",
                    &[("city", &city), ("year", &a.year.map_or("–".into(), |y| y.to_string()))]
                ));
            }
            let one = |rendered: &Rendered| {
                if a.all {
                    write(rendered, &dir, global)
                } else {
                    write_with_png(rendered, &dir, global)
                }
            };
            let results: Vec<anyhow::Result<PathBuf>> =
                render_all(&jobs, |(city, year)| one(&r.city(city, *year, lang)?))?;
            let methodology = write(&r.methodology(lang)?, &dir, global)?;
            let mut failed = 0;
            for (res, (city, year)) in results.iter().zip(&jobs) {
                match res {
                    Ok(path) => {
                        if global.verbose {
                            say(path.display().to_string())?;
                        }
                    }
                    Err(e) => {
                        failed += 1;
                        eprintln!("{city} {year}: {e:#}");
                    }
                }
            }
            say(trf(
                lang,
                "cli.reports_done",
                &[("n", &(jobs.len() - failed)), ("dir", &dir.display())],
            ))?;
            say(methodology.display().to_string())?;
            global.report_warnings(&r);
            let outcome = if failed > 0 { Outcome::Failure } else { Outcome::Success };
            Ok(Done::new(outcome)
                .count("reports", jobs.len() - failed)
                .count("reports_failed", failed))
        }
        Kind::Campaign(a) => {
            let cut =
                crate::charts::Cut { region: a.region.clone(), year: a.year, accepted_only: false };
            let loaded = load_cut(global, &a.common, &cut)?;
            let r = reporter(&loaded, &a.common)?;
            let dir = a.common.out.join("reports");
            write_fonts(&dir)?;
            let Some(year) =
                a.year.or_else(|| loaded.prepared.ds.returns.iter().map(|x| x.year).max())
            else {
                anyhow::bail!(tr(lang, "cli.store_empty").to_string());
            };
            let path =
                write(&r.campaign_for(year, lang, a.rank, a.region.as_deref())?, &dir, global)?;
            let peers = path.with_file_name(match &a.region {
                Some(g) => format!("peers-{}-{year}.csv", crate::charts::file_part(g)),
                None => format!("peers-{year}.csv"),
            });
            crate::export::write_atomic(&peers, &crate::report::peers::peers_csv(&r.peers(year)))
                .with_context(|| global.cannot_write(&peers))?;
            say(path.display().to_string())?;
            global.report_warnings(&r);
            Ok(Done::new(Outcome::Success).count("reports", 1))
        }
        Kind::Submission(a) => {
            let loaded = load(global, &a.common)?;
            let r = reporter(&loaded, &a.common)?;
            let date = today();
            let (plan, s) = match &a.plan {
                Some(file) => {
                    let plan = Plan::read(file, lang)?;
                    let s = r.submission(&plan, date, Some(&file.display().to_string()))?;
                    (plan, s)
                }
                None => {
                    let opts = Options {
                        country: a.country.clone().unwrap_or_default(),
                        mechanism: a.mechanism.unwrap_or(Mechanism::Upr),
                        cities: a.cities.clone(),
                        submitter: a.submitter.clone(),
                        description: a.description.clone(),
                        contact: a.contact.clone(),
                        session: a.session.clone(),
                        year: a.year,
                        word_limit: a.word_limit,
                        joint: a.joint,
                        date,
                    };
                    if let Some(file) = &a.write_plan {
                        let plan = r.submission_plan(&opts, lang)?;
                        if file.exists() && !a.force {
                            anyhow::bail!(trf(
                                lang,
                                "cli.plan_exists",
                                &[("file", &file.display())]
                            ));
                        }
                        crate::export::write_atomic(file, plan.to_toml(lang).as_bytes())
                            .with_context(|| global.cannot_write(file))?;
                        say(file.display().to_string())?;
                        say(trf(
                            lang,
                            "cli.plan_written",
                            &[("n", &plan.issues.len()), ("file", &file.display())],
                        ))?;
                        return Ok(Done::new(Outcome::Success).count("issues", plan.issues.len()));
                    }
                    r.submission_default(&opts, lang)?
                }
            };
            let _ = plan;
            let dir = a.common.out.join("reports");
            write_fonts(&dir)?;
            let pdf = write(&r.submission_pdf(&s, date)?, &dir, global)?;
            let docx = pdf.with_extension("docx");
            crate::export::write_atomic(&docx, &s.docx()?)
                .with_context(|| global.cannot_write(&docx))?;
            let check = dir.join(format!("{}-check.txt", s.path.display()));
            crate::export::write_atomic(&check, s.check.as_bytes())
                .with_context(|| global.cannot_write(&check))?;
            say(pdf.display().to_string())?;
            say(docx.display().to_string())?;
            say(check.display().to_string())?;
            if s.over_limit() {
                eprintln!("{}", trf(lang, "cli.words_over", &[("line", &s.word_line)]));
            } else {
                say(s.word_line.clone())?;
            }
            if s.left_out > 0 {
                say(trf(lang, "cli.sub_left_out", &[("n", &s.left_out)]))?;
            }
            for w in &s.warnings {
                eprintln!("{}: {w}", tr(lang, "cli.warning"));
            }
            global.report_warnings(&r);
            Ok(Done::new(Outcome::Success)
                .count("reports", 1)
                .count("issues", s.issues)
                .count("words", s.words)
                .count("word_limit", s.limit))
        }
    }
}
