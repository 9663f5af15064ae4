//! Feeds, sitemaps, robots.txt and the metadata in article pages.

use crate::helpers::{at, full_story, TestApp};
use crate::on_both_databases;
use dateline::domain::story::Status;

async fn feed(app: &TestApp, path: &str) -> feed_rs::model::Feed {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    let bytes = response.bytes().await.unwrap();
    feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{path} does not parse: {e}"))
}

async fn feeds_are_valid_and_stable(app: TestApp) {
    let europe = app.section_id("europe");
    let now = app.clock.now();
    let id = app
        .publish(
            &full_story(europe, None, "Feed story <one> & \"two\""),
            now - 3600,
        )
        .await;
    let draft = app
        .draft(&full_story(europe, None, "Draft never in feeds"), now)
        .await;
    let embargoed = app
        .draft(&full_story(europe, None, "Embargoed never in feeds"), now)
        .await;
    app.store
        .set_embargo(embargoed, Some(now + 86_400))
        .await
        .unwrap();
    let killed = app
        .publish(&full_story(europe, None, "Killed never in feeds"), now - 60)
        .await;
    app.store.set_status(killed, Status::Killed).await.unwrap();
    let _ = (draft, embargoed);

    for path in [
        "/feeds/news.rss",
        "/feeds/news.atom",
        "/feeds/europe.rss",
        "/feeds/europe.atom",
        "/feeds/world.rss",
        "/feeds/world.atom",
    ] {
        let parsed = feed(&app, path).await;
        assert!(!parsed.title.as_ref().unwrap().content.is_empty());
        let titles: Vec<String> = parsed
            .entries
            .iter()
            .map(|e| e.title.as_ref().unwrap().content.clone())
            .collect();
        assert!(
            titles.contains(&"Feed story <one> & \"two\"".to_string()),
            "{path}: {titles:?}"
        );
        assert!(
            !titles.iter().any(|t| t.contains("never in feeds")),
            "{path}: {titles:?}"
        );
        for entry in &parsed.entries {
            assert!(
                entry.links.iter().all(|l| l.href.starts_with(&app.base)),
                "{path}: absolute links"
            );
            assert_eq!(entry.id, format!("{}/news/{id}", app.base));
            assert!(
                entry.published.is_some() || entry.updated.is_some(),
                "{path}: dated"
            );
        }
    }
    let business = feed(&app, "/feeds/business.rss").await;
    assert!(
        business.entries.is_empty(),
        "section feeds hold only their sections"
    );
    assert_eq!(app.get("/feeds/nowhere.rss").await.status(), 404);
    assert_eq!(app.get("/feeds/news.json").await.status(), 404);
    let rss = app.get("/feeds/news.rss").await;
    assert_eq!(
        rss.headers()["content-type"],
        "application/rss+xml; charset=utf-8"
    );
    let text = rss.text().await.unwrap();
    assert!(
        text.contains("<pubDate>") && text.contains("+0000</pubDate>"),
        "RFC 822 dates"
    );
    assert!(text.contains("rel=\"self\""), "self link");

    // Updating the story (new headline and slug) keeps its guid.
    let mut changed = full_story(europe, None, "Feed story renamed");
    changed.slug = "renamed".into();
    let story = app.store.story(id).await.unwrap().expect("story");
    app.edit(
        Some(&story),
        &changed,
        dateline::editorial::EditRequest::Publish { significant: true },
        now,
    )
    .await;
    let parsed = feed(&app, "/feeds/news.atom").await;
    let entry = parsed
        .entries
        .iter()
        .find(|e| e.title.as_ref().unwrap().content == "Feed story renamed")
        .expect("renamed entry");
    assert_eq!(entry.id, format!("{}/news/{id}", app.base));

    // Pages point at their feeds.
    let (_, front) = app.page("/").await;
    assert!(
        front.contains("<link rel=\"alternate\" type=\"application/rss+xml\"")
            && front.contains("href=\"/feeds/news.rss\"")
    );
    let (_, section) = app.page("/news/europe").await;
    assert!(section.contains("href=\"/feeds/europe.atom\""));
}

