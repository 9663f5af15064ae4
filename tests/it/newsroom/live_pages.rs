//! Live pages through the editorial service: each action (start, write,
//! publish, edit, pin, delete, end) is one transaction with its audit row and,
//! on a published story, an invalidation-log row naming the page; posts on a
//! story that is not live, or whose live page ended, and oversize posts are
//! refused with nothing written; the public reads show nothing of an embargoed
//! or killed live page.

use crate::helpers::{full_story, TestApp, TEST_EDITOR};
use crate::on_both_databases;
use dateline::domain::live::Refusal;
use dateline::domain::user::Role;
use dateline::editorial::{Actor, Edit, EditRequest, LiveError, TypedPost};

on_both_databases!(
    each_action_is_audited_and_purges_the_page,
    posts_on_a_story_that_is_not_live_or_has_ended_are_refused,
    an_oversize_post_is_refused_with_nothing_written,
    an_embargoed_or_killed_live_page_shows_no_posts,
    a_post_is_published_once,
);

const REPORTER: Actor<'static> = Actor {
    name: "reporter",
    role: Role::Reporter,
    user_id: None,
};

fn typed(body: &str) -> TypedPost<'_> {
    TypedPost {
        body,
        image_id: None,
        alt: "",
        byline: "",
    }
}

async fn published_story(app: &TestApp, headline: &str) -> dateline::domain::story::Story {
    let content = full_story(app.section_id("europe"), None, headline);
    let id = app.publish(&content, app.clock.now()).await;
    app.store.story(id).await.unwrap().unwrap()
}

/// The newest audit rows' actions, oldest first.
async fn audit_actions(app: &TestApp, n: i64) -> Vec<String> {
    let mut rows = app.store.audit_entries(None, n).await.unwrap();
    rows.reverse();
    rows.into_iter().map(|r| r.action).collect()
}

/// Everything that shows whether anything was written: the audit log's and
/// the invalidation log's ends, and the newsroom's posts.
async fn written(app: &TestApp, story_id: i64) -> (Option<i64>, i64, usize) {
    let audit = app
        .store
        .audit_entries(None, 1)
        .await
        .unwrap()
        .first()
        .map(|r| r.id);
    let log = app.store.last_invalidation().await.unwrap();
    let posts = app
        .store
        .live_posts_for_newsroom(story_id)
        .await
        .unwrap()
        .len();
    (audit, log, posts)
}

/// The keys logged since `before`.
async fn logged_since(app: &TestApp, before: i64) -> Vec<String> {
    let end = app.store.last_invalidation().await.unwrap();
    app.store
        .invalidations_between(before + 1, end)
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.keys)
        .collect()
}

