//! The matrix's stories and what staff do to them, through the newsroom's real
//! forms: the editor (with a picture upload, and a picture for the text through
//! the script's upload endpoint), promos, fronts, the picture preview, a sponsor
//! campaign sold for each subject alone; three subjects are also live pages,
//! each with a post showing a picture.

use super::matrix::{Expect, Matrix};
use super::surfaces::{Subject, SPONSOR_LINK};
use crate::helpers::{TestApp, TEST_EDITOR};
use crate::staff::Browser;
use dateline::domain::story::Story;
use dateline::editorial::TypedPost;

pub(super) const DAY: i64 = 24 * 3600;

/// How each subject is made not public.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum State {
    Draft,
    InReview,
    Scheduled,
    EmbargoedAtPublish,
    EmbargoedAfterPublish,
    Killed,
}

/// Each state's name, section (and its parent) and headline word.
pub(super) const STATES: [(State, &str, &str, &str); 6] = [
    (State::Draft, "draft", "europe", "Quorvane"),
    (State::InReview, "in review", "africa", "Brellisto"),
    (State::Scheduled, "scheduled", "americas", "Tamsinwold"),
    (
        State::EmbargoedAtPublish,
        "published with a future embargo",
        "asia-pacific",
        "Ophelgrane",
    ),
    (
        State::EmbargoedAfterPublish,
        "published then embargoed",
        "middle-east",
        "Vardecott",
    ),
    (State::Killed, "killed", "south-asia", "Zelmarine"),
];

/// A PNG for the editor's upload, different for each story.
pub(super) fn picture(shade: u8) -> Vec<u8> {
    let img = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(640, 360, |x, y| {
        image::Rgb([x as u8, y as u8, shade])
    }));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}