async fn sitemaps_and_robots(app: TestApp) {
    let now = app.clock.now();
    let fresh = app
        .publish(
            &full_story(app.section_id("asia-pacific"), None, "Fresh news"),
            now - 3600,
        )
        .await;
    let old = app
        .publish(
            &full_story(app.section_id("uk"), None, "Old news"),
            at("2009-02-08T15:04:00Z"),
        )
        .await;
    let robots = app.page("/robots.txt").await.1;
    assert!(
        robots.contains(&format!("Sitemap: {}/sitemap.xml", app.base))
            && robots.contains("Disallow: /newsroom/")
    );
    let (status, index) = app.page("/sitemap.xml").await;
    assert_eq!(status, 200);
    assert!(
        index.contains("<sitemapindex")
            && index.contains("/sitemaps/stories-1.xml")
            && index.contains("/sitemaps/news.xml")
    );
    assert!(!index.contains("stories-2.xml"), "one page for few stories");
    let stories = app.page("/sitemaps/stories-1.xml").await.1;
    assert!(stories.contains(&format!(
        "<loc>{}/news/asia-pacific/fresh-news-{fresh}</loc>",
        app.base
    )));
    assert!(stories.contains(&format!(
        "/news/uk/old-news-{old}</loc><lastmod>2009-02-08T15:04:00Z</lastmod>"
    )));
    let news = app.page("/sitemaps/news.xml").await.1;
    assert!(news.contains("xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\""));
    assert!(news.contains("<news:title>Fresh news</news:title>"));
    assert!(!news.contains("Old news"), "only the last 48 hours");
    assert!(app
        .page("/sitemaps/sections.xml")
        .await
        .1
        .contains("/news/europe</loc>"));
    assert_eq!(app.get("/sitemaps/stories-2.xml").await.status(), 404);
    assert_eq!(app.get("/sitemaps/stories-0.xml").await.status(), 404);
}

async fn articles_carry_structured_data_and_social_cards(app: TestApp) {
    let image = app.add_image(1200, 675).await;
    let mut content = full_story(
        app.section_id("europe"),
        Some(image),
        "Talks </script><script>alert(1)</script> end",
    );
    content.summary = "A summary for search engines.".into();
    let id = app.publish(&content, at("2026-03-01T09:00:00Z")).await;
    let response = app
        .get(&format!(
            "/news/europe/talks-script-script-alert-1-script-end-{id}"
        ))
        .await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("<meta name=\"description\" content=\"A summary for search engines.\">"));
    assert!(html.contains("<meta property=\"og:type\" content=\"article\">"));
    assert!(html.contains(&format!(
        "<meta property=\"og:image\" content=\"{}/images/{image}/976\">",
        app.base
    )));
    assert!(html.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    let json = html
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .unwrap()
        .split("</script>")
        .next()
        .unwrap();
    assert!(
        !json.contains('<'),
        "nothing in the JSON-LD can close the element"
    );
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(value["@type"], "NewsArticle");
    assert_eq!(
        value["headline"],
        "Talks </script><script>alert(1)</script> end"
    );
    assert_eq!(value["datePublished"], "2026-03-01T09:00:00Z");
    assert_eq!(value["dateModified"], "2026-03-01T09:00:00Z");
    assert_eq!(value["articleSection"], "Europe");
    assert_eq!(
        value["author"]["name"],
        "Ada Reporter, Europe correspondent"
    );
    assert_eq!(value["publisher"]["name"], "Dateline News");
    assert_eq!(
        value["image"][0],
        format!("{}/images/{image}/976", app.base)
    );
    assert_eq!(html.matches("<script").count(), 1, "only the data block");
}

on_both_databases!(
    feeds_are_valid_and_stable,
    sitemaps_and_robots,
    articles_carry_structured_data_and_social_cards
);
