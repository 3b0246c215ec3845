//! The analyst's hand on the versions of a return: a review of the current version
//! (`store review`) and an earlier version made current again (`store restore`), each
//! recorded as an [`Event`] with its time.

use std::collections::HashSet;

use super::events::{self, Event, EventKind, ReviewStatus};
use super::{ReturnRecord, Store, StoreError};
use crate::i18n::{tr, trf, Lang};

/// Why a review or a restore could not be done.
#[derive(Debug, thiserror::Error)]
pub enum VersionError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No return of this government in the store (the ids it knows).
    #[error("{}", self.message(Lang::En))]
    NoCity { city: String, known: Vec<String> },
    /// The government has no return for this year (the years it has).
    #[error("{}", self.message(Lang::En))]
    NoYear { city_id: String, name: String, year: i32, years: Vec<i32> },
    /// The return has no such version (how many it has).
    #[error("{}", self.message(Lang::En))]
    NoVersion { city_id: String, name: String, year: i32, version: usize, versions: usize },
    /// The current version was accepted: changing it needs `--reopen`.
    #[error("{}", self.message(Lang::En))]
    Accepted { city_id: String, name: String, year: i32, at: String, by: Option<String> },
}

impl VersionError {
    /// What went wrong, and what to do, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            VersionError::Store(e) => e.to_string(),
            VersionError::NoCity { city, known } => {
                trf(lang, "cli.store_no_city", &[("city", city), ("known", &known.join(", "))])
            }
            VersionError::NoYear { city_id, name, year, years } => {
                let years: Vec<String> = years.iter().map(i32::to_string).collect();
                trf(
                    lang,
                    "restore.no_year",
                    &[
                        ("name", name),
                        ("city", city_id),
                        ("year", year),
                        ("years", &years.join(", ")),
                    ],
                )
            }
            VersionError::NoVersion { city_id, name, year, version, versions } => trf(
                lang,
                "restore.no_version",
                &[
                    ("name", name),
                    ("city", city_id),
                    ("year", year),
                    ("version", version),
                    ("versions", versions),
                ],
            ),
            VersionError::Accepted { city_id, name, year, at, by } => {
                let by = by
                    .as_deref()
                    .map_or_else(String::new, |b| trf(lang, "review.by", &[("by", &b)]));
                trf(
                    lang,
                    "review.accepted_protected",
                    &[("name", name), ("city", city_id), ("year", year), ("at", at), ("by", &by)],
                )
            }
        }
    }
}

/// What `store restore` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Restored {
    /// The version asked for is already the current one: nothing changed.
    AlreadyCurrent(Box<ReturnRecord>),
    /// `restored` (version `version`) is current again in place of `previous`.
    Done { restored: Box<ReturnRecord>, previous: Box<ReturnRecord>, version: usize },
}

/// The versions of the return of `city` (an id, in any case) for `year` (by default its
/// latest year), in the order filed.
fn versions_of(
    returns: &[ReturnRecord],
    city: &str,
    year: Option<i32>,
) -> Result<Vec<ReturnRecord>, VersionError> {
    let of_city: Vec<&ReturnRecord> =
        returns.iter().filter(|r| r.city_id.eq_ignore_ascii_case(city.trim())).collect();
    let Some(first) = of_city.first() else {
        let mut known: Vec<String> = returns.iter().map(|r| r.city_id.clone()).collect();
        known.sort();
        known.dedup();
        return Err(VersionError::NoCity { city: city.to_string(), known });
    };
    let mut years: Vec<i32> = of_city.iter().map(|r| r.year).collect();
    years.sort_unstable();
    years.dedup();
    let year = year.unwrap_or_else(|| years.last().copied().unwrap_or(0));
    let versions: Vec<ReturnRecord> =
        of_city.iter().filter(|r| r.year == year).map(|r| (*r).clone()).collect();
    if versions.is_empty() {
        return Err(VersionError::NoYear {
            city_id: first.city_id.clone(),
            name: first.city_name.clone(),
            year,
            years,
        });
    }
    Ok(versions)
}

/// The current one of `versions`.
fn current(versions: &[ReturnRecord]) -> Result<&ReturnRecord, VersionError> {
    versions.iter().find(|r| r.superseded_by.is_none()).ok_or_else(|| {
        let r = &versions[0];
        VersionError::Store(StoreError::Damaged {
            path: super::RETURNS.into(),
            message: format!("{} {} has no current version", r.city_id, r.year),
        })
    })
}

/// Every return listed: the events of these stay when the table is written again.
fn listed(returns: &[ReturnRecord]) -> HashSet<&str> {
    returns.iter().map(|r| r.sha256.as_str()).collect()
}

