//! The live page's screen in the newsroom, over HTTP: a reporter's post waits
//! and an editor publishes it (the page's key is logged, the audit row
//! written); editors edit, pin, delete and end; reporters are refused the
//! editors' actions (403); oversize posts, posts on a story that is not live
//! and posts after the end come back as the form with the text as typed; and
//! the XSS corpus typed into a post's text, byline and alt text is inert.

use crate::helpers::{full_story, TestApp};
use crate::on_both_databases;
use crate::staff::Browser;
use dateline::domain::user::Role;
use reqwest::multipart::{Form, Part};
use scraper::{Html, Selector};

on_both_databases!(
    a_reporters_post_waits_until_an_editor_publishes_it,
    editors_edit_pin_and_delete_posts,
    pictures_are_uploaded_or_chosen_and_never_lost,
    reporters_are_refused_the_editors_actions,
    ending_takes_a_summary_and_closes_the_page,
    bad_posts_come_back_with_the_text_as_typed,
    hostile_posts_are_inert_on_the_newsroom_pages,
);

fn desk(id: i64) -> String {
    format!("/newsroom/stories/{id}/live")
}

fn post_page(id: i64, post_id: i64) -> String {
    format!("/newsroom/stories/{id}/live/posts/{post_id}")
}

async fn published_story(app: &TestApp, headline: &str) -> i64 {
    let content = full_story(app.section_id("europe"), None, headline);
    app.publish(&content, app.clock.now()).await
}

/// A published story made a live page by `editor` through the page's button.
async fn live_story(app: &TestApp, editor: &Browser, headline: &str) -> i64 {
    let id = published_story(app, headline).await;
    let started = editor.post(app, &format!("{}/start", desk(id)), &[]).await;
    assert_eq!(started.status(), 303);
    id
}

/// A PNG picture, generated.
fn png(width: u32, height: u32) -> Vec<u8> {
    let picture =
        image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        }));
    let mut out = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}

/// POSTs a post's multipart form with the token, these fields and maybe a picture.
async fn send_post(
    app: &TestApp,
    who: &Browser,
    path: &str,
    fields: &[(&str, &str)],
    picture: Option<Vec<u8>>,
) -> reqwest::Response {
    let mut form = Form::new().text("csrf", who.csrf.clone());
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    if let Some(bytes) = picture {
        form = form.part("picture", Part::bytes(bytes).file_name("harbour.png"));
    }
    who.post_multipart(app, path, form).await
}

/// Writes a post with this text on story `id`'s live page.
async fn write(app: &TestApp, who: &Browser, id: i64, body: &str) -> reqwest::Response {
    send_post(
        app,
        who,
        &format!("{}/posts", desk(id)),
        &[("body", body)],
        None,
    )
    .await
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_string()
}

/// The notice a "see other" carries, decoded.
fn notice(response: &reqwest::Response) -> String {
    let location = location(response);
    let query = location.split_once('?').map(|x| x.1).unwrap_or("");
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "notice")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// The ids of story `id`'s posts in the newsroom, newest written first.
async fn post_ids(app: &TestApp, id: i64) -> Vec<i64> {
    app.store
        .live_posts_for_newsroom(id)
        .await
        .unwrap()
        .iter()
        .map(|p| p.id)
        .collect()
}

/// Whether the invalidation log named story `id`'s page after row `mark`.
async fn logged_since(app: &TestApp, mark: i64, id: i64) -> bool {
    let key = format!("story-{id}");
    let end = app.store.last_invalidation().await.unwrap();
    app.store
        .invalidations_between(mark + 1, end)
        .await
        .unwrap()
        .iter()
        .any(|i| i.keys.split(' ').any(|k| k == key))
}

async fn newest_audit(app: &TestApp) -> (String, String) {
    let row = app.store.audit_entries(None, 1).await.unwrap().remove(0);
    (row.actor, row.action)
}

