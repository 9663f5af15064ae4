//! Dateline's integration suite: the real router over HTTP against real databases,
//! and the real binary for the command line. Its folders follow the code's areas
//! (`public`, `newsroom`, `api`, `ops`, `faults`; docs/TESTING.md says what each
//! holds); `helpers` and `staff` serve them all; `browser` starts `tests/browser/`.

// The fuzz targets, compiled into this suite by `ops::fuzz_seeds`, say `use
// libfuzzer_sys::fuzz_target`: under this name they find its stand-in macro.
extern crate self as libfuzzer_sys;

mod child_server;
mod editions;
mod helpers;
mod s3_server;
mod smtp_server;
mod staff;
mod statements;

mod api;
mod browser;
mod faults;
mod newsroom;
mod ops;
mod public;
mod readers;
