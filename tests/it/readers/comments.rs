//! "Have your say" over HTTP on both databases: editors' settings, posting and replying, pre- and post-moderation through the newsroom's queue (approve, reject, bar, each in the audit log), a bar that holds on another node at once, rate limits, unverified readers refused, comments escaped with their links `nofollow ugc`, the comments page paged and cached under its own key, and a comment never dropping the cached article.

use crate::helpers::{at, full_story, TestApp};
use crate::on_both_databases;
use crate::readers::pages::signed_in;
use crate::staff::Browser;
use dateline::domain::user::Role;
use std::sync::atomic::Ordering;

const T0: &str = "2026-02-01T09:00:00Z";

/// A public story with comments in `mode` ("pre", "post", "off"), set by an
/// editor through the newsroom; returns its id, article and comments paths.
async fn story_with_comments(
    app: &TestApp,
    editor: &Browser,
    headline: &str,
    mode: &str,
) -> (i64, String, String) {
    let id = app
        .publish(
            &full_story(app.section_id("europe"), None, headline),
            at(T0),
        )
        .await;
    let slug = dateline::domain::slug::slugify(headline);
    let article = format!("/news/europe/{slug}-{id}");
    let set = editor
        .post(
            app,
            &format!("/newsroom/stories/{id}/comments"),
            &[("mode", mode)],
        )
        .await;
    assert_eq!(set.status(), 303);
    (id, article.clone(), format!("{article}/comments"))
}

async fn comment(app: &TestApp, reader: &Browser, story: i64, body: &str) -> reqwest::Response {
    reader
        .post(
            app,
            "/account/comments",
            &[("story", &story.to_string()), ("body", body)],
        )
        .await
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or("")
        .to_string()
}

async fn reader_id(app: &TestApp, email: &str) -> i64 {
    app.store
        .reader_by_email(email)
        .await
        .unwrap()
        .expect("reader")
        .id
}

async fn comment_id(app: &TestApp, body: &str) -> i64 {
    let sql = "SELECT id FROM comments WHERE body = $1";
    let id: Result<i64, sqlx::Error> = match &app.store {
        dateline::store::Store::Sqlite(pool, _) => {
            sqlx::query_scalar(sql).bind(body).fetch_one(pool).await
        }
        dateline::store::Store::Postgres(pool) => {
            sqlx::query_scalar(sql).bind(body).fetch_one(pool).await
        }
    };
    id.expect("the comment is stored")
}

async fn audit_has(app: &TestApp, action: &str, detail: &str) -> bool {
    app.store
        .audit_entries(None, 100)
        .await
        .unwrap()
        .iter()
        .any(|e| e.action == action && e.detail.contains(detail))
}