async fn each_action_is_audited_and_purges_the_page(app: TestApp) {
    let story = published_story(&app, "Storm reaches the coast").await;
    let key = format!("story-{}", story.id);
    let editorial = app.state.editorial();
    let now = app.clock.now();
    let purged = |logged: Vec<String>| logged.iter().any(|k| k.split(' ').any(|k| k == key));

    let mark = app.store.last_invalidation().await.unwrap();
    editorial
        .start_live_page(TEST_EDITOR, &story, now)
        .await
        .unwrap();
    assert!(
        purged(logged_since(&app, mark).await),
        "start purges the page"
    );
    let page = app
        .store
        .public_live_page(story.id, now, 50)
        .await
        .unwrap()
        .expect("public");
    assert_eq!((page.page.ended_at, page.posts.len()), (None, 0));

    let mark = app.store.last_invalidation().await.unwrap();
    let first = editorial
        .add_live_post(
            TEST_EDITOR,
            &story,
            typed("Winds of **90mph** recorded."),
            now,
        )
        .await
        .unwrap();
    assert!(
        purged(logged_since(&app, mark).await),
        "an editor's post purges the page"
    );

    // A reporter's post waits for an editor: nothing public changes.
    let mark = app.store.last_invalidation().await.unwrap();
    let waiting = editorial
        .add_live_post(
            REPORTER,
            &story,
            typed("Roads closed near the harbour."),
            now + 1,
        )
        .await
        .unwrap();
    assert_eq!(logged_since(&app, mark).await, Vec::<String>::new());
    let page = app
        .store
        .public_live_page(story.id, now, 50)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(page.posts.iter().map(|p| p.id).collect::<Vec<_>>(), [first]);
    assert_eq!(
        app.store
            .live_posts_for_newsroom(story.id)
            .await
            .unwrap()
            .len(),
        2
    );

    for (action, refused) in [
        (
            editorial
                .publish_live_post(REPORTER, &story, waiting, now + 2)
                .await,
            "reporter publishes",
        ),
        (
            editorial
                .pin_live_post(REPORTER, &story, first, true, now + 2)
                .await,
            "reporter pins",
        ),
    ] {
        assert!(
            matches!(action, Err(LiveError::Refused(Refusal::NotAllowed))),
            "{refused}: {action:?}"
        );
    }

    let mark = app.store.last_invalidation().await.unwrap();
    editorial
        .publish_live_post(TEST_EDITOR, &story, waiting, now + 2)
        .await
        .unwrap();
    assert!(
        purged(logged_since(&app, mark).await),
        "publishing purges the page"
    );
    let page = app
        .store
        .public_live_page(story.id, now, 50)
        .await
        .unwrap()
        .unwrap();
    // Newest published first, whatever the order they were written in.
    assert_eq!(
        page.posts.iter().map(|p| p.id).collect::<Vec<_>>(),
        [waiting, first]
    );
    let since = app
        .store
        .public_live_posts_since(story.id, page.posts[1].seq.unwrap(), now, 50)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(since.iter().map(|p| p.id).collect::<Vec<_>>(), [waiting]);

    let mark = app.store.last_invalidation().await.unwrap();
    let edited = TypedPost {
        body: "Winds of **95mph** recorded.",
        image_id: None,
        alt: "",
        byline: "By Ada Reporter",
    };
    editorial
        .edit_live_post(TEST_EDITOR, &story, first, edited, now + 3)
        .await
        .unwrap();
    assert!(
        purged(logged_since(&app, mark).await),
        "an edit purges the page"
    );

    let mark = app.store.last_invalidation().await.unwrap();
    editorial
        .pin_live_post(TEST_EDITOR, &story, first, true, now + 4)
        .await
        .unwrap();
    assert!(
        purged(logged_since(&app, mark).await),
        "a pin purges the page"
    );
    let page = app
        .store
        .public_live_page(story.id, now, 50)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(page.key_points.len(), 1);
    assert_eq!(page.key_points[0].body, "Winds of **95mph** recorded.");
    assert_eq!(page.key_points[0].byline, "By Ada Reporter");

    let mark = app.store.last_invalidation().await.unwrap();
    editorial
        .delete_live_post(TEST_EDITOR, &story, first, now + 5)
        .await
        .unwrap();
    assert!(
        purged(logged_since(&app, mark).await),
        "a deletion purges the page"
    );
    let page = app
        .store
        .public_live_page(story.id, now, 50)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        page.posts.iter().map(|p| p.id).collect::<Vec<_>>(),
        [waiting]
    );
    assert!(page.key_points.is_empty(), "a deleted key point is gone");

    let mark = app.store.last_invalidation().await.unwrap();
    editorial
        .end_live_page(TEST_EDITOR, &story, " The storm has passed. ", now + 6)
        .await
        .unwrap();
    assert!(
        purged(logged_since(&app, mark).await),
        "ending purges the page"
    );
    let page = app
        .store
        .public_live_page(story.id, now, 50)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(page.page.ended_at, Some(now + 6));
    assert_eq!(page.page.summary, "The storm has passed.");
    assert_eq!(page.posts.len(), 1, "an ended page stays as an archive");

    assert_eq!(
        audit_actions(&app, 8).await,
        [
            "live page start",
            "live post publish",
            "live post write",
            "live post publish",
            "live post edit",
            "live post pin",
            "live post delete",
            "live page end",
        ]
    );
    let newest = app.store.audit_entries(None, 1).await.unwrap().remove(0);
    assert_eq!(newest.subject, format!("story {}", story.id));
    assert_eq!(newest.detail, "The storm has passed.");
}

