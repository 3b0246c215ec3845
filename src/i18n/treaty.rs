//! Treaty references in the reader's language. The framework writes them in English
//! (`ICESCR art. 11(1)`, `CESCR GC 4, para. 8`, `CERD GR 30`); a Spanish or French report
//! prints the instrument's abbreviation in its language (PIDESC, PIDCP, CDN/CDE, CDPD/CDPH,
//! DUDH), a General Comment as `OG` (observación general / observation générale), a General
//! Recommendation as `RG` and a paragraph as `párr.`/`par.`. Committees keep the symbols the
//! UN uses in every language (CESCR, CCPR, CRC, CERD, CEDAW, CRPD).

use super::Lang;

/// An instrument's abbreviation in English, Spanish and French.
const INSTRUMENTS: [(&str, &str, &str); 9] = [
    ("ICESCR", "PIDESC", "PIDESC"),
    ("ICCPR", "PIDCP", "PIDCP"),
    ("CRC", "CDN", "CDE"),
    ("CRPD", "CDPD", "CDPH"),
    ("CEDAW", "CEDAW", "CEDAW"),
    ("UDHR", "DUDH", "DUDH"),
    ("ICERD", "ICERD", "ICERD"),
    ("CAT", "CAT", "CAT"),
    ("ICRMW", "ICRMW", "ICRMW"),
];

/// The glossary entries: abbreviation in `lang` and the instrument's full name.
pub fn instruments(lang: Lang) -> Vec<(&'static str, String)> {
    INSTRUMENTS
        .iter()
        .map(|(en, es, fr)| {
            let short = match lang {
                Lang::En => *en,
                Lang::Es => *es,
                Lang::Fr => *fr,
            };
            (short, super::tr(lang, &format!("treaty.{}", en.to_ascii_lowercase())).to_string())
        })
        .collect()
}

/// `reference` (as the framework writes it, in English) in `lang`.
pub fn treaty_ref(reference: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return reference.to_string();
    }
    let words: Vec<&str> = reference.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1).copied().unwrap_or("");
        let word = match *w {
            // An instrument followed by an article; a committee otherwise.
            abbr if next.starts_with("art") => INSTRUMENTS
                .iter()
                .find(|(en, ..)| *en == abbr)
                .map_or(abbr.to_string(), |(_, es, fr)| {
                    if lang == Lang::Es { es } else { fr }.to_string()
                }),
            "UDHR" => "DUDH".to_string(),
            "GC" => "OG".to_string(),
            "GR" => "RG".to_string(),
            "para." => if lang == Lang::Es { "párr." } else { "par." }.to_string(),
            "paras." => if lang == Lang::Es { "párrs." } else { "par." }.to_string(),
            other => other.to_string(),
        };
        out.push(word);
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_follow_the_language() {
        assert_eq!(treaty_ref("ICESCR art. 11(1)", Lang::Es), "PIDESC art. 11(1)");
        assert_eq!(treaty_ref("CRC art. 27(3)", Lang::Fr), "CDE art. 27(3)");
        assert_eq!(treaty_ref("CRPD art. 9", Lang::Es), "CDPD art. 9");
        assert_eq!(treaty_ref("CRC GC 12, para. 127", Lang::Es), "CRC OG 12, párr. 127");
        assert_eq!(treaty_ref("CESCR GC 4, para. 8", Lang::Fr), "CESCR OG 4, par. 8");
        assert_eq!(treaty_ref("CERD GR 30", Lang::Es), "CERD RG 30");
        assert_eq!(treaty_ref("ICCPR art. 25", Lang::En), "ICCPR art. 25");
        assert_eq!(treaty_ref("UDHR art. 21", Lang::Fr), "DUDH art. 21");
    }
}
