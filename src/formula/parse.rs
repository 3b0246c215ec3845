//! A hand-written lexer and recursive-descent parser for formulas.
//!
//! Grammar, loosest binding first (Contract 3):
//!
//! ```text
//! or      := and ("or" and)*
//! and     := not ("and" not)*
//! not     := "not" not | compare
//! compare := sum (("<" | "<=" | ">" | ">=" | "=" | "!=") sum)?
//! sum     := product (("+" | "-") product)*
//! product := neg (("*" | "/") neg)*
//! neg     := "-" neg | atom
//! atom    := number | string | question | func "(" or ("," or)* ")" | "(" or ")"
//! ```
//!
//! `==` is accepted for `=` and `<>` for `!=`. Comparisons do not chain: `a < b < c` is an
//! error that asks for `and`.

use super::ast::{Binary, Func, Kind, Node, Span, Unary};
use super::error::{ErrorKind, FormulaError};

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Number(f64),
    Str(String),
    Ident(String),
    LParen,
    RParen,
    Comma,
    Op(Binary),
    Minus,
    Not,
    Eof,
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::Number(n) => format!("number {n}"),
            Tok::Str(s) => format!("\"{s}\""),
            Tok::Ident(s) => format!("`{s}`"),
            Tok::LParen => "`(`".into(),
            Tok::RParen => "`)`".into(),
            Tok::Comma => "`,`".into(),
            Tok::Op(op) => format!("`{}`", op.symbol()),
            Tok::Minus => "`-`".into(),
            Tok::Not => "`not`".into(),
            Tok::Eof => "end of formula".into(),
        }
    }
}

fn lex(src: &str) -> Result<Vec<(Tok, Span)>, FormulaError> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let single = |tok: Tok| (tok, Span::new(start, start + 1));
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'(' => out.push(single(Tok::LParen)),
            b')' => out.push(single(Tok::RParen)),
            b',' => out.push(single(Tok::Comma)),
            b'+' => out.push(single(Tok::Op(Binary::Add))),
            b'-' => out.push(single(Tok::Minus)),
            b'*' => out.push(single(Tok::Op(Binary::Mul))),
            b'/' => out.push(single(Tok::Op(Binary::Div))),
            b'<' | b'>' | b'=' | b'!' => {
                let next = bytes.get(i + 1).copied();
                let (op, len) = match (c, next) {
                    (b'<', Some(b'=')) => (Binary::Le, 2),
                    (b'<', Some(b'>')) => (Binary::Ne, 2),
                    (b'<', _) => (Binary::Lt, 1),
                    (b'>', Some(b'=')) => (Binary::Ge, 2),
                    (b'>', _) => (Binary::Gt, 1),
                    (b'=', Some(b'=')) => (Binary::Eq, 2),
                    (b'=', _) => (Binary::Eq, 1),
                    (b'!', Some(b'=')) => (Binary::Ne, 2),
                    _ => {
                        return Err(FormulaError::new(
                            ErrorKind::UnexpectedChar('!'),
                            Span::new(start, start + 1),
                        ))
                    }
                };
                out.push((Tok::Op(op), Span::new(start, start + len)));
                i += len;
                continue;
            }
            b'"' => {
                let mut text = String::new();
                let mut j = i + 1;
                loop {
                    let Some(ch) = src[j..].chars().next() else {
                        return Err(FormulaError::new(
                            ErrorKind::UnterminatedString,
                            Span::new(start, src.len()),
                        ));
                    };
                    match ch {
                        '"' => break,
                        '\\' => {
                            let escaped = src[j + 1..].chars().next();
                            match escaped {
                                Some(e @ ('"' | '\\')) => {
                                    text.push(e);
                                    j += 2;
                                }
                                _ => {
                                    return Err(FormulaError::new(
                                        ErrorKind::BadEscape,
                                        Span::new(j, j + 1 + escaped.map_or(0, char::len_utf8)),
                                    ))
                                }
                            }
                        }
                        _ => {
                            text.push(ch);
                            j += ch.len_utf8();
                        }
                    }
                }
                out.push((Tok::Str(text), Span::new(start, j + 1)));
                i = j + 1;
                continue;
            }
            b'0'..=b'9' | b'.' => {
                let mut j = i;
                while j < bytes.len() && (bytes[j].is_ascii_digit() || bytes[j] == b'.') {
                    j += 1;
                }
                let text = &src[i..j];
                let span = Span::new(start, j);
                let valid = text.matches('.').count() <= 1
                    && !text.starts_with('.')
                    && !text.ends_with('.');
                match text.parse::<f64>() {
                    Ok(n) if valid && n.is_finite() => out.push((Tok::Number(n), span)),
                    _ => return Err(FormulaError::new(ErrorKind::BadNumber(text.into()), span)),
                }
                i = j;
                continue;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let mut j = i;
                while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
                    j += 1;
                }
                let word = &src[i..j];
                let tok = match word {
                    "and" => Tok::Op(Binary::And),
                    "or" => Tok::Op(Binary::Or),
                    "not" => Tok::Not,
                    _ => Tok::Ident(word.to_string()),
                };
                out.push((tok, Span::new(start, j)));
                i = j;
                continue;
            }
            _ => {
                let ch = src[i..].chars().next().unwrap_or('?');
                return Err(FormulaError::new(
                    ErrorKind::UnexpectedChar(ch),
                    Span::new(start, start + ch.len_utf8()),
                ));
            }
        }
        i += 1;
    }
    out.push((Tok::Eof, Span::new(src.len(), src.len())));
    Ok(out)
}

