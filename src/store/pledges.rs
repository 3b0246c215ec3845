//! The campaign's pledge register: every local or regional government that pledged to
//! join the campaign, read from the register the campaign keeps (CSV or a spreadsheet) and
//! kept in the store (`pledges.parquet`) with where each row came from.
//!
//! Headers are found whatever their case, accents, spacing or language (English, Spanish
//! or French), in any order, in the first 50 rows of any sheet: government (name),
//! country (ISO3 or a name in en/es/fr), UCLG region, level of government, pledge date,
//! status (pledged / active / withdrawn, also in Spanish and French), contact e-mail,
//! language (en/es/fr) and, optionally, a government id. Without an id, a government gets
//! the id a return of it would get (`<ISO3>-<slug of the name>`), so its pledge and its
//! returns meet.
//!
//! Each row that cannot be used is skipped with an error naming its row; a value that
//! cannot be read is left out with a warning. Codes:
//!
//! | code | severity | meaning |
//! |---|---|---|
//! | `E-PLEDGE-NAME` | error | no government name; skipped |
//! | `E-PLEDGE-COUNTRY` | error | no country, or one that is not known; skipped |
//! | `E-PLEDGE-DATE` | error | no pledge date, or one that cannot be read; skipped |
//! | `E-PLEDGE-STATUS` | error | a status that is not pledged, active or withdrawn; skipped |
//! | `W-PLEDGE-REGION` | warning | a region that is not a UCLG region; left empty |
//! | `W-PLEDGE-LEVEL` | warning | a level of government not known; left empty |
//! | `W-PLEDGE-EMAIL` | warning | a contact that is not one e-mail address; left empty |
//! | `W-PLEDGE-LANGUAGE` | warning | a language other than en, es, fr; left empty |
//! | `W-PLEDGE-DUPLICATE` | warning | an earlier row has the same government id; skipped |
//!
//! Importing is idempotent by government id: a row whose content is already current
//! changes nothing (the file is not even written again); a changed row becomes current and
//! the row it replaces is kept, marked with the time it was superseded.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use serde::Serialize;

use super::table::{read_table, write_table};
use super::{Store, StoreError};
use crate::framework::Framework;
use crate::i18n::{tr, trf, Lang};
use crate::questionnaire::limits::Limits;
use crate::recommend::import::{
    clean_cell, closest_header, country, header_key, parse_date, problem, read_export, read_rows,
    shorten, ImportError, Sheet, Source,
};
use crate::recommend::RowProblem;

/// The file name of the register in a store folder.
pub const FILE: &str = "pledges.parquet";

/// How many rows of each sheet are searched for the header row.
const HEADER_SEARCH_ROWS: usize = 50;

/// The most rows a register may have.
pub const MAX_ROWS: usize = 100_000;

/// Where a government stands with its pledge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PledgeStatus {
    /// It pledged to join the campaign.
    Pledged,
    /// It pledged and is taking part.
    Active,
    /// It withdrew its pledge: not counted in the campaign's progress, not expected to
    /// return a questionnaire.
    Withdrawn,
}

impl PledgeStatus {
    /// The code stored and printed for programs.
    pub fn code(self) -> &'static str {
        match self {
            PledgeStatus::Pledged => "pledged",
            PledgeStatus::Active => "active",
            PledgeStatus::Withdrawn => "withdrawn",
        }
    }

    /// The status with code `code`.
    pub fn from_code(code: &str) -> Option<PledgeStatus> {
        [PledgeStatus::Pledged, PledgeStatus::Active, PledgeStatus::Withdrawn]
            .into_iter()
            .find(|s| s.code() == code)
    }

    /// The status as a register writes it in English, Spanish or French (`Retirado`,
    /// `engagée`); `Ok(None)` when blank.
    fn read(text: &str) -> Result<Option<PledgeStatus>, ()> {
        Ok(Some(match header_key(text).as_str() {
            "" => return Ok(None),
            "pledged" | "pledge" | "committed" | "comprometido" | "comprometida" | "compromiso"
            | "engage" | "engagee" | "engagement" => PledgeStatus::Pledged,
            "active" | "activo" | "activa" | "actif" | "enactivo" | "participating" => {
                PledgeStatus::Active
            }
            "withdrawn" | "withdrew" | "retired" | "retirado" | "retirada" | "retire"
            | "retiree" | "desistio" | "abandon" | "abandonne" | "abandonnee" => {
                PledgeStatus::Withdrawn
            }
            _ => return Err(()),
        }))
    }

    /// Its name in `lang`.
    pub fn name(self, lang: Lang) -> &'static str {
        tr(
            lang,
            match self {
                PledgeStatus::Pledged => "pledge.status.pledged",
                PledgeStatus::Active => "pledge.status.active",
                PledgeStatus::Withdrawn => "pledge.status.withdrawn",
            },
        )
    }
}

