//! `hrcities questionnaire`: writes the blank questionnaire workbook, optionally with the
//! profile of one city filled in.

use std::path::PathBuf;

use super::{GlobalArgs, Outcome};
use crate::framework::{Framework, QuestionType};
use crate::i18n::{trf, Lang};
use crate::questionnaire::fill::{CellValue, Fill, Layout};
use crate::questionnaire::read::read_workbook;
use crate::questionnaire::write::write_workbook;

/// Write the questionnaire workbook that cities fill in and send back.
///
/// The command's one-line summary is the doc line of `Command::Questionnaire`; the rest of
/// its `--help` is `HELP`.
#[derive(Debug, clap::Args)]
#[command(after_help = HELP)]
pub struct Args {
    /// The workbook to write (.xlsx).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,

    /// Start from a previous return (a workbook the city sent last year): its answers,
    /// sources and comments are filled in, so the city updates them instead of retyping
    /// them. The reporting year is left blank (or set with --reporting-year); options
    /// below override the profile.
    #[arg(long, value_name = "RETURN")]
    pub prefill: Option<PathBuf>,

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

    /// Fill in the reporting year (the year the answers describe).
    #[arg(long, value_name = "YEAR")]
    pub reporting_year: Option<u16>,

    /// Fill in the contact e-mail address.
    #[arg(long, value_name = "EMAIL")]
    pub contact_email: Option<String>,

    /// The store whose UN recommendations to list on a recommendations sheet, for the
    /// country given with --country or found in the --prefill return (import them first
    /// with `hrcities recommendations import`). Default: hrcities-data, when it has some.
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

Examples:
  hrcities questionnaire --lang es -o cuestionario.xlsx
  hrcities questionnaire --lang fr -o villa.xlsx --city-name \"Villa Esperanza\" --country ESP
  hrcities questionnaire -o villa.xlsx --region europe --population 48200 --reporting-year 2026
  hrcities questionnaire --lang es -o villa-2027.xlsx --prefill returns/villa-2026.xlsx --reporting-year 2027";

/// Runs `hrcities questionnaire`.
pub fn run(args: &Args, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let fw = global.framework()?;
    let lang = global.lang();
    let mut fill = match &args.prefill {
        Some(path) => {
            let wb = read_workbook(path, &fw).map_err(|e| {
                let d = crate::validate::file_diagnostic(path, &e, lang);
                anyhow::anyhow!("{}: {}", d.file, d.message)
            })?;
            crate::validate::validate(&fw, &wb, lang).to_fill(&fw)
        }
        None => Fill::default(),
    };
    let profile = profile_fill(&fw, args, lang)?;
    fill.answers.extend(profile.answers);
    let listed = recommendations(&fw, args, &mut fill, lang)?;
    write_workbook(&fw, lang, &fill, &Layout::default(), &args.output)?;
    if !global.quiet {
        let questions = fw.questions.iter().filter(|q| q.on_sheet()).count();
        eprintln!(
            "{}",
            trf(
                lang,
                "workbook.cli.written",
                &[
                    ("path", &args.output.display()),
                    ("language", &lang),
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

/// Lists the country's UN recommendations in `fill` (Contract 6): the country of
/// --country or of the prefilled return, the recommendations of the store. Returns the
/// country and how many were listed, if any.
fn recommendations(
    fw: &Framework,
    args: &Args,
    fill: &mut Fill,
    lang: Lang,
) -> anyhow::Result<Option<(String, usize)>> {
    let written = match fill.answers.get("country") {
        Some(CellValue::Text(t)) | Some(CellValue::Choice(t)) => Some(t.clone()),
        _ => None,
    };
    let Some(country) = written.as_deref().and_then(crate::i18n::country_code) else {
        return Ok(None);
    };
    let dir = args.store.clone().unwrap_or_else(|| PathBuf::from("hrcities-data"));
    let registry = crate::recommend::Registry::open(&dir)?;
    if registry.all.is_empty() {
        if args.store.is_some() {
            eprintln!(
                "{}",
                trf(lang, "workbook.cli.no_recommendations", &[("store", &dir.display())])
            );
        }
        return Ok(None);
    }
    let recs = crate::recommend::for_country(fw, &registry.all, &country);
    fill.recommendations = crate::recommend::listed(fw, &recs, lang);
    fill.recommendations_country = (!recs.is_empty()).then(|| country.clone());
    Ok(Some((country, recs.len())))
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
