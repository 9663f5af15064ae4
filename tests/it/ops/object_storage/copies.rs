//! The CDN's public copies through their outbox (`picture_copy_checks`),
//! against a real `s3s-fs` on both databases: an editorial action is done even
//! when the bucket does not answer, and the check it queued in its own
//! transaction removes (or writes) the copy later, claimed by one node at a
//! time; the scheduler's publications write copies; the WebP renditions
//! `dateline migrate` makes get theirs; and `dateline demo --reset` deletes
//! the old database's objects, and only those.

use std::collections::BTreeSet;
use std::process::Command;
use std::time::{Duration, Instant};

use dateline::config::MediaSettings;
use dateline::editorial::{Edit, EditRequest};
use dateline::media::objects::{public_key, rendition_key};
use dateline::media::public_copies::{Retried, RETRY_AFTER};

use super::{app_on_s3, assert_public, get, public_copies, published_picture, renditions};
use crate::child_server::{reserve_port, ReservedPort};
use crate::helpers::{full_story, media_env, Media, TestApp, TEST_EDITOR};

/// `app`'s bucket as seen by a node that cannot reach it: nothing listens on
/// the port, which is held until the port returned is dropped (a port only
/// closed again could be given to another test's S3 server, with the same bucket).
fn unreachable(app: &TestApp) -> (Media, ReservedPort) {
    let MediaSettings::S3(mut s3) = app.media.settings.clone() else {
        panic!("the app keeps its pictures in object storage");
    };
    let port = reserve_port();
    s3.endpoint = format!("http://127.0.0.1:{}", port.port);
    let media = Media {
        settings: MediaSettings::S3(s3),
        server: None,
    };
    (media, port)
}

async fn queued(app: &TestApp) -> Vec<i64> {
    app.store
        .queued_copy_checks()
        .await
        .expect("read the checks")
}

