//! "Save for later" and `/account/saved` over HTTP on both databases: saving and removing with the session's CSRF token and refused without it, only public stories saved, the list newest saved first in pages and without stories that stopped being public, the data export, and deleting the account.

use crate::helpers::{at, full_story, TestApp, TEST_EDITOR};
use crate::on_both_databases;
use crate::readers::pages::signed_in;
use crate::readers::visitor::READER_PASSWORD;
use crate::staff::Browser;
use dateline::editorial::{Edit, EditRequest};

const T0: &str = "2026-02-01T09:00:00Z";

async fn publish(app: &TestApp, headline: &str) -> (i64, String) {
    let id = app
        .publish(
            &full_story(app.section_id("europe"), None, headline),
            at(T0),
        )
        .await;
    let slug = dateline::domain::slug::slugify(headline);
    (id, format!("/news/europe/{slug}-{id}"))
}

async fn save(app: &TestApp, reader: &Browser, id: i64) -> reqwest::Response {
    reader
        .post(
            app,
            "/account/saved",
            &[("story", &id.to_string()), ("from", "article")],
        )
        .await
}

async fn saved_rows(app: &TestApp) -> i64 {
    let count = match &app.store {
        dateline::store::Store::Sqlite(pool, _) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM saved_stories")
                .fetch_one(pool)
                .await
        }
        dateline::store::Store::Postgres(pool) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM saved_stories")
                .fetch_one(pool)
                .await
        }
    };
    count.expect("count")
}

