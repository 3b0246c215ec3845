//! The submission plan: what a submission says, in a TOML file the analyst edits. `report
//! submission --write-plan FILE` writes it once from the data (the default selection, see
//! [`super::select`]); `--plan FILE` renders the document from it. The plan holds the
//! submitter, the session, the governments and the issues — each with its section, the
//! indicators it rests on, the finding, the context (what the government did) and the
//! recommendations to the State (and, for a treaty body, the questions suggested for its
//! list of issues). Figures' sources and treaty references are not in the plan: the
//! document takes them from the data when it is rendered.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::i18n::{tr, trf, Lang};

/// Who submits.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Submitter {
    /// The government(s) or network, as they are to be registered and listed.
    pub name: String,
    /// A short description: who they are, their mandate, population, campaign membership.
    #[serde(default)]
    pub description: String,
    /// How OHCHR or the committee can reach the submitter.
    #[serde(default)]
    pub contact: String,
    /// A joint submission (several submitters), rather than an individual one.
    #[serde(default)]
    pub joint: bool,
}

/// One issue: a paragraph of the submission.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PlanIssue {
    /// The heading of the section it goes under (issues with the same heading form a
    /// section, in the order the plan first names it).
    pub section: String,
    /// The indicators it rests on (their sources go in its endnote).
    pub indicators: Vec<String>,
    /// The governments whose figures it uses (ids; empty: all of the plan's).
    #[serde(default)]
    pub governments: Vec<String>,
    /// The finding, with its figure, denominator and year.
    pub finding: String,
    /// What the government did, and any context a reader needs.
    #[serde(default)]
    pub context: String,
    /// Recommendations to the State (gathered at the end of the section).
    #[serde(default)]
    pub recommendations: Vec<String>,
    /// For a treaty body: questions suggested for the list of issues (at the section's end).
    #[serde(default)]
    pub questions: Vec<String>,
    /// Print it even though one of its values was flagged when the return was checked
    /// (implausible, an unusual change, an outlier); it then carries a caveat.
    #[serde(default)]
    pub include_flagged: bool,
    /// How strongly the data support it (the default selection's order; not written).
    #[serde(skip)]
    pub priority: f64,
    /// Why the default selection chose it (for the check file; not written).
    #[serde(skip)]
    pub why: Vec<String>,
}

/// A submission plan.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// ISO 3166-1 alpha-3.
    pub country: String,
    /// `upr`, `cescr` or `hrc`.
    pub mechanism: String,
    /// `en`, `es` or `fr`: one language per submission.
    pub language: String,
    /// The reporting year of the returns used.
    pub year: i32,
    /// The session the submission is for (e.g. "4th cycle, 48th session of the Working Group,
    /// January 2027").
    #[serde(default)]
    pub session: String,
    /// The word limit (default: the mechanism's).
    #[serde(default)]
    pub word_limit: Option<usize>,
    pub submitter: Submitter,
    /// The governments whose returns are used (ids).
    pub governments: Vec<String>,
    #[serde(default, rename = "issue")]
    pub issues: Vec<PlanIssue>,
}

/// A plan that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("{0}")]
    Io(String),
    #[error("{0}")]
    Parse(String),
}

/// The largest plan read (a plan is a few kilobytes).
const MAX_PLAN: u64 = 4 << 20;

/// The bytes of a regular file of at most [`MAX_PLAN`] bytes.
fn read_small(path: &Path) -> std::io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    if meta.len() > MAX_PLAN {
        return Err(std::io::Error::other(format!("larger than {MAX_PLAN} bytes")));
    }
    std::fs::read(path)
}

/// A TOML string.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|i| quoted(i)).collect();
    format!("[{}]", inner.join(", "))
}

/// A list of texts, one per line.
fn text_list(items: &[String]) -> String {
    if items.is_empty() {
        return "[]".into();
    }
    let inner: Vec<String> = items.iter().map(|i| format!("  {},\n", quoted(i))).collect();
    format!("[\n{}]", inner.concat())
}

