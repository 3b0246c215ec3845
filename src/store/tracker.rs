//! The return tracker (`hrcities status`): every government expected to return a
//! questionnaire for a year — each that pledged (and has not withdrawn) and each that
//! returned one for an earlier year — with where its return stands: missing, received with
//! errors, received, needs correction, accepted or rejected, and whom to write to, in which
//! language.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;

use super::events::{latest_review, ReviewStatus};
use super::pledges::{Pledge, PledgeStatus, Register};
use super::{ResponseRow, ReturnRecord, Store, StoreError};
use crate::framework::Framework;
use crate::i18n::{fold, tr, Lang};

/// Where a government's return for the year stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnState {
    /// No return for the year in the store.
    Missing,
    /// Filed, with errors, not yet reviewed.
    ReceivedWithErrors,
    /// Filed without errors, not yet reviewed.
    Received,
    /// The campaign asked for a correction.
    NeedsCorrection,
    /// The campaign accepted it.
    Accepted,
    /// The campaign rejected it.
    Rejected,
}

impl ReturnState {
    /// Every state, in the order of the campaign's work.
    pub const ALL: [ReturnState; 6] = [
        ReturnState::Missing,
        ReturnState::ReceivedWithErrors,
        ReturnState::Received,
        ReturnState::NeedsCorrection,
        ReturnState::Accepted,
        ReturnState::Rejected,
    ];

    /// The code printed for programs (`received_with_errors`).
    pub fn code(self) -> &'static str {
        match self {
            ReturnState::Missing => "missing",
            ReturnState::ReceivedWithErrors => "received_with_errors",
            ReturnState::Received => "received",
            ReturnState::NeedsCorrection => "needs_correction",
            ReturnState::Accepted => "accepted",
            ReturnState::Rejected => "rejected",
        }
    }

    /// Its name in `lang`.
    pub fn name(self, lang: Lang) -> &'static str {
        tr(
            lang,
            match self {
                ReturnState::Missing => "status.state.missing",
                ReturnState::ReceivedWithErrors => "status.state.received_with_errors",
                ReturnState::Received => "status.state.received",
                ReturnState::NeedsCorrection => "status.state.needs_correction",
                ReturnState::Accepted => "status.state.accepted",
                ReturnState::Rejected => "status.state.rejected",
            },
        )
    }

    /// The state of a filed return with `errors`, whose latest review is `review`.
    fn of(errors: u32, review: Option<ReviewStatus>) -> ReturnState {
        match review {
            Some(ReviewStatus::NeedsCorrection) => ReturnState::NeedsCorrection,
            Some(ReviewStatus::Accepted) => ReturnState::Accepted,
            Some(ReviewStatus::Rejected) => ReturnState::Rejected,
            Some(ReviewStatus::Received) | None if errors > 0 => ReturnState::ReceivedWithErrors,
            Some(ReviewStatus::Received) | None => ReturnState::Received,
        }
    }
}

/// One government on the tracker.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tracked {
    pub government_id: String,
    /// Its name: the register's, else its latest return's.
    pub name: String,
    /// ISO 3166-1 alpha-3.
    pub country: Option<String>,
    /// UCLG region code.
    pub region: Option<String>,
    pub government_level: Option<String>,
    pub state: ReturnState,
    /// The file of its return for the year, if any.
    pub file: Option<String>,
    pub errors: Option<u32>,
    pub warnings: Option<u32>,
    /// When the return was last reviewed.
    pub reviewed_at: Option<String>,
    /// Whom to write to: the register's contact, else its latest return's `contact_email`.
    pub contact_email: Option<String>,
    /// The language to write in: the register's, else that of its latest return.
    pub language: Option<Lang>,
    /// Its pledge, if the register has it.
    pub pledge_status: Option<PledgeStatus>,
    pub pledged_on: Option<String>,
    /// The latest year it returned a questionnaire for (up to the year tracked).
    pub last_year_reported: Option<i32>,
}

/// The tracker of one year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tracker {
    pub year: i32,
    /// By country, then name.
    pub governments: Vec<Tracked>,
}

impl Tracker {
    /// How many governments are in each state, in [`ReturnState::ALL`] order.
    pub fn counts(&self) -> Vec<(ReturnState, usize)> {
        ReturnState::ALL
            .iter()
            .map(|s| (*s, self.governments.iter().filter(|g| g.state == *s).count()))
            .collect()
    }
}

/// What a return's profile says of its government.
#[derive(Default)]
struct ProfileFacts {
    country: Option<String>,
    region: Option<String>,
    level: Option<String>,
    email: Option<String>,
    language: Option<Lang>,
}

/// The profile answers of a stored return, and the language of its workbook, told by the
/// name of the sheet its profile was read from.
fn profile_facts(fw: &Framework, rows: &[ResponseRow]) -> ProfileFacts {
    let answer = |id: &str| -> Option<&ResponseRow> {
        rows.iter().find(|r| r.question_id == id && r.status == super::ResponseStatus::Answered)
    };
    let text = |id: &str| answer(id).and_then(|r| r.value_text.clone());
    let sheet = rows.iter().find(|r| r.question_id == "city_name").and_then(|r| r.sheet.clone());
    ProfileFacts {
        country: text("country").map(|c| crate::i18n::country_code(&c).unwrap_or(c)),
        region: text("region"),
        level: text("government_level"),
        email: text("contact_email").map(|e| e.trim().to_string()).filter(|e| !e.is_empty()),
        language: sheet.and_then(|s| {
            Lang::ALL.into_iter().find(|l| crate::questionnaire::layout::profile_sheet(fw, *l) == s)
        }),
    }
}

