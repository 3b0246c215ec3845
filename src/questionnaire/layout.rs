//! The shape of the questionnaire workbook, shared by the writer and the reader
//! (Contract 2): sheet names, header texts, the hidden `_hrcities` sheet, yes/no words and
//! "not available" markers, in the three working languages.

use crate::framework::{Framework, Right};
use crate::i18n::{fold, Lang};

/// The version of the workbook layout written by this toolkit (key `template_version`).
/// Version 2 writes a multiple-choice question as one yes/no row per option (ids
/// `QUESTION.code`) and adds the "Who answers" column; the reader reads version 1 too.
pub const TEMPLATE_VERSION: &str = "2";

/// The hidden sheet that identifies a workbook made by hrcities.
pub const META_SHEET: &str = "_hrcities";

/// Keys of the hidden sheet, one per row: key in column A, value in column B.
pub const META_KEYS: [&str; 4] =
    ["template_version", "framework_id", "framework_version", "language"];

/// Key of the hidden sheet naming the country whose recommendations the workbook lists.
pub const META_REC_COUNTRY: &str = "recommendations_country";
/// Key of the hidden sheet, one row per recommendation the workbook lists (its id).
pub const META_REC: &str = "recommendation";

/// Key of the hidden sheet giving the sha256 of the return a prefilled workbook carries
/// answers over from (`questionnaire --prefill`).
pub const META_PREFILLED_FROM: &str = "prefilled_from";
/// Key of the hidden sheet giving that return's reporting year.
pub const META_PREFILLED_YEAR: &str = "prefilled_year";
/// Key of the hidden sheet, one row per answer carried over: the question id in column B,
/// the answer in column C (as [`super::prefill::canonical`] writes it).
pub const META_PREFILLED: &str = "prefilled";

/// The columns of a question sheet, in the order the writer puts them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    /// Question ids. The reader finds questions by the ids in this column.
    Id,
    /// The question text.
    Question,
    /// Where the city writes its answer.
    Answer,
    /// The unit of the answer.
    Unit,
    /// What counts and where to find the figure.
    Help,
    /// The document or dataset the answer comes from.
    Source,
    /// Anything the city wants to add.
    Comment,
    /// The department (or person) that answers the question, so that a coordinator can
    /// share the work out.
    WhoAnswers,
    /// On the breakdown sheet: the dimension a row breaks the answer down by (sex, …).
    Dimension,
    /// On the breakdown sheet: the group of that dimension (women, …; or a neighbourhood
    /// the city names).
    Category,
    /// On the recommendations sheet: the document, paragraph and date.
    Reference,
    /// On the recommendations sheet: the mechanism and body.
    Body,
    /// On the recommendations sheet: the UHRI themes.
    Themes,
    /// On the recommendations sheet: the State's position (UPR: supported / noted).
    Position,
    /// On the recommendations sheet: the recommending States (UPR).
    RecommendedBy,
    /// On the recommendations sheet: the text, in the language it was issued in.
    Recommendation,
    /// On the recommendations sheet: within local competence (yes / partly / no).
    Competence,
    /// On the recommendations sheet: where the government is (not started … implemented).
    FollowStatus,
    /// On the recommendations sheet: the department responsible.
    Department,
    /// On the recommendations sheet: what was done.
    Action,
    /// In a prefilled workbook, beside the answer: last year's answer, carried over
    /// ("Prefilled from 2026"). The reader does not read it.
    Prefilled,
}

impl Column {
    /// Every column of a question sheet, in sheet order.
    pub const ALL: [Column; 8] = [
        Column::Id,
        Column::Question,
        Column::Answer,
        Column::Unit,
        Column::Help,
        Column::Source,
        Column::Comment,
        Column::WhoAnswers,
    ];

    /// The columns of a question sheet of a prefilled workbook, in sheet order: last
    /// year's answer beside the answer.
    pub const PREFILLED: [Column; 9] = [
        Column::Id,
        Column::Question,
        Column::Answer,
        Column::Prefilled,
        Column::Unit,
        Column::Help,
        Column::Source,
        Column::Comment,
        Column::WhoAnswers,
    ];

