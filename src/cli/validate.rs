//! `hrcities validate PATH…`: check returned workbooks and say, cell by cell, what to fix.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context;

use super::{Format, GlobalArgs, Outcome};
use crate::framework::{Framework, Severity};
use crate::i18n::{tr, trf, Lang};
use crate::questionnaire::limits::Limits;
use crate::validate::batch::{
    check_files, collect, json_report, write_csv, write_xlsx, FileResult,
};

/// Check returned workbooks: what to fix, by sheet and cell.
///
/// For each workbook, lists every problem with its sheet, cell and question, what is wrong
/// and how to fix it, in the chosen language (--lang).
/// PATH can be files or folders (searched recursively for .xlsx, .xlsm, .xls, .xlsb, .ods).
/// One bad file never stops the others. Exit status: 0 when no return has errors, 3 when
/// any has (warnings alone do not count).
///
/// Examples:
///   hrcities validate returns/
///   hrcities validate --lang es villa-esperanza-2026.xlsx
///   hrcities --lang fr validate returns/ --xlsx validation.xlsx
///   hrcities validate returns/ --format csv > validation.csv
///   hrcities validate returns/ --feedback letters/
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Workbooks or folders of workbooks.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Also write the problems to FILE as a workbook to open in Excel or LibreOffice:
    /// headers, messages and hints in --lang, with filters (a CSV opens in one column in
    /// Excel where the list separator is `;`, as in Spanish or French settings).
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
    /// Write a letter to each city in DIR: what to fix, in the return's language, as .txt
    /// and as an unsent e-mail (.eml, to the profile's contact), indexed in
    /// DIR/feedback.csv. Nothing is sent.
    #[arg(long, value_name = "DIR")]
    pub feedback: Option<PathBuf>,
    /// With --feedback: no letter to returns with nothing to fix or check.
    #[arg(long, requires = "feedback")]
    pub only_problems: bool,
    /// With --feedback: the letters' language, whatever the returns' (default: each
    /// return's own).
    #[arg(long, value_name = "LANG", requires = "feedback")]
    pub feedback_lang: Option<Lang>,
    /// With --feedback: the sender of the .eml messages.
    #[arg(long, value_name = "ADDRESS", requires = "feedback")]
    pub from: Option<String>,
    /// With --feedback: record the review status `needs_correction` for each return with
    /// errors that is the current version in the store (--store).
    #[arg(long, requires = "feedback")]
    pub mark: bool,
    #[command(flatten)]
    pub store: super::StoreArgs,
}

/// Checks the files at `paths` (files or folders), or says there are none.
pub fn check_paths(
    fw: &Framework,
    paths: &[PathBuf],
    lang: Lang,
    limits: &Limits,
) -> anyhow::Result<Vec<FileResult>> {
    let files = collect(paths);
    if files.is_empty() {
        anyhow::bail!(tr(lang, "cli.validate_no_files").to_string());
    }
    Ok(check_files(fw, &files, lang, limits, &|| {}))
}

/// Writes the letters of `validate --feedback` to `dir`: each return's diagnostics again in
/// its own language (the batch checks included), one letter per return. Returns how many.
fn write_feedback(
    fw: &Framework,
    args: &Args,
    results: &[FileResult],
    dir: &std::path::Path,
    global: &GlobalArgs,
) -> anyhow::Result<usize> {
    use crate::validate::{annotate, feedback};
    let lang = global.lang();
    let limits = global.limits();
    let files: Vec<PathBuf> = results.iter().map(|r| r.path.clone()).collect();
    // Each letter in its workbook's language, as the first check read it.
    let langs: Vec<Lang> = results
        .iter()
        .map(|r| {
            args.feedback_lang
                .or_else(|| r.checked.as_ref().and_then(|c| c.language))
                .unwrap_or(lang)
        })
        .collect();
    let mut in_lang: Vec<(Lang, Vec<FileResult>)> = Vec::new();
    for &l in &langs {
        if l != lang && !in_lang.iter().any(|(x, _)| *x == l) {
            in_lang.push((l, check_files(fw, &files, l, &limits, &|| {})));
        }
    }
    let utc = crate::store::now_utc();
    let date = utc.get(..10).unwrap_or_default();
    let (returns, mut letters): (Vec<&FileResult>, Vec<feedback::Letter>) = results
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let l = langs[i];
            let r =
                in_lang.iter().find(|(x, _)| *x == l).and_then(|(_, rs)| rs.get(i)).unwrap_or(r);
            (r, feedback::letter(fw, r, l, date))
        })
        .filter(|(_, letter)| !args.only_problems || letter.errors + letter.warnings > 0)
        .unzip();
    // Each return's own workbook with its problem cells marked, made before the letters are
    // written: a letter's reference line says what its copy leaves out.
    let copies: Vec<annotate::WorkbookCopy> = {
        use rayon::prelude::*;
        returns
            .par_iter()
            .zip(letters.par_iter_mut())
            .map(|(r, letter)| annotate::prepare(fw, r, letter, &limits, lang))
            .collect()
    };
    for (r, copy) in returns.iter().zip(&copies).filter(|(_, c)| c.failed) {
        eprintln!("{}: {}", r.path.display(), copy.note);
    }
    let from = args.from.clone().unwrap_or_default();
    let n =
        feedback::write(dir, &letters, &from, &utc).with_context(|| global.cannot_write(dir))?;
    let copied = annotate::write(dir, &copies).with_context(|| global.cannot_write(dir))?;
    global.say(trf(lang, "annotate.done", &[("n", &copied)]))?;
    Ok(n)
}