async fn a_reporters_post_waits_until_an_editor_publishes_it(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let reporter = app.staff(Role::Reporter).await;
    let id = published_story(&app, "Storm reaches the coast").await;

    let (status, page) = editor.get(&app, &desk(id)).await;
    assert_eq!(status, 200);
    assert!(page.contains("not a live page") && page.contains("Start live page"));
    let started = editor.post(&app, &format!("{}/start", desk(id)), &[]).await;
    assert_eq!(started.status(), 303);
    assert!(location(&started).starts_with(&desk(id)));
    assert!(notice(&started).contains("now a live page"));
    assert!(app.store.live_page(id).await.unwrap().is_some());
    assert_eq!(newest_audit(&app).await.1, "live page start");

    // The reporter writes: the post waits, and nothing public changes.
    let (status, page) = reporter.get(&app, &desk(id)).await;
    assert_eq!(status, 200);
    assert!(page.contains("Send to an editor") && !page.contains("Start live page"));
    let mark = app.store.last_invalidation().await.unwrap();
    let written = send_post(
        &app,
        &reporter,
        &format!("{}/posts", desk(id)),
        &[
            ("body", "Roads are closed near the harbour."),
            ("byline", "Jo Reporter"),
        ],
        None,
    )
    .await;
    assert_eq!(written.status(), 303);
    assert!(notice(&written).contains("waits for an editor"));
    let posts = app.store.live_posts_for_newsroom(id).await.unwrap();
    assert_eq!(posts.len(), 1);
    let post = &posts[0];
    assert_eq!(
        (post.published_at, post.byline.as_str()),
        (None, "Jo Reporter")
    );
    assert!(
        !logged_since(&app, mark, id).await,
        "a waiting post purges nothing"
    );
    let public = app
        .store
        .public_live_page(id, app.clock.now(), 50)
        .await
        .unwrap()
        .expect("a public live page");
    assert!(public.posts.is_empty());
    assert_eq!(newest_audit(&app).await.1, "live post write");

    // The reporter sees it waiting, without a Publish button; the editor has one.
    let publish = format!("{}/publish", post_page(id, post.id));
    let (_, page) = reporter.get(&app, &desk(id)).await;
    assert!(page.contains("waiting for an editor") && page.contains("Roads are closed"));
    assert!(!page.contains(&publish));
    let (_, page) = editor.get(&app, &desk(id)).await;
    assert!(page.contains("waiting for an editor") && page.contains(&publish));
    assert!(page.contains("1 post waits for an editor"));

    let published = editor.post(&app, &publish, &[]).await;
    assert_eq!(published.status(), 303);
    assert_eq!(notice(&published), "Post published.");
    assert!(
        logged_since(&app, mark, id).await,
        "publishing purges the page"
    );
    let (actor, action) = newest_audit(&app).await;
    assert_eq!(
        (actor.as_str(), action.as_str()),
        (editor.email.as_str(), "live post publish")
    );
    let public = app
        .store
        .public_live_page(id, app.clock.now(), 50)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        public.posts.iter().map(|p| p.id).collect::<Vec<_>>(),
        [post.id]
    );
    let (_, page) = editor.get(&app, &desk(id)).await;
    assert!(!page.contains("waiting for an editor") && !page.contains(&publish));
    // A second press changes nothing.
    let audit_before = app.store.audit_entries(None, 1).await.unwrap()[0].id;
    let again = editor.post(&app, &publish, &[]).await;
    assert_eq!(notice(&again), "The post was already published.");
    assert_eq!(
        app.store.audit_entries(None, 1).await.unwrap()[0].id,
        audit_before
    );
    assert_eq!(
        app.store.live_post_revisions(post.id).await.unwrap().len(),
        2
    );

    // An editor's own post is published at once.
    let mark = app.store.last_invalidation().await.unwrap();
    let own = write(&app, &editor, id, "Winds of **90mph** recorded.").await;
    assert_eq!(
        (own.status().as_u16(), notice(&own).as_str()),
        (303, "Post published.")
    );
    assert!(logged_since(&app, mark, id).await);
    let (_, page) = editor.get(&app, &desk(id)).await;
    assert!(
        page.contains("Winds of <strong>90mph</strong> recorded."),
        "the post's markup is rendered"
    );
    // The story list marks the live page, and the editor links to it.
    let (_, list) = editor.get(&app, "/newsroom/stories?show=published").await;
    assert!(list.contains(&format!("href=\"/newsroom/stories/{id}/live\">LIVE</a>")));
    let (_, editor_page) = editor.get(&app, &format!("/newsroom/stories/{id}")).await;
    assert!(editor_page.contains(&format!("href=\"{}\"", desk(id))));
}

