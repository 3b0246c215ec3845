//! Stage 5: computation. Indicator values, scores, aggregates, trends, campaign progress and
//! data quality are evaluated on polars lazy frames over every city and year at once, with
//! the formulas of [`crate::formula`] lowered to polars expressions.
//!
//! The method's parameters are data ([`Method`]): they are written beside the results
//! (`method.json`) so that reports can cite them and a run can be repeated.

pub mod aggregates;
pub mod campaign;
pub mod datapackage;
pub mod dataset;
pub mod followup;
pub mod groups;
pub mod indicators;
pub mod public;
pub mod quality;
pub mod scores;
pub mod table;
pub mod workbook;

use polars::prelude::*;
use serde::Serialize;

use crate::framework::Text;
use crate::i18n::Lang;

pub use dataset::Dataset;

/// Rows of the indicator or scores table that count in denominators: neither not applicable
/// nor asked only in a later version of the framework than the return's.
pub fn applicable() -> Expr {
    col("status").neq(lit("not_applicable")).and(col("status").neq(lit("not_asked")))
}

/// The parameters of the method.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Method {
    /// A right score is given only when at least this share of the right's applicable
    /// indicators have a value (Contract 4).
    pub coverage_threshold: f64,
    /// A value is an outlier when its modified z-score exceeds this in absolute value
    /// (Iglewicz and Hoaglin, 1993, recommend 3.5).
    pub outlier_threshold: f64,
    /// Outliers are looked for only among at least this many values.
    pub outlier_min_n: u32,
    /// Quartiles are interpolated linearly between order statistics (R's type 7, the
    /// default of R, NumPy and Excel's QUARTILE.INC).
    pub quantiles: &'static str,
    /// The campaign's pace is the mean of new commitments over this many recent years.
    pub projection_window: u32,
    /// The projection runs to this year.
    pub projection_to: i32,
    /// The campaign's milestones.
    pub milestones: Vec<u32>,
}

impl Default for Method {
    fn default() -> Self {
        Method {
            coverage_threshold: 0.5,
            outlier_threshold: 3.5,
            outlier_min_n: 5,
            quantiles: "linear (R type 7)",
            projection_window: 3,
            projection_to: 2030,
            milestones: vec![10, 100, 1000],
        }
    }
}

impl Method {
    /// The polars quantile method of [`Method::quantiles`].
    pub fn quantile_method(&self) -> QuantileMethod {
        QuantileMethod::Linear
    }
}

/// Everything `compute` produces, as tables (columns documented in README).
pub struct Results {
    pub indicators: DataFrame,
    pub scores: DataFrame,
    pub aggregates: DataFrame,
    pub campaign: DataFrame,
    pub quality: DataFrame,
    /// The current responses with their provenance (Contract 4).
    pub responses: DataFrame,
    /// Indicators per group, against the reference group (Contract 5).
    pub indicators_by_group: DataFrame,
    /// Which breakdowns each return was expected to give and gave (Contract 5).
    pub disaggregation_status: DataFrame,
    /// Gaps across governments, per indicator and group.
    pub group_aggregates: DataFrame,
    /// The UN recommendations of the store, with their links (Contract 6).
    pub recommendations: DataFrame,
    /// Each city's follow-up of them (Contract 6).
    pub recommendation_followup: DataFrame,
    /// The framework they were computed with, as `datapackage.json` cites it.
    pub framework: FrameworkInfo,
}

/// What the data package says of the framework behind the tables: which one it is and the
/// codes of its vocabularies that are values of the tables (`unit`, `dimension`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FrameworkInfo {
    /// The framework's id (`uclg-hrc`).
    pub id: String,
    /// Its version (`2026.3`), the package's `version`.
    pub version: String,
    /// Its unit codes (`percent`, `per_100k`, …), the values of `indicators.unit`.
    pub units: Vec<String>,
    /// Its dimensions (`sex`, `age_group`, …), the values of the `dimension` columns.
    pub dimensions: Vec<String>,
    /// The names of its codes in each language, for the workbook people read
    /// ([`workbook`]): vocabulary → code → name. The vocabularies are `indicator`, `right`
    /// (titles), `question` (texts), `kind`, `unit`, `dimension`, `category:<dimension>`
    /// and each choice question of the profile by its id (`region`, `government_level`).
    pub labels: std::collections::BTreeMap<String, std::collections::BTreeMap<String, Text>>,
}

