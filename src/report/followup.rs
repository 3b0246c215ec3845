//! The follow-up of UN recommendations in reports (Contract 6): the city report's matrix,
//! the campaign report's counts across governments, and the opening of a submission on
//! the previous cycle's recommendations.

use std::collections::{BTreeMap, HashMap};

use minijinja::{context, Value};

use super::Reporter;
use crate::charts::data::FollowRow;
use crate::charts::{followup_charts, Labels};
use crate::i18n::{tr, trf, Lang};
use crate::recommend::{links, Mechanism, Recommendation};

/// At most this many recommendations are detailed in a city report's matrix.
const MATRIX: usize = 40;

/// The label of a follow-up status (`None`: not assessed).
pub fn status_label(status: Option<&str>, lang: Lang) -> String {
    tr(lang, &format!("rec.status.{}", status.unwrap_or("none"))).to_string()
}

/// `text` cut to about `max` characters at a word, with "…".
/// `text` as it stands when written in the report's language; else quoted, with the
/// language it was written in (a submission has one language; what a government wrote is
/// not translated).
pub(super) fn in_original(text: &str, lang: Lang) -> String {
    match crate::i18n::language_of(text) {
        Some(original) if original != lang => trf(
            lang,
            "report.in_original",
            &[
                ("text", &text.trim().trim_end_matches('.')),
                ("language", &tr(lang, &format!("language.{}", original.code()))),
            ],
        ),
        _ => text.to_string(),
    }
}

pub(super) fn clip(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a).to_string();
    format!("{cut}…")
}

/// The follow-up charts as the figures of a report (file and text alternative) and the
/// files they are written to.
fn figures(charts: Vec<crate::charts::Chart>) -> (Vec<Value>, Vec<(String, Vec<u8>)>) {
    charts
        .into_iter()
        .enumerate()
        .map(|(i, chart)| {
            let file = format!("charts/followup-{i}.svg");
            (context! { file => file.clone(), alt => chart.desc }, (file, chart.svg.into_bytes()))
        })
        .unzip()
}

