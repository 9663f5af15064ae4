//! Dateline's integration suite: the real router over HTTP against real databases,
//! and the real binary for the command line.

mod helpers;

mod article;
mod cli;
mod fronts;
mod hostile;
mod urls;