impl FrameworkInfo {
    /// The id, version and vocabularies of `fw`.
    pub fn of(fw: &crate::framework::Framework) -> FrameworkInfo {
        use crate::framework::QuestionType;
        let mut labels: std::collections::BTreeMap<_, std::collections::BTreeMap<_, _>> =
            Default::default();
        let mut add = |vocab: &str, code: &str, text: &Text| {
            labels.entry(vocab.to_string()).or_default().insert(code.to_string(), text.clone());
        };
        for i in &fw.indicators {
            add("indicator", &i.id, &i.title);
        }
        for r in &fw.rights {
            add("right", &r.id, &r.title);
        }
        for q in &fw.questions {
            add("question", &q.id, &q.text);
            if q.right.is_none() && q.qtype == QuestionType::Choice {
                for c in &q.choices {
                    add(&q.id, &c.code, &c.label);
                }
            }
        }
        for (code, text) in &fw.vocab.kinds {
            add("kind", code, text);
        }
        for (code, unit) in &fw.vocab.units {
            add("unit", code, &unit.label);
        }
        for (code, d) in &fw.vocab.disaggregations {
            add("dimension", code, &d.label);
            for c in &d.categories {
                add(&format!("category:{code}"), &c.code, &c.label);
            }
        }
        FrameworkInfo {
            id: fw.id.clone(),
            version: fw.version.clone(),
            units: fw.vocab.units.keys().cloned().collect(),
            dimensions: fw.vocab.disaggregations.keys().cloned().collect(),
            labels,
        }
    }
}

