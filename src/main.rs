//! The `crisislint` command: parse arguments, run, exit with the status `cli::run` returns.

fn main() {
    std::process::exit(crisislint::cli::run(std::env::args_os()));
}
