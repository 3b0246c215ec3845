//! The city self-assessment: profile; a summary of right scores against the regional
//! median and the city's last year; strengths and what to improve; every indicator with its
//! value, kind, change, mechanisms and data gaps; and how the scores are made. The
//! formulas, goalposts and sources of the indicators are in one methodology document per
//! language, generated from the framework, which every city report points to.

use std::path::PathBuf;

use minijinja::{context, Value};

use super::{capitalised, is_yes_no, Rendered, Reporter};
use crate::charts::data::{ScoreRow, ValueRow, MIN_PEERS};
use crate::charts::{file_part, Labels};
use crate::framework::Direction;
use crate::i18n::{format_number, tr, trf, Lang};

/// How many indicators the strengths and the gaps list at most.
const TOP: usize = 5;
/// Indicator scores at or above this are strengths; below [`GAP`], things to improve.
const STRENGTH: f64 = 75.0;
const GAP: f64 = 50.0;

/// Why the value of `row` is to be checked, in `lang`: its answers got a plausibility
/// warning (`W-IMPLAUSIBLE`, `W-JUMP`, `W-REPEAT`), it lies outside the indicator's usual
/// range, or it is an outlier among the governments. Empty when nothing is in doubt.
pub(crate) fn to_check(
    ind: &crate::framework::Indicator,
    row: &ValueRow,
    responses: &[crate::store::ResponseRow],
    lang: Lang,
) -> Vec<String> {
    let code_of = |q: &str| {
        responses.iter().find(|r| r.question_id == q).and_then(|r| r.diagnostic_code.as_deref())
    };
    to_check_by(ind, row, code_of, lang)
}

/// [`to_check`], with the diagnostic code of each answer given by `code_of` (question id →
/// its first code).
pub(crate) fn to_check_by<'a>(
    ind: &crate::framework::Indicator,
    row: &ValueRow,
    code_of: impl Fn(&str) -> Option<&'a str>,
    lang: Lang,
) -> Vec<String> {
    if row.status != "ok" {
        return Vec::new();
    }
    let codes: Vec<&str> = ind.formula.node.questions().into_iter().filter_map(code_of).collect();
    let outside = ind.plausible.as_ref().zip(row.value).is_some_and(|(p, v)| !p.holds(v));
    let mut out = Vec::new();
    if outside || codes.contains(&"W-IMPLAUSIBLE") {
        out.push(tr(lang, "report.check.implausible").to_string());
    }
    if codes.contains(&"W-JUMP") {
        out.push(tr(lang, "report.check.jump").to_string());
    }
    if codes.contains(&"W-REPEAT") {
        out.push(tr(lang, "report.check.repeat").to_string());
    }
    if row.outlier {
        out.push(tr(lang, "report.check.outlier").to_string());
    }
    out
}

/// The service (in `lang`) outside the government's competence that makes `ind` not
/// applicable to it, from its profile's `competences`; `None` when that is not the reason.
pub(crate) fn outside_competence(
    fw: &crate::framework::Framework,
    ind: &crate::framework::Indicator,
    answers: &[crate::validate::Answer],
    lang: Lang,
) -> Option<String> {
    outside_competence_by(fw, ind, |q| crate::validate::outside_competence(fw, q, answers), lang)
}

/// [`outside_competence`] for services a government ticked (`None`: it did not answer):
/// the web site reads them from the answers table.
pub(crate) fn outside_competence_of(
    fw: &crate::framework::Framework,
    ind: &crate::framework::Indicator,
    ticks: Option<&[String]>,
    lang: Lang,
) -> Option<String> {
    let outside = |q: &crate::framework::Question| match (&q.competence, ticks) {
        (Some(c), Some(ticks)) => !ticks.is_empty() && !ticks.contains(c),
        _ => false,
    };
    outside_competence_by(fw, ind, outside, lang)
}

/// The service (in `lang`) of the first question of `ind` that `outside` says is outside
/// the government's competence.
fn outside_competence_by(
    fw: &crate::framework::Framework,
    ind: &crate::framework::Indicator,
    outside: impl Fn(&crate::framework::Question) -> bool,
    lang: Lang,
) -> Option<String> {
    let q = ind
        .formula
        .node
        .questions()
        .into_iter()
        .filter_map(|id| fw.question(id))
        .find(|q| outside(q))?;
    let code = q.competence.as_deref()?;
    let label = fw
        .question(crate::framework::COMPETENCES)
        .and_then(|c| c.choices.iter().find(|x| x.code == code))
        .map_or(code.to_string(), |x| x.label.get(lang).to_lowercase());
    Some(label)
}

