//! Who may do what in the newsroom: every route tried as anonymous, a signed-in
//! reader (answered exactly as anonymous), reporter, editor and admin; CSRF on
//! every state-changing route; sessions and sign-in limits.

use crate::helpers::{at, full_story, TestApp};
use crate::on_both_databases;
use crate::staff::{csrf_in, set_cookie, Browser, PASSWORD};
use dateline::domain::comment::Mode;
use dateline::domain::user::Role;
use dateline::store::{NewComment, Posted};
use dateline::web::newsroom::SESSION_COOKIE;

/// Stories for one identity to act on, fresh so that an earlier action cannot change the stage.
struct Fixture {
    published: i64,
    scheduled: i64,
    /// Submitted for review, for sending back.
    submitted: i64,
    user_id: i64,
    /// A reader and their comment on the published story, for the moderation routes.
    reader_id: i64,
    comment_id: i64,
}

async fn fixture(app: &TestApp) -> Fixture {
    let europe = app.section_id("europe");
    let published = app
        .publish(
            &full_story(europe, None, "Matrix published"),
            at("2026-01-01T00:00:00Z"),
        )
        .await;
    let scheduled = app
        .draft(
            &full_story(europe, None, "Matrix scheduled"),
            at("2026-01-01T00:00:00Z"),
        )
        .await;
    app.store
        .set_schedule(scheduled, Some(app.clock.now() + 3600))
        .await
        .unwrap();
    let submitted = app
        .draft(
            &full_story(europe, None, "Matrix submitted"),
            at("2026-01-01T00:00:00Z"),
        )
        .await;
    app.store
        .set_submitted(submitted, Some(app.clock.now()))
        .await
        .unwrap();
    let other = dateline::staff::create(
        &app.store,
        &format!("target{published}@example.org"),
        "Target",
        Role::Reporter,
        PASSWORD,
        "test",
        0,
    )
    .await
    .unwrap();
    let reader_id = app
        .verified_reader(
            &format!("commenter{published}@example.net"),
            "Commenter",
            crate::readers::visitor::READER_PASSWORD,
        )
        .await;
    app.store
        .set_comment_settings(published, Mode::PreModerated, false, "test", "", 0)
        .await
        .unwrap();
    let posted = app
        .store
        .post_comment(&NewComment {
            story_id: published,
            reader_id,
            parent_id: None,
            body: "A comment to moderate.",
            at: app.clock.now(),
        })
        .await
        .unwrap();
    let Posted::Stored { id: comment_id, .. } = posted else {
        panic!("the comment was refused: {posted:?}");
    };
    Fixture {
        published,
        scheduled,
        submitted,
        user_id: other.id,
        reader_id,
        comment_id,
    }
}

/// Every newsroom route: method, path, the least role that may use it, and form fields.
/// One route to try: method, path, the least role allowed, and form fields.
type Route = (&'static str, String, Role, Vec<(&'static str, String)>);

