//! The formula language shared by indicator formulas, `relevant` (skip logic) and
//! consistency rules (Contract 3 of the design).
//!
//! - [`parse`] turns text into a [`Node`] tree, with precise error positions;
//! - `Display` prints a tree back (printing then parsing gives the same tree);
//! - [`check`] finds unknown questions and type errors against the framework;
//! - [`eval`] evaluates a tree for one return (validation of a single workbook);
//! - [`lower`] turns a tree into polars expressions evaluated over all cities at once.
//!
//! Both evaluators implement the same missing-value semantics, and a test checks that they
//! agree on random formulas and answers.

mod ast;
mod error;
mod eval;
mod lower;
mod parse;
mod print;

pub use ast::{Binary, Func, Kind, Node, Precedence, Span, Unary};
pub use error::{ErrorKind, FormulaError};
pub use eval::{eval, Answer, Outcome, State, Val};
pub use lower::{lower, Columns, Lowered, MASK_BITS};
pub use parse::parse;

/// What a question contributes to a formula, by its answer type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuestionKind {
    /// number, integer, percent, yes_no (1/0) and year answers.
    Number,
    /// A single choice: compares equal to its code.
    Code,
    /// Several choices: compares equal to each ticked code.
    Codes,
    /// Text and dates: only `count(…)` may look at them.
    Opaque,
}

/// The type of a formula's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    /// A number (comparisons and logic give 1 or 0).
    Number,
    /// A choice code.
    Code,
}

/// Checks `node` against the questions `lookup` knows, returning the type of its value
/// and every problem found (unknown questions, type errors).
pub fn check(
    node: &Node,
    lookup: &dyn Fn(&str) -> Option<QuestionKind>,
) -> (ValueType, Vec<FormulaError>) {
    let mut errors = Vec::new();
    let ty = check_node(node, lookup, false, &mut errors);
    let distinct = node.questions().len();
    if distinct > MASK_BITS {
        errors.push(FormulaError::new(ErrorKind::TooManyQuestions(distinct), node.span));
    }
    (ty, errors)
}

/// Like [`check`], and also requires a numeric result.
pub fn check_numeric(
    node: &Node,
    lookup: &dyn Fn(&str) -> Option<QuestionKind>,
) -> Vec<FormulaError> {
    let (ty, mut errors) = check(node, lookup);
    if ty != ValueType::Number {
        errors.push(FormulaError::new(ErrorKind::NotANumber, node.span));
    }
    errors
}

fn check_node(
    node: &Node,
    lookup: &dyn Fn(&str) -> Option<QuestionKind>,
    in_count: bool,
    errors: &mut Vec<FormulaError>,
) -> ValueType {
    let want_number = |n: &Node, errors: &mut Vec<FormulaError>| {
        if check_node(n, lookup, false, errors) != ValueType::Number {
            errors.push(FormulaError::new(ErrorKind::TypeMismatch, n.span));
        }
    };
    match &node.kind {
        Kind::Number(_) => ValueType::Number,
        Kind::Str(_) => ValueType::Code,
        Kind::Question(id) => match lookup(id) {
            None => {
                errors.push(FormulaError::new(ErrorKind::UnknownQuestion(id.clone()), node.span));
                ValueType::Number
            }
            Some(QuestionKind::Number) => ValueType::Number,
            Some(QuestionKind::Code | QuestionKind::Codes) => ValueType::Code,
            Some(QuestionKind::Opaque) => {
                if !in_count {
                    errors.push(FormulaError::new(ErrorKind::NotComparable(id.clone()), node.span));
                }
                ValueType::Number
            }
        },
        Kind::Unary(_, x) => {
            want_number(x, errors);
            ValueType::Number
        }
        Kind::Binary(Binary::Eq | Binary::Ne, a, b) => {
            let ta = check_node(a, lookup, false, errors);
            let tb = check_node(b, lookup, false, errors);
            // A multiple-choice answer is compared with one code written in quotes.
            let ticked = |n: &Node| match &n.kind {
                Kind::Question(id) => lookup(id) == Some(QuestionKind::Codes),
                _ => false,
            };
            let literal = |n: &Node| matches!(n.kind, Kind::Str(_));
            let codes_ok = (!ticked(a) || literal(b)) && (!ticked(b) || literal(a));
            if ta != tb || !codes_ok {
                errors.push(FormulaError::new(ErrorKind::TypeMismatch, node.span));
            }
            ValueType::Number
        }
        Kind::Binary(_, a, b) => {
            want_number(a, errors);
            want_number(b, errors);
            ValueType::Number
        }
        Kind::Call(Func::Count, args) => {
            for a in args {
                check_node(a, lookup, true, errors);
            }
            ValueType::Number
        }
        Kind::Call(Func::If, args) => {
            want_number(&args[0], errors);
            let ta = check_node(&args[1], lookup, false, errors);
            let tb = check_node(&args[2], lookup, false, errors);
            if ta != tb {
                errors.push(FormulaError::new(ErrorKind::TypeMismatch, node.span));
                return ValueType::Number; // reported once, not again by the parent
            }
            ta
        }
        Kind::Call(Func::Coalesce, args) => {
            let types: Vec<ValueType> =
                args.iter().map(|a| check_node(a, lookup, false, errors)).collect();
            if types.windows(2).any(|w| w[0] != w[1]) {
                errors.push(FormulaError::new(ErrorKind::TypeMismatch, node.span));
                return ValueType::Number; // reported once, not again by the parent
            }
            types.first().copied().unwrap_or(ValueType::Number)
        }
        Kind::Call(_, args) => {
            for a in args {
                want_number(a, errors);
            }
            ValueType::Number
        }
    }
}

#[cfg(test)]
mod tests;