/// Runs the `dateline` binary on `app`'s database and bucket; returns its stdout.
fn dateline(app: &TestApp, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_dateline"))
        .env_remove("DATELINE_CONFIG")
        .env("DATELINE_LOG", "warn")
        .envs(media_env(&app.database_url))
        .args(["--database", &app.database_url])
        .args(args)
        .output()
        .expect("run dateline");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{args:?}: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

async fn a_kill_while_storage_is_down_is_done_and_its_copies_removed_later(postgres: bool) {
    let Some((app, image, id)) = published_picture(postgres, "Pier closes").await else {
        return;
    };
    assert!(
        queued(&app).await.is_empty(),
        "a finished sync closes its check"
    );

    // A node that cannot reach the bucket kills the story: the kill is done...
    let (media, _down_port) = unreachable(&app);
    let down = app.another_node_with_media(media).await;
    let story = app.store.story(id).await.unwrap().unwrap();
    let now = app.clock.now();
    down.state
        .editorial()
        .kill(TEST_EDITOR, &story, "legal advice", now)
        .await
        .expect("a kill does not wait for the CDN's copies");
    assert_eq!(
        get(&app, &format!("/images/{image}/640"), "*/*").await.0,
        404
    );
    // ...the copies are still in the bucket, and the check that removes them is queued.
    assert_eq!(public_copies(&app, image).await, vec![true; 6]);
    assert_eq!(queued(&app).await, vec![image]);

    // Its scheduler claims the check and fails again; meanwhile no other node takes it.
    let retried = down
        .state
        .pictures
        .retry_copy_checks(&down.store, now)
        .await
        .expect("retry");
    assert_eq!(
        retried,
        Retried {
            synced: 0,
            failed: 1
        }
    );
    let retried = app
        .state
        .pictures
        .retry_copy_checks(&app.store, now)
        .await
        .expect("retry");
    assert_eq!(retried, Retried::default(), "claimed by the other node");
    drop(down);

    // Once the claim runs out, a node that reaches the bucket removes the copies.
    let retried = app
        .state
        .pictures
        .retry_copy_checks(&app.store, now + RETRY_AFTER)
        .await
        .expect("retry");
    assert_eq!(
        retried,
        Retried {
            synced: 1,
            failed: 0
        }
    );
    assert_eq!(public_copies(&app, image).await, vec![false; 6]);
    assert!(queued(&app).await.is_empty());
}

async fn a_publication_while_storage_is_down_is_copied_by_the_scheduler(postgres: bool) {
    let Some(app) = app_on_s3(postgres).await else {
        return;
    };
    let image = app.add_image(800, 500).await;
    let content = full_story(app.section_id("world"), Some(image), "Ferry returns");
    let (media, _down_port) = unreachable(&app);
    let down = app.another_node_with_media(media).await;
    down.publish(&content, app.clock.now() - 60).await;
    drop(down);
    assert_eq!(public_copies(&app, image).await, vec![false; 6]);
    assert_eq!(queued(&app).await, vec![image]);

    // Every node's scheduler retries what is due: this node's, on its next tick.
    let scheduler = dateline::scheduler::spawn(app.state.clone());
    let deadline = Instant::now() + Duration::from_secs(30);
    while !queued(&app).await.is_empty() {
        assert!(
            Instant::now() < deadline,
            "the scheduler did not sync the copies"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    scheduler.abort();
    assert_eq!(public_copies(&app, image).await, vec![true; 6]);
}

async fn the_schedulers_publications_write_copies(postgres: bool) {
    let Some(app) = app_on_s3(postgres).await else {
        return;
    };
    let now = app.clock.now();
    let scheduled = app.add_image(700, 400).await;
    let content = full_story(app.section_id("world"), Some(scheduled), "Bridge opens");
    let id = app.draft(&content, now - 60).await;
    let story = app.store.story(id).await.unwrap().unwrap();
    app.edit(
        Some(&story),
        &content,
        EditRequest::Schedule(now + 600),
        now,
    )
    .await;

    let embargoed = app.add_image(720, 400).await;
    let held = full_story(app.section_id("world"), Some(embargoed), "Report at dawn");
    let held_id = app.draft(&held, now - 60).await;
    let story = app.store.story(held_id).await.unwrap().unwrap();
    let edit = Edit {
        content: &held,
        base_revision: None,
        embargo: Some(now + 1200),
        request: EditRequest::Publish { significant: true },
    };
    app.state
        .editorial()
        .save(TEST_EDITOR, Some(&story), edit, now)
        .await
        .expect("waits for its embargo");
    assert_eq!(public_copies(&app, scheduled).await, vec![false; 6]);
    assert_eq!(public_copies(&app, embargoed).await, vec![false; 6]);

    app.clock.set(now + 600);
    let published = dateline::editorial::publish_due(&app.state.editorial(), now + 600)
        .await
        .expect("publish due");
    assert_eq!(published, vec![id]);
    assert_eq!(public_copies(&app, scheduled).await, vec![true; 6]);
    assert_eq!(public_copies(&app, embargoed).await, vec![false; 6]);

    app.clock.set(now + 1200);
    let published = dateline::editorial::publish_due(&app.state.editorial(), now + 1200)
        .await
        .expect("publish at the embargo's end");
    assert_eq!(published, vec![held_id]);
    assert_eq!(public_copies(&app, embargoed).await, vec![true; 6]);
    assert!(queued(&app).await.is_empty());
}

async fn migrate_copies_the_webp_it_makes_for_a_public_picture(postgres: bool) {
    let Some(app) = app_on_s3(postgres).await else {
        return;
    };
    let now = app.clock.now();
    let public = app.add_image(900, 500).await;
    let content = full_story(app.section_id("world"), Some(public), "Lighthouse relit");
    app.publish(&content, now - 60).await;
    let draft = app.add_image(900, 520).await;
    let content = full_story(app.section_id("world"), Some(draft), "Not out yet");
    app.draft(&content, now - 60).await;

    // As if both were stored before WebP: no WebP rendition, so no public WebP copy.
    app.execute(&format!(
        "DELETE FROM image_alternates WHERE image_id IN ({public}, {draft})"
    ))
    .await;
    let objects = app.state.pictures.objects().unwrap();
    for (width, format) in renditions().filter(|(_, f)| *f == "image/webp") {
        objects
            .delete(&public_key(public, width, format))
            .await
            .unwrap();
    }
    assert_eq!(
        public_copies(&app, public).await,
        [true, false].repeat(3),
        "JPEG only"
    );

    let stdout = dateline(&app, &["migrate"]);
    assert!(stdout.contains("WebP renditions made: 6"), "{stdout}");
    assert_eq!(public_copies(&app, public).await, vec![true; 6]);
    assert_eq!(public_copies(&app, draft).await, vec![false; 6]);
    assert!(queued(&app).await.is_empty());
}

async fn demo_reset_deletes_the_old_databases_objects_and_only_those(postgres: bool) {
    let Some((app, _, _)) = published_picture(postgres, "Before the reset").await else {
        return;
    };
    let objects = app.state.pictures.objects().unwrap();
    // The bucket may hold what is not Dateline's.
    objects
        .put_public("elsewhere/keep", "text/plain", b"not Dateline's")
        .await
        .unwrap();
    let old: BTreeSet<String> = objects
        .keys("renditions/")
        .await
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(old.len(), 6);

    let stdout = dateline(&app, &["demo", "--reset"]);
    assert!(
        stdout.contains("deleted 6 picture renditions from object storage"),
        "{stdout}"
    );
    assert!(objects.exists("elsewhere/keep").await.unwrap());

    // The bucket's renditions are exactly those the new database names...
    let named: Vec<String> = {
        let sql = "SELECT sha256 FROM image_renditions WHERE data IS NULL \
                   UNION SELECT sha256 FROM image_alternates WHERE data IS NULL";
        match &app.store {
            dateline::store::Store::Sqlite(pool, _) => {
                sqlx::query_scalar(sql).fetch_all(pool).await
            }
            dateline::store::Store::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await,
        }
        .unwrap()
    };
    let named: BTreeSet<String> = named.iter().map(|hash| rendition_key(hash)).collect();
    let stored: BTreeSet<String> = objects
        .keys("renditions/")
        .await
        .unwrap()
        .into_iter()
        .collect();
    assert!(!named.is_empty(), "the demo has pictures");
    assert_eq!(stored, named);
    assert!(old.is_disjoint(&stored), "the old renditions are gone");

    // ...and its public copies those of the pictures a public story shows now.
    let now = jiff::Timestamp::now().as_second();
    let mut expected = BTreeSet::new();
    for picture in app.store.image_ids().await.unwrap() {
        if !app
            .store
            .public_stories_showing(picture, now)
            .await
            .unwrap()
            .is_empty()
        {
            expected.extend(renditions().map(|(w, f)| public_key(picture, w, f)));
        }
    }
    let copies: BTreeSet<String> = objects
        .keys("public/images/")
        .await
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(copies, expected);
    assert!(queued(&app).await.is_empty());
}

/// A re-import replaces the story's text with the page's, which shows no
/// picture: the picture an editor had added leaves the public path, as after
/// any other action that takes a picture out of a story.
async fn a_reimport_that_drops_a_picture_takes_down_its_copies(postgres: bool) {
    let Some(app) = app_on_s3(postgres).await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("harbour_strike.txt");
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/import/harbour_strike.txt"
    );
    let original = std::fs::read_to_string(fixture).unwrap();
    std::fs::write(&page, &original).unwrap();
    let page_path = page.display().to_string();
    let stdout = dateline(&app, &["import", "--section", "world", &page_path]);
    let id: i64 = stdout
        .split_whitespace()
        .find_map(|w| w.strip_prefix("/news/world/"))
        .and_then(|slug| slug.rsplit('-').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no address in {stdout}"));
    let record = app.store.import_of(id).await.unwrap().expect("recorded");
    assert_eq!(record.story_id, id, "the record names the story it made");

    // The desk adds the lead picture the page lacked, through the editor.
    let story = app.store.story(id).await.unwrap().unwrap();
    let image = app.add_image(900, 600).await;
    let mut content = story.content.clone();
    content.lead_image = Some(dateline::domain::story::LeadImage {
        image_id: image,
        alt: "Cranes at the northern quay".into(),
        caption: "The quay during the strike".into(),
        credit: "Port authority".into(),
    });
    let edit = Edit {
        content: &content,
        base_revision: None,
        embargo: None,
        request: EditRequest::Publish { significant: false },
    };
    app.state
        .editorial()
        .save(TEST_EDITOR, Some(&story), edit, app.clock.now())
        .await
        .expect("the picture is added");
    assert_public(&app, image, true, "shown by the imported story").await;

    // The page changes and is imported again: the story shows no picture now.
    let changed = original.replace(
        "voted to return to work",
        "voted, at last, to return to work",
    );
    std::fs::write(&page, changed).unwrap();
    let stdout = dateline(&app, &["import", "--section", "world", &page_path]);
    assert!(stdout.contains("1 updated"), "{stdout}");
    let story = app.store.story(id).await.unwrap().unwrap();
    assert_eq!(story.content.lead_image, None);
    assert!(story.content.body.contains("voted, at last"));
    assert_public(&app, image, false, "no public story shows it").await;
    assert!(
        queued(&app).await.is_empty(),
        "the import's sync closed its checks"
    );
}

on_both!(
    a_kill_while_storage_is_down_is_done_and_its_copies_removed_later,
    a_publication_while_storage_is_down_is_copied_by_the_scheduler,
    the_schedulers_publications_write_copies,
    migrate_copies_the_webp_it_makes_for_a_public_picture,
    demo_reset_deletes_the_old_databases_objects_and_only_those,
    a_reimport_that_drops_a_picture_takes_down_its_copies,
);
