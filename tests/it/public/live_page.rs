//! Live pages as readers get them, over HTTP: posts newest first under key
//! points, the stream, Atom and script links only while the page runs, the
//! closing summary once it ended, older posts on pages of their own, the
//! public history of post changes, `LiveBlogPosting` structured data, the XSS
//! corpus escaped, cached copies purged when a post changes, nothing of an
//! embargoed or killed live page, and the breaking-news banner on every page.

use crate::helpers::{full_story, TestApp, TEST_EDITOR};
use crate::on_both_databases;
use dateline::domain::story::Story;
use dateline::domain::user::Role;
use dateline::editorial::{Actor, Edit, EditRequest, TypedPost};
use dateline::store::LiveStreamState;
use scraper::{Html, Selector};
use std::sync::atomic::Ordering;

on_both_databases!(
    a_running_live_page_shows_posts_newest_first_with_its_streams,
    an_ended_live_page_shows_its_summary_and_no_stream,
    a_deleted_post_leaves_the_page_and_its_text_the_history,
    older_posts_are_pages_of_their_own,
    an_embargoed_or_killed_live_page_shows_nothing,
    publishing_a_post_purges_the_cached_page,
    posts_from_the_xss_corpus_are_text,
    the_structured_data_is_a_live_blog_posting,
    lists_mark_running_live_pages,
    the_banner_shows_on_every_public_page_until_cleared,
);

const REPORTER: Actor<'static> = Actor {
    name: "reporter",
    role: Role::Reporter,
    user_id: None,
};

fn typed(body: &str) -> TypedPost<'_> {
    TypedPost {
        body,
        image_id: None,
        alt: "",
        byline: "",
    }
}

/// A published story in Europe made a live page; returns it and its address.
async fn live_story(app: &TestApp, headline: &str) -> (Story, String) {
    let content = full_story(app.section_id("europe"), None, headline);
    let now = app.clock.now();
    let id = app.publish(&content, now - 3_600).await;
    let story = app.store.story(id).await.unwrap().unwrap();
    app.state
        .editorial()
        .start_live_page(TEST_EDITOR, &story, now - 3_000)
        .await
        .unwrap();
    let path = format!("/news/europe/{}-{id}", story.content.slug);
    (story, path)
}

/// An editor's post, published at once, at `at`.
async fn post(app: &TestApp, story: &Story, body: &str, at: i64) -> i64 {
    app.state
        .editorial()
        .add_live_post(TEST_EDITOR, story, typed(body), at)
        .await
        .unwrap()
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).expect("selector"))
        .collect()
}

fn attr(doc: &Html, css: &str, name: &str) -> Option<String> {
    select(doc, css)
        .first()
        .and_then(|e| e.value().attr(name))
        .map(str::to_string)
}

/// The ids of the posts on a page, in the page's order.
fn post_ids(doc: &Html) -> Vec<i64> {
    select(doc, "#live-posts > article.live-post")
        .iter()
        .filter_map(|e| e.value().id()?.strip_prefix("post-")?.parse().ok())
        .collect()
}

/// The page's JSON-LD.
fn json_ld(html: &str) -> serde_json::Value {
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + "<script type=\"application/ld+json\">".len();
    let end = html[start..].find("</script>").unwrap() + start;
    serde_json::from_str(&html[start..end]).expect("JSON-LD parses")
}

async fn last_change(app: &TestApp, story_id: i64) -> i64 {
    match app
        .store
        .live_stream_state(story_id, app.clock.now())
        .await
        .unwrap()
    {
        LiveStreamState::Running { last_change } | LiveStreamState::Ended { last_change } => {
            last_change
        }
        other => panic!("not a public live page: {other:?}"),
    }
}

