//! A submission to a UN mechanism: the evidence reported by the local governments of one
//! country, organised for the mechanism (UPR themes, ICESCR articles, or rights for a
//! Human Rights Council call for input), in numbered paragraphs, with a cover, a
//! methodology annex and a word count checked against the mechanism's limit. Written as
//! PDF and, from the same content, as `.docx`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use minijinja::context;

use super::city::sdg_when;
use super::docx::{self, Block};
use super::{capitalised, is_yes_no, Reporter};
use crate::charts::data::ValueRow;
use crate::charts::file_part;
use crate::compute::dataset::Profile;
use crate::i18n::{country_name, format_number, tr, trf, Lang};

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

/// What to submit.
#[derive(Clone, Debug)]
pub struct Options {
    /// ISO 3166-1 alpha-3 code of the country.
    pub country: String,
    pub mechanism: Mechanism,
    /// The governments whose evidence to include (ids); empty for every one of the country.
    pub cities: Vec<String>,
    pub organisation: Option<String>,
    /// The reporting year (default: the latest with a return from the country).
    pub year: Option<i32>,
    pub word_limit: Option<usize>,
    pub joint: bool,
    /// The review or call addressed, as the user names it (e.g. "4th UPR cycle, 50th session").
    pub review: Option<String>,
    /// The date printed on the cover.
    pub date: (i32, u8, u8),
}

/// A numbered paragraph.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Paragraph {
    pub number: usize,
    pub text: String,
    /// The standards it relates to (SDG indicators, treaty articles, General Comments).
    pub refs: String,
}

/// A section of numbered paragraphs.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Section {
    pub heading: String,
    pub paragraphs: Vec<Paragraph>,
}

/// A submission's content, shared by its PDF and its `.docx`.
#[derive(Clone, Debug)]
pub struct Submission {
    pub lang: Lang,
    pub title: String,
    pub cover: Vec<(String, String)>,
    pub sections: Vec<Section>,
    /// Words counted: every heading and paragraph after the cover, numbers and references
    /// included.
    pub words: usize,
    pub limit: usize,
    /// "N words: M left" or "N words: M over the limit".
    pub word_line: String,
    /// Evidence paragraphs left out to stay within the word limit.
    pub left_out: usize,
    pub path: PathBuf,
}

impl Submission {
    pub fn over_limit(&self) -> bool {
        self.words > self.limit
    }