    /// The header text the writer uses in `lang`.
    pub fn header(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Column::Id, _) => "ID",
            (Column::Question, Lang::Es) => "Pregunta",
            (Column::Question, _) => "Question",
            (Column::Answer, Lang::En) => "Answer",
            (Column::Answer, Lang::Es) => "Respuesta",
            (Column::Answer, Lang::Fr) => "Réponse",
            (Column::Unit, Lang::En) => "Unit",
            (Column::Unit, Lang::Es) => "Unidad",
            (Column::Unit, Lang::Fr) => "Unité",
            (Column::Help, Lang::En) => "Help",
            (Column::Help, Lang::Es) => "Ayuda",
            (Column::Help, Lang::Fr) => "Aide",
            (Column::Source, Lang::En) => "Source / evidence",
            (Column::Source, Lang::Es) => "Fuente / evidencia",
            (Column::Source, Lang::Fr) => "Source / justificatif",
            (Column::Comment, Lang::En) => "Comment",
            (Column::Comment, Lang::Es) => "Comentario",
            (Column::Comment, Lang::Fr) => "Commentaire",
            (Column::WhoAnswers, Lang::En) => "Who answers",
            (Column::WhoAnswers, Lang::Es) => "Quién responde",
            (Column::WhoAnswers, Lang::Fr) => "Qui répond",
            (Column::Dimension, Lang::En) => "Breakdown",
            (Column::Dimension, Lang::Es) => "Desglose",
            (Column::Dimension, Lang::Fr) => "Ventilation",
            (Column::Category, Lang::En) => "Group",
            (Column::Category, Lang::Es) => "Grupo",
            (Column::Category, Lang::Fr) => "Groupe",
            (Column::Reference, Lang::En) => "Document and paragraph",
            (Column::Reference, Lang::Es) => "Documento y párrafo",
            (Column::Reference, Lang::Fr) => "Document et paragraphe",
            (Column::Body, Lang::En) => "Mechanism",
            (Column::Body, Lang::Es) => "Mecanismo",
            (Column::Body, Lang::Fr) => "Mécanisme",
            (Column::Themes, Lang::En) => "Themes",
            (Column::Themes, Lang::Es) => "Temas",
            (Column::Themes, Lang::Fr) => "Thèmes",
            (Column::Position, Lang::En) => "Position of the State",
            (Column::Position, Lang::Es) => "Posición del Estado",
            (Column::Position, Lang::Fr) => "Position de l'État",
            (Column::RecommendedBy, Lang::En) => "Recommended by",
            (Column::RecommendedBy, Lang::Es) => "Recomendada por",
            (Column::RecommendedBy, Lang::Fr) => "Recommandée par",
            (Column::Recommendation, Lang::En) => "Recommendation",
            (Column::Recommendation, Lang::Es) => "Recomendación",
            (Column::Recommendation, Lang::Fr) => "Recommandation",
            (Column::Competence, Lang::En) => "Within local competence",
            (Column::Competence, Lang::Es) => "Competencia local",
            (Column::Competence, Lang::Fr) => "Compétence locale",
            (Column::FollowStatus, Lang::En) => "Status",
            (Column::FollowStatus, Lang::Es) => "Estado de avance",
            (Column::FollowStatus, Lang::Fr) => "État d'avancement",
            (Column::Department, Lang::En) => "Department responsible",
            (Column::Department, Lang::Es) => "Área responsable",
            (Column::Department, Lang::Fr) => "Service responsable",
            (Column::Action, Lang::En) => "What was done",
            (Column::Action, Lang::Es) => "Qué se ha hecho",
            (Column::Action, Lang::Fr) => "Ce qui a été fait",
            // Written with the year: see [`prefilled_header`].
            (Column::Prefilled, Lang::En) => "Prefilled from",
            (Column::Prefilled, Lang::Es) => "Precargado de",
            (Column::Prefilled, Lang::Fr) => "Repris de",
        }
    }

    /// The column a header cell names, in any of the three languages, ignoring case,
    /// accents and extra words after a `/` or `(` ("Answer (required)", "Réponse / valeur").
    pub fn from_header(text: &str) -> Option<Column> {
        let folded = fold(text);
        let head = folded.split(['/', '(', ':']).next().unwrap_or("").trim();
        let words: &[(&str, Column)] = &[
            ("id", Column::Id),
            ("question id", Column::Id),
            ("identificador", Column::Id),
            ("identifiant", Column::Id),
            ("question", Column::Question),
            ("pregunta", Column::Question),
            ("answer", Column::Answer),
            ("respuesta", Column::Answer),
            ("reponse", Column::Answer),
            ("unit", Column::Unit),
            ("unidad", Column::Unit),
            ("unite", Column::Unit),
            ("help", Column::Help),
            ("ayuda", Column::Help),
            ("aide", Column::Help),
            ("source", Column::Source),
            ("evidence", Column::Source),
            ("fuente", Column::Source),
            ("evidencia", Column::Source),
            ("justificatif", Column::Source),
            ("comment", Column::Comment),
            ("comments", Column::Comment),
            ("comentario", Column::Comment),
            ("comentarios", Column::Comment),
            ("commentaire", Column::Comment),
            ("commentaires", Column::Comment),
            ("who answers", Column::WhoAnswers),
            ("answered by", Column::WhoAnswers),
            ("quien responde", Column::WhoAnswers),
            ("responde", Column::WhoAnswers),
            ("qui repond", Column::WhoAnswers),
            ("repondant", Column::WhoAnswers),
            ("responsable", Column::WhoAnswers),
            ("breakdown", Column::Dimension),
            ("dimension", Column::Dimension),
            ("desglose", Column::Dimension),
            ("ventilation", Column::Dimension),
            ("group", Column::Category),
            ("category", Column::Category),
            ("grupo", Column::Category),
            ("categoria", Column::Category),
            ("groupe", Column::Category),
            ("categorie", Column::Category),
            ("document and paragraph", Column::Reference),
            ("documento y parrafo", Column::Reference),
            ("document et paragraphe", Column::Reference),
            ("mechanism", Column::Body),
            ("mecanismo", Column::Body),
            ("mecanisme", Column::Body),
            ("themes", Column::Themes),
            ("temas", Column::Themes),
            ("position of the state", Column::Position),
            ("posicion del estado", Column::Position),
            ("position de l'etat", Column::Position),
            ("recommended by", Column::RecommendedBy),
            ("recomendada por", Column::RecommendedBy),
            ("recommandee par", Column::RecommendedBy),
            ("recommendation", Column::Recommendation),
            ("recomendacion", Column::Recommendation),
            ("recommandation", Column::Recommendation),
            ("within local competence", Column::Competence),
            ("local competence", Column::Competence),
            ("competencia local", Column::Competence),
            ("competence locale", Column::Competence),
            ("status", Column::FollowStatus),
            ("estado de avance", Column::FollowStatus),
            ("estado", Column::FollowStatus),
            ("etat d'avancement", Column::FollowStatus),
            ("department responsible", Column::Department),
            ("area responsable", Column::Department),
            ("service responsable", Column::Department),
            ("what was done", Column::Action),
            ("que se ha hecho", Column::Action),
            ("ce qui a ete fait", Column::Action),
        ];
        if let Some(c) = words.iter().find(|(w, _)| *w == head).map(|(_, c)| *c) {
            return Some(c);
        }
        // "Prefilled from 2026" and its translations, whatever the year.
        let prefilled = ["prefilled from", "precargado de", "repris de"];
        let year = |rest: &str| rest.trim().chars().all(|c| c.is_ascii_digit());
        prefilled
            .iter()
            .any(|p| head.strip_prefix(p).is_some_and(year))
            .then_some(Column::Prefilled)
    }
}

