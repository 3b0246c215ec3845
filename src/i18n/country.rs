//! Countries: ISO 3166-1 alpha-3 codes and their names in English, Spanish and French
//! (`countries.tsv`, from the Debian iso-codes project), so a return may give `KEN`,
//! `Kenya`, `Kenia` or `République du Kenya`.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::{fold, Lang};

const COUNTRIES: &str = include_str!("countries.tsv");

fn table() -> &'static (HashMap<String, String>, Vec<String>) {
    static TABLE: OnceLock<(HashMap<String, String>, Vec<String>)> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut names = HashMap::new();
        let mut codes = Vec::new();
        for line in COUNTRIES.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let Some((code, list)) = line.split_once('\t') else { continue };
            codes.push(code.to_string());
            for name in list.split('|') {
                names.insert(fold(name), code.to_string());
            }
        }
        (names, codes)
    })
}

/// The ISO 3166-1 alpha-3 code of the country written as `text`: a code (any case) or a
/// name in English, Spanish or French (ignoring case and accents).
pub fn country_code(text: &str) -> Option<String> {
    let (names, codes) = table();
    let t = text.trim();
    let upper = t.to_ascii_uppercase();
    if codes.contains(&upper) {
        return Some(upper);
    }
    names.get(&fold(t)).cloned()
}

/// The name of the country with ISO 3166-1 alpha-3 `code` in `lang` (`country-names.tsv`,
/// the ISO short name and its iso-codes translations), or the code itself if unknown.
pub fn country_name(code: &str, lang: Lang) -> String {
    const NAMES: &str = include_str!("country-names.tsv");
    let column = match lang {
        Lang::En => 1,
        Lang::Es => 2,
        Lang::Fr => 3,
    };
    NAMES
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .find(|f| f[0].eq_ignore_ascii_case(code))
        .and_then(|f| f.get(column).map(|n| n.to_string()))
        .unwrap_or_else(|| code.to_string())
}

#[cfg(test)]
mod tests {
    use super::{country_code, country_name, Lang};

    #[test]
    fn names_countries_in_three_languages() {
        assert_eq!(country_name("COL", Lang::Fr), "Colombie");
        assert_eq!(country_name("kor", Lang::Es), "Corea, República de");
        assert_eq!(country_name("XKX", Lang::En), "XKX");
    }

    #[test]
    fn reads_codes_and_names_in_three_languages() {
        assert_eq!(country_code("ken").as_deref(), Some("KEN"));
        assert_eq!(country_code("Kenya").as_deref(), Some("KEN"));
        assert_eq!(country_code("España").as_deref(), Some("ESP"));
        assert_eq!(country_code("espana").as_deref(), Some("ESP"));
        assert_eq!(country_code("Espagne").as_deref(), Some("ESP"));
        assert_eq!(country_code("Côte d'Ivoire").as_deref(), Some("CIV"));
        assert_eq!(country_code("Costa de Marfil").as_deref(), Some("CIV"));
        assert_eq!(country_code("South Korea").as_deref(), Some("KOR"));
        assert_eq!(country_code("Corée du Sud").as_deref(), Some("KOR"));
        assert_eq!(country_code("États-Unis").as_deref(), Some("USA"));
        assert_eq!(country_code("XYZ"), None);
        assert_eq!(country_code("Atlantis"), None);
    }
}
