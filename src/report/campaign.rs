//! The campaign's annual report: progress toward 10 / 100 / 1,000 committed governments by
//! 2030; returns by region and level of government; per right, the distribution of scores
//! and the share of governments with each structural measure in place; data quality; an
//! annex of participating governments. Cities are ranked only when asked (`rank`), since
//! right scores summarise indicators and are not meant to rank governments.

use std::collections::BTreeSet;
use std::path::PathBuf;

use minijinja::{context, Value};

use super::{is_yes_no, Rendered, Reporter};
use crate::charts::data::{median, quantile, ScoreRow};
use crate::charts::Labels;
use crate::compute::dataset::Profile;
use crate::framework::IndicatorKind;
use crate::i18n::{country_name, format_number, format_percent, tr, trf, Lang};

/// `k of n (share)`, or "–" when n is 0.
pub(super) fn share(k: usize, n: usize, lang: Lang) -> String {
    if n == 0 {
        return "–".into();
    }
    trf(
        lang,
        "report.k_of_n",
        &[("k", &k), ("n", &n), ("share", &format_percent(100.0 * k as f64 / n as f64, 0, lang))],
    )
}

impl Reporter<'_> {
    /// Renders the annual report of `year` in `lang`; with `rank`, an annex ranks
    /// governments by their mean right score.
    pub fn campaign(&self, year: i32, lang: Lang, rank: bool) -> anyhow::Result<Rendered> {
        self.campaign_for(year, lang, rank, None)
    }

    /// The campaign report of `year`, or the regional report of UCLG `region` when given
    /// (the dataset then holds that region's governments only: see
    /// [`crate::compute::Dataset::restrict`]).
    pub fn campaign_for(
        &self,
        year: i32,
        lang: Lang,
        rank: bool,
        region: Option<&str>,
    ) -> anyhow::Result<Rendered> {
        let (fw, data) = (self.fw, self.data);
        let labels = Labels { fw, lang };
        let profiles: Vec<&Profile> = self
            .ds
            .returns
            .iter()
            .zip(&self.ds.profiles)
            .filter(|(r, _)| r.year == year)
            .map(|(_, p)| p)
            .collect();
        if profiles.is_empty() {
            anyhow::bail!(trf(lang, "report.no_year", &[("year", &year)]));
        }
        let scores: Vec<&ScoreRow> =
            data.scores.iter().filter(|s| s.year == year && !s.carried_forward).collect();

        // Key figures.
        let countries: BTreeSet<&str> =
            profiles.iter().filter_map(|p| p.country.as_deref()).collect();
        let progress = data.campaign.iter().rfind(|c| !c.projected && c.year <= year);
        let projected = data.campaign.iter().rfind(|c| c.projected);
        let committed = progress.map_or(0.0, |c| c.cumulative);
        let passed: Vec<String> = progress
            .map(|c| c.milestones.iter().map(|m| format_number(*m as f64, 0, lang)).collect())
            .unwrap_or_default();
        let mut figures = vec![
            context! { label => tr(lang, "report.fig_returns"), value => format_number(profiles.len() as f64, 0, lang) },
            context! { label => tr(lang, "report.fig_countries"), value => format_number(countries.len() as f64, 0, lang) },
            context! { label => trf(lang, "report.fig_committed", &[("year", &year)]), value => format_number(committed, 0, lang) },
        ];
        // The campaign's review of this year's returns.
        let reviewed = |status: crate::store::ReviewStatus| {
            self.ds
                .returns
                .iter()
                .zip(&self.ds.reviews)
                .filter(|(r, s)| r.year == year && **s == Some(status))
                .count()
        };
        let accepted = reviewed(crate::store::ReviewStatus::Accepted);
        let rejected = reviewed(crate::store::ReviewStatus::Rejected);
        figures.push(context! {
            label => tr(lang, "report.fig_review"),
            value => trf(
                lang,
                "report.fig_review_value",
                &[
                    ("accepted", &accepted),
                    ("pending", &profiles.len().saturating_sub(accepted + rejected)),
                    ("rejected", &rejected),
                ],
            ),
        });
        // Structural measures lost since each government's previous return.
        let lost: Vec<&crate::charts::data::ValueRow> = data
            .values
            .iter()
            .filter(|v| v.year == year)
            .filter(|v| fw.indicator(&v.indicator_id).is_some_and(|i| super::city::lost(i, v)))
            .collect();
        let losing: BTreeSet<&str> = lost.iter().map(|v| v.city_id.as_str()).collect();
        figures.push(context! {
            label => tr(lang, "report.fig_lost"),
            value => trf(lang, "report.fig_lost_value", &[("n", &format_number(lost.len() as f64, 0, lang)), ("governments", &losing.len())]),
        });
        if !passed.is_empty() {
            figures.push(
                context! { label => tr(lang, "report.fig_milestones"), value => passed.join(", ") },
            );
        }
        if let Some(p) = projected {
            figures.push(context! {
                label => trf(lang, "report.fig_projection", &[("year", &p.year)]),
                value => format_number(p.cumulative, 0, lang),
            });
        }

        // Returns by region and level of government.
        let levels: Vec<(String, String)> = fw
            .question("government_level")
            .map(|q| {
                q.choices.iter().map(|c| (c.code.clone(), c.label.get(lang).to_string())).collect()
            })
            .unwrap_or_default();
        let mut regions: Vec<Option<&str>> = profiles.iter().map(|p| p.region.as_deref()).collect();
        regions.sort_by_key(|r| (labels.region_order(*r), *r));
        regions.dedup();
        let count = |region: Option<Option<&str>>, level: Option<&str>| {
            profiles
                .iter()
                .filter(|p| region.is_none_or(|r| p.region.as_deref() == r))
                .filter(|p| level.is_none_or(|l| p.government_level.as_deref() == Some(l)))
                .count()
        };
        let by_region: Vec<Value> = regions
            .iter()
            .map(|r| {
                let cells: Vec<String> =
                    levels.iter().map(|(code, _)| count(Some(*r), Some(code)).to_string()).collect();
                context! { region => labels.region(*r), cells => cells, total => count(Some(*r), None) }
            })
            .collect();
        let level_totals: Vec<String> =
            levels.iter().map(|(code, _)| count(None, Some(code)).to_string()).collect();

        // Per right: the distribution of its scores and its structural measures.
        let rights: Vec<Value> = fw
            .rights
            .iter()
            .map(|right| {
                let mut v: Vec<f64> = scores
                    .iter()
                    .filter(|s| s.right_id == right.id)
                    .filter_map(|s| s.score)
                    .collect();
                let n = v.len();
                let (q1, med, q3) =
                    (quantile(&mut v, 0.25), median(&mut v), quantile(&mut v, 0.75));
                let (lo, hi) = (v.first().copied(), v.last().copied());
                let f = |x: Option<f64>| x.map_or_else(|| "–".into(), |x| format_number(x, 0, lang));
                // The median of each kind's sub-score, over the returns that have one.
                let kinds: Vec<String> = (0..3)
                    .map(|k| {
                        let mut v: Vec<f64> = scores
                            .iter()
                            .filter(|s| s.right_id == right.id)
                            .filter_map(|s| s.kinds[k])
                            .collect();
                        f(median(&mut v))
                    })
                    .collect();
                let measures: Vec<Value> = fw
                    .indicators
                    .iter()
                    .filter(|i| {
                        i.right == right.id
                            && i.kind == IndicatorKind::Structural
                            && is_yes_no(fw, &i.unit)
                    })
                    .map(|i| {
                        let rows: Vec<_> = data
                            .values
                            .iter()
                            .filter(|r| {
                                r.year == year
                                    && !r.carried_forward
                                    && r.indicator_id == i.id
                                    && r.status == "ok"
                            })
                            .collect();
                        let yes = rows.iter().filter(|r| r.value.is_some_and(|v| v >= 0.5)).count();
                        context! { title => i.title.get(lang).to_string(), share => share(yes, rows.len(), lang) }
                    })
                    .collect();
                context! {
                    title => right.title.get(lang).to_string(),
                    short => labels.right(&right.id),
                    n => n,
                    median => f(med),
                    kinds => kinds,
                    iqr => format!("{}–{}", f(q1), f(q3)),
                    range => format!("{}–{}", f(lo), f(hi)),
                    missing => profiles.len().saturating_sub(n),
                    measures => measures,
                }
            })
            .collect();

        // Data quality.
        let completeness = |scope: &str, id: &str| {
            data.quality
                .iter()
                .find(|q| q.year == year && q.scope == scope && q.id == id)
                .and_then(|q| q.completeness)
        };
        let overall = completeness("overall", "all");
        let outliers = data.values.iter().filter(|v| v.year == year && v.outlier).count();
        let quality_line = trf(
            lang,
            "report.quality_line",
            &[
                ("share", &overall.map_or("–".into(), |c| format_percent(100.0 * c, 1, lang))),
                ("outliers", &outliers),
            ],
        );
        let quality_regions: Vec<Value> = regions
            .iter()
            .map(|r| {
                let c = completeness("region", r.unwrap_or("unknown"));
                context! {
                    region => labels.region(*r),
                    share => c.map_or("–".into(), |c| format_percent(100.0 * c, 1, lang)),
                }
            })
            .collect();

        // Participating governments, by region then name.
        let mut members: Vec<&Profile> = profiles.clone();
        members.sort_by(|a, b| {
            (labels.region_order(a.region.as_deref()), &a.city_name)
                .cmp(&(labels.region_order(b.region.as_deref()), &b.city_name))
        });
        let members: Vec<Value> = members
            .iter()
            .map(|p| {
                context! {
                    name => p.city_name.clone(),
                    country => p.country.as_deref().map_or_else(String::new, |c| country_name(c, lang)),
                    region => labels.region(p.region.as_deref()),
                    level => p.government_level.as_deref().map_or_else(String::new, |c| labels.choice("government_level", c)),
                    joined => p.joined_campaign.map_or_else(String::new, |d| d.to_string()),
                }
            })
            .collect();

        // The ranking, only when asked for.
        let ranking: Vec<Value> = if rank {
            let mut mean: Vec<(f64, usize, &Profile)> = profiles
                .iter()
                .filter_map(|p| {
                    let v: Vec<f64> = scores
                        .iter()
                        .filter(|s| s.city_id == p.city_id)
                        .filter_map(|s| s.score)
                        .collect();
                    (!v.is_empty()).then(|| (v.iter().sum::<f64>() / v.len() as f64, v.len(), *p))
                })
                .collect();
            mean.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.city_name.cmp(&b.2.city_name)));
            mean.iter()
                .enumerate()
                .map(|(i, (m, n, p))| {
                    context! {
                        rank => i + 1,
                        name => p.city_name.clone(),
                        mean => format_number(*m, 1, lang),
                        n => n,
                    }
                })
                .collect()
        } else {
            Vec::new()
        };

        let (breakdowns, breakdown_files) = self.breakdowns_section(year, lang);
        let (followup, followup_files) = self.followup_campaign(year, lang);
        let progress_chart = crate::charts::progress(data, labels);
        let quality_chart = crate::charts::quality(data, labels, year, "right");
        let title = match region {
            Some(r) => trf(
                lang,
                "report.campaign_title_region",
                &[("year", &year), ("region", &labels.region(Some(r)))],
            ),
            None => trf(lang, "report.campaign_title", &[("year", &year)]),
        };
        let ctx = context! {
            lang => lang.code(),
            title => title.clone(),
            author => "hrcities",
            footer => title.clone(),
            kicker => tr(lang, "report.kicker"),
            heading => tr(lang, "report.campaign_heading"),
            subtitle => trf(lang, "report.campaign_subtitle", &[("year", &year)]),
            intro => tr(lang, "report.campaign_intro"),
            figures => figures,
            h_progress => tr(lang, "report.h_progress"),
            progress_intro => tr(lang, "report.progress_intro"),
            progress_alt => progress_chart.desc.clone(),
            pledging => self.pledged_and_reporting(year, lang),
            h_returns => tr(lang, "report.h_returns"),
            h_region => tr(lang, "report.region"),
            levels => levels.iter().map(|(_, l)| l.clone()).collect::<Vec<_>>(),
            h_total => tr(lang, "report.total"),
            by_region => by_region,
            level_totals => level_totals,
            total => profiles.len(),
            h_rights => tr(lang, "report.h_distribution"),
            rights_intro => tr(lang, "report.distribution_intro"),
            h_right => tr(lang, "report.h_right"),
            h_n => tr(lang, "report.h_n"),
            h_median => tr(lang, "report.h_median_all"),
            h_kinds => ["report.h_structural", "report.h_process", "report.h_outcome"].map(|k| tr(lang, k)),
            h_kind_medians => tr(lang, "report.h_kind_medians"),
            h_iqr => tr(lang, "report.h_iqr"),
            h_range => tr(lang, "report.h_range"),
            h_measures => tr(lang, "report.h_measures"),
            h_measure => tr(lang, "report.h_measure"),
            h_in_place => tr(lang, "report.h_in_place"),
            rights => rights,
            h_quality => tr(lang, "report.h_quality"),
            quality_line => quality_line,
            quality_alt => quality_chart.desc.clone(),
            h_completeness => tr(lang, "report.h_completeness"),
            quality_regions => quality_regions,
            h_members => tr(lang, "report.h_members"),
            h_name => tr(lang, "report.h_name"),
            h_country => tr(lang, "report.country"),
            h_level => tr(lang, "report.level"),
            h_joined => tr(lang, "report.h_joined"),
            members => members,
            rank => rank,
            h_ranking => tr(lang, "report.h_ranking"),
            ranking_intro => tr(lang, "report.ranking_intro"),
            h_rank => tr(lang, "report.h_rank"),
            h_mean => tr(lang, "report.h_mean"),
            h_rights_scored => tr(lang, "report.h_rights_scored"),
            ranking => ranking,
            breakdowns => breakdowns,
            followup => followup,
            since => self.since_last_year(year, lang),
            practices => self.practices_annex(year, lang),
        };
        let mut files = vec![
            ("charts/progress.svg".to_string(), progress_chart.svg.into_bytes()),
            ("charts/quality.svg".to_string(), quality_chart.svg.into_bytes()),
            self.annex_file(lang)?,
        ];
        files.extend(breakdown_files);
        files.extend(followup_files);
        let name = match region {
            Some(r) => format!("campaign-{}-{year}-{}", crate::charts::file_part(r), lang.code()),
            None => format!("campaign-{year}-{}", lang.code()),
        };
        let path = PathBuf::from("campaign").join(name);
        self.compile("campaign.typ.j2", ctx, files, (year, 12, 31), path)
    }
}

