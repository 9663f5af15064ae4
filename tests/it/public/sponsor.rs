//! The sponsor slot as readers see it: a campaign shows only in its window and
//! its places, never where editors switched the slot off, never on a killed or
//! embargoed story, in the print view only when allowed; its picture is public
//! only while it runs somewhere public; clicks and impressions are counted
//! exactly under concurrent requests on two nodes; no cookie is set and the
//! security headers do not change; `/ads.txt` comes from the configuration.

use crate::helpers::{full_story, TestApp, TEST_EDITOR};
use crate::newsroom::sponsor_campaigns::{create, fields, CAMPAIGNS};
use crate::on_both_databases;
use dateline::domain::user::Role;
use scraper::{Html, Selector};

on_both_databases!(
    a_campaign_runs_in_its_window_and_places,
    editors_switch_the_slot_off_and_that_wins,
    hidden_stories_never_show_it_and_the_picture_follows,
    counts_are_exact_under_concurrency_on_two_nodes,
);

/// Fails when a public page could run script: only the JSON-LD block, no event
/// handler attributes, no script addresses.
pub fn assert_public_inert(html: &str) {
    let doc = Html::parse_document(html);
    for el in doc.select(&Selector::parse("*").unwrap()) {
        let name = el.value().name();
        if name == "script" {
            assert_eq!(
                el.value().attr("type"),
                Some("application/ld+json"),
                "a script ran"
            );
        }
        assert!(
            !matches!(name, "iframe" | "object" | "embed" | "svg"),
            "<{name}> on the page"
        );
        for (attr, value) in el.value().attrs() {
            assert!(!attr.starts_with("on"), "{attr}={value:?} on <{name}>");
            assert!(
                !value.trim_start().to_lowercase().starts_with("javascript:"),
                "{attr}={value:?}"
            );
        }
    }
}

/// The campaign ids a page's slot links to.
fn shown(html: &str) -> Vec<i64> {
    let doc = Html::parse_document(html);
    doc.select(&Selector::parse(".sponsor a, .print-sponsor a").unwrap())
        .filter_map(|a| a.value().attr("href"))
        .filter_map(|h| {
            h.strip_prefix("/sponsor/")?
                .strip_suffix("/go")?
                .parse()
                .ok()
        })
        .collect()
}

async fn story(app: &TestApp, section: &str, headline: &str) -> (i64, String) {
    let id = app
        .publish(
            &full_story(app.section_id(section), None, headline),
            app.clock.now() - 600,
        )
        .await;
    let slug = dateline::domain::slug::slugify(headline);
    (id, format!("/news/{section}/{slug}-{id}"))
}

