//! Existing databases gain the search index by migrating: stories written
//! before migration 0004 are found after it, and the pictures in their bodies
//! are listed by migration 0012, on both databases; SQLite's index renumbered
//! newest first by migration 0033 still holds every story.

use crate::helpers::{full_story, PgDatabase};
use dateline::domain::search_query;
use dateline::store::{SearchFilter, SearchScope, Store};
use std::path::Path;

/// Applies only the migrations before search (0001–0003) from `dialect`'s folder.
async fn migrate_before_search(dialect: &str, url: &str) {
    migrate_before(dialect, url, "0004").await;
}

/// Applies only `dialect`'s migrations numbered before `version`.
async fn migrate_before(dialect: &str, url: &str, version: &str) {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(Path::new("migrations").join(dialect)).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.as_str() < version {
            std::fs::copy(&path, dir.path().join(&name)).unwrap();
        }
    }
    let migrator = sqlx::migrate::Migrator::new(dir.path()).await.unwrap();
    match Store::connect(url).await.unwrap() {
        // As `Store::migrate` runs them: migrations that rebuild a table (0022)
        // run with SQLite's foreign keys off.
        Store::Sqlite(pool, _) => {
            let mut conn = pool.acquire().await.unwrap();
            sqlx::query("PRAGMA foreign_keys = OFF")
                .execute(&mut *conn)
                .await
                .unwrap();
            migrator.run(&mut *conn).await.unwrap();
            sqlx::query("PRAGMA foreign_keys = ON")
                .execute(&mut *conn)
                .await
                .unwrap();
        }
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

/// The ids of the stories a newsroom search for `words` finds, newest first.
async fn found(store: &Store, words: &str) -> Vec<i64> {
    let query = search_query::parse(words).unwrap();
    let scope = SearchScope::Newsroom {
        own_or_published: None,
    };
    let results = store
        .search(&query, scope, &SearchFilter::default(), 10, 0)
        .await
        .unwrap();
    let mut ids: Vec<i64> = results.hits.iter().map(|h| h.story.id).collect();
    ids.sort_unstable_by(|a, b| b.cmp(a));
    ids
}

/// FTS5's own check of its index against the `stories` rows it indexes (rank 1).
async fn index_matches_the_stories(store: &Store, when: &str) {
    let Store::Sqlite(pool, _) = store else {
        unreachable!("SQLite only")
    };
    sqlx::query("INSERT INTO stories_fts (stories_fts, rank) VALUES ('integrity-check', 1)")
        .execute(pool)
        .await
        .unwrap_or_else(|e| panic!("{when}: the search index disagrees with the stories: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_index_renumbered_newest_first_keeps_every_story() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("before-0033.db").display());
    migrate_before("sqlite", &url, "0033").await;
    let store = Store::connect(&url).await.unwrap();
    let picture = old_picture(&store).await;
    let mut ids = Vec::new();
    for n in 1..=3 {
        ids.push(
            old_story(
                &store,
                &format!("Harbour wall repaired {n}"),
                "published",
                picture,
            )
            .await,
        );
    }
    store
        .migrate()
        .await
        .expect("migration 0033 applies to a used database");
    index_matches_the_stories(&store, "after migration 0033").await;
    let newest_first: Vec<i64> = ids.iter().rev().copied().collect();
    assert_eq!(found(&store, "harbour").await, newest_first);

    // The index's own order is newest first: the stories' order read forwards.
    let Store::Sqlite(pool, _) = &store else {
        unreachable!("SQLite")
    };
    let in_index_order: Vec<i64> = sqlx::query_scalar(
        "SELECT s.id FROM stories_fts JOIN stories s ON s.search_rowid = stories_fts.rowid \
         WHERE stories_fts MATCH 'harbour' ORDER BY stories_fts.rowid",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert_eq!(in_index_order, newest_first);

    // Later writes keep the renumbered index in step: an edit, a deletion.
    sqlx::query("UPDATE stories SET headline = 'Quayside reopens', summary = 'Quayside.', body = 'Quayside.' WHERE id = $1")
        .bind(ids[0])
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM stories WHERE id = $1")
        .bind(ids[1])
        .execute(pool)
        .await
        .unwrap();
    assert_eq!(found(&store, "quayside").await, [ids[0]]);
    assert_eq!(found(&store, "harbour").await, [ids[2]]);
    index_matches_the_stories(&store, "after an edit and a deletion").await;
    store.close().await;
}

/// After migrations that ran (with foreign keys off), a reference left broken
/// is reported; a database already up to date is not read through again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_references_are_checked_after_migrations_that_ran() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("orphan.db").display());
    migrate_before("sqlite", &url, "0033").await;
    let store = Store::connect(&url).await.unwrap();
    let Store::Sqlite(pool, _) = &store else {
        unreachable!("SQLite")
    };
    let mut conn = pool.acquire().await.unwrap();
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO story_revisions (story_id, number, action, author, created_at, content, published) \
         VALUES (999999, 1, 'create', 'test', 1000, '{}', 0)",
    )
    .execute(&mut *conn)
    .await
    .unwrap();
    sqlx::query("PRAGMA foreign_keys = ON")
        .execute(&mut *conn)
        .await
        .unwrap();
    drop(conn);

    let error = store
        .migrate()
        .await
        .expect_err("a broken reference after migrations is reported");
    assert!(
        error.to_string().contains("story_revisions"),
        "the message names the table: {error}"
    );
    // The migrations themselves were applied; with nothing pending, starting
    // again does not read every reference again.
    store
        .migrate()
        .await
        .expect("an up-to-date database starts without the whole-database check");
    store.close().await;
}
