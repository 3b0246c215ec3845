//! The chart kinds, drawn on plotters' SVG backend with explicit layout: every label is
//! measured with the embedded font and wrapped or shortened so that none overlaps another.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::{quantile, ChartData};
use super::{file_part, Chart, Labels, PALETTE};
use crate::framework::UnitFormat;
use crate::i18n::{format_number, trf};

/// Width of every chart, in SVG pixels (an A4 text column at about 90 dpi).
const W: u32 = 760;
const FAMILY: &str = crate::fonts::FAMILY;

const INK: RGBColor = RGBColor(33, 33, 33);
const MUTED: RGBColor = RGBColor(102, 102, 102);
const GRID: RGBColor = RGBColor(224, 224, 224);
const MISSING_FILL: RGBColor = RGBColor(242, 242, 242);

fn palette(name: &str) -> RGBColor {
    let (_, (r, g, b)) = PALETTE.iter().find(|(n, _)| *n == name).copied().unwrap_or(PALETTE[0]);
    RGBColor(r, g, b)
}

/// The highlighted city / this year.
fn accent() -> RGBColor {
    palette("vermillion")
}

/// Comparisons (last year, the trend of the median).
fn second() -> RGBColor {
    palette("blue")
}

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// A font of `size` SVG pixels (plotters writes `size / 1.24` into the SVG).
fn font(size: f64) -> FontDesc<'static> {
    FontDesc::new(FontFamily::Name(FAMILY), size * 1.24, FontStyle::Normal)
}

fn bold(size: f64) -> FontDesc<'static> {
    FontDesc::new(FontFamily::Name(FAMILY), size * 1.24, FontStyle::Bold)
}

fn italic(size: f64) -> FontDesc<'static> {
    FontDesc::new(FontFamily::Name(FAMILY), size * 1.24, FontStyle::Italic)
}

/// The width of `text` set in `size`-pixel regular type, in SVG pixels, from the embedded
/// font's advance widths (characters it lacks, such as CJK, count one em).
fn width(text: &str, size: f64) -> f64 {
    use ab_glyph::Font;
    static FONT: std::sync::OnceLock<Option<ab_glyph::FontRef<'static>>> =
        std::sync::OnceLock::new();
    let Some(font) =
        FONT.get_or_init(|| ab_glyph::FontRef::try_from_slice(crate::fonts::SANS_REGULAR).ok())
    else {
        return text.chars().count() as f64 * size * 0.6;
    };
    let per_em = font.units_per_em().unwrap_or(1000.0) as f64;
    let em: f64 = text
        .chars()
        .map(|c| {
            let id = font.glyph_id(c);
            if id.0 == 0 {
                1.0
            } else {
                font.h_advance_unscaled(id) as f64 / per_em
            }
        })
        .sum();
    em * size
}

/// `text` broken into lines no wider than `max` pixels, at most `lines` of them (the last
/// one shortened with `…` if the text does not fit).
fn wrap(text: &str, size: f64, max: f64, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if width(&candidate, size) <= max || line.is_empty() {
            line = candidate;
        } else {
            out.push(std::mem::take(&mut line));
            line = word.to_string();
        }
    }
    if !line.is_empty() {
        out.push(line);
    }
    if out.len() > lines {
        let rest = out.split_off(lines - 1).join(" ");
        out.push(rest);
    }
    if let Some(last) = out.last_mut() {
        if width(last, size) > max {
            *last = shorten(last, size, max);
        }
    }
    out
}

