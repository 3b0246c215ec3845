//! Answers: writing a prefilled answer into its cell as a typed value.

use super::*;

/// Writes `value`, an answer to `q`, at `at` (row, column) in `formats` — for any answer,
/// text, a date and a percentage ([`Styles::answers`], [`Styles::copies`]) — and returns
/// the text it shows. Text is always written as text, never as a formula.
pub(super) fn write_value(
    ctx: &Ctx<'_>,
    ws: &mut Worksheet,
    (row, col): (u32, u16),
    q: &Question,
    value: Option<&CellValue>,
    formats: [&Format; 4],
) -> Result<String, Fault> {
    let lang = ctx.lang;
    let [any, as_text, as_date, as_percent] = formats;
    let base = match q.qtype {
        QuestionType::Text => as_text,
        QuestionType::Date => as_date,
        _ => any,
    };
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
    let text =
        match value {
            None => {
                ws.write_blank(row, col, base)?;
                String::new()
            }
            Some(CellValue::Number(x)) => {
                ws.write_number_with_format(row, col, finite(*x)?, any)?;
                x.to_string()
            }
            Some(CellValue::PercentFraction(x)) => {
                ws.write_number_with_format(row, col, finite(*x)?, as_percent)?;
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
                        ws.write_datetime_with_format(row, col, &d, as_date)?;
                    }
                    // Not a date Excel can hold: kept as the text a person would have typed.
                    None => {
                        ws.write_string_with_format(row, col, &iso, as_text)?;
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
                ws.write_formula_with_format(row, col, Formula::new(formula), any)?
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
                ws.write_formula_with_format(row, col, formula, any)?
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
