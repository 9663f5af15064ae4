//! Writes that race each other all succeed and none is lost: two editors publishing
//! and saving at the same moment through the newsroom's editor must not see
//! "database is locked" (SQLite), and every edit the server acknowledged must be
//! in the story's revision history with exactly the text that was sent.

use std::sync::Arc;

use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::staff::{story_id_from, Browser};
use dateline::domain::user::Role;
use tokio::task::JoinSet;

on_both_databases!(simultaneous_publishes_and_saves_all_succeed);

const STORIES: usize = 12;

/// One write sent through the editor: the story, and the text that identifies it.
#[derive(Debug, Clone)]
struct Edit {
    story: i64,
    headline: String,
    body: String,
    publish: bool,
}

/// Posts the editor's form for `edit` (no `base_revision`: these writes mean to land
/// on top of whatever is there, so none is refused as a conflict).
async fn send(app: &TestApp, who: &Browser, path: &str, edit: &Edit) -> (u16, String) {
    let section = app.section_id("europe").to_string();
    let summary = format!("Summary of {}.", edit.headline);
    let fields = [
        ("headline", edit.headline.as_str()),
        ("summary", summary.as_str()),
        ("section", section.as_str()),
        ("byline", "By A Reporter"),
        ("body", edit.body.as_str()),
        ("action", if edit.publish { "publish" } else { "save" }),
    ];
    let response = who.post_story(app, path, &fields, None).await;
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .map(str::to_string);
    let text = response.text().await.unwrap_or_default();
    (status, location.unwrap_or(text))
}

fn edit(story: i64, text: &str, publish: bool) -> Edit {
    Edit {
        story,
        headline: format!("Race {text}"),
        body: format!("The intro of {text}.\n\nA second paragraph of {text}."),
        publish,
    }
}

async fn simultaneous_publishes_and_saves_all_succeed(app: TestApp) {
    let publisher = Arc::new(app.staff(Role::Editor).await);
    let writer = Arc::new(app.staff(Role::Editor).await);
    let mut ids = Vec::new();
    let mut created = Vec::new();
    for n in 0..STORIES {
        let first = edit(0, &format!("{n} first draft"), false);
        let response = {
            let section = app.section_id("europe").to_string();
            let fields = [
                ("headline", first.headline.as_str()),
                ("summary", "A draft."),
                ("section", section.as_str()),
                ("byline", "By A Reporter"),
                ("body", first.body.as_str()),
                ("action", "save"),
            ];
            writer
                .post_story(&app, "/newsroom/stories", &fields, None)
                .await
        };
        assert_eq!(response.status(), 303, "create story {n}");
        let id = story_id_from(&response);
        ids.push(id);
        created.push(Edit { story: id, ..first });
    }

    // Every story is published by one editor while the other saves a new draft of the next.
    let app = Arc::new(app);
    let mut tasks = JoinSet::new();
    for (n, id) in ids.iter().copied().enumerate() {
        let other = ids[(n + 1) % STORIES];
        for (who, edit) in [
            (&publisher, edit(id, &format!("{n} published"), true)),
            (
                &writer,
                edit(other, &format!("{} edited", (n + 1) % STORIES), false),
            ),
        ] {
            let (app, who) = (Arc::clone(&app), Arc::clone(who));
            tasks.spawn(async move {
                let path = format!("/newsroom/stories/{}", edit.story);
                let answer = send(&app, &who, &path, &edit).await;
                (edit, answer)
            });
        }
    }
    let mut acknowledged = created;
    while let Some(result) = tasks.join_next().await {
        let (edit, (status, answer)) = result.expect("task");
        assert_eq!(
            status, 303,
            "a racing write was not acknowledged: {edit:?}: {answer}"
        );
        acknowledged.push(edit);
    }

    for id in ids {
        let revisions = app.store.revisions(id).await.expect("revisions");
        let numbers: Vec<i64> = revisions.iter().map(|r| r.number).collect();
        assert_eq!(
            numbers,
            vec![1, 2, 3],
            "story {id}: a create and two acknowledged edits"
        );
        let mut published_by = None;
        for edit in acknowledged.iter().filter(|e| e.story == id) {
            let found: Vec<_> = revisions
                .iter()
                .filter(|r| r.content.headline == edit.headline && r.content.body == edit.body)
                .collect();
            assert_eq!(
                found.len(),
                1,
                "story {id}: the acknowledged edit {edit:?} is not in its history exactly once"
            );
            if edit.publish {
                published_by = Some(found[0].number);
            }
        }
        // The publish made the story public at its own revision or at a later one
        // (the other editor's save, if it landed in between).
        let published_by = published_by.expect("a publish of every story");
        let live: Vec<i64> = revisions
            .iter()
            .filter(|r| r.published)
            .map(|r| r.number)
            .collect();
        assert!(
            live.len() == 1 && live[0] >= published_by,
            "story {id}: published revisions {live:?}, the publish was revision {published_by}"
        );
        assert_eq!(
            app.get(&format!("/news/{id}")).await.status(),
            301,
            "story {id} is public"
        );
    }
}
