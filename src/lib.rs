//! Dateline: a newsroom publishing system.
//!
//! # Layout
//! - [`domain`]: stories, sections, body markup, time stamps and their rules. Pure: no I/O.
//! - [`store`]: the database. One [`store::Store`] over SQLite or PostgreSQL; migrations
//!   live in `migrations/sqlite` and `migrations/postgres`.
//! - [`editorial`]: every newsroom action on a story, each one transaction with its
//!   revision, audit and invalidation-log rows, under the workflow and embargo rules.
//! - [`editions`]: adding editions (language, prefix, sections) from a file, every field checked.
//! - [`mail`]: outgoing mail: the outbox table, then SMTP (lettre) when configured.
//! - [`media`]: checking and re-encoding pictures into the standard widths.
//! - [`web`]: the HTTP layer. Each area has its own `router()`; `web::router` merges them.
//!   Templates are in `templates/`, the stylesheet in `static/`.
//! - [`auth`]: password hashing and secrets; [`clock`]: the time; [`scheduler`]: timed publishing
//!   and the readers' daily e-mail (`scheduler::daily`).
//! - [`import`]: parsers that turn legacy article pages (text or HTML) into stories. Pure.
//! - [`demo`]: the demo newsroom loaded into an empty database (`demo/stories/*.toml`).
//! - [`cli`], [`config`], [`cmd`]: the command line, settings, and one module per subcommand.
//! - [`fuzz`]: the properties the fuzz targets (`fuzz/`) and their seed replays in the tests check.

pub mod auth;
pub mod cli;
pub mod clock;
pub mod cmd;
pub mod config;
pub mod demo;
pub mod domain;
pub mod editions;
pub mod editorial;
pub mod export;
pub mod fuzz;
pub mod import;
pub mod mail;
pub mod media;
pub mod scheduler;
pub mod staff;
pub mod store;
pub mod web;
