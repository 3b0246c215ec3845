//! `hrcities framework …`: check, list, show and export the indicator framework.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::{json, Value};

use super::{Format, GlobalArgs, Outcome};
use crate::framework::{Framework, Indicator, Question, Right, Rule, Text};
use crate::i18n::{tr, treaty_ref, trf, Lang};

/// Inspect, check and export the indicator framework.
///
/// The framework is the list of rights, questions, indicators and consistency rules that
/// the questionnaire and the reports are built from. hrcities carries a default one; a
/// campaign can copy it, change it, and use it with --framework DIR.
///
/// Examples:
///   hrcities framework check my-framework/
///   hrcities framework list --lang es
///   hrcities framework show HOU_I01
///   hrcities framework export --format csv -o indicators.csv
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(subcommand)]
    pub command: Sub,
}

#[derive(Debug, clap::Subcommand)]
pub enum Sub {
    /// Report every problem of a framework at once, with file:line; exit 1 if any error.
    ///
    /// Checks: TOML syntax and fields, duplicate or malformed ids, missing en/es/fr
    /// texts, formula syntax (with the column), unknown questions in formulas, rules
    /// and skip logic, skip-logic cycles, goalposts that contradict the direction, choice
    /// codes or labels that clash, unknown units and mappings.
    ///
    /// Example: hrcities framework check indicators/
    #[command(verbatim_doc_comment)]
    Check {
        /// The framework folder (default: --framework, or the built-in framework).
        dir: Option<PathBuf>,
    },
    /// List the rights and their indicators (kind, unit, mechanisms).
    ///
    /// Example: hrcities framework list --lang fr --format json
    #[command(verbatim_doc_comment)]
    List,
    /// Show everything about one right, question, indicator or rule.
    ///
    /// Example: hrcities framework show WAT_I02
    #[command(verbatim_doc_comment)]
    Show {
        /// The id, e.g. housing, HOU_Q01, HOU_I01 or WAT_R01.
        id: String,
    },
    /// Write one row per indicator with all its mappings (the methodology annex).
    ///
    /// The format is --format csv|json, or taken from the file extension.
    ///
    /// Example: hrcities framework export --format csv -o indicators.csv
    #[command(verbatim_doc_comment)]
    Export {
        /// The file to write.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
}

/// Runs `hrcities framework …`.
pub fn run(args: &Args, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    match &args.command {
        Sub::Check { dir } => check(dir.as_ref(), global),
        Sub::List => list(&global.framework()?, global),
        Sub::Show { id } => show(&global.framework()?, id, global),
        Sub::Export { output } => export(&global.framework()?, output, global),
    }
}

fn check(dir: Option<&PathBuf>, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let lang = global.lang();
    let loaded = match dir {
        Some(dir) => crate::framework::load_dir(dir, lang)?,
        None => global.load_framework()?,
    };
    let (fw, problems) = (&loaded.framework, &loaded.problems);
    if global.format == Format::Json {
        let out = json!({
            "framework": { "id": fw.id, "version": fw.version },
            "errors": problems.errors(),
            "warnings": problems.warnings(),
            "problems": problems,
        });
        outln!("{}", serde_json::to_string_pretty(&out)?)?;
    } else {
        if !global.quiet || problems.errors() > 0 {
            out!("{}", problems.render(lang))?;
        }
        if !global.quiet {
            let summary = trf(
                lang,
                "cli.check_summary",
                &[
                    ("id", &fw.id),
                    ("version", &fw.version),
                    ("rights", &fw.rights.len()),
                    ("indicators", &fw.indicators.len()),
                    ("questions", &fw.questions.len()),
                    ("rules", &fw.rules.len()),
                    ("errors", &problems.errors()),
                    ("warnings", &problems.warnings()),
                ],
            );
            outln!("{summary}")?;
        }
    }
    Ok(if problems.errors() > 0 { Outcome::Failure } else { Outcome::Success })
}

fn list(fw: &Framework, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let lang = global.lang();
    if global.format == Format::Json {
        let rights: Vec<Value> = fw
            .rights
            .iter()
            .map(|r| {
                let indicators: Vec<Value> = fw
                    .indicators_of(&r.id)
                    .map(|i| {
                        json!({
                            "id": i.id,
                            "title": i.title,
                            "kind": i.kind,
                            "attribute": i.attribute,
                            "unit": i.unit,
                            "unit_label": fw.vocab.units.get(&i.unit).map(|u| &u.label),
                            "direction": i.direction,
                            "sdg": i.sdg,
                            "sdg_related": i.sdg_related,
                            "sdg_when": i.sdg_when,
                            "treaty": i.treaty,
                            "general_comment": i.general_comment,
                            "charter_agenda": i.charter_agenda,
                            "upr_themes": i.upr_themes,
                            "since": i.since,
                            "changed": i.changed,
                        })
                    })
                    .collect();
                json!({
                    "id": r.id,
                    "order": r.order,
                    "title": r.title,
                    "summary": r.summary,
                    "charter_agenda": r.charter_agenda,
                    "treaty": r.treaty,
                    "general_comment": r.general_comment,
                    "questions": fw.questions_of(Some(&r.id)).count(),
                    "indicators": indicators,
                })
            })
            .collect();
        let out = json!({
            "framework": { "id": fw.id, "version": fw.version, "title": fw.title },
            "rights": rights,
        });
        outln!("{}", serde_json::to_string_pretty(&out)?)?;
        return Ok(Outcome::Success);
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({} {})\n{}",
        fw.title.get(lang),
        fw.id,
        fw.version,
        trf(
            lang,
            "cli.list_counts",
            &[
                ("rights", &fw.rights.len()),
                ("indicators", &fw.indicators.len()),
                ("questions", &fw.questions.len())
            ]
        )
    );
    for (n, r) in fw.rights.iter().enumerate() {
        let _ = writeln!(out, "\n{}. {} [{}]", n + 1, r.title.get(lang), r.id);
        let mut refs: Vec<String> = r.charter_agenda.iter().map(|c| format!("CA {c}")).collect();
        refs.extend(r.treaty.iter().chain(&r.general_comment).map(|t| treaty_ref(t, lang)));
        if !refs.is_empty() {
            let _ = writeln!(out, "   {}", refs.join(" · "));
        }
        for i in fw.indicators_of(&r.id) {
            let kind = fw.vocab.kinds.get(i.kind.name()).map_or(i.kind.name(), |t| t.get(lang));
            let _ = writeln!(
                out,
                "   {:<8} {:<13} {:<24} {}",
                i.id,
                kind,
                fw.unit_label(&i.unit, lang),
                i.title.get(lang)
            );
            let _ =
                writeln!(out, "   {:<8} {:<13} {:<24} {}", "", "", "", i.mechanisms(lang, true));
        }
    }
    out!("{out}")?;
    Ok(Outcome::Success)
}

fn show(fw: &Framework, id: &str, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let lang = global.lang();
    let json = global.format == Format::Json;
    let text = if let Some(r) = fw.right(id) {
        if json {
            serde_json::to_string_pretty(r)?
        } else {
            show_right(fw, r, lang)
        }
    } else if let Some(q) = fw.question(id) {
        if json {
            serde_json::to_string_pretty(q)?
        } else {
            show_question(fw, q, lang)
        }
    } else if let Some(i) = fw.indicator(id) {
        if json {
            serde_json::to_string_pretty(i)?
        } else {
            show_indicator(fw, i, lang)
        }
    } else if let Some(r) = fw.rules.iter().find(|r| r.id == id) {
        if json {
            serde_json::to_string_pretty(r)?
        } else {
            show_rule(fw, r, lang)
        }
    } else {
        let close: Vec<&str> = fw
            .rights
            .iter()
            .map(|r| r.id.as_str())
            .chain(fw.questions.iter().map(|q| q.id.as_str()))
            .chain(fw.indicators.iter().map(|i| i.id.as_str()))
            .chain(fw.rules.iter().map(|r| r.id.as_str()))
            .filter(|other| other.eq_ignore_ascii_case(id) || other.starts_with(id))
            .take(5)
            .collect();
        let mut msg = trf(lang, "cli.unknown_id", &[("id", &id)]);
        if !close.is_empty() {
            msg.push_str(&trf(lang, "cli.did_you_mean", &[("ids", &close.join(", "))]));
        }
        anyhow::bail!(msg);
    };
    outln!("{text}")?;
    Ok(Outcome::Success)
}

fn field(out: &mut String, lang: Lang, key: &str, value: impl std::fmt::Display) {
    let value = value.to_string();
    if !value.is_empty() {
        let _ = writeln!(out, "  {:<18} {value}", tr(lang, &format!("field.{key}")));
    }
}

fn texts(out: &mut String, lang: Lang, key: &str, t: &Text) {
    let _ = writeln!(out, "  {}", tr(lang, &format!("field.{key}")));
    for l in Lang::ALL {
        let _ = writeln!(out, "    {l}: {}", t.get(l));
    }
}

fn show_right(fw: &Framework, r: &Right, lang: Lang) -> String {
    let mut out = format!("{} [{}] — {}\n", r.title.get(lang), r.id, fw.locate(&r.loc));
    texts(&mut out, lang, "title", &r.title);
    texts(&mut out, lang, "summary", &r.summary);
    field(
        &mut out,
        lang,
        "charter_agenda",
        r.charter_agenda
            .iter()
            .map(|c| {
                let title = fw.vocab.charter_agenda.get(c).map_or("", |t| t.get(lang));
                format!("{c} ({title})")
            })
            .collect::<Vec<_>>()
            .join("; "),
    );
    field(&mut out, lang, "treaty", r.treaty.join("; "));
    field(&mut out, lang, "general_comment", r.general_comment.join("; "));
    field(&mut out, lang, "source", r.source.get(lang));
    let attrs: Vec<String> =
        r.attributes.iter().map(|a| format!("{} ({})", a.title.get(lang), a.id)).collect();
    field(&mut out, lang, "attributes", attrs.join("; "));
    let qs: Vec<&str> = fw.questions_of(Some(&r.id)).map(|q| q.id.as_str()).collect();
    field(&mut out, lang, "questions", qs.join(", "));
    let is: Vec<String> =
        fw.indicators_of(&r.id).map(|i| format!("{} ({})", i.id, i.kind.name())).collect();
    field(&mut out, lang, "indicators", is.join(", "));
    out
}

fn show_question(fw: &Framework, q: &Question, lang: Lang) -> String {
    let mut out = format!("{} — {}\n", q.id, fw.locate(&q.loc));
    texts(&mut out, lang, "text", &q.text);
    if let Some(h) = &q.help {
        texts(&mut out, lang, "help", h);
    }
    field(&mut out, lang, "right", q.right.as_deref().unwrap_or("profile"));
    field(&mut out, lang, "attribute", q.attribute.as_deref().unwrap_or(""));
    field(&mut out, lang, "type", q.qtype.name());
    field(
        &mut out,
        lang,
        "required",
        if q.required { tr(lang, "word.yes") } else { tr(lang, "word.no") },
    );
    field(&mut out, lang, "unit", q.unit.as_deref().map_or("", |u| fw.unit_label(u, lang)));
    let range = match (q.min, q.max) {
        (None, None) => String::new(),
        (lo, hi) => format!(
            "{} – {}",
            lo.map_or("…".into(), |v| v.to_string()),
            hi.map_or("…".into(), |v| v.to_string())
        ),
    };
    field(&mut out, lang, "range", range);
    field(&mut out, lang, "relevant", q.relevant.as_ref().map_or("", |f| f.text.as_str()));
    if let Some(b) = &q.asked_before {
        let before = b.relevant.as_ref().map_or("—", |f| f.text.as_str());
        field(&mut out, lang, "relevant", format!("{before} (< {})", b.version));
    }
    if let Some(v) = &q.since {
        field(&mut out, lang, "since", v);
    }
    if let Some(c) = &q.changed {
        field(&mut out, lang, "changed", format!("{}: {}", c.version, c.what.get(lang)));
    }
    field(&mut out, lang, "disaggregation", q.disaggregation.join(", "));
    for c in &q.choices {
        field(&mut out, lang, "choice", format!("{} — {}", c.code, c.label.get(lang)));
    }
    let used_by: Vec<&str> = fw
        .indicators
        .iter()
        .filter(|i| i.formula.node.questions().contains(&q.id.as_str()))
        .map(|i| i.id.as_str())
        .collect();
    field(&mut out, lang, "used_by", used_by.join(", "));
    out
}

fn show_indicator(fw: &Framework, i: &Indicator, lang: Lang) -> String {
    let mut out = format!("{} — {}\n", i.id, fw.locate(&i.loc));
    texts(&mut out, lang, "title", &i.title);
    if let Some(d) = &i.definition {
        texts(&mut out, lang, "definition", d);
    }
    field(&mut out, lang, "right", &i.right);
    field(
        &mut out,
        lang,
        "kind",
        fw.vocab.kinds.get(i.kind.name()).map_or(i.kind.name(), |t| t.get(lang)),
    );
    field(&mut out, lang, "attribute", i.attribute.as_deref().unwrap_or(""));
    field(&mut out, lang, "formula", &i.formula.text);
    field(&mut out, lang, "unit", fw.unit_label(&i.unit, lang));
    field(&mut out, lang, "direction", i.direction.name());
    if let Some(g) = &i.goalposts {
        field(&mut out, lang, "goalposts", format!("{} – {}", g.lo, g.hi));
    }
    field(&mut out, lang, "target", i.target.map_or(String::new(), |t| t.to_string()));
    field(&mut out, lang, "weight", i.weight);
    field(&mut out, lang, "sdg", i.sdg.join("; "));
    if !i.sdg_related.is_empty() {
        field(&mut out, lang, "sdg_related", i.sdg_related.join("; "));
    }
    for w in &i.sdg_when {
        field(
            &mut out,
            lang,
            "sdg",
            format!("{} ({} {})", w.code, tr(lang, "field.when"), w.when.text),
        );
    }
    field(&mut out, lang, "treaty", i.treaty.join("; "));
    field(&mut out, lang, "general_comment", i.general_comment.join("; "));
    field(&mut out, lang, "charter_agenda", i.charter_agenda.join("; "));
    let themes: Vec<&str> = i
        .upr_themes
        .iter()
        .map(|t| fw.vocab.upr_themes.get(t).map_or(t.as_str(), |x| x.get(lang)))
        .collect();
    field(&mut out, lang, "upr_themes", themes.join("; "));
    field(&mut out, lang, "source", i.source.get(lang));
    field(&mut out, lang, "questions", i.formula.node.questions().join(", "));
    if let Some(v) = &i.since {
        field(&mut out, lang, "since", v);
    }
    if let Some(c) = &i.changed {
        field(&mut out, lang, "changed", format!("{}: {}", c.version, c.what.get(lang)));
    }
    out
}

fn show_rule(fw: &Framework, r: &Rule, lang: Lang) -> String {
    let mut out = format!("{} — {}\n", r.id, fw.locate(&r.loc));
    field(
        &mut out,
        lang,
        "rule",
        format!("{} {} {}", r.left.text, r.op.symbol(), r.right_side.text),
    );
    texts(&mut out, lang, "message", &r.message);
    field(&mut out, lang, "severity", format!("{:?}", r.severity).to_lowercase());
    field(
        &mut out,
        lang,
        "missing",
        serde_json::to_value(r.missing)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default(),
    );
    out
}

/// The columns of `framework export`, one row per indicator.
pub const EXPORT_COLUMNS: [&str; 33] = [
    "indicator_id",
    "right_id",
    "right_title_en",
    "kind",
    "attribute",
    "title_en",
    "title_es",
    "title_fr",
    "definition_en",
    "definition_es",
    "definition_fr",
    "formula",
    "questions",
    "unit",
    "direction",
    "goalpost_lo",
    "goalpost_hi",
    "target",
    "weight",
    "sdg",
    "sdg_related",
    "sdg_when",
    "treaty",
    "general_comment",
    "charter_agenda",
    "upr_themes",
    "source",
    "source_es",
    "source_fr",
    "since",
    "changed",
    "framework_id",
    "framework_version",
];

fn export_row(fw: &Framework, i: &Indicator) -> Vec<String> {
    let opt = |v: Option<f64>| v.map_or(String::new(), |x| x.to_string());
    let def = |l: Lang| i.definition.as_ref().map_or(String::new(), |d| d.get(l).to_string());
    vec![
        i.id.clone(),
        i.right.clone(),
        fw.right(&i.right).map_or(String::new(), |r| r.title.en.clone()),
        i.kind.name().into(),
        i.attribute.clone().unwrap_or_default(),
        i.title.en.clone(),
        i.title.es.clone(),
        i.title.fr.clone(),
        def(Lang::En),
        def(Lang::Es),
        def(Lang::Fr),
        i.formula.text.clone(),
        i.formula.node.questions().join(";"),
        i.unit.clone(),
        i.direction.name().into(),
        opt(i.goalposts.map(|g| g.lo)),
        opt(i.goalposts.map(|g| g.hi)),
        opt(i.target),
        i.weight.to_string(),
        i.sdg.join(";"),
        i.sdg_related.join(";"),
        i.sdg_when
            .iter()
            .map(|w| format!("{} if {}", w.code, w.when.text))
            .collect::<Vec<_>>()
            .join(";"),
        i.treaty.join(";"),
        i.general_comment.join(";"),
        i.charter_agenda.join(";"),
        i.upr_themes.join(";"),
        i.source.en.clone(),
        i.source.es.clone(),
        i.source.fr.clone(),
        i.since.clone().unwrap_or_default(),
        i.changed.as_ref().map_or(String::new(), |c| format!("{}: {}", c.version, c.what.en)),
        fw.id.clone(),
        fw.version.clone(),
    ]
}

fn export(
    fw: &Framework,
    output: &std::path::Path,
    global: &GlobalArgs,
) -> anyhow::Result<Outcome> {
    let by_extension = output.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase());
    let format = match (global.format, by_extension.as_deref()) {
        (Format::Json, _) | (Format::Text, Some("json")) => Format::Json,
        _ => Format::Csv,
    };
    let rows: Vec<Vec<String>> = fw.indicators.iter().map(|i| export_row(fw, i)).collect();
    match format {
        Format::Json => {
            let objects: Vec<Value> = rows
                .iter()
                .map(|row| {
                    let mut obj = serde_json::Map::new();
                    for (k, v) in EXPORT_COLUMNS.iter().zip(row) {
                        let list = [
                            "questions",
                            "sdg",
                            "treaty",
                            "general_comment",
                            "charter_agenda",
                            "upr_themes",
                        ];
                        let value = if list.contains(k) {
                            Value::from(v.split(';').filter(|s| !s.is_empty()).collect::<Vec<_>>())
                        } else {
                            Value::from(v.as_str())
                        };
                        obj.insert(k.to_string(), value);
                    }
                    Value::Object(obj)
                })
                .collect();
            let text = serde_json::to_string_pretty(&objects)?;
            crate::export::write_atomic(output, text.as_bytes())?;
        }
        _ => crate::export::write_csv(output, &EXPORT_COLUMNS, &rows)?,
    }
    if !global.quiet {
        eprintln!(
            "{}",
            trf(
                global.lang(),
                "cli.exported",
                &[("count", &rows.len()), ("path", &output.display())]
            )
        );
    }
    Ok(Outcome::Success)
}
