//! `dateline demo`: load (or with `--reset`, reload) the demo newsroom.

use anyhow::Result;

use crate::cli::DemoArgs;
use crate::config::Settings;

pub async fn run(settings: Settings, args: DemoArgs) -> Result<()> {
    let store = super::open_store(&settings).await?;
    if args.reset {
        store.delete_all_content().await?;
    } else if store.story_count().await? > 0 {
        anyhow::bail!("the database already has stories; use `dateline demo --reset` to replace them with the demo");
    }
    let loaded = crate::demo::load(&store).await?;
    println!("loaded {loaded} demo stories");
    store.close().await;
    Ok(())
}
