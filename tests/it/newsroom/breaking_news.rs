//! The breaking-news banner's page in the newsroom, over HTTP: editors and
//! admins set and remove the banner (the store runs it, the audit log and the
//! invalidation log record it); reporters are refused (403); a line too long or
//! a link that is no web, mail or site address comes back as typed; the XSS
//! corpus typed as the line is inert on the page.

use super::live_desk::{assert_inert, cut, field, xss_corpus};
use crate::helpers::TestApp;
use crate::on_both_databases;
use dateline::domain::user::Role;

on_both_databases!(
    editors_set_and_remove_the_banner,
    reporters_are_refused,
    bad_banners_come_back_as_typed,
    hostile_banners_are_inert,
);

const PAGE: &str = "/newsroom/breaking-news";
const REMOVE: &str = "/newsroom/breaking-news/remove";

fn notice(response: &reqwest::Response) -> String {
    let location = response.headers()["location"].to_str().unwrap();
    let query = location.split_once('?').map(|x| x.1).unwrap_or("");
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "notice")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// The keys logged after row `mark`.
async fn logged_since(app: &TestApp, mark: i64) -> Vec<String> {
    let end = app.store.last_invalidation().await.unwrap();
    app.store
        .invalidations_between(mark + 1, end)
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.keys)
        .collect()
}

async fn editors_set_and_remove_the_banner(app: TestApp) {
    for role in [Role::Editor, Role::Admin] {
        let editor = app.staff(role).await;
        let (_, newsroom) = editor.get(&app, "/newsroom").await;
        assert!(
            newsroom.contains("href=\"/newsroom/breaking-news\""),
            "{role:?}: the link"
        );
        let (status, page) = editor.get(&app, PAGE).await;
        assert_eq!(status, 200);
        assert!(page.contains("No banner is running.") && !page.contains("Remove banner"));

        let mark = app.store.last_invalidation().await.unwrap();
        let set = editor
            .post(
                &app,
                PAGE,
                &[
                    ("text", "  Earthquake hits the capital "),
                    ("link", "/news/world/earthquake-1"),
                ],
            )
            .await;
        assert_eq!(set.status(), 303);
        assert!(notice(&set).contains("running on every public page"));
        let banner = app.store.breaking_news().await.unwrap().expect("a banner");
        assert_eq!(
            (
                banner.text.as_str(),
                banner.link.as_str(),
                banner.set_by.as_str()
            ),
            (
                "Earthquake hits the capital",
                "/news/world/earthquake-1",
                editor.email.as_str()
            )
        );
        assert!(logged_since(&app, mark)
            .await
            .iter()
            .any(|k| k.split(' ').any(|k| k == "chrome")));
        let audit = app.store.audit_entries(None, 1).await.unwrap().remove(0);
        assert_eq!(
            (audit.actor, audit.action.as_str()),
            (editor.email.clone(), "breaking news set")
        );

        let (_, page) = editor.get(&app, PAGE).await;
        assert!(
            page.contains("<a href=\"/news/world/earthquake-1\">Earthquake hits the capital</a>")
        );
        assert!(
            page.contains(&format!("Set by {}", editor.email)) && page.contains("Remove banner")
        );

        // A new banner replaces the running one.
        let replaced = editor
            .post(
                &app,
                PAGE,
                &[
                    ("text", "Aftershock felt"),
                    ("link", "https://example.org/quake"),
                ],
            )
            .await;
        assert_eq!(replaced.status(), 303);
        assert_eq!(
            app.store.breaking_news().await.unwrap().unwrap().text,
            "Aftershock felt"
        );

        let mark = app.store.last_invalidation().await.unwrap();
        let removed = editor.post(&app, REMOVE, &[]).await;
        assert_eq!(removed.status(), 303);
        assert!(notice(&removed).contains("removed"));
        assert_eq!(app.store.breaking_news().await.unwrap(), None);
        assert!(logged_since(&app, mark)
            .await
            .iter()
            .any(|k| k.split(' ').any(|k| k == "chrome")));
        let audit = app.store.audit_entries(None, 1).await.unwrap().remove(0);
        assert_eq!(audit.action, "breaking news removed");
        let (_, page) = editor.get(&app, PAGE).await;
        assert!(page.contains("No banner is running."));
        // Removing when none runs changes nothing and says so.
        let again = editor.post(&app, REMOVE, &[]).await;
        assert_eq!(notice(&again), "No banner was running.");
    }
}

