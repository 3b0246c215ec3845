//! A submission to a UN mechanism (UPR stakeholder submission, treaty-body parallel report,
//! Human Rights Council call for input) from the evidence the local governments of one
//! country reported: one country, one language, a named submitter and the session it is
//! for; the follow-up of the previous cycle's recommendations (Contract 6); 8–12 issues
//! from a [`Plan`] the analyst edits (or the default selection), each a paragraph a person
//! would write, the recommendations to the State at the end of each section; which matters
//! are the governments' competence and which the State's; sources as endnotes. Word count,
//! files and method go to a check file beside it, not into the document. Written as PDF
//! and, from the same content, as `.docx` with Word endnotes.

pub mod plan;
mod select;

use std::path::PathBuf;

use minijinja::context;

use super::city::{sdg_when, to_check};
use super::docx::{self, Block};
use super::Reporter;
use crate::charts::file_part;
use crate::compute::dataset::Profile;
use crate::i18n::{and_list, country_name, format_number, tr, trf, Lang};
pub use plan::{Plan, PlanError, PlanIssue, Submitter};
use select::lower_first;
pub use select::{MAX_ISSUES, MIN_ISSUES};

/// The UN mechanisms a submission can address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Mechanism {
    /// A stakeholder submission to the Universal Periodic Review.
    Upr,
    /// A parallel report to the Committee on Economic, Social and Cultural Rights.
    Cescr,
    /// A contribution to a Human Rights Council call for input.
    Hrc,
}

impl Mechanism {
    pub fn name(self) -> &'static str {
        match self {
            Mechanism::Upr => "upr",
            Mechanism::Cescr => "cescr",
            Mechanism::Hrc => "hrc",
        }
    }

    /// The mechanism named `name` (`upr`, `cescr`, `hrc`).
    pub fn from_name(name: &str) -> Option<Mechanism> {
        [Mechanism::Upr, Mechanism::Cescr, Mechanism::Hrc]
            .into_iter()
            .find(|m| m.name().eq_ignore_ascii_case(name.trim()))
    }

    /// The default word limit, for an individual or a joint submission. See README's
    /// "Word limits" for the source of each and how sure it is.
    pub fn default_word_limit(self, joint: bool) -> usize {
        match (self, joint) {
            (Mechanism::Upr, false) => 2_815,
            (Mechanism::Upr, true) => 5_630,
            (Mechanism::Cescr, _) => 5_000,
            (Mechanism::Hrc, _) => 2_500,
        }
    }
}

/// What to submit, from the command line (a plan file replaces all but the date).
#[derive(Clone, Debug)]
pub struct Options {
    /// ISO 3166-1 alpha-3 code of the country.
    pub country: String,
    pub mechanism: Mechanism,
    /// The governments whose evidence to include (ids); empty for every one of the country.
    pub cities: Vec<String>,
    /// Who submits (default: the government, or the governments jointly).
    pub submitter: Option<String>,
    /// The submitter's short description (default: from the governments' profiles).
    pub description: Option<String>,
    /// The submitter's contact (default: the profile's contact e-mail of a single
    /// government).
    pub contact: Option<String>,
    /// The session the submission is for.
    pub session: Option<String>,
    /// The reporting year (default: the latest with a return from the country).
    pub year: Option<i32>,
    pub word_limit: Option<usize>,
    pub joint: bool,
    /// The date printed on the cover.
    pub date: (i32, u8, u8),
}

/// A numbered paragraph, with the endnotes it cites (numbers into [`Submission::notes`]).
#[derive(Clone, Debug, serde::Serialize)]
pub struct Paragraph {
    pub number: usize,
    pub text: String,
    pub notes: Vec<usize>,
}

/// A section of numbered paragraphs.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Section {
    pub heading: String,
    pub paragraphs: Vec<Paragraph>,
}

/// A submission's content, shared by its PDF and its `.docx`, and its check file.
#[derive(Clone, Debug)]
pub struct Submission {
    pub lang: Lang,
    pub title: String,
    pub cover: Vec<(String, String)>,
    pub sections: Vec<Section>,
    /// The endnotes, numbered from 1 in the order the paragraphs cite them.
    pub notes: Vec<String>,
    /// Words counted: the cover, headings, paragraphs and endnotes.
    pub words: usize,
    pub limit: usize,
    /// "N words of M: K left" or "… over the limit".
    pub word_line: String,
    /// The issues printed.
    pub issues: usize,
    /// Issues of the default selection left out to stay within the word limit.
    pub left_out: usize,
    /// What the analyst should look at before submitting (also in the check file).
    pub warnings: Vec<String>,
    /// The check file: counts, files, method and warnings, in the submission's language.
    pub check: String,
    pub path: PathBuf,
}

