//! Search: the public page, the API and the newsroom, on both databases:
//! ranking, phrases, exclusions, filters, paging, escaped snippets, friendly
//! messages for bad queries, and an index that follows publish, update and kill.

use crate::api::content::{conforms, get_json};
use crate::helpers::{at, full_story, TestApp};
use crate::newsroom::workflow::{create, save};
use crate::on_both_databases;
use dateline::domain::story::{Status, StoryContent};
use dateline::domain::user::Role;
use scraper::{Html, Selector};
use serde_json::Value;

pub(crate) fn story(app: &TestApp, section: &str, headline: &str, body: &str) -> StoryContent {
    let mut content = full_story(app.section_id(section), None, headline);
    content.body = body.to_string();
    content
}

/// The result links of a public search page, in order, with its status and HTML.
async fn results(app: &TestApp, path: &str) -> (u16, Vec<String>, String) {
    let (status, page) = app.page(path).await;
    let html = Html::parse_document(&page);
    let links = Selector::parse("ol.search-results h3 a").unwrap();
    let hrefs = html
        .select(&links)
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    (status, hrefs, page)
}

fn ids_of(hrefs: &[String]) -> Vec<i64> {
    hrefs
        .iter()
        .map(|h| h.rsplit('-').next().unwrap().parse().unwrap())
        .collect()
}

