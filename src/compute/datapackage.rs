//! `DIR/data/datapackage.json` (Contract 4): a Frictionless Data package (Data Package v1,
//! Table Schema v1, <https://specs.frictionlessdata.io>) describing every table that
//! [`write_results`](super::write_results) writes, so that frictionless, R, pandas or a
//! database can load the CSV files with the right types, keys and allowed values.
//!
//! Nothing here is written by hand that the tables already say: the fields are the columns
//! of the [`Results`] frames in order, their types come from the polars dtypes, the
//! missing-value marker and CSV dialect from polars' CSV writer defaults (which
//! [`crate::export::write_frame`] uses), and the closed vocabularies from the code that
//! makes the values ([`ResponseStatus`], [`IndicatorKind`], [`Mechanism`], the follow-up
//! codes of the workbook, the framework's units and dimensions, …). Descriptions come from
//! the message catalog (`src/i18n/datapackage.toml`) in en, es and fr; a unit test fails
//! when a column has none.
//!
//! It lives in `compute` (not `export`) because it describes `compute`'s tables with
//! `compute`'s, `store`'s and `recommend`'s vocabularies, and `export` is at the bottom of
//! the pipeline (shared/DESIGN.md, "Imports point one way"; tests/it/layers.rs).

use std::io::Read;
use std::path::Path;

use polars::prelude::*;
use polars_io::prelude::SerializeOptions;
use serde::Serialize;

use super::{aggregates, dataset, indicators, Results};
use crate::framework::IndicatorKind;
use crate::i18n::{tr, trf, Lang};
use crate::questionnaire::layout::{COMPETENCE, FOLLOW_STATUS};
use crate::recommend::Mechanism;
use crate::store::ResponseStatus;

/// The file name, in the data folder.
pub const FILE: &str = "datapackage.json";

/// The package descriptor (Data Package v1, profile `tabular-data-package`). Fields are
/// serialised in this order, so the file reads top-down: who, what, then the tables.
#[derive(Clone, Debug, Serialize)]
pub struct Package {
    pub profile: &'static str,
    pub name: &'static str,
    #[serde(flatten)]
    pub title: Titled,
    #[serde(flatten)]
    pub description: Described,
    /// The version of the indicator framework the tables were computed with (they answer
    /// to its questions, formulas and goalposts).
    pub version: String,
    /// RFC 3339 UTC (`SOURCE_DATE_EPOCH` when set, for reproducible runs).
    pub created: String,
    pub keywords: Vec<&'static str>,
    pub sources: Vec<Source>,
    /// Custom: the framework's id and version.
    pub framework: FrameworkRef,
    /// Custom: the program that wrote the package.
    pub generator: String,
    /// Custom: the method's parameters (a JSON object, not a table), beside the tables.
    pub method: String,
    pub resources: Vec<Resource>,
}

/// A description in English with its Spanish and French translations, flattened into the
/// descriptor as `description`, `description_es` and `description_fr`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Described {
    pub description: String,
    pub description_es: String,
    pub description_fr: String,
}

/// A title in three languages (`title`, `title_es`, `title_fr`).
#[derive(Clone, Debug, Serialize)]
pub struct Titled {
    pub title: String,
    pub title_es: String,
    pub title_fr: String,
}

/// A source of the data (Data Package `sources`).
#[derive(Clone, Debug, Serialize)]
pub struct Source {
    pub title: String,
}

/// The framework behind the tables.
#[derive(Clone, Debug, Serialize)]
pub struct FrameworkRef {
    pub id: String,
    pub version: String,
}

/// One table, as its CSV file (Tabular Data Resource v1).
///
/// The Parquet file of the same table (and its sheet of the workbook) is not a resource of
/// its own but a `copies` entry of this one: it holds the same rows and columns, so a
/// second resource would repeat the schema, could not share the name that foreign keys
/// point to, and would make `frictionless validate` need its Parquet plugin for nothing it
/// does not already check on the CSV.
#[derive(Clone, Debug, Serialize)]
pub struct Resource {
    pub profile: &'static str,
    pub name: String,
    pub path: String,
    #[serde(flatten)]
    pub title: Titled,
    #[serde(flatten)]
    pub description: Described,
    pub format: &'static str,
    pub mediatype: &'static str,
    pub encoding: &'static str,
    pub bytes: u64,
    /// `sha256:` and the hex digest (Data Resource v1 allows `{algorithm}:{hash}`).
    pub hash: String,
    pub dialect: Dialect,
    pub schema: Schema,
    /// Custom: the same table in other formats.
    pub copies: Vec<FileCopy>,
}