async fn editors_edit_pin_and_delete_posts(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let id = live_story(&app, &editor, "Floods in the valley").await;
    assert_eq!(
        write(&app, &editor, id, "The river has burst its banks.")
            .await
            .status(),
        303
    );
    let post_id = post_ids(&app, id).await[0];

    // The post's page holds the form, filled in.
    let (status, page) = editor.get(&app, &post_page(id, post_id)).await;
    assert_eq!(status, 200);
    assert!(
        field(&page, "body") == "The river has burst its banks.",
        "{page}"
    );
    assert!(page.contains("Revision 1: Published"));

    let mark = app.store.last_invalidation().await.unwrap();
    let edited = send_post(
        &app,
        &editor,
        &post_page(id, post_id),
        &[
            ("body", "The river burst its banks at dawn."),
            ("byline", "Sam Editor"),
        ],
        None,
    )
    .await;
    assert_eq!(edited.status(), 303);
    assert!(location(&edited).starts_with(&post_page(id, post_id)));
    assert!(
        logged_since(&app, mark, id).await,
        "an edit purges the page"
    );
    let post = app
        .store
        .live_posts_for_newsroom(id)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(
        (post.body.as_str(), post.byline.as_str()),
        ("The river burst its banks at dawn.", "Sam Editor")
    );
    assert_eq!(newest_audit(&app).await.1, "live post edit");
    let revisions = app.store.live_post_revisions(post_id).await.unwrap();
    assert_eq!(
        revisions
            .iter()
            .map(|r| r.kind.as_str())
            .collect::<Vec<_>>(),
        ["publish", "edit"]
    );
    let (_, page) = editor.get(&app, &post_page(id, post_id)).await;
    assert!(page.contains("Revision 2: Edited"));
    assert!(
        page.contains("<ins>"),
        "the change is shown word by word: {page}"
    );

    // Pin and unpin as a key point.
    let pin = format!("{}/pin", post_page(id, post_id));
    let pinned = editor.post(&app, &pin, &[("pinned", "yes")]).await;
    assert_eq!(notice(&pinned), "Pinned as a key point.");
    let public = app
        .store
        .public_live_page(id, app.clock.now(), 50)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        public.key_points.iter().map(|p| p.id).collect::<Vec<_>>(),
        [post_id]
    );
    let (_, page) = editor.get(&app, &desk(id)).await;
    assert!(page.contains("key point") && page.contains(">Unpin</button>"));
    let unpinned = editor.post(&app, &pin, &[("pinned", "no")]).await;
    assert_eq!(notice(&unpinned), "No longer a key point.");
    let public = app
        .store
        .public_live_page(id, app.clock.now(), 50)
        .await
        .unwrap()
        .unwrap();
    assert!(public.key_points.is_empty());

    // Delete asks for the box to be ticked.
    let delete = format!("{}/delete", post_page(id, post_id));
    let unconfirmed = editor.post(&app, &delete, &[]).await;
    assert_eq!(unconfirmed.status(), 303);
    assert!(notice(&unconfirmed).contains("tick the box"));
    assert_eq!(post_ids(&app, id).await, [post_id]);
    let mark = app.store.last_invalidation().await.unwrap();
    let deleted = editor.post(&app, &delete, &[("confirm", "yes")]).await;
    assert_eq!(
        (deleted.status().as_u16(), notice(&deleted).as_str()),
        (303, "Post deleted.")
    );
    assert!(location(&deleted).starts_with(&desk(id)));
    assert!(post_ids(&app, id).await.is_empty());
    assert!(
        logged_since(&app, mark, id).await,
        "a deletion purges the page"
    );
    assert_eq!(newest_audit(&app).await.1, "live post delete");
    assert_eq!(editor.get(&app, &post_page(id, post_id)).await.0, 404);
    // A second go at the deleted post is refused in words, not an error page.
    let again = editor.post(&app, &pin, &[("pinned", "yes")]).await;
    assert_eq!(again.status(), 303);
    assert!(
        notice(&again).contains("no such post"),
        "{}",
        notice(&again)
    );
}