async fn ranking_phrases_exclusions_filters_and_paging(app: TestApp) {
    let headline = app
        .publish(
            &story(
                &app,
                "science",
                "Glacier retreat alarms scientists",
                "Measurements show change.",
            ),
            at("2026-01-01T10:00:00Z"),
        )
        .await;
    let body_only = app
        .publish(
            &story(
                &app,
                "europe",
                "Mountain villages adapt",
                "Residents watched the glacier for decades.",
            ),
            at("2026-01-02T10:00:00Z"),
        )
        .await;
    let melting = app
        .publish(
            &story(
                &app,
                "africa",
                "Alpine tourism slows",
                "The glacier is melting fast.",
            ),
            at("2026-01-03T10:00:00Z"),
        )
        .await;
    let talks = app
        .publish(
            &story(
                &app,
                "europe",
                "Climate talks collapse in Bonn",
                "Delegates left.",
            ),
            at("2026-01-02T12:00:00Z"),
        )
        .await;
    let reversed = app
        .publish(
            &story(
                &app,
                "africa",
                "Talks on climate resume",
                "Delegates returned.",
            ),
            at("2026-01-03T12:00:00Z"),
        )
        .await;
    // Never public: a draft, an embargoed story, a scheduled one and a killed one.
    let now = app.clock.now();
    app.draft(&story(&app, "europe", "Glacier draft", "glacier"), now)
        .await;
    let embargoed = app
        .publish(&story(&app, "europe", "Glacier embargo", "glacier"), now)
        .await;
    app.store
        .set_embargo(embargoed, Some(now + 86_400))
        .await
        .unwrap();
    let scheduled = app
        .draft(&story(&app, "europe", "Glacier scheduled", "glacier"), now)
        .await;
    app.store
        .set_schedule(scheduled, Some(now + 86_400))
        .await
        .unwrap();
    let killed = app
        .publish(&story(&app, "europe", "Glacier killed", "glacier"), now)
        .await;
    app.store.set_status(killed, Status::Killed).await.unwrap();

    let (status, hrefs, page) = results(&app, "/search?q=glacier").await;
    assert_eq!(status, 200);
    let ids = ids_of(&hrefs);
    assert_eq!(ids.len(), 3, "only public stories: {ids:?}");
    assert_eq!(
        ids[0], headline,
        "a headline match ranks above body matches"
    );
    assert!(ids.contains(&body_only) && ids.contains(&melting));
    assert!(page.contains("Showing 1&ndash;3 of 3 stories"));
    assert!(
        page.contains("value=\"glacier\""),
        "the query stays in the box"
    );
    let (_, hrefs, _) = results(&app, "/search?q=glaciers").await;
    assert_eq!(ids_of(&hrefs).len(), 3, "words are stemmed");

    let (_, hrefs, _) = results(&app, "/search?q=%22climate+talks%22").await;
    assert_eq!(ids_of(&hrefs), [talks], "a phrase matches in order");
    let (_, hrefs, _) = results(&app, "/search?q=climate+talks").await;
    assert_eq!(ids_of(&hrefs).len(), 2, "words match in any order");
    assert!(ids_of(&hrefs).contains(&reversed));
    let (_, hrefs, _) = results(&app, "/search?q=glacier+-melting").await;
    let ids = ids_of(&hrefs);
    assert_eq!(ids.len(), 2);
    assert!(
        !ids.contains(&melting),
        "an excluded word leaves a story out"
    );
    let (_, hrefs, _) = results(&app, "/search?q=climate+-%22talks+collapse%22").await;
    assert_eq!(ids_of(&hrefs), [reversed], "an excluded phrase");

    let (_, hrefs, _) = results(&app, "/search?q=glacier&section=africa").await;
    assert_eq!(ids_of(&hrefs), [melting]);
    let (_, hrefs, _) = results(&app, "/search?q=glacier&section=world").await;
    assert_eq!(ids_of(&hrefs).len(), 2, "a section includes its regions");
    let (_, hrefs, _) = results(&app, "/search?q=glacier&from=2026-01-02&to=2026-01-02").await;
    assert_eq!(ids_of(&hrefs), [body_only], "dates include the whole day");
    let (_, hrefs, _) = results(&app, "/search?q=delegates&from=2026-01-03").await;
    assert_eq!(ids_of(&hrefs), [reversed]);

    for n in 0..12 {
        app.publish(
            &story(
                &app,
                "uk",
                &format!("Harbour report number {n}"),
                "harbour news",
            ),
            at("2026-02-01T00:00:00Z") + n * 60,
        )
        .await;
    }
    let (_, first, page) = results(&app, "/search?q=harbour").await;
    assert_eq!(first.len(), 10);
    assert!(
        page.contains("href=\"/search?q=harbour&#38;page=2\""),
        "next link"
    );
    let (_, second, page) = results(&app, "/search?q=harbour&page=2").await;
    assert_eq!(second.len(), 2);
    assert!(page.contains("Showing 11&ndash;12 of 12 stories"));
    assert!(page.contains("rel=\"prev\""));
    assert!(
        first.iter().all(|h| !second.contains(h)),
        "pages do not overlap"
    );

    let (_, openapi) = get_json(&app, "/api/openapi.json").await;
    let (status, body) = get_json(&app, "/api/v1/search?q=harbour&limit=5&page=3").await;
    assert_eq!(status, 200);
    conforms(&openapi, "SearchResults", &body, "last page");
    assert_eq!(body["total"], 12);
    assert_eq!(body["results"].as_array().unwrap().len(), 2);
    assert_eq!(body["next_page"], Value::Null);
    let (_, body) = get_json(
        &app,
        "/api/v1/search?q=glacier&section=world&from=2026-01-03",
    )
    .await;
    conforms(&openapi, "SearchResults", &body, "filtered");
    assert_eq!(body["total"], 1);
    assert_eq!(body["next_page"], Value::Null);
    assert_eq!(body["results"][0]["story"]["id"], melting);
    let (_, body) = get_json(&app, "/api/v1/search?q=glacier&limit=1").await;
    assert_eq!(body["results"][0]["story"]["id"], headline);
    assert_eq!(body["next_page"], 2);
    assert!(body["results"][0]["headline_html"]
        .as_str()
        .unwrap()
        .contains("<mark>Glacier</mark>"));
}

