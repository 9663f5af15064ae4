//! Reader accounts' defences over HTTP: private pages, no account enumeration (same status, body and time whether or not an address has an account), CSRF on every form, rate limits per client and per account, and reader sessions worth nothing in the newsroom.

use std::time::{Duration, Instant};

use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::readers::visitor::{csrf, Answer, Visitor, READER_PASSWORD};

const ANONYMOUS_PAGES: &[&str] = &[
    "/account/register",
    "/account/sign-in",
    "/account/sign-in-link",
    "/account/reset",
];

async fn account_pages_are_private(app: TestApp) {
    let mut visitor = Visitor::new(&app);
    for path in ANONYMOUS_PAGES {
        let page = visitor.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert_eq!(page.header("cache-control"), "private, no-store", "{path}");
        assert_eq!(page.header("referrer-policy"), "no-referrer", "{path}");
        assert!(
            page.body
                .contains("<meta name=\"robots\" content=\"noindex\">"),
            "{path}"
        );
        assert!(
            page.body.contains("name=\"csrf\""),
            "{path}: a form with its token"
        );
    }
    // Links that are not links: no button, a page that says so.
    for path in [
        "/account/verify?token=00",
        "/account/sign-in-link/use?token=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "/account/reset/new",
        "/account/email/confirm?token=%3Cscript%3E",
    ] {
        let page = visitor.get(path).await;
        assert_eq!(page.status, 410, "{path}");
        assert!(page.body.contains("This link no longer works"), "{path}");
        assert!(!page.body.contains("<script>"), "{path}");
    }
    // Signed-out visits to the account's own pages go to the reader's sign-in.
    for path in ["/account", "/account/data.json"] {
        let answer = visitor.get(path).await;
        assert_eq!(answer.status, 303, "{path}");
        assert!(
            answer
                .location
                .starts_with("/account/sign-in?next=%2Faccount"),
            "{path}: {}",
            answer.location
        );
    }
    // The public site's "Sign in" is the readers'.
    let (_, home) = app.page("/").await;
    assert!(
        home.contains("<a href=\"/account/sign-in\">Sign in</a>"),
        "{home}"
    );

    // Signed in, the account page shows who, and is private too.
    app.verified_reader("ada@example.net", "Ada <Lovelace>", READER_PASSWORD)
        .await;
    let signed_in = visitor.sign_in("Ada@Example.NET", READER_PASSWORD).await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
    assert_eq!(signed_in.location, "/account?done=signed-in");
    let cookie = signed_in.header("set-cookie");
    assert!(cookie.starts_with("dateline_reader="), "{cookie}");
    for part in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(part), "{cookie} lacks {part}");
    }
    let account = visitor.get("/account?done=signed-in").await;
    assert_eq!(account.status, 200);
    assert_eq!(account.header("cache-control"), "private, no-store");
    assert!(
        account.body.contains("Signed in as Ada &#60;Lovelace&#62;"),
        "{}",
        account.body
    );
    assert!(!account.body.contains("<Lovelace>"));
    assert!(account.body.contains("ada@example.net"));
    assert!(account.body.contains("You are signed in."));
    // Nothing of the reader reaches what others are served.
    let (_, home) = app.page("/").await;
    assert!(!home.contains("Lovelace") && !home.contains("ada@example.net"));
}