async fn pre_moderated_comments_wait_for_a_moderator(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let (id, article, comments) =
        story_with_comments(&app, &editor, "Harbour wall repaired", "pre").await;
    assert!(audit_has(&app, "comment settings", "before they appear").await);
    // The article links to its comments; the page says who may post.
    let (_, page) = app.page(&article).await;
    assert!(page.contains(&format!("href=\"{comments}\"")), "{page}");
    assert!(page.contains("Have your say: 0 comments"));
    let (status, page) = app.page(&comments).await;
    assert_eq!(status, 200);
    assert!(page.contains("Sign in to have your say"));

    let reader = signed_in(&app, "pre@example.net", "Pre Reader").await;
    let (_, page) = reader.get(&app, &comments).await;
    assert!(page.contains("action=\"/account/comments\""), "{page}");
    let posted = comment(&app, &reader, id, "Waiting for a moderator, this one.").await;
    assert_eq!(posted.status(), 303);
    assert_eq!(location(&posted), format!("{comments}?done=pending"));
    let (_, page) = reader.get(&app, &location(&posted)).await;
    assert!(page.contains("once a moderator has checked it"));
    // Invisible to everyone until approved.
    for page in [
        app.page(&comments).await.1,
        reader.get(&app, &comments).await.1,
    ] {
        assert!(!page.contains("Waiting for a moderator, this one."));
    }
    let rejected_text = "Spam, spam, spam and spam.";
    assert_eq!(
        comment(&app, &reader, id, rejected_text).await.status(),
        303
    );

    // The queue shows both; approving one publishes it.
    let (status, queue) = editor.get(&app, "/newsroom/comments").await;
    assert_eq!(status, 200);
    assert!(queue.contains("Waiting for a moderator, this one.") && queue.contains(rejected_text));
    let good = comment_id(&app, "Waiting for a moderator, this one.").await;
    let bad = comment_id(&app, rejected_text).await;
    let approved = editor
        .post(
            &app,
            &format!("/newsroom/comments/{good}/approve"),
            &[("reason", "on topic")],
        )
        .await;
    assert_eq!(approved.status(), 303);
    assert!(location(&approved).starts_with("/newsroom/comments?notice="));
    assert!(audit_has(&app, "approve comment", "on topic").await);
    let (_, page) = app.page(&comments).await;
    assert!(
        page.contains("Waiting for a moderator, this one."),
        "{page}"
    );
    assert!(page.contains("Pre Reader"));

    // Rejecting needs a reason; without one nothing changes.
    let no_reason = editor
        .post(
            &app,
            &format!("/newsroom/comments/{bad}/reject"),
            &[("reason", " ")],
        )
        .await;
    assert_eq!(no_reason.status(), 303);
    assert!(location(&no_reason).contains("Nothing+was+changed"));
    assert!(editor
        .get(&app, "/newsroom/comments")
        .await
        .1
        .contains(rejected_text));
    let rejected = editor
        .post(
            &app,
            &format!("/newsroom/comments/{bad}/reject"),
            &[("reason", "advertising")],
        )
        .await;
    assert_eq!(rejected.status(), 303);
    assert!(audit_has(&app, "reject comment", "advertising").await);
    // A rejected comment never appears, and the queue is empty.
    for page in [
        app.page(&comments).await.1,
        app.page(&format!("{comments}?order=oldest")).await.1,
        reader.get(&app, &comments).await.1,
    ] {
        assert!(!page.contains(rejected_text));
    }
    assert!(editor
        .get(&app, "/newsroom/comments")
        .await
        .1
        .contains("Nothing is waiting"));
    // The reader's history lists both, with what became of them.
    let rid = reader_id(&app, "pre@example.net").await;
    let (_, history) = editor.get(&app, &format!("/newsroom/readers/{rid}")).await;
    assert!(
        history.contains(rejected_text)
            && history.contains("Rejected")
            && history.contains("Published")
    );

    // The count reaches the article when the scheduler has counted and the article is next rendered.
    assert_eq!(
        app.store.refresh_comment_counts(100).await.unwrap(),
        vec![id]
    );
    assert_eq!(app.store.comment_settings(id).await.unwrap().shown_count, 1);
    app.state.cache.clear();
    app.state.records.clear();
    assert!(app
        .page(&article)
        .await
        .1
        .contains("Have your say: 1 comment<"));
}

