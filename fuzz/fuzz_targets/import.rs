//! Legacy page import: any bytes become an article or a reasoned refusal, never a
//! panic, and an article's body written as escaped markup parses back to the same
//! text (`dateline::fuzz::import`, which `tests/it/ops/fuzz_seeds.rs` replays the seeds through).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| dateline::fuzz::import(data));