/// `text` cut with `…` to fit `max` pixels.
fn shorten(text: &str, size: f64, max: f64) -> String {
    if width(text, size) <= max {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut n = chars.len();
    while n > 1 {
        n -= 1;
        let candidate: String = chars[..n].iter().collect::<String>().trim_end().to_string() + "…";
        if width(&candidate, size) <= max {
            return candidate;
        }
    }
    "…".into()
}

fn text(area: &Area<'_>, s: &str, (x, y): (f64, f64), style: TextStyle<'_>) {
    let _ = area.draw(&Text::new(s.to_string(), (x.round() as i32, y.round() as i32), style));
}

fn left(f: FontDesc<'static>, color: RGBColor) -> TextStyle<'static> {
    f.color(&color).pos(Pos::new(HPos::Left, VPos::Center))
}

fn rightward(f: FontDesc<'static>, color: RGBColor) -> TextStyle<'static> {
    f.color(&color).pos(Pos::new(HPos::Right, VPos::Center))
}

fn centre(f: FontDesc<'static>, color: RGBColor) -> TextStyle<'static> {
    f.color(&color).pos(Pos::new(HPos::Center, VPos::Center))
}

fn rect(area: &Area<'_>, (x0, y0): (f64, f64), (x1, y1): (f64, f64), style: ShapeStyle) {
    let p = |x: f64, y: f64| (x.round() as i32, y.round() as i32);
    let _ = area.draw(&Rectangle::new([p(x0, y0), p(x1, y1)], style));
}

fn line(area: &Area<'_>, points: &[(f64, f64)], style: ShapeStyle) {
    let pts: Vec<(i32, i32)> =
        points.iter().map(|(x, y)| (x.round() as i32, y.round() as i32)).collect();
    let _ = area.draw(&PathElement::new(pts, style));
}

fn dot(area: &Area<'_>, (x, y): (f64, f64), r: i32, style: ShapeStyle) {
    let _ = area.draw(&Circle::new((x.round() as i32, y.round() as i32), r, style));
}

fn diamond(area: &Area<'_>, (x, y): (f64, f64), r: f64, style: ShapeStyle) {
    let p = |dx: f64, dy: f64| ((x + dx).round() as i32, (y + dy).round() as i32);
    let _ = area.draw(&Polygon::new(vec![p(0.0, -r), p(r, 0.0), p(0.0, r), p(-r, 0.0)], style));
}

/// A row label of one or more 12-pixel lines, left-aligned at `x` and centred on `y`.
fn label_lines(area: &Area<'_>, lines: &[String], (x, y): (f64, f64)) {
    let n = lines.len() as f64;
    for (k, s) in lines.iter().enumerate() {
        text(area, s, (x, y + (k as f64 - (n - 1.0) / 2.0) * 14.0), left(font(12.0), INK));
    }
}

/// The title (wrapped) and subtitle at the top; returns the y where the chart body starts.
fn header(area: &Area<'_>, title: &str, subtitle: &str) -> f64 {
    let mut y = 22.0;
    for l in wrap(title, 18.0, (W as f64 - 40.0) / 1.07, 2) {
        text(area, &l, (20.0, y), left(bold(18.0), INK));
        y += 24.0;
    }
    for l in wrap(subtitle, 13.0, W as f64 - 40.0, 3) {
        text(area, &l, (20.0, y - 2.0), left(font(13.0), MUTED));
        y += 18.0;
    }
    y + 8.0
}

/// The lines a header takes (to size the canvas before drawing).
fn header_height(title: &str, subtitle: &str) -> f64 {
    let t = wrap(title, 18.0, (W as f64 - 40.0) / 1.07, 2).len() as f64;
    let s = wrap(subtitle, 13.0, W as f64 - 40.0, 3).len() as f64;
    22.0 + 24.0 * t + 18.0 * s + 8.0
}

/// Draws with `paint` on a `W × height` SVG canvas and wraps the result as a chart.
fn chart(
    path: PathBuf,
    title: String,
    desc: String,
    height: f64,
    paint: impl FnOnce(&Area<'_>),
) -> Chart {
    super::render::register_fonts();
    let mut svg = String::new();
    {
        let backend = SVGBackend::with_string(&mut svg, (W, height.ceil() as u32));
        let area = backend.into_drawing_area();
        let _ = area.fill(&WHITE);
        paint(&area);
        let _ = area.present();
    }
    let svg = super::render::tag_scripts(&svg);
    Chart { svg: accessible(&svg, &title, &desc), path, title, desc }
}

/// `svg` with `role="img"`, a `<title>` and a `<desc>` right after the opening tag.
fn accessible(svg: &str, title: &str, desc: &str) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
    };
    let Some(end) = svg.find('>') else { return svg.to_string() };
    let (open, rest) = svg.split_at(end + 1);
    let open = open.replacen("<svg ", "<svg role=\"img\" ", 1);
    format!("{open}\n<title>{}</title>\n<desc>{}</desc>{rest}", esc(title), esc(desc))
}

/// Ticks for an axis from `lo` to `hi`: about `n` round numbers.
fn ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
        return vec![lo];
    }
    let raw = (hi - lo) / n as f64;
    let mag = 10f64.powi(raw.log10().floor() as i32);
    let step =
        [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(raw);
    let mut out = Vec::new();
    let mut t = (lo / step).ceil() * step;
    while t <= hi + step * 1e-9 {
        out.push(if t.abs() < step * 1e-9 { 0.0 } else { t });
        t += step;
    }
    out
}

fn decimals(step: f64) -> usize {
    if step >= 1.0 || step <= 0.0 {
        0
    } else {
        (-step.log10().floor()) as usize
    }
}

// ---------------------------------------------------------------------------------------
// A city's right scores
// ---------------------------------------------------------------------------------------

/// Dot chart of one city's right scores in `year`, with its region's median and its own
/// previous year.
pub fn right_profile(data: &ChartData, l: Labels<'_>, city: &str, year: i32) -> Chart {
    let own: Vec<_> = data.city_scores(city).collect();
    let this: BTreeMap<&str, Option<f64>> = own
        .iter()
        .filter(|r| r.year == year && !r.carried_forward)
        .map(|r| (r.right_id.as_str(), r.score))
        .collect();
    let name = own.first().map_or(city.to_string(), |r| r.city_name.clone());
    let region = own.iter().find(|r| r.year == year).and_then(|r| r.region.clone());
    let previous_year =
        own.iter().filter(|r| r.year < year && !r.carried_forward).map(|r| r.year).max();
    let last: BTreeMap<&str, Option<f64>> = own
        .iter()
        .filter(|r| Some(r.year) == previous_year)
        .map(|r| (r.right_id.as_str(), r.score))
        .collect();
    let median = |right: &str| data.region_median(year, region.as_deref(), right);
    let region_name = l.region(region.as_deref());
    let title = trf(l.lang, "chart.profile_title", &[("city", &name), ("year", &year)]);
    let subtitle = trf(l.lang, "chart.profile_subtitle", &[("region", &region_name)]);
    let rights: Vec<&str> = l.fw.rights.iter().map(|r| r.id.as_str()).collect();
    let scored = rights.iter().filter(|r| this.get(*r).copied().flatten().is_some()).count();
    let desc = trf(
        l.lang,
        "chart.profile_desc",
        &[
            ("city", &name),
            ("year", &year),
            ("n", &scored),
            ("total", &rights.len()),
            ("region", &region_name),
        ],
    );
    let (label_w, x0, x1) = (200.0, 230.0, 690.0);
    let row = 30.0;
    let top = header_height(&title, &subtitle) + 34.0;
    let height = top + row * rights.len() as f64 + 50.0;
    let path = PathBuf::from("cities").join(file_part(city)).join(format!("rights-{year}"));
    chart(path, title.clone(), desc, height, |area| {
        header(area, &title, &subtitle);
        // Legend.
        let ly = top - 22.0;
        let mut lx = x0;
        dot(area, (lx, ly), 6, accent().filled());
        text(area, &year.to_string(), (lx + 10.0, ly), left(font(12.0), INK));
        lx += 34.0 + width(&year.to_string(), 12.0);
        if let Some(py) = previous_year {
            dot(area, (lx, ly), 5, second().stroke_width(2));
            text(area, &py.to_string(), (lx + 10.0, ly), left(font(12.0), INK));
            lx += 34.0 + width(&py.to_string(), 12.0);
        }
        diamond(area, (lx, ly), 6.0, MUTED.filled());
        let m = trf(l.lang, "chart.regional_median", &[("region", &region_name)]);
        text(area, &shorten(&m, 12.0, x1 - lx - 12.0), (lx + 10.0, ly), left(font(12.0), INK));
        // Grid.
        let x = |v: f64| x0 + (x1 - x0) * v.clamp(0.0, 100.0) / 100.0;
        let bottom = top + row * rights.len() as f64;
        for t in [0.0, 25.0, 50.0, 75.0, 100.0] {
            line(area, &[(x(t), top - 6.0), (x(t), bottom)], GRID.stroke_width(1));
            text(
                area,
                &format_number(t, 0, l.lang),
                (x(t), bottom + 12.0),
                centre(font(11.0), MUTED),
            );
        }
        text(
            area,
            l.t("chart.score_axis"),
            ((x0 + x1) / 2.0, bottom + 30.0),
            centre(font(12.0), MUTED),
        );
        for (i, id) in rights.iter().enumerate() {
            let y = top + row * (i as f64 + 0.5);
            label_lines(area, &wrap(&l.right(id), 12.0, label_w, 2), (20.0, y));
            line(area, &[(x0, y), (x1, y)], GRID.stroke_width(1));
            if let Some(m) = median(id) {
                diamond(area, (x(m), y), 6.0, MUTED.filled());
            }
            if let Some(Some(v)) = last.get(id) {
                dot(area, (x(*v), y), 5, second().stroke_width(2));
            }
            match this.get(id).copied().flatten() {
                Some(v) => {
                    dot(area, (x(v), y), 6, accent().filled());
                    text(
                        area,
                        &format_number(v, 0, l.lang),
                        (x1 + 50.0, y),
                        rightward(bold(12.0), INK),
                    );
                }
                None => {
                    text(
                        area,
                        l.t("chart.no_score"),
                        (x1 + 50.0, y),
                        rightward(italic(11.0), MUTED),
                    );
                }
            }
        }
    })
}

// ---------------------------------------------------------------------------------------
// One indicator across cities
// ---------------------------------------------------------------------------------------

/// Strip plot of one indicator in `year`: a row per region with each city's value, the
/// quartile box and median, the selected city highlighted and named.
pub fn strip(
    data: &ChartData,
    l: Labels<'_>,
    indicator: &str,
    year: i32,
    city: Option<&str>,
) -> Chart {
    let rows: Vec<_> = data
        .values
        .iter()
        .filter(|r| r.indicator_id == indicator && r.year == year && !r.carried_forward)
        .filter(|r| r.status != "not_applicable")
        .collect();
    let mut regions: BTreeMap<usize, (Option<String>, Vec<&super::data::ValueRow>)> =
        BTreeMap::new();
    for r in &rows {
        regions
            .entry(l.region_order(r.region.as_deref()))
            .or_insert_with(|| (r.region.clone(), Vec::new()))
            .1
            .push(r);
    }
    let ind = l.fw.indicator(indicator);
    let unit = ind.map(|i| i.unit.clone()).unwrap_or_default();
    let format = l.fw.vocab.units.get(&unit).map(|u| u.format);
    let unit_label = l.fw.unit_label(&unit, l.lang).to_string();
    let values: Vec<f64> = rows.iter().filter_map(|r| r.value).collect();
    let (lo, hi) = match format {
        Some(UnitFormat::Percent) => (0.0, values.iter().copied().fold(100.0, f64::max)),
        Some(UnitFormat::YesNo) => (0.0, 1.0),
        _ => {
            let lo = values.iter().copied().fold(0.0, f64::min);
            let hi = values.iter().copied().fold(f64::MIN, f64::max);
            (lo, if hi > lo { hi } else { lo + 1.0 })
        }
    };
    // Round the far end up to the next tick, so every dot sits inside the axis.
    let hi = match ticks(lo, hi, 5).as_slice() {
        [a, b, ..] if format != Some(UnitFormat::YesNo) => {
            ((hi - lo) / (b - a)).ceil() * (b - a) + lo
        }
        _ => hi,
    };
    let title = l.indicator(indicator);
    let subtitle = trf(
        l.lang,
        "chart.strip_subtitle",
        &[("id", &indicator), ("year", &year), ("unit", &unit_label)],
    );
    let selected = city.and_then(|c| rows.iter().find(|r| r.city_id == c));
    // The highlighted city, when the indicator does not apply to it (it has no dot).
    let not_applicable = city.and_then(|c| {
        data.values.iter().find(|r| {
            r.city_id == c
                && r.indicator_id == indicator
                && r.year == year
                && !r.carried_forward
                && r.status == "not_applicable"
        })
    });
    let na_line =
        not_applicable.map(|r| trf(l.lang, "chart.city_not_applicable", &[("city", &r.city_name)]));
    let desc = trf(
        l.lang,
        "chart.strip_desc",
        &[("title", &title), ("year", &year), ("n", &values.len()), ("regions", &regions.len())],
    ) + &selected.map_or(String::new(), |s| {
        " ".to_string()
            + &trf(
                l.lang,
                "chart.strip_desc_city",
                &[
                    ("city", &s.city_name),
                    (
                        "value",
                        &s.value.map_or(l.t("chart.no_value").to_string(), |v| {
                            format_number(v, 1, l.lang)
                        }),
                    ),
                ],
            )
    }) + &na_line.as_ref().map_or(String::new(), |n| format!(" {n}"));
    let (x0, x1) = (220.0, 660.0);
    let row = 44.0;
    let top = header_height(&title, &subtitle) + 10.0;
    let height =
        top + row * regions.len().max(1) as f64 + 46.0 + if na_line.is_some() { 22.0 } else { 0.0 };
    let path = match city {
        Some(c) => PathBuf::from("cities").join(file_part(c)).join(format!("{indicator}-{year}")),
        None => PathBuf::from("indicators").join(format!("{}-{year}", file_part(indicator))),
    };
    chart(path, title.clone(), desc, height, |area| {
        header(area, &title, &subtitle);
        let x = |v: f64| x0 + (x1 - x0) * ((v - lo) / (hi - lo)).clamp(0.0, 1.0);
        let bottom = top + row * regions.len().max(1) as f64;
        let tk = ticks(lo, hi, 5);
        let step = if tk.len() > 1 { tk[1] - tk[0] } else { 1.0 };
        for t in &tk {
            line(area, &[(x(*t), top), (x(*t), bottom)], GRID.stroke_width(1));
            let label = match format {
                Some(UnitFormat::YesNo) if *t == 0.0 => l.t("word.no").to_string(),
                Some(UnitFormat::YesNo) if *t == 1.0 => l.t("word.yes").to_string(),
                Some(UnitFormat::YesNo) => continue,
                _ => format_number(*t, decimals(step), l.lang),
            };
            text(area, &label, (x(*t), bottom + 12.0), centre(font(11.0), MUTED));
        }
        text(area, &unit_label, ((x0 + x1) / 2.0, bottom + 30.0), centre(font(12.0), MUTED));
        if let Some(n) = &na_line {
            text(
                area,
                &shorten(n, 11.0, W as f64 - 40.0),
                (20.0, bottom + 52.0),
                left(italic(11.0), accent()),
            );
        }
        if regions.is_empty() {
            text(
                area,
                l.t("chart.no_data"),
                ((x0 + x1) / 2.0, top + row / 2.0),
                centre(italic(13.0), MUTED),
            );
        }
        for (i, (region, members)) in regions.values().enumerate() {
            let y = top + row * (i as f64 + 0.5);
            label_lines(area, &wrap(&l.region(region.as_deref()), 12.0, x0 - 36.0, 2), (20.0, y));
            let mut v: Vec<f64> = members.iter().filter_map(|r| r.value).collect();
            let missing = members.len() - v.len();
            if let (Some(q1), Some(q3), Some(m)) =
                (quantile(&mut v, 0.25), quantile(&mut v, 0.75), quantile(&mut v, 0.5))
            {
                rect(area, (x(q1), y - 10.0), (x(q3), y + 10.0), RGBColor(230, 236, 245).filled());
                line(area, &[(x(m), y - 12.0), (x(m), y + 12.0)], INK.stroke_width(2));
            }
            for r in members.iter().filter(|r| Some(r.city_id.as_str()) != city) {
                if let Some(val) = r.value {
                    let jitter = (crate::export::sha256_hex(r.city_id.as_bytes()).as_bytes()[0]
                        as f64
                        / 255.0
                        - 0.5)
                        * 12.0;
                    dot(area, (x(val), y + jitter), 4, palette("blue").mix(0.75).filled());
                }
            }
            let n_text = trf(l.lang, "chart.n_values", &[("n", &v.len())]);
            let n_text = if missing > 0 {
                format!("{n_text} · {}", trf(l.lang, "chart.n_missing", &[("n", &missing)]))
            } else {
                n_text
            };
            text(
                area,
                &shorten(&n_text, 10.0, W as f64 - x1 - 14.0),
                (x1 + 10.0, y),
                left(font(10.0), MUTED),
            );
            if let Some(s) = members.iter().find(|r| Some(r.city_id.as_str()) == city) {
                match s.value {
                    Some(val) => {
                        dot(area, (x(val), y), 6, accent().filled());
                        let label = shorten(&s.city_name, 11.0, 200.0);
                        let flip = x(val) > (x0 + x1) / 2.0;
                        let (anchor, dx) =
                            if flip { (HPos::Right, -8.0) } else { (HPos::Left, 8.0) };
                        text(
                            area,
                            &label,
                            (x(val) + dx, y - 15.0),
                            bold(11.0).color(&accent()).pos(Pos::new(anchor, VPos::Center)),
                        );
                    }
                    None => {
                        let label = trf(l.lang, "chart.city_no_value", &[("city", &s.city_name)]);
                        text(
                            area,
                            &shorten(&label, 11.0, x1 - x0),
                            (x0 + 4.0, y - 15.0),
                            left(italic(11.0), accent()),
                        );
                    }
                }
            }
        }
    })
}

// ---------------------------------------------------------------------------------------
// Cities × rights
// ---------------------------------------------------------------------------------------

/// Blues (ColorBrewer, sequential, colour-blind safe) in five classes of 20 points.
const BLUES: [RGBColor; 5] = [
    RGBColor(239, 243, 255),
    RGBColor(189, 215, 231),
    RGBColor(107, 174, 214),
    RGBColor(49, 130, 189),
    RGBColor(8, 81, 156),
];

fn blue(score: f64) -> RGBColor {
    BLUES[((score / 20.0).floor() as usize).min(4)]
}

/// A heatmap row's sort key: region order, city name, city id.
type HeatKey = (usize, String, String);
/// A heatmap row: the city's region and its score per right.
type HeatRow<'a> = (Option<String>, BTreeMap<&'a str, Option<f64>>);

/// At most this many cities go in one heatmap; more are split by region, then in chunks.
const HEATMAP_ROWS: usize = 60;

/// Heatmaps of cities × right scores in `year`, sorted by region then name; missing scores
/// are drawn as hatched grey cells marked "–", not as zero.
pub fn heatmaps(data: &ChartData, l: Labels<'_>, year: i32) -> Vec<Chart> {
    let mut cities: BTreeMap<HeatKey, HeatRow<'_>> = BTreeMap::new();
    for r in data.scores.iter().filter(|r| r.year == year && !r.carried_forward) {
        cities
            .entry((l.region_order(r.region.as_deref()), r.city_name.clone(), r.city_id.clone()))
            .or_insert_with(|| (r.region.clone(), BTreeMap::new()))
            .1
            .insert(r.right_id.as_str(), r.score);
    }
    let all: Vec<_> = cities.into_iter().collect();
    let groups: Vec<(Option<String>, Vec<_>)> = if all.len() <= HEATMAP_ROWS {
        vec![(None, all)]
    } else {
        let mut by_region: BTreeMap<usize, Vec<_>> = BTreeMap::new();
        for c in all {
            by_region.entry(c.0 .0).or_default().push(c);
        }
        let mut out = Vec::new();
        for (_, members) in by_region {
            let code = members[0].1 .0.clone();
            let chunks: Vec<Vec<_>> = members.chunks(HEATMAP_ROWS).map(|c| c.to_vec()).collect();
            let n = chunks.len();
            for (k, chunk) in chunks.into_iter().enumerate() {
                let key = match (&code, n) {
                    (Some(c), 1) => Some(c.clone()),
                    (Some(c), _) => Some(format!("{c}-{}", k + 1)),
                    (None, 1) => Some("unknown".into()),
                    (None, _) => Some(format!("unknown-{}", k + 1)),
                };
                out.push((key, chunk));
            }
        }
        out
    };
    groups
        .into_iter()
        .map(|(key, rows)| {
            let rights: Vec<&crate::framework::Right> = l.fw.rights.iter().collect();
            let title = trf(l.lang, "chart.heatmap_title", &[("year", &year)]);
            let subtitle = match &key {
                None => l.t("chart.heatmap_subtitle").to_string(),
                Some(_) => format!(
                    "{} — {}",
                    l.t("chart.heatmap_subtitle"),
                    l.region(rows.first().and_then(|r| r.1 .0.as_deref()))
                ),
            };
            let missing: usize = rows
                .iter()
                .map(|r| {
                    rights
                        .iter()
                        .filter(|x| r.1 .1.get(x.id.as_str()).copied().flatten().is_none())
                        .count()
                })
                .sum();
            let desc = trf(
                l.lang,
                "chart.heatmap_desc",
                &[
                    ("cities", &rows.len()),
                    ("rights", &rights.len()),
                    ("year", &year),
                    ("missing", &missing),
                ],
            );
            let head_h =
                rights.iter().map(|r| width(&l.right(&r.id), 11.0)).fold(60.0, f64::max).min(170.0)
                    + 16.0;
            let (label_w, col_w, row_h) =
                (170.0, ((W as f64 - 20.0 - 190.0) / rights.len().max(1) as f64).floor(), 20.0);
            let x0 = 20.0 + label_w;
            let top_title = header_height(&title, &subtitle);
            let top = top_title + head_h;
            // Region band rows.
            let mut layout: Vec<(f64, Option<&_>)> = Vec::new();
            let mut y = top;
            let mut last_region: Option<Option<String>> = None;
            for r in &rows {
                if last_region.as_ref() != Some(&r.1 .0) {
                    layout.push((y, None));
                    y += row_h;
                    last_region = Some(r.1 .0.clone());
                }
                layout.push((y, Some(r)));
                y += row_h;
            }
            let height = y + 60.0;
            let path = PathBuf::from("campaign").join(match &key {
                None => format!("heatmap-{year}"),
                Some(k) => format!("heatmap-{year}-{}", file_part(k)),
            });
            chart(path, title.clone(), desc, height, |area| {
                header(area, &title, &subtitle);
                for (j, r) in rights.iter().enumerate() {
                    let cx = x0 + col_w * (j as f64 + 0.5);
                    let label = shorten(&l.right(&r.id), 11.0, head_h - 8.0);
                    text(
                        area,
                        &label,
                        (cx, top - 6.0),
                        font(11.0)
                            .color(&INK)
                            .transform(FontTransform::Rotate270)
                            .pos(Pos::new(HPos::Left, VPos::Center)),
                    );
                }
                for (y, r) in &layout {
                    match r {
                        None => {
                            let region = layout
                                .iter()
                                .skip_while(|(yy, _)| yy <= y)
                                .find_map(|(_, r)| *r)
                                .and_then(|r| r.1 .0.as_deref());
                            text(
                                area,
                                &shorten(&l.region(region), 12.0, W as f64 - 40.0),
                                (20.0, y + row_h / 2.0 + 2.0),
                                left(bold(12.0), INK),
                            );
                        }
                        Some(city) => {
                            text(
                                area,
                                &shorten(&city.0 .1, 11.0, label_w - 10.0),
                                (28.0, y + row_h / 2.0),
                                left(font(11.0), INK),
                            );
                            for (j, right) in rights.iter().enumerate() {
                                let cx0 = x0 + col_w * j as f64;
                                let cell =
                                    ((cx0 + 1.0, y + 1.0), (cx0 + col_w - 1.0, y + row_h - 1.0));
                                match city.1 .1.get(right.id.as_str()).copied().flatten() {
                                    Some(s) => {
                                        rect(area, cell.0, cell.1, blue(s).filled());
                                        let ink = if s >= 60.0 { WHITE } else { INK };
                                        text(
                                            area,
                                            &format_number(s, 0, l.lang),
                                            (cx0 + col_w / 2.0, y + row_h / 2.0),
                                            centre(font(10.0), ink),
                                        );
                                    }
                                    None => {
                                        rect(area, cell.0, cell.1, MISSING_FILL.filled());
                                        line(
                                            area,
                                            &[(cell.0 .0, cell.1 .1), (cell.1 .0, cell.0 .1)],
                                            GRID.stroke_width(1),
                                        );
                                        text(
                                            area,
                                            "–",
                                            (cx0 + col_w / 2.0, y + row_h / 2.0),
                                            centre(font(10.0), MUTED),
                                        );
                                    }
                                }
                            }
                        }
                    }
                }
                // Legend.
                let ly = height - 30.0;
                let mut lx = 20.0;
                text(area, l.t("chart.score_axis"), (lx, ly), left(font(11.0), MUTED));
                lx += width(l.t("chart.score_axis"), 11.0) + 10.0;
                for (k, c) in BLUES.iter().enumerate() {
                    rect(area, (lx, ly - 8.0), (lx + 44.0, ly + 8.0), c.filled());
                    let range = format!("{}–{}", k * 20, k * 20 + 20);
                    text(
                        area,
                        &range,
                        (lx + 22.0, ly),
                        centre(font(10.0), if k >= 3 { WHITE } else { INK }),
                    );
                    lx += 46.0;
                }
                lx += 12.0;
                rect(area, (lx, ly - 8.0), (lx + 20.0, ly + 8.0), MISSING_FILL.filled());
                text(area, "–", (lx + 10.0, ly), centre(font(10.0), MUTED));
                text(
                    area,
                    &shorten(l.t("chart.no_score"), 11.0, W as f64 - lx - 50.0),
                    (lx + 26.0, ly),
                    left(font(11.0), MUTED),
                );
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Trends
// ---------------------------------------------------------------------------------------

/// Small multiples: one panel per right with the city's score in each year it reported
/// and its region's median.
pub fn trends(data: &ChartData, l: Labels<'_>, city: &str) -> Chart {
    let own: Vec<_> = data.city_scores(city).filter(|r| !r.carried_forward).collect();
    let name = own.first().map_or(city.to_string(), |r| r.city_name.clone());
    let years: BTreeSet<i32> = data.years().into_iter().collect();
    let years: Vec<i32> = years.into_iter().collect();
    let regions: BTreeMap<i32, Option<String>> =
        own.iter().map(|r| (r.year, r.region.clone())).collect();
    let title = trf(l.lang, "chart.trends_title", &[("city", &name)]);
    let subtitle = l.t("chart.trends_subtitle").to_string();
    let desc = trf(
        l.lang,
        "chart.trends_desc",
        &[
            ("city", &name),
            ("from", &years.first().copied().unwrap_or(0)),
            ("to", &years.last().copied().unwrap_or(0)),
        ],
    );
    let cols = 4usize;
    let n = l.fw.rights.len();
    let rows = n.div_ceil(cols);
    let (pw, ph) = ((W as f64 - 40.0) / cols as f64, 150.0);
    let top = header_height(&title, &subtitle) + 30.0;
    let height = top + ph * rows as f64 + 20.0;
    let path = PathBuf::from("cities").join(file_part(city)).join("trends");
    chart(path, title.clone(), desc, height, |area| {
        header(area, &title, &subtitle);
        let ly = top - 18.0;
        line(area, &[(20.0, ly), (44.0, ly)], accent().stroke_width(2));
        dot(area, (32.0, ly), 4, accent().filled());
        text(area, &shorten(&name, 12.0, 260.0), (50.0, ly), left(font(12.0), INK));
        let lx = 60.0 + width(&shorten(&name, 12.0, 260.0), 12.0) + 20.0;
        line(area, &[(lx, ly), (lx + 24.0, ly)], MUTED.stroke_width(2));
        text(area, l.t("chart.median_of_region"), (lx + 30.0, ly), left(font(12.0), INK));
        for (i, right) in l.fw.rights.iter().enumerate() {
            let (px, py) = (20.0 + pw * (i % cols) as f64, top + ph * (i / cols) as f64);
            let lines = wrap(&l.right(&right.id), 11.0, pw - 16.0, 2);
            for (k, s) in lines.iter().enumerate() {
                text(area, s, (px + 4.0, py + 8.0 + 13.0 * k as f64), left(bold(11.0), INK));
            }
            let (gx0, gx1, gy0, gy1) = (px + 30.0, px + pw - 14.0, py + 40.0, py + ph - 28.0);
            let x = |year: i32| {
                if years.len() <= 1 {
                    (gx0 + gx1) / 2.0
                } else {
                    let k = years.iter().position(|y| *y == year).unwrap_or(0) as f64;
                    gx0 + (gx1 - gx0) * k / (years.len() - 1) as f64
                }
            };
            let y = |v: f64| gy1 - (gy1 - gy0) * v.clamp(0.0, 100.0) / 100.0;
            for t in [0.0, 50.0, 100.0] {
                line(area, &[(gx0, y(t)), (gx1, y(t))], GRID.stroke_width(1));
                text(
                    area,
                    &format_number(t, 0, l.lang),
                    (gx0 - 4.0, y(t)),
                    rightward(font(9.0), MUTED),
                );
            }
            for yr in &years {
                text(area, &yr.to_string(), (x(*yr), gy1 + 11.0), centre(font(9.0), MUTED));
            }
            // Regional median per year, then the city.
            let medians: Vec<(i32, Option<f64>)> = years
                .iter()
                .map(|yr| {
                    let median = regions
                        .get(yr)
                        .and_then(|region| data.region_median(*yr, region.as_deref(), &right.id));
                    (*yr, median)
                })
                .collect();
            draw_series(area, &medians, &x, &y, MUTED, 3);
            let own_series: Vec<(i32, Option<f64>)> = years
                .iter()
                .map(|yr| {
                    (
                        *yr,
                        own.iter()
                            .find(|r| r.year == *yr && r.right_id == right.id)
                            .and_then(|r| r.score),
                    )
                })
                .collect();
            draw_series(area, &own_series, &x, &y, accent(), 4);
            if own_series.iter().all(|(_, v)| v.is_none()) {
                text(
                    area,
                    l.t("chart.no_score"),
                    ((gx0 + gx1) / 2.0, (gy0 + gy1) / 2.0),
                    centre(italic(10.0), MUTED),
                );
            }
        }
    })
}

/// A line through consecutive present points (a gap where a value is missing), with dots.
fn draw_series(
    area: &Area<'_>,
    series: &[(i32, Option<f64>)],
    x: &dyn Fn(i32) -> f64,
    y: &dyn Fn(f64) -> f64,
    color: RGBColor,
    r: i32,
) {
    for pair in series.windows(2) {
        if let ((a, Some(va)), (b, Some(vb))) = (pair[0], pair[1]) {
            line(area, &[(x(a), y(va)), (x(b), y(vb))], color.stroke_width(2));
        }
    }
    for (yr, v) in series {
        if let Some(v) = v {
            dot(area, (x(*yr), y(*v)), r, color.filled());
        }
    }
}

// ---------------------------------------------------------------------------------------
// Campaign progress
// ---------------------------------------------------------------------------------------

/// Cumulative governments committed against the milestones 10, 100 and 1,000 (log scale),
/// observed then projected to 2030.
pub fn progress(data: &ChartData, l: Labels<'_>) -> Chart {
    let rows = &data.campaign;
    let title = l.t("chart.progress_title").to_string();
    let subtitle = l.t("chart.progress_subtitle").to_string();
    let observed: Vec<_> = rows.iter().filter(|r| !r.projected).collect();
    let last = observed.last();
    let end = rows.last();
    let desc = match (last, end) {
        (Some(o), Some(e)) => trf(
            l.lang,
            "chart.progress_desc",
            &[
                ("count", &format_number(o.cumulative, 0, l.lang)),
                ("year", &o.year),
                ("projected", &format_number(e.cumulative, 0, l.lang)),
                ("end", &e.year),
            ],
        ),
        _ => l.t("chart.progress_none").to_string(),
    };
    let top = header_height(&title, &subtitle) + 10.0;
    let height = top + 330.0;
    let (x0, x1, y0, y1) = (80.0, W as f64 - 90.0, top, top + 270.0);
    chart(PathBuf::from("campaign").join("progress"), title.clone(), desc, height, |area| {
        header(area, &title, &subtitle);
        if rows.is_empty() {
            text(
                area,
                l.t("chart.progress_none"),
                ((x0 + x1) / 2.0, (y0 + y1) / 2.0),
                centre(italic(13.0), MUTED),
            );
            return;
        }
        let (first, last_year) = (rows[0].year, rows[rows.len() - 1].year);
        let x =
            |yr: f64| x0 + (x1 - x0) * (yr - first as f64) / ((last_year - first).max(1) as f64);
        // log10 scale from 1 to 2,000.
        let y = |v: f64| y1 - (y1 - y0) * (v.max(1.0).log10() / 2000f64.log10());
        for v in [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0] {
            line(area, &[(x0, y(v)), (x1, y(v))], GRID.stroke_width(1));
            text(
                area,
                &format_number(v, 0, l.lang),
                (x0 - 8.0, y(v)),
                rightward(font(11.0), MUTED),
            );
        }
        let step = if last_year - first > 12 { 2 } else { 1 };
        for yr in (first..=last_year).step_by(step) {
            text(area, &yr.to_string(), (x(yr as f64), y1 + 14.0), centre(font(11.0), MUTED));
        }
        text(
            area,
            l.t("chart.progress_axis"),
            (20.0, (y0 + y1) / 2.0),
            font(12.0)
                .color(&MUTED)
                .transform(FontTransform::Rotate270)
                .pos(Pos::new(HPos::Center, VPos::Center)),
        );
        // Milestones.
        for m in [10.0, 100.0, 1000.0] {
            line(area, &[(x0, y(m)), (x1, y(m))], palette("bluish_green").stroke_width(2));
            let label = trf(l.lang, "chart.milestone", &[("n", &format_number(m, 0, l.lang))]);
            text(
                area,
                &shorten(&label, 11.0, W as f64 - x1 - 8.0),
                (x1 + 6.0, y(m)),
                left(bold(11.0), palette("bluish_green")),
            );
        }
        // Observed, then projected (dashed) from the last observed year.
        let pts: Vec<(f64, f64)> =
            observed.iter().map(|r| (x(r.year as f64), y(r.cumulative))).collect();
        line(area, &pts, accent().stroke_width(3));
        for p in &pts {
            dot(area, *p, 4, accent().filled());
        }
        let mut projected: Vec<(f64, f64)> =
            last.map(|r| vec![(x(r.year as f64), y(r.cumulative))]).unwrap_or_default();
        projected.extend(
            rows.iter().filter(|r| r.projected).map(|r| (x(r.year as f64), y(r.cumulative))),
        );
        for seg in projected.windows(2) {
            let (a, b) = (seg[0], seg[1]);
            for k in 0..6 {
                let (t0, t1) = (k as f64 / 6.0, (k as f64 + 0.55) / 6.0);
                line(
                    area,
                    &[
                        (a.0 + (b.0 - a.0) * t0, a.1 + (b.1 - a.1) * t0),
                        (a.0 + (b.0 - a.0) * t1, a.1 + (b.1 - a.1) * t1),
                    ],
                    second().stroke_width(2),
                );
            }
        }
        // Milestones passed, labelled where they happened.
        for r in rows.iter().filter(|r| !r.milestones.is_empty()) {
            for m in &r.milestones {
                let key = if r.projected {
                    "chart.milestone_projected"
                } else {
                    "chart.milestone_passed"
                };
                let label = trf(
                    l.lang,
                    key,
                    &[("n", &format_number(*m as f64, 0, l.lang)), ("year", &r.year)],
                );
                let (px, py) = (x(r.year as f64), y(*m as f64));
                diamond(area, (px, py), 6.0, palette("bluish_green").filled());
                let flip = px > (x0 + x1) / 2.0;
                let (anchor, dx) = if flip { (HPos::Right, -10.0) } else { (HPos::Left, 10.0) };
                text(
                    area,
                    &label,
                    (px + dx, py + 14.0),
                    font(11.0).color(&INK).pos(Pos::new(anchor, VPos::Center)),
                );
            }
        }
        // Legend.
        let ly = y1 + 40.0;
        line(area, &[(x0, ly), (x0 + 28.0, ly)], accent().stroke_width(3));
        text(area, l.t("chart.observed"), (x0 + 34.0, ly), left(font(12.0), INK));
        let lx = x0 + 60.0 + width(l.t("chart.observed"), 12.0);
        line(area, &[(lx, ly), (lx + 10.0, ly)], second().stroke_width(2));
        line(area, &[(lx + 16.0, ly), (lx + 26.0, ly)], second().stroke_width(2));
        let pace = rows.iter().find(|r| r.projected).and_then(|_| end.map(|e| e.year));
        let label = match pace {
            Some(e) => trf(l.lang, "chart.projected", &[("end", &e)]),
            None => String::new(),
        };
        text(area, &label, (lx + 34.0, ly), left(font(12.0), INK));
    })
}

// ---------------------------------------------------------------------------------------
// Data quality
// ---------------------------------------------------------------------------------------

/// Completeness in `year` per right (`scope = "right"`) or per region (`"region"`), as
/// horizontal bars with their percentage.
pub fn quality(data: &ChartData, l: Labels<'_>, year: i32, scope: &str) -> Chart {
    let mut rows: Vec<(String, Option<f64>)> = data
        .quality
        .iter()
        .filter(|r| r.year == year && r.scope == scope)
        .map(|r| {
            let label = if scope == "right" {
                l.right(&r.id)
            } else {
                l.region(if r.id == "unknown" { None } else { Some(r.id.as_str()) })
            };
            (label, r.completeness)
        })
        .collect();
    if scope == "region" {
        let order = |label: &String| {
            data.quality
                .iter()
                .find(|r| r.scope == "region" && l.region(Some(&r.id)) == *label)
                .map_or(usize::MAX, |r| l.region_order(Some(&r.id)))
        };
        rows.sort_by_key(|(label, _)| order(label));
    }
    let key =
        if scope == "right" { "chart.quality_rights_title" } else { "chart.quality_regions_title" };
    let title = trf(l.lang, key, &[("year", &year)]);
    let subtitle = l.t("chart.quality_subtitle").to_string();
    let lowest = rows
        .iter()
        .filter_map(|(label, c)| c.map(|c| (label.clone(), c)))
        .min_by(|a, b| a.1.total_cmp(&b.1));
    let desc = match &lowest {
        Some((label, c)) => trf(
            l.lang,
            "chart.quality_desc",
            &[
                ("n", &rows.len()),
                ("lowest", label),
                ("value", &crate::i18n::format_percent(c * 100.0, 0, l.lang)),
            ],
        ),
        None => l.t("chart.no_data").to_string(),
    };
    let row = 26.0;
    let top = header_height(&title, &subtitle) + 6.0;
    let height = top + row * rows.len().max(1) as f64 + 44.0;
    let (x0, x1) = (230.0, 680.0);
    let path = PathBuf::from("campaign").join(format!("quality-{scope}s-{year}"));
    chart(path, title.clone(), desc, height, |area| {
        header(area, &title, &subtitle);
        let bottom = top + row * rows.len().max(1) as f64;
        let x = |c: f64| x0 + (x1 - x0) * c.clamp(0.0, 1.0);
        for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
            line(area, &[(x(t), top), (x(t), bottom)], GRID.stroke_width(1));
            text(
                area,
                &crate::i18n::format_percent(t * 100.0, 0, l.lang),
                (x(t), bottom + 12.0),
                centre(font(11.0), MUTED),
            );
        }
        if rows.is_empty() {
            text(
                area,
                l.t("chart.no_data"),
                ((x0 + x1) / 2.0, top + row / 2.0),
                centre(italic(13.0), MUTED),
            );
        }
        for (i, (label, c)) in rows.iter().enumerate() {
            let y = top + row * (i as f64 + 0.5);
            text(area, &shorten(label, 12.0, x0 - 30.0), (20.0, y), left(font(12.0), INK));
            match c {
                Some(c) => {
                    rect(area, (x0, y - 8.0), (x(*c), y + 8.0), palette("blue").filled());
                    let pct = crate::i18n::format_percent(c * 100.0, 0, l.lang);
                    text(area, &pct, (x(*c) + 6.0, y), left(font(11.0), INK));
                }
                None => text(area, l.t("chart.no_data"), (x0 + 4.0, y), left(italic(11.0), MUTED)),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_numbers() {
        assert_eq!(ticks(0.0, 100.0, 4), vec![0.0, 25.0, 50.0, 75.0, 100.0]);
        assert_eq!(ticks(0.0, 1.0, 5), vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]);
        assert_eq!(ticks(5.0, 5.0, 5), vec![5.0]);
    }

    #[test]
    fn long_labels_wrap_then_shorten() {
        super::super::render::register_fonts();
        let lines =
            wrap("Accessibility and the rights of persons with disabilities", 12.0, 110.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| width(l, 12.0) <= 110.0), "{lines:?}");
        assert!(lines[1].ends_with('…'), "{lines:?}");
        assert_eq!(shorten("Short", 12.0, 200.0), "Short");
    }
}
