//! Pictures in the text (issue 18): the script's upload endpoint
//! (`POST /newsroom/pictures`), the editor form's no-script fieldset, and a
//! body picture everywhere the body shows (article, print view, API, ninjs, the
//! static export), public exactly while its story is.

use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::staff::{borrow, story_fields, Browser};
use dateline::domain::user::Role;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

fn encoded(format: image::ImageFormat, width: u32, height: u32) -> Vec<u8> {
    let img = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([x as u8, y as u8, 77])
    }));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, format).expect("encode");
    out.into_inner()
}

fn png() -> Vec<u8> {
    encoded(image::ImageFormat::Png, 1200, 800)
}

/// Sends `file` (named `name`) to the upload endpoint with `csrf`.
async fn upload(
    app: &TestApp,
    who: &Browser,
    csrf: &str,
    name: &str,
    file: Vec<u8>,
) -> (u16, String, Value) {
    let form = Form::new()
        .text("csrf", csrf.to_string())
        .part("file", Part::bytes(file).file_name(name.to_string()));
    let response = who.post_multipart(app, "/newsroom/pictures", form).await;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "{status} {headers:?}"
    );
    assert_eq!(headers["cache-control"], "private, no-store");
    let cache = headers["cache-control"].to_str().unwrap().to_string();
    (status, cache, response.json().await.unwrap())
}

async fn the_upload_endpoint_answers_the_script_in_json(app: TestApp) {
    let reporter = app.staff(Role::Reporter).await;
    for (name, file) in [
        ("crowd.png", png()),
        ("crowd.jpg", encoded(image::ImageFormat::Jpeg, 800, 600)),
    ] {
        let (status, _, json) = upload(&app, &reporter, &reporter.csrf, name, file).await;
        assert_eq!(status, 201, "{name}: {json}");
        let id = json["id"].as_i64().expect("an id");
        assert_eq!(json["reference"], format!("image:{id}"));
        let src = json["src"].as_str().unwrap();
        assert_eq!(src, format!("/newsroom/images/{id}/320"));
        assert_eq!(reporter.get(&app, src).await.0, 200, "staff see it");
        // Not in any story yet: not public.
        assert_eq!(app.get(&format!("/images/{id}/320")).await.status(), 404);
    }

    let (status, _, json) = upload(
        &app,
        &reporter,
        &reporter.csrf,
        "notes.txt",
        b"Just some notes, not a picture.".to_vec(),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        json["error"],
        "The picture cannot be used: the file is not a JPEG, PNG or WebP picture."
    );
    let (status, _, json) = upload(&app, &reporter, &reporter.csrf, "empty.png", Vec::new()).await;
    assert_eq!(status, 422);
    assert!(json["error"].as_str().unwrap().contains("Choose a picture"));
    let mut big = png();
    big.resize(dateline::media::MAX_UPLOAD_BYTES + 1, 0);
    let (status, _, json) = upload(&app, &reporter, &reporter.csrf, "big.png", big).await;
    assert_eq!(status, 413);
    assert!(json["error"].as_str().unwrap().contains("12 MB"), "{json}");

    let (status, _, json) = upload(&app, &reporter, "forged", "crowd.png", png()).await;
    assert_eq!(status, 403);
    assert!(json["error"].as_str().unwrap().contains("reload the page"));

    let anonymous = app
        .client
        .post(format!("{}/newsroom/pictures", app.base))
        .multipart(Form::new().part("file", Part::bytes(png()).file_name("a.png")))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 303);
    assert!(anonymous.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/newsroom/sign-in"));
}

/// Creates a story through the editor form with `extra` fields and a picture for the text.
async fn post_with_body_picture(
    app: &TestApp,
    who: &Browser,
    path: &str,
    fields: &[(&str, &str)],
    picture: Option<Vec<u8>>,
) -> reqwest::Response {
    let mut form = Form::new().text("csrf", who.csrf.clone());
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    if let Some(bytes) = picture {
        form = form.part("body_picture", Part::bytes(bytes).file_name("quay.png"));
    }
    who.post_multipart(app, path, form).await
}

/// The value of hidden or text input `name` on a page.
fn input_value(page: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let at = page.find(&marker)? + marker.len();
    Some(page[at..].split('"').next()?.to_string())
}