impl Results {
    /// The tables with their export names, in order.
    pub fn tables(&self) -> [(&'static str, &DataFrame); 11] {
        [
            ("indicators", &self.indicators),
            ("scores", &self.scores),
            ("aggregates", &self.aggregates),
            ("campaign", &self.campaign),
            ("quality", &self.quality),
            ("indicators_by_group", &self.indicators_by_group),
            ("disaggregation_status", &self.disaggregation_status),
            ("group_aggregates", &self.group_aggregates),
            ("recommendations", &self.recommendations),
            ("recommendation_followup", &self.recommendation_followup),
            ("responses", &self.responses),
        ]
    }
}

/// The workbook that holds every table but `responses`, one sheet each.
pub const WORKBOOK: &str = "hrcities-data.xlsx";
/// The method's parameters, beside the tables.
pub const METHOD_FILE: &str = "method.json";

/// Whether the table `name` is also a sheet of [`WORKBOOK`]: every table but `responses`.
pub fn in_workbook(name: &str) -> bool {
    name != "responses"
}

/// [`write_results_in`] with the workbook in English.
pub fn write_results(
    results: &Results,
    method: &Method,
    data: &std::path::Path,
) -> std::io::Result<()> {
    write_results_in(results, method, data, Lang::En)
}

/// Writes `results` to the folder `data` (made if needed): each table as CSV and Parquet
/// (column names as codes, for programs), all but `responses` as sheets of
/// `hrcities-data.xlsx` for people, in `lang` ([`workbook`]: a first sheet that explains
/// the others, the column names in `lang` above their codes, names beside codes, numbers
/// shown rounded), the method as `method.json`, and last `datapackage.json`, which
/// describes the files just written ([`datapackage::write_package`]).
pub fn write_results_in(
    results: &Results,
    method: &Method,
    data: &std::path::Path,
    lang: Lang,
) -> std::io::Result<()> {
    write_tables(results, method, data, Some(lang))
}

/// [`write_results_in`], with the workbook only when `workbook` gives its language.
pub fn write_tables(
    results: &Results,
    method: &Method,
    data: &std::path::Path,
    workbook: Option<Lang>,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    std::fs::create_dir_all(data)?;
    // The CSV and Parquet files side by side, then the workbook: writing the workbook at the
    // same time held both in memory, and pushed a run of 1,000 returns past 1 GiB.
    results
        .tables()
        .par_iter()
        .try_for_each(|(name, df)| crate::export::write_frame(data, name, df))?;
    if let Some(lang) = workbook {
        workbook::write_workbook(&data.join(WORKBOOK), results, method, lang)?;
    }
    let json = serde_json::to_string_pretty(method).map_err(std::io::Error::other)?;
    crate::export::write_atomic(&data.join(METHOD_FILE), json.as_bytes())?;
    datapackage::write_package(results, data, &crate::store::now_utc())
}

/// The licence the public export is published under (Data Package `licenses`).
pub const PUBLIC_LICENCE: (&str, &str, &str) = (
    "CC-BY-4.0",
    "Creative Commons Attribution 4.0 International",
    "https://creativecommons.org/licenses/by/4.0/",
);

/// Writes the public tables `public` ([`Results::into_public`]) to the folder `dir` as
/// [`write_tables`] does (with the workbook in `workbook`'s language, if given), then the licence in `datapackage.json` and `LICENSE.txt`, and
/// the data dictionary `dictionary.csv` (every field of every table with its type and its
/// description in en, es and fr).
pub fn write_public(
    public: &Results,
    method: &Method,
    dir: &std::path::Path,
    workbook: Option<Lang>,
) -> std::io::Result<()> {
    write_tables(public, method, dir, workbook)?;
    let path = dir.join(datapackage::FILE);
    let mut package: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path)?).map_err(std::io::Error::other)?;
    let (name, title, url) = PUBLIC_LICENCE;
    if let Some(obj) = package.as_object_mut() {
        obj.insert(
            "licenses".into(),
            serde_json::json!([{ "name": name, "title": title, "path": url }]),
        );
    }
    let mut dictionary = Vec::new();
    for resource in package["resources"].as_array().into_iter().flatten() {
        for field in resource["schema"]["fields"].as_array().into_iter().flatten() {
            let text = |k: &str| field[k].as_str().unwrap_or_default().to_string();
            dictionary.push(vec![
                resource["name"].as_str().unwrap_or_default().to_string(),
                text("name"),
                text("type"),
                text("unit"),
                text("description"),
                text("description_es"),
                text("description_fr"),
            ]);
        }
    }
    let header =
        ["table", "field", "type", "unit", "description", "description_es", "description_fr"];
    let dictionary_path = dir.join(public::DICTIONARY);
    crate::export::write_csv(&dictionary_path, &header, &dictionary)?;
    // The dictionary is a table of the package too.
    let bytes = std::fs::read(&dictionary_path)?;
    let fields: Vec<serde_json::Value> = header
        .iter()
        .map(|name| {
            let [en, es, fr] = Lang::ALL
                .map(|l| crate::i18n::tr(l, &format!("public.dictionary.{name}")).to_string());
            serde_json::json!({
                "name": name, "type": "string",
                "description": en, "description_es": es, "description_fr": fr,
            })
        })
        .collect();
    let [dict_en, dict_es, dict_fr] =
        Lang::ALL.map(|l| crate::i18n::tr(l, "public.dictionary.title").to_string());
    let [about_en, about_es, about_fr] =
        Lang::ALL.map(|l| crate::i18n::tr(l, "public.dictionary.about").to_string());
    if let Some(resources) = package["resources"].as_array_mut() {
        resources.push(serde_json::json!({
            "profile": "tabular-data-resource",
            "name": "dictionary",
            "path": public::DICTIONARY,
            "title": dict_en, "title_es": dict_es, "title_fr": dict_fr,
            "description": about_en, "description_es": about_es, "description_fr": about_fr,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": bytes.len(),
            "hash": format!("sha256:{}", crate::export::sha256_hex(&bytes)),
            "schema": { "fields": fields, "missingValues": [""], "primaryKey": ["table", "field"] },
        }));
    }
    let mut json = serde_json::to_string_pretty(&package).map_err(std::io::Error::other)?;
    json.push('\n');
    crate::export::write_atomic(&path, json.as_bytes())?;
    let licence = Lang::ALL
        .map(|l| crate::i18n::trf(l, "public.licence", &[("title", &title), ("url", &url)]))
        .join("\n\n");
    crate::export::write_atomic(&dir.join(public::LICENCE), format!("{licence}\n").as_bytes())
}

