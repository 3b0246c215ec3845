//! Rights × kinds of indicator: a right's score beside its structural, process and outcome
//! sub-scores, for one city or (as medians) for every government of a year.

use super::heatmap::{score_cell, score_legend};
use super::*;

/// Whose sub-scores to draw.
#[derive(Clone, Copy, Debug)]
pub enum KindScope<'a> {
    /// One city's.
    City(&'a str),
    /// The medians over every government that reported.
    Campaign,
}

/// A grid of rights (rows) by the right score and its three kind sub-scores (columns) in
/// `year`; a cell without a score is grey, hatched and marked "–", never 0.
pub fn kind_grid(data: &ChartData, l: Labels<'_>, scope: KindScope<'_>, year: i32) -> Chart {
    let rows: Vec<&super::super::data::ScoreRow> = match scope {
        KindScope::City(city) => {
            data.city_scores(city).filter(|r| r.year == year && !r.carried_forward).collect()
        }
        KindScope::Campaign => {
            data.scores.iter().filter(|r| r.year == year && !r.carried_forward).collect()
        }
    };
    let rights: Vec<&str> = l.fw.rights.iter().map(|r| r.id.as_str()).collect();
    // (right, column) → the value: column 0 is the right score, 1–3 the kinds.
    let cell_value = |right: &str, c: usize| -> Option<f64> {
        let mut v: Vec<f64> = rows
            .iter()
            .filter(|r| r.right_id == right)
            .filter_map(|r| if c == 0 { r.score } else { r.kinds[c - 1] })
            .collect();
        super::super::data::median(&mut v)
    };
    let (title, subtitle, path) = match scope {
        KindScope::City(city) => {
            let name = rows.first().map_or(city.to_string(), |r| r.city_name.clone());
            (
                trf(l.lang, "chart.kinds_title_city", &[("city", &name), ("year", &year)]),
                l.t("chart.kinds_subtitle").to_string(),
                PathBuf::from("cities").join(file_part(city)).join(format!("kinds-{year}")),
            )
        }
        KindScope::Campaign => (
            trf(l.lang, "chart.kinds_title_campaign", &[("year", &year)]),
            l.t("chart.kinds_subtitle_campaign").to_string(),
            PathBuf::from("campaign").join(format!("kinds-{year}")),
        ),
    };
    let heads = [
        l.t("chart.kinds_score"),
        l.t("report.h_structural"),
        l.t("report.h_process"),
        l.t("report.h_outcome"),
    ];
    let missing = rights
        .iter()
        .map(|r| (1..4).filter(|&c| cell_value(r, c).is_none()).count())
        .sum::<usize>();
    let desc = trf(
        l.lang,
        "chart.kinds_desc",
        &[("title", &title), ("rights", &rights.len()), ("missing", &missing)],
    );
    let (label_w, col_w, row_h) = (250.0, 110.0, 24.0);
    let x0 = 20.0 + label_w;
    let top = header_height(&title, &subtitle) + 30.0;
    let height = top + row_h * rights.len() as f64 + 60.0;
    chart(path, title.clone(), desc, height, |area| {
        header(area, &title, &subtitle);
        for (j, h) in heads.iter().enumerate() {
            let cx = x0 + col_w * (j as f64 + 0.5) + if j > 0 { 16.0 } else { 0.0 };
            let f = if j == 0 { bold(12.0) } else { font(12.0) };
            text(area, &shorten(h, 12.0, col_w - 6.0), (cx, top - 12.0), centre(f, INK));
        }
        for (i, right) in rights.iter().enumerate() {
            let y = top + row_h * i as f64;
            text(
                area,
                &shorten(&l.right(right), 12.0, label_w - 10.0),
                (20.0, y + row_h / 2.0),
                left(font(12.0), INK),
            );
            for j in 0..4 {
                let cx0 = x0 + col_w * j as f64 + if j > 0 { 16.0 } else { 0.0 };
                let cell = ((cx0 + 1.0, y + 1.0), (cx0 + col_w - 1.0, y + row_h - 1.0));
                let f = if j == 0 { bold(11.0) } else { font(11.0) };
                score_cell(area, cell, cell_value(right, j), f, l);
            }
        }
        score_legend(area, l, height - 30.0);
    })
}
