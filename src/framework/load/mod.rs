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

mod check;
mod raw;

use raw::*;

type S<T> = Spanned<T>;

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
        versions: Vec::new(),
        title: Text::default(),
        description: Text::default(),
        vocab: Vocabularies::default(),
        left_behind: LeftBehind::default(),
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

    /// Converts a `source`: a table like any text, or one string (frameworks before 2026.4),
    /// which is read as English in every language, with a warning for each missing one.
    fn source(&mut self, raw: Option<&S<RawSource>>, item: &str) -> Text {
        let Some(raw) = raw else { return Text::default() };
        let offset = raw.span().start;
        match raw.get_ref() {
            RawSource::Text(t) => self.text3(offset, item, "source", [&t.en, &t.es, &t.fr]),
            RawSource::English(en) => {
                if !en.trim().is_empty() {
                    for lang in [Lang::Es, Lang::Fr] {
                        let msg = trf(
                            self.lang,
                            "fw.missing_translation",
                            &[("lang", &lang), ("field", &"source")],
                        );
                        let hint = trf(self.lang, "fw.hint.source_english", &[]);
                        self.warn("F-MISSING-TRANSLATION", offset, Some(item), msg, Some(hint));
                    }
                }
                Text { en: en.clone(), es: en.clone(), fr: en.clone() }
            }
        }
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
        fw.version = meta.version.clone();
        // The versions whose templates returns may come from: released ones, oldest first,
        // ending with this one.
        match &meta.versions {
            None => fw.versions = vec![fw.version.clone()],
            Some(list) => {
                fw.versions = list.get_ref().clone();
                let ordered = fw.versions.windows(2).all(|w| version_lt(&w[0], &w[1]));
                let valid = fw.versions.iter().all(|v| is_version(v));
                if !valid || !ordered || fw.versions.last() != Some(&fw.version) {
                    let msg = trf(
                        self.lang,
                        "fw.bad_versions",
                        &[("list", &fw.versions.join(", ")), ("version", &fw.version)],
                    );
                    self.error("F-VERSION", list.span().start, None, msg, None);
                }
            }
        }
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
            let one = r.one.as_ref().map(|o| self.text(o, code, "unit one"));
            fw.vocab.units.insert(code.clone(), Unit { format, label, one });
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
        for raw in &meta.uhri_theme {
            let r = raw.get_ref();
            let name = r.name.get_ref().trim().to_string();
            let label = self.text3(raw.span().start, &name, "uhri_theme", [&r.en, &r.es, &r.fr]);
            fw.vocab.uhri_themes.push(UhriTheme {
                label,
                rights: plain(&r.rights),
                indicators: plain(&r.indicators),
                loc: Loc { file: self.current, offset: raw.span().start },
                name,
            });
        }
        self.dimensions(&meta, fw);
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
                source: self.source(r.source.as_ref(), &id),
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
                since: q.since.as_ref().map(|v| v.get_ref().clone()),
                changed: q.changed.as_ref().map(|c| self.change(c, &id)),
                asked_before: q.asked_before.as_ref().map(|a| {
                    let a = a.get_ref();
                    let relevant = a.relevant.get_ref();
                    AskedBefore {
                        version: a.version.get_ref().clone(),
                        relevant: (!relevant.trim().is_empty())
                            .then(|| self.formula(&a.relevant, &id, "asked_before")),
                    }
                }),
                derived: q.derived.as_ref().map(|d| d.get_ref().clone()),
                plausible: q.plausible.as_ref().map(|p| p.get_ref().clone()),
                dated_by: q.dated_by.as_ref().map(|d| d.get_ref().clone()),
                competence: q.competence.as_ref().map(|c| c.get_ref().clone()),
                personal: q.personal,
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
                    sdg_related: plain(&r.sdg_related),
                    sdg_when: r
                        .sdg_when
                        .iter()
                        .map(|w| {
                            let w = w.get_ref();
                            SdgWhen {
                                code: w.code.get_ref().clone(),
                                when: self.formula(&w.when, &id, "sdg_when"),
                            }
                        })
                        .collect(),
                    treaty: plain(&r.treaty),
                    general_comment: plain(&r.general_comment),
                    charter_agenda: plain(&r.charter_agenda),
                    upr_themes: plain(&r.upr_themes),
                    source: self.source(r.source.as_ref(), &id),
                    since: r.since.as_ref().map(|v| v.get_ref().clone()),
                    changed: r.changed.as_ref().map(|c| self.change(c, &id)),
                    plausible: r.plausible.as_ref().map(|p| p.get_ref().clone()),
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

    /// The dimensions of `[disaggregation.*]`, checked: each has categories with a
    /// reference among them, or is named by each city; and the left-behind threshold.
    fn dimensions(&mut self, meta: &RawMeta, fw: &mut Framework) {
        if let Some(lb) = &meta.left_behind {
            let r = lb.get_ref();
            if !(r.relative > 0.0 && r.relative < 1.0 && r.points > 0.0 && r.points < 100.0) {
                let msg = trf(self.lang, "fw.bad_left_behind", &[]);
                self.error("F-DIMENSION", lb.span().start, None, msg, None);
            }
            fw.left_behind = LeftBehind { relative: r.relative, points: r.points };
        }
        for (code, raw) in &meta.disaggregation {
            let r = raw.get_ref();
            let at = raw.span().start;
            let label = self.text3(at, code, "disaggregation", [&r.en, &r.es, &r.fr]);
            let mut categories: Vec<Choice> = Vec::new();
            for c in &r.categories {
                let cr = c.get_ref();
                let cat = cr.code.get_ref();
                if categories.iter().any(|x| &x.code == cat) {
                    let msg = trf(self.lang, "fw.duplicate_category", &[("code", cat)]);
                    self.error("F-DIMENSION", cr.code.span().start, Some(code), msg, None);
                }
                let label = self.text(&cr.label, code, "category label");
                categories.push(Choice { code: cat.clone(), label });
            }
            let reference = r.reference.as_ref().map(|x| x.get_ref().clone());
            // A dimension with neither categories nor city-named ones (a framework written
            // before breakdowns existed) is only a label: it is not offered for breakdowns.
            if !r.city_named && categories.is_empty() && reference.is_none() {
                let msg = trf(self.lang, "fw.dimension_label_only", &[("dimension", code)]);
                self.warn("F-DIMENSION", at, Some(code), msg, None);
            }
            let problem = match (r.city_named, categories.len(), &reference) {
                (true, 0, None) => None,
                (true, _, _) => Some("fw.dimension_city_named"),
                (false, 0, None) => None,
                (false, n, _) if n < 2 => Some("fw.dimension_categories"),
                // Without a reference, groups are compared with the total.
                (false, _, Some(x)) if !categories.iter().any(|c| &c.code == x) => {
                    Some("fw.dimension_reference")
                }
                _ => None,
            };
            if let Some(key) = problem {
                let msg = trf(self.lang, key, &[("dimension", code)]);
                self.error("F-DIMENSION", at, Some(code), msg, None);
            }
            let dimension = Dimension {
                id: code.clone(),
                label,
                categories,
                reference,
                city_named: r.city_named,
                rows: r.rows.unwrap_or(6).clamp(1, 50),
            };
            fw.vocab.disaggregations.insert(code.clone(), dimension);
        }
    }

    fn change(&mut self, raw: &S<RawChange>, item: &str) -> Change {
        let c = raw.get_ref();
        Change { version: c.version.get_ref().clone(), what: self.text(&c.what, item, "changed") }
    }

    fn unknown_vocab(&mut self, value: &S<String>, item: &str, vocab: &str) {
        let msg =
            trf(self.lang, "fw.unknown_vocab", &[("vocab", &vocab), ("value", value.get_ref())]);
        let hint = trf(self.lang, "fw.hint.vocab", &[("vocab", &vocab)]);
        self.error("F-UNKNOWN-VOCAB", value.span().start, Some(item), msg, Some(hint));
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
    fn a_source_is_a_text_in_three_languages() {
        let load = |source: &str| {
            let right = RIGHT.replace("source = \"s\"\n", &format!("source = {source}\n"));
            load_sources(
                vec![
                    SourceFile { name: "framework.toml".into(), text: META.into() },
                    SourceFile { name: "r.toml".into(), text: right },
                ],
                Lang::En,
            )
        };
        let translations = |loaded: &Loaded| -> Vec<Severity> {
            let problems = loaded.problems.iter();
            problems.filter(|p| p.code == "F-MISSING-TRANSLATION").map(|p| p.severity).collect()
        };
        let loaded = load(r#"{ en = "Our source", es = "Fuente", fr = "Source" }"#);
        assert_eq!(loaded.framework.indicator("I1").expect("I1").source.get(Lang::Es), "Fuente");
        assert!(translations(&loaded).is_empty());
        // A table without one language is an error, like any other text (both indicators).
        let loaded = load(r#"{ en = "Our source", es = "Fuente" }"#);
        assert_eq!(translations(&loaded), [Severity::Error; 2]);
        // One string, as before 2026.4, is read as English, with a warning per language.
        let loaded = load("\"s\"");
        assert_eq!(translations(&loaded), [Severity::Warning; 4]);
        assert_eq!(loaded.framework.indicator("I2").expect("I2").source.fr, "s");
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
