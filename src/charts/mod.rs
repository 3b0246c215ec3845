//! Stage 6: charts, drawn with plotters as SVG (for reports) and rendered to PNG (for slides
//! and e-mail) with resvg and the fonts embedded in the binary, never the system's.
//!
//! Every chart carries a `<title>` and a `<desc>` (a sentence saying what it shows) for
//! screen readers; labels are in the chosen language; missing data is drawn as missing,
//! never as zero; the same input gives the same bytes.

pub mod data;
mod draw;
mod render;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use data::ChartData;
pub use render::png;

use crate::compute::{compute, Dataset, Method, Results};
use crate::framework::Framework;
use crate::i18n::{tr, trf, Lang};
use crate::store::{Store, StoreError};

/// What every command that draws or reports starts from: the store's current returns, what
/// compute makes of them, and the chart data. The one place the chain store → dataset →
/// results → chart data is written.
pub struct Prepared {
    pub ds: Dataset,
    pub method: Method,
    pub results: Results,
    pub data: ChartData,
}

/// Why the data for charts and reports could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the indicators cannot be computed ({0})")]
    Compute(#[from] polars::error::PolarsError),
}

impl Prepared {
    /// Loads the current returns of `store`, computes them with `method` and makes the
    /// chart data.
    pub fn load(store: &Store, fw: &Framework, method: Method) -> Result<Prepared, PrepareError> {
        Prepared::load_cut(store, fw, method, &Cut::default())
    }

    /// [`Prepared::load`] for the governments of one UCLG region and the years up to one,
    /// as `cut` says.
    pub fn load_cut(
        store: &Store,
        fw: &Framework,
        method: Method,
        cut: &Cut,
    ) -> Result<Prepared, PrepareError> {
        let ds = cut.dataset(store, fw)?;
        let results = compute(fw, &ds, &method)?;
        let data = ChartData::from_results(&results)?;
        Ok(Prepared { ds, method, results, data })
    }
}

/// Which returns to compute: the governments of one UCLG region, the years up to one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cut {
    /// A UCLG region code (`africa`, `latin_america`, …).
    pub region: Option<String>,
    /// The last year.
    pub year: Option<i32>,
    /// Only the returns the campaign accepted.
    pub accepted_only: bool,
}

impl Cut {
    /// The store's current returns that the cut keeps: of its region, up to its year, only
    /// those accepted when it says so.
    pub fn dataset(&self, store: &Store, fw: &Framework) -> Result<Dataset, StoreError> {
        let mut ds = Dataset::load(store, fw)?;
        ds.restrict(self.region.as_deref(), self.year);
        if self.accepted_only {
            ds.keep_accepted();
        }
        Ok(ds)
    }

    /// Checks the region against the profile's `region` choices: an unknown one is an error
    /// that lists the known ones.
    pub fn check(&self, fw: &Framework, lang: crate::i18n::Lang) -> Result<(), String> {
        let Some(region) = &self.region else { return Ok(()) };
        let known: Vec<String> = fw
            .question("region")
            .map(|q| q.choices.iter().map(|c| c.code.clone()).collect())
            .unwrap_or_default();
        if known.iter().any(|k| k == region) {
            Ok(())
        } else {
            Err(crate::i18n::trf(
                lang,
                "cli.unknown_region",
                &[("region", region), ("known", &known.join(", "))],
            ))
        }
    }
}

/// `text` for an SVG's text or a double-quoted attribute: `&`, `<`, `>` and `"` escaped.
pub(crate) fn xml_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The Okabe–Ito palette, safe for the common forms of colour blindness (Okabe & Ito,
/// "Color Universal Design", 2008), as `(name, RGB)`; black first for the selected city.
pub const PALETTE: [(&str, (u8, u8, u8)); 8] = [
    ("black", (0, 0, 0)),
    ("orange", (230, 159, 0)),
    ("sky_blue", (86, 180, 233)),
    ("bluish_green", (0, 158, 115)),
    ("yellow", (240, 228, 66)),
    ("blue", (0, 114, 178)),
    ("vermillion", (213, 94, 0)),
    ("reddish_purple", (204, 121, 167)),
];

/// One chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// Where it goes under the charts folder, without extension (`campaign/progress`).
    pub path: PathBuf,
    /// Its title (also the SVG's `<title>`).
    pub title: String,
    /// What it shows, in a sentence or two (the SVG's `<desc>`).
    pub desc: String,
    /// The SVG document.
    pub svg: String,
}

