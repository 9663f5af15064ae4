//! A live page's posts in the Content API (`/api/v1/stories/{id}/live-posts`):
//! published posts in publication order, `since` and cursor paging, the live
//! page's state in the story, 404 for what is not a public live page and 410
//! for a killed one, and a clear 400 for every bad parameter, all checked
//! against the OpenAPI document.

use super::content::{conforms, get_json};
use crate::helpers::{full_story, TestApp, TEST_EDITOR};
use crate::on_both_databases;
use dateline::domain::story::Story;
use dateline::domain::user::Role;
use dateline::editorial::{Actor, Edit, EditRequest, TypedPost};
use serde_json::Value;

on_both_databases!(
    posts_are_listed_in_publication_order_and_paged,
    the_story_says_whether_it_is_a_live_page,
    embargoed_and_killed_live_pages_are_404_and_410,
    bad_parameters_are_refused_with_a_reason,
);

pub(crate) const REPORTER: Actor<'static> = Actor {
    name: "reporter",
    role: Role::Reporter,
    user_id: None,
};

pub(crate) fn typed(body: &str) -> TypedPost<'_> {
    TypedPost {
        body,
        image_id: None,
        alt: "",
        byline: "",
    }
}

/// A published story in Europe that is a running live page.
pub(crate) async fn live_story(app: &TestApp, headline: &str) -> Story {
    let content = full_story(app.section_id("europe"), None, headline);
    let id = app.publish(&content, app.clock.now()).await;
    let story = app.store.story(id).await.unwrap().unwrap();
    app.state
        .editorial()
        .start_live_page(TEST_EDITOR, &story, app.clock.now())
        .await
        .unwrap();
    story
}

/// An editor's post, published at once.
pub(crate) async fn post(app: &TestApp, story: &Story, post: TypedPost<'_>, at: i64) -> i64 {
    app.state
        .editorial()
        .add_live_post(TEST_EDITOR, story, post, at)
        .await
        .unwrap()
}

fn posts_path(story: &Story) -> String {
    format!("/api/v1/stories/{}/live-posts", story.id)
}