/// The CSV dialect (CSV Dialect v1).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Dialect {
    pub delimiter: String,
    pub line_terminator: String,
    pub quote_char: String,
    pub double_quote: bool,
    pub header: bool,
}

/// The same table in another file.
#[derive(Clone, Debug, Serialize)]
pub struct FileCopy {
    pub path: String,
    pub format: &'static str,
    pub mediatype: &'static str,
    /// The workbook's sheet that holds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
}

/// A Table Schema v1.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    pub fields: Vec<Field>,
    pub missing_values: Vec<String>,
    pub primary_key: Vec<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKey>,
}

/// One column.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Field {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<&'static str>,
    #[serde(flatten)]
    pub description: Described,
    /// Custom: the unit of every value of the column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<&'static str>,
    /// Custom: the column of the same row that names the value's unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_field: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub true_values: Option<Vec<&'static str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub false_values: Option<Vec<&'static str>>,
    #[serde(skip_serializing_if = "Constraints::is_empty")]
    pub constraints: Constraints,
}

/// What a column's values may be, beyond their type.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Constraints {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<i64>,
    #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<String>>,
}

impl Constraints {
    fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// A foreign key: `fields` of this table name a row of `reference.resource`.
#[derive(Clone, Debug, Serialize)]
pub struct ForeignKey {
    pub fields: Vec<&'static str>,
    pub reference: Reference,
}

/// The other side of a [`ForeignKey`].
#[derive(Clone, Debug, Serialize)]
pub struct Reference {
    pub resource: &'static str,
    pub fields: Vec<&'static str>,
}

/// Writes [`FILE`] into `data`, describing the tables of `results` that
/// [`write_results`](super::write_results) has just written there (their sizes and hashes
/// are read from the files). `created` is the time to record.
pub fn write_package(results: &Results, data: &Path, created: &str) -> std::io::Result<()> {
    let package = package(results, data, created)?;
    let mut json = serde_json::to_string_pretty(&package).map_err(std::io::Error::other)?;
    json.push('\n');
    crate::export::write_atomic(&data.join(FILE), json.as_bytes())
}

/// The package describing the tables of `results` as written in `data`.
pub fn package(results: &Results, data: &Path, created: &str) -> std::io::Result<Package> {
    use rayon::prelude::*;
    let cx = Cx { results, formula_statuses: formula_statuses().map_err(std::io::Error::other)? };
    let tables = results.tables();
    let resources = tables
        .par_iter()
        .map(|(name, df)| resource(&cx, data, name, df))
        .collect::<std::io::Result<Vec<_>>>()?;
    let fw = &results.framework;
    Ok(Package {
        profile: "tabular-data-package",
        name: "hrcities-data",
        title: titled("dp.package.title", "hrcities-data"),
        description: described("dp.package.description").unwrap_or_default(),
        version: fw.version.clone(),
        created: created.to_string(),
        keywords: vec![
            "human rights",
            "local government",
            "indicators",
            "UCLG",
            "OHCHR",
            "SDG",
            "UN recommendations",
        ],
        sources: sources(results),
        framework: FrameworkRef { id: fw.id.clone(), version: fw.version.clone() },
        generator: format!("hrcities {}", env!("CARGO_PKG_VERSION")),
        method: super::METHOD_FILE.to_string(),
        resources,
    })
}

/// What the fields of every table are worked out from.
struct Cx<'a> {
    results: &'a Results,
    /// See [`formula_statuses`].
    formula_statuses: Vec<String>,
}

