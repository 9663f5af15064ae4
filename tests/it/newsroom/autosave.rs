//! Autosave and the restore offer: the editor's form kept as typed in each
//! user's own slot (never a revision, never public), offered back with a diff,
//! restored into the form, discarded, cleared by a save; the stale warning when
//! someone else saved meanwhile. Refusals and presence: `autosave_guard`.

use crate::helpers::TestApp;
use crate::newsroom::workflow::create;
use crate::on_both_databases;
use crate::staff::{borrow, story_fields, Browser};
use dateline::domain::user::Role;
use dateline::store::Store;
use reqwest::multipart::Form;
use serde_json::Value;

/// One number from the database.
pub(crate) async fn count(app: &TestApp, sql: &str) -> i64 {
    match &app.store {
        Store::Sqlite(pool, _) => sqlx::query_scalar(sql).fetch_one(pool).await,
        Store::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
    }
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The editor's form fields for a story as someone typed them (no button: the
/// script sends the form as it stands).
pub(crate) fn typed(
    app: &TestApp,
    headline: &'static str,
    body: &str,
) -> Vec<(&'static str, String)> {
    let mut fields = story_fields(app.section_id("europe"), headline, "save");
    fields.retain(|(k, _)| *k != "action" && *k != "body");
    fields.push(("body", body.to_string()));
    fields
}

/// Sends an autosave; the status and the JSON answer.
pub(crate) async fn autosave(
    app: &TestApp,
    who: &Browser,
    path: &str,
    fields: &[(&'static str, String)],
    base: Option<i64>,
) -> (u16, Value) {
    let mut form = Form::new().text("csrf", who.csrf.clone());
    for (k, v) in fields {
        form = form.text(k.to_string(), v.clone());
    }
    if let Some(base) = base {
        form = form.text("base_revision", base.to_string());
    }
    // The script sends the file input too, empty when no picture is chosen.
    form = form.part(
        "image",
        reqwest::multipart::Part::bytes(Vec::new()).file_name(""),
    );
    answer(who.post_multipart(app, path, form).await).await
}

pub(crate) async fn answer(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    assert_eq!(
        response.headers()["content-type"],
        "application/json",
        "JSON answer ({status})"
    );
    assert_eq!(response.headers()["cache-control"], "private, no-store");
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}")),
    )
}

pub(crate) async fn revision_of(app: &TestApp, id: i64) -> i64 {
    app.store.story(id).await.unwrap().unwrap().revision
}

pub(crate) async fn newest_text(app: &TestApp, id: i64) -> (String, String) {
    let newest = app.store.newest_revision(id).await.unwrap().unwrap();
    (newest.content.headline, newest.content.body)
}

pub(crate) fn is_clock_time(value: &Value, parts: usize) -> bool {
    let text = value.as_str().unwrap_or_default();
    let pieces: Vec<&str> = text.split(':').collect();
    pieces.len() == parts
        && pieces
            .iter()
            .all(|p| p.len() == 2 && p.parse::<u8>().is_ok())
}

async fn autosaves_are_kept_and_offered_back_with_a_diff(app: TestApp) {
    let reporter = app.staff(Role::Reporter).await;
    let id = create(&app, &reporter, "Bridge reopens", "save").await;
    let base = revision_of(&app, id).await;
    let audit = count(&app, "SELECT COUNT(*) FROM audit_log").await;
    let logged = count(&app, "SELECT COUNT(*) FROM invalidations").await;
    let fields = typed(
        &app,
        "Bridge reopens to traffic",
        "The intro.\r\n\r\nMore text here, with lorries.",
    );
    let path = format!("/newsroom/stories/{id}/autosave");
    for _ in 0..3 {
        let (status, json) = autosave(&app, &reporter, &path, &fields, Some(base)).await;
        assert_eq!(status, 200, "{json}");
        assert!(is_clock_time(&json["saved_at"], 3), "{json}");
        assert!(json["stale"].is_null(), "{json}");
    }
    // Not a revision, not public, no audit row, no log row: only the slot.
    assert_eq!(revision_of(&app, id).await, base);
    assert_eq!(newest_text(&app, id).await.0, "Bridge reopens");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log").await, audit);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM invalidations").await,
        logged
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM autosaves").await, 1);

    let (status, page) = reporter.get(&app, &format!("/newsroom/stories/{id}")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<section class=\"restore-offer\" id=\"restore-offer\""),
        "{page}"
    );
    assert!(page.contains("Restore your unsaved changes from "));
    assert!(
        page.contains("Bridge reopens<ins> to traffic</ins>"),
        "headline diff"
    );
    assert!(page.contains("lorries"), "the body's diff");
    assert!(
        !page.contains("Byline: saved version"),
        "unchanged fields are not listed"
    );
    assert!(page.contains(&format!("href=\"/newsroom/stories/{id}?restore=autosave\"")));
    assert!(page.contains(&format!(
        "action=\"/newsroom/stories/{id}/autosave/discard\""
    )));
    assert!(
        page.contains("value=\"Bridge reopens\""),
        "the form holds the saved version until restored"
    );
    assert!(page.contains("<div id=\"presence\" aria-live=\"polite\">"));
}

