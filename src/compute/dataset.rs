//! The input of a computation: the current return of every city and year, read from the
//! store, with each return's answers in framework order and its profile.

use std::collections::HashMap;

use crate::framework::Framework;
use crate::questionnaire::answer::{Date, Value};
use crate::recommend::{Recommendation, Registry};
use crate::store::{
    FollowUpRow, GroupRow, ResponseRow, ResponseStatus, ReturnRecord, Store, StoreError,
};
use crate::validate::Answer;

/// Who a return is from, read from its profile answers.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    pub city_id: String,
    pub city_name: String,
    /// ISO 3166-1 alpha-3 when the answer names a known country, else what was written.
    pub country: Option<String>,
    /// UCLG region code (`latin_america`, …).
    pub region: Option<String>,
    /// `municipality`, `intermediary_city`, `metropolitan` or `regional`.
    pub government_level: Option<String>,
    pub population: Option<f64>,
    /// When the government committed to the campaign.
    pub joined_campaign: Option<Date>,
}

/// The population classes of aggregates, with their upper bounds (exclusive).
pub const POPULATION_CLASSES: [(&str, f64); 5] = [
    ("lt_50k", 50_000.0),
    ("50k_300k", 300_000.0),
    ("300k_1m", 1_000_000.0),
    ("1m_5m", 5_000_000.0),
    ("gt_5m", f64::INFINITY),
];

/// The population class of `population` (`lt_50k` … `gt_5m`).
pub fn population_class(population: f64) -> &'static str {
    POPULATION_CLASSES.iter().find(|(_, hi)| population < *hi).map_or("gt_5m", |(id, _)| id)
}

/// The current returns of a store, ready to compute.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    /// One per city and year, sorted by city id then year.
    pub returns: Vec<ReturnRecord>,
    /// For each return, one answer per framework question, in framework order.
    pub answers: Vec<Vec<Answer>>,
    /// For each return, its profile.
    pub profiles: Vec<Profile>,
    /// For each return, its stored rows (for the `responses` export).
    pub responses: Vec<Vec<ResponseRow>>,
    /// For each return, its breakdown answers (Contract 5).
    pub groups: Vec<Vec<GroupRow>>,
    /// For each return, its follow-up of UN recommendations (Contract 6).
    pub followup: Vec<Vec<FollowUpRow>>,
    /// The UN recommendations imported into the store.
    pub recommendations: Vec<Recommendation>,
    /// The current row of each government of the pledge register (withdrawn ones too).
    pub pledges: Vec<crate::store::Pledge>,
    /// For each return, the status of the campaign's latest review of it (`None`: not
    /// reviewed, i.e. received).
    pub reviews: Vec<Option<crate::store::ReviewStatus>>,
    /// For each return, the error-level consistency rules it breaks: their answers are
    /// invalid for computation (the review gate, [`crate::validate::gate`]) unless the
    /// analyst overrode the gate ([`Dataset::override_gate`]).
    pub gated: Vec<Vec<String>>,
}

impl Dataset {
    /// Reads the current return of every city and year from `store`.
    pub fn load(store: &Store, fw: &Framework) -> Result<Dataset, StoreError> {
        let returns = store.current()?;
        let shas: Vec<&str> = returns.iter().map(|r| r.sha256.as_str()).collect();
        let responses = store.responses(&shas)?;
        let groups = store.groups(&shas)?;
        let followup = store.followup(&shas)?;
        let recommendations = Registry::open(store.dir())?.all;
        let mut ds = Dataset::new(fw, returns, responses).with_groups(groups);
        if followup.len() == ds.returns.len() {
            ds.followup = followup;
        }
        ds.recommendations = recommendations;
        ds.pledges = crate::store::Register::open(store.dir())?.current();
        // The review gate is lifted for a return the analyst accepted with a note (having
        // checked the broken rule with the government).
        let events = store.events().unwrap_or_default();
        ds.reviews = ds
            .returns
            .iter()
            .map(|r| crate::store::latest_review(&events, &r.sha256).and_then(|e| e.status))
            .collect();
        let overridden: Vec<String> = ds
            .returns
            .iter()
            .filter(|r| {
                crate::store::latest_review(&events, &r.sha256).is_some_and(|e| {
                    e.status == Some(crate::store::ReviewStatus::Accepted)
                        && e.note.as_deref().is_some_and(|n| !n.trim().is_empty())
                })
            })
            .map(|r| r.sha256.clone())
            .collect();
        ds.override_gate(fw, &overridden.iter().map(String::as_str).collect());
        Ok(ds)
    }

