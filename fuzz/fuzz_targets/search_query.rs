//! The search box's language: any text is a query or a message, never a panic, and
//! every clause stays inside its quotes for both engines
//! (`dateline::fuzz::search_query`, which `tests/it/ops/fuzz_seeds.rs` replays the seeds through).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| dateline::fuzz::search_query(input));
