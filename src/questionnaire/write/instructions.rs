//! The instructions sheet, the hidden meta sheet and the document properties.

use super::*;

/// A sheet the contents list names besides the question sheets (breakdowns,
/// recommendations): its name, its title and what it asks.
pub(super) struct OtherSheet {
    pub(super) name: String,
    pub(super) title: String,
    pub(super) what: String,
}

/// The minutes a question of type `t` takes, at least and at most, gathering included: a
/// yes/no or a choice is known or found quickly; a figure often has to be asked of another
/// department, looked up in a register or worked out.
pub(super) fn minutes(t: QuestionType) -> (u32, u32) {
    match t {
        QuestionType::YesNo | QuestionType::Choice | QuestionType::Year | QuestionType::Date => {
            (1, 2)
        }
        QuestionType::MultiChoice => (2, 4),
        QuestionType::Text => (2, 5),
        QuestionType::Number | QuestionType::Integer | QuestionType::Percent => (2, 6),
    }
}

/// The time `questions` take, at least and at most, in minutes.
pub(super) fn time_needed<'a>(questions: impl Iterator<Item = &'a Question>) -> (u32, u32) {
    questions.map(|q| minutes(q.qtype)).fold((0, 0), |(a, b), (lo, hi)| (a + lo, b + hi))
}

/// A time range for people: minutes rounded to 5 (`10–25 min`) up to an hour and a half,
/// else whole hours (`5–15 h`).
pub(super) fn time_words(lo: u32, hi: u32, lang: Lang) -> String {
    if hi <= 90 {
        let lo = (lo / 5 * 5).max(5);
        let hi = hi.div_ceil(5) * 5;
        trf(lang, "workbook.time.minutes", &[("lo", &lo), ("hi", &hi.max(lo))])
    } else {
        let (lo, hi) = ((lo / 60).max(1), hi.div_ceil(60));
        trf(lang, "workbook.time.hours", &[("lo", &lo), ("hi", &hi.max(lo))])
    }
}

