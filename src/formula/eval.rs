//! Evaluates a formula for one return, with the missing-value semantics of Contract 3.
//!
//! Used where one workbook is at hand (validation: skip logic and consistency rules) and
//! as the reference the polars lowering is tested against.

use std::collections::BTreeSet;

use super::ast::{Binary, Func, Kind, Node, Unary};

/// The answer to a question, as formulas see it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Answer<'a> {
    /// A number (yes/no as 1/0, percent in points).
    Number(f64),
    /// A single choice code.
    Code(&'a str),
    /// The codes ticked in a multiple-choice question.
    Codes(&'a [String]),
    /// A usable text or date answer (only `count` looks at it).
    Opaque,
    /// Blank, "not available" or invalid.
    Missing,
    /// The question does not apply (its `relevant` formula is false).
    NotApplicable,
}

/// How a formula result stands, from best to worst. When operands differ, the worst wins:
/// not applicable over missing over undefined over a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum State {
    /// A value.
    Ok = 0,
    /// Division by zero.
    Undefined = 1,
    /// An input it needs is missing.
    Missing = 2,
    /// An input does not apply.
    NotApplicable = 3,
}

impl State {
    /// The state with numeric code `code` (as used in polars columns).
    pub fn from_code(code: i32) -> State {
        match code {
            0 => State::Ok,
            1 => State::Undefined,
            2 => State::Missing,
            _ => State::NotApplicable,
        }
    }
}

/// A formula value.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    /// A number.
    Number(f64),
    /// A choice code.
    Code(String),
    /// Ticked codes of a multiple-choice answer.
    Codes(Vec<String>),
    /// A text or date answer.
    Opaque,
}

impl Val {
    fn num(&self) -> f64 {
        match self {
            Val::Number(n) => *n,
            _ => f64::NAN,
        }
    }
}

/// The result of evaluating a formula.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// Whether there is a value.
    pub state: State,
    /// The value, meaningful only when `state` is [`State::Ok`].
    pub value: Val,
    /// The missing questions that made the result missing (empty unless `Missing`).
    pub missing: BTreeSet<String>,
}

impl Outcome {
    fn ok(value: Val) -> Self {
        Outcome { state: State::Ok, value, missing: BTreeSet::new() }
    }

    fn bad(state: State) -> Self {
        Outcome { state, value: Val::Number(f64::NAN), missing: BTreeSet::new() }
    }

    /// The numeric value, if the result is a number.
    pub fn number(&self) -> Option<f64> {
        match (&self.state, &self.value) {
            (State::Ok, Val::Number(n)) => Some(*n),
            _ => None,
        }
    }

    /// Combines operands: the worst state wins; missing sets are merged.
    fn worst<'a>(parts: impl IntoIterator<Item = &'a Outcome>) -> Outcome {
        let mut out = Outcome::bad(State::Ok);
        for p in parts {
            out.state = out.state.max(p.state);
            if p.state == State::Missing {
                out.missing.extend(p.missing.iter().cloned());
            }
        }
        if out.state != State::Missing {
            out.missing.clear();
        }
        out
    }
}

fn truth(b: bool) -> Val {
    Val::Number(if b { 1.0 } else { 0.0 })
}

fn equal(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (Val::Number(x), Val::Number(y)) => x == y,
        (Val::Code(x), Val::Code(y)) => x == y,
        (Val::Codes(set), Val::Code(c)) | (Val::Code(c), Val::Codes(set)) => set.contains(c),
        (Val::Codes(x), Val::Codes(y)) => x == y,
        _ => false,
    }
}