impl Chart {
    /// Writes `DIR/<path>.svg` and, if `with_png`, `DIR/<path>.png`; returns the SVG's path.
    pub fn write(&self, dir: &Path, with_png: bool) -> std::io::Result<PathBuf> {
        let svg_path = dir.join(&self.path).with_extension("svg");
        if let Some(parent) = svg_path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        crate::export::write_atomic(&svg_path, self.svg.as_bytes())?;
        if with_png {
            let bytes = png(&self.svg, 2.0).map_err(std::io::Error::other)?;
            crate::export::write_atomic(&svg_path.with_extension("png"), &bytes)?;
        }
        Ok(svg_path)
    }
}

/// Which charts also get a PNG beside their SVG.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PngSet {
    /// Every chart.
    All,
    /// The campaign's charts (progress, quality, heatmaps, indicator distributions), not
    /// each city's: a city's charts are in its report, and drawing a PNG for each of a
    /// thousand cities takes most of a run's chart time.
    Campaign,
    /// None: SVG only.
    None,
}

impl PngSet {
    /// Whether `chart` gets a PNG.
    pub fn wants(self, chart: &Chart) -> bool {
        match self {
            PngSet::All => true,
            PngSet::Campaign => !chart.path.starts_with("cities"),
            PngSet::None => false,
        }
    }
}

/// Labels in one language, from the framework and the message catalog.
#[derive(Clone, Copy)]
pub struct Labels<'a> {
    pub fw: &'a Framework,
    pub lang: Lang,
}

impl<'a> Labels<'a> {
    /// A message of the catalog.
    pub fn t(&self, key: &'static str) -> &'static str {
        tr(self.lang, key)
    }

    /// The short title of a right (its id if unknown).
    pub fn right(&self, id: &str) -> String {
        self.fw
            .rights
            .iter()
            .find(|r| r.id == id)
            .map_or_else(|| id.to_string(), |r| r.short_title.get(self.lang).to_string())
    }

    /// The title of an indicator.
    pub fn indicator(&self, id: &str) -> String {
        self.fw.indicator(id).map_or_else(|| id.to_string(), |i| i.title.get(self.lang).to_string())
    }

    /// The label of a choice of profile question `question` (a region, a level).
    pub fn choice(&self, question: &str, code: &str) -> String {
        self.fw
            .question(question)
            .and_then(|q| q.choices.iter().find(|c| c.code == code))
            .map_or_else(|| code.to_string(), |c| c.label.get(self.lang).to_string())
    }

    /// The position of a region among the profile's choices (for sorting).
    pub fn region_order(&self, code: Option<&str>) -> usize {
        let choices = self.fw.question("region").map(|q| q.choices.as_slice()).unwrap_or(&[]);
        code.and_then(|c| choices.iter().position(|x| x.code == c)).unwrap_or(choices.len())
    }

    /// The label of dimension `id` (sex, age group, …; its id if unknown).
    pub fn dimension(&self, id: &str) -> String {
        self.fw
            .vocab
            .disaggregations
            .get(id)
            .map_or_else(|| id.to_string(), |d| d.label.get(self.lang).to_string())
    }

    /// The label of category `code` of dimension `dim` (a category the city named prints as
    /// the city wrote it).
    pub fn category(&self, dim: &str, code: &str) -> String {
        self.fw
            .vocab
            .disaggregations
            .get(dim)
            .map_or_else(|| code.to_string(), |d| d.category_label(code, self.lang).to_string())
    }

    /// A group as "Dimension: category" (`Sex: Women`).
    pub fn group(&self, dim: &str, code: &str) -> String {
        trf(
            self.lang,
            "chart.group",
            &[("dimension", &self.dimension(dim)), ("category", &self.category(dim, code))],
        )
    }

    /// Whether the categories of `dim` are named by each city (neighbourhoods).
    pub fn city_named(&self, dim: &str) -> bool {
        self.fw.vocab.disaggregations.get(dim).is_some_and(|d| d.city_named)
    }

    /// The dimensions in the order the questions first list them (sex before age group before
    /// neighbourhood), then any others by id: the order groups are shown in.
    pub fn dimension_order(&self) -> Vec<&'a str> {
        let mut out: Vec<&'a str> = Vec::new();
        let listed = self.fw.questions.iter().flat_map(|q| q.disaggregation.iter());
        for d in listed
            .map(String::as_str)
            .chain(self.fw.vocab.disaggregations.keys().map(String::as_str))
        {
            if !out.contains(&d) {
                out.push(d);
            }
        }
        out
    }