/// The value of `row` as a reader needs it: the value with its unit, or why there is none
/// (outside the government's competence — the service `outside` names —, not applicable,
/// not asked, undefined, out of range, missing).
pub(crate) fn value_words(
    fw: &crate::framework::Framework,
    ind: &crate::framework::Indicator,
    row: &ValueRow,
    outside: impl FnOnce() -> Option<String>,
    lang: Lang,
) -> String {
    match (row.status.as_str(), row.value) {
        ("ok", Some(v)) => super::show_value(fw, &ind.unit, v, lang),
        ("not_applicable", _) => match outside() {
            Some(service) => trf(lang, "report.outside_competence", &[("service", &service)]),
            None => tr(lang, "report.not_applicable").into(),
        },
        ("not_asked", _) => tr(lang, "report.not_asked").into(),
        ("undefined", _) => tr(lang, "report.undefined").into(),
        ("out_of_range", _) => tr(lang, "report.out_of_range").into(),
        _ => tr(lang, "report.missing").into(),
    }
}

/// Whether `row` records a structural measure lost or weakened since the previous return
/// (a yes turned no, a 0–2 scale that went down), its definition unchanged.
pub(crate) fn lost(ind: &crate::framework::Indicator, row: &ValueRow) -> bool {
    // A measure is in place or not (yes/no), or in place to some degree (a points scale);
    // a structural quantity that moves a little (litres of a free water block) is a change,
    // not a measure lost.
    let measure = matches!(ind.unit.as_str(), "yes_no" | "score");
    measure
        && ind.kind == crate::framework::IndicatorKind::Structural
        && row.status == "ok"
        && !row.definition_changed
        && !row.carried_forward
        && row.value.is_some()
        && row.change.is_some_and(|c| worse(ind, c))
}

/// Whether a change of `change` is for the worse for `ind`.
fn worse(ind: &crate::framework::Indicator, change: f64) -> bool {
    match ind.direction {
        Direction::HigherIsBetter => change < 0.0,
        Direction::LowerIsBetter => change > 0.0,
    }
}

/// A change as a reader needs it: its size with the unit (percentage points for a share),
/// and whether it is better or worse for this indicator; for a yes/no measure, "adopted"
/// or "lost".
pub(crate) fn change_words(
    fw: &crate::framework::Framework,
    ind: &crate::framework::Indicator,
    change: Option<f64>,
    lang: Lang,
) -> String {
    let Some(c) = change else { return "–".into() };
    if is_yes_no(fw, &ind.unit) {
        return match c {
            c if c < 0.0 => tr(lang, "report.change.lost").into(),
            c if c > 0.0 => tr(lang, "report.change.adopted").into(),
            _ => tr(lang, "report.change.same").into(),
        };
    }
    let size = show_change(Some(c), 1, lang);
    if size.chars().all(|d| matches!(d, '0' | '.' | ',')) {
        return tr(lang, "report.change.same").into();
    }
    let unit = match fw.vocab.units.get(&ind.unit).map(|u| u.format) {
        Some(crate::framework::UnitFormat::Percent) => format!(" {}", tr(lang, "report.pp")),
        _ => String::new(),
    };
    let way = if worse(ind, c) { "report.change.worse" } else { "report.change.better" };
    format!("{size}{unit} ({})", tr(lang, way))
}

/// A score as printed, or "–".
pub(crate) fn show_score(score: Option<f64>, lang: Lang) -> String {
    score.map_or_else(|| "–".into(), |s| format_number(s, 0, lang))
}

/// A signed change as printed, or "–".
pub(crate) fn show_change(change: Option<f64>, decimals: usize, lang: Lang) -> String {
    match change {
        Some(c) => {
            let shown = format_number(c.abs(), decimals, lang);
            if shown.chars().all(|d| matches!(d, '0' | '.' | ',')) {
                shown
            } else if c > 0.0 {
                format!("+{shown}")
            } else {
                format!("-{shown}")
            }
        }
        None => "–".into(),
    }
}