/// `body` with `email` (as typed) written as `EMAIL`, to compare two answers.
fn masked(answer: &Answer, email: &str) -> String {
    answer.body.replace(email, "EMAIL")
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

async fn no_account_enumeration(app: TestApp) {
    let known = "known@example.net";
    let unknown = "nobody@example.net";
    let reader_id = app
        .verified_reader(known, "Known Reader", READER_PASSWORD)
        .await;
    let mut visitor = Visitor::new(&app);

    // Asking for mail answers the same for both.
    for (page, fields) in [
        (
            "/account/register",
            vec![
                ("display_name", "Someone"),
                ("password", "another long password"),
            ],
        ),
        ("/account/sign-in-link", vec![]),
        ("/account/reset", vec![]),
    ] {
        let mut answers = Vec::new();
        for email in [known, unknown] {
            let mut all = fields.clone();
            all.push(("email", email));
            let answer = visitor.submit(page, page, &all).await;
            answers.push(masked(&answer, email));
            assert_eq!(answer.status, 200, "{page} {email}: {}", answer.body);
            assert!(answer.body.contains("Check your e-mail"), "{page}");
        }
        assert_eq!(answers[0], answers[1], "{page} answers differ");
    }
    // Registering over a verified account changed nothing of it.
    let reader = app.store.reader(reader_id).await.unwrap().unwrap();
    assert_eq!(reader.display_name, "Known Reader");

    // A wrong password and an unknown address get the same refusal.
    let wrong = visitor.sign_in(known, "not the password at all").await;
    let missing = visitor.sign_in(unknown, "not the password at all").await;
    assert_eq!((wrong.status, missing.status), (401, 401));
    assert_eq!(masked(&wrong, known), masked(&missing, unknown));
    // An account registered but never verified cannot sign in, and says so the same way.
    app.advance_minute();
    let pending = "pending@example.net";
    visitor
        .submit(
            "/account/register",
            "/account/register",
            &[
                ("email", pending),
                ("display_name", "Pending"),
                ("password", READER_PASSWORD),
            ],
        )
        .await;
    let unverified = visitor.sign_in(pending, READER_PASSWORD).await;
    assert_eq!(unverified.status, 401);
    assert_eq!(masked(&unverified, pending), masked(&missing, unknown));
    // And the real password still works.
    assert_eq!(visitor.sign_in(known, READER_PASSWORD).await.status, 303);

    // Timing: an unknown address costs the same argon2 work as a known one (the
    // medians of five tries are within a factor of three, where skipping the work
    // would make one a hundred times faster).
    for (what, known_fields, unknown_fields) in [
        (
            "sign-in",
            [("email", known), ("password", "wrong password here")],
            [("email", unknown), ("password", "wrong password here")],
        ),
        (
            "register",
            [("email", known), ("password", "some new password")],
            [("email", unknown), ("password", "some new password")],
        ),
    ] {
        let path = if what == "sign-in" {
            "/account/sign-in"
        } else {
            "/account/register"
        };
        let mut times = [Vec::new(), Vec::new()];
        for _ in 0..5 {
            app.advance_minute();
            for (i, fields) in [&known_fields, &unknown_fields].into_iter().enumerate() {
                let page = visitor.get(path).await;
                let mut all = vec![
                    ("csrf", csrf(&page.body)),
                    ("display_name", "Timing".to_string()),
                ];
                all.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
                let borrowed: Vec<(&str, &str)> =
                    all.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let started = Instant::now();
                let answer = visitor.post(path, &borrowed).await;
                times[i].push(started.elapsed());
                assert!(
                    answer.status == 200 || answer.status == 401,
                    "{what}: {}",
                    answer.status
                );
            }
        }
        let (k, u) = (median(times[0].clone()), median(times[1].clone()));
        assert!(k < u * 3 && u < k * 3, "{what}: known {k:?}, unknown {u:?}");
    }
}

async fn forms_need_their_token(app: TestApp) {
    let mut visitor = Visitor::new(&app);
    // Anonymous forms: no token, a wrong one, or one without its cookie.
    let page = visitor.get("/account/register").await;
    let token = csrf(&page.body);
    let fields = |csrf: &'static str| {
        vec![
            ("csrf", csrf),
            ("email", "x@example.net"),
            ("display_name", "X"),
            ("password", READER_PASSWORD),
        ]
    };
    assert_eq!(
        visitor
            .post("/account/register", &fields("")[1..])
            .await
            .status,
        403
    );
    assert_eq!(
        visitor
            .post("/account/register", &fields("0000"))
            .await
            .status,
        403
    );
    let mut stranger = Visitor::new(&app);
    let leaked: &'static str = Box::leak(token.into_boxed_str());
    assert_eq!(
        stranger
            .post("/account/register", &fields(leaked))
            .await
            .status,
        403
    );
    for path in [
        "/account/sign-in",
        "/account/sign-in-link",
        "/account/reset",
        "/account/verify",
        "/account/sign-in-link/use",
        "/account/reset/new",
        "/account/email/confirm",
    ] {
        let answer = visitor
            .post(path, &[("email", "x@example.net"), ("token", "00")])
            .await;
        assert_eq!(answer.status, 403, "{path}");
        assert!(answer.body.contains("Form expired"), "{path}");
    }
    // Signed-in forms need the session's token.
    app.verified_reader("csrf@example.net", "Token Reader", READER_PASSWORD)
        .await;
    visitor.sign_in("csrf@example.net", READER_PASSWORD).await;
    let account = visitor.get("/account").await;
    let session_token = csrf(&account.body);
    for (path, fields) in [
        ("/account/name", vec![("display_name", "Changed")]),
        (
            "/account/email",
            vec![("email", "new@example.net"), ("password", READER_PASSWORD)],
        ),
        (
            "/account/password",
            vec![
                ("current", READER_PASSWORD),
                ("new", "a brand new password"),
                ("confirm", "a brand new password"),
            ],
        ),
        (
            "/account/delete",
            vec![("password", READER_PASSWORD), ("confirm", "yes")],
        ),
        ("/account/sign-out", vec![]),
    ] {
        let mut without = fields.clone();
        without.push(("csrf", "not the token"));
        assert_eq!(visitor.post(path, &without).await.status, 403, "{path}");
    }
    // A cross-site post is refused even with the token.
    let cross = app
        .client
        .post(format!("{}/account/name", app.base))
        .header(
            "cookie",
            format!("dateline_reader={}", visitor.cookies["dateline_reader"]),
        )
        .header("sec-fetch-site", "cross-site")
        .form(&[("csrf", session_token.as_str()), ("display_name", "Cross")])
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), 403);
    // Nothing changed, and the reader is still signed in.
    let account = visitor.get("/account").await;
    assert!(account.body.contains("Token Reader"), "{}", account.body);
    assert!(visitor.signed_in());
}

