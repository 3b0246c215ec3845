//! The breakdown sheet (Contract 5): for each question that can be broken down, one row per
//! dimension and category, where the city may give the answer for that group. A dimension
//! each city names (neighbourhoods) gets blank rows whose group the city writes in.
//!
//! ```text
//!     A         B                      C          D          E         F      G        H
//!  1  Breakdowns                                                                           (title)
//!  2  Optional: the answers of the question sheets for groups of people …                (summary)
//!  3
//!  4  ID        Question               Breakdown  Group      Answer    Unit   Source   Comment
//!  5  HOU_Q07   How many people …      Sex        Women      [      ]  pers…  [    ]   [     ]
//!  6  HOU_Q07   How many people …      Sex        Men        [      ]  …
//!  7  HOU_Q04   According to …         Neighbour… [        ] [      ]  …      (the city names it)
//! ```

use super::*;
use crate::framework::Dimension;

/// A row of the breakdown sheet.
struct GroupRow<'a> {
    question: &'a Question,
    dimension: &'a Dimension,
    /// The category's code; for a city-named dimension, the name prefilled (or empty).
    category: String,
}

/// The rows of the breakdown sheet: questions in framework order, then their dimensions
/// in the order they list them, then categories (or, for a city-named dimension, the names
/// the fill carries, then blank rows up to the dimension's number of rows).
fn plan<'a>(fw: &'a Framework, fill: &Fill) -> Vec<GroupRow<'a>> {
    let mut rows = Vec::new();
    for q in &fw.questions {
        let dims = q.disaggregation.iter().filter_map(|d| fw.vocab.disaggregations.get(d));
        for d in dims.filter(|d| d.usable()) {
            if d.city_named {
                let named = fill.group_names.get(&d.id).map_or(&[][..], Vec::as_slice);
                // Names given for this question only (a prefilled answer) come first.
                let mut names: Vec<String> = fill
                    .groups
                    .keys()
                    .filter(|(id, dim, _)| id == &q.id && dim == &d.id)
                    .map(|(_, _, name)| name.clone())
                    .collect();
                for n in named {
                    if !names.contains(n) {
                        names.push(n.clone());
                    }
                }
                let blanks = (d.rows as usize).saturating_sub(names.len()).max(1);
                names.extend(std::iter::repeat_n(String::new(), blanks));
                rows.extend(names.into_iter().map(|category| GroupRow {
                    question: q,
                    dimension: d,
                    category,
                }));
            } else {
                rows.extend(d.categories.iter().map(|c| GroupRow {
                    question: q,
                    dimension: d,
                    category: c.code.clone(),
                }));
                // A group the dimension does not have (carried over from an earlier return):
                // written as it was, so that nothing the city wrote is lost.
                let unknown = fill.groups.keys().filter(|(id, dim, cat)| {
                    id == &q.id && dim == &d.id && d.category(cat).is_none()
                });
                rows.extend(unknown.map(|(_, _, cat)| GroupRow {
                    question: q,
                    dimension: d,
                    category: cat.clone(),
                }));
            }
        }
    }
    rows
}

/// Writes the breakdown sheet; `None` when no question can be broken down.
pub(super) fn breakdown_sheet(ctx: &mut Ctx<'_>) -> Result<Option<Worksheet>, Fault> {
    let rows = plan(ctx.fw, ctx.fill);
    if rows.is_empty() {
        return Ok(None);
    }
    let st = ctx.styles;
    let lang = ctx.lang;
    let columns = layout::BREAKDOWN_COLUMNS;
    let col = |c: Column| {
        let i = columns.iter().position(|x| *x == c).unwrap_or(0) as u32;
        ctx.layout.extra_cols.saturating_add(i).min(u16::MAX as u32) as u16
    };
    let mut ws = Worksheet::new();
    ws.set_name(layout::breakdown_sheet(lang))?;
    let widths = |c: Column| match c {
        Column::Question => 40.0,
        other => width(other),
    };
    for c in columns {
        ws.set_column_width(col(c), widths(c))?;
    }
    let longest = rows.iter().map(|r| r.question.id.chars().count()).max().unwrap_or(0);
    ws.set_column_width(col(Column::Id), width(Column::Id).max(longest as f64 + 2.0))?;
    let total_width: f64 = columns.iter().map(|c| widths(*c)).sum();

    let title_row = ctx.layout.extra_rows.min(1 << 24);
    let summary_row = title_row + 1;
    let header_row = title_row + 3;
    let (first, last) = (col(Column::Id), col(Column::Comment));
    ws.write_string_with_format(title_row, first, tr(lang, "workbook.breakdown.title"), &st.title)?;
    ws.set_row_height(title_row, 24)?;
    let summary = tr(lang, "workbook.breakdown.summary");
    ws.merge_range(summary_row, first, summary_row, last, summary, &st.summary)?;
    ws.set_row_height(summary_row, row_height(&[(summary, total_width, 11.0)]))?;
    for c in columns {
        ws.write_string_with_format(header_row, col(c), c.header(lang), &st.header)?;
    }
    ws.set_row_height(header_row, 20)?;

    let fill = ctx.fill;
    let mut previous: Option<&str> = None;
    for (row, r) in (header_row + 1..).zip(&rows) {
        let q = r.question;
        let d = r.dimension;
        // The question's text on the first of its rows; the id on every row (the reader
        // needs it).
        let text = if previous == Some(q.id.as_str()) {
            String::new()
        } else {
            q.text.get(lang).to_string()
        };
        previous = Some(&q.id);
        ws.write_string_with_format(row, col(Column::Id), &q.id, &st.id)?;
        ws.write_string_with_format(row, col(Column::Question), &text, &st.question)?;
        ws.write_string_with_format(row, col(Column::Dimension), d.label.get(lang), &st.unit)?;
        if d.city_named {
            // The city writes the group's name in this cell.
            if r.category.is_empty() {
                ws.write_blank(row, col(Column::Category), &st.edit)?;
            } else {
                ws.write_string_with_format(row, col(Column::Category), &r.category, &st.edit)?;
            }
        } else {
            let label = d.category_label(&r.category, lang);
            ws.write_string_with_format(row, col(Column::Category), label, &st.unit)?;
        }
        let key = (q.id.clone(), d.id.clone(), r.category.clone());
        let value = if r.category.is_empty() { None } else { fill.groups.get(&key) };
        let answer_col = col(Column::Answer);
        let prefilled = fill.prefilled.as_ref().is_some_and(|p| p.groups.contains(&key));
        let formats = st.answers(prefilled && value.is_some());
        let shown = write_value(ctx, &mut ws, (row, answer_col), q, value, formats)?;
        ws.write_string_with_format(row, col(Column::Unit), unit_label(ctx.fw, q, lang), &st.unit)?;
        for c in [Column::Source, Column::Comment] {
            ws.write_blank(row, col(c), &st.edit)?;
        }
        ws.set_row_height(
            row,
            row_height(&[
                (&text, widths(Column::Question), 11.0),
                (&shown, widths(Column::Answer), 11.0),
                (&r.category, widths(Column::Category), 11.0),
            ]),
        )?;
        let dv = validation(ctx, q)?;
        ws.add_data_validation(row, answer_col, row, answer_col, &dv)?;
    }

    finish_sheet(&mut ws, header_row, Some((header_row + 1, col(Column::Answer))))?;
    Ok(Some(ws))
}
