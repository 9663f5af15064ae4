//! The editorial workflow through the newsroom's forms: publishing, updates,
//! corrections, kills, slugs, schedules, embargoes, conflicts and history.

use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::staff::{borrow, story_fields, story_id_from, Browser};
use dateline::domain::user::Role;

/// Creates a story through the editor with `action` and returns its id.
pub async fn create(
    app: &TestApp,
    who: &Browser,
    headline: &'static str,
    action: &'static str,
) -> i64 {
    let fields = story_fields(app.section_id("europe"), headline, action);
    let response = who
        .post_story(app, "/newsroom/stories", &borrow(&fields), None)
        .await;
    assert_eq!(response.status(), 303, "create {headline}");
    story_id_from(&response)
}

/// The editor's current base revision for a story.
async fn base_revision(app: &TestApp, who: &Browser, id: i64) -> String {
    let (_, page) = who.get(app, &format!("/newsroom/stories/{id}")).await;
    let at = page
        .find("name=\"base_revision\" value=\"")
        .expect("base revision")
        + 28;
    page[at..].split('"').next().unwrap().to_string()
}

/// Saves a story through the editor with changed fields.
pub async fn save(
    app: &TestApp,
    who: &Browser,
    id: i64,
    changes: &[(&'static str, &str)],
) -> reqwest::Response {
    let base = base_revision(app, who, id).await;
    let mut fields = story_fields(app.section_id("europe"), "Unused", "save");
    fields.retain(|(k, _)| *k != "headline");
    fields.push(("base_revision", base));
    for (k, v) in changes {
        fields.retain(|(key, _)| key != k);
        fields.push((k, v.to_string()));
    }
    who.post_story(
        app,
        &format!("/newsroom/stories/{id}"),
        &borrow(&fields),
        None,
    )
    .await
}

fn updated_stamp(page: &str) -> String {
    page.split("<p class=\"updated\">")
        .nth(1)
        .and_then(|p| p.split("</p>").next())
        .unwrap_or("")
        .to_string()
}

async fn significant_and_minor_updates(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let id = create(&app, &editor, "Port reopens", "publish").await;
    let path = format!("/news/europe/port-reopens-{id}");
    let (status, first) = app.page(&path).await;
    assert_eq!(status, 200);
    let first_stamp = updated_stamp(&first);

    app.clock.advance(3600);
    let minor = save(
        &app,
        &editor,
        id,
        &[
            ("headline", "Port reopens"),
            ("body", "The intro, with a typo fixed.\n\nMore."),
            ("action", "publish"),
            ("update", "minor"),
        ],
    )
    .await;
    assert_eq!(minor.status(), 303);
    let (_, page) = app.page(&path).await;
    assert!(page.contains("with a typo fixed"), "minor fix is live");
    assert_eq!(
        updated_stamp(&page),
        first_stamp,
        "minor fix keeps the time"
    );

    app.clock.advance(3600);
    let major = save(
        &app,
        &editor,
        id,
        &[
            ("headline", "Port reopens"),
            ("body", "Ships are moving again.\n\nMore."),
            ("action", "publish"),
            ("update", "major"),
        ],
    )
    .await;
    assert_eq!(major.status(), 303);
    let (_, page) = app.page(&path).await;
    assert!(page.contains("Ships are moving again"));
    assert_ne!(
        updated_stamp(&page),
        first_stamp,
        "significant update moves the time"
    );

    // A plain save of a published story stays in the newsroom.
    save(
        &app,
        &editor,
        id,
        &[
            ("headline", "Port reopens"),
            ("body", "Unpublished draft words.\n\nMore."),
        ],
    )
    .await;
    let (_, page) = app.page(&path).await;
    assert!(!page.contains("Unpublished draft words"));
    let (_, editor_page) = editor.get(&app, &format!("/newsroom/stories/{id}")).await;
    assert!(
        editor_page.contains("Unpublished draft words")
            && editor_page.contains("not yet published")
    );

    // The public history shows published versions only, with what changed.
    let (status, history) = app.page(&format!("{path}/history")).await;
    assert_eq!(status, 200);
    assert!(
        history.contains("First published")
            && history.contains("Minor correction")
            && history.contains("Updated")
    );
    assert!(history.contains("<ins>"), "a readable diff");
    assert!(!history.contains("Unpublished draft words"), "never drafts");
    assert!(
        page.contains(&format!("href=\"{path}/history\"")),
        "linked from the article"
    );
}

async fn corrections_kills_and_slug_changes(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let id = create(&app, &editor, "Bridge closes", "publish").await;
    let corrected = editor
        .post(
            &app,
            &format!("/newsroom/stories/{id}/correct"),
            &[("text", "An earlier version gave the wrong river.")],
        )
        .await;
    assert_eq!(corrected.status(), 303);
    let (_, page) = app.page(&format!("/news/europe/bridge-closes-{id}")).await;
    assert!(
        page.contains("Corrections") && page.contains("An earlier version gave the wrong river.")
    );
    let (_, history) = app
        .page(&format!("/news/europe/bridge-closes-{id}/history"))
        .await;
    assert!(history.contains("An earlier version gave the wrong river."));

    let renamed = save(
        &app,
        &editor,
        id,
        &[
            ("headline", "Bridge closes"),
            ("slug", "river-bridge-closes"),
            ("action", "publish"),
            ("update", "minor"),
        ],
    )
    .await;
    assert_eq!(renamed.status(), 303);
    let old = app.get(&format!("/news/europe/bridge-closes-{id}")).await;
    assert_eq!(old.status(), 301);
    assert_eq!(
        old.headers()["location"],
        format!("/news/europe/river-bridge-closes-{id}").as_str()
    );

    let killed = editor
        .post(
            &app,
            &format!("/newsroom/stories/{id}/kill"),
            &[("confirm", "yes"), ("reason", "Legal advice")],
        )
        .await;
    assert_eq!(killed.status(), 303);
    let (status, gone) = app
        .page(&format!("/news/europe/river-bridge-closes-{id}"))
        .await;
    assert_eq!(status, 410);
    assert!(gone.contains("removed"));
    assert!(!app.page("/news/europe").await.1.contains("Bridge closes"));
    let (_, killed_list) = editor.get(&app, "/newsroom/stories?show=killed").await;
    assert!(
        killed_list.contains("Bridge closes"),
        "staff still see it in the archive"
    );
    assert_eq!(
        editor.get(&app, &format!("/newsroom/stories/{id}")).await.0,
        200
    );

    let admin = app.staff(Role::Admin).await;
    let (_, audit) = admin.get(&app, "/newsroom/audit").await;
    for action in ["publish", "correct", "kill", "minor_update"] {
        assert!(
            audit.contains(&format!("<td>{action}</td>")),
            "audit has {action}"
        );
    }
    assert!(audit.contains("Legal advice"));
}

async fn revision_history_diffs_any_two_revisions(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let id = create(&app, &editor, "Harvest begins", "save").await;
    save(&app, &editor, id, &[("headline", "Harvest begins early")]).await;
    save(&app, &editor, id, &[("headline", "Harvest begins late")]).await;
    let (status, page) = editor
        .get(&app, &format!("/newsroom/stories/{id}/history?from=1&to=3"))
        .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<ins>late</ins>") || page.contains("<ins> late</ins>"),
        "word-level insert"
    );
    for n in 1..=3 {
        assert!(
            page.contains(&format!("<tr><td>{n}</td>")),
            "revision {n} listed"
        );
    }
    assert!(page.contains(&editor.email), "who saved");
}

async fn two_editors_at_once_get_a_conflict_not_a_silent_overwrite(app: TestApp) {
    let first = app.staff(Role::Editor).await;
    let second = app.staff(Role::Editor).await;
    let id = create(&app, &first, "Talks resume", "save").await;
    let base_first = base_revision(&app, &first, id).await;
    let base_second = base_revision(&app, &second, id).await;
    // Soft lock: the second editor sees the first one has the story open.
    let (_, page) = second.get(&app, &format!("/newsroom/stories/{id}")).await;
    assert!(
        page.contains("is editing this story") && page.contains("<div id=\"presence\""),
        "presence shown"
    );

    let mut fields = story_fields(
        app.section_id("europe"),
        "Talks resume after a week",
        "save",
    );
    fields.push(("base_revision", base_first));
    assert_eq!(
        first
            .post_story(
                &app,
                &format!("/newsroom/stories/{id}"),
                &borrow(&fields),
                None
            )
            .await
            .status(),
        303
    );

    let mut fields = story_fields(app.section_id("europe"), "Talks resume in Geneva", "save");
    fields.push(("base_revision", base_second));
    let conflict = second
        .post_story(
            &app,
            &format!("/newsroom/stories/{id}"),
            &borrow(&fields),
            None,
        )
        .await;
    assert_eq!(conflict.status(), 409);
    let page = conflict.text().await.unwrap();
    assert!(page.contains("Someone else saved this story"));
    assert!(
        page.contains("Talks resume after a week"),
        "their version shown"
    );
    assert!(
        page.contains("value=\"Talks resume in Geneva\""),
        "the second editor's text kept in the form"
    );
    assert!(
        page.contains("<del>") && page.contains("<ins>"),
        "a diff of the two"
    );
    let (_, editor_page) = first.get(&app, &format!("/newsroom/stories/{id}")).await;
    assert!(
        editor_page.contains("value=\"Talks resume after a week\""),
        "nothing overwritten"
    );
}

async fn scheduled_stories_go_live_once_at_their_time(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let tz = app.state.site.time_zone.clone();
    let when = app.clock.now() + 3600;
    let local = dateline::domain::timefmt::from_unix(when)
        .to_zoned(tz)
        .strftime("%Y-%m-%dT%H:%M")
        .to_string();
    let when = dateline::domain::timefmt::from_unix(when)
        .to_zoned(app.state.site.time_zone.clone())
        .timestamp()
        .as_second()
        / 60
        * 60;
    let mut fields = story_fields(app.section_id("europe"), "Budget unveiled", "schedule");
    fields.push(("schedule_at", local));
    let response = editor
        .post_story(&app, "/newsroom/stories", &borrow(&fields), None)
        .await;
    assert_eq!(response.status(), 303);
    let id = story_id_from(&response);
    let (_, scheduled) = editor.get(&app, "/newsroom/stories?show=scheduled").await;
    assert!(scheduled.contains("Budget unveiled"));
    assert_eq!(app.get(&format!("/news/{id}")).await.status(), 404);

    assert!(
        dateline::editorial::publish_due(&app.state.editorial(), when - 1)
            .await
            .unwrap()
            .is_empty(),
        "not a second early"
    );
    // Two schedulers at once (as on two nodes): exactly one publishes.
    let (one, two) = (app.state.editorial(), app.state.editorial());
    let (a, b) = tokio::join!(
        dateline::editorial::publish_due(&one, when),
        dateline::editorial::publish_due(&two, when)
    );
    let published: Vec<i64> = a.unwrap().into_iter().chain(b.unwrap()).collect();
    assert_eq!(published, vec![id], "published exactly once");
    assert!(
        dateline::editorial::publish_due(&app.state.editorial(), when + 5)
            .await
            .unwrap()
            .is_empty()
    );
    app.clock.set(when);
    assert_eq!(app.get(&format!("/news/{id}")).await.status(), 301, "live");
    let revisions = app.store.revisions(id).await.unwrap();
    assert_eq!(revisions.iter().filter(|r| r.published).count(), 1);
}

async fn embargoes_hold_whatever_anyone_clicks(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let tz = app.state.site.time_zone.clone();
    let until = app.clock.now() + 2 * 3600;
    let local = dateline::domain::timefmt::from_unix(until)
        .to_zoned(tz)
        .strftime("%Y-%m-%dT%H:%M")
        .to_string();
    let mut fields = story_fields(app.section_id("europe"), "Prize winner named", "publish");
    fields.push(("embargo", local));
    let response = editor
        .post_story(&app, "/newsroom/stories", &borrow(&fields), None)
        .await;
    assert_eq!(response.status(), 303);
    let id = story_id_from(&response);
    let (_, page) = editor.get(&app, &format!("/newsroom/stories/{id}")).await;
    assert!(page.contains("EMBARGOED until"), "shown prominently");
    // Publish again, and publish via a forged minor update: still nothing public.
    let base = base_revision(&app, &editor, id).await;
    let mut again = story_fields(app.section_id("europe"), "Prize winner named", "publish");
    again.push(("base_revision", base));
    editor
        .post_story(
            &app,
            &format!("/newsroom/stories/{id}"),
            &borrow(&again),
            None,
        )
        .await;
    for path in [
        format!("/news/{id}"),
        "/".to_string(),
        "/news/europe".to_string(),
    ] {
        let (_, body) = app.page(&path).await;
        assert!(
            !body.contains("Prize winner named"),
            "{path} before the embargo"
        );
    }
    // The scheduler cannot release it early either.
    assert!(
        dateline::editorial::publish_due(&app.state.editorial(), until - 60)
            .await
            .unwrap()
            .is_empty()
    );
    let at = until / 60 * 60;
    app.clock.set(at);
    assert_eq!(
        dateline::editorial::publish_due(&app.state.editorial(), at)
            .await
            .unwrap(),
        vec![id]
    );
    assert_eq!(
        app.get(&format!("/news/{id}")).await.status(),
        301,
        "public once the embargo ends"
    );
}

async fn curation_orders_fronts_and_promos(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let first = create(&app, &editor, "Older story", "publish").await;
    app.clock.advance(60);
    let second = create(&app, &editor, "Newer story", "publish").await;
    let top = |html: &str| {
        html.split("class=\"top-story\"")
            .nth(1)
            .unwrap_or("")
            .split("</article>")
            .next()
            .unwrap_or("")
            .to_string()
    };
    assert!(
        top(&app.page("/").await.1).contains("Newer story"),
        "newest on top by default"
    );
    let pos_first = format!("pos_{first}");
    let pos_second = format!("pos_{second}");
    let saved = editor
        .post(
            &app,
            "/newsroom/fronts",
            &[
                ("front", "home"),
                (pos_first.as_str(), "1"),
                (pos_second.as_str(), "2"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);
    assert!(
        top(&app.page("/").await.1).contains("Older story"),
        "editor's choice on top"
    );
    let europe = editor
        .post(
            &app,
            "/newsroom/fronts",
            &[("front", "europe"), (pos_first.as_str(), "1")],
        )
        .await;
    assert_eq!(europe.status(), 303);
    assert!(top(&app.page("/news/europe").await.1).contains("Older story"));
    // A top-level section's placements order its group on the front page.
    let world_group = |html: &str| {
        html.split("aria-labelledby=\"group-world\"")
            .nth(1)
            .unwrap_or("")
            .split("</section>")
            .next()
            .unwrap_or("")
            .to_string()
    };
    app.clock.advance(60);
    create(&app, &editor, "Newest story", "publish").await;
    let order = |group: &str| (group.find("Newer story"), group.find("Newest story"));
    let (newer, newest) = order(&world_group(&app.page("/").await.1));
    assert!(newest < newer, "newest first in the World group by default");
    let world = editor
        .post(
            &app,
            "/newsroom/fronts",
            &[("front", "world"), (pos_second.as_str(), "1")],
        )
        .await;
    assert_eq!(world.status(), 303);
    let (newer, newest) = order(&world_group(&app.page("/").await.1));
    assert!(
        newer.is_some() && newer < newest,
        "the story placed on the World front leads its group on the front page"
    );
    // Related stories are picked by searching headlines in the editor.
    let (_, found) = {
        let mut fields = story_fields(app.section_id("europe"), "Older story", "find_related");
        fields.push(("related_search", "newer".into()));
        let response = editor
            .post_story(
                &app,
                &format!("/newsroom/stories/{first}"),
                &borrow(&fields),
                None,
            )
            .await;
        (response.status(), response.text().await.unwrap())
    };
    assert!(
        found.contains(&format!("name=\"related\" value=\"{second}\"")),
        "search offers the newer story"
    );
    let promo = format!("promo_{second}");
    editor
        .post(&app, "/newsroom/promos", &[(promo.as_str(), "1")])
        .await;
    let (_, article) = app.page(&format!("/news/europe/older-story-{first}")).await;
    let promos = article.split("class=\"promos\"").nth(1).unwrap_or("");
    assert!(promos.contains("Newer story"));
}

on_both_databases!(
    significant_and_minor_updates,
    corrections_kills_and_slug_changes,
    revision_history_diffs_any_two_revisions,
    two_editors_at_once_get_a_conflict_not_a_silent_overwrite,
    scheduled_stories_go_live_once_at_their_time,
    embargoes_hold_whatever_anyone_clicks,
    curation_orders_fronts_and_promos,
);
