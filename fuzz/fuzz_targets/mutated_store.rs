//! cargo-fuzz target: see `mlmd_lens_fuzz::mutated_store`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mlmd_lens_fuzz::mutated_store(data));
