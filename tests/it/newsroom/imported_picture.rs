//! A story imported from a legacy page whose lead picture was missing: the editor
//! says so and keeps the page's alt text and caption ready, so an editor only
//! uploads the file; the story list filters such stories.

use crate::helpers::{at, full_story, TestApp};
use crate::on_both_databases;
use crate::ops::import::dateline;
use dateline::domain::user::Role;
use dateline::store::ListFilter;
use reqwest::multipart::{Form, Part};
use scraper::{Html, Selector};
use std::path::Path;

const NOTICE: &str = "Picture missing from the imported page";

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
        .display()
        .to_string()
}

/// The value of the input named `name` in `html`.
fn input_value(html: &str, name: &str) -> Option<String> {
    let doc = Html::parse_document(html);
    let selector = Selector::parse(&format!("input[name=\"{name}\"]")).unwrap();
    let value = doc.select(&selector).next()?.value().attr("value");
    Some(value.unwrap_or("").to_string())
}

/// What a browser submits from the editor form at `action`: every field as shown,
/// the button `button`, and a picture file.
fn editor_submission(html: &str, action: &str, button: &str, picture: Vec<u8>) -> Form {
    let doc = Html::parse_document(html);
    let form = doc
        .select(&Selector::parse(&format!("form[action=\"{action}\"]")).unwrap())
        .next()
        .expect("the editor form");
    let mut submission = Form::new();
    let fields = Selector::parse("input[name], textarea[name], select[name]").unwrap();
    for field in form.select(&fields) {
        let el = field.value();
        let name = el.attr("name").unwrap().to_string();
        let value = match el.name() {
            "textarea" => field.text().collect::<String>(),
            "select" => field
                .select(&Selector::parse("option[selected]").unwrap())
                .next()
                .and_then(|o| o.value().attr("value"))
                .unwrap_or("")
                .to_string(),
            _ => match el.attr("type") {
                Some("file") => continue,
                Some("checkbox") if el.attr("checked").is_none() => continue,
                _ => el.attr("value").unwrap_or("").to_string(),
            },
        };
        submission = submission.text(name, value);
    }
    submission
        .text("action", button.to_string())
        .part("image", Part::bytes(picture).file_name("found.png"))
}

fn png() -> Vec<u8> {
    let picture = image::RgbImage::from_fn(640, 360, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(picture)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

/// Headlines in the story list's table.
fn listed(html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    doc.select(&Selector::parse("table.stories tbody td:first-child a").unwrap())
        .map(|a| a.text().collect::<String>())
        .collect()
}

async fn an_imported_story_shows_its_missing_picture(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let (code, stdout, stderr) = dateline(
        &app.database_url,
        &[
            "import",
            "--section",
            "europe",
            &fixture("observatory.html"),
            &fixture("grain_prices.txt"),
            &fixture("river_survey.txt"),
            &fixture("harbour_strike.txt"),
        ],
    );
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let native = app
        .publish(
            &full_story(app.section_id("uk"), None, "Written here without a picture"),
            at("2026-01-01T00:00:00Z"),
        )
        .await;
    let mut without = Vec::new();
    let mut others = vec![native];
    for row in app
        .store
        .newsroom_stories(ListFilter::All, "", 100)
        .await
        .unwrap()
    {
        let missing = app
            .store
            .import_of(row.id)
            .await
            .unwrap()
            .and_then(|r| r.missing_picture());
        match missing {
            Some((alt, caption)) => without.push((row.id, row.headline, alt, caption)),
            None if row.id != native => others.push(row.id),
            None => {}
        }
    }
    assert!(!without.is_empty(), "a fixture describes a missing picture");
    let (id, headline, alt, caption) = without[0].clone();
    assert!(!alt.is_empty() && !caption.is_empty());

    // The list's filter shows exactly the imported stories still without their picture.
    let (status, list) = editor.get(&app, "/newsroom/stories?show=nopicture").await;
    assert_eq!(status, 200);
    assert!(list.contains("aria-current=\"page\">Imported without picture</a>"));
    let shown = listed(&list);
    assert_eq!(shown.len(), without.len(), "{shown:?}");
    for (_, headline, _, _) in &without {
        assert!(shown.contains(headline), "{headline} listed");
    }
    let (_, all) = editor.get(&app, "/newsroom/stories?show=all").await;
    assert!(listed(&all).len() > shown.len(), "the filter filters");

    // The editor says the picture is missing, with its words filled in.
    let path = format!("/newsroom/stories/{id}");
    let (status, page) = editor.get(&app, &path).await;
    assert_eq!(status, 200);
    assert!(page.contains(NOTICE), "the notice");
    // No validator here: the HTML parser's own complaints stand in for one.
    for (what, html) in [("editor", &page), ("list", &list)] {
        let errors = Html::parse_document(html).errors;
        assert!(errors.is_empty(), "{what} page: {errors:?}");
    }
    assert_eq!(
        input_value(&page, "image_alt").as_deref(),
        Some(alt.as_str())
    );
    assert_eq!(
        input_value(&page, "image_caption").as_deref(),
        Some(caption.as_str())
    );
    assert_eq!(input_value(&page, "image_id"), None, "no picture yet");
    for other in &others {
        let (_, page) = editor
            .get(&app, &format!("/newsroom/stories/{other}"))
            .await;
        assert!(!page.contains(NOTICE), "story {other} lacks nothing");
    }

    // The editor uploads the file and publishes: the picture has the page's words.
    let response = editor
        .post_multipart(
            &app,
            &path,
            editor_submission(&page, &path, "publish", png()),
        )
        .await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    let story = app.store.story(id).await.unwrap().unwrap();
    assert_eq!(story.content.headline, headline);
    let lead = story.content.lead_image.expect("the picture is attached");
    assert_eq!(
        (lead.alt.as_str(), lead.caption.as_str()),
        (alt.as_str(), caption.as_str())
    );
    let (_, page) = editor.get(&app, &path).await;
    assert!(!page.contains(NOTICE), "nothing is missing any more");
    assert_eq!(
        input_value(&page, "image_id"),
        Some(lead.image_id.to_string())
    );
    let (_, list) = editor.get(&app, "/newsroom/stories?show=nopicture").await;
    assert!(!listed(&list).contains(&headline), "it leaves the filter");
}

on_both_databases!(an_imported_story_shows_its_missing_picture);
