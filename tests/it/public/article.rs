//! The article page: the reference page's anatomy, in order, and its print view.

use crate::helpers::{at, full_story, TestApp, TEST_EDITOR};
use crate::on_both_databases;
use scraper::{Html, Selector};

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).expect("selector"))
        .collect()
}

fn text(el: &scraper::ElementRef<'_>) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Byte offset of `needle` in `html`, failing the test when it is missing.
fn position(html: &str, needle: &str) -> usize {
    html.find(needle)
        .unwrap_or_else(|| panic!("page lacks {needle:?}"))
}

async fn article_has_the_reference_anatomy_in_order(app: TestApp) {
    let europe = app.section_id("europe");
    let image = app.add_image(1200, 675).await;
    let related_id = app
        .publish(
            &full_story(europe, None, "An earlier related story"),
            at("2009-02-07T10:00:00Z"),
        )
        .await;
    let mut promo_ids = Vec::new();
    for n in 1..=3 {
        promo_ids.push(
            app.publish(
                &full_story(
                    app.section_id("science"),
                    None,
                    &format!("Feature number {n}"),
                ),
                at("2009-01-01T10:00:00Z"),
            )
            .await,
        );
    }
    app.state
        .editorial()
        .curate(TEST_EDITOR, None, &promo_ids, app.clock.now())
        .await
        .unwrap();
    let mut content = full_story(europe, Some(image), "Russia 'positive' on US approach");
    content.related = vec![related_id];
    let id = app.publish(&content, at("2009-02-08T15:04:00Z")).await;

    let path = format!("/news/europe/russia-positive-on-us-approach-{id}");
    let (status, html) = app.page(&path).await;
    assert_eq!(status, 200);

    // The article's parts, in the reference page's order.
    let order = [
        "Page last updated at <time datetime=\"2009-02-08T15:04:00Z\">15:04 GMT, Sunday, 8 February 2009</time>",
        "<h1 id=\"headline\">Russia &#39;positive&#39; on US approach</h1>",
        "alt=\"Two people shaking hands at a conference\"",
        "<figcaption>The two met on the fringes of the forum",
        "<p class=\"intro\"><strong>The intro paragraph tells the whole story.</strong></p>",
        "<h2 class=\"crosshead\">First crosshead</h2>",
        "<blockquote><p>&quot;A quoted remark,&quot; said a spokeswoman.</p></blockquote>",
        "<h2 class=\"crosshead\">Second crosshead</h2>",
        ">Print</a>",
        "Sponsor",
        "Related links",
        "An earlier related story",
        "Conference web site",
        "Dateline News is not responsible for the content of external internet sites",
        "Feature number 1",
        "Feature number 2",
        "Feature number 3",
    ];
    let positions: Vec<usize> = order.iter().map(|n| position(&html, n)).collect();
    for (pair, names) in positions.windows(2).zip(order.windows(2)) {
        assert!(
            pair[0] < pair[1],
            "{:?} should come before {:?}",
            names[0],
            names[1]
        );
    }

    let doc = Html::parse_document(&html);
    // The picture is served in several widths, and its URL works.
    let img = &select(&doc, "figure.lead-image img")[0];
    assert!(img.value().attr("srcset").unwrap().contains("/images/"));
    let src = img.value().attr("src").unwrap().to_string();
    let picture = app.get(&src).await;
    assert_eq!(picture.status(), 200);
    assert_eq!(picture.headers()["content-type"], "image/jpeg");
    // The Print link leads to the print view.
    let print = select(&doc, "a.print")[0]
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert_eq!(print, format!("{path}/print"));
    // External links sit in the related box beside the disclaimer.
    let related = &select(&doc, "aside.related")[0];
    assert!(text(related).contains("Conference web site"));
    assert_eq!(
        select(
            &doc,
            "aside.related a[href='https://example.org/conference']"
        )
        .len(),
        1
    );
    assert_eq!(select(&doc, "aside.promos li a").len(), 3);

    // Site chrome.
    let skip = &select(&doc, "a.skip-link")[0];
    assert_eq!(skip.value().attr("href"), Some("#content"));
    assert_eq!(select(&doc, "main#content").len(), 1);
    let sign_in: Vec<_> = select(&doc, "a")
        .into_iter()
        .filter(|a| text(a) == "Sign in")
        .collect();
    assert_eq!(sign_in.len(), 1, "one Sign in link");
    assert!(!select(&doc, "nav[aria-label='Dateline News navigation']").is_empty());
    let regions: Vec<String> = select(&doc, "nav.regional-nav a")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        regions,
        [
            "Americas",
            "Africa",
            "Europe",
            "Middle East",
            "South Asia",
            "Asia Pacific"
        ]
    );
    let year = jiff::Zoned::now().year();
    let footer = text(&select(&doc, "footer")[0]);
    assert!(
        footer.contains(&format!("Copyright © {year} Dateline News")),
        "{footer}"
    );
    assert!(footer.contains("is not responsible for the content of external sites"));
    assert!(footer.contains(
        "This page is best viewed in an up-to-date web browser with style sheets (CSS) enabled."
    ));
    let read_more = select(&doc, "footer a")
        .into_iter()
        .find(|a| text(a) == "Read more.")
        .expect("Read more link");
    let (policy_status, _) = app.page(read_more.value().attr("href").unwrap()).await;
    assert_eq!(policy_status, 200);
    // The only script element is the JSON-LD data block, which browsers never run.
    assert!(
        select(&doc, "script:not([type='application/ld+json'])").is_empty(),
        "no JavaScript"
    );

    // One small stylesheet, which hides the CSS-off notice. Its budget grew from
    // 8 to 12 KB with the readers' pieces (masthead corner, Save for later,
    // comments, follows); it is about 2.5 KB gzipped.
    let sheets = select(&doc, "link[rel=stylesheet]");
    assert_eq!(sheets.len(), 1);
    let css = app.get(sheets[0].value().attr("href").unwrap()).await;
    assert_eq!(css.status(), 200);
    let css = css.text().await.unwrap();
    assert!(css.contains(".css-notice { display: none; }"));
    assert!(css.len() < 12 * 1024, "stylesheet is {} bytes", css.len());
}

