//! Skip logic in words: the note that says when a question applies.

use super::*;

/// "Answer only if …" for a question with a `relevant` formula: in words when the formula
/// is a simple comparison of a question with a value (or several joined by `and` / `or`),
/// otherwise with the formula itself.
pub(super) fn skip_note(fw: &Framework, q: &Question, lang: Lang) -> Option<String> {
    let formula = q.relevant.as_ref()?;
    Some(match describe(fw, &formula.node, lang) {
        Some(condition) => trf(lang, "workbook.skip.only_if", &[("condition", &condition)]),
        None => trf(lang, "workbook.skip.only_if_formula", &[("formula", &formula.text)]),
    })
}

/// A condition in words, if it is simple enough.
pub(super) fn describe(fw: &Framework, node: &Node, lang: Lang) -> Option<String> {
    let Kind::Binary(op, a, b) = &node.kind else { return None };
    match op {
        Binary::And | Binary::Or => {
            let word =
                tr(lang, if *op == Binary::And { "workbook.skip.and" } else { "workbook.skip.or" });
            // Mixing `and` and `or` needs parentheses that words do not have.
            let same = |n: &Node| match &n.kind {
                Kind::Binary(o @ (Binary::And | Binary::Or), _, _) => o == op,
                _ => true,
            };
            if !same(a) || !same(b) {
                return None;
            }
            Some(format!("{} {word} {}", describe(fw, a, lang)?, describe(fw, b, lang)?))
        }
        _ if op.is_comparison() => {
            // Put the question (or count) on the left.
            let (op, left, right) = match (&a.kind, &b.kind) {
                (Kind::Number(_) | Kind::Str(_), _) => (flip(*op), b, a),
                _ => (*op, a, b),
            };
            compare(fw, op, left, right, lang)
        }
        _ => None,
    }
}

/// `a op b` is the same as `b flip(op) a`.
pub(super) fn flip(op: Binary) -> Binary {
    match op {
        Binary::Lt => Binary::Gt,
        Binary::Le => Binary::Ge,
        Binary::Gt => Binary::Lt,
        Binary::Ge => Binary::Le,
        other => other,
    }
}

pub(super) fn compare(
    fw: &Framework,
    op: Binary,
    left: &Node,
    right: &Node,
    lang: Lang,
) -> Option<String> {
    let arg =
        |key: &str, id: &str, answer: &str| trf(lang, key, &[("id", &id), ("answer", &answer)]);
    match (&left.kind, &right.kind) {
        // count(Q) = 1, count(Q) >= 1, count(Q) > 0: Q is answered; count(Q) = 0: it is not.
        (Kind::Call(Func::Count, args), Kind::Number(n)) if args.len() == 1 => {
            let Kind::Question(id) = &args[0].kind else { return None };
            let answered = match op {
                Binary::Eq if *n == 1.0 => true,
                Binary::Ge if *n == 1.0 => true,
                Binary::Gt if *n == 0.0 => true,
                Binary::Ne if *n == 0.0 => true,
                Binary::Eq if *n == 0.0 => false,
                Binary::Lt if *n == 1.0 => false,
                _ => return None,
            };
            let key = if answered { "workbook.skip.answered" } else { "workbook.skip.unanswered" };
            Some(trf(lang, key, &[("id", id)]))
        }
        (Kind::Question(id), Kind::Number(n)) => {
            let q = fw.question(id)?;
            if q.qtype == QuestionType::YesNo {
                let (yes, no) = layout::yes_no_labels(lang);
                let yes_wanted = op.asks_yes(*n)?;
                return Some(arg("workbook.skip.is", id, if yes_wanted { yes } else { no }));
            }
            let op_key = match op {
                Binary::Lt => "workbook.skip.op.lt",
                Binary::Le => "workbook.skip.op.le",
                Binary::Gt => "workbook.skip.op.gt",
                Binary::Ge => "workbook.skip.op.ge",
                Binary::Eq => "workbook.skip.op.eq",
                Binary::Ne => "workbook.skip.op.ne",
                _ => return None,
            };
            let value = format_shortest(*n, lang);
            Some(trf(
                lang,
                "workbook.skip.compare",
                &[("id", id), ("op", &tr(lang, op_key)), ("value", &value)],
            ))
        }
        (Kind::Question(id), Kind::Str(code)) => {
            let q = fw.question(id)?;
            let label = choice_label(q, code, lang);
            let key = match (q.qtype, op) {
                (QuestionType::MultiChoice, Binary::Eq) => "workbook.skip.includes",
                (QuestionType::MultiChoice, Binary::Ne) => "workbook.skip.excludes",
                (_, Binary::Eq) => "workbook.skip.is",
                (_, Binary::Ne) => "workbook.skip.is_not",
                _ => return None,
            };
            Some(arg(key, id, label))
        }
        _ => None,
    }
}