async fn snippets_highlight_and_escape(app: TestApp) {
    let id = app
        .publish(
            &story(
                &app,
                "europe",
                "Zebra & <b>crossing</b> row",
                "Beware the zebra <script>alert(1)</script> crossing near the *school* \
                 with a [link](https://example.org/x).",
            ),
            app.clock.now(),
        )
        .await;
    let (status, hrefs, page) = results(&app, "/search?q=zebra").await;
    assert_eq!(status, 200);
    assert_eq!(ids_of(&hrefs), [id]);
    assert!(
        page.contains("<mark>Zebra</mark> &amp; &lt;b&gt;crossing&lt;/b&gt; row"),
        "{page}"
    );
    assert!(page.contains("<mark>zebra</mark>"));
    assert!(
        page.contains("&lt;/script&gt;"),
        "the body's markup is shown, escaped"
    );
    assert!(!page.contains("<script>alert") && !page.contains("<b>crossing"));
    let (_, body) = get_json(&app, "/api/v1/search?q=zebra").await;
    let snippet = body["results"][0]["snippet_html"].as_str().unwrap();
    assert!(snippet.contains("<mark>zebra</mark>"), "{snippet}");
    assert!(snippet.contains("&lt;/script&gt;") && !snippet.contains("<script"));
    assert!(
        !snippet.contains("https://example.org"),
        "link targets are left out"
    );
}

async fn bad_queries_get_a_friendly_message(app: TestApp) {
    app.publish(
        &story(&app, "europe", "Glacier retreat alarms scientists", "Ice."),
        app.clock.now(),
    )
    .await;
    let (status, page) = app.page("/search").await;
    assert_eq!(status, 200);
    assert!(page.contains("id=\"search-q\"") && !page.contains("role=\"alert\""));
    let long = format!("/search?q={}", "a".repeat(201));
    for (path, expected_status, message) in [
        ("/search?q=", 200, "Type a word"),
        ("/search?q=+%21%21+", 200, "Type a word"),
        ("/search?q=%22unclosed", 400, "quotation mark is not closed"),
        ("/search?q=-tax+-vat", 400, "minus sign"),
        (long.as_str(), 400, "too long"),
        ("/search?q=ice&section=nowhere", 400, "no section"),
        (
            "/search?q=ice&from=yesterday",
            400,
            "should look like 2026-11-29",
        ),
        ("/search?q=ice&page=0", 400, "page must be"),
        ("/search?q=ice&page=9999", 400, "page must be"),
    ] {
        let (status, page) = app.page(path).await;
        assert_eq!(status, expected_status, "{path}");
        assert!(page.contains(message), "{path} says {message}");
        assert!(
            page.contains("<form class=\"search-form\""),
            "{path} keeps the form"
        );
    }
    // Engine syntax typed by a reader is only ever words.
    for q in [
        "NEAR(glacier scientists)",
        "headline:glacier",
        "glacier*",
        "^glacier",
        "glacier OR ice AND NOT x",
        "o'brien",
        "back\\slash",
        "a & b | !c <-> d:*",
        "\"\" glacier",
        "the",
        "the -glacier",
        "\u{1f980} glacier",
        "'glacier' \\' \\\\",
    ] {
        let encoded: String = form_urlencoded::byte_serialize(q.as_bytes()).collect();
        let (status, _) = app.page(&format!("/search?q={encoded}")).await;
        assert!(status == 200 || status == 400, "{q:?} gave {status}");
        let (status, body) = get_json(&app, &format!("/api/v1/search?q={encoded}")).await;
        assert!(
            status == 200 || status == 400,
            "API {q:?} gave {status}: {body}"
        );
    }
    let (_, hrefs, _) = results(&app, "/search?q=glacier%3Aretreat").await;
    assert_eq!(hrefs.len(), 1, "a column filter is just a phrase");

    let (_, openapi) = get_json(&app, "/api/openapi.json").await;
    for path in [
        "/api/v1/search",
        "/api/v1/search?q=",
        "/api/v1/search?q=%22open",
        "/api/v1/search?q=-only",
        "/api/v1/search?q=ice&section=nowhere",
        "/api/v1/search?q=ice&limit=500",
        "/api/v1/search?q=ice&colour=red",
    ] {
        let (status, body) = get_json(&app, path).await;
        assert_eq!(status, 400, "{path}");
        conforms(&openapi, "Error", &body, path);
    }
}