/// Evaluates `node` with the answers `answer` gives for each question id.
pub fn eval<'a>(node: &Node, answer: &dyn Fn(&str) -> Answer<'a>) -> Outcome {
    match &node.kind {
        Kind::Number(n) => Outcome::ok(Val::Number(*n)),
        Kind::Str(s) => Outcome::ok(Val::Code(s.clone())),
        Kind::Question(id) => match answer(id) {
            Answer::Number(n) => Outcome::ok(Val::Number(n)),
            Answer::Code(c) => Outcome::ok(Val::Code(c.to_string())),
            Answer::Codes(c) => Outcome::ok(Val::Codes(c.to_vec())),
            Answer::Opaque => Outcome::ok(Val::Opaque),
            Answer::Missing => {
                let mut out = Outcome::bad(State::Missing);
                out.missing.insert(id.clone());
                out
            }
            Answer::NotApplicable => Outcome::bad(State::NotApplicable),
        },
        Kind::Unary(op, x) => {
            let x = eval(x, answer);
            if x.state != State::Ok {
                return x;
            }
            let v = x.value.num();
            Outcome::ok(match op {
                Unary::Neg => Val::Number(-v),
                Unary::Not => truth(v == 0.0),
            })
        }
        Kind::Binary(op, a, b) => {
            let a = eval(a, answer);
            let b = eval(b, answer);
            let mut out = Outcome::worst([&a, &b]);
            if *op == Binary::Div && b.state == State::Ok && b.value.num() == 0.0 {
                out.state = out.state.max(State::Undefined);
            }
            if out.state != State::Ok {
                return out;
            }
            let (x, y) = (a.value.num(), b.value.num());
            Outcome::ok(match op {
                Binary::Add => Val::Number(x + y),
                Binary::Sub => Val::Number(x - y),
                Binary::Mul => Val::Number(x * y),
                Binary::Div => Val::Number(x / y),
                Binary::Lt => truth(x < y),
                Binary::Le => truth(x <= y),
                Binary::Gt => truth(x > y),
                Binary::Ge => truth(x >= y),
                Binary::Eq => truth(equal(&a.value, &b.value)),
                Binary::Ne => truth(!equal(&a.value, &b.value)),
                Binary::And => truth(x != 0.0 && y != 0.0),
                Binary::Or => truth(x != 0.0 || y != 0.0),
            })
        }
        Kind::Call(func, args) => call(*func, args, answer),
    }
}

fn call<'a>(func: Func, args: &[Node], answer: &dyn Fn(&str) -> Answer<'a>) -> Outcome {
    let vals: Vec<Outcome> = args.iter().map(|a| eval(a, answer)).collect();
    match func {
        Func::If => {
            let cond = &vals[0];
            if cond.state != State::Ok {
                return cond.clone();
            }
            if cond.value.num() != 0.0 {
                vals[1].clone()
            } else {
                vals[2].clone()
            }
        }
        Func::Coalesce => {
            for v in &vals {
                if matches!(v.state, State::Ok | State::NotApplicable) {
                    return v.clone();
                }
            }
            Outcome::worst(&vals)
        }
        Func::Count => {
            if vals.iter().any(|v| v.state == State::NotApplicable) {
                return Outcome::bad(State::NotApplicable);
            }
            let n = vals.iter().filter(|v| v.state == State::Ok).count();
            Outcome::ok(Val::Number(n as f64))
        }
        _ => {
            let out = Outcome::worst(&vals);
            if out.state != State::Ok && func != Func::Pct {
                return out;
            }
            let nums: Vec<f64> = vals.iter().map(|v| v.value.num()).collect();
            if func == Func::Pct {
                let mut out = out;
                if vals[1].state == State::Ok && nums[1] == 0.0 {
                    out.state = out.state.max(State::Undefined);
                }
                if out.state != State::Ok {
                    return out;
                }
                return Outcome::ok(Val::Number(nums[0] / nums[1] * 100.0));
            }
            let value = match func {
                Func::Min => nums.iter().copied().fold(f64::INFINITY, f64::min),
                Func::Max => nums.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                Func::Sum => nums.iter().sum(),
                _ => nums.iter().sum::<f64>() / nums.len() as f64,
            };
            Outcome::ok(Val::Number(value))
        }
    }
}
