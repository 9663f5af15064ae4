//! Live pages' Server-Sent Events streams over HTTP: a post published reaches
//! an open stream on the node that published it and on another node of the
//! same database; a reader reconnecting with `Last-Event-ID` gets exactly the
//! changes missed; a killed or re-embargoed live page closes its streams and
//! answers 410 or 404; an ended one replays what was missed, then says so.
//! Every wait has a bound, so a lost event fails the test instead of hanging it.

use std::time::Duration;

use crate::helpers::{full_story, TestApp, TEST_EDITOR};
use crate::on_both_databases;
use dateline::domain::story::Story;
use dateline::domain::user::Role;
use dateline::editorial::{Actor, Edit, EditRequest, TypedPost};

on_both_databases!(
    a_published_post_reaches_an_open_stream,
    a_post_reaches_a_stream_on_another_node,
    last_event_id_replays_exactly_the_missed_changes,
    a_killed_live_page_closes_its_streams_and_answers_410,
    an_embargoed_or_unpublished_live_page_has_no_stream,
    an_ended_live_page_replays_what_was_missed_then_stops,
);

/// How long a stream may take to deliver an event before the test fails.
const DELIVERY_BOUND: Duration = Duration::from_secs(20);

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

/// One event as received.
#[derive(Debug, Clone)]
struct Event {
    id: Option<i64>,
    kind: String,
    data: serde_json::Value,
}

/// An open stream, read frame by frame.
struct Stream {
    response: reqwest::Response,
    buffer: String,
}

impl Stream {
    async fn open(app: &TestApp, path: &str, last_event_id: Option<i64>) -> Stream {
        let mut request = app.client.get(format!("{}{path}", app.base));
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id.to_string());
        }
        let response = request.send().await.expect("open the stream");
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(
            response.headers()["content-type"],
            "text/event-stream",
            "{path}"
        );
        assert_eq!(response.headers()["cache-control"], "no-store");
        Stream {
            response,
            buffer: String::new(),
        }
    }

    /// The next event (comments and `retry:` skipped), or `None` when the server closed the stream.
    async fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let frame: String = self.buffer.drain(..end + 2).collect();
                let mut event = Event {
                    id: None,
                    kind: "message".into(),
                    data: serde_json::Value::Null,
                };
                let mut has_data = false;
                for line in frame.lines() {
                    if let Some(v) = line.strip_prefix("id: ") {
                        event.id = v.parse().ok();
                    } else if let Some(v) = line.strip_prefix("event: ") {
                        event.kind = v.to_string();
                    } else if let Some(v) = line.strip_prefix("data: ") {
                        event.data = serde_json::from_str(v).expect("data is JSON");
                        has_data = true;
                    }
                }
                if has_data {
                    return Some(event);
                }
                continue;
            }
            let chunk = tokio::time::timeout(DELIVERY_BOUND, self.response.chunk())
                .await
                .expect("an event within the bound")
                .expect("read the stream")?;
            self.buffer
                .push_str(std::str::from_utf8(&chunk).expect("UTF-8"));
        }
    }

    async fn expect(&mut self) -> Event {
        self.next()
            .await
            .expect("an event, not the end of the stream")
    }
}