async fn posts_on_a_story_that_is_not_live_or_has_ended_are_refused(app: TestApp) {
    let story = published_story(&app, "Council meets on budget").await;
    let editorial = app.state.editorial();
    let now = app.clock.now();

    let before = written(&app, story.id).await;
    let refused = editorial
        .add_live_post(TEST_EDITOR, &story, typed("Too early."), now)
        .await;
    assert!(
        matches!(refused, Err(LiveError::Refused(Refusal::NotLive))),
        "{refused:?}"
    );
    let refused = editorial
        .end_live_page(TEST_EDITOR, &story, "Over.", now)
        .await;
    assert!(
        matches!(refused, Err(LiveError::Refused(Refusal::NotLive))),
        "{refused:?}"
    );
    let refused = editorial.start_live_page(REPORTER, &story, now).await;
    assert!(
        matches!(refused, Err(LiveError::Refused(Refusal::NotAllowed))),
        "{refused:?}"
    );
    assert_eq!(written(&app, story.id).await, before, "nothing written");
    assert_eq!(app.store.live_page(story.id).await.unwrap(), None);

    editorial
        .start_live_page(TEST_EDITOR, &story, now)
        .await
        .unwrap();
    let refused = editorial.start_live_page(TEST_EDITOR, &story, now).await;
    assert!(
        matches!(refused, Err(LiveError::Refused(Refusal::AlreadyLive))),
        "{refused:?}"
    );
    let post = editorial
        .add_live_post(TEST_EDITOR, &story, typed("The vote is at six."), now)
        .await
        .unwrap();
    let refused = editorial
        .end_live_page(TEST_EDITOR, &story, "  ", now)
        .await;
    assert!(
        matches!(&refused, Err(LiveError::Field(p)) if p.field == "summary"),
        "{refused:?}"
    );
    editorial
        .end_live_page(TEST_EDITOR, &story, "The budget passed.", now + 1)
        .await
        .unwrap();

    let before = written(&app, story.id).await;
    let refused = editorial
        .add_live_post(TEST_EDITOR, &story, typed("Too late."), now + 2)
        .await;
    assert!(
        matches!(refused, Err(LiveError::Refused(Refusal::Ended))),
        "{refused:?}"
    );
    let refused = editorial
        .add_live_post(REPORTER, &story, typed("Too late."), now + 2)
        .await;
    assert!(
        matches!(refused, Err(LiveError::Refused(Refusal::Ended))),
        "{refused:?}"
    );
    let refused = editorial
        .edit_live_post(TEST_EDITOR, &story, post, typed("Changed."), now + 2)
        .await;
    assert!(
        matches!(refused, Err(LiveError::Refused(Refusal::Ended))),
        "{refused:?}"
    );
    let refused = editorial
        .delete_live_post(TEST_EDITOR, &story, post, now + 2)
        .await;
    assert!(
        matches!(refused, Err(LiveError::Refused(Refusal::Ended))),
        "{refused:?}"
    );
    let refused = editorial
        .end_live_page(TEST_EDITOR, &story, "Again.", now + 2)
        .await;
    assert!(
        matches!(refused, Err(LiveError::Refused(Refusal::Ended))),
        "{refused:?}"
    );
    assert_eq!(written(&app, story.id).await, before, "nothing written");
    let page = app.store.live_page(story.id).await.unwrap().unwrap();
    assert_eq!(page.summary, "The budget passed.");
    let posts = app.store.live_posts_for_newsroom(story.id).await.unwrap();
    assert_eq!(posts[0].body, "The vote is at six.");

    // A post of another story is not this page's to change.
    let other = published_story(&app, "Ferry strike called off").await;
    editorial
        .start_live_page(TEST_EDITOR, &other, now)
        .await
        .unwrap();
    let refused = editorial
        .pin_live_post(TEST_EDITOR, &other, post, true, now)
        .await;
    assert!(
        matches!(refused, Err(LiveError::Refused(Refusal::NoSuchPost))),
        "{refused:?}"
    );
}

