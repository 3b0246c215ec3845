//! Inputs that fuzzing (`fuzz/`) found to crash hrcities, kept so they never do again.

use hrcities::formula::{parse, ErrorKind};

/// Found by the `formula` target within 16 s: a few thousand nested `(` overflowed the
/// stack of the recursive parser (SIGSEGV). Nesting is now bounded; each input runs on a
/// thread with a 2 MiB stack, as a worker thread would have.
#[test]
fn deeply_nested_formulas_are_refused_not_overflowed() {
    let deep =
        |open: &str, close: &str, n: usize| format!("{}1{}", open.repeat(n), close.repeat(n));
    let inputs = [
        deep("(", ")", 5_000),
        deep("max(", ")", 3_000),
        deep("not ", "", 20_000),
        deep("-", "", 100_000),
        deep("(-", ")", 5_000),
    ];
    for input in inputs {
        let result = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || parse(&input).map_err(|e| e.kind))
            .expect("spawns")
            .join()
            .expect("no overflow");
        assert!(matches!(result, Err(ErrorKind::TooDeep(64))), "{result:?}");
    }
    // Nesting a real formula might use still parses.
    assert!(parse(&deep("(", ")", 60)).is_ok());
    assert!(parse("if(a > 0, max(b, (c + d) * 2), -(-e))").is_ok());
}
