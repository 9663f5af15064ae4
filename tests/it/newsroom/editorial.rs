//! The editorial service's promises over HTTP: an embargo set on a published
//! story takes it off every surface of the node that set it before the request
//! returns; an embargo that ends brings it back by itself; a kill or an embargo
//! that fails part-way changes nothing.

use super::workflow::{create, save};
use crate::helpers::{Backend, TestApp};
use crate::on_both_databases;
use dateline::domain::story::Status;
use dateline::domain::user::Role;

on_both_databases!(
    an_embargo_after_publishing_hides_the_story_at_once,
    a_kill_that_fails_part_way_changes_nothing,
    an_embargo_that_fails_part_way_changes_nothing,
);

/// Every public surface that lists or shows story `id` with `headline`.
fn surfaces(id: i64) -> Vec<String> {
    vec![
        format!("/news/{id}"),
        "/".into(),
        "/news/europe".into(),
        "/news/world".into(),
        "/feeds/news.rss".into(),
        "/feeds/news.atom".into(),
        format!("/api/v1/stories/{id}"),
        "/api/v1/stories".into(),
        "/sitemaps/stories-1.xml".into(),
    ]
}

/// The surfaces (followed through redirects) whose body shows `needle`.
async fn showing(app: &TestApp, id: i64, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for path in surfaces(id) {
        let mut path = path;
        for _ in 0..3 {
            let response = app.get(&path).await;
            if response.status().is_redirection() {
                path = response.headers()["location"].to_str().unwrap().to_string();
                continue;
            }
            if response.status() == 200 && response.text().await.unwrap().contains(needle) {
                found.push(path.clone());
            }
            break;
        }
    }
    found
}

fn local_time(app: &TestApp, at: i64) -> String {
    dateline::domain::timefmt::from_unix(at)
        .to_zoned(app.state.site.time_zone.clone())
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

async fn an_embargo_after_publishing_hides_the_story_at_once(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let id = create(&app, &editor, "Harbour bridge reopens", "publish").await;
    // Every surface shows it, and is cached now.
    // The slug: in every link, feed item, sitemap entry and API document.
    let before = showing(&app, id, "harbour-bridge-reopens").await;
    assert_eq!(
        before.len(),
        surfaces(id).len(),
        "public everywhere: {before:?}"
    );

    let until = (app.clock.now() + 2 * 86_400) / 60 * 60;
    let response = save(
        &app,
        &editor,
        id,
        &[
            ("headline", "Harbour bridge reopens"),
            ("embargo", &local_time(&app, until)),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    // No waiting: the node that took the action dropped its own copies.
    assert_eq!(
        showing(&app, id, "harbour-bridge-reopens").await,
        Vec::<String>::new(),
        "an embargoed story is on no surface"
    );

    // When the embargo ends, the scheduler brings it back everywhere by itself.
    app.clock.set(until);
    // Two schedulers at once (as on two nodes): exactly one ends it.
    let (one, two) = (app.state.editorial(), app.state.editorial());
    let (a, b) = tokio::join!(
        dateline::editorial::end_due_embargoes(&one, until),
        dateline::editorial::end_due_embargoes(&two, until)
    );
    let ended: Vec<i64> = a.unwrap().into_iter().chain(b.unwrap()).collect();
    assert_eq!(ended, vec![id], "ended exactly once");
    let audit = app.store.audit_entries(None, 50).await.unwrap();
    let endings = audit.iter().filter(|e| e.action == "embargo_end").count();
    assert_eq!(endings, 1, "one audit row");
    let after = showing(&app, id, "harbour-bridge-reopens").await;
    assert_eq!(after.len(), surfaces(id).len(), "public again: {after:?}");
}

/// Makes the database refuse audit rows for `action`: a failure in the last
/// step of the action's transaction.
async fn fail_audit_of(app: &TestApp, action: &str) {
    let statements: Vec<String> = match app.backend() {
        Backend::Sqlite => vec![format!(
            "CREATE TRIGGER injected_failure BEFORE INSERT ON audit_log WHEN NEW.action = '{action}' \
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        )],
        Backend::Postgres => vec![
            format!(
                "CREATE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
                 IF NEW.action = '{action}' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$"
            ),
            "CREATE TRIGGER injected_failure BEFORE INSERT ON audit_log FOR EACH ROW \
             EXECUTE FUNCTION injected_failure()"
                .to_string(),
        ],
    };
    for sql in statements {
        app.execute(&sql).await;
    }
}

async fn a_kill_that_fails_part_way_changes_nothing(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let id = create(&app, &editor, "Council approves budget", "publish").await;
    let surfaces_before = showing(&app, id, "Council approves budget").await;
    let story_before = app.store.story(id).await.unwrap().unwrap();
    let log_before = app.store.last_invalidation().await.unwrap();
    fail_audit_of(&app, "kill").await;

    let response = editor
        .post(
            &app,
            &format!("/newsroom/stories/{id}/kill"),
            &[("confirm", "yes"), ("reason", "legal")],
        )
        .await;
    assert_eq!(response.status(), 500, "the failure is reported");
    assert_eq!(app.store.story(id).await.unwrap().unwrap(), story_before);
    assert_eq!(story_before.status, Status::Published);
    assert_eq!(
        app.store.last_invalidation().await.unwrap(),
        log_before,
        "nothing logged"
    );
    assert_eq!(
        showing(&app, id, "Council approves budget").await,
        surfaces_before,
        "still public everywhere"
    );
}

async fn an_embargo_that_fails_part_way_changes_nothing(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let id = create(&app, &editor, "Museum wins award", "publish").await;
    let surfaces_before = showing(&app, id, "Museum wins award").await;
    let story_before = app.store.story(id).await.unwrap().unwrap();
    let revisions_before = app.store.revisions(id).await.unwrap().len();
    fail_audit_of(&app, "embargo").await;

    let until = app.clock.now() + 86_400;
    let response = save(
        &app,
        &editor,
        id,
        &[
            ("headline", "Museum wins award"),
            ("embargo", &local_time(&app, until)),
        ],
    )
    .await;
    assert_eq!(response.status(), 500, "the failure is reported");
    assert_eq!(app.store.story(id).await.unwrap().unwrap(), story_before);
    assert_eq!(
        app.store.revisions(id).await.unwrap().len(),
        revisions_before,
        "no revision without its audit row"
    );
    assert_eq!(
        showing(&app, id, "Museum wins award").await,
        surfaces_before,
        "still public everywhere"
    );
}