/// The header of the column of last year's answers in a workbook prefilled from the return
/// for `year` ("Prefilled from 2026", "Precargado de 2026", "Repris de 2026").
pub fn prefilled_header(lang: Lang, year: Option<i32>) -> String {
    match year {
        Some(y) => format!("{} {y}", Column::Prefilled.header(lang)),
        None => Column::Prefilled.header(lang).to_string(),
    }
}

/// Excel's limit on sheet-name length.
pub const MAX_SHEET_NAME: usize = 31;

/// A sheet name Excel accepts: no `[]:*?/\`, no leading or trailing apostrophe, at most
/// 31 characters, shortened at a word boundary (never in the middle of a word) and without
/// a dangling "and", "de", "et"… or punctuation at the cut.
pub fn sheet_name(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') { '-' } else { c })
        .collect();
    let trimmed = cleaned.trim().trim_matches('\'');
    if trimmed.chars().count() <= MAX_SHEET_NAME {
        return trimmed.to_string();
    }
    // The words that fit whole (a word that ends exactly at the limit fits).
    let mut words: Vec<&str> = Vec::new();
    let mut len = 0;
    for word in trimmed.split(' ').filter(|w| !w.is_empty()) {
        let add = word.chars().count() + usize::from(!words.is_empty());
        if len + add > MAX_SHEET_NAME {
            break;
        }
        len += add;
        words.push(word);
    }
    if words.is_empty() {
        // One word longer than a sheet name: nothing to cut at.
        return trimmed.chars().take(MAX_SHEET_NAME).collect::<String>().trim_end().to_string();
    }
    while words.len() > 2
        && words.last().is_some_and(|w| DANGLING.contains(&w.to_lowercase().as_str()))
    {
        words.pop();
    }
    words
        .join(" ")
        .trim_end_matches(|c: char| !c.is_alphanumeric() && c != ')')
        .trim_end_matches('\'')
        .to_string()
}