async fn a_running_live_page_shows_posts_newest_first_with_its_streams(app: TestApp) {
    let (story, path) = live_story(&app, "Ferry strike live").await;
    let now = app.clock.now();
    let first = post(&app, &story, "Crews walk out at dawn.", now - 600).await;
    let second = post(&app, &story, "Talks resume at **noon**.", now - 300).await;
    let third = post(&app, &story, "Unions and operators meet.", now - 100).await;
    app.state
        .editorial()
        .pin_live_post(TEST_EDITOR, &story, second, true, now - 50)
        .await
        .unwrap();
    // A reporter's post waits for an editor: never on the page.
    app.state
        .editorial()
        .add_live_post(
            REPORTER,
            &story,
            typed("Unpublished rumour from the quay."),
            now,
        )
        .await
        .unwrap();

    let response = app.get(&path).await;
    assert_eq!(response.status(), 200);
    let cache_control = response.headers()["cache-control"].to_str().unwrap();
    assert!(cache_control.starts_with("public"), "{cache_control}");
    let keys = response.headers()["surrogate-key"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        keys.split(' ').any(|k| k == format!("story-{}", story.id)),
        "{keys}"
    );
    let html = response.text().await.unwrap();
    let doc = Html::parse_document(&html);

    assert_eq!(post_ids(&doc), [third, second, first], "newest first");
    assert!(!html.contains("Unpublished rumour"), "a waiting post shows");
    assert!(html.contains("<p>Talks resume at <strong>noon</strong>.</p>"));
    assert_eq!(select(&doc, "p.live-label").len(), 1, "the LIVE label");
    // Key points, the status region, the reload link and the ended notice in waiting.
    assert_eq!(attr(&doc, "#key-points", "hidden"), None);
    let key = select(&doc, &format!("#key-points li#key-{second} a"));
    assert_eq!(key.len(), 1, "the pinned post is a key point");
    assert_eq!(
        key[0].value().attr("href"),
        Some(format!("#post-{second}").as_str())
    );
    assert_eq!(key[0].text().collect::<String>(), "Talks resume at noon.");
    assert_eq!(select(&doc, "#key-points li").len(), 1);
    assert_eq!(
        attr(&doc, "#live-status", "aria-live").as_deref(),
        Some("polite")
    );
    assert_eq!(attr(&doc, "p.live-refresh a", "href"), Some(path.clone()));
    assert!(attr(&doc, "#live-ended", "hidden").is_some());
    // The streams, the feed and the script, in the head.
    let stream = format!(
        "/live/{}/events?after={}",
        story.id,
        last_change(&app, story.id).await
    );
    assert_eq!(
        attr(
            &doc,
            "head link[type='text/event-stream'][title='Live updates']",
            "href"
        ),
        Some(stream)
    );
    assert_eq!(
        attr(
            &doc,
            "head link[type='text/event-stream'][title='Breaking news']",
            "href"
        )
        .as_deref(),
        Some("/live/breaking-news/events")
    );
    assert_eq!(
        attr(
            &doc,
            "head link[type='application/atom+xml'][href^='/feeds/live/']",
            "href"
        ),
        Some(format!("/feeds/live/{}.atom", story.id))
    );
    let script = attr(&doc, "head script[src]", "src").expect("the live script");
    assert!(
        script.starts_with("/static/live.") && script.ends_with(".js"),
        "{script}"
    );
    assert_eq!(attr(&doc, "head script[src]", "defer").as_deref(), Some(""));
    assert_eq!(app.get(&script).await.status(), 200);
    // The banner's place is kept for the script, hidden while none runs.
    assert!(attr(&doc, "aside#breaking-news", "hidden").is_some());

    // The print view has the posts, without script or streams.
    let (status, print) = app.page(&format!("{path}/print")).await;
    assert_eq!(status, 200);
    let doc = Html::parse_document(&print);
    assert_eq!(post_ids(&doc), [third, second, first]);
    assert!(select(
        &doc,
        "script[src], link[type='text/event-stream'], #live-status"
    )
    .is_empty());

    // An ordinary article has none of it.
    let plain = app
        .publish(
            &full_story(app.section_id("europe"), None, "Quiet day"),
            now,
        )
        .await;
    let (_, html) = app.page(&format!("/news/europe/quiet-day-{plain}")).await;
    for absent in [
        "live-posts",
        "text/event-stream",
        "/feeds/live/",
        "breaking-news",
        "live-label",
    ] {
        assert!(!html.contains(absent), "an ordinary article has {absent}");
    }
}