fn with(
    mut fields: Vec<(&'static str, String)>,
    key: &'static str,
    value: String,
) -> Vec<(&'static str, String)> {
    fields.retain(|(k, _)| *k != key);
    fields.push((key, value));
    fields
}

async fn a_campaign_runs_in_its_window_and_places(app: TestApp) {
    let admin = app.staff(Role::Admin).await;
    let (_, in_europe) = story(&app, "europe", "Ferry strike ends").await;
    let (_, in_science) = story(&app, "science", "Comet seen").await;
    let (_, before) = app.page(&in_europe).await;
    assert!(
        before.contains("class=\"sponsor-label\">Sponsor</p>"),
        "the empty slot keeps its label"
    );
    assert!(shown(&before).is_empty());
    // Europe is a region under World: a campaign for World runs on it.
    let world = app.section_id("world");
    let placed = with(fields(&app, "Harbour Bank"), "placement", "sections".into());
    let placed = with(placed, "sections", world.to_string());
    let id = create(&app, &admin, &placed).await;
    let (_, page) = app.page(&in_europe).await;
    assert_eq!(shown(&page), [id], "in its section");
    assert!(page.contains("<strong dir=\"auto\">Harbour Bank</strong>"));
    assert!(page.contains("alt=\"The bank&#39;s lighthouse logo\""));
    let label = page.find("class=\"sponsor-label\">Sponsor</p>").unwrap();
    assert!(
        page.find(">Print</a>").unwrap() < label,
        "beside the print link"
    );
    assert!(page.find("class=\"story-body\"").is_none_or(|b| b < label));
    let (_, elsewhere) = app.page(&in_science).await;
    assert!(shown(&elsewhere).is_empty(), "not outside its sections");
    // Not in the print view unless the campaign allows it.
    let (_, print) = app.page(&format!("{in_europe}/print")).await;
    assert!(shown(&print).is_empty());
    let edit = format!("{CAMPAIGNS}/{id}");
    let record = app.store.sponsor_campaign(id).await.unwrap().unwrap();
    let check = app
        .store
        .image_meta(record.campaign.image_id)
        .await
        .unwrap()
        .unwrap()
        .sha256;
    let printable = with(placed.clone(), "in_print", "yes".into());
    let printable = with(printable, "image_id", record.campaign.image_id.to_string());
    let printable = with(printable, "image_check", check);
    let saved =
        crate::newsroom::sponsor_campaigns::post_campaign(&app, &admin, &edit, &printable, None)
            .await;
    assert_eq!(saved.status(), 303);
    let (_, print) = app.page(&format!("{in_europe}/print")).await;
    assert_eq!(shown(&print), [id], "in print once allowed");

    // The window: a campaign starting in an hour shows from then, on every cached page.
    let later = with(
        fields(&app, "Later Ltd"),
        "starts_at",
        local(&app, app.clock.now() + 3600),
    );
    let later_id = create(&app, &admin, &later).await;
    let (_, page) = app.page(&in_science).await;
    assert!(shown(&page).is_empty(), "not before it starts");
    dateline::web::sponsor_book::tick(&app.state);
    app.clock.advance(3700);
    dateline::web::sponsor_book::tick(&app.state);
    let (_, page) = app.page(&in_science).await;
    assert_eq!(
        shown(&page),
        [later_id],
        "from its start (the page cache was dropped)"
    );
    // After its end, nowhere.
    app.clock.advance(2 * 86_400);
    dateline::web::sponsor_book::tick(&app.state);
    for path in [&in_europe, &in_science] {
        let (_, page) = app.page(path).await;
        assert!(shown(&page).is_empty(), "{path} after the end");
    }
    assert_eq!(
        app.get(&format!("/sponsor/{id}/picture")).await.status(),
        404
    );
    // The feeds and the API never carry it.
    for feed in ["/feeds/news.rss", "/feeds/europe.atom", "/sitemap.xml"] {
        let (_, body) = app.page(feed).await;
        assert!(!body.contains("/sponsor/"), "{feed}");
    }
}

fn local(app: &TestApp, t: i64) -> String {
    dateline::domain::timefmt::from_unix(t)
        .to_zoned(app.state.site.time_zone.clone())
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

async fn editors_switch_the_slot_off_and_that_wins(app: TestApp) {
    let admin = app.staff(Role::Admin).await;
    let editor = app.staff(Role::Editor).await;
    let reporter = app.staff(Role::Reporter).await;
    let (tragedy, tragedy_path) = story(&app, "europe", "Ferry sinks").await;
    let (_, other_path) = story(&app, "europe", "Ferry timetable").await;
    let placed = with(fields(&app, "Cruise Co"), "placement", "stories".into());
    let placed = with(placed, "stories", tragedy.to_string());
    let sold = create(&app, &admin, &placed).await;
    let site_wide = create(&app, &admin, &fields(&app, "Harbour Bank")).await;
    let (_, page) = app.page(&tragedy_path).await;
    assert_eq!(shown(&page).len(), 1);
    let (_, other) = app.page(&other_path).await;
    assert_eq!(
        shown(&other),
        [site_wide],
        "a story campaign stays on its story"
    );

    let slot = format!("/newsroom/stories/{tragedy}/sponsor-slot");
    assert_eq!(reporter.get(&app, &slot).await.0, 403);
    assert_eq!(
        reporter
            .post(&app, &slot, &[("slot", "off")])
            .await
            .status(),
        403
    );
    assert_eq!(
        editor.post(&app, &slot, &[("slot", "off")]).await.status(),
        303
    );
    assert_eq!(
        app.store.audit_entries(None, 1).await.unwrap()[0].action,
        "sponsor slot switched off"
    );
    let (_, page) = app.page(&tragedy_path).await;
    assert!(!page.contains("class=\"sponsor\""), "no slot at all");
    assert!(
        !page.contains(&format!("/sponsor/{sold}/"))
            && !page.contains(&format!("/sponsor/{site_wide}/"))
    );
    let (_, print) = app.page(&format!("{tragedy_path}/print")).await;
    assert!(shown(&print).is_empty());
    // Sold only for a story whose slot is off, its picture shows nowhere.
    assert_eq!(
        app.get(&format!("/sponsor/{sold}/picture")).await.status(),
        404
    );
    let (_, other) = app.page(&other_path).await;
    assert_eq!(shown(&other), [site_wide]);
    assert_eq!(
        editor.post(&app, &slot, &[("slot", "on")]).await.status(),
        303
    );
    let (_, page) = app.page(&tragedy_path).await;
    assert_eq!(shown(&page).len(), 1, "on again");
}

async fn hidden_stories_never_show_it_and_the_picture_follows(app: TestApp) {
    let admin = app.staff(Role::Admin).await;
    let (killed, killed_path) = story(&app, "europe", "Doomed story").await;
    let (embargoed, embargoed_path) = story(&app, "europe", "Held story").await;
    let placed = with(fields(&app, "Harbour Bank"), "placement", "stories".into());
    let placed = with(placed, "stories", format!("{killed}, {embargoed}"));
    let id = create(&app, &admin, &placed).await;
    let picture = format!("/sponsor/{id}/picture");
    let fetched = app.get(&picture).await;
    assert_eq!(fetched.status(), 200);
    assert_eq!(fetched.headers()["cache-control"], "no-store");
    assert_eq!(fetched.headers()["content-type"], "image/jpeg");
    // The picture is no ordinary public picture.
    let image = app
        .store
        .sponsor_campaign(id)
        .await
        .unwrap()
        .unwrap()
        .campaign
        .image_id;
    assert_eq!(app.get(&format!("/images/{image}/320")).await.status(), 404);

    let story = app.store.story(killed).await.unwrap().unwrap();
    app.state
        .editorial()
        .kill(TEST_EDITOR, &story, "legal advice", app.clock.now())
        .await
        .unwrap();
    assert_eq!(app.page(&killed_path).await.0, 410);
    assert_eq!(
        app.get(&picture).await.status(),
        200,
        "still runs on the other story"
    );
    app.store
        .set_embargo(embargoed, Some(app.clock.now() + 86_400))
        .await
        .unwrap();
    app.state.records.clear();
    app.state.cache.invalidate(&[format!("story-{embargoed}")]);
    assert_eq!(app.page(&embargoed_path).await.0, 404);
    assert_eq!(app.get(&picture).await.status(), 404, "runs nowhere public");
    assert_eq!(
        app.get(&format!("/sponsor/{id}/go")).await.status(),
        303,
        "a click still leads on"
    );
}

async fn counts_are_exact_under_concurrency_on_two_nodes(app: TestApp) {
    let admin = app.staff(Role::Admin).await;
    let (_, path) = story(&app, "europe", "Busy story").await;
    let id = create(&app, &admin, &fields(&app, "Harbour Bank")).await;
    let plain = app.get(&path).await;
    let headers_without: Vec<_> = ["content-security-policy", "referrer-policy"]
        .iter()
        .map(|h| plain.headers().get(*h).cloned())
        .collect();
    let second = app.another_node().await;
    let mut tasks = Vec::new();
    for n in 0..200 {
        let (base, client) = if n % 2 == 0 {
            (app.base.clone(), app.client.clone())
        } else {
            (second.base.clone(), second.client.clone())
        };
        tasks.push(tokio::spawn(async move {
            let go = client
                .get(format!("{base}/sponsor/{id}/go"))
                .send()
                .await
                .unwrap();
            let seen = client
                .get(format!("{base}/sponsor/{id}/picture"))
                .send()
                .await
                .unwrap();
            (
                go.status().as_u16(),
                go.headers().get("location").cloned(),
                seen.status().as_u16(),
                go.headers().contains_key("set-cookie")
                    || seen.headers().contains_key("set-cookie"),
            )
        }));
    }
    for task in tasks {
        let (go, location, seen, cookie) = task.await.unwrap();
        assert_eq!((go, seen), (303, 200));
        assert_eq!(
            location.unwrap(),
            "https://bank.example/offer?from=dateline"
        );
        assert!(!cookie, "no cookie is ever set");
    }
    let counts = app.store.sponsor_counts(Some(id)).await.unwrap();
    assert_eq!(counts.len(), 1);
    assert_eq!((counts[0].impressions, counts[0].clicks), (200, 200));
    // The page with the campaign keeps the same security headers and stays cacheable.
    let page = app.get(&path).await;
    for (header, before) in ["content-security-policy", "referrer-policy"]
        .iter()
        .zip(headers_without)
    {
        assert_eq!(page.headers().get(*header).cloned(), before, "{header}");
    }
    assert!(page.headers()["cache-control"]
        .to_str()
        .unwrap()
        .starts_with("public"));
    assert!(page.headers()["surrogate-key"]
        .to_str()
        .unwrap()
        .split(' ')
        .any(|k| k == "sponsors"));
    assert!(!page.headers().contains_key("set-cookie"));
    let html = page.text().await.unwrap();
    assert_eq!(shown(&html), [id]);
    // The second node follows a change made on the first.
    let (_, on_second) = second.page(&path).await;
    assert_eq!(shown(&on_second), [id]);
    assert_eq!(
        admin
            .post(&app, &format!("{CAMPAIGNS}/{id}/end"), &[])
            .await
            .status(),
        303
    );
    second.follower_read_log().await;
    for _ in 0..50 {
        let (_, on_second) = second.page(&path).await;
        if shown(&on_second).is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let (_, on_second) = second.page(&path).await;
    assert!(shown(&on_second).is_empty(), "ended on the other node too");
    drop(second);
}

#[tokio::test]
async fn ads_txt_comes_from_the_configuration() {
    let none = TestApp::sqlite().await;
    assert_eq!(none.get("/ads.txt").await.status(), 404);
    let lines = "example-exchange.com, pub-123, DIRECT, f08c47fec0942fa0\n";
    let app = TestApp::sqlite_with(|site| site.ads_txt = Some(lines.into())).await;
    let response = app.get("/ads.txt").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; charset=utf-8"
    );
    assert_eq!(response.text().await.unwrap(), lines);
}
