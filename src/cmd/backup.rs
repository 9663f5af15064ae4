//! `dateline backup FILE`: a consistent copy of the SQLite database, taken while
//! the site is serving (`VACUUM INTO`). PostgreSQL is backed up with `pg_dump`.

use anyhow::{bail, Context, Result};

use crate::cli::BackupArgs;
use crate::config::Settings;

pub async fn run(settings: Settings, args: BackupArgs) -> Result<()> {
    if !settings.database.starts_with("sqlite:") {
        bail!(
            "dateline backup copies SQLite databases; for PostgreSQL use pg_dump, e.g. \
             `pg_dump --format=custom --file=dateline.dump DATABASE_URL` (see the README)"
        );
    }
    if args.file.exists() && !args.force {
        bail!(
            "{} already exists; pass --force to replace it",
            args.file.display()
        );
    }
    let store = super::open_store(&settings).await?;
    // Written beside the target and renamed over it, so FILE is never half a database.
    let mut partial = args.file.clone().into_os_string();
    partial.push(".partial");
    let partial = std::path::PathBuf::from(partial);
    let _ = std::fs::remove_file(&partial);
    let result = store.backup_into(&partial.to_string_lossy()).await;
    store.close().await;
    if let Err(e) = result {
        let _ = std::fs::remove_file(&partial);
        return Err(e)
            .with_context(|| format!("cannot write the backup to {}", args.file.display()));
    }
    std::fs::rename(&partial, &args.file)
        .with_context(|| format!("cannot move the backup into {}", args.file.display()))?;
    let path = args.file.display();
    let bytes = std::fs::metadata(&args.file).map(|m| m.len()).unwrap_or(0);
    println!("backed up the database to {path} ({bytes} bytes)");
    Ok(())
}