async fn restore_fills_the_form_and_discard_removes_the_slot(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let id = create(&app, &editor, "Ferry strike", "save").await;
    let base = revision_of(&app, id).await;
    let fields = typed(&app, "Ferry strike called off", "Talks <went> well.");
    let path = format!("/newsroom/stories/{id}/autosave");
    assert_eq!(
        autosave(&app, &editor, &path, &fields, Some(base)).await.0,
        200
    );

    let (status, page) = editor
        .get(&app, &format!("/newsroom/stories/{id}?restore=autosave"))
        .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("value=\"Ferry strike called off\""),
        "restored"
    );
    assert!(
        page.contains("Talks &#60;went&#62; well.") || page.contains("Talks &lt;went&gt; well.")
    );
    assert!(page.contains(&format!("name=\"base_revision\" value=\"{base}\"")));
    assert!(page.contains("are in the form: save to keep them"));
    assert!(
        !page.contains("id=\"restore-offer\""),
        "no offer over the restored form"
    );

    let discard = editor
        .post(
            &app,
            &format!("/newsroom/stories/{id}/autosave/discard"),
            &[],
        )
        .await;
    assert_eq!(discard.status(), 303);
    let location = discard.headers()["location"].to_str().unwrap();
    assert!(location.starts_with(&format!("/newsroom/stories/{id}?notice=")));
    let (_, page) = editor.get(&app, &format!("/newsroom/stories/{id}")).await;
    assert!(!page.contains("id=\"restore-offer\""));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM autosaves").await, 0);
    assert_eq!(newest_text(&app, id).await.0, "Ferry strike");
    // An unchanged form is kept but not offered.
    let same = typed(
        &app,
        "Ferry strike",
        "The intro.\n\n## A crosshead\n\nMore text here.",
    );
    assert_eq!(
        autosave(&app, &editor, &path, &same, Some(base)).await.0,
        200
    );
    let (_, page) = editor.get(&app, &format!("/newsroom/stories/{id}")).await;
    assert!(!page.contains("id=\"restore-offer\""), "nothing to restore");
}

async fn a_save_clears_the_savers_slot(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let id = create(&app, &editor, "Harbour dredged", "save").await;
    let path = format!("/newsroom/stories/{id}/autosave");
    for action in ["save", "publish"] {
        let base = revision_of(&app, id).await;
        let fields = typed(&app, "Harbour dredged again", "New words.");
        assert_eq!(
            autosave(&app, &editor, &path, &fields, Some(base)).await.0,
            200
        );
        assert_eq!(count(&app, "SELECT COUNT(*) FROM autosaves").await, 1);
        let mut save = typed(&app, "Harbour dredged again", "New words.");
        save.push(("base_revision", base.to_string()));
        save.push(("action", action.to_string()));
        let response = editor
            .post_story(
                &app,
                &format!("/newsroom/stories/{id}"),
                &borrow(&save),
                None,
            )
            .await;
        assert_eq!(response.status(), 303, "{action}");
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM autosaves").await,
            0,
            "{action}"
        );
        let (_, page) = editor.get(&app, &format!("/newsroom/stories/{id}")).await;
        assert!(!page.contains("id=\"restore-offer\""), "{action}");
    }
}