impl Reporter<'_> {
    /// The recommendations of the store by id.
    fn recommendations(&self) -> HashMap<&str, &Recommendation> {
        self.ds.recommendations.iter().map(|r| (r.id.as_str(), r)).collect()
    }

    /// The indicators `rec` bears on, with `city`'s values in `year` ("HOU_I01 12.5 %").
    fn evidence(&self, rec: &Recommendation, city: &str, year: i32, lang: Lang) -> Vec<String> {
        let linked = links::link(self.fw, rec);
        let mut out = Vec::new();
        for id in links::indicators(&linked) {
            let Some(ind) = self.fw.indicator(id) else { continue };
            let value = self
                .data
                .city_values(city)
                .find(|v| v.year == year && v.indicator_id == id && v.status == "ok")
                .and_then(|v| v.value);
            if let Some(v) = value {
                out.push(format!(
                    "{} ({id}): {}",
                    ind.title.get(lang),
                    self.show_value(&ind.unit, v, lang)
                ));
            }
        }
        out
    }

    /// For a submission: at most three of the values that bear on `rec` in `city`'s return,
    /// the government's own and not flagged when the return was checked, as "title: value".
    fn submission_evidence(
        &self,
        rec: &Recommendation,
        city: &str,
        year: i32,
        lang: Lang,
    ) -> Vec<String> {
        let linked = links::link(self.fw, rec);
        let responses = self.return_of(city, year).map_or(&[][..], |i| &self.ds.responses[i]);
        let mut out = Vec::new();
        for id in links::indicators(&linked) {
            let Some(ind) = self.fw.indicator(id) else { continue };
            let Some(row) = self.data.city_values(city).find(|v| {
                v.year == year && v.indicator_id == id && v.status == "ok" && !v.carried_forward
            }) else {
                continue;
            };
            let Some(v) = row.value else { continue };
            if ind.unit == "ratio" || !super::city::to_check(ind, row, responses, lang).is_empty() {
                continue;
            }
            out.push(format!(
                "{}: {}",
                super::lower_first(ind.title.get(lang)),
                self.show_value(&ind.unit, v, lang)
            ));
            if out.len() == 3 {
                break;
            }
        }
        out
    }

    /// The city report's section on the follow-up of UN recommendations, and its charts.
    pub(super) fn followup_section(
        &self,
        city: &str,
        year: i32,
        lang: Lang,
    ) -> (Option<Value>, Vec<(String, Vec<u8>)>) {
        let rows: Vec<&FollowRow> =
            self.data.followup.iter().filter(|r| r.city_id == city && r.year == year).collect();
        if rows.is_empty() {
            return (None, Vec::new());
        }
        let recs = self.recommendations();
        let relevant: Vec<&&FollowRow> = rows.iter().filter(|r| r.relevant).collect();
        let count = |s: &str| relevant.iter().filter(|r| r.status.as_deref() == Some(s)).count();
        let outside = rows.iter().filter(|r| r.competence.as_deref() == Some("no")).count();
        let intro = trf(
            lang,
            "report.follow_intro",
            &[
                ("n", &rows.len()),
                ("relevant", &relevant.len()),
                ("implemented", &count("implemented")),
                ("in_progress", &count("in_progress")),
                ("not_started", &count("not_started")),
                ("outside", &outside),
            ],
        );
        let para = tr(lang, "rec.para");
        let mut matrix = Vec::new();
        for r in relevant.iter().take(MATRIX) {
            let Some(rec) = recs.get(r.recommendation_id.as_str()) else { continue };
            let body = match rec.mechanism {
                Mechanism::Upr => {
                    let states = rec.recommended_by(lang);
                    if states.is_empty() {
                        tr(lang, "rec.upr_short").to_string()
                    } else {
                        format!("{} ({states})", tr(lang, "rec.upr_short"))
                    }
                }
                _ => rec.body.clone(),
            };
            let themes: Vec<String> =
                rec.themes.iter().map(|t| self.fw.vocab.uhri_label(t, lang)).collect();
            matrix.push(context! {
                citation => rec.citation(para),
                text => in_original(&clip(rec.text_after_number(), 160), lang),
                body => body,
                themes => themes.join("; "),
                position => rec.position.as_deref().map(|p| tr(lang, &format!("rec.position.{p}")).to_string()),
                status => status_label(r.status.as_deref(), lang),
                partly => r.competence.as_deref() == Some("partly"),
                department => r.department.clone().unwrap_or_default(),
                action => r.action.as_deref().map(|a| clip(a, 200)).unwrap_or_default(),
                evidence => self.evidence(rec, city, year, lang),
            });
        }
        let more = relevant.len().saturating_sub(MATRIX);
        let labels = Labels { fw: self.fw, lang };
        let name = rows[0].city_name.clone();
        let charts = if relevant.is_empty() {
            Vec::new()
        } else {
            followup_charts(&rows, labels, Some((city, &name)), year)
        };
        let (figures, files) = figures(charts);
        let ctx = context! {
            heading => tr(lang, "report.follow_heading"),
            intro => intro,
            charts => figures,
            rows => matrix,
            more => (more > 0).then(|| trf(lang, "report.follow_more", &[("n", &more)])),
            h_recommendation => tr(lang, "report.follow_h_recommendation"),
            h_body => tr(lang, "report.follow_h_body"),
            h_status => tr(lang, "report.follow_h_status"),
            h_department => tr(lang, "report.follow_h_department"),
            w_partly => tr(lang, "report.follow_partly"),
            w_evidence => tr(lang, "report.follow_evidence"),
            w_done => tr(lang, "report.follow_done"),
            w_position => tr(lang, "report.follow_position"),
        };
        (Some(ctx), files)
    }

    /// The campaign report's counts across governments for `year`, by mechanism (no
    /// government named), and its charts.
    pub(super) fn followup_campaign(
        &self,
        year: i32,
        lang: Lang,
    ) -> (Option<Value>, Vec<(String, Vec<u8>)>) {
        // Rows for recommendations in the store: a row the city added for one that is not
        // (W-REC-UNKNOWN) has no mechanism to count it under.
        let rows: Vec<&FollowRow> =
            self.data.followup.iter().filter(|r| r.year == year && r.in_store).collect();
        if rows.is_empty() {
            return (None, Vec::new());
        }
        let governments: std::collections::BTreeSet<&str> =
            rows.iter().map(|r| r.city_id.as_str()).collect();
        let mut by: BTreeMap<String, [usize; 6]> = BTreeMap::new();
        for r in &rows {
            let e = by.entry(r.mechanism.clone()).or_default();
            e[0] += 1;
            if r.relevant {
                e[1] += 1;
                match r.status.as_deref() {
                    Some("implemented") => e[2] += 1,
                    Some("in_progress") => e[3] += 1,
                    Some("not_started") => e[4] += 1,
                    _ => e[5] += 1,
                }
            }
        }
        let order = |m: &str| Mechanism::from_code(m).map_or(9, |m| m as usize);
        let mut table: Vec<(&String, &[usize; 6])> = by.iter().collect();
        table.sort_by_key(|(m, _)| order(m));
        let table: Vec<Value> = table
            .into_iter()
            .map(|(m, c)| {
                context! {
                    mechanism => super::capitalised(tr(lang, &format!("rec.mechanism.{m}"))),
                    counts => c.to_vec(),
                }
            })
            .collect();
        let relevant = rows.iter().filter(|r| r.relevant).count();
        let acting = rows
            .iter()
            .filter(|r| {
                r.relevant && matches!(r.status.as_deref(), Some("implemented" | "in_progress"))
            })
            .count();
        let intro = trf(
            lang,
            "report.follow_campaign_intro",
            &[
                ("governments", &governments.len()),
                ("year", &year),
                ("n", &rows.len()),
                ("relevant", &relevant),
                ("acting", &acting),
            ],
        );
        let labels = Labels { fw: self.fw, lang };
        let (figures, files) = figures(followup_charts(&rows, labels, None, year));
        let ctx = context! {
            heading => tr(lang, "report.follow_heading"),
            intro => intro,
            charts => figures,
            table => table,
            headers => [
                "report.follow_h_mechanism",
                "report.follow_h_assessed",
                "report.follow_h_relevant",
                "rec.status.implemented",
                "rec.status.in_progress",
                "rec.status.not_started",
                "rec.status.none",
            ].map(|k| tr(lang, k).to_string()),
        };
        (Some(ctx), files)
    }

    /// A submission's paragraphs on the follow-up of the previous cycle: for the UPR, the
    /// recommendations of the country's latest reviewed session; for a treaty body, its
    /// latest concluding observations. One paragraph per recommendation that the
    /// governments `cities` (id, name) followed up in `year`, citing it by symbol and
    /// paragraph with its recommending State and position, then each government's status,
    /// department, action and the indicators that bear on it. Returns the paragraphs (text,
    /// references) and the citation of the review they come from.
    pub(super) fn followup_paragraphs(
        &self,
        country: &str,
        cities: &[(&str, &str)],
        year: i32,
        body: Option<&str>,
        lang: Lang,
    ) -> (Vec<(String, String)>, Option<String>) {
        let mine: Vec<&Recommendation> = self
            .ds
            .recommendations
            .iter()
            .filter(|r| r.concerns(country))
            .filter(|r| match body {
                None => r.mechanism == Mechanism::Upr,
                Some(b) => r.mechanism == Mechanism::TreatyBody && r.body.eq_ignore_ascii_case(b),
            })
            .collect();
        // The previous cycle: the latest UPR session, or the body's latest document.
        let latest: Vec<&Recommendation> = match body {
            None => {
                let Some(s) = mine.iter().filter_map(|r| r.upr_session).max() else {
                    return (Vec::new(), None);
                };
                mine.into_iter().filter(|r| r.upr_session == Some(s)).collect()
            }
            Some(_) => {
                let Some(d) = mine.iter().filter_map(|r| r.date.clone()).max() else {
                    return (Vec::new(), None);
                };
                mine.into_iter().filter(|r| r.date.as_deref() == Some(d.as_str())).collect()
            }
        };
        let symbol = latest.first().map(|r| r.symbol.clone());
        let para = tr(lang, "rec.para");
        let mut sorted = latest;
        sorted.sort_by(|a, b| {
            crate::recommend::natural(
                a.paragraph.as_deref().unwrap_or(""),
                b.paragraph.as_deref().unwrap_or(""),
            )
        });
        let mut out = Vec::new();
        for rec in sorted {
            let follow: Vec<&FollowRow> = self
                .data
                .followup
                .iter()
                .filter(|f| f.year == year && f.recommendation_id == rec.id && f.relevant)
                .filter(|f| cities.iter().any(|c| c.0 == f.city_id))
                .collect();
            if follow.is_empty() {
                continue;
            }
            let who = if rec.recommending_states.is_empty() {
                String::new()
            } else {
                trf(lang, "report.sub_follow_by", &[("states", &rec.recommended_by(lang))])
            };
            let position = rec
                .position
                .as_deref()
                .map(|p| tr(lang, &format!("report.sub_follow_position.{p}")).to_string())
                .unwrap_or_default();
            // The recommendation is quoted in the submission's language; one issued in another
            // (UHRI exports are in English) is named by the rights it concerns instead.
            let gist = rec.text_after_number();
            let mut text = if crate::i18n::language_of(gist).is_none_or(|l| l == lang) {
                trf(
                    lang,
                    "report.sub_follow_head",
                    &[
                        ("citation", &rec.citation(para)),
                        ("by", &who),
                        ("position", &position),
                        ("gist", &clip(gist, 180).trim_end_matches('.')),
                    ],
                )
            } else {
                let linked = links::link(self.fw, rec);
                let rights: Vec<String> = links::rights(&linked)
                    .iter()
                    .filter_map(|id| self.fw.rights.iter().find(|r| r.id == *id))
                    .map(|r| super::lower_first(r.short_title.get(lang)))
                    .collect();
                trf(
                    lang,
                    "report.sub_follow_head_on",
                    &[
                        ("citation", &rec.citation(para)),
                        ("by", &who),
                        ("position", &position),
                        ("rights", &crate::i18n::and_list(&rights, lang)),
                    ],
                )
            };
            for f in follow {
                let mut sentence = trf(
                    lang,
                    "report.sub_follow_city",
                    &[
                        ("city", &f.city_name),
                        ("status", &status_label(f.status.as_deref(), lang).to_lowercase()),
                    ],
                );
                if let Some(d) = &f.department {
                    sentence.push_str(&trf(
                        lang,
                        "report.sub_follow_department",
                        &[("department", d)],
                    ));
                }
                sentence.push('.');
                if let Some(a) = &f.action {
                    sentence.push(' ');
                    sentence.push_str(&in_original(&clip(a, 220), lang));
                    if !sentence.ends_with('.') {
                        sentence.push('.');
                    }
                }
                let evidence = self.submission_evidence(rec, &f.city_id, year, lang);
                if !evidence.is_empty() {
                    sentence.push(' ');
                    sentence.push_str(&trf(
                        lang,
                        "report.sub_follow_evidence",
                        &[("year", &year), ("values", &evidence.join("; "))],
                    ));
                }
                text.push(' ');
                text.push_str(&sentence);
            }
            out.push((text, String::new()));
        }
        (out, symbol)
    }
}
