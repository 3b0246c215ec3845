//! `hrcities questionnaire`: writes the blank questionnaire workbook, optionally with the
//! profile of one city filled in, or prefilled with a government's earlier answers — from
//! one return (`--prefill`), or for every government of the store (`--prefill-from-store`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{GlobalArgs, Outcome};
use crate::framework::{Framework, QuestionType};
use crate::i18n::{tr, trf, Lang};
use crate::questionnaire::answer::Value;
use crate::questionnaire::fill::{CellValue, Fill, Layout};
use crate::questionnaire::prefill::{
    carry, guess_language, Carried, LeftOut, Previous, PreviousFollowUp, PreviousGroup,
};
use crate::questionnaire::read::read_workbook;
use crate::questionnaire::write::write_workbook;
use crate::recommend::Registry;
use crate::store::{ReturnRecord, Store};

/// Write the questionnaire workbook that cities fill in and send back.
///
/// The command's one-line summary is the doc line of `Command::Questionnaire`; the rest of
/// its `--help` is `HELP`.
#[derive(Debug, clap::Args)]
#[command(after_help = HELP)]
pub struct Args {
    /// The workbook to write (.xlsx).
    #[arg(
        short,
        long,
        value_name = "FILE",
        required_unless_present = "prefill_from_store",
        conflicts_with = "prefill_from_store"
    )]
    pub output: Option<PathBuf>,

    /// Start from a previous return (a workbook the city sent last year): its answers,
    /// sources and comments are filled in and marked, so the city updates them instead of
    /// retyping them; answers that could not be used or did not apply are left blank. The
    /// workbook is in the return's language. The reporting year is left blank (or set with
    /// --reporting-year); options below override the profile.
    #[arg(long, value_name = "RETURN", conflicts_with = "prefill_from_store")]
    pub prefill: Option<PathBuf>,

    /// Write one prefilled workbook per government with a return in the store (--store)
    /// for a year before --year: the questionnaire for the reporting year --year, filled in
    /// with the government's latest earlier answers, in its language, as
    /// DIR/<city id>-<year>.xlsx (--out DIR).
    #[arg(
        long,
        requires_all = ["reporting_year", "out"],
        conflicts_with_all = [
            "city_name", "country", "region", "government_level", "population", "contact_email"
        ]
    )]
    pub prefill_from_store: bool,

    /// With --prefill-from-store: the folder to write the workbooks in (made if needed).
    #[arg(long, value_name = "DIR", requires = "prefill_from_store")]
    pub out: Option<PathBuf>,

    /// With --prefill-from-store: only these governments (ids as `hrcities store list`
    /// shows them, separated by commas).
    #[arg(long, value_name = "ID,…", value_delimiter = ',', requires = "prefill_from_store")]
    pub cities: Vec<String>,

    /// The language of the workbook (en, es or fr). Default: with --prefill or
    /// --prefill-from-store, the language of the government's return; otherwise --lang.
    #[arg(long, value_name = "LANG", value_enum)]
    pub workbook_lang: Option<Lang>,

    /// Fill in the name of the local or regional government.
    #[arg(long, value_name = "NAME")]
    pub city_name: Option<String>,

    /// Fill in the country: ISO 3166-1 alpha-3 code (e.g. KEN) or name.
    #[arg(long, value_name = "ISO3")]
    pub country: Option<String>,

    /// Fill in the UCLG region: africa, asia_pacific, eurasia, europe, latin_america,
    /// middle_east_west_asia or north_america.
    #[arg(long, value_name = "CODE")]
    pub region: Option<String>,

    /// Fill in the level of government: municipality, intermediary_city, metropolitan or
    /// regional.
    #[arg(long, value_name = "CODE")]
    pub government_level: Option<String>,

    /// Fill in the resident population.
    #[arg(long, value_name = "N")]
    pub population: Option<u64>,

    /// Fill in the reporting year (the year the answers describe). With
    /// --prefill-from-store (as --year), the year of the questionnaires to write.
    #[arg(long, visible_alias = "year", value_name = "YEAR")]
    pub reporting_year: Option<u16>,

    /// Fill in the contact e-mail address.
    #[arg(long, value_name = "EMAIL")]
    pub contact_email: Option<String>,

    /// The store whose UN recommendations to list on a recommendations sheet, for the
    /// country given with --country or found in the --prefill return (import them first
    /// with `hrcities recommendations import`); with --prefill-from-store, the store of
    /// the returns too. Default: hrcities-data.
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
}

