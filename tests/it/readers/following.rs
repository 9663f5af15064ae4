//! What readers follow, over HTTP on both databases: following and unfollowing sections, regions and topics only with the session's CSRF token; My news showing only public stories from what is followed; the private Atom feed with a good, a renewed and a revoked address; and nothing of it in a shared cache or in an anonymous page.

use crate::helpers::{full_story, TestApp};
use crate::on_both_databases;
use crate::readers::visitor::{csrf, hidden_fields, Visitor, READER_PASSWORD};

/// A verified reader signed in through the form.
async fn signed_in<'a>(app: &'a TestApp, email: &str) -> (Visitor<'a>, i64) {
    let id = app
        .verified_reader(email, "Fen <b>Follower</b>", READER_PASSWORD)
        .await;
    let mut visitor = Visitor::new(app);
    let answer = visitor.sign_in(email, READER_PASSWORD).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    (visitor, id)
}

async fn follow_and_unfollow_need_the_sessions_token(app: TestApp) {
    let (mut reader, id) = signed_in(&app, "fen@example.net").await;
    let world = app.section_id("world").to_string();
    let europe = app.section_id("europe").to_string();

    let page = reader.get("/account/following").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.header("cache-control"), "private, no-store");
    assert!(page
        .body
        .contains("<h2 id=\"regions-heading\">Regions</h2>"));
    let token = csrf(&page.body);

    // Without the token, with another token, or from another site: refused, nothing followed.
    for fields in [
        vec![("section", world.as_str()), ("follow", "yes")],
        vec![
            ("csrf", "not-the-token"),
            ("section", world.as_str()),
            ("follow", "yes"),
        ],
    ] {
        let refused = reader.post("/account/following/sections", &fields).await;
        assert_eq!(refused.status, 403, "{fields:?}");
    }
    let cross_site = app
        .client
        .post(format!("{}/account/following/sections", app.base))
        .header(
            "cookie",
            format!("dateline_reader={}", reader.cookies["dateline_reader"]),
        )
        .header("sec-fetch-site", "cross-site")
        .form(&[
            ("csrf", token.as_str()),
            ("section", &world),
            ("follow", "yes"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403);
    let topic_refused = reader
        .post(
            "/account/following/topics",
            &[("csrf", "nope"), ("topic", "harbour")],
        )
        .await;
    assert_eq!(topic_refused.status, 403);
    assert!(app.store.following(id).await.unwrap().is_empty());

    // Signed out: to the sign-in, nothing changes.
    let mut stranger = Visitor::new(&app);
    let anonymous = stranger
        .post(
            "/account/following/sections",
            &[("csrf", &token), ("section", &world), ("follow", "yes")],
        )
        .await;
    assert_eq!(anonymous.status, 303);
    assert!(
        anonymous.location.starts_with("/account/sign-in"),
        "{}",
        anonymous.location
    );
    assert!(app.store.following(id).await.unwrap().is_empty());

    // With the token, through the page's own forms: a section and a region.
    let page = reader.get("/account/following").await;
    let world_button = page
        .body
        .split("<form")
        .find(|form| {
            form.contains("action=\"/account/following/sections\"")
                && form.contains(&format!("name=\"section\" value=\"{world}\""))
        })
        .expect("World's Follow button");
    let fields = hidden_fields(world_button);
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let followed = reader.post("/account/following/sections", &fields).await;
    assert_eq!(followed.status, 303);
    assert_eq!(followed.location, "/account/following?done=followed");
    let followed = reader
        .post(
            "/account/following/sections",
            &[("csrf", &token), ("section", &europe), ("follow", "yes")],
        )
        .await;
    assert_eq!(followed.status, 303);
    let again = reader
        .post(
            "/account/following/sections",
            &[("csrf", &token), ("section", &world), ("follow", "yes")],
        )
        .await;
    assert_eq!(again.status, 303, "following twice changes nothing");
    let following = app.store.following(id).await.unwrap();
    assert_eq!(
        following.section_ids,
        [app.section_id("world"), app.section_id("europe")]
    );
    let page = reader.get("/account/following?done=followed").await;
    assert!(page.body.contains("You now follow it."));
    assert!(page
        .body
        .contains("Stop following<span class=\"visually-hidden\"> World</span>"));

    // A topic: checked, escaped when shown, at most once whatever its case.
    let topic = "<script>alert(1)</script> \"harbour strike\"";
    let added = reader
        .post(
            "/account/following/topics",
            &[("csrf", &token), ("topic", topic)],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let twice = reader
        .post(
            "/account/following/topics",
            &[("csrf", &token), ("topic", &topic.to_uppercase())],
        )
        .await;
    assert_eq!(twice.status, 422);
    assert!(twice.body.contains("You already follow that topic."));
    let bad = reader
        .post(
            "/account/following/topics",
            &[("csrf", &token), ("topic", "-rail")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Add at least one word to find"));
    assert!(
        bad.body.contains("value=\"-rail\""),
        "what was typed is kept"
    );
    let page = reader.get("/account/following").await;
    assert!(
        !page.body.contains("<script>alert(1)"),
        "a topic is shown as text"
    );
    assert!(page
        .body
        .contains("&#60;script&#62;alert(1)&#60;/script&#62;"));

    // Unfollowing: the section and the topic.
    let topics = app.store.following(id).await.unwrap().topics;
    assert_eq!(topics.len(), 1);
    let unfollowed = reader
        .post(
            "/account/following/sections",
            &[("csrf", &token), ("section", &world), ("follow", "no")],
        )
        .await;
    assert_eq!(unfollowed.location, "/account/following?done=unfollowed");
    let topic_id = topics[0].id.to_string();
    let refused = reader
        .post(
            "/account/following/topics/remove",
            &[("csrf", "x"), ("topic", &topic_id)],
        )
        .await;
    assert_eq!(refused.status, 403);
    let removed = reader
        .post(
            "/account/following/topics/remove",
            &[("csrf", &token), ("topic", &topic_id)],
        )
        .await;
    assert_eq!(removed.status, 303);
    let following = app.store.following(id).await.unwrap();
    assert_eq!(following.section_ids, [app.section_id("europe")]);
    assert!(following.topics.is_empty());

    // Another reader's topic cannot be removed by id.
    let (mut other, other_id) = signed_in(&app, "other@example.net").await;
    let other_page = other.get("/account/following").await;
    let other_token = csrf(&other_page.body);
    other
        .post(
            "/account/following/topics",
            &[("csrf", &other_token), ("topic", "budget")],
        )
        .await;
    let theirs = app.store.following(other_id).await.unwrap().topics[0]
        .id
        .to_string();
    reader
        .post(
            "/account/following/topics/remove",
            &[("csrf", &token), ("topic", &theirs)],
        )
        .await;
    assert_eq!(app.store.following(other_id).await.unwrap().topics.len(), 1);
}

/// Stories of every kind, and a reader following the World section (with its
/// regions) and the topic "quokka": My news and its feed show only the public ones
/// from what is followed.
async fn my_news_and_its_feed_show_only_public_stories_from_what_is_followed(app: TestApp) {
    let now = app.clock.now();
    let world = app.section_id("world");
    let europe = app.section_id("europe");
    let business = app.section_id("business");
    let in_world = app
        .publish(
            &full_story(world, None, "Summit opens in the capital"),
            now - 3600,
        )
        .await;
    let in_region = app
        .publish(
            &full_story(europe, None, "Dockers end their strike"),
            now - 3000,
        )
        .await;
    let topic_match = app
        .publish(
            &full_story(business, None, "Quokka exports soar"),
            now - 2000,
        )
        .await;
    let _elsewhere = app
        .publish(
            &full_story(business, None, "Shares close higher"),
            now - 1000,
        )
        .await;
    let _draft = app
        .draft(
            &full_story(world, None, "Draft about the summit"),
            now - 900,
        )
        .await;
    let embargoed = app
        .publish(
            &full_story(world, None, "Embargoed summit report"),
            now - 800,
        )
        .await;
    app.execute(&format!(
        "UPDATE stories SET embargo_until = {} WHERE id = {embargoed}",
        now + 86_400
    ))
    .await;
    let killed = app
        .publish(&full_story(world, None, "Killed summit story"), now - 700)
        .await;
    app.execute(&format!(
        "UPDATE stories SET status = 'killed' WHERE id = {killed}"
    ))
    .await;
    let _draft_match = app
        .draft(&full_story(business, None, "Quokka draft"), now - 600)
        .await;

    let (mut reader, id) = signed_in(&app, "news@example.net").await;
    let empty = reader.get("/account/my-news").await;
    assert_eq!(empty.status, 200);
    assert_eq!(empty.header("cache-control"), "private, no-store");
    assert!(empty.body.contains("You follow nothing yet."));

    app.store.follow_section(id, world, now).await.unwrap();
    app.store.add_topic(id, "quokka", 10, now).await.unwrap();
    let page = reader.get("/account/my-news").await;
    assert_eq!(page.status, 200);
    for shown in [
        "Summit opens in the capital",
        "Dockers end their strike",
        "Quokka exports soar",
    ] {
        assert!(page.body.contains(shown), "My news shows {shown}");
    }
    for hidden in [
        "Shares close higher",
        "Draft about the summit",
        "Embargoed summit report",
        "Killed summit story",
        "Quokka draft",
    ] {
        assert!(
            !page.body.contains(hidden),
            "My news must not show {hidden}"
        );
    }
    // Newest first.
    let order: Vec<usize> = [
        "Quokka exports soar",
        "Dockers end their strike",
        "Summit opens in the capital",
    ]
    .iter()
    .map(|h| page.body.find(h).unwrap())
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");

    // The private feed: made on the following page, shown once, then the same list.
    let token = csrf(&reader.get("/account/following").await.body);
    let made = reader
        .post(
            "/account/following/feed",
            &[("csrf", &token), ("action", "new")],
        )
        .await;
    assert_eq!(made.status, 200);
    assert_eq!(made.header("cache-control"), "private, no-store");
    let address = feed_address(&made.body);
    let path = address.strip_prefix(&app.base).unwrap().to_string();
    // The database keeps the secret's SHA-256, never the secret.
    let secret = path.rsplit('/').next().unwrap().trim_end_matches(".atom");
    let hash = dateline::auth::token_hash(secret);
    assert_eq!(
        app.store.reader_by_feed_token(&hash).await.unwrap(),
        Some(id)
    );
    assert_eq!(app.store.reader_by_feed_token(secret).await.unwrap(), None);
    assert!(
        !reader.get("/account/following").await.body.contains(&path),
        "shown only once"
    );
    let feed = app.get(&path).await;
    assert_eq!(feed.status(), 200);
    assert_eq!(
        feed.headers()["content-type"],
        "application/atom+xml; charset=utf-8"
    );
    assert_eq!(feed.headers()["cache-control"], "private, no-store");
    assert!(feed.headers().get("surrogate-key").is_none());
    let xml = feed.text().await.unwrap();
    let parsed = feed_rs::parser::parse(xml.as_bytes()).expect("a valid Atom feed");
    let titles: Vec<String> = parsed
        .entries
        .iter()
        .filter_map(|e| e.title.as_ref().map(|t| t.content.clone()))
        .collect();
    assert_eq!(
        titles,
        [
            "Quokka exports soar",
            "Dockers end their strike",
            "Summit opens in the capital"
        ]
    );
    let ids: Vec<String> = [topic_match, in_region, in_world]
        .iter()
        .map(|id| format!("{}/news/{id}", app.base))
        .collect();
    assert_eq!(
        parsed
            .entries
            .iter()
            .map(|e| e.id.clone())
            .collect::<Vec<_>>(),
        ids
    );
    // Not the page cache's: a second fetch after a change shows the change at once.
    app.store.unfollow_section(id, world).await.unwrap();
    let xml = app.get(&path).await.text().await.unwrap();
    assert!(xml.contains("Quokka exports soar") && !xml.contains("Summit opens"));
    assert!(
        app.state.cache.is_empty(),
        "no reader's feed or page in the page cache"
    );

    // Renewed: the old address is gone, the new one works. Revoked: gone too.
    let renewed = reader
        .post(
            "/account/following/feed",
            &[("csrf", &token), ("action", "renew")],
        )
        .await;
    let new_path = feed_address(&renewed.body)
        .strip_prefix(&app.base)
        .unwrap()
        .to_string();
    assert_ne!(new_path, path);
    assert_eq!(app.get(&path).await.status(), 404);
    assert_eq!(app.get(&new_path).await.status(), 200);
    let refused = reader
        .post(
            "/account/following/feed",
            &[("csrf", "x"), ("action", "off")],
        )
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(app.get(&new_path).await.status(), 200);
    let off = reader
        .post(
            "/account/following/feed",
            &[("csrf", &token), ("action", "off")],
        )
        .await;
    assert_eq!(off.location, "/account/following?done=feed-off");
    assert_eq!(app.get(&new_path).await.status(), 404);
    for bad in [
        "/account/my-news/x.atom",
        "/account/my-news/%3Cscript%3E.atom",
    ] {
        assert_eq!(app.get(bad).await.status(), 404, "{bad}");
    }
}

/// The address shown on the page right after the feed was made.
fn feed_address(html: &str) -> String {
    let start = html
        .find("<p class=\"feed-address\"><code>")
        .expect("the feed's address")
        + 30;
    html[start..].split('<').next().unwrap().to_string()
}

/// After a signed-in reader with follows, a feed and a daily hour has visited every
/// public page, anonymous visitors of the same pages (from the page cache) see
/// nothing of them; and the data download lists what they follow, never the feed's secret.
async fn nothing_of_a_reader_reaches_shared_pages(app: TestApp) {
    let now = app.clock.now();
    let world = app.section_id("world");
    let story = app
        .publish(&full_story(world, None, "Harbour reopens"), now - 60)
        .await;
    let (mut reader, id) = signed_in(&app, "private@example.net").await;
    let token = csrf(&reader.get("/account/following").await.body);
    reader
        .post(
            "/account/following/sections",
            &[
                ("csrf", &token),
                ("section", &world.to_string()),
                ("follow", "yes"),
            ],
        )
        .await;
    reader
        .post(
            "/account/following/topics",
            &[("csrf", &token), ("topic", "zanzibarquokka")],
        )
        .await;
    reader
        .post(
            "/account/following/daily",
            &[("csrf", &token), ("hour", "7")],
        )
        .await;
    let made = reader
        .post(
            "/account/following/feed",
            &[("csrf", &token), ("action", "new")],
        )
        .await;
    let address = feed_address(&made.body);
    let secret = address
        .rsplit('/')
        .next()
        .unwrap()
        .trim_end_matches(".atom")
        .to_string();
    let pages = [
        "/".to_string(),
        "/news/world".to_string(),
        format!("/news/{story}"),
        "/feeds/news.atom".to_string(),
        "/feeds/world.rss".to_string(),
        "/search?q=harbour".to_string(),
        "/sitemap.xml".to_string(),
    ];
    for path in &pages {
        let signed = reader.get(path).await;
        assert!(signed.status < 400, "{path}: {}", signed.status);
    }
    for path in &pages {
        let mut anonymous = app.get(path).await;
        while anonymous.status().is_redirection() {
            let to = anonymous.headers()["location"]
                .to_str()
                .unwrap()
                .to_string();
            anonymous = app.get(&to).await;
        }
        let body = anonymous.text().await.unwrap();
        for private in [
            "Fen &#60;b&#62;Follower",
            "private@example.net",
            "zanzibarquokka",
            secret.as_str(),
            "What you follow",
            "My news",
        ] {
            assert!(!body.contains(private), "{path} shows {private}");
        }
    }
    let data = reader.get("/account/data.json").await;
    let json: serde_json::Value = serde_json::from_str(&data.body).unwrap();
    assert_eq!(json["following"]["sections"][0]["name"], "World");
    assert_eq!(json["following"]["topics"][0]["topic"], "zanzibarquokka");
    assert!(json["following"]["private_feed_made_at"].is_string());
    assert_eq!(json["account"]["daily_email_hour"], 7);
    assert!(!data.body.contains(&secret));
    // Deleting the account deletes what it followed and its feed.
    let token = csrf(&reader.get("/account").await.body);
    let deleted = reader
        .post(
            "/account/delete",
            &[
                ("csrf", &token),
                ("password", READER_PASSWORD),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(deleted.status, 303);
    assert_eq!(app.get(&address.replace(&app.base, "")).await.status(), 404);
    assert!(app.store.following(id).await.unwrap().is_empty());
}

on_both_databases!(
    follow_and_unfollow_need_the_sessions_token,
    my_news_and_its_feed_show_only_public_stories_from_what_is_followed,
    nothing_of_a_reader_reaches_shared_pages,
);