async fn pictures_are_uploaded_or_chosen_and_never_lost(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let id = live_story(&app, &editor, "Fire at the docks").await;
    let path = format!("{}/posts", desk(id));

    // An upload without alt text: refused, but the picture is kept and the text too.
    let refused = send_post(
        &app,
        &editor,
        &path,
        &[
            ("body", "Smoke rises over the docks."),
            ("byline", "Ann Lee"),
        ],
        Some(png(400, 300)),
    )
    .await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(page.contains("Describe the picture for readers who cannot see it."));
    assert!(
        field(&page, "body") == "Smoke rises over the docks."
            && field(&page, "byline") == "Ann Lee"
    );
    let kept: i64 = field(&page, "image_id")
        .parse()
        .expect("the uploaded picture's number is in the form");
    assert!(app.store.image_meta(kept).await.unwrap().is_some());
    assert!(page.contains(&format!("/newsroom/images/{kept}/320")));
    assert!(post_ids(&app, id).await.is_empty());

    // Sent again with the alt text: the post has the picture.
    let kept_text = kept.to_string();
    let sent = send_post(
        &app,
        &editor,
        &path,
        &[
            ("body", "Smoke rises over the docks."),
            ("image_id", &kept_text),
            ("alt", "Black smoke above cranes"),
        ],
        None,
    )
    .await;
    assert_eq!(sent.status(), 303);
    let post = app
        .store
        .live_posts_for_newsroom(id)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(
        (post.image_id, post.image_alt.as_str()),
        (Some(kept), "Black smoke above cranes")
    );
    let (_, page) = editor.get(&app, &desk(id)).await;
    assert!(page.contains(&format!(
        "src=\"/newsroom/images/{kept}/320\" alt=\"Black smoke above cranes\""
    )));

    // An upload with its alt text works in one go; a stored picture can be chosen by number.
    let uploaded = send_post(
        &app,
        &editor,
        &path,
        &[("body", "Firefighters arrive."), ("alt", "A fire engine")],
        Some(png(200, 100)),
    )
    .await;
    assert_eq!(uploaded.status(), 303);
    let post = app
        .store
        .live_posts_for_newsroom(id)
        .await
        .unwrap()
        .remove(0);
    assert!(post.image_id.is_some_and(|i| i != kept));
    let stored = app.add_image(300, 200).await.to_string();
    let chosen = send_post(
        &app,
        &editor,
        &path,
        &[
            ("body", "The fire is out."),
            ("image_id", &stored),
            ("alt", "Wet ground"),
        ],
        None,
    )
    .await;
    assert_eq!(chosen.status(), 303);
    let post = app
        .store
        .live_posts_for_newsroom(id)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(post.image_id.map(|i| i.to_string()), Some(stored));

    // A number that is no stored picture, or no number at all.
    for typed in ["999999", "twelve"] {
        let refused = send_post(
            &app,
            &editor,
            &path,
            &[
                ("body", "Another post."),
                ("image_id", typed),
                ("alt", "Something"),
            ],
            None,
        )
        .await;
        assert_eq!(refused.status(), 422, "{typed}");
        let page = refused.text().await.unwrap();
        assert!(page.contains("stored picture"), "{typed}");
        assert_eq!(
            (field(&page, "image_id"), field(&page, "body")),
            (typed.to_string(), "Another post.".to_string())
        );
    }
    // Not a picture at all.
    let refused = send_post(
        &app,
        &editor,
        &path,
        &[("body", "A broken upload."), ("alt", "x")],
        Some(b"not a picture".to_vec()),
    )
    .await;
    assert_eq!(refused.status(), 422);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("The picture cannot be used: the file is not a JPEG, PNG or WebP picture."));
    assert_eq!(post_ids(&app, id).await.len(), 3);
}

