//! Problems found in a framework, reported all at once like compiler diagnostics.

use std::fmt::Write;

use serde::Serialize;

use super::model::Severity;
use crate::i18n::{tr, Lang};

/// One problem at `file:line:column`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Problem {
    pub severity: Severity,
    /// A stable code such as `F-UNKNOWN-QUESTION`.
    pub code: &'static str,
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// The right, question, indicator or rule it is about.
    pub item: Option<String>,
    pub message: String,
    pub hint: Option<String>,
    /// The formula and the 1-based column of the error in it.
    #[serde(skip)]
    pub snippet: Option<(String, usize)>,
}

impl Eq for Problem {}

impl PartialOrd for Problem {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Problem {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (&self.file, self.line, self.column, self.code, &self.message).cmp(&(
            &other.file,
            other.line,
            other.column,
            other.code,
            &other.message,
        ))
    }
}

/// Every problem of a framework.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(transparent)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn push(&mut self, p: Problem) {
        self.0.push(p);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get_mut(&mut self, i: usize) -> Option<&mut Problem> {
        self.0.get_mut(i)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter()
    }

    /// Sorts by file, line and column, and drops exact repeats.
    pub fn sort(&mut self) {
        self.0.sort();
        self.0.dedup();
    }

    /// How many errors (not warnings).
    pub fn errors(&self) -> usize {
        self.0.iter().filter(|p| p.severity == Severity::Error).count()
    }

    /// How many warnings.
    pub fn warnings(&self) -> usize {
        self.0.len() - self.errors()
    }

    /// The problems as text, compiler style:
    ///
    /// ```text
    /// error[F-UNKNOWN-QUESTION]: housing.toml:57:24 (HOU_I03): unknown question `HOU_Q99` (formula)
    ///     | HOU_Q99 / households
    ///     | ^
    ///     = hint: question ids are case-sensitive; …
    /// ```
    pub fn render(&self, lang: Lang) -> String {
        let mut out = String::new();
        for p in &self.0 {
            let sev = match p.severity {
                Severity::Error => tr(lang, "word.error"),
                Severity::Warning => tr(lang, "word.warning"),
            };
            let item = p.item.as_ref().map(|i| format!(" ({i})")).unwrap_or_default();
            let _ = writeln!(
                out,
                "{sev}[{}]: {}:{}:{}{item}: {}",
                p.code, p.file, p.line, p.column, p.message
            );
            if let Some((formula, col)) = &p.snippet {
                let _ = writeln!(out, "    | {formula}");
                let pad: String = formula
                    .chars()
                    .take(col.saturating_sub(1))
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                let _ = writeln!(out, "    | {pad}^");
            }
            if let Some(h) = &p.hint {
                let _ = writeln!(out, "    = {}: {h}", tr(lang, "word.hint"));
            }
        }
        out
    }
}
