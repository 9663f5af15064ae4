//! The never-public matrix (issue 14): a story in each editorial state that is
//! not public (draft, in review, scheduled, published with a future embargo,
//! published then embargoed, killed) × every reader-facing surface × SQLite and
//! PostgreSQL × a second PostgreSQL node. Each cell asserts that nothing of the
//! story (headline, id, slug, picture) shows while it is not public, and that
//! the same cell shows it once it is (for a kill: before, then never again).
//! A sponsor campaign sold for the story alone follows it: while the story is
//! not public the campaign's picture is 404 and a click, still led on to the
//! sponsor, counts nothing; once it is, each fetch and click counts one.
//!
//! Every state is reached through the newsroom's forms, as staff would. Caches
//! are warm before each change (every check fetches every surface), so a change
//! that forgets to drop a cached copy fails its cells. The node that made a
//! change is checked at once, without waiting for its follower; the second node
//! is checked once its follower has read the invalidation log. One app per
//! database serves the whole matrix; the failed cells are reported together.

mod exports;
mod matrix;
mod newsroom;
mod surfaces;

use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::staff::Browser;
use dateline::domain::user::Role;
use dateline::store::Store;
use exports::Exports;
use matrix::{Expect, Matrix};
use newsroom::{
    create, fields, local, place, post_editor, promote, save, sponsor, staff_preview, DAY, STATES,
};
use surfaces::{check, Site, Subject, Surface, HTTP_SURFACES};

const API_KEY: &str = "never-public-matrix-key";

/// Both nodes' clocks to `at` (the second first: the scheduler runs on the first).
fn set_time(nodes: &[(&TestApp, &str)], at: i64) {
    for (node, _) in nodes.iter().rev() {
        node.clock.set(at);
    }
}

async fn follower_read_log(node: &TestApp) {
    node.follower_read_log().await;
}

/// Checks `surfaces` for `subject` on every node: the first at once, the others
/// after their followers have read the log.
async fn check_nodes(
    matrix: &mut Matrix,
    nodes: &[(&TestApp, &str)],
    site: &Site,
    subject: &Subject,
    surfaces: &[Surface],
    expect: Expect,
) {
    for (i, &(node, name)) in nodes.iter().enumerate() {
        if i > 0 {
            follower_read_log(node).await;
        }
        check(matrix, (node, name), site, subject, surfaces, expect).await;
    }
}

/// Waits until every node's follower has read the log: an SQLite follower that
/// cannot tell its own node's entries (the code before issue 14's fix) drops
/// again, up to 250 ms later, what its node's changes named, which would empty
/// the caches a check is about to rely on. Then fetches every surface of `subject`
/// on every node (checking it is as `expect`), so that the caches hold them
/// before the next change.
async fn warm(
    matrix: &mut Matrix,
    nodes: &[(&TestApp, &str)],
    site: &Site,
    subject: &Subject,
    expect: Expect,
) {
    for (node, _) in nodes {
        follower_read_log(node).await;
    }
    check_nodes(matrix, nodes, site, subject, HTTP_SURFACES, expect).await;
}

/// Runs the real scheduler on `app` (as `dateline serve` does) until dropped.
struct Scheduler(tokio::task::JoinHandle<()>);

