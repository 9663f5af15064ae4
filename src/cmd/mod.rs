//! One module per subcommand; `run` dispatches.

mod api_key;
mod backup;
mod demo;
mod edition;
mod export;
mod import;
mod media;
mod migrate;
mod outbox;
mod serve;
mod user;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::config::Settings;

pub fn run(cli: Cli) -> Result<()> {
    let settings = Settings::load(&cli.global.overrides())?;
    init_logging();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        match cli.command {
            Command::Serve => serve::run(settings).await,
            Command::Migrate => migrate::run(settings).await,
            Command::Demo(args) => demo::run(settings, args).await,
            Command::User(command) => user::run(settings, command).await,
            Command::ApiKey(command) => api_key::run(settings, command).await,
            Command::Edition(command) => edition::run(settings, command).await,
            Command::Import(args) => import::run(settings, args).await,
            Command::Export(args) => export::run(settings, args).await,
            Command::Backup(args) => backup::run(settings, args).await,
            Command::Outbox(args) => outbox::run(settings, args).await,
            Command::Media(command) => media::run(settings, command).await,
        }
    })
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("DATELINE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Where the configured pictures are kept (no request is made yet).
fn pictures(settings: &Settings) -> Result<crate::media::Pictures> {
    Ok(crate::media::Pictures::from_settings(&settings.media)?)
}

/// Opens and migrates the configured database.
async fn open_store(settings: &Settings) -> Result<crate::store::Store> {
    let store = crate::store::Store::connect(&settings.database).await?;
    store.migrate().await?;
    Ok(store)
}

/// Readies search and the planner after a load of stories, and says what it
/// did: on PostgreSQL makes the search band indexes the load may have reached
/// (`store::search_bands`) before a server's next check and analyses the tables
/// (`Store::analyze_after_load`); on SQLite merges the full-text index into one
/// segment (`Store::merge_search_index`).
async fn ready_after_load(store: &crate::store::Store) -> Result<()> {
    let started = std::time::Instant::now();
    let made = store.ensure_search_bands().await?;
    if made > 0 {
        println!(
            "made {made} search band indexes in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    let started = std::time::Instant::now();
    if store.analyze_after_load().await? {
        println!(
            "analysed the tables for the planner in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    let started = std::time::Instant::now();
    if store.merge_search_index().await? {
        println!(
            "merged the search index in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}
