//! Panics are contained: a panic while linting one file becomes that file's `internal-error`
//! (CL002) and the run goes on.
//!
//! The default panic hook would print `thread '<unnamed>' panicked at ...` and a backtrace hint
//! in the middle of the output; [`install_quiet_hook`] (called by the command line) records the
//! panic's place instead, and the engine puts it in the CL002 message, where a bug report
//! needs it. Panics outside linting still reach the previous hook.

use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{LazyLock, Once};

/// Test-only: a file whose display path ends with this variable's value panics while being
/// linted, so tests can prove that panics are contained. No document's content can trigger it.
pub const TEST_PANIC_VAR: &str = "CRISISLINT_TEST_PANIC_ON";

/// The message of the panic [`TEST_PANIC_VAR`] triggers.
pub const TEST_PANIC_MESSAGE: &str = "panic requested by CRISISLINT_TEST_PANIC_ON (test only)";

static TEST_PANIC_SUFFIX: LazyLock<Option<String>> =
    LazyLock::new(|| std::env::var(TEST_PANIC_VAR).ok().filter(|s| !s.is_empty()));

thread_local! {
    /// True while this thread lints a file inside [`contain`].
    static LINTING: Cell<bool> = const { Cell::new(false) };
    /// Where the last contained panic on this thread happened (`file:line:col`).
    static PANIC_PLACE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A contained panic: its message and, when the quiet hook is installed, its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panic {
    /// The panic's message.
    pub message: String,
    /// `src/file.rs:line:col`, when known.
    pub place: Option<String>,
}

impl std::fmt::Display for Panic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.place {
            Some(place) => write!(f, "{} (at {place})", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Replaces the panic hook, once per process, with one that stays silent for panics that
/// [`contain`] catches and defers to the previous hook for every other panic.
pub fn install_quiet_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if LINTING.with(Cell::get) {
                let place = info
                    .location()
                    .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
                PANIC_PLACE.with(|p| *p.borrow_mut() = place);
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `lint` for the file shown as `display`, turning a panic into [`Panic`].
pub fn contain<T>(display: &str, lint: impl FnOnce() -> T) -> Result<T, Panic> {
    LINTING.with(|l| l.set(true));
    PANIC_PLACE.with(|p| p.borrow_mut().take());
    let result = catch_unwind(AssertUnwindSafe(|| {
        if TEST_PANIC_SUFFIX
            .as_deref()
            .is_some_and(|suffix| display.ends_with(suffix))
        {
            panic!("{TEST_PANIC_MESSAGE}");
        }
        lint()
    }));
    LINTING.with(|l| l.set(false));
    result.map_err(|payload| Panic {
        message: payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string()),
        place: PANIC_PLACE.with(|p| p.borrow_mut().take()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_with_its_message_and_the_run_goes_on() {
        install_quiet_hook();
        let caught = contain("a.md", || -> u32 { panic!("boom {}", 7) }).unwrap_err();
        assert_eq!(caught.message, "boom 7");
        let place = caught.place.expect("the quiet hook records the place");
        assert!(place.starts_with("src/guard.rs:"), "{place}");
        assert_eq!(contain("b.md", || 5), Ok(5));
    }
}
