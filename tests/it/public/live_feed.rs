//! A live page's Atom feed (`/feeds/live/{id}.atom`): valid Atom with the newest
//! 50 published posts, each with a stable id, its link on the page and its HTML
//! from the page's renderer; purged exactly when a post changes; 404 for what is
//! not a public live page and 410 for a killed one; the XSS corpus, typed into
//! posts, escaped in the entries' HTML (and in the API's `body_html`).

use crate::api::live_posts::{live_story, post, typed, REPORTER};
use crate::helpers::{full_story, TestApp, TEST_EDITOR};
use crate::on_both_databases;
use dateline::domain::live::check_post;
use dateline::editorial::{Edit, EditRequest, TypedPost};
use feed_rs::model::{Entry, Feed};
use std::sync::atomic::Ordering;

on_both_databases!(
    a_live_pages_feed_has_its_newest_posts,
    the_feed_is_purged_exactly_when_a_post_changes,
    embargoed_and_killed_live_feeds_are_404_and_410,
    the_xss_corpus_is_escaped_in_the_feed,
);

fn feed_path(story_id: i64) -> String {
    format!("/feeds/live/{story_id}.atom")
}

async fn feed(app: &TestApp, path: &str) -> Feed {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    assert_eq!(
        response.headers()["content-type"],
        "application/atom+xml; charset=utf-8"
    );
    let bytes = response.bytes().await.unwrap();
    feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{path} does not parse: {e}"))
}

/// Each entry's post id, from its id (`…/news/{story}#post-{id}`).
fn post_ids(feed: &Feed) -> Vec<i64> {
    feed.entries
        .iter()
        .map(|e| {
            let (_, id) = e.id.rsplit_once("#post-").expect("a post's id");
            id.parse().unwrap()
        })
        .collect()
}

fn html(entry: &Entry) -> &str {
    let content = entry.content.as_ref().expect("content");
    assert_eq!(content.content_type.essence().to_string(), "text/html");
    content.body.as_deref().expect("a body")
}

fn hits(app: &TestApp) -> u64 {
    app.state.cache.hits.load(Ordering::SeqCst)
}

async fn a_live_pages_feed_has_its_newest_posts(app: TestApp) {
    let story = live_story(&app, "Storm <reaches> the coast").await;
    let editorial = app.state.editorial();
    let now = app.clock.now();
    let image = app.add_image(800, 600).await;

    // A live page without posts is a valid, empty feed.
    let empty = feed(&app, &feed_path(story.id)).await;
    assert!(empty.entries.is_empty());

    let first = post(
        &app,
        &story,
        TypedPost {
            body: "Winds of **90mph** recorded at the *harbour* this morning, the highest for twenty years.",
            image_id: Some(image),
            alt: "Waves breaking over a sea wall",
            byline: "By Ada Reporter",
        },
        now,
    )
    .await;
    let waiting = app
        .state
        .editorial()
        .add_live_post(REPORTER, &story, typed("Roads closed."), now + 1)
        .await
        .unwrap();
    let deleted = post(&app, &story, typed("Withdrawn."), now + 2).await;
    editorial
        .delete_live_post(TEST_EDITOR, &story, deleted, now + 3)
        .await
        .unwrap();
    let second = post(&app, &story, typed("Ferries cancelled."), now + 4).await;
    editorial
        .edit_live_post(
            TEST_EDITOR,
            &story,
            second,
            typed("All ferries cancelled."),
            now + 5,
        )
        .await
        .unwrap();

    let parsed = feed(&app, &feed_path(story.id)).await;
    assert_eq!(
        parsed.title.as_ref().unwrap().content,
        "Dateline News - Live: Storm <reaches> the coast"
    );
    assert_eq!(post_ids(&parsed), [second, first], "newest first");
    assert!(!post_ids(&parsed).contains(&waiting) && !post_ids(&parsed).contains(&deleted));
    let url = format!(
        "{}/news/europe/{}-{}",
        app.base, story.content.slug, story.id
    );
    let newest = &parsed.entries[0];
    assert_eq!(
        newest.id,
        format!("{}/news/{}#post-{second}", app.base, story.id)
    );
    assert_eq!(newest.links[0].href, format!("{url}#post-{second}"));
    assert_eq!(
        newest.title.as_ref().unwrap().content,
        "All ferries cancelled."
    );
    assert!(newest.authors.is_empty(), "no byline: the feed's author");
    assert_eq!(
        newest.updated.unwrap().timestamp(),
        now + 5,
        "updated is the post's last change"
    );
    assert_eq!(newest.published.unwrap().timestamp(), now + 4);
    let older = &parsed.entries[1];
    assert_eq!(
        older.title.as_ref().unwrap().content,
        "Winds of 90mph recorded at the harbour this morning, the highest for…"
    );
    assert_eq!(older.authors[0].name, "Ada Reporter");
    let body = html(older);
    assert!(
        body.contains(&format!("id=\"post-{first}\""))
            && body.contains("<strong>90mph</strong>")
            && body.contains("alt=\"Waves breaking over a sea wall\"")
            && body.contains(&format!("/images/{image}/640")),
        "{body}"
    );
    assert_eq!(parsed.updated.unwrap().timestamp(), now + 5);
    assert!(parsed.links.iter().any(|l| l.rel.as_deref() == Some("self")
        && l.href == format!("{}{}", app.base, feed_path(story.id))));

    // Only the newest 50.
    for n in 0..50 {
        post(
            &app,
            &story,
            typed(&format!("Update number {n}.")),
            now + 10 + n,
        )
        .await;
    }
    let parsed = feed(&app, &feed_path(story.id)).await;
    assert_eq!(parsed.entries.len(), 50);
    assert_eq!(
        parsed.entries[0].title.as_ref().unwrap().content,
        "Update number 49."
    );
    assert!(!post_ids(&parsed).contains(&first));

    // An ended page keeps its feed.
    editorial
        .end_live_page(TEST_EDITOR, &story, "The storm has passed.", now + 100)
        .await
        .unwrap();
    let parsed = feed(&app, &feed_path(story.id)).await;
    assert_eq!(parsed.entries.len(), 50);
    assert_eq!(parsed.updated.unwrap().timestamp(), now + 100);
}