async fn post_moderated_comments_show_at_once_and_reports_reach_the_queue(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let (id, _, comments) = story_with_comments(&app, &editor, "Ferry fares frozen", "post").await;
    let reader = signed_in(&app, "post@example.net", "Post Reader").await;
    let posted = comment(&app, &reader, id, "First!").await;
    assert_eq!(posted.status(), 303);
    let cid = comment_id(&app, "First!").await;
    assert_eq!(
        location(&posted),
        format!("{comments}?done=posted#comment-{cid}")
    );
    assert!(app.page(&comments).await.1.contains("First!"));

    // A reply goes under its comment; a reply to a reply goes under the same one.
    let other = signed_in(&app, "other@example.net", "Other Reader").await;
    let reply = other
        .post(
            &app,
            "/account/comments",
            &[
                ("story", &id.to_string()),
                ("parent", &cid.to_string()),
                ("body", "A reply."),
            ],
        )
        .await;
    assert_eq!(reply.status(), 303);
    let rid = comment_id(&app, "A reply.").await;
    let deeper = reader
        .post(
            &app,
            "/account/comments",
            &[
                ("story", &id.to_string()),
                ("parent", &rid.to_string()),
                ("body", "A reply to the reply."),
            ],
        )
        .await;
    assert_eq!(deeper.status(), 303);
    let parent: Option<i64> = app
        .store
        .comment(comment_id(&app, "A reply to the reply.").await)
        .await
        .unwrap()
        .unwrap()
        .parent_id;
    assert_eq!(parent, Some(cid), "one level deep");
    let (_, page) = app.page(&comments).await;
    assert!(page.contains("3 comments"), "{page}");
    let replies = page
        .split("class=\"replies\"")
        .nth(1)
        .expect("replies listed");
    assert!(replies.contains("A reply.") && replies.contains("A reply to the reply."));
    // A reply to a comment on another story, or to nothing, is refused.
    let nowhere = other
        .post(
            &app,
            "/account/comments",
            &[
                ("story", &id.to_string()),
                ("parent", "999999"),
                ("body", "Lost."),
            ],
        )
        .await;
    assert_eq!(nowhere.status(), 409);

    // Reporting puts a published comment in the queue with the reason; keeping it clears that.
    let reported = other
        .post(
            &app,
            "/account/comments/report",
            &[
                ("comment", &cid.to_string()),
                ("reason", "Rude <b>words</b>"),
            ],
        )
        .await;
    assert_eq!(reported.status(), 303);
    assert_eq!(location(&reported), format!("{comments}?done=reported"));
    let (_, queue) = editor.get(&app, "/newsroom/comments").await;
    assert!(
        queue.contains("reported once") && queue.contains("Rude &#60;b&#62;words&#60;/b&#62;"),
        "{queue}"
    );
    editor
        .post(&app, &format!("/newsroom/comments/{cid}/approve"), &[])
        .await;
    assert!(editor
        .get(&app, "/newsroom/comments")
        .await
        .1
        .contains("Nothing is waiting"));
    assert!(app.page(&comments).await.1.contains("First!"));

    // Closed: the comments still show, no new ones; off: no comments page at all.
    editor
        .post(
            &app,
            &format!("/newsroom/stories/{id}/comments"),
            &[("mode", "post"), ("closed", "yes")],
        )
        .await;
    let (_, page) = reader.get(&app, &comments).await;
    assert!(page.contains("Comments on this story are closed") && page.contains("First!"));
    let closed = comment(&app, &reader, id, "Too late.").await;
    assert_eq!(closed.status(), 409);
    assert!(closed
        .text()
        .await
        .unwrap()
        .contains("Comments on this story are closed"));
    editor
        .post(
            &app,
            &format!("/newsroom/stories/{id}/comments"),
            &[("mode", "off")],
        )
        .await;
    assert_eq!(app.page(&comments).await.0, 404);
    assert_eq!(
        comment(&app, &reader, id, "Nobody hears.").await.status(),
        404
    );
}

async fn comments_are_text_and_their_links_nofollow(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let (id, _, comments) = story_with_comments(&app, &editor, "Council votes", "post").await;
    let name = "<img src=x onerror=alert(1)>";
    let reader = signed_in(&app, "xss@example.net", name).await;
    let body = "<script>alert(1)</script> <b>bold</b>\nsee https://example.org/a?b=1&c=2 and javascript:alert(2)";
    assert_eq!(comment(&app, &reader, id, body).await.status(), 303);
    for page in [
        app.page(&comments).await.1,
        reader.get(&app, &comments).await.1,
    ] {
        assert!(
            !page.contains("<script>alert")
                && !page.contains("<b>bold")
                && !page.contains("<img src=x"),
            "{page}"
        );
        assert!(
            page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{page}"
        );
        assert!(
            page.contains("&#60;img src=x onerror=alert(1)&#62;")
                || page.contains("&lt;img src=x onerror=alert(1)&gt;")
        );
        assert!(page.contains(
            "<a href=\"https://example.org/a?b=1&amp;c=2\" rel=\"nofollow ugc\">https://example.org/a?b=1&amp;c=2</a>"
        ));
        assert!(!page.contains("href=\"javascript"));
    }
    // Too long, or empty: the form again with the problem and the text as typed.
    let long = "x".repeat(2_001);
    let refused = comment(&app, &reader, id, &long).await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(page.contains("at most 2,000 characters") && page.contains(&long));
    assert_eq!(comment(&app, &reader, id, " \n ").await.status(), 422);
    assert_eq!(
        comment(&app, &reader, id, &"y".repeat(2_000))
            .await
            .status(),
        303
    );
}

