//! User-facing text in the campaign's three working languages.
//!
//! Messages live in `messages.toml` (embedded in the binary), one table per key with `en`,
//! `es` and `fr`. Placeholders are written `{name}` and filled by [`trf`]. A unit test
//! checks that every key has all three languages with the same placeholders and that every
//! key the code asks for exists.

mod country;
mod fold;
pub mod number;
mod treaty;

pub use country::{country_code, country_name};
pub use fold::fold;
pub use number::{format_number, format_percent};
pub use treaty::{instruments, treaty_ref};

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

/// A working language of the campaign.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    clap::ValueEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Spanish.
    Es,
    /// French.
    Fr,
}

impl Lang {
    /// All languages, in the order framework files list them.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Es, Lang::Fr];

    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Fr => "fr",
        }
    }

    /// The language with ISO 639-1 code `code` (case-insensitive).
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code().eq_ignore_ascii_case(code.trim()))
    }

    /// Its position in [`Lang::ALL`]: en 0, es 1, fr 2.
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The message catalogs: command-line and diagnostic messages, and the texts written into
/// questionnaire workbooks.
const CATALOGS: [&str; 5] = [
    include_str!("messages.toml"),
    include_str!("workbook.toml"),
    include_str!("recommendations.toml"),
    include_str!("datapackage.toml"),
    include_str!("site.toml"),
];

fn catalog() -> &'static HashMap<String, [String; 3]> {
    static CATALOG: OnceLock<HashMap<String, [String; 3]>> = OnceLock::new();
    CATALOG.get_or_init(|| CATALOGS.iter().flat_map(|c| parse_catalog(c)).collect())
}

/// Flattens `[a.b] en = … es = … fr = …` into `"a.b" → [en, es, fr]`.
fn parse_catalog(text: &str) -> HashMap<String, [String; 3]> {
    fn walk(prefix: &str, table: &toml::Table, out: &mut HashMap<String, [String; 3]>) {
        let text_of = |l: Lang| table.get(l.code()).and_then(|v| v.as_str());
        if let (Some(en), Some(es), Some(fr)) =
            (text_of(Lang::En), text_of(Lang::Es), text_of(Lang::Fr))
        {
            out.insert(prefix.to_string(), [en.into(), es.into(), fr.into()]);
        }
        for (key, value) in table {
            if let toml::Value::Table(sub) = value {
                let name = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                walk(&name, sub, out);
            }
        }
    }
    let mut out = HashMap::new();
    // The catalog is part of the binary and checked by a unit test, so a parse failure
    // can only come from a broken build; an empty catalog then shows keys instead of text.
    if let Ok(table) = text.parse::<toml::Table>() {
        walk("", &table, &mut out);
    }
    out
}

/// The message `key` in `lang`; the key itself if the catalog lacks it.
pub fn tr(lang: Lang, key: &str) -> &str {
    match catalog().get(key) {
        Some(texts) => &texts[lang.index()],
        None => key,
    }
}

/// The message `key` in `lang` with each `{name}` replaced by its value.
pub fn trf(lang: Lang, key: &str, args: &[(&str, &dyn fmt::Display)]) -> String {
    let mut text = tr(lang, key).to_string();
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), &value.to_string());
    }
    text
}

/// `text` with its first letter in capitals ("related to SDG …" or a label opening a
/// sentence or a cell).
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// The language of a sentence of `text` among en, es and fr, by its most common short
/// words; `None` when it cannot be told (too short, or none of the three).
pub fn language_of(text: &str) -> Option<Lang> {
    const WORDS: [(Lang, &[&str]); 3] = [
        (Lang::En, &["the", "and", "of", "to", "in", "that", "for", "with", "on", "including"]),
        // Words the two share ("la", "de", "en", "que") tell them apart from English only.
        (Lang::Es, &["el", "los", "las", "y", "del", "para", "con", "una", "por", "sus"]),
        (Lang::Fr, &["le", "les", "et", "des", "du", "pour", "aux", "au", "une", "par", "leurs"]),
    ];
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut best: Option<(Lang, usize)> = None;
    let mut second = 0;
    for (lang, common) in WORDS {
        let n = words.iter().filter(|w| common.contains(&w.as_str())).count();
        match best {
            Some((_, b)) if n <= b => second = second.max(n),
            _ => {
                second = best.map_or(0, |(_, b)| b);
                best = Some((lang, n));
            }
        }
    }
    let (lang, n) = best?;
    (n >= 3 && n > second * 2).then_some(lang)
}

