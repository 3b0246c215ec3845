//! Peers to learn from (issue 22): for each right where a government is below the median
//! it is compared with, up to three governments that scored among the highest on that
//! right and shared a practice on it — of any region, the same level of government first.
//! Only governments whose profile consents (`share_practices` = yes) are ever shown to
//! others. It is not a ranking: the reports say so.

use minijinja::{context, Value};

use super::Reporter;
use crate::charts::data::{quantile, MIN_PEERS};
use crate::charts::Labels;
use crate::i18n::{country_name, format_number, tr, trf, Lang};
use crate::questionnaire::answer::Value as Answer;
use crate::store::ResponseStatus;

/// At most this many peers per right.
const PEERS: usize = 3;
/// A peer's score on the right is at least this quantile of the year's scores.
const AMONG_HIGHEST: f64 = 2.0 / 3.0;
/// The longest practice quoted in a report.
const PRACTICE_CHARS: usize = 300;

/// A government another could learn from on one right.
#[derive(Clone, Debug, PartialEq)]
pub struct Peer {
    /// The government that could learn.
    pub city_id: String,
    pub city_name: String,
    pub right_id: String,
    pub city_score: f64,
    pub peer_id: String,
    pub peer_name: String,
    pub peer_country: Option<String>,
    pub peer_level: Option<String>,
    pub peer_score: f64,
    pub practice: String,
}