/// One government's pledge (a row of `pledges.parquet`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Pledge {
    /// The government's id: the register's, or `<ISO3>-<slug of the name>` as for returns.
    pub government_id: String,
    /// Its name, as the register writes it (hidden characters removed).
    pub name: String,
    /// ISO 3166-1 alpha-3.
    pub country: String,
    /// UCLG region code (`latin_america`, …).
    pub region: Option<String>,
    /// `municipality`, `intermediary_city`, `metropolitan` or `regional`.
    pub government_level: Option<String>,
    /// When it pledged (ISO 8601 date).
    pub pledged_on: String,
    pub status: PledgeStatus,
    pub contact_email: Option<String>,
    /// The language to write to it in.
    pub language: Option<Lang>,
    /// The register file it came from, without its folder.
    pub source_file: String,
    /// The sha256 of that file.
    pub source_sha256: String,
    /// Its row in that file (1-based, as a spreadsheet shows it).
    pub source_row: u32,
    /// When it was imported (RFC 3339, UTC).
    pub imported_at: String,
    /// When a later import changed the row (`None`: the current row).
    pub superseded_at: Option<String>,
}

impl Pledge {
    /// Whether `other` says the same of the government (provenance aside).
    pub fn same_content(&self, other: &Pledge) -> bool {
        (
            &self.government_id,
            &self.name,
            &self.country,
            &self.region,
            &self.government_level,
            &self.pledged_on,
            self.status,
            &self.contact_email,
            self.language,
        ) == (
            &other.government_id,
            &other.name,
            &other.country,
            &other.region,
            &other.government_level,
            &other.pledged_on,
            other.status,
            &other.contact_email,
            other.language,
        )
    }

    /// The year it pledged.
    pub fn year(&self) -> Option<i32> {
        self.pledged_on.get(..4).and_then(|y| y.parse().ok())
    }

    /// Whether it still stands (not withdrawn).
    pub fn stands(&self) -> bool {
        self.status != PledgeStatus::Withdrawn
    }
}

/// What one register file gave.
#[derive(Clone, Debug)]
pub struct RegisterImport {
    /// The file, as given.
    pub file: PathBuf,
    /// The sha256 of its bytes.
    pub sha256: String,
    /// The sheet the header row was found in (`None` for delimited text).
    pub sheet: Option<String>,
    /// The data rows below the header (blank rows not counted).
    pub rows: usize,
    /// The pledges read, in the order of the file.
    pub pledges: Vec<Pledge>,
    /// The problems of its rows, in the order of the file.
    pub problems: Vec<RowProblem>,
}

/// Why a register file could not be imported at all.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    /// It could not be read as a table (missing, a folder, too large, damaged, …).
    #[error("{}", .0.message(Lang::En))]
    File(#[from] ImportError),
    /// No sheet has a header row with a government, a country and a pledge date (the
    /// headers of the row that came closest, its sheet and row).
    #[error("{}", self.message(Lang::En))]
    NotARegister { found: Vec<String>, sheet: Option<String>, row: Option<u32> },
    /// More than [`MAX_ROWS`] rows.
    #[error("{}", self.message(Lang::En))]
    TooManyRows,
}

