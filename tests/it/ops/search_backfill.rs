//! Existing databases gain the search index by migrating: stories written
//! before migration 0004 are found after it, and the pictures in their bodies
//! are listed by migration 0012, on both databases.

use crate::helpers::{full_story, PgDatabase};
use dateline::domain::search_query;
use dateline::store::{SearchFilter, SearchScope, Store};
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
        Store::Sqlite(pool, _) => migrator.run(&pool).await.unwrap(),
        Store::Postgres(pool) => migrator.run(&pool).await.unwrap(),
    }
}

/// Inserts a story into a database at migration 0003, as that version's code did.
async fn old_story(store: &Store, headline: &str, status: &str, picture: i64) -> i64 {
    let mut content = full_story(1, None, headline);
    content.body = format!("{}\n\n![The lamp](image:{picture})", content.body);
    let published = status == "published";
    let (at, live) = (1_000_i64, published.then_some(1_000_i64));
    let story = "INSERT INTO stories (slug, section_id, status, headline, summary, byline, body, created_at, \
                 modified_at, revision, first_published_at, last_updated_at, live_revision) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, 1, $9, $9, $10) RETURNING id";
    let revision = "INSERT INTO story_revisions (story_id, number, action, author, created_at, content, published) \
                    VALUES ($1, 1, 'create', 'test', $2, $3, $4)";
    let snapshot = serde_json::to_string(&content).unwrap();
    macro_rules! write {
        ($pool:expr) => {{
            let id: i64 = sqlx::query_scalar(story)
                .bind(&content.slug)
                .bind(content.section_id)
                .bind(status)
                .bind(&content.headline)
                .bind(&content.summary)
                .bind(&content.byline)
                .bind(&content.body)
                .bind(at)
                .bind(live)
                .bind(published.then_some(1_i64))
                .fetch_one($pool)
                .await
                .unwrap();
            sqlx::query(revision)
                .bind(id)
                .bind(at)
                .bind(&snapshot)
                .bind(i64::from(published))
                .execute($pool)
                .await
                .unwrap();
            id
        }};
    }
    match store {
        Store::Sqlite(pool, _) => write!(pool),
        Store::Postgres(pool) => write!(pool),
    }
}

/// A picture row as migration 0001 made them (no renditions needed here).
async fn old_picture(store: &Store) -> i64 {
    let sql = "INSERT INTO images (width, height, sha256, created_at) VALUES (640, 480, 'x', 1000) RETURNING id";
    match store {
        Store::Sqlite(pool, _) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
        Store::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
    }
}

async fn stories_written_before_the_migration_are_found(dialect: &str, url: &str) {
    migrate_before_search(dialect, url).await;
    let store = Store::connect(url).await.unwrap();
    // Written as the code of that time wrote them: the row and its first revision.
    let picture = old_picture(&store).await;
    let published = old_story(&store, "Lighthouse keeper retires", "published", picture).await;
    let draft = old_story(&store, "Lighthouse draft", "draft", picture).await;

    store
        .migrate()
        .await
        .expect("migration 0004 applies to a used database");
    assert_eq!(
        store.public_stories_showing(picture, 2_000).await.unwrap(),
        [published],
        "{dialect}: pictures in bodies written before migration 0012 are listed"
    );
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
