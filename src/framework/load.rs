//! Reads framework files and checks them, reporting every problem at once with
//! `file:line` (and the column inside a formula).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::model::*;
use super::problem::{Problem, Problems};
use super::FrameworkError;
use crate::formula::{self, Binary, ErrorKind, Func, Node, QuestionKind};
use crate::i18n::{fold, trf, Lang};

type S<T> = Spanned<T>;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawText {
    en: Option<String>,
    es: Option<String>,
    fr: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLabelled {
    format: Option<UnitFormat>,
    body: Option<String>,
    en: Option<String>,
    es: Option<String>,
    fr: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    id: S<String>,
    version: String,
    languages: S<Vec<String>>,
    title: S<RawText>,
    description: S<RawText>,
    #[serde(default)]
    unit: BTreeMap<String, S<RawLabelled>>,
    #[serde(default)]
    kind: BTreeMap<String, S<RawText>>,
    #[serde(default)]
    charter_agenda: BTreeMap<String, S<RawText>>,
    #[serde(default)]
    treaty: BTreeMap<String, S<RawLabelled>>,
    #[serde(default)]
    body: BTreeMap<String, S<RawText>>,
    #[serde(default)]
    upr_theme: BTreeMap<String, S<RawText>>,
    #[serde(default)]
    disaggregation: BTreeMap<String, S<RawText>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    right: Option<S<RawRight>>,
    profile: Option<S<RawProfile>>,
    #[serde(default)]
    question: Vec<S<RawQuestion>>,
    #[serde(default)]
    indicator: Vec<S<RawIndicator>>,
    #[serde(default)]
    rule: Vec<S<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    title: S<RawText>,
    summary: S<RawText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRight {
    id: S<String>,
    order: i64,
    title: S<RawText>,
    short_title: Option<S<RawText>>,
    summary: S<RawText>,
    #[serde(default)]
    charter_agenda: Vec<S<String>>,
    #[serde(default)]
    treaty: Vec<S<String>>,
    #[serde(default)]
    general_comment: Vec<S<String>>,
    #[serde(default)]
    source: String,
    #[serde(default)]
    attribute: Vec<S<RawAttribute>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAttribute {
    id: S<String>,
    title: S<RawText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: S<String>,
    attribute: Option<S<String>>,
    #[serde(rename = "type")]
    qtype: QuestionType,
    #[serde(default)]
    required: bool,
    text: S<RawText>,
    help: Option<S<RawText>>,
    unit: Option<S<String>>,
    min: Option<f64>,
    max: Option<f64>,
    relevant: Option<S<String>>,
    #[serde(default)]
    disaggregation: Vec<S<String>>,
    #[serde(default)]
    choices: Vec<S<RawChoice>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChoice {
    code: S<String>,
    label: S<RawText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    id: S<String>,
    title: S<RawText>,
    definition: Option<S<RawText>>,
    kind: IndicatorKind,
    attribute: Option<S<String>>,
    formula: S<String>,
    unit: S<String>,
    direction: Direction,
    goalposts: Option<S<Goalposts>>,
    target: Option<f64>,
    weight: Option<S<f64>>,
    #[serde(default)]
    sdg: Vec<S<String>>,
    #[serde(default)]
    treaty: Vec<S<String>>,
    #[serde(default)]
    general_comment: Vec<S<String>>,
    #[serde(default)]
    charter_agenda: Vec<S<String>>,
    #[serde(default)]
    upr_themes: Vec<S<String>>,
    #[serde(default)]
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: S<String>,
    left: S<String>,
    op: S<String>,
    right: S<String>,
    #[serde(default = "default_severity")]
    severity: Severity,
    #[serde(default = "default_missing")]
    missing: MissingStrategy,
    message: S<RawText>,
}

fn default_severity() -> Severity {
    Severity::Error
}

fn default_missing() -> MissingStrategy {
    MissingStrategy::SkipIfAnyMissing
}

/// A framework and every problem found while reading it. The framework is usable (for
/// listing and showing) even with problems; commands that compute refuse errors.
pub struct Loaded {
    pub framework: Framework,
    pub problems: Problems,
}

/// Reads every `*.toml` file of `dir`.
pub fn load_dir(dir: &Path, lang: Lang) -> Result<Loaded, FrameworkError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| FrameworkError::Io { path: dir.to_path_buf(), source: e })?;
    let mut files = Vec::new();
    for entry in entries {
        let path =
            entry.map_err(|e| FrameworkError::Io { path: dir.to_path_buf(), source: e })?.path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| FrameworkError::Io { path: path.clone(), source: e })?;
            let name =
                path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            files.push(SourceFile { name, text });
        }
    }
    if files.is_empty() {
        return Err(FrameworkError::Empty(dir.to_path_buf()));
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(load_sources(files, lang))
}

/// The framework embedded in the binary (the `indicators/` folder of the source tree).
pub fn load_embedded(lang: Lang) -> Loaded {
    let files = crate::embedded::FRAMEWORK_FILES
        .iter()
        .map(|(name, text)| SourceFile { name: name.to_string(), text: text.to_string() })
        .collect();
    load_sources(files, lang)
}

/// Reads and checks framework files given as text.
pub fn load_sources(files: Vec<SourceFile>, lang: Lang) -> Loaded {
    let mut cx = Cx { files, problems: Problems::default(), lang, current: 0 };
    let mut framework = Framework {
        id: String::new(),
        version: String::new(),
        title: Text::default(),
        description: Text::default(),
        vocab: Vocabularies::default(),
        profile: Profile::default(),
        rights: Vec::new(),
        questions: Vec::new(),
        indicators: Vec::new(),
        rules: Vec::new(),
        files: Vec::new(),
    };
    let mut raw_files = Vec::new();
    let mut meta_seen = false;
    for i in 0..cx.files.len() {
        cx.current = i;
        let text = cx.files[i].text.clone();
        if cx.files[i].name == "framework.toml" {
            meta_seen = true;
            match toml::from_str::<RawMeta>(&text) {
                Ok(meta) => cx.meta(meta, &mut framework),
                Err(e) => cx.toml_error(&e),
            }
        } else {
            match toml::from_str::<RawFile>(&text) {
                Ok(raw) => raw_files.push((i, raw)),
                Err(e) => cx.toml_error(&e),
            }
        }
    }
    if !meta_seen {
        cx.current = 0;
        cx.error("F-META", 0, None, trf(lang, "fw.no_meta", &[]), None);
    }
    let mut right_files = Vec::new();
    for (i, raw) in raw_files {
        cx.current = i;
        cx.section(raw, &mut framework, &mut right_files);
    }
    framework.rights.sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.id.cmp(&b.id)));
    let order: HashMap<String, usize> =
        framework.rights.iter().enumerate().map(|(i, r)| (r.id.clone(), i)).collect();
    let rank =
        |r: &Option<String>| r.as_ref().map_or(0, |id| order.get(id).map_or(usize::MAX, |i| i + 1));
    framework.questions.sort_by_key(|q| rank(&q.right));
    framework.indicators.sort_by_key(|i| rank(&Some(i.right.clone())));
    framework.rules.sort_by_key(|r| rank(&r.right));
    cx.cross_checks(&framework, &right_files);
    framework.files = cx.files;
    Loaded { framework, problems: cx.problems }
}