async fn readers_who_may_not_post_are_told_why(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let (id, _, comments) = story_with_comments(&app, &editor, "Tram line opens", "post").await;
    // No session: to the sign-in; no token or a wrong one: refused.
    let anonymous = app
        .client
        .post(format!("{}/account/comments", app.base))
        .form(&[("story", id.to_string()), ("body", "Anonymous".into())])
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 303);
    assert!(location(&anonymous).starts_with("/account/sign-in"));
    let reader = signed_in(&app, "unverified@example.net", "Unverified").await;
    let no_token = reader
        .post_raw(
            &app,
            "/account/comments",
            &[("story", &id.to_string()), ("body", "No token")],
        )
        .await;
    assert_eq!(no_token.status(), 403);
    // An address no longer verified (as after a change of address in progress) cannot post.
    app.execute("UPDATE readers SET verified_at = NULL WHERE email = 'unverified@example.net'")
        .await;
    let refused = comment(&app, &reader, id, "Unverified words").await;
    assert_eq!(refused.status(), 403);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("Verify your e-mail address"));
    assert!(!app.page(&comments).await.1.contains("Unverified words"));
    assert!(!app.page(&comments).await.1.contains("No token"));
}

async fn a_bar_holds_on_every_node_at_once(app: TestApp) {
    let other_node = app.another_node().await;
    let editor = app.staff(Role::Editor).await;
    let (id, _, comments) = story_with_comments(&app, &editor, "Bridge closes", "post").await;
    let reader = signed_in(&app, "barred@example.net", "Barred Reader").await;
    // Both nodes take the reader's comments and serve the page.
    assert_eq!(
        comment(&app, &reader, id, "From node one.").await.status(),
        303
    );
    assert_eq!(
        comment(&other_node, &reader, id, "From node two.")
            .await
            .status(),
        303
    );
    assert!(other_node
        .page(&comments)
        .await
        .1
        .contains("From node one."));
    assert_eq!(
        comment(&app, &reader, id, "Still pending?").await.status(),
        303
    );
    // A waiting comment on a pre-moderated story is rejected with the bar.
    let (pre, _, _) = story_with_comments(&app, &editor, "Quay reopens", "pre").await;
    assert_eq!(
        comment(&app, &reader, pre, "Waiting when barred.")
            .await
            .status(),
        303
    );

    let rid = reader_id(&app, "barred@example.net").await;
    let barred = editor
        .post(
            &app,
            &format!("/newsroom/readers/{rid}/ban"),
            &[("reason", "abuse of other readers"), ("back", "reader")],
        )
        .await;
    assert_eq!(barred.status(), 303);
    assert!(location(&barred).starts_with(&format!("/newsroom/readers/{rid}?notice=")));
    assert!(audit_has(&app, "ban reader", "abuse of other readers").await);
    // The reader has posted four times this minute, and the attempts below (a comment and
    // a report on each node) count too: with the nodes' counts summed (they are, within a
    // second), the per-account limit of five a minute would answer 429 before the bar is
    // read. The bar is what is tested here: both nodes move on to the same next minute.
    let next_minute = app.clock.now() + 60;
    app.clock.set(next_minute);
    other_node.clock.set(next_minute);
    // Without waiting for anything, neither node takes another comment, and says why.
    for node in [&other_node, &app] {
        let refused = comment(node, &reader, id, "After the bar.").await;
        assert_eq!(refused.status(), 403);
        let page = refused.text().await.unwrap();
        assert!(
            page.contains("You can no longer comment") && page.contains("abuse of other readers"),
            "{page}"
        );
        let report = reader
            .post(
                node,
                "/account/comments/report",
                &[(
                    "comment",
                    &comment_id(&app, "From node one.").await.to_string(),
                )],
            )
            .await;
        assert_eq!(report.status(), 403);
    }
    assert_eq!(
        app.store
            .comment(comment_id(&app, "Waiting when barred.").await)
            .await
            .unwrap()
            .unwrap()
            .status,
        "rejected"
    );
    let (_, history) = editor.get(&app, &format!("/newsroom/readers/{rid}")).await;
    assert!(
        history.contains("Barred from commenting since")
            && history.contains("abuse of other readers")
    );
    drop(other_node);
}