/// The tracker of `year` (by default the latest year of a return in the store, or last
/// calendar year when there is none) for the store in `dir`, of the governments of UCLG
/// region `region` (a code) if given.
pub fn track(
    fw: &Framework,
    dir: &Path,
    year: Option<i32>,
    region: Option<&str>,
) -> Result<Tracker, StoreError> {
    let register = Register::open(dir)?;
    let (returns, events) = match Store::open(dir) {
        Ok(store) => (store.current()?, store.events()?),
        Err(StoreError::NotFound(_)) if !register.all.is_empty() => (Vec::new(), Vec::new()),
        Err(e) => return Err(e),
    };
    let year = year.unwrap_or_else(|| {
        returns.iter().map(|r| r.year).max().unwrap_or_else(|| {
            super::now_utc().get(..4).and_then(|y| y.parse::<i32>().ok()).unwrap_or(2026) - 1
        })
    });
    let pledges: HashMap<String, Pledge> =
        register.current().into_iter().map(|p| (p.government_id.clone(), p)).collect();
    // Each government's returns up to the year, latest last.
    let mut by_city: BTreeMap<&str, Vec<&ReturnRecord>> = BTreeMap::new();
    for r in returns.iter().filter(|r| r.year <= year) {
        by_city.entry(r.city_id.as_str()).or_default().push(r);
    }
    for list in by_city.values_mut() {
        list.sort_by_key(|r| r.year);
    }
    // Who is expected: pledges that stand, every government that returned one, and a
    // withdrawn government only if it returned one for this year.
    let mut ids: Vec<&str> = pledges
        .values()
        .filter(|p| {
            p.stands()
                || by_city
                    .get(p.government_id.as_str())
                    .is_some_and(|l| l.last().is_some_and(|r| r.year == year))
        })
        .map(|p| p.government_id.as_str())
        .collect();
    ids.extend(by_city.keys().filter(|id| {
        pledges.get(**id).is_none_or(|p| p.stands() || by_city[**id].iter().any(|r| r.year == year))
    }));
    ids.sort_unstable();
    ids.dedup();
    // The profile of each government's latest return, read once.
    let latest: Vec<&ReturnRecord> =
        ids.iter().filter_map(|id| by_city.get(id).and_then(|l| l.last().copied())).collect();
    let shas: Vec<&str> = latest.iter().map(|r| r.sha256.as_str()).collect();
    let responses =
        if let Ok(store) = Store::open(dir) { store.responses(&shas)? } else { Vec::new() };
    let facts: HashMap<&str, ProfileFacts> = latest
        .iter()
        .zip(responses.iter())
        .map(|(r, rows)| (r.city_id.as_str(), profile_facts(fw, rows)))
        .collect();
    let mut governments: Vec<Tracked> = ids
        .iter()
        .map(|id| {
            let pledge = pledges.get(*id);
            let list = by_city.get(id);
            let latest = list.and_then(|l| l.last().copied());
            let this_year = list.and_then(|l| l.iter().find(|r| r.year == year).copied());
            let profile = facts.get(id);
            let review = this_year.and_then(|r| latest_review(&events, &r.sha256));
            Tracked {
                government_id: id.to_string(),
                name: pledge
                    .map(|p| p.name.clone())
                    .or_else(|| latest.map(|r| r.city_name.clone()))
                    .unwrap_or_default(),
                country: pledge
                    .map(|p| p.country.clone())
                    .or_else(|| profile.and_then(|f| f.country.clone())),
                region: pledge
                    .and_then(|p| p.region.clone())
                    .or_else(|| profile.and_then(|f| f.region.clone())),
                government_level: pledge
                    .and_then(|p| p.government_level.clone())
                    .or_else(|| profile.and_then(|f| f.level.clone())),
                state: this_year.map_or(ReturnState::Missing, |r| {
                    ReturnState::of(r.errors, review.and_then(|e| e.status))
                }),
                file: this_year.map(|r| r.file.clone()),
                errors: this_year.map(|r| r.errors),
                warnings: this_year.map(|r| r.warnings),
                reviewed_at: review.map(|e| e.at.clone()),
                contact_email: pledge
                    .and_then(|p| p.contact_email.clone())
                    .or_else(|| profile.and_then(|f| f.email.clone())),
                language: pledge
                    .and_then(|p| p.language)
                    .or_else(|| profile.and_then(|f| f.language)),
                pledge_status: pledge.map(|p| p.status),
                pledged_on: pledge.map(|p| p.pledged_on.clone()),
                last_year_reported: latest.map(|r| r.year),
            }
        })
        .filter(|g| region.is_none_or(|r| g.region.as_deref() == Some(r)))
        .collect();
    governments.sort_by_cached_key(|g| {
        (g.country.clone().unwrap_or_default(), fold(&g.name), g.government_id.clone())
    });
    Ok(Tracker { year, governments })
}
