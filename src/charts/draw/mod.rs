//! The chart kinds, drawn on plotters' SVG backend with explicit layout: every label is
//! measured with the embedded font and wrapped or shortened so that none overlaps another.
//! This file is the drawing kit (sizes, colours, type, text fitting, shapes, the frame of a
//! chart); each kind has its own file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::{quantile, ChartData};
use super::{file_part, xml_text, Chart, Labels, PALETTE};
use crate::framework::UnitFormat;
use crate::i18n::{format_number, trf};

mod breakdowns;
mod followup;
mod groups;
mod heatmap;
mod kinds;
mod profile;
mod progress;
mod quality;
mod strip;
mod trends;

pub use breakdowns::{breakdowns, coverage, Coverage};
pub use followup::{follow_up, FollowBy};
pub use groups::{group_indicators, groups};
pub use heatmap::heatmaps;
pub use kinds::{kind_grid, KindScope};
pub use profile::right_profile;
pub use progress::progress;
pub use quality::quality;
pub use strip::strip;
pub use trends::trends;

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
    let Some(end) = svg.find('>') else { return svg.to_string() };
    let (open, rest) = svg.split_at(end + 1);
    let open = open.replacen("<svg ", "<svg role=\"img\" ", 1);
    format!("{open}\n<title>{}</title>\n<desc>{}</desc>{rest}", xml_text(title), xml_text(desc))
}

/// Ticks for an axis from `lo` to `hi`: about `n` round numbers.
/// The axis for `values` of a unit of `format`: from 0 (or the lowest value below 0) to the
/// highest value rounded up to the next tick, so every dot sits inside; percentages reach at
/// least `percent_floor`, yes/no goes from 0 to 1.
fn value_axis(values: &[f64], format: Option<UnitFormat>, percent_floor: f64) -> (f64, f64) {
    let (lo, hi) = match format {
        Some(UnitFormat::Percent) => (0.0, values.iter().copied().fold(percent_floor, f64::max)),
        Some(UnitFormat::YesNo) => (0.0, 1.0),
        _ => {
            let lo = values.iter().copied().fold(0.0, f64::min);
            let hi = values.iter().copied().fold(f64::MIN, f64::max);
            (lo, if hi > lo { hi } else { lo + 1.0 })
        }
    };
    let hi = match ticks(lo, hi, 5).as_slice() {
        [a, b, ..] if format != Some(UnitFormat::YesNo) => {
            ((hi - lo) / (b - a)).ceil() * (b - a) + lo
        }
        _ => hi,
    };
    (lo, hi)
}

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
