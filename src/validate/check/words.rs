//! Conditions and answers in words, for the messages of diagnostics: a skip condition as
//! the questionnaire words it ("the answer to HOU_Q01 is “Yes”"), an answer as the city
//! wrote it ("Sí", not 1), a consistency rule's comparison without formula code.
//!
//! The condition reads as the questionnaire's note beside the question
//! (`questionnaire::write::skip`, the same `workbook.skip.*` messages), so that what the
//! validator says matches what the city saw in its workbook.

use std::collections::HashMap;

use super::Answer;
use crate::formula::{Binary, Func, Kind, Node, Unary};
use crate::framework::{Framework, QuestionType};
use crate::i18n::number::format_shortest;
use crate::i18n::{and_list, tr, trf, Lang};
use crate::questionnaire::answer::ResponseStatus;
use crate::questionnaire::layout::yes_no_labels;

/// `text` between the quotation marks of `lang`: “Sí”, «Sí», « Oui ».
pub(super) fn quoted(text: &str, lang: Lang) -> String {
    trf(lang, "diag.quoted", &[("text", &text)])
}

/// A condition in words, when it is simple enough: comparisons of a question with a value,
/// `count(Q)` against 0 or 1, `not` of one of those, joined by `and` or by `or`.
pub(super) fn condition(fw: &Framework, node: &Node, lang: Lang) -> Option<String> {
    match &node.kind {
        Kind::Unary(Unary::Not, inner) => match &inner.kind {
            Kind::Binary(op, a, b) if op.is_comparison() => comparison(fw, negate(*op), a, b, lang),
            _ => None,
        },
        Kind::Binary(op @ (Binary::And | Binary::Or), a, b) => {
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
            Some(format!("{} {word} {}", condition(fw, a, lang)?, condition(fw, b, lang)?))
        }
        Kind::Binary(op, a, b) if op.is_comparison() => comparison(fw, *op, a, b, lang),
        _ => None,
    }
}

/// `a op b` in words, the question (or count) first.
fn comparison(fw: &Framework, op: Binary, a: &Node, b: &Node, lang: Lang) -> Option<String> {
    let (op, left, right) = match (&a.kind, &b.kind) {
        (Kind::Number(_) | Kind::Str(_), _) => (flip(op), b, a),
        _ => (op, a, b),
    };
    let is =
        |key: &str, id: &str, answer: &str| trf(lang, key, &[("id", &id), ("answer", &answer)]);
    match (&left.kind, &right.kind) {
        // count(Q) = 1, >= 1, > 0, != 0: Q is answered; count(Q) = 0, < 1: it is not.
        (Kind::Call(Func::Count, args), Kind::Number(n)) if args.len() == 1 => {
            let Kind::Question(id) = &args[0].kind else { return None };
            let answered = match op {
                Binary::Eq | Binary::Ge if *n == 1.0 => true,
                Binary::Gt | Binary::Ne if *n == 0.0 => true,
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
                let (yes, no) = yes_no_labels(lang);
                let yes_wanted = op.asks_yes(*n)?;
                return Some(is("workbook.skip.is", id, if yes_wanted { yes } else { no }));
            }
            let value = format_shortest(*n, lang);
            Some(trf(
                lang,
                "workbook.skip.compare",
                &[("id", id), ("op", &tr(lang, op_key(op)?)), ("value", &value)],
            ))
        }
        (Kind::Question(id), Kind::Str(code)) => {
            let q = fw.question(id)?;
            let label = q
                .choices
                .iter()
                .find(|c| c.code == *code)
                .map_or(code.as_str(), |c| c.label.get(lang));
            let key = match (q.qtype, op) {
                (QuestionType::MultiChoice, Binary::Eq) => "workbook.skip.includes",
                (QuestionType::MultiChoice, Binary::Ne) => "workbook.skip.excludes",
                (_, Binary::Eq) => "workbook.skip.is",
                (_, Binary::Ne) => "workbook.skip.is_not",
                _ => return None,
            };
            Some(is(key, id, label))
        }
        _ => None,
    }
}

