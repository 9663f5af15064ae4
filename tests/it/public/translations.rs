//! A story's versions in other editions, on the demo newsroom: hreflang links
//! and "Read this in" on article pages (both ways across every translation
//! group, each answering 200), only while a version is public, the API's and
//! ninjs's language and translations, and the sitemaps' alternates.

use std::collections::{BTreeMap, BTreeSet};

use crate::api::content::{conforms, get_json};
use crate::helpers::{full_story, TestApp, TEST_EDITOR};
use crate::on_both_databases_with_demo;
use dateline::editorial::{Edit, EditRequest};
use quick_xml::events::Event;
use scraper::{Html, Selector};

/// An article page's alternates: `hreflang` → absolute URL, `x-default` included.
type Alternates = BTreeMap<String, String>;

/// A story's page by id: its path (after the short address's redirect) and HTML.
async fn article(app: &TestApp, id: i64) -> (String, String) {
    let response = app.get(&format!("/news/{id}")).await;
    assert_eq!(response.status(), 301, "/news/{id}");
    let path = response.headers()["location"].to_str().unwrap().to_string();
    let (status, html) = app.page(&path).await;
    assert_eq!(status, 200, "{path}");
    (path, html)
}

fn alternates(html: &str) -> Alternates {
    let doc = Html::parse_document(html);
    let links = Selector::parse("head link[rel=alternate][hreflang]").unwrap();
    doc.select(&links)
        .map(|l| {
            let attr = |name| l.value().attr(name).unwrap().to_string();
            (attr("hreflang"), attr("href"))
        })
        .collect()
}

/// "Read this in": each link's (hreflang, lang, href, text).
fn read_this_in(html: &str) -> Vec<(String, String, String, String)> {
    let doc = Html::parse_document(html);
    let links = Selector::parse("aside.translations a").unwrap();
    doc.select(&links)
        .map(|a| {
            let attr = |name| a.value().attr(name).unwrap_or_default().to_string();
            (
                attr("hreflang"),
                attr("lang"),
                attr("href"),
                a.text().collect(),
            )
        })
        .collect()
}

/// Every story id a demo newsroom can have.
fn all_ids() -> Vec<i64> {
    (1..=400).collect()
}

async fn demo_translations_name_each_other_both_ways(app: TestApp) {
    let groups = app.store.translation_groups(&all_ids()).await.unwrap();
    assert!(groups.len() >= 5, "the demo links five groups: {groups:?}");
    assert!(
        groups.iter().any(|g| g.members.len() == 3),
        "one story is in all three editions"
    );
    let (_, openapi) = get_json(&app, "/api/openapi.json").await;
    let names: BTreeMap<&str, &str> = [("en-GB", "English"), ("ar", "العربية"), ("ru", "Русский")]
        .into_iter()
        .collect();
    for group in &groups {
        let mut seen: Option<Alternates> = None;
        for id in &group.members {
            let (path, html) = article(&app, *id).await;
            let found = alternates(&html);
            let own = format!("{}{path}", app.base);
            assert!(
                found.values().any(|href| *href == own),
                "{path} names itself"
            );
            let (original_path, _) = article(&app, group.original).await;
            assert_eq!(
                found.get("x-default"),
                Some(&format!("{}{original_path}", app.base)),
                "{path}: x-default is the original"
            );
            assert_eq!(found.len(), group.members.len() + 1, "{path}: {found:?}");
            // Every page of the group names the same versions: the links go both ways.
            if let Some(seen) = &seen {
                assert_eq!(seen, &found, "{path}");
            }
            // The box names the others, each in its own language.
            let others = read_this_in(&html);
            assert_eq!(others.len(), group.members.len() - 1, "{path}");
            for (hreflang, lang, href, text) in &others {
                assert_eq!(hreflang, lang);
                assert_eq!(found.get(hreflang), Some(&format!("{}{href}", app.base)));
                assert_eq!(
                    names.get(hreflang.as_str()).copied(),
                    Some(text.as_str()),
                    "{path}"
                );
            }
            // The API says the same.
            let (status, story) = get_json(&app, &format!("/api/v1/stories/{id}")).await;
            assert_eq!(status, 200);
            conforms(&openapi, "Story", &story, "story with translations");
            let language = story["language"].as_str().unwrap();
            assert_eq!(
                found.get(language),
                Some(&own),
                "{path}: language {language}"
            );
            let translations = story["translations"].as_array().unwrap();
            assert_eq!(translations.len(), group.members.len() - 1);
            for t in translations {
                let tag = t["language"].as_str().unwrap();
                assert_eq!(found.get(tag).map(String::as_str), t["url"].as_str());
                let (status, _) =
                    get_json(&app, &t["api_url"].as_str().unwrap().replace(&app.base, "")).await;
                assert_eq!(status, 200);
            }
            let (_, ninjs) = get_json(&app, &format!("/api/v1/stories/{id}/ninjs")).await;
            conforms(&openapi, "Ninjs", &ninjs, "ninjs with translations");
            assert_eq!(ninjs["language"], language);
            let versions: BTreeSet<&str> = ninjs["associations"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|a| a["name"].as_str().unwrap().starts_with("translation-"))
                .map(|a| a["language"].as_str().unwrap())
                .collect();
            let expected: BTreeSet<&str> = translations
                .iter()
                .map(|t| t["language"].as_str().unwrap())
                .collect();
            assert_eq!(versions, expected, "ninjs {id}");
            seen = Some(found);
        }
        // Each target answers.
        for href in seen.unwrap().values() {
            let path = href.strip_prefix(&app.base).unwrap();
            assert_eq!(app.get(path).await.status(), 200, "{href}");
        }
    }
    drop(app);
}