async fn the_feed_is_purged_exactly_when_a_post_changes(app: TestApp) {
    let story = live_story(&app, "Election night").await;
    let editorial = app.state.editorial();
    let now = app.clock.now();
    let path = feed_path(story.id);
    let first = post(&app, &story, typed("Polls close."), now).await;

    let response = app.get(&path).await;
    assert!(response.headers()["surrogate-key"]
        .to_str()
        .unwrap()
        .split(' ')
        .any(|k| k == format!("story-{}", story.id)));
    let before = hits(&app);
    assert_eq!(post_ids(&feed(&app, &path).await), [first]);
    assert_eq!(hits(&app), before + 1, "served from the cache");

    // What does not change the page leaves the copy: a waiting post, another story.
    let waiting = editorial
        .add_live_post(REPORTER, &story, typed("First result due."), now + 1)
        .await
        .unwrap();
    app.publish(
        &full_story(app.section_id("europe"), None, "Another story"),
        now + 1,
    )
    .await;
    let other = live_story(&app, "Another live page").await;
    post(&app, &other, typed("Elsewhere."), now + 1).await;
    let before = hits(&app);
    assert_eq!(post_ids(&feed(&app, &path).await), [first]);
    assert_eq!(hits(&app), before + 1, "still the cached copy");

    // Publishing the waiting post purges it.
    editorial
        .publish_live_post(TEST_EDITOR, &story, waiting, now + 2)
        .await
        .unwrap();
    let before = hits(&app);
    assert_eq!(post_ids(&feed(&app, &path).await), [waiting, first]);
    assert_eq!(hits(&app), before, "rendered again");

    // So do an edit and a deletion.
    feed(&app, &path).await;
    editorial
        .edit_live_post(
            TEST_EDITOR,
            &story,
            first,
            typed("Polls have closed."),
            now + 3,
        )
        .await
        .unwrap();
    let parsed = feed(&app, &path).await;
    assert_eq!(
        parsed.entries[1].title.as_ref().unwrap().content,
        "Polls have closed."
    );
    editorial
        .delete_live_post(TEST_EDITOR, &story, waiting, now + 4)
        .await
        .unwrap();
    assert_eq!(post_ids(&feed(&app, &path).await), [first]);
}

async fn embargoed_and_killed_live_feeds_are_404_and_410(app: TestApp) {
    let editorial = app.state.editorial();
    let now = app.clock.now();

    let killed = live_story(&app, "Court case live").await;
    post(&app, &killed, typed("The jury is out."), now).await;
    feed(&app, &feed_path(killed.id)).await;
    editorial
        .kill(TEST_EDITOR, &killed, "legal advice", now + 1)
        .await
        .unwrap();
    assert_eq!(app.get(&feed_path(killed.id)).await.status(), 410);

    let embargoed = live_story(&app, "Results live").await;
    post(&app, &embargoed, typed("Counting begins."), now).await;
    feed(&app, &feed_path(embargoed.id)).await;
    let content = embargoed.content.clone();
    let edit = Edit {
        content: &content,
        base_revision: None,
        embargo: Some(now + 3_600),
        request: EditRequest::Save,
    };
    editorial
        .save(TEST_EDITOR, Some(&embargoed), edit, now + 1)
        .await
        .unwrap();
    assert_eq!(app.get(&feed_path(embargoed.id)).await.status(), 404);

    let draft = app
        .draft(
            &full_story(app.section_id("europe"), None, "Draft live"),
            now,
        )
        .await;
    let draft = app.store.story(draft).await.unwrap().unwrap();
    editorial
        .start_live_page(TEST_EDITOR, &draft, now)
        .await
        .unwrap();
    post(&app, &draft, typed("Not yet."), now).await;
    let plain = app
        .publish(
            &full_story(app.section_id("europe"), None, "Council meets"),
            now,
        )
        .await;
    for path in [
        feed_path(draft.id),
        feed_path(plain),
        feed_path(999_999),
        "/feeds/live/abc.atom".into(),
        "/feeds/live/99999999999999999999999.atom".into(),
        format!("/feeds/live/{}.rss", embargoed.id),
        format!("/feeds/live/{}", embargoed.id),
    ] {
        assert_eq!(app.get(&path).await.status(), 404, "{path}");
    }
}

