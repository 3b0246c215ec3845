//! Lowers a formula to polars expressions evaluated over the whole responses table.
//!
//! The wide table has, for each question `Q`, a value column `Q` (Float64 for numbers,
//! String for choice codes, UInt64 for multiple-choice answers: bit `i` set when the `i`-th
//! choice of the framework was ticked)
//! and a state column `Q__state` (Int32, the codes of [`State`](super::State): 0 answered,
//! 2 missing, 3 not applicable). Every node lowers to three expressions:
//!
//! - `value`, meaningful where `state` is 0;
//! - `state`, the worst state of the inputs that count (Contract 3);
//! - `missing`, a UInt64 bit mask of the missing questions that made the result missing
//!   (bit `i` is `questions[i]`), so reports can say which answers to fill in.

use polars::lazy::dsl::{max_horizontal, min_horizontal, sum_horizontal};
use polars::prelude::*;

use super::ast::{Binary, Func, Kind, Node, Unary};
use super::QuestionKind;

/// How many distinct questions one formula may use (the width of the mask).
pub const MASK_BITS: usize = 64;

const OK: i32 = 0;
const UNDEFINED: i32 = 1;
const MISSING: i32 = 2;
const NOT_APPLICABLE: i32 = 3;

/// Where the lowering finds each question.
pub struct Columns<'a> {
    kind: &'a dyn Fn(&str) -> Option<QuestionKind>,
    code_bit: &'a dyn Fn(&str, &str) -> Option<u32>,
}

impl<'a> Columns<'a> {
    /// Columns named after the questions, with kinds from `kind`, and for multiple-choice
    /// questions the bit of each code from `code_bit(question, code)` (the position of the
    /// choice in the framework).
    pub fn new(
        kind: &'a dyn Fn(&str) -> Option<QuestionKind>,
        code_bit: &'a dyn Fn(&str, &str) -> Option<u32>,
    ) -> Self {
        Columns { kind, code_bit }
    }

    /// The value column of question `id`.
    pub fn value_name(id: &str) -> String {
        id.to_string()
    }

    /// The state column of question `id`.
    pub fn state_name(id: &str) -> String {
        format!("{id}__state")
    }
}

/// A formula as polars expressions.
pub struct Lowered {
    /// The value (Float64 for numeric formulas), null unless `state` is 0.
    pub value: Expr,
    /// The state code (Int32).
    pub state: Expr,
    /// The missing-question bit mask (UInt64), 0 unless `state` is 2.
    pub missing: Expr,
    /// The questions, in bit order of `missing`.
    pub questions: Vec<String>,
}

struct Parts {
    v: Expr,
    s: Expr,
    m: Expr,
}

fn state(code: i32) -> Expr {
    lit(code)
}

fn no_mask() -> Expr {
    mask_lit(0)
}

/// A UInt64 literal (a bare `lit` of an integer is a "dynamic" integer that polars may
/// narrow).
fn mask_lit(bits: u64) -> Expr {
    lit(bits).cast(DataType::UInt64)
}

fn as_number(e: Expr) -> Expr {
    e.cast(DataType::Float64)
}

/// `m` where `s` is missing, else 0: masks of results that are not missing are empty.
fn only_missing(s: &Expr, m: Expr) -> Expr {
    when(s.clone().eq(state(MISSING))).then(m).otherwise(no_mask())
}

fn worst(states: Vec<Expr>) -> PolarsResult<Expr> {
    if states.len() == 1 {
        return Ok(states.into_iter().next().unwrap_or_else(|| state(OK)));
    }
    max_horizontal(states)
}

fn union(masks: Vec<Expr>) -> Expr {
    masks.into_iter().reduce(|a, b| a.or(b)).unwrap_or_else(no_mask)
}

