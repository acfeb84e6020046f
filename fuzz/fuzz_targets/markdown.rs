#![no_main]
//! Fuzz target `markdown`: see fuzz/harness.rs for what it runs.

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::markdown(data));