async fn an_ended_live_page_shows_its_summary_and_no_stream(app: TestApp) {
    let (story, path) = live_story(&app, "Election night live").await;
    let now = app.clock.now();
    post(&app, &story, "Polls close.", now - 60).await;
    app.state
        .editorial()
        .end_live_page(
            TEST_EDITOR,
            &story,
            "The count is over: <b>results</b> are in.",
            now,
        )
        .await
        .unwrap();
    let (status, html) = app.page(&path).await;
    assert_eq!(status, 200);
    let doc = Html::parse_document(&html);
    assert_eq!(attr(&doc, "#live-ended", "hidden"), None);
    assert_eq!(
        select(&doc, "#live-ended p")[0].text().collect::<String>(),
        "The count is over: <b>results</b> are in."
    );
    assert!(select(
        &doc,
        "link[type='text/event-stream'], script[src], p.live-label"
    )
    .is_empty());
    assert!(
        select(&doc, "p.live-refresh").is_empty(),
        "no new posts will come"
    );
    assert_eq!(
        attr(
            &doc,
            "head link[type='application/atom+xml'][href^='/feeds/live/']",
            "href"
        ),
        Some(format!("/feeds/live/{}.atom", story.id))
    );
    assert_eq!(post_ids(&doc).len(), 1);

    let (status, history) = app.page(&format!("{path}/history")).await;
    assert_eq!(status, 200);
    let doc = Html::parse_document(&history);
    let changes: Vec<String> = select(&doc, "ol.live-changes li")
        .iter()
        .map(|li| li.text().collect::<String>())
        .collect();
    assert!(
        changes[0].ends_with("Live page ended: The count is over: <b>results</b> are in."),
        "{changes:?}"
    );
}

async fn a_deleted_post_leaves_the_page_and_its_text_the_history(app: TestApp) {
    let (story, path) = live_story(&app, "Bridge closure live").await;
    let now = app.clock.now();
    let kept = post(&app, &story, "Traffic is diverted east.", now - 300).await;
    let doomed = post(
        &app,
        &story,
        "Wrongly named driver Quentin Bramble.",
        now - 200,
    )
    .await;
    app.state
        .editorial()
        .edit_live_post(
            TEST_EDITOR,
            &story,
            kept,
            typed("Traffic is diverted east and west."),
            now - 150,
        )
        .await
        .unwrap();
    app.state
        .editorial()
        .pin_live_post(TEST_EDITOR, &story, doomed, true, now - 120)
        .await
        .unwrap();
    let (_, html) = app.page(&path).await;
    assert!(html.contains("Quentin Bramble"));
    app.state
        .editorial()
        .delete_live_post(TEST_EDITOR, &story, doomed, now - 100)
        .await
        .unwrap();

    let (_, html) = app.page(&path).await;
    assert!(
        !html.contains("Quentin Bramble"),
        "the deleted post is gone"
    );
    assert_eq!(post_ids(&Html::parse_document(&html)), [kept]);
    assert!(html.contains("Traffic is diverted east and west."));

    let (status, history) = app.page(&format!("{path}/history")).await;
    assert_eq!(status, 200);
    let doc = Html::parse_document(&history);
    let changes: Vec<String> = select(&doc, "ol.live-changes li")
        .iter()
        .map(|li| li.text().collect::<String>())
        .collect();
    assert!(
        changes[0].ends_with("Post deleted"),
        "newest first: {changes:?}"
    );
    assert!(changes[0].contains(" GMT — "), "{changes:?}");
    assert!(changes
        .iter()
        .any(|c| c.contains("Post edited: Traffic is diverted east and west.")));
    assert!(changes.iter().any(|c| c.contains("Pinned as a key point")));
    assert_eq!(
        changes
            .iter()
            .filter(|c| c.contains("Post published"))
            .count(),
        2
    );
    assert!(
        !history.contains("Quentin Bramble"),
        "a deleted post's text in the history"
    );
}