/// A number with as few decimals as it needs (at most two).
fn short_number(x: f64, lang: Lang) -> String {
    let decimals = (0..2).find(|&d| (x * 10f64.powi(d as i32)).fract() == 0.0).unwrap_or(2);
    format_number(x, decimals, lang)
}

/// "New in 2026.2." and "Changed in 2026.2: …", for the methodology.
fn version_note(i: &crate::framework::Indicator, lang: Lang) -> String {
    let mut parts = Vec::new();
    if let Some(v) = &i.since {
        parts.push(trf(lang, "report.since", &[("version", v)]));
    }
    if let Some(c) = &i.changed {
        parts.push(trf(
            lang,
            "report.changed",
            &[("version", &c.version), ("what", &c.what.get(lang))],
        ));
    }
    parts.join(" ")
}

/// The codes of `ind.sdg_when` whose condition holds for a return's `answers`.
pub(super) fn sdg_when(
    ind: &crate::framework::Indicator,
    answers: &[crate::validate::Answer],
) -> Vec<String> {
    ind.sdg_when
        .iter()
        .filter(|w| {
            let out = crate::formula::eval(&w.when.node, &|id| {
                answers
                    .iter()
                    .find(|a| a.question == id)
                    .map_or(crate::formula::Answer::Missing, |a| a.formula_answer())
            });
            out.number().is_some_and(|v| v != 0.0)
        })
        .map(|w| w.code.clone())
        .collect()
}

/// The methodology annex: how scores are made, then every indicator's formula, goalposts
/// and source, per right.
fn annex(r: &Reporter<'_>, lang: Lang) -> Vec<Value> {
    let fw = r.fw;
    fw.rights
        .iter()
        .map(|right| {
            let indicators: Vec<Value> = fw
                .indicators
                .iter()
                .filter(|i| i.right == right.id)
                .map(|i| {
                    let goalposts = i.goalposts.map_or_else(
                        || tr(lang, "report.no_goalposts").to_string(),
                        |g| {
                            let key = match i.direction {
                                Direction::HigherIsBetter => "report.goalposts_higher",
                                Direction::LowerIsBetter => "report.goalposts_lower",
                            };
                            trf(
                                lang,
                                key,
                                &[
                                    ("lo", &short_number(g.lo, lang)),
                                    ("hi", &short_number(g.hi, lang)),
                                ],
                            )
                        },
                    );
                    context! {
                        id => i.id.clone(),
                        title => i.title.get(lang).to_string(),
                        kind => fw.vocab.kinds.get(i.kind.name()).map_or(i.kind.name().to_string(), |k| k.get(lang).to_string()),
                        formula => i.formula.text.clone(),
                        unit => fw.unit_label(&i.unit, lang),
                        goalposts => goalposts,
                        mechanisms => capitalised(&i.mechanisms(lang, true)),
                        version => version_note(i, lang),
                        source => i.source.get(lang).to_string(),
                    }
                })
                .collect();
            context! {
                title => right.title.get(lang).to_string(),
                source => right.source.get(lang).to_string(),
                indicators => indicators,
            }
        })
        .collect()
}

/// The method paragraphs shared by the annexes of every report.
pub(super) fn method_text(r: &Reporter<'_>, lang: Lang) -> Vec<String> {
    method_paragraphs(r.fw, r.method, lang)
}

/// The method paragraphs for framework `fw` and method `method` (reports and web site).
pub(crate) fn method_paragraphs(
    fw: &crate::framework::Framework,
    method: &crate::compute::Method,
    lang: Lang,
) -> Vec<String> {
    let threshold = format!("{:.0}", method.coverage_threshold * 100.0);
    vec![
        tr(lang, "report.method_data").to_string(),
        tr(lang, "report.method_gate").to_string(),
        tr(lang, "report.method_score").to_string(),
        trf(lang, "report.method_right", &[("threshold", &threshold)]),
        tr(lang, "report.method_kinds").to_string(),
        tr(lang, "report.method_kind_scores").to_string(),
        trf(lang, "report.method_versions", &[("version", &fw.version)]),
        trf(
            lang,
            "report.method_framework",
            &[("id", &fw.id), ("version", &fw.version), ("n", &fw.indicators.len())],
        ),
    ]
}

