//! Writes that race each other all succeed: two editors publishing at the same
//! moment must not see "database is locked" (SQLite) or lose a write.

use crate::helpers::{full_story, TestApp};
use crate::on_both_databases;
use dateline::domain::story::Status;
use tokio::task::JoinSet;

on_both_databases!(simultaneous_publishes_and_saves_all_succeed);

const STORIES: usize = 12;

async fn simultaneous_publishes_and_saves_all_succeed(app: TestApp) {
    let now = app.clock.now();
    let section = app.section_id("europe");
    let mut ids = Vec::new();
    for n in 0..STORIES {
        ids.push(
            app.draft(&full_story(section, None, &format!("Race {n}")), now)
                .await,
        );
    }
    // Every story is published by one task while another saves a new draft of the next.
    let mut tasks = JoinSet::new();
    for (n, id) in ids.iter().copied().enumerate() {
        let store = app.store.clone();
        tasks.spawn(async move {
            store
                .publish_newest(id, now + 1, true, None)
                .await
                .map(|_| ())
        });
        let store = app.store.clone();
        let other = ids[(n + 1) % STORIES];
        let content = full_story(section, None, &format!("Race {} edited", (n + 1) % STORIES));
        tasks.spawn(async move {
            let revision = dateline::store::NewRevision {
                content: &content,
                action: "save",
                author: "test",
                at: now + 2,
            };
            store
                .save_revision(other, &revision, None)
                .await
                .map(|_| ())
        });
    }
    while let Some(result) = tasks.join_next().await {
        result.expect("task").expect("a racing write failed");
    }
    for id in ids {
        let story = app.store.story(id).await.unwrap().expect("story");
        assert_eq!(story.status, Status::Published, "story {id}");
    }
}
