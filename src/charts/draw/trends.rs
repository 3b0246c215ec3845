//! A city's right scores over the years.

use super::*;

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
