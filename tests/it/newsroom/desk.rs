//! The desk at `/newsroom`: each of an editor's and a reporter's lists shows
//! exactly the stories it should, in order; empty lists say so; the lists'
//! fragment is the page's `#desk-lists` to the byte; the story list moved to
//! `/newsroom/stories`.

use crate::helpers::{full_story, TestApp};
use crate::newsroom::workflow::{create, save};
use crate::on_both_databases;
use dateline::domain::user::Role;

const HOUR: i64 = 3600;

/// The start of the lists' element on the desk page.
pub const LISTS_START: &str = "<div id=\"desk-lists\" data-refresh=\"/newsroom/desk/lists\">";

/// The inner HTML of the desk page's `#desk-lists` (the partial holds no `<div>`).
pub fn desk_lists(page: &str) -> &str {
    let start = page.find(LISTS_START).expect("the desk's lists") + LISTS_START.len();
    let end = page[start..].find("</div>").expect("the lists' end") + start;
    &page[start..end]
}

/// One list of the desk: from its heading to the end of its section.
pub fn list<'a>(page: &'a str, key: &str) -> &'a str {
    let heading = format!("<h2 id=\"desk-{key}\">");
    let start = page
        .find(&heading)
        .unwrap_or_else(|| panic!("no list {key} on the desk"));
    let end = page[start..].find("</section>").expect("the list's end") + start;
    &page[start..end]
}

/// Where `needle` is in `haystack`, for order checks.
fn place(haystack: &str, needle: &str) -> usize {
    haystack
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in {haystack}"))
}

async fn draft(app: &TestApp, headline: &str) -> i64 {
    app.draft(
        &full_story(app.section_id("europe"), None, headline),
        app.clock.now(),
    )
    .await
}

async fn editors_desk_lists_what_needs_them(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let (status, empty) = editor.get(&app, "/newsroom").await;
    assert_eq!(status, 200);
    for message in [
        "Nothing awaiting review.",
        "Nothing scheduled in the next 24 hours.",
        "No embargo ends in the next 24 hours.",
        "Nothing published yet.",
        "Nobody else has a story open.",
    ] {
        assert!(empty.contains(message), "{message}");
    }
    // One h1, then an h2 per list, with links to the full tabs.
    let h1 = place(&empty, "<h1>Desk</h1>");
    assert!(h1 < place(&empty, "<h2 id=\"desk-review\">"));
    assert_eq!(empty.matches("<h1").count(), 1);
    assert!(empty.contains("href=\"/newsroom/stories?show=review\""));
    assert!(empty.contains("<a href=\"/newsroom\">Desk</a>"));
    assert!(empty.contains("<a href=\"/newsroom/stories\">Stories</a>"));

    let now = app.clock.now();
    let older = draft(&app, "Waiting longest zqolder").await;
    let newer = draft(&app, "Waiting less zqnewer").await;
    app.store
        .set_submitted(newer, Some(now - HOUR))
        .await
        .unwrap();
    app.store
        .set_submitted(older, Some(now - 5 * HOUR))
        .await
        .unwrap();
    let _never = draft(&app, "Never submitted zqnever").await;
    let soon = draft(&app, "Due in an hour zqsoon").await;
    let later = draft(&app, "Due in thirty hours zqlater").await;
    app.store
        .set_schedule(soon, Some(now + HOUR))
        .await
        .unwrap();
    app.store
        .set_schedule(later, Some(now + 30 * HOUR))
        .await
        .unwrap();
    let ending = draft(&app, "Embargo ends tonight zqending").await;
    let lasting = draft(&app, "Embargo lasts zqlasting").await;
    app.store
        .set_embargo(ending, Some(now + 2 * HOUR))
        .await
        .unwrap();
    app.store
        .set_embargo(lasting, Some(now + 30 * HOUR))
        .await
        .unwrap();
    let europe = app.section_id("europe");
    app.publish(
        &full_story(europe, None, "Published first zqfirst"),
        now - 2 * HOUR,
    )
    .await;
    app.publish(
        &full_story(europe, None, "Published last zqlast"),
        now - HOUR,
    )
    .await;

    let (_, desk) = editor.get(&app, "/newsroom").await;
    let review = list(&desk, "review");
    assert!(
        place(review, "zqolder") < place(review, "zqnewer"),
        "the longest waiting first"
    );
    assert!(!review.contains("zqnever") && !review.contains("zqsoon"));
    assert!(review.contains(&format!("href=\"/newsroom/stories/{older}\"")));
    assert!(review.contains("Europe") && review.contains("Submitted "));
    let scheduled = list(&desk, "scheduled");
    assert!(scheduled.contains("zqsoon") && scheduled.contains("Publishes "));
    assert!(!scheduled.contains("zqlater"), "30 hours away is not soon");
    let embargoes = list(&desk, "embargoes");
    assert!(embargoes.contains("zqending") && embargoes.contains("Embargoed until "));
    assert!(!embargoes.contains("zqlasting"));
    let published = list(&desk, "published");
    assert!(
        place(published, "zqlast") < place(published, "zqfirst"),
        "newest first"
    );
    assert!(published.contains("Last updated "));
    assert!(!published.contains("zqolder"));
    assert!(list(&desk, "open").contains("Nobody else has a story open."));

    // Someone else opening a story puts it on the desk, with who and since when;
    // the editor's own open story does not.
    let reporter = app.staff(Role::Reporter).await;
    let own = create(&app, &reporter, "Reporter has it open zqopen", "save").await;
    assert_eq!(
        reporter
            .get(&app, &format!("/newsroom/stories/{own}"))
            .await
            .0,
        200
    );
    assert_eq!(
        editor
            .get(&app, &format!("/newsroom/stories/{soon}"))
            .await
            .0,
        200
    );
    let (_, desk) = editor.get(&app, "/newsroom").await;
    let open = list(&desk, "open");
    assert!(open.contains("zqopen"), "{open}");
    assert!(open.contains("Open by reporter ") && open.contains(" since "));
    assert!(open.contains("Reporter: reporter "), "the story's owner");
    assert!(!open.contains("zqsoon"), "not for one's own presence");
    // The presence window passes: off the desk.
    app.clock.advance(16 * 60);
    let (_, desk) = editor.get(&app, "/newsroom").await;
    assert!(!list(&desk, "open").contains("zqopen"));

    // Admins have the editor's desk too.
    let admin = app.staff(Role::Admin).await;
    let (_, desk) = admin.get(&app, "/newsroom").await;
    assert!(list(&desk, "review").contains("zqolder"));
}

