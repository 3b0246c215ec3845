//! Sheets and rows: which questions go on which sheet, and the question sheets.

use super::*;

/// A question sheet to write.
pub(super) struct SheetPlan<'a> {
    /// The sheet name.
    pub(super) name: String,
    pub(super) title: &'a str,
    pub(super) summary: &'a str,
    pub(super) rows: Vec<Row<'a>>,
}

/// A row below the header of a question sheet.
pub(super) enum Row<'a> {
    /// The title of an OHCHR attribute, heading the questions that follow.
    Section(&'a str),
    Question(&'a Question),
}

impl SheetPlan<'_> {
    pub(super) fn questions(&self) -> impl Iterator<Item = &Question> {
        self.rows.iter().filter_map(|r| match r {
            Row::Question(q) => Some(*q),
            Row::Section(_) => None,
        })
    }
}

/// The profile sheet and one sheet per right, with their rows in order.
pub(super) fn plan_sheets<'a>(
    fw: &'a Framework,
    lang: Lang,
    layout: &Layout,
) -> Vec<SheetPlan<'a>> {
    let name_of = |key: &str, standard: String| {
        layout.sheet_names.get(key).map_or(standard, |n| layout::sheet_name(n))
    };
    let mut sheets = vec![SheetPlan {
        name: name_of("profile", layout::profile_sheet(fw, lang)),
        title: fw.profile.title.get(lang),
        summary: fw.profile.summary.get(lang),
        rows: plan_rows(
            None,
            fw.questions_of(None).filter(|q| q.on_sheet()).collect(),
            lang,
            layout,
        ),
    }];
    for right in &fw.rights {
        sheets.push(SheetPlan {
            name: name_of(&right.id, layout::right_sheet(fw, right, lang)),
            title: right.title.get(lang),
            summary: right.summary.get(lang),
            rows: plan_rows(
                Some(right),
                fw.questions_of(Some(&right.id)).filter(|q| q.on_sheet()).collect(),
                lang,
                layout,
            ),
        });
    }
    sheets
}

/// The rows of one sheet: a section per attribute of the right (in the right's order) with
/// its questions, then questions of no known attribute, then the rows `layout` moves to
/// the end.
pub(super) fn plan_rows<'a>(
    right: Option<&'a Right>,
    questions: Vec<&'a Question>,
    lang: Lang,
    layout: &Layout,
) -> Vec<Row<'a>> {
    let (moved, kept): (Vec<&Question>, Vec<&Question>) =
        questions.into_iter().partition(|q| layout.move_to_end.contains(&q.id));
    let attributes = right.map_or(&[][..], |r| &r.attributes[..]);
    let mut rows = Vec::new();
    for attribute in attributes {
        let mut these =
            kept.iter().filter(|q| q.attribute.as_deref() == Some(&attribute.id)).peekable();
        if these.peek().is_some() {
            rows.push(Row::Section(attribute.title.get(lang)));
            rows.extend(these.map(|q| Row::Question(q)));
        }
    }
    let known =
        |q: &Question| q.attribute.as_deref().is_some_and(|a| attributes.iter().any(|x| x.id == a));
    rows.extend(kept.iter().filter(|q| !known(q)).map(|q| Row::Question(q)));
    let mut seen = BTreeSet::new();
    for id in &layout.move_to_end {
        if seen.insert(id) {
            if let Some(q) = moved.iter().find(|q| &q.id == id) {
                rows.push(Row::Question(q));
            }
        }
    }
    rows
}

/// Writes one question sheet.
pub(super) fn question_sheet(ctx: &mut Ctx<'_>, plan: &SheetPlan<'_>) -> Result<Worksheet, Fault> {
    let st = ctx.styles;
    let lang = ctx.lang;
    let mut ws = Worksheet::new();
    ws.set_name(&plan.name)?;

    let first = ctx.col(Column::Id);
    let last = ctx.col(Column::Comment);
    for c in Column::ALL {
        ws.set_column_width(ctx.col(c), width(c))?;
    }
    // Profile ids are words (`forum_of_regions_member`): the ID column fits the longest.
    let longest = plan.questions().map(|q| q.id.chars().count()).max().unwrap_or(0);
    ws.set_column_width(first, width(Column::Id).max(longest as f64 + 2.0))?;
    let total_width: f64 = Column::ALL.iter().map(|c| width(*c)).sum();

    // Excel has 1,048,576 rows: larger shifts fail in rust_xlsxwriter, not in arithmetic.
    let title_row = ctx.layout.extra_rows.min(1 << 24);
    let summary_row = title_row + 1;
    let header_row = title_row + 3;

    ws.write_string_with_format(title_row, first, plan.title, &st.title)?;
    ws.set_row_height(title_row, 24)?;
    if !plan.summary.is_empty() {
        ws.merge_range(summary_row, first, summary_row, last, plan.summary, &st.summary)?;
        ws.set_row_height(summary_row, row_height(&[(plan.summary, total_width, 11.0)]))?;
    }

    for c in Column::ALL {
        ws.write_string_with_format(header_row, ctx.col(c), c.header(lang), &st.header)?;
    }
    ws.set_row_height(header_row, 20)?;

    let mut first_answer = None;
    for (row, item) in (header_row + 1..).zip(&plan.rows) {
        match item {
            Row::Section(title) => {
                for c in Column::ALL {
                    ws.write_blank(row, ctx.col(c), &st.section)?;
                }
                ws.write_string_with_format(row, ctx.col(Column::Question), *title, &st.section)?;
                ws.set_row_height(row, 20)?;
            }
            Row::Question(q) => {
                question_row(ctx, &mut ws, row, q)?;
                first_answer.get_or_insert(row);
            }
        }
    }

    finish_sheet(&mut ws, header_row, first_answer.map(|r| (r, ctx.col(Column::Answer))))?;
    Ok(ws)
}

