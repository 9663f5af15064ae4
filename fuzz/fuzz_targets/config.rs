//! The TOML config file: any text is a checked configuration or a one-line error,
//! never a panic (`dateline::fuzz::config`, which `tests/it/ops/fuzz_seeds.rs` replays
//! the seeds through).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| dateline::fuzz::config(text));
