//! A city's right scores in a year, with its region's median and its previous year.

use super::*;

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
    // The region's median when enough of its governments reported, else the campaign's
    // (as the city report's table does).
    let by_region = region.is_some()
        && data.governments_in(year, region.as_deref()) >= crate::charts::data::MIN_PEERS;
    let median = |right: &str| {
        if by_region {
            data.region_median(year, region.as_deref(), right)
        } else {
            data.campaign_median(year, right)
        }
    };
    let region_name = if by_region {
        l.region(region.as_deref())
    } else {
        l.t("chart.whole_campaign").to_string()
    };
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
