//! What happened to the returns besides being filed (`events.parquet`): the campaign's
//! reviews (received, needs correction, accepted, rejected), earlier versions made current
//! again (`store restore`, or the same file filed again), and the refusals the analyst
//! overrode (`ingest --replace`, `--reopen`). Every event is kept, with its UTC time, and
//! names the version it is about by sha256.
//!
//! An event is written before `returns.parquet`, the store's commit point: an event about
//! a version that `returns.parquet` does not list (an ingest interrupted before its commit)
//! is ignored when read, and dropped at the next write.

use std::collections::HashSet;
use std::path::Path;

use polars::prelude::*;
use serde::Serialize;

use super::table::{self, Cols};
use super::{Store, StoreError, EVENTS};

/// The campaign's review of a return.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Received, not yet judged (every filed return is, until reviewed).
    Received,
    /// The government must correct it and send it again.
    #[value(name = "needs_correction", alias = "needs-correction")]
    NeedsCorrection,
    /// Accepted: a different file for it needs `--reopen`.
    Accepted,
    /// Rejected: not to be used.
    Rejected,
}

impl ReviewStatus {
    /// Every status, in the order of the review.
    pub const ALL: [ReviewStatus; 4] = [
        ReviewStatus::Received,
        ReviewStatus::NeedsCorrection,
        ReviewStatus::Accepted,
        ReviewStatus::Rejected,
    ];

    /// The code stored and printed for programs (`needs_correction`).
    pub fn code(self) -> &'static str {
        match self {
            ReviewStatus::Received => "received",
            ReviewStatus::NeedsCorrection => "needs_correction",
            ReviewStatus::Accepted => "accepted",
            ReviewStatus::Rejected => "rejected",
        }
    }

    /// The status with code `code`.
    pub fn from_code(code: &str) -> Option<ReviewStatus> {
        ReviewStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// What an event records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A review of the version (`store review`).
    Review,
    /// The version was made current again by `store restore`, with a reason.
    Restore,
    /// The version was made current again because the same file was filed again.
    Refile,
    /// The version replaced a current one whose file name, reporting year or government
    /// differed, because the analyst said `--replace` (`detail` says what differed).
    Replace,
    /// The version replaced an accepted one, because the analyst said `--reopen`.
    Reopen,
}

impl EventKind {
    const ALL: [EventKind; 5] = [
        EventKind::Review,
        EventKind::Restore,
        EventKind::Refile,
        EventKind::Replace,
        EventKind::Reopen,
    ];

    /// The code stored (`review`, `restore`, …).
    pub fn code(self) -> &'static str {
        match self {
            EventKind::Review => "review",
            EventKind::Restore => "restore",
            EventKind::Refile => "refile",
            EventKind::Replace => "replace",
            EventKind::Reopen => "reopen",
        }
    }

    fn from_code(code: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// One event (a row of `events.parquet`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Event {
    /// Order of the events, from 1.
    pub seq: u32,
    /// When (RFC 3339, UTC).
    pub at: String,
    pub kind: EventKind,
    pub city_id: String,
    pub year: i32,
    /// The version it is about: reviewed, made current, or filed.
    pub sha256: String,
    /// The version that was current before (restore, refile, replace, reopen).
    pub previous_sha256: Option<String>,
    /// The review's status (reviews only).
    pub status: Option<ReviewStatus>,
    /// The review's note, or the reason for a restore, as the analyst wrote it.
    pub note: Option<String>,
    /// Who (`--by`).
    pub by: Option<String>,
    /// For `replace` and `reopen`: what differed, as codes joined by `;` (`file_name`,
    /// `name_year`, `city_name`, `accepted`).
    pub detail: Option<String>,
}