async fn hidden_translations_are_not_named(app: TestApp) {
    let now = app.state.now();
    let english = app
        .publish(
            &full_story(app.section_id("world"), None, "Talks resume in Geneva"),
            now - 600,
        )
        .await;
    let arabic_edition = app.state.editions.by_key("arabic").unwrap().id;
    let gulf = app
        .state
        .sections
        .by_slug(arabic_edition, "gulf")
        .unwrap()
        .id;
    let arabic_content = full_story(gulf, None, "استئناف المحادثات في جنيف");
    let arabic = app.draft(&arabic_content, now - 500).await;
    app.state
        .editorial()
        .link_translation(TEST_EDITOR, &app.state.editions, english, arabic, now - 450)
        .await
        .expect("linked");

    // A draft is named nowhere.
    let (_, html) = article(&app, english).await;
    assert!(
        alternates(&html).is_empty(),
        "a draft translation is not named"
    );
    assert!(read_this_in(&html).is_empty());
    let (_, story) = get_json(&app, &format!("/api/v1/stories/{english}")).await;
    assert_eq!(story["translations"], serde_json::json!([]));

    // Published: the page already cached names it (the draft's key purged it).
    let draft = app.store.story(arabic).await.unwrap().unwrap();
    app.edit(
        Some(&draft),
        &arabic_content,
        EditRequest::Publish { significant: true },
        now - 400,
    )
    .await;
    let (_, html) = article(&app, english).await;
    assert_eq!(alternates(&html).len(), 3, "en-GB, ar and x-default");
    assert_eq!(read_this_in(&html).len(), 1);
    let (_, story) = get_json(&app, &format!("/api/v1/stories/{english}")).await;
    assert_eq!(story["translations"][0]["language"], "ar");

    assert_eq!(named(&app, english).await, vec!["ar"; 5]);

    // Embargoed after publishing: named nowhere until the embargo ends.
    let published = app.store.story(arabic).await.unwrap().unwrap();
    let until = now + 3_600;
    let embargo = Edit {
        content: &arabic_content,
        base_revision: None,
        embargo: Some(until),
        request: EditRequest::Publish { significant: false },
    };
    app.state
        .editorial()
        .save(TEST_EDITOR, Some(&published), embargo, now - 350)
        .await
        .expect("an embargo");
    assert!(
        named(&app, english).await.is_empty(),
        "an embargoed translation is not named"
    );
    app.clock.set(until + 1);
    dateline::editorial::end_due_embargoes(&app.state.editorial(), until + 1)
        .await
        .unwrap();
    assert_eq!(named(&app, english).await, vec!["ar"; 5], "named again");

    // Killed: gone from the page, the API and the sitemaps again.
    let published = app.store.story(arabic).await.unwrap().unwrap();
    app.state
        .editorial()
        .kill(TEST_EDITOR, &published, "legal", until + 2)
        .await
        .unwrap();
    let (_, html) = article(&app, english).await;
    assert!(
        alternates(&html).is_empty(),
        "a killed translation is not named"
    );
    assert!(read_this_in(&html).is_empty());
    let (_, story) = get_json(&app, &format!("/api/v1/stories/{english}")).await;
    assert_eq!(story["translations"], serde_json::json!([]));
    let urls = sitemap_urls(&app).await;
    let (path, _) = article(&app, english).await;
    let entry = &urls[&format!("{}{path}", app.base)];
    assert!(entry.is_empty(), "no alternates in the sitemap: {entry:?}");
    assert!(named(&app, english).await.is_empty());
    drop(app);
}