/// Lowers `node`; `columns` tells the kind of each question.
pub fn lower(node: &Node, columns: &Columns<'_>) -> PolarsResult<Lowered> {
    let questions: Vec<String> = node.questions().into_iter().map(String::from).collect();
    if questions.len() > MASK_BITS {
        polars_bail!(ComputeError: "formula uses {} questions (at most {MASK_BITS})", questions.len());
    }
    let p = lower_node(node, columns, &questions)?;
    let value = when(p.s.clone().eq(state(OK))).then(p.v).otherwise(lit(NULL));
    let missing = only_missing(&p.s, p.m);
    Ok(Lowered { value, state: p.s, missing, questions })
}

fn lower_node(node: &Node, cols: &Columns<'_>, questions: &[String]) -> PolarsResult<Parts> {
    let lower = |n: &Node| lower_node(n, cols, questions);
    Ok(match &node.kind {
        Kind::Number(n) => Parts { v: lit(*n), s: state(OK), m: no_mask() },
        Kind::Str(s) => Parts { v: lit(s.clone()), s: state(OK), m: no_mask() },
        Kind::Question(id) => {
            let bit = questions.iter().position(|q| q == id).unwrap_or(0);
            let s = col(Columns::state_name(id));
            let m =
                when(s.clone().eq(state(MISSING))).then(mask_lit(1u64 << bit)).otherwise(no_mask());
            let v = col(Columns::value_name(id));
            let v = match (cols.kind)(id) {
                Some(QuestionKind::Number) | None => as_number(v),
                Some(QuestionKind::Codes) => v.cast(DataType::UInt64),
                _ => v,
            };
            Parts { v, s, m }
        }
        Kind::Unary(op, x) => {
            let x = lower(x)?;
            let v = match op {
                Unary::Neg => x.v * lit(-1.0),
                Unary::Not => as_number(x.v.eq(lit(0.0))),
            };
            Parts { v, s: x.s, m: x.m }
        }
        Kind::Binary(op, a, b) => {
            let (bit_a, bit_b) = (code_bit(a, b, cols)?, code_bit(b, a, cols)?);
            let (a, b) = (lower(a)?, lower(b)?);
            let mut states = vec![a.s.clone(), b.s.clone()];
            if *op == Binary::Div {
                states.push(division_by_zero(&b));
            }
            let s = worst(states)?;
            let m = only_missing(&s, union(vec![a.m, b.m]));
            let (x, y) = (a.v, b.v);
            let v = match op {
                Binary::Add => x + y,
                Binary::Sub => x - y,
                Binary::Mul => x * y,
                Binary::Div => x / y,
                Binary::Lt => as_number(x.lt(y)),
                Binary::Le => as_number(x.lt_eq(y)),
                Binary::Gt => as_number(x.gt(y)),
                Binary::Ge => as_number(x.gt_eq(y)),
                Binary::Eq | Binary::Ne => {
                    let eq = match (bit_a, bit_b) {
                        (Some(bit), _) => ticked(x, bit),
                        (_, Some(bit)) => ticked(y, bit),
                        _ => x.eq(y),
                    };
                    as_number(if *op == Binary::Eq { eq } else { eq.not() })
                }
                Binary::And => as_number(x.neq(lit(0.0)).and(y.neq(lit(0.0)))),
                Binary::Or => as_number(x.neq(lit(0.0)).or(y.neq(lit(0.0)))),
            };
            Parts { v, s, m }
        }
        Kind::Call(func, args) => {
            let parts = args.iter().map(lower).collect::<PolarsResult<Vec<_>>>()?;
            call(*func, parts)?
        }
    })
}

/// When `node` is a multiple-choice question compared with the code `other`, the bit of
/// that code.
fn code_bit(node: &Node, other: &Node, cols: &Columns<'_>) -> PolarsResult<Option<u32>> {
    let (Kind::Question(id), Kind::Str(code)) = (&node.kind, &other.kind) else {
        return Ok(None);
    };
    if (cols.kind)(id) != Some(QuestionKind::Codes) {
        return Ok(None);
    }
    match (cols.code_bit)(id, code) {
        Some(bit) if bit < 64 => Ok(Some(bit)),
        _ => polars_bail!(ComputeError: "`{code}` is not a choice of question {id}"),
    }
}