impl Reporter<'_> {
    /// The progress section's account of who is counted (issue 21): the governments
    /// committed by the end of `year` — from the pledge register, or from their returns when
    /// the register does not list them — against those that returned a questionnaire for
    /// `year`, in plain words, and both per year as a table.
    fn pledged_and_reporting(&self, year: i32, lang: Lang) -> Value {
        use crate::compute::campaign::{commitments, Source};
        let n = |k: usize| format_number(k as f64, 0, lang);
        let all = commitments(self.ds);
        let committed: Vec<(&String, Source)> =
            all.iter().filter(|(_, c)| c.year <= year).map(|(id, c)| (id, c.source)).collect();
        let in_register = committed.iter().filter(|(_, s)| *s == Source::Register).count();
        let reporting: BTreeSet<&str> =
            self.ds.returns.iter().filter(|r| r.year == year).map(|r| r.city_id.as_str()).collect();
        let ever: BTreeSet<&str> =
            self.ds.returns.iter().filter(|r| r.year <= year).map(|r| r.city_id.as_str()).collect();
        let not_reporting: Vec<&str> = committed
            .iter()
            .map(|(id, _)| id.as_str())
            .filter(|id| !reporting.contains(id))
            .collect();
        let never = not_reporting.iter().filter(|id| !ever.contains(*id)).count();
        let withdrawn = self.ds.pledges.iter().filter(|p| !p.stands()).count();
        let mut text = vec![if self.ds.pledges.is_empty() {
            trf(
                lang,
                "pledge.report.committed_no_register",
                &[("year", &year), ("committed", &n(committed.len()))],
            )
        } else if in_register == committed.len() {
            trf(
                lang,
                "pledge.report.committed_all_register",
                &[("year", &year), ("committed", &n(committed.len()))],
            )
        } else {
            trf(
                lang,
                "pledge.report.committed",
                &[
                    ("year", &year),
                    ("committed", &n(committed.len())),
                    ("register", &n(in_register)),
                    ("returns", &n(committed.len() - in_register)),
                ],
            )
        }];
        let key = if not_reporting.is_empty() {
            "pledge.report.reporting_all"
        } else if never == not_reporting.len() {
            "pledge.report.reporting_never"
        } else {
            "pledge.report.reporting"
        };
        text.push(trf(
            lang,
            key,
            &[
                ("year", &year),
                ("reporting", &n(reporting.len())),
                ("not_reporting", &n(not_reporting.len())),
                ("never", &n(never)),
            ],
        ));
        if withdrawn > 0 {
            text.push(trf(lang, "pledge.report.withdrawn", &[("n", &n(withdrawn))]));
        }
        text.push(tr(lang, "pledge.report.difference").to_string());
        let rows: Vec<Value> = self
            .data
            .campaign
            .iter()
            .filter(|c| !c.projected && c.year <= year)
            .map(|c| {
                context! {
                    year => c.year,
                    committed => format_number(c.cumulative, 0, lang),
                    reporting => c.reporting.map_or_else(|| "–".to_string(), |r| n(r as usize)),
                }
            })
            .collect();
        context! {
            text => text.join(" "),
            h_year => tr(lang, "pledge.report.h_year"),
            h_committed => tr(lang, "pledge.report.h_committed"),
            h_reporting => tr(lang, "pledge.report.h_reporting"),
            rows => rows,
        }
    }
}
