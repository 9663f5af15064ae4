//! What autosave refuses, in JSON and in words (someone else's story, a
//! published one, no token, a form that cannot be read, too much text), and
//! presence as the editor's script reads it.

use super::autosave::{answer, autosave, count, is_clock_time, revision_of, typed};
use crate::helpers::TestApp;
use crate::newsroom::workflow::create;
use crate::on_both_databases;
use crate::staff::borrow;
use dateline::domain::user::Role;
use reqwest::multipart::Form;

async fn reporters_keep_only_what_they_may_save(app: TestApp) {
    let reporter = app.staff(Role::Reporter).await;
    let other = app.staff(Role::Reporter).await;
    let editor = app.staff(Role::Editor).await;
    let theirs = create(&app, &other, "Not yours", "save").await;
    let fields = typed(&app, "Hijacked", "x");
    let (status, json) = autosave(
        &app,
        &reporter,
        &format!("/newsroom/stories/{theirs}/autosave"),
        &fields,
        Some(1),
    )
    .await;
    assert_eq!(status, 403);
    assert!(json["error"]
        .as_str()
        .unwrap()
        .contains("You may not change this story"));
    // Their own story, once published, is the editors'.
    let own = create(&app, &reporter, "Mine until published", "save").await;
    let path = format!("/newsroom/stories/{own}/autosave");
    assert_eq!(
        autosave(&app, &reporter, &path, &fields, Some(1)).await.0,
        200
    );
    let mut publish = typed(&app, "Mine until published", "Published words.");
    publish.push(("base_revision", revision_of(&app, own).await.to_string()));
    publish.push(("action", "publish".into()));
    assert_eq!(
        editor
            .post_story(
                &app,
                &format!("/newsroom/stories/{own}"),
                &borrow(&publish),
                None
            )
            .await
            .status(),
        303
    );
    assert_eq!(
        autosave(&app, &reporter, &path, &fields, Some(2)).await.0,
        403
    );
    assert_eq!(
        autosave(
            &app,
            &reporter,
            "/newsroom/stories/999999/autosave",
            &fields,
            Some(1)
        )
        .await
        .0,
        404
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM autosaves WHERE story_id = {theirs}")
        )
        .await,
        0
    );
}

async fn broken_forms_are_refused_in_words(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let id = create(&app, &editor, "Dam report", "save").await;
    let path = format!("/newsroom/stories/{id}/autosave");
    let url = format!("{}{path}", app.base);
    // No token, a wrong one.
    for token in [None, Some("0000")] {
        let mut form = Form::new()
            .text("headline", "Forged")
            .text("base_revision", "1");
        if let Some(token) = token {
            form = form.text("csrf", token);
        }
        let (status, json) = answer(editor.post_multipart(&app, &path, form).await).await;
        assert_eq!(status, 403, "{token:?}");
        assert!(
            json["error"].as_str().unwrap().contains("reload the page"),
            "{json}"
        );
    }
    // Not multipart at all; multipart that breaks off.
    let (status, json) = answer(editor.post(&app, &path, &[("headline", "x")]).await).await;
    assert_eq!(status, 400);
    assert!(
        json["error"]
            .as_str()
            .unwrap()
            .starts_with("The form could not be read"),
        "{json}"
    );
    let broken = app
        .client
        .post(&url)
        .header("cookie", &editor.cookie)
        .header("content-type", "multipart/form-data; boundary=XYZ")
        .body("--XYZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc")
        .send()
        .await
        .unwrap();
    let (status, json) = answer(broken).await;
    assert_eq!(status, 400, "{json}");
    assert!(
        json["error"]
            .as_str()
            .unwrap()
            .starts_with("The form could not be read"),
        "{json}"
    );
    // No revision for an existing story.
    let (status, json) = autosave(&app, &editor, &path, &typed(&app, "x", "y"), None).await;
    assert_eq!(status, 400);
    assert!(
        json["error"].as_str().unwrap().contains("reload the page"),
        "{json}"
    );
    // Too much text to keep.
    let huge = "word ".repeat(250_000);
    let (status, json) = autosave(&app, &editor, &path, &typed(&app, "x", &huge), Some(1)).await;
    assert_eq!(status, 413);
    assert!(
        json["error"].as_str().unwrap().contains("larger than 1 MB"),
        "{json}"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM autosaves").await, 0);
}

async fn presence_answers_who_else_has_the_story_open(app: TestApp) {
    let a = app.staff(Role::Editor).await;
    let b = app.staff(Role::Editor).await;
    let id = create(&app, &a, "Storm warning", "save").await;
    let presence = format!("/newsroom/stories/{id}/presence");
    let (status, json) = answer(a.get_response(&app, &presence).await).await;
    assert_eq!(status, 200);
    assert_eq!(json, serde_json::json!({ "others": [] }));
    let (_, page) = b.get(&app, &format!("/newsroom/stories/{id}")).await;
    assert!(
        page.contains("<div id=\"presence\" aria-live=\"polite\">\n<p class=\"presence\">"),
        "A is shown to B"
    );
    let b_name = app
        .store
        .user_by_email(&b.email)
        .await
        .unwrap()
        .unwrap()
        .display_name;
    let (_, json) = answer(a.get_response(&app, &presence).await).await;
    assert_eq!(json["others"][0]["name"], b_name.as_str(), "{json}");
    assert!(is_clock_time(&json["others"][0]["since"], 2), "{json}");
    // B leaves as the script does (sendBeacon's FormData); a leave without the token is refused.
    let leave = format!("/newsroom/stories/{id}/leave");
    assert_eq!(b.post_raw(&app, &leave, &[]).await.status(), 403);
    let left = b
        .post_multipart(&app, &leave, Form::new().text("csrf", b.csrf.clone()))
        .await;
    assert_eq!(left.status(), 204);
    let (_, json) = answer(a.get_response(&app, &presence).await).await;
    assert_eq!(json, serde_json::json!({ "others": [] }));
    // An urlencoded leave works too.
    b.get(&app, &format!("/newsroom/stories/{id}")).await;
    assert_eq!(b.post(&app, &leave, &[]).await.status(), 204);
    let (_, json) = answer(a.get_response(&app, &presence).await).await;
    assert_eq!(json["others"].as_array().unwrap().len(), 0);
    let (_, page) = a.get(&app, &format!("/newsroom/stories/{id}")).await;
    assert!(
        page.contains("<div id=\"presence\" aria-live=\"polite\">\n</div>"),
        "an empty container"
    );
}

on_both_databases!(
    reporters_keep_only_what_they_may_save,
    broken_forms_are_refused_in_words,
    presence_answers_who_else_has_the_story_open,
);
