//! `hrcities-data.xlsx`, the tables as people read them, in the language of the command.
//!
//! The CSV and Parquet files are for programs: their columns are stable English codes,
//! described in `datapackage.json`. The workbook holds the same tables for people:
//!
//! - a first sheet ("Read me", "Léame", "Lisez-moi") says what each sheet holds and what
//!   each column means (the descriptions of `datapackage.json`, in the language);
//! - each table's sheet has two header rows: the column's name in the language, and
//!   under it the code (the CSV column), on which the filters sit;
//! - beside a code that means something to people (an indicator id, a right id, a status,
//!   a unit, a country, a group…) a column gives its name in the language;
//! - numbers are shown rounded, shares as percentages and yes/no values as Yes or No; the
//!   cells keep every digit (a number format, not a rounded value).
//!
//! Sheets keep the tables' names (`indicators`, `scores`, …), which `datapackage.json`
//! cites.

use std::collections::HashMap;

use polars::prelude::*;

use super::{in_workbook, Method, Results};
use crate::export::{Header, Notes, NotesTable, Sheet, Shown};
use crate::i18n::number::format_number;
use crate::i18n::{capitalised, country_name, tr, trf, Lang};

/// Writes the workbook of `results` to `path`, in `lang`.
pub fn write_workbook(
    path: &std::path::Path,
    results: &Results,
    method: &Method,
    lang: Lang,
) -> std::io::Result<()> {
    let tables = people_tables(results, lang).map_err(std::io::Error::other)?;
    let notes = read_me(results, method, &tables, lang);
    let sheets: Vec<Sheet<'_>> = tables.iter().map(|t| t.sheet(lang)).collect();
    crate::export::write_workbook(path, &[notes], &sheets).map_err(std::io::Error::other)
}

/// A table as its sheet shows it: the table's columns with, beside some, their names.
pub struct PeopleTable {
    /// The table's name, the sheet's.
    pub name: &'static str,
    /// The columns of the table and the added ones.
    pub df: DataFrame,
    /// Each column's name in the language.
    pub labels: Vec<String>,
    /// Whether each column was added for people (not in the CSV).
    pub added: Vec<bool>,
    /// How each column's numbers are shown.
    shown: Vec<Shown>,
    /// Columns whose numbers are shown row by row: yes/no values.
    shown_by_row: Vec<(String, Vec<Shown>)>,
}

impl PeopleTable {
    fn sheet(&self, lang: Lang) -> Sheet<'_> {
        let mut sheet = Sheet::new(self.name, &self.df);
        sheet.header = Header::LabelsAbove(self.labels.clone());
        sheet.shown = self.shown.clone();
        sheet.shown_by_row = self.shown_by_row.clone();
        let (yes, no) = crate::questionnaire::layout::yes_no_labels(lang);
        sheet.yes_no = (yes.to_string(), no.to_string());
        sheet.wrapped =
            ["text"].iter().filter(|c| self.df.column(c).is_ok()).map(|c| c.to_string()).collect();
        sheet
    }
}

/// Every table of the workbook, as its sheet shows it.
pub fn people_tables(results: &Results, lang: Lang) -> PolarsResult<Vec<PeopleTable>> {
    let cx = Cx::new(results, lang);
    results
        .tables()
        .into_iter()
        .filter(|(name, _)| in_workbook(name))
        .map(|(name, df)| people_table(&cx, name, df))
        .collect()
}

/// What naming a code needs: the framework's names, the language, and the names of the
/// governments (for `quality`, whose ids are sometimes governments').
struct Cx<'a> {
    results: &'a Results,
    lang: Lang,
    cities: HashMap<String, String>,
}

