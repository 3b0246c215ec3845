//! Answers: writing a prefilled answer into its cell as a typed value.

use super::*;

/// Writes the answer cell of `q` (blank, or `value`) and returns the text it shows, for
/// the row height.
pub(super) fn write_answer(
    ctx: &Ctx<'_>,
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    q: &Question,
    value: Option<&CellValue>,
) -> Result<String, Fault> {
    let st = ctx.styles;
    let lang = ctx.lang;
    let base = st.answer_for(q.qtype);
    let finite = |x: f64| {
        if x.is_finite() {
            Ok(x)
        } else {
            Err(Fault::Value {
                id: q.id.clone(),
                reason: format!("{x} is not a number a cell can hold"),
            })
        }
    };
    let text = match value {
        None => {
            ws.write_blank(row, col, base)?;
            String::new()
        }
        Some(CellValue::Number(x)) => {
            ws.write_number_with_format(row, col, finite(*x)?, &st.answer)?;
            x.to_string()
        }
        Some(CellValue::PercentFraction(x)) => {
            ws.write_number_with_format(row, col, finite(*x)?, &st.answer_percent)?;
            x.to_string()
        }
        Some(CellValue::YesNo(b)) => {
            let (yes, no) = layout::yes_no_labels(lang);
            let word = if *b { yes } else { no };
            ws.write_string_with_format(row, col, word, base)?;
            word.to_string()
        }
        Some(CellValue::Choice(code)) => {
            let label = choice_label(q, code, lang);
            ws.write_string_with_format(row, col, label, base)?;
            label.to_string()
        }
        Some(CellValue::Choices(codes)) => {
            let labels: Vec<&str> = codes.iter().map(|c| choice_label(q, c, lang)).collect();
            let joined = labels.join("; ");
            ws.write_string_with_format(row, col, &joined, base)?;
            joined
        }
        Some(CellValue::Date { year, month, day }) => {
            let iso = format!("{year:04}-{month:02}-{day:02}");
            let date = u16::try_from(*year)
                .ok()
                .zip(u8::try_from(*month).ok())
                .zip(u8::try_from(*day).ok());
            match date.and_then(|((y, m), d)| ExcelDateTime::from_ymd(y, m, d).ok()) {
                Some(d) => {
                    ws.write_datetime_with_format(row, col, &d, &st.answer_date)?;
                }
                // Not a date Excel can hold: kept as the text a person would have typed.
                None => {
                    ws.write_string_with_format(row, col, &iso, &st.answer_text)?;
                }
            }
            iso
        }
        Some(CellValue::Text(s)) => {
            ws.write_string_with_format(row, col, s, base)?;
            s.clone()
        }
        Some(CellValue::Formula { formula, cached }) => {
            let cached = finite(*cached)?;
            ws.write_formula_with_format(row, col, Formula::new(formula), &st.answer)?
                .set_formula_result(row, col, cached.to_string());
            cached.to_string()
        }
        Some(CellValue::Error(e)) => {
            let Some((formula, error)) = error_formula(e) else {
                return Err(Fault::Value {
                    id: q.id.clone(),
                    reason: format!("`{e}` is not an Excel error value"),
                });
            };
            ws.write_formula_with_format(row, col, formula, &st.answer)?
                .set_formula_result(row, col, error);
            error.to_string()
        }
    };
    Ok(text)
}

/// A formula that yields the Excel error `e` (`#DIV/0!` → `1/0`) and the error's
/// canonical spelling, stored as the formula's cached result.
pub(super) fn error_formula(e: &str) -> Option<(&'static str, &'static str)> {
    let key = e.trim().to_ascii_uppercase();
    Some(match key.as_str() {
        "#DIV/0!" => ("=1/0", "#DIV/0!"),
        "#N/A" => ("=NA()", "#N/A"),
        "#VALUE!" => ("=\"a\"+1", "#VALUE!"),
        "#NUM!" => ("=SQRT(-1)", "#NUM!"),
        "#REF!" => ("=#REF!", "#REF!"),
        "#NAME?" => ("=#NAME?", "#NAME?"),
        "#NULL!" => ("=#NULL!", "#NULL!"),
        _ => return None,
    })
}