/// A time as the editor's date-time fields take it, in the site's time zone.
pub(super) fn local(app: &TestApp, unix: i64) -> String {
    dateline::domain::timefmt::from_unix(unix)
        .to_zoned(app.state.site.time_zone.clone())
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

/// The editor form's fields for a story with `headline` in `section`.
pub(super) fn fields(
    app: &TestApp,
    headline: &str,
    section: &str,
    action: &str,
) -> Vec<(String, String)> {
    [
        ("headline", headline.to_string()),
        ("summary", format!("What happened: {headline}.")),
        ("section", app.section_id(section).to_string()),
        ("byline", "By A Reporter".to_string()),
        (
            "body",
            "The intro.\n\n## A crosshead\n\nMore text here.".to_string(),
        ),
        ("image_alt", "A view of the harbour".to_string()),
        ("image_caption", "The harbour at dawn".to_string()),
        ("image_credit", "Photo Desk".to_string()),
        ("action", action.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

pub(super) fn borrow(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// Posts the editor form (to create when `id` is `None`) and returns the story's id.
pub(super) async fn post_editor(
    app: &TestApp,
    who: &Browser,
    id: Option<i64>,
    fields: &[(String, String)],
    upload: Option<Vec<u8>>,
) -> i64 {
    let path = id.map_or("/newsroom/stories".to_string(), |id| {
        format!("/newsroom/stories/{id}")
    });
    let response = who
        .post_story(
            app,
            &path,
            &borrow(fields),
            upload.map(|bytes| ("picture.png", bytes)),
        )
        .await;
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        status,
        303,
        "POST {path}: {}",
        response.text().await.unwrap()
    );
    location
        .trim_start_matches("/newsroom/stories/")
        .split(['?', '/'])
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no story id in {location}"))
}

/// The body of a subject: the fields' text with its picture for the text.
pub(super) fn body_with_picture(image: i64) -> String {
    format!(
        "The intro.\n\n## A crosshead\n\nMore text here.\n\n![The harbour office](image:{image} \"The office on the quay\")"
    )
}

/// Uploads a picture for the text as the editor's script does; returns its id.
async fn upload_body_picture(app: &TestApp, who: &Browser, shade: u8) -> i64 {
    let form = reqwest::multipart::Form::new()
        .text("csrf", who.csrf.clone())
        .part(
            "file",
            reqwest::multipart::Part::bytes(picture(shade)).file_name("office.png"),
        );
    let response = who.post_multipart(app, "/newsroom/pictures", form).await;
    assert_eq!(response.status(), 201, "picture for the text uploaded");
    let json: serde_json::Value = response.json().await.expect("json");
    json["id"].as_i64().expect("its id")
}

/// Saves story `id` through its editor page with the form's current values changed by `changes`.
pub(super) async fn save(
    app: &TestApp,
    who: &Browser,
    subject: &Subject,
    changes: &[(&str, String)],
) {
    let (_, page) = who
        .get(app, &format!("/newsroom/stories/{}", subject.id))
        .await;
    let value = |name: &str| {
        let marker = format!("name=\"{name}\" value=\"");
        let at = page.find(&marker).unwrap_or_else(|| panic!("no {name}")) + marker.len();
        page[at..].split('"').next().unwrap_or("").to_string()
    };
    let mut form = fields(app, &subject.headline, subject.section, "save");
    form.push(("base_revision".into(), value("base_revision")));
    form.push(("image_id".into(), subject.image.to_string()));
    form.retain(|(key, _)| key != "body");
    form.push(("body".into(), body_with_picture(subject.body_image)));
    for (k, v) in changes {
        form.retain(|(key, _)| key != k);
        form.push((k.to_string(), v.clone()));
    }
    post_editor(app, who, Some(subject.id), &form, None).await;
}

/// Creates a story in `state`'s starting point through the editor, with a picture.
pub(super) async fn create(
    app: &TestApp,
    editor: &Browser,
    reporter: &Browser,
    n: usize,
    t0: i64,
) -> Subject {
    let (state, name, section, word) = STATES[n];
    let headline = format!("{word} council names a new harbour master");
    let (who, action, extra): (&Browser, &str, Vec<(String, String)>) = match state {
        State::Draft => (reporter, "save", Vec::new()),
        State::InReview => (reporter, "submit", Vec::new()),
        State::Scheduled => (
            editor,
            "schedule",
            vec![("schedule_at".into(), local(app, t0 + 3 * DAY))],
        ),
        State::EmbargoedAtPublish => (
            editor,
            "publish",
            vec![("embargo".into(), local(app, t0 + 3 * DAY + 3600))],
        ),
        State::EmbargoedAfterPublish | State::Killed => (editor, "publish", Vec::new()),
    };
    let body_image = upload_body_picture(app, who, n as u8 * 40 + 10).await;
    let mut form = fields(app, &headline, section, action);
    form.retain(|(key, _)| key != "body");
    form.push(("body".into(), body_with_picture(body_image)));
    form.extend(extra);
    let id = post_editor(app, who, None, &form, Some(picture(n as u8 * 40))).await;
    let story = app.store.story(id).await.unwrap().expect("the story");
    let live_image = match state {
        State::Draft | State::EmbargoedAfterPublish | State::Killed => {
            Some(live_page(app, &story, n as u8 * 40 + 20, t0).await)
        }
        _ => None,
    };
    Subject {
        state: name,
        id,
        slug: story.content.slug.clone(),
        headline,
        word,
        section,
        parent: "world",
        image: story.content.lead_image.expect("its picture").image_id,
        body_image,
        live_image,
        campaign: 0,
    }
}

/// Sells a sponsor campaign for `subject` alone through the campaigns form (as
/// an admin), running past every change the matrix makes; returns its id.
pub(super) async fn sponsor(app: &TestApp, admin: &Browser, subject: &Subject, t0: i64) -> i64 {
    use crate::newsroom::sponsor_campaigns::{create, fields};
    let mut form = fields(app, "Harbour Bank");
    form.retain(|(key, _)| !matches!(*key, "ends_at" | "placement" | "link"));
    form.extend([
        ("ends_at", local(app, t0 + 30 * DAY)),
        ("placement", "stories".to_string()),
        ("stories", subject.id.to_string()),
        ("link", SPONSOR_LINK.to_string()),
    ]);
    create(app, admin, &form).await
}

/// Makes `story` a live page with one published post that shows a picture of
/// its own, through the editorial service (the newsroom's live-page screens
/// call the same functions); returns the picture's id.
async fn live_page(app: &TestApp, story: &Story, shade: u8, t0: i64) -> i64 {
    let processed = dateline::media::process_upload(&picture(shade)).expect("a picture");
    let image = app
        .state
        .pictures
        .insert(&app.store, &processed, t0)
        .await
        .expect("stored");
    let editorial = app.state.editorial();
    editorial
        .start_live_page(TEST_EDITOR, story, t0)
        .await
        .expect("a live page");
    let post = TypedPost {
        body: "The harbour master's first day, as it happens.",
        image_id: Some(image),
        alt: "The new harbour master on the quay",
        byline: "",
    };
    editorial
        .add_live_post(TEST_EDITOR, story, post, t0)
        .await
        .expect("a published post");
    image
}

/// Staff still see a hidden story's picture in the newsroom, privately: the
/// editor's preview at `/newsroom/images/…`, never stored by a shared cache.
pub(super) async fn staff_preview(
    matrix: &mut Matrix,
    node: (&TestApp, &str),
    editor: &Browser,
    s: &Subject,
) {
    let (app, name) = node;
    let path = format!(
        "/newsroom/images/{}/{}",
        s.image,
        dateline::media::WIDTHS[0]
    );
    let response = editor.get_response(app, &path).await;
    let status = response.status().as_u16();
    let cache_control = response
        .headers()
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let mut problems = Vec::new();
    if status != 200 {
        problems.push(format!("{path} answered {status} to an editor"));
    }
    if !(cache_control.contains("private") && cache_control.contains("no-store")) {
        problems.push(format!(
            "{path} is sent with cache-control {cache_control:?}"
        ));
    }
    matrix.record(s.state, "StaffPreview", name, Expect::Hidden, problems);
}

/// Puts every public subject (and the bystander's neighbours) in the promo list.
pub(super) async fn promote(app: &TestApp, editor: &Browser, ids: &[i64]) {
    let fields: Vec<(String, String)> = ids
        .iter()
        .enumerate()
        .map(|(n, id)| (format!("promo_{id}"), (n + 1).to_string()))
        .collect();
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let response = editor.post(app, "/newsroom/promos", &borrowed).await;
    assert_eq!(response.status(), 303, "promos saved");
}

/// Places `ids` first on `front`.
pub(super) async fn place(app: &TestApp, editor: &Browser, front: &str, ids: &[i64]) {
    let mut fields: Vec<(String, String)> = vec![("front".into(), front.into())];
    fields.extend(
        ids.iter()
            .enumerate()
            .map(|(n, id)| (format!("pos_{id}"), (n + 1).to_string())),
    );
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let response = editor.post(app, "/newsroom/fronts", &borrowed).await;
    assert_eq!(response.status(), 303, "front {front} saved");
}