    /// The position of category `code` among its dimension's categories (a city-named
    /// category after them all).
    pub fn category_order(&self, dim: &str, code: &str) -> usize {
        let cats = self.fw.vocab.disaggregations.get(dim).map_or(&[][..], |d| &d.categories[..]);
        cats.iter().position(|c| c.code == code).unwrap_or(cats.len())
    }

    /// A region's label, or "region unknown".
    pub fn region(&self, code: Option<&str>) -> String {
        match code {
            Some(c) => self.choice("region", c),
            None => self.t("chart.region_unknown").to_string(),
        }
    }
}

/// The charts of the whole campaign for `year`: progress toward the milestones, data
/// quality per right and per region, the heatmap of cities × rights, the right scores by
/// kind, the breakdowns governments report, and the distribution of every indicator across
/// cities.
pub fn campaign_charts(data: &ChartData, labels: Labels<'_>, year: i32) -> Vec<Chart> {
    let mut out = vec![draw::progress(data, labels)];
    out.push(draw::quality(data, labels, year, "right"));
    out.push(draw::quality(data, labels, year, "region"));
    out.extend(draw::heatmaps(data, labels, year));
    out.push(draw::kind_grid(data, labels, draw::KindScope::Campaign, year));
    out.push(draw::breakdowns(data, labels, year));
    let follow: Vec<&data::FollowRow> = data.followup.iter().filter(|r| r.year == year).collect();
    if !follow.is_empty() {
        out.extend(followup_charts(&follow, labels, None, year));
    }
    for ind in &labels.fw.indicators {
        out.push(draw::strip(data, labels, &ind.id, year, None));
    }
    out
}

pub use draw::FollowBy;

/// The follow-up of UN recommendations in `rows` (of `year`; one city's when `city` is
/// given, else the campaign's): by theme and by mechanism.
pub fn followup_charts(
    rows: &[&data::FollowRow],
    labels: Labels<'_>,
    city: Option<(&str, &str)>,
    year: i32,
) -> Vec<Chart> {
    let (dir, scope) = match city {
        Some((id, name)) => (PathBuf::from("cities").join(file_part(id)), name.to_string()),
        None => (PathBuf::from("campaign"), labels.t("chart.follow_campaign").to_string()),
    };
    [(FollowBy::Theme, "followup-themes"), (FollowBy::Mechanism, "followup-mechanisms")]
        .into_iter()
        .map(|(by, name)| {
            draw::follow_up(rows, labels, by, dir.join(format!("{name}-{year}")), &scope)
        })
        .collect()
}

/// One city's right scores in `year`, with its region's median and its previous year.
pub fn right_profile(data: &ChartData, labels: Labels<'_>, city: &str, year: i32) -> Chart {
    draw::right_profile(data, labels, city, year)
}

/// A right's score beside its structural, process and outcome sub-scores in `year`, for one
/// city (`Some`) or as medians over the campaign (`None`).
pub fn kind_grid(data: &ChartData, labels: Labels<'_>, city: Option<&str>, year: i32) -> Chart {
    let scope = city.map_or(draw::KindScope::Campaign, draw::KindScope::City);
    draw::kind_grid(data, labels, scope, year)
}

/// Which breakdowns governments report in `year`: per dimension, the governments that gave it
/// for at least one question and the share of the questions asking for it they gave.
pub fn breakdowns(data: &ChartData, labels: Labels<'_>, year: i32) -> Chart {
    draw::breakdowns(data, labels, year)
}

/// The breakdown coverage of `year` behind [`breakdowns`]: a row per dimension asked for,
/// most reported first, and how many governments were asked for any breakdown.
pub fn breakdown_coverage(
    data: &ChartData,
    labels: Labels<'_>,
    year: i32,
) -> (Vec<draw::Coverage>, usize) {
    draw::coverage(data, labels, year)
}

pub use draw::Coverage;

/// The dot chart of `indicator` for the groups `city` reported in `year`, against the
/// reference group or the city as a whole, groups left behind marked.
pub fn groups(
    data: &ChartData,
    labels: Labels<'_>,
    city: &str,
    indicator: &str,
    year: i32,
) -> Chart {
    draw::groups(data, labels, city, indicator, year)
}

/// The indicators `city` has group values for in `year`, in framework order.
pub fn group_indicators(
    data: &ChartData,
    labels: Labels<'_>,
    city: &str,
    year: i32,
) -> Vec<String> {
    draw::group_indicators(data, labels, city, year)
}

/// Campaign progress toward the milestones, with the projection to 2030.
pub fn progress(data: &ChartData, labels: Labels<'_>) -> Chart {
    draw::progress(data, labels)
}

