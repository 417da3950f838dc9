//! STUB: command-line interface.

/// Runs the command line; returns the exit status.
pub fn run(_args: impl IntoIterator<Item = std::ffi::OsString>) -> i32 {
    0
}
