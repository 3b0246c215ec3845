//! Campaign progress toward 10, 100 and 1,000 committed governments, with the projection.

use super::*;

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
    // The governments that returned a questionnaire, beside those committed (issue 21).
    let reporting: Vec<(i32, u32)> =
        observed.iter().filter_map(|r| r.reporting.map(|n| (r.year, n))).collect();
    let desc = match reporting.last() {
        Some(&(year, n)) => {
            let more = trf(
                l.lang,
                "chart.progress_reporting_desc",
                &[("n", &format_number(n as f64, 0, l.lang)), ("year", &year)],
            );
            format!("{desc} {more}")
        }
        None => desc,
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
        // Governments reporting each year (from the first year one did), a thinner line.
        let reported: Vec<(f64, f64)> = reporting
            .iter()
            .skip_while(|(_, n)| *n == 0)
            .map(|&(yr, n)| (x(yr as f64), y(n as f64)))
            .collect();
        let third = palette("reddish_purple");
        line(area, &reported, third.stroke_width(2));
        for p in &reported {
            rect(area, (p.0 - 3.5, p.1 - 3.5), (p.0 + 3.5, p.1 + 3.5), third.filled());
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
        if !reporting.is_empty() {
            let rx = lx + 60.0 + width(&label, 12.0);
            line(area, &[(rx, ly), (rx + 28.0, ly)], third.stroke_width(2));
            rect(area, (rx + 10.5, ly - 3.5), (rx + 17.5, ly + 3.5), third.filled());
            text(area, l.t("chart.reporting"), (rx + 34.0, ly), left(font(12.0), INK));
        }
    })
}
