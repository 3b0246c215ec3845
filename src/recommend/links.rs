//! How a recommendation bears on the framework: rights by UHRI theme (the crosswalk of
//! `framework.toml`), indicators by the crosswalk and by SDG target (the recommendation's
//! targets against each indicator's `sdg` and `sdg_related` codes). Every link keeps its
//! reason.

use serde::Serialize;

use super::Recommendation;
use crate::framework::Framework;

/// Why a recommendation is linked to a right or an indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// One of its UHRI themes leads there in the crosswalk.
    Theme,
    /// One of its SDG targets is the target of one of the indicator's SDG codes.
    Sdg,
}

/// A link from a recommendation to a right, or to one indicator of it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Link {
    pub right: String,
    /// `None`: the right as a whole.
    pub indicator: Option<String>,
    pub via: Via,
    /// The UHRI theme or the SDG target that makes the link.
    pub by: String,
    /// Why, in words (English, for the exports): `UHRI theme "Right to adequate housing"`,
    /// `SDG target 11.1 (indicator reports SDG 11.1.1)`.
    pub reason: String,
}

/// The SDG target of an SDG indicator code (`11.1.1` → `11.1`).
fn target(code: &str) -> Option<&str> {
    let mut dots = code.match_indices('.');
    let (_, _) = dots.next()?;
    match dots.next() {
        Some((at, _)) => Some(&code[..at]),
        None => Some(code),
    }
}

/// Every link of `rec` to `fw`, rights first (in framework order), then indicators; each
/// right or indicator once, by its first reason (themes before SDG targets).
pub fn link(fw: &Framework, rec: &Recommendation) -> Vec<Link> {
    let mut out: Vec<Link> = Vec::new();
    let mut add = |link: Link| {
        if !out.iter().any(|l| l.right == link.right && l.indicator == link.indicator) {
            out.push(link);
        }
    };
    for theme in &rec.themes {
        let Some(t) = fw.vocab.uhri_theme(theme) else { continue };
        for right in &t.rights {
            add(Link {
                right: right.clone(),
                indicator: None,
                via: Via::Theme,
                by: t.name.clone(),
                reason: format!("UHRI theme \"{}\"", t.name),
            });
        }
        for id in &t.indicators {
            let Some(ind) = fw.indicator(id) else { continue };
            add(Link {
                right: ind.right.clone(),
                indicator: Some(ind.id.clone()),
                via: Via::Theme,
                by: t.name.clone(),
                reason: format!("UHRI theme \"{}\" (crosswalk)", t.name),
            });
        }
    }
    for sdg in &rec.sdgs {
        for ind in &fw.indicators {
            let codes =
                ind.sdg.iter().map(|c| (c, false)).chain(ind.sdg_related.iter().map(|c| (c, true)));
            let codes = codes.chain(ind.sdg_when.iter().map(|w| (&w.code, false)));
            for (code, related) in codes {
                if target(code) == Some(sdg.as_str()) {
                    let how = if related { "is related to" } else { "reports" };
                    add(Link {
                        right: ind.right.clone(),
                        indicator: Some(ind.id.clone()),
                        via: Via::Sdg,
                        by: sdg.clone(),
                        reason: format!("SDG target {sdg} (the indicator {how} SDG {code})"),
                    });
                    break;
                }
            }
        }
    }
    let rank = |l: &Link| {
        let right = fw.rights.iter().position(|r| r.id == l.right).unwrap_or(usize::MAX);
        let ind = l
            .indicator
            .as_ref()
            .map(|i| fw.indicators.iter().position(|x| &x.id == i).unwrap_or(usize::MAX));
        (ind.is_some(), right, ind)
    };
    out.sort_by_key(rank);
    // An indicator's right counts as linked too.
    let mut rights: Vec<Link> = Vec::new();
    for l in out.iter().filter(|l| l.indicator.is_some()) {
        if !out.iter().chain(&rights).any(|x| x.indicator.is_none() && x.right == l.right) {
            rights.push(Link { indicator: None, ..l.clone() });
        }
    }
    if !rights.is_empty() {
        out.extend(rights);
        out.sort_by_key(rank);
    }
    out
}

/// The rights `links` reach, in order, each once.
pub fn rights(links: &[Link]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for l in links {
        if !out.contains(&l.right.as_str()) {
            out.push(&l.right);
        }
    }
    out
}

/// The indicators `links` reach, in order, each once.
pub fn indicators(links: &[Link]) -> Vec<&str> {
    links.iter().filter_map(|l| l.indicator.as_deref()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_of_indicator_codes() {
        assert_eq!(target("11.1.1"), Some("11.1"));
        assert_eq!(target("6.b.1"), Some("6.b"));
        assert_eq!(target("11.1"), Some("11.1"));
        assert_eq!(target("11"), None);
    }
}
