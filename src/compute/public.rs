//! The public export (`compute --public`, the web site's downloads): the tables of
//! [`Results`] without anything personal, so that they can be put online.
//!
//! What goes: the answers to questions the framework marks `personal` (the contact's name and
//! e-mail address); the cities' comments, the "Who answers" column, the returns' file
//! names (a file is often named after the person who sent it) and their hashes; the practices of a
//! government that did not consent to share them (`share_practices`). What is scrubbed in
//! the free text that stays (answers, sources, the follow-up's department and action): any
//! e-mail address, and the government's own contact name. Numbers, codes and the
//! governments' names stay: they are what the campaign publishes.

use std::collections::{HashMap, HashSet};

use polars::prelude::*;

use super::Results;
use crate::framework::Framework;

/// The data dictionary's file name.
pub const DICTIONARY: &str = "dictionary.csv";
/// The licence's file name.
pub const LICENCE: &str = "LICENSE.txt";

/// The columns of `responses` that the public export leaves out.
/// (`sha256` identifies a file that is not published.)
pub const PRIVATE_RESPONSE_COLUMNS: [&str; 4] = ["comment", "answered_by", "file", "sha256"];

/// What replaces an e-mail address in published text.
pub const EMAIL_REMOVED: &str = "[e-mail removed]";
/// What replaces a contact's name in published text.
pub const NAME_REMOVED: &str = "[name removed]";

/// The personal data each government gave (its contacts' names and e-mail addresses, by
/// city id), the returns that consent to their practices being shared (city id and year),
/// and which rows of `responses` may be published.
fn sort_rows(
    fw: &Framework,
    responses: &DataFrame,
) -> PolarsResult<(HashMap<String, Vec<String>>, BooleanChunked)> {
    let personal: HashSet<&str> =
        fw.questions.iter().filter(|q| q.personal).map(|q| q.id.as_str()).collect();
    let practices: HashSet<&str> = fw
        .questions
        .iter()
        .filter(|q| q.right.is_some() && q.id.ends_with("_PRACTICE"))
        .map(|q| q.id.as_str())
        .collect();
    let city = responses.column("city_id")?.str()?;
    let year = responses.column("year")?.cast(&DataType::Int32)?;
    let year = year.i32()?;
    let question = responses.column("question_id")?.str()?;
    let raw = responses.column("raw")?.str()?;
    let status = responses.column("status")?.str()?;
    let number = responses.column("value_number")?.cast(&DataType::Float64)?;
    let number = number.f64()?;
    let mut names: HashMap<String, Vec<String>> = HashMap::new();
    let mut consenting: HashSet<(&str, i32)> = HashSet::new();
    for i in 0..responses.height() {
        let (Some(c), Some(q)) = (city.get(i), question.get(i)) else { continue };
        if personal.contains(q) {
            let text = raw.get(i).unwrap_or_default().trim();
            let known = names.entry(c.to_string()).or_default();
            // A single letter or two would scrub ordinary words.
            if text.chars().count() >= 3 && !known.iter().any(|n| n == text) {
                known.push(text.to_string());
            }
        } else if q == "share_practices"
            && status.get(i) == Some("answered")
            && number.get(i).is_some_and(|v| v >= 0.5)
        {
            consenting.insert((c, year.get(i).unwrap_or_default()));
        }
    }
    let keep: BooleanChunked = (0..responses.height())
        .map(|i| {
            let q = question.get(i).unwrap_or_default();
            let return_of = (city.get(i).unwrap_or_default(), year.get(i).unwrap_or_default());
            !personal.contains(q) && (!practices.contains(q) || consenting.contains(&return_of))
        })
        .collect();
    Ok((names, keep))
}

/// `text` with every e-mail address and every name of `names` replaced.
pub fn scrub(text: &str, names: &[String]) -> String {
    let mut out = scrub_emails(text);
    for name in names {
        if !name.contains('@') && out.contains(name.as_str()) {
            out = out.replace(name.as_str(), NAME_REMOVED);
        }
    }
    out
}

/// `text` with every e-mail address (`local@domain.tld`) replaced by [`EMAIL_REMOVED`].
pub fn scrub_emails(text: &str) -> String {
    if !text.contains('@') {
        return text.to_string();
    }
    let local = |c: char| c.is_alphanumeric() || "._%+-'".contains(c);
    let domain = |c: char| c.is_alphanumeric() || c == '.' || c == '-';
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut done = 0;
    while i < chars.len() {
        if chars[i] == '@' {
            let mut start = i;
            while start > done && local(chars[start - 1]) {
                start -= 1;
            }
            let mut end = i + 1;
            while end < chars.len() && domain(chars[end]) {
                end += 1;
            }
            // The domain ends at its last letter or digit (a full stop after it ends the
            // sentence).
            while end > i + 1 && !chars[end - 1].is_alphanumeric() {
                end -= 1;
            }
            let host: String = chars[i + 1..end].iter().collect();
            if start < i && host.contains('.') {
                out.extend(&chars[done..start]);
                out.push_str(EMAIL_REMOVED);
                done = end;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out.extend(&chars[done..]);
    out
}

/// Scrubs the text columns `columns` of `df`, row by row with the names of the row's city.
fn scrub_columns(
    df: &DataFrame,
    columns: &[&str],
    names: &HashMap<String, Vec<String>>,
) -> PolarsResult<DataFrame> {
    let cities: Vec<Option<String>> =
        df.column("city_id")?.str()?.iter().map(|s| s.map(String::from)).collect();
    let mut out = df.clone();
    for &name in columns {
        let Ok(column) = df.column(name) else { continue };
        let values: Vec<Option<String>> = column
            .str()?
            .iter()
            .zip(&cities)
            .map(|(v, city)| {
                v.map(|v| {
                    let names = city.as_ref().and_then(|c| names.get(c)).map_or(&[][..], |n| n);
                    scrub(v, names)
                })
            })
            .collect();
        out.with_column(Column::new(name.into(), values))?;
    }
    Ok(out)
}

impl Results {
    /// The tables without personal data (see the module's documentation). Consumes the
    /// results, so that the answers are not held twice.
    pub fn into_public(self, fw: &Framework) -> PolarsResult<Results> {
        let (names, keep) = sort_rows(fw, &self.responses)?;
        let responses = self.responses.filter(&keep)?.drop_many(PRIVATE_RESPONSE_COLUMNS);
        let responses = scrub_columns(&responses, &["raw", "value_text", "source"], &names)?;
        let recommendation_followup = scrub_columns(
            &self.recommendation_followup,
            &["department", "action", "source"],
            &names,
        )?;
        Ok(Results { responses, recommendation_followup, ..self })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e_mail_addresses_and_contact_names_are_scrubbed() {
        assert_eq!(
            scrub_emails("Write to ana.perez@villa.example.org. Thanks"),
            "Write to [e-mail removed]. Thanks"
        );
        assert_eq!(scrub_emails("a@b"), "a@b");
        assert_eq!(scrub_emails("@handle and x@y.z"), "@handle and [e-mail removed]");
        assert_eq!(scrub_emails("Ñoño@ciudad.example"), "[e-mail removed]");
        let names = vec!["Ana Pérez".to_string()];
        assert_eq!(
            scrub("Ana Pérez (ana@x.org) signed", &names),
            "[name removed] ([e-mail removed]) signed"
        );
        assert_eq!(scrub("no names here", &names), "no names here");
    }
}
