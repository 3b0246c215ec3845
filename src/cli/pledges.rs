//! `hrcities pledges import|list`: the campaign's pledge register in the store.

use std::path::{Path, PathBuf};

use super::{Format, GlobalArgs, Outcome, StoreArgs};
use crate::framework::Severity;
use crate::i18n::{country_name, fold, tr, trf};
use crate::store::pledges::{import_register, Upsert};
use crate::store::{Pledge, Register};

/// Keep the campaign's pledge register: the governments that pledged to join, whether or
/// not they have returned a questionnaire.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Sub,
}

#[derive(Debug, clap::Subcommand)]
pub enum Sub {
    Import(ImportArgs),
    List(ListArgs),
}

/// Import the pledge register (CSV or a spreadsheet) into the store.
///
/// The register has a header row with these columns, named in English, Spanish or French
/// (case, accents and order do not matter): government (name), country (ISO3 code or name),
/// UCLG region, level of government, pledge date, status (pledged, active or withdrawn),
/// contact e-mail, language (en, es or fr), and optionally a government id. Without an id,
/// a government gets the id its returns get (`<ISO3>-<name>`, e.g. COL-villa-esperanza-del-sur),
/// so that its pledge and its returns meet.
///
/// Each row is kept with the file, sha256 and row it came from. Importing the same register
/// again changes nothing; a changed row replaces the government's earlier one, which is
/// kept (`pledges list --all`). Rows that cannot be used are reported with their row number
/// and a hint, and skipped.
/// Exit status: 0 when all went well, 3 when some row or file could not be imported.
///
/// Examples:
///   hrcities pledges import pledges.csv
///   hrcities pledges import --store campaign registro-2027.xlsx
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct ImportArgs {
    /// Register files (.csv, .tsv, .xlsx, .ods, .xls).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// List the pledges of the store, by country then name (`--format csv|json` for programs).
///
/// Examples:
///   hrcities pledges list
///   hrcities pledges list --format csv > pledges.csv
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct ListArgs {
    /// Also list the rows a later import replaced.
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Runs `hrcities pledges`.
pub fn run(args: &Args, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    match &args.command {
        Sub::Import(a) => import_into(&a.files, &a.store.store, global),
        Sub::List(a) => list(a, global),
    }
}

/// Imports the registers `files` into the store at `dir`, printing each file's problems
/// (with row numbers and hints) and counts, and the register's total. `hrcities demo` uses
/// it too.
pub(super) fn import_into(
    files: &[PathBuf],
    dir: &Path,
    global: &GlobalArgs,
) -> anyhow::Result<Outcome> {
    let fw = global.framework()?;
    let lang = global.lang();
    let mut register = Register::open(dir)?;
    let now = crate::store::now_utc();
    let mut outcome = Outcome::Success;
    let mut total = Upsert::default();
    for file in files {
        let import = match import_register(&fw, file, &global.limits(), &now, lang) {
            Ok(i) => i,
            Err(e) => {
                eprintln!("{}: {}", file.display(), e.message(lang));
                eprintln!("  → {}", e.hint(lang));
                outcome = Outcome::ReturnsHaveErrors;
                continue;
            }
        };
        for p in &import.problems {
            let level = match p.severity {
                Severity::Error => {
                    outcome = Outcome::ReturnsHaveErrors;
                    tr(lang, "word.error")
                }
                Severity::Warning => tr(lang, "word.warning"),
            };
            eprintln!("{}: {level} {}: {}", file.display(), p.code, p.message);
            if let Some(hint) = &p.hint {
                eprintln!("  → {hint}");
            }
        }
        let n = import.pledges.len();
        let upsert = register.upsert(import.pledges, &now);
        global.say(trf(
            lang,
            "cli.pledge_imported",
            &[
                ("file", &file.display()),
                ("n", &n),
                ("added", &upsert.added),
                ("updated", &upsert.updated),
                ("unchanged", &upsert.unchanged),
            ],
        ))?;
        total.added += upsert.added;
        total.updated += upsert.updated;
    }
    if total.added + total.updated > 0 {
        register.save()?;
    }
    let current = register.current();
    let withdrawn = current.iter().filter(|p| !p.stands()).count();
    global.say(trf(
        lang,
        "cli.pledge_total",
        &[("n", &current.len()), ("withdrawn", &withdrawn), ("store", &dir.display())],
    ))?;
    Ok(outcome)
}

/// The columns of `pledges list --format csv`.
const COLUMNS: [&str; 15] = [
    "government_id",
    "name",
    "country",
    "region",
    "government_level",
    "pledged_on",
    "status",
    "contact_email",
    "language",
    "source_file",
    "source_sha256",
    "source_row",
    "imported_at",
    "superseded_at",
    "current",
];

fn list(args: &ListArgs, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let lang = global.lang();
    let register = Register::open(&args.store.store)?;
    let mut rows: Vec<&Pledge> =
        register.all.iter().filter(|p| args.all || p.superseded_at.is_none()).collect();
    // By country, then name: never by anything that ranks.
    rows.sort_by_cached_key(|p| (p.country.clone(), fold(&p.name), p.imported_at.clone()));
    match global.format {
        Format::Json => outln!("{}", serde_json::to_string_pretty(&rows)?)?,
        Format::Csv => {
            let mut w = csv::Writer::from_writer(std::io::stdout().lock());
            w.write_record(COLUMNS)?;
            for p in &rows {
                let cells = [
                    p.government_id.clone(),
                    p.name.clone(),
                    p.country.clone(),
                    p.region.clone().unwrap_or_default(),
                    p.government_level.clone().unwrap_or_default(),
                    p.pledged_on.clone(),
                    p.status.code().to_string(),
                    p.contact_email.clone().unwrap_or_default(),
                    p.language.map_or_else(String::new, |l| l.code().to_string()),
                    p.source_file.clone(),
                    p.source_sha256.clone(),
                    p.source_row.to_string(),
                    p.imported_at.clone(),
                    p.superseded_at.clone().unwrap_or_default(),
                    p.superseded_at.is_none().to_string(),
                ];
                w.write_record(cells.iter().map(|c| crate::export::safe_cell(c).into_owned()))?;
            }
            w.flush()?;
        }
        Format::Text => {
            if rows.is_empty() {
                outln!(
                    "{}",
                    trf(lang, "cli.pledge_none", &[("store", &args.store.store.display())])
                )?;
                return Ok(Outcome::Success);
            }
            let labels = crate::charts::Labels { fw: &global.framework()?, lang };
            let header: Vec<String> =
                tr(lang, "cli.pledge_header").split('|').map(String::from).collect();
            let body: Vec<Vec<String>> = rows
                .iter()
                .map(|p| {
                    let mut status = p.status.name(lang).to_string();
                    if let Some(at) = &p.superseded_at {
                        status =
                            trf(lang, "cli.pledge_superseded", &[("status", &status), ("at", at)]);
                    }
                    vec![
                        p.government_id.clone(),
                        p.name.clone(),
                        country_name(&p.country, lang),
                        labels.region(p.region.as_deref()),
                        p.government_level
                            .as_deref()
                            .map_or_else(String::new, |l| labels.choice("government_level", l)),
                        p.pledged_on.clone(),
                        status,
                        p.contact_email.clone().unwrap_or_default(),
                        p.language.map_or_else(String::new, |l| l.code().to_string()),
                    ]
                })
                .collect();
            out!("{}", super::store::aligned(&header, &body))?;
        }
    }
    Ok(Outcome::Success)
}