async fn the_form_puts_a_described_picture_in_the_text(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let europe = app.section_id("europe");
    let mut fields = story_fields(europe, "Quay reopens after storm", "publish");
    fields.push(("body_picture_alt", "Crowds on the \"new\" quay".into()));
    fields.push(("body_picture_caption", "The quay <b>at</b> noon".into()));
    let response = post_with_body_picture(
        &app,
        &editor,
        "/newsroom/stories",
        &borrow(&fields),
        Some(png()),
    )
    .await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    let id = crate::staff::story_id_from(&response);
    let story = app.store.story(id).await.unwrap().unwrap();
    let body = &story.content.body;
    let (text, reference) = body.rsplit_once("\n\n").unwrap();
    assert_eq!(text, "The intro.\n\n## A crosshead\n\nMore text here.");
    let image = reference
        .split("image:")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse::<i64>().ok())
        .unwrap_or_else(|| panic!("no reference in {body}"));
    assert_eq!(
        reference,
        format!("![Crowds on the \\\"new\\\" quay](image:{image} \"The quay \\<b\\>at\\<\\/b\\> noon\")")
    );

    // The public page: a figure with its srcset, size and caption, all escaped.
    let path = format!("/news/europe/quay-reopens-after-storm-{id}");
    let (status, page) = app.page(&path).await;
    assert_eq!(status, 200);
    let figure = format!(
        "<figure class=\"body-picture\"><img src=\"/images/{image}/976\" \
         srcset=\"/images/{image}/320 320w, /images/{image}/640 640w, /images/{image}/976 976w\" \
         sizes=\"(min-width: 61em) 976px, 100vw\" width=\"976\" height=\"650\" loading=\"lazy\" \
         alt=\"Crowds on the &quot;new&quot; quay\">\
         <figcaption>The quay &lt;b&gt;at&lt;/b&gt; noon</figcaption></figure>"
    );
    assert!(page.contains(&figure), "{page}");
    for width in [320, 640, 976] {
        assert_eq!(
            app.get(&format!("/images/{image}/{width}")).await.status(),
            200
        );
    }
    let (status, print) = app.page(&format!("{path}/print")).await;
    assert_eq!(status, 200);
    assert!(print.contains(&figure), "{print}");

    // The API: a picture block with its renditions; ninjs: absolute addresses and an association.
    let (status, api) = crate::api::content::get_json(&app, &format!("/api/v1/stories/{id}")).await;
    assert_eq!(status, 200);
    let block = api["body"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "picture")
        .unwrap_or_else(|| panic!("no picture block: {api}"));
    assert_eq!(block["image_id"], image);
    assert_eq!(block["alt"], "Crowds on the \"new\" quay");
    assert_eq!(block["caption"], "The quay <b>at</b> noon");
    assert_eq!(block["image"]["renditions"][2]["width"], 976);
    let openapi: Value =
        serde_json::from_str(include_str!("../../../static/openapi.json")).unwrap();
    crate::api::content::conforms(&openapi, "Story", &api, "a story with a body picture");
    let (status, ninjs) =
        crate::api::content::get_json(&app, &format!("/api/v1/stories/{id}/ninjs")).await;
    assert_eq!(status, 200);
    let html = ninjs["bodies"][0]["value"].as_str().unwrap();
    assert!(
        html.contains(&format!(
            "src=\"{}/images/{image}/976\" srcset=\"{}/images/{image}/320 320w, ",
            app.state.site.base_url, app.state.site.base_url
        )),
        "{html}"
    );
    assert!(html.contains("<figcaption>The quay &lt;b&gt;at&lt;/b&gt; noon</figcaption>"));
    let association = ninjs["associations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "bodypicture1")
        .unwrap_or_else(|| panic!("no association: {ninjs}"));
    assert_eq!(
        association["descriptions"][0]["value"],
        "Crowds on the \"new\" quay"
    );

    // The editor shows the picture's line in the text and an empty fieldset again.
    let (_, editor_page) = editor.get(&app, &format!("/newsroom/stories/{id}")).await;
    assert_eq!(
        editor_page
            .matches("<legend>Picture in the text</legend>")
            .count(),
        1
    );
    assert_eq!(
        input_value(&editor_page, "body_picture_alt").as_deref(),
        Some("")
    );
    assert!(input_value(&editor_page, "body_picture_id").is_none());
}

async fn a_picture_without_its_description_waits_in_the_form(app: TestApp) {
    let reporter = app.staff(Role::Reporter).await;
    let europe = app.section_id("europe");
    let fields = story_fields(europe, "Harbour wall repaired", "save");
    let response = post_with_body_picture(
        &app,
        &reporter,
        "/newsroom/stories",
        &borrow(&fields),
        Some(png()),
    )
    .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    let kept: i64 = input_value(&page, "body_picture_id")
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("the picture is kept: {page}"));
    assert!(page.contains("id=\"body_picture_alt-error\""), "{page}");
    assert!(page.contains("Picture in the text: description (alt text)"));
    assert!(page.contains(&format!("src=\"/newsroom/images/{kept}/320\"")));
    assert!(
        page.contains(">The intro.\n\n## A crosshead\n\nMore text here.</textarea>"),
        "the body is unchanged: {page}"
    );

    // Sent again with a description: the kept picture goes into the text.
    let mut fields = fields.clone();
    fields.push(("body_picture_id", kept.to_string()));
    fields.push(("body_picture_alt", "Masons at work on the wall".into()));
    let response =
        post_with_body_picture(&app, &reporter, "/newsroom/stories", &borrow(&fields), None).await;
    assert_eq!(response.status(), 303);
    let id = crate::staff::story_id_from(&response);
    let story = app.store.story(id).await.unwrap().unwrap();
    assert!(
        story
            .content
            .body
            .ends_with(&format!("\n\n![Masons at work on the wall](image:{kept})")),
        "{}",
        story.content.body
    );

    // A picture typed into the text without a description is refused on its line.
    let mut typed = story_fields(europe, "Harbour wall repaired again", "save");
    typed.retain(|(k, _)| *k != "body");
    typed.push((
        "body",
        format!("The intro.\n\nMore.\n\n![](image:{kept} \"Caption\")"),
    ));
    let response = reporter
        .post_story(&app, "/newsroom/stories", &borrow(&typed), None)
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(
        page.contains(
            "line 5: a picture needs a description for people who cannot see it (alt text)"
        ),
        "{page}"
    );
}

