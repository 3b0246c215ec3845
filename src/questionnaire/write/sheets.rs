//! Sheets and rows: which questions go on which sheet, and the question sheets.

use super::*;

/// A question sheet to write.
pub(super) struct SheetPlan<'a> {
    /// The sheet name.
    pub(super) name: String,
    /// The number of a right's sheet, shown on its tab and in the contents list (`None`
    /// for the profile).
    pub(super) number: Option<usize>,
    pub(super) title: &'a str,
    pub(super) summary: &'a str,
    pub(super) rows: Vec<Row<'a>>,
}

/// A row below the header of a question sheet.
pub(super) enum Row<'a> {
    /// The title of an OHCHR attribute, heading the questions that follow.
    Section(&'a str),
    Question(&'a Question),
    /// An option of the multiple-choice question above it: one yes/no row per option.
    Option(&'a Question, &'a Choice),
}

impl SheetPlan<'_> {
    pub(super) fn questions(&self) -> impl Iterator<Item = &Question> {
        self.rows.iter().filter_map(|r| match r {
            Row::Question(q) => Some(*q),
            Row::Section(_) | Row::Option(..) => None,
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
        number: None,
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
            number: Some(layout::right_number(fw, right)),
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

/// The rows of one sheet. A right's questions are in id order (`HOU_Q01`, `HOU_Q02`, …,
/// `HOU_Q10`, `HOU_STATE`), with the title of their OHCHR attribute above each run of
/// questions of the same attribute (so an attribute may head more than one run); the
/// profile's questions are in framework order. Then the rows `layout` moves to the end.
/// Below a multiple-choice question come its options, one row each (unless the layout
/// writes them in one cell).
pub(super) fn plan_rows<'a>(
    right: Option<&'a Right>,
    questions: Vec<&'a Question>,
    lang: Lang,
    layout: &Layout,
) -> Vec<Row<'a>> {
    let (moved, mut kept): (Vec<&Question>, Vec<&Question>) =
        questions.into_iter().partition(|q| layout.move_to_end.contains(&q.id));
    if right.is_some() {
        kept.sort_by_cached_key(|q| id_order(&q.id));
    }
    let attributes = right.map_or(&[][..], |r| &r.attributes[..]);
    let mut rows = Vec::new();
    let mut current: Option<&str> = None;
    let push = |rows: &mut Vec<Row<'a>>, q: &'a Question| {
        rows.push(Row::Question(q));
        if q.qtype == QuestionType::MultiChoice && !layout.multi_choice_in_one_cell {
            rows.extend(q.choices.iter().map(|c| Row::Option(q, c)));
        }
    };
    for q in kept {
        let attribute = q.attribute.as_deref().and_then(|a| attributes.iter().find(|x| x.id == a));
        let id = attribute.map(|a| a.id.as_str());
        if id != current {
            if let Some(a) = attribute {
                rows.push(Row::Section(a.title.get(lang)));
            }
            current = id;
        }
        push(&mut rows, q);
    }
    let mut seen = BTreeSet::new();
    for id in &layout.move_to_end {
        if seen.insert(id) {
            if let Some(q) = moved.iter().find(|q| &q.id == id) {
                push(&mut rows, q);
            }
        }
    }
    rows
}

/// The order of question ids as people read them: letters in order, numbers by value
/// (`HOU_Q2` before `HOU_Q10`).
pub(super) fn id_order(id: &str) -> Vec<(String, u64)> {
    // Numbered questions first (`HOU_Q01` … `HOU_Q10`), then the named ones that close a
    // sheet: what the State should do, then a practice to share.
    let named = !id.contains(|c: char| c.is_ascii_digit());
    let rank = match id.rsplit('_').next() {
        _ if !named => 0,
        Some("STATE") => 1,
        Some("PRACTICE") => 2,
        _ => 3,
    };
    let mut parts = vec![(String::new(), rank)];
    let mut rest = id;
    while !rest.is_empty() {
        let text_len = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
        let (text, after) = rest.split_at(text_len);
        let digits_len = after.find(|c: char| !c.is_ascii_digit()).unwrap_or(after.len());
        let (digits, after) = after.split_at(digits_len);
        parts.push((text.to_string(), digits.parse().unwrap_or(u64::MAX)));
        rest = after;
    }
    parts
}

/// Writes one question sheet.
pub(super) fn question_sheet(ctx: &mut Ctx<'_>, plan: &SheetPlan<'_>) -> Result<Worksheet, Fault> {
    let st = ctx.styles;
    let mut ws = Worksheet::new();
    ws.set_name(&plan.name)?;

    let columns = ctx.columns();
    let first = ctx.col(Column::Id);
    let last = ctx.col(*columns.last().unwrap_or(&Column::Comment));
    for c in columns {
        ws.set_column_width(ctx.col(*c), width(*c))?;
    }
    // Profile ids are words (`forum_of_regions_member`): the ID column fits the longest.
    // Option rows' ids (`WRK_Q06.contractor_living_wage`) wrap in a smaller font instead.
    let longest = plan.questions().map(|q| q.id.chars().count()).max().unwrap_or(0);
    ws.set_column_width(first, width(Column::Id).max(longest as f64 + 2.0))?;
    let total_width: f64 = columns.iter().map(|c| width(*c)).sum();

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

    for c in columns {
        ws.write_string_with_format(header_row, ctx.col(*c), ctx.header(*c), &st.header)?;
    }
    ws.set_row_height(header_row, 20)?;

    let mut first_answer = None;
    let mut question_at = header_row;
    let mut last_row = header_row;
    for (row, item) in (header_row + 1..).zip(&plan.rows) {
        match item {
            Row::Section(title) => {
                for c in columns {
                    ws.write_blank(row, ctx.col(*c), &st.section)?;
                }
                ws.write_string_with_format(row, ctx.col(Column::Question), *title, &st.section)?;
                ws.set_row_height(row, 20)?;
            }
            Row::Question(q) => {
                question_row(ctx, &mut ws, row, q)?;
                question_at = row;
                if !ctx.by_option(q) {
                    first_answer.get_or_insert(row);
                }
            }
            Row::Option(q, choice) => {
                option_row(ctx, &mut ws, row, q, choice, question_at)?;
                first_answer.get_or_insert(row);
            }
        }
        last_row = row;
    }
    // A filter on every column, so that each department can show only its questions
    // (the "Who answers" column).
    if last_row > header_row {
        ws.autofilter(header_row, first, last_row, last)?;
    }

    finish_sheet(&mut ws, header_row, first_answer.map(|r| (r, ctx.col(Column::Answer))))?;
    Ok(ws)
}

/// What every sheet of answers ends with: the header row frozen and repeated on printed
/// pages, the first answer cell selected, the sheet protected (only the unlocked cells can
/// be edited; rows and columns can still be inserted and resized, and filters used),
/// landscape A4 one page wide.
pub(super) fn finish_sheet(
    ws: &mut Worksheet,
    header_row: u32,
    first_answer: Option<(u32, u16)>,
) -> Result<(), Fault> {
    ws.set_freeze_panes(header_row + 1, 0)?;
    if let Some((r, c)) = first_answer {
        ws.set_selection(r, c, r, c)?;
    }
    ws.protect_with_options(&protection());
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row)?;
    Ok(())
}

/// The protection of every sheet of answers, as the instructions describe it: no password;
/// cells other than answers locked; rows and columns may be inserted, resized and
/// filtered, but not deleted.
pub(super) fn protection() -> ProtectionOptions {
    let mut protection = ProtectionOptions::new();
    protection.format_columns = true;
    protection.format_rows = true;
    protection.insert_rows = true;
    protection.insert_columns = true;
    protection.use_autofilter = true;
    protection
}

/// Writes the row of question `q`. A multiple-choice question written one option per row
/// has no answer cell of its own: its options' rows below hold the answers.
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
    let mut help = help_text(ctx.fw, q, lang);
    if q.qtype == QuestionType::MultiChoice && !q.choices.is_empty() {
        let (yes, no) = layout::yes_no_labels(lang);
        let how = if ctx.by_option(q) {
            trf(lang, "workbook.help.options_rows", &[("yes", &yes), ("no", &no)])
        } else {
            options_line(q, lang)
        };
        help = if help.is_empty() { how } else { format!("{help}\n{how}") };
    }
    let unit = unit_label(ctx.fw, q, lang);
    let source = fill.sources.get(&q.id).map_or("", String::as_str);
    let comment = fill.comments.get(&q.id).map_or("", String::as_str);
    let who = fill.who.get(&q.id).map_or("", String::as_str);

    ws.write_string_with_format(row, ctx.col(Column::Id), &q.id, &st.id)?;
    ws.write_string_with_format(row, ctx.col(Column::Question), &text, &st.question)?;
    let answer_col = ctx.col(Column::Answer);
    let prefilled = ctx.is_prefilled(&q.id) && !ctx.by_option(q);
    let shown = if ctx.by_option(q) {
        ws.write_blank(row, answer_col, &st.no_answer)?;
        String::new()
    } else {
        let formats = st.answers(prefilled);
        write_value(ctx, ws, (row, answer_col), q, fill.answers.get(&q.id), formats)?
    };
    prefilled_copy(ctx, ws, row, q, prefilled.then(|| fill.answers.get(&q.id)).flatten())?;
    ws.write_string_with_format(row, ctx.col(Column::Unit), unit, &st.unit)?;
    ws.write_string_with_format(row, ctx.col(Column::Help), &help, &st.help)?;
    let mut edit = vec![(Column::Source, source), (Column::Comment, comment)];
    if ctx.columns().contains(&Column::WhoAnswers) {
        edit.push((Column::WhoAnswers, who));
    }
    for (c, value) in edit {
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
            (who, width(Column::WhoAnswers), 11.0),
        ]),
    )?;

    if !ctx.by_option(q) {
        let dv = validation(ctx, q)?;
        ws.add_data_validation(row, answer_col, row, answer_col, &dv)?;
    }
    Ok(())
}