async fn reporters_are_refused_the_editors_actions(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let reporter = app.staff(Role::Reporter).await;
    let id = live_story(&app, &editor, "Election night").await;
    assert_eq!(
        write(&app, &editor, id, "Polls have closed.")
            .await
            .status(),
        303
    );
    let post_id = post_ids(&app, id).await[0];
    let other = published_story(&app, "A story that is not live").await;

    // The post's page shows no forms to a reporter, and the desk no end form.
    let (status, page) = reporter.get(&app, &post_page(id, post_id)).await;
    assert_eq!(status, 200);
    assert!(!page.contains("Save the post") && !page.contains("Delete this post"));
    let (_, page) = reporter.get(&app, &desk(id)).await;
    assert!(!page.contains("End live page") && !page.contains("Pin as a key point"));
    // Another's story that is not a live page is not theirs to open.
    assert_eq!(reporter.get(&app, &desk(other)).await.0, 403);

    let audit_before = app.store.audit_entries(None, 1).await.unwrap()[0].id;
    let post = post_page(id, post_id);
    for (path, fields) in [
        (format!("{}/start", desk(other)), vec![]),
        (format!("{post}/publish"), vec![]),
        (format!("{post}/pin"), vec![("pinned", "yes")]),
        (format!("{post}/delete"), vec![("confirm", "yes")]),
        (format!("{}/end", desk(id)), vec![("summary", "All over.")]),
    ] {
        let answer = reporter.post(&app, &path, &fields).await;
        assert_eq!(answer.status(), 403, "{path}");
    }
    let edit = send_post(&app, &reporter, &post, &[("body", "Rewritten.")], None).await;
    assert_eq!(edit.status(), 403);
    assert_eq!(
        write(&app, &reporter, other, "Not live, not mine.")
            .await
            .status(),
        403
    );
    // Nothing happened.
    assert_eq!(
        app.store.audit_entries(None, 1).await.unwrap()[0].id,
        audit_before
    );
    let stored = app
        .store
        .live_posts_for_newsroom(id)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(
        (stored.body.as_str(), stored.pinned),
        ("Polls have closed.", false)
    );
    assert!(app
        .store
        .live_page(id)
        .await
        .unwrap()
        .unwrap()
        .ended_at
        .is_none());
    assert!(app.store.live_page(other).await.unwrap().is_none());
    // Without the token, even an editor is refused.
    let forged = editor
        .post_raw(&app, &format!("{post}/pin"), &[("pinned", "yes")])
        .await;
    assert_eq!(forged.status(), 403);
}

async fn ending_takes_a_summary_and_closes_the_page(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let id = live_story(&app, &editor, "Marathon day").await;
    assert_eq!(
        write(&app, &editor, id, "The runners are off.")
            .await
            .status(),
        303
    );
    let end = format!("{}/end", desk(id));

    let refused = editor.post(&app, &end, &[("summary", "  ")]).await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(page.contains("Write a closing summary"));
    assert!(page.contains("aria-invalid=\"true\" aria-describedby=\"summary-error\""));
    assert!(app
        .store
        .live_page(id)
        .await
        .unwrap()
        .unwrap()
        .ended_at
        .is_none());

    let mark = app.store.last_invalidation().await.unwrap();
    let ended = editor
        .post(
            &app,
            &end,
            &[("summary", "The winner crossed the line in 2:05.")],
        )
        .await;
    assert_eq!(ended.status(), 303);
    assert!(notice(&ended).contains("has ended"));
    let page_row = app.store.live_page(id).await.unwrap().unwrap();
    assert!(page_row.ended_at.is_some());
    assert_eq!(page_row.summary, "The winner crossed the line in 2:05.");
    assert!(logged_since(&app, mark, id).await);
    assert_eq!(newest_audit(&app).await.1, "live page end");

    let (_, page) = editor.get(&app, &desk(id)).await;
    assert!(
        page.contains("<strong>ended</strong>")
            && page.contains("The winner crossed the line in 2:05.")
    );
    assert!(!page.contains("Write a post") && !page.contains("End live page"));
    assert!(
        page.contains("The runners are off."),
        "the posts stay as an archive"
    );

    // A post after the end: refused in words, with the text as typed.
    let typed = "Late result: the wheelchair race record fell.";
    let late = write(&app, &editor, id, typed).await;
    assert_eq!(late.status(), 409);
    let page = late.text().await.unwrap();
    assert!(page.contains("This live page has ended"));
    assert_eq!(field(&page, "body"), typed);
    assert_eq!(post_ids(&app, id).await.len(), 1);
    // Ending twice is refused too, with the summary kept.
    let again = editor
        .post(&app, &end, &[("summary", "Second summary")])
        .await;
    assert_eq!(again.status(), 409);
    assert_eq!(
        field(&again.text().await.unwrap(), "summary"),
        "Second summary"
    );
}