async fn a_body_picture_is_public_exactly_while_its_story_is(app: TestApp) {
    let reporter = app.staff(Role::Reporter).await;
    let editor = app.staff(Role::Editor).await;
    let europe = app.section_id("europe");
    let (status, _, json) = upload(&app, &reporter, &reporter.csrf, "a.png", png()).await;
    assert_eq!(status, 201);
    let image = json["id"].as_i64().unwrap();
    let picture = format!("/images/{image}/640");
    let body = format!("The intro.\n\n![A lifeboat launch](image:{image} \"The launch\")");
    let mut fields = story_fields(europe, "Lifeboat launched", "save");
    fields.retain(|(k, _)| *k != "body");
    fields.push(("body", body.clone()));
    let response = reporter
        .post_story(&app, "/newsroom/stories", &borrow(&fields), None)
        .await;
    assert_eq!(response.status(), 303);
    let id = crate::staff::story_id_from(&response);
    assert_eq!(app.get(&picture).await.status(), 404, "a draft's picture");

    // Published with an embargo ahead (a publication scheduled for its end): still hidden.
    let story = app.store.story(id).await.unwrap().unwrap();
    let embargo = dateline::domain::timefmt::from_unix(app.clock.now() + 600)
        .to_zoned(app.state.site.time_zone.clone())
        .strftime("%Y-%m-%dT%H:%M")
        .to_string();
    let mut publish = fields.clone();
    publish.retain(|(k, _)| *k != "action");
    publish.push(("action", "publish".into()));
    publish.push(("base_revision", story.revision.to_string()));
    publish.push(("embargo", embargo));
    let response = editor
        .post_story(
            &app,
            &format!("/newsroom/stories/{id}"),
            &borrow(&publish),
            None,
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        app.get(&picture).await.status(),
        404,
        "an embargoed story's picture"
    );

    // When the embargo ends, the scheduler publishes the story, and its picture with it.
    app.clock.advance(660);
    let published = dateline::editorial::publish_due(&app.state.editorial(), app.clock.now())
        .await
        .expect("published when due");
    assert_eq!(published, [id]);
    assert_eq!(
        app.get(&picture).await.status(),
        200,
        "public with its story"
    );

    let response = editor
        .post(
            &app,
            &format!("/newsroom/stories/{id}/kill"),
            &[("confirm", "yes"), ("reason", "legal")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(app.get(&format!("/news/{id}")).await.status(), 410);
    // The lead picture's rule: a killed story's pictures answer as if they never existed.
    assert_eq!(
        app.get(&picture).await.status(),
        404,
        "a killed story's picture"
    );
}

async fn the_static_export_writes_the_body_pictures(app: TestApp) {
    let europe = app.section_id("europe");
    let image = app.add_image(1200, 800).await;
    let mut content = crate::helpers::full_story(europe, None, "Export with a body picture");
    content.body = format!(
        "{}\n\n![A pier at dusk](image:{image} \"The pier\")",
        content.body
    );
    let id = app.publish(&content, app.clock.now() - 60).await;
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("site");
    let dir_arg = dir.display().to_string();
    let (code, stdout, stderr) = crate::ops::import::dateline(
        &app.database_url,
        &[
            "--base-url",
            "https://news.example.org",
            "export",
            "--static",
            &dir_arg,
        ],
    );
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    for width in [320, 640, 976] {
        let file = dir.join(format!("images/{image}/{width}.jpg"));
        assert!(file.is_file(), "{} missing:\n{stdout}", file.display());
    }
    let page = dir.join(format!(
        "news/europe/export-with-a-body-picture-{id}/index.html"
    ));
    let html = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
    assert!(html.contains("<figure class=\"body-picture\">"), "{html}");
    assert!(
        html.contains(&format!("/images/{image}/320.jpg 320w")),
        "{html}"
    );
}

on_both_databases!(
    the_upload_endpoint_answers_the_script_in_json,
    the_form_puts_a_described_picture_in_the_text,
    a_picture_without_its_description_waits_in_the_form,
    a_body_picture_is_public_exactly_while_its_story_is,
    the_static_export_writes_the_body_pictures,
);