async fn comment_limits_hold_per_reader_and_per_address(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let (id, _, _) = story_with_comments(&app, &editor, "Market day", "post").await;
    app.advance_minute();
    let reader = signed_in(&app, "chatty@example.net", "Chatty").await;
    for n in 0..5 {
        assert_eq!(
            comment(&app, &reader, id, &format!("Comment {n}"))
                .await
                .status(),
            303
        );
    }
    let limited = comment(&app, &reader, id, "One too many").await;
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
    let page = limited.text().await.unwrap();
    assert!(page.contains("please wait") && page.contains("One too many"));
    // Per address: many readers from one address, 20 a minute in all.
    let mut readers = Vec::new();
    for n in 0..4 {
        readers.push(signed_in(&app, &format!("crowd{n}@example.net"), "Crowd").await);
    }
    let mut accepted = 0;
    for r in &readers {
        for n in 0..5 {
            if comment(&app, r, id, &format!("Crowd {n}")).await.status() == 303 {
                accepted += 1;
            }
        }
    }
    // The first reader's six attempts counted against the address too.
    assert_eq!(accepted, 20 - 6);
    app.advance_minute();
    assert_eq!(
        comment(&app, &reader, id, "A minute later").await.status(),
        303
    );
}

async fn a_comment_never_drops_the_cached_article(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let (id, article, comments) = story_with_comments(&app, &editor, "Pier lights", "post").await;
    // The settings' own log row is followed first: it does name the article.
    app.follower_read_log().await;
    app.clock.advance(1);
    let hits = || app.state.cache.hits.load(Ordering::SeqCst);
    let first = app.page(&article).await.1;
    app.page(&comments).await;
    let before = hits();
    assert_eq!(app.page(&article).await.1, first);
    assert_eq!(app.page(&comments).await.0, 200);
    assert_eq!(hits(), before + 2, "both pages come from the cache");
    let comments_response = app.get(&comments).await;
    let keys = comments_response.headers()["surrogate-key"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        keys.split(' ').any(|k| k == format!("comments-{id}")),
        "{keys}"
    );
    assert!(comments_response.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("public"));

    let reader = signed_in(&app, "pier@example.net", "Pier Reader").await;
    let private = reader.get_response(&app, &comments).await;
    assert_eq!(private.headers()["cache-control"], "private, no-store");
    assert_eq!(
        comment(&app, &reader, id, "Lovely lights.").await.status(),
        303
    );
    app.follower_read_log().await;
    app.store.refresh_comment_counts(100).await.unwrap();
    // The article is still the cached copy; the comments page shows the comment.
    let before = hits();
    assert_eq!(app.page(&article).await.1, first);
    assert_eq!(hits(), before + 1, "the article was not dropped");
    let (_, page) = app.page(&comments).await;
    assert!(page.contains("Lovely lights."));
    // Anonymous pages carry nothing of the reader's forms.
    assert!(!page.contains("Pier Reader\n") && !page.contains(&reader.csrf));
}

