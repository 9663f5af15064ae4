//! `dateline serve`: open the database, load the demo into an empty one, and serve the site.

use anyhow::{Context, Result};
use std::time::Duration;
use tokio::net::TcpListener;

use crate::config::Settings;
use crate::mail::Mailer;
use crate::store::Store;
use crate::web::{self, AppState};

pub async fn run(settings: Settings) -> Result<()> {
    // Bind first: a port in use is reported before any slow work.
    let listener = TcpListener::bind(settings.bind)
        .await
        .with_context(|| format!("cannot listen on {}", settings.bind))?;
    let store = super::open_store(&settings).await?;
    let pictures = super::pictures(&settings)?;
    if store.story_count().await? == 0 {
        let loaded = crate::demo::load(&store, &pictures).await?;
        tracing::info!(loaded, "loaded the demo newsroom into the empty database");
        // As after `dateline demo`, without its report: stdout is the admin's.
        store.analyze_after_load().await?;
        store.merge_search_index().await?;
    }
    let state = AppState::new(store.clone(), settings.site.clone())
        .await?
        .with_pictures(pictures);
    if let Some((email, password)) = crate::staff::ensure_first_admin(&store, state.now()).await? {
        match password {
            Some(password) => println!(
                "Created the first admin account: {email} with the one-time password {password}\n\
                 (shown only now; sign in at /newsroom and change it)"
            ),
            None => println!(
                "Created the first admin account: {email} (password from DATELINE_ADMIN_PASSWORD)"
            ),
        }
    }
    // Outgoing mail: this node's delivery task sends what any node queued.
    let mailer = Mailer::new(store.clone(), &settings.mail, crate::clock::Clock::System)?;
    let delivery = mailer.spawn_delivery();
    let state = state
        .with_distribution(
            settings.cache,
            settings.record_cache,
            settings.purge_urls.clone(),
        )
        .with_metrics_token(settings.metrics_token.clone())
        .with_mailer(mailer);
    let scheduler = crate::scheduler::spawn(state.clone());
    let follower = web::cluster::spawn_follower(state.clone()).await;
    let bands = spawn_search_bands(store.clone());
    #[cfg(unix)]
    clear_cache_on_hangup(state.clone());
    let address = listener.local_addr()?;
    // Before the serving line, which is the last one tests and scripts wait for.
    match &settings.mail.smtp {
        Some(smtp) => println!("Mail goes out through {}:{}", smtp.host, smtp.port),
        None => println!(
            "Mail is kept in the outbox (no SMTP configured): list it with `dateline outbox`"
        ),
    }
    println!(
        "Dateline is serving http://{address}/ ({} database)",
        store.kind()
    );
    web::server::serve(listener, state, shutdown_signal())
        .await
        .context("server failed")?;
    scheduler.abort();
    follower.abort();
    bands.abort();
    // Wait for the delivery task to be gone, so it holds no connection when the pool closes.
    delivery.abort();
    let _ = delivery.await;
    store.close().await;
    Ok(())
}

/// Keeps PostgreSQL's search band indexes made (`store::search_bands`): at start,
/// then every ten minutes, one band ahead of the newest story.
fn spawn_search_bands(store: Store) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(600));
        loop {
            every.tick().await;
            if let Err(e) = store.ensure_search_bands().await {
                tracing::warn!(
                    error = %e,
                    "could not make the search band indexes; searches use the whole archive's index meanwhile"
                );
            }
        }
    })
}

/// `kill -HUP` drops every cached page: how a running server picks up stories written
/// from outside it, such as by `dateline import`.
#[cfg(unix)]
fn clear_cache_on_hangup(state: AppState) {
    use tokio::signal::unix::{signal, SignalKind};
    tokio::spawn(async move {
        let Ok(mut hangups) = signal(SignalKind::hangup()) else {
            return;
        };
        while hangups.recv().await.is_some() {
            state.cache.clear();
            state.records.clear();
            tracing::info!("SIGHUP: dropped every cached page and record");
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
