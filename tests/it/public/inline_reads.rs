//! SQLite's public-page reads run in place (`store::inline_reads`) read what
//! the pool reads: every demo story's article rows, lists of summaries by id,
//! the newest stories, feeds and sitemap pages, before and after a kill, compared with a store
//! over the same pool that reads through it alone; and none of those reads
//! fell back.

use crate::helpers::{TestApp, TEST_EDITOR};
use dateline::store::{InlineReads, Store};

/// What `store` reads for every id up to `last` (and one past it), as text.
async fn everything(store: &Store, last: i64, now: i64) -> Vec<String> {
    let ids: Vec<i64> = (1..=last + 1).collect();
    let mut read = Vec::new();
    for id in &ids {
        read.push(format!(
            "{id}: {:?}",
            store.article_rows(*id).await.unwrap()
        ));
    }
    // The whole list, a list in another order, and each story alone.
    read.push(format!(
        "{:?}",
        store.published_summaries(&ids, now).await.unwrap()
    ));
    let reversed: Vec<i64> = ids.iter().rev().copied().collect();
    read.push(format!(
        "{:?}",
        store.published_summaries(&reversed, now).await.unwrap()
    ));
    for id in &ids {
        read.push(format!(
            "{:?}",
            store.published_summaries(&[*id], now).await.unwrap()
        ));
    }
    // The newest, everywhere and in some sections (a front's lists).
    for sections in [None, Some(&[1][..]), Some(&[2, 3, 4][..])] {
        for limit in [1, 10, 500] {
            let newest = store.latest_published(sections, limit, now).await.unwrap();
            read.push(format!("{sections:?} {limit}: {newest:?}"));
            let feed = store.feed_stories(sections, limit, now).await.unwrap();
            read.push(format!("feed {sections:?} {limit}: {feed:?}"));
        }
    }
    // Sitemap pages.
    for after in [0, 10, last / 2] {
        for limit in [1, 7, 500] {
            let page = store.public_stories_after(after, limit, now).await.unwrap();
            read.push(format!("after {after} {limit}: {page:?}"));
        }
    }
    read
}

#[tokio::test]
async fn reads_in_place_are_the_pools_reads() {
    let app = TestApp::sqlite_demo().await;
    let Store::Sqlite(pool, inline) = &app.store else {
        panic!("an SQLite store");
    };
    assert!(inline.is_on(), "a file database reads in place");
    let through_pool = Store::Sqlite(pool.clone(), InlineReads::default());
    let now = app.clock.now();
    let last: i64 = sqlx::query_scalar("SELECT MAX(id) FROM stories")
        .fetch_one(pool)
        .await
        .unwrap();
    assert!(last > 20, "the demo's stories");

    let in_place = everything(&app.store, last, now).await;
    assert_eq!(in_place, everything(&through_pool, last, now).await);
    assert!(
        in_place.iter().any(|r| r.contains("Some(ArticleRows")),
        "stories were read"
    );

    // A story killed is gone from both at once.
    let killed = app
        .store
        .published_summaries(&(1..=last).collect::<Vec<_>>(), now)
        .await
        .unwrap()[0]
        .id;
    let story = app.store.article_rows(killed).await.unwrap().unwrap().story;
    app.state
        .editorial()
        .kill(TEST_EDITOR, &story, "legal advice", now)
        .await
        .unwrap();
    let after = everything(&app.store, last, now + 1).await;
    assert_eq!(after, everything(&through_pool, last, now + 1).await);
    assert!(app
        .store
        .published_summaries(&[killed], now + 1)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(inline.failures(), 0, "reads that fell back to the pool");
}
