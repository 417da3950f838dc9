//! `crisislint server`: the language server on standard input and output.

use clap::Args;

/// `crisislint server`.
#[derive(Debug, Clone, Args)]
pub struct ServerArgs {
    /// Accepted for editors that pass it; standard input and output are the only transport.
    #[arg(long)]
    pub stdio: bool,
}

/// Serves until the editor says `exit`; the status is 0 after a `shutdown` request, else 1.
pub fn run(_args: &ServerArgs) -> i32 {
    crate::server::serve_stdio()
}
