//! A letter to each city (`validate --feedback DIR`): what to fix in its return, in its
//! language, ready to send — as plain text, as an e-mail message (`.eml`, RFC 5322, nothing
//! is sent) and indexed in `feedback.csv`.
//!
//! The body speaks to a city officer, not to the analyst: the sheet and cell, the question
//! (shortened), what is wrong and how to fix it, answers as the city wrote them; then what
//! was read but deserves a look; whether the return can be used as it is; a polite close.
//! Diagnostic codes and the file's hash go in one reference line at the end, for the
//! analyst. Everything from the return (names, answers) is text: the subject is encoded
//! (RFC 2047) and the body is base64, so no line of a return can become a header.

use std::path::{Path, PathBuf};

use super::batch::FileResult;
use super::Diagnostic;
use crate::framework::{Framework, Severity};
use crate::i18n::{tr, trf, Lang};

/// One letter.
#[derive(Clone, Debug)]
pub struct Letter {
    /// The government's name (the file's name when the return could not be read).
    pub city: String,
    pub city_id: Option<String>,
    pub year: Option<i32>,
    pub file: String,
    /// The profile's contact e-mail, when it is a plausible address.
    pub email: Option<String>,
    pub lang: Lang,
    pub errors: usize,
    pub warnings: usize,
    pub subject: String,
    pub body: String,
}

/// The longest question text quoted in a letter.
const QUESTION_CHARS: usize = 110;

/// `text` cut at a word boundary to at most `max` characters, with an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut =
        cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a).trim_end_matches([',', ';', ':']);
    format!("{cut}…")
}

/// `address` when it looks like one e-mail address (one `@`, a dot after it, no space,
/// comma, angle bracket or control character), else `None`.
pub fn plausible_email(address: &str) -> Option<String> {
    let a = address.trim();
    let (local, domain) = a.split_once('@')?;
    let bad = |c: char| c.is_whitespace() || c.is_control() || ",;<>\"()[]\\".contains(c);
    (!local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !a.chars().any(bad))
    .then(|| a.to_string())
}