impl Plan {
    /// The plan as a TOML file with comments, in the plan's language, that reads back equal.
    pub fn to_toml(&self, lang: Lang) -> String {
        let c = |key: &str| -> String {
            tr(lang, key).lines().map(|l| format!("# {l}\n")).collect::<String>()
        };
        let mut out = c("plan.head");
        out += "\n";
        out += &format!("country = {}\n", quoted(&self.country));
        out += &format!("mechanism = {}\n", quoted(&self.mechanism));
        out += &format!("language = {}\n", quoted(&self.language));
        out += &format!("year = {}\n", self.year);
        out += &c("plan.session");
        out += &format!("session = {}\n", quoted(&self.session));
        if let Some(limit) = self.word_limit {
            out += &format!("word_limit = {limit}\n");
        }
        out += &c("plan.governments");
        out += &format!("governments = {}\n\n", list(&self.governments));
        out += &c("plan.submitter");
        out += "[submitter]\n";
        out += &format!("name = {}\n", quoted(&self.submitter.name));
        out += &format!("description = {}\n", quoted(&self.submitter.description));
        out += &format!("contact = {}\n", quoted(&self.submitter.contact));
        out += &format!("joint = {}\n", self.submitter.joint);
        out += "\n";
        out += &c("plan.issues");
        for (i, issue) in self.issues.iter().enumerate() {
            out += "\n";
            let why = if issue.why.is_empty() {
                String::new()
            } else {
                trf(lang, "plan.why", &[("why", &issue.why.join("; "))])
            };
            out += &format!("# {} {}{why}\n", tr(lang, "plan.issue"), i + 1);
            out += "[[issue]]\n";
            out += &format!("section = {}\n", quoted(&issue.section));
            out += &format!("indicators = {}\n", list(&issue.indicators));
            out += &format!("governments = {}\n", list(&issue.governments));
            out += &format!("finding = {}\n", quoted(&issue.finding));
            out += &format!("context = {}\n", quoted(&issue.context));
            out += &format!("recommendations = {}\n", text_list(&issue.recommendations));
            if !issue.questions.is_empty() {
                out += &format!("questions = {}\n", text_list(&issue.questions));
            }
            if issue.include_flagged {
                out += "include_flagged = true\n";
            }
        }
        out
    }

    /// Reads a plan file; errors name the file and, for a TOML error, the line.
    pub fn read(path: &Path, lang: Lang) -> Result<Plan, PlanError> {
        let file = path.display().to_string();
        let bytes = read_small(path).map_err(|e| {
            PlanError::Io(trf(lang, "plan.cannot_read", &[("file", &file), ("error", &e)]))
        })?;
        let text = String::from_utf8(bytes)
            .map_err(|_| PlanError::Parse(trf(lang, "plan.not_utf8", &[("file", &file)])))?;
        Plan::parse(&text)
            .map_err(|e| PlanError::Parse(trf(lang, "plan.bad", &[("file", &file), ("error", &e)])))
    }

    /// Parses a plan from TOML text.
    pub fn parse(text: &str) -> Result<Plan, String> {
        toml::from_str::<Plan>(text.trim_start_matches('\u{feff}')).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_reads_back_equal_with_hostile_text() {
        let plan = Plan {
            country: "COL".into(),
            mechanism: "upr".into(),
            language: "es".into(),
            year: 2027,
            session: "48.º período de sesiones".into(),
            word_limit: Some(2815),
            submitter: Submitter {
                name: "Villa \"Esperanza\"\n[submitter]".into(),
                description: "x = 1\n# not a comment".into(),
                contact: "a@b.org".into(),
                joint: false,
            },
            governments: vec!["COL-villa".into()],
            issues: vec![PlanIssue {
                section: "Vivienda".into(),
                indicators: vec!["HOU_I02".into()],
                governments: vec![],
                finding: "9 de 11 ''' \"\"\" \\u0000".into(),
                context: String::new(),
                recommendations: vec!["a".into(), "b\nc".into()],
                questions: vec![],
                include_flagged: true,
                priority: 0.0,
                why: vec!["pérdida".into()],
            }],
        };
        for lang in [Lang::En, Lang::Es, Lang::Fr] {
            let text = plan.to_toml(lang);
            let mut back = Plan::parse(&text).unwrap();
            back.issues[0].why = vec!["pérdida".into()];
            assert_eq!(back, plan, "{text}");
        }
        assert!(Plan::parse("country = 1").unwrap_err().contains("line 1"));
    }
}
