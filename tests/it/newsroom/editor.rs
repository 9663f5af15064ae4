//! The story editor's form: validation that keeps what was typed, uploads, preview.

use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::staff::{borrow, story_fields, story_id_from};
use dateline::domain::user::Role;
use std::io::Cursor;

fn picture(format: image::ImageFormat, width: u32, height: u32) -> Vec<u8> {
    let img = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([x as u8, y as u8, 77])
    }));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// A small PNG whose header claims 30000×30000 pixels (with a valid CRC).
fn bomb() -> Vec<u8> {
    let mut bytes = picture(image::ImageFormat::Png, 1, 1);
    bytes[16..20].copy_from_slice(&30000u32.to_be_bytes());
    bytes[20..24].copy_from_slice(&30000u32.to_be_bytes());
    // The IHDR chunk's CRC, over its type and data (bytes 12..29).
    let crc = crc32fast::hash(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

async fn validation_errors_keep_everything_typed(app: TestApp) {
    let reporter = app.staff(Role::Reporter).await;
    let mut fields = story_fields(
        app.section_id("africa"),
        "Rains return to the Sahel",
        "save",
    );
    fields.retain(|(k, _)| *k != "body" && *k != "summary");
    fields.push((
        "body",
        "Good first paragraph.\n\n<b>raw html</b>\n\nMore.".into(),
    ));
    fields.push(("summary", "".into()));
    fields.push(("link_title", "Met service".into()));
    fields.push(("link_url", "javascript:alert(1)".into()));
    let response = reporter
        .post_story(&app, "/newsroom/stories", &borrow(&fields), None)
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("value=\"Rains return to the Sahel\""),
        "headline kept"
    );
    assert!(
        page.contains("Good first paragraph.\n\n&lt;b&gt;raw html&lt;/b&gt;")
            || page.contains("Good first paragraph.\n\n&#60;b&#62;raw html&#60;/b&#62;"),
        "body kept"
    );
    assert!(page.contains("value=\"Met service\""), "link title kept");
    assert!(
        page.contains("id=\"body-error\">line 3: raw HTML is not allowed"),
        "body error next to the field"
    );
    assert!(
        page.contains("id=\"summary-error\">is required"),
        "summary error next to the field"
    );
    assert!(
        page.contains("only http, https and mailto links"),
        "link error"
    );
    assert_eq!(app.store.story_count().await.unwrap(), 0, "nothing saved");
}

async fn uploads_are_checked_by_content(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let with_alt = |alt: &str| {
        let mut fields = story_fields(app.section_id("asia-pacific"), "Typhoon passes", "save");
        fields.push(("image_alt", alt.to_string()));
        fields.push(("image_caption", "The storm at dawn".to_string()));
        fields
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "notes.jpg",
            b"this is not a picture at all".to_vec(),
            "not a JPEG, PNG or WebP",
        ),
        (
            "drawing.gif",
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec(),
            "not a JPEG, PNG or WebP",
        ),
        ("huge.png", bomb(), "the limit is 40 megapixels"),
        (
            "big.jpg",
            vec![0xFF; dateline::media::MAX_UPLOAD_BYTES + 10],
            "the limit is 12 MB",
        ),
    ];
    for (name, bytes, message) in cases {
        let fields = with_alt("Waves over a sea wall");
        let response = editor
            .post_story(
                &app,
                "/newsroom/stories",
                &borrow(&fields),
                Some((name, bytes)),
            )
            .await;
        assert_eq!(response.status(), 422, "{name}");
        let page = response.text().await.unwrap();
        assert!(
            page.contains("id=\"image-error\">") && page.contains(message),
            "{name}: {message}"
        );
        assert!(
            page.contains("value=\"Typhoon passes\""),
            "{name}: text kept"
        );
    }
    // A picture without alt text is kept, and the form asks for the description.
    let fields = with_alt("");
    let response = editor
        .post_story(
            &app,
            "/newsroom/stories",
            &borrow(&fields),
            Some(("ok.png", picture(image::ImageFormat::Png, 800, 400))),
        )
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("id=\"alt-error\">is required"));
    assert!(
        page.contains("name=\"image_id\" value=\""),
        "uploaded picture kept for the next try"
    );

    for (name, format) in [
        ("a.jpg", image::ImageFormat::Jpeg),
        ("b.png", image::ImageFormat::Png),
        ("c.webp", image::ImageFormat::WebP),
    ] {
        let mut fields = with_alt("Waves over a sea wall");
        fields.retain(|(k, _)| *k != "action");
        fields.push(("action", "publish".into()));
        let response = editor
            .post_story(
                &app,
                "/newsroom/stories",
                &borrow(&fields),
                Some((name, picture(format, 1200, 600))),
            )
            .await;
        assert_eq!(response.status(), 303, "{name}");
        let id = story_id_from(&response);
        let story = app.store.story(id).await.unwrap().unwrap();
        let image_id = story.content.lead_image.expect("lead image").image_id;
        let (_, page) = app
            .page(&format!("/news/asia-pacific/typhoon-passes-{id}"))
            .await;
        assert!(page.contains(&format!("srcset=\"/images/{image_id}/320 320w, /images/{image_id}/640 640w, /images/{image_id}/976 976w\"")), "{name}");
        let served = app.get(&format!("/images/{image_id}/640")).await;
        assert_eq!(served.headers()["content-type"], "image/jpeg");
        assert_eq!(
            image::load_from_memory(&served.bytes().await.unwrap())
                .unwrap()
                .width(),
            640,
            "{name} re-encoded"
        );
    }
}