/// The abbreviations the reports use, with what they stand for, in `lang`: the instruments
/// (in the language's own abbreviations), General Comments and Recommendations, the SDGs,
/// the UPR and the Charter-Agenda.
pub(super) fn glossary(lang: Lang) -> Value {
    let mut entries: Vec<Value> = crate::i18n::instruments(lang)
        .into_iter()
        .map(|(abbr, name)| context! { abbr => abbr, name => name })
        .collect();
    for key in ["gc", "gr", "sdg", "upr", "ca", "pp"] {
        entries.push(context! {
            abbr => tr(lang, &format!("glossary.{key}.abbr")),
            name => tr(lang, &format!("glossary.{key}.name")),
        });
    }
    context! { heading => tr(lang, "glossary.heading"), entries => entries }
}

/// Where the methodology document of `lang` goes under the reports folder.
pub fn methodology_path(lang: Lang) -> PathBuf {
    PathBuf::from("methodology").join(format!("methodology-{}", lang.code()))
}

impl Reporter<'_> {
    /// The context the methodology templates expect (`annex.typ.j2`).
    fn annex_context(&self, lang: Lang, heading: &str) -> Value {
        context! {
            h_annex => heading,
            method => method_text(self, lang),
            annex => annex(self, lang),
            w_formula => tr(lang, "report.formula"),
            w_goalposts => tr(lang, "report.goalposts"),
            w_source => tr(lang, "report.source"),
            glossary => glossary(lang),
        }
    }

    /// The methodology document in `lang`: how scores are made, then every indicator's
    /// formula, goalposts and source. City reports point to it instead of repeating it,
    /// which keeps each of them short (and a thousand of them quick to make).
    pub fn methodology(&self, lang: Lang) -> anyhow::Result<Rendered> {
        let heading = tr(lang, "report.h_methodology");
        let title = format!("{heading} · {} {}", self.fw.id, self.fw.version);
        let ctx = context! {
            lang => lang.code(),
            title => title.clone(),
            author => "hrcities",
            footer => title,
            ..self.annex_context(lang, heading)
        };
        let year = self.ds.returns.iter().map(|r| r.year).max().unwrap_or(2026);
        self.compile("methodology.typ.j2", ctx, Vec::new(), (year, 12, 31), methodology_path(lang))
    }

    /// The methodology annex in `lang` as the file `annex.typ` the reports include: the
    /// same bytes for every report of a language, rendered once.
    pub(super) fn annex_file(&self, lang: Lang) -> anyhow::Result<(String, Vec<u8>)> {
        let cell = &self.annex_cache[lang.index()];
        if let Some(text) = cell.get() {
            return Ok(("annex.typ".into(), text.clone().into_bytes()));
        }
        let ctx = self.annex_context(lang, tr(lang, "report.h_annex"));
        let text = self.templates.get_template("annex.typ.j2")?.render(ctx)?;
        let text = cell.get_or_init(|| text);
        Ok(("annex.typ".into(), text.clone().into_bytes()))
    }

    /// Renders the self-assessment of `city` for `year` in `lang`.
    pub fn city(&self, city: &str, year: i32, lang: Lang) -> anyhow::Result<Rendered> {
        let (fw, data) = (self.fw, self.data);
        let labels = Labels { fw, lang };
        let rows: Vec<&ValueRow> =
            data.city_values(city).filter(|r| r.year == year && !r.carried_forward).collect();
        let at = self.return_of(city, year);
        let profile = at.map(|i| &self.ds.profiles[i]);
        let (Some(profile), false) = (profile, rows.is_empty()) else {
            anyhow::bail!(trf(lang, "report.no_return", &[("city", &city), ("year", &year)]));
        };
        let name = profile.city_name.clone();
        let answers: &[crate::validate::Answer] = at.map_or(&[], |i| &self.ds.answers[i]);

        // Values to be checked: implausible, an unusual change, a fact reported differently,
        // or far from the other governments'. They are printed, marked, and never listed as
        // strengths.
        let responses: &[crate::store::ResponseRow] = at.map_or(&[], |i| &self.ds.responses[i]);
        let checks: std::collections::HashMap<&str, String> = rows
            .iter()
            .filter_map(|row| {
                let ind = fw.indicator(&row.indicator_id)?;
                let reasons = to_check(ind, row, responses, lang);
                (!reasons.is_empty()).then(|| {
                    let label = tr(lang, "report.check.label");
                    (row.indicator_id.as_str(), format!("{label}: {}", reasons.join("; ")))
                })
            })
            .collect();

        // The scores of the city, its region this year, and its previous return.
        let own: Vec<&ScoreRow> =
            data.city_scores(city).filter(|s| !s.carried_forward && s.year <= year).collect();
        let last_year = own.iter().map(|s| s.year).filter(|&y| y < year).max();
        let row_of = |right: &str, y: Option<i32>| {
            own.iter().find(|s| Some(s.year) == y && s.right_id == right).copied()
        };
        let score_of = |right: &str, y: Option<i32>| row_of(right, y).and_then(|s| s.score);
        // The median to compare with: the region's when at least MIN_PEERS governments of the
        // region reported this year, else the whole campaign's; the table says which, and of
        // how many governments.
        let region = profile.region.as_deref();
        let in_region = data.governments_in(year, region);
        let in_campaign = data.governments_in(year, None);
        let by_region = region.is_some() && in_region >= MIN_PEERS;
        let region_median = |right: &str| {
            if by_region {
                data.region_median(year, region, right)
            } else {
                data.campaign_median(year, right)
            }
        };
        let median_note = if by_region {
            trf(
                lang,
                "report.median_region",
                &[("region", &labels.region(region)), ("n", &in_region)],
            )
        } else {
            trf(
                lang,
                "report.median_campaign",
                &[
                    ("region", &labels.region(region)),
                    ("n", &in_region),
                    ("min", &MIN_PEERS),
                    ("all", &in_campaign),
                ],
            )
        };

        let mut summary = Vec::new();
        let mut rights = Vec::new();
        for right in &fw.rights {
            let this = row_of(&right.id, Some(year));
            let score = this.and_then(|s| s.score);
            let previous = score_of(&right.id, last_year);
            let kinds = this.map_or([None; 3], |s| s.kinds);
            let not_asked = this.is_some_and(|s| s.status == "not_asked");
            summary.push(context! {
                right => labels.right(&right.id),
                score => if not_asked { tr(lang, "report.not_asked_short").to_string() } else { show_score(score, lang) },
                kinds => kinds.iter().map(|k| show_score(*k, lang)).collect::<Vec<_>>(),
                not_asked => not_asked,
                median => show_score(region_median(&right.id), lang),
                previous => show_score(previous, lang),
                change => show_change(score.zip(previous).map(|(a, b)| a - b), 0, lang),
            });
            let mut indicators = Vec::new();
            for row in &rows {
                let Some(ind) = fw.indicator(&row.indicator_id) else { continue };
                if ind.right != right.id {
                    continue;
                }
                let value =
                    value_words(fw, ind, row, || outside_competence(fw, ind, answers, lang), lang);
                let gap = match (row.status.as_str(), row.missing_questions.as_deref()) {
                    ("missing", Some(m)) => {
                        trf(lang, "report.fill_in", &[("questions", &m.replace(';', ", "))])
                    }
                    _ => String::new(),
                };
                let change = if row.definition_changed {
                    tr(lang, "report.definition_changed").into()
                } else {
                    change_words(fw, ind, row.change, lang)
                };
                let scale = ind.goalposts.map(|g| {
                    let (worst, best) = match ind.direction {
                        Direction::HigherIsBetter => (g.lo, g.hi),
                        Direction::LowerIsBetter => (g.hi, g.lo),
                    };
                    trf(
                        lang,
                        "report.scale",
                        &[
                            ("worst", &self.show_value(&ind.unit, worst, lang)),
                            ("best", &self.show_value(&ind.unit, best, lang)),
                        ],
                    )
                });
                indicators.push(context! {
                    scale => scale,
                    doubt => checks.get(ind.id.as_str()),
                    id => ind.id.clone(),
                    title => ind.title.get(lang).to_string(),
                    kind => fw.vocab.kinds.get(ind.kind.name()).map_or(ind.kind.name().to_string(), |k| k.get(lang).to_string()),
                    value => value,
                    change => change,
                    gap => gap,
                    mechanisms => ind.mechanisms_where(lang, false, Some(&sdg_when(ind, answers))),
                });
            }
            rights.push(context! {
                title => right.title.get(lang).to_string(),
                score => score.is_some(),
                score_line => score.map_or(String::new(), |s| trf(lang, "report.score_line", &[("score", &format_number(s, 0, lang))])),
                indicators => indicators,
            });
        }

        // Strengths and what to improve, by indicator score.
        let item = |row: &&ValueRow| {
            let ind = fw.indicator(&row.indicator_id)?;
            Some(context! {
                title => ind.title.get(lang).to_string(),
                right => labels.right(&ind.right),
                value => self.show_value(&ind.unit, row.value?, lang),
                score => show_score(row.score, lang),
                doubt => checks.get(ind.id.as_str()),
            })
        };
        let mut scored: Vec<&ValueRow> =
            rows.iter().copied().filter(|r| r.status == "ok" && r.score.is_some()).collect();
        scored.sort_by(|a, b| {
            b.score
                .unwrap_or(0.0)
                .total_cmp(&a.score.unwrap_or(0.0))
                .then(a.indicator_id.cmp(&b.indicator_id))
        });
        let strong: Vec<&&ValueRow> = scored
            .iter()
            .filter(|r| r.score.unwrap_or(0.0) >= STRENGTH)
            .filter(|r| !checks.contains_key(r.indicator_id.as_str()))
            .collect();
        let weak: Vec<&&ValueRow> =
            scored.iter().rev().filter(|r| r.score.unwrap_or(100.0) < GAP).collect();
        // How many there are, and whether the list shows them all.
        let shown = |n: usize| {
            if n == 0 {
                String::new()
            } else if n > TOP {
                trf(lang, "report.list_top", &[("top", &TOP), ("n", &n)])
            } else {
                trf(lang, "report.list_all", &[("n", &n)])
            }
        };
        let (strong_count, weak_count) = (shown(strong.len()), shown(weak.len()));
        let strengths: Vec<Value> = strong.into_iter().take(TOP).filter_map(item).collect();
        let improve: Vec<Value> = weak.into_iter().take(TOP).filter_map(item).collect();
        let missing: Vec<&&ValueRow> = rows.iter().filter(|r| r.status == "missing").collect();
        let mut to_fill: Vec<&str> = missing
            .iter()
            .filter_map(|r| r.missing_questions.as_deref())
            .flat_map(|m| m.split(';'))
            .collect();
        to_fill.sort();
        to_fill.dedup();
        let gaps_line = if missing.is_empty() {
            tr(lang, "report.no_gaps").to_string()
        } else {
            trf(
                lang,
                "report.gaps_line",
                &[
                    ("n", &missing.len()),
                    ("total", &rows.len()),
                    ("questions", &to_fill.join(", ")),
                ],
            )
        };

        let not_asked = rows.iter().filter(|r| r.status == "not_asked").count();
        let gaps_line = if not_asked > 0 {
            let version = self
                .ds
                .returns
                .iter()
                .find(|r| r.city_id == city && r.year == year)
                .map_or("?", |r| r.version());
            let line = trf(
                lang,
                "report.not_asked_line",
                &[("n", &not_asked), ("version", &version), ("current", &fw.version)],
            );
            format!("{gaps_line} {line}")
        } else {
            gaps_line
        };

        let mut profile_rows = vec![
            context! { label => tr(lang, "report.region"), value => labels.region(profile.region.as_deref()) },
            context! { label => tr(lang, "report.year"), value => year.to_string() },
        ];
        let details = [
            (
                "report.country",
                profile.country.as_deref().map(|c| crate::i18n::country_name(c, lang)),
            ),
            (
                "report.level",
                profile.government_level.as_deref().map(|c| labels.choice("government_level", c)),
            ),
            ("report.population", profile.population.map(|n| format_number(n, 0, lang))),
            ("report.joined", profile.joined_campaign.map(|d| d.to_string())),
            ("report.last_year", last_year.map(|y| y.to_string())),
        ];
        for (key, value) in details {
            if let Some(value) = value {
                profile_rows.push(context! { label => tr(lang, key), value => value });
            }
        }

        // How scores are made; the formulas, goalposts and sources are in the methodology
        // document.
        let mut method = method_text(self, lang);
        method.pop();
        let file = methodology_path(lang).with_extension("pdf");
        method.push(trf(
            lang,
            "report.method_elsewhere",
            &[
                ("id", &fw.id),
                ("version", &fw.version),
                ("n", &fw.indicators.len()),
                ("file", &file.display()),
            ],
        ));

        // Structural measures lost since the previous return: a retrogressive step that
        // needs full justification (CESCR General Comment 3, para. 9).
        let losses: Vec<Value> = rows
            .iter()
            .filter_map(|row| {
                let ind = fw.indicator(&row.indicator_id)?;
                if !lost(ind, row) {
                    return None;
                }
                let (value, change) = (row.value?, row.change?);
                Some(context! {
                    title => ind.title.get(lang).to_string(),
                    id => ind.id.clone(),
                    right => labels.right(&ind.right),
                    from_to => trf(lang, "report.from_to", &[
                        ("before", &self.show_value(&ind.unit, value - change, lang)),
                        ("now", &self.show_value(&ind.unit, value, lang)),
                    ]),
                })
            })
            .collect();
        let losses_intro = match (last_year, losses.len()) {
            (None, _) => None,
            (Some(y), 0) => Some(trf(lang, "report.losses_none", &[("year", &y)])),
            (Some(y), n) => Some(trf(lang, "report.losses_intro", &[("year", &y), ("n", &n)])),
        };

        // The one-page summary in plain words: what improved and what worsened most (in
        // score points, values to be checked left out), the measures lost, the data to check
        // and what to do next.
        let moves: Vec<(f64, Value)> = rows
            .iter()
            .filter(|r| r.status == "ok" && !r.definition_changed)
            .filter(|r| !checks.contains_key(r.indicator_id.as_str()))
            .filter_map(|row| {
                let ind = fw.indicator(&row.indicator_id)?;
                if lost(ind, row) {
                    return None; // listed with the measures lost
                }
                let g = ind.goalposts?;
                let (value, change) = (row.value?, row.change?);
                if g.hi <= g.lo || change == 0.0 {
                    return None;
                }
                let points = match ind.direction {
                    Direction::HigherIsBetter => change,
                    Direction::LowerIsBetter => -change,
                } / (g.hi - g.lo)
                    * 100.0;
                Some((
                    points,
                    context! {
                        title => ind.title.get(lang).to_string(),
                        from_to => trf(lang, "report.from_to", &[
                            ("before", &self.show_value(&ind.unit, value - change, lang)),
                            ("now", &self.show_value(&ind.unit, value, lang)),
                        ]),
                    },
                ))
            })
            .collect();
        let mut better: Vec<&(f64, Value)> = moves.iter().filter(|(p, _)| *p >= 1.0).collect();
        better.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut worse_moves: Vec<&(f64, Value)> =
            moves.iter().filter(|(p, _)| *p <= -1.0).collect();
        worse_moves.sort_by(|a, b| a.0.total_cmp(&b.0));
        let to_confirm: Vec<Value> = rows
            .iter()
            .filter_map(|row| {
                let doubt = checks.get(row.indicator_id.as_str())?;
                let ind = fw.indicator(&row.indicator_id)?;
                Some(context! { title => ind.title.get(lang).to_string(), why => doubt })
            })
            .collect();
        let mut next: Vec<String> = Vec::new();
        if !losses.is_empty() {
            next.push(trf(lang, "report.next_losses", &[("n", &losses.len())]));
        }
        if !to_confirm.is_empty() {
            next.push(trf(lang, "report.next_check", &[("n", &to_confirm.len())]));
        }
        if !missing.is_empty() {
            next.push(trf(lang, "report.next_missing", &[("n", &missing.len())]));
        }
        if !improve.is_empty() {
            next.push(tr(lang, "report.next_improve").to_string());
        }
        let summary_page = context! {
            heading => tr(lang, "report.h_at_a_glance"),
            intro => last_year.map_or_else(
                || tr(lang, "report.glance_first").to_string(),
                |y| trf(lang, "report.glance_intro", &[("year", &y)]),
            ),
            h_better => tr(lang, "report.glance_better"),
            h_worse => tr(lang, "report.glance_worse"),
            h_losses => tr(lang, "report.h_losses"),
            h_check => tr(lang, "report.glance_check"),
            h_next => tr(lang, "report.glance_next"),
            better => better.iter().take(3).map(|(_, v)| v.clone()).collect::<Vec<_>>(),
            worse => worse_moves.iter().take(3).map(|(_, v)| v.clone()).collect::<Vec<_>>(),
            losses => losses.clone(),
            check_more => (to_confirm.len() > 4).then(|| trf(lang, "report.glance_more", &[("n", &to_confirm.len())])),
            check => to_confirm.into_iter().take(4).collect::<Vec<_>>(),
            next => next,
            none => tr(lang, "report.none"),
            compared => last_year.is_some(),
        };

        let (left_behind, group_files) = self.left_behind(city, year, lang);
        let (followup, followup_files) = self.followup_section(city, year, lang);
        let chart = crate::charts::right_profile(data, labels, city, year);
        let title = trf(lang, "report.city_title", &[("city", &name), ("year", &year)]);
        let ctx = context! {
            lang => lang.code(),
            title => title.clone(),
            author => "hrcities",
            kicker => tr(lang, "report.kicker"),
            city_name => name.clone(),
            subtitle => trf(lang, "report.city_subtitle", &[("year", &year)]),
            footer => title.clone(),
            profile => profile_rows,
            h_scores => tr(lang, "report.h_scores"),
            scores_intro => tr(lang, "report.scores_intro"),
            rights_alt => chart.desc.clone(),
            summary => summary,
            h_right => tr(lang, "report.h_right"),
            h_score => tr(lang, "report.h_score"),
            h_median => tr(lang, if by_region { "report.h_median" } else { "report.h_median_campaign" }),
            median_note => median_note,
            h_kinds => ["report.h_structural", "report.h_process", "report.h_outcome"].map(|k| tr(lang, k)),
            h_by_kind => tr(lang, "report.h_by_kind"),
            h_previous => last_year.map_or_else(|| tr(lang, "report.h_previous").to_string(), |y| y.to_string()),
            glance => summary_page,
            h_losses => tr(lang, "report.h_losses"),
            losses_intro => losses_intro,
            losses => losses,
            h_strengths => tr(lang, "report.h_strengths"),
            h_improve => tr(lang, "report.h_improve"),
            h_gaps => tr(lang, "report.h_gaps"),
            strengths_intro => format!("{} {strong_count}", trf(lang, "report.strengths_intro", &[("score", &STRENGTH)])),
            improve_intro => format!("{} {weak_count}", trf(lang, "report.improve_intro", &[("score", &GAP)])),
            none => tr(lang, "report.none"),
            strengths => strengths,
            improve => improve,
            gaps_line => gaps_line,
            h_rights => tr(lang, "report.h_rights"),
            rights => rights,
            h_indicator => tr(lang, "report.h_indicator"),
            h_kind => tr(lang, "report.h_kind"),
            h_value => tr(lang, "report.h_value"),
            h_change => tr(lang, "report.h_change"),
            h_method => tr(lang, "report.h_method"),
            method => method,
            left_behind => left_behind,
            followup => followup,
            peers => self.peers_section(city, year, lang),
        };
        let mut files = vec![("charts/rights.svg".to_string(), chart.svg.into_bytes())];
        files.extend(group_files);
        files.extend(followup_files);
        // The report's charts, by file, for slides and other documents.
        let names: Vec<&str> =
            files.iter().map(|(name, _)| name.as_str()).filter(|n| n.ends_with(".svg")).collect();
        let charts_note = trf(
            lang,
            "report.charts_files",
            &[("files", &names.join(", ")), ("city", &city), ("year", &year)],
        );
        let ctx = context! { charts_note => charts_note, glossary => glossary(lang), ..ctx };
        let path = PathBuf::from(file_part(city)).join(format!(
            "{}-{year}-{}",
            file_part(city),
            lang.code()
        ));
        self.compile("city.typ.j2", ctx, files, (year, 12, 31), path)
    }
}