async fn the_index_follows_publish_update_and_kill(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    // Each search is cached empty first: a publish must drop these copies at once.
    for q in ["walrus", "kelp", "plankton"] {
        let (_, hrefs, _) = results(&app, &format!("/search?q={q}")).await;
        assert!(hrefs.is_empty());
    }
    let (_, body) = get_json(&app, "/api/v1/search?q=walrus").await;
    assert_eq!(body["total"], 0);

    let id = create(&app, &editor, "Walrus sighting delights coast", "publish").await;
    let (_, hrefs, _) = results(&app, "/search?q=walrus").await;
    assert_eq!(ids_of(&hrefs), [id], "findable as soon as it is published");
    let (_, body) = get_json(&app, "/api/v1/search?q=walrus").await;
    assert_eq!(body["total"], 1);

    let update = |body: &'static str, action: &'static str| {
        let (app, editor) = (&app, &editor);
        async move {
            let response = save(
                app,
                editor,
                id,
                &[
                    ("headline", "Walrus sighting delights coast"),
                    ("body", body),
                    ("action", action),
                    ("update", "major"),
                ],
            )
            .await;
            assert_eq!(response.status(), 303);
        }
    };
    update("Kelp forests recover along the coast.", "publish").await;
    let (_, hrefs, _) = results(&app, "/search?q=kelp").await;
    assert_eq!(ids_of(&hrefs), [id], "an update is findable at once");
    update("Plankton blooms offshore.", "publish").await;
    let (_, hrefs, _) = results(&app, "/search?q=kelp").await;
    assert!(hrefs.is_empty(), "words taken out are no longer found");
    let (_, hrefs, _) = results(&app, "/search?q=plankton").await;
    assert_eq!(ids_of(&hrefs), [id]);
    // Unpublished edits to a live story stay in the newsroom.
    update("Octopus spotted in a secret draft.", "save").await;
    let (_, hrefs, _) = results(&app, "/search?q=octopus").await;
    assert!(hrefs.is_empty(), "a draft edit is not public");

    let killed = editor
        .post(
            &app,
            &format!("/newsroom/stories/{id}/kill"),
            &[("confirm", "yes"), ("reason", "Legal advice")],
        )
        .await;
    assert_eq!(killed.status(), 303);
    let (_, hrefs, _) = results(&app, "/search?q=walrus").await;
    assert!(
        hrefs.is_empty(),
        "a killed story leaves the results at once"
    );
    let (_, body) = get_json(&app, "/api/v1/search?q=walrus").await;
    assert_eq!(body["total"], 0);
}

async fn newsroom_search_covers_drafts_for_staff_only(app: TestApp) {
    let anonymous = app.get("/newsroom/search?q=otter").await;
    assert_eq!(anonymous.status(), 303);
    assert!(anonymous.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/newsroom/sign-in"));

    let (one, two) = (
        app.staff(Role::Reporter).await,
        app.staff(Role::Reporter).await,
    );
    let editor = app.staff(Role::Editor).await;
    let mine = create(&app, &one, "Otter draft one", "save").await;
    let theirs = create(&app, &two, "Otter draft two", "save").await;
    let published = create(&app, &editor, "Otter census published", "publish").await;

    let (status, page) = one.get(&app, "/newsroom/search?q=otter").await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("href=\"/newsroom/stories/{mine}\"")));
    assert!(page.contains(&format!("href=\"/newsroom/stories/{published}\"")));
    assert!(
        !page.contains(&format!("href=\"/newsroom/stories/{theirs}\"")),
        "a reporter does not read another reporter's draft"
    );
    assert!(page.contains("<mark>Otter</mark> draft one"));

    let (_, page) = editor.get(&app, "/newsroom/search?q=otter+-census").await;
    assert!(page.contains(&format!("href=\"/newsroom/stories/{mine}\"")));
    assert!(page.contains(&format!("href=\"/newsroom/stories/{theirs}\"")));
    assert!(!page.contains(&format!("href=\"/newsroom/stories/{published}\"")));
    assert!(page.contains("2 stories match"));

    let (status, page) = editor.get(&app, "/newsroom/search?q=%22otter").await;
    assert_eq!(status, 400);
    assert!(page.contains("quotation mark is not closed"));

    let (_, hrefs, _) = results(&app, "/search?q=otter").await;
    assert_eq!(ids_of(&hrefs), [published], "the public sees no drafts");
}