async fn bad_posts_come_back_with_the_text_as_typed(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let reporter = app.staff(Role::Reporter).await;
    let id = live_story(&app, &editor, "Budget day").await;

    // Oversize: the whole text comes back, with the length and what to do.
    let oversize = format!("{}The end of a long post.", "Spending rises. ".repeat(312));
    assert!(oversize.chars().count() > 5_000);
    for who in [&editor, &reporter] {
        let refused = write(&app, who, id, &oversize).await;
        assert_eq!(refused.status(), 422);
        let page = refused.text().await.unwrap();
        assert!(page.contains("at most 5,000 characters"), "{page}");
        assert_eq!(field(&page, "body"), oversize);
        assert!(page.contains("id=\"body-error\""));
    }
    // Empty.
    let empty = write(&app, &editor, id, " \n ").await;
    assert_eq!(empty.status(), 422);
    assert!(empty
        .text()
        .await
        .unwrap()
        .contains("Write the post before saving it."));
    // Raw HTML is not post markup.
    let html = write(&app, &editor, id, "Fine.\n\n<b>bold</b>").await;
    assert_eq!(html.status(), 422);
    let page = html.text().await.unwrap();
    assert!(page.contains("raw HTML"), "{page}");
    assert_eq!(field(&page, "body"), "Fine.\n\n<b>bold</b>");
    assert!(post_ids(&app, id).await.is_empty());

    // A story that is not a live page.
    let other = published_story(&app, "An ordinary story").await;
    let typed = "Breaking: a post on an ordinary story.";
    let refused = write(&app, &editor, other, typed).await;
    assert_eq!(refused.status(), 409);
    let page = refused.text().await.unwrap();
    assert!(page.contains("This story is not a live page: start the live page before posting."));
    assert_eq!(field(&page, "body"), typed);
    assert!(app.store.live_page(other).await.unwrap().is_none());
    // Editing a post too long: the edit form comes back as typed.
    assert_eq!(
        write(&app, &editor, id, "A short post.").await.status(),
        303
    );
    let post_id = post_ids(&app, id).await[0];
    let refused = send_post(
        &app,
        &editor,
        &post_page(id, post_id),
        &[("body", &oversize)],
        None,
    )
    .await;
    assert_eq!(refused.status(), 422);
    assert_eq!(field(&refused.text().await.unwrap(), "body"), oversize);
    let stored = app
        .store
        .live_posts_for_newsroom(id)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(stored.body, "A short post.");
}

/// The XSS corpus's payloads, as the browser suite reads them (escapes left as typed).
pub fn xss_corpus() -> Vec<String> {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/xss-payloads.txt");
    std::fs::read_to_string(path)
        .expect("the XSS corpus")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("# ") && *l != "#")
        .map(str::to_string)
        .collect()
}

/// What a form field on `html` holds: a text area's text, or an input's value.
pub fn field(html: &str, id: &str) -> String {
    let doc = Html::parse_document(html);
    let selector = Selector::parse(&format!("#{id}")).unwrap();
    let Some(el) = doc.select(&selector).next() else {
        panic!("no field #{id} on the page");
    };
    match el.value().name() {
        "textarea" => el.text().collect(),
        _ => el.value().attr("value").unwrap_or("").to_string(),
    }
}

