//! Folding text for matching: lowercase, accents removed, spaces collapsed. Used to match
//! what people type (headers, yes/no words, choice labels) in any of the three languages.

/// Lowercases `s`, strips the diacritics of Latin letters and collapses whitespace, so
/// `"  Réponse "`, `"respuesta"` and `"RESPUESTA"` compare as their plain forms.
pub fn fold(s: &str) -> String {
    let s = s.trim();
    // Most text is plain ASCII with single spaces: lowercase it in one go.
    if s.is_ascii() && s.bytes().all(|b| b >= b' ') && !s.contains("  ") {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        for lower in c.to_lowercase() {
            match strip_accent(lower) {
                Some(plain) => out.push_str(plain),
                None => out.push(lower),
            }
        }
    }
    out
}

fn strip_accent(c: char) -> Option<&'static str> {
    Some(match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' => "a",
        'é' | 'è' | 'ê' | 'ë' | 'ē' => "e",
        'í' | 'ì' | 'î' | 'ï' | 'ī' => "i",
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ō' => "o",
        'ú' | 'ù' | 'û' | 'ü' | 'ū' => "u",
        'ý' | 'ÿ' => "y",
        'ñ' => "n",
        'ç' => "c",
        'œ' => "oe",
        'æ' => "ae",
        'ß' => "ss",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_case_accents_and_spaces() {
        assert_eq!(fold("  Réponse "), "reponse");
        assert_eq!(fold("RESPUESTA"), "respuesta");
        assert_eq!(fold("Sí"), "si");
        assert_eq!(fold("No  disponible"), "no disponible");
        assert_eq!(fold("Œuvre Ça"), "oeuvre ca");
        assert_eq!(fold("광주"), "광주");
    }
}