/// The words of a comparison (`workbook.skip.op.*`).
fn op_key(op: Binary) -> Option<&'static str> {
    Some(match op {
        Binary::Lt => "workbook.skip.op.lt",
        Binary::Le => "workbook.skip.op.le",
        Binary::Gt => "workbook.skip.op.gt",
        Binary::Ge => "workbook.skip.op.ge",
        Binary::Eq => "workbook.skip.op.eq",
        Binary::Ne => "workbook.skip.op.ne",
        _ => return None,
    })
}

/// `a op b` is the same as `b flip(op) a`.
fn flip(op: Binary) -> Binary {
    match op {
        Binary::Lt => Binary::Gt,
        Binary::Le => Binary::Ge,
        Binary::Gt => Binary::Lt,
        Binary::Ge => Binary::Le,
        other => other,
    }
}

/// `not (a op b)` is `a negate(op) b`.
fn negate(op: Binary) -> Binary {
    match op {
        Binary::Lt => Binary::Ge,
        Binary::Le => Binary::Gt,
        Binary::Gt => Binary::Le,
        Binary::Ge => Binary::Lt,
        Binary::Eq => Binary::Ne,
        Binary::Ne => Binary::Eq,
        other => other,
    }
}

/// What the return gives for each of the questions `ids`, as written: `HOU_Q01 is “Non”`,
/// `SOC_Q03 has no answer`, `HOU_Q06 does not apply`; joined as a list of the language.
/// `applies(id)` is false for a question that does not apply to the return.
pub(super) fn answers_given(
    ids: &[&str],
    by_id: &HashMap<&str, &Answer>,
    applies: &dyn Fn(&str) -> bool,
    lang: Lang,
) -> String {
    let items: Vec<String> = ids
        .iter()
        .filter_map(|id| by_id.get(id))
        .map(|a| {
            let id = a.question.as_str();
            if !applies(id)
                || matches!(a.status, ResponseStatus::NotApplicable | ResponseStatus::NotAsked)
            {
                trf(lang, "diag.answer.not_applicable", &[("id", &id)])
            } else if a.raw.trim().is_empty() {
                trf(lang, "diag.answer.blank", &[("id", &id)])
            } else {
                trf(lang, "diag.answer.is", &[("id", &id), ("raw", &quoted(a.raw.trim(), lang))])
            }
        })
        .collect();
    and_list(&items, lang)
}

/// The answers of `ids` as written, for a rule: `HOU_Q03 “55”, HOU_Q02 “40”`
/// (a blank one as `HOU_Q02 (blank)`).
pub(super) fn answers_as_written(
    ids: &[&str],
    by_id: &HashMap<&str, &Answer>,
    lang: Lang,
) -> String {
    let items: Vec<String> = ids
        .iter()
        .filter_map(|id| by_id.get(id))
        .map(|a| {
            let raw = a.raw.trim();
            let shown =
                if raw.is_empty() { tr(lang, "word.blank").to_string() } else { quoted(raw, lang) };
            format!("{} {shown}", a.question)
        })
        .collect();
    items.join(", ")
}

