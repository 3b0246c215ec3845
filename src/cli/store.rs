//! `hrcities store list|history|review|restore`: what the campaign store holds, how it
//! changed, the campaign's review of each return, and an earlier version made current again.

use std::collections::BTreeMap;

use serde_json::json;

use super::{Format, GlobalArgs, Outcome, StoreArgs};
use crate::i18n::{tr, trf, Lang};
use crate::store::{
    event_key, latest_review, status_name, Event, EventKind, ResponseRow, Restored, ReturnRecord,
    ReviewStatus, Store, VersionError,
};

/// Show what the campaign store holds: cities × years, and each return's history; record
/// the campaign's review of a return; make an earlier version of a return current again.
///
/// Examples:
///   hrcities store list
///   hrcities store list --all --format csv > returns.csv
///   hrcities store history COL-villa-esperanza-del-sur
///   hrcities store review COL-villa-esperanza-del-sur --year 2026 --status accepted --by Ana
///   hrcities store restore COL-villa-esperanza-del-sur --year 2025 --version 1 \
///       --reason "the 2026 file was filed as 2025 by mistake"
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
    /// Every version of a city's returns, year by year, with the answers that changed,
    /// the reviews and the versions made current again.
    History {
        /// The city's id (as `store list` shows it, e.g. COL-villa-esperanza-del-sur).
        city: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    Review(ReviewArgs),
    Restore(RestoreArgs),
}