/// What `--help` says after the options (clap shows the subcommand's doc line above them).
const HELP: &str = "\
The workbook has an instructions sheet, a profile sheet and one sheet per right, in the
language chosen with --lang (en, es or fr). Answer cells offer drop-down lists for yes/no
and choices, check numbers against their range, and show the help text when selected.
Questions and ids are protected (without a password) against accidental changes.
To send a workbook to one city, fill in its profile ahead with the options above.

A prefilled workbook (--prefill, --prefill-from-store) shows last year's answers in green
cells, with a column \"Prefilled from <year>\" beside them; a cell turns yellow once its
answer is changed. Answers that could not be used, that did not apply, or whose question
is no longer asked or changed since, are left blank. A return sent back with nearly all
its figures as they were gets the warning W-UNCHANGED from `hrcities validate`.

Examples:
  hrcities questionnaire --lang es -o cuestionario.xlsx
  hrcities questionnaire --lang fr -o villa.xlsx --city-name \"Villa Esperanza\" --country ESP
  hrcities questionnaire -o villa.xlsx --region europe --population 48200 --reporting-year 2026
  hrcities questionnaire -o villa-2027.xlsx --prefill returns/villa-2026.xlsx --reporting-year 2027
  hrcities questionnaire --prefill-from-store --year 2028 --out to-send/ --store hrcities-data";

/// Runs `hrcities questionnaire`.
pub fn run(args: &Args, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let fw = global.framework()?;
    if args.prefill_from_store {
        return from_store(&fw, args, global);
    }
    let lang = global.lang();
    let Some(output) = &args.output else {
        // clap requires -o without --prefill-from-store.
        anyhow::bail!("--output is required");
    };
    let (mut fill, wb_lang) = match &args.prefill {
        Some(path) => {
            let wb = read_workbook(path, &fw).map_err(|e| {
                let d = crate::validate::file_diagnostic(path, &e, lang);
                anyhow::anyhow!("{}: {}", d.file, d.message)
            })?;
            let sha256 = std::fs::read(path).ok().map(|b| crate::store::sha256_hex(&b));
            let recorded = wb.template.as_ref().and_then(|t| t.language);
            let checked = crate::validate::validate(&fw, &wb, lang);
            let previous = checked.to_previous(&fw, recorded, sha256);
            let wb_lang = args
                .workbook_lang
                .or(previous.language)
                .or_else(|| guess_language(&fw, &previous.answers))
                .unwrap_or(lang);
            (carry(&fw, &previous).fill, wb_lang)
        }
        None => (Fill::default(), args.workbook_lang.unwrap_or(lang)),
    };
    let profile = profile_fill(&fw, args, lang)?;
    // What the command line gives is not last year's answer.
    if let Some(p) = &mut fill.prefilled {
        p.values.retain(|id, _| !profile.answers.contains_key(id));
    }
    fill.answers.extend(profile.answers);
    let dir = args.store.clone().unwrap_or_else(|| PathBuf::from("hrcities-data"));
    let registry = Registry::open(&dir)?;
    if registry.all.is_empty() && args.store.is_some() && country_of(&fill).is_some() {
        eprintln!("{}", trf(lang, "workbook.cli.no_recommendations", &[("store", &dir.display())]));
    }
    let listed = recommendations(&fw, &registry, &mut fill, wb_lang);
    write_workbook(&fw, wb_lang, &fill, &Layout::default(), output)?;
    if !global.quiet {
        let questions = fw.questions.iter().filter(|q| q.on_sheet()).count();
        eprintln!(
            "{}",
            trf(
                lang,
                "workbook.cli.written",
                &[
                    ("path", &output.display()),
                    ("language", &wb_lang),
                    ("sheets", &(fw.rights.len() + 1)),
                    ("questions", &questions),
                ],
            )
        );
        if let Some((country, n)) = listed {
            eprintln!(
                "{}",
                trf(lang, "workbook.cli.recommendations", &[("n", &n), ("country", &country)])
            );
        }
    }
    Ok(Outcome::Success)
}