/// How deep parentheses, calls, `not` and unary minus may nest. The parser recurses at
/// each level; without a bound, a formula of a few thousand `(` overflowed the stack
/// (found by fuzzing). Real formulas nest a handful of levels.
pub const MAX_DEPTH: usize = 64;

struct Parser {
    toks: Vec<(Tok, Span)>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].0
    }

    fn span(&self) -> Span {
        self.toks[self.pos].1
    }

    fn bump(&mut self) -> (Tok, Span) {
        let t = self.toks[self.pos].clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    fn unexpected(&self, expected: &'static str) -> FormulaError {
        FormulaError::new(
            ErrorKind::Unexpected { found: self.peek().describe(), expected },
            self.span(),
        )
    }

    fn binary_level(
        &mut self,
        ops: &[Binary],
        next: fn(&mut Self) -> Result<Node, FormulaError>,
    ) -> Result<Node, FormulaError> {
        let mut left = next(self)?;
        while let Tok::Op(op) = *self.peek() {
            if !ops.contains(&op) {
                break;
            }
            self.bump();
            let right = next(self)?;
            let span = left.span.to(right.span);
            left = Node { kind: Kind::Binary(op, Box::new(left), Box::new(right)), span };
        }
        Ok(left)
    }

    fn or(&mut self) -> Result<Node, FormulaError> {
        self.binary_level(&[Binary::Or], Self::and)
    }

    /// Runs `f` one nesting level deeper, refusing to go past [`MAX_DEPTH`].
    fn nested(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<Node, FormulaError>,
    ) -> Result<Node, FormulaError> {
        if self.depth >= MAX_DEPTH {
            return Err(FormulaError::new(ErrorKind::TooDeep(MAX_DEPTH), self.span()));
        }
        self.depth += 1;
        let node = f(self);
        self.depth -= 1;
        node
    }

    fn and(&mut self) -> Result<Node, FormulaError> {
        self.binary_level(&[Binary::And], Self::not)
    }

    fn not(&mut self) -> Result<Node, FormulaError> {
        if *self.peek() == Tok::Not {
            let (_, start) = self.bump();
            let inner = self.nested(Self::not)?;
            let span = start.to(inner.span);
            return Ok(Node { kind: Kind::Unary(Unary::Not, Box::new(inner)), span });
        }
        self.compare()
    }

    fn compare(&mut self) -> Result<Node, FormulaError> {
        let left = self.sum()?;
        let Tok::Op(op) = *self.peek() else { return Ok(left) };
        if !op.is_comparison() {
            return Ok(left);
        }
        self.bump();
        let right = self.sum()?;
        if let Tok::Op(again) = *self.peek() {
            if again.is_comparison() {
                return Err(FormulaError::new(ErrorKind::ChainedComparison, self.span()));
            }
        }
        let span = left.span.to(right.span);
        Ok(Node { kind: Kind::Binary(op, Box::new(left), Box::new(right)), span })
    }

    fn sum(&mut self) -> Result<Node, FormulaError> {
        let mut left = self.product()?;
        loop {
            let op = match self.peek() {
                Tok::Op(Binary::Add) => Binary::Add,
                Tok::Minus => Binary::Sub,
                _ => return Ok(left),
            };
            self.bump();
            let right = self.product()?;
            let span = left.span.to(right.span);
            left = Node { kind: Kind::Binary(op, Box::new(left), Box::new(right)), span };
        }
    }

    fn product(&mut self) -> Result<Node, FormulaError> {
        self.binary_level(&[Binary::Mul, Binary::Div], Self::neg)
    }

    fn neg(&mut self) -> Result<Node, FormulaError> {
        if *self.peek() == Tok::Minus {
            let (_, start) = self.bump();
            let inner = self.nested(Self::neg)?;
            let span = start.to(inner.span);
            return Ok(Node { kind: Kind::Unary(Unary::Neg, Box::new(inner)), span });
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Node, FormulaError> {
        let span = self.span();
        match self.peek().clone() {
            Tok::Number(n) => {
                self.bump();
                Ok(Node { kind: Kind::Number(n), span })
            }
            Tok::Str(s) => {
                self.bump();
                Ok(Node { kind: Kind::Str(s), span })
            }
            Tok::LParen => {
                self.bump();
                let inner = self.nested(Self::or)?;
                if *self.peek() != Tok::RParen {
                    return Err(self.unexpected("close_paren"));
                }
                let (_, end) = self.bump();
                Ok(Node { kind: inner.kind, span: span.to(end) })
            }
            Tok::Ident(name) => {
                self.bump();
                let is_call = *self.peek() == Tok::LParen;
                match (Func::from_name(&name), is_call) {
                    (Some(func), true) => self.call(func, span),
                    (Some(func), false) => {
                        Err(FormulaError::new(ErrorKind::FunctionWithoutCall(func), span))
                    }
                    (None, true) => Err(FormulaError::new(ErrorKind::UnknownFunction(name), span)),
                    (None, false) => Ok(Node { kind: Kind::Question(name), span }),
                }
            }
            _ => Err(self.unexpected("operand")),
        }
    }

    fn call(&mut self, func: Func, name_span: Span) -> Result<Node, FormulaError> {
        self.bump(); // (
        let mut args = Vec::new();
        if *self.peek() != Tok::RParen {
            loop {
                args.push(self.nested(Self::or)?);
                match self.peek() {
                    Tok::Comma => {
                        self.bump();
                    }
                    Tok::RParen => break,
                    _ => return Err(self.unexpected("comma_or_close")),
                }
            }
        }
        let (_, end) = self.bump(); // )
        let span = name_span.to(end);
        let (min, max) = func.arity();
        if args.len() < min || max.is_some_and(|m| args.len() > m) {
            return Err(FormulaError::new(
                ErrorKind::Arity { func, expected: (min, max), found: args.len() },
                span,
            ));
        }
        Ok(Node { kind: Kind::Call(func, args), span })
    }
}

/// Parses a formula; the error carries the byte span of the offending token.
pub fn parse(src: &str) -> Result<Node, FormulaError> {
    let toks = lex(src)?;
    if toks.len() == 1 {
        return Err(FormulaError::new(ErrorKind::Empty, Span::new(0, src.len())));
    }
    let mut p = Parser { toks, pos: 0, depth: 0 };
    let node = p.or()?;
    if *p.peek() != Tok::Eof {
        return Err(p.unexpected("operator"));
    }
    Ok(node)
}
