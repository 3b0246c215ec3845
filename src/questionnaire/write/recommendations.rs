//! The recommendations sheet (Contract 6): the UN recommendations addressed to the city's
//! country that bear on the framework, one per row, where the city says whether each is
//! within local competence, how far it has got, who is responsible and what was done.
//!
//! ```text
//!     A        B               C          D        E         F          G               H           I         J          K           L        M
//!  1  UN recommendations                                                                                                                        (title)
//!  2  The recommendations that UN human-rights mechanisms addressed to Colombia …                                                               (summary)
//!  3
//!  4  ID       Document and …  Mechanism  Themes   Position  Recomm. by Recommendation  Within l…  Status    Departm…   What was…   Source   Comment
//!  5  8f1c…    A/HRC/…, 121.37 UPR, 4th…  Housing  Supported Chile      121.37 Ensure…  [      ]   [      ]  [      ]   [       ]   [    ]   [     ]
//! ```
//!
//! The ids are also listed in the hidden `_hrcities` sheet (key `recommendation`), so
//! the validator can tell a row the city added from one the workbook listed.

use super::*;
use crate::questionnaire::fill::Listed;

/// Writes the recommendations sheet; `None` when the fill lists no recommendation.
pub(super) fn recommendations_sheet(ctx: &mut Ctx<'_>) -> Result<Option<Worksheet>, Fault> {
    let listed = &ctx.fill.recommendations;
    if listed.is_empty() {
        return Ok(None);
    }
    let st = ctx.styles;
    let lang = ctx.lang;
    let columns = layout::RECOMMENDATION_COLUMNS;
    let col = |c: Column| {
        let i = columns.iter().position(|x| *x == c).unwrap_or(0) as u32;
        ctx.layout.extra_cols.saturating_add(i).min(u16::MAX as u32) as u16
    };
    let mut ws = Worksheet::new();
    ws.set_name(layout::recommendations_sheet(lang))?;
    for c in columns {
        ws.set_column_width(col(c), width(c))?;
    }
    let longest = listed.iter().map(|r| r.id.chars().count()).max().unwrap_or(0);
    ws.set_column_width(col(Column::Id), width(Column::Id).max(longest as f64 + 2.0))?;
    let total_width: f64 = columns.iter().map(|c| width(*c)).sum();

    let title_row = ctx.layout.extra_rows.min(1 << 24);
    let summary_row = title_row + 1;
    let header_row = title_row + 3;
    let (first, last) = (col(Column::Id), col(Column::Comment));
    ws.write_string_with_format(title_row, first, tr(lang, "workbook.rec.title"), &st.title)?;
    ws.set_row_height(title_row, 24)?;
    let country = ctx
        .fill
        .recommendations_country
        .as_deref()
        .map_or_else(String::new, |c| crate::i18n::country_name(c, lang));
    let summary = trf(lang, "workbook.rec.summary", &[("country", &country)]);
    ws.merge_range(summary_row, first, summary_row, last, &summary, &st.summary)?;
    ws.set_row_height(summary_row, row_height(&[(&summary, total_width, 11.0)]))?;
    for c in columns {
        ws.write_string_with_format(header_row, col(c), c.header(lang), &st.header)?;
    }
    ws.set_row_height(header_row, 30)?;

    let labels = |codes: &[&str]| -> Vec<String> {
        codes.iter().map(|c| layout::followup_label(c, lang)).collect()
    };
    let competence = labels(&layout::COMPETENCE);
    let status = labels(&layout::FOLLOW_STATUS);
    let list = |key: &str, labels: &[String]| -> Result<DataValidation, Fault> {
        let hint = tr(lang, key);
        let error = trf(lang, "workbook.error.message", &[("hint", &hint)]);
        Ok(DataValidation::new()
            .allow_list_strings(labels)?
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_input_title(truncate(tr(lang, "workbook.rec.input_title"), MAX_TITLE))?
            .set_input_message(truncate(hint, MAX_MESSAGE))?
            .set_error_title(truncate(tr(lang, "workbook.error.title"), MAX_TITLE))?
            .set_error_message(truncate(&error, MAX_MESSAGE))?)
    };
    let competence_dv = list("workbook.rec.competence_hint", &competence)?;
    let status_dv = list("workbook.rec.status_hint", &status)?;

    let fill = ctx.fill;
    for (row, r) in (header_row + 1..).zip(listed) {
        let Listed { id, reference, body, themes, position, recommended_by, text } = r;
        ws.write_string_with_format(row, col(Column::Id), id, &st.id)?;
        for (c, value) in [
            (Column::Reference, reference),
            (Column::Body, body),
            (Column::Themes, themes),
            (Column::Position, position),
            (Column::RecommendedBy, recommended_by),
        ] {
            ws.write_string_with_format(row, col(c), value, &st.unit)?;
        }
        ws.write_string_with_format(row, col(Column::Recommendation), text, &st.question)?;
        let answer = fill.followup.get(id);
        let carried = fill.prefilled.as_ref().is_some_and(|p| p.followup.contains(id));
        let answer_format = st.answers(carried)[0];
        let shown = |code: Option<&String>| {
            code.map(|c| {
                let label = layout::followup_label(c, lang);
                if label.is_empty() {
                    c.clone()
                } else {
                    label
                }
            })
        };
        let cells = [
            (Column::Competence, shown(answer.and_then(|a| a.competence.as_ref())), answer_format),
            (Column::FollowStatus, shown(answer.and_then(|a| a.status.as_ref())), answer_format),
            (Column::Department, answer.and_then(|a| a.department.clone()), &st.edit),
            (Column::Action, answer.and_then(|a| a.action.clone()), &st.edit),
            (Column::Source, answer.and_then(|a| a.source.clone()), &st.edit),
            (Column::Comment, answer.and_then(|a| a.comment.clone()), &st.edit),
        ];
        for (c, value, format) in cells {
            match value {
                Some(v) => ws.write_string_with_format(row, col(c), v, format)?,
                None => ws.write_blank(row, col(c), format)?,
            };
        }
        for (c, dv) in [(Column::Competence, &competence_dv), (Column::FollowStatus, &status_dv)] {
            ws.add_data_validation(row, col(c), row, col(c), dv)?;
        }
        let action = answer.and_then(|a| a.action.as_deref()).unwrap_or("");
        ws.set_row_height(
            row,
            row_height(&[
                (text, width(Column::Recommendation), 11.0),
                (themes, width(Column::Themes), 11.0),
                (reference, width(Column::Reference), 11.0),
                (action, width(Column::Action), 11.0),
            ]),
        )?;
    }

    finish_sheet(&mut ws, header_row, Some((header_row + 1, col(Column::Competence))))?;
    Ok(Some(ws))
}
