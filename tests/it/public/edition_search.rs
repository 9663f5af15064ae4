//! Search within one edition, on the demo newsroom's three editions: the public
//! page and the API find an edition's stories only, with its own stemming on
//! PostgreSQL (an Arabic or Russian word in another form) and by the exact word
//! on SQLite; the API's `language` filters search and lists and says which
//! languages there are when it names none of them.

use crate::api::content::{conforms, get_json};
use crate::helpers::{Backend, TestApp};
use crate::on_both_databases_with_demo;
use scraper::{Html, Selector};

/// The result links of a public search page, after checking it answered 200.
async fn result_links(app: &TestApp, path: &str) -> Vec<String> {
    let (status, page) = app.page(path).await;
    assert_eq!(status, 200, "{path}");
    let html = Html::parse_document(&page);
    let links = Selector::parse("ol.search-results h3 a").unwrap();
    html.select(&links)
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect()
}

/// The edition a story path belongs to, by its prefix.
fn edition_of(path: &str) -> &'static str {
    if path.starts_with("/arabic/") {
        "arabic"
    } else if path.starts_with("/russian/") {
        "russian"
    } else {
        "english"
    }
}

fn query(words: &str) -> String {
    form_urlencoded::byte_serialize(words.as_bytes()).collect()
}

async fn each_edition_searches_only_its_own_stories(app: TestApp) {
    // "2030" is in stories of all three editions.
    for (search, edition) in [
        ("/search", "english"),
        ("/arabic/search", "arabic"),
        ("/russian/search", "russian"),
    ] {
        let links = result_links(&app, &format!("{search}?q=2030")).await;
        assert!(!links.is_empty(), "{search} finds 2030");
        for link in &links {
            assert_eq!(edition_of(link), edition, "{search} gave {link}");
        }
    }
    // The exact words of an Arabic and a Russian headline, in their editions only.
    let levant = |links: &[String]| links.iter().any(|l| l.starts_with("/arabic/news/levant/"));
    let baltic = |links: &[String]| links.iter().any(|l| l.starts_with("/russian/news/baltic/"));
    let arabic = query("كهربائية");
    let russian = query("забастовку");
    let found = result_links(&app, &format!("/arabic/search?q={arabic}")).await;
    assert!(levant(&found), "{found:?}");
    let found = result_links(&app, &format!("/russian/search?q={russian}")).await;
    assert_eq!(found.len(), 1);
    assert!(baltic(&found), "{found:?}");
    for other in ["/search", "/russian/search"] {
        assert!(result_links(&app, &format!("{other}?q={arabic}"))
            .await
            .is_empty());
    }
    for other in ["/search", "/arabic/search"] {
        assert!(result_links(&app, &format!("{other}?q={russian}"))
            .await
            .is_empty());
    }
    // Forms of those words that no story has as written: كهربائي (electric) for
    // كهربائية, забастовкой for забастовку (strike). PostgreSQL's stemmer for each
    // language finds them; SQLite's FTS5 stems English only.
    let arabic_form = result_links(&app, &format!("/arabic/search?q={}", query("كهربائي"))).await;
    let russian_form =
        result_links(&app, &format!("/russian/search?q={}", query("забастовкой"))).await;
    match app.backend() {
        Backend::Postgres => {
            assert!(levant(&arabic_form), "Arabic stemming: {arabic_form:?}");
            assert!(baltic(&russian_form), "Russian stemming: {russian_form:?}");
            assert!(arabic_form
                .iter()
                .chain(&russian_form)
                .all(|l| edition_of(l) != "english"));
        }
        Backend::Sqlite => {
            assert!(!levant(&arabic_form), "{arabic_form:?}");
            assert!(russian_form.is_empty(), "{russian_form:?}");
        }
    }
    // A section is one of the searching edition's.
    for link in result_links(&app, "/arabic/search?q=2030&section=gulf").await {
        assert!(link.starts_with("/arabic/news/gulf/"), "{link}");
    }
    let (status, _) = app.page("/search?q=2030&section=gulf").await;
    assert_eq!(status, 400, "gulf is an Arabic section, not an English one");
    // Paging stays in the edition.
    let (_, page) = app.page("/arabic/search?q=2030").await;
    assert!(
        !page.contains("href=\"/search?"),
        "paging links stay under /arabic"
    );
    drop(app);
}

