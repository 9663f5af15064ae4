//! The newsroom's script and stylesheet: every newsroom page loads them from
//! 'self' under content-hashed names; the public site never does.

use crate::helpers::TestApp;
use crate::on_both_databases;
use dateline::domain::user::Role;

/// The addresses in `html` (up to the closing quote) that start with `prefix`.
fn assets(html: &str, prefix: &str) -> Vec<String> {
    html.match_indices(prefix)
        .filter_map(|(at, _)| {
            html[at..]
                .find('"')
                .map(|end| html[at..at + end].to_string())
        })
        .collect()
}

async fn newsroom_pages_load_the_script_and_public_pages_do_not(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let (status, page) = editor.get(&app, "/newsroom/stories/new").await;
    assert_eq!(status, 200);
    let found = assets(&page, "/static/newsroom.");
    let script = found.iter().find(|a| a.ends_with(".js"));
    let script = script
        .expect("the editor loads the newsroom script")
        .clone();
    let stylesheet = found.iter().find(|a| a.ends_with(".css"));
    let stylesheet = stylesheet.expect("and the newsroom stylesheet").clone();
    assert!(
        page.contains(&format!("<script src=\"{script}\" defer></script>")),
        "a deferred script from 'self', nothing inline"
    );
    for (path, content_type) in [
        (script, "text/javascript; charset=utf-8"),
        (stylesheet, "text/css; charset=utf-8"),
    ] {
        let response = app.get(&path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["content-type"], content_type);
        assert_eq!(
            response.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert!(!response.text().await.unwrap().is_empty());
    }
    // The hooks the script looks for are on the editor's form.
    assert!(page.contains("id=\"story-form\""));
    assert!(page.contains("data-autosave=\"/newsroom/stories/new/autosave\""));
    assert!(page.contains("data-limit=\"120\""), "headline limit");
    // A changed file gets a new name; an old name is not served.
    assert_eq!(
        app.get("/static/newsroom.0000000000.js").await.status(),
        404
    );

    for path in ["/", "/news/world", "/search?q=rain"] {
        let (status, public) = app.page(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            !public.contains("/static/newsroom."),
            "{path} loads nothing of the newsroom"
        );
        assert!(!public.contains("<script src="), "{path} runs no script");
    }
}

on_both_databases!(newsroom_pages_load_the_script_and_public_pages_do_not);
