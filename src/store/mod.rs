//! Stage 4: the campaign store — every answer of every return, city × year × question,
//! with its raw text, parsed value, status and provenance (file, sheet, cell, sha256).
//!
//! A store is a folder of three Parquet tables:
//!
//! - `returns.parquet` — one row per ingested file (its sha256, city, year, file name,
//!   time of ingest, counts of errors and warnings, and the sha256 of the version that
//!   superseded it, if any). **This table is the commit point**: a row exists only once
//!   everything it refers to is on disk.
//! - `responses.parquet` — one row per return × question: raw text, parsed value, status,
//!   sheet, cell, source, comment and the code of the answer's diagnostic.
//! - `diagnostics.parquet` — every diagnostic of every return.
//! - `groups.parquet` — breakdown answers (Contract 5); `followup.parquet` — the follow-up
//!   of UN recommendations (Contract 6); `recommendations.parquet` — the recommendations
//!   imported (see [`crate::recommend::Registry`]).
//! - `events.parquet` — the campaign's reviews of the returns and the versions made current
//!   again or replaced on the analyst's word ([`Event`]).
//! - `pledges.parquet` — the campaign's pledge register, every version of every row
//!   ([`pledges`]).
//!
//! Every version of every return is kept; the current one of a city and year is the one no
//! later version superseded (`superseded_by` names the version made current in its place:
//! a later file, or an earlier version restored). Writes go through temporary files renamed into place, data
//! tables first and `returns.parquet` last, so a store interrupted at any moment still
//! reads as it was before or after the interrupted ingest: rows of a return that
//! `returns.parquet` does not list are ignored, and ingesting that file again replaces
//! them. An exclusive lock on `.lock` keeps two ingests from interleaving; the operating
//! system releases it when the process ends, however it ends.

mod events;
mod file;
mod ingest;
pub mod pledges;
pub(crate) mod table;
pub mod tracker;
mod versions;

use std::fs::File;
use std::path::{Path, PathBuf};

pub use crate::export::sha256_hex;
pub use crate::questionnaire::answer::ResponseStatus;
pub use events::{latest_review, Event, EventKind, ReviewStatus};
pub use file::{compare_with_store, file_results, file_results_with, Filed};
pub use ingest::{name_year, Ingest, IngestOptions, IngestOutcome, Mismatch, Skipped};
pub use pledges::{Pledge, PledgeStatus, Register};
pub use table::{responses_export, FollowUpRow, GroupRow, ResponseRow, ReturnRecord};
pub use tracker::{track, ReturnState, Tracked, Tracker};
pub use versions::{event_key, status_name, Restored, VersionError};

/// Why the store could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no store at {0} (run `hrcities ingest RETURNS… --store {0}` first)")]
    NotFound(PathBuf),
    #[error("cannot use the store at {path} ({source})")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("the store table {path} cannot be read ({source})")]
    Table { path: PathBuf, source: polars::error::PolarsError },
    #[error("the store table {path} is damaged ({message})")]
    Damaged { path: PathBuf, message: String },
}

impl StoreError {
    fn io(path: &Path, source: std::io::Error) -> StoreError {
        StoreError::Io { path: path.to_path_buf(), source }
    }
}

/// The file names of the store's tables.
pub const RETURNS: &str = "returns.parquet";
/// See [`RETURNS`].
pub const RESPONSES: &str = "responses.parquet";
/// See [`RETURNS`].
pub const DIAGNOSTICS: &str = "diagnostics.parquet";
/// See [`RETURNS`].
pub const GROUPS: &str = "groups.parquet";
/// See [`RETURNS`].
pub const FOLLOWUP: &str = "followup.parquet";
/// See [`RETURNS`].
pub const EVENTS: &str = "events.parquet";
const LOCK: &str = ".lock";

/// A store folder.
#[derive(Clone, Debug)]
pub struct Store {
    dir: PathBuf,
}

/// Holds the store's lock until dropped.
pub struct Lock {
    _file: File,
}