    /// The `.docx` of the same content.
    pub fn docx(&self) -> std::io::Result<Vec<u8>> {
        let mut blocks = vec![Block::Title(self.title.clone()), Block::Cover(self.cover.clone())];
        for (i, s) in self.sections.iter().enumerate() {
            if i + 1 == self.sections.len() {
                blocks.push(Block::PageBreak);
            }
            blocks.push(Block::Heading(s.heading.clone()));
            for p in &s.paragraphs {
                blocks.push(Block::Numbered {
                    number: p.number,
                    text: p.text.clone(),
                    refs: p.refs.clone(),
                });
            }
        }
        docx::write(&blocks, &self.title, "hrcities", self.lang.code())
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
    /// The content of a submission in `lang`.
    pub fn submission(&self, opts: &Options, lang: Lang) -> anyhow::Result<Submission> {
        let (fw, data) = (self.fw, self.data);
        let country = opts.country.to_ascii_uppercase();
        let country_label = country_name(&country, lang);
        let of_country: Vec<(&crate::store::ReturnRecord, &Profile)> = self
            .ds
            .returns
            .iter()
            .zip(&self.ds.profiles)
            .filter(|(_, p)| p.country.as_deref() == Some(country.as_str()))
            .filter(|(r, _)| {
                opts.cities.is_empty()
                    || opts.cities.iter().any(|c| c.eq_ignore_ascii_case(&r.city_id))
            })
            .collect();
        let Some(year) = opts.year.or_else(|| of_country.iter().map(|(r, _)| r.year).max()) else {
            anyhow::bail!(trf(lang, "report.no_country", &[("country", &country)]));
        };
        let returns: Vec<_> = of_country.iter().filter(|(r, _)| r.year == year).collect();
        if returns.is_empty() {
            anyhow::bail!(trf(
                lang,
                "report.no_country_year",
                &[("country", &country), ("year", &year)]
            ));
        }
        let mut cities: Vec<(&str, &str)> =
            returns.iter().map(|(r, p)| (r.city_id.as_str(), p.city_name.as_str())).collect();
        cities.sort_by(|a, b| a.1.cmp(b.1));
        let names: Vec<&str> = cities.iter().map(|c| c.1).collect();
        let organisation = opts
            .organisation
            .clone()
            .unwrap_or_else(|| tr(lang, "report.sub_default_org").to_string());
        let mechanism =
            tr(lang, &format!("report.mechanism_{}", opts.mechanism.name())).to_string();
        let to = tr(lang, &format!("report.to_{}", opts.mechanism.name())).to_string();

        // One paragraph of evidence per indicator with at least one value.
        let paragraph = |ind: &crate::framework::Indicator| -> Option<(String, String)> {
            let rows: Vec<&ValueRow> = data
                .values
                .iter()
                .filter(|v| {
                    v.year == year
                        && !v.carried_forward
                        && v.indicator_id == ind.id
                        && cities.iter().any(|c| c.0 == v.city_id)
                })
                .collect();
            let ok: Vec<&&ValueRow> =
                rows.iter().filter(|r| r.status == "ok" && r.value.is_some()).collect();
            if ok.is_empty() {
                return None;
            }
            let mut entries = Vec::new();
            for row in &ok {
                let mut value = self.show_value(&ind.unit, row.value?, lang);
                // A value to be checked is printed marked, with the reason.
                let responses: &[crate::store::ResponseRow] =
                    self.return_of(&row.city_id, year).map_or(&[], |i| &self.ds.responses[i]);
                let doubts = super::city::to_check(ind, row, responses, lang);
                if !doubts.is_empty() {
                    let label = tr(lang, "report.check.label");
                    value = format!("{value} ({label}: {})", doubts.join("; "));
                }
                let previous = data
                    .values
                    .iter()
                    .filter(|v| {
                        v.city_id == row.city_id
                            && v.indicator_id == ind.id
                            && v.year < year
                            && !v.carried_forward
                            && v.status == "ok"
                    })
                    .max_by_key(|v| v.year);
                let entry = match previous.and_then(|p| Some((p.year, p.value?))) {
                    Some((py, pv))
                        if !is_yes_no(fw, &ind.unit) || (pv >= 0.5) != (row.value? >= 0.5) =>
                    {
                        trf(
                            lang,
                            "report.sub_entry_prev",
                            &[
                                ("city", &row.city_name),
                                ("value", &value),
                                ("year", &py),
                                ("previous", &self.show_value(&ind.unit, pv, lang)),
                            ],
                        )
                    }
                    _ => trf(
                        lang,
                        "report.sub_entry",
                        &[("city", &row.city_name), ("value", &value)],
                    ),
                };
                entries.push(entry);
            }
            let mut text = trf(
                lang,
                "report.sub_para",
                &[
                    ("indicator", &ind.title.get(lang)),
                    ("year", &year),
                    ("entries", &entries.join(tr(lang, "report.list_sep"))),
                ],
            );
            // The groups left behind in the cities quoted, where they gave breakdowns.
            for row in &ok {
                if let Some(groups) = self.groups_sentence(ind, &row.city_id, year, lang) {
                    text.push(' ');
                    text.push_str(&groups);
                }
            }
            let missing: Vec<&str> = rows
                .iter()
                .filter(|r| r.status == "missing")
                .map(|r| r.city_name.as_str())
                .collect();
            if !missing.is_empty() {
                text.push(' ');
                text.push_str(&trf(
                    lang,
                    "report.sub_no_value",
                    &[("cities", &missing.join(", "))],
                ));
            }
            // Conditional SDG codes: those that hold for the cities quoted.
            let mut when: Vec<String> = Vec::new();
            for r in &rows {
                let found =
                    self.ds.returns.iter().position(|x| x.city_id == r.city_id && x.year == r.year);
                for code in found.map_or_else(Vec::new, |i| sdg_when(ind, &self.ds.answers[i])) {
                    if !when.contains(&code) {
                        when.push(code);
                    }
                }
            }
            let mut refs = ind.mechanisms_where(lang, false, Some(&when));
            for gc in &ind.general_comment {
                refs.push_str(" · ");
                refs.push_str(&crate::i18n::treaty_ref(gc, lang));
            }
            Some((text, refs))
        };

        // Group the indicators as the mechanism reads them.
        let mut groups: BTreeMap<(usize, String), Vec<&crate::framework::Indicator>> =
            BTreeMap::new();
        for ind in &fw.indicators {
            let key = match opts.mechanism {
                Mechanism::Upr => {
                    let Some(theme) = ind.upr_themes.first() else { continue };
                    let pos =
                        fw.vocab.upr_themes.keys().position(|k| k == theme).unwrap_or(usize::MAX);
                    let title = fw
                        .vocab
                        .upr_themes
                        .get(theme)
                        .map_or(theme.clone(), |t| t.get(lang).to_string());
                    (pos, title)
                }
                Mechanism::Cescr => {
                    let Some(article) = icescr_article(&ind.treaty) else { continue };
                    let key = format!("report.icescr_{article}");
                    let subject = tr(lang, &key);
                    let heading = if subject == key {
                        trf(lang, "report.icescr_article", &[("n", &article)])
                    } else {
                        format!(
                            "{} — {subject}",
                            trf(lang, "report.icescr_article", &[("n", &article)])
                        )
                    };
                    (article as usize, heading)
                }
                Mechanism::Hrc => {
                    let pos =
                        fw.rights.iter().position(|r| r.id == ind.right).unwrap_or(usize::MAX);
                    let title = fw
                        .rights
                        .get(pos)
                        .map_or(ind.right.clone(), |r| r.title.get(lang).to_string());
                    (pos, title)
                }
            };
            groups.entry(key).or_default().push(ind);
        }

        let mut number = 0;
        let mut next = |text: String, refs: String| {
            number += 1;
            Paragraph { number, text, refs }
        };
        let mut sections = vec![Section {
            heading: tr(lang, "report.sub_h_intro").to_string(),
            paragraphs: vec![
                next(
                    trf(
                        lang,
                        "report.sub_intro_who",
                        &[
                            ("org", &organisation),
                            ("to", &to),
                            ("country", &country_label),
                            ("n", &cities.len()),
                            ("cities", &names.join(", ")),
                        ],
                    ),
                    String::new(),
                ),
                next(tr(lang, "report.sub_intro_local").to_string(), String::new()),
                next(trf(lang, "report.sub_intro_data", &[("year", &year)]), String::new()),
            ],
        }];
        // The follow-up of the previous review's recommendations comes first (Contract 6).
        let body = match opts.mechanism {
            Mechanism::Upr => Some(None),
            Mechanism::Cescr => Some(Some("CESCR")),
            Mechanism::Hrc => None,
        };
        if let Some(body) = body {
            let (follow, symbol) = self.followup_paragraphs(&country, &cities, year, body, lang);
            if !follow.is_empty() {
                let symbol = symbol.unwrap_or_default();
                sections.push(Section {
                    heading: trf(lang, "report.sub_h_follow", &[("symbol", &symbol)]),
                    paragraphs: follow.into_iter().map(|(t, r)| next(t, r)).collect(),
                });
            }
        }
        let evidence_from = sections.len();
        for ((_, heading), indicators) in groups {
            let paragraphs: Vec<Paragraph> = indicators
                .into_iter()
                .filter_map(&paragraph)
                .map(|(text, refs)| next(text, refs))
                .collect();
            if !paragraphs.is_empty() {
                sections.push(Section { heading, paragraphs });
            }
        }
        let evidence_to = sections.len();
        // The governments' own suggested recommendations close the body.
        let suggested = self.suggested_recommendations(&cities, year, lang);
        if !suggested.is_empty() {
            sections.push(Section {
                heading: tr(lang, "report.sub_h_suggested").to_string(),
                paragraphs: suggested.into_iter().map(|(t, r)| next(t, r)).collect(),
            });
        }
        let mut annex: Vec<Paragraph> = super::city::method_text(self, lang)
            .into_iter()
            .map(|t| next(t, String::new()))
            .collect();
        let files: Vec<String> = returns
            .iter()
            .map(|(r, p)| {
                trf(
                    lang,
                    "report.sub_return",
                    &[
                        ("city", &p.city_name),
                        ("file", &r.file),
                        ("sha", &&r.sha256[..r.sha256.len().min(12)]),
                    ],
                )
            })
            .collect();
        annex.push(next(
            trf(lang, "report.sub_sources", &[("returns", &files.join("; "))]),
            String::new(),
        ));
        let limit = opts.word_limit.unwrap_or(opts.mechanism.default_word_limit(opts.joint));
        annex.push(next(
            trf(lang, "report.sub_words_rule", &[("limit", &format_number(limit as f64, 0, lang))]),
            String::new(),
        ));
        sections.push(Section {
            heading: tr(lang, "report.sub_h_annex").to_string(),
            paragraphs: annex,
        });

        let count = |sections: &[Section]| -> usize {
            sections
                .iter()
                .map(|s| {
                    count_words(&s.heading)
                        + s.paragraphs
                            .iter()
                            .map(|p| 1 + count_words(&p.text) + count_words(&p.refs))
                            .sum::<usize>()
                })
                .sum()
        };
        // Within the word limit: the evidence paragraphs go last-first until it fits (the
        // follow-up, the suggestions and the annex stay).
        let mut left_out = 0;
        let mut end = evidence_to;
        while count(&sections) > limit && end > evidence_from {
            let s = &mut sections[end - 1];
            s.paragraphs.pop();
            left_out += 1;
            if s.paragraphs.is_empty() {
                sections.remove(end - 1);
                end -= 1;
            }
        }
        let mut number = 0;
        for p in sections.iter_mut().flat_map(|s| s.paragraphs.iter_mut()) {
            number += 1;
            p.number = number;
        }
        let words = count(&sections);
        let n = |x: usize| format_number(x as f64, 0, lang);
        let (key, name, gap) = if words <= limit {
            ("report.words_left", "left", limit - words)
        } else {
            ("report.words_over", "over", words - limit)
        };
        let word_line =
            trf(lang, key, &[("words", &n(words)), ("limit", &n(limit)), (name, &n(gap))]);
        let (y, m, d) = opts.date;
        let kind = tr(lang, if opts.joint { "report.sub_joint" } else { "report.sub_individual" });
        let mut cover = vec![
            (tr(lang, "report.sub_by").to_string(), capitalised(&organisation)),
            (tr(lang, "report.sub_mechanism").to_string(), mechanism.clone()),
        ];
        if let Some(review) = &opts.review {
            cover.push((tr(lang, "report.sub_review").to_string(), review.clone()));
        }
        cover.extend([
            (tr(lang, "report.country").to_string(), country_label.clone()),
            (tr(lang, "report.sub_kind").to_string(), kind.to_string()),
            (tr(lang, "report.sub_governments").to_string(), names.join(", ")),
            (tr(lang, "report.year").to_string(), year.to_string()),
            (tr(lang, "report.sub_date").to_string(), format!("{y:04}-{m:02}-{d:02}")),
            (tr(lang, "report.sub_words").to_string(), word_line.clone()),
        ]);
        let title = trf(lang, "report.sub_title", &[("to", &to), ("country", &country_label)]);
        let path = PathBuf::from("submissions").join(format!(
            "{}-{}-{year}-{}",
            file_part(&country),
            opts.mechanism.name(),
            lang.code()
        ));
        Ok(Submission { lang, title, cover, sections, words, limit, word_line, left_out, path })
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
            over => s.over_limit(),
            word_line => s.word_line.clone(),
        };
        self.compile("submission.typ.j2", ctx, Vec::new(), date, s.path.clone())
    }
}
