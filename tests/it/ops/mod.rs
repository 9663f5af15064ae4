//! Running Dateline: the command line, several nodes, import and export,
//! migrations, request limits, outgoing mail and the fuzz seeds.

pub(crate) mod cli;
mod cluster;
mod export;
mod fuzz_seeds;
pub(crate) mod import;
mod layers;
mod limits;
mod mail;
mod mail_cli;
mod object_storage;
mod scale;
mod search_backfill;
