//! Unit tests of the formula language: parsing (every operator and function, error
//! positions), printing (round trip on random trees), the evaluator (every missing-value
//! case of Contract 3) and the polars lowering (agrees with the evaluator).

use std::collections::{BTreeSet, HashMap};

use polars::prelude::*;

use super::*;
use crate::i18n::Lang;

fn p(src: &str) -> Node {
    parse(src).unwrap_or_else(|e| panic!("{src}: {}", e.message(Lang::En)))
}

fn err(src: &str) -> (usize, String) {
    let e = parse(src).expect_err(src);
    (e.column(src), e.message(Lang::En))
}

// ---------------------------------------------------------------- parsing

#[test]
fn parses_every_operator_with_contract_precedence() {
    let cases = [
        ("1 + 2 * 3", "1 + 2 * 3"),
        ("(1 + 2) * 3", "(1 + 2) * 3"),
        ("1 - 2 - 3", "1 - 2 - 3"),
        ("1 - (2 - 3)", "1 - (2 - 3)"),
        ("8 / 4 / 2", "8 / 4 / 2"),
        ("8 / (4 / 2)", "8 / (4 / 2)"),
        ("-A * B", "-A * B"),
        ("-(A * B)", "-(A * B)"),
        ("--A", "--A"),
        ("A < B", "A < B"),
        ("A <= B", "A <= B"),
        ("A > B", "A > B"),
        ("A >= B", "A >= B"),
        ("A == B", "A = B"),
        ("A <> B", "A != B"),
        ("A != B + 1", "A != B + 1"),
        ("not A = B", "not A = B"),
        ("(not A) = B", "(not A) = B"),
        ("A and B or C and D", "A and B or C and D"),
        ("A and (B or C)", "A and (B or C)"),
        ("not A and B", "not A and B"),
        ("not (A and B)", "not (A and B)"),
        ("A = \"full\"", "A = \"full\""),
        ("A = \"say \\\"hi\\\" \\\\\"", "A = \"say \\\"hi\\\" \\\\\""),
        ("if(A > 0, B, C)", "if(A > 0, B, C)"),
        ("min(A, B, 3)", "min(A, B, 3)"),
        ("max(A)", "max(A)"),
        ("sum(A, B)", "sum(A, B)"),
        ("mean(A, B)", "mean(A, B)"),
        ("coalesce(A, B, 0)", "coalesce(A, B, 0)"),
        ("count(A, B)", "count(A, B)"),
        ("pct(A, households)", "pct(A, households)"),
        ("0.25*A", "0.25 * A"),
    ];
    for (src, printed) in cases {
        let node = p(src);
        assert_eq!(node.to_string(), printed, "{src}");
        assert_eq!(p(printed), node, "{src} round trip");
    }
    // Structure, not just text: `*` binds tighter than `+`, `and` tighter than `or`.
    let Kind::Binary(Binary::Add, _, right) = p("1 + 2 * 3").kind else { panic!() };
    assert!(matches!(right.kind, Kind::Binary(Binary::Mul, ..)));
    let Kind::Binary(Binary::Or, left, _) = p("A and B or C").kind else { panic!() };
    assert!(matches!(left.kind, Kind::Binary(Binary::And, ..)));
    let Kind::Unary(Unary::Not, inner) = p("not A < B").kind else { panic!() };
    assert!(matches!(inner.kind, Kind::Binary(Binary::Lt, ..)));
    assert_eq!(p("HOU_Q01 + HOU_Q02 * HOU_Q01").questions(), vec!["HOU_Q01", "HOU_Q02"]);
}