/// Record the campaign's review of a return: received, needs_correction, accepted or
/// rejected, with the time (UTC), a note and who reviewed it.
///
/// The review is of the return's current version. Every review is kept (`store history`
/// shows them); `store list` and `hrcities status` show the latest. An accepted return is
/// protected: a different file for it is refused unless `ingest --reopen`, which the
/// history records.
///
/// Examples:
///   hrcities store review COL-villa-esperanza-del-sur --status accepted --by "Ana Ruiz"
///   hrcities store review FRA-valbrume-sur-loirette --year 2026 --status needs_correction \
///       --note "HOU_Q03 above HOU_Q02: asked the city on 3 March"
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct ReviewArgs {
    /// The city's id (as `store list` shows it).
    pub city: String,
    /// The reporting year (default: the city's latest).
    #[arg(long, value_name = "YEAR")]
    pub year: Option<i32>,
    /// The review's outcome.
    #[arg(long, value_enum)]
    pub status: ReviewStatus,
    /// A note kept with the review (what was checked, what was asked of the city).
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Who reviewed it.
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Make an earlier version of a return current again, with the reason, which the history
/// keeps (with the time, UTC). Version numbers are those `store history CITY` shows.
///
/// Nothing is deleted: the version it replaces stays in the history and can be restored
/// in turn. An accepted current version is replaced only with --reopen.
///
/// Example:
///   hrcities store restore COL-villa-esperanza-del-sur --year 2025 --version 1 \
///       --reason "the 2026 file was filed as 2025 by mistake"
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct RestoreArgs {
    /// The city's id (as `store list` shows it).
    pub city: String,
    /// The reporting year.
    #[arg(long, value_name = "YEAR")]
    pub year: i32,
    /// The version to make current (1 = the first filed; see `store history CITY`).
    #[arg(long, value_name = "N")]
    pub version: usize,
    /// Why: kept in the history.
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// Who restored it.
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// Replace the current version even though the campaign accepted it.
    #[arg(long)]
    pub reopen: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Runs `hrcities store …`.
pub fn run(args: &Args, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    match &args.command {
        Command::List { all, store } => list(&Store::open(&store.store)?, *all, global),
        Command::History { city, store } => history(&Store::open(&store.store)?, city, global),
        Command::Review(a) => review(a, global),
        Command::Restore(a) => restore(a, global),
    }
}

/// The message `key` with its placeholder `name` filled with `text`, or nothing without a
/// text (" by Ana", " (note: …)").
fn part(lang: Lang, key: &str, name: &str, text: Option<&str>) -> String {
    text.map_or_else(String::new, |t| trf(lang, key, &[(name, &t)]))
}

fn review(args: &ReviewArgs, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let lang = global.lang();
    let store = Store::open(&args.store.store)?;
    let now = crate::store::now_utc();
    let (record, event) = store
        .review(&args.city, args.year, args.status, args.note.as_deref(), args.by.as_deref(), &now)
        .map_err(|e| version_error(e, lang))?;
    let all = store.returns()?;
    let version = version_number(&all, &record);
    global.say(trf(
        lang,
        "review.recorded",
        &[
            ("name", &record.city_name),
            ("city", &record.city_id),
            ("year", &record.year),
            ("status", &status_name(args.status, lang)),
            ("n", &version),
            ("file", &record.file),
            ("at", &event.at),
            ("by", &part(lang, "review.by", "by", event.by.as_deref())),
            ("note", &part(lang, "review.note", "note", event.note.as_deref())),
        ],
    ))?;
    Ok(Outcome::Success)
}

fn restore(args: &RestoreArgs, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let lang = global.lang();
    let store = Store::open(&args.store.store)?;
    if args.reason.trim().is_empty() {
        anyhow::bail!(tr(lang, "restore.no_reason").to_string());
    }
    let now = crate::store::now_utc();
    let restored = store
        .restore(
            &args.city,
            args.year,
            args.version,
            &args.reason,
            args.by.as_deref(),
            args.reopen,
            &now,
        )
        .map_err(|e| version_error(e, lang))?;
    let all = store.returns()?;
    let line = match &restored {
        Restored::AlreadyCurrent(r) => trf(
            lang,
            "restore.already",
            &[
                ("n", &args.version),
                ("name", &r.city_name),
                ("city", &r.city_id),
                ("year", &r.year),
                ("file", &r.file),
            ],
        ),
        Restored::Done { restored, previous, version } => trf(
            lang,
            "restore.done",
            &[
                ("n", version),
                ("name", &restored.city_name),
                ("city", &restored.city_id),
                ("year", &restored.year),
                ("file", &restored.file),
                ("previous", &version_number(&all, previous)),
                ("previous_file", &previous.file),
            ],
        ),
    };
    global.say(line)?;
    Ok(Outcome::Success)
}

/// A review's or restore's error for `main` to print: a store error as it is (said in
/// `lang` at the edge, [`super::describe`]), the others in `lang` here.
fn version_error(e: VersionError, lang: Lang) -> anyhow::Error {
    match e {
        VersionError::Store(s) => anyhow::Error::new(s),
        other => anyhow::anyhow!(other.message(lang)),
    }
}

/// The number `store history` gives `record` among the versions of its city and year.
fn version_number(all: &[ReturnRecord], record: &ReturnRecord) -> usize {
    all.iter()
        .filter(|r| r.city_id == record.city_id && r.year == record.year)
        .position(|r| r.sha256 == record.sha256)
        .map_or(0, |i| i + 1)
}

/// The latest review status of `record` among `events` (`received` when none).
fn review_status(events: &[Event], record: &ReturnRecord) -> (ReviewStatus, Option<String>) {
    match latest_review(events, &record.sha256) {
        Some(e) => (e.status.unwrap_or(ReviewStatus::Received), Some(e.at.clone())),
        None => (ReviewStatus::Received, None),
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
    let events = store.events()?;
    let reviews: Vec<(ReviewStatus, Option<String>)> =
        rows.iter().map(|r| review_status(&events, r)).collect();
    match global.format {
        Format::Json => {
            #[derive(serde::Serialize)]
            struct Row<'a> {
                #[serde(flatten)]
                record: &'a ReturnRecord,
                review_status: ReviewStatus,
                reviewed_at: Option<&'a str>,
            }
            let rows: Vec<Row<'_>> = rows
                .iter()
                .zip(&reviews)
                .map(|(record, (status, at))| Row {
                    record,
                    review_status: *status,
                    reviewed_at: at.as_deref(),
                })
                .collect();
            outln!("{}", serde_json::to_string_pretty(&rows)?)?
        }
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
                "review_status",
                "reviewed_at",
            ])?;
            for (r, (review, at)) in rows.iter().zip(&reviews) {
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
                    review.code().to_string(),
                    at.clone().unwrap_or_default(),
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
                .zip(&reviews)
                .map(|(r, (review, _))| {
                    vec![
                        r.city_id.clone(),
                        r.city_name.clone(),
                        r.year.to_string(),
                        status(lang, r).to_string(),
                        status_name(*review, lang).to_string(),
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
pub(super) fn aligned(header: &[String], rows: &[Vec<String>]) -> String {
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
        let same = raw_before.trim() == r.raw.trim();
        // Left blank in both (a question new in this version's template is no change).
        if same && (status_before == Some(r.status) || r.raw.trim().is_empty()) {
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

/// One event of the history as a line, in `lang`; `number` gives a version's number.
fn event_line(lang: Lang, e: &Event, number: &dyn Fn(&str) -> usize) -> String {
    let detail: Vec<String> = e
        .detail
        .as_deref()
        .unwrap_or("")
        .split(';')
        .filter(|c| !c.is_empty())
        .map(|c| tr(lang, &format!("restore.detail.{c}")).to_string())
        .collect();
    let line = trf(
        lang,
        event_key(e.kind),
        &[
            ("at", &e.at),
            ("n", &number(&e.sha256)),
            ("previous", &e.previous_sha256.as_deref().map_or(0, number)),
            ("status", &e.status.map_or("", |s| status_name(s, lang))),
            ("by", &part(lang, "review.by", "by", e.by.as_deref())),
            ("note", &part(lang, "review.note", "note", e.note.as_deref())),
            ("detail", &detail.join(", ")),
        ],
    );
    // A version made current again over what would have stopped it says so.
    match e.kind {
        EventKind::Restore | EventKind::Refile if !detail.is_empty() => {
            line + &trf(lang, "restore.overrode", &[("detail", &detail.join(", "))])
        }
        _ => line,
    }
}

fn history(store: &Store, city: &str, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let lang = global.lang();
    let all = store.returns()?;
    let events = store.events()?;
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
                let (review, _) = review_status(&events, r);
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
                let line = trf(
                    lang,
                    "review.version_line",
                    &[("line", &line), ("review", &status_name(review, lang))],
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
        // The reviews and the versions made current, in order.
        let these: Vec<&Event> = events
            .iter()
            .filter(|e| e.year == *year && indices.iter().any(|&i| versions[i].sha256 == e.sha256))
            .collect();
        let number = |sha: &str| {
            indices.iter().position(|&i| versions[i].sha256 == sha).map_or(0, |n| n + 1)
        };
        if global.format == Format::Text && !these.is_empty() {
            outln!("  {}", tr(lang, "review.history_heading"))?;
            for e in &these {
                outln!("    {}", event_line(lang, e, &number))?;
            }
        }
        let json_events: Vec<serde_json::Value> = these
            .iter()
            .map(|e| {
                json!({
                    "event": e,
                    "version": number(&e.sha256),
                    "previous_version": e.previous_sha256.as_deref().map(number),
                })
            })
            .collect();
        json_years.push(json!({ "year": year, "versions": json_versions, "events": json_events }));
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
