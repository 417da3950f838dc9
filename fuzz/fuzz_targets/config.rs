//! Configuration and rule-file TOML (any UTF-8) -> strict parsing -> compiling every check.
#![no_main]

#[path = "../../tests/fuzz_harness/mod.rs"]
mod fuzz_harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        fuzz_harness::check_config(text);
    }
});