/// The columns of the breakdown sheet, in the order the writer puts them.
pub const BREAKDOWN_COLUMNS: [Column; 8] = [
    Column::Id,
    Column::Question,
    Column::Dimension,
    Column::Category,
    Column::Answer,
    Column::Unit,
    Column::Source,
    Column::Comment,
];

/// The name of the breakdown sheet in `lang`.
pub fn breakdown_sheet(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Breakdowns",
        Lang::Es => "Desgloses",
        Lang::Fr => "Ventilations",
    }
}

/// The columns of the recommendations sheet (Contract 6), in the order the writer puts them.
pub const RECOMMENDATION_COLUMNS: [Column; 13] = [
    Column::Id,
    Column::Reference,
    Column::Body,
    Column::Themes,
    Column::Position,
    Column::RecommendedBy,
    Column::Recommendation,
    Column::Competence,
    Column::FollowStatus,
    Column::Department,
    Column::Action,
    Column::Source,
    Column::Comment,
];

/// The name of the recommendations sheet in `lang`.
pub fn recommendations_sheet(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "UN recommendations",
        Lang::Es => "Recomendaciones ONU",
        Lang::Fr => "Recommandations ONU",
    }
}

/// Whether a recommendation is within local competence: the codes, in drop-down order.
pub const COMPETENCE: [&str; 3] = ["yes", "partly", "no"];

/// Where a government is with a recommendation: the codes, in drop-down order.
pub const FOLLOW_STATUS: [&str; 4] =
    ["not_started", "in_progress", "implemented", "not_applicable"];

/// The label of competence or status `code` in `lang` (the catalog's `rec.competence.*`
/// and `rec.status.*`, which reports use too); empty for an unknown code.
pub fn followup_label(code: &str, lang: Lang) -> String {
    let group = if COMPETENCE.contains(&code) { "competence" } else { "status" };
    let key = format!("rec.{group}.{code}");
    let label = crate::i18n::tr(lang, &key);
    if label == key || !(COMPETENCE.contains(&code) || FOLLOW_STATUS.contains(&code)) {
        String::new()
    } else {
        label.to_string()
    }
}

/// What a written competence answer means, in any language: `yes`, `partly` or `no`.
pub fn parse_competence(text: &str) -> Option<&'static str> {
    let f = fold(text);
    let f = f.trim_end_matches('.').trim();
    match f {
        "partly" | "partially" | "partial" | "en parte" | "parcialmente" | "parcial"
        | "en partie" | "partiellement" | "partiel" => return Some("partly"),
        _ => {}
    }
    match parse_yes_no(f) {
        Some(true) => Some("yes"),
        Some(false) => Some("no"),
        None => None,
    }
}

/// What a written follow-up status means, in any language: one of [`FOLLOW_STATUS`].
pub fn parse_follow_status(text: &str) -> Option<&'static str> {
    let f = fold(text);
    let f = f.trim_end_matches('.').trim().replace(['_', '-'], " ");
    for code in FOLLOW_STATUS {
        if f == code.replace('_', " ") {
            return Some(code);
        }
        if Lang::ALL.iter().any(|l| fold(&followup_label(code, *l)) == f) {
            return Some(code);
        }
    }
    let other: [(&str, &'static str); 10] = [
        ("not yet started", "not_started"),
        ("sin iniciar", "not_started"),
        ("no iniciado", "not_started"),
        ("non commencee", "not_started"),
        ("ongoing", "in_progress"),
        ("en proceso", "in_progress"),
        ("done", "implemented"),
        ("implementado", "implemented"),
        ("mise en oeuvre", "implemented"),
        ("n/a", "not_applicable"),
    ];
    other.iter().find(|(w, _)| *w == f).map(|(_, c)| *c)
}