async fn rate_limits_hold(app: TestApp) {
    app.verified_reader("limited@example.net", "Limited", READER_PASSWORD)
        .await;
    app.advance_minute();
    let mut visitor = Visitor::new(&app);
    // Five password tries a minute per account; the sixth is refused, even when right.
    for _ in 0..5 {
        assert_eq!(
            visitor
                .sign_in("limited@example.net", "wrong password!")
                .await
                .status,
            401
        );
    }
    let refused = visitor
        .sign_in("limited@example.net", READER_PASSWORD)
        .await;
    assert_eq!(refused.status, 429);
    let wait: i64 = refused
        .header("retry-after")
        .parse()
        .expect("Retry-After in seconds");
    assert!((1..=60).contains(&wait), "{wait}");
    assert!(
        refused.body.contains("Too many attempts"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains(&format!("wait {wait} second")),
        "{}",
        refused.body
    );
    // Another account from the same address is not held up by it.
    assert_eq!(
        visitor
            .sign_in("other@example.net", "wrong password!")
            .await
            .status,
        401
    );
    // A minute later the account can sign in again.
    app.advance_minute();
    assert_eq!(
        visitor
            .sign_in("limited@example.net", READER_PASSWORD)
            .await
            .status,
        303
    );

    // Mail: three requests a minute per address typed, whoever asks.
    app.advance_minute();
    for _ in 0..3 {
        let answer = visitor
            .submit(
                "/account/reset",
                "/account/reset",
                &[("email", "limited@example.net")],
            )
            .await;
        assert_eq!(answer.status, 200);
    }
    let mut elsewhere = Visitor::new(&app);
    let refused = elsewhere
        .submit(
            "/account/sign-in-link",
            "/account/sign-in-link",
            &[("email", "LIMITED@example.net")],
        )
        .await;
    assert_eq!(refused.status, 429);
    assert!(!refused.header("retry-after").is_empty());
    // And per client address: twenty a minute, whatever the addresses typed.
    app.advance_minute();
    let mut last = 0;
    for n in 0..21 {
        let email = format!("someone{n}@example.net");
        last = visitor
            .submit(
                "/account/sign-in-link",
                "/account/sign-in-link",
                &[("email", &email)],
            )
            .await
            .status;
        if n < 20 {
            assert_eq!(last, 200, "request {n}");
        }
    }
    assert_eq!(last, 429);
}

/// A reader's session opens nothing in the newsroom, under either cookie name.
async fn reader_sessions_are_not_staff_sessions(app: TestApp) {
    let reader = app.reader_browser().await;
    let secret = reader
        .cookie
        .trim_start_matches("dateline_reader=")
        .to_string();
    for cookie in [reader.cookie.clone(), format!("dateline_session={secret}")] {
        for path in ["/newsroom", "/newsroom/users", "/newsroom/stories/new"] {
            let response = app
                .client
                .get(format!("{}{path}", app.base))
                .header("cookie", &cookie)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 303, "{path} with {cookie}");
            let location = response.headers()["location"].to_str().unwrap();
            assert!(location.starts_with("/newsroom/sign-in"), "{location}");
        }
    }
}

impl TestApp {
    /// Moves the clock into the next minute, so rate-limit windows start afresh.
    pub fn advance_minute(&self) {
        self.clock.advance(60);
    }
}

on_both_databases!(
    account_pages_are_private,
    no_account_enumeration,
    forms_need_their_token,
    rate_limits_hold,
    reader_sessions_are_not_staff_sessions,
);
