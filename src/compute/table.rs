//! Indicator values for every return at once: the answers become one wide polars table
//! (a row per city and year, a value and a state column per question, as
//! [`formula::Columns`](crate::formula::Columns) expects), and each indicator's formula,
//! lowered to polars expressions, is evaluated over the whole table.

use polars::prelude::*;

use crate::formula::{lower, Columns, QuestionKind, State};
use crate::framework::{Framework, Indicator};
use crate::questionnaire::answer::Value;
use crate::validate::Answer;

/// One checked return: whose it is, and its answers in framework order.
pub struct ReturnAnswers<'a> {
    pub city_id: &'a str,
    pub year: i32,
    pub answers: &'a [Answer],
}

/// The key columns of the wide table. `#` cannot start a question id, so a question
/// named `city_id` (the profile has one) cannot collide with them.
pub const CITY_KEY: &str = "#city_id";
/// See [`CITY_KEY`].
pub const YEAR_KEY: &str = "#year";

/// The wide table: [`CITY_KEY`], [`YEAR_KEY`], then for each question `Q` the columns `Q`
/// (value) and `Q__state` (formula state code).
pub fn wide_table(fw: &Framework, returns: &[ReturnAnswers<'_>]) -> PolarsResult<DataFrame> {
    let mut columns = vec![
        Column::new(CITY_KEY.into(), returns.iter().map(|r| r.city_id).collect::<Vec<_>>()),
        Column::new(YEAR_KEY.into(), returns.iter().map(|r| r.year).collect::<Vec<_>>()),
    ];
    for (i, q) in fw.questions.iter().enumerate() {
        let states: Vec<i32> = returns
            .iter()
            .map(|r| {
                answer_of(r, i, &q.id).map_or(State::Missing as i32, |a| a.status.formula_state())
            })
            .collect();
        let name = Columns::value_name(&q.id);
        let value = match q.qtype.formula_kind() {
            QuestionKind::Number => {
                let v: Vec<Option<f64>> = returns
                    .iter()
                    .map(|r| match answer_of(r, i, &q.id).and_then(|a| a.value.as_ref()) {
                        Some(Value::Number(n)) => Some(*n),
                        _ => None,
                    })
                    .collect();
                Column::new(name.into(), v)
            }
            QuestionKind::Codes => {
                let v: Vec<Option<u64>> = returns
                    .iter()
                    .map(|r| match answer_of(r, i, &q.id).and_then(|a| a.value.as_ref()) {
                        Some(Value::Codes(codes)) => Some(
                            q.choices
                                .iter()
                                .enumerate()
                                .filter(|(_, c)| codes.contains(&c.code))
                                .fold(0u64, |m, (bit, _)| m | (1u64 << bit.min(63))),
                        ),
                        _ => None,
                    })
                    .collect();
                Column::new(name.into(), v)
            }
            QuestionKind::Code | QuestionKind::Opaque => {
                let v: Vec<Option<String>> = returns
                    .iter()
                    .map(|r| match answer_of(r, i, &q.id).and_then(|a| a.value.as_ref()) {
                        Some(Value::Code(c)) | Some(Value::Text(c)) => Some(c.clone()),
                        Some(Value::Date(d)) => Some(d.to_string()),
                        _ => None,
                    })
                    .collect();
                Column::new(name.into(), v)
            }
        };
        columns.push(value);
        columns.push(Column::new(Columns::state_name(&q.id).into(), states));
    }
    DataFrame::new_infer_height(columns)
}

/// The answer to question number `i` (id `id`) of a return.
fn answer_of<'a>(r: &ReturnAnswers<'a>, i: usize, id: &str) -> Option<&'a Answer> {
    r.answers.get(i).filter(|a| a.question == id)
}

/// One row per return and indicator: `city_id, year, indicator_id, value, state, missing`
/// (`missing` is the bit mask of the indicator's missing questions, see
/// [`missing_questions`]).
pub fn indicator_values(fw: &Framework, wide: &DataFrame) -> PolarsResult<DataFrame> {
    let all: Vec<&Indicator> = fw.indicators.iter().collect();
    indicator_values_of(fw, wide, &all)
}

/// [`indicator_values`] for the indicators `indicators` only.
pub fn indicator_values_of(
    fw: &Framework,
    wide: &DataFrame,
    indicators: &[&Indicator],
) -> PolarsResult<DataFrame> {
    let kinds = |id: &str| fw.question(id).map(|q| q.qtype.formula_kind());
    let bits = |id: &str, code: &str| {
        fw.question(id)?.choices.iter().position(|c| c.code == code).map(|i| i as u32)
    };
    let cols = Columns::new(&kinds, &bits);
    let mut frames = Vec::with_capacity(indicators.len());
    for ind in indicators {
        let low = lower(&ind.formula.node, &cols)?;
        frames.push(wide.clone().lazy().select([
            col(CITY_KEY).alias("city_id"),
            col(YEAR_KEY).alias("year"),
            lit(ind.id.as_str()).alias("indicator_id"),
            low.value.cast(DataType::Float64).alias("value"),
            low.state.alias("state"),
            low.missing.alias("missing"),
        ]));
    }
    concat(frames, UnionArgs::default())?.collect()
}

/// For each row of an [`indicator_values`] table, the questions to fill in (ids joined by
/// `;`) when its state is missing.
pub fn missing_names(fw: &Framework, values: &DataFrame) -> PolarsResult<Vec<Option<String>>> {
    let ids = values.column("indicator_id")?.str()?;
    let masks = values.column("missing")?.u64()?;
    let states = values.column("state")?.i32()?;
    Ok(ids
        .iter()
        .zip(masks.iter())
        .zip(states.iter())
        .map(|((id, mask), state)| match (id, mask, state) {
            (Some(id), Some(mask), Some(2)) => {
                Some(missing_questions(fw, id, mask).join(";")).filter(|s| !s.is_empty())
            }
            _ => None,
        })
        .collect())
}

/// The ids of the questions set in `mask` for indicator `id` (in formula order).
pub fn missing_questions(fw: &Framework, id: &str, mask: u64) -> Vec<String> {
    let Some(ind) = fw.indicator(id) else { return Vec::new() };
    ind.formula
        .node
        .questions()
        .into_iter()
        .enumerate()
        .filter(|(i, _)| *i < 64 && mask & (1u64 << i) != 0)
        .map(|(_, q)| q.to_string())
        .collect()
}