/// The resource of table `name` (its frame `df`), with the facts of its files in `data`.
fn resource(
    cx: &Cx<'_>,
    data: &Path,
    name: &'static str,
    df: &DataFrame,
) -> std::io::Result<Resource> {
    let csv = format!("{name}.csv");
    let parquet = format!("{name}.parquet");
    let (bytes, hash) = file_facts(&data.join(&csv))?;
    let (parquet_bytes, parquet_hash) = file_facts(&data.join(&parquet))?;
    let mut copies = vec![FileCopy {
        path: parquet,
        format: "parquet",
        mediatype: "application/vnd.apache.parquet",
        sheet: None,
        bytes: Some(parquet_bytes),
        hash: Some(parquet_hash),
    }];
    // The workbook's sheets, when a workbook was written beside the tables.
    if super::in_workbook(name) && data.join(super::WORKBOOK).is_file() {
        copies.push(FileCopy {
            path: super::WORKBOOK.to_string(),
            format: "xlsx",
            mediatype: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            sheet: Some(name.to_string()),
            bytes: None,
            hash: None,
        });
    }
    let key = primary_key(name);
    let fields =
        df.columns().iter().map(|c| field(cx, name, c.name().as_str(), c.dtype(), key)).collect();
    let csv_options = SerializeOptions::default();
    let text = |b: u8| (b as char).to_string();
    Ok(Resource {
        profile: "tabular-data-resource",
        name: name.to_string(),
        path: csv,
        title: titled(&format!("dp.resource.{name}.title"), name),
        description: described(&format!("dp.resource.{name}.description")).unwrap_or_default(),
        format: "csv",
        mediatype: "text/csv",
        encoding: "utf-8",
        bytes,
        hash,
        dialect: Dialect {
            delimiter: text(csv_options.separator),
            line_terminator: csv_options.line_terminator.to_string(),
            quote_char: text(csv_options.quote_char),
            double_quote: true,
            header: true,
        },
        schema: Schema {
            fields,
            missing_values: vec![csv_options.null.to_string()],
            primary_key: key.to_vec(),
            foreign_keys: foreign_keys(cx.results, name),
        },
        copies,
    })
}

/// The size of the file at `path` and `sha256:` its digest.
fn file_facts(path: &Path) -> std::io::Result<(u64, String)> {
    use sha2::{Digest, Sha256};
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        bytes += n as u64;
    }
    let hex: String = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok((bytes, format!("sha256:{hex}")))
}

/// The Table Schema type of a polars dtype, as polars' CSV writer prints it. Years are
/// `integer`, not Table Schema's `year`: the CSV holds plain integers, and some readers
/// turn a `year` field into a date.
fn field_type(dtype: &DataType) -> (&'static str, Option<&'static str>) {
    match dtype {
        DataType::Boolean => ("boolean", None),
        DataType::String => ("string", None),
        DataType::Date => ("date", None),
        // polars prints these with chrono's default formats, not Table Schema's defaults.
        DataType::Datetime(..) => ("datetime", Some("any")),
        DataType::Time => ("time", Some("any")),
        d if d.is_integer() => ("integer", None),
        d if d.is_float() => ("number", None),
        _ => ("any", None),
    }
}

/// The field of column `column` of `table`.
fn field(cx: &Cx<'_>, table: &str, column: &str, dtype: &DataType, key: &[&str]) -> Field {
    let (kind, format) = field_type(dtype);
    let rules = rules(cx, table, column);
    let boolean = kind == "boolean";
    Field {
        name: column.to_string(),
        kind,
        format,
        description: column_description(table, column).unwrap_or_default(),
        unit: rules.unit,
        unit_field: rules.unit_field,
        // What polars' CSV writer prints for a boolean.
        true_values: boolean.then(|| vec!["true"]),
        false_values: boolean.then(|| vec!["false"]),
        constraints: Constraints {
            required: key.contains(&column).then_some(true),
            minimum: rules.minimum.or(dtype.is_unsigned_integer().then_some(0)),
            maximum: rules.maximum,
            allowed: rules.allowed,
        },
    }
}

/// The description of column `column` of `table`: its own in that table, else the one it
/// has wherever it appears. `None` when the catalog has neither.
pub fn column_description(table: &str, column: &str) -> Option<Described> {
    described(&format!("dp.table.{table}.{column}"))
        .or_else(|| described(&format!("dp.column.{column}")))
}

/// The catalog's text `key` in en, es and fr; `None` when it has no such key.
fn described(key: &str) -> Option<Described> {
    let [en, es, fr] = Lang::ALL.map(|l| tr(l, key).to_string());
    (en != key).then_some(Described { description: en, description_es: es, description_fr: fr })
}

