//! Data quality: completeness per right or per region.

use super::*;

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
