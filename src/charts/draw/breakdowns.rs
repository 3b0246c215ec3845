//! Which breakdowns governments report (Contract 5): per dimension, how many governments gave
//! it for at least one question, and what share of the questions asking for it they gave.

use std::collections::HashMap;

use super::*;

/// The coverage of one dimension in a year.
#[derive(Clone, Debug, PartialEq)]
pub struct Coverage {
    pub dimension: String,
    /// Governments whose return has a question asking for the dimension.
    pub asked: usize,
    /// Of those, governments that gave it for at least one question.
    pub reporting: usize,
    /// Of the questions asking for it in the reporting governments' returns, the share they
    /// gave it for (0–1); `None` when no government reported it.
    pub share: Option<f64>,
}

/// The coverage of every dimension asked for in `year`, most reported first (then by
/// label), and how many governments were asked for any breakdown.
pub fn coverage(data: &ChartData, l: Labels<'_>, year: i32) -> (Vec<Coverage>, usize) {
    // dimension → city → (questions asked, questions given)
    let mut by_dim: BTreeMap<&str, HashMap<&str, (usize, usize)>> = BTreeMap::new();
    let mut cities: BTreeSet<&str> = BTreeSet::new();
    for b in data.breakdowns.iter().filter(|b| b.year == year) {
        cities.insert(&b.city_id);
        let e = by_dim.entry(&b.dimension).or_default().entry(&b.city_id).or_default();
        e.0 += 1;
        e.1 += usize::from(b.reported);
    }
    let mut out: Vec<Coverage> = by_dim
        .into_iter()
        .map(|(dim, per_city)| {
            let reporting: Vec<&(usize, usize)> = per_city.values().filter(|c| c.1 > 0).collect();
            let asked: usize = reporting.iter().map(|c| c.0).sum();
            let given: usize = reporting.iter().map(|c| c.1).sum();
            Coverage {
                dimension: dim.to_string(),
                asked: per_city.len(),
                reporting: reporting.len(),
                share: (asked > 0).then(|| given as f64 / asked as f64),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.reporting
            .cmp(&a.reporting)
            .then_with(|| l.dimension(&a.dimension).cmp(&l.dimension(&b.dimension)))
    });
    (out, cities.len())
}

/// Two bars per dimension asked for in `year`: the governments that reported it (of those
/// asked), and the share of their questions asking for it that they answered by group.
pub fn breakdowns(data: &ChartData, l: Labels<'_>, year: i32) -> Chart {
    let (rows, governments) = coverage(data, l, year);
    let title = trf(l.lang, "chart.breakdowns_title", &[("year", &year)]);
    let subtitle = l.t("chart.breakdowns_subtitle").to_string();
    let none = rows.iter().filter(|r| r.reporting == 0).count();
    let desc = match rows.iter().find(|r| r.reporting > 0) {
        Some(most) => trf(
            l.lang,
            "chart.breakdowns_desc",
            &[
                ("n", &governments),
                ("year", &year),
                ("dimensions", &rows.len()),
                ("most", &l.dimension(&most.dimension)),
                ("k", &most.reporting),
                ("none", &none),
            ],
        ),
        None => trf(l.lang, "chart.breakdowns_desc_none", &[("n", &governments), ("year", &year)]),
    };
    let row = 28.0;
    let top = header_height(&title, &subtitle) + 48.0;
    let height = top + row * rows.len().max(1) as f64 + 20.0;
    let (label_w, a0, a1, b0, b1) = (200.0, 230.0, 420.0, 520.0, 690.0);
    let path = PathBuf::from("campaign").join(format!("breakdowns-{year}"));
    chart(path, title.clone(), desc, height, |area| {
        header(area, &title, &subtitle);
        let head_a = trf(l.lang, "chart.breakdowns_governments", &[("n", &governments)]);
        let head_b = l.t("chart.breakdowns_share");
        for (head, x, room) in
            [(head_a.as_str(), a0, b0 - a0 - 20.0), (head_b, b0, W as f64 - b0 - 20.0)]
        {
            let lines = wrap(head, 12.0, room / 1.07, 2);
            let n = lines.len() as f64;
            for (k, s) in lines.iter().enumerate() {
                let y = top - 12.0 - (n - 1.0 - k as f64) * 15.0;
                text(area, s, (x, y), left(bold(12.0), INK));
            }
        }
        if rows.is_empty() {
            text(
                area,
                l.t("chart.no_data"),
                ((a0 + b1) / 2.0, top + row / 2.0),
                centre(italic(13.0), MUTED),
            );
        }
        let bottom = top + row * rows.len() as f64;
        // The bars' base lines (their ends carry their values).
        for x in [a0, b0] {
            line(area, &[(x, top), (x, bottom)], GRID.stroke_width(1));
        }
        for (i, r) in rows.iter().enumerate() {
            let y = top + row * (i as f64 + 0.5);
            text(
                area,
                &shorten(&l.dimension(&r.dimension), 12.0, label_w),
                (20.0, y),
                left(font(12.0), INK),
            );
            let frac = if governments > 0 { r.reporting as f64 / governments as f64 } else { 0.0 };
            let xa = a0 + (a1 - a0) * frac;
            if r.reporting > 0 {
                rect(area, (a0, y - 8.0), (xa, y + 8.0), second().filled());
            }
            let k = trf(l.lang, "chart.k_of_n", &[("k", &r.reporting), ("n", &r.asked)]);
            text(area, &k, (xa + 6.0, y), left(font(11.0), INK));
            match r.share {
                Some(s) => {
                    let xb = b0 + (b1 - b0) * s.clamp(0.0, 1.0);
                    rect(area, (b0, y - 8.0), (xb, y + 8.0), palette("bluish_green").filled());
                    let pct = crate::i18n::format_percent(s * 100.0, 0, l.lang);
                    text(area, &pct, (xb + 6.0, y), left(font(11.0), INK));
                }
                None => text(area, "–", (b0 + 4.0, y), left(font(11.0), MUTED)),
            }
        }
    })
}
