//! Existing databases gain the search index by migrating: stories written
//! before migration 0004 are found after it, on both databases.

use crate::helpers::{full_story, PgDatabase};
use dateline::domain::search_query;
use dateline::store::{NewRevision, SearchFilter, SearchScope, Store};
use std::path::Path;

/// Applies only the migrations before search (0001–0003) from `dialect`'s folder.
async fn migrate_before_search(dialect: &str, url: &str) {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(Path::new("migrations").join(dialect)).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.as_str() < "0004" {
            std::fs::copy(&path, dir.path().join(&name)).unwrap();
        }
    }
    let migrator = sqlx::migrate::Migrator::new(dir.path()).await.unwrap();
    match Store::connect(url).await.unwrap() {
        Store::Sqlite(pool) => migrator.run(&pool).await.unwrap(),
        Store::Postgres(pool) => migrator.run(&pool).await.unwrap(),
    }
}

async fn stories_written_before_the_migration_are_found(dialect: &str, url: &str) {
    migrate_before_search(dialect, url).await;
    let store = Store::connect(url).await.unwrap();
    let content = full_story(1, None, "Lighthouse keeper retires");
    let rev = NewRevision {
        content: &content,
        action: "create",
        author: "test",
        at: 1_000,
    };
    let published = store.create_story(&rev, None).await.unwrap();
    store
        .publish_newest(published, 1_000, true, None)
        .await
        .unwrap();
    let draft_content = full_story(1, None, "Lighthouse draft");
    let draft = store
        .create_story(
            &NewRevision {
                content: &draft_content,
                ..rev
            },
            None,
        )
        .await
        .unwrap();

    store
        .migrate()
        .await
        .expect("migration 0004 applies to a used database");
    let query = search_query::parse("lighthouse").unwrap();
    let public = store
        .search(
            &query,
            SearchScope::Public { now: 2_000 },
            &SearchFilter::default(),
            10,
            0,
        )
        .await
        .unwrap();
    let ids: Vec<i64> = public.hits.iter().map(|h| h.story.id).collect();
    assert_eq!(
        ids,
        [published],
        "{dialect}: the published story is indexed"
    );
    let newsroom = store
        .search(
            &query,
            SearchScope::Newsroom {
                own_or_published: None,
            },
            &SearchFilter::default(),
            10,
            0,
        )
        .await
        .unwrap();
    assert_eq!(newsroom.total, 2, "{dialect}: drafts are indexed too");
    assert!(newsroom.hits.iter().any(|h| h.story.id == draft));
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_databases_are_backfilled() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("old.db").display());
    stories_written_before_the_migration_are_found("sqlite", &url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_databases_are_backfilled() {
    if let Some(database) = PgDatabase::create().await {
        stories_written_before_the_migration_are_found("postgres", &database.url).await;
    }
}
