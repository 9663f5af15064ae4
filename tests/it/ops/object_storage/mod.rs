//! Pictures in object storage (issue 20), against a real S3-compatible server
//! (`s3s-fs`, started per test) on both databases: renditions written once
//! under their hash and served through Dateline with the visibility rule, the
//! CDN's public copies kept in step with visibility (a killed story's picture
//! leaves the public path), `dateline media migrate` stopped and resumed
//! without losing a picture, and bad settings refused in the operator's words.
//! The public copies' outbox, the backfill's copies and a demo reset's
//! deletions are in `copies`.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use dateline::config::MediaSettings;
use dateline::editorial::{Edit, EditRequest};
use dateline::media::objects::{public_key, rendition_key};
use dateline::store::content_hash;

use crate::helpers::{full_story, Media, TestApp, TEST_EDITOR};
use crate::s3_server::S3Server;

/// Every rendition of a picture: each standard width, in JPEG and in WebP.
fn renditions() -> impl Iterator<Item = (i64, &'static str)> {
    dateline::media::WIDTHS
        .into_iter()
        .flat_map(|width| ["image/jpeg", "image/webp"].map(|format| (width, format)))
}

/// An app on `postgres` or SQLite whose pictures are in a fresh `s3s-fs`
/// bucket fronted by a CDN; `None` when PostgreSQL or `s3s-fs` is missing.
async fn app_on_s3(postgres: bool) -> Option<TestApp> {
    let server = S3Server::start()?;
    let media = Media {
        settings: server.settings(true),
        server: Some(std::sync::Arc::new(server)),
    };
    TestApp::with_media(postgres, media).await
}

async fn get(app: &TestApp, path: &str, accept: &str) -> (u16, String, String, Vec<u8>) {
    let response = app
        .client
        .get(format!("{}{path}", app.base))
        .header("accept", accept)
        .send()
        .await
        .expect("request");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let (status, content_type, etag) = (
        response.status().as_u16(),
        header("content-type"),
        header("etag"),
    );
    (
        status,
        content_type,
        etag,
        response.bytes().await.expect("body").to_vec(),
    )
}

fn accept(format: &str) -> &'static str {
    if format == "image/webp" {
        "image/webp,*/*;q=0.8"
    } else {
        "image/jpeg"
    }
}

/// Whether each of picture `id`'s public copies (every width, JPEG and WebP) is
/// in the bucket; each one there has its format's content type, for the CDN.
async fn public_copies(app: &TestApp, id: i64) -> Vec<bool> {
    let objects = app.state.pictures.objects().expect("object storage");
    let mut found = Vec::new();
    for (width, format) in renditions() {
        let key = public_key(id, width, format);
        let content_type = objects.content_type(&key).await.expect("HEAD");
        if let Some(content_type) = &content_type {
            assert_eq!(content_type, format, "{key}'s content type");
        }
        found.push(content_type.is_some());
    }
    found
}

/// An app on object storage with one picture, shown by a story published a
/// minute ago: (app, picture, story); `None` as for [`app_on_s3`].
async fn published_picture(postgres: bool, headline: &str) -> Option<(TestApp, i64, i64)> {
    let app = app_on_s3(postgres).await?;
    let image = app.add_image(900, 600).await;
    let content = full_story(app.section_id("world"), Some(image), headline);
    let id = app.publish(&content, app.clock.now() - 60).await;
    assert_public(&app, image, true, "published").await;
    Some((app, image, id))
}

/// Picture `image` is served in every rendition and copied to the public path
/// (`public`), or neither (404, and no copy).
async fn assert_public(app: &TestApp, image: i64, public: bool, why: &str) {
    for (width, format) in renditions() {
        let path = format!("/images/{image}/{width}");
        assert_eq!(
            get(app, &path, accept(format)).await.0,
            if public { 200 } else { 404 },
            "{why}: {path} {format}"
        );
    }
    assert_eq!(public_copies(app, image).await, vec![public; 6], "{why}");
}