async fn live_story(app: &TestApp, headline: &str) -> Story {
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

async fn post(app: &TestApp, story: &Story, body: &str) -> i64 {
    app.state
        .editorial()
        .add_live_post(TEST_EDITOR, story, typed(body), app.clock.now())
        .await
        .unwrap()
}

fn events_path(story: &Story) -> String {
    format!("/live/{}/events", story.id)
}

async fn a_published_post_reaches_an_open_stream(app: TestApp) {
    let story = live_story(&app, "Storm live").await;
    // Browsers revalidate a running live page every time, so a reload shows new posts.
    let page = app
        .get(&format!("/news/europe/storm-live-{}", story.id))
        .await;
    assert_eq!(page.status(), 200);
    assert!(
        page.headers()["cache-control"]
            .to_str()
            .unwrap()
            .starts_with("public, max-age=0, must-revalidate"),
        "{:?}",
        page.headers()["cache-control"]
    );
    let mut stream = Stream::open(&app, &events_path(&story), None).await;
    let editorial = app.state.editorial();

    // A reporter's post waits for an editor: nothing reaches readers until it is published.
    let waiting = editorial
        .add_live_post(
            REPORTER,
            &story,
            typed("Waiting post, with a \"quote\" & more."),
            app.clock.now(),
        )
        .await
        .unwrap();
    let first = post(&app, &story, "Winds of **90mph** & rising.").await;
    let event = stream.expect().await;
    assert_eq!(event.kind, "publish");
    assert_eq!(event.data["post"], first, "{event:?}");
    let html = event.data["html"].as_str().unwrap();
    assert!(html.contains("<strong>90mph</strong>"), "{html}");
    assert!(html.contains("&amp; rising"), "text is escaped: {html}");
    assert!(html.contains(&format!("id=\"post-{first}\"")), "{html}");

    editorial
        .publish_live_post(TEST_EDITOR, &story, waiting, app.clock.now())
        .await
        .unwrap();
    let event = stream.expect().await;
    assert_eq!(
        (event.kind.as_str(), &event.data["post"]),
        ("publish", &waiting.into())
    );
    assert!(event.data["html"]
        .as_str()
        .unwrap()
        .contains("a &quot;quote&quot; &amp; more"));

    editorial
        .edit_live_post(
            TEST_EDITOR,
            &story,
            first,
            typed("Winds of 100mph."),
            app.clock.now(),
        )
        .await
        .unwrap();
    let event = stream.expect().await;
    assert_eq!(event.kind, "edit");
    assert!(event.data["html"].as_str().unwrap().contains("100mph"));

    editorial
        .pin_live_post(TEST_EDITOR, &story, first, true, app.clock.now())
        .await
        .unwrap();
    let event = stream.expect().await;
    assert_eq!(
        (event.kind.as_str(), &event.data["pinned"]),
        ("pin", &true.into())
    );

    editorial
        .delete_live_post(TEST_EDITOR, &story, waiting, app.clock.now())
        .await
        .unwrap();
    let event = stream.expect().await;
    assert_eq!(
        (event.kind.as_str(), &event.data["post"]),
        ("delete", &waiting.into())
    );
    assert_eq!(event.data["html"], "", "a deleted post's text is not sent");
}

async fn a_post_reaches_a_stream_on_another_node(app: TestApp) {
    let story = live_story(&app, "Election live").await;
    let other = app.another_node().await;
    let mut here = Stream::open(&app, &events_path(&story), None).await;
    let mut there = Stream::open(&other, &events_path(&story), None).await;

    let first = post(&app, &story, "Polls close.").await;
    for stream in [&mut here, &mut there] {
        let event = stream.expect().await;
        assert_eq!(
            (event.kind.as_str(), &event.data["post"]),
            ("publish", &first.into())
        );
    }
    // And the other way: published through the second node, read on the first.
    let second = other
        .state
        .editorial()
        .add_live_post(
            TEST_EDITOR,
            &story,
            typed("First result declared."),
            other.clock.now(),
        )
        .await
        .unwrap();
    for stream in [&mut here, &mut there] {
        let event = stream.expect().await;
        assert_eq!(
            (event.kind.as_str(), &event.data["post"]),
            ("publish", &second.into())
        );
    }
    drop(there);
    drop(other);
}

async fn last_event_id_replays_exactly_the_missed_changes(app: TestApp) {
    let story = live_story(&app, "Match live").await;
    let mut stream = Stream::open(&app, &events_path(&story), None).await;
    let first = post(&app, &story, "Kick-off.").await;
    let seen = stream.expect().await;
    assert_eq!(seen.data["post"], first);
    let seen_id = seen.id.expect("every change has an id");
    // The connection drops; meanwhile two posts are published and one edited.
    drop(stream);
    let second = post(&app, &story, "Goal!").await;
    app.state
        .editorial()
        .edit_live_post(
            TEST_EDITOR,
            &story,
            first,
            typed("Kick-off, late."),
            app.clock.now(),
        )
        .await
        .unwrap();
    let third = post(&app, &story, "Half time.").await;

    let mut resumed = Stream::open(&app, &events_path(&story), Some(seen_id)).await;
    let mut replayed = Vec::new();
    for _ in 0..3 {
        let event = resumed.expect().await;
        assert!(
            event.id.unwrap() > seen_id,
            "nothing already seen comes again"
        );
        replayed.push((event.kind, event.data["post"].as_i64().unwrap()));
    }
    assert_eq!(
        replayed,
        [
            ("publish".to_string(), second),
            ("edit".to_string(), first),
            ("publish".to_string(), third)
        ]
    );
    // Then it follows on live, with nothing repeated.
    let fourth = post(&app, &story, "Second half.").await;
    let event = resumed.expect().await;
    assert_eq!(
        (event.kind.as_str(), &event.data["post"]),
        ("publish", &fourth.into())
    );

    // A page rendered after the third post resumes from its `after`; a
    // Last-Event-ID that is not an id is ignored rather than refused.
    let mut from_page = Stream::open(
        &app,
        &format!("{}?after={}", events_path(&story), seen_id),
        None,
    )
    .await;
    assert_eq!(from_page.expect().await.data["post"], second);
    let garbage = app
        .client
        .get(format!("{}{}", app.base, events_path(&story)))
        .header("Last-Event-ID", "'; DROP TABLE live_posts; --")
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), 200);
}