impl Store {
    /// The store in `dir`, which must exist and hold a store.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        if !dir.join(RETURNS).is_file() {
            return Err(StoreError::NotFound(dir.to_path_buf()));
        }
        Ok(Store { dir: dir.to_path_buf() })
    }

    /// The store in `dir`, made (empty) if it does not exist yet.
    pub fn open_or_create(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
        Ok(Store { dir: dir.to_path_buf() })
    }

    /// The store's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Takes the store's exclusive lock, waiting for another ingest to finish.
    pub fn lock(&self) -> Result<Lock, StoreError> {
        let path = self.dir.join(LOCK);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| StoreError::io(&path, e))?;
        file.lock().map_err(|e| StoreError::io(&path, e))?;
        Ok(Lock { _file: file })
    }

    /// Every ingested file, in the order of ingest (empty for a new store).
    pub fn returns(&self) -> Result<Vec<ReturnRecord>, StoreError> {
        table::read_returns(&self.dir.join(RETURNS))
    }

    /// The ids of every city with a return in the store.
    pub fn city_ids(&self) -> Result<std::collections::HashSet<String>, StoreError> {
        Ok(self.returns()?.into_iter().map(|r| r.city_id).collect())
    }

    /// The current version of each city and year, in city and year order.
    pub fn current(&self) -> Result<Vec<ReturnRecord>, StoreError> {
        let mut out: Vec<ReturnRecord> =
            self.returns()?.into_iter().filter(|r| r.superseded_by.is_none()).collect();
        out.sort_by(|a, b| (&a.city_id, a.year).cmp(&(&b.city_id, b.year)));
        Ok(out)
    }

    /// The responses of the returns with the given sha256s, grouped by return in that
    /// order, each in stored (framework) order.
    pub fn responses(&self, shas: &[&str]) -> Result<Vec<Vec<ResponseRow>>, StoreError> {
        table::read_responses(&self.dir.join(RESPONSES), shas)
    }

    /// The breakdown answers of the returns with the given sha256s, grouped as in
    /// [`Store::responses`], in sheet order.
    pub fn groups(&self, shas: &[&str]) -> Result<Vec<Vec<GroupRow>>, StoreError> {
        table::read_groups(&self.dir.join(GROUPS), shas)
    }

    /// The follow-up of UN recommendations of the returns with the given sha256s, grouped
    /// as in [`Store::responses`], in sheet order.
    pub fn followup(&self, shas: &[&str]) -> Result<Vec<Vec<FollowUpRow>>, StoreError> {
        table::read_followup(&self.dir.join(FOLLOWUP), shas)
    }

    /// The diagnostics of the returns with the given sha256s, grouped as in
    /// [`Store::responses`].
    pub fn diagnostics(
        &self,
        shas: &[&str],
    ) -> Result<Vec<Vec<crate::validate::Diagnostic>>, StoreError> {
        table::read_diagnostics(&self.dir.join(DIAGNOSTICS), shas)
    }
}

/// The time now as RFC 3339 UTC (`2026-11-28T12:03:04Z`), or the time that
/// `SOURCE_DATE_EPOCH` gives (for reproducible runs).
pub fn now_utc() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok());
    let secs = secs.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    });
    format_utc(secs)
}

/// Seconds since 1970-01-01T00:00:00Z as RFC 3339 UTC.
pub fn format_utc(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let date = crate::questionnaire::answer::Date::from_excel_serial((days + 25_569) as f64)
        .map_or_else(|| "1970-01-01".to_string(), |d| d.to_string());
    format!("{date}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Seconds since 1970-01-01T00:00:00Z of an RFC 3339 UTC time as [`format_utc`] writes it
/// (`2026-11-28T12:03:04Z`); `None` for anything else.
pub fn parse_utc(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[19] != b'Z' {
        return None;
    }
    let num = |a: usize, z: usize| text.get(a..z)?.parse::<i64>().ok();
    let (y, m, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (hh, mm, ss) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hh * 3600 + mm * 60 + ss)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_times_round_trip() {
        for secs in [0, 951_782_400, 1_764_331_384, 4_102_444_799] {
            assert_eq!(parse_utc(&format_utc(secs)), Some(secs), "{}", format_utc(secs));
        }
        assert_eq!(parse_utc("2026-11-28T12:03:04Z"), Some(1_795_867_384));
        assert_eq!(parse_utc("2026-11-28 12:03:04"), None);
    }

    #[test]
    fn status_names_round_trip() {
        for s in ResponseStatus::ALL {
            assert_eq!(ResponseStatus::from_name(s.name()), Some(s));
        }
        assert_eq!(ResponseStatus::from_name("other"), None);
    }

    #[test]
    fn timestamps_are_utc_rfc3339() {
        assert_eq!(format_utc(1_795_867_384), "2026-11-28T12:03:04Z");
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
    }
}
