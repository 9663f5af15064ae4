//! Dateline's integration suite: the real router over HTTP against real databases,
//! and the real binary for the command line.

mod helpers;
mod staff;

mod api;
mod article;
mod caching;
mod cli;
mod distribution;
mod fronts;
mod hostile;
mod newsroom_access;
mod newsroom_editor;
mod newsroom_workflow;
mod records;
mod scale;
mod urls;