impl<'a> Cx<'a> {
    fn new(results: &'a Results, lang: Lang) -> Cx<'a> {
        let mut cities = HashMap::new();
        let df = &results.indicators;
        if let (Ok(ids), Ok(names)) = (df.column("city_id"), df.column("city_name")) {
            if let (Ok(ids), Ok(names)) = (ids.str(), names.str()) {
                for (id, name) in ids.iter().zip(names.iter()) {
                    if let (Some(id), Some(name)) = (id, name) {
                        cities.entry(id.to_string()).or_insert_with(|| name.to_string());
                    }
                }
            }
        }
        Cx { results, lang, cities }
    }

    /// The name of `code` in the framework's vocabulary `vocab`, in the language.
    fn vocab(&self, vocab: &str, code: &str) -> Option<String> {
        let text = self.results.framework.labels.get(vocab)?.get(code)?;
        Some(text.get(self.lang).to_string())
    }

    /// The message `prefix.code` in the language, when the catalog has it.
    fn message(&self, prefix: &str, code: &str) -> Option<String> {
        let key = format!("{prefix}.{code}");
        let text = tr(self.lang, &key);
        (text != key).then(|| capitalised(text))
    }

    /// A population class as a range of inhabitants: `50,000 – 300,000`.
    fn population_class(&self, code: &str) -> Option<String> {
        let classes = super::dataset::POPULATION_CLASSES;
        let i = classes.iter().position(|(c, _)| *c == code)?;
        let n = |v: f64| format_number(v, 0, self.lang);
        Some(match (i.checked_sub(1).map(|j| classes[j].1), classes[i].1) {
            (None, hi) => format!("< {}", n(hi)),
            (Some(lo), hi) if hi.is_infinite() => format!("≥ {}", n(lo)),
            (Some(lo), hi) => format!("{} – {}", n(lo), n(hi)),
        })
    }

    /// The name of `code`, a value of a column named by `namer`, on a row whose other
    /// columns `other` gives.
    fn name(&self, namer: &Namer, code: &str, other: Option<&str>) -> Option<String> {
        match namer {
            Namer::Vocab(v) => self.vocab(v, code),
            Namer::Message(prefix) => self.message(prefix, code),
            Namer::Country => {
                let name = country_name(code, self.lang);
                (name != code).then_some(name)
            }
            Namer::PopulationClass => self.population_class(code),
            Namer::Category(_) => self.vocab(&format!("category:{}", other?), code),
            // A group of `aggregates`, named as its grouping says.
            Namer::Group(_) => match other? {
                "overall" => self.message("xlsx.value.group", code),
                "population_class" => self.population_class(code),
                by => self.vocab(by, code),
            },
            // What `aggregates` measures, an indicator or a right.
            Namer::Measure(_) => self.vocab(other?, code),
            // The id of a `quality` row, as its scope says.
            Namer::Scope(_) => match other? {
                "city" => self.cities.get(code).cloned(),
                "overall" => self.message("xlsx.value.group", code),
                scope => self.vocab(scope, code),
            },
        }
    }
}

/// A code and the code of the column its name depends on.
type Key<'a> = (&'a str, Option<&'a str>);

/// How the codes of a column are named.
enum Namer {
    /// By a vocabulary of the framework ([`super::FrameworkInfo::labels`]).
    Vocab(&'static str),
    /// By the messages `prefix.<code>`.
    Message(&'static str),
    /// A country by its ISO 3166-1 alpha-3 code.
    Country,
    /// A population class by its range.
    PopulationClass,
    /// A group of the breakdown that the column given names.
    Category(&'static str),
    /// A group of `aggregates`, by the grouping in the column given.
    Group(&'static str),
    /// An indicator or a right, as the column given says.
    Measure(&'static str),
    /// A government, indicator, right or region, as the column given says.
    Scope(&'static str),
}

impl Namer {
    /// The column whose value on the same row the naming depends on.
    fn depends_on(&self) -> Option<&'static str> {
        match self {
            Namer::Category(c) | Namer::Group(c) | Namer::Measure(c) | Namer::Scope(c) => Some(c),
            _ => None,
        }
    }
}

/// The column added beside `column` of `table` to name its codes, and how they are named.
fn namer(table: &str, column: &str) -> Option<(&'static str, Namer)> {
    Some(match (table, column) {
        (_, "indicator_id") => ("indicator_title", Namer::Vocab("indicator")),
        (_, "right_id") => ("right_title", Namer::Vocab("right")),
        (_, "question_id") => ("question_text", Namer::Vocab("question")),
        (_, "country") => ("country_name", Namer::Country),
        (_, "region") => ("region_label", Namer::Vocab("region")),
        (_, "government_level") => ("government_level_label", Namer::Vocab("government_level")),
        (_, "population_class") => ("population_class_label", Namer::PopulationClass),
        ("indicators", "kind") => ("kind_label", Namer::Vocab("kind")),
        ("campaign", "kind") => ("kind_label", Namer::Message("xlsx.value.campaign_kind")),
        (_, "unit") => ("unit_label", Namer::Vocab("unit")),
        ("recommendation_followup", "status") => ("status_label", Namer::Message("rec.status")),
        (_, "status") => ("status_label", Namer::Message("xlsx.value.status")),
        (_, "competence") => ("competence_label", Namer::Message("rec.competence")),
        (_, "mechanism") => ("mechanism_label", Namer::Message("rec.mechanism")),
        (_, "dimension") => ("dimension_label", Namer::Vocab("dimension")),
        (_, "category") => ("category_label", Namer::Category("dimension")),
        (_, "reference_category") => ("reference_category_label", Namer::Category("dimension")),
        ("aggregates", "group_by") => ("group_by_label", Namer::Message("xlsx.value.group_by")),
        ("aggregates", "group") => ("group_label", Namer::Group("group_by")),
        ("aggregates", "measure") => ("measure_label", Namer::Message("xlsx.value.measure")),
        ("aggregates", "measure_id") => ("measure_title", Namer::Measure("measure")),
        ("quality", "scope") => ("scope_label", Namer::Message("xlsx.value.scope")),
        ("quality", "id") => ("id_label", Namer::Scope("scope")),
        _ => return None,
    })
}

/// The name of column `column` of `table` in `lang`: the table's own, else the column's.
pub fn column_label(table: &str, column: &str, lang: Lang) -> String {
    let own = format!("xlsx.table_column.{table}.{column}");
    match tr(lang, &own) {
        text if text != own => text.to_string(),
        _ => tr(lang, &format!("xlsx.column.{column}")).to_string(),
    }
}

/// How the numbers of column `column` (of type `dtype`) are shown.
fn shown(column: &str, dtype: &DataType) -> Shown {
    if !dtype.is_float() {
        return Shown::General; // years, counts, ids
    }
    match column {
        c if c == "coverage" || c.ends_with("_coverage") => Shown::Percent,
        "completeness" | "share_yes" => Shown::Percent,
        c if c == "score" || c.ends_with("_score") => Shown::Decimals(1),
        "ratio" | "modified_z" => Shown::Decimals(2),
        "pace" => Shown::Decimals(1),
        _ => Shown::Rounded,
    }
}

/// `df`, the table `name`, as its sheet shows it.
fn people_table(cx: &Cx<'_>, name: &'static str, df: &DataFrame) -> PolarsResult<PeopleTable> {
    let mut columns: Vec<Column> = Vec::new();
    let mut labels = Vec::new();
    let mut added = Vec::new();
    let mut shows = Vec::new();
    for c in df.columns() {
        let column = c.name().as_str();
        columns.push(c.clone());
        labels.push(column_label(name, column, cx.lang));
        added.push(false);
        shows.push(shown(column, c.dtype()));
        let Some((label_name, namer)) = namer(name, column) else { continue };
        if c.dtype() != &DataType::String {
            continue;
        }
        let codes = c.str()?;
        let other: Vec<Option<&str>> = match namer.depends_on() {
            Some(o) => df.column(o)?.str()?.iter().collect(),
            None => vec![None; df.height()],
        };
        // Each code is named once (for each code of the column depended on); rows of
        // the same code usually follow each other, so the last name is tried first.
        let mut memo: HashMap<Key<'_>, Option<String>> = HashMap::new();
        let mut last: Option<(Key<'_>, Option<String>)> = None;
        let names: Vec<Option<String>> = codes
            .iter()
            .zip(other)
            .map(|(code, other)| {
                let key = (code?, other);
                if let Some((k, v)) = &last {
                    if *k == key {
                        return v.clone();
                    }
                }
                let v = memo.entry(key).or_insert_with(|| cx.name(&namer, key.0, key.1)).clone();
                last = Some((key, v.clone()));
                v
            })
            .collect();
        columns.push(Column::new(label_name.into(), names));
        labels.push(column_label(name, label_name, cx.lang));
        added.push(true);
        shows.push(Shown::General);
    }
    let df_out = DataFrame::new_infer_height(columns)?;
    // A yes/no indicator's value reads Yes or No.
    let mut shown_by_row = Vec::new();
    if let Ok(units) = df.column("unit").and_then(|u| u.str().cloned()) {
        let by_row: Vec<Shown> = units
            .iter()
            .map(|u| if u == Some("yes_no") { Shown::YesNo } else { Shown::Rounded })
            .collect();
        for c in ["value", "previous_value"] {
            if df.column(c).is_ok() {
                shown_by_row.push((c.to_string(), by_row.clone()));
            }
        }
    }
    Ok(PeopleTable { name, df: df_out, labels, added, shown: shows, shown_by_row })
}

/// The first sheet: what the workbook is, how to read its sheets, then each sheet and
/// each column (their descriptions are those of `datapackage.json`).
fn read_me(results: &Results, method: &Method, tables: &[PeopleTable], lang: Lang) -> Notes {
    let fw = &results.framework;
    let count = |n: usize| format_number(n as f64, 0, lang);
    let threshold = crate::i18n::format_percent(method.coverage_threshold * 100.0, 0, lang);
    let paragraphs = vec![
        trf(
            lang,
            "xlsx.readme.what",
            &[("id", &fw.id.as_str()), ("version", &fw.version.as_str())],
        ),
        tr(lang, "xlsx.readme.headers").to_string(),
        tr(lang, "xlsx.readme.names").to_string(),
        tr(lang, "xlsx.readme.numbers").to_string(),
        trf(lang, "xlsx.readme.scores", &[("threshold", &threshold)]),
    ];
    let sheets = NotesTable {
        heading: tr(lang, "xlsx.readme.sheets").to_string(),
        header: ["sheet", "title", "rows", "description"]
            .iter()
            .map(|h| tr(lang, &format!("xlsx.readme.h.{h}")).to_string())
            .collect(),
        rows: tables
            .iter()
            .map(|t| {
                let key = |part: &str| format!("dp.resource.{}.{part}", t.name);
                vec![
                    t.name.to_string(),
                    tr(lang, &key("title")).to_string(),
                    count(t.df.height()),
                    tr(lang, &key("description")).to_string(),
                ]
            })
            .collect(),
    };
    let mut rows = Vec::new();
    for t in tables {
        for ((c, label), added) in t.df.get_column_names().iter().zip(&t.labels).zip(&t.added) {
            let description = if *added {
                tr(lang, "xlsx.readme.added").to_string()
            } else {
                super::datapackage::column_description(t.name, c)
                    .map(|d| match lang {
                        Lang::En => d.description,
                        Lang::Es => d.description_es,
                        Lang::Fr => d.description_fr,
                    })
                    .unwrap_or_default()
            };
            rows.push(vec![t.name.to_string(), c.to_string(), label.clone(), description]);
        }
    }
    let columns = NotesTable {
        heading: tr(lang, "xlsx.readme.columns").to_string(),
        header: ["sheet", "code", "name", "description"]
            .iter()
            .map(|h| tr(lang, &format!("xlsx.readme.h.{h}")).to_string())
            .collect(),
        rows,
    };
    Notes {
        name: tr(lang, "xlsx.readme.sheet").to_string(),
        title: tr(lang, "dp.package.title").to_string(),
        paragraphs,
        tables: vec![sheets, columns],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::{compute, Dataset};
    use crate::store::ReturnRecord;

    /// The results of one government's return that answered nothing: every table, with
    /// its real columns.
    fn tiny() -> Results {
        let fw = crate::framework::load_embedded(Lang::En).framework;
        let record = ReturnRecord {
            sha256: format!("{:064}", 1),
            seq: 1,
            city_id: "ESP-villa-esperanza".into(),
            city_name: "Villa Esperanza".into(),
            year: 2026,
            file: "villa-esperanza-2026.xlsx".into(),
            ingested_at: "2027-01-01T00:00:00Z".into(),
            framework_id: fw.id.clone(),
            framework_version: fw.version.clone(),
            template_version: None,
            errors: 0,
            warnings: 0,
            superseded_by: None,
        };
        let ds = Dataset::new(&fw, vec![record], vec![Vec::new()]);
        compute(&fw, &ds, &Method::default()).expect("computes")
    }

    // A new column needs its name for people: this fails until src/i18n/messages.toml has
    // `xlsx.column.<column>` (or `xlsx.table_column.<table>.<column>`) in en, es and fr.
    #[test]
    fn every_column_of_the_workbook_has_a_name_in_three_languages() {
        let results = tiny();
        let mut unnamed = Vec::new();
        for lang in Lang::ALL {
            for t in people_tables(&results, lang).expect("tables") {
                for (c, label) in t.df.get_column_names().iter().zip(&t.labels) {
                    if label.starts_with("xlsx.") || label.is_empty() {
                        unnamed.push(format!("{lang}: {}.{c}", t.name));
                    }
                }
            }
        }
        assert!(unnamed.is_empty(), "columns without a name: {unnamed:?}");
    }

    #[test]
    fn codes_get_their_names_beside_them() {
        let results = tiny();
        let tables = people_tables(&results, Lang::Fr).expect("tables");
        let indicators = tables.iter().find(|t| t.name == "indicators").expect("indicators");
        let names: Vec<&str> =
            indicators.df.get_column_names().iter().map(|c| c.as_str()).collect();
        let at = |c: &str| names.iter().position(|n| *n == c).expect(c);
        assert_eq!(at("indicator_title"), at("indicator_id") + 1);
        assert_eq!(at("right_title"), at("right_id") + 1);
        let column =
            |c: &str| indicators.df.column(c).unwrap().str().unwrap().get(0).map(String::from);
        let fw = crate::framework::load_embedded(Lang::Fr).framework;
        let id = column("indicator_id").expect("an id");
        assert_eq!(column("indicator_title"), Some(fw.indicator(&id).unwrap().title.fr.clone()));
        // The CSV's columns come first in their order; the added ones are marked.
        let original: Vec<&str> =
            results.indicators.get_column_names().iter().map(|c| c.as_str()).collect();
        let kept: Vec<&str> =
            names.iter().zip(&indicators.added).filter(|(_, a)| !**a).map(|(n, _)| *n).collect();
        assert_eq!(kept, original);
        // A population class reads as a range of inhabitants.
        let cx = Cx::new(&results, Lang::En);
        assert_eq!(cx.population_class("lt_50k").as_deref(), Some("< 50,000"));
        assert_eq!(cx.population_class("50k_300k").as_deref(), Some("50,000 – 300,000"));
        assert_eq!(cx.population_class("gt_5m").as_deref(), Some("≥ 5,000,000"));
    }
}