async fn the_export_lists_comments_and_deleting_the_account_removes_them(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let (id, _, comments) = story_with_comments(&app, &editor, "Library hours", "post").await;
    let reader = signed_in(&app, "leaver@example.net", "Leaver").await;
    let other = signed_in(&app, "stayer@example.net", "Stayer").await;
    assert_eq!(
        comment(&app, &reader, id, "Mine, then gone.")
            .await
            .status(),
        303
    );
    assert_eq!(
        comment(&app, &other, id, "Mine, and kept.").await.status(),
        303
    );
    let mine = comment_id(&app, "Mine, then gone.").await;
    app.follower_read_log().await;
    assert!(app.page(&comments).await.1.contains("Mine, then gone."));
    let kept = comment_id(&app, "Mine, and kept.").await;
    reader
        .post(
            &app,
            "/account/comments/report",
            &[("comment", &kept.to_string()), ("reason", "off topic")],
        )
        .await;
    let (status, data) = reader.get(&app, "/account/data.json").await;
    assert_eq!(status, 200);
    let data: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert_eq!(data["comments"][0]["id"], mine);
    assert_eq!(data["comments"][0]["text"], "Mine, then gone.");
    assert_eq!(data["comment_reports"][0]["comment_id"], kept);
    assert_eq!(data["comment_reports"][0]["reason"], "off topic");

    let rid = reader_id(&app, "leaver@example.net").await;
    app.store.delete_reader(rid).await.unwrap();
    assert_eq!(app.count_rows("comment_reports").await, 0);
    assert_eq!(app.count_rows("comments").await, 1);
    // Every node, this one too, drops the comments page it had cached.
    app.follower_read_log().await;
    let (_, page) = app.page(&comments).await;
    assert!(!page.contains("Mine, then gone.") && page.contains("Mine, and kept."));
}

on_both_databases!(
    the_export_lists_comments_and_deleting_the_account_removes_them,
    pre_moderated_comments_wait_for_a_moderator,
    post_moderated_comments_show_at_once_and_reports_reach_the_queue,
    comments_are_text_and_their_links_nofollow,
    readers_who_may_not_post_are_told_why,
    a_bar_holds_on_every_node_at_once,
    comment_limits_hold_per_reader_and_per_address,
    a_comment_never_drops_the_cached_article,
    a_comment_on_a_story_killed_meanwhile_is_not_stored,
);

/// The story's visibility is read inside the posting transaction: a comment
/// sent after a kill (the reader's page read before it) stores nothing.
async fn a_comment_on_a_story_killed_meanwhile_is_not_stored(app: TestApp) {
    use dateline::domain::comment::Mode;
    use dateline::store::{NewComment, Posted};
    let id = app
        .publish(
            &full_story(app.section_id("europe"), None, "Killed mid-thread"),
            app.clock.now(),
        )
        .await;
    app.store
        .set_comment_settings(id, Mode::PostModerated, false, "test", "", app.clock.now())
        .await
        .unwrap();
    let reader_id = app
        .verified_reader(
            "late.commenter@example.net",
            "Late Commenter",
            crate::readers::visitor::READER_PASSWORD,
        )
        .await;
    let new = NewComment {
        story_id: id,
        reader_id,
        parent_id: None,
        body: "Posted before the kill.",
        at: app.clock.now(),
    };
    assert!(matches!(
        app.store.post_comment(&new).await.unwrap(),
        Posted::Stored { .. }
    ));
    let story = app.store.story(id).await.unwrap().unwrap();
    app.state
        .editorial()
        .kill(
            crate::helpers::TEST_EDITOR,
            &story,
            "legal",
            app.clock.now(),
        )
        .await
        .unwrap();
    let late = NewComment {
        body: "Posted after the kill.",
        ..new
    };
    assert!(matches!(
        app.store.post_comment(&late).await.unwrap(),
        Posted::StoryNotPublic
    ));
    let stored = app.store.comment_page(id, true, 50, 0).await.unwrap();
    assert_eq!(stored.comments.len(), 1, "only the comment before the kill");
}