async fn older_posts_are_pages_of_their_own(app: TestApp) {
    let (story, path) = live_story(&app, "Marathon live").await;
    let now = app.clock.now();
    let mut ids = Vec::new();
    for n in 1..=55 {
        ids.push(
            post(
                &app,
                &story,
                &format!("Update number {n}."),
                now - 1_000 + n,
            )
            .await,
        );
    }
    // The oldest is a key point: listed on every page, leading to the page that shows it.
    app.state
        .editorial()
        .pin_live_post(TEST_EDITOR, &story, ids[0], true, now)
        .await
        .unwrap();
    let (_, html) = app.page(&path).await;
    let doc = Html::parse_document(&html);
    let shown = post_ids(&doc);
    assert_eq!(shown.len(), 50);
    assert_eq!(shown[0], ids[54]);
    assert_eq!(shown[49], ids[5]);
    let older = attr(&doc, "p.live-older a", "href").expect("an Older posts link");
    assert_eq!(older, format!("{path}?before=6"));
    let key = attr(&doc, &format!("#key-{} a", ids[0]), "href").unwrap();
    assert_eq!(key, format!("{path}?before=2#post-{}", ids[0]));

    let response = app.get(&older).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["cache-control"]
        .to_str()
        .unwrap()
        .starts_with("public"));
    let html = response.text().await.unwrap();
    let doc = Html::parse_document(&html);
    assert_eq!(
        post_ids(&doc),
        ids[..5].iter().rev().copied().collect::<Vec<_>>()
    );
    assert!(select(&doc, "p.live-older").is_empty());
    assert!(select(&doc, "link[type='text/event-stream'], script[src]").is_empty());
    assert_eq!(attr(&doc, "p.live-refresh a", "href"), Some(path.clone()));
    assert_eq!(
        attr(&doc, &format!("#key-{} a", ids[0]), "href"),
        Some(format!("#post-{}", ids[0]))
    );
    // Served again from the cache.
    let before = app.state.cache.hits.load(Ordering::SeqCst);
    assert_eq!(app.page(&older).await.1, html);
    assert_eq!(app.state.cache.hits.load(Ordering::SeqCst), before + 1);
    // A `before` that is not a place shows the newest.
    let (status, html) = app.page(&format!("{path}?before=x")).await;
    assert_eq!(status, 200);
    assert_eq!(post_ids(&Html::parse_document(&html)).len(), 50);
}

async fn an_embargoed_or_killed_live_page_shows_nothing(app: TestApp) {
    let now = app.clock.now();
    let (embargoed, embargoed_path) = live_story(&app, "Verdict live").await;
    post(&app, &embargoed, "The jury retires.", now - 10).await;
    let (killed, killed_path) = live_story(&app, "Siege live").await;
    post(&app, &killed, "Police cordon widens.", now - 10).await;
    for path in [&embargoed_path, &killed_path] {
        assert_eq!(app.page(path).await.0, 200, "public first");
    }

    let content = embargoed.content.clone();
    let edit = Edit {
        content: &content,
        base_revision: None,
        embargo: Some(now + 3_600),
        request: EditRequest::Save,
    };
    app.state
        .editorial()
        .save(TEST_EDITOR, Some(&embargoed), edit, now)
        .await
        .unwrap();
    app.state
        .editorial()
        .kill(TEST_EDITOR, &killed, "legal advice", now)
        .await
        .unwrap();

    for (path, id, status) in [
        (&embargoed_path, embargoed.id, 404),
        (&killed_path, killed.id, 410),
    ] {
        for suffix in ["", "/print", "/history", "?before=5"] {
            let (got, html) = app.page(&format!("{path}{suffix}")).await;
            assert_eq!(got, status, "{path}{suffix}");
            assert!(!html.contains("The jury retires") && !html.contains("Police cordon"));
        }
        assert_eq!(
            app.get(&format!("/live/{id}/events")).await.status(),
            status
        );
    }
}