/// Writes the row of option `choice` of the multiple-choice question `q`, whose own row is
/// `question_row`: its id (`WRK_Q06.none`), its label and a yes/no answer cell. Sources,
/// comments and who answers are the question's; the "Who answers" cell repeats the
/// question's (a formula), so that a filter on it keeps the options with their question.
pub(super) fn option_row(
    ctx: &mut Ctx<'_>,
    ws: &mut Worksheet,
    row: u32,
    q: &Question,
    choice: &Choice,
    question_row: u32,
) -> Result<(), Fault> {
    let st = ctx.styles;
    let lang = ctx.lang;
    let id = layout::option_id(&q.id, &choice.code);
    let label = choice.label.get(lang);
    ws.write_string_with_format(row, ctx.col(Column::Id), &id, &st.option_id)?;
    ws.write_string_with_format(row, ctx.col(Column::Question), label, &st.option)?;
    let answer_col = ctx.col(Column::Answer);
    let (yes, no) = layout::yes_no_labels(lang);
    let value = option_values(q, ctx.fill.answers.get(&q.id)).remove(&choice.code);
    let prefilled = ctx.is_prefilled(&q.id);
    let format = st.answers(prefilled)[0];
    let word = |v: &CellValue| match v {
        CellValue::YesNo(b) => (if *b { yes } else { no }).to_string(),
        CellValue::Text(t) => t.clone(),
        _ => String::new(),
    };
    match &value {
        None => ws.write_blank(row, answer_col, format)?,
        Some(v) => ws.write_string_with_format(row, answer_col, word(v), format)?,
    };
    let copy = value.as_ref().filter(|_| prefilled).map(|v| CellValue::Text(word(v)));
    prefilled_copy(ctx, ws, row, q, copy.as_ref())?;
    for c in [Column::Unit, Column::Help, Column::Source, Column::Comment] {
        ws.write_blank(row, ctx.col(c), &st.plain)?;
    }
    if ctx.columns().contains(&Column::WhoAnswers) {
        let who_col = ctx.col(Column::WhoAnswers);
        let above = CellRef::new(question_row, u32::from(who_col));
        let formula = Formula::new(format!("=IF({above}=\"\",\"\",{above})"));
        let who = ctx.fill.who.get(&q.id).map_or("", String::as_str);
        ws.write_formula_with_format(row, who_col, formula, &st.who_copy)?
            .set_formula_result(row, who_col, who);
    }
    ws.set_row_height(
        row,
        row_height(&[(label, width(Column::Question) - 2.0, 11.0), (&id, width(Column::Id), 8.0)]),
    )?;
    let mut message = vec![trf(lang, "workbook.hint.option", &[("yes", &yes), ("no", &no)])];
    if choice.code == "none" {
        message.push(tr(lang, "workbook.hint.option_none").to_string());
    }
    let hint = message.join(" ");
    let error = trf(lang, "workbook.error.message", &[("hint", &hint)]);
    let dv = DataValidation::new()
        .allow_list_strings(&[yes, no])?
        .set_error_style(DataValidationErrorStyle::Warning)
        .set_input_title(truncate(&id, MAX_TITLE))?
        .set_input_message(truncate(&hint, MAX_MESSAGE))?
        .set_error_title(truncate(tr(lang, "workbook.error.title"), MAX_TITLE))?
        .set_error_message(truncate(&error, MAX_MESSAGE))?;
    ws.add_data_validation(row, answer_col, row, answer_col, &dv)?;
    Ok(())
}