async fn upload_is_written_once_by_hash_and_served(postgres: bool) {
    let Some(app) = app_on_s3(postgres).await else {
        return;
    };
    let image = app.add_image(1200, 600).await;
    // The row keeps the facts and the hash, not the bytes.
    let rows: Vec<(Option<Vec<u8>>, Option<String>)> = match &app.store {
        dateline::store::Store::Sqlite(pool, _) => sqlx::query_as("SELECT data, sha256 FROM image_renditions WHERE image_id = $1 UNION ALL SELECT data, sha256 FROM image_alternates WHERE image_id = $1")
            .bind(image).fetch_all(pool).await.unwrap(),
        dateline::store::Store::Postgres(pool) => sqlx::query_as("SELECT data, sha256 FROM image_renditions WHERE image_id = $1 UNION ALL SELECT data, sha256 FROM image_alternates WHERE image_id = $1")
            .bind(image).fetch_all(pool).await.unwrap(),
    };
    assert_eq!(rows.len(), 6, "three widths, JPEG and WebP");
    assert!(rows
        .iter()
        .all(|(data, hash)| data.is_none() && hash.is_some()));

    // A draft's picture is not served, and has no public copy.
    let content = full_story(
        app.section_id("world"),
        Some(image),
        "Pictures in the bucket",
    );
    let id = app.draft(&content, app.clock.now() - 120).await;
    assert_public(&app, image, false, "a draft's").await;

    let story = app.store.story(id).await.unwrap().unwrap();
    app.edit(
        Some(&story),
        &content,
        EditRequest::Publish { significant: true },
        app.clock.now() - 60,
    )
    .await;
    let objects = app.state.pictures.objects().unwrap();
    for (width, format) in renditions() {
        let (status, content_type, etag, body) =
            get(&app, &format!("/images/{image}/{width}"), accept(format)).await;
        assert_eq!(
            (status, content_type.as_str()),
            (200, format),
            "{width} {format}"
        );
        let suffix = if format == "image/webp" { "-webp" } else { "" };
        assert_eq!(etag, format!("\"img-{image}-{width}{suffix}\""));
        // The bytes served are the object named by their hash.
        let hash = content_hash(&body);
        assert_eq!(
            objects.rendition(&hash).await.expect("object by hash"),
            body
        );
        assert!(objects.exists(&rendition_key(&hash)).await.unwrap());
    }
    assert_eq!(public_copies(&app, image).await, vec![true; 6]);
}

async fn killed_story_picture_leaves_the_public_path(postgres: bool) {
    let Some((app, image, id)) = published_picture(postgres, "Harbour closes").await else {
        return;
    };
    let story = app.store.story(id).await.unwrap().unwrap();
    app.state
        .editorial()
        .kill(TEST_EDITOR, &story, "legal advice", app.clock.now())
        .await
        .expect("killed");
    assert_public(&app, image, false, "killed").await;

    // Published again by another story: served and copied again.
    let again = full_story(app.section_id("world"), Some(image), "Harbour reopens");
    let now = app.clock.now();
    let again_id = app.publish(&again, now - 30).await;
    assert_public(&app, image, true, "published again").await;

    // An embargo put on that story takes the picture off the path until it ends.
    let story = app.store.story(again_id).await.unwrap().unwrap();
    let until = now + 3600;
    let edit = Edit {
        content: &again,
        base_revision: None,
        embargo: Some(until),
        request: EditRequest::Save,
    };
    app.state
        .editorial()
        .save(TEST_EDITOR, Some(&story), edit, now)
        .await
        .expect("embargoed");
    assert_public(&app, image, false, "embargoed").await;
    app.clock.set(until + 1);
    dateline::editorial::end_due_embargoes(&app.state.editorial(), until + 1)
        .await
        .expect("embargo ended");
    assert_public(&app, image, true, "after the embargo").await;
}