impl Reporter<'_> {
    /// Whether return `i` consents to its practices being shared.
    fn consents(&self, i: usize) -> bool {
        let Some(q) = self.fw.questions.iter().position(|q| q.id == "share_practices") else {
            return false;
        };
        self.ds.answers[i].get(q).is_some_and(|a| {
            a.status == ResponseStatus::Answered
                && matches!(a.value, Some(Answer::Number(v)) if v >= 0.5)
        })
    }

    /// The practice return `i` shared on `right`, if any.
    fn practice(&self, i: usize, right: &str) -> Option<String> {
        let q = self
            .fw
            .questions
            .iter()
            .position(|q| q.right.as_deref() == Some(right) && q.id.ends_with("_PRACTICE"))?;
        let a = self.ds.answers[i].get(q)?;
        match (&a.status, &a.value) {
            (ResponseStatus::Answered, Some(Answer::Text(t))) if !t.trim().is_empty() => {
                Some(t.trim().to_string())
            }
            _ => None,
        }
    }

    /// Every suggested pair of `year`: for each government and each right where it is below
    /// its comparison median, its peers. Worked out once per year.
    pub fn peers(&self, year: i32) -> std::sync::Arc<Vec<Peer>> {
        let mut cache = self.peers_cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.entry(year).or_insert_with(|| std::sync::Arc::new(self.find_peers(year))).clone()
    }

    fn find_peers(&self, year: i32) -> Vec<Peer> {
        let data = self.data;
        let scores: std::collections::HashMap<(&str, &str), f64> = data
            .scores
            .iter()
            .filter(|s| s.year == year && !s.carried_forward)
            .filter_map(|s| Some(((s.city_id.as_str(), s.right_id.as_str()), s.score?)))
            .collect();
        let score = |city: &str, right: &str| scores.get(&(city, right)).copied();
        let returns: Vec<usize> =
            (0..self.ds.returns.len()).filter(|&i| self.ds.returns[i].year == year).collect();
        let mut out = Vec::new();
        for right in &self.fw.rights {
            let mut all: Vec<f64> = returns
                .iter()
                .filter_map(|&i| score(&self.ds.returns[i].city_id, &right.id))
                .collect();
            let Some(high) = quantile(&mut all, AMONG_HIGHEST) else { continue };
            // Who shared a practice, consented, and scored among the highest.
            let offering: Vec<(usize, f64, String)> = returns
                .iter()
                .filter(|&&i| self.consents(i))
                .filter_map(|&i| {
                    let s = score(&self.ds.returns[i].city_id, &right.id)?;
                    let p = self.practice(i, &right.id)?;
                    (s >= high).then_some((i, s, p))
                })
                .collect();
            if offering.is_empty() {
                continue;
            }
            for &i in &returns {
                let city = &self.ds.returns[i].city_id;
                let profile = &self.ds.profiles[i];
                let Some(own) = score(city, &right.id) else { continue };
                let region = profile.region.as_deref();
                let median = if region.is_some() && data.governments_in(year, region) >= MIN_PEERS {
                    data.region_median(year, region, &right.id)
                } else {
                    data.campaign_median(year, &right.id)
                };
                if median.is_none_or(|m| own >= m) {
                    continue;
                }
                let mut peers: Vec<&(usize, f64, String)> = offering
                    .iter()
                    .filter(|(j, _, _)| self.ds.returns[*j].city_id != *city)
                    .collect();
                let same_level =
                    |j: usize| self.ds.profiles[j].government_level == profile.government_level;
                peers.sort_by(|a, b| {
                    same_level(b.0)
                        .cmp(&same_level(a.0))
                        .then(b.1.total_cmp(&a.1))
                        .then(self.ds.profiles[a.0].city_name.cmp(&self.ds.profiles[b.0].city_name))
                });
                for (j, s, p) in peers.into_iter().take(PEERS) {
                    let peer = &self.ds.profiles[*j];
                    out.push(Peer {
                        city_id: city.clone(),
                        city_name: profile.city_name.clone(),
                        right_id: right.id.clone(),
                        city_score: own,
                        peer_id: peer.city_id.clone(),
                        peer_name: peer.city_name.clone(),
                        peer_country: peer.country.clone(),
                        peer_level: peer.government_level.clone(),
                        peer_score: *s,
                        practice: p.clone(),
                    });
                }
            }
        }
        out
    }

    /// The city report's section, or `None` when it has no peer to suggest.
    pub(super) fn peers_section(&self, city: &str, year: i32, lang: Lang) -> Option<Value> {
        let labels = Labels { fw: self.fw, lang };
        let all = self.peers(year);
        let mine: Vec<&Peer> = all.iter().filter(|p| p.city_id == city).collect();
        if mine.is_empty() {
            return None;
        }
        let mut rights: Vec<Value> = Vec::new();
        for right in &self.fw.rights {
            let of: Vec<&Peer> = mine.iter().copied().filter(|p| p.right_id == right.id).collect();
            let Some(first) = of.first() else { continue };
            let peers: Vec<Value> = of
                .iter()
                .map(|p| {
                    context! {
                        name => p.peer_name.clone(),
                        country => p.peer_country.as_deref().map_or_else(String::new, |c| country_name(c, lang)),
                        score => format_number(p.peer_score, 0, lang),
                        practice => super::followup::in_original(&super::followup::clip(&p.practice, PRACTICE_CHARS), lang),
                    }
                })
                .collect();
            rights.push(context! {
                right => labels.right(&right.id),
                own => format_number(first.city_score, 0, lang),
                peers => peers,
            });
        }
        Some(context! {
            heading => tr(lang, "report.peers_heading"),
            intro => tr(lang, "report.peers_intro"),
            h_own => tr(lang, "report.peers_own"),
            h_score => tr(lang, "report.peers_score"),
            rights => rights,
        })
    }

    /// The campaign report's annex of shared practices by right (consenting governments).
    pub(super) fn practices_annex(&self, year: i32, lang: Lang) -> Option<Value> {
        let labels = Labels { fw: self.fw, lang };
        let mut rights = Vec::new();
        for right in &self.fw.rights {
            let mut items: Vec<Value> = Vec::new();
            for i in (0..self.ds.returns.len()).filter(|&i| self.ds.returns[i].year == year) {
                if !self.consents(i) {
                    continue;
                }
                let Some(p) = self.practice(i, &right.id) else { continue };
                let profile = &self.ds.profiles[i];
                items.push(context! {
                    name => profile.city_name.clone(),
                    country => profile.country.as_deref().map_or_else(String::new, |c| country_name(c, lang)),
                    practice => super::followup::in_original(&super::followup::clip(&p, PRACTICE_CHARS), lang),
                });
            }
            if !items.is_empty() {
                rights.push(context! { right => labels.right(&right.id), items => items });
            }
        }
        (!rights.is_empty()).then(|| {
            context! {
                heading => tr(lang, "report.practices_heading"),
                intro => trf(lang, "report.practices_intro", &[("year", &year)]),
                rights => rights,
            }
        })
    }
}

/// The suggested pairs as CSV for the analyst (`peers-<year>.csv`): who could learn from
/// whom on which right, with both scores and the practice; guarded against formula
/// injection.
pub fn peers_csv(peers: &[Peer]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "city_id",
        "city_name",
        "right_id",
        "city_score",
        "peer_id",
        "peer_name",
        "peer_country",
        "peer_level",
        "peer_score",
        "practice",
    ]);
    for p in peers {
        let row = [
            p.city_id.clone(),
            p.city_name.clone(),
            p.right_id.clone(),
            format!("{:.1}", p.city_score),
            p.peer_id.clone(),
            p.peer_name.clone(),
            p.peer_country.clone().unwrap_or_default(),
            p.peer_level.clone().unwrap_or_default(),
            format!("{:.1}", p.peer_score),
            p.practice.clone(),
        ];
        let _ = w.write_record(row.iter().map(|c| crate::export::safe_cell(c).into_owned()));
    }
    let mut out = crate::validate::batch::UTF8_BOM.to_vec();
    out.extend(w.into_inner().unwrap_or_default());
    out
}