/// `--prefill-from-store`: a workbook for the reporting year --year per government of the
/// store, prefilled from its latest return for an earlier year (a return the analyst
/// rejected is passed over), in the language of that return — told from its sheets and
/// answers, as the store does not record it; else the one the pledge register gives; else
/// --lang.
fn from_store(fw: &Framework, args: &Args, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let lang = global.lang();
    let (Some(year), Some(out)) = (args.reporting_year.map(i32::from), &args.out) else {
        // clap requires both with --prefill-from-store.
        anyhow::bail!("--year and --out are required with --prefill-from-store");
    };
    let dir = args.store.clone().unwrap_or_else(|| PathBuf::from("hrcities-data"));
    let store = Store::open(&dir)?;
    // Each government's latest return before the year (the current version of it), unless
    // the analyst rejected it ("not to be used").
    let events = store.events()?;
    let rejected = |r: &ReturnRecord| {
        crate::store::latest_review(&events, &r.sha256).and_then(|e| e.status)
            == Some(crate::store::ReviewStatus::Rejected)
    };
    let mut latest: BTreeMap<String, ReturnRecord> = BTreeMap::new();
    for r in store.current()?.into_iter().filter(|r| r.year < year && !rejected(r)) {
        if latest.get(&r.city_id).is_none_or(|l| l.year < r.year) {
            latest.insert(r.city_id.clone(), r);
        }
    }
    let mut outcome = Outcome::Success;
    if !args.cities.is_empty() {
        for id in &args.cities {
            if !latest.contains_key(id.trim()) {
                eprintln!(
                    "{}",
                    trf(lang, "prefill.cli.unknown_city", &[("id", &id), ("year", &year)])
                );
                outcome = Outcome::Failure;
            }
        }
        latest.retain(|id, _| args.cities.iter().any(|c| c.trim() == id));
    }
    if latest.is_empty() {
        anyhow::bail!(trf(
            lang,
            "prefill.cli.no_returns",
            &[("year", &year), ("store", &dir.display())]
        ));
    }
    let records: Vec<&ReturnRecord> = latest.values().collect();
    let shas: Vec<&str> = records.iter().map(|r| r.sha256.as_str()).collect();
    let responses = store.responses(&shas)?;
    let groups = store.groups(&shas)?;
    let followup = store.followup(&shas)?;
    let diagnostics = store.diagnostics(&shas)?;
    let registry = Registry::open(&dir)?;
    // The language the pledge register says to write to each government in, for those
    // whose return does not tell.
    let pledged: BTreeMap<String, Lang> = crate::store::Register::open(&dir)?
        .current()
        .into_iter()
        .filter_map(|p| Some((p.government_id, p.language?)))
        .collect();
    std::fs::create_dir_all(out)
        .map_err(|e| anyhow::anyhow!("{}: {e}", global.cannot_make(out)))?;
    let mut written = 0;
    for (i, record) in records.iter().enumerate() {
        let previous =
            stored_return(fw, record, &responses[i], &groups[i], &followup[i], &diagnostics[i]);
        let guessed =
            guess_language(fw, &previous.answers).or_else(|| pledged.get(&record.city_id).copied());
        let wb_lang = match (args.workbook_lang, guessed) {
            (Some(l), _) => l,
            (None, Some(l)) => l,
            (None, None) => {
                let words = [
                    ("id", &record.city_id as &dyn std::fmt::Display),
                    ("year", &record.year),
                    ("language", &language_name(lang, lang)),
                ];
                eprintln!("{}", trf(lang, "prefill.cli.language_unknown", &words));
                lang
            }
        };
        let mut carried = carry(fw, &previous);
        carried.fill.answer("reporting_year", CellValue::Number(f64::from(year)));
        let listed = recommendations(fw, &registry, &mut carried.fill, wb_lang);
        let path = out.join(format!("{}-{year}.xlsx", crate::charts::file_part(&record.city_id)));
        write_workbook(fw, wb_lang, &carried.fill, &Layout::default(), &path)?;
        written += 1;
        if !global.quiet {
            say_written(&path, record, &carried, lang, wb_lang);
            if let Some((country, n)) = listed.filter(|(_, n)| *n > 0) {
                let line =
                    trf(lang, "workbook.cli.recommendations", &[("n", &n), ("country", &country)]);
                eprintln!("  {line}");
            }
        }
    }
    if !global.quiet {
        eprintln!(
            "{}",
            trf(
                lang,
                "prefill.cli.summary",
                &[("n", &written), ("year", &year), ("dir", &out.display())]
            )
        );
    }
    Ok(outcome)
}

