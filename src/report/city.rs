//! The city self-assessment: profile, right scores against the regional median and last
//! year, and every indicator with its value, kind, change, mechanisms and data gaps.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use minijinja::context;

use super::world::{Document, Engine};
use crate::charts::data::ValueRow;
use crate::charts::{file_part, ChartData, Labels};
use crate::compute::Dataset;
use crate::framework::{Framework, UnitFormat};
use crate::i18n::{format_number, format_percent, tr, trf, Lang};

/// A rendered report: its Typst source, the files it reads, and the PDF.
pub struct Rendered {
    /// Where it goes under the reports folder, without extension.
    pub path: PathBuf,
    pub typ: String,
    pub files: Vec<(String, Vec<u8>)>,
    pub pdf: Vec<u8>,
}

impl Rendered {
    /// Writes `DIR/<path>.pdf` and, beside it, the folder `DIR/<path>/` with `report.typ`
    /// and its files, which compiles unchanged with `typst compile report.typ`.
    pub fn write(&self, dir: &Path) -> std::io::Result<PathBuf> {
        let pdf = dir.join(&self.path).with_extension("pdf");
        let src = dir.join(&self.path);
        std::fs::create_dir_all(&src)?;
        crate::export::write_atomic(&src.join("report.typ"), self.typ.as_bytes())?;
        for (name, bytes) in &self.files {
            let p = src.join(name);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent)?;
            }
            crate::export::write_atomic(&p, bytes)?;
        }
        crate::export::write_atomic(&pdf, &self.pdf)?;
        Ok(pdf)
    }
}

/// A value as people read it, by its unit's format.
fn show_value(fw: &Framework, unit: &str, value: f64, lang: Lang) -> String {
    match fw.vocab.units.get(unit).map(|u| u.format) {
        Some(UnitFormat::Percent) => format_percent(value, 1, lang),
        Some(UnitFormat::YesNo) => {
            tr(lang, if value >= 0.5 { "word.yes" } else { "word.no" }).into()
        }
        Some(UnitFormat::Year) => format!("{value:.0}"),
        _ => {
            let decimals = if value.fract() == 0.0 { 0 } else { 1 };
            format!("{} {}", format_number(value, decimals, lang), fw.unit_label(unit, lang))
        }
    }
}

/// Renders the self-assessment of `city` for `year` in `lang`.
pub fn city(
    engine: &Arc<Engine>,
    fw: &Framework,
    ds: &Dataset,
    data: &ChartData,
    city: &str,
    year: i32,
    lang: Lang,
) -> anyhow::Result<Rendered> {
    let labels = Labels { fw, lang };
    let rows: Vec<&ValueRow> = data
        .values
        .iter()
        .filter(|r| r.city_id == city && r.year == year && !r.carried_forward)
        .collect();
    let profile = ds
        .returns
        .iter()
        .zip(&ds.profiles)
        .find(|(r, _)| r.city_id == city && r.year == year)
        .map(|(_, p)| p);
    let (Some(profile), false) = (profile, rows.is_empty()) else {
        anyhow::bail!(trf(lang, "report.no_return", &[("city", &city), ("year", &year)]));
    };
    let name = profile.city_name.clone();

    let mut rights = Vec::new();
    for right in &fw.rights {
        let score = data
            .scores
            .iter()
            .find(|r| r.city_id == city && r.year == year && r.right_id == right.id)
            .and_then(|r| r.score);
        let mut indicators = Vec::new();
        for row in &rows {
            let Some(ind) = fw.indicator(&row.indicator_id) else { continue };
            if ind.right != right.id {
                continue;
            }
            let status = row.status.as_str();
            let value = match (status, row.value) {
                ("ok", Some(v)) => show_value(fw, &ind.unit, v, lang),
                ("not_applicable", _) => tr(lang, "report.not_applicable").into(),
                ("undefined", _) => tr(lang, "report.undefined").into(),
                _ => tr(lang, "report.missing").into(),
            };
            let gap = match (status, row.missing_questions.as_deref()) {
                ("missing", Some(m)) => {
                    trf(lang, "report.fill_in", &[("questions", &m.replace(';', ", "))])
                }
                _ => String::new(),
            };
            let change = match row.change {
                Some(c)
                    if fw.vocab.units.get(&ind.unit).map(|u| u.format)
                        != Some(UnitFormat::YesNo) =>
                {
                    let sign = if c > 0.0 { "+" } else { "" };
                    format!("{sign}{}", format_number(c, 1, lang))
                }
                _ => "–".into(),
            };
            let mechanisms: Vec<String> = ind
                .sdg
                .iter()
                .map(|s| format!("{} {s}", tr(lang, "report.sdg")))
                .chain(ind.treaty.iter().cloned())
                .collect();
            indicators.push(context! {
                id => ind.id.clone(),
                title => ind.title.get(lang).to_string(),
                kind => fw.vocab.kinds.get(ind.kind.name()).map_or(ind.kind.name().to_string(), |k| k.get(lang).to_string()),
                value => value,
                change => change,
                gap => gap,
                mechanisms => mechanisms.join(" · "),
            });
        }
        rights.push(context! {
            title => right.title.get(lang).to_string(),
            score => score.is_some(),
            score_line => score.map_or(String::new(), |s| trf(lang, "report.score_line", &[("score", &format_number(s, 0, lang))])),
            indicators => indicators,
        });
    }

    let mut profile_rows = vec![
        context! { label => tr(lang, "report.region"), value => labels.region(profile.region.as_deref()) },
        context! { label => tr(lang, "report.year"), value => year.to_string() },
    ];
    let details = [
        (
            "report.level",
            profile.government_level.as_deref().map(|c| labels.choice("government_level", c)),
        ),
        ("report.population", profile.population.map(|n| format_number(n, 0, lang))),
        ("report.joined", profile.joined_campaign.map(|d| d.to_string())),
    ];
    for (key, value) in details {
        if let Some(value) = value {
            profile_rows.push(context! { label => tr(lang, key), value => value });
        }
    }

    let chart = crate::charts::right_profile(data, labels, city, year);
    let title = trf(lang, "report.city_title", &[("city", &name), ("year", &year)]);
    let ctx = context! {
        lang => lang.code(),
        title => title.clone(),
        author => "hrcities",
        kicker => tr(lang, "report.kicker"),
        city_name => name.clone(),
        subtitle => trf(lang, "report.city_subtitle", &[("year", &year)]),
        footer => title.clone(),
        profile => profile_rows,
        h_scores => tr(lang, "report.h_scores"),
        scores_intro => tr(lang, "report.scores_intro"),
        rights_alt => chart.desc.clone(),
        rights => rights,
        h_indicator => tr(lang, "report.h_indicator"),
        h_kind => tr(lang, "report.h_kind"),
        h_value => tr(lang, "report.h_value"),
        h_change => tr(lang, "report.h_change"),
    };
    let env = super::template::builtin()?;
    let typ = env.get_template("city.typ.j2")?.render(ctx)?;
    let mut doc = Document::new(engine.clone(), "city.typ.j2", typ.clone(), (year, 12, 31));
    let files = vec![("charts/rights.svg".to_string(), chart.svg.into_bytes())];
    for (path, bytes) in &files {
        doc.add_file(&format!("/{path}"), bytes.clone());
    }
    let (pdf, _warnings) = doc.pdf()?;
    let path =
        PathBuf::from(file_part(city)).join(format!("{}-{year}-{}", file_part(city), lang.code()));
    Ok(Rendered { path, typ, files, pdf })
}