#[test]
fn reports_errors_with_their_column() {
    assert_eq!(err("HOU_Q01 + * 2").0, 11);
    assert!(err("HOU_Q01 + * 2").1.contains("`*`"), "{}", err("HOU_Q01 + * 2").1);
    assert_eq!(err("").1, "the formula is empty");
    assert_eq!(err("A + (B"), (7, "found end of formula where `)` was expected".into()));
    assert_eq!(err("A B").0, 3);
    assert_eq!(err("A < B < C").0, 7);
    assert_eq!(err("A # B").0, 3);
    assert_eq!(err("1.2.3 + A").0, 1);
    assert_eq!(err("A = \"open").0, 5);
    assert_eq!(err("A = \"a\\n\"").0, 7);
    assert_eq!(err("median(A)").1, "`median` is not a function");
    assert_eq!(err("B + count").0, 5);
    assert_eq!(err("if(A, B)").1, "if() takes 3 argument(s), not 2");
    assert_eq!(err("pct(A)").0, 1);
    assert_eq!(err("sum()").1, "sum() takes ≥ 1 argument(s), not 0");
    assert_eq!(err("min(A,, B)").0, 7);
    assert_eq!(err("é + A").0, 1);
    assert_eq!(err("A + é").0, 5, "columns count characters, not bytes");
    assert!(parse("A !").is_err());
    assert!(parse("A)").is_err());
}

#[test]
fn checks_questions_and_types() {
    let kinds: HashMap<&str, QuestionKind> = [
        ("N", QuestionKind::Number),
        ("C", QuestionKind::Code),
        ("M", QuestionKind::Codes),
        ("T", QuestionKind::Opaque),
    ]
    .into();
    let lookup = |id: &str| kinds.get(id).copied();
    let errors = |src: &str| -> Vec<ErrorKind> {
        check_numeric(&p(src), &lookup).into_iter().map(|e| e.kind).collect()
    };
    assert!(errors("N + 1 > 2 and C = \"x\" and M != \"y\" and count(T, N) = 2").is_empty());
    assert_eq!(errors("N + X"), vec![ErrorKind::UnknownQuestion("X".into())]);
    assert_eq!(errors("T > 1"), vec![ErrorKind::NotComparable("T".into())]);
    assert_eq!(errors("C + 1"), vec![ErrorKind::TypeMismatch]);
    assert_eq!(errors("C = 1"), vec![ErrorKind::TypeMismatch]);
    assert_eq!(errors("M = C"), vec![ErrorKind::TypeMismatch]);
    assert_eq!(errors("C"), vec![ErrorKind::NotANumber]);
    assert_eq!(errors("if(N, C, \"a\") = \"a\""), vec![]);
    assert_eq!(errors("coalesce(C, 1) = 1"), vec![ErrorKind::TypeMismatch], "reported once");
    let unknown = check(&p("A1 + A2"), &lookup).1;
    assert_eq!(unknown.len(), 2, "every unknown question is reported");
    assert_eq!(unknown[1].column("A1 + A2"), 6);
}

// ---------------------------------------------------------------- evaluation