/// The XSS corpus (`tests/fixtures/xss-payloads.txt`), its escapes decoded as
/// the browser suite decodes them.
fn xss_corpus() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/xss-payloads.txt"
    );
    std::fs::read_to_string(path)
        .expect("the XSS corpus")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("# "))
        .map(decode_escapes)
        .collect()
}

fn decode_escapes(line: &str) -> String {
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
            Some('\\') => out.push('\\'),
            Some('u') => {
                let hex: String = if chars.peek() == Some(&'{') {
                    chars.next();
                    chars.by_ref().take_while(|c| *c != '}').collect()
                } else {
                    chars.by_ref().take(4).collect()
                };
                let c = u32::from_str_radix(&hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('\u{fffd}');
                out.push(c);
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// `text` as markup whose text is `text`: every ASCII punctuation mark escaped.
fn literal_markup(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Fails unless `html` is only the markup a post is made of: known elements,
/// known attributes, links and pictures to web or site addresses.
fn only_post_markup(html: &str, what: &str) {
    const ELEMENTS: &[&str] = &[
        "html",
        "body",
        "article",
        "header",
        "a",
        "time",
        "strong",
        "span",
        "p",
        "h2",
        "h3",
        "blockquote",
        "em",
        "br",
        "figure",
        "img",
    ];
    const ATTRIBUTES: &[&str] = &[
        "class",
        "id",
        "href",
        "datetime",
        "data-seq",
        "aria-labelledby",
        "src",
        "srcset",
        "sizes",
        "width",
        "height",
        "loading",
        "alt",
    ];
    // The parser wraps a fragment in <html> and <body> of its own.
    assert!(
        !html.to_ascii_lowercase().contains("<body"),
        "{what}: {html}"
    );
    let fragment = scraper::Html::parse_fragment(html);
    for node in fragment.tree.nodes() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        let name = element.name();
        assert!(ELEMENTS.contains(&name), "{what}: <{name}> in {html}");
        for (attribute, value) in element.attrs() {
            assert!(
                ATTRIBUTES.contains(&attribute),
                "{what}: {attribute}= on <{name}> in {html}"
            );
            if attribute == "href" || attribute == "src" {
                assert!(
                    ["#", "/", "http://", "https://"]
                        .iter()
                        .any(|p| value.starts_with(p)),
                    "{what}: {attribute}={value} in {html}"
                );
            }
        }
    }
}

async fn the_xss_corpus_is_escaped_in_the_feed(app: TestApp) {
    let story = live_story(&app, "Hostile input live").await;
    let now = app.clock.now();
    let image = app.add_image(320, 200).await;
    let corpus = xss_corpus();
    assert!(corpus.len() > 100, "{} payloads", corpus.len());
    // Each payload as a post's text (escaped as markup, so its text is the payload),
    // as a byline and as alt text where those rules allow it; four to a post.
    let bodies: Vec<String> = corpus
        .iter()
        .filter_map(|p| check_post(&literal_markup(p), None, "", "").ok())
        .map(|checked| checked.body)
        .collect();
    assert!(
        bodies.len() * 10 >= corpus.len() * 9,
        "{} of {}",
        bodies.len(),
        corpus.len()
    );
    let bylines: Vec<&String> = corpus
        .iter()
        .filter(|p| check_post("x", None, "", p).is_ok())
        .collect();
    let alts: Vec<&String> = corpus
        .iter()
        .filter(|p| check_post("x", Some(image), p, "").is_ok())
        .collect();
    let chunks: Vec<&[String]> = bodies.chunks(4).collect();
    assert!(chunks.len() <= 50, "every post fits in the feed");
    for (n, chunk) in chunks.iter().enumerate() {
        let body = chunk.join("\n\n");
        let alt = alts[n % alts.len()];
        let byline = bylines[n % bylines.len()];
        post(
            &app,
            &story,
            TypedPost {
                body: &body,
                image_id: Some(image),
                alt,
                byline,
            },
            now + n as i64,
        )
        .await;
    }

    let parsed = feed(&app, &feed_path(story.id)).await;
    assert_eq!(parsed.entries.len(), chunks.len());
    for entry in &parsed.entries {
        only_post_markup(html(entry), &entry.id);
    }
    let all: String = parsed.entries.iter().map(html).collect();
    assert!(
        all.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "a payload's text is shown, escaped"
    );

    // The API's body_html is the same renderer's.
    let (status, list) = crate::api::content::get_json(
        &app,
        &format!("/api/v1/stories/{}/live-posts?limit=100", story.id),
    )
    .await;
    assert_eq!(status, 200);
    for post in list["posts"].as_array().unwrap() {
        only_post_markup(post["body_html"].as_str().unwrap(), "body_html");
    }
}