async fn print_view_has_the_article_without_site_navigation(app: TestApp) {
    let image = app.add_image(800, 450).await;
    let id = app
        .publish(
            &full_story(app.section_id("africa"), Some(image), "Print me"),
            at("2026-03-01T09:00:00Z"),
        )
        .await;
    let (status, html) = app.page(&format!("/news/africa/print-me-{id}/print")).await;
    assert_eq!(status, 200);
    let doc = Html::parse_document(&html);
    assert_eq!(text(&select(&doc, "h1")[0]), "Print me");
    assert!(html.contains("09:00 GMT, Sunday, 1 March 2026"));
    assert!(html.contains("First crosshead"));
    assert!(html.contains("noindex"));
    assert!(
        select(&doc, "nav").is_empty(),
        "print view has no navigation"
    );
    assert!(
        html.contains(&format!("{}/news/africa/print-me-{id}", app.base)),
        "names the article's address"
    );
}

async fn old_story_keeps_its_time_stamp_in_todays_chrome(app: TestApp) {
    let id = app
        .publish(
            &full_story(app.section_id("uk"), None, "Grit runs short"),
            at("2009-02-08T15:04:00Z"),
        )
        .await;
    let (_, html) = app.page(&format!("/news/uk/grit-runs-short-{id}")).await;
    assert!(html.contains("15:04 GMT, Sunday, 8 February 2009"));
    let year = jiff::Zoned::now().year();
    assert!(html.contains(&format!("Copyright &copy; {year} Dateline News")));
}

on_both_databases!(
    article_has_the_reference_anatomy_in_order,
    print_view_has_the_article_without_site_navigation,
    old_story_keeps_its_time_stamp_in_todays_chrome,
);

#[tokio::test]
async fn time_stamps_follow_the_configured_time_zone() {
    let app = TestApp::sqlite_with(|site| {
        site.time_zone = jiff::tz::TimeZone::get("Europe/London").unwrap();
        site.time_zone_name = "Europe/London".into();
    })
    .await;
    let summer = app
        .publish(
            &full_story(app.section_id("uk"), None, "Summer story"),
            at("2026-07-01T08:30:00Z"),
        )
        .await;
    let winter = app
        .publish(
            &full_story(app.section_id("uk"), None, "Winter story"),
            at("2026-01-01T00:00:00Z"),
        )
        .await;
    let (_, html) = app.page(&format!("/news/uk/summer-story-{summer}")).await;
    assert!(
        html.contains("09:30 BST, Wednesday, 1 July 2026"),
        "summer time"
    );
    let (_, html) = app.page(&format!("/news/uk/winter-story-{winter}")).await;
    assert!(
        html.contains("00:00 GMT, Thursday, 1 January 2026"),
        "midnight in winter"
    );
}