impl Submission {
    pub fn over_limit(&self) -> bool {
        self.words > self.limit
    }

    /// The `.docx` of the same content, its endnotes as Word endnotes.
    pub fn docx(&self) -> std::io::Result<Vec<u8>> {
        let mut blocks = vec![Block::Title(self.title.clone()), Block::Cover(self.cover.clone())];
        for s in &self.sections {
            blocks.push(Block::Heading(s.heading.clone()));
            for p in &s.paragraphs {
                blocks.push(Block::Numbered {
                    number: p.number,
                    text: p.text.clone(),
                    notes: p.notes.iter().filter_map(|n| self.notes.get(n - 1).cloned()).collect(),
                });
            }
        }
        docx::write(&blocks, &self.title, "hrcities", self.lang.code())
    }
}

/// The governments a submission speaks for, and its year.
pub(super) struct Scope<'p> {
    pub country: String,
    pub year: i32,
    /// (id, name), by name.
    pub cities: Vec<(&'p str, &'p str)>,
    pub profiles: Vec<&'p Profile>,
}

impl Scope<'_> {
    /// The name of government `id`.
    pub fn name(&self, id: &str) -> String {
        self.cities.iter().find(|c| c.0 == id).map_or(id.to_string(), |c| c.1.to_string())
    }
}

/// Counts words: runs of characters between white space that hold a letter or a digit.
pub fn count_words(text: &str) -> usize {
    text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count()
}

/// The first ICESCR article an indicator maps to (`ICESCR art. 11(1)` → 11).
fn icescr_article(treaty: &[String]) -> Option<u32> {
    treaty.iter().find_map(|t| {
        let rest = t.strip_prefix("ICESCR art. ")?;
        rest.chars().take_while(char::is_ascii_digit).collect::<String>().parse().ok()
    })
}