async fn media_migrate_stops_and_resumes_losing_nothing(postgres: bool) {
    let Some(server) = S3Server::start() else {
        return;
    };
    let server = std::sync::Arc::new(server);
    // An installation whose pictures are in the database, with a bucket ready.
    let database_media = Media {
        settings: MediaSettings::Database,
        server: Some(server.clone()),
    };
    let Some(app) = TestApp::with_media(postgres, database_media).await else {
        return;
    };
    let mut pictures = Vec::new();
    for n in 0..6 {
        let image = app.add_image(700 + n * 50, 400).await;
        let content = full_story(
            app.section_id("world"),
            Some(image),
            &format!("Picture {n}"),
        );
        app.publish(&content, app.clock.now() - 60).await;
        pictures.push(image);
    }
    // What every picture is now, byte for byte (by hash).
    let mut before = Vec::new();
    for &image in &pictures {
        for (width, format) in renditions() {
            let (status, _, _, body) =
                get(&app, &format!("/images/{image}/{width}"), accept(format)).await;
            assert_eq!(status, 200);
            before.push((image, width, format, content_hash(&body)));
        }
    }
    assert_eq!(app.store.count_bytes_in_database().await.unwrap(), 36);

    let migrate = |args: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_dateline"));
        command
            .env_remove("DATELINE_CONFIG")
            .env("DATELINE_LOG", "warn")
            .envs(server.env(false))
            .args(["--database", &app.database_url, "media", "migrate"])
            .args(args);
        command
    };
    // Runs migrate to its end; returns what it printed.
    let run_through = |args: &[&str]| {
        let output = migrate(args).output().expect("run media migrate");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        stdout
    };
    // A run limited to 10 moves 10 and stops.
    let stdout = run_through(&["--limit", "10"]);
    assert!(
        stdout.contains("moved 10 picture renditions to object storage; 26 left"),
        "{stdout}"
    );
    assert_eq!(app.store.count_bytes_in_database().await.unwrap(), 26);

    // A run killed after its first committed batch.
    let mut child = migrate(&[])
        .stdout(Stdio::piped())
        .spawn()
        .expect("run media migrate");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    loop {
        let line = lines
            .next()
            .expect("a line before the end")
            .expect("stdout");
        if line.trim_start().starts_with("moved ") {
            break;
        }
    }
    child.kill().expect("kill");
    child.wait().expect("wait");
    let left = app.store.count_bytes_in_database().await.unwrap();
    assert!(
        left <= 26 - 16,
        "a batch committed before the kill: {left} left"
    );

    // Run again: it goes on from there and finishes.
    let stdout = run_through(&[]);
    assert!(
        stdout.contains(&format!(
            "moved {left} picture renditions to object storage; 0 left"
        )),
        "{stdout}"
    );
    assert_eq!(app.store.count_bytes_in_database().await.unwrap(), 0);

    // A node on object storage serves every picture, each the same bytes as before.
    let s3_node = app
        .another_node_with_media(Media {
            settings: server.settings(false),
            server: Some(server.clone()),
        })
        .await;
    for (image, width, format, hash) in &before {
        let (status, content_type, _, body) = get(
            &s3_node,
            &format!("/images/{image}/{width}"),
            accept(format),
        )
        .await;
        assert_eq!((status, content_type.as_str()), (200, *format));
        assert_eq!(
            &content_hash(&body),
            hash,
            "picture {image} at {width} in {format}"
        );
    }
    drop(s3_node);
}

/// Bad object-storage settings stop the binary with one line naming the setting.
#[test]
fn bad_settings_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("t.db").display());
    let run = |env: &[(&str, &str)]| {
        let output = Command::new(env!("CARGO_BIN_EXE_dateline"))
            .env_remove("DATELINE_CONFIG")
            .env("DATELINE_LOG", "warn")
            .envs(env.iter().copied())
            .args(["--database", &database, "media", "migrate"])
            .output()
            .expect("run dateline");
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(
            stderr.lines().filter(|l| !l.trim().is_empty()).count(),
            1,
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        stderr
    };
    let e = run(&[("DATELINE_MEDIA_STORE", "ftp")]);
    assert!(
        e.contains("media_store") && e.contains("ftp") && e.contains("is not known"),
        "{e}"
    );
    let e = run(&[
        ("DATELINE_MEDIA_STORE", "s3"),
        ("DATELINE_S3_ENDPOINT", "http://127.0.0.1:1"),
    ]);
    assert!(e.contains("s3_bucket is not set"), "{e}");
    let e = run(&[
        ("DATELINE_MEDIA_STORE", "s3"),
        ("DATELINE_S3_ENDPOINT", "http://127.0.0.1:1"),
        ("DATELINE_S3_BUCKET", "pictures"),
        ("DATELINE_S3_ACCESS_KEY", "k"),
        ("DATELINE_S3_SECRET_KEY", "hidden-secret"),
        ("DATELINE_MEDIA_PUBLIC_URL", "cdn.example.org"),
    ]);
    assert!(
        e.contains("media_public_url") && !e.contains("hidden-secret"),
        "{e}"
    );
    let e = run(&[]);
    assert!(e.contains("media_store is \"database\""), "{e}");
}

/// Runs each test on SQLite and on PostgreSQL (skipped without `DATABASE_URL`).
macro_rules! on_both {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::$test(false).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::$test(true).await;
                }
            )*
        }
    };
}

on_both!(
    upload_is_written_once_by_hash_and_served,
    killed_story_picture_leaves_the_public_path,
    media_migrate_stops_and_resumes_losing_nothing,
);

// After `on_both`, which it uses.
mod copies;
