//! Story body markup: any text parses or is refused with a line number, never a
//! panic, and rendered body HTML holds only the writer's own elements
//! (`dateline::fuzz::markup`, which `tests/it/ops/fuzz_seeds.rs` replays the seeds through).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|source: &str| dateline::fuzz::markup(source));