/// In a prefilled workbook, the cell of the column "Prefilled from 2026" in `row`: last
/// year's answer `value` to `q` (locked), or blank. Beside a carried-over answer, a
/// conditional format turns the answer cell from the prefilled colour to the ordinary one
/// once the city changes it, so what is still as it was last year stands out.
pub(super) fn prefilled_copy(
    ctx: &Ctx<'_>,
    ws: &mut Worksheet,
    row: u32,
    q: &Question,
    value: Option<&CellValue>,
) -> Result<(), Fault> {
    if !ctx.columns().contains(&Column::Prefilled) {
        return Ok(());
    }
    let st = ctx.styles;
    let col = ctx.col(Column::Prefilled);
    let Some(value) = value else {
        ws.write_blank(row, col, st.copies()[0])?;
        return Ok(());
    };
    write_value(ctx, ws, (row, col), q, Some(value), st.copies())?;
    let answer = CellRef::new(row, u32::from(ctx.col(Column::Answer)));
    let before = CellRef::new(row, u32::from(col));
    let changed = rust_xlsxwriter::ConditionalFormatFormula::new()
        .set_rule(format!("={answer}<>{before}").as_str())
        .set_format(&st.updated);
    let answer_col = ctx.col(Column::Answer);
    ws.add_conditional_format(row, answer_col, row, answer_col, &changed)?;
    Ok(())
}