async fn the_api_filters_by_language(app: TestApp) {
    let (_, openapi) = get_json(&app, "/api/openapi.json").await;
    // Search: the edition's stories only, each saying its language.
    for (language, prefix) in [
        ("en-GB", "/news/"),
        ("ar", "/arabic/news/"),
        ("ru", "/russian/news/"),
    ] {
        let path = format!("/api/v1/search?q=2030&language={language}");
        let (status, body) = get_json(&app, &path).await;
        assert_eq!(status, 200, "{path}: {body}");
        conforms(&openapi, "SearchResults", &body, &path);
        assert_eq!(body["language"], language);
        let results = body["results"].as_array().unwrap();
        assert!(!results.is_empty(), "{path}");
        for hit in results {
            assert_eq!(hit["story"]["language"], language, "{path}");
            let url = hit["story"]["url"].as_str().unwrap();
            assert!(url.starts_with(&format!("{}{prefix}", app.base)), "{url}");
        }
    }
    // English by default, as before editions.
    let (_, body) = get_json(&app, &format!("/api/v1/search?q={}", query("забастовку"))).await;
    assert_eq!(body["total"], 0, "{body}");
    assert_eq!(body["language"], "en-GB");
    let (_, body) = get_json(
        &app,
        &format!("/api/v1/search?q={}&language=ru", query("забастовку")),
    )
    .await;
    assert_eq!(body["total"], 1, "{body}");
    // Tags are compared without regard to case.
    let (status, _) = get_json(&app, "/api/v1/search?q=2030&language=EN-gb").await;
    assert_eq!(status, 200);
    // An unknown language names the ones there are.
    for path in [
        "/api/v1/search?q=2030&language=fr",
        "/api/v1/stories?language=fr",
    ] {
        let (status, body) = get_json(&app, path).await;
        assert_eq!(status, 400, "{path}");
        conforms(&openapi, "Error", &body, path);
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains("fr"), "{message}");
        for known in ["en-GB", "ar", "ru"] {
            assert!(message.contains(known), "{message} names {known}");
        }
    }

    // Lists: a language alone gives that edition's stories.
    let (status, body) = get_json(&app, "/api/v1/stories?language=ar&limit=100").await;
    assert_eq!(status, 200);
    conforms(&openapi, "StoryList", &body, "Arabic list");
    let stories = body["stories"].as_array().unwrap();
    assert_eq!(stories.len(), 10, "the demo's ten Arabic stories");
    assert!(stories.iter().all(|s| s["language"] == "ar"));
    // A section slug is looked up in the language's edition, English by default.
    let (_, body) = get_json(&app, "/api/v1/stories?language=ru&section=science").await;
    let stories = body["stories"].as_array().unwrap();
    assert!(!stories.is_empty());
    for story in stories {
        assert_eq!(story["language"], "ru");
        assert_eq!(story["section"]["slug"], "science");
    }
    let (_, body) = get_json(&app, "/api/v1/stories?section=science").await;
    let stories = body["stories"].as_array().unwrap();
    assert!(!stories.is_empty());
    assert!(stories.iter().all(|s| s["language"] == "en-GB"), "{body}");
    let (status, body) = get_json(&app, "/api/v1/stories?section=gulf").await;
    assert_eq!(status, 400, "gulf is Arabic: {body}");
    let (status, _) = get_json(&app, "/api/v1/stories?language=ar&section=gulf").await;
    assert_eq!(status, 200);
    // Without a language, every edition's stories, each with its language.
    let (_, body) = get_json(&app, "/api/v1/stories?limit=100").await;
    let languages: std::collections::BTreeSet<&str> = body["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["language"].as_str().unwrap())
        .collect();
    assert_eq!(
        languages.into_iter().collect::<Vec<_>>(),
        ["ar", "en-GB", "ru"]
    );
    drop(app);
}

on_both_databases_with_demo!(
    each_edition_searches_only_its_own_stories,
    the_api_filters_by_language
);