/// A rule's comparison in words when both sides are simple: the left side a question, the
/// right side a question, a number or a figure computed from the answers (`HOU_Q03 should
/// be at most HOU_Q02`, `CHI_Q10 should be at most 120`, `HOU_Q01 should be “No”` for a
/// yes/no answer). `None` for rules whose sides are themselves conditions (their message
/// says what they check).
pub(super) fn expectation(
    fw: &Framework,
    left: &Node,
    op: Binary,
    right: &Node,
    right_value: Option<f64>,
    lang: Lang,
) -> Option<String> {
    let Kind::Question(left_id) = &left.kind else { return None };
    // A yes/no answer compared with 1 or 0: it should be "Yes" or "No".
    if let (Some(q), Kind::Number(n)) = (fw.question(left_id), &right.kind) {
        if q.qtype == QuestionType::YesNo {
            let (yes, no) = yes_no_labels(lang);
            let yes_wanted = op.asks_yes(*n)?;
            let answer = quoted(if yes_wanted { yes } else { no }, lang);
            return Some(trf(
                lang,
                "diag.rule_expected_is",
                &[("left", left_id), ("answer", &answer)],
            ));
        }
    }
    let mut logical = false;
    right.visit(&mut |n| {
        logical |= matches!(n.kind, Kind::Binary(o, ..) if o.is_comparison()
            || matches!(o, Binary::And | Binary::Or))
            || matches!(n.kind, Kind::Unary(Unary::Not, _));
    });
    if logical {
        return None;
    }
    let right_text = match &right.kind {
        Kind::Question(id) => id.clone(),
        Kind::Number(n) => format_shortest(*n, lang),
        _ => {
            let v = right_value.filter(|v| v.is_finite())?;
            format_shortest((v * 100.0).round() / 100.0, lang)
        }
    };
    let op = match op {
        Binary::Lt => "diag.rule_op.lt",
        Binary::Le => "diag.rule_op.le",
        Binary::Gt => "diag.rule_op.gt",
        Binary::Ge => "diag.rule_op.ge",
        Binary::Eq => "diag.rule_op.eq",
        Binary::Ne => "diag.rule_op.ne",
        _ => return None,
    };
    Some(trf(
        lang,
        "diag.rule_expected",
        &[("left", left_id), ("op", &tr(lang, op)), ("right", &right_text)],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::load_embedded;

    fn node(text: &str) -> Node {
        crate::formula::parse(text).expect("parses")
    }

    #[test]
    fn conditions_read_as_the_questionnaire_says_them() {
        let fw = load_embedded(Lang::En).framework;
        let say = |text: &str, lang| condition(&fw, &node(text), lang);
        assert_eq!(say("HOU_Q01 = 1", Lang::En).as_deref(), Some("the answer to HOU_Q01 is “Yes”"));
        assert_eq!(say("HOU_Q01 = 1", Lang::Es).as_deref(), Some("la respuesta a HOU_Q01 es «Sí»"));
        assert_eq!(
            say("not (HOU_Q06 = \"none\")", Lang::En).as_deref(),
            Some("the answer to HOU_Q06 is not “No count or estimate”")
        );
        assert_eq!(say("count(SOC_Q03) = 1", Lang::En).as_deref(), Some("SOC_Q03 has an answer"));
        assert_eq!(
            say("CUL_Q03 > 0", Lang::Fr).as_deref(),
            Some("la réponse à CUL_Q03 est supérieure à 0")
        );
        // Too tangled for words: the caller shows the formula.
        assert_eq!(say("HOU_Q01 = 1 and HOU_Q06 = \"none\" or CUL_Q03 > 0", Lang::En), None);
    }

    // Every skip condition of the framework reads in words: no message shows its formula.
    #[test]
    fn every_skip_condition_of_the_framework_reads_in_words() {
        let fw = load_embedded(Lang::En).framework;
        for q in &fw.questions {
            let before = q.asked_before.as_ref().and_then(|b| b.relevant.as_ref());
            for f in q.relevant.iter().chain(before) {
                for lang in Lang::ALL {
                    assert!(condition(&fw, &f.node, lang).is_some(), "{}: {}", q.id, f.text);
                }
            }
        }
    }

    #[test]
    fn a_rule_expects_in_words() {
        let fw = load_embedded(Lang::En).framework;
        let expect = |left: &str, op, right: &str, value| {
            expectation(&fw, &node(left), op, &node(right), value, Lang::En)
        };
        assert_eq!(
            expect("HOU_Q03", Binary::Le, "HOU_Q02", Some(40.0)).as_deref(),
            Some("HOU_Q03 should be at most HOU_Q02")
        );
        // A figure computed from the answers is given as a number, rounded.
        assert_eq!(
            expect("CHI_Q10", Binary::Le, "CHI_Q09 * 0.1", Some(123.456)).as_deref(),
            Some("CHI_Q10 should be at most 123.46")
        );
        assert_eq!(
            expect("HOU_Q01", Binary::Eq, "1", Some(1.0)).as_deref(),
            Some("HOU_Q01 should be “Yes”")
        );
        // Sides that are conditions themselves: the rule's message says what it checks.
        assert_eq!(expect("SOC_Q04 = \"other\"", Binary::Eq, "0", Some(0.0)), None);
    }
}