impl Reporter<'_> {
    /// The governments of `country` (all, or those of `cities`) with a return for `year`
    /// (default: the latest year with one).
    fn scope(
        &self,
        country: &str,
        cities: &[String],
        year: Option<i32>,
        lang: Lang,
    ) -> anyhow::Result<Scope<'_>> {
        let country = country.trim().to_ascii_uppercase();
        let of_country: Vec<(&crate::store::ReturnRecord, &Profile)> = self
            .ds
            .returns
            .iter()
            .zip(&self.ds.profiles)
            .filter(|(_, p)| p.country.as_deref() == Some(country.as_str()))
            .filter(|(r, _)| {
                cities.is_empty() || cities.iter().any(|c| c.eq_ignore_ascii_case(&r.city_id))
            })
            .collect();
        let Some(year) = year.or_else(|| of_country.iter().map(|(r, _)| r.year).max()) else {
            anyhow::bail!(trf(lang, "report.no_country", &[("country", &country)]));
        };
        let mut of_year: Vec<_> = of_country.into_iter().filter(|(r, _)| r.year == year).collect();
        if of_year.is_empty() {
            anyhow::bail!(trf(
                lang,
                "report.no_country_year",
                &[("country", &country), ("year", &year)]
            ));
        }
        if let Some(unknown) =
            cities.iter().find(|c| !of_year.iter().any(|(r, _)| r.city_id.eq_ignore_ascii_case(c)))
        {
            anyhow::bail!(trf(
                lang,
                "sub.unknown_government",
                &[("id", unknown), ("country", &country), ("year", &year)]
            ));
        }
        of_year.sort_by(|a, b| a.1.city_name.cmp(&b.1.city_name));
        Ok(Scope {
            country,
            year,
            cities: of_year
                .iter()
                .map(|(r, p)| (r.city_id.as_str(), p.city_name.as_str()))
                .collect(),
            profiles: of_year.iter().map(|(_, p)| *p).collect(),
        })
    }

    /// The section an indicator goes under for `mechanism`: (order, heading), or `None`
    /// when the mechanism does not read it (no UPR theme, no ICESCR article).
    fn section_of(
        &self,
        mechanism: Mechanism,
        ind: &crate::framework::Indicator,
        lang: Lang,
    ) -> Option<(usize, String)> {
        let fw = self.fw;
        match mechanism {
            Mechanism::Upr => {
                let theme = ind.upr_themes.first()?;
                let pos = fw.vocab.upr_themes.keys().position(|k| k == theme).unwrap_or(usize::MAX);
                let title = fw
                    .vocab
                    .upr_themes
                    .get(theme)
                    .map_or(theme.clone(), |t| t.get(lang).to_string());
                Some((pos, title))
            }
            Mechanism::Cescr => {
                let article = icescr_article(&ind.treaty)?;
                let key = format!("report.icescr_{article}");
                let subject = tr(lang, &key);
                let number = trf(lang, "report.icescr_article", &[("n", &article)]);
                let heading =
                    if subject == key { number } else { format!("{number} — {subject}") };
                Some((article as usize, heading))
            }
            Mechanism::Hrc => {
                let pos = fw.rights.iter().position(|r| r.id == ind.right)?;
                Some((pos, fw.rights[pos].title.get(lang).to_string()))
            }
        }
    }

    /// A government's answer to a profile question, as text.
    fn profile_answer(&self, city: &str, year: i32, question: &str) -> Option<String> {
        self.responses_of(city, year)
            .iter()
            .find(|r| {
                r.question_id == question && r.status == crate::store::ResponseStatus::Answered
            })
            .and_then(|r| r.value_text.clone())
            .filter(|t| !t.trim().is_empty())
    }

    /// The short description of government `i` of `scope`: its level, country, population
    /// and since when it is in the campaign.
    fn describe(&self, scope: &Scope, i: usize, lang: Lang) -> String {
        let p = scope.profiles[i];
        let level = p
            .government_level
            .as_deref()
            .and_then(|l| {
                self.fw
                    .question("government_level")?
                    .choices
                    .iter()
                    .find(|c| c.code == l)
                    .map(|c| lower_first(c.label.get(lang)))
            })
            .unwrap_or_else(|| tr(lang, "sub.a_government").to_string());
        let country = country_name(&scope.country, lang);
        let mut text = match p.population {
            Some(n) => trf(
                lang,
                "sub.describe_population",
                &[
                    ("name", &p.city_name),
                    ("level", &level),
                    ("country", &country),
                    ("n", &format_number(n, 0, lang)),
                ],
            ),
            None => trf(
                lang,
                "sub.describe",
                &[("name", &p.city_name), ("level", &level), ("country", &country)],
            ),
        };
        if let Some(d) = p.joined_campaign {
            text.push(' ');
            text.push_str(&trf(lang, "sub.describe_joined", &[("year", &d.year)]));
        }
        text
    }

    /// The default plan for `opts` in `lang`: the submitter from the options or the
    /// governments' profiles, and the issues with the clearest evidence.
    pub fn submission_plan(&self, opts: &Options, lang: Lang) -> anyhow::Result<Plan> {
        let scope = self.scope(&opts.country, &opts.cities, opts.year, lang)?;
        let names: Vec<String> = scope.cities.iter().map(|c| c.1.to_string()).collect();
        let descriptions: Vec<String> =
            (0..scope.cities.len()).map(|i| self.describe(&scope, i, lang)).collect();
        let (name, joint, description) = match &opts.submitter {
            Some(s) => {
                let d = trf(
                    lang,
                    "sub.describe_network",
                    &[("name", s), ("n", &names.len()), ("cities", &and_list(&names, lang))],
                );
                (s.trim().to_string(), opts.joint, d)
            }
            None => (and_list(&names, lang), opts.joint || names.len() > 1, descriptions.join(" ")),
        };
        let contact = opts.contact.clone().unwrap_or_else(|| {
            if scope.cities.len() == 1 {
                self.profile_answer(scope.cities[0].0, scope.year, "contact_email")
                    .unwrap_or_default()
            } else {
                String::new()
            }
        });
        let mechanism = opts.mechanism;
        let (mut issues, _) =
            self.default_issues(&scope, &|ind| self.section_of(mechanism, ind, lang), lang);
        if mechanism == Mechanism::Cescr {
            for issue in &mut issues {
                let questions: Vec<String> = issue
                    .indicators
                    .iter()
                    .filter_map(|id| self.fw.indicator(id))
                    .map(|ind| self.loi_question(ind, lang))
                    .collect();
                issue.questions = questions;
            }
        }
        Ok(Plan {
            country: scope.country.clone(),
            mechanism: mechanism.name().to_string(),
            language: lang.code().to_string(),
            year: scope.year,
            session: opts.session.clone().unwrap_or_default(),
            word_limit: opts.word_limit,
            submitter: Submitter {
                name,
                description: opts.description.clone().unwrap_or(description),
                contact,
                joint,
            },
            governments: scope.cities.iter().map(|c| c.0.to_string()).collect(),
            issues,
        })
    }

    /// An issue on `indicator` as the default plan writes it, for the governments of
    /// `plan` that have a value (an analyst adds it to a plan; tests use it).
    pub fn issue_for(&self, plan: &Plan, indicator: &str) -> anyhow::Result<PlanIssue> {
        let lang = Lang::from_code(&plan.language).unwrap_or(Lang::En);
        let mechanism = Mechanism::from_name(&plan.mechanism).unwrap_or(Mechanism::Upr);
        let scope = self.scope(&plan.country, &plan.governments, Some(plan.year), lang)?;
        let Some(ind) = self.fw.indicator(indicator) else {
            anyhow::bail!(trf(
                lang,
                "sub.plan_unknown_indicator",
                &[("n", &0), ("id", &indicator)]
            ));
        };
        let governments: Vec<String> = scope
            .cities
            .iter()
            .filter(|c| self.row(c.0, indicator, scope.year).is_some())
            .map(|c| c.0.to_string())
            .collect();
        let section = self
            .section_of(mechanism, ind, lang)
            .map_or_else(|| ind.title.get(lang).to_string(), |s| s.1);
        Ok(PlanIssue {
            section,
            indicators: vec![ind.id.clone()],
            finding: self.finding(ind, &governments, &scope, lang),
            governments,
            ..PlanIssue::default()
        })
    }

    /// The submission of the default plan, with the weakest issues left out (down to
    /// [`MIN_ISSUES`]) when it is over the word limit.
    pub fn submission_default(
        &self,
        opts: &Options,
        lang: Lang,
    ) -> anyhow::Result<(Plan, Submission)> {
        let mut plan = self.submission_plan(opts, lang)?;
        let mut left_out = 0;
        loop {
            let mut s = self.submission(&plan, opts.date, None)?;
            if !s.over_limit() || plan.issues.len() <= MIN_ISSUES {
                s.left_out = left_out;
                return Ok((plan, s));
            }
            let weakest = plan
                .issues
                .iter()
                .enumerate()
                .min_by(|a, b| a.1.priority.total_cmp(&b.1.priority))
                .map(|(i, _)| i)
                .unwrap_or(0);
            plan.issues.remove(weakest);
            left_out += 1;
        }
    }

    /// The submission `plan` describes. `plan_file` names the plan file (for the check
    /// file), `None` for the default selection.
    pub fn submission(
        &self,
        plan: &Plan,
        date: (i32, u8, u8),
        plan_file: Option<&str>,
    ) -> anyhow::Result<Submission> {
        let fw = self.fw;
        let Some(lang) = Lang::from_code(&plan.language) else {
            anyhow::bail!(trf(Lang::En, "sub.bad_language", &[("language", &plan.language)]));
        };
        let Some(mechanism) = Mechanism::from_name(&plan.mechanism) else {
            anyhow::bail!(trf(lang, "sub.bad_mechanism", &[("mechanism", &plan.mechanism)]));
        };
        let scope = self.scope(&plan.country, &plan.governments, Some(plan.year), lang)?;
        let country_label = country_name(&scope.country, lang);
        let year = scope.year;
        let mut warnings: Vec<String> = Vec::new();
        let mut notes: Vec<String> = Vec::new();
        let mut number = 0;
        let mut para = |text: String, cites: Vec<String>, notes: &mut Vec<String>| {
            number += 1;
            let mut refs = Vec::new();
            for n in cites {
                notes.push(n);
                refs.push(notes.len());
            }
            Paragraph { number, text, notes: refs }
        };

        // Check the plan against the framework and the data first.
        for (i, issue) in plan.issues.iter().enumerate() {
            if let Some(bad) = issue.indicators.iter().find(|id| fw.indicator(id).is_none()) {
                anyhow::bail!(trf(
                    lang,
                    "sub.plan_unknown_indicator",
                    &[("n", &(i + 1)), ("id", bad)]
                ));
            }
            if let Some(bad) =
                issue.governments.iter().find(|g| !scope.cities.iter().any(|c| c.0 == g.as_str()))
            {
                anyhow::bail!(trf(
                    lang,
                    "sub.plan_unknown_government",
                    &[("n", &(i + 1)), ("id", bad)]
                ));
            }
        }

        // Introduction.
        let to = tr(lang, &format!("report.to_{}", mechanism.name())).to_string();
        let session = plan.session.trim();
        if session.is_empty() {
            warnings.push(tr(lang, "sub.warn_no_session").to_string());
        }
        let names: Vec<String> = scope.cities.iter().map(|c| c.1.to_string()).collect();
        let mut intro = Vec::new();
        let mut who = plan.submitter.description.trim().to_string();
        if !who.is_empty() && !who.ends_with('.') {
            who.push('.');
        }
        let mut purpose = trf(lang, "sub.purpose", &[("to", &to), ("country", &country_label)]);
        if !session.is_empty() {
            purpose.push(' ');
            purpose.push_str(&trf(lang, "sub.for_session", &[("session", &session)]));
        }
        intro.push(para(format!("{who} {purpose}").trim().to_string(), Vec::new(), &mut notes));
        intro.push(para(tr(lang, "sub.intro_local").to_string(), Vec::new(), &mut notes));
        // The method note is written last (it lists the abbreviations the notes use).
        intro.push(para(
            trf(lang, "sub.intro_data", &[("cities", &and_list(&names, lang)), ("year", &year)]),
            vec![String::new()],
            &mut notes,
        ));
        let method_note = notes.len() - 1;
        if let Some(text) = self.competence_paragraph(&scope, lang) {
            intro.push(para(text, Vec::new(), &mut notes));
        } else {
            warnings.push(tr(lang, "sub.warn_no_competences").to_string());
        }
        let mut sections = vec![Section {
            heading: tr(lang, "report.sub_h_intro").to_string(),
            paragraphs: intro,
        }];

        // The follow-up of the previous review's recommendations (Contract 6).
        let body = match mechanism {
            Mechanism::Upr => Some(None),
            Mechanism::Cescr => Some(Some("CESCR")),
            Mechanism::Hrc => None,
        };
        if let Some(body) = body {
            let (follow, symbol) =
                self.followup_paragraphs(&scope.country, &scope.cities, year, body, lang);
            if !follow.is_empty() {
                sections.push(Section {
                    heading: trf(
                        lang,
                        "report.sub_h_follow",
                        &[("symbol", &symbol.unwrap_or_default())],
                    ),
                    paragraphs: follow
                        .into_iter()
                        .map(|(t, _)| para(t, Vec::new(), &mut notes))
                        .collect(),
                });
            }
        }

        // The issues, by section in the order the plan names them.
        let mut headings: Vec<&str> = Vec::new();
        for issue in &plan.issues {
            if !headings.contains(&issue.section.as_str()) {
                headings.push(&issue.section);
            }
        }
        let mut printed = 0;
        let mut chosen_lines = Vec::new();
        let mut losses_unexplained = Vec::new();
        let mut without_recommendations: Vec<String> = Vec::new();
        for heading in headings {
            let mut paragraphs = Vec::new();
            let mut recommendations: Vec<String> = Vec::new();
            let mut questions: Vec<String> = Vec::new();
            let mut indicators: Vec<&crate::framework::Indicator> = Vec::new();
            for (i, issue) in plan.issues.iter().enumerate().filter(|(_, x)| x.section == heading) {
                let governments: Vec<&str> = if issue.governments.is_empty() {
                    scope.cities.iter().map(|c| c.0).collect()
                } else {
                    issue.governments.iter().map(String::as_str).collect()
                };
                let inds: Vec<&crate::framework::Indicator> =
                    issue.indicators.iter().filter_map(|id| fw.indicator(id)).collect();
                // Flagged values stay out unless the plan asks for them.
                let mut doubts = Vec::new();
                for ind in &inds {
                    for city in &governments {
                        if let Some(row) = self.row(city, &ind.id, year) {
                            doubts.extend(to_check(ind, row, self.responses_of(city, year), lang));
                        }
                    }
                }
                doubts.dedup();
                if !doubts.is_empty() && !issue.include_flagged {
                    warnings.push(trf(
                        lang,
                        "sub.warn_flagged_out",
                        &[("n", &(i + 1)), ("why", &doubts.join("; "))],
                    ));
                    continue;
                }
                let mut text = issue.finding.trim().to_string();
                if !doubts.is_empty() {
                    text.push(' ');
                    text.push_str(&trf(lang, "sub.caveat", &[("why", &doubts.join("; "))]));
                }
                if !issue.context.trim().is_empty() {
                    text.push(' ');
                    text.push_str(issue.context.trim());
                }
                let lost = inds.iter().any(|ind| {
                    governments.iter().any(|c| {
                        self.row(c, &ind.id, year).is_some_and(|r| super::city::lost(ind, r))
                    })
                });
                if lost && issue.context.trim().is_empty() {
                    losses_unexplained.push((i + 1).to_string());
                }
                // The figure's sources, from the returns' "Source / evidence" answers.
                let source = self.sources_note(&inds, &governments, &scope, lang);
                paragraphs.push(para(text, vec![source], &mut notes));
                printed += 1;
                for r in &issue.recommendations {
                    let r = r.trim().to_string();
                    if !r.is_empty() && !recommendations.contains(&r) {
                        recommendations.push(r);
                    }
                }
                for q in &issue.questions {
                    let q = q.trim().to_string();
                    if !q.is_empty() && !questions.contains(&q) {
                        questions.push(q);
                    }
                }
                for ind in inds {
                    if !indicators.iter().any(|x| x.id == ind.id) {
                        indicators.push(ind);
                    }
                }
                let why = if issue.why.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", issue.why.join("; "))
                };
                chosen_lines.push(format!(
                    "  {}. {} ({}){why}",
                    i + 1,
                    issue.indicators.join(", "),
                    heading
                ));
            }
            if paragraphs.is_empty() {
                continue;
            }
            let standards = self.standards_note(&indicators, &scope, lang);
            if !recommendations.is_empty() {
                let text = format!("{} {}", tr(lang, "sub.recs_intro"), lettered(&recommendations));
                paragraphs.push(para(text, standards.into_iter().collect(), &mut notes));
            } else {
                without_recommendations.push(lower_first(heading));
                if let Some(n) = standards {
                    if let Some(last) = paragraphs.last_mut() {
                        notes.push(n);
                        last.notes.push(notes.len());
                    }
                }
            }
            if !questions.is_empty() {
                let text = format!("{} {}", tr(lang, "sub.loi_intro"), lettered(&questions));
                paragraphs.push(para(text, Vec::new(), &mut notes));
            }
            sections.push(Section { heading: heading.to_string(), paragraphs });
        }
        // One general recommendation, for the matters the plan gives no recommendation on.
        if !without_recommendations.is_empty() {
            let text = trf(
                lang,
                "sub.rec_general",
                &[("matters", &and_list(&without_recommendations, lang))],
            );
            sections.push(Section {
                heading: tr(lang, "sub.h_general").to_string(),
                paragraphs: vec![para(text, Vec::new(), &mut notes)],
            });
            warnings.push(trf(
                lang,
                "sub.warn_no_recommendation",
                &[("sections", &without_recommendations.join("; "))],
            ));
        }
        if !(MIN_ISSUES..=MAX_ISSUES).contains(&printed) {
            warnings.push(trf(
                lang,
                "sub.warn_issue_count",
                &[("n", &printed), ("min", &MIN_ISSUES), ("max", &MAX_ISSUES)],
            ));
        }
        if !losses_unexplained.is_empty() {
            warnings.push(trf(
                lang,
                "sub.warn_loss",
                &[("issues", &losses_unexplained.join(", "))],
            ));
        }

        // The method note, with the abbreviations the notes use.
        let mut method = trf(
            lang,
            "sub.note_method",
            &[("year", &year), ("framework", &fw.id), ("version", &fw.version)],
        );
        let all_notes = notes.join(" ");
        let used: Vec<String> = crate::i18n::instruments(lang)
            .into_iter()
            .filter(|(short, _)| {
                all_notes.split(|c: char| !c.is_alphanumeric()).any(|w| w == *short)
            })
            .map(|(short, long)| format!("{short}: {long}"))
            .collect();
        if !used.is_empty() {
            method.push(' ');
            method.push_str(&trf(lang, "sub.note_abbreviations", &[("list", &used.join("; "))]));
        }
        notes[method_note] = method;

        let limit = plan.word_limit.unwrap_or(mechanism.default_word_limit(plan.submitter.joint));
        let (y, m, d) = date;
        let kind = tr(
            lang,
            if plan.submitter.joint { "report.sub_joint" } else { "report.sub_individual" },
        );
        let mut cover = vec![
            (tr(lang, "report.sub_by").to_string(), plan.submitter.name.trim().to_string()),
            (tr(lang, "report.sub_kind").to_string(), kind.to_string()),
            (
                tr(lang, "report.sub_mechanism").to_string(),
                tr(lang, &format!("report.mechanism_{}", mechanism.name())).to_string(),
            ),
        ];
        if !session.is_empty() {
            cover.push((tr(lang, "sub.session").to_string(), session.to_string()));
        }
        cover.push((tr(lang, "report.country").to_string(), country_label.clone()));
        if !plan.submitter.contact.trim().is_empty() {
            cover.push((
                tr(lang, "sub.contact").to_string(),
                plan.submitter.contact.trim().to_string(),
            ));
        }
        cover.push((tr(lang, "report.sub_date").to_string(), format!("{y:04}-{m:02}-{d:02}")));
        let title = trf(lang, "report.sub_title", &[("to", &to), ("country", &country_label)]);

        let words = count_words(&title)
            + cover.iter().map(|(l, v)| count_words(l) + count_words(v)).sum::<usize>()
            + sections
                .iter()
                .map(|s| {
                    count_words(&s.heading)
                        + s.paragraphs.iter().map(|p| 1 + count_words(&p.text)).sum::<usize>()
                })
                .sum::<usize>()
            + count_words(tr(lang, "sub.h_notes"))
            + notes.iter().map(|n| count_words(n)).sum::<usize>();
        let n = |x: usize| format_number(x as f64, 0, lang);
        let (key, name, gap) = if words <= limit {
            ("report.words_left", "left", limit - words)
        } else {
            ("report.words_over", "over", words - limit)
        };
        let word_line =
            trf(lang, key, &[("words", &n(words)), ("limit", &n(limit)), (name, &n(gap))]);
        let path = PathBuf::from("submissions").join(format!(
            "{}-{}-{year}-{}",
            file_part(&scope.country),
            mechanism.name(),
            lang.code()
        ));

        // The check file: what the analyst needs and the document must not carry.
        let mut check = vec![
            trf(lang, "sub.check_title", &[("name", &path.display().to_string())]),
            String::new(),
            word_line.clone(),
            tr(lang, "sub.check_counted").to_string(),
            String::new(),
            match plan_file {
                Some(f) => trf(lang, "sub.check_plan", &[("file", &f)]),
                None => tr(lang, "sub.check_default").to_string(),
            },
            trf(lang, "sub.check_issues", &[("n", &printed)]),
        ];
        check.extend(chosen_lines);
        let (_, flagged) =
            self.default_issues(&scope, &|ind| self.section_of(mechanism, ind, lang), lang);
        if !flagged.is_empty() {
            check.push(String::new());
            check.push(tr(lang, "sub.check_flagged_head").to_string());
            check.extend(flagged.into_iter().map(|f| format!("  - {f}")));
        }
        check.push(String::new());
        check.push(tr(lang, "sub.check_returns").to_string());
        for (r, p) in self.ds.returns.iter().zip(&self.ds.profiles) {
            if r.year == year && scope.cities.iter().any(|c| c.0 == r.city_id) {
                check.push(format!(
                    "  - {} ({}): {} sha256 {}",
                    p.city_name, r.city_id, r.file, r.sha256
                ));
            }
        }
        check.push(String::new());
        check.push(tr(lang, "sub.check_method").to_string());
        if !warnings.is_empty() {
            check.push(String::new());
            check.push(tr(lang, "sub.check_warnings").to_string());
            check.extend(warnings.iter().map(|w| format!("  - {w}")));
        }
        let check = check.join("\n") + "\n";

        Ok(Submission {
            lang,
            title,
            cover,
            sections,
            notes,
            words,
            limit,
            word_line,
            issues: printed,
            left_out: 0,
            warnings,
            check,
            path,
        })
    }

    /// The endnote giving the sources of an issue's figures: for each government, the
    /// questions of the indicators and the "Source / evidence" answers given for them.
    fn sources_note(
        &self,
        inds: &[&crate::framework::Indicator],
        governments: &[&str],
        scope: &Scope,
        lang: Lang,
    ) -> String {
        let mut parts = Vec::new();
        for city in governments {
            let mut questions: Vec<&str> = Vec::new();
            for ind in inds {
                for q in ind.formula.node.questions() {
                    let of_right = self.fw.question(q).is_some_and(|q| q.right.is_some());
                    if of_right && !questions.contains(&q) {
                        questions.push(q);
                    }
                }
            }
            let mut sources: Vec<String> = Vec::new();
            let inputs: Vec<&str> = inds.iter().flat_map(|i| i.formula.node.questions()).collect();
            for r in self.responses_of(city, scope.year) {
                if !inputs.contains(&r.question_id.as_str()) {
                    continue;
                }
                if let Some(s) = r.source.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                    let s = format!("«{}»", super::followup::clip(s, 200));
                    if !sources.contains(&s) {
                        sources.push(s);
                    }
                }
            }
            let given = if sources.is_empty() {
                tr(lang, "sub.note_no_source").to_string()
            } else {
                trf(lang, "sub.note_sources", &[("sources", &sources.join("; "))])
            };
            parts.push(trf(
                lang,
                "sub.note_source",
                &[
                    ("city", &scope.name(city)),
                    ("year", &scope.year),
                    ("questions", &questions.join(", ")),
                    ("given", &given),
                ],
            ));
        }
        parts.join(" ")
    }

    /// The endnote of a section's standards: the treaty provisions, General Comments and
    /// SDG indicators its indicators report to.
    fn standards_note(
        &self,
        inds: &[&crate::framework::Indicator],
        scope: &Scope,
        lang: Lang,
    ) -> Option<String> {
        let mut refs: Vec<String> = Vec::new();
        let mut add = |r: String| {
            if !r.is_empty() && !refs.contains(&r) {
                refs.push(r);
            }
        };
        for ind in inds {
            let mut when: Vec<String> = Vec::new();
            for (city, _) in &scope.cities {
                if let Some(i) = self.return_of(city, scope.year) {
                    for code in sdg_when(ind, &self.ds.answers[i]) {
                        if !when.contains(&code) {
                            when.push(code);
                        }
                    }
                }
            }
            for part in ind.mechanisms_where(lang, false, Some(&when)).split(" · ") {
                add(part.to_string());
            }
            for gc in &ind.general_comment {
                add(crate::i18n::treaty_ref(gc, lang));
            }
        }
        (!refs.is_empty()).then(|| trf(lang, "sub.note_standards", &[("refs", &refs.join("; "))]))
    }

    /// What each government is responsible for and what is the State's, from the
    /// profiles' `competences`; `None` when no government answered it.
    fn competence_paragraph(&self, scope: &Scope, lang: Lang) -> Option<String> {
        let q = self.fw.question(crate::framework::COMPETENCES)?;
        let mut sentences = Vec::new();
        for (city, name) in &scope.cities {
            let Some(ticked) = self.profile_answer(city, scope.year, crate::framework::COMPETENCES)
            else {
                continue;
            };
            let ticked: Vec<&str> = ticked.split(';').map(str::trim).collect();
            let (held, not): (Vec<_>, Vec<_>) =
                q.choices.iter().partition(|c| ticked.contains(&c.code.as_str()));
            let label = |c: &&crate::framework::Choice| lower_first(c.label.get(lang));
            let held: Vec<String> = held.iter().map(label).collect();
            let not: Vec<String> = not.iter().map(label).collect();
            if held.is_empty() {
                continue;
            }
            let mut s =
                trf(lang, "sub.competent", &[("city", name), ("list", &and_list(&held, lang))]);
            if !not.is_empty() {
                s.push(' ');
                s.push_str(&trf(lang, "sub.not_competent", &[("list", &and_list(&not, lang))]));
            }
            sentences.push(s);
        }
        (!sentences.is_empty()).then(|| sentences.join(" "))
    }

    /// Renders a submission's PDF (with its `.typ` folder).
    pub fn submission_pdf(
        &self,
        s: &Submission,
        date: (i32, u8, u8),
    ) -> anyhow::Result<super::Rendered> {
        let lang = s.lang;
        let cover: Vec<_> =
            s.cover.iter().map(|(l, v)| context! { label => l, value => v }).collect();
        let ctx = context! {
            lang => lang.code(),
            title => s.title.clone(),
            author => "hrcities",
            footer => s.title.clone(),
            kicker => tr(lang, "report.kicker"),
            cover => cover,
            sections => s.sections.clone(),
            notes_heading => tr(lang, "sub.h_notes"),
            notes => s.notes.clone(),
        };
        self.compile("submission.typ.j2", ctx, Vec::new(), date, s.path.clone())
    }
}

/// `items` as a lettered list in a sentence: "(a) …; (b) …."
fn lettered(items: &[String]) -> String {
    let letters = "abcdefghijklmnopqrstuvwxyz";
    let mut out: Vec<String> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let letter = letters.chars().nth(i % 26).unwrap_or('z');
        let item = item.trim().trim_end_matches(['.', ';']);
        out.push(format!("({letter}) {item}"));
    }
    out.join("; ") + "."
}
