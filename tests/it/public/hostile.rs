//! Hostile text in every field of a story comes out as inert, escaped text,
//! whether it came through validation or was written to the database directly.

use crate::helpers::{at, TestApp, TEST_EDITOR};
use crate::on_both_databases;
use dateline::domain::story::{ExternalLink, LeadImage, StoryContent};
use scraper::{Html, Selector};

const SCRIPT: &str = "<script>x</script>";
const ATTRIBUTE: &str = "\"><img onerror=y>";
const QUOTES: &str = "' onclick='y'";
const CONTROLS: &str = "a\u{202e}b\u{7}\u{1b}";
const TEMPLATE: &str = "{{7*7}}";

/// Short enough for every field's length limit (the promo headline's 60 is the tightest).
fn hostile(field: &str) -> String {
    format!("{field} {SCRIPT}{ATTRIBUTE}{QUOTES}{CONTROLS}{TEMPLATE}")
}

fn hostile_story(section_id: i64, image_id: i64, body: String, link_url: &str) -> StoryContent {
    StoryContent {
        slug: "hostile".into(),
        section_id,
        headline: hostile("headline"),
        promo_headline: hostile("p"),
        summary: hostile("summary"),
        byline: hostile("byline"),
        body,
        lead_image: Some(LeadImage {
            image_id,
            alt: hostile("alt"),
            caption: hostile("caption"),
            credit: hostile("credit"),
        }),
        related: vec![],
        links: vec![ExternalLink {
            title: hostile("link"),
            url: link_url.into(),
        }],
    }
}

/// Fails when a page could run script or shows raw control characters.
fn assert_inert(html: &str, page: &str) {
    let doc = Html::parse_document(html);
    let all = Selector::parse("*").unwrap();
    for el in doc.select(&all) {
        let name = el.value().name();
        if name == "script" {
            // Only the JSON-LD data block, whole and valid, with nothing that could end it early.
            assert_eq!(
                el.value().attr("type"),
                Some("application/ld+json"),
                "{page}: a script element"
            );
            let data: String = el.text().collect();
            assert!(
                !data.contains('<') && serde_json::from_str::<serde_json::Value>(&data).is_ok(),
                "{page}: JSON-LD {data}"
            );
            continue;
        }
        assert!(
            !matches!(name, "iframe" | "object" | "embed"),
            "{page}: <{name}> element"
        );
        if name == "img" {
            let src = el.value().attr("src").unwrap_or("");
            assert!(src.starts_with("/images/"), "{page}: img src {src:?}");
        }
        for (attr, value) in el.value().attrs() {
            assert!(
                !attr.starts_with("on"),
                "{page}: event handler attribute {attr}"
            );
            let v = value.trim().to_ascii_lowercase();
            assert!(
                !v.starts_with("javascript:") && !v.starts_with("data:"),
                "{page}: {attr}={value:?}"
            );
        }
    }
    for bad in ['\u{202e}', '\u{0}', '\u{7}', '\u{1b}'] {
        assert!(
            !html.contains(bad),
            "{page}: control character {bad:?} in output"
        );
    }
}

/// `link_kept`: whether the story's external link had a safe URL and should be shown.
async fn check_pages(app: &TestApp, id: i64, link_kept: bool) {
    app.state
        .editorial()
        .curate(TEST_EDITOR, None, &[id], app.clock.now())
        .await
        .unwrap();
    let other = app
        .publish(
            &crate::helpers::full_story(app.section_id("europe"), None, "Neighbour"),
            at("2026-01-01T00:00:00Z"),
        )
        .await;
    let mut pages = vec![
        "/".to_string(),
        "/news/europe".to_string(),
        "/news/world".to_string(),
    ];
    pages.push(format!("/news/europe/hostile-{id}"));
    pages.push(format!("/news/europe/hostile-{id}/print"));
    pages.push(format!("/news/europe/neighbour-{other}"));
    for page in &pages {
        let (status, html) = app.page(page).await;
        assert_eq!(status, 200, "{page}");
        assert_inert(&html, page);
    }
    let (_, html) = app.page(&format!("/news/europe/hostile-{id}")).await;
    assert!(
        !html.contains("<script>") && !html.contains("<img onerror"),
        "markup escaped"
    );
    // The words are still there for the reader, as text, in every field.
    let doc = Html::parse_document(&html);
    let shown = |css: &str| -> Vec<String> {
        doc.select(&Selector::parse(css).unwrap())
            .map(|el| {
                el.value()
                    .attr("content")
                    .or(el.value().attr("alt"))
                    .map(str::to_string)
                    .unwrap_or_else(|| el.text().collect())
            })
            .collect()
    };
    let expected = |field: &str| format!("{field} {SCRIPT}{ATTRIBUTE}{QUOTES}ab{TEMPLATE}");
    let checks = [
        ("h1", "headline"),
        ("meta[name=description]", "summary"),
        ("p.byline", "byline"),
        ("figure img", "alt"),
        ("span.credit", "credit"),
    ];
    for (css, field) in checks {
        let found = shown(css);
        assert!(
            found.iter().any(|t| t.contains(&expected(field))),
            "{field}: {found:?}"
        );
    }
    assert!(shown("figcaption")[0].starts_with(&expected("caption")));
    if link_kept {
        assert_eq!(shown("figure.body-picture img"), [expected("bodyalt")]);
        assert_eq!(
            shown("figure.body-picture figcaption"),
            [expected("bodycaption")]
        );
    }
    let links = shown("aside.related li a");
    assert_eq!(
        links.iter().any(|t| t.contains(&expected("link"))),
        link_kept,
        "{links:?}"
    );
}

async fn hostile_text_saved_through_validation_is_inert(app: TestApp) {
    let image = app.add_image(400, 300).await;
    let europe = app.section_id("europe");
    // Validation refuses what cannot be made safe: raw HTML in the body, script links.
    let refused = hostile_story(
        europe,
        image,
        format!("Body {SCRIPT}"),
        "javascript:alert(1)",
    )
    .validate(None)
    .unwrap_err();
    let fields: Vec<&str> = refused.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["body", "links[0].url"]);
    // With those fixed, every remaining field keeps its (cleaned) text.
    // A picture in the text with hostile words, written as the editor's form writes it.
    let picture = dateline::domain::markup::picture_markup(
        image,
        &hostile("bodyalt"),
        &hostile("bodycaption"),
    );
    let body = format!("Body with \\<script\\> as text {QUOTES} {CONTROLS}\n\n[a link](https://example.org/?q=\"x\")\n\n{picture}");
    let content = hostile_story(europe, image, body, "https://example.org/a?b=\"c\"&d=<e>")
        .validate(None)
        .unwrap();
    assert!(!content.headline.contains('\u{202e}'));
    let id = app.publish(&content, at("2026-02-01T00:00:00Z")).await;
    check_pages(&app, id, true).await;
}

async fn hostile_text_written_directly_to_the_database_is_inert(app: TestApp) {
    let image = app.add_image(400, 300).await;
    // No validation at all: as if an old system or a bug had stored it. (NUL is left
    // out: PostgreSQL refuses it in text, and validation strips it before any save.)
    let content = hostile_story(
        app.section_id("europe"),
        image,
        format!("{SCRIPT}\n\n{ATTRIBUTE}\n\n[x](javascript:alert(1))"),
        "javascript:alert(1)",
    );
    let id = app.publish(&content, at("2026-02-01T00:00:00Z")).await;
    // The script link is dropped from the page.
    check_pages(&app, id, false).await;
}

on_both_databases!(
    hostile_text_saved_through_validation_is_inert,
    hostile_text_written_directly_to_the_database_is_inert
);