/// The name of language `of` in `lang` ("español", "Spanish").
fn language_name(lang: Lang, of: Lang) -> String {
    tr(lang, &format!("language.{}", of.code())).to_string()
}

/// Tells what was written for one government, and what was left blank.
fn say_written(path: &Path, record: &ReturnRecord, carried: &Carried, lang: Lang, wb_lang: Lang) {
    eprintln!(
        "{}",
        trf(
            lang,
            "prefill.cli.written",
            &[
                ("path", &path.display()),
                ("name", &record.city_name),
                ("id", &record.city_id),
                ("language", &language_name(lang, wb_lang)),
                ("year", &record.year),
                ("carried", &carried.count()),
            ],
        )
    );
    let reasons = [LeftOut::Invalid, LeftOut::NotApplicable, LeftOut::Removed, LeftOut::Changed];
    let list: Vec<String> = reasons
        .iter()
        .filter(|r| carried.left_out(**r) > 0)
        .map(|r| {
            let ids: Vec<&str> = carried
                .left_out
                .iter()
                .filter(|(_, why)| *why == r)
                .map(|(id, _)| id.as_str())
                .collect();
            format!("{} ({})", tr(lang, r.key()), ids.join(", "))
        })
        .collect();
    if !list.is_empty() {
        eprintln!("{}", trf(lang, "prefill.cli.left_out", &[("list", &list.join("; "))]));
    }
}

/// A return of the store as the prefill sees it.
fn stored_return(
    fw: &Framework,
    record: &ReturnRecord,
    responses: &[crate::store::ResponseRow],
    groups: &[crate::store::GroupRow],
    followup: &[crate::store::FollowUpRow],
    diagnostics: &[crate::validate::Diagnostic],
) -> Previous {
    // The answers involved in a broken error-level rule count as invalid (the review gate).
    let mut gated: Vec<crate::validate::Answer> =
        responses.iter().map(|r| r.to_answer(fw)).collect();
    crate::validate::gate(fw, &mut gated);
    let answers = responses
        .iter()
        .zip(&gated)
        .map(|(r, a)| a.to_previous(r.answered_by.clone(), diagnostics))
        .collect();
    let groups = groups
        .iter()
        .map(|g| PreviousGroup {
            question: g.question_id.clone(),
            dimension: g.dimension.clone(),
            category: g.category.clone(),
            raw: g.raw.clone(),
            status: g.status,
            value: g
                .value_number
                .map(Value::Number)
                .or_else(|| g.value_text.clone().map(Value::Text)),
            usable: g.diagnostic_code.is_none()
                && !diagnostics.iter().any(|d| d.is_error_at(&g.sheet, &g.cell)),
        })
        .collect();
    let followup = followup
        .iter()
        .map(|f| PreviousFollowUp {
            recommendation: f.recommendation_id.clone(),
            competence: f.competence.clone(),
            status: f.status.clone(),
            department: f.department.clone(),
            action: f.action.clone(),
            source: f.source.clone(),
            comment: f.comment.clone(),
            usable: f.diagnostic_code.is_none(),
        })
        .collect();
    Previous {
        year: Some(record.year),
        sha256: Some(record.sha256.clone()),
        language: None,
        version: Some(record.version().to_string()),
        answers,
        groups,
        followup,
    }
}