fn routes(f: &Fixture) -> Vec<Route> {
    let (p, s, u) = (f.published, f.scheduled, f.user_id);
    let (r, c) = (f.reader_id, f.comment_id);
    vec![
        ("GET", "/newsroom".into(), Role::Reporter, vec![]),
        ("GET", "/newsroom/stories".into(), Role::Reporter, vec![]),
        (
            "GET",
            "/newsroom/stories?show=review".into(),
            Role::Reporter,
            vec![],
        ),
        ("GET", "/newsroom/desk/lists".into(), Role::Reporter, vec![]),
        (
            "GET",
            "/newsroom/stories/new".into(),
            Role::Reporter,
            vec![],
        ),
        ("GET", "/newsroom/password".into(), Role::Reporter, vec![]),
        (
            "POST",
            "/newsroom/password".into(),
            Role::Reporter,
            vec![
                ("current", "wrong".into()),
                ("new", "x".into()),
                ("confirm", "x".into()),
            ],
        ),
        (
            "GET",
            format!("/newsroom/stories/{p}"),
            Role::Editor,
            vec![],
        ),
        (
            "GET",
            format!("/newsroom/stories/{p}/history"),
            Role::Editor,
            vec![],
        ),
        (
            "POST",
            format!("/newsroom/stories/{p}/correct"),
            Role::Editor,
            vec![("text", "A date was wrong.".into())],
        ),
        (
            "POST",
            format!("/newsroom/stories/{s}/unschedule"),
            Role::Editor,
            vec![],
        ),
        // A story awaiting review, sent back (a fresh one per identity, so the stage holds).
        (
            "POST",
            format!("/newsroom/stories/{}/send-back", f.submitted),
            Role::Editor,
            vec![("note", "Check the figures.".into())],
        ),
        (
            "POST",
            format!("/newsroom/stories/{p}/kill"),
            Role::Editor,
            vec![("confirm", "yes".into())],
        ),
        ("GET", "/newsroom/fronts".into(), Role::Editor, vec![]),
        (
            "POST",
            "/newsroom/fronts".into(),
            Role::Editor,
            vec![
                ("front", "home".into()),
                (leak(format!("pos_{s}")), "1".into()),
            ],
        ),
        ("POST", "/newsroom/promos".into(), Role::Editor, vec![]),
        (
            "GET",
            format!("/newsroom/stories/{p}/comments"),
            Role::Editor,
            vec![],
        ),
        (
            "POST",
            format!("/newsroom/stories/{p}/comments"),
            Role::Editor,
            vec![("mode", "pre".into())],
        ),
        // A published story that is not a live page, nor the reporter's: editors only.
        (
            "GET",
            format!("/newsroom/stories/{p}/live"),
            Role::Editor,
            vec![],
        ),
        (
            "POST",
            format!("/newsroom/stories/{p}/live/start"),
            Role::Editor,
            vec![],
        ),
        (
            "POST",
            format!("/newsroom/stories/{p}/live/end"),
            Role::Editor,
            vec![("summary", "All over.".into())],
        ),
        (
            "GET",
            format!("/newsroom/stories/{p}/sponsor-slot"),
            Role::Editor,
            vec![],
        ),
        (
            "POST",
            format!("/newsroom/stories/{p}/sponsor-slot"),
            Role::Editor,
            vec![("slot", "off".into())],
        ),
        // Admins hold the commercial power without being granted it.
        ("GET", "/newsroom/campaigns".into(), Role::Admin, vec![]),
        ("GET", "/newsroom/campaigns/new".into(), Role::Admin, vec![]),
        (
            "GET",
            "/newsroom/campaigns/report.csv".into(),
            Role::Admin,
            vec![],
        ),
        (
            "POST",
            "/newsroom/campaigns/staff".into(),
            Role::Admin,
            vec![("user_id", f.user_id.to_string()), ("grant", "yes".into())],
        ),
        (
            "GET",
            "/newsroom/breaking-news".into(),
            Role::Editor,
            vec![],
        ),
        (
            "POST",
            "/newsroom/breaking-news".into(),
            Role::Editor,
            vec![("text", "Big news".into()), ("link", "/".into())],
        ),
        (
            "POST",
            "/newsroom/breaking-news/remove".into(),
            Role::Editor,
            vec![],
        ),
        ("GET", "/newsroom/comments".into(), Role::Editor, vec![]),
        (
            "POST",
            format!("/newsroom/comments/{c}/approve"),
            Role::Editor,
            vec![("reason", "fine".into())],
        ),
        (
            "POST",
            format!("/newsroom/comments/{c}/reject"),
            Role::Editor,
            vec![("reason", "not fine".into())],
        ),
        (
            "GET",
            format!("/newsroom/readers/{r}"),
            Role::Editor,
            vec![],
        ),
        (
            "POST",
            format!("/newsroom/readers/{r}/ban"),
            Role::Editor,
            vec![("reason", "abuse".into())],
        ),
        ("GET", "/newsroom/users".into(), Role::Admin, vec![]),
        (
            "POST",
            "/newsroom/users".into(),
            Role::Admin,
            vec![
                ("email", format!("new{p}@example.org")),
                ("role", "reporter".into()),
            ],
        ),
        (
            "POST",
            format!("/newsroom/users/{u}"),
            Role::Admin,
            vec![("role", "editor".into())],
        ),
        ("GET", "/newsroom/audit".into(), Role::Admin, vec![]),
        // The editor's background calls (the autosave itself is multipart: below).
        (
            "GET",
            format!("/newsroom/stories/{p}/presence"),
            Role::Editor,
            vec![],
        ),
        (
            "POST",
            format!("/newsroom/stories/{p}/leave"),
            Role::Editor,
            vec![],
        ),
        (
            "POST",
            format!("/newsroom/stories/{p}/autosave/discard"),
            Role::Editor,
            vec![],
        ),
        (
            "POST",
            "/newsroom/stories/new/autosave/discard".into(),
            Role::Reporter,
            vec![],
        ),
        // Versions in other editions: an unknown story is refused by the field (422), never 403.
        (
            "POST",
            format!("/newsroom/stories/{p}/versions"),
            Role::Editor,
            vec![("number", "999999".into())],
        ),
        (
            "POST",
            format!("/newsroom/stories/{p}/versions/unlink"),
            Role::Editor,
            vec![("other", "999999".into())],
        ),
    ]
}