/// Completeness in `year` per `scope` (`right` or `region`).
pub fn quality(data: &ChartData, labels: Labels<'_>, year: i32, scope: &str) -> Chart {
    draw::quality(data, labels, year, scope)
}

/// The charts of one city: its right scores of each year it reported (with the regional
/// median and its previous year) and by kind of indicator, the trends of its right scores,
/// for its latest year the dot chart of every indicator it reported groups for, and, if
/// `with_indicators`, every indicator of `year` with the city highlighted.
pub fn city_charts(
    data: &ChartData,
    labels: Labels<'_>,
    city: &str,
    with_indicators: Option<i32>,
) -> Vec<Chart> {
    let mut years: Vec<i32> =
        data.city_scores(city).filter(|r| !r.carried_forward).map(|r| r.year).collect();
    years.sort();
    years.dedup();
    let mut out: Vec<Chart> =
        years.iter().map(|&y| draw::right_profile(data, labels, city, y)).collect();
    out.extend(
        years.iter().map(|&y| draw::kind_grid(data, labels, draw::KindScope::City(city), y)),
    );
    if !years.is_empty() {
        out.push(draw::trends(data, labels, city));
    }
    // Groups against their reference, for the city's latest return (each city report draws
    // those of its own year).
    if let Some(&y) = years.last() {
        for ind in draw::group_indicators(data, labels, city, y) {
            out.push(draw::groups(data, labels, city, &ind, y));
        }
        let follow: Vec<&data::FollowRow> =
            data.followup.iter().filter(|r| r.city_id == city && r.year == y).collect();
        if follow.iter().any(|r| r.relevant) {
            let name = follow[0].city_name.clone();
            out.extend(followup_charts(&follow, labels, Some((city, &name)), y));
        }
    }
    if let Some(year) = with_indicators {
        for ind in &labels.fw.indicators {
            out.push(draw::strip(data, labels, &ind.id, year, Some(city)));
        }
    }
    out
}

/// How many decimals a value is printed with: none for a whole number, one otherwise, and
/// for a value below 1 enough to show two significant digits (a ratio of 0.0015, not 0.0),
/// at most four.
pub fn value_decimals(v: f64) -> usize {
    if !v.is_finite() || v.fract() == 0.0 {
        return 0;
    }
    let mut decimals = 1;
    while decimals < 4 && (v.abs() * 10f64.powi(decimals as i32)) < 10.0 {
        decimals += 1;
    }
    decimals
}

pub use crate::export::file_part;

/// The campaign's charts for `year` and every city's.
pub fn every_chart(data: &ChartData, labels: Labels<'_>, ds: &Dataset, year: i32) -> Vec<Chart> {
    let mut ids: Vec<&str> = ds.returns.iter().map(|r| r.city_id.as_str()).collect();
    ids.dedup();
    let mut all = campaign_charts(data, labels, year);
    let per_city: Vec<Vec<Chart>> =
        ids.par_iter().map(|id| city_charts(data, labels, id, None)).collect();
    all.extend(per_city.into_iter().flatten());
    all
}

/// The height of a line of the source note, in pixels, and the space below the last one.
const SOURCE_LINE: u32 = 14;
const SOURCE_PAD: u32 = 8;
/// The mean advance of a character of the source note (10 px Noto Sans), in pixels.
const SOURCE_CHAR: f64 = 5.6;

impl Chart {
    /// The chart as published in `lang`: `-<lang>` at the end of its file name
    /// (`campaign/progress-es`), and `line` (its source and date) at its foot.
    pub fn published(mut self, lang: Lang, line: &str) -> Chart {
        let name =
            self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        self.path.set_file_name(format!("{name}-{}", lang.code()));
        self.svg = with_source_line(&self.svg, line);
        self
    }
}