async fn a_new_story_has_its_own_slot(app: TestApp) {
    let reporter = app.staff(Role::Reporter).await;
    let (_, page) = reporter.get(&app, "/newsroom/stories/new").await;
    assert!(!page.contains("id=\"restore-offer\""));
    let fields = typed(&app, "Lighthouse for sale", "Offers invited.");
    let (status, json) = autosave(
        &app,
        &reporter,
        "/newsroom/stories/new/autosave",
        &fields,
        None,
    )
    .await;
    assert_eq!(status, 200, "{json}");
    assert!(json["stale"].is_null());
    let (_, page) = reporter.get(&app, "/newsroom/stories/new").await;
    assert!(page.contains("id=\"restore-offer\""));
    assert!(page.contains("<ins>Lighthouse for sale</ins>"), "{page}");
    assert!(page.contains("href=\"/newsroom/stories/new?restore=autosave\""));
    let (_, page) = reporter
        .get(&app, "/newsroom/stories/new?restore=autosave")
        .await;
    assert!(page.contains("value=\"Lighthouse for sale\""));
    assert!(
        !page.contains("name=\"base_revision\""),
        "a new story has no revision yet"
    );
    // Discard, keep again, then create: the new-story slot is cleared.
    let discard = reporter
        .post(&app, "/newsroom/stories/new/autosave/discard", &[])
        .await;
    assert_eq!(discard.status(), 303);
    assert!(discard.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/newsroom/stories/new?notice="));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM autosaves").await, 0);
    autosave(
        &app,
        &reporter,
        "/newsroom/stories/new/autosave",
        &fields,
        None,
    )
    .await;
    let id = create(&app, &reporter, "Lighthouse for sale", "save").await;
    assert_eq!(count(&app, "SELECT COUNT(*) FROM autosaves").await, 0);
    let (_, page) = reporter.get(&app, "/newsroom/stories/new").await;
    assert!(!page.contains("id=\"restore-offer\""));
    let (_, page) = reporter.get(&app, &format!("/newsroom/stories/{id}")).await;
    assert!(!page.contains("id=\"restore-offer\""));
    // The empty new form (only the byline the page fills in) is nothing to offer.
    let name = app
        .store
        .user_by_email(&reporter.email)
        .await
        .unwrap()
        .unwrap()
        .display_name;
    let blank = vec![("byline", format!("By {name}"))];
    let (status, _) = autosave(
        &app,
        &reporter,
        "/newsroom/stories/new/autosave",
        &blank,
        None,
    )
    .await;
    assert_eq!(status, 200);
    let (_, page) = reporter.get(&app, "/newsroom/stories/new").await;
    assert!(!page.contains("id=\"restore-offer\""), "an empty form");
}

async fn each_user_sees_only_their_own_slot(app: TestApp) {
    let first = app.staff(Role::Editor).await;
    let second = app.staff(Role::Editor).await;
    let id = create(&app, &first, "Zoo welcomes twins", "save").await;
    let base = revision_of(&app, id).await;
    let fields = typed(&app, "Zoo welcomes panda twins", "Secret draft words.");
    autosave(
        &app,
        &first,
        &format!("/newsroom/stories/{id}/autosave"),
        &fields,
        Some(base),
    )
    .await;
    autosave(
        &app,
        &first,
        "/newsroom/stories/new/autosave",
        &fields,
        None,
    )
    .await;
    for path in [
        format!("/newsroom/stories/{id}"),
        "/newsroom/stories/new".to_string(),
    ] {
        let (_, page) = second.get(&app, &path).await;
        assert!(!page.contains("id=\"restore-offer\""), "{path}");
        assert!(!page.contains("Secret draft words"), "{path}");
        let (_, page) = second.get(&app, &format!("{path}?restore=autosave")).await;
        assert!(!page.contains("Secret draft words"), "{path}");
        assert!(page.contains("There are no unsaved changes to restore."));
        let (_, page) = first.get(&app, &path).await;
        assert!(page.contains("id=\"restore-offer\""), "{path}");
    }
    // The second editor's discard leaves the first one's slot alone.
    second
        .post(
            &app,
            &format!("/newsroom/stories/{id}/autosave/discard"),
            &[],
        )
        .await;
    assert_eq!(count(&app, "SELECT COUNT(*) FROM autosaves").await, 2);
}