/// The country the profile of `fill` gives, as an ISO3 code.
fn country_of(fill: &Fill) -> Option<String> {
    match fill.answers.get("country") {
        Some(CellValue::Text(t)) | Some(CellValue::Choice(t)) => crate::i18n::country_code(t),
        _ => None,
    }
}

/// Lists in `fill` the UN recommendations of `registry` addressed to the country of its
/// profile (Contract 6), with texts in `lang`. Returns the country and how many were
/// listed, if any.
fn recommendations(
    fw: &Framework,
    registry: &Registry,
    fill: &mut Fill,
    lang: Lang,
) -> Option<(String, usize)> {
    let country = country_of(fill)?;
    if registry.all.is_empty() {
        return None;
    }
    let recs = crate::recommend::for_country(fw, &registry.all, &country);
    fill.recommendations = crate::recommend::listed(fw, &recs, lang);
    fill.recommendations_country = (!recs.is_empty()).then(|| country.clone());
    Some((country, recs.len()))
}

/// The profile answers given on the command line.
fn profile_fill(fw: &Framework, args: &Args, lang: Lang) -> anyhow::Result<Fill> {
    let mut fill = Fill::default();
    let texts = [
        ("city_name", "city-name", &args.city_name),
        ("country", "country", &args.country),
        ("contact_email", "contact-email", &args.contact_email),
    ];
    for (id, option, value) in texts {
        if let Some(value) = value {
            profile_question(fw, id, option, lang)?;
            fill.answer(id, CellValue::Text(value.trim().to_string()));
        }
    }
    let codes = [
        ("region", "region", &args.region),
        ("government_level", "government-level", &args.government_level),
    ];
    for (id, option, value) in codes {
        if let Some(value) = value {
            let code = choice_code(fw, id, option, value, lang)?;
            fill.answer(id, CellValue::Choice(code));
        }
    }
    let numbers = [
        ("population", "population", args.population.map(|n| n as f64)),
        ("reporting_year", "reporting-year", args.reporting_year.map(f64::from)),
    ];
    for (id, option, value) in numbers {
        if let Some(value) = value {
            profile_question(fw, id, option, lang)?;
            fill.answer(id, CellValue::Number(value));
        }
    }
    Ok(fill)
}

/// The profile question `id`, or an error naming the option that needs it.
fn profile_question<'a>(
    fw: &'a Framework,
    id: &str,
    option: &str,
    lang: Lang,
) -> anyhow::Result<&'a crate::framework::Question> {
    fw.questions_of(None).find(|q| q.id == id).ok_or_else(|| {
        anyhow::anyhow!(trf(lang, "workbook.cli.no_question", &[("id", &id), ("option", &option)]))
    })
}

/// The choice code `value` names: a code, or a label in any language (case and accents
/// aside).
fn choice_code(
    fw: &Framework,
    id: &str,
    option: &str,
    value: &str,
    lang: Lang,
) -> anyhow::Result<String> {
    let q = profile_question(fw, id, option, lang)?;
    let found = crate::questionnaire::answer::choice_code(q, value);
    match found {
        Some(code) => Ok(code),
        None if q.qtype != QuestionType::Choice || q.choices.is_empty() => Ok(value.to_string()),
        None => {
            let codes: Vec<&str> = q.choices.iter().map(|c| c.code.as_str()).collect();
            anyhow::bail!(trf(
                lang,
                "workbook.cli.unknown_code",
                &[("value", &value), ("option", &option), ("codes", &codes.join(", "))],
            ))
        }
    }
}