/// Cuts `text` to at most `n` characters.
pub fn cut(text: &str, n: usize) -> String {
    text.chars().take(n).collect()
}

/// Fails when a newsroom page could run script other than the newsroom's own
/// (one empty `<script src="/static/newsroom.<hash>.js">`): no other script, no
/// frames or objects, pictures only from the site, no event handler attributes
/// and no script or data addresses.
pub fn assert_inert(html: &str, page: &str) {
    let doc = Html::parse_document(html);
    let ours = dateline::web::assets::NEWSROOM_SCRIPT_PATH.as_str();
    for el in doc.select(&Selector::parse("*").unwrap()) {
        let name = el.value().name();
        if name == "script" && el.value().attr("src") == Some(ours) && el.inner_html().is_empty() {
            continue;
        }
        assert!(
            !matches!(
                name,
                "script"
                    | "iframe"
                    | "object"
                    | "embed"
                    | "frame"
                    | "base"
                    | "svg"
                    | "math"
                    | "style"
            ),
            "{page}: a <{name}> element"
        );
        if name == "img" {
            let src = el.value().attr("src").unwrap_or("");
            assert!(
                src.starts_with("/newsroom/images/") || src.starts_with("/images/"),
                "{page}: img src {src:?}"
            );
        }
        for (attr, value) in el.value().attrs() {
            assert!(
                !attr.starts_with("on"),
                "{page}: event handler attribute {attr}"
            );
            // Addresses only: other attributes (a field's value, alt text) are text.
            if !matches!(
                attr,
                "href"
                    | "src"
                    | "srcset"
                    | "action"
                    | "formaction"
                    | "poster"
                    | "data"
                    | "background"
            ) {
                continue;
            }
            let v = value.trim().to_ascii_lowercase();
            assert!(
                !v.starts_with("javascript:")
                    && !v.starts_with("data:")
                    && !v.starts_with("vbscript:"),
                "{page}: {attr}={value:?}"
            );
        }
    }
}

async fn hostile_posts_are_inert_on_the_newsroom_pages(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let reporter = app.staff(Role::Reporter).await;
    let id = live_story(&app, &editor, "Hostile text").await;
    let path = format!("{}/posts", desk(id));
    let picture = app.add_image(120, 80).await.to_string();
    let corpus = xss_corpus();
    assert!(corpus.len() > 50, "the corpus is read");
    let mut accepted = 0;
    for (n, payload) in corpus.iter().enumerate() {
        // As the text: accepted when it is plain text to the markup, else refused.
        let answer = send_post(&app, &reporter, &path, &[("body", payload)], None).await;
        let status = answer.status().as_u16();
        assert!(matches!(status, 303 | 422), "{payload}: {status}");
        if status == 303 {
            accepted += 1;
        } else {
            assert_inert(&answer.text().await.unwrap(), &format!("refused post {n}"));
        }
        // As the byline and alt text of an editor's post with a picture.
        let body = format!("Post number {n}.");
        let answer = send_post(
            &app,
            &editor,
            &path,
            &[
                ("body", &body),
                ("byline", &cut(payload, 100)),
                ("image_id", &picture),
                ("alt", &cut(payload, 300)),
            ],
            None,
        )
        .await;
        let status = answer.status().as_u16();
        if status != 303 {
            // Only text the cleaning leaves empty is refused (an alt text is required).
            assert_eq!(status, 422, "{payload}");
            assert_inert(
                &answer.text().await.unwrap(),
                &format!("refused byline {n}"),
            );
        }
    }
    assert!(accepted > 0, "some payloads are plain text to the markup");
    let (status, page) = editor.get(&app, &desk(id)).await;
    assert_eq!(status, 200);
    assert_inert(&page, "the live page's screen");
    assert!(!page.contains("<script>alert"));
    let (_, page) = reporter.get(&app, &desk(id)).await;
    assert_inert(&page, "the live page's screen (reporter)");
    for post_id in post_ids(&app, id).await {
        let (status, page) = editor.get(&app, &post_page(id, post_id)).await;
        assert_eq!(status, 200);
        assert_inert(&page, &format!("post {post_id}"));
    }
}