/// Reads `events.parquet` (empty if it does not exist).
pub(super) fn read_events(path: &Path) -> Result<Vec<Event>, StoreError> {
    let Some(df) = table::read_table(path)? else { return Ok(Vec::new()) };
    let c = Cols { df: &df, path };
    let (seq, year) = (c.num::<UInt32Type>("seq")?, c.num::<Int32Type>("year")?);
    let at = c.utc("at")?;
    let mut out = Vec::with_capacity(df.height());
    for (i, at) in at.into_iter().enumerate() {
        let kind = c.req("kind", i)?;
        let kind = EventKind::from_code(&kind)
            .ok_or_else(|| c.damaged(format!("unknown event kind `{kind}`")))?;
        let status = match c.opt("status", i)? {
            Some(s) => Some(
                ReviewStatus::from_code(&s)
                    .ok_or_else(|| c.damaged(format!("unknown review status `{s}`")))?,
            ),
            None => None,
        };
        out.push(Event {
            seq: seq.get(i).unwrap_or(0),
            at,
            kind,
            city_id: c.req("city_id", i)?,
            year: year.get(i).ok_or_else(|| c.damaged(format!("no year in row {}", i + 1)))?,
            sha256: c.req("sha256", i)?,
            previous_sha256: c.opt("previous_sha256", i)?,
            status,
            note: c.opt("note", i)?,
            by: c.opt("by", i)?,
            detail: c.opt("detail", i)?,
        });
    }
    out.sort_by_key(|e| e.seq);
    Ok(out)
}

/// `events` as a table.
pub(super) fn events_frame(events: &[Event]) -> PolarsResult<DataFrame> {
    let s = |f: fn(&Event) -> &str| events.iter().map(f).collect::<Vec<_>>();
    let o = |f: fn(&Event) -> Option<&str>| events.iter().map(f).collect::<Vec<_>>();
    DataFrame::new_infer_height(vec![
        Column::new("seq".into(), events.iter().map(|e| e.seq).collect::<Vec<_>>()),
        table::utc_column("at", events.iter().map(|e| e.at.as_str()))?,
        Column::new("kind".into(), s(|e| e.kind.code())),
        Column::new("city_id".into(), s(|e| &e.city_id)),
        Column::new("year".into(), events.iter().map(|e| e.year).collect::<Vec<_>>()),
        Column::new("sha256".into(), s(|e| &e.sha256)),
        Column::new("previous_sha256".into(), o(|e| e.previous_sha256.as_deref())),
        Column::new("status".into(), o(|e| e.status.map(ReviewStatus::code))),
        Column::new("note".into(), o(|e| e.note.as_deref())),
        Column::new("by".into(), o(|e| e.by.as_deref())),
        Column::new("detail".into(), o(|e| e.detail.as_deref())),
    ])
}

/// Adds `new` to the events of the store in `dir`, keeping only the events of the returns
/// `keep` (the committed ones, and those being filed with `new`). Numbers `new` from the
/// last event's number.
pub(super) fn append_events(
    dir: &Path,
    keep: &HashSet<&str>,
    mut new: Vec<Event>,
) -> Result<(), StoreError> {
    if new.is_empty() {
        return Ok(());
    }
    let path = dir.join(EVENTS);
    let last = read_events(&path)?.iter().map(|e| e.seq).max().unwrap_or(0);
    for (i, e) in new.iter_mut().enumerate() {
        e.seq = last + 1 + i as u32;
    }
    super::ingest::append(&path, keep, events_frame(&new))
}

/// The latest review of the version `sha256` among `events`, if any.
pub fn latest_review<'a>(events: &'a [Event], sha256: &str) -> Option<&'a Event> {
    events.iter().rev().find(|e| e.kind == EventKind::Review && e.sha256 == sha256)
}

impl Store {
    /// Every event about a version the store lists, in order.
    pub fn events(&self) -> Result<Vec<Event>, StoreError> {
        let mut events = read_events(&self.dir().join(EVENTS))?;
        if events.is_empty() {
            return Ok(events);
        }
        let returns = self.returns()?;
        let listed: HashSet<&str> = returns.iter().map(|r| r.sha256.as_str()).collect();
        events.retain(|e| listed.contains(e.sha256.as_str()));
        Ok(events)
    }
}