/// `names` as a list in a sentence: `A`, `A and B`, `A, B and C` (`y`/`e` in Spanish,
/// `et` in French).
pub fn and_list(names: &[String], lang: Lang) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => {
            let and = match lang {
                Lang::En => "and",
                // "e" before a word beginning with the sound /i/ (Islandia, Irlanda).
                Lang::Es if fold(last).starts_with('i') && !fold(last).starts_with("ie") => "e",
                Lang::Es => "y",
                Lang::Fr => "et",
            };
            format!("{} {and} {last}", rest.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;

    #[test]
    fn the_language_of_a_recommendation_is_told_by_its_short_words() {
        let en = "Ensure that municipalities have the resources to extend safe drinking water \
                  and sanitation to informal settlements.";
        let es = "Fortalecer la participación de las mujeres y de las comunidades indígenas en \
                  la toma de decisiones locales.";
        let fr = "Garantir l'accès des personnes handicapées aux services et aux transports \
                  publics dans les communes.";
        assert_eq!(language_of(en), Some(Lang::En));
        assert_eq!(language_of(es), Some(Lang::Es));
        assert_eq!(language_of(fr), Some(Lang::Fr));
        assert_eq!(language_of("A/HRC/55/5"), None);
        assert_eq!(language_of(""), None);
    }

    fn placeholders(text: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else { break };
            out.insert(rest[start + 1..start + len].to_string());
            rest = &rest[start + len..];
        }
        out
    }

    #[test]
    fn every_message_has_three_languages_with_the_same_placeholders() {
        for catalog in CATALOGS {
            check_catalog(catalog);
        }
    }

    fn check_catalog(text: &str) {
        let table: toml::Table = text.parse().expect("the catalog parses");
        fn leaves(prefix: &str, t: &toml::Table, out: &mut Vec<(String, toml::Table)>) {
            if t.values().any(|v| v.is_str()) {
                out.push((prefix.to_string(), t.clone()));
            }
            for (k, v) in t {
                if let toml::Value::Table(sub) = v {
                    let name = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                    leaves(&name, sub, out);
                }
            }
        }
        let mut all = Vec::new();
        leaves("", &table, &mut all);
        assert!(!all.is_empty());
        for (key, t) in all {
            let texts: Vec<&str> = Lang::ALL
                .iter()
                .map(|l| t.get(l.code()).and_then(|v| v.as_str()).unwrap_or(""))
                .collect();
            for (l, text) in Lang::ALL.iter().zip(&texts) {
                assert!(!text.is_empty(), "{key}: no {l}");
            }
            assert_eq!(placeholders(texts[0]), placeholders(texts[1]), "{key}: es placeholders");
            assert_eq!(placeholders(texts[0]), placeholders(texts[2]), "{key}: fr placeholders");
        }
    }

    /// Every `tr(…, "key")` / `trf(…, "key", …)` in the sources names a key of the catalog.
    #[test]
    fn every_key_used_in_the_code_exists() {
        fn scan(dir: &Path, found: &mut Vec<(String, String)>) {
            for entry in std::fs::read_dir(dir).expect("src is readable") {
                let path = entry.expect("dir entry").path();
                if path.is_dir() {
                    scan(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && !path.ends_with("i18n/mod.rs")
                {
                    let text = std::fs::read_to_string(&path).expect("source is UTF-8");
                    for pat in ["tr(", "trf("] {
                        for (i, _) in text.match_indices(pat) {
                            let before = text[..i].chars().next_back();
                            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                                continue; // `str(`, `.tr(` of something else
                            }
                            let rest = &text[i + pat.len()..];
                            let Some(comma) = rest.find(',') else { continue };
                            let after = rest[comma + 1..].trim_start();
                            if let Some(lit) = after.strip_prefix('"') {
                                if let Some(end) = lit.find('"') {
                                    found
                                        .push((path.display().to_string(), lit[..end].to_string()));
                                }
                            }
                        }
                    }
                }
            }
        }
        let mut found = Vec::new();
        scan(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut found);
        assert!(found.len() > 10, "the scan found the message keys");
        for (file, key) in found {
            if key == "key" {
                continue; // the doc examples above
            }
            assert!(catalog().contains_key(&key), "{file}: unknown message key {key:?}");
        }
    }

    #[test]
    fn substitutes_placeholders() {
        assert_eq!(Lang::from_code("ES"), Some(Lang::Es));
        let text = trf(Lang::Fr, "formula.unknown_question", &[("id", &"HOU_Q99")]);
        assert!(text.contains("HOU_Q99") && !text.contains('{'), "{text}");
    }
}
