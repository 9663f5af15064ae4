//! `dateline edition add FILE` and `dateline edition list`.

use anyhow::{Context, Result};

use crate::cli::EditionCommand;
use crate::config::Settings;

pub async fn run(settings: Settings, command: EditionCommand) -> Result<()> {
    let store = super::open_store(&settings).await?;
    match command {
        EditionCommand::Add { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let created = crate::editions::add(&store, &text).await?;
            let now = jiff::Timestamp::now().as_second();
            for key in &created {
                store
                    .audit(
                        "command line",
                        "create edition",
                        &format!("edition {key}"),
                        "",
                        now,
                    )
                    .await?;
            }
            match created.len() {
                0 => println!("The file has no editions."),
                n => println!(
                    "Added {n} edition{}: {}. Restart running nodes to serve {}.",
                    if n == 1 { "" } else { "s" },
                    created.join(", "),
                    if n == 1 { "it" } else { "them" }
                ),
            }
        }
        EditionCommand::List => {
            let site = &settings.site;
            for e in store.editions(&site.name, &site.time_zone_name).await? {
                println!(
                    "{}\t{}\t{}\t{}\t{} ({})",
                    e.key,
                    e.language,
                    e.direction.as_str(),
                    if e.prefix.is_empty() { "/" } else { &e.prefix },
                    e.english_name,
                    e.name
                );
            }
        }
    }
    store.close().await;
    Ok(())
}
