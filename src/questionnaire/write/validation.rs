//! Data validation: the drop-downs and ranges of answer cells, and their input messages.

use super::*;

/// Drop-down lists written to the hidden [`LISTS_SHEET`]: one column per question, its id
/// in the first row and the labels below.
#[derive(Default)]
pub(super) struct Lists {
    pub(super) columns: Vec<(String, Vec<String>)>,
}

impl Lists {
    /// Adds a list and returns the range that refers to it.
    pub(super) fn add(&mut self, id: &str, labels: Vec<String>) -> String {
        let col = self.columns.len() as u32;
        let n = labels.len() as u32;
        self.columns.push((id.to_string(), labels));
        let letter = CellRef::column_name(col);
        format!("='{LISTS_SHEET}'!${letter}$2:${letter}${}", n + 1)
    }

    pub(super) fn sheet(&self) -> Result<Worksheet, Fault> {
        let mut ws = Worksheet::new();
        ws.set_name(LISTS_SHEET)?;
        for (c, (id, labels)) in self.columns.iter().enumerate() {
            let c = c.min(u16::MAX as usize) as u16;
            ws.write_string(0, c, id)?;
            for (r, label) in labels.iter().enumerate() {
                ws.write_string(r as u32 + 1, c, label)?;
            }
            ws.set_column_width(c, 40)?;
        }
        ws.set_hidden(true);
        Ok(ws)
    }
}

/// Whether `labels` fit an inline list: no commas (the separator) and at most 255
/// characters joined, as rust_xlsxwriter counts them.
pub(super) fn fits_inline(labels: &[String]) -> bool {
    let joined: usize =
        labels.iter().map(|l| l.replace('"', "\"\"").chars().count()).sum::<usize>()
            + labels.len().saturating_sub(1);
    joined <= MAX_MESSAGE && !labels.iter().any(|l| l.contains(','))
}

/// The data validation of the answer cell of `q`.
pub(super) fn validation(ctx: &mut Ctx<'_>, q: &Question) -> Result<DataValidation, Fault> {
    let lang = ctx.lang;
    let n = |x: f64| format_shortest(x, lang);
    let (dv, hint, restricted) = match q.qtype {
        QuestionType::YesNo => {
            let (yes, no) = layout::yes_no_labels(lang);
            let hint = trf(lang, "workbook.hint.yes_no", &[("yes", &yes), ("no", &no)]);
            (DataValidation::new().allow_list_strings(&[yes, no])?, hint, true)
        }
        QuestionType::Choice if !q.choices.is_empty() => {
            let labels: Vec<String> =
                q.choices.iter().map(|c| c.label.get(lang).to_string()).collect();
            let dv = if fits_inline(&labels) {
                DataValidation::new().allow_list_strings(&labels)?
            } else {
                let range = ctx.lists.add(&q.id, labels);
                DataValidation::new().allow_list_formula(Formula::new(range))
            };
            (dv, tr(lang, "workbook.hint.choice").to_string(), true)
        }
        QuestionType::Choice | QuestionType::MultiChoice => {
            let key = if q.qtype == QuestionType::Choice {
                "workbook.hint.choice"
            } else {
                "workbook.hint.multi_choice"
            };
            (DataValidation::new().allow_any_value(), tr(lang, key).to_string(), false)
        }
        QuestionType::Integer => {
            let lo = q.min.map_or(i32::MIN, |x| x.ceil() as i32);
            let hi = q.max.map_or(i32::MAX, |x| x.floor() as i32);
            let hint = match (q.min, q.max) {
                (Some(a), Some(b)) => {
                    trf(lang, "workbook.hint.integer_range", &[("min", &n(a)), ("max", &n(b))])
                }
                (Some(a), None) => trf(lang, "workbook.hint.integer_min", &[("min", &n(a))]),
                (None, Some(b)) => trf(lang, "workbook.hint.integer_max", &[("max", &n(b))]),
                (None, None) => tr(lang, "workbook.hint.integer").to_string(),
            };
            let dv = DataValidation::new().allow_whole_number(DataValidationRule::Between(lo, hi));
            (dv, hint, true)
        }
        QuestionType::Year => {
            let lo = q.min.map_or(1900, |x| x.ceil() as i32);
            let hi = q.max.map_or(2100, |x| x.floor() as i32);
            // Years are written without a thousands separator.
            let hint = trf(lang, "workbook.hint.year_range", &[("min", &lo), ("max", &hi)]);
            let dv = DataValidation::new().allow_whole_number(DataValidationRule::Between(lo, hi));
            (dv, hint, true)
        }
        QuestionType::Percent => {
            let lo = q.min.unwrap_or(0.0);
            let hi = q.max.unwrap_or(100.0);
            let hint = trf(lang, "workbook.hint.percent", &[("min", &n(lo)), ("max", &n(hi))]);
            let dv =
                DataValidation::new().allow_decimal_number(DataValidationRule::Between(lo, hi));
            (dv, hint, true)
        }
        QuestionType::Number => {
            let (rule, hint) = match (q.min, q.max) {
                (Some(a), Some(b)) => (
                    DataValidationRule::Between(a, b),
                    trf(lang, "workbook.hint.number_range", &[("min", &n(a)), ("max", &n(b))]),
                ),
                (Some(a), None) => (
                    DataValidationRule::GreaterThanOrEqualTo(a),
                    trf(lang, "workbook.hint.number_min", &[("min", &n(a))]),
                ),
                (None, Some(b)) => (
                    DataValidationRule::LessThanOrEqualTo(b),
                    trf(lang, "workbook.hint.number_max", &[("max", &n(b))]),
                ),
                (None, None) => (
                    DataValidationRule::Between(-1e15, 1e15),
                    tr(lang, "workbook.hint.number").to_string(),
                ),
            };
            (DataValidation::new().allow_decimal_number(rule), hint, true)
        }
        QuestionType::Date => {
            let dv = match (
                ExcelDateTime::from_ymd(1900, 1, 1),
                ExcelDateTime::from_ymd(2100, 12, 31),
            ) {
                (Ok(lo), Ok(hi)) => {
                    DataValidation::new().allow_date(DataValidationRule::Between(lo, hi))
                }
                _ => DataValidation::new().allow_any_value(),
            };
            (dv, tr(lang, "workbook.hint.date").to_string(), true)
        }
        QuestionType::Text => (
            DataValidation::new().allow_any_value(),
            tr(lang, "workbook.hint.text").to_string(),
            false,
        ),
    };

    let mut message = Vec::new();
    if let Some(note) = skip_note(ctx.fw, q, lang) {
        message.push(note);
    }
    message.push(hint.clone());
    if let Some(help) = q.help.as_ref().map(|h| h.get(lang)).filter(|h| !h.is_empty()) {
        message.push(help.to_string());
    }
    let mut dv = dv
        .set_error_style(DataValidationErrorStyle::Warning)
        .set_input_title(truncate(&q.id, MAX_TITLE))?
        .set_input_message(truncate(&message.join("\n"), MAX_MESSAGE))?;
    if restricted {
        let error = trf(lang, "workbook.error.message", &[("hint", &hint)]);
        dv = dv
            .set_error_title(truncate(tr(lang, "workbook.error.title"), MAX_TITLE))?
            .set_error_message(truncate(&error, MAX_MESSAGE))?;
    }
    Ok(dv)
}