/// `text` without the question ids the analyst's listing adds in brackets (`(PAR_Q08)`,
/// `(HOU_Q02, HOU_Q03)`): a city officer knows the question by its text and cell.
fn without_ids(text: &str) -> String {
    let is_id = |w: &str| {
        let w = w.trim();
        w.len() >= 4
            && w.contains('_')
            && w.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(" (") {
        let Some(j) = rest[i..].find(')') else { break };
        let inside = &rest[i + 2..i + j];
        out.push_str(&rest[..i]);
        if !inside.split(',').all(is_id) {
            out.push_str(&rest[i..=i + j]);
        }
        rest = &rest[i + j + 1..];
    }
    out.push_str(rest);
    out
}

/// `text` with each question id in it (`HOU_Q01`) replaced by the question as the city
/// sees it: its text, shortened, and its cell.
fn name_questions(text: &str, fw: &Framework, answers: &[super::Answer], lang: Lang) -> String {
    let is_id_char = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        match fw.question(word).filter(|_| word.contains('_')) {
            Some(q) => {
                let cell = answers
                    .iter()
                    .find(|a| a.question == q.id)
                    .and_then(|a| a.cell)
                    .map_or_else(String::new, |c| c.to_string());
                out.push_str(&trf(
                    lang,
                    if cell.is_empty() { "fb.the_question" } else { "fb.the_question_at" },
                    &[("text", &shorten(q.text.get(lang), 60)), ("cell", &cell)],
                ));
            }
            None => out.push_str(word),
        }
        word.clear();
    };
    for c in text.chars() {
        if is_id_char(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The item of one diagnostic: where, the question, what is wrong, how to fix it. A broken
/// consistency rule is told in its own words with the answers as the city wrote them and
/// where they are, not with the question ids and the comparison of the analyst's listing.
pub(crate) fn item(
    fw: &Framework,
    d: &Diagnostic,
    answers: &[super::Answer],
    n: usize,
    lang: Lang,
) -> String {
    let mut out = format!("{n}. ");
    match (&d.sheet, d.cell) {
        (Some(sheet), Some(cell)) => {
            out += &trf(lang, "fb.where_cell", &[("sheet", sheet), ("cell", &cell.to_string())]);
        }
        (Some(sheet), None) => out += &trf(lang, "fb.where_sheet", &[("sheet", sheet)]),
        _ => out += tr(lang, "fb.where_file"),
    }
    if let Some(q) = d.question.as_deref().and_then(|q| fw.question(q)) {
        out += &trf(lang, "fb.question", &[("text", &shorten(q.text.get(lang), QUESTION_CHARS))]);
    }
    let rule = (d.code == "E-RULE" || d.code == "W-RULE")
        .then(|| fw.rules.iter().find(|r| d.hint.as_deref().is_some_and(|h| h.contains(&r.id))))
        .flatten();
    let before_detail = |text: &str| -> String {
        let text = text.trim();
        match (rule, text.rfind(" (")) {
            (Some(_), Some(i)) if text.ends_with(')') => text[..i].to_string(),
            _ => name_questions(&without_ids(text), fw, answers, lang),
        }
    };
    out += "\n   ";
    out += &trf(lang, "fb.wrong", &[("message", &before_detail(&d.message).trim_end_matches('.'))]);
    if let Some(rule) = rule {
        let mut ids = rule.left.node.questions();
        for id in rule.right_side.node.questions() {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let given: Vec<String> = ids
            .iter()
            .filter_map(|id| answers.iter().find(|a| a.question == *id))
            .filter(|a| !a.raw.trim().is_empty())
            .map(|a| {
                let text = fw
                    .question(&a.question)
                    .map_or(String::new(), |q| shorten(q.text.get(lang), 70));
                let cell = a.cell.map_or_else(String::new, |c| c.to_string());
                trf(
                    lang,
                    "fb.given",
                    &[("raw", &a.raw.trim()), ("cell", &cell), ("question", &text)],
                )
            })
            .collect();
        if !given.is_empty() {
            out += "\n   ";
            out += &trf(lang, "fb.answers", &[("list", &given.join("; "))]);
        }
    }
    if let Some(h) = &d.hint {
        out += "\n   ";
        out += &trf(lang, "fb.fix", &[("hint", &before_detail(h).trim_end_matches('.'))]);
    }
    out
}

/// "1 answer to correct", "2 answers to correct": `key` with `.one` or `.many`.
fn count(lang: Lang, key: &str, n: usize) -> String {
    trf(lang, &format!("{key}.{}", if n == 1 { "one" } else { "many" }), &[("n", &n)])
}

/// The letter for `result`, whose diagnostics are in `lang`, read on `date` (YYYY-MM-DD).
pub fn letter(fw: &Framework, result: &FileResult, lang: Lang, date: &str) -> Letter {
    let file = result
        .path
        .file_name()
        .map_or_else(|| result.path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let checked = result.checked.as_ref();
    let answers: &[super::Answer] = checked.map_or(&[], |c| &c.answers);
    let city = checked.and_then(|c| c.city_name.clone()).unwrap_or_else(|| file.clone());
    let email = checked
        .and_then(|c| c.answers.iter().find(|a| a.question == "contact_email"))
        .and_then(|a| plausible_email(&a.raw));
    let errors: Vec<&Diagnostic> =
        result.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    let warnings: Vec<&Diagnostic> =
        result.diagnostics.iter().filter(|d| d.severity == Severity::Warning).collect();
    let year = checked.and_then(|c| c.year);
    let year_text = year.map_or_else(String::new, |y| y.to_string());
    let subject = if errors.is_empty() && warnings.is_empty() {
        trf(lang, "fb.subject_thanks", &[("city", &city), ("year", &year_text)])
    } else {
        trf(
            lang,
            "fb.subject",
            &[
                ("city", &city),
                ("year", &year_text),
                ("points", &count(lang, "fb.n_points", errors.len() + warnings.len())),
            ],
        )
    };
    let mut body = vec![
        trf(lang, "fb.greeting", &[("city", &city)]),
        String::new(),
        trf(lang, "fb.read", &[("file", &file), ("date", &date)]),
    ];
    if errors.is_empty() && warnings.is_empty() {
        body.push(tr(lang, "fb.all_good").to_string());
    } else {
        let parts: Vec<String> = [("fb.n_errors", errors.len()), ("fb.n_warnings", warnings.len())]
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(k, n)| count(lang, k, n))
            .collect();
        body.push(trf(lang, "fb.summary", &[("found", &crate::i18n::and_list(&parts, lang))]));
    }
    let mut n = 0;
    if !errors.is_empty() {
        body.push(String::new());
        body.push(tr(lang, "fb.h_errors").to_string());
        body.push(String::new());
        for d in &errors {
            n += 1;
            body.push(item(fw, d, answers, n, lang));
        }
    }
    if !warnings.is_empty() {
        body.push(String::new());
        body.push(tr(lang, "fb.h_warnings").to_string());
        body.push(String::new());
        for d in &warnings {
            n += 1;
            body.push(item(fw, d, answers, n, lang));
        }
    }
    body.push(String::new());
    body.push(if result.checked.is_none() {
        tr(lang, "fb.unreadable").to_string()
    } else if errors.is_empty() {
        tr(lang, "fb.usable").to_string()
    } else {
        count(lang, "fb.not_yet", errors.len())
    });
    body.push(String::new());
    body.push(tr(lang, "fb.close").to_string());
    // The reference line, for the analyst.
    let mut codes: Vec<(String, usize)> = Vec::new();
    for d in &result.diagnostics {
        match codes.iter_mut().find(|(c, _)| *c == d.code) {
            Some((_, k)) => *k += 1,
            None => codes.push((d.code.clone(), 1)),
        }
    }
    let codes: Vec<String> = codes.iter().map(|(c, k)| format!("{c} ×{k}")).collect();
    body.push(String::new());
    body.push(format!(
        "-- \n{}",
        trf(
            lang,
            "fb.reference",
            &[
                ("codes", &if codes.is_empty() { "–".into() } else { codes.join(", ") }),
                ("sha", &result.sha256.as_deref().map_or("–", |s| &s[..s.len().min(12)])),
            ],
        )
    ));
    Letter {
        city,
        city_id: checked.and_then(|c| c.city_id.clone()),
        year,
        file,
        email,
        lang,
        errors: errors.len(),
        warnings: warnings.len(),
        subject,
        body: body.join("\n") + "\n",
    }
}

/// Standard base64 of `bytes`.
fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A header value as an RFC 2047 encoded word (UTF-8, base64), in pieces short enough for
/// a header line; any line break in `text` is a space first.
fn encoded_word(text: &str) -> String {
    let clean: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let mut pieces = Vec::new();
    let mut piece = String::new();
    for c in clean.chars() {
        if piece.len() + c.len_utf8() > 45 {
            pieces.push(std::mem::take(&mut piece));
        }
        piece.push(c);
    }
    if !piece.is_empty() || pieces.is_empty() {
        pieces.push(piece);
    }
    pieces
        .iter()
        .map(|p| format!("=?UTF-8?B?{}?=", base64(p.as_bytes())))
        .collect::<Vec<_>>()
        .join("\r\n ")
}

/// `2026-12-02T01:32:50Z` as an RFC 5322 date (`Wed, 02 Dec 2026 01:32:50 +0000`).
fn rfc5322_date(utc: &str) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let num = |a: usize, b: usize| utc.get(a..b).and_then(|s| s.parse::<i64>().ok());
    let (y, m, d) = (num(0, 4).unwrap_or(1970), num(5, 7).unwrap_or(1), num(8, 10).unwrap_or(1));
    // Days since 1970-01-01 (H. Hinnant's days_from_civil).
    let yy = if m <= 2 { y - 1 } else { y };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    let day = DAYS[days.rem_euclid(7) as usize];
    let month = utc.get(5..7).and_then(|m| m.parse::<usize>().ok()).unwrap_or(1);
    format!(
        "{day}, {} {} {} {} +0000",
        utc.get(8..10).unwrap_or("01"),
        MONTHS[month.clamp(1, 12) - 1],
        utc.get(0..4).unwrap_or("1970"),
        utc.get(11..19).unwrap_or("00:00:00"),
    )
}

/// The letter as an e-mail message (RFC 5322 with MIME, UTF-8 body in base64), from
/// `from`, dated `utc` (RFC 3339). `To:` is the city's contact when there is one; the
/// message is marked unsent, for the analyst to open, check and send.
pub fn eml(letter: &Letter, from: &str, utc: &str) -> String {
    let mut h = vec![format!(
        "From: {}",
        plausible_email(from).unwrap_or_else(|| "campaign@example.invalid".into())
    )];
    if let Some(to) = &letter.email {
        h.push(format!("To: {to}"));
    }
    h.push(format!("Subject: {}", encoded_word(&letter.subject)));
    h.push(format!("Date: {}", rfc5322_date(utc)));
    h.push("MIME-Version: 1.0".into());
    h.push("Content-Type: text/plain; charset=UTF-8".into());
    h.push("Content-Transfer-Encoding: base64".into());
    h.push(format!("Content-Language: {}", letter.lang.code()));
    h.push("X-Unsent: 1".into());
    let body = base64(letter.body.as_bytes());
    let lines: Vec<&str> =
        body.as_bytes().chunks(76).filter_map(|c| std::str::from_utf8(c).ok()).collect();
    format!("{}\r\n\r\n{}\r\n", h.join("\r\n"), lines.join("\r\n"))
}

/// Writes each letter as `DIR/<name>.txt` and `DIR/<name>.eml` and the index
/// `DIR/feedback.csv` (city, file, e-mail, language, errors, warnings, message, e-mail
/// file; guarded against formula injection). Returns the number of letters written.
pub fn write(dir: &Path, letters: &[Letter], from: &str, utc: &str) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let mut used: Vec<String> = Vec::new();
    let mut csv = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| std::io::Error::other(e.to_string());
    csv.write_record([
        "city", "city_id", "year", "file", "email", "language", "errors", "warnings", "message",
        "eml",
    ])
    .map_err(io)?;
    for l in letters {
        let stem = match (&l.city_id, l.year) {
            (Some(id), Some(y)) => format!("{id}-{y}"),
            _ => l.file.clone(),
        };
        let mut name = crate::export::file_part(&stem);
        let mut k = 1;
        while used.contains(&name) {
            k += 1;
            name = format!("{}-{k}", crate::export::file_part(&stem));
        }
        used.push(name.clone());
        let txt: PathBuf = dir.join(format!("{name}.txt"));
        let mail: PathBuf = dir.join(format!("{name}.eml"));
        crate::export::write_atomic(&txt, l.body.as_bytes())?;
        crate::export::write_atomic(&mail, eml(l, from, utc).as_bytes())?;
        let row = [
            l.city.clone(),
            l.city_id.clone().unwrap_or_default(),
            l.year.map(|y| y.to_string()).unwrap_or_default(),
            l.file.clone(),
            l.email.clone().unwrap_or_default(),
            l.lang.code().to_string(),
            l.errors.to_string(),
            l.warnings.to_string(),
            format!("{name}.txt"),
            format!("{name}.eml"),
        ];
        csv.write_record(row.iter().map(|c| crate::export::safe_cell(c).into_owned()))
            .map_err(io)?;
    }
    let mut bytes = super::batch::UTF8_BOM.to_vec();
    bytes.extend(csv.into_inner().map_err(|e| std::io::Error::other(e.to_string()))?);
    crate::export::write_atomic(&dir.join("feedback.csv"), &bytes)?;
    Ok(letters.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_and_encoded_words_are_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64("é".as_bytes()), "w6k=");
        let w = encoded_word("a\r\nBcc: x@y.z");
        assert!(!w.contains('\n') || w.contains("\r\n "), "{w}");
        assert!(w.starts_with("=?UTF-8?B?") && !w.contains("Bcc"));
    }

    #[test]
    fn only_plain_addresses_are_used() {
        assert_eq!(plausible_email(" a.b@c.org "), Some("a.b@c.org".into()));
        for bad in [
            "a@b",
            "a b@c.org",
            "a@c.org\r\nBcc: x@y.z",
            "a@c.org, b@d.org",
            "<a@c.org>",
            "@c.org",
            "a@.org",
        ] {
            assert_eq!(plausible_email(bad), None, "{bad}");
        }
    }

    #[test]
    fn question_ids_in_brackets_are_left_out() {
        assert_eq!(without_ids("a (PAR_Q08) b"), "a b");
        assert_eq!(without_ids("a (HOU_Q02, HOU_Q03)."), "a.");
        assert_eq!(without_ids("a (as written) (x"), "a (as written) (x");
    }

    #[test]
    fn dates_are_rfc5322() {
        assert_eq!(rfc5322_date("2026-12-02T01:32:50Z"), "Wed, 02 Dec 2026 01:32:50 +0000");
        assert_eq!(rfc5322_date("1970-01-01T00:00:00Z"), "Thu, 01 Jan 1970 00:00:00 +0000");
    }
}