/// What each option row of multiple-choice question `q` holds, by code, for the answer
/// `value` (last year's, or a fixture's): the ticked options "Yes" and the others "No"; a
/// text that lists options by code or label (template 1) as those ticks; any other text
/// (`N/A`, or an answer that could not be read) as written, in every row for a "not
/// available" marker, else in the first row, for the city to correct.
pub(super) fn option_values(
    q: &Question,
    value: Option<&CellValue>,
) -> BTreeMap<String, CellValue> {
    let ticks = |codes: &[String]| {
        q.choices
            .iter()
            .map(|c| (c.code.clone(), CellValue::YesNo(codes.contains(&c.code))))
            .collect()
    };
    match value {
        None => BTreeMap::new(),
        Some(CellValue::Choices(codes)) => ticks(codes),
        Some(CellValue::Choice(code)) => ticks(std::slice::from_ref(code)),
        Some(CellValue::Text(t)) => {
            let listed: Option<Vec<String>> = t
                .split([';', '\n'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| choice_code(q, p))
                .collect();
            match listed {
                Some(codes) if !codes.is_empty() => ticks(&codes),
                _ if layout::is_not_available(t) => {
                    q.choices.iter().map(|c| (c.code.clone(), CellValue::Text(t.clone()))).collect()
                }
                _ => q
                    .choices
                    .first()
                    .map(|c| (c.code.clone(), CellValue::Text(t.clone())))
                    .into_iter()
                    .collect(),
            }
        }
        // A number, date or formula is not an answer to a multiple-choice question: kept
        // as text in the first row.
        Some(other) => {
            let text = match other {
                CellValue::Number(n) | CellValue::PercentFraction(n) => {
                    format_shortest(*n, Lang::En)
                }
                CellValue::YesNo(b) => b.to_string(),
                CellValue::Date { year, month, day } => format!("{year:04}-{month:02}-{day:02}"),
                CellValue::Formula { formula, .. } => formula.clone(),
                CellValue::Error(e) => e.clone(),
                _ => String::new(),
            };
            q.choices.first().map(|c| (c.code.clone(), CellValue::Text(text))).into_iter().collect()
        }
    }
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

/// The help column: the skip-logic note and the help text (the question's row adds how to
/// answer a multiple-choice question).
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
    parts.join("\n")
}

/// The options of a multiple-choice question, one per line, for the help column of a
/// workbook that writes them in one cell (template 1).
pub(super) fn options_line(q: &Question, lang: Lang) -> String {
    let labels: Vec<String> =
        q.choices.iter().map(|c| format!("• {}", c.label.get(lang))).collect();
    trf(lang, "workbook.help.options", &[("options", &labels.join("\n"))])
}

/// The label of choice `code` of `q` in `lang`; the code itself if `q` has no such choice.
pub(super) fn choice_label<'a>(q: &'a Question, code: &'a str, lang: Lang) -> &'a str {
    q.choices.iter().find(|c| c.code == code).map_or(code, |c| c.label.get(lang))
}
