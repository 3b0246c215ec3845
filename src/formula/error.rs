//! Formula errors: what went wrong and where, in the user's language.

use super::ast::{Func, Span};
use crate::i18n::{tr, trf, Lang};

/// A problem with a formula, at a byte span of its text.
#[derive(Clone, Debug, PartialEq)]
pub struct FormulaError {
    /// What is wrong.
    pub kind: ErrorKind,
    /// Where, as bytes of the formula text.
    pub span: Span,
}

/// The kinds of formula problem.
#[derive(Clone, Debug, PartialEq)]
pub enum ErrorKind {
    /// The formula is empty.
    Empty,
    /// A character that is not part of the language.
    UnexpectedChar(char),
    /// A string literal without its closing quote.
    UnterminatedString,
    /// A backslash not followed by `"` or `\`.
    BadEscape,
    /// A number such as `1.2.3`.
    BadNumber(String),
    /// A token where another was expected; `expected` is a message key suffix.
    Unexpected { found: String, expected: &'static str },
    /// `a < b < c`.
    ChainedComparison,
    /// `foo(…)` where `foo` is not a function.
    UnknownFunction(String),
    /// `count` used without parentheses.
    FunctionWithoutCall(Func),
    /// A function called with the wrong number of arguments.
    Arity { func: Func, expected: (usize, Option<usize>), found: usize },
    /// A question id the framework does not define.
    UnknownQuestion(String),
    /// A text or date question used where a number or code is needed.
    NotComparable(String),
    /// A number where a code is compared, or the other way round.
    TypeMismatch,
    /// A formula whose result is a code, where a number is needed.
    NotANumber,
    /// More distinct questions than the missing-value tracking can follow.
    TooManyQuestions(usize),
    /// Parentheses, calls, `not` or `-` nested deeper than the parser follows.
    TooDeep(usize),
}

impl FormulaError {
    /// An error of `kind` at `span`.
    pub fn new(kind: ErrorKind, span: Span) -> Self {
        FormulaError { kind, span }
    }

    /// The 1-based column (in characters) where the error starts in `src`.
    pub fn column(&self, src: &str) -> usize {
        let end = self.span.start.min(src.len());
        src.get(..end).map_or(end, |s| s.chars().count()) + 1
    }

    /// A plain-words description in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match &self.kind {
            ErrorKind::Empty => tr(lang, "formula.empty").to_string(),
            ErrorKind::UnexpectedChar(c) => trf(lang, "formula.unexpected_char", &[("char", c)]),
            ErrorKind::UnterminatedString => tr(lang, "formula.unterminated_string").into(),
            ErrorKind::BadEscape => tr(lang, "formula.bad_escape").into(),
            ErrorKind::BadNumber(n) => trf(lang, "formula.bad_number", &[("text", n)]),
            ErrorKind::Unexpected { found, expected } => {
                let expected = tr(lang, &format!("formula.expected.{expected}")).to_string();
                trf(lang, "formula.unexpected", &[("found", found), ("expected", &expected)])
            }
            ErrorKind::ChainedComparison => tr(lang, "formula.chained_comparison").into(),
            ErrorKind::UnknownFunction(name) => {
                trf(lang, "formula.unknown_function", &[("name", name)])
            }
            ErrorKind::FunctionWithoutCall(f) => {
                trf(lang, "formula.function_without_call", &[("name", f)])
            }
            ErrorKind::Arity { func, expected, found } => {
                let expected = match expected {
                    (n, Some(m)) if n == m => n.to_string(),
                    (n, _) => format!("≥ {n}"),
                };
                trf(
                    lang,
                    "formula.arity",
                    &[("name", func), ("expected", &expected), ("found", found)],
                )
            }
            ErrorKind::UnknownQuestion(id) => trf(lang, "formula.unknown_question", &[("id", id)]),
            ErrorKind::NotComparable(id) => trf(lang, "formula.not_comparable", &[("id", id)]),
            ErrorKind::TypeMismatch => tr(lang, "formula.type_mismatch").into(),
            ErrorKind::NotANumber => tr(lang, "formula.not_a_number").into(),
            ErrorKind::TooManyQuestions(n) => {
                trf(lang, "formula.too_many_questions", &[("count", n)])
            }
            ErrorKind::TooDeep(n) => trf(lang, "formula.too_deep", &[("max", n)]),
        }
    }

    /// How to fix it, in `lang`, where there is something useful to say.
    pub fn hint(&self, lang: Lang) -> Option<String> {
        let key = match &self.kind {
            ErrorKind::UnknownFunction(_) | ErrorKind::Arity { .. } => {
                let names: Vec<&str> = Func::ALL.iter().map(|f| f.name()).collect();
                return Some(trf(lang, "formula.hint.functions", &[("names", &names.join(", "))]));
            }
            ErrorKind::ChainedComparison => "formula.hint.chained_comparison",
            ErrorKind::Unexpected { .. } => "formula.hint.unexpected",
            ErrorKind::UnterminatedString | ErrorKind::BadEscape => "formula.hint.string",
            ErrorKind::UnknownQuestion(_) => "formula.hint.unknown_question",
            ErrorKind::NotComparable(_) => "formula.hint.not_comparable",
            ErrorKind::TypeMismatch | ErrorKind::NotANumber => "formula.hint.type_mismatch",
            _ => return None,
        };
        Some(tr(lang, key).to_string())
    }
}