impl RegisterError {
    /// What went wrong, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            RegisterError::File(e) => e.message(lang),
            RegisterError::NotARegister { found, sheet, row } => {
                let found = if found.is_empty() {
                    tr(lang, "rec.import.found.none").to_string()
                } else {
                    found.iter().map(|h| format!("\"{h}\"")).collect::<Vec<_>>().join(", ")
                };
                let place = match (sheet, row) {
                    (Some(sheet), Some(row)) => {
                        trf(lang, "pledge.file.in_sheet", &[("sheet", sheet), ("row", row)])
                    }
                    (None, Some(row)) => trf(lang, "pledge.file.in_row", &[("row", row)]),
                    _ => String::new(),
                };
                trf(lang, "pledge.file.not_register", &[("found", &found), ("place", &place)])
            }
            RegisterError::TooManyRows => {
                trf(lang, "pledge.file.too_many_rows", &[("limit", &MAX_ROWS)])
            }
        }
    }

    /// How to fix it, in `lang`.
    pub fn hint(&self, lang: Lang) -> String {
        let key = match self {
            RegisterError::File(ImportError::Io(_)) => "pledge.hint.open",
            RegisterError::File(ImportError::TooLarge { .. }) => "pledge.hint.too_large",
            RegisterError::File(_) => "pledge.hint.file",
            RegisterError::NotARegister { .. } => "pledge.hint.not_register",
            RegisterError::TooManyRows => "pledge.hint.too_many_rows",
        };
        tr(lang, key).to_string()
    }
}

/// What a column of the register holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Field {
    Id,
    Name,
    Country,
    Region,
    Level,
    Date,
    Status,
    Email,
    Language,
}

/// The field of a header, by its key ([`header_key`]): the names a register may give it in
/// English, Spanish or French.
fn field(key: &str) -> Option<Field> {
    Some(match key {
        "governmentid" | "id" | "cityid" | "governmentcode" | "idgobierno" | "iddelgobierno"
        | "identificador" | "idgouvernement" | "identifiant" | "idcollectivite" => Field::Id,
        "government" | "governmentname" | "name" | "localgovernment" | "city" | "cityname"
        | "gobierno" | "nombre" | "nombredelgobierno" | "gobiernolocal" | "ciudad"
        | "gouvernement" | "nom" | "nomdugouvernement" | "collectivite" | "ville" => Field::Name,
        "country" | "countryiso3" | "iso3" | "pais" | "pays" => Field::Country,
        "region" | "uclgregion" | "uclgsection" | "section" | "regioncglu" | "regiondecglu"
        | "seccion" | "seccioncglu" | "sectioncglu" => Field::Region,
        "level"
        | "levelofgovernment"
        | "governmentlevel"
        | "nivel"
        | "niveldegobierno"
        | "niveau"
        | "niveaudegouvernement"
        | "type" => Field::Level,
        "pledgedate" | "dateofpledge" | "pledgedon" | "pledged" | "date" | "joined"
        | "joinedcampaign" | "fecha" | "fechadelcompromiso" | "fechadecompromiso"
        | "fechacompromiso" | "datedengagement" | "datedelengagement" | "dateengagement" => {
            Field::Date
        }
        "status" | "pledgestatus" | "estado" | "situacion" | "statut" => Field::Status,
        "contact"
        | "email"
        | "contactemail"
        | "mail"
        | "correo"
        | "correoelectronico"
        | "contacto"
        | "courriel"
        | "adresseelectronique"
        | "emailcontact" => Field::Email,
        "language" | "lang" | "idioma" | "lengua" | "langue" => Field::Language,
        _ => return None,
    })
}

/// A header row found: its index and each known column (index, field, header as written).
struct Header {
    row: usize,
    columns: Vec<(usize, Field, String)>,
}

impl Header {
    fn of(row: usize, cells: &[Option<String>]) -> Header {
        let mut columns: Vec<(usize, Field, String)> = Vec::new();
        for (i, cell) in cells.iter().enumerate() {
            let Some(text) = cell else { continue };
            if let Some(f) = field(&header_key(text)) {
                if !columns.iter().any(|(_, g, _)| *g == f) {
                    columns.push((i, f, text.trim().to_string()));
                }
            }
        }
        Header { row, columns }
    }

    fn has(&self, f: Field) -> bool {
        self.columns.iter().any(|(_, g, _)| *g == f)
    }

    fn name_of(&self, f: Field) -> Option<&str> {
        self.columns.iter().find(|(_, g, _)| *g == f).map(|(_, _, n)| n.as_str())
    }

    fn complete(&self) -> bool {
        self.has(Field::Name) && self.has(Field::Country) && self.has(Field::Date)
    }
}