/// The catalog's title `key` in en, es and fr (the table's name when it has none).
fn titled(key: &str, fallback: &str) -> Titled {
    let [title, title_es, title_fr] =
        Lang::ALL.map(|l| Some(tr(l, key)).filter(|t| *t != key).unwrap_or(fallback).to_string());
    Titled { title, title_es, title_fr }
}

/// The columns that identify a row of each table. Follow-up rows are identified by their
/// cell, not by the recommendation: a return may list one recommendation twice (it gets
/// `W-REC-DUPLICATE` and both rows are kept).
pub fn primary_key(table: &str) -> &'static [&'static str] {
    match table {
        "indicators" => &["city_id", "year", "indicator_id"],
        "scores" => &["city_id", "year", "right_id"],
        "aggregates" => &["year", "group_by", "group", "measure", "measure_id"],
        "campaign" => &["year"],
        "quality" => &["year", "scope", "id"],
        "indicators_by_group" => &["city_id", "year", "indicator_id", "dimension", "category"],
        "disaggregation_status" => &["city_id", "year", "question_id", "dimension"],
        "group_aggregates" => &["year", "indicator_id", "dimension", "category"],
        "recommendations" => &["recommendation_id"],
        "recommendation_followup" => &["city_id", "year", "cell"],
        "responses" => &["city_id", "year", "question_id"],
        _ => &[],
    }
}

