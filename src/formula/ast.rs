//! The syntax tree of a formula.

use std::fmt;

/// A byte range `start..end` in the formula text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    /// First byte of the construct.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A node of the tree with the span it was parsed from.
///
/// Two nodes are equal when their trees are equal; spans are ignored, so a printed
/// and re-parsed formula compares equal to the original.
#[derive(Clone, Debug)]
pub struct Node {
    /// What the node is.
    pub kind: Kind,
    /// Where it was in the source text.
    pub span: Span,
}

impl Default for Node {
    /// The formula `0`.
    fn default() -> Self {
        Node { kind: Kind::Number(0.0), span: Span::default() }
    }
}

impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
    }
}

/// The kinds of node.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// A non-negative number literal (a minus sign is a [`Unary::Neg`]).
    Number(f64),
    /// A string literal, compared with choice answers.
    Str(String),
    /// A question id.
    Question(String),
    /// `-x` or `not x`.
    Unary(Unary, Box<Node>),
    /// `a op b`.
    Binary(Binary, Box<Node>, Box<Node>),
    /// `f(a, b, …)`.
    Call(Func, Vec<Node>),
}

/// Prefix operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unary {
    /// Arithmetic negation.
    Neg,
    /// Logical negation (0 → 1, anything else → 0).
    Not,
}

/// Infix operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binary {
    Add,
    Sub,
    Mul,
    Div,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
}

impl Binary {
    /// What `Q op n` asks of a yes/no answer `Q` (1 = yes, 0 = no): `Some(true)` for Yes
    /// (`= 1`, `!= 0`), `Some(false)` for No (`= 0`, `!= 1`), `None` for anything else.
    pub fn asks_yes(self, n: f64) -> Option<bool> {
        match self {
            Binary::Eq if n == 1.0 => Some(true),
            Binary::Ne if n == 0.0 => Some(true),
            Binary::Eq if n == 0.0 => Some(false),
            Binary::Ne if n == 1.0 => Some(false),
            _ => None,
        }
    }

    /// How the operator is written.
    pub fn symbol(self) -> &'static str {
        match self {
            Binary::Add => "+",
            Binary::Sub => "-",
            Binary::Mul => "*",
            Binary::Div => "/",
            Binary::Lt => "<",
            Binary::Le => "<=",
            Binary::Gt => ">",
            Binary::Ge => ">=",
            Binary::Eq => "=",
            Binary::Ne => "!=",
            Binary::And => "and",
            Binary::Or => "or",
        }
    }

    /// Binding strength, loosest first (see [`Precedence`]).
    pub fn precedence(self) -> Precedence {
        match self {
            Binary::Or => Precedence::Or,
            Binary::And => Precedence::And,
            Binary::Lt | Binary::Le | Binary::Gt | Binary::Ge | Binary::Eq | Binary::Ne => {
                Precedence::Compare
            }
            Binary::Add | Binary::Sub => Precedence::Sum,
            Binary::Mul | Binary::Div => Precedence::Product,
        }
    }

    /// Whether the operator compares its operands.
    pub fn is_comparison(self) -> bool {
        self.precedence() == Precedence::Compare
    }
}

/// Operator precedence, loosest first, as in Contract 3 of the design.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precedence {
    Or,
    And,
    Not,
    Compare,
    Sum,
    Product,
    Neg,
    Atom,
}

/// The built-in functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    If,
    Min,
    Max,
    Sum,
    Mean,
    Coalesce,
    Count,
    Pct,
}

impl Func {
    /// Every function, for error hints and documentation.
    pub const ALL: [Func; 8] = [
        Func::If,
        Func::Min,
        Func::Max,
        Func::Sum,
        Func::Mean,
        Func::Coalesce,
        Func::Count,
        Func::Pct,
    ];

    /// The name used in formulas.
    pub fn name(self) -> &'static str {
        match self {
            Func::If => "if",
            Func::Min => "min",
            Func::Max => "max",
            Func::Sum => "sum",
            Func::Mean => "mean",
            Func::Coalesce => "coalesce",
            Func::Count => "count",
            Func::Pct => "pct",
        }
    }

    /// The function called `name`, if any.
    pub fn from_name(name: &str) -> Option<Func> {
        Func::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The number of arguments it takes: exactly `(n, Some(n))` or at least `(n, None)`.
    pub fn arity(self) -> (usize, Option<usize>) {
        match self {
            Func::If => (3, Some(3)),
            Func::Pct => (2, Some(2)),
            _ => (1, None),
        }
    }
}

impl fmt::Display for Func {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Node {
    /// Every question id the formula mentions, in order of first appearance.
    pub fn questions(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        self.visit(&mut |node| {
            if let Kind::Question(id) = &node.kind {
                if !out.contains(&id.as_str()) {
                    out.push(id);
                }
            }
        });
        out
    }

    /// Calls `f` on this node and every node below it, parents first.
    pub fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Node)) {
        f(self);
        match &self.kind {
            Kind::Number(_) | Kind::Str(_) | Kind::Question(_) => {}
            Kind::Unary(_, x) => x.visit(f),
            Kind::Binary(_, a, b) => {
                a.visit(f);
                b.visit(f);
            }
            Kind::Call(_, args) => args.iter().for_each(|a| a.visit(f)),
        }
    }
}