    /// A dataset of `returns` and their stored rows.
    pub fn new(
        fw: &Framework,
        returns: Vec<ReturnRecord>,
        responses: Vec<Vec<ResponseRow>>,
    ) -> Dataset {
        let n_returns = returns.len();
        let mut answers = Vec::with_capacity(returns.len());
        let mut profiles = Vec::with_capacity(returns.len());
        let mut gated = Vec::with_capacity(returns.len());
        for (record, rows) in returns.iter().zip(&responses) {
            let by_id: HashMap<&str, &ResponseRow> =
                rows.iter().map(|r| (r.question_id.as_str(), r)).collect();
            let these: Vec<Answer> = fw
                .questions
                .iter()
                .map(|q| match by_id.get(q.id.as_str()) {
                    Some(row) => row.to_answer(fw),
                    // Filed before the question existed: it was never asked.
                    None => Answer {
                        question: q.id.clone(),
                        sheet: None,
                        cell: None,
                        raw: String::new(),
                        status: if q.asked_in(record.version()) {
                            ResponseStatus::Blank
                        } else {
                            ResponseStatus::NotAsked
                        },
                        value: None,
                        source: None,
                        comment: None,
                    },
                })
                .collect();
            let mut these = these;
            gated.push(crate::validate::gate(fw, &mut these));
            profiles.push(profile(record, &these));
            answers.push(these);
        }
        let groups = vec![Vec::new(); returns.len()];
        let followup = vec![Vec::new(); returns.len()];
        Dataset {
            returns,
            answers,
            profiles,
            responses,
            groups,
            followup,
            recommendations: Vec::new(),
            pledges: Vec::new(),
            reviews: vec![None; n_returns],
            gated,
        }
    }

    /// Keeps only the returns of governments in UCLG `region` (when given) and of years up
    /// to `up_to` (when given: the campaign as it stood in that year, earlier returns kept
    /// for changes).
    pub fn restrict(&mut self, region: Option<&str>, up_to: Option<i32>) {
        let keep: Vec<bool> = self
            .returns
            .iter()
            .zip(&self.profiles)
            .map(|(r, p)| {
                region.is_none_or(|g| p.region.as_deref() == Some(g))
                    && up_to.is_none_or(|y| r.year <= y)
            })
            .collect();
        self.retain_returns(&keep);
    }

    /// Keeps the returns whose `keep` is true, with everything kept beside them.
    fn retain_returns(&mut self, keep: &[bool]) {
        fn retain<T>(v: &mut Vec<T>, keep: &[bool]) {
            let mut i = 0;
            v.retain(|_| {
                i += 1;
                keep.get(i - 1).copied().unwrap_or(false)
            });
        }
        retain(&mut self.returns, keep);
        retain(&mut self.answers, keep);
        retain(&mut self.profiles, keep);
        retain(&mut self.responses, keep);
        retain(&mut self.groups, keep);
        retain(&mut self.followup, keep);
        retain(&mut self.gated, keep);
        if self.reviews.len() == keep.len() {
            retain(&mut self.reviews, keep);
        }
    }

    /// Keeps only the returns the campaign accepted (their latest review).
    pub fn keep_accepted(&mut self) {
        let accepted: Vec<bool> = (0..self.returns.len())
            .map(|i| {
                self.reviews.get(i).copied().flatten() == Some(crate::store::ReviewStatus::Accepted)
            })
            .collect();
        self.retain_returns(&accepted);
    }

    /// Lifts the review gate for the returns whose sha256 is in `overridden` (the analyst
    /// checked the broken rules with the government and accepted the answers, with a note):
    /// their answers count again as written.
    pub fn override_gate(&mut self, fw: &Framework, overridden: &std::collections::HashSet<&str>) {
        for (i, record) in self.returns.iter().enumerate() {
            if self.gated[i].is_empty() || !overridden.contains(record.sha256.as_str()) {
                continue;
            }
            let by_id: HashMap<&str, &ResponseRow> =
                self.responses[i].iter().map(|r| (r.question_id.as_str(), r)).collect();
            for a in &mut self.answers[i] {
                if let Some(row) = by_id.get(a.question.as_str()) {
                    if a.status == ResponseStatus::Invalid && row.status == ResponseStatus::Answered
                    {
                        *a = row.to_answer(fw);
                    }
                }
            }
            self.gated[i].clear();
        }
    }

    /// The dataset with the breakdown answers of its returns (in the same order).
    pub fn with_groups(mut self, groups: Vec<Vec<GroupRow>>) -> Dataset {
        if groups.len() == self.returns.len() {
            self.groups = groups;
        }
        self
    }
}

fn profile(record: &ReturnRecord, answers: &[Answer]) -> Profile {
    let value = |id: &str| {
        answers
            .iter()
            .find(|a| a.question == id && a.status == ResponseStatus::Answered)
            .and_then(|a| a.value.clone())
    };
    let text = |id: &str| match value(id) {
        Some(Value::Text(t)) | Some(Value::Code(t)) => Some(t),
        _ => None,
    };
    let country = text("country").map(|c| crate::i18n::country_code(&c).unwrap_or(c));
    Profile {
        city_id: record.city_id.clone(),
        city_name: record.city_name.clone(),
        country,
        region: text("region"),
        government_level: text("government_level"),
        population: match value("population") {
            Some(Value::Number(n)) => Some(n),
            _ => None,
        },
        joined_campaign: match value("joined_campaign") {
            Some(Value::Date(d)) => Some(d),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::population_class;

    #[test]
    fn population_classes_have_exclusive_upper_bounds() {
        assert_eq!(population_class(0.0), "lt_50k");
        assert_eq!(population_class(49_999.0), "lt_50k");
        assert_eq!(population_class(50_000.0), "50k_300k");
        assert_eq!(population_class(999_999.0), "300k_1m");
        assert_eq!(population_class(1_000_000.0), "1m_5m");
        assert_eq!(population_class(5_000_000.0), "gt_5m");
    }
}