impl Results {
    /// The tables that [`write_tables`] wrote to the folder `data` (their Parquet copies),
    /// for framework `fw`; `None` when one is missing or unreadable.
    pub fn read(data: &std::path::Path, fw: &crate::framework::Framework) -> Option<Results> {
        use polars_io::prelude::{ParquetReader, SerReader};
        let read = |name: &str| -> Option<DataFrame> {
            let file = std::fs::File::open(data.join(format!("{name}.parquet"))).ok()?;
            ParquetReader::new(file).finish().ok()
        };
        Some(Results {
            indicators: read("indicators")?,
            scores: read("scores")?,
            aggregates: read("aggregates")?,
            campaign: read("campaign")?,
            quality: read("quality")?,
            responses: read("responses")?,
            indicators_by_group: read("indicators_by_group")?,
            disaggregation_status: read("disaggregation_status")?,
            group_aggregates: read("group_aggregates")?,
            recommendations: read("recommendations")?,
            recommendation_followup: read("recommendation_followup")?,
            framework: FrameworkInfo::of(fw),
        })
    }

    /// The rows of `year` of every table that has a `year` column (the others whole).
    pub fn of_year(&self, year: i32) -> PolarsResult<Results> {
        let cut = |df: &DataFrame| -> PolarsResult<DataFrame> {
            if df.column("year").is_err() {
                return Ok(df.clone());
            }
            df.clone().lazy().filter(col("year").cast(DataType::Int32).eq(lit(year))).collect()
        };
        Ok(Results {
            indicators: cut(&self.indicators)?,
            scores: cut(&self.scores)?,
            aggregates: cut(&self.aggregates)?,
            campaign: cut(&self.campaign)?,
            quality: cut(&self.quality)?,
            responses: cut(&self.responses)?,
            indicators_by_group: cut(&self.indicators_by_group)?,
            disaggregation_status: cut(&self.disaggregation_status)?,
            group_aggregates: cut(&self.group_aggregates)?,
            recommendations: self.recommendations.clone(),
            recommendation_followup: cut(&self.recommendation_followup)?,
            framework: self.framework.clone(),
        })
    }
}

fn select(lf: LazyFrame, columns: &[&str]) -> LazyFrame {
    lf.select(columns.iter().map(|c| col(*c)).collect::<Vec<_>>())
}

/// Computes every table for the returns of `ds`.
pub fn compute(
    fw: &crate::framework::Framework,
    ds: &Dataset,
    method: &Method,
) -> PolarsResult<Results> {
    let full = indicators::indicator_table(fw, ds, method)?;
    let scores = scores::right_scores(full.clone().lazy(), method).collect()?;
    let aggregates = select(
        aggregates::aggregates(full.clone().lazy(), scores.clone().lazy(), method)?,
        &aggregates::COLUMNS,
    )
    .collect()?;
    let quality = quality::quality(full.clone().lazy())?.collect()?;
    let indicators = select(full.lazy(), &indicators::COLUMNS).collect()?;
    let last_year = ds.returns.iter().map(|r| r.year).max().unwrap_or(method.projection_to);
    let campaign = campaign::campaign_table(
        &campaign::progress(&campaign::commitment_years(ds), last_year, method),
        &campaign::reporting(ds),
    )?;
    let responses = crate::store::responses_export(&ds.returns, &ds.responses)?;
    let indicators_by_group = groups::group_table(fw, ds, &indicators)?;
    let disaggregation_status = groups::status_table(fw, ds)?;
    let group_aggregates = groups::group_aggregates(fw, &indicators_by_group)?;
    let recommendations = followup::recommendation_table(fw, ds)?;
    let recommendation_followup = followup::followup_table(fw, ds)?;
    Ok(Results {
        indicators,
        scores,
        aggregates,
        campaign,
        quality,
        responses,
        indicators_by_group,
        disaggregation_status,
        group_aggregates,
        recommendations,
        recommendation_followup,
        framework: FrameworkInfo::of(fw),
    })
}