async fn an_oversize_post_is_refused_with_nothing_written(app: TestApp) {
    let story = published_story(&app, "Election night").await;
    let editorial = app.state.editorial();
    let now = app.clock.now();
    editorial
        .start_live_page(TEST_EDITOR, &story, now)
        .await
        .unwrap();

    let before = written(&app, story.id).await;
    let long = "a".repeat(5_001);
    let refused = editorial
        .add_live_post(TEST_EDITOR, &story, typed(&long), now)
        .await;
    let Err(LiveError::Field(problem)) = refused else {
        panic!("an oversize post is refused: {refused:?}");
    };
    assert_eq!(problem.field, "body");
    assert!(
        problem.message.contains("at most 5,000 characters"),
        "{}",
        problem.message
    );
    let refused = editorial
        .add_live_post(
            TEST_EDITOR,
            &story,
            TypedPost {
                body: "A photo.",
                image_id: Some(1),
                alt: " ",
                byline: "",
            },
            now,
        )
        .await;
    assert!(
        matches!(&refused, Err(LiveError::Field(p)) if p.field == "alt"),
        "{refused:?}"
    );
    assert_eq!(written(&app, story.id).await, before, "nothing written");

    let fits = "a".repeat(5_000);
    editorial
        .add_live_post(TEST_EDITOR, &story, typed(&fits), now)
        .await
        .unwrap();
}

async fn an_embargoed_or_killed_live_page_shows_no_posts(app: TestApp) {
    let editorial = app.state.editorial();
    let now = app.clock.now();

    let killed = published_story(&app, "Court case live").await;
    editorial
        .start_live_page(TEST_EDITOR, &killed, now)
        .await
        .unwrap();
    editorial
        .add_live_post(TEST_EDITOR, &killed, typed("The jury is out."), now)
        .await
        .unwrap();
    assert!(app
        .store
        .public_live_page(killed.id, now, 50)
        .await
        .unwrap()
        .is_some());
    editorial
        .kill(TEST_EDITOR, &killed, "legal advice", now + 1)
        .await
        .unwrap();
    assert!(app
        .store
        .public_live_page(killed.id, now + 1, 50)
        .await
        .unwrap()
        .is_none());
    assert!(app
        .store
        .public_live_posts_since(killed.id, 0, now + 1, 50)
        .await
        .unwrap()
        .is_none());

    let embargoed = published_story(&app, "Results live").await;
    editorial
        .start_live_page(TEST_EDITOR, &embargoed, now)
        .await
        .unwrap();
    editorial
        .add_live_post(TEST_EDITOR, &embargoed, typed("Counting begins."), now)
        .await
        .unwrap();
    let until = now + 3_600;
    let content = embargoed.content.clone();
    let edit = Edit {
        content: &content,
        base_revision: None,
        embargo: Some(until),
        request: EditRequest::Save,
    };
    editorial
        .save(TEST_EDITOR, Some(&embargoed), edit, now + 1)
        .await
        .unwrap();
    assert!(app
        .store
        .public_live_page(embargoed.id, now + 1, 50)
        .await
        .unwrap()
        .is_none());
    assert!(app
        .store
        .public_live_posts_since(embargoed.id, 0, now + 1, 50)
        .await
        .unwrap()
        .is_none());
    // The embargo's end brings them back by the same rule.
    let page = app
        .store
        .public_live_page(embargoed.id, until, 50)
        .await
        .unwrap()
        .expect("public again");
    assert_eq!(page.posts.len(), 1);
}

/// Publishing a published post (two editors at once, a resent form) is refused
/// inside the transaction: one publication, one change for readers.
async fn a_post_is_published_once(app: TestApp) {
    let story = published_story(&app, "Vote count live").await;
    let editorial = app.state.editorial();
    let now = app.clock.now();
    editorial
        .start_live_page(TEST_EDITOR, &story, now)
        .await
        .unwrap();
    let post = editorial
        .add_live_post(REPORTER, &story, typed("Turnout is high."), now)
        .await
        .unwrap();
    let (a, b) = tokio::join!(
        editorial.publish_live_post(TEST_EDITOR, &story, post, now),
        editorial.publish_live_post(TEST_EDITOR, &story, post, now)
    );
    let refused = [&a, &b]
        .iter()
        .filter(|r| matches!(r, Err(LiveError::Refused(Refusal::AlreadyPublished))))
        .count();
    assert!(a.is_ok() != b.is_ok(), "{a:?} {b:?}");
    assert_eq!(refused, 1);
    let changes = app
        .store
        .public_live_changes_since(story.id, 0, now, 50)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(changes.iter().filter(|c| c.kind == "publish").count(), 1);
}