/// The name of the instructions sheet in `lang`.
pub fn instructions_sheet(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Instructions",
        Lang::Es => "Instrucciones",
        Lang::Fr => "Mode d'emploi",
    }
}

/// The name of the profile sheet in `lang` (from the framework's profile title).
pub fn profile_sheet(fw: &Framework, lang: Lang) -> String {
    sheet_name(fw.profile.title.get(lang))
}

/// Short words a shortened sheet name should not end with.
const DANGLING: [&str; 23] = [
    "and", "to", "of", "the", "in", "y", "e", "o", "a", "al", "de", "del", "el", "en", "los",
    "las", "et", "à", "du", "des", "la", "le", "les",
];

/// The number of a right's sheet: its place among the framework's rights, from 1. The tab
/// shows it as `01`, and so does the contents list of the instructions sheet.
pub fn right_number(fw: &Framework, right: &Right) -> usize {
    fw.rights.iter().position(|r| r.id == right.id).map_or(0, |i| i + 1)
}

/// The name of a right's sheet in `lang`: its number and short title, shortened at a word
/// if need be (`"01 Housing"`, `"06 Protección social"`). Names are unique because the
/// number is.
pub fn right_sheet(fw: &Framework, right: &Right, lang: Lang) -> String {
    let n = right_number(fw, right);
    sheet_name(&format!("{n:02} {}", right.short_title.get(lang)))
}

/// The separator between a multiple-choice question's id and an option's code in the ID
/// column of the option's row (`WRK_Q06.none`).
pub const OPTION_SEPARATOR: char = '.';

/// The id of the row of option `code` of the multiple-choice question `question`.
pub fn option_id(question: &str, code: &str) -> String {
    format!("{question}{OPTION_SEPARATOR}{code}")
}

/// The question id and the option code of an option row's id (`WRK_Q06.none`).
pub fn split_option_id(id: &str) -> Option<(&str, &str)> {
    let (question, code) = id.split_once(OPTION_SEPARATOR)?;
    (!question.is_empty() && !code.is_empty()).then_some((question, code))
}

/// The yes and no words the writer offers in `lang`'s drop-downs.
pub fn yes_no_labels(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::En => ("Yes", "No"),
        Lang::Es => ("Sí", "No"),
        Lang::Fr => ("Oui", "Non"),
    }
}

/// What a written yes/no answer means, in any language: `Some(true)` for yes.
/// Accepts Yes/No, Sí/Si/No, Oui/Non, True/False, Verdadero/Falso, Vrai/Faux, 1/0, x
/// (a tick) and Y/N/S/O, ignoring case, accents and a trailing full stop.
pub fn parse_yes_no(text: &str) -> Option<bool> {
    let f = fold(text);
    match f.trim_end_matches('.') {
        "yes" | "y" | "si" | "s" | "oui" | "o" | "true" | "verdadero" | "vrai" | "1" | "x"
        | "✓" => Some(true),
        "no" | "n" | "non" | "false" | "falso" | "faux" | "0" => Some(false),
        _ => None,
    }
}

