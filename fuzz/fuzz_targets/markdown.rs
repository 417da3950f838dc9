//! Markdown (any bytes) -> decoding -> every rule for every kind -> every output format, with
//! the invariants of `tests/fuzz_harness` checked on each report.
#![no_main]

#[path = "../../tests/fuzz_harness/mod.rs"]
mod fuzz_harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = crisislint::engine::decode("fuzz.md", data.to_vec()) else {
        return;
    };
    fuzz_harness::check_document(&text);
    fuzz_harness::lint_everything(&text);
});