async fn autosaves_on_an_old_revision_never_change_the_story(app: TestApp) {
    let a = app.staff(Role::Editor).await;
    let b = app.staff(Role::Editor).await;
    let id = create(&app, &a, "Council meets", "save").await;
    let n = revision_of(&app, id).await;
    let path = format!("/newsroom/stories/{id}/autosave");
    let mine = typed(&app, "Council meets at last", "A's words.");
    let (status, json) = autosave(&app, &a, &path, &mine, Some(n)).await;
    assert_eq!((status, json["stale"].is_null()), (200, true));
    // B saves revision N+1.
    let mut theirs = typed(&app, "Council meets late", "B's words.");
    theirs.push(("base_revision", n.to_string()));
    theirs.push(("action", "save".into()));
    let saved = b
        .post_story(
            &app,
            &format!("/newsroom/stories/{id}"),
            &borrow(&theirs),
            None,
        )
        .await;
    assert_eq!(saved.status(), 303);
    assert_eq!(revision_of(&app, id).await, n + 1);
    // A keeps typing on revision N: told who saved, and nothing of A's reaches the story.
    for _ in 0..2 {
        let (status, json) = autosave(&app, &a, &path, &mine, Some(n)).await;
        assert_eq!(status, 200, "{json}");
        assert_eq!(json["stale"]["revision"], n + 1, "{json}");
        let b_name = app
            .store
            .user_by_email(&b.email)
            .await
            .unwrap()
            .unwrap()
            .display_name;
        assert_eq!(json["stale"]["author"], b_name.as_str(), "{json}");
        assert!(is_clock_time(&json["stale"]["at"], 2), "{json}");
    }
    assert_eq!(revision_of(&app, id).await, n + 1);
    assert_eq!(
        newest_text(&app, id).await,
        ("Council meets late".to_string(), "B's words.".to_string())
    );
    // B's own autosave on the newest revision is not stale.
    let (_, json) = autosave(&app, &b, &path, &theirs, Some(n + 1)).await;
    assert!(json["stale"].is_null(), "{json}");
    // A is offered the changes, warned, restores them on revision N, and saving is a conflict.
    let (_, page) = a.get(&app, &format!("/newsroom/stories/{id}")).await;
    assert!(page.contains("id=\"restore-offer\""));
    assert!(page.contains(&format!("You typed them on revision {n}")));
    let (_, page) = a
        .get(&app, &format!("/newsroom/stories/{id}?restore=autosave"))
        .await;
    assert!(page.contains(&format!("name=\"base_revision\" value=\"{n}\"")));
    assert!(page.contains("value=\"Council meets at last\""));
    let mut restored = mine.clone();
    restored.push(("base_revision", n.to_string()));
    restored.push(("action", "save".into()));
    let conflict = a
        .post_story(
            &app,
            &format!("/newsroom/stories/{id}"),
            &borrow(&restored),
            None,
        )
        .await;
    assert_eq!(conflict.status(), 409);
    let page = conflict.text().await.unwrap();
    assert!(page.contains("Someone else saved this story"));
    assert!(
        page.contains("value=\"Council meets at last\""),
        "A's text kept"
    );
    assert_eq!(newest_text(&app, id).await.0, "Council meets late");
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM autosaves WHERE story_id = {id}")
        )
        .await,
        2,
        "a conflict clears nothing"
    );
}

on_both_databases!(
    autosaves_are_kept_and_offered_back_with_a_diff,
    restore_fills_the_form_and_discard_removes_the_slot,
    a_save_clears_the_savers_slot,
    a_new_story_has_its_own_slot,
    each_user_sees_only_their_own_slot,
    autosaves_on_an_old_revision_never_change_the_story,
);