/// The first row (of the first 50) with a government, a country and a pledge date.
fn find_header(rows: &[Vec<Option<String>>]) -> Option<Header> {
    rows.iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .map(|(i, cells)| Header::of(i, cells))
        .find(Header::complete)
}

/// Reads the register at `path` (CSV, TSV or a spreadsheet) within `limits`; `now` (RFC
/// 3339) is each pledge's `imported_at`; messages in `lang`. `fw` gives the UCLG regions and
/// levels of government (codes and names in three languages).
pub fn import_register(
    fw: &Framework,
    path: &Path,
    limits: &Limits,
    now: &str,
    lang: Lang,
) -> Result<RegisterImport, RegisterError> {
    let bytes = read_export(path, limits)?;
    import_register_bytes(fw, path, &bytes, limits, now, lang)
}

/// [`import_register`] of `bytes` read from `path`.
pub fn import_register_bytes(
    fw: &Framework,
    path: &Path,
    bytes: &[u8],
    limits: &Limits,
    now: &str,
    lang: Lang,
) -> Result<RegisterImport, RegisterError> {
    let size = bytes.len() as u64;
    if size > limits.file_bytes {
        return Err(ImportError::TooLarge { size, limit: limits.file_bytes }.into());
    }
    let sheets = read_rows(path, bytes, limits, &|rows| find_header(rows).is_some())?;
    let Some((sheet, header)) =
        sheets.iter().find_map(|s| find_header(&s.rows).map(|header| (s, header)))
    else {
        return Err(not_a_register(&sheets));
    };
    if sheet.rows.len() > MAX_ROWS.saturating_add(header.row + 1) {
        return Err(RegisterError::TooManyRows);
    }
    let source = Source {
        file: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        sha256: crate::export::sha256_hex(bytes),
        now: now.to_string(),
        lang,
    };
    let mut out = RegisterImport {
        file: path.to_path_buf(),
        sha256: source.sha256.clone(),
        sheet: sheet.name.clone(),
        rows: 0,
        pledges: Vec::new(),
        problems: Vec::new(),
    };
    let mut seen: HashMap<String, u32> = HashMap::new();
    for (i, cells) in sheet.rows.iter().enumerate().skip(header.row + 1) {
        if cells.iter().all(|c| c.as_deref().is_none_or(|t| t.trim().is_empty())) {
            continue;
        }
        out.rows += 1;
        let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let Some(pledge) = read_row(fw, &source, &header, cells, row, &mut out.problems) else {
            continue;
        };
        if let Some(first) = seen.get(&pledge.government_id) {
            out.problems.push(problem(
                row,
                header.name_of(Field::Id).or(header.name_of(Field::Name)),
                "W-PLEDGE-DUPLICATE",
                trf(
                    lang,
                    "pledge.row.duplicate",
                    &[("row", &row), ("first", first), ("id", &pledge.government_id)],
                ),
                tr(lang, "pledge.hint.duplicate"),
            ));
            continue;
        }
        seen.insert(pledge.government_id.clone(), row);
        out.pledges.push(pledge);
    }
    Ok(out)
}

/// The refusal of a file without a header row, naming the headers of the row with the most
/// known columns (or else the first filled row).
fn not_a_register(sheets: &[Sheet]) -> RegisterError {
    let (found, sheet, row) =
        closest_header(sheets, |cells| Header::of(0, cells).columns.len(), 20);
    RegisterError::NotARegister { found, sheet, row }
}

/// The code of the choice of profile question `question` written as `text`: its code or
/// its name in any language, whatever the case, accents, spacing and punctuation.
fn choice(fw: &Framework, question: &str, text: &str) -> Option<String> {
    let key = header_key(text);
    let q = fw.question(question)?;
    q.choices
        .iter()
        .find(|c| {
            header_key(&c.code) == key
                || Lang::ALL.iter().any(|l| header_key(c.label.get(*l)) == key)
        })
        .map(|c| c.code.clone())
}

/// The language written as `text`: its code or its name in English, Spanish or French.
fn language(text: &str) -> Option<Lang> {
    Lang::from_code(text).or_else(|| match header_key(text).as_str() {
        "english" | "ingles" | "anglais" => Some(Lang::En),
        "spanish" | "espanol" | "castellano" | "espagnol" => Some(Lang::Es),
        "french" | "frances" | "francais" => Some(Lang::Fr),
        _ => None,
    })
}

