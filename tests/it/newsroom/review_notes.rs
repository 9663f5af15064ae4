//! Sending a story back with a note: the story returns to its reporter as a
//! draft, the note shows on the story and on the reporter's desk, the audit log
//! has it, resubmitting works; refusals in words; notes are escaped everywhere.

use crate::helpers::TestApp;
use crate::newsroom::desk::{desk_lists, list};
use crate::newsroom::workflow::{create, save};
use crate::on_both_databases;
use crate::staff::Browser;
use dateline::domain::user::Role;

fn send_back_path(id: i64) -> String {
    format!("/newsroom/stories/{id}/send-back")
}

async fn send_back(app: &TestApp, who: &Browser, id: i64, note: &str) -> reqwest::Response {
    who.post(app, &send_back_path(id), &[("note", note)]).await
}

/// A story a reporter wrote and submitted.
async fn submitted(app: &TestApp, reporter: &Browser, headline: &'static str) -> i64 {
    create(app, reporter, headline, "submit").await
}

async fn a_story_sent_back_returns_to_its_reporter(app: TestApp) {
    let reporter = app.staff(Role::Reporter).await;
    let editor = app.staff(Role::Editor).await;
    let id = submitted(&app, &reporter, "Harbour plans zqharbour").await;
    let (_, before) = editor.get(&app, &format!("/newsroom/stories/{id}")).await;
    assert!(before.contains(&format!("action=\"/newsroom/stories/{id}/send-back\"")));
    assert!(before.contains("<label for=\"note\">Send back to the reporter"));
    assert!(before.contains("No review notes yet."));
    let (_, reporter_before) = reporter.get(&app, &format!("/newsroom/stories/{id}")).await;
    assert!(
        !reporter_before.contains("send-back"),
        "no form for reporters"
    );

    let note = "Check the figures in the second paragraph.\n\nAnd name the source.";
    let response = send_back(&app, &editor, id, note).await;
    assert_eq!(response.status(), 303);
    assert!(response.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with(&format!("/newsroom/stories/{id}?notice=Sent+back")));
    let story = app.store.story(id).await.unwrap().unwrap();
    assert_eq!(story.submitted_at, None, "a draft again");
    assert_eq!(story.scheduled_for, None);
    let notes = app.store.review_notes(id).await.unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].note, note);
    assert!(notes[0].author_name.starts_with("editor "));
    let audit = app.store.audit_entries(None, 5).await.unwrap();
    let row = audit
        .iter()
        .find(|a| a.action == "send back")
        .expect("an audit row");
    assert_eq!(row.subject, format!("story {id}"));
    assert_eq!(row.detail, note);
    assert_eq!(row.actor, editor.email);

    // The reporter sees the note on the story and on their desk.
    let (_, page) = reporter.get(&app, &format!("/newsroom/stories/{id}")).await;
    assert!(page.contains("<h2 id=\"review-notes-heading\">Review notes</h2>"));
    assert!(page.contains("Check the figures in the second paragraph."));
    assert!(page.contains("Status: <strong>Draft</strong>"));
    assert!(
        page.contains("value=\"submit\""),
        "Submit for review is offered again"
    );
    let (_, desk) = reporter.get(&app, "/newsroom").await;
    let sent_back = list(&desk, "sent-back");
    assert!(sent_back.contains("zqharbour"), "{sent_back}");
    assert!(sent_back.contains("And name the source."));
    assert!(sent_back.contains("Sent back by editor "));
    // The editor's desk no longer has it awaiting review, nor shows the form.
    let (_, editor_desk) = editor.get(&app, "/newsroom").await;
    assert!(!list(&editor_desk, "review").contains("zqharbour"));
    let (_, after) = editor.get(&app, &format!("/newsroom/stories/{id}")).await;
    assert!(!after.contains("/send-back\""), "nothing to send back now");
    assert!(after.contains("And name the source."));

    // Edited and submitted again: off "sent back", awaiting review again.
    app.clock.advance(60);
    let response = save(
        &app,
        &reporter,
        id,
        &[
            ("headline", "Harbour plans zqharbour"),
            ("action", "submit"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let story = app.store.story(id).await.unwrap().unwrap();
    assert_eq!(story.submitted_at, Some(app.clock.now()));
    let (_, desk) = reporter.get(&app, "/newsroom").await;
    assert!(!list(&desk, "sent-back").contains("zqharbour"));
    assert!(desk.contains("Nothing has been sent back to you."));
    let (_, editor_desk) = editor.get(&app, "/newsroom").await;
    assert!(list(&editor_desk, "review").contains("zqharbour"));
    // Sent back a second time: both notes, the newest first.
    app.clock.advance(60);
    assert_eq!(
        send_back(&app, &editor, id, "Nearly: the headline.")
            .await
            .status(),
        303
    );
    let (_, page) = reporter.get(&app, &format!("/newsroom/stories/{id}")).await;
    let newest = page.find("Nearly: the headline.").unwrap();
    let oldest = page.find("Check the figures").unwrap();
    assert!(newest < oldest, "newest first");
    let (_, desk) = reporter.get(&app, "/newsroom").await;
    let sent_back = list(&desk, "sent-back");
    assert!(
        sent_back.contains("Nearly: the headline.") && !sent_back.contains("Check the figures")
    );
}

async fn a_scheduled_story_can_be_sent_back(app: TestApp) {
    let reporter = app.staff(Role::Reporter).await;
    let editor = app.staff(Role::Editor).await;
    let id = submitted(&app, &reporter, "Scheduled then sent back zqsched").await;
    app.store
        .set_schedule(id, Some(app.clock.now() + 7200))
        .await
        .unwrap();
    let (_, page) = editor.get(&app, &format!("/newsroom/stories/{id}")).await;
    assert!(page.contains("/send-back\""));
    assert_eq!(
        send_back(&app, &editor, id, "Hold it: legal.")
            .await
            .status(),
        303
    );
    let story = app.store.story(id).await.unwrap().unwrap();
    assert_eq!((story.submitted_at, story.scheduled_for), (None, None));
    // The admin may too.
    let admin = app.staff(Role::Admin).await;
    let other = submitted(&app, &reporter, "Another zqadmin").await;
    assert_eq!(
        send_back(&app, &admin, other, "Admin says no.")
            .await
            .status(),
        303
    );
}

async fn refusals_are_in_words(app: TestApp) {
    let reporter = app.staff(Role::Reporter).await;
    let editor = app.staff(Role::Editor).await;
    let id = submitted(&app, &reporter, "Refusals zqrefuse").await;

    // A reporter may not, even on their own story.
    let response = send_back(&app, &reporter, id, "Me, to me.").await;
    assert_eq!(response.status(), 403);
    // Without the token: refused, nothing changed.
    let forged = editor
        .post_raw(&app, &send_back_path(id), &[("note", "Forged.")])
        .await;
    assert_eq!(forged.status(), 403);

    // Empty and too long: the page again, the message by the field, the note as typed.
    let response = send_back(&app, &editor, id, "   \n  ").await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("id=\"note-error\">Write a note for the reporter"),
        "{page}"
    );
    assert!(page.contains("aria-invalid=\"true\" aria-describedby=\"note-error\""));
    let long = format!("zqtyped {}", "word ".repeat(400));
    let response = send_back(&app, &editor, id, &long).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("at most 2,000 characters; this one has 2,007"),
        "{page}"
    );
    assert!(
        page.contains(&format!(">{long}</textarea>")),
        "the note as typed"
    );
    let story = app.store.story(id).await.unwrap().unwrap();
    assert!(story.submitted_at.is_some(), "still awaiting review");
    assert!(app.store.review_notes(id).await.unwrap().is_empty());

    // Stages where there is nothing to send back: 409 with the reason.
    let never = create(&app, &reporter, "Never submitted zqnever", "save").await;
    let published = create(&app, &editor, "Already out zqout", "publish").await;
    let killed = create(&app, &editor, "Killed zqkilled", "publish").await;
    assert_eq!(
        editor
            .post(
                &app,
                &format!("/newsroom/stories/{killed}/kill"),
                &[("confirm", "yes")]
            )
            .await
            .status(),
        303
    );
    for (story, reason) in [
        (never, "is a draft, not awaiting review"),
        (published, "is already published"),
        (killed, "has been killed"),
    ] {
        let response = send_back(&app, &editor, story, "Typed anyway zqkept").await;
        assert_eq!(response.status(), 409, "story {story}");
        let page = response.text().await.unwrap();
        assert!(
            page.contains("role=\"alert\">Nothing was sent back: this"),
            "{page}"
        );
        assert!(page.contains(reason), "{reason}");
        assert!(app.store.review_notes(story).await.unwrap().is_empty());
    }
    // No such story.
    assert_eq!(
        send_back(&app, &editor, 999_999, "Gone.").await.status(),
        404
    );
}