/// What every sheet of answers ends with: the header row frozen and repeated on printed
/// pages, the first answer cell selected, the sheet protected (only the unlocked cells can
/// be edited, columns and rows can still be resized), landscape A4 one page wide.
pub(super) fn finish_sheet(
    ws: &mut Worksheet,
    header_row: u32,
    first_answer: Option<(u32, u16)>,
) -> Result<(), Fault> {
    ws.set_freeze_panes(header_row + 1, 0)?;
    if let Some((r, c)) = first_answer {
        ws.set_selection(r, c, r, c)?;
    }
    let mut protection = ProtectionOptions::new();
    protection.format_columns = true;
    protection.format_rows = true;
    ws.protect_with_options(&protection);
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row)?;
    Ok(())
}

/// Writes the row of question `q`.
pub(super) fn question_row(
    ctx: &mut Ctx<'_>,
    ws: &mut Worksheet,
    row: u32,
    q: &Question,
) -> Result<(), Fault> {
    let st = ctx.styles;
    let lang = ctx.lang;
    let fill = ctx.fill;

    let mut text = q.text.get(lang).to_string();
    if q.required {
        text.push_str(" *");
    }
    let help = help_text(ctx.fw, q, lang);
    let unit = unit_label(ctx.fw, q, lang);
    let source = fill.sources.get(&q.id).map_or("", String::as_str);
    let comment = fill.comments.get(&q.id).map_or("", String::as_str);

    ws.write_string_with_format(row, ctx.col(Column::Id), &q.id, &st.id)?;
    ws.write_string_with_format(row, ctx.col(Column::Question), &text, &st.question)?;
    let answer_col = ctx.col(Column::Answer);
    let shown = write_answer(ctx, ws, row, answer_col, q, fill.answers.get(&q.id))?;
    ws.write_string_with_format(row, ctx.col(Column::Unit), unit, &st.unit)?;
    ws.write_string_with_format(row, ctx.col(Column::Help), &help, &st.help)?;
    for (c, value) in [(Column::Source, source), (Column::Comment, comment)] {
        if value.is_empty() {
            ws.write_blank(row, ctx.col(c), &st.edit)?;
        } else {
            ws.write_string_with_format(row, ctx.col(c), value, &st.edit)?;
        }
    }
    ws.set_row_height(
        row,
        row_height(&[
            (&text, width(Column::Question), 11.0),
            (&help, width(Column::Help), 9.0),
            (&shown, width(Column::Answer), 11.0),
            (unit, width(Column::Unit), 11.0),
            (source, width(Column::Source), 11.0),
            (comment, width(Column::Comment), 11.0),
        ]),
    )?;

    let dv = validation(ctx, q)?;
    ws.add_data_validation(row, answer_col, row, answer_col, &dv)?;
    Ok(())
}

/// The unit column: the unit's label, `%` for percentages, nothing for yes/no and choices.
pub(super) fn unit_label<'a>(fw: &'a Framework, q: &'a Question, lang: Lang) -> &'a str {
    match (q.qtype, q.unit.as_deref()) {
        (QuestionType::YesNo | QuestionType::Choice | QuestionType::MultiChoice, _) => "",
        (QuestionType::Percent, _) => "%",
        (_, Some(unit)) => fw.unit_label(unit, lang),
        (_, None) => "",
    }
}

/// The help column: the skip-logic note, the help text, and the options of a
/// multiple-choice question.
pub(super) fn help_text(fw: &Framework, q: &Question, lang: Lang) -> String {
    let mut parts = Vec::new();
    // A question new in this version is marked, so that a city filling in last year's
    // answers sees what it was not asked before.
    if q.since.as_deref() == Some(fw.version.as_str()) {
        parts.push(trf(lang, "workbook.help.new", &[("version", &fw.version)]));
    }
    if let Some(note) = skip_note(fw, q, lang) {
        parts.push(note);
    }
    if let Some(help) = q.help.as_ref().map(|h| h.get(lang)).filter(|h| !h.is_empty()) {
        parts.push(help.to_string());
    }
    if q.qtype == QuestionType::MultiChoice && !q.choices.is_empty() {
        parts.push(options_line(q, lang));
    }
    parts.join("\n")
}

/// The options of a multiple-choice question, one per line, for the help column.
pub(super) fn options_line(q: &Question, lang: Lang) -> String {
    let labels: Vec<String> =
        q.choices.iter().map(|c| format!("• {}", c.label.get(lang))).collect();
    trf(lang, "workbook.help.options", &[("options", &labels.join("\n"))])
}

/// The label of choice `code` of `q` in `lang`; the code itself if `q` has no such choice.
pub(super) fn choice_label<'a>(q: &'a Question, code: &'a str, lang: Lang) -> &'a str {
    q.choices.iter().find(|c| c.code == code).map_or(code, |c| c.label.get(lang))
}