/// Whether `text` is one e-mail address (`name@place.example`), with nothing a mail merge
/// would misread: no spaces, commas, semicolons, angle brackets or quotes.
fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && text.len() <= 254
        && !text.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, ',' | ';' | '<' | '>' | '"' | '\'')
        })
}

/// The pledge of one row, or `None` (with an error in `problems`) if it cannot be used.
/// Every problem of the row is reported, even when it is skipped.
fn read_row(
    fw: &Framework,
    source: &Source,
    header: &Header,
    cells: &[Option<String>],
    row: u32,
    problems: &mut Vec<RowProblem>,
) -> Option<Pledge> {
    let lang = source.lang;
    let value = |f: Field| -> String {
        header
            .columns
            .iter()
            .find(|(_, g, _)| *g == f)
            .and_then(|(i, _, _)| cells.get(*i).and_then(Option::as_deref))
            .map(|raw| clean_cell(raw).0.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    };
    let column = |f: Field| header.name_of(f);
    let mut skip = false;
    let mut report = |f: Field, code: &'static str, key: &str, text: &str, hint: &str| {
        problems.push(problem(
            row,
            column(f),
            code,
            trf(lang, key, &[("row", &row), ("value", &shorten(text, 80))]),
            tr(lang, hint),
        ));
    };

    let name = value(Field::Name);
    if name.is_empty() {
        skip = true;
        report(Field::Name, "E-PLEDGE-NAME", "pledge.row.no_name", "", "pledge.hint.name");
    }
    let country_text = value(Field::Country);
    let iso3 = country(&country_text);
    if iso3.is_none() {
        skip = true;
        let key =
            if country_text.is_empty() { "pledge.row.no_country" } else { "pledge.row.country" };
        report(Field::Country, "E-PLEDGE-COUNTRY", key, &country_text, "pledge.hint.country");
    }
    let date_text = value(Field::Date);
    let date = parse_date(&date_text);
    if date.is_none() {
        skip = true;
        let key = if date_text.is_empty() { "pledge.row.no_date" } else { "pledge.row.date" };
        report(Field::Date, "E-PLEDGE-DATE", key, &date_text, "pledge.hint.date");
    }
    let status_text = value(Field::Status);
    let status = match PledgeStatus::read(&status_text) {
        Ok(s) => s.unwrap_or(PledgeStatus::Pledged),
        Err(()) => {
            skip = true;
            report(
                Field::Status,
                "E-PLEDGE-STATUS",
                "pledge.row.status",
                &status_text,
                "pledge.hint.status",
            );
            PledgeStatus::Pledged
        }
    };
    let region_text = value(Field::Region);
    let region = choice(fw, "region", &region_text);
    if region.is_none() && !region_text.is_empty() {
        report(
            Field::Region,
            "W-PLEDGE-REGION",
            "pledge.row.region",
            &region_text,
            "pledge.hint.region",
        );
    }
    let level_text = value(Field::Level);
    let level = choice(fw, "government_level", &level_text);
    if level.is_none() && !level_text.is_empty() {
        report(
            Field::Level,
            "W-PLEDGE-LEVEL",
            "pledge.row.level",
            &level_text,
            "pledge.hint.level",
        );
    }
    let email_text = value(Field::Email);
    let email = is_email(&email_text).then(|| email_text.clone());
    if email.is_none() && !email_text.is_empty() {
        report(
            Field::Email,
            "W-PLEDGE-EMAIL",
            "pledge.row.email",
            &email_text,
            "pledge.hint.email",
        );
    }
    let language_text = value(Field::Language);
    let lang_of = language(&language_text);
    if lang_of.is_none() && !language_text.is_empty() {
        report(
            Field::Language,
            "W-PLEDGE-LANGUAGE",
            "pledge.row.language",
            &language_text,
            "pledge.hint.language",
        );
    }
    if skip {
        return None;
    }
    let (iso3, date) = (iso3?, date?);
    let id = value(Field::Id);
    let government_id = if id.is_empty() { crate::validate::city_id(&iso3, &name) } else { id };
    Some(Pledge {
        government_id,
        name,
        country: iso3,
        region,
        government_level: level,
        pledged_on: date,
        status,
        contact_email: email,
        language: lang_of,
        source_file: source.file.clone(),
        source_sha256: source.sha256.clone(),
        source_row: row,
        imported_at: source.now.clone(),
        superseded_at: None,
    })
}

