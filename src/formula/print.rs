//! Prints a tree back as formula text with as few parentheses as the grammar allows.
//! Parsing the printed text gives the same tree.

use std::fmt::{self, Write};

use super::ast::{Kind, Node, Precedence, Unary};

impl Node {
    /// The binding strength of this node when printed without parentheses.
    fn precedence(&self) -> Precedence {
        match &self.kind {
            Kind::Number(_) | Kind::Str(_) | Kind::Question(_) | Kind::Call(..) => Precedence::Atom,
            Kind::Unary(Unary::Neg, _) => Precedence::Neg,
            Kind::Unary(Unary::Not, _) => Precedence::Not,
            Kind::Binary(op, ..) => op.precedence(),
        }
    }

    fn write(&self, out: &mut dyn Write, min: Precedence) -> fmt::Result {
        let parens = self.precedence() < min;
        if parens {
            out.write_char('(')?;
        }
        match &self.kind {
            Kind::Number(n) => write!(out, "{n}")?,
            Kind::Str(s) => {
                out.write_char('"')?;
                for c in s.chars() {
                    if c == '"' || c == '\\' {
                        out.write_char('\\')?;
                    }
                    out.write_char(c)?;
                }
                out.write_char('"')?;
            }
            Kind::Question(id) => out.write_str(id)?,
            Kind::Unary(Unary::Neg, x) => {
                out.write_char('-')?;
                x.write(out, Precedence::Neg)?;
            }
            Kind::Unary(Unary::Not, x) => {
                out.write_str("not ")?;
                x.write(out, Precedence::Not)?;
            }
            Kind::Binary(op, a, b) => {
                let p = op.precedence();
                // Left-associative: the right operand binds tighter. Comparisons do not
                // chain, so both their operands bind tighter.
                let left_min = if op.is_comparison() { Precedence::Sum } else { p };
                let right_min = if op.is_comparison() { Precedence::Sum } else { next(p) };
                a.write(out, left_min)?;
                write!(out, " {} ", op.symbol())?;
                b.write(out, right_min)?;
            }
            Kind::Call(f, args) => {
                write!(out, "{}(", f.name())?;
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        out.write_str(", ")?;
                    }
                    a.write(out, Precedence::Or)?;
                }
                out.write_char(')')?;
            }
        }
        if parens {
            out.write_char(')')?;
        }
        Ok(())
    }
}

fn next(p: Precedence) -> Precedence {
    match p {
        Precedence::Or => Precedence::And,
        Precedence::And => Precedence::Not,
        Precedence::Not => Precedence::Compare,
        Precedence::Compare => Precedence::Sum,
        Precedence::Sum => Precedence::Product,
        Precedence::Product => Precedence::Neg,
        Precedence::Neg | Precedence::Atom => Precedence::Atom,
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, Precedence::Or)
    }
}
