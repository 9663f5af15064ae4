//! Dateline's integration suite: the real router over HTTP against real databases,
//! and the real binary for the command line.

// The fuzz targets, compiled into this suite by `fuzz_seeds`, say `use
// libfuzzer_sys::fuzz_target`: under this name they find its stand-in macro.
extern crate self as libfuzzer_sys;

mod helpers;
mod smtp_server;
mod staff;

mod api;
mod article;
mod browser;
mod caching;
mod cli;
mod cluster;
mod concurrent_writes;
mod conditional_get;
mod distribution;
mod editorial;
mod embargo_rules;
mod export;
mod faults;
mod fronts;
mod fuzz_seeds;
mod hostile;
mod import;
mod imported_picture;
mod limits;
mod mail;
mod mail_cli;
mod messages;
mod never_public;
mod newsroom_access;
mod newsroom_editor;
mod newsroom_workflow;
mod reader_mail;
mod reader_visitor;
mod readers;
mod readers_guard;
mod records;
mod scale;
mod search;
mod search_backfill;
mod search_hostile;
mod search_window;
mod urls;