/// Whether `text` is a "not available" marker (kept apart from a blank):
/// `N/A`, `NA`, `n/d`, `ND`, `no disponible`, `non disponible`, `not available`, `-`, `?`
/// and their variants.
pub fn is_not_available(text: &str) -> bool {
    let f = fold(text);
    let compact: String = f.chars().filter(|c| !matches!(c, ' ' | '.' | '/')).collect();
    matches!(
        compact.as_str(),
        "na" | "nd"
            | "nondisponible"
            | "nodisponible"
            | "notavailable"
            | "sd"
            | "sindatos"
            | "-"
            | "--"
            | "?"
            | "—"
            | "–"
            | "nc"
            | "ne"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_recognised_in_every_language() {
        for lang in Lang::ALL {
            for col in Column::ALL {
                assert_eq!(Column::from_header(col.header(lang)), Some(col), "{lang} {col:?}");
            }
            assert_eq!(Column::from_header("Responsable"), Some(Column::WhoAnswers));
            for year in [None, Some(2026)] {
                let header = prefilled_header(lang, year);
                assert_eq!(Column::from_header(&header), Some(Column::Prefilled), "{header}");
            }
        }
        assert_eq!(Column::from_header("Prefilled from last year"), None);
        assert_eq!(Column::from_header("  RÉPONSE "), Some(Column::Answer));
        assert_eq!(Column::from_header("Answer (required)"), Some(Column::Answer));
        assert_eq!(Column::from_header("Answers given"), None);
        for lang in Lang::ALL {
            for col in RECOMMENDATION_COLUMNS {
                assert_eq!(Column::from_header(col.header(lang)), Some(col), "{lang} {col:?}");
            }
        }
    }

    #[test]
    fn follow_up_words_in_every_language() {
        for lang in Lang::ALL {
            for code in COMPETENCE {
                assert_eq!(parse_competence(&followup_label(code, lang)), Some(code), "{lang}");
            }
            for code in FOLLOW_STATUS {
                assert_eq!(parse_follow_status(&followup_label(code, lang)), Some(code), "{lang}");
            }
        }
        assert_eq!(parse_follow_status("in_progress"), Some("in_progress"));
        assert_eq!(parse_follow_status("Pending"), None);
        assert_eq!(parse_competence("maybe"), None);
    }

    #[test]
    fn yes_no_words_and_not_available_markers() {
        for yes in ["Yes", "sí", "SI", "Oui", "TRUE", "1", "x", "Vrai", "yes."] {
            assert_eq!(parse_yes_no(yes), Some(true), "{yes}");
        }
        for no in ["No", "non", "FALSE", "0", "Faux", "falso"] {
            assert_eq!(parse_yes_no(no), Some(false), "{no}");
        }
        assert_eq!(parse_yes_no("maybe"), None);
        for na in
            ["N/A", "n/a", "NA", "n/d", "ND", "No disponible", "non disponible", "-", "?", "n.d."]
        {
            assert!(is_not_available(na), "{na}");
        }
        for not in ["0", "no", "", "none"] {
            assert!(!is_not_available(not), "{not}");
        }
    }

    // See issue 19: tabs were cut in the middle of a phrase ("08 Igualdad y no") and
    // numbered unlike the contents list.
    #[test]
    fn right_sheets_are_numbered_short_titles_cut_at_a_word() {
        let fw = crate::framework::load_embedded(Lang::En).framework;
        for lang in Lang::ALL {
            let mut names = std::collections::HashSet::new();
            for (i, r) in fw.rights.iter().enumerate() {
                let name = right_sheet(&fw, r, lang);
                assert!(name.chars().count() <= MAX_SHEET_NAME, "{name}");
                assert!(name.starts_with(&format!("{:02} ", i + 1)), "{name}");
                assert_eq!(right_number(&fw, r), i + 1);
                let short = r.short_title.get(lang);
                let shown = &name[3..];
                assert!(short.starts_with(shown), "{name} is a prefix of {short}");
                let next = short[shown.len()..].chars().next();
                assert!(next.is_none_or(|c| c == ' '), "{name} ends at a word of {short}");
                assert!(names.insert(name.clone()), "{name} is unique");
            }
        }
        let housing = fw.right("housing").expect("housing");
        assert_eq!(right_sheet(&fw, housing, Lang::Es), "01 Vivienda");
    }

    #[test]
    fn sheet_names_fit_excel_and_are_cut_at_a_word() {
        assert_eq!(sheet_name("a/b:c"), "a-b-c");
        assert_eq!(sheet_name(&"x".repeat(40)).chars().count(), 31);
        assert_eq!(
            sheet_name("06 Protección social y alimentación"),
            "06 Protección social",
            "cut at a word, without the dangling «y»"
        );
        assert_eq!(
            sheet_name("14 Right to a clean, healthy and sustainable"),
            "14 Right to a clean, healthy"
        );
        // A word ending exactly at the limit is kept whole.
        let exact = format!("{} {}", "a".repeat(20), "b".repeat(10));
        assert_eq!(sheet_name(&format!("{exact} c")), exact);
    }

    #[test]
    fn option_ids_name_the_question_and_the_code() {
        assert_eq!(option_id("WRK_Q06", "none"), "WRK_Q06.none");
        assert_eq!(split_option_id("WRK_Q06.none"), Some(("WRK_Q06", "none")));
        for not in ["WRK_Q06", "WRK_Q06.", ".none", ""] {
            assert_eq!(split_option_id(not), None, "{not}");
        }
    }
}