/// Whether choice `bit` is set in a multiple-choice mask.
fn ticked(mask: Expr, bit: u32) -> Expr {
    mask.and(mask_lit(1u64 << bit)).neq(mask_lit(0))
}

/// 1 (undefined) where a present divisor is zero, else 0.
fn division_by_zero(divisor: &Parts) -> Expr {
    when(divisor.s.clone().eq(state(OK)).and(divisor.v.clone().eq(lit(0.0))))
        .then(state(UNDEFINED))
        .otherwise(state(OK))
}

fn call(func: Func, mut args: Vec<Parts>) -> PolarsResult<Parts> {
    Ok(match func {
        Func::If => {
            let b = args.pop().expect("if has three arguments");
            let a = args.pop().expect("if has three arguments");
            let c = args.pop().expect("if has three arguments");
            let failed = c.s.clone().neq(state(OK));
            let chosen = c.v.neq(lit(0.0));
            let pick = |x: Expr, y: Expr, from_cond: Expr| {
                when(failed.clone()).then(from_cond).when(chosen.clone()).then(x).otherwise(y)
            };
            let s = pick(a.s, b.s, c.s);
            Parts { v: pick(a.v, b.v, lit(NULL)), m: only_missing(&s, pick(a.m, b.m, c.m)), s }
        }
        Func::Coalesce => {
            let mut acc = args.pop().expect("coalesce has an argument");
            while let Some(a) = args.pop() {
                let usable =
                    |s: &Expr| s.clone().eq(state(OK)).or(s.clone().eq(state(NOT_APPLICABLE)));
                let take = usable(&a.s);
                let both_failed = worst(vec![a.s.clone(), acc.s.clone()])?;
                let rest_s = when(usable(&acc.s)).then(acc.s.clone()).otherwise(both_failed);
                let s = when(take.clone()).then(a.s).otherwise(rest_s);
                let v = when(take.clone()).then(a.v).otherwise(acc.v);
                let m = when(take).then(a.m.clone()).otherwise(a.m.or(acc.m));
                acc = Parts { m: only_missing(&s, m), v, s };
            }
            acc
        }
        Func::Count => {
            let any_na = args
                .iter()
                .map(|a| a.s.clone().eq(state(NOT_APPLICABLE)))
                .reduce(|x, y| x.or(y))
                .unwrap_or(lit(false));
            let answered: Vec<Expr> =
                args.iter().map(|a| as_number(a.s.clone().eq(state(OK)))).collect();
            let s = when(any_na).then(state(NOT_APPLICABLE)).otherwise(state(OK));
            Parts { v: sum_horizontal(answered, false)?, s, m: no_mask() }
        }
        Func::Pct => {
            let b = args.pop().expect("pct has two arguments");
            let a = args.pop().expect("pct has two arguments");
            let s = worst(vec![a.s, b.s.clone(), division_by_zero(&b)])?;
            let m = only_missing(&s, union(vec![a.m, b.m]));
            Parts { v: a.v / b.v * lit(100.0), s, m }
        }
        Func::Min | Func::Max | Func::Sum | Func::Mean => {
            let n = args.len() as f64;
            let s = worst(args.iter().map(|a| a.s.clone()).collect())?;
            let m = only_missing(&s, union(args.iter().map(|a| a.m.clone()).collect()));
            let vs: Vec<Expr> = args.into_iter().map(|a| a.v).collect();
            let v = match func {
                Func::Min => min_horizontal(vs)?,
                Func::Max => max_horizontal(vs)?,
                Func::Sum => fold_sum(vs),
                _ => fold_sum(vs) / lit(n),
            };
            Parts { v, s, m }
        }
    })
}

/// Left-to-right sum, in the same order as the reference evaluator.
fn fold_sum(vs: Vec<Expr>) -> Expr {
    vs.into_iter().fold(lit(0.0), |acc, v| acc + v)
}
