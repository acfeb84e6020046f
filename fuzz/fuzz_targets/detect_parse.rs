#![no_main]
//! Fuzz target `detect_parse`: see fuzz/harness.rs for what it runs.

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::detect_parse(data));
