//! Who is left behind (Contract 5): one indicator of one city and year, a dot per group
//! against its reference group (men, 25–64, …) or the city as a whole.

use super::super::data::GroupRow;
use super::*;

/// Height of a group's row and of a dimension's heading, in pixels.
const ROW: f64 = 22.0;

/// What a row of the chart shows.
enum Kind {
    /// A group compared with the reference.
    Group,
    /// The dimension's reference category.
    Reference,
    /// The city as a whole (the reference of a dimension without a reference category).
    Total,
}

struct Line {
    label: String,
    value: Option<f64>,
    /// Why there is no value: `not_applicable` or anything else.
    status: String,
    kind: Kind,
    left_behind: bool,
}

/// One dimension's rows.
struct Block {
    label: String,
    reference: Option<f64>,
    lines: Vec<Line>,
}

/// A value as the chart prints it: by the unit's format, without the unit (the axis has it).
fn show(format: Option<UnitFormat>, v: f64, lang: crate::i18n::Lang, l: Labels<'_>) -> String {
    match format {
        Some(UnitFormat::Percent) => crate::i18n::format_percent(v, 1, lang),
        Some(UnitFormat::YesNo) => l.t(if v >= 0.5 { "word.yes" } else { "word.no" }).to_string(),
        Some(UnitFormat::Year) => format!("{v:.0}"),
        _ => format_number(v, crate::charts::value_decimals(v), lang),
    }
}

/// The indicators of `city` in `year` with at least one group value, in framework order.
pub fn group_indicators(data: &ChartData, l: Labels<'_>, city: &str, year: i32) -> Vec<String> {
    let with: BTreeSet<&str> = data
        .city_groups(city)
        .filter(|g| g.year == year && g.value.is_some())
        .map(|g| g.indicator_id.as_str())
        .collect();
    l.fw.indicators.iter().filter(|i| with.contains(i.id.as_str())).map(|i| i.id.clone()).collect()
}

