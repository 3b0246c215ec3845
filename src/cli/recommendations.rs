//! `hrcities recommendations import|list`: UN recommendations in the store (Contract 6).

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{Format, GlobalArgs, Outcome, StoreArgs};
use crate::framework::Severity;
use crate::i18n::{capitalised, tr, trf};
use crate::recommend::{import_file, links, Mechanism, Recommendation, Registry};

/// Import UN human-rights recommendations and list them.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Sub,
}

#[derive(Debug, clap::Subcommand)]
pub enum Sub {
    Import(ImportArgs),
    List(ListArgs),
}

/// Import recommendations: exports of OHCHR's Universal Human Rights Index (uhri.ohchr.org,
/// Excel or CSV) or a plain CSV with the columns id, text, mechanism, body, symbol,
/// paragraph, date, themes, sdgs, position, country (e.g. from a national recommendations
/// tracking database).
///
/// Each recommendation is kept under its UHRI annotation id (or the CSV's id, or a hash of
/// its content), with the file and sha256 it came from. Importing the same file again
/// changes nothing; a newer export updates the recommendations it shares with an older one.
/// Rows that cannot be used are reported with their row number and skipped.
/// Exit status: 0 when all went well, 3 when some row or file could not be imported.
///
/// Examples:
///   hrcities recommendations import uhri-export.xlsx
///   hrcities recommendations import --store campaign exports/*.xlsx national-tracker.csv
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct ImportArgs {
    /// Export files (.xlsx, .xls, .ods, .csv).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// List the recommendations of the store, with the rights and indicators they bear on.
///
/// Examples:
///   hrcities recommendations list --country COL
///   hrcities recommendations list --mechanism upr --right housing --format csv
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct ListArgs {
    /// Only those concerning this country (ISO 3166-1 alpha-3 code or name).
    #[arg(long, value_name = "ISO3")]
    pub country: Option<String>,
    /// Only those of this mechanism: upr, treaty_body, special_procedure or other.
    #[arg(long, value_name = "KIND")]
    pub mechanism: Option<String>,
    /// Only those linked to this right (its id, e.g. housing).
    #[arg(long, value_name = "RIGHT")]
    pub right: Option<String>,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Runs `hrcities recommendations`.
pub fn run(args: &Args, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    match &args.command {
        Sub::Import(a) => import(a, global),
        Sub::List(a) => list(a, global),
    }
}

fn import(args: &ImportArgs, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    import_into(&args.files, &args.store.store, global, true)
}

/// Imports recommendation exports `files` into the store at `dir`, printing each file's
/// problems (with row numbers and hints) and counts — per country and mechanism when
/// `detail` — and the store's total. `hrcities run --recommendations` and `demo` use it too.
pub(super) fn import_into(
    files: &[PathBuf],
    dir: &std::path::Path,
    global: &GlobalArgs,
    detail: bool,
) -> anyhow::Result<Outcome> {
    let fw = global.framework()?;
    let lang = global.lang();
    let mut registry = Registry::open(dir)?;
    let now = crate::store::now_utc();
    let mut outcome = Outcome::Success;
    let mut total = crate::recommend::Upsert::default();
    for file in files {
        let import = match import_file(file, &global.limits(), &now, lang) {
            Ok(i) => i,
            Err(e) => {
                eprintln!("{}: {}", file.display(), e.message(lang));
                if let Some(hint) = e.hint(lang) {
                    eprintln!("  → {hint}");
                }
                outcome = Outcome::ReturnsHaveErrors;
                continue;
            }
        };
        for p in &import.problems {
            let row = p.row.map_or_else(String::new, |r| trf(lang, "cli.rec_row", &[("row", &r)]));
            let hint = p.hint.as_deref().map_or_else(String::new, |h| format!(" ({h})"));
            let level = match p.severity {
                Severity::Error => {
                    outcome = Outcome::ReturnsHaveErrors;
                    tr(lang, "word.error")
                }
                Severity::Warning => tr(lang, "word.warning"),
            };
            eprintln!("{}{row}: {level} {}: {}{hint}", file.display(), p.code, p.message);
        }
        // Counts per country and mechanism, as read.
        let mut counts: BTreeMap<(String, Mechanism), usize> = BTreeMap::new();
        for r in &import.recommendations {
            for c in &r.countries {
                *counts.entry((c.clone(), r.mechanism)).or_default() += 1;
            }
        }
        let n = import.recommendations.len();
        let upsert = registry.upsert(import.recommendations);
        global.say(trf(
            lang,
            "cli.rec_imported",
            &[
                ("file", &file.display()),
                ("n", &n),
                ("added", &upsert.added),
                ("updated", &upsert.updated),
                ("unchanged", &upsert.unchanged),
            ],
        ))?;
        if detail {
            for ((country, mechanism), n) in counts {
                global.say(format_args!(
                    "  {country}  {:<28} {n:>5}",
                    capitalised(tr(lang, &mechanism.key()))
                ))?;
            }
        }
        total.added += upsert.added;
        total.updated += upsert.updated;
        total.unchanged += upsert.unchanged;
    }
    if total.added + total.updated > 0 {
        registry.save()?;
    }
    let linked = registry.all.iter().filter(|r| !links::link(&fw, r).is_empty()).count();
    global.say(trf(
        lang,
        "cli.rec_total",
        &[("n", &registry.all.len()), ("linked", &linked), ("store", &dir.display())],
    ))?;
    Ok(outcome)
}

fn list(args: &ListArgs, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let fw = global.framework()?;
    let lang = global.lang();
    let registry = Registry::open(&args.store.store)?;
    let country =
        match &args.country {
            Some(c) => Some(crate::i18n::country_code(c).ok_or_else(|| {
                anyhow::anyhow!(trf(lang, "cli.rec_bad_country", &[("country", c)]))
            })?),
            None => None,
        };
    let mechanism = match &args.mechanism {
        Some(m) => Some(Mechanism::from_code(&m.to_ascii_lowercase()).ok_or_else(|| {
            anyhow::anyhow!(trf(lang, "cli.rec_bad_mechanism", &[("mechanism", m)]))
        })?),
        None => None,
    };
    if let Some(r) = &args.right {
        if fw.right(r).is_none() {
            anyhow::bail!(trf(lang, "cli.rec_bad_right", &[("right", r)]));
        }
    }
    let shown: Vec<(&Recommendation, Vec<links::Link>)> = registry
        .all
        .iter()
        .filter(|r| country.as_deref().is_none_or(|c| r.concerns(c)))
        .filter(|r| mechanism.is_none_or(|m| r.mechanism == m))
        .map(|r| (r, links::link(&fw, r)))
        .filter(|(_, l)| {
            args.right.as_ref().is_none_or(|right| l.iter().any(|x| &x.right == right))
        })
        .collect();
    let recs: Vec<Recommendation> = shown.iter().map(|(r, _)| (*r).clone()).collect();
    match global.format {
        Format::Json => {
            let items: Vec<serde_json::Value> = shown
                .iter()
                .map(|(r, l)| {
                    let mut v = serde_json::to_value(r).unwrap_or_default();
                    if let Some(o) = v.as_object_mut() {
                        o.insert("links".into(), serde_json::to_value(l).unwrap_or_default());
                    }
                    v
                })
                .collect();
            outln!("{}", serde_json::to_string_pretty(&items)?)?;
        }
        Format::Csv => {
            let df = crate::recommend::registry::frame(&recs, Some(&fw))?;
            let mut df = crate::export::guarded(&df)?;
            let mut out = Vec::new();
            use polars::prelude::SerWriter as _;
            polars::prelude::CsvWriter::new(&mut out).finish(&mut df)?;
            use std::io::Write as _;
            std::io::stdout().lock().write_all(&out)?;
        }
        Format::Text => {
            for (r, l) in &shown {
                let rights = links::rights(l);
                outln!(
                    "{}  {}  {}  {}",
                    r.countries.join(","),
                    tr(lang, &r.mechanism.key()),
                    r.citation(tr(lang, "rec.para")),
                    rights.join(", ")
                )?;
                let text: String = r.text.chars().take(110).collect();
                outln!(
                    "    {}{}",
                    text.replace('\n', " "),
                    if r.text.chars().count() > 110 { "…" } else { "" }
                )?;
            }
            global.say(trf(
                lang,
                "cli.rec_listed",
                &[("n", &shown.len()), ("all", &registry.all.len())],
            ))?;
        }
    }
    Ok(Outcome::Success)
}