/// The instructions sheet: what the questionnaire is, the time it takes and how to share
/// it out, how to answer, where to send it, and a table of contents with links to the
/// sheets, numbered as their tabs are.
pub(super) fn instructions(
    ctx: &Ctx<'_>,
    sheets: &[SheetPlan<'_>],
    others: &[OtherSheet],
) -> Result<Worksheet, Fault> {
    let st = ctx.styles;
    let lang = ctx.lang;
    let fw = ctx.fw;
    let mut ws = Worksheet::new();
    ws.set_name(layout::instructions_sheet(lang))?;
    // A: margin, B: step numbers, C: text, D: counts in the contents table.
    let widths = [2.0, 5.0, 95.0, 40.0];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let text_width: f64 = widths[1] + widths[2] + widths[3];
    let step_width: f64 = widths[2] + widths[3];

    let paragraph = |ws: &mut Worksheet, row: u32, text: &str| -> Result<(), Fault> {
        ws.merge_range(row, 1, row, 3, text, &st.doc_text)?;
        ws.set_row_height(row, row_height(&[(text, text_width, 11.0)]))?;
        Ok(())
    };
    let heading = |ws: &mut Worksheet, row: u32, key: &str| -> Result<(), Fault> {
        ws.write_string_with_format(row, 1, tr(lang, key), &st.doc_heading)?;
        ws.set_row_height(row, 28)?;
        Ok(())
    };

    let mut row = 0;
    ws.write_string_with_format(row, 1, tr(lang, "workbook.instructions.title"), &st.doc_title)?;
    ws.set_row_height(row, 30)?;
    row += 1;
    let subtitle = trf(
        lang,
        "workbook.instructions.framework",
        &[("title", &fw.title.get(lang)), ("version", &fw.version)],
    );
    ws.merge_range(row, 1, row, 3, &subtitle, &st.doc_subtitle)?;
    row += 2;
    paragraph(&mut ws, row, tr(lang, "workbook.instructions.thanks"))?;
    row += 1;
    if let Some(p) = &ctx.fill.prefilled {
        row = prefill_legend(ctx, &mut ws, row, p, sheets)?;
    }

    heading(&mut ws, row, "workbook.instructions.about_heading")?;
    row += 1;
    for key in [
        "workbook.instructions.about_campaign",
        "workbook.instructions.about_use",
        "workbook.instructions.about_no_ranking",
    ] {
        paragraph(&mut ws, row, tr(lang, key))?;
        row += 1;
    }

    let header = |c: Column| c.header(lang);
    heading(&mut ws, row, "workbook.instructions.plan_heading")?;
    row += 1;
    let questions = || sheets.iter().flat_map(|s| s.questions());
    let (lo, hi) = time_needed(questions());
    let time = trf(
        lang,
        "workbook.instructions.time",
        &[
            ("count", &questions().count()),
            ("required", &questions().filter(|q| q.required).count()),
            ("time", &time_words(lo, hi, lang)),
        ],
    );
    paragraph(&mut ws, row, &time)?;
    row += 1;
    if ctx.columns().contains(&Column::WhoAnswers) {
        let share =
            trf(lang, "workbook.instructions.share", &[("who", &header(Column::WhoAnswers))]);
        paragraph(&mut ws, row, &share)?;
        row += 1;
    }

    heading(&mut ws, row, "workbook.instructions.how_heading")?;
    row += 1;
    let (yes, no) = layout::yes_no_labels(lang);
    let profile = sheets.first().map_or("", |s| s.name.as_str());
    let example = fw
        .rights
        .first()
        .and_then(|r| fw.questions_of(Some(&r.id)).next())
        .map_or("", |q| q.id.as_str());
    let steps = [
        trf(lang, "workbook.instructions.step_sheets", &[("profile", &profile)]),
        trf(
            lang,
            if ctx.columns().contains(&Column::WhoAnswers) {
                "workbook.instructions.step_answer"
            } else {
                "workbook.instructions.step_answer_1"
            },
            &[
                ("answer", &header(Column::Answer)),
                ("source", &header(Column::Source)),
                ("comment", &header(Column::Comment)),
                ("who", &header(Column::WhoAnswers)),
            ],
        ),
        trf(lang, "workbook.instructions.step_numbers", &[("unit", &header(Column::Unit))]),
        tr(lang, "workbook.instructions.step_percent").to_string(),
        trf(
            lang,
            if ctx.layout.multi_choice_in_one_cell {
                "workbook.instructions.step_lists_1"
            } else {
                "workbook.instructions.step_lists"
            },
            &[("yes", &yes), ("no", &no)],
        ),
        tr(lang, "workbook.instructions.step_dates").to_string(),
        tr(lang, "workbook.instructions.step_not_available").to_string(),
        trf(
            lang,
            "workbook.instructions.step_source",
            &[("source", &header(Column::Source)), ("comment", &header(Column::Comment))],
        ),
        tr(lang, "workbook.instructions.step_required").to_string(),
        tr(lang, "workbook.instructions.step_skip").to_string(),
        trf(lang, "workbook.instructions.step_help", &[("help", &header(Column::Help))]),
        trf(
            lang,
            "workbook.instructions.step_ids",
            &[("id", &header(Column::Id)), ("example", &example)],
        ),
        tr(lang, "workbook.instructions.step_protection").to_string(),
        tr(lang, "workbook.instructions.step_warning").to_string(),
    ];
    for (i, step) in steps.iter().enumerate() {
        ws.write_string_with_format(row, 1, format!("{}.", i + 1), &st.doc_number)?;
        ws.merge_range(row, 2, row, 3, step, &st.doc_text)?;
        ws.set_row_height(row, row_height(&[(step, step_width, 11.0)]))?;
        row += 1;
    }

    heading(&mut ws, row, "workbook.instructions.send_heading")?;
    row += 1;
    for key in ["workbook.instructions.send", "workbook.instructions.send_feedback"] {
        paragraph(&mut ws, row, tr(lang, key))?;
        row += 1;
    }

    heading(&mut ws, row, "workbook.instructions.contents_heading")?;
    row += 1;
    ws.write_string_with_format(
        row,
        2,
        tr(lang, "workbook.instructions.contents_sheet"),
        &st.doc_table_head,
    )?;
    ws.write_string_with_format(
        row,
        3,
        tr(lang, "workbook.instructions.contents_questions"),
        &st.doc_table_head,
    )?;
    row += 1;
    let link = |name: &str| format!("internal:'{}'!A1", name.replace('\'', "''"));
    for sheet in sheets {
        let count = sheet.questions().count();
        let required = sheet.questions().filter(|q| q.required).count();
        let (lo, hi) = time_needed(sheet.questions());
        // The number on the sheet's tab (the profile has none).
        if let Some(n) = sheet.number {
            ws.write_string_with_format(row, 1, format!("{n:02}"), &st.doc_number)?;
        }
        let url = Url::new(link(&sheet.name)).set_text(sheet.title);
        ws.write_url_with_format(row, 2, url, &st.doc_link)?;
        let counts = trf(
            lang,
            "workbook.instructions.contents_count",
            &[("count", &count), ("required", &required), ("time", &time_words(lo, hi, lang))],
        );
        ws.write_string(row, 3, counts)?;
        row += 1;
    }
    for other in others {
        let url = Url::new(link(&other.name)).set_text(&other.title);
        ws.write_url_with_format(row, 2, url, &st.doc_link)?;
        ws.write_string(row, 3, &other.what)?;
        row += 1;
    }

    ws.set_screen_gridlines(false);
    ws.set_portrait();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.set_active(true);
    Ok(ws)
}

/// In a prefilled workbook, what the green cells and the column "Prefilled from 2026"
/// are, from `row`: a heading, a paragraph and the two cell styles side by side. Returns
/// the next free row.
fn prefill_legend(
    ctx: &Ctx<'_>,
    ws: &mut Worksheet,
    mut row: u32,
    p: &crate::questionnaire::fill::Prefilled,
    sheets: &[SheetPlan<'_>],
) -> Result<u32, Fault> {
    let (st, lang) = (ctx.styles, ctx.lang);
    let year = p
        .year
        .map_or_else(|| tr(lang, "workbook.prefill.unknown_year").to_string(), |y| y.to_string());
    ws.write_string_with_format(row, 1, tr(lang, "workbook.prefill.heading"), &st.doc_heading)?;
    ws.set_row_height(row, 28)?;
    row += 1;
    let legend = trf(
        lang,
        "workbook.prefill.legend",
        &[
            ("year", &year),
            ("column", &ctx.header(Column::Prefilled)),
            ("comment", &Column::Comment.header(lang)),
            ("profile", &sheets.first().map_or("", |s| s.name.as_str())),
        ],
    );
    ws.merge_range(row, 1, row, 3, &legend, &st.doc_text)?;
    ws.set_row_height(row, row_height(&[(&legend, 140.0, 11.0)]))?;
    row += 1;
    let carried = trf(lang, "workbook.prefill.swatch_carried", &[("year", &year)]);
    ws.write_string_with_format(row, 2, &carried, &st.prefilled[0])?;
    ws.write_string_with_format(row, 3, tr(lang, "workbook.prefill.swatch_changed"), &st.answer)?;
    ws.set_row_height(row, 20)?;
    Ok(row + 2)
}

/// The hidden sheet that identifies the template: `key | value` rows.
pub(super) fn meta_sheet(
    fw: &Framework,
    lang: Lang,
    layout: &Layout,
    fill: &Fill,
) -> Result<Worksheet, Fault> {
    let mut ws = Worksheet::new();
    ws.set_name(layout::META_SHEET)?;
    let version = layout.framework_version.as_deref().unwrap_or(&fw.version);
    for (row, key) in layout::META_KEYS.iter().enumerate() {
        let value = match *key {
            // Template 1 wrote multiple choices in one cell.
            "template_version" if layout.multi_choice_in_one_cell => "1",
            "template_version" => layout::TEMPLATE_VERSION,
            "framework_id" => fw.id.as_str(),
            "framework_version" => version,
            "language" => lang.code(),
            _ => "",
        };
        ws.write_string(row as u32, 0, *key)?;
        ws.write_string(row as u32, 1, value)?;
    }
    // The recommendations the recommendations sheet lists: the validator tells a row the
    // city added from these.
    let mut row = layout::META_KEYS.len() as u32;
    if let Some(country) = &fill.recommendations_country {
        ws.write_string(row, 0, layout::META_REC_COUNTRY)?;
        ws.write_string(row, 1, country)?;
        row += 1;
        let sent = fill.recommendations.len().saturating_sub(layout.added_recommendations);
        for r in &fill.recommendations[..sent] {
            ws.write_string(row, 0, layout::META_REC)?;
            ws.write_string(row, 1, &r.id)?;
            row += 1;
        }
    }
    // What was carried over from an earlier return: the validator tells a return sent
    // back unchanged (W-UNCHANGED).
    if let Some(p) = &fill.prefilled {
        if let Some(sha) = &p.sha256 {
            ws.write_string(row, 0, layout::META_PREFILLED_FROM)?;
            ws.write_string(row, 1, sha)?;
            row += 1;
        }
        if let Some(year) = p.year {
            ws.write_string(row, 0, layout::META_PREFILLED_YEAR)?;
            ws.write_string(row, 1, year.to_string())?;
            row += 1;
        }
        for (id, value) in &p.values {
            ws.write_string(row, 0, layout::META_PREFILLED)?;
            ws.write_string(row, 1, id)?;
            // A cell holds 32,767 characters; a longer text is compared by its start.
            ws.write_string(row, 2, value.chars().take(32_000).collect::<String>())?;
            row += 1;
        }
    }
    ws.set_column_width(0, 20)?;
    ws.set_column_width(1, 20)?;
    ws.set_hidden(true);
    Ok(ws)
}

/// Document properties, with a creation date taken from the framework version
/// (`2026.1` → 2026-01-01) so that the same input gives the same bytes.
pub(super) fn properties(fw: &Framework, lang: Lang) -> Result<DocProperties, Fault> {
    let mut parts = fw.version.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty());
    let year =
        parts.next().and_then(|y| y.parse::<u16>().ok()).filter(|y| (1980..=9999).contains(y));
    let month = parts.next().and_then(|m| m.parse::<u8>().ok()).filter(|m| (1..=12).contains(m));
    let created = ExcelDateTime::from_ymd(year.unwrap_or(2000), month.unwrap_or(1), 1)?;
    let keywords = format!("hrcities; {}; {}; {}", fw.id, fw.version, lang.code());
    Ok(DocProperties::new()
        .set_title(tr(lang, "workbook.properties.title"))
        .set_subject(tr(lang, "workbook.properties.subject"))
        .set_author("hrcities")
        .set_keywords(keywords)
        .set_creation_datetime(&created))
}