async fn each_list_is_bounded(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let now = app.clock.now();
    for n in 0..22 {
        let id = draft(&app, &format!("Queue story {n:02}")).await;
        app.store
            .set_submitted(id, Some(now - 100 + n))
            .await
            .unwrap();
    }
    let (_, desk) = editor.get(&app, "/newsroom").await;
    let review = list(&desk, "review");
    assert_eq!(review.matches("<li>").count(), 20);
    assert!(review.contains("Queue story 00") && !review.contains("Queue story 21"));
    assert!(review.contains("All stories awaiting review"));
}

async fn reporters_desk_shows_only_their_own(app: TestApp) {
    let reporter = app.staff(Role::Reporter).await;
    let other = app.staff(Role::Reporter).await;
    let editor = app.staff(Role::Editor).await;
    let (_, empty) = reporter.get(&app, "/newsroom").await;
    assert!(empty.contains("<h1>Your desk</h1>"));
    assert!(empty.contains("You have no drafts."));
    assert!(empty.contains("Nothing has been sent back to you."));
    assert!(empty.contains("None of your stories has been published yet."));
    assert!(!empty.contains("desk-review"), "no editor's lists");

    let mine = create(&app, &reporter, "My own draft zqmine", "save").await;
    create(&app, &other, "Someone else's draft zqtheirs", "save").await;
    let mine_out = create(&app, &reporter, "My story goes out zqmineout", "submit").await;
    let theirs_out = create(&app, &other, "Their story goes out zqtheirsout", "submit").await;
    for (id, headline) in [
        (mine_out, "My story goes out zqmineout"),
        (theirs_out, "Their story goes out zqtheirsout"),
    ] {
        let changes = [("headline", headline), ("action", "publish")];
        let response = save(&app, &editor, id, &changes).await;
        assert_eq!(response.status(), 303);
    }
    // An editor's own published story is no reporter's.
    let europe = app.section_id("europe");
    app.publish(
        &full_story(europe, None, "Desk story zqdesk"),
        app.clock.now(),
    )
    .await;

    let (_, desk) = reporter.get(&app, "/newsroom").await;
    let drafts = list(&desk, "drafts");
    assert!(drafts.contains("zqmine") && drafts.contains(&format!("/newsroom/stories/{mine}\"")));
    assert!(!drafts.contains("zqtheirs") && !drafts.contains("zqmineout"));
    assert!(drafts.contains("href=\"/newsroom/stories?show=mine\""));
    let published = list(&desk, "published");
    assert!(published.contains("zqmineout"));
    assert!(!published.contains("zqtheirsout") && !published.contains("zqdesk"));
    assert!(!desk.contains("zqtheirs"));
}

async fn the_fragment_is_the_pages_lists(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let reporter = app.staff(Role::Reporter).await;
    let id = create(&app, &reporter, "Fragment story <b>zqfrag</b>", "submit").await;
    reporter.get(&app, &format!("/newsroom/stories/{id}")).await;
    for who in [&editor, &reporter] {
        let (_, page) = who.get(&app, "/newsroom").await;
        let response = who.get_response(&app, "/newsroom/desk/lists").await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "text/html; charset=utf-8"
        );
        assert_eq!(response.headers()["cache-control"], "private, no-store");
        let fragment = response.text().await.unwrap();
        assert_eq!(fragment, desk_lists(&page));
        assert!(fragment.contains("zqfrag"), "{fragment}");
        assert!(fragment.contains("&#60;b&#62;zqfrag") && !fragment.contains("<b>zqfrag"));
        assert!(!fragment.contains("<html") && !fragment.contains("<h1"));
    }
    // Anonymous: the sign-in page, as every newsroom route.
    let anonymous = app.get("/newsroom/desk/lists").await;
    assert_eq!(anonymous.status(), 303);
}

async fn the_story_list_moved_to_stories(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let id = draft(&app, "Listed story zqlisted").await;
    app.store
        .set_submitted(id, Some(app.clock.now()))
        .await
        .unwrap();
    let (status, page) = editor.get(&app, "/newsroom/stories?show=review").await;
    assert_eq!(status, 200);
    assert!(page.contains("<h1>Stories</h1>") && page.contains("zqlisted"));
    assert!(page.contains("href=\"/newsroom/stories?show=review\" aria-current=\"page\""));
    assert!(page.contains("action=\"/newsroom/stories\""));
    assert!(!page.contains("href=\"/newsroom?show="));
    let (_, searched) = editor
        .get(&app, "/newsroom/stories?show=all&q=zqlisted")
        .await;
    assert!(searched.contains("zqlisted"));
    let (_, none) = editor
        .get(&app, "/newsroom/stories?show=all&q=zqnothing")
        .await;
    assert!(none.contains("No stories here."));
}

on_both_databases!(
    editors_desk_lists_what_needs_them,
    each_list_is_bounded,
    reporters_desk_shows_only_their_own,
    the_fragment_is_the_pages_lists,
    the_story_list_moved_to_stories,
);