#[derive(Clone, Debug)]
enum Fake {
    N(f64),
    C(&'static str),
    M(Vec<String>),
    Missing,
    Na,
}

fn run(src: &str, answers: &[(&str, Fake)]) -> Outcome {
    let map: HashMap<&str, Fake> = answers.iter().cloned().collect();
    eval(&p(src), &|id| match map.get(id) {
        Some(Fake::N(n)) => Answer::Number(*n),
        Some(Fake::C(c)) => Answer::Code(c),
        Some(Fake::M(m)) => Answer::Codes(m),
        Some(Fake::Na) => Answer::NotApplicable,
        Some(Fake::Missing) | None => Answer::Missing,
    })
}

fn num(src: &str, answers: &[(&str, Fake)]) -> Option<f64> {
    run(src, answers).number()
}

fn missing(src: &str, answers: &[(&str, Fake)]) -> Vec<String> {
    let out = run(src, answers);
    assert_eq!(out.state, State::Missing, "{src}");
    out.missing.into_iter().collect()
}

use Fake::{Missing, Na, C, N};

#[test]
fn evaluates_every_operator_and_function() {
    let a = [("A", N(6.0)), ("B", N(3.0)), ("Z", N(0.0))];
    let cases: &[(&str, f64)] = &[
        ("A + B", 9.0),
        ("A - B", 3.0),
        ("A * B", 18.0),
        ("A / B", 2.0),
        ("-A", -6.0),
        ("A < B", 0.0),
        ("A <= 6", 1.0),
        ("A > B", 1.0),
        ("A >= 7", 0.0),
        ("A = 6", 1.0),
        ("A != 6", 0.0),
        ("A and Z", 0.0),
        ("A and B", 1.0),
        ("Z or B", 1.0),
        ("Z or Z", 0.0),
        ("not Z", 1.0),
        ("not A", 0.0),
        ("if(A > B, 10, 20)", 10.0),
        ("if(Z, 10, 20)", 20.0),
        ("min(A, B, 4)", 3.0),
        ("max(A, B, 4)", 6.0),
        ("sum(A, B, 1)", 10.0),
        ("mean(A, B)", 4.5),
        ("coalesce(A, B)", 6.0),
        ("count(A, B, Z)", 3.0),
        ("pct(B, A)", 50.0),
        ("2 + 3 * 4 - 8 / 2", 10.0),
    ];
    for (src, want) in cases {
        assert_eq!(num(src, &a), Some(*want), "{src}");
    }
    let choice = [("C", C("full")), ("M", Fake::M(vec!["a".into(), "c".into()]))];
    assert_eq!(num("C = \"full\"", &choice), Some(1.0));
    assert_eq!(num("C != \"full\"", &choice), Some(0.0));
    assert_eq!(num("M = \"c\"", &choice), Some(1.0));
    assert_eq!(num("M = \"b\"", &choice), Some(0.0));
}

#[test]
fn missing_makes_missing_and_lists_the_questions() {
    let a = [("A", N(6.0)), ("X", Missing), ("Y", Missing), ("Z", N(0.0))];
    assert_eq!(missing("A + X", &a), ["X"]);
    assert_eq!(missing("X * Y - A", &a), ["X", "Y"]);
    assert_eq!(missing("-X", &a), ["X"]);
    assert_eq!(missing("X > 1", &a), ["X"]);
    // no short-circuit: 0 and <missing> is missing
    assert_eq!(missing("Z and X", &a), ["X"]);
    assert_eq!(missing("A or X", &a), ["X"]);
    assert_eq!(missing("not X", &a), ["X"]);
    assert_eq!(missing("min(A, X)", &a), ["X"]);
    assert_eq!(missing("mean(A, Y)", &a), ["Y"]);
    assert_eq!(missing("pct(X, A)", &a), ["X"]);
    // if: a missing condition is missing; otherwise only the chosen branch counts
    assert_eq!(missing("if(X, A, A)", &a), ["X"]);
    assert_eq!(num("if(A, A, X)", &a), Some(6.0));
    assert_eq!(missing("if(Z, A, Y)", &a), ["Y"]);
    // coalesce and count skip missing and undefined arguments
    assert_eq!(num("coalesce(X, Y, A)", &a), Some(6.0));
    assert_eq!(num("coalesce(A / Z, 2)", &a), Some(2.0));
    assert_eq!(missing("coalesce(X, Y)", &a), ["X", "Y"]);
    assert_eq!(missing("coalesce(A / Z, X)", &a), ["X"], "missing wins over undefined");
    assert_eq!(num("count(A, X, Y, Z)", &a), Some(2.0));
    assert_eq!(num("count(X)", &a), Some(0.0));
    assert_eq!(num("count(A / Z)", &a), Some(0.0));
}

#[test]
fn division_by_zero_is_undefined_and_missing_wins() {
    let a = [("A", N(6.0)), ("X", Missing), ("Z", N(0.0)), ("Q", Na)];
    assert_eq!(run("A / Z", &a).state, State::Undefined);
    assert_eq!(run("pct(A, Z)", &a).state, State::Undefined);
    assert_eq!(run("A / (Z * 2) + 1", &a).state, State::Undefined);
    assert_eq!(run("1 / Z > 0", &a).state, State::Undefined);
    assert_eq!(run("X / Z", &a).state, State::Missing);
    assert_eq!(run("A / Z + X", &a).state, State::Missing);
    assert_eq!(run("if(A / Z, 1, 2)", &a).state, State::Undefined);
    assert_eq!(run("Z / A", &a).number(), Some(0.0), "zero divided is fine");
}

#[test]
fn not_applicable_wins_over_missing() {
    let a = [("A", N(6.0)), ("X", Missing), ("Q", Na), ("Z", N(0.0))];
    assert_eq!(run("Q + A", &a).state, State::NotApplicable);
    assert_eq!(run("Q + X", &a).state, State::NotApplicable);
    assert_eq!(run("X + Q / Z", &a).state, State::NotApplicable);
    assert_eq!(run("pct(Q, A)", &a).state, State::NotApplicable);
    assert_eq!(run("coalesce(X, Q, A)", &a).state, State::NotApplicable);
    assert_eq!(run("count(A, Q)", &a).state, State::NotApplicable);
    assert_eq!(run("if(A, A, Q)", &a).number(), Some(6.0), "untaken branch");
    assert_eq!(run("if(Q, A, A)", &a).state, State::NotApplicable);
    assert!(run("Q + X", &a).missing.is_empty());
}

// ---------------------------------------------------------------- printing

/// A tiny deterministic generator (no extra dependency needed).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const QUESTIONS: [&str; 5] = ["A", "B", "C", "D", "E"];

fn random_tree(rng: &mut Rng, depth: usize) -> Node {
    let node = |kind| Node { kind, span: Span::default() };
    if depth == 0 || rng.below(4) == 0 {
        return match rng.below(3) {
            0 => node(Kind::Number([0.0, 1.0, 2.0, 0.5, 100.0][rng.below(5)])),
            _ => node(Kind::Question(QUESTIONS[rng.below(5)].into())),
        };
    }
    let sub = |rng: &mut Rng| Box::new(random_tree(rng, depth - 1));
    match rng.below(10) {
        0 => node(Kind::Unary(if rng.below(2) == 0 { Unary::Neg } else { Unary::Not }, sub(rng))),
        1..=6 => {
            let ops = [
                Binary::Add,
                Binary::Sub,
                Binary::Mul,
                Binary::Div,
                Binary::Lt,
                Binary::Le,
                Binary::Gt,
                Binary::Ge,
                Binary::Eq,
                Binary::Ne,
                Binary::And,
                Binary::Or,
            ];
            node(Kind::Binary(ops[rng.below(ops.len())], sub(rng), sub(rng)))
        }
        _ => {
            let func = Func::ALL[rng.below(Func::ALL.len())];
            let n = match func.arity() {
                (n, Some(_)) => n,
                (n, None) => n + rng.below(3),
            };
            node(Kind::Call(func, (0..n).map(|_| random_tree(rng, depth - 1)).collect()))
        }
    }
}

#[test]
fn printing_then_parsing_gives_the_same_tree() {
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    for _ in 0..3000 {
        let tree = random_tree(&mut rng, 5);
        let text = tree.to_string();
        let back = parse(&text).unwrap_or_else(|e| panic!("{text}: {}", e.message(Lang::En)));
        assert_eq!(back, tree, "{text}");
        assert_eq!(back.to_string(), text);
    }
}

// ---------------------------------------------------------------- polars lowering

fn random_answer(rng: &mut Rng) -> Fake {
    match rng.below(8) {
        0 => Missing,
        1 => Na,
        2 => N(0.0),
        _ => N([1.0, 2.0, 3.0, 0.5, 40.0, -1.0][rng.below(6)]),
    }
}

/// The lowered expressions give, row by row, what the evaluator gives.
#[test]
fn polars_lowering_agrees_with_the_evaluator() {
    let mut rng = Rng(0x0dd_ba11_cafe_f00d);
    let rows = 60;
    let answers: Vec<Vec<Fake>> =
        (0..rows).map(|_| QUESTIONS.iter().map(|_| random_answer(&mut rng)).collect()).collect();
    let mut columns = Vec::new();
    for (qi, q) in QUESTIONS.iter().enumerate() {
        let values: Vec<Option<f64>> = answers
            .iter()
            .map(|r| match r[qi] {
                N(n) => Some(n),
                _ => None,
            })
            .collect();
        let states: Vec<i32> = answers
            .iter()
            .map(|r| match r[qi] {
                N(_) => 0,
                Na => 3,
                _ => 2,
            })
            .collect();
        columns.push(Column::new((*q).into(), values));
        columns.push(Column::new(Columns::state_name(q).into(), states));
    }
    let df = DataFrame::new_infer_height(columns).expect("frame");
    let kinds = |_: &str| Some(QuestionKind::Number);
    let no_codes = |_: &str, _: &str| None;
    let cols = Columns::new(&kinds, &no_codes);

    let mut checked = 0;
    for _ in 0..150 {
        let tree = random_tree(&mut rng, 4);
        let low = lower(&tree, &cols).expect("lowers");
        let out = df
            .clone()
            .lazy()
            .with_columns([low.value.alias("v"), low.state.alias("s"), low.missing.alias("m")])
            .collect()
            .unwrap_or_else(|e| panic!("{tree}: {e}"));
        let v = out.column("v").expect("v").f64().expect("f64").clone();
        let s = out.column("s").expect("s").i32().expect("i32").clone();
        let m = out.column("m").expect("m").u64().expect("u64").clone();
        for (r, row) in answers.iter().enumerate() {
            let map: HashMap<&str, Fake> =
                QUESTIONS.iter().copied().zip(row.iter().cloned()).collect();
            let want = eval(&tree, &|id| match map.get(id) {
                Some(N(n)) => Answer::Number(*n),
                Some(Na) => Answer::NotApplicable,
                _ => Answer::Missing,
            });
            let state = State::from_code(s.get(r).expect("state"));
            assert_eq!(state, want.state, "{tree}, row {r}: {row:?}");
            match want.number() {
                Some(x) => {
                    let got = v.get(r).expect("a value where the state is ok");
                    assert!(
                        (got - x).abs() <= 1e-9 * x.abs().max(1.0) || (got.is_nan() && x.is_nan()),
                        "{tree}, row {r}: {got} vs {x}"
                    );
                }
                None => assert_eq!(v.get(r), None, "{tree}, row {r}"),
            }
            let mask = m.get(r).expect("mask");
            let got: BTreeSet<String> = low
                .questions
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, q)| q.clone())
                .collect();
            assert_eq!(got, want.missing, "{tree}, row {r}: {row:?}");
            checked += 1;
        }
    }
    assert_eq!(checked, 150 * rows);
}