/// `validate --feedback --mark`: each return with errors that is the current version of its
/// government and year in the store is reviewed `needs_correction`, with a note saying a
/// letter was written; the others are named as not marked.
fn mark(
    results: &[FileResult],
    store: &std::path::Path,
    global: &GlobalArgs,
) -> anyhow::Result<()> {
    use crate::store::{ReviewStatus, Store};
    let lang = global.lang();
    let store = Store::open(store)?;
    let current = store.current()?;
    let now = crate::store::now_utc();
    let note = trf(lang, "cli.mark_note", &[("date", &now.get(..10).unwrap_or_default())]);
    let (mut marked, mut skipped) = (0, Vec::new());
    for r in results {
        if !r.diagnostics.iter().any(|d| d.severity == Severity::Error) {
            continue;
        }
        let Some(sha) = &r.sha256 else { continue };
        match current.iter().find(|c| &c.sha256 == sha) {
            Some(c) => {
                store.review(
                    &c.city_id,
                    Some(c.year),
                    ReviewStatus::NeedsCorrection,
                    Some(&note),
                    None,
                    &now,
                )?;
                marked += 1;
            }
            None => skipped.push(r.path.display().to_string()),
        }
    }
    global.say(trf(lang, "cli.marked", &[("n", &marked)]))?;
    if !skipped.is_empty() {
        eprintln!("{}", trf(lang, "cli.not_marked", &[("files", &skipped.join(", "))]));
    }
    Ok(())
}

/// Runs `hrcities validate`.
pub fn run(args: &Args, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let fw = global.framework()?;
    let lang = global.lang();
    let results = check_paths(&fw, &args.paths, lang, &global.limits())?;
    let with_errors = results
        .iter()
        .filter(|r| r.diagnostics.iter().any(|d| d.severity == Severity::Error))
        .count();
    if let Some(path) = &args.xlsx {
        write_xlsx(path, &results, &fw, lang).with_context(|| global.cannot_write(path))?;
    }
    if let Some(dir) = &args.feedback {
        let n = write_feedback(&fw, args, &results, dir, global)?;
        global.say(trf(lang, "cli.feedback_done", &[("n", &n), ("dir", &dir.display())]))?;
        if args.mark {
            mark(&results, &args.store.store, global)?;
        }
    }
    match global.format {
        Format::Json => outln!("{}", serde_json::to_string_pretty(&json_report(&results))?)?,
        Format::Csv => write_csv(std::io::stdout().lock(), &results)?,
        Format::Text => out!("{}", render_text(&results, lang, global.quiet))?,
    }
    if !global.quiet && global.format == Format::Text {
        outln!(
            "{}",
            trf(lang, "cli.validate_total", &[("files", &results.len()), ("errors", &with_errors)])
        )?;
    }
    Ok(if with_errors > 0 { Outcome::ReturnsHaveErrors } else { Outcome::Success })
}

/// Diagnostics grouped per file, errors first, for people.
pub fn render_text(results: &[FileResult], lang: Lang, quiet: bool) -> String {
    let mut out = String::new();
    for r in results {
        let errors = r.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
        let warnings = r.diagnostics.len() - errors;
        if quiet && errors == 0 {
            continue;
        }
        let who = r.checked.as_ref().map_or(String::new(), |c| {
            let name = c.city_name.clone().unwrap_or_else(|| "?".into());
            let id = c.city_id.clone().unwrap_or_else(|| "?".into());
            let year = c.year.map_or("?".into(), |y| y.to_string());
            format!(" — {name} ({id}), {year}")
        });
        let counts =
            trf(lang, "cli.validate_counts", &[("errors", &errors), ("warnings", &warnings)]);
        let _ = writeln!(out, "{}{who}: {counts}", r.path.display());
        for d in &r.diagnostics {
            if quiet && d.severity != Severity::Error {
                continue;
            }
            let sev = if d.severity == Severity::Error {
                tr(lang, "word.error")
            } else {
                tr(lang, "word.warning")
            };
            let place = d.place();
            let question = d.question.as_deref().unwrap_or("");
            let _ =
                writeln!(out, "  {sev:<8} {place:<24} {question:<10} {:<22} {}", d.code, d.message);
            if let Some(h) = &d.hint {
                let _ = writeln!(out, "  {:<8} {:<24} {:<10} {:<22} → {h}", "", "", "", "");
            }
        }
        if !r.diagnostics.is_empty() {
            let _ = writeln!(out);
        }
    }
    out
}