/// The foreign keys of `table`: those that hold by construction. Right scores are grouped
/// from the indicator rows and group values are computed for the returns of the indicator
/// table, so those always resolve. A follow-up row names a recommendation of the store
/// only when `in_store` is true; Table Schema has no conditional key, so that one is
/// declared only when every row is in the store (a row with an unknown id would otherwise
/// make the whole package invalid). Breakdown statuses do not point to `responses`: a
/// question filed without a stored row still has a status row.
fn foreign_keys(results: &Results, table: &str) -> Vec<ForeignKey> {
    let key = |fields: &[&'static str], resource: &'static str, to: &[&'static str]| ForeignKey {
        fields: fields.to_vec(),
        reference: Reference { resource, fields: to.to_vec() },
    };
    match table {
        "indicators" => {
            let k = ["city_id", "year", "right_id"];
            vec![key(&k, "scores", &k)]
        }
        "indicators_by_group" => {
            let k = ["city_id", "year", "indicator_id"];
            vec![key(&k, "indicators", &k)]
        }
        "recommendation_followup" if all_in_store(&results.recommendation_followup) => {
            let k = ["recommendation_id"];
            vec![key(&k, "recommendations", &k)]
        }
        _ => Vec::new(),
    }
}

/// Whether every follow-up row names a recommendation of the store.
fn all_in_store(followup: &DataFrame) -> bool {
    followup
        .column("in_store")
        .and_then(|c| c.bool().map(|b| b.iter().all(|v| v == Some(true))))
        .unwrap_or(false)
}

/// A column's allowed values, bounds and unit.
#[derive(Default)]
struct Rules {
    allowed: Option<Vec<String>>,
    minimum: Option<i64>,
    maximum: Option<i64>,
    unit: Option<&'static str>,
    unit_field: Option<&'static str>,
}

/// Points on the 0–100 score scale.
const POINTS: &str = "points (0-100)";
/// A fraction from 0 to 1.
const SHARE: &str = "share (0-1)";

/// The rules of column `column` of `table`.
fn rules(cx: &Cx<'_>, table: &str, column: &str) -> Rules {
    let fw = &cx.results.framework;
    let allowed = |values: Vec<String>| Rules { allowed: Some(values), ..Rules::default() };
    let names = |values: &[&str]| values.iter().map(|v| v.to_string()).collect::<Vec<_>>();
    let points =
        Rules { minimum: Some(0), maximum: Some(100), unit: Some(POINTS), ..Rules::default() };
    let share = Rules { minimum: Some(0), maximum: Some(1), unit: Some(SHARE), ..Rules::default() };
    let per_row = Rules { unit_field: Some("unit"), ..Rules::default() };
    match (table, column) {
        (_, "population_class") => {
            allowed(dataset::POPULATION_CLASSES.iter().map(|(c, _)| c.to_string()).collect())
        }
        (_, "mechanism") => allowed(Mechanism::ALL.iter().map(|m| m.code().to_string()).collect()),
        (_, "dimension") => allowed(fw.dimensions.clone()),
        ("indicators", "unit") => allowed(fw.units.clone()),
        ("indicators", "kind") => {
            allowed(IndicatorKind::ALL.iter().map(|k| k.name().to_string()).collect())
        }
        // The indicator table also names `not_asked` an indicator whose inputs the
        // return's template did not ask, as the answers are named.
        ("indicators", "status") => allowed(
            cx.formula_statuses
                .iter()
                .cloned()
                .chain([ResponseStatus::NotAsked.name().to_string()])
                .chain([indicators::OUT_OF_RANGE.to_string()])
                .collect(),
        ),
        ("indicators_by_group", "status") => allowed(cx.formula_statuses.clone()),
        ("indicators", "value" | "previous_value" | "change") => per_row,
        ("indicators", "score") => points,
        ("scores", "status") => allowed(names(&SCORE_STATUSES)),
        ("scores", c) if c == "score" || c.ends_with("_score") => points,
        ("scores", c) if c == "coverage" || c.ends_with("_coverage") => share,
        ("aggregates", "group_by") => {
            allowed(aggregates::GROUPINGS.iter().map(|(g, _)| g.to_string()).collect())
        }
        ("aggregates", "measure") => allowed(names(&AGGREGATE_MEASURES)),
        ("aggregates", "share_yes") | ("quality", "completeness") => share,
        ("campaign", "kind") => allowed(names(&CAMPAIGN_KINDS)),
        ("quality", "scope") => allowed(names(&QUALITY_SCOPES)),
        ("recommendation_followup", "competence") => allowed(names(&COMPETENCE)),
        ("recommendation_followup", "status") => allowed(names(&FOLLOW_STATUS)),
        ("responses", "status") => {
            allowed(ResponseStatus::ALL.iter().map(|s| s.name().to_string()).collect())
        }
        _ => Rules::default(),
    }
}

// The vocabularies below are literals inside polars expressions (no enum to read them
// from); the unit tests run the code that writes them and check that these lists match.

/// The statuses of `scores` ([`super::scores::right_scores`]).
const SCORE_STATUSES: [&str; 4] = ["ok", "insufficient_data", "not_applicable", "not_asked"];
/// What `aggregates` aggregates ([`aggregates::aggregates`]).
const AGGREGATE_MEASURES: [&str; 2] = ["indicator", "right"];
/// The kinds of year of `campaign` ([`super::campaign::campaign_frame`]).
const CAMPAIGN_KINDS: [&str; 2] = ["observed", "projected"];
/// The scopes of `quality` ([`super::quality::quality`]).
const QUALITY_SCOPES: [&str; 5] = ["city", "indicator", "right", "region", "overall"];

/// The statuses of a value computed from a formula ([`indicators::status_expr`], the
/// statuses of `indicators_by_group`): the names it gives the formula states, worked out by
/// running it on every state.
fn formula_statuses() -> PolarsResult<Vec<String>> {
    use crate::formula::State;
    let states = [State::Ok, State::Undefined, State::Missing, State::NotApplicable];
    let codes: Vec<i32> = states.iter().map(|s| *s as i32).collect();
    let df = DataFrame::new_infer_height(vec![Column::new("state".into(), codes)])?
        .lazy()
        .select([indicators::status_expr().alias("status")])
        .collect()?;
    let mut out: Vec<String> = Vec::new();
    for name in df.column("status")?.str()?.iter().flatten() {
        if !out.iter().any(|s| s == name) {
            out.push(name.to_string());
        }
    }
    Ok(out)
}

/// The sources of the data: the returns, the UN recommendations and the framework.
fn sources(results: &Results) -> Vec<Source> {
    let distinct = |df: &DataFrame, column: &str| {
        df.column(column).and_then(|c| c.as_materialized_series().n_unique()).unwrap_or(0)
    };
    let mut out = Vec::new();
    // The public tables leave out the files' hashes: their returns are told apart by
    // government and year.
    let hashed = results.responses.column("sha256").is_ok();
    let returns = if hashed {
        distinct(&results.responses, "sha256")
    } else {
        results
            .responses
            .select(["city_id", "year"])
            .and_then(|df| df.unique_stable(None, UniqueKeepStrategy::First, None))
            .map_or(0, |df| df.height())
    };
    if returns > 0 {
        let governments = distinct(&results.responses, "city_id");
        out.push(Source {
            title: trf(
                Lang::En,
                if hashed { "dp.source.returns" } else { "dp.source.returns_public" },
                &[("returns", &returns), ("governments", &governments)],
            ),
        });
    }
    let recommendations = results.recommendations.height();
    if recommendations > 0 {
        let files = distinct(&results.recommendations, "source_sha256");
        out.push(Source {
            title: trf(
                Lang::En,
                "dp.source.recommendations",
                &[("recommendations", &recommendations), ("files", &files)],
            ),
        });
    }
    let fw = &results.framework;
    out.push(Source {
        title: trf(
            Lang::En,
            "dp.source.framework",
            &[("id", &fw.id.as_str()), ("version", &fw.version.as_str())],
        ),
    });
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::compute::{compute, write_results, Dataset, Method};
    use crate::store::ReturnRecord;

    /// The results of two returns of one government (2025 and 2027, so 2026 is carried
    /// forward) that answered nothing: every table, with its real columns and dtypes.
    fn tiny() -> Results {
        let fw = crate::framework::load_embedded(Lang::En).framework;
        let record = |year: i32| ReturnRecord {
            sha256: format!("{year:064}"),
            seq: 1,
            city_id: "ESP-villa-esperanza".into(),
            city_name: "Villa Esperanza".into(),
            year,
            file: format!("villa-esperanza-{year}.xlsx"),
            ingested_at: "2027-01-01T00:00:00Z".into(),
            framework_id: fw.id.clone(),
            framework_version: fw.version.clone(),
            template_version: None,
            errors: 0,
            warnings: 0,
            superseded_by: None,
        };
        let ds = Dataset::new(&fw, vec![record(2025), record(2027)], vec![Vec::new(), Vec::new()]);
        compute(&fw, &ds, &Method::default()).expect("computes")
    }

    fn strings(df: &DataFrame, column: &str) -> BTreeSet<String> {
        df.column(column).unwrap().str().unwrap().iter().flatten().map(String::from).collect()
    }

    fn set(values: &[&str]) -> BTreeSet<String> {
        values.iter().map(|v| v.to_string()).collect()
    }

    // A new column must come with its description: this fails until the catalog
    // (src/i18n/datapackage.toml) has one for it in en, es and fr.
    #[test]
    fn every_column_of_every_table_is_described_in_three_languages() {
        let results = tiny();
        let mut undescribed = Vec::new();
        for (table, df) in results.tables() {
            for column in df.get_column_names() {
                match column_description(table, column) {
                    Some(d)
                        if !d.description.is_empty()
                            && !d.description_es.is_empty()
                            && !d.description_fr.is_empty() => {}
                    _ => undescribed.push(format!("{table}.{column}")),
                }
            }
            for part in ["title", "description"] {
                let key = format!("dp.resource.{table}.{part}");
                assert_ne!(tr(Lang::Fr, &key), key, "no {part} for table {table}");
            }
        }
        assert!(
            undescribed.is_empty(),
            "columns without a description (add [dp.table.<table>.<column>] or \
             [dp.column.<column>] to src/i18n/datapackage.toml): {undescribed:?}"
        );
    }

    // And a description must not outlive its column.
    #[test]
    fn every_description_belongs_to_a_column() {
        let results = tiny();
        let tables: Vec<(&str, Vec<String>)> = results
            .tables()
            .iter()
            .map(|(t, df)| (*t, df.get_column_names().iter().map(|c| c.to_string()).collect()))
            .collect();
        let columns_of = |t: &str| tables.iter().find(|(n, _)| *n == t).map(|(_, c)| c);
        let catalog: toml::Table = include_str!("../i18n/datapackage.toml").parse().unwrap();
        let dp = catalog["dp"].as_table().unwrap();
        let mut stale = Vec::new();
        for (table, columns) in dp["table"].as_table().unwrap() {
            for column in columns.as_table().unwrap().keys() {
                if !columns_of(table).is_some_and(|c| c.contains(column)) {
                    stale.push(format!("dp.table.{table}.{column}"));
                }
            }
        }
        for column in dp["column"].as_table().unwrap().keys() {
            // Used by a table that does not describe the column its own way.
            let used = tables.iter().any(|(t, cols)| {
                cols.contains(column) && dp["table"].get(*t).is_none_or(|c| c.get(column).is_none())
            });
            if !used {
                stale.push(format!("dp.column.{column}"));
            }
        }
        for table in dp["resource"].as_table().unwrap().keys() {
            if columns_of(table).is_none() {
                stale.push(format!("dp.resource.{table}"));
            }
        }
        assert!(stale.is_empty(), "descriptions of nothing: {stale:?}");
    }

    #[test]
    fn keys_name_columns_of_their_tables() {
        let results = tiny();
        let has = |t: &str, c: &str| {
            results.tables().iter().any(|(n, df)| *n == t && df.column(c).is_ok())
        };
        for (table, df) in results.tables() {
            let key = primary_key(table);
            assert!(!key.is_empty(), "{table} has a primary key");
            for c in key {
                assert!(df.column(c).is_ok(), "{table}.{c}");
            }
            for fk in foreign_keys(&results, table) {
                for c in &fk.fields {
                    assert!(has(table, c), "{table}.{c}");
                }
                for c in &fk.reference.fields {
                    assert!(has(fk.reference.resource, c), "{}.{c}", fk.reference.resource);
                }
                assert_eq!(primary_key(fk.reference.resource), fk.reference.fields.as_slice());
            }
        }
    }

    #[test]
    fn types_come_from_the_dtypes() {
        assert_eq!(field_type(&DataType::UInt32), ("integer", None));
        assert_eq!(field_type(&DataType::Int32), ("integer", None));
        assert_eq!(field_type(&DataType::Float64), ("number", None));
        assert_eq!(field_type(&DataType::Boolean), ("boolean", None));
        assert_eq!(field_type(&DataType::String), ("string", None));
        assert_eq!(field_type(&DataType::Date), ("date", None));
        // Every column of the real tables has a concrete type.
        let results = tiny();
        for (table, df) in results.tables() {
            for c in df.columns() {
                assert_ne!(field_type(c.dtype()).0, "any", "{table}.{}: {}", c.name(), c.dtype());
            }
        }
    }

    #[test]
    fn vocabularies_are_those_the_code_writes() {
        assert_eq!(formula_statuses().unwrap(), ["ok", "undefined", "missing", "not_applicable"]);

        let results = tiny();
        // Both measures and every scope appear even when nothing was answered.
        assert_eq!(strings(&results.aggregates, "measure"), set(&AGGREGATE_MEASURES));
        assert_eq!(strings(&results.quality, "scope"), set(&QUALITY_SCOPES));

        let year = |year: i32, projected: bool| super::super::campaign::Year {
            year,
            projected,
            new_commitments: None,
            cumulative: 1.0,
            pace: None,
            milestones: Vec::new(),
        };
        let campaign =
            super::super::campaign::campaign_frame(&[year(2025, false), year(2026, true)]).unwrap();
        assert_eq!(strings(&campaign, "kind"), set(&CAMPAIGN_KINDS));

        // One right for each status: scored, too few values, none applies, none asked.
        let rows = [
            ("a", "ok", Some(1.0), Some(50.0)),
            ("b", "ok", Some(1.0), Some(50.0)),
            ("b", "missing", None, None),
            ("b", "missing", None, None),
            ("c", "not_applicable", None, None),
            ("d", "not_asked", None, None),
        ];
        let n = rows.len();
        let text = |name: &str, v: &str| Column::new(name.into(), vec![v; n]);
        let indicators = DataFrame::new_infer_height(vec![
            text("city_id", "ESP-x"),
            text("city_name", "X"),
            text("country", "ESP"),
            text("region", "europe"),
            text("government_level", "municipality"),
            text("population_class", "lt_50k"),
            Column::new("year".into(), vec![2025i32; n]),
            Column::new("right_id".into(), rows.iter().map(|r| r.0).collect::<Vec<_>>()),
            Column::new("carried_forward".into(), vec![false; n]),
            text("kind", "structural"),
            Column::new("status".into(), rows.iter().map(|r| r.1).collect::<Vec<_>>()),
            Column::new("value".into(), rows.iter().map(|r| r.2).collect::<Vec<_>>()),
            Column::new("weight".into(), vec![1.0; n]),
            Column::new("score".into(), rows.iter().map(|r| r.3).collect::<Vec<_>>()),
        ])
        .unwrap();
        let scores = super::super::scores::right_scores(indicators.lazy(), &Method::default())
            .collect()
            .unwrap();
        assert_eq!(strings(&scores, "status"), set(&SCORE_STATUSES));
    }

    #[test]
    fn a_followup_key_to_the_store_only_when_every_row_is_in_it() {
        let frame = |flags: &[bool]| {
            DataFrame::new_infer_height(vec![Column::new("in_store".into(), flags.to_vec())])
                .unwrap()
        };
        assert!(all_in_store(&frame(&[])));
        assert!(all_in_store(&frame(&[true, true])));
        assert!(!all_in_store(&frame(&[true, false])));
        let results = tiny();
        let fks = foreign_keys(&results, "recommendation_followup");
        assert_eq!(fks.len(), 1, "no follow-up rows: every one is in the store");
        assert_eq!(fks[0].reference.resource, "recommendations");
    }

    #[test]
    fn the_package_describes_the_files_write_results_writes() {
        let results = tiny();
        let dir = tempfile::tempdir().unwrap();
        write_results(&results, &Method::default(), dir.path()).unwrap();
        let text = std::fs::read_to_string(dir.path().join(FILE)).unwrap();
        let package: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(package["profile"], "tabular-data-package");
        assert_eq!(package["version"], results.framework.version.as_str());
        let resources = package["resources"].as_array().unwrap();
        assert_eq!(resources.len(), results.tables().len());
        for (r, (name, df)) in resources.iter().zip(results.tables()) {
            assert_eq!(r["name"], name);
            let csv = std::fs::read_to_string(dir.path().join(format!("{name}.csv"))).unwrap();
            let header = csv.lines().next().unwrap();
            let fields: Vec<&str> = r["schema"]["fields"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["name"].as_str().unwrap())
                .collect();
            assert_eq!(header, fields.join(","), "{name}");
            assert_eq!(fields.len(), df.width());
            let (bytes, hash) = file_facts(&dir.path().join(format!("{name}.csv"))).unwrap();
            assert_eq!(r["bytes"], bytes);
            assert_eq!(r["hash"], hash.as_str());
        }
        let indicators = &resources[0]["schema"];
        let field = |name: &str| {
            indicators["fields"].as_array().unwrap().iter().find(|f| f["name"] == name).unwrap()
        };
        assert_eq!(field("value")["unitField"], "unit");
        assert_eq!(field("score")["constraints"]["maximum"], 100);
        assert_eq!(field("year")["type"], "integer");
        assert_eq!(field("year")["constraints"]["required"], true);
        assert_eq!(field("outlier")["type"], "boolean");
        assert!(field("unit")["constraints"]["enum"]
            .as_array()
            .unwrap()
            .contains(&"percent".into()));
        assert_eq!(indicators["foreignKeys"][0]["reference"]["resource"], "scores");
        let statuses = field("status")["constraints"]["enum"].as_array().unwrap().clone();
        assert_eq!(statuses.len(), 6, "{statuses:?}");
        assert!(statuses.contains(&"not_asked".into()));
        assert!(statuses.contains(&"out_of_range".into()));
    }

    // The marker and booleans the package declares are what the CSV writer prints.
    #[test]
    fn csv_nulls_and_booleans_are_as_declared() {
        let dir = tempfile::tempdir().unwrap();
        let df = DataFrame::new_infer_height(vec![
            Column::new("x".into(), [Some(1.5), None]),
            Column::new("b".into(), [Some(true), Some(false)]),
            Column::new("s".into(), [None, Some("a")]),
        ])
        .unwrap();
        crate::export::write_frame(dir.path(), "t", &df).unwrap();
        let csv = std::fs::read_to_string(dir.path().join("t.csv")).unwrap();
        let null = SerializeOptions::default().null.to_string();
        let options = SerializeOptions::default();
        let sep = (options.separator as char).to_string();
        assert_eq!(
            csv,
            format!("x,b,s\n1.5,true,{null}\n{null},false,a\n").replace(',', &sep),
            "{csv}"
        );
        assert_eq!(options.line_terminator.as_str(), "\n");
    }
}
