//! Running code we did not write on input we do not trust, so that its panic becomes an
//! error for that one input instead of ending the batch.
//!
//! A spreadsheet reader can panic on a damaged file (calamine 0.35 did on an `.xlsb` whose
//! record ran past its end). [`catch`] runs a closure under `catch_unwind` and returns the
//! panic's message and place as an error. While it runs, the process's panic hook stays
//! silent on that thread, so no backtrace is printed for a panic that was caught and
//! reported as a diagnostic; panics anywhere else are printed as before.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Whether this thread is inside [`catch`].
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    /// The message and place of the last panic caught on this thread.
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

/// Installs, once, a panic hook that records panics inside [`catch`] and hands every other
/// panic to the hook that was there before.
fn install_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CATCHING.with(Cell::get) {
                // On one line: `assert_eq!` spreads its message over three.
                let message =
                    payload_text(info.payload()).split_whitespace().collect::<Vec<_>>().join(" ");
                let text = match info.location() {
                    Some(at) => format!("{message} (at {}:{})", short_path(at.file()), at.line()),
                    None => message,
                };
                CAUGHT.with(|c| *c.borrow_mut() = Some(text));
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `f`; a panic inside it becomes `Err` with the panic's message and where it
/// happened (`range end index 8 out of range … (at calamine-0.35.0/src/xlsb/mod.rs:312)`).
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    let was = CATCHING.with(|c| c.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(was));
    result.map_err(|payload| {
        CAUGHT.with(|c| c.borrow_mut().take()).unwrap_or_else(|| payload_text(&*payload))
    })
}

/// The text of a panic's payload (`panic!("…")` gives a `&str` or a `String`).
fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}

/// A source path from the crate's folder on (`calamine-0.38.0/src/xls.rs`), without the
/// home folder or registry it was built from.
fn short_path(file: &str) -> &str {
    let file_unix = file.replace('\\', "/");
    match file_unix.rfind("/src/") {
        Some(i) => {
            let start = file_unix[..i].rfind('/').map_or(0, |j| j + 1);
            &file[start..]
        }
        None => file,
    }
}

#[cfg(test)]
mod tests {
    use super::catch;

    #[test]
    fn a_panic_becomes_an_error_with_its_message_and_place() {
        let r: Result<(), String> = catch(|| {
            let v: Vec<u8> = Vec::new();
            let i = v.len() + 8;
            let _ = &v[i..];
        });
        let e = r.unwrap_err();
        assert!(e.contains("out of range"), "{e}");
        assert!(e.contains("src/guard.rs:"), "{e}");
        assert_eq!(catch(|| 2 + 2), Ok(4));
    }

    #[test]
    fn nested_catches_restore_the_outer_one() {
        let outer = catch(|| {
            let inner: Result<(), String> = catch(|| panic!("inner"));
            assert_eq!(inner.unwrap_err().split(" (at").next(), Some("inner"));
            panic!("outer {}", 1);
        });
        assert!(outer.unwrap_err().starts_with("outer 1"));
    }

    #[test]
    fn places_are_shown_from_the_crate_folder() {
        let registry =
            "/root/.cargo/registry/src/index.crates.io-1/calamine-0.35.0/src/xlsb/mod.rs";
        assert_eq!(super::short_path(registry), "calamine-0.35.0/src/xlsb/mod.rs");
        assert_eq!(super::short_path("src/guard.rs"), "src/guard.rs");
    }
}