async fn notes_are_escaped_everywhere(app: TestApp) {
    let reporter = app.staff(Role::Reporter).await;
    let editor = app.staff(Role::Editor).await;
    let id = submitted(&app, &reporter, "Escaping zqescape").await;
    let note = "<script>alert(1)</script> & \"quoted\" <img src=x onerror=alert(2)>";
    assert_eq!(send_back(&app, &editor, id, note).await.status(), 303);
    let escaped =
        "&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;quoted&#34; &#60;img src=x onerror=alert(2)&#62;";
    let (_, page) = reporter.get(&app, &format!("/newsroom/stories/{id}")).await;
    let (_, desk) = reporter.get(&app, "/newsroom").await;
    let (_, fragment) = reporter.get(&app, "/newsroom/desk/lists").await;
    assert_eq!(fragment, desk_lists(&desk));
    for (name, shown) in [
        ("editor page", &page),
        ("desk", &desk),
        ("fragment", &fragment),
    ] {
        assert!(!shown.contains("<script>alert"), "{name}");
        assert!(!shown.contains("<img src=x"), "{name}");
        assert!(shown.contains(escaped), "{name}: {shown}");
    }
    // A refused note comes back escaped too.
    let other = submitted(&app, &reporter, "Escaping again zqagain").await;
    let long = format!("<script>alert(3)</script>{}", "x".repeat(2000));
    let response = send_back(&app, &editor, other, &long).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(!page.contains("<script>alert(3)") && page.contains("&#60;script&#62;alert(3)"));
    // The audit log shows it as text.
    let admin = app.staff(Role::Admin).await;
    let (_, audit) = admin.get(&app, "/newsroom/audit").await;
    assert!(!audit.contains("<script>alert(1)") && audit.contains("&#60;script&#62;alert(1)"));
}

on_both_databases!(
    a_story_sent_back_returns_to_its_reporter,
    a_scheduled_story_can_be_sent_back,
    refusals_are_in_words,
    notes_are_escaped_everywhere,
);