#[test]
fn polars_lowering_compares_choice_codes() {
    let df = df!(
        "C" => [Some("full"), Some("partial"), None],
        "C__state" => [0, 0, 2],
        "M" => [Some(0b101u64), Some(0b010), None],
        "M__state" => [0, 0, 3],
    )
    .expect("frame");
    let kinds = |id: &str| match id {
        "C" => Some(QuestionKind::Code),
        _ => Some(QuestionKind::Codes),
    };
    let bits =
        |_: &str, code: &str| ["a", "b", "c"].iter().position(|c| *c == code).map(|i| i as u32);
    let cols = Columns::new(&kinds, &bits);
    let get = |src: &str| -> Vec<(Option<f64>, i32)> {
        let low = lower(&p(src), &cols).expect("lowers");
        let out = df.clone().lazy().with_columns([low.value.alias("v"), low.state.alias("s")]);
        let out = out.collect().expect("collects");
        let v = out.column("v").expect("v").f64().expect("f64").clone();
        let s = out.column("s").expect("s").i32().expect("i32").clone();
        (0..v.len()).map(|i| (v.get(i), s.get(i).expect("state"))).collect()
    };
    assert_eq!(get("C = \"full\""), [(Some(1.0), 0), (Some(0.0), 0), (None, 2)]);
    assert_eq!(get("C != \"full\""), [(Some(0.0), 0), (Some(1.0), 0), (None, 2)]);
    assert_eq!(get("M = \"c\""), [(Some(1.0), 0), (Some(0.0), 0), (None, 3)]);
    assert_eq!(get("\"b\" = M"), [(Some(0.0), 0), (Some(1.0), 0), (None, 3)]);
    let low = lower(&p("M = \"z\""), &cols);
    assert!(low.is_err(), "an unknown code is an error");
}
