//! One indicator across cities: every value by region, with quartiles and median.

use super::*;

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
        .filter(|r| r.status != "not_applicable" && r.status != "not_asked")
        .collect();
    let mut regions: BTreeMap<usize, (Option<String>, Vec<&crate::charts::data::ValueRow>)> =
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
    let (lo, hi) = value_axis(&values, format, 100.0);
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
