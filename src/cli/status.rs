//! `hrcities status`: the return tracker — who has returned the year's questionnaire, who
//! has not, and where each return stands, ready for a mail merge.

use super::{Format, GlobalArgs, Outcome, StoreArgs};
use crate::i18n::{country_name, tr, trf, Lang};
use crate::recommend::import::header_key as header_key_of;
use crate::store::{track, ReturnState, Tracked};

/// Show who has returned the year's questionnaire and where each return stands.
///
/// Lists every government that pledged (from `hrcities pledges import`; not those that
/// withdrew) or returned a questionnaire for an earlier year, with its state for the year:
///   missing               no return in the store
///   received_with_errors  filed, with errors to correct (see `hrcities validate`)
///   received              filed without errors, not yet reviewed
///   needs_correction      the campaign asked for a correction (`hrcities store review`)
///   accepted, rejected    the campaign's latest review
/// with its country, region, contact e-mail (the register's, else its latest return's) and
/// language, by country then name. `--format csv` (formulas guarded) and `--format json`
/// are ready for a mail merge; `state_label` is in the government's own language.
///
/// Examples:
///   hrcities status
///   hrcities status --year 2027 --region africa
///   hrcities status --format csv > tracker-2027.csv
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The reporting year (default: the latest year of a return in the store).
    #[arg(long, value_name = "YEAR")]
    pub year: Option<i32>,
    /// Only the governments of this UCLG region (its code, e.g. latin_america, or its name
    /// in English, Spanish or French).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Only the governments in this state (e.g. missing), as many times as needed.
    #[arg(long, value_name = "STATE")]
    pub state: Vec<String>,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// The columns of `status --format csv`.
const COLUMNS: [&str; 19] = [
    "government_id",
    "name",
    "country",
    "country_name",
    "region",
    "government_level",
    "year",
    "state",
    "state_label",
    "errors",
    "warnings",
    "file",
    "reviewed_at",
    "contact_email",
    "language",
    "pledge_status",
    "pledged_on",
    "last_year_reported",
    "region_label",
];

/// Runs `hrcities status`.
pub fn run(args: &Args, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let lang = global.lang();
    let fw = global.framework()?;
    let labels = crate::charts::Labels { fw: &fw, lang };
    let region = match &args.region {
        None => None,
        Some(text) => {
            let choices = fw.question("region").map(|q| q.choices.as_slice()).unwrap_or(&[]);
            let key = header_key_of(text);
            let found = choices.iter().find(|c| {
                header_key_of(&c.code) == key
                    || Lang::ALL.iter().any(|l| header_key_of(c.label.get(*l)) == key)
            });
            match found {
                Some(c) => Some(c.code.clone()),
                None => anyhow::bail!(trf(
                    lang,
                    "status.unknown_region",
                    &[
                        ("region", text),
                        (
                            "regions",
                            &choices.iter().map(|c| c.code.as_str()).collect::<Vec<_>>().join(", ")
                        ),
                    ],
                )),
            }
        }
    };
    let mut states = Vec::new();
    for s in &args.state {
        match ReturnState::ALL.iter().find(|x| x.code() == s.trim() || x.name(lang) == s.trim()) {
            Some(x) => states.push(*x),
            None => anyhow::bail!(trf(
                lang,
                "status.unknown_state",
                &[
                    ("state", s),
                    (
                        "states",
                        &ReturnState::ALL.iter().map(|x| x.code()).collect::<Vec<_>>().join(", ")
                    ),
                ],
            )),
        }
    }
    let mut tracker = track(&fw, &args.store.store, args.year, region.as_deref())?;
    if !states.is_empty() {
        tracker.governments.retain(|g| states.contains(&g.state));
    }
    let year = tracker.year;
    match global.format {
        Format::Json => {
            let rows: Vec<serde_json::Value> = tracker
                .governments
                .iter()
                .map(|g| {
                    let mut v = serde_json::to_value(g).unwrap_or_default();
                    if let Some(o) = v.as_object_mut() {
                        o.insert("state_label".into(), label(g, lang).into());
                    }
                    v
                })
                .collect();
            let counts: serde_json::Map<String, serde_json::Value> =
                tracker.counts().iter().map(|(s, n)| (s.code().to_string(), (*n).into())).collect();
            outln!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({
                    "year": year,
                    "region": region,
                    "counts": counts,
                    "governments": rows,
                }))?
            )?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(std::io::stdout().lock());
            w.write_record(COLUMNS)?;
            for g in &tracker.governments {
                let own = g.language.unwrap_or(lang);
                let opt = |v: &Option<String>| v.clone().unwrap_or_default();
                let num = |v: Option<u32>| v.map_or_else(String::new, |n| n.to_string());
                let cells = [
                    g.government_id.clone(),
                    g.name.clone(),
                    opt(&g.country),
                    g.country.as_deref().map_or_else(String::new, |c| country_name(c, own)),
                    opt(&g.region),
                    opt(&g.government_level),
                    year.to_string(),
                    g.state.code().to_string(),
                    label(g, lang),
                    num(g.errors),
                    num(g.warnings),
                    opt(&g.file),
                    opt(&g.reviewed_at),
                    opt(&g.contact_email),
                    g.language.map_or_else(String::new, |l| l.code().to_string()),
                    g.pledge_status.map_or_else(String::new, |s| s.code().to_string()),
                    opt(&g.pledged_on),
                    g.last_year_reported.map_or_else(String::new, |y| y.to_string()),
                    g.region.as_deref().map_or_else(String::new, |r| {
                        crate::charts::Labels { fw: &fw, lang: own }.region(Some(r))
                    }),
                ];
                w.write_record(cells.iter().map(|c| crate::export::safe_cell(c).into_owned()))?;
            }
            w.flush()?;
        }
        Format::Text => {
            let counts: Vec<String> = tracker
                .counts()
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(s, n)| trf(lang, "status.count", &[("state", &s.name(lang)), ("n", n)]))
                .collect();
            let region_name = region.as_deref().map(|r| labels.region(Some(r)));
            outln!(
                "{}",
                trf(
                    lang,
                    "status.summary",
                    &[
                        ("year", &year),
                        ("n", &tracker.governments.len()),
                        (
                            "region",
                            &region_name.map_or_else(String::new, |r| {
                                trf(lang, "status.in_region", &[("region", &r)])
                            })
                        ),
                        ("counts", &counts.join(", ")),
                    ],
                )
            )?;
            if tracker.governments.is_empty() {
                return Ok(Outcome::Success);
            }
            let header: Vec<String> =
                tr(lang, "status.header").split('|').map(String::from).collect();
            let body: Vec<Vec<String>> = tracker
                .governments
                .iter()
                .map(|g| {
                    vec![
                        g.state.name(lang).to_string(),
                        g.government_id.clone(),
                        g.name.clone(),
                        g.country.clone().unwrap_or_default(),
                        g.region.as_deref().map_or_else(String::new, |r| labels.region(Some(r))),
                        g.contact_email.clone().unwrap_or_default(),
                        g.language.map_or_else(String::new, |l| l.code().to_string()),
                        g.file.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            out!("{}", super::store::aligned(&header, &body))?;
        }
    }
    Ok(Outcome::Success)
}

/// The name of `g`'s state in its own language (else `lang`), for a letter to it.
fn label(g: &Tracked, lang: Lang) -> String {
    g.state.name(g.language.unwrap_or(lang)).to_string()
}