/// `svg` made taller, with `line` in small grey type at its foot — on two lines, broken at
/// ` · `, when it would not fit the chart's width. An SVG whose size cannot be read is
/// returned as it is.
fn with_source_line(svg: &str, line: &str) -> String {
    let Some(end) = svg.find('>') else { return svg.to_string() };
    let head = &svg[..end];
    let number = |key: &str| -> Option<u32> {
        let start = head.find(key)? + key.len();
        head[start..].split('"').next()?.parse().ok()
    };
    let (Some(width), Some(height)) = (number(" width=\""), number(" height=\"")) else {
        return svg.to_string();
    };
    let fits = |t: &str| t.chars().count() as f64 * SOURCE_CHAR <= f64::from(width) - 40.0;
    let lines: Vec<&str> = if fits(line) { vec![line] } else { line.split(" · ").collect() };
    let taller = height + SOURCE_LINE * lines.len() as u32 + SOURCE_PAD;
    let head = head
        .replacen(&format!(" height=\"{height}\""), &format!(" height=\"{taller}\""), 1)
        .replacen(
            &format!("viewBox=\"0 0 {width} {height}\""),
            &format!("viewBox=\"0 0 {width} {taller}\""),
            1,
        );
    let body = svg[end..].trim_end();
    let body = body.strip_suffix("</svg>").unwrap_or(body);
    let mut out = format!(
        "{head}{body}<rect x=\"0\" y=\"{height}\" width=\"{width}\" height=\"{}\" fill=\"#FFFFFF\" stroke=\"none\"/>\n",
        taller - height
    );
    for (i, l) in lines.iter().enumerate() {
        out += &format!(
            "<text x=\"20\" y=\"{}\" font-family=\"'Noto Sans', 'Noto Sans Arabic', 'Noto Sans CJK KR', sans-serif\" font-size=\"10\" fill=\"#595959\">{}</text>\n",
            height + SOURCE_LINE * (i as u32 + 1) - 2,
            xml_text(l)
        );
    }
    out + "</svg>\n"
}

/// The source line of published charts, in `lang`: where the data come from and when the
/// chart was made.
pub fn source_line(lang: Lang, date: &str) -> String {
    trf(lang, "chart.source_line", &[("date", &date)])
}

/// The charts `run` and `charts` publish: the campaign's in each language of `langs`, each
/// city's in the first (its report has them in every language), each with `-<lang>` in its
/// file name and the source line dated `date`.
pub fn published_charts(
    data: &ChartData,
    fw: &Framework,
    ds: &Dataset,
    year: i32,
    langs: &[Lang],
    date: &str,
) -> Vec<Chart> {
    let mut out = Vec::new();
    for (i, &lang) in langs.iter().enumerate() {
        let labels = Labels { fw, lang };
        let line = source_line(lang, date);
        let charts = if i == 0 {
            every_chart(data, labels, ds, year)
        } else {
            campaign_charts(data, labels, year)
        };
        out.extend(charts.into_iter().map(|c| c.published(lang, &line)));
    }
    out
}

/// Writes `charts` to `dir` in parallel: SVG, and PNG for those `png` wants.
pub fn write_charts(charts: &[Chart], dir: &Path, png: PngSet) -> std::io::Result<()> {
    charts.par_iter().try_for_each(|chart| chart.write(dir, png.wants(chart)).map(|_| ()))
}

#[cfg(test)]
mod tests {
    use super::{file_part, value_decimals};

    #[test]
    fn a_published_chart_has_its_language_and_a_source_line() {
        let chart = super::Chart {
            path: "campaign/progress".into(),
            title: "T".into(),
            desc: "D".into(),
            svg: "<svg role=\"img\" width=\"760\" height=\"430\" viewBox=\"0 0 760 430\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect/>\n</svg>\n".into(),
        };
        let p = chart.published(crate::i18n::Lang::Es, "Fuente: <x> & y");
        assert_eq!(p.path, std::path::PathBuf::from("campaign/progress-es"));
        assert!(p
            .svg
            .starts_with("<svg role=\"img\" width=\"760\" height=\"452\" viewBox=\"0 0 760 452\""));
        assert!(p.svg.contains(">Fuente: &lt;x&gt; &amp; y</text>\n</svg>"));
        assert!(super::png(&p.svg, 1.0).is_ok(), "still an SVG resvg draws");
    }

    #[test]
    fn small_values_keep_two_significant_digits() {
        assert_eq!(value_decimals(12.0), 0);
        assert_eq!(value_decimals(1525.63), 1);
        assert_eq!(value_decimals(0.85), 2);
        assert_eq!(value_decimals(0.0015), 4);
        assert_eq!(value_decimals(0.000_01), 4);
    }

    #[test]
    fn file_parts_cannot_leave_their_folder() {
        assert_eq!(file_part("COL-villa-esperanza"), "COL-villa-esperanza");
        for hostile in ["../../etc/passwd", "/abs/path", "a\0b", "", "광주", "C:\\x", ".hidden"] {
            let part = file_part(hostile);
            assert!(!part.contains(['/', '\\', '\0', ':']) && !part.starts_with('.'), "{part}");
            assert!(!part.is_empty() && part != ".." && part != ".", "{part}");
        }
        assert_ne!(file_part("광주"), file_part("서울"), "distinct names stay distinct");
        assert_eq!(file_part("CON"), "_CON");
        assert_eq!(file_part("nul.txt"), "_nul.txt");
        assert!(file_part(&"x".repeat(200)).len() <= 89);
    }
}
