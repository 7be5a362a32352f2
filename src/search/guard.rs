//! Reading a damaged index without a crash.
//!
//! tantivy checks the files of an index as it reads them, but some damage (bytes
//! overwritten inside a term dictionary) trips an assertion instead of returning an
//! error. A read that panics is turned into an index error here, so that the callers
//! that rebuild an unreadable index can do so, and the panic prints nothing.

use std::any::Any;
use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Once;

use crate::error::{Error, Result};

thread_local! {
    /// Set while this thread runs a guarded read, whose panic is reported as an error.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Returns whether the current thread is inside [`read`], so that a panic hook can
/// leave a panic it turns into an error alone (the terminal UI must not restore the
/// terminal for it).
pub fn in_guarded_read() -> bool {
    GUARDED.with(Cell::get)
}

/// Runs a read of the index in `dir`; a panic inside it becomes an [`Error::Index`].
pub fn read<T>(dir: &Path, read: impl FnOnce() -> Result<T>) -> Result<T> {
    static QUIET_HOOK: Once = Once::new();
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !in_guarded_read() {
                previous(info);
            }
        }));
    });
    let was_guarded = GUARDED.with(|g| g.replace(true));
    let outcome = catch_unwind(AssertUnwindSafe(read));
    GUARDED.with(|g| g.set(was_guarded));
    outcome.unwrap_or_else(|payload| {
        let message = panic_message(payload.as_ref());
        tracing::debug!(dir = %dir.display(), "reading the search index panicked: {message}");
        Err(Error::Index {
            path: dir.to_owned(),
            message: format!("its files are damaged ({message})"),
        })
    })
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a read failed".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_index_error_and_the_flag_resets() {
        let dir = Path::new("/nonexistent/index");
        let outcome: Result<()> = read(dir, || panic!("assertion failed: end <= orig_range.end"));
        let error = outcome.expect_err("an error");
        assert!(
            error.to_string().contains("end <= orig_range.end"),
            "{error}"
        );
        assert!(!in_guarded_read());
        assert_eq!(read(dir, || Ok(7)).expect("no panic"), 7);
    }
}