impl Drop for Scheduler {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Waits (up to 5 s: the scheduler ticks every second) for the first node's
/// home page to show `subject` after its time came; records a failure if it never does.
async fn wait_for_release(matrix: &mut Matrix, node: (&TestApp, &str), subject: &Subject) {
    let (node, name) = node;
    for _ in 0..250 {
        let (_, home) = node.page("/").await;
        if home.contains(&subject.headline) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    matrix.record(
        subject.state,
        "Fronts",
        name,
        Expect::Shown,
        vec!["the scheduler's node: / did not show it within 5 s of its time".into()],
    );
}

async fn never_public_matrix(app: TestApp) {
    let started = std::time::Instant::now();
    let postgres = matches!(app.store, Store::Postgres(_));
    let database = if postgres { "postgres" } else { "sqlite" };
    let second = if postgres {
        Some(app.another_node().await)
    } else {
        None
    };
    let first_name = format!("{database} node 1");
    let second_name = format!("{database} node 2");
    let mut nodes: Vec<(&TestApp, &str)> = vec![(&app, first_name.as_str())];
    if let Some(node) = &second {
        nodes.push((node, second_name.as_str()));
    }
    let _scheduler = Scheduler(dateline::scheduler::spawn(app.state.clone()));
    app.store
        .create_api_key("matrix", &dateline::auth::token_hash(API_KEY), 1_000_000, 0)
        .await
        .expect("api key");
    let t0 = app.clock.now();
    let mut matrix = Matrix::default();
    let exports = Exports::new();

    let editor = app.staff(Role::Editor).await;
    let reporter = app.staff(Role::Reporter).await;
    // The bystander shows the promos; it is published first so that no subject is story 1.
    let bystander_fields = fields(&app, "Lighthouse keepers meet in Oban", "uk", "publish");
    let bystander = post_editor(&app, &editor, None, &bystander_fields, None).await;
    let mut site = Site {
        host: String::new(),
        bystander: format!("/news/uk/lighthouse-keepers-meet-in-oban-{bystander}"),
        api_key: API_KEY.to_string(),
        news_window: true,
    };

    // Warm every node's copies of the lists and pages before any subject exists.
    for (node, _) in &nodes {
        for path in [
            "/",
            "/news/world",
            "/feeds/news.rss",
            "/sitemaps/news.xml",
            site.bystander.as_str(),
        ] {
            assert_eq!(node.page(path).await.0, 200, "{path}");
        }
    }

    // `all` is the one list of the subjects, one per state in `STATES`' order;
    // the names below are for the steps that treat a state apart.
    let mut subjects = Vec::new();
    for n in 0..STATES.len() {
        subjects.push(create(&app, &editor, &reporter, n, t0).await);
    }
    // Each sold a sponsor campaign of its own, held by every node before any check.
    let admin = app.staff(Role::Admin).await;
    for s in &mut subjects {
        s.campaign = sponsor(&app, &admin, s, t0).await;
    }
    for (node, _) in &nodes {
        dateline::web::sponsor_book::reload(&node.state)
            .await
            .expect("the campaigns");
    }
    let all: [Subject; STATES.len()] = subjects.try_into().ok().expect("a subject per state");
    let [draft, review, scheduled, at_publish, after_publish, killed] = &all;

    // The host lists every subject as related; the promos and fronts take the public ones.
    let mut host_fields = fields(&app, "Ferry timetable changes for winter", "uk", "publish");
    for s in &all {
        host_fields.push(("related".into(), s.id.to_string()));
    }
    let host = post_editor(&app, &editor, None, &host_fields, None).await;
    site.host = format!("/news/uk/ferry-timetable-changes-for-winter-{host}");
    let all_ids: Vec<i64> = all.iter().map(|s| s.id).collect();
    promote(&app, &editor, &all_ids).await;
    place(&app, &editor, "home", &all_ids).await;
    for s in [after_publish, killed] {
        place(&app, &editor, s.section, &[s.id]).await;
    }

    // Public before their change: every surface shows them, and every cache holds it.
    for s in [after_publish, killed] {
        warm(&mut matrix, &nodes, &site, s, Expect::Shown).await;
    }
    exports.check(
        &mut matrix,
        &app.database_url,
        database,
        &[(after_publish, Expect::Shown), (killed, Expect::Shown)],
    );
    for s in [draft, review, scheduled, at_publish] {
        check_nodes(&mut matrix, &nodes, &site, s, HTTP_SURFACES, Expect::Hidden).await;
    }

    // The measured leak of issue 14: a published story saved with an embargo two
    // days ahead. Its node is checked at once: it must have dropped its own copies
    // before answering (on SQLite its follower would drop them up to 250 ms later).
    save(
        &app,
        &editor,
        after_publish,
        &[("embargo", local(&app, t0 + 2 * DAY))],
    )
    .await;
    check_nodes(
        &mut matrix,
        &nodes,
        &site,
        after_publish,
        HTTP_SURFACES,
        Expect::Hidden,
    )
    .await;
    warm(&mut matrix, &nodes, &site, killed, Expect::Shown).await;
    let response = editor
        .post(
            &app,
            &format!("/newsroom/stories/{}/kill", killed.id),
            &[("confirm", "yes"), ("reason", "Legal advice")],
        )
        .await;
    assert_eq!(response.status(), 303, "killed");
    check_nodes(
        &mut matrix,
        &nodes,
        &site,
        killed,
        HTTP_SURFACES,
        Expect::Hidden,
    )
    .await;

    // Still nothing of the others after those changes dropped the lists.
    for s in [draft, review, scheduled, at_publish] {
        check_nodes(&mut matrix, &nodes, &site, s, HTTP_SURFACES, Expect::Hidden).await;
    }
    for s in &all {
        staff_preview(&mut matrix, nodes[0], &editor, s).await;
    }
    let hidden: Vec<(&Subject, Expect)> = all.iter().map(|s| (s, Expect::Hidden)).collect();
    exports.check(&mut matrix, &app.database_url, database, &hidden);

    // Each becomes public in turn. The embargo after publishing ends first, at
    // two days: its story left the news sitemap's 48-hour window meanwhile.
    warm(&mut matrix, &nodes, &site, after_publish, Expect::Hidden).await;
    set_time(&nodes, t0 + 2 * DAY + 120);
    wait_for_release(&mut matrix, nodes[0], after_publish).await;
    site.news_window = false;
    check_nodes(
        &mut matrix,
        &nodes,
        &site,
        after_publish,
        HTTP_SURFACES,
        Expect::Shown,
    )
    .await;
    site.news_window = true;
    // (Its export half was checked before the embargo: the binary reads the system
    // clock, for which the embargo has not ended.)

    // Draft and review are published by an editor (sessions expired with the clock).
    let editor = app.staff(Role::Editor).await;
    let mut promoted = vec![after_publish.id];
    for s in [draft, review] {
        warm(&mut matrix, &nodes, &site, s, Expect::Hidden).await;
        save(&app, &editor, s, &[("action", "publish".to_string())]).await;
        release_checks(&mut matrix, &nodes, &site, &editor, s, &mut promoted).await;
        exports.check(
            &mut matrix,
            &app.database_url,
            database,
            &[(s, Expect::Shown)],
        );
    }

    // The schedule and the embargo set at publishing come due: the scheduler alone shows them.
    warm(&mut matrix, &nodes, &site, scheduled, Expect::Hidden).await;
    set_time(&nodes, t0 + 3 * DAY + 120);
    wait_for_release(&mut matrix, nodes[0], scheduled).await;
    let editor = app.staff(Role::Editor).await;
    release_checks(
        &mut matrix,
        &nodes,
        &site,
        &editor,
        scheduled,
        &mut promoted,
    )
    .await;
    exports.check(
        &mut matrix,
        &app.database_url,
        database,
        &[(scheduled, Expect::Shown)],
    );
    warm(&mut matrix, &nodes, &site, at_publish, Expect::Hidden).await;
    set_time(&nodes, t0 + 3 * DAY + 3600 + 120);
    wait_for_release(&mut matrix, nodes[0], at_publish).await;
    let editor = app.staff(Role::Editor).await;
    release_checks(
        &mut matrix,
        &nodes,
        &site,
        &editor,
        at_publish,
        &mut promoted,
    )
    .await;
    // (No export half: the binary's system clock is before the embargo's end.)

    let report = matrix.report();
    eprintln!(
        "never-public matrix on {database}: {} checks, {} failed, {:.1} s\n{report}",
        matrix.checks(),
        matrix.failed(),
        started.elapsed().as_secs_f64()
    );
    assert_eq!(
        matrix.failed(),
        0,
        "{} of {} checks failed:\n{report}",
        matrix.failed(),
        matrix.checks()
    );
}

/// The public half for a story just made public by something other than an
/// editor's promo choice: every surface but the promos at once, then the promos
/// once an editor has put it in the list (promos take only public stories).
async fn release_checks(
    matrix: &mut Matrix,
    nodes: &[(&TestApp, &str)],
    site: &Site,
    editor: &Browser,
    subject: &Subject,
    promoted: &mut Vec<i64>,
) {
    let without_promos: Vec<Surface> = HTTP_SURFACES
        .iter()
        .copied()
        .filter(|s| *s != Surface::Promos)
        .collect();
    check_nodes(matrix, nodes, site, subject, &without_promos, Expect::Shown).await;
    promoted.push(subject.id);
    promote(nodes[0].0, editor, promoted).await;
    check_nodes(
        matrix,
        nodes,
        site,
        subject,
        &[Surface::Promos],
        Expect::Shown,
    )
    .await;
}

on_both_databases!(never_public_matrix);
