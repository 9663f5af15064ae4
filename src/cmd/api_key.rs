//! `dateline api-key add NAME`: keys for the Content API.

use anyhow::{bail, Result};

use crate::auth;
use crate::cli::ApiKeyCommand;
use crate::config::Settings;

pub async fn run(settings: Settings, command: ApiKeyCommand) -> Result<()> {
    let store = super::open_store(&settings).await?;
    match command {
        ApiKeyCommand::Add { name, per_minute } => {
            let name = crate::domain::text::clean_line(&name);
            if name.is_empty() || name.chars().count() > 100 {
                bail!("the key's name must be 1 to 100 characters");
            }
            let key = auth::random_token();
            let now = jiff::Timestamp::now().as_second();
            store
                .create_api_key(&name, &auth::token_hash(&key), per_minute, now)
                .await?;
            store
                .audit(
                    "command line",
                    "create API key",
                    &format!("API key {name}"),
                    &format!("{per_minute}/min"),
                    now,
                )
                .await?;
            println!("API key for {name} ({per_minute} requests a minute), shown only now:\n{key}");
        }
    }
    store.close().await;
    Ok(())
}