struct Cx {
    files: Vec<SourceFile>,
    problems: Problems,
    lang: Lang,
    current: usize,
}

impl Cx {
    fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        offset: usize,
        item: Option<&str>,
        message: String,
        hint: Option<String>,
    ) {
        let file = &self.files[self.current];
        let (line, column) = file.line_col(offset);
        self.problems.push(Problem {
            severity,
            code,
            file: file.name.clone(),
            line,
            column,
            item: item.map(String::from),
            message,
            hint,
            snippet: None,
        });
    }

    fn error(
        &mut self,
        code: &'static str,
        offset: usize,
        item: Option<&str>,
        msg: String,
        hint: Option<String>,
    ) {
        self.push(Severity::Error, code, offset, item, msg, hint);
    }

    fn warn(
        &mut self,
        code: &'static str,
        offset: usize,
        item: Option<&str>,
        msg: String,
        hint: Option<String>,
    ) {
        self.push(Severity::Warning, code, offset, item, msg, hint);
    }

    fn toml_error(&mut self, e: &toml::de::Error) {
        let offset = e.span().map_or(0, |s| s.start);
        let message = e.message().trim().to_string();
        self.error("F-TOML", offset, None, message, Some(trf(self.lang, "fw.hint.toml", &[])));
    }

    /// Converts a localized table, reporting each missing or empty language.
    fn text(&mut self, raw: &S<RawText>, item: &str, field: &str) -> Text {
        let t = raw.get_ref();
        self.text3(raw.span().start, item, field, [&t.en, &t.es, &t.fr])
    }

    fn text3(
        &mut self,
        offset: usize,
        item: &str,
        field: &str,
        parts: [&Option<String>; 3],
    ) -> Text {
        let fallback =
            parts.iter().find_map(|p| p.as_ref().filter(|s| !s.trim().is_empty())).cloned();
        let mut out = [String::new(), String::new(), String::new()];
        for (i, lang) in Lang::ALL.into_iter().enumerate() {
            match parts[i].as_ref().filter(|s| !s.trim().is_empty()) {
                Some(s) => out[i] = s.clone(),
                None => {
                    let msg = trf(
                        self.lang,
                        "fw.missing_translation",
                        &[("lang", &lang), ("field", &field)],
                    );
                    self.error("F-MISSING-TRANSLATION", offset, Some(item), msg, None);
                    out[i] = fallback.clone().unwrap_or_default();
                }
            }
        }
        let [en, es, fr] = out;
        Text { en, es, fr }
    }

    fn meta(&mut self, meta: RawMeta, fw: &mut Framework) {
        fw.id = meta.id.get_ref().clone();
        fw.version = meta.version;
        let langs: Vec<&str> = meta.languages.get_ref().iter().map(String::as_str).collect();
        if langs != ["en", "es", "fr"] {
            let msg = trf(self.lang, "fw.languages", &[("found", &langs.join(", "))]);
            self.error("F-META", meta.languages.span().start, None, msg, None);
        }
        fw.title = self.text(&meta.title, "framework", "title");
        fw.description = self.text(&meta.description, "framework", "description");
        for (code, raw) in &meta.unit {
            let r = raw.get_ref();
            let label = self.text3(raw.span().start, code, "unit", [&r.en, &r.es, &r.fr]);
            let format = r.format.unwrap_or(UnitFormat::Number);
            fw.vocab.units.insert(code.clone(), Unit { format, label });
        }
        for (code, raw) in &meta.treaty {
            let r = raw.get_ref();
            let title = self.text3(raw.span().start, code, "treaty", [&r.en, &r.es, &r.fr]);
            let body = r.body.clone().unwrap_or_default();
            fw.vocab.treaties.insert(code.clone(), Treaty { body, title });
        }
        let mut simple =
            |map: &BTreeMap<String, S<RawText>>, field: &str| -> BTreeMap<String, Text> {
                map.iter().map(|(k, v)| (k.clone(), self.text(v, k, field))).collect()
            };
        fw.vocab.kinds = simple(&meta.kind, "kind");
        fw.vocab.charter_agenda = simple(&meta.charter_agenda, "charter_agenda");
        fw.vocab.bodies = simple(&meta.body, "body");
        fw.vocab.upr_themes = simple(&meta.upr_theme, "upr_theme");
        fw.vocab.disaggregations = simple(&meta.disaggregation, "disaggregation");
    }

    fn section(
        &mut self,
        raw: RawFile,
        fw: &mut Framework,
        right_files: &mut Vec<(usize, String)>,
    ) {
        let right_id = match (&raw.right, &raw.profile) {
            (Some(r), None) => Some(r.get_ref().id.get_ref().clone()),
            (None, Some(_)) => None,
            _ => {
                let msg = trf(self.lang, "fw.right_or_profile", &[]);
                self.error("F-META", 0, None, msg, None);
                return;
            }
        };
        let mut attributes = Vec::new();
        if let Some(p) = &raw.profile {
            let p = p.get_ref();
            fw.profile = Profile {
                title: self.text(&p.title, "profile", "title"),
                summary: self.text(&p.summary, "profile", "summary"),
            };
            if let Some(ind) = raw.indicator.first() {
                let msg = trf(self.lang, "fw.profile_indicator", &[]);
                self.error("F-META", ind.span().start, None, msg, None);
            }
        }
        if let Some(r) = &raw.right {
            let r = r.get_ref();
            let offset = r.id.span().start;
            let id = r.id.get_ref().clone();
            right_files.push((self.current, id.clone()));
            for a in &r.attribute {
                let a = a.get_ref();
                let title = self.text(&a.title, a.id.get_ref(), "title");
                attributes.push(Attribute { id: a.id.get_ref().clone(), title });
            }
            let title = self.text(&r.title, &id, "title");
            let right = Right {
                short_title: match &r.short_title {
                    Some(t) => self.text(t, &id, "short_title"),
                    None => title.clone(),
                },
                title,
                summary: self.text(&r.summary, &id, "summary"),
                order: r.order,
                charter_agenda: plain(&r.charter_agenda),
                treaty: plain(&r.treaty),
                general_comment: plain(&r.general_comment),
                source: r.source.clone(),
                attributes: attributes.clone(),
                loc: Loc { file: self.current, offset },
                id,
            };
            fw.rights.push(right);
        }
        let attr_ids: Vec<String> = attributes.iter().map(|a| a.id.clone()).collect();
        for q in &raw.question {
            let q = q.get_ref();
            let offset = q.id.span().start;
            let id = q.id.get_ref().clone();
            if let (Some(a), Some(_)) = (&q.attribute, &right_id) {
                if !attr_ids.contains(a.get_ref()) {
                    self.unknown_vocab(a, &id, "attribute");
                }
            }
            let mut choices = Vec::new();
            for c in &q.choices {
                let cr = c.get_ref();
                let label = self.text(&cr.label, &id, "choice label");
                choices.push(Choice { code: cr.code.get_ref().clone(), label });
            }
            let question = Question {
                text: self.text(&q.text, &id, "text"),
                help: q.help.as_ref().map(|h| self.text(h, &id, "help")),
                right: right_id.clone(),
                attribute: q.attribute.as_ref().map(|a| a.get_ref().clone()),
                qtype: q.qtype,
                required: q.required,
                unit: q.unit.as_ref().map(|u| u.get_ref().clone()),
                min: q.min,
                max: q.max,
                relevant: q.relevant.as_ref().map(|f| self.formula(f, &id, "relevant")),
                disaggregation: plain(&q.disaggregation),
                choices,
                loc: Loc { file: self.current, offset },
                id,
            };
            self.question_checks(q, &question);
            fw.questions.push(question);
        }
        if let Some(right) = &right_id {
            for ind in &raw.indicator {
                let r = ind.get_ref();
                let offset = r.id.span().start;
                let id = r.id.get_ref().clone();
                if let Some(a) = &r.attribute {
                    if !attr_ids.contains(a.get_ref()) {
                        self.unknown_vocab(a, &id, "attribute");
                    }
                }
                let goalposts = r.goalposts.as_ref().map(|g| *g.get_ref());
                let indicator = Indicator {
                    title: self.text(&r.title, &id, "title"),
                    definition: r.definition.as_ref().map(|d| self.text(d, &id, "definition")),
                    right: right.clone(),
                    kind: r.kind,
                    attribute: r.attribute.as_ref().map(|a| a.get_ref().clone()),
                    formula: self.formula(&r.formula, &id, "formula"),
                    unit: r.unit.get_ref().clone(),
                    direction: r.direction,
                    goalposts,
                    target: r.target,
                    weight: r.weight.as_ref().map_or(1.0, |w| *w.get_ref()),
                    sdg: plain(&r.sdg),
                    treaty: plain(&r.treaty),
                    general_comment: plain(&r.general_comment),
                    charter_agenda: plain(&r.charter_agenda),
                    upr_themes: plain(&r.upr_themes),
                    source: r.source.clone(),
                    loc: Loc { file: self.current, offset },
                    id,
                };
                fw.indicators.push(indicator);
            }
        }
        for rule in &raw.rule {
            let r = rule.get_ref();
            let offset = r.id.span().start;
            let id = r.id.get_ref().clone();
            let op = match r.op.get_ref().as_str() {
                "<" => Binary::Lt,
                "<=" => Binary::Le,
                ">" => Binary::Gt,
                ">=" => Binary::Ge,
                "=" | "==" => Binary::Eq,
                "!=" | "<>" => Binary::Ne,
                other => {
                    let msg = trf(self.lang, "fw.bad_op", &[("op", &other)]);
                    self.error("F-RULE", r.op.span().start, Some(&id), msg, None);
                    Binary::Le
                }
            };
            fw.rules.push(Rule {
                message: self.text(&r.message, &id, "message"),
                right: right_id.clone(),
                left: self.formula(&r.left, &id, "left"),
                op,
                right_side: self.formula(&r.right, &id, "right"),
                severity: r.severity,
                missing: r.missing,
                loc: Loc { file: self.current, offset },
                id,
            });
        }
        self.indicator_checks(&raw, fw);
    }

    fn unknown_vocab(&mut self, value: &S<String>, item: &str, vocab: &str) {
        let msg =
            trf(self.lang, "fw.unknown_vocab", &[("vocab", &vocab), ("value", value.get_ref())]);
        let hint = trf(self.lang, "fw.hint.vocab", &[("vocab", &vocab)]);
        self.error("F-UNKNOWN-VOCAB", value.span().start, Some(item), msg, Some(hint));
    }

    fn question_checks(&mut self, raw: &RawQuestion, q: &Question) {
        let offset = raw.id.span().start;
        let lang = self.lang;
        let has_choices = matches!(q.qtype, QuestionType::Choice | QuestionType::MultiChoice);
        if has_choices && q.choices.len() < 2 {
            self.error(
                "F-CHOICES",
                offset,
                Some(&q.id),
                trf(lang, "fw.too_few_choices", &[]),
                None,
            );
        }
        if !has_choices && !q.choices.is_empty() {
            self.error(
                "F-CHOICES",
                offset,
                Some(&q.id),
                trf(lang, "fw.choices_not_allowed", &[("type", &q.qtype.name())]),
                None,
            );
        }
        let mut codes: HashMap<&str, usize> = HashMap::new();
        let mut labels: HashMap<String, &str> = HashMap::new();
        for c in &raw.choices {
            let code = c.get_ref().code.get_ref();
            let at = c.get_ref().code.span().start;
            if !is_code(code) {
                self.error(
                    "F-BAD-ID",
                    at,
                    Some(&q.id),
                    trf(lang, "fw.bad_code", &[("code", code)]),
                    None,
                );
            }
            if codes.insert(code, at).is_some() {
                self.error(
                    "F-CHOICE-CLASH",
                    at,
                    Some(&q.id),
                    trf(lang, "fw.duplicate_code", &[("code", code)]),
                    None,
                );
            }
            let label = c.get_ref().label.get_ref();
            let mut seen_here = HashSet::new();
            for text in [&label.en, &label.es, &label.fr].into_iter().flatten() {
                let key = fold(text);
                if !seen_here.insert(key.clone()) {
                    continue;
                }
                match labels.get(&key) {
                    Some(other) if *other != code.as_str() => {
                        let msg = trf(
                            lang,
                            "fw.label_clash",
                            &[("label", text), ("a", other), ("b", code)],
                        );
                        self.error(
                            "F-CHOICE-CLASH",
                            at,
                            Some(&q.id),
                            msg,
                            Some(trf(lang, "fw.hint.label_clash", &[])),
                        );
                    }
                    _ => {
                        labels.insert(key, code);
                    }
                }
            }
        }
        if (q.min.is_some() || q.max.is_some()) && !q.qtype.is_numeric() {
            self.error(
                "F-RANGE",
                offset,
                Some(&q.id),
                trf(lang, "fw.range_not_numeric", &[("type", &q.qtype.name())]),
                None,
            );
        }
        if let (Some(lo), Some(hi)) = (q.min, q.max) {
            if lo > hi {
                let msg = trf(lang, "fw.min_above_max", &[("min", &lo), ("max", &hi)]);
                self.error("F-RANGE", offset, Some(&q.id), msg, None);
            }
        }
        if q.qtype == QuestionType::Percent && q.max.is_some_and(|m| m > 100.0) {
            // Percent answers are points; a maximum above 100 is allowed (e.g. growth) but unusual.
            let msg = trf(lang, "fw.percent_above_100", &[]);
            self.warn("F-RANGE", offset, Some(&q.id), msg, None);
        }
        if q.text.en.is_empty() {
            return;
        }
        if q.right.is_some() && q.help.is_none() {
            self.warn("F-NO-HELP", offset, Some(&q.id), trf(lang, "fw.no_help", &[]), None);
        }
    }

    /// Parses a formula, reporting a syntax error at its line and column.
    fn formula(&mut self, raw: &S<String>, item: &str, role: &'static str) -> Formula {
        let text = raw.get_ref();
        let at = Loc { file: self.current, offset: raw.span().start };
        match formula::parse(text) {
            Ok(node) => Formula { text: text.clone(), node, at },
            Err(e) => {
                self.formula_problem(&at, text, item, role, &e);
                Formula { text: String::new(), node: Node::default(), at }
            }
        }
    }

    /// Reports a formula error at its exact line and column in the file.
    fn formula_problem(
        &mut self,
        at: &Loc,
        text: &str,
        item: &str,
        role: &str,
        e: &formula::FormulaError,
    ) {
        self.current = at.file;
        let file = &self.files[at.file].text;
        let quoted = format!("\"{text}\"");
        let exact = file.get(at.offset..).is_some_and(|rest| rest.starts_with(&quoted));
        let offset = if exact { at.offset + 1 + e.span.start } else { at.offset };
        let code = match e.kind {
            ErrorKind::UnknownQuestion(_) => "F-UNKNOWN-QUESTION",
            ErrorKind::NotComparable(_) | ErrorKind::TypeMismatch | ErrorKind::NotANumber => {
                "F-FORMULA-TYPE"
            }
            ErrorKind::TooManyQuestions(_) | ErrorKind::TooDeep(_) => "F-FORMULA-SIZE",
            _ => "F-FORMULA-SYNTAX",
        };
        let role = crate::i18n::tr(self.lang, &format!("fw.role.{role}")).to_string();
        let msg = format!("{} ({role})", e.message(self.lang));
        let before = self.problems.len();
        self.error(code, offset, Some(item), msg, e.hint(self.lang));
        if let Some(problem) = self.problems.get_mut(before) {
            problem.snippet = Some((text.to_string(), e.column(text)));
        }
    }

    fn indicator_checks(&mut self, raw: &RawFile, fw: &Framework) {
        let lang = self.lang;
        for ind in &raw.indicator {
            let r = ind.get_ref();
            let id = r.id.get_ref();
            let at = r.id.span().start;
            if !fw.vocab.units.contains_key(r.unit.get_ref()) {
                self.unknown_vocab(&r.unit, id, "unit");
            }
            if let Some(g) = &r.goalposts {
                let Goalposts { lo, hi } = *g.get_ref();
                if lo > hi {
                    let msg = trf(
                        lang,
                        "fw.goalposts_reversed",
                        &[("lo", &lo), ("hi", &hi), ("direction", &r.direction.name())],
                    );
                    self.error(
                        "F-GOALPOSTS",
                        g.span().start,
                        Some(id),
                        msg,
                        Some(trf(lang, "fw.hint.goalposts", &[])),
                    );
                } else if lo == hi {
                    let msg = trf(lang, "fw.goalposts_equal", &[("lo", &lo)]);
                    self.warn("F-GOALPOSTS", g.span().start, Some(id), msg, None);
                } else if let Some(t) = r.target {
                    let worst_end = match r.direction {
                        Direction::HigherIsBetter => t <= lo,
                        Direction::LowerIsBetter => t >= hi,
                    };
                    if worst_end {
                        let msg = trf(
                            lang,
                            "fw.target_contradicts",
                            &[("target", &t), ("direction", &r.direction.name())],
                        );
                        self.error(
                            "F-GOALPOSTS",
                            g.span().start,
                            Some(id),
                            msg,
                            Some(trf(lang, "fw.hint.goalposts", &[])),
                        );
                    } else if t < lo || t > hi {
                        let msg = trf(
                            lang,
                            "fw.target_outside",
                            &[("target", &t), ("lo", &lo), ("hi", &hi)],
                        );
                        self.warn("F-GOALPOSTS", g.span().start, Some(id), msg, None);
                    }
                }
            } else {
                self.warn("F-GOALPOSTS", at, Some(id), trf(lang, "fw.no_goalposts", &[]), None);
            }
            if let Some(w) = &r.weight {
                if w.get_ref().partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
                    self.error(
                        "F-WEIGHT",
                        w.span().start,
                        Some(id),
                        trf(lang, "fw.bad_weight", &[]),
                        None,
                    );
                }
            }
            if r.sdg.is_empty() && r.treaty.is_empty() {
                self.error("F-NO-MAPPING", at, Some(id), trf(lang, "fw.no_mapping", &[]), None);
            }
            if r.source.trim().is_empty() {
                self.warn("F-NO-SOURCE", at, Some(id), trf(lang, "fw.no_source", &[]), None);
            }
            self.mappings(
                id,
                &r.sdg,
                &r.treaty,
                &r.general_comment,
                &r.charter_agenda,
                &r.upr_themes,
                fw,
            );
        }
        if let Some(right) = &raw.right {
            let r = right.get_ref();
            self.mappings(
                r.id.get_ref(),
                &[],
                &r.treaty,
                &r.general_comment,
                &r.charter_agenda,
                &[],
                fw,
            );
        }
        for q in &raw.question {
            let q = q.get_ref();
            let id = q.id.get_ref();
            if let Some(u) = &q.unit {
                if !fw.vocab.units.contains_key(u.get_ref()) {
                    self.unknown_vocab(u, id, "unit");
                }
            }
            for d in &q.disaggregation {
                if !fw.vocab.disaggregations.contains_key(d.get_ref()) {
                    self.unknown_vocab(d, id, "disaggregation");
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn mappings(
        &mut self,
        id: &str,
        sdg: &[S<String>],
        treaty: &[S<String>],
        gc: &[S<String>],
        charter: &[S<String>],
        upr: &[S<String>],
        fw: &Framework,
    ) {
        for s in sdg {
            if !is_sdg_code(s.get_ref()) {
                let msg = trf(self.lang, "fw.bad_sdg", &[("code", s.get_ref())]);
                self.error(
                    "F-MAPPING",
                    s.span().start,
                    Some(id),
                    msg,
                    Some(trf(self.lang, "fw.hint.sdg", &[])),
                );
            }
        }
        for t in treaty {
            let prefix = t.get_ref().split_whitespace().next().unwrap_or("");
            if !fw.vocab.treaties.contains_key(prefix) {
                self.unknown_vocab(t, id, "treaty");
            }
        }
        for g in gc {
            let prefix = g.get_ref().split_whitespace().next().unwrap_or("");
            let well_formed =
                g.get_ref().split_whitespace().nth(1).is_some_and(|w| w == "GC" || w == "GR");
            if !fw.vocab.bodies.contains_key(prefix) || !well_formed {
                self.unknown_vocab(g, id, "body");
            }
        }
        for c in charter {
            if !fw.vocab.charter_agenda.contains_key(c.get_ref()) {
                self.unknown_vocab(c, id, "charter_agenda");
            }
        }
        for u in upr {
            if !fw.vocab.upr_themes.contains_key(u.get_ref()) {
                self.unknown_vocab(u, id, "upr_theme");
            }
        }
    }

    /// Checks that need the whole framework: ids, formulas against questions, cycles,
    /// unused questions, kinds per right.
    fn cross_checks(&mut self, fw: &Framework, right_files: &[(usize, String)]) {
        let lang = self.lang;
        // Duplicate and malformed ids, across rights, questions, indicators and rules.
        let mut seen: HashMap<&str, &Loc> = HashMap::new();
        let rights = fw.rights.iter().map(|r| (r.id.as_str(), &r.loc));
        let items = fw
            .questions
            .iter()
            .map(|q| (q.id.as_str(), &q.loc))
            .chain(fw.indicators.iter().map(|i| (i.id.as_str(), &i.loc)))
            .chain(fw.rules.iter().map(|r| (r.id.as_str(), &r.loc)));
        let mut all: Vec<(&str, &Loc, bool)> = rights.map(|(i, l)| (i, l, false)).collect();
        all.extend(items.map(|(i, l)| (i, l, true)));
        all.sort_by_key(|(_, l, _)| (l.file, l.offset));
        for (id, loc, formula_name) in all {
            self.current = loc.file;
            let valid = if formula_name { is_formula_name(id) } else { is_code(id) };
            if !valid {
                self.error(
                    "F-BAD-ID",
                    loc.offset,
                    Some(id),
                    trf(lang, "fw.bad_id", &[("id", &id)]),
                    Some(trf(lang, "fw.hint.bad_id", &[])),
                );
            }
            if let Some(first) = seen.get(id) {
                let msg = trf(
                    lang,
                    "fw.duplicate_id",
                    &[("id", &id), ("first", &fw_locate(&self.files, first))],
                );
                self.error(
                    "F-DUPLICATE-ID",
                    loc.offset,
                    Some(id),
                    msg,
                    Some(trf(lang, "fw.hint.duplicate_id", &[])),
                );
            } else {
                seen.insert(id, loc);
            }
        }
        // Formulas against the questions.
        let kinds: HashMap<&str, QuestionKind> =
            fw.questions.iter().map(|q| (q.id.as_str(), q.qtype.formula_kind())).collect();
        let lookup = |id: &str| kinds.get(id).copied();
        let mut used: HashSet<&str> = HashSet::new();
        let mut checks: Vec<(&str, &'static str, &Formula, bool)> = Vec::new();
        for q in &fw.questions {
            if let Some(f) = &q.relevant {
                checks.push((&q.id, "relevant", f, true));
            }
        }
        for i in &fw.indicators {
            checks.push((&i.id, "formula", &i.formula, true));
        }
        for r in &fw.rules {
            checks.push((&r.id, "left", &r.left, true));
            checks.push((&r.id, "right", &r.right_side, true));
        }
        for (item, role, f, numeric) in checks {
            if f.text.is_empty() {
                continue; // a syntax error, already reported
            }
            used.extend(f.node.questions());
            let errors = if numeric {
                formula::check_numeric(&f.node, &lookup)
            } else {
                formula::check(&f.node, &lookup).1
            };
            for e in errors {
                self.formula_problem(&f.at, &f.text, item, role, &e);
            }
        }
        // Skip-logic cycles.
        let deps: HashMap<&str, Vec<&str>> = fw
            .questions
            .iter()
            .filter_map(|q| q.relevant.as_ref().map(|f| (q.id.as_str(), f.node.questions())))
            .collect();
        let mut reported: HashSet<Vec<&str>> = HashSet::new();
        for q in &fw.questions {
            if let Some(cycle) = find_cycle(&q.id, &deps) {
                let mut key = cycle.clone();
                key.sort();
                if reported.insert(key) {
                    self.current = q.loc.file;
                    let path = cycle.join(" → ");
                    let msg = trf(lang, "fw.cycle", &[("path", &path)]);
                    self.error(
                        "F-CYCLE",
                        q.loc.offset,
                        Some(&q.id),
                        msg,
                        Some(trf(lang, "fw.hint.cycle", &[])),
                    );
                }
            }
        }
        // Questions nobody uses, and rights without every kind of indicator.
        for q in fw.questions.iter().filter(|q| q.right.is_some()) {
            if !used.contains(q.id.as_str()) {
                self.current = q.loc.file;
                self.warn(
                    "F-UNUSED-QUESTION",
                    q.loc.offset,
                    Some(&q.id),
                    trf(lang, "fw.unused_question", &[]),
                    None,
                );
            }
        }
        for (file, right) in right_files {
            self.current = *file;
            let Some(r) = fw.right(right) else { continue };
            for kind in IndicatorKind::ALL {
                if !fw.indicators_of(right).any(|i| i.kind == kind) {
                    let msg = trf(lang, "fw.missing_kind", &[("kind", &kind.name())]);
                    self.warn("F-KINDS", r.loc.offset, Some(right), msg, None);
                }
            }
        }
        self.problems.sort();
    }
}

fn fw_locate(files: &[SourceFile], loc: &Loc) -> String {
    files
        .get(loc.file)
        .map_or_else(|| "?".into(), |f| format!("{}:{}", f.name, f.line_col(loc.offset).0))
}

fn plain(v: &[S<String>]) -> Vec<String> {
    v.iter().map(|s| s.get_ref().clone()).collect()
}

/// Lowercase ASCII letters, digits and `_`, starting with a letter: ids of rights and codes.
fn is_code(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A name formulas can mention: an identifier that is not a keyword or function.
fn is_formula_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !["and", "or", "not"].contains(&s)
        && Func::from_name(s).is_none()
}

/// `11.1.1`, `6.b.1`, `5.5.1(b)`: goal 1–17, target, indicator.
fn is_sdg_code(s: &str) -> bool {
    let core = s.split('(').next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    let goal_ok =
        parts.first().and_then(|g| g.parse::<u32>().ok()).is_some_and(|g| (1..=17).contains(&g));
    let suffix_ok = match s.find('(') {
        None => true,
        Some(i) => {
            s.ends_with(')')
                && s[i + 1..s.len() - 1]
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        }
    };
    parts.len() == 3
        && goal_ok
        && !parts[1].is_empty()
        && parts[1].chars().all(|c| c.is_ascii_alphanumeric())
        && parts[2].parse::<u32>().is_ok()
        && suffix_ok
}

/// A cycle of skip logic through `start`, as the path `start → … → start`.
fn find_cycle<'a>(start: &'a str, deps: &HashMap<&'a str, Vec<&'a str>>) -> Option<Vec<&'a str>> {
    fn dfs<'a>(
        node: &'a str,
        start: &'a str,
        deps: &HashMap<&'a str, Vec<&'a str>>,
        path: &mut Vec<&'a str>,
        seen: &mut HashSet<&'a str>,
    ) -> bool {
        for &next in deps.get(node).map(Vec::as_slice).unwrap_or(&[]) {
            if next == start {
                path.push(next);
                return true;
            }
            if seen.insert(next) {
                path.push(next);
                if dfs(next, start, deps, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start];
    let mut seen = HashSet::new();
    dfs(start, start, deps, &mut path, &mut seen).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_sdg_codes() {
        for ok in ["11.1.1", "6.b.1", "5.5.1(b)", "16.10.2", "1.4.1"] {
            assert!(is_sdg_code(ok), "{ok}");
        }
        for bad in ["11.1", "18.1.1", "0.1.1", "11.1.x", "SDG 11.1.1", "5.5.1(b", ""] {
            assert!(!is_sdg_code(bad), "{bad}");
        }
    }

    const META: &str = r#"
id = "t"
version = "1"
languages = ["en", "es", "fr"]
title = { en = "T", es = "T", fr = "T" }
description = { en = "T", es = "T", fr = "T" }
[unit.percent]
format = "percent"
en = "%"
es = "%"
fr = "%"
[unit.yes_no]
format = "yes_no"
en = "yes/no"
es = "sí/no"
fr = "oui/non"
[treaty.ICESCR]
body = "CESCR"
en = "x"
es = "x"
fr = "x"
"#;

    const RIGHT: &str = r#"
[right]
id = "r"
order = 1
title = { en = "R", es = "R", fr = "R" }
summary = { en = "R", es = "R", fr = "R" }

[[question]]
id = "A"
type = "yes_no"
text = { en = "A", es = "A", fr = "A" }
help = { en = "A", es = "A", fr = "A" }
relevant = "B = 1"

[[question]]
id = "B"
type = "yes_no"
text = { en = "B", es = "B", fr = "B" }
help = { en = "B", es = "B", fr = "B" }
relevant = "A = 1"

[[question]]
id = "C"
type = "choice"
text = { en = "C", es = "C", fr = "C" }
help = { en = "C", es = "C", fr = "C" }
choices = [
  { code = "one", label = { en = "One", es = "Uno", fr = "Un" } },
  { code = "two", label = { en = "Two", es = "UNO", fr = "Deux" } },
  { code = "one", label = { en = "Other", es = "Otro", fr = "Autre" } },
]

[[indicator]]
id = "I1"
title = { en = "I", es = "I", fr = "I" }
kind = "outcome"
formula = "pct(A, B)"
unit = "percent"
direction = "higher_is_better"
goalposts = { lo = 100, hi = 0 }
treaty = ["ICESCR art. 11"]
source = "s"

[[indicator]]
id = "I2"
title = { en = "I", es = "I", fr = "I" }
kind = "structural"
formula = "C = \"two\""
unit = "yes_no"
direction = "lower_is_better"
goalposts = { lo = 0, hi = 1 }
target = 1
sdg = ["11.1.1"]
source = "s"
"#;

    fn problems(files: &[(&str, &str)]) -> Vec<(String, &'static str, usize)> {
        let files = files
            .iter()
            .map(|(n, t)| SourceFile { name: n.to_string(), text: t.to_string() })
            .collect();
        let loaded = load_sources(files, Lang::En);
        loaded.problems.iter().map(|p| (p.file.clone(), p.code, p.line)).collect()
    }

    #[test]
    fn finds_cycles_clashes_and_contradicting_goalposts() {
        let found = problems(&[("framework.toml", META), ("r.toml", RIGHT)]);
        let codes: Vec<&str> = found.iter().map(|p| p.1).collect();
        assert!(codes.contains(&"F-CYCLE"), "{found:?}");
        assert_eq!(codes.iter().filter(|c| **c == "F-CHOICE-CLASH").count(), 2, "{found:?}");
        assert_eq!(codes.iter().filter(|c| **c == "F-GOALPOSTS").count(), 2, "{found:?}");
        assert!(codes.contains(&"F-KINDS"), "no process indicator: {found:?}");
        // the label clash is on the line of the second choice
        assert!(found.contains(&("r.toml".into(), "F-CHOICE-CLASH", 29)), "{found:?}");
    }

    #[test]
    fn reports_toml_errors_with_their_line_and_goes_on() {
        let broken = "[right]\nid = \"x\"\norder = \"first\"\n";
        let found = problems(&[("framework.toml", META), ("r.toml", RIGHT), ("x.toml", broken)]);
        assert!(found.contains(&("x.toml".into(), "F-TOML", 3)), "{found:?}");
        assert!(found.iter().any(|p| p.0 == "r.toml"), "the other files are still checked");
        let found = problems(&[("r.toml", RIGHT)]);
        assert!(found.iter().any(|p| p.1 == "F-META"), "{found:?}");
    }

    #[test]
    fn ids_are_formula_names() {
        assert!(is_formula_name("HOU_Q01"));
        assert!(is_formula_name("population"));
        assert!(!is_formula_name("count"));
        assert!(!is_formula_name("and"));
        assert!(!is_formula_name("1abc"));
        assert!(!is_formula_name("a-b"));
    }
}
