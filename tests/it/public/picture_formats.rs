//! Pictures in WebP for browsers that ask for it (issue 20): one address, the
//! format chosen by `Accept` (q-values read), `Vary: Accept` on every answer,
//! one ETag per format with its own 304, the visibility rule unchanged for both,
//! and `dateline migrate` giving older pictures the WebP they lack.

use crate::helpers::{full_story, Backend, TestApp, TEST_EDITOR};
use crate::on_both_databases;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CHROME: &str = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";
const OLD_SAFARI: &str = "image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5";

/// What a picture request was answered with.
#[derive(Debug)]
struct Answer {
    status: u16,
    content_type: String,
    vary: String,
    etag: String,
    body: Vec<u8>,
}

async fn fetch(app: &TestApp, path: &str, accept: &str, if_none_match: Option<&str>) -> Answer {
    let mut request = app
        .client
        .get(format!("{}{path}", app.base))
        .header("accept", accept);
    if let Some(etag) = if_none_match {
        request = request.header("if-none-match", etag);
    }
    let response = request.send().await.expect("request");
    let header = |name: &str| {
        response
            .headers()
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (status, content_type, vary, etag) = (
        response.status().as_u16(),
        header("content-type"),
        header("vary"),
        header("etag"),
    );
    let body = response.bytes().await.expect("body").to_vec();
    Answer {
        status,
        content_type,
        vary,
        etag,
        body,
    }
}

fn is_webp(a: &Answer) -> bool {
    a.status == 200
        && a.content_type == "image/webp"
        && a.body.len() > 12
        && &a.body[..4] == b"RIFF"
        && &a.body[8..12] == b"WEBP"
}

fn is_jpeg(a: &Answer) -> bool {
    a.status == 200 && a.content_type == "image/jpeg" && a.body.starts_with(&[0xFF, 0xD8])
}

fn varies_on_accept(a: &Answer) -> bool {
    a.vary
        .split(',')
        .any(|v| v.trim().eq_ignore_ascii_case("accept"))
}

/// A published story showing a new picture; returns the picture's id.
async fn public_picture(app: &TestApp) -> i64 {
    let image = app.add_image(1200, 600).await;
    let content = full_story(app.section_id("world"), Some(image), "Harbour at dawn");
    app.publish(&content, app.clock.now() - 60).await;
    image
}

/// A request with no `Accept` header at all (reqwest always sends one).
async fn without_accept(app: &TestApp, path: &str) -> (String, Vec<u8>) {
    let address = app.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("read");
    let end = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a head");
    let head = String::from_utf8_lossy(&answer[..end]).to_ascii_lowercase();
    (head, answer[end + 4..].to_vec())
}

async fn the_format_follows_accept(app: TestApp) {
    let image = public_picture(&app).await;
    let path = format!("/images/{image}/640");

    for accept in [CHROME, "image/webp", "image/webp;q=0.9, image/jpeg;q=0.8"] {
        let answer = fetch(&app, &path, accept, None).await;
        assert!(is_webp(&answer), "{accept}: {answer:?}");
        assert!(varies_on_accept(&answer), "{accept}: {:?}", answer.vary);
        let decoded = image::load_from_memory(&answer.body).expect("a WebP that decodes");
        assert_eq!((decoded.width(), decoded.height()), (640, 320));
    }
    for accept in [
        "*/*",
        "image/*",
        OLD_SAFARI,
        "image/webp;q=0",
        "image/webp;q=0, */*",
        "image/webp;q=0.5, image/jpeg",
    ] {
        let answer = fetch(&app, &path, accept, None).await;
        assert!(is_jpeg(&answer), "{accept}: {answer:?}");
        assert!(varies_on_accept(&answer), "{accept}: {:?}", answer.vary);
    }
    let (head, body) = without_accept(&app, &path).await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("content-type: image/jpeg"), "{head}");
    assert!(head.contains("vary: accept"), "{head}");
    assert!(body.starts_with(&[0xFF, 0xD8]));
    // Same picture, far fewer bytes.
    let jpeg = fetch(&app, &path, "*/*", None).await;
    let webp = fetch(&app, &path, CHROME, None).await;
    assert!(
        webp.body.len() < jpeg.body.len(),
        "{} ≥ {}",
        webp.body.len(),
        jpeg.body.len()
    );
}

async fn each_format_has_its_own_etag_and_304(app: TestApp) {
    let image = public_picture(&app).await;
    let path = format!("/images/{image}/320");
    let webp = fetch(&app, &path, CHROME, None).await;
    let jpeg = fetch(&app, &path, OLD_SAFARI, None).await;
    assert_eq!(webp.etag, format!("\"img-{image}-320-webp\""));
    assert_eq!(jpeg.etag, format!("\"img-{image}-320\""));

    // Each format revalidates against its own validator, with Vary on the 304 too.
    let again = fetch(&app, &path, CHROME, Some(&webp.etag)).await;
    assert_eq!(again.status, 304);
    assert_eq!(again.etag, webp.etag);
    assert!(varies_on_accept(&again), "{:?}", again.vary);
    assert!(again.body.is_empty());
    let again = fetch(&app, &path, OLD_SAFARI, Some(&jpeg.etag)).await;
    assert_eq!(again.status, 304);
    assert_eq!(again.etag, jpeg.etag);
    assert!(varies_on_accept(&again), "{:?}", again.vary);

    // The other format's validator does not stand for this one: the bytes are sent.
    let crossed = fetch(&app, &path, CHROME, Some(&jpeg.etag)).await;
    assert!(is_webp(&crossed), "{crossed:?}");
    assert_eq!(crossed.etag, webp.etag);
    let crossed = fetch(&app, &path, OLD_SAFARI, Some(&webp.etag)).await;
    assert!(is_jpeg(&crossed), "{crossed:?}");
    assert_eq!(crossed.etag, jpeg.etag);
    // A list holding both matches whichever format is chosen.
    let both = format!("{}, {}", jpeg.etag, webp.etag);
    assert_eq!(fetch(&app, &path, CHROME, Some(&both)).await.status, 304);
    assert_eq!(fetch(&app, &path, "*/*", Some(&both)).await.status, 304);
}

