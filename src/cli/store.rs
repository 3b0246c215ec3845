//! `hrcities store list|history`: what the campaign store holds, and how it changed.

use std::collections::BTreeMap;

use serde_json::json;

use super::{Format, GlobalArgs, Outcome, StoreArgs};
use crate::i18n::{tr, trf, Lang};
use crate::store::{ResponseRow, ReturnRecord, Store};

/// Show what the campaign store holds: cities × years, and each return's history.
///
/// Examples:
///   hrcities store list
///   hrcities store list --all --format csv > returns.csv
///   hrcities store history COL-villa-esperanza-del-sur
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Cities × years with their status, source file and counts of errors and warnings.
    List {
        /// Also show the versions that later files replaced.
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Every version of a city's returns, year by year, with the answers that changed.
    History {
        /// The city's id (as `store list` shows it, e.g. COL-villa-esperanza-del-sur).
        city: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// Runs `hrcities store …`.
pub fn run(args: &Args, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    match &args.command {
        Command::List { all, store } => list(&Store::open(&store.store)?, *all, global),
        Command::History { city, store } => history(&Store::open(&store.store)?, city, global),
    }
}

fn status(lang: Lang, r: &ReturnRecord) -> &str {
    if r.superseded_by.is_some() {
        tr(lang, "cli.store_superseded")
    } else {
        tr(lang, "cli.store_current")
    }
}

fn list(store: &Store, all: bool, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let lang = global.lang();
    let mut rows = if all { store.returns()? } else { store.current()? };
    rows.sort_by(|a, b| (&a.city_id, a.year, a.seq).cmp(&(&b.city_id, b.year, b.seq)));
    match global.format {
        Format::Json => outln!("{}", serde_json::to_string_pretty(&rows)?)?,
        Format::Csv => {
            let mut w = csv::Writer::from_writer(std::io::stdout().lock());
            w.write_record([
                "city_id",
                "city_name",
                "year",
                "status",
                "file",
                "sha256",
                "errors",
                "warnings",
                "ingested_at",
            ])?;
            for r in &rows {
                let state = if r.superseded_by.is_some() { "superseded" } else { "current" };
                let cells = [
                    r.city_id.clone(),
                    r.city_name.clone(),
                    r.year.to_string(),
                    state.into(),
                    r.file.clone(),
                    r.sha256.clone(),
                    r.errors.to_string(),
                    r.warnings.to_string(),
                    r.ingested_at.clone(),
                ];
                w.write_record(cells.iter().map(|c| crate::export::safe_cell(c).into_owned()))?;
            }
            w.flush()?;
        }
        Format::Text => {
            if rows.is_empty() {
                outln!("{}", trf(lang, "cli.store_empty", &[("store", &store.dir().display())]))?;
                return Ok(Outcome::Success);
            }
            let header: Vec<String> =
                tr(lang, "cli.store_header").split('|').map(String::from).collect();
            let body: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r.city_id.clone(),
                        r.city_name.clone(),
                        r.year.to_string(),
                        status(lang, r).to_string(),
                        r.file.clone(),
                        r.errors.to_string(),
                        r.warnings.to_string(),
                        r.ingested_at.clone(),
                    ]
                })
                .collect();
            out!("{}", aligned(&header, &body))?;
        }
    }
    Ok(Outcome::Success)
}

/// `header` and `rows` as columns aligned with spaces (widths counted in characters).
fn aligned(header: &[String], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut s = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                s.push_str(cell);
            } else {
                s.push_str(cell);
                s.push_str(&" ".repeat(w - cell.chars().count() + 2));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(header);
    for row in rows {
        out.push_str(&line(row));
    }
    out
}

/// One answer that differs between two versions.
#[derive(serde::Serialize)]
struct Change {
    question: String,
    place: String,
    before: String,
    after: String,
}

fn changes(before: &[ResponseRow], after: &[ResponseRow]) -> Vec<Change> {
    let old: BTreeMap<&str, &ResponseRow> =
        before.iter().map(|r| (r.question_id.as_str(), r)).collect();
    let mut out = Vec::new();
    for r in after {
        let prev = old.get(r.question_id.as_str());
        let (raw_before, status_before) =
            prev.map_or(("", None), |p| (p.raw.as_str(), Some(p.status)));
        if raw_before.trim() == r.raw.trim() && status_before == Some(r.status) {
            continue;
        }
        let place = match (&r.sheet, &r.cell) {
            (Some(s), Some(c)) => format!("{s}!{c}"),
            _ => String::new(),
        };
        out.push(Change {
            question: r.question_id.clone(),
            place,
            before: raw_before.to_string(),
            after: r.raw.clone(),
        });
    }
    out
}

fn history(store: &Store, city: &str, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let lang = global.lang();
    let all = store.returns()?;
    let versions: Vec<&ReturnRecord> =
        all.iter().filter(|r| r.city_id.eq_ignore_ascii_case(city.trim())).collect();
    if versions.is_empty() {
        let mut known: Vec<&str> = all.iter().map(|r| r.city_id.as_str()).collect();
        known.sort();
        known.dedup();
        anyhow::bail!(trf(
            lang,
            "cli.store_no_city",
            &[("city", &city), ("known", &known.join(", "))]
        ));
    }
    let shas: Vec<&str> = versions.iter().map(|r| r.sha256.as_str()).collect();
    let responses = store.responses(&shas)?;
    let mut by_year: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for (i, r) in versions.iter().enumerate() {
        by_year.entry(r.year).or_default().push(i);
    }
    let mut json_years = Vec::new();
    for (year, indices) in &by_year {
        if global.format == Format::Text {
            outln!("{} — {year}", versions[indices[0]].city_name)?;
        }
        let mut json_versions = Vec::new();
        for (n, &i) in indices.iter().enumerate() {
            let r = versions[i];
            let diff = (n > 0).then(|| changes(&responses[indices[n - 1]], &responses[i]));
            if global.format == Format::Text {
                let line = trf(
                    lang,
                    "cli.store_version",
                    &[
                        ("n", &(n + 1)),
                        ("file", &r.file),
                        ("sha", &&r.sha256[..12.min(r.sha256.len())]),
                        ("at", &r.ingested_at),
                        ("errors", &r.errors),
                        ("warnings", &r.warnings),
                        ("status", &status(lang, r)),
                    ],
                );
                outln!("  {line}")?;
                match &diff {
                    Some(d) if d.is_empty() => outln!("    {}", tr(lang, "cli.store_no_changes"))?,
                    Some(d) => {
                        outln!("    {}", trf(lang, "cli.store_changes", &[("count", &d.len())]))?;
                        for c in d {
                            let show = |s: &str| {
                                if s.trim().is_empty() {
                                    tr(lang, "word.blank").to_string()
                                } else {
                                    format!("{s:?}")
                                }
                            };
                            outln!(
                                "      {:<10} {:<28} {} → {}",
                                c.question,
                                c.place,
                                show(&c.before),
                                show(&c.after)
                            )?;
                        }
                    }
                    None => {}
                }
            }
            json_versions.push(json!({ "return": r, "changes": diff }));
        }
        json_years.push(json!({ "year": year, "versions": json_versions }));
    }
    if global.format != Format::Text {
        outln!(
            "{}",
            serde_json::to_string_pretty(
                &json!({ "city_id": versions[0].city_id, "years": json_years })
            )?
        )?;
    }
    Ok(Outcome::Success)
}