// ---------------------------------------------------------------------------------------
// The register in the store

/// The pledge register of a store folder: every row ever imported, current and superseded.
#[derive(Clone, Debug, Default)]
pub struct Register {
    dir: PathBuf,
    /// In the order imported.
    pub all: Vec<Pledge>,
}

/// What an import did to the register.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Upsert {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl Register {
    /// The register of the store folder `dir` (empty when it has none yet).
    pub fn open(dir: &Path) -> Result<Register, StoreError> {
        let path = dir.join(FILE);
        let all = match read_table(&path)? {
            Some(df) => from_frame(&df)
                .map_err(|e| StoreError::Damaged { path: path.clone(), message: e.to_string() })?,
            None => Vec::new(),
        };
        Ok(Register { dir: dir.to_path_buf(), all })
    }

    /// The current pledge of each government, in the order first imported.
    pub fn current(&self) -> Vec<Pledge> {
        self.all.iter().filter(|p| p.superseded_at.is_none()).cloned().collect()
    }

    /// Adds or updates `pledges` by government id at time `now`, in memory;
    /// [`Register::save`] writes them. A changed pledge becomes current and the one it
    /// replaces is marked superseded at `now`.
    pub fn upsert(&mut self, pledges: Vec<Pledge>, now: &str) -> Upsert {
        let mut current: HashMap<String, usize> = self
            .all
            .iter()
            .enumerate()
            .filter(|(_, p)| p.superseded_at.is_none())
            .map(|(i, p)| (p.government_id.clone(), i))
            .collect();
        let mut out = Upsert::default();
        for pledge in pledges {
            match current.get(&pledge.government_id) {
                Some(&i) if self.all[i].same_content(&pledge) => out.unchanged += 1,
                Some(&i) => {
                    self.all[i].superseded_at = Some(now.to_string());
                    current.insert(pledge.government_id.clone(), self.all.len());
                    self.all.push(pledge);
                    out.updated += 1;
                }
                None => {
                    current.insert(pledge.government_id.clone(), self.all.len());
                    self.all.push(pledge);
                    out.added += 1;
                }
            }
        }
        out
    }

    /// Writes the register (atomically, under the store's lock).
    pub fn save(&self) -> Result<(), StoreError> {
        let store = Store::open_or_create(&self.dir)?;
        let _lock = store.lock()?;
        let path = self.dir.join(FILE);
        let mut df =
            frame(&self.all).map_err(|source| StoreError::Table { path: path.clone(), source })?;
        write_table(&path, &mut df)
    }
}

/// `pledges` as a table (the columns of `pledges.parquet`).
pub fn frame(pledges: &[Pledge]) -> PolarsResult<DataFrame> {
    let text = |f: &dyn Fn(&Pledge) -> String| -> Vec<String> { pledges.iter().map(f).collect() };
    let opt = |f: &dyn Fn(&Pledge) -> Option<String>| -> Vec<Option<String>> {
        pledges.iter().map(f).collect()
    };
    DataFrame::new_infer_height(vec![
        Column::new("government_id".into(), text(&|p| p.government_id.clone())),
        Column::new("name".into(), text(&|p| p.name.clone())),
        Column::new("country".into(), text(&|p| p.country.clone())),
        Column::new("region".into(), opt(&|p| p.region.clone())),
        Column::new("government_level".into(), opt(&|p| p.government_level.clone())),
        Column::new("pledged_on".into(), text(&|p| p.pledged_on.clone())),
        Column::new("status".into(), text(&|p| p.status.code().to_string())),
        Column::new("contact_email".into(), opt(&|p| p.contact_email.clone())),
        Column::new("language".into(), opt(&|p| p.language.map(|l| l.code().to_string()))),
        Column::new("source_file".into(), text(&|p| p.source_file.clone())),
        Column::new("source_sha256".into(), text(&|p| p.source_sha256.clone())),
        Column::new(
            "source_row".into(),
            pledges.iter().map(|p| p.source_row).collect::<Vec<u32>>(),
        ),
        Column::new("imported_at".into(), text(&|p| p.imported_at.clone())),
        Column::new("superseded_at".into(), opt(&|p| p.superseded_at.clone())),
    ])
}