async fn a_killed_live_page_closes_its_streams_and_answers_410(app: TestApp) {
    let story = live_story(&app, "Trial live").await;
    post(&app, &story, "The jury is out.").await;
    let mut stream = Stream::open(&app, &events_path(&story), None).await;
    app.state
        .editorial()
        .kill(TEST_EDITOR, &story, "legal advice", app.clock.now())
        .await
        .unwrap();
    let event = stream.expect().await;
    assert_eq!(event.kind, "end");
    assert!(stream.next().await.is_none(), "the stream closes");
    let again = app.get(&events_path(&story)).await;
    assert_eq!(again.status(), 410);
}

async fn an_embargoed_or_unpublished_live_page_has_no_stream(app: TestApp) {
    let editorial = app.state.editorial();
    let story = live_story(&app, "Results live").await;
    post(&app, &story, "Counting begins.").await;
    let mut stream = Stream::open(&app, &events_path(&story), None).await;
    // An embargo put back on: the stream ends and no new one opens until it lifts.
    let until = app.clock.now() + 3_600;
    let content = story.content.clone();
    let edit = Edit {
        content: &content,
        base_revision: None,
        embargo: Some(until),
        request: EditRequest::Save,
    };
    editorial
        .save(TEST_EDITOR, Some(&story), edit, app.clock.now())
        .await
        .unwrap();
    assert_eq!(stream.expect().await.kind, "end");
    assert!(stream.next().await.is_none());
    assert_eq!(app.get(&events_path(&story)).await.status(), 404);

    // A draft that is a live page, an ordinary story, and no story at all.
    let content = full_story(app.section_id("europe"), None, "Draft live");
    let draft_id = app.draft(&content, app.clock.now()).await;
    let draft = app.store.story(draft_id).await.unwrap().unwrap();
    editorial
        .start_live_page(TEST_EDITOR, &draft, app.clock.now())
        .await
        .unwrap();
    assert_eq!(
        app.get(&format!("/live/{draft_id}/events")).await.status(),
        404
    );
    let content = full_story(app.section_id("europe"), None, "Not live");
    let plain = app.publish(&content, app.clock.now()).await;
    assert_eq!(
        app.get(&format!("/live/{plain}/events")).await.status(),
        404
    );
    assert_eq!(app.get("/live/999999/events").await.status(), 404);
    assert_eq!(app.get("/live/x'--/events").await.status(), 404);
}

async fn an_ended_live_page_replays_what_was_missed_then_stops(app: TestApp) {
    let story = live_story(&app, "Summit live").await;
    let first = post(&app, &story, "Leaders arrive.").await;
    let mut stream = Stream::open(&app, &events_path(&story), None).await;
    let second = post(&app, &story, "Talks begin.").await;
    let seen = stream.expect().await;
    assert_eq!(seen.data["post"], second);
    app.state
        .editorial()
        .end_live_page(
            TEST_EDITOR,
            &story,
            "The summit ended <em>with</em> a deal.",
            app.clock.now(),
        )
        .await
        .unwrap();
    let end = stream.expect().await;
    assert_eq!(end.kind, "end");
    assert!(
        end.data["html"].as_str().unwrap().contains("&lt;em&gt;"),
        "the summary is escaped: {end:?}"
    );
    assert!(
        stream.next().await.is_none(),
        "an ended page's stream closes"
    );

    // Up to date: 204, which tells a browser to stop reconnecting.
    let end_id = end.id.unwrap();
    let done = app
        .client
        .get(format!("{}{}", app.base, events_path(&story)))
        .header("Last-Event-ID", end_id.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 204);
    // Behind: what was missed, then the end, then the stream closes.
    let mut behind = Stream::open(&app, &events_path(&story), Some(0)).await;
    assert_eq!(behind.expect().await.data["post"], first);
    assert_eq!(behind.expect().await.data["post"], second);
    assert_eq!(behind.expect().await.kind, "end");
    assert!(behind.next().await.is_none());
}