impl Store {
    /// Records a review of the current version of `city`'s return of `year` (by default
    /// its latest), at time `now`; returns the version reviewed and the event.
    pub fn review(
        &self,
        city: &str,
        year: Option<i32>,
        status: ReviewStatus,
        note: Option<&str>,
        by: Option<&str>,
        now: &str,
    ) -> Result<(ReturnRecord, Event), VersionError> {
        let _lock = self.lock()?;
        let returns = self.returns()?;
        let versions = versions_of(&returns, city, year)?;
        let record = current(&versions)?.clone();
        let event = Event {
            seq: 0,
            at: now.to_string(),
            kind: EventKind::Review,
            city_id: record.city_id.clone(),
            year: record.year,
            sha256: record.sha256.clone(),
            previous_sha256: None,
            status: Some(status),
            note: clean(note),
            by: clean(by),
            detail: None,
        };
        events::append_events(self.dir(), &listed(&returns), vec![event.clone()])?;
        let recorded = self.events()?.into_iter().last().unwrap_or(event);
        Ok((record, recorded))
    }

    /// Makes version `version` (1 = the first filed) of `city`'s return of `year` current
    /// again, recording `reason` (and `by`) at time `now`. An accepted current version is
    /// replaced only when `reopen`.
    #[allow(clippy::too_many_arguments)]
    pub fn restore(
        &self,
        city: &str,
        year: i32,
        version: usize,
        reason: &str,
        by: Option<&str>,
        reopen: bool,
        now: &str,
    ) -> Result<Restored, VersionError> {
        let _lock = self.lock()?;
        let mut returns = self.returns()?;
        let versions = versions_of(&returns, city, Some(year))?;
        let Some(wanted) = version.checked_sub(1).and_then(|i| versions.get(i)).cloned() else {
            let r = &versions[0];
            return Err(VersionError::NoVersion {
                city_id: r.city_id.clone(),
                name: r.city_name.clone(),
                year,
                version,
                versions: versions.len(),
            });
        };
        let previous = current(&versions)?.clone();
        if previous.sha256 == wanted.sha256 {
            return Ok(Restored::AlreadyCurrent(Box::new(wanted)));
        }
        let events = self.events()?;
        let accepted = events::latest_review(&events, &previous.sha256)
            .filter(|e| e.status == Some(ReviewStatus::Accepted));
        if let (Some(review), false) = (accepted, reopen) {
            return Err(VersionError::Accepted {
                city_id: previous.city_id.clone(),
                name: previous.city_name.clone(),
                year,
                at: review.at.clone(),
                by: review.by.clone(),
            });
        }
        for r in returns.iter_mut() {
            if r.sha256 == previous.sha256 {
                r.superseded_by = Some(wanted.sha256.clone());
            } else if r.sha256 == wanted.sha256 {
                r.superseded_by = None;
            }
        }
        let event = Event {
            seq: 0,
            at: now.to_string(),
            kind: EventKind::Restore,
            city_id: wanted.city_id.clone(),
            year,
            sha256: wanted.sha256.clone(),
            previous_sha256: Some(previous.sha256.clone()),
            status: None,
            note: clean(Some(reason)),
            by: clean(by),
            detail: accepted.map(|_| "accepted".to_string()),
        };
        events::append_events(self.dir(), &listed(&returns), vec![event])?;
        self.write_returns(&returns)?;
        let restored =
            returns.iter().find(|r| r.sha256 == wanted.sha256).cloned().unwrap_or(wanted);
        Ok(Restored::Done { restored: Box::new(restored), previous: Box::new(previous), version })
    }
}

/// `text` trimmed, or `None` when there is nothing in it.
fn clean(text: Option<&str>) -> Option<String> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(String::from)
}

/// The key of an event kind's description in the messages, for `store history`.
pub fn event_key(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Review => "review.event_review",
        EventKind::Restore => "restore.event_restore",
        EventKind::Refile => "restore.event_refile",
        EventKind::Replace => "restore.event_replace",
        EventKind::Reopen => "restore.event_reopen",
    }
}

/// The name of review status `status` in `lang`.
pub fn status_name(status: ReviewStatus, lang: Lang) -> &'static str {
    tr(
        lang,
        match status {
            ReviewStatus::Received => "review.status.received",
            ReviewStatus::NeedsCorrection => "review.status.needs_correction",
            ReviewStatus::Accepted => "review.status.accepted",
            ReviewStatus::Rejected => "review.status.rejected",
        },
    )
}