/// The languages the English story `id`'s surfaces name a version in, one entry
/// per surface that names one: its page's hreflang alternates, "Read this in",
/// the API's translations, ninjs's associations and its sitemap entry.
async fn named(app: &TestApp, id: i64) -> Vec<String> {
    let (path, html) = article(app, id).await;
    let others = |tags: Vec<String>| -> Option<String> {
        tags.into_iter().find(|t| t != "en-GB" && t != "x-default")
    };
    let (_, story) = get_json(app, &format!("/api/v1/stories/{id}")).await;
    let (_, ninjs) = get_json(app, &format!("/api/v1/stories/{id}/ninjs")).await;
    let sitemap = sitemap_urls(app).await;
    let entry = sitemap[&format!("{}{path}", app.base)].clone();
    let found = [
        others(alternates(&html).into_keys().collect()),
        others(read_this_in(&html).into_iter().map(|l| l.0).collect()),
        others(
            story["translations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["language"].as_str().unwrap().to_string())
                .collect(),
        ),
        others(
            ninjs["associations"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|a| a["name"].as_str().unwrap_or("").starts_with("translation-"))
                .map(|a| a["language"].as_str().unwrap().to_string())
                .collect(),
        ),
        others(entry.into_keys().collect()),
    ];
    found.into_iter().flatten().collect()
}

/// Every address in the sitemaps (but the news one) with its alternates.
async fn sitemap_urls(app: &TestApp) -> BTreeMap<String, Alternates> {
    let (status, index) = app.page("/sitemap.xml").await;
    assert_eq!(status, 200);
    let files: Vec<String> = xml_elements(&index)
        .into_iter()
        .filter(|(name, _, _)| name == "loc")
        .map(|(_, text, _)| text)
        .filter(|loc| !loc.ends_with("/news.xml"))
        .collect();
    let mut urls = BTreeMap::new();
    for file in files {
        let (status, xml) = app.page(file.strip_prefix(&app.base).unwrap()).await;
        assert_eq!(status, 200, "{file}");
        assert!(
            xml.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""),
            "{file} declares the xhtml namespace"
        );
        let mut current: Option<String> = None;
        for (name, text, attributes) in xml_elements(&xml) {
            match name.as_str() {
                "loc" => {
                    urls.insert(text.clone(), Alternates::new());
                    current = Some(text);
                }
                "xhtml:link" => {
                    assert_eq!(attributes["rel"], "alternate");
                    let url = current.as_ref().expect("a link inside a url");
                    urls.get_mut(url)
                        .unwrap()
                        .insert(attributes["hreflang"].clone(), attributes["href"].clone());
                }
                _ => {}
            }
        }
    }
    urls
}

/// Parses `xml` (failing the test if it is not well-formed) into its elements
/// in order: name, text, attributes.
fn xml_elements(xml: &str) -> Vec<(String, String, BTreeMap<String, String>)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut elements: Vec<(String, String, BTreeMap<String, String>)> = Vec::new();
    // The open elements, innermost last: text belongs to the innermost.
    let mut open: Vec<usize> = Vec::new();
    loop {
        let event = reader.read_event().expect("well-formed XML");
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let attributes = e
                    .attributes()
                    .map(|a| {
                        let a = a.expect("an attribute");
                        (
                            String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                            String::from_utf8(a.value.to_vec()).unwrap(),
                        )
                    })
                    .collect();
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                elements.push((name, String::new(), attributes));
                if matches!(event, Event::Start(_)) {
                    open.push(elements.len() - 1);
                }
            }
            Event::End(_) => {
                open.pop();
            }
            Event::Text(t) => {
                if let Some(&innermost) = open.last() {
                    elements[innermost]
                        .1
                        .push_str(std::str::from_utf8(t).unwrap());
                }
            }
            Event::Eof => return elements,
            _ => {}
        }
    }
}

async fn sitemaps_list_every_edition_with_its_alternates(app: TestApp) {
    let urls = sitemap_urls(&app).await;
    for home in ["/", "/arabic", "/russian"] {
        let home = format!("{}{home}", app.base);
        let alternates = urls.get(&home).unwrap_or_else(|| panic!("{home} listed"));
        assert_eq!(
            alternates.keys().map(String::as_str).collect::<Vec<_>>(),
            ["ar", "en-GB", "ru", "x-default"],
            "{home}"
        );
    }
    let stories = |prefix: &str| {
        urls.keys()
            .filter(|u| {
                u.starts_with(&format!("{}{prefix}/news/", app.base))
                    && u.rsplit('-')
                        .next()
                        .is_some_and(|id| id.parse::<i64>().is_ok())
            })
            .count()
    };
    assert_eq!(stories("/arabic"), 10, "every Arabic story");
    assert_eq!(stories("/russian"), 10, "every Russian story");
    let with_alternates: Vec<(&String, &Alternates)> =
        urls.iter().filter(|(_, a)| !a.is_empty()).collect();
    assert!(
        with_alternates.len() >= 3 + 11,
        "homes and translated stories"
    );
    for (url, alternates) in with_alternates {
        assert!(
            alternates.values().any(|href| href == url),
            "{url} names itself"
        );
        assert!(alternates.contains_key("x-default"), "{url}");
        // Every alternate is an address of the sitemaps, which names them back.
        for href in alternates.values() {
            assert_eq!(urls.get(href), Some(alternates), "{url} → {href}");
        }
    }
    drop(app);
}

on_both_databases_with_demo!(
    demo_translations_name_each_other_both_ways,
    hidden_translations_are_not_named,
    sitemaps_list_every_edition_with_its_alternates
);