fn ids(list: &Value) -> Vec<i64> {
    list["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect()
}

async fn posts_are_listed_in_publication_order_and_paged(app: TestApp) {
    let (_, openapi) = get_json(&app, "/api/openapi.json").await;
    let story = live_story(&app, "Storm reaches the coast").await;
    let editorial = app.state.editorial();
    let now = app.clock.now();
    let image = app.add_image(800, 600).await;

    let first = post(&app, &story, typed("Winds of **90mph** recorded."), now).await;
    // A reporter's post waits for an editor; it is published after the next two.
    let waiting = editorial
        .add_live_post(
            REPORTER,
            &story,
            typed("Roads closed near the harbour."),
            now + 1,
        )
        .await
        .unwrap();
    let pictured = post(
        &app,
        &story,
        TypedPost {
            body: "Waves over the sea wall.",
            image_id: Some(image),
            alt: "Waves breaking over a sea wall",
            byline: "By Ada Reporter",
        },
        now + 2,
    )
    .await;
    let third = post(&app, &story, typed("Ferries cancelled."), now + 3).await;
    editorial
        .publish_live_post(TEST_EDITOR, &story, waiting, now + 4)
        .await
        .unwrap();
    let deleted = post(&app, &story, typed("A post soon withdrawn."), now + 5).await;
    editorial
        .delete_live_post(TEST_EDITOR, &story, deleted, now + 6)
        .await
        .unwrap();
    let never = editorial
        .add_live_post(REPORTER, &story, typed("Never published."), now + 7)
        .await
        .unwrap();
    let last = post(&app, &story, typed("Power back in most homes."), now + 8).await;
    editorial
        .pin_live_post(TEST_EDITOR, &story, third, true, now + 9)
        .await
        .unwrap();
    let order = [first, pictured, third, waiting, last];

    let (status, list) = get_json(&app, &posts_path(&story)).await;
    assert_eq!(status, 200, "{list}");
    conforms(&openapi, "LivePostList", &list, "live posts");
    assert_eq!(ids(&list), order, "publication order, oldest first");
    assert!(!ids(&list).contains(&deleted) && !ids(&list).contains(&never));
    assert_eq!(list["next_cursor"], Value::Null);
    assert_eq!(list["live"]["state"], "running");
    assert_eq!(list["live"]["ended_at"], Value::Null);
    assert_eq!(list["live"]["summary"], Value::Null);
    let posts = list["posts"].as_array().unwrap();
    let seqs: Vec<i64> = posts.iter().map(|p| p["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    let url = format!(
        "{}/news/europe/{}-{}",
        app.base, story.content.slug, story.id
    );
    assert_eq!(posts[0]["url"], format!("{url}#post-{first}"));
    assert_eq!(posts[0]["body"], "Winds of **90mph** recorded.");
    let html = posts[0]["body_html"].as_str().unwrap();
    assert!(
        html.contains(&format!("id=\"post-{first}\"")) && html.contains("<strong>90mph</strong>"),
        "{html}"
    );
    assert_eq!(posts[1]["byline"], "By Ada Reporter");
    assert_eq!(posts[1]["image"]["alt"], "Waves breaking over a sea wall");
    assert_eq!(posts[2]["pinned"], true);
    assert_ne!(
        posts[2]["updated_at"], posts[2]["published_at"],
        "a pin is a change"
    );
    // The picture's addresses work: a published post of a public story shows it.
    let rendition = posts[1]["image"]["renditions"][0]["url"].as_str().unwrap();
    let fetched = app.client.get(rendition).send().await.unwrap();
    assert_eq!(fetched.status(), 200, "{rendition}");

    // `since` gives exactly the posts published after a place.
    let (_, later) = get_json(&app, &format!("{}?since={}", posts_path(&story), seqs[2])).await;
    conforms(&openapi, "LivePostList", &later, "since");
    assert_eq!(ids(&later), [waiting, last]);
    let (_, none) = get_json(&app, &format!("{}?since={}", posts_path(&story), seqs[4])).await;
    assert_eq!((ids(&none), &none["next_cursor"]), (vec![], &Value::Null));
    let (_, all) = get_json(&app, &format!("{}?since=0", posts_path(&story))).await;
    assert_eq!(ids(&all), order);

    // The cursor visits every post once, in order, and then stops.
    let mut seen = Vec::new();
    let mut path = format!("{}?limit=2", posts_path(&story));
    let mut pages = 0;
    loop {
        let (status, page) = get_json(&app, &path).await;
        assert_eq!(status, 200, "{path}");
        conforms(&openapi, "LivePostList", &page, &path);
        assert!(ids(&page).len() <= 2);
        seen.extend(ids(&page));
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("{}?limit=2&cursor={cursor}", posts_path(&story)),
            None => break,
        }
    }
    assert_eq!((seen.as_slice(), pages), (&order[..], 3));
    // A cursor goes on from `since` too.
    let (_, from) = get_json(
        &app,
        &format!("{}?since={}&limit=1", posts_path(&story), seqs[1]),
    )
    .await;
    assert_eq!(ids(&from), [third]);
    let cursor = from["next_cursor"].as_str().unwrap();
    let (_, next) = get_json(
        &app,
        &format!(
            "{}?since={}&limit=1&cursor={cursor}",
            posts_path(&story),
            seqs[1]
        ),
    )
    .await;
    assert_eq!(ids(&next), [waiting]);

    // A new post is in the next answer: the cached list was purged.
    let newest = post(&app, &story, typed("Clear-up begins."), now + 10).await;
    let (_, later) = get_json(&app, &format!("{}?since={}", posts_path(&story), seqs[4])).await;
    assert_eq!(ids(&later), [newest]);

    // Ending the page says so, with the closing summary.
    editorial
        .end_live_page(TEST_EDITOR, &story, "The storm has passed.", now + 11)
        .await
        .unwrap();
    let (_, ended) = get_json(&app, &posts_path(&story)).await;
    conforms(&openapi, "LivePostList", &ended, "ended");
    assert_eq!(ended["live"]["state"], "ended");
    assert_eq!(ended["live"]["summary"], "The storm has passed.");
    assert!(ended["live"]["ended_at"].is_string());
    assert_eq!(ids(&ended).len(), 6, "an ended page keeps its posts");
}

async fn the_story_says_whether_it_is_a_live_page(app: TestApp) {
    let (_, openapi) = get_json(&app, "/api/openapi.json").await;
    let story = live_story(&app, "Election night").await;
    post(&app, &story, typed("Polls close."), app.clock.now()).await;
    let (status, value) = get_json(&app, &format!("/api/v1/stories/{}", story.id)).await;
    assert_eq!(status, 200);
    conforms(&openapi, "Story", &value, "live story");
    let live = &value["live"];
    assert_eq!(live["state"], "running");
    assert!(live["started_at"].is_string());
    assert_eq!(
        live["feed_url"],
        format!("{}/feeds/live/{}.atom", app.base, story.id)
    );
    let posts_url = live["posts_url"].as_str().unwrap();
    let path = posts_url.strip_prefix(&app.base).expect("an absolute URL");
    let (status, list) = get_json(&app, path).await;
    assert_eq!((status, ids(&list).len()), (200, 1));

    // Ending the live page purges the story's record too.
    app.state
        .editorial()
        .end_live_page(TEST_EDITOR, &story, "Results are in.", app.clock.now())
        .await
        .unwrap();
    let (_, value) = get_json(&app, &format!("/api/v1/stories/{}", story.id)).await;
    assert_eq!(value["live"]["state"], "ended");
    assert_eq!(value["live"]["summary"], "Results are in.");

    // An ordinary story is no live page.
    let plain = app
        .publish(
            &full_story(app.section_id("europe"), None, "Council meets"),
            app.clock.now(),
        )
        .await;
    let (_, value) = get_json(&app, &format!("/api/v1/stories/{plain}")).await;
    conforms(&openapi, "Story", &value, "plain story");
    assert_eq!(value["live"], Value::Null);
    let (status, error) = get_json(&app, &format!("/api/v1/stories/{plain}/live-posts")).await;
    assert_eq!(status, 404);
    conforms(&openapi, "Error", &error, "not live");
    assert_eq!(error["error"]["message"], "this story is not a live page");
}

async fn embargoed_and_killed_live_pages_are_404_and_410(app: TestApp) {
    let (_, openapi) = get_json(&app, "/api/openapi.json").await;
    let editorial = app.state.editorial();
    let now = app.clock.now();

    let killed = live_story(&app, "Court case live").await;
    post(&app, &killed, typed("The jury is out."), now).await;
    let (status, _) = get_json(&app, &posts_path(&killed)).await;
    assert_eq!(status, 200, "cached before the kill");
    editorial
        .kill(TEST_EDITOR, &killed, "legal advice", now + 1)
        .await
        .unwrap();
    let (status, error) = get_json(&app, &posts_path(&killed)).await;
    assert_eq!(status, 410);
    conforms(&openapi, "Error", &error, "killed");

    let embargoed = live_story(&app, "Results live").await;
    post(&app, &embargoed, typed("Counting begins."), now).await;
    let (status, _) = get_json(&app, &posts_path(&embargoed)).await;
    assert_eq!(status, 200, "cached before the embargo");
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
    let (status, error) = get_json(&app, &posts_path(&embargoed)).await;
    assert_eq!(status, 404);
    conforms(&openapi, "Error", &error, "embargoed");

    // A draft that is a live page is not public either.
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
    let (status, _) = get_json(&app, &posts_path(&draft)).await;
    assert_eq!(status, 404);

    for path in [
        "/api/v1/stories/999999/live-posts",
        "/api/v1/stories/abc/live-posts",
        "/api/v1/stories/-1/live-posts",
        "/api/v1/stories/99999999999999999999999/live-posts",
    ] {
        let (status, error) = get_json(&app, path).await;
        assert_eq!(status, 404, "{path}");
        conforms(&openapi, "Error", &error, path);
    }
}

async fn bad_parameters_are_refused_with_a_reason(app: TestApp) {
    let (_, openapi) = get_json(&app, "/api/openapi.json").await;
    // Two stories, so that the story list has a cursor to misuse here.
    app.publish(
        &full_story(app.section_id("europe"), None, "Markets open"),
        app.clock.now() - 60,
    )
    .await;
    let story = live_story(&app, "Budget day").await;
    post(
        &app,
        &story,
        typed("The chancellor rises."),
        app.clock.now(),
    )
    .await;
    let parameters = openapi["paths"]["/api/v1/stories/{id}/live-posts"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let schema = |name: &str| {
        &parameters
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("no parameter {name}"))["schema"]
    };
    let max_limit = schema("limit")["maximum"].as_i64().unwrap();
    assert_eq!(schema("since")["minimum"], 0);
    assert_eq!(schema("since")["maximum"].as_i64(), Some(i64::MAX));
    let base = posts_path(&story);
    let story_cursor = {
        let (_, list) = get_json(&app, "/api/v1/stories?limit=1").await;
        list["next_cursor"].as_str().map(str::to_string)
    };
    let mut bad = vec![
        ("since=-1", "since"),
        ("since=", "since"),
        ("since=two", "since"),
        ("since=1.5", "since"),
        ("since=9223372036854775808", "since"),
        ("since=99999999999999999999999999", "since"),
        ("limit=0", "limit"),
        ("limit=-3", "limit"),
        ("limit=", "limit"),
        ("limit=lots", "limit"),
        ("cursor=", "cursor"),
        ("cursor=%%%", "cursor"),
        ("cursor=not-a-cursor", "cursor"),
        ("after=3", "unknown parameter"),
        ("since=1&order=desc", "unknown parameter"),
    ];
    let too_many = format!("limit={}", max_limit + 1);
    bad.push((&too_many, "limit"));
    let from_list = format!("cursor={}", story_cursor.expect("a story list cursor"));
    bad.push((&from_list, "cursor"));
    for (query, names) in bad {
        let path = format!("{base}?{query}");
        let (status, error) = get_json(&app, &path).await;
        assert_eq!(status, 400, "{path}: {error}");
        conforms(&openapi, "Error", &error, &path);
        let message = error["error"]["message"].as_str().unwrap();
        assert!(message.contains(names), "{path}: {message}");
    }
    // The largest `since` the document allows is a valid, empty answer.
    let (status, list) = get_json(&app, &format!("{base}?since={}", i64::MAX)).await;
    assert_eq!(status, 200);
    conforms(&openapi, "LivePostList", &list, "largest since");
    assert!(ids(&list).is_empty());
    let (status, _) = get_json(&app, &format!("{base}?limit={max_limit}")).await;
    assert_eq!(status, 200);
}
