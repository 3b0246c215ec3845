//! The checks of a framework beyond its syntax: questions, indicators, their mappings to
//! the mechanisms, and what only shows across files (duplicate ids, cycles, references).

use super::*;

impl Cx {
    pub(super) fn question_checks(&mut self, raw: &RawQuestion, q: &Question) {
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

    pub(super) fn indicator_checks(&mut self, raw: &RawFile, fw: &Framework) {
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
            if r.sdg.is_empty()
                && r.sdg_related.is_empty()
                && r.sdg_when.is_empty()
                && r.treaty.is_empty()
            {
                self.error("F-NO-MAPPING", at, Some(id), trf(lang, "fw.no_mapping", &[]), None);
            }
            if r.source.as_ref().is_none_or(|s| s.get_ref().is_blank()) {
                self.warn("F-NO-SOURCE", at, Some(id), trf(lang, "fw.no_source", &[]), None);
            }
            let when: Vec<S<String>> =
                r.sdg_when.iter().map(|w| w.get_ref().code.clone()).collect();
            let related: Vec<S<String>> =
                r.sdg.iter().chain(&r.sdg_related).chain(&when).cloned().collect();
            self.mappings(
                id,
                &related,
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
    pub(super) fn mappings(
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
    pub(super) fn cross_checks(&mut self, fw: &Framework, right_files: &[(usize, String)]) {
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
            if let Some(f) = q.asked_before.as_ref().and_then(|a| a.relevant.as_ref()) {
                checks.push((&q.id, "asked_before", f, true));
            }
        }
        for i in &fw.indicators {
            checks.push((&i.id, "formula", &i.formula, true));
            for w in &i.sdg_when {
                checks.push((&i.id, "sdg_when", &w.when, true));
            }
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
        // Text answers are evidence for reports (sources, a government's own words), never
        // a formula's input.
        let unused = |q: &&Question| q.right.is_some() && q.qtype != QuestionType::Text;
        for q in fw.questions.iter().filter(unused) {
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
        // Charter-Agenda articles that a right says it covers, measured by fewer than two
        // indicators.
        if !right_files.is_empty() {
            let meta = self.files.iter().position(|f| f.name == "framework.toml");
            let claimed = |a: &String| fw.rights.iter().any(|r| r.charter_agenda.contains(a));
            for article in fw.vocab.charter_agenda.keys().filter(|a| claimed(a)) {
                let n = fw.indicators.iter().filter(|i| i.charter_agenda.contains(article)).count();
                if n < 2 {
                    let header = format!("[charter_agenda.{article}]");
                    let (file, offset) = meta
                        .map(|m| (m, self.files[m].text.find(&header).unwrap_or(0)))
                        .unwrap_or((right_files[0].0, 0));
                    self.current = file;
                    let msg = trf(lang, "fw.thin_article", &[("article", article), ("count", &n)]);
                    self.warn("F-COVERAGE", offset, Some(article), msg, None);
                }
            }
        }
        // Derived questions: one kind, integer counts, never typed in a sheet.
        for q in fw.questions.iter().filter(|q| !q.on_sheet()) {
            self.current = q.loc.file;
            let kind = q.derived.as_deref().unwrap_or("");
            if kind != "recommendations" {
                let msg = trf(lang, "fw.bad_derived", &[("found", &kind)]);
                self.error("F-DERIVED", q.loc.offset, Some(&q.id), msg, None);
            } else if q.qtype != QuestionType::Integer || q.relevant.is_some() || q.required {
                let msg = trf(lang, "fw.derived_shape", &[]);
                self.error("F-DERIVED", q.loc.offset, Some(&q.id), msg, None);
            }
        }
        // Plausibility ranges: a range that can hold a value, a positive yearly change, a
        // divisor that is a question (for questions only), a source; a dating question
        // that gives a year.
        let ranges = fw
            .questions
            .iter()
            .map(|q| (&q.id, (q.loc.file, q.loc.offset), q.plausible.as_ref(), true))
            .chain(
                fw.indicators
                    .iter()
                    .map(|i| (&i.id, (i.loc.file, i.loc.offset), i.plausible.as_ref(), false)),
            );
        for (id, (file, offset), p, question) in ranges {
            let Some(p) = p else { continue };
            self.current = file;
            let mut bad = |key: &str, args: &[(&str, &dyn std::fmt::Display)]| {
                self.error("F-PLAUSIBLE", offset, Some(id), trf(lang, key, args), None);
            };
            if let (Some(lo), Some(hi)) = (p.lo, p.hi) {
                if lo >= hi {
                    bad("fw.plausible_range", &[("lo", &lo), ("hi", &hi)]);
                }
            }
            if p.jump.is_some_and(|j| j <= 0.0) || p.scale <= 0.0 {
                bad("fw.plausible_positive", &[]);
            }
            match (&p.per, question) {
                (Some(per), true) if fw.question(per).is_none() => {
                    bad("fw.plausible_per", &[("per", per)]);
                }
                (Some(per), false) => bad("fw.plausible_per", &[("per", per)]),
                _ => {}
            }
            if p.lo.is_none() && p.hi.is_none() && p.jump.is_none() {
                bad("fw.plausible_empty", &[]);
            }
            if p.source.trim().is_empty() {
                let msg = trf(lang, "fw.plausible_source", &[]);
                self.warn("F-PLAUSIBLE", offset, Some(id), msg, None);
            }
        }
        // A question's `competence` is a choice of the profile's `competences` question.
        let held: Vec<&str> = fw
            .question(COMPETENCES)
            .map(|c| c.choices.iter().map(|x| x.code.as_str()).collect())
            .unwrap_or_default();
        for q in &fw.questions {
            let Some(c) = &q.competence else { continue };
            if !held.contains(&c.as_str()) {
                self.current = q.loc.file;
                let msg = trf(lang, "fw.competence", &[("code", c), ("known", &held.join(", "))]);
                self.error("F-COMPETENCE", q.loc.offset, Some(&q.id), msg, None);
            }
        }
        for q in &fw.questions {
            let Some(by) = &q.dated_by else { continue };
            let year = fw
                .question(by)
                .is_some_and(|d| matches!(d.qtype, QuestionType::Year | QuestionType::Date));
            if !year || by == &q.id {
                self.current = q.loc.file;
                let msg = trf(lang, "fw.dated_by", &[("by", by)]);
                self.error("F-PLAUSIBLE", q.loc.offset, Some(&q.id), msg, None);
            }
        }
        // The UHRI crosswalk: each theme once, to rights and indicators that exist; a right
        // no theme reaches only gets recommendations through SDG targets.
        let mut themes: HashMap<String, &str> = HashMap::new();
        for t in &fw.vocab.uhri_themes {
            self.current = t.loc.file;
            let key = theme_key(&t.name);
            if let Some(first) = themes.insert(key, &t.name) {
                let msg = trf(lang, "fw.uhri_duplicate", &[("name", &t.name), ("first", &first)]);
                self.error("F-CROSSWALK", t.loc.offset, Some(&t.name), msg, None);
            }
            if t.rights.is_empty() {
                let msg = trf(lang, "fw.uhri_no_right", &[("name", &t.name)]);
                self.error("F-CROSSWALK", t.loc.offset, Some(&t.name), msg, None);
            }
            for r in t.rights.iter().filter(|r| fw.right(r).is_none()) {
                let msg = trf(lang, "fw.uhri_unknown_right", &[("name", &t.name), ("id", r)]);
                self.error("F-CROSSWALK", t.loc.offset, Some(&t.name), msg, None);
            }
            for i in &t.indicators {
                match fw.indicator(i) {
                    None => {
                        let msg =
                            trf(lang, "fw.uhri_unknown_indicator", &[("name", &t.name), ("id", i)]);
                        self.error("F-CROSSWALK", t.loc.offset, Some(&t.name), msg, None);
                    }
                    Some(ind) if !t.rights.contains(&ind.right) => {
                        let msg = trf(
                            lang,
                            "fw.uhri_other_right",
                            &[("name", &t.name), ("id", i), ("right", &ind.right)],
                        );
                        self.warn("F-CROSSWALK", t.loc.offset, Some(&t.name), msg, None);
                    }
                    Some(_) => {}
                }
            }
        }
        if !fw.vocab.uhri_themes.is_empty() {
            for r in &fw.rights {
                if !fw.vocab.uhri_themes.iter().any(|t| t.rights.contains(&r.id)) {
                    self.current = r.loc.file;
                    let msg = trf(lang, "fw.uhri_unreached", &[("right", &r.id)]);
                    self.warn("F-CROSSWALK", r.loc.offset, Some(&r.id), msg, None);
                }
            }
        }
        // Versions: `since` and `changed` name a version no newer than the framework's, and
        // a return's template must be able to tell new items from old ones.
        let mut versioned: Vec<(&str, &Loc, Vec<&str>)> = Vec::new();
        for q in &fw.questions {
            let mut v: Vec<&str> = q.since.iter().map(String::as_str).collect();
            v.extend(q.changed.iter().map(|c| c.version.as_str()));
            v.extend(q.asked_before.iter().map(|a| a.version.as_str()));
            versioned.push((&q.id, &q.loc, v));
        }
        for i in &fw.indicators {
            let mut v: Vec<&str> = i.since.iter().map(String::as_str).collect();
            v.extend(i.changed.iter().map(|c| c.version.as_str()));
            versioned.push((&i.id, &i.loc, v));
        }
        for (id, loc, versions) in versioned {
            for v in versions {
                let bad = !fw.versions.iter().any(|known| known == v);
                if bad {
                    self.current = loc.file;
                    let msg =
                        trf(lang, "fw.bad_version", &[("version", &v), ("current", &fw.version)]);
                    self.error("F-VERSION", loc.offset, Some(id), msg, None);
                }
            }
        }
        // An indicator newer than its questions is fine; one older than a question it uses
        // would be computed from answers its returns were never asked.
        for i in &fw.indicators {
            for q in i.formula.node.questions() {
                let Some(q) = fw.question(q) else { continue };
                if let Some(since) = &q.since {
                    if i.since.as_ref().is_none_or(|s| version_lt(s, since)) {
                        self.current = i.loc.file;
                        let msg = trf(
                            lang,
                            "fw.older_than_question",
                            &[("question", &q.id), ("since", since)],
                        );
                        self.error("F-VERSION", i.loc.offset, Some(&i.id), msg, None);
                    }
                }
            }
        }
        self.problems.sort();
    }
}