async fn saving_and_removing_need_the_sessions_token(app: TestApp) {
    let (id, article) = publish(&app, "Ferry timetable changes").await;
    let reader = signed_in(&app, "saver@example.net", "Saver").await;
    let (_, page) = reader.get(&app, &article).await;
    assert!(page.contains("Save for later"), "{page}");
    assert!(page.contains("action=\"/account/saved\""));

    // No token, a wrong token, or from another site: refused, nothing saved.
    let story = id.to_string();
    let none = reader
        .post_raw(&app, "/account/saved", &[("story", &story)])
        .await;
    assert_eq!(none.status(), 403);
    let wrong = reader
        .post_raw(
            &app,
            "/account/saved",
            &[("csrf", "0000"), ("story", &story)],
        )
        .await;
    assert_eq!(wrong.status(), 403);
    let cross_site = app
        .client
        .post(format!("{}/account/saved", app.base))
        .header("cookie", &reader.cookie)
        .header("sec-fetch-site", "cross-site")
        .form(&[("csrf", reader.csrf.as_str()), ("story", &story)])
        .send()
        .await
        .expect("post");
    assert_eq!(cross_site.status(), 403);
    // Signed out, saving leads to the sign-in.
    let anonymous = app
        .client
        .post(format!("{}/account/saved", app.base))
        .form(&[("csrf", reader.csrf.as_str()), ("story", &story)])
        .send()
        .await
        .expect("post");
    assert_eq!(anonymous.status(), 303);
    assert!(anonymous.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/account/sign-in"));
    assert_eq!(saved_rows(&app).await, 0);

    // With the token: back to the article, which now says it is saved.
    let saved = save(&app, &reader, id).await;
    assert_eq!(saved.status(), 303);
    assert_eq!(saved.headers()["location"], article.as_str());
    let (_, page) = reader.get(&app, &article).await;
    assert!(
        page.contains("<span class=\"saved-state\">Saved</span>"),
        "{page}"
    );
    assert!(!page.contains("Save for later"));
    // Saving twice keeps one.
    assert_eq!(save(&app, &reader, id).await.status(), 303);
    assert_eq!(saved_rows(&app).await, 1);
    let (status, list) = reader.get(&app, "/account/saved").await;
    assert_eq!(status, 200);
    assert!(
        list.contains("Ferry timetable changes") && list.contains(&article),
        "{list}"
    );
    let private = reader.get_response(&app, "/account/saved").await;
    assert_eq!(private.headers()["cache-control"], "private, no-store");

    // Removing needs the token too.
    let refused = reader
        .post_raw(&app, "/account/saved/remove", &[("story", &story)])
        .await;
    assert_eq!(refused.status(), 403);
    assert_eq!(saved_rows(&app).await, 1);
    let removed = reader
        .post(
            &app,
            "/account/saved/remove",
            &[("story", &story), ("page", "1")],
        )
        .await;
    assert_eq!(removed.status(), 303);
    assert_eq!(removed.headers()["location"], "/account/saved?done=removed");
    let (_, list) = reader.get(&app, "/account/saved?done=removed").await;
    assert!(list.contains("removed from your saved stories"));
    assert!(list.contains("You have no saved stories"), "{list}");
    let (_, page) = reader.get(&app, &article).await;
    assert!(page.contains("Save for later"));

    // Signed out, the saved page leads to the sign-in and back.
    let (status, _) = (app.get("/account/saved").await.status().as_u16(), ());
    assert_eq!(status, 303);
}

async fn only_public_stories_are_saved_and_listed(app: TestApp) {
    let reader = signed_in(&app, "lister@example.net", "Lister").await;
    // A draft, and ids that are no story: nothing to save.
    let draft = app
        .draft(
            &full_story(app.section_id("europe"), None, "Draft only"),
            at(T0),
        )
        .await;
    for id in [draft.to_string(), "999999".into(), "x".into(), "-1".into()] {
        let refused = reader.post(&app, "/account/saved", &[("story", &id)]).await;
        assert_eq!(refused.status(), 404, "{id}");
    }
    assert_eq!(saved_rows(&app).await, 0);

    let (kept, _) = publish(&app, "Bridge reopens").await;
    let (killed, killed_path) = publish(&app, "Withdrawn report").await;
    let (embargoed, embargoed_path) = publish(&app, "Later embargoed").await;
    for id in [kept, killed, embargoed] {
        assert_eq!(save(&app, &reader, id).await.status(), 303);
        app.clock.advance(60);
    }
    let (_, list) = reader.get(&app, "/account/saved").await;
    for headline in ["Bridge reopens", "Withdrawn report", "Later embargoed"] {
        assert!(list.contains(headline), "{headline}");
    }
    // Newest saved first.
    assert!(list.find("Later embargoed") < list.find("Bridge reopens"));

    let now = app.clock.now();
    let story = app.store.story(killed).await.unwrap().unwrap();
    app.state
        .editorial()
        .kill(TEST_EDITOR, &story, "legal", now)
        .await
        .expect("kill");
    let story = app.store.story(embargoed).await.unwrap().unwrap();
    let edit = Edit {
        content: &story.content,
        base_revision: None,
        embargo: Some(now + 86_400),
        request: EditRequest::Save,
    };
    app.state
        .editorial()
        .save(TEST_EDITOR, Some(&story), edit, now)
        .await
        .expect("embargo");
    assert_eq!(app.page(&killed_path).await.0, 410);
    assert_eq!(app.page(&embargoed_path).await.0, 404, "no longer public");

    let (_, list) = reader.get(&app, "/account/saved").await;
    assert!(list.contains("Bridge reopens"));
    assert!(
        !list.contains("Withdrawn report"),
        "a killed story is listed"
    );
    assert!(
        !list.contains("Later embargoed"),
        "an embargoed story is listed"
    );
    assert!(list.contains("One saved story"), "{list}");
    // Still saved: the embargo's end brings it back.
    assert_eq!(saved_rows(&app).await, 3);
    app.clock.advance(2 * 86_400);
    let (_, list) = reader.get(&app, "/account/saved").await;
    assert!(list.contains("Later embargoed"));
    // The killed one cannot be saved again, but can be removed.
    assert_eq!(save(&app, &reader, killed).await.status(), 404);
    let removed = reader
        .post(
            &app,
            "/account/saved/remove",
            &[("story", &killed.to_string())],
        )
        .await;
    assert_eq!(removed.status(), 303);
    assert_eq!(saved_rows(&app).await, 2);
}

async fn the_list_pages_newest_saved_first(app: TestApp) {
    let reader = signed_in(&app, "pager@example.net", "Pager").await;
    let mut ids = Vec::new();
    for n in 1..=23 {
        let (id, _) = publish(&app, &format!("Numbered story {n:02}")).await;
        assert_eq!(save(&app, &reader, id).await.status(), 303);
        app.clock.advance(1);
        ids.push(id);
    }
    let (_, first) = reader.get(&app, "/account/saved").await;
    assert!(first.contains("23 saved stories"));
    assert!(first.contains("Numbered story 23") && first.contains("Numbered story 04"));
    assert!(!first.contains("Numbered story 03"));
    assert!(first.find("Numbered story 23") < first.find("Numbered story 22"));
    assert!(
        first.contains("href=\"/account/saved?page=2\" rel=\"next\""),
        "{first}"
    );
    let (_, second) = reader.get(&app, "/account/saved?page=2").await;
    for n in ["01", "02", "03"] {
        assert!(second.contains(&format!("Numbered story {n}")));
    }
    assert!(!second.contains("Numbered story 04"));
    assert!(second.contains("href=\"/account/saved\" rel=\"prev\""));
    // A page past the end, or no number at all, is not an error.
    for path in [
        "/account/saved?page=9",
        "/account/saved?page=-3",
        "/account/saved?page=%3Cx%3E",
    ] {
        let (status, body) = reader.get(&app, path).await;
        assert_eq!(status, 200, "{path}");
        assert!(!body.contains("<x>"));
    }
    // Removing from page 2 comes back to page 2.
    let removed = reader
        .post(
            &app,
            "/account/saved/remove",
            &[("story", &ids[0].to_string()), ("page", "2")],
        )
        .await;
    assert_eq!(
        removed.headers()["location"],
        "/account/saved?page=2&done=removed"
    );
}

async fn export_lists_them_and_deleting_the_account_removes_them(app: TestApp) {
    let reader = signed_in(&app, "leaver@example.net", "Leaver").await;
    let (public, _) = publish(&app, "Public and saved").await;
    let (killed, _) = publish(&app, "Saved then killed").await;
    for id in [public, killed] {
        assert_eq!(save(&app, &reader, id).await.status(), 303);
    }
    let story = app.store.story(killed).await.unwrap().unwrap();
    app.state
        .editorial()
        .kill(TEST_EDITOR, &story, "legal", app.clock.now())
        .await
        .expect("kill");
    let (status, json) = reader.get(&app, "/account/data.json").await;
    assert_eq!(status, 200);
    let data: serde_json::Value = serde_json::from_str(&json).expect("json");
    let saved = data["saved_stories"].as_array().expect("saved stories");
    assert_eq!(saved.len(), 2, "{json}");
    let shown = saved
        .iter()
        .find(|s| s["story_id"] == public)
        .expect("public");
    assert_eq!(shown["headline"], "Public and saved");
    assert!(shown["address"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/news/europe/public-and-saved-{public}")));
    let hidden = saved
        .iter()
        .find(|s| s["story_id"] == killed)
        .expect("killed");
    assert!(
        hidden["headline"].is_null() && hidden["address"].is_null(),
        "{json}"
    );
    assert!(!json.contains("Saved then killed"));

    // Another reader's saved stories stay.
    let other = signed_in(&app, "stayer@example.net", "Stayer").await;
    assert_eq!(save(&app, &other, public).await.status(), 303);
    assert_eq!(saved_rows(&app).await, 3);
    let deleted = reader
        .post(
            &app,
            "/account/delete",
            &[("password", READER_PASSWORD), ("confirm", "yes")],
        )
        .await;
    assert_eq!(deleted.status(), 303);
    assert_eq!(saved_rows(&app).await, 1);
}

on_both_databases!(
    saving_and_removing_need_the_sessions_token,
    only_public_stories_are_saved_and_listed,
    the_list_pages_newest_saved_first,
    export_lists_them_and_deleting_the_account_removes_them,
);
