//! Cities × rights: the right scores of every city, a heatmap per region and level.

use super::*;

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
                                let score = city.1 .1.get(right.id.as_str()).copied().flatten();
                                score_cell(area, cell, score, font(10.0), l);
                            }
                        }
                    }
                }
                score_legend(area, l, height - 30.0);
            })
        })
        .collect()
}

/// A cell of a score grid, from corner `a` to corner `b`: coloured by the score's class with
/// the score printed in `f`, or, without a score, hatched grey and marked "–" (never 0).
pub(super) fn score_cell(
    area: &Area<'_>,
    (a, b): ((f64, f64), (f64, f64)),
    score: Option<f64>,
    f: FontDesc<'static>,
    l: Labels<'_>,
) {
    let at = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    match score {
        Some(s) => {
            rect(area, a, b, blue(s).filled());
            let ink = if s >= 60.0 { WHITE } else { INK };
            text(area, &format_number(s, 0, l.lang), at, centre(f, ink));
        }
        None => {
            rect(area, a, b, MISSING_FILL.filled());
            line(area, &[(a.0, b.1), (b.0, a.1)], GRID.stroke_width(1));
            text(area, "–", at, centre(f, MUTED));
        }
    }
}

/// The legend of a score grid at height `ly`: the five classes, then the mark of a cell
/// without a score.
pub(super) fn score_legend(area: &Area<'_>, l: Labels<'_>, ly: f64) {
    let mut lx = 20.0;
    text(area, l.t("chart.score_axis"), (lx, ly), left(font(11.0), MUTED));
    lx += width(l.t("chart.score_axis"), 11.0) + 10.0;
    for (k, c) in BLUES.iter().enumerate() {
        rect(area, (lx, ly - 8.0), (lx + 44.0, ly + 8.0), c.filled());
        let range = format!("{}–{}", k * 20, k * 20 + 20);
        let ink = if k >= 3 { WHITE } else { INK };
        text(area, &range, (lx + 22.0, ly), centre(font(10.0), ink));
        lx += 46.0;
    }
    lx += 12.0;
    rect(area, (lx, ly - 8.0), (lx + 20.0, ly + 8.0), MISSING_FILL.filled());
    text(area, "–", (lx + 10.0, ly), centre(font(10.0), MUTED));
    let none = shorten(l.t("chart.no_score"), 11.0, W as f64 - lx - 50.0);
    text(area, &none, (lx + 26.0, ly), left(font(11.0), MUTED));
}