/// A phrase finds its words side by side only, whatever path the engine takes
/// to it (on PostgreSQL, the index of neighbouring words when the phrase's pairs
/// are rare, as here, and the bands when it has no neighbouring words).
async fn phrases_find_their_words_side_by_side_only(app: TestApp) {
    let when = at("2026-02-01T10:00:00Z");
    let side_by_side = app
        .publish(
            &story(
                &app,
                "europe",
                "Harbour talks expanded quickly",
                "Dock workers met.",
            ),
            when,
        )
        .await;
    let apart = app
        .publish(
            &story(
                &app,
                "europe",
                "Harbour board meets",
                "The talks were expanded to ports.",
            ),
            when + 60,
        )
        .await;
    let reversed = app
        .publish(
            &story(
                &app,
                "africa",
                "Port news",
                "They expanded talks with the harbour.",
            ),
            when + 120,
        )
        .await;
    let in_summary = app
        .publish(
            &{
                let mut content = story(&app, "science", "Ferry timetable", "Nothing here.");
                content.summary = "Ferry talks expanded overnight.".to_string();
                content
            },
            when + 180,
        )
        .await;
    // Never public, though the phrase is in them.
    let killed = app
        .publish(
            &story(&app, "europe", "Talks expanded, killed", "Talks expanded."),
            when + 240,
        )
        .await;
    app.store.set_status(killed, Status::Killed).await.unwrap();
    app.draft(
        &story(&app, "europe", "Talks expanded draft", "Talks expanded."),
        when + 300,
    )
    .await;

    let found = |path: &'static str| {
        let app = &app;
        async move {
            let (status, hrefs, _) = results(app, path).await;
            assert_eq!(status, 200, "{path}");
            let mut ids = ids_of(&hrefs);
            ids.sort();
            ids
        }
    };
    assert_eq!(
        found("/search?q=%22talks+expanded%22").await,
        [side_by_side, in_summary]
    );
    assert_eq!(found("/search?q=%22expanded+talks%22").await, [reversed]);
    // A stop word between: on PostgreSQL "talk" and "expand" two positions apart.
    assert_eq!(found("/search?q=%22talks+were+expanded%22").await, [apart]);
    // Two phrases, and a phrase excluded.
    assert_eq!(
        found("/search?q=%22harbour+talks%22+%22talks+expanded%22").await,
        [side_by_side]
    );
    assert_eq!(
        found("/search?q=talks+-%22talks+expanded%22").await,
        [apart, reversed]
    );
    // Case, punctuation and stemming as for words: "Talks, expanding".
    assert_eq!(
        found("/search?q=%22TALK+expanding%22").await,
        [side_by_side, in_summary]
    );
    // The API's search takes the same path.
    let (status, body) = get_json(&app, "/api/v1/search?q=%22talks+expanded%22").await;
    assert_eq!(status, 200);
    let mut ids: Vec<i64> = body["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|hit| hit["story"]["id"].as_i64().expect("id"))
        .collect();
    ids.sort();
    assert_eq!(ids, [side_by_side, in_summary]);
}

on_both_databases!(
    phrases_find_their_words_side_by_side_only,
    ranking_phrases_exclusions_filters_and_paging,
    snippets_highlight_and_escape,
    bad_queries_get_a_friendly_message,
    the_index_follows_publish_update_and_kill,
    newsroom_search_covers_drafts_for_staff_only,
);
