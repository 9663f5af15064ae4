//! Dateline's integration suite: the real router over HTTP against real databases,
//! and the real binary for the command line.

mod helpers;
mod staff;

mod api;
mod article;
mod caching;
mod cli;
mod cluster;
mod distribution;
mod export;
mod fronts;
mod hostile;
mod import;
mod newsroom_access;
mod newsroom_editor;
mod newsroom_workflow;
mod records;
mod scale;
mod search;
mod search_backfill;
mod search_hostile;
mod urls;