/// 404 in both formats, with or without the validators of when it was public.
async fn assert_hidden(app: &TestApp, image: i64, what: &str) {
    for width in dateline::media::WIDTHS {
        let path = format!("/images/{image}/{width}");
        for (accept, etag) in [
            (CHROME, None),
            ("*/*", None),
            (CHROME, Some(format!("\"img-{image}-{width}-webp\""))),
            ("*/*", Some(format!("\"img-{image}-{width}\""))),
        ] {
            let answer = fetch(app, &path, accept, etag.as_deref()).await;
            assert_eq!(answer.status, 404, "{what}: {path} ({accept}, {etag:?})");
            assert!(
                !answer.content_type.starts_with("image/"),
                "{what}: {path} sent a picture"
            );
        }
    }
}

async fn a_hidden_storys_picture_is_404_in_both_formats(app: TestApp) {
    let image = app.add_image(800, 500).await;
    let content = full_story(app.section_id("world"), Some(image), "Quiet harbour");
    let id = app.draft(&content, app.clock.now() - 120).await;
    assert_hidden(&app, image, "a draft's picture").await;

    let story = app.store.story(id).await.unwrap().unwrap();
    app.edit(
        Some(&story),
        &content,
        dateline::editorial::EditRequest::Publish { significant: true },
        app.clock.now() - 60,
    )
    .await;
    let path = format!("/images/{image}/640");
    assert!(is_webp(&fetch(&app, &path, CHROME, None).await));
    assert!(is_jpeg(&fetch(&app, &path, "*/*", None).await));

    let story = app.store.story(id).await.unwrap().unwrap();
    app.state
        .editorial()
        .kill(TEST_EDITOR, &story, "legal", app.clock.now())
        .await
        .expect("killed");
    assert_hidden(&app, image, "a killed story's picture").await;
}

/// Deletes picture `image`'s WebP renditions, as if it had been stored before them.
async fn forget_webp(app: &TestApp, image: i64) {
    app.execute(&format!(
        "DELETE FROM image_alternates WHERE image_id = {image}"
    ))
    .await;
}

/// Runs the WebP backfill as `dateline migrate` does, two renditions a batch.
async fn backfill(app: &TestApp) -> dateline::media::backfill::Filled {
    dateline::media::backfill::fill_webp(
        &app.store,
        &app.state.pictures,
        2,
        app.clock.now(),
        |_| {},
    )
    .await
    .expect("backfill")
}

async fn migrate_gives_older_pictures_their_webp(app: TestApp) {
    let older = public_picture(&app).await;
    let newer = public_picture(&app).await;
    let another = public_picture(&app).await;
    forget_webp(&app, older).await;
    forget_webp(&app, another).await;
    let path = format!("/images/{older}/976");
    // Until then, a browser that asks for WebP is sent the JPEG, under the JPEG's validator.
    let before = fetch(&app, &path, CHROME, None).await;
    assert!(is_jpeg(&before), "{before:?}");
    assert_eq!(before.etag, format!("\"img-{older}-976\""));
    assert!(varies_on_accept(&before));
    let newer_webp = fetch(&app, &format!("/images/{newer}/976"), CHROME, None).await;
    assert!(is_webp(&newer_webp));

    // A picture whose stored JPEG cannot be read is passed over, not retried for ever.
    let garbage = match app.backend() {
        Backend::Sqlite => "X'00'",
        Backend::Postgres => "'\\x00'::bytea",
    };
    app.execute(&format!(
        "UPDATE image_renditions SET data = {garbage} WHERE image_id = {another} AND width = 320"
    ))
    .await;

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_dateline"))
        .args(["--database", &app.database_url, "migrate"])
        .envs(crate::helpers::media_env(&app.database_url))
        .env_remove("DATELINE_CONFIG")
        .env("DATELINE_LOG", "warn")
        .output()
        .expect("run dateline migrate");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Three widths of `older`, two of `another`; `newer` had its own.
    assert!(stdout.contains("WebP renditions made: 5"), "{stdout}");
    assert!(
        stdout.contains("1 renditions could not be read"),
        "{stdout}"
    );

    let after = fetch(&app, &path, CHROME, None).await;
    assert!(is_webp(&after), "{after:?}");
    assert_eq!(after.etag, format!("\"img-{older}-976-webp\""));
    assert!(is_webp(
        &fetch(&app, &format!("/images/{another}/640"), CHROME, None).await
    ));

    // Resumable: a second run does only what is still missing.
    forget_webp(&app, newer).await;
    let filled = backfill(&app).await;
    assert_eq!(filled.made, 3);
    assert_eq!(filled.unreadable, 1);
    let filled = backfill(&app).await;
    assert_eq!(filled.made, 0);
}

on_both_databases!(
    the_format_follows_accept,
    each_format_has_its_own_etag_and_304,
    a_hidden_storys_picture_is_404_in_both_formats,
    migrate_gives_older_pictures_their_webp,
);