async fn publishing_a_post_purges_the_cached_page(app: TestApp) {
    let (story, path) = live_story(&app, "Rescue live").await;
    let now = app.clock.now();
    post(&app, &story, "Divers reach the cave.", now - 100).await;
    let hits = || app.state.cache.hits.load(Ordering::SeqCst);
    let (_, first) = app.page(&path).await;
    let before = hits();
    let (_, again) = app.page(&path).await;
    assert_eq!(hits(), before + 1, "served from the cache");
    assert_eq!(first, again);

    let new = post(&app, &story, "All twelve are out safely.", now).await;
    let (_, html) = app.page(&path).await;
    let doc = Html::parse_document(&html);
    assert_eq!(post_ids(&doc)[0], new, "the new post is on the page");
    let stream = format!(
        "/live/{}/events?after={}",
        story.id,
        last_change(&app, story.id).await
    );
    assert!(
        html.contains(&stream),
        "the stream resumes after the new post"
    );

    // A reporter's waiting post purges nothing and shows nothing.
    app.state
        .editorial()
        .add_live_post(REPORTER, &story, typed("Draft: numbers unconfirmed."), now)
        .await
        .unwrap();
    let before = hits();
    let (_, html) = app.page(&path).await;
    assert_eq!(hits(), before + 1);
    assert!(!html.contains("numbers unconfirmed"));
}

/// The XSS corpus's payloads, their escapes decoded.
fn xss_payloads() -> Vec<String> {
    let corpus = include_str!("../../fixtures/xss-payloads.txt");
    corpus
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with("# "))
        .map(decode)
        .collect()
}