/// The autosave routes (multipart, answered in JSON): path, the least role, and the base revision.
fn autosave_routes(f: &Fixture) -> Vec<(String, Role, &'static str)> {
    vec![
        ("/newsroom/stories/new/autosave".into(), Role::Reporter, ""),
        (
            // Not the published one: the matrix's editors kill it first.
            format!("/newsroom/stories/{}/autosave", f.scheduled),
            Role::Editor,
            "1",
        ),
    ]
}

/// A small PNG for the picture upload.
fn tiny_png() -> Vec<u8> {
    let img = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(40, 30, |x, y| {
        image::Rgb([x as u8, y as u8, 9])
    }));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

async fn send(
    app: &TestApp,
    who: Option<&Browser>,
    method: &str,
    path: &str,
    fields: &[(&'static str, String)],
) -> reqwest::Response {
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    match (who, method) {
        (Some(b), "GET") => b.get_response(app, path).await,
        (Some(b), _) => b.post(app, path, &borrowed).await,
        (None, "GET") => app.get(path).await,
        (None, _) => app
            .client
            .post(format!("{}{path}", app.base))
            .form(&borrowed)
            .send()
            .await
            .unwrap(),
    }
}

/// An editor limited to the English edition.
async fn limited_to_english(app: &TestApp) -> Browser {
    let editor = app.staff(Role::Editor).await;
    let user = app
        .store
        .user_by_email(&editor.email)
        .await
        .unwrap()
        .unwrap();
    app.store
        .set_staff_editions(user.id, &[1], "test", "user", "English", 0)
        .await
        .unwrap();
    editor
}

async fn every_route_checks_the_role(app: TestApp) {
    let identities: Vec<(Option<Role>, Option<Browser>)> = vec![
        (None, None),
        // A reader's session is no staff session: every route answers as to anonymous.
        (None, Some(app.reader_browser().await)),
        (Some(Role::Reporter), Some(app.staff(Role::Reporter).await)),
        (Some(Role::Editor), Some(app.staff(Role::Editor).await)),
        // Limited to the only edition there is: every edition, so an editor like any other.
        (Some(Role::Editor), Some(limited_to_english(&app).await)),
        (Some(Role::Admin), Some(app.staff(Role::Admin).await)),
    ];
    for (role, browser) in &identities {
        let f = fixture(&app).await;
        for (method, path, least, fields) in routes(&f) {
            let response = send(&app, browser.as_ref(), method, &path, &fields).await;
            let status = response.status().as_u16();
            let location = response
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .unwrap_or("")
                .to_string();
            let case = format!("{method} {path} as {role:?}");
            match role {
                None => assert!(
                    status == 303 && location.starts_with("/newsroom/sign-in"),
                    "{case}: {status} {location}"
                ),
                Some(r) if *r < least => assert_eq!(status, 403, "{case}"),
                Some(_) => assert!(
                    status != 403 && !location.starts_with("/newsroom/sign-in") && status < 500,
                    "{case}: {status} {location}"
                ),
            }
        }
        // The story editor's multipart routes: create (reporters up), save a story not one's own (editors up).
        let europe = app.section_id("europe").to_string();
        let fields = [
            ("headline", "Matrix edit"),
            ("summary", "S."),
            ("section", europe.as_str()),
            ("body", "Text."),
            ("action", "save"),
        ];
        for (path, least) in [
            ("/newsroom/stories".to_string(), Role::Reporter),
            (format!("/newsroom/stories/{}", f.scheduled), Role::Editor),
        ] {
            let status = match browser {
                Some(b) => b
                    .post_story(&app, &path, &fields, None)
                    .await
                    .status()
                    .as_u16(),
                None => app
                    .client
                    .post(format!("{}{path}", app.base))
                    .multipart(reqwest::multipart::Form::new().text("headline", "x"))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16(),
            };
            match role {
                None => assert_eq!(status, 303, "POST {path} anonymous"),
                Some(r) if *r < least => assert_eq!(status, 403, "POST {path} as {r:?}"),
                Some(r) => assert_eq!(status, 303, "POST {path} as {r:?}"),
            }
        }
        for (path, least, base) in autosave_routes(&f) {
            let europe = app.section_id("europe").to_string();
            let fields = [
                ("headline", "Matrix autosave"),
                ("section", europe.as_str()),
                ("base_revision", base),
            ];
            let status = match browser {
                Some(b) => b
                    .post_story(&app, &path, &fields, None)
                    .await
                    .status()
                    .as_u16(),
                None => app
                    .client
                    .post(format!("{}{path}", app.base))
                    .multipart(reqwest::multipart::Form::new().text("headline", "x"))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16(),
            };
            match role {
                None => assert_eq!(status, 303, "POST {path} anonymous"),
                Some(r) if *r < least => assert_eq!(status, 403, "POST {path} as {r:?}"),
                Some(r) => assert_eq!(status, 200, "POST {path} as {r:?}"),
            }
        }
        // The script's picture upload (multipart, JSON answers): everyone who writes stories.
        let picture = || {
            reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(tiny_png()).file_name("p.png"),
            )
        };
        let status = match browser {
            Some(b) => b
                .post_multipart(
                    &app,
                    "/newsroom/pictures",
                    picture().text("csrf", b.csrf.clone()),
                )
                .await
                .status()
                .as_u16(),
            None => app
                .client
                .post(format!("{}/newsroom/pictures", app.base))
                .multipart(picture())
                .send()
                .await
                .unwrap()
                .status()
                .as_u16(),
        };
        match role {
            None => assert_eq!(status, 303, "POST /newsroom/pictures anonymous"),
            Some(r) => assert_eq!(status, 201, "POST /newsroom/pictures as {r:?}"),
        }
        // Denied actions changed nothing: the published story is still up unless an editor killed it.
        let killed = app.get(&format!("/news/{}", f.published)).await.status() == 410;
        assert_eq!(
            killed,
            role.is_some_and(|r| r >= Role::Editor),
            "kill as {role:?}"
        );
    }
}

async fn reporters_only_touch_their_own_drafts(app: TestApp) {
    let reporter = app.staff(Role::Reporter).await;
    let other = app.staff(Role::Reporter).await;
    let europe = app.section_id("europe").to_string();
    let fields = [
        ("headline", "Own draft"),
        ("summary", "S."),
        ("section", europe.as_str()),
        ("body", "Text."),
        ("action", "save"),
    ];
    let created = reporter
        .post_story(&app, "/newsroom/stories", &fields, None)
        .await;
    assert_eq!(created.status(), 303);
    let id = crate::staff::story_id_from(&created);
    assert_eq!(
        reporter
            .get(&app, &format!("/newsroom/stories/{id}"))
            .await
            .0,
        200
    );
    assert_eq!(
        other.get(&app, &format!("/newsroom/stories/{id}")).await.0,
        403,
        "another reporter's draft"
    );
    let publish = [
        ("headline", "Own draft"),
        ("summary", "S."),
        ("section", europe.as_str()),
        ("body", "Text."),
        ("action", "publish"),
    ];
    assert_eq!(
        reporter
            .post_story(&app, &format!("/newsroom/stories/{id}"), &publish, None)
            .await
            .status(),
        403
    );
    assert_eq!(
        app.get(&format!("/news/{id}")).await.status(),
        404,
        "still not public"
    );
    let submit = [
        ("headline", "Own draft"),
        ("summary", "S."),
        ("section", europe.as_str()),
        ("body", "Text."),
        ("action", "submit"),
    ];
    assert_eq!(
        reporter
            .post_story(&app, &format!("/newsroom/stories/{id}"), &submit, None)
            .await
            .status(),
        303
    );
    let editor = app.staff(Role::Editor).await;
    let (_, review) = editor.get(&app, "/newsroom/stories?show=review").await;
    assert!(
        review.contains("Own draft"),
        "submitted story awaits review"
    );
}

async fn every_state_changing_route_needs_the_csrf_token(app: TestApp) {
    let admin = app.staff(Role::Admin).await;
    let f = fixture(&app).await;
    for (_, path, _, fields) in routes(&f).into_iter().filter(|r| r.0 == "POST") {
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let missing = admin.post_raw(&app, &path, &borrowed).await;
        assert_eq!(missing.status(), 403, "{path} without a token");
        let mut wrong = vec![("csrf", "0000")];
        wrong.extend(borrowed.iter().copied());
        assert_eq!(
            admin.post_raw(&app, &path, &wrong).await.status(),
            403,
            "{path} with a wrong token"
        );
    }
    // The story editor's multipart form too.
    let europe = app.section_id("europe").to_string();
    let form = reqwest::multipart::Form::new()
        .text("headline", "Forged")
        .text("summary", "S")
        .text("section", europe)
        .text("body", "x")
        .text("action", "publish");
    assert_eq!(
        admin
            .post_multipart(&app, &format!("/newsroom/stories/{}", f.published), form)
            .await
            .status(),
        403
    );
    let form = reqwest::multipart::Form::new()
        .text("headline", "Forged")
        .text("body", "x");
    assert_eq!(
        admin
            .post_multipart(&app, "/newsroom/stories", form)
            .await
            .status(),
        403
    );
    // And the autosaves: nothing kept without the token.
    for (path, _, base) in autosave_routes(&f) {
        let form = reqwest::multipart::Form::new()
            .text("headline", "Forged")
            .text("base_revision", base);
        assert_eq!(
            admin.post_multipart(&app, &path, form).await.status(),
            403,
            "{path} without a token"
        );
    }
    for form in [
        reqwest::multipart::Form::new(),
        reqwest::multipart::Form::new().text("csrf", "0000"),
    ] {
        let form = form.part(
            "file",
            reqwest::multipart::Part::bytes(tiny_png()).file_name("p.png"),
        );
        let response = admin.post_multipart(&app, "/newsroom/pictures", form).await;
        assert_eq!(
            response.status(),
            403,
            "/newsroom/pictures without its token"
        );
    }
    // Sign-out and sign-in as well.
    assert_eq!(
        admin
            .post_raw(&app, "/newsroom/sign-out", &[])
            .await
            .status(),
        403
    );
    let sign_in = app
        .client
        .post(format!("{}/newsroom/sign-in", app.base))
        .form(&[("email", admin.email.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(sign_in.status(), 403);
    // Nothing happened: the story is still up, unchanged, and the admin still signed in.
    let (status, page) = app
        .page(&format!("/news/europe/matrix-published-{}", f.published))
        .await;
    assert_eq!(status, 200);
    assert!(!page.contains("Forged") && !page.contains("A date was wrong"));
    assert_eq!(admin.get(&app, "/newsroom").await.0, 200);
    // A cross-site POST is refused even with a valid token.
    let cross = app
        .client
        .post(format!(
            "{}/newsroom/stories/{}/kill",
            app.base, f.published
        ))
        .header("cookie", &admin.cookie)
        .header("sec-fetch-site", "cross-site")
        .form(&[("csrf", admin.csrf.as_str()), ("confirm", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), 403);
}

async fn sessions_rotate_expire_and_end(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    // Rotation: signing in again with an old session cookie gives a new id and ends the old one.
    let form = app
        .client
        .get(format!("{}/newsroom/sign-in", app.base))
        .header("cookie", &editor.cookie)
        .send()
        .await
        .unwrap();
    let form_cookie = set_cookie(&form, "dateline_sign_in").unwrap();
    let token = csrf_in(&form.text().await.unwrap()).unwrap();
    let again = app
        .client
        .post(format!("{}/newsroom/sign-in", app.base))
        .header(
            "cookie",
            format!("{}; dateline_sign_in={form_cookie}", editor.cookie),
        )
        .form(&[
            ("csrf", token.as_str()),
            ("email", editor.email.as_str()),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 303);
    let rotated = format!(
        "{SESSION_COOKIE}={}",
        set_cookie(&again, SESSION_COOKIE).unwrap()
    );
    assert_ne!(rotated, editor.cookie, "a new session id at sign-in");
    assert_eq!(
        editor.get_response(&app, "/newsroom").await.status(),
        303,
        "the old id no longer works"
    );
    let cookie_header = again
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with(SESSION_COOKIE))
        .unwrap();
    assert!(
        cookie_header.contains("HttpOnly") && cookie_header.contains("SameSite=Lax"),
        "{cookie_header}"
    );

    // Idle expiry.
    let idle = app.staff(Role::Editor).await;
    app.clock
        .advance(dateline::web::newsroom::session_limits().0 + 1);
    assert_eq!(
        idle.get_response(&app, "/newsroom").await.status(),
        303,
        "idle session expired"
    );

    // Absolute expiry, however busy the session.
    let busy = app.staff(Role::Editor).await;
    let (idle_limit, absolute_limit) = dateline::web::newsroom::session_limits();
    let mut elapsed = 0;
    while elapsed + idle_limit / 2 <= absolute_limit {
        app.clock.advance(idle_limit / 2);
        elapsed += idle_limit / 2;
        assert_eq!(
            busy.get(&app, "/newsroom").await.0,
            200,
            "still active after {elapsed}s"
        );
    }
    app.clock.advance(idle_limit / 2);
    assert_eq!(
        busy.get_response(&app, "/newsroom").await.status(),
        303,
        "absolute limit reached"
    );

    // Sign-out ends the session on the server: the same cookie is useless afterwards.
    let leaving = app.staff(Role::Reporter).await;
    let out = leaving.post(&app, "/newsroom/sign-out", &[]).await;
    assert_eq!(out.status(), 303);
    assert_eq!(leaving.get_response(&app, "/newsroom").await.status(), 303);
}

async fn failed_sign_ins_are_limited_and_say_nothing_about_accounts(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let attempt = |email: String, password: &'static str| {
        let app = &app;
        async move {
            let form = app.get("/newsroom/sign-in").await;
            let cookie = set_cookie(&form, "dateline_sign_in").unwrap();
            let token = csrf_in(&form.text().await.unwrap()).unwrap();
            let response = app
                .client
                .post(format!("{}/newsroom/sign-in", app.base))
                .header("cookie", format!("dateline_sign_in={cookie}"))
                .form(&[
                    ("csrf", token.as_str()),
                    ("email", email.as_str()),
                    ("password", password),
                ])
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let body = response.text().await.unwrap();
            (status, body)
        }
    };
    let (wrong_status, wrong_page) = attempt(editor.email.clone(), "not the password").await;
    let (missing_status, missing_page) =
        attempt("nobody@example.org".into(), "not the password").await;
    assert_eq!(wrong_status, missing_status);
    let message = |page: &str| {
        page.split("role=\"alert\">")
            .nth(1)
            .map(|m| m.split('<').next().unwrap_or("").to_string())
    };
    assert_eq!(
        message(&wrong_page),
        message(&missing_page),
        "same message for a wrong password and a missing account"
    );
    for _ in 0..4 {
        attempt(editor.email.clone(), "still not it").await;
    }
    let (status, page) = attempt(editor.email.clone(), PASSWORD).await;
    assert_eq!(
        status, 429,
        "locked after five failures even with the right password"
    );
    assert!(page.contains("Too many failed attempts"));
    app.clock.advance(16 * 60);
    assert!(
        app.sign_in(&editor.email, PASSWORD).await.is_some(),
        "allowed again after the window"
    );
}

async fn staff_change_their_password(app: TestApp) {
    let reporter = app.staff(Role::Reporter).await;
    let other_session = app.sign_in(&reporter.email, PASSWORD).await.unwrap();
    let wrong = reporter
        .post(
            &app,
            "/newsroom/password",
            &[
                ("current", "not it"),
                ("new", "a brand new password"),
                ("confirm", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    let short = reporter
        .post(
            &app,
            "/newsroom/password",
            &[
                ("current", PASSWORD),
                ("new", "short"),
                ("confirm", "short"),
            ],
        )
        .await;
    assert_eq!(short.status(), 422);
    let changed = reporter
        .post(
            &app,
            "/newsroom/password",
            &[
                ("current", PASSWORD),
                ("new", "a brand new password"),
                ("confirm", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(changed.status(), 303);
    assert_eq!(
        reporter.get(&app, "/newsroom").await.0,
        200,
        "this session carries on"
    );
    assert_eq!(
        other_session.get_response(&app, "/newsroom").await.status(),
        303,
        "other sessions end"
    );
    assert!(app.sign_in(&reporter.email, PASSWORD).await.is_none());
    assert!(app
        .sign_in(&reporter.email, "a brand new password")
        .await
        .is_some());
}

async fn newsroom_pages_are_private(app: TestApp) {
    let editor = app.staff(Role::Editor).await;
    let response = editor.get_response(&app, "/newsroom").await;
    assert_eq!(response.headers()["cache-control"], "private, no-store");
    assert!(response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
}

on_both_databases!(
    every_route_checks_the_role,
    reporters_only_touch_their_own_drafts,
    every_state_changing_route_needs_the_csrf_token,
    sessions_rotate_expire_and_end,
    failed_sign_ins_are_limited_and_say_nothing_about_accounts,
    newsroom_pages_are_private,
    staff_change_their_password,
);