async fn preview_matches_the_public_page_and_saves_nothing(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let fields = story_fields(app.section_id("americas"), "Canal traffic rises", "preview");
    let response = editor
        .post_story(&app, "/newsroom/stories", &borrow(&fields), None)
        .await;
    assert_eq!(response.status(), 200);
    let preview = response.text().await.unwrap();
    assert_eq!(
        app.store.story_count().await.unwrap(),
        0,
        "preview saves nothing"
    );
    let fields = story_fields(app.section_id("americas"), "Canal traffic rises", "publish");
    let id = story_id_from(
        &editor
            .post_story(&app, "/newsroom/stories", &borrow(&fields), None)
            .await,
    );
    let (_, public) = app
        .page(&format!("/news/americas/canal-traffic-rises-{id}"))
        .await;
    let article = |html: &str| {
        let body = html
            .split("<h1 id=\"headline\">")
            .nth(1)
            .unwrap_or("")
            .split("<p class=\"story-tools\">")
            .next()
            .unwrap_or("")
            .to_string();
        body
    };
    assert!(!article(&preview).is_empty());
    assert_eq!(
        article(&preview),
        article(&public),
        "the same article markup"
    );
    assert!(preview.contains("Page last updated at"));
}

async fn admins_manage_staff(app: TestApp) {
    let admin = app.staff(Role::Admin).await;
    let created = admin
        .post(
            &app,
            "/newsroom/users",
            &[
                ("email", "New.Person@Example.org"),
                ("name", "New Person"),
                ("role", "reporter"),
            ],
        )
        .await;
    assert_eq!(created.status(), 200);
    let page = created.text().await.unwrap();
    let password = page
        .split("One-time password for the new account: <code>")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    assert!(
        app.sign_in("new.person@example.org", &password)
            .await
            .is_some(),
        "the new account signs in"
    );
    let duplicate = admin
        .post(
            &app,
            "/newsroom/users",
            &[("email", "new.person@example.org"), ("role", "editor")],
        )
        .await;
    assert_eq!(duplicate.status(), 422);
    assert!(duplicate
        .text()
        .await
        .unwrap()
        .contains("already an account"));
    let user = app
        .store
        .user_by_email("new.person@example.org")
        .await
        .unwrap()
        .unwrap();
    admin
        .post(
            &app,
            &format!("/newsroom/users/{}", user.id),
            &[("disabled", "yes")],
        )
        .await;
    assert!(
        app.sign_in("new.person@example.org", &password)
            .await
            .is_none(),
        "disabled accounts cannot sign in"
    );
    let (_, audit) = admin.get(&app, "/newsroom/audit").await;
    assert!(audit.contains("create account") && audit.contains("disable account"));
}

on_both_databases!(
    validation_errors_keep_everything_typed,
    uploads_are_checked_by_content,
    preview_matches_the_public_page_and_saves_nothing,
    admins_manage_staff,
);
