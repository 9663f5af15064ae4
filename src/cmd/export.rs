//! `dateline export`: the whole public site as static files (`--static DIR`), or one
//! ninjs document per story (`--ninjs DIR`). The crawler and the link rewriter
//! live in [`crate::export`]; this reads the arguments and prints the report.

use anyhow::Result;

use crate::cli::ExportArgs;
use crate::config::Settings;
use crate::export::{export_ninjs, export_static};
use crate::web::AppState;

pub async fn run(settings: Settings, args: ExportArgs) -> Result<()> {
    let store = super::open_store(&settings).await?;
    let state = AppState::new(store.clone(), settings.site.clone())
        .await?
        .with_pictures(super::pictures(&settings)?)
        .with_distribution(false, false, Vec::new());
    if let Some(dir) = &args.static_dir {
        let report = export_static(&state, dir).await?;
        println!(
            "exported the site to {}: {} files written, {} unchanged, {} removed",
            dir.display(),
            report.written,
            report.unchanged,
            report.removed
        );
        for (path, status) in &report.broken {
            eprintln!("warning: {path} answered {status} and was not exported");
        }
    }
    if let Some(dir) = &args.ninjs {
        let report = export_ninjs(&state, dir).await?;
        println!(
            "wrote ninjs documents to {}: {} written, {} unchanged, {} removed",
            dir.display(),
            report.written,
            report.unchanged,
            report.removed
        );
    }
    store.close().await;
    Ok(())
}