async fn reporters_are_refused(app: TestApp) {
    let reporter = app.staff(Role::Reporter).await;
    let editor = app.staff(Role::Editor).await;
    let (_, newsroom) = reporter.get(&app, "/newsroom").await;
    assert!(!newsroom.contains("/newsroom/breaking-news"));
    assert_eq!(reporter.get(&app, PAGE).await.0, 403);
    let set = reporter
        .post(&app, PAGE, &[("text", "Not mine to say"), ("link", "/")])
        .await;
    assert_eq!(set.status(), 403);
    assert_eq!(app.store.breaking_news().await.unwrap(), None);

    let running = editor
        .post(
            &app,
            PAGE,
            &[("text", "Storm warning"), ("link", "/news/uk")],
        )
        .await;
    assert_eq!(running.status(), 303);
    assert_eq!(reporter.post(&app, REMOVE, &[]).await.status(), 403);
    assert!(
        app.store.breaking_news().await.unwrap().is_some(),
        "still running"
    );
    // Without the token, the editor is refused too.
    assert_eq!(editor.post_raw(&app, REMOVE, &[]).await.status(), 403);
    let forged = editor
        .post_raw(&app, PAGE, &[("text", "Forged"), ("link", "/")])
        .await;
    assert_eq!(forged.status(), 403);
    assert_eq!(
        app.store.breaking_news().await.unwrap().unwrap().text,
        "Storm warning"
    );
    // Signed out: to the sign-in page.
    let anonymous = app.get(PAGE).await;
    assert_eq!(anonymous.status(), 303);
}

async fn bad_banners_come_back_as_typed(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let long = format!(
        "{} the end",
        "Flooding closes roads across the north. ".repeat(4)
    );
    assert!(long.chars().count() > 140);
    let refused = editor
        .post(&app, PAGE, &[("text", &long), ("link", "/news/uk")])
        .await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(page.contains("at most 140 characters"), "{page}");
    assert_eq!(
        (field(&page, "text"), field(&page, "link")),
        (long.clone(), "/news/uk".to_string())
    );
    assert!(page.contains("aria-describedby=\"text-hint text-error\" aria-invalid=\"true\""));

    for link in [
        "javascript:alert(1)",
        "",
        "//evil.example/x",
        "data:text/html,x",
    ] {
        let refused = editor
            .post(&app, PAGE, &[("text", "Big news"), ("link", link)])
            .await;
        assert_eq!(refused.status(), 422, "{link}");
        let page = refused.text().await.unwrap();
        assert!(page.contains("The link cannot be used"), "{link}");
        assert_eq!(field(&page, "text"), "Big news");
        assert!(page.contains("id=\"link-error\""));
        assert_inert(&page, link);
    }
    let empty = editor
        .post(&app, PAGE, &[("text", " "), ("link", "/")])
        .await;
    assert_eq!(empty.status(), 422);
    assert!(empty.text().await.unwrap().contains("Write the banner"));
    assert_eq!(app.store.breaking_news().await.unwrap(), None);
}

async fn hostile_banners_are_inert(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    for (n, payload) in xss_corpus().iter().enumerate() {
        let text = cut(payload, 140);
        let answer = editor
            .post(
                &app,
                PAGE,
                &[
                    ("text", &text),
                    ("link", "/news/uk?a=\"><script>x</script>"),
                ],
            )
            .await;
        let status = answer.status().as_u16();
        let page = if status == 303 {
            editor.get(&app, PAGE).await.1
        } else {
            assert_eq!(status, 422, "{payload}");
            answer.text().await.unwrap()
        };
        assert_inert(&page, &format!("banner {n}: {payload}"));
        assert!(!page.contains("<script>x"), "{payload}");
    }
}