fn decode(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('u') => {
                let hex: String = if chars.peek() == Some(&'{') {
                    chars.next();
                    chars.by_ref().take_while(|c| *c != '}').collect()
                } else {
                    chars.by_ref().take(4).collect()
                };
                if let Some(c) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    out.push(c);
                }
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

async fn posts_from_the_xss_corpus_are_text(app: TestApp) {
    let (story, path) = live_story(&app, "Hostile input live").await;
    let now = app.clock.now();
    let image = app.add_image(800, 450).await;
    let payloads = xss_payloads();
    assert!(payloads.len() > 20);
    let (mut bodies, mut bylines) = (0, 0);
    for (n, payload) in payloads.iter().enumerate() {
        // Each payload as the body, the byline and the alt text; where the
        // rules refuse it (a body must parse as markup, a byline is short, alt
        // text must say something), in fewer places.
        let whole = TypedPost {
            body: payload,
            image_id: Some(image),
            alt: payload,
            byline: payload,
        };
        let plain = "A post about hostile input.";
        let tries = [
            whole,
            TypedPost {
                byline: "",
                ..whole
            },
            TypedPost {
                body: plain,
                ..whole
            },
            TypedPost {
                body: plain,
                image_id: None,
                ..whole
            },
            TypedPost {
                body: plain,
                byline: "",
                ..whole
            },
        ];
        let at = now - 5_000 + n as i64;
        let mut posted = false;
        for post in tries {
            let editorial = app.state.editorial();
            if editorial
                .add_live_post(TEST_EDITOR, &story, post, at)
                .await
                .is_ok()
            {
                bodies += usize::from(post.body == payload.as_str());
                bylines += usize::from(!post.byline.is_empty());
                posted = true;
                break;
            }
        }
        assert!(posted, "payload {n} never posted");
    }
    assert!(
        bodies > 0 && bylines > 0,
        "{bodies} bodies and {bylines} bylines accepted"
    );
    // Every page of posts, the history and the print view.
    let mut pages = vec![format!("{path}/history"), format!("{path}/print")];
    let mut next = Some(path.clone());
    while let Some(page) = next {
        let (_, html) = app.page(&page).await;
        next = attr(&Html::parse_document(&html), "p.live-older a", "href");
        pages.push(page);
    }
    assert!(pages.len() > 3, "the posts fill several pages");
    for page in pages {
        let (status, html) = app.page(&page).await;
        assert_eq!(status, 200, "{page}");
        let doc = Html::parse_document(&html);
        let scripts: Vec<_> = select(&doc, "script")
            .into_iter()
            .filter(|s| {
                let v = s.value();
                v.attr("type") != Some("application/ld+json")
                    && !v
                        .attr("src")
                        .is_some_and(|src| src.starts_with("/static/live."))
            })
            .collect();
        assert!(scripts.is_empty(), "{page}: a script element from a post");
        for el in select(&doc, "*") {
            for (name, value) in el.value().attrs() {
                assert!(!name.starts_with("on"), "{page}: an {name} attribute");
                let address = ["href", "src", "srcset", "action", "formaction"].contains(&name);
                let scheme = value.trim_start().to_ascii_lowercase();
                assert!(
                    !(address
                        && (scheme.starts_with("javascript:") || scheme.starts_with("data:"))),
                    "{page}: {name}={value}"
                );
            }
        }
        for tag in [
            "iframe",
            "object",
            "embed",
            "svg",
            "math",
            "base",
            "meta[http-equiv]",
        ] {
            assert!(select(&doc, tag).is_empty(), "{page}: a {tag} element");
        }
    }
    let (_, html) = app.page(&path).await;
    assert!(!html.contains("<script>alert"));
    json_ld(&html);
}

async fn the_structured_data_is_a_live_blog_posting(app: TestApp) {
    let (story, path) = live_story(&app, "Summit live").await;
    let now = app.clock.now();
    let mut ids = Vec::new();
    for n in 1..=25 {
        let body = format!("Leaders arrive for session {n}. Talks go on if 2 < 3 & 4 > 1.");
        ids.push(post(&app, &story, &body, now - 500 + n).await);
    }
    let (_, html) = app.page(&path).await;
    let ld = json_ld(&html);
    assert_eq!(ld["@type"], "LiveBlogPosting");
    assert_eq!(ld["headline"], "Summit live");
    assert!(ld["coverageStartTime"].as_str().unwrap().ends_with('Z'));
    assert!(ld.get("coverageEndTime").is_none());
    let updates = ld["liveBlogUpdate"].as_array().expect("updates");
    assert_eq!(updates.len(), 20, "the newest 20");
    let newest = &updates[0];
    assert_eq!(newest["@type"], "BlogPosting");
    assert_eq!(newest["headline"], "Leaders arrive for session 25.");
    assert_eq!(
        newest["articleBody"],
        "Leaders arrive for session 25. Talks go on if 2 < 3 & 4 > 1."
    );
    // `<`, `>` and `&` are escaped in the script element (`html::script_json`).
    let script = html
        .split("application/ld+json\">")
        .nth(1)
        .unwrap()
        .split("</script>")
        .next()
        .unwrap();
    assert!(!script.contains(['<', '>', '&']), "{script}");
    assert!(newest["url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("{path}#post-{}", ids[24])));
    assert!(newest["datePublished"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        updates[19]["url"].as_str().unwrap().rsplit('#').next(),
        Some(format!("post-{}", ids[5]).as_str())
    );

    app.state
        .editorial()
        .end_live_page(TEST_EDITOR, &story, "The summit closed.", now)
        .await
        .unwrap();
    let (_, html) = app.page(&path).await;
    let ld = json_ld(&html);
    assert!(ld["coverageEndTime"].as_str().unwrap().ends_with('Z'));
}

async fn lists_mark_running_live_pages(app: TestApp) {
    let (story, _) = live_story(&app, "Wildfire live").await;
    let now = app.clock.now();
    let flagged = |html: &str| {
        Html::parse_document(html)
            .select(&Selector::parse("a .live-flag").unwrap())
            .any(|flag| {
                flag.parent()
                    .and_then(scraper::ElementRef::wrap)
                    .is_some_and(|a| a.text().collect::<String>().contains("Wildfire live"))
            })
    };
    for front in ["/", "/news/europe"] {
        let (_, html) = app.page(front).await;
        assert!(flagged(&html), "{front} marks the live page");
    }
    app.state
        .editorial()
        .end_live_page(TEST_EDITOR, &story, "Contained.", now)
        .await
        .unwrap();
    for front in ["/", "/news/europe"] {
        let (_, html) = app.page(front).await;
        assert!(
            html.contains("Wildfire live") && !flagged(&html),
            "{front} after the end"
        );
    }
}

/// Fetches `path` until `check` holds for its body (the hub reads the banner
/// again after the newsroom's change, and drops pages rendered meanwhile): 5 s at most.
async fn eventually(app: &TestApp, path: &str, check: impl Fn(&str) -> bool) -> String {
    for _ in 0..250 {
        let (_, html) = app.page(path).await;
        if check(&html) {
            return html;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("{path} did not change within 5 s");
}

async fn the_banner_shows_on_every_public_page_until_cleared(app: TestApp) {
    let (live, live_path) = live_story(&app, "Flood live").await;
    let now = app.clock.now();
    post(&app, &live, "Water is rising.", now - 10).await;
    let article = app
        .publish(
            &full_story(app.section_id("europe"), None, "Ordinary news"),
            now,
        )
        .await;
    let pages = [
        "/".to_string(),
        "/news/europe".to_string(),
        format!("/news/europe/ordinary-news-{article}"),
        format!("/news/europe/ordinary-news-{article}/history"),
        "/search?q=ordinary".to_string(),
        "/about/editorial-policy".to_string(),
        "/news/europe/no-such-story-0".to_string(),
    ];
    let shows = |html: &str| {
        html.contains("<aside id=\"breaking-news\" class=\"breaking-news\" aria-label=\"Breaking news\"><strong>")
    };
    // Warm the caches without a banner.
    for path in &pages {
        assert!(!app.page(path).await.1.contains("breaking-news"), "{path}");
    }
    assert!(app.page(&live_path).await.1.contains(
        "id=\"breaking-news\" class=\"breaking-news\" aria-label=\"Breaking news\" hidden>"
    ));

    app.state
        .editorial()
        .set_breaking_news(
            TEST_EDITOR,
            "Dam <b>breached</b> & town evacuated",
            "/news/europe/flood-live",
            now,
        )
        .await
        .unwrap();
    for path in pages.iter().chain([&live_path]) {
        let html = eventually(&app, path, shows).await;
        let doc = Html::parse_document(&html);
        let link = select(&doc, "aside#breaking-news a");
        assert_eq!(
            link[0].value().attr("href"),
            Some("/news/europe/flood-live"),
            "{path}"
        );
        assert_eq!(
            link[0].text().collect::<String>(),
            "Dam <b>breached</b> & town evacuated"
        );
        assert!(attr(&doc, "aside#breaking-news", "hidden").is_none());
    }
    // A signed-in reader's private pages show it too.
    let reader = app.reader_browser().await;
    for path in [
        format!("/news/europe/ordinary-news-{article}"),
        "/account/my-news".to_string(),
        "/".to_string(),
    ] {
        let (status, html) = reader.get(&app, &path).await;
        assert_eq!(status, 200, "{path}");
        assert!(shows(&html), "{path} for a signed-in reader");
    }

    app.state
        .editorial()
        .clear_breaking_news(TEST_EDITOR, now + 1)
        .await
        .unwrap();
    for path in &pages {
        eventually(&app, path, |html| !html.contains("breaking-news")).await;
    }
    eventually(&app, &live_path, |html| {
        html.contains("aria-label=\"Breaking news\" hidden>") && !html.contains("breached")
    })
    .await;
}