fn from_frame(df: &DataFrame) -> PolarsResult<Vec<Pledge>> {
    let s = |name: &str| df.column(name).and_then(|c| c.str().cloned());
    let (id, name, country, region, level) =
        (s("government_id")?, s("name")?, s("country")?, s("region")?, s("government_level")?);
    let (date, status, email, language) =
        (s("pledged_on")?, s("status")?, s("contact_email")?, s("language")?);
    let (file, sha, imported, superseded) =
        (s("source_file")?, s("source_sha256")?, s("imported_at")?, s("superseded_at")?);
    let row = df.column("source_row")?.cast(&DataType::UInt32)?;
    let row = row.u32()?;
    let owned = |c: &StringChunked, i: usize| c.get(i).unwrap_or("").to_string();
    let some = |c: &StringChunked, i: usize| c.get(i).map(String::from);
    (0..df.height())
        .map(|i| {
            let code = status.get(i).unwrap_or("");
            Ok(Pledge {
                government_id: owned(&id, i),
                name: owned(&name, i),
                country: owned(&country, i),
                region: some(&region, i),
                government_level: some(&level, i),
                pledged_on: owned(&date, i),
                status: PledgeStatus::from_code(code).ok_or_else(
                    || polars_err!(ComputeError: "unknown pledge status `{code}` in row {}", i + 1),
                )?,
                contact_email: some(&email, i),
                language: language.get(i).and_then(Lang::from_code),
                source_file: owned(&file, i),
                source_sha256: owned(&sha, i),
                source_row: row.get(i).unwrap_or(0),
                imported_at: owned(&imported, i),
                superseded_at: some(&superseded, i),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: &str = "2027-03-01T10:00:00Z";

    fn fw() -> Framework {
        crate::framework::load_embedded(Lang::En).framework
    }

    fn import(name: &str, bytes: &[u8]) -> Result<RegisterImport, RegisterError> {
        import_register_bytes(&fw(), Path::new(name), bytes, &Limits::default(), NOW, Lang::En)
    }

    fn codes(i: &RegisterImport) -> Vec<(u32, &'static str)> {
        i.problems.iter().map(|p| (p.row.unwrap_or(0), p.code)).collect()
    }

    #[test]
    fn reads_headers_in_three_languages_and_values_as_people_write_them() {
        let csv = "Registro de compromisos\n\
                   Gobierno;País;Región CGLU;Nivel de gobierno;Fecha del compromiso;Estado;Correo electrónico;Idioma\n\
                   Villa Esperanza del Sur;Colombia;América Latina;Ciudad intermedia;12/10/2022;Activo;rights@villa.example;Español\n\
                   Lumenstad;NLD;europe;Metropolitan;2022-10-12;;info@lumen.example;en\n\
                   Kalamé-les-Collines;Côte d'Ivoire;Afrique;Gouvernement régional;45000;retiré;;fr\n";
        let i = import("registro.csv", csv.as_bytes()).expect("imported");
        assert_eq!(codes(&i), []);
        assert_eq!(i.rows, 3);
        let v = &i.pledges[0];
        assert_eq!(v.government_id, "COL-villa-esperanza-del-sur");
        assert_eq!(
            (v.region.as_deref(), v.government_level.as_deref()),
            (Some("latin_america"), Some("intermediary_city"))
        );
        assert_eq!((v.pledged_on.as_str(), v.status), ("2022-10-12", PledgeStatus::Active));
        assert_eq!(v.language, Some(Lang::Es));
        assert_eq!(v.source_row, 3);
        let l = &i.pledges[1];
        assert_eq!(
            (l.status, l.government_level.as_deref()),
            (PledgeStatus::Pledged, Some("metropolitan"))
        );
        let k = &i.pledges[2];
        assert_eq!(k.government_id, "CIV-kalame-les-collines");
        assert_eq!((k.status, k.pledged_on.as_str()), (PledgeStatus::Withdrawn, "2023-03-15"));
        assert_eq!(k.contact_email, None);
    }

    #[test]
    fn a_bad_row_is_named_with_its_row_and_a_hint() {
        let csv = "government,country,pledge date,status,contact,language,region\n\
                   ,COL,2024-01-01,,,,\n\
                   Atlantis City,Atlantis,2024-01-01,,,,\n\
                   Nowhere,PER,someday,maybe,not an address,klingon,mars\n\
                   Good Town,PER,2024-01-01,,a@b.example; c@d.example,,\n\
                   Good Town,Peru,2024-02-01,,,,\n";
        let i = import("r.csv", csv.as_bytes()).expect("imported");
        assert_eq!(
            codes(&i),
            [
                (2, "E-PLEDGE-NAME"),
                (3, "E-PLEDGE-COUNTRY"),
                (4, "E-PLEDGE-DATE"),
                (4, "E-PLEDGE-STATUS"),
                (4, "W-PLEDGE-REGION"),
                (4, "W-PLEDGE-EMAIL"),
                (4, "W-PLEDGE-LANGUAGE"),
                (5, "W-PLEDGE-EMAIL"),
                (6, "W-PLEDGE-DUPLICATE"),
            ]
        );
        assert_eq!(i.pledges.len(), 1);
        let p = &i.problems[1];
        assert!(p.message.contains("row 3") && p.message.contains("Atlantis"), "{}", p.message);
        assert!(p.hint.as_deref().is_some_and(|h| h.contains("COL")));
        assert_eq!(p.column.as_deref(), Some("country"));
    }

    #[test]
    fn hostile_text_is_kept_as_written_without_hidden_characters() {
        let csv = "government,country,pledge date\n\
                   \"=HYPERLINK(\"\"http://x.example\"\",\"\"click\"\")\",COL,2024-01-01\n\
                   <script>alert(1)</script> Town\u{202e},PER,2024-01-01\n";
        let i = import("r.csv", csv.as_bytes()).expect("imported");
        assert_eq!(i.pledges[0].name, "=HYPERLINK(\"http://x.example\",\"click\")");
        assert_eq!(i.pledges[1].name, "<script>alert(1)</script> Town");
        assert_eq!(i.pledges[1].government_id, "PER-script-alert-1-script-town");
    }

    #[test]
    fn a_file_without_the_columns_is_refused_naming_what_it_has() {
        let err = import("x.csv", b"city,year\nA,2024\n").expect_err("not a register");
        assert!(
            matches!(&err, RegisterError::NotARegister { found, .. } if found == &["city", "year"])
        );
        assert!(err.message(Lang::En).contains("\"city\""));
        assert!(!err.hint(Lang::Fr).is_empty());
        assert!(matches!(
            import("x.pdf", b"%PDF"),
            Err(RegisterError::File(ImportError::Unsupported(_)))
        ));
        assert!(matches!(import("x.csv", b""), Err(RegisterError::File(ImportError::Empty))));
    }

    #[test]
    fn upsert_is_idempotent_and_keeps_the_row_it_replaces() {
        let dir = tempfile::tempdir().expect("tempdir");
        let csv = "government,country,pledge date\nA Town,PER,2024-01-01\nB Town,PER,2024-02-01\n";
        let first = import("r.csv", csv.as_bytes()).expect("imported");
        let mut reg = Register::open(dir.path()).expect("open");
        assert_eq!(
            reg.upsert(first.pledges.clone(), NOW),
            Upsert { added: 2, ..Upsert::default() }
        );
        reg.save().expect("saved");
        let bytes = std::fs::read(dir.path().join(FILE)).expect("written");
        let mut again = Register::open(dir.path()).expect("open");
        assert_eq!(again.all, reg.all, "read back as written");
        assert_eq!(again.upsert(first.pledges, NOW), Upsert { unchanged: 2, ..Upsert::default() });
        let changed = "government,country,pledge date,status\nA Town,PER,2024-01-01,withdrawn\n";
        let changed = import("r2.csv", changed.as_bytes()).expect("imported");
        let later = "2027-04-01T00:00:00Z";
        assert_eq!(
            again.upsert(changed.pledges, later),
            Upsert { updated: 1, ..Upsert::default() }
        );
        assert_eq!(again.all.len(), 3);
        assert_eq!(again.all[0].superseded_at.as_deref(), Some(later));
        let current = again.current();
        assert_eq!(current.len(), 2);
        assert!(current.iter().any(|p| p.government_id == "PER-a-town" && !p.stands()));
        assert_eq!(std::fs::read(dir.path().join(FILE)).expect("unchanged"), bytes);
    }
}