/// Dot chart of `indicator` for the groups `city` reported in `year`: a block per dimension
/// (sex, age group, …), a row per group with its value, the reference marked (its row and a
/// dashed line), each group joined to the reference; a group left behind is a vermillion
/// square and says so in words beside its value.
pub fn groups(data: &ChartData, l: Labels<'_>, city: &str, indicator: &str, year: i32) -> Chart {
    let rows: Vec<&GroupRow> =
        data.city_groups(city).filter(|g| g.year == year && g.indicator_id == indicator).collect();
    let name = rows.first().map_or_else(
        || data.city_values(city).next().map_or_else(|| city.to_string(), |v| v.city_name.clone()),
        |r| r.city_name.clone(),
    );
    let ind = l.fw.indicator(indicator);
    let unit = ind.map(|i| i.unit.clone()).unwrap_or_default();
    let format = l.fw.vocab.units.get(&unit).map(|u| u.format);
    let unit_label = l.fw.unit_label(&unit, l.lang).to_string();

    // The blocks, in the order the questions list their dimensions.
    let mut blocks: Vec<Block> = Vec::new();
    let mut behind: Vec<String> = Vec::new();
    for dim in l.dimension_order() {
        let mut these: Vec<&&GroupRow> = rows.iter().filter(|g| g.dimension == dim).collect();
        if these.is_empty() {
            continue;
        }
        these.sort_by_key(|g| (l.category_order(dim, &g.category), g.category.clone()));
        let reference_category = these.iter().find_map(|g| g.reference_category.clone());
        let reference = these.iter().find_map(|g| g.reference_value);
        let mut lines: Vec<Line> = Vec::new();
        match &reference_category {
            None => lines.push(Line {
                label: l.t("chart.groups_total").to_string(),
                value: reference,
                status: String::new(),
                kind: Kind::Total,
                left_behind: false,
            }),
            Some(r) if !these.iter().any(|g| &g.category == r) => lines.push(Line {
                label: trf(
                    l.lang,
                    "chart.groups_reference_of",
                    &[("category", &l.category(dim, r))],
                ),
                value: None,
                status: String::new(),
                kind: Kind::Reference,
                left_behind: false,
            }),
            Some(_) => {}
        }
        for g in these {
            let category = l.category(dim, &g.category);
            if g.is_left_behind() {
                behind.push(l.group(dim, &g.category));
            }
            lines.push(Line {
                label: if g.is_reference() {
                    trf(l.lang, "chart.groups_reference_of", &[("category", &category)])
                } else {
                    category
                },
                value: g.value,
                status: g.status.clone(),
                kind: if g.is_reference() { Kind::Reference } else { Kind::Group },
                left_behind: g.is_left_behind(),
            });
        }
        blocks.push(Block { label: l.dimension(dim), reference, lines });
    }

    // The axis: every value and reference inside it.
    let values: Vec<f64> = blocks
        .iter()
        .flat_map(|b| b.lines.iter().filter_map(|x| x.value).chain(b.reference))
        .collect();
    let (lo, hi) = value_axis(&values, format, 10.0);

    let title = l.indicator(indicator);
    let subtitle = trf(
        l.lang,
        "chart.groups_subtitle",
        &[("city", &name), ("year", &year), ("id", &indicator), ("unit", &unit_label)],
    );
    let n_groups = blocks.iter().flat_map(|b| &b.lines).filter(|x| matches!(x.kind, Kind::Group));
    let desc = trf(
        l.lang,
        "chart.groups_desc",
        &[
            ("title", &title),
            ("city", &name),
            ("year", &year),
            ("n", &n_groups.count()),
            ("dimensions", &blocks.len()),
        ],
    ) + " "
        + &if behind.is_empty() {
            l.t("chart.groups_desc_none").to_string()
        } else {
            trf(l.lang, "chart.groups_desc_left", &[("groups", &behind.join("; "))])
        };

    let (label_w, x0, x1) = (246.0, 290.0, 550.0);
    let top = header_height(&title, &subtitle) + 30.0;
    let body: f64 = blocks.iter().map(|b| ROW * (1 + b.lines.len()) as f64 + 6.0).sum();
    let body = if blocks.is_empty() { ROW * 2.0 } else { body };
    let height = top + body + 50.0;
    let path = PathBuf::from("cities")
        .join(file_part(city))
        .join(format!("groups-{}-{year}", file_part(indicator)));
    chart(path, title.clone(), desc, height, |area| {
        header(area, &title, &subtitle);
        let x = |v: f64| x0 + (x1 - x0) * ((v - lo) / (hi - lo)).clamp(0.0, 1.0);
        // Legend.
        let ly = top - 18.0;
        let mut lx = 20.0;
        dot(area, (lx + 5.0, ly), 5, second().filled());
        let s = l.t("chart.groups_legend_group");
        text(area, s, (lx + 14.0, ly), left(font(12.0), INK));
        lx += 34.0 + width(s, 12.0);
        diamond(area, (lx + 5.0, ly), 6.0, INK.filled());
        let s = l.t("chart.groups_legend_reference");
        text(area, s, (lx + 14.0, ly), left(font(12.0), INK));
        lx += 34.0 + width(s, 12.0);
        rect(area, (lx, ly - 5.0), (lx + 10.0, ly + 5.0), accent().filled());
        let s = l.t("chart.groups_legend_left");
        text(area, s, (lx + 14.0, ly), left(font(12.0), INK));

        let bottom = top + body;
        let tk = ticks(lo, hi, 5);
        let step = if tk.len() > 1 { tk[1] - tk[0] } else { 1.0 };
        for t in &tk {
            line(area, &[(x(*t), top), (x(*t), bottom)], GRID.stroke_width(1));
            let label = match format {
                Some(UnitFormat::YesNo) if *t == 0.0 => l.t("word.no").to_string(),
                Some(UnitFormat::YesNo) if *t == 1.0 => l.t("word.yes").to_string(),
                Some(UnitFormat::YesNo) => continue,
                Some(UnitFormat::Percent) => {
                    crate::i18n::format_percent(*t, decimals(step), l.lang)
                }
                _ => format_number(*t, decimals(step), l.lang),
            };
            text(area, &label, (x(*t), bottom + 12.0), centre(font(11.0), MUTED));
        }
        text(
            area,
            &shorten(&unit_label, 12.0, x1 - x0 + 100.0),
            ((x0 + x1) / 2.0, bottom + 30.0),
            centre(font(12.0), MUTED),
        );
        if blocks.is_empty() {
            text(
                area,
                l.t("chart.no_data"),
                ((x0 + x1) / 2.0, top + ROW),
                centre(italic(13.0), MUTED),
            );
        }
        let mut y = top;
        for b in &blocks {
            let heading_y = y + ROW / 2.0;
            text(
                area,
                &shorten(&b.label, 12.0, x0 - 30.0),
                (20.0, heading_y),
                left(bold(12.0), INK),
            );
            let first = y + ROW;
            let last = y + ROW * (b.lines.len() + 1) as f64;
            if let Some(r) = b.reference {
                // A dashed line at the reference, down the block.
                let mut yy = first + 2.0;
                while yy < last - 2.0 {
                    let end = (yy + 4.0).min(last - 2.0);
                    line(area, &[(x(r), yy), (x(r), end)], MUTED.stroke_width(1));
                    yy += 7.0;
                }
            }
            for (k, row) in b.lines.iter().enumerate() {
                let cy = first + ROW * (k as f64 + 0.5);
                let f = if matches!(row.kind, Kind::Group) { font(12.0) } else { italic(12.0) };
                text(area, &shorten(&row.label, 12.0, label_w), (32.0, cy), left(f, INK));
                line(area, &[(x0, cy), (x1, cy)], GRID.mix(0.6).stroke_width(1));
                let Some(v) = row.value else {
                    let why = if row.status == "not_applicable" {
                        l.t("chart.groups_not_applicable")
                    } else {
                        l.t("chart.no_value")
                    };
                    text(area, why, (x1 + 14.0, cy), left(italic(11.0), MUTED));
                    continue;
                };
                let shown = show(format, v, l.lang, l);
                match row.kind {
                    Kind::Group => {
                        if let Some(r) = b.reference {
                            let c = if row.left_behind { accent() } else { second() };
                            line(area, &[(x(r), cy), (x(v), cy)], c.mix(0.45).stroke_width(3));
                        }
                        if row.left_behind {
                            let p = (x(v), cy);
                            rect(
                                area,
                                (p.0 - 5.5, p.1 - 5.5),
                                (p.0 + 5.5, p.1 + 5.5),
                                accent().filled(),
                            );
                            text(area, &shown, (x1 + 14.0, cy), left(bold(12.0), INK));
                            let mark = format!("· {}", l.t("chart.left_behind"));
                            let mx = x1 + 20.0 + width(&shown, 12.0) * 1.07;
                            let room = W as f64 - 12.0 - mx;
                            text(
                                area,
                                &shorten(&mark, 11.0, room),
                                (mx, cy),
                                left(italic(11.0), accent()),
                            );
                        } else {
                            dot(area, (x(v), cy), 5, second().filled());
                            text(area, &shown, (x1 + 14.0, cy), left(font(12.0), INK));
                        }
                    }
                    Kind::Reference | Kind::Total => {
                        diamond(area, (x(v), cy), 6.0, INK.filled());
                        text(area, &shown, (x1 + 14.0, cy), left(italic(12.0), INK));
                    }
                }
            }
            y = last + 6.0;
        }
    })
}
