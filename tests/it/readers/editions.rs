//! The account pages of the Arabic and Russian editions: every page type under the
//! edition's prefix in its language and direction, with none of the English of
//! `locales/en-GB/account.ftl` left, signed out and signed in; links, forms and
//! redirects that stay in the edition; form problems in its language.

use crate::editions::{english_left, english_pieces};
use crate::helpers::TestApp;
use crate::readers::visitor::{form_with_action, Answer, Visitor, READER_PASSWORD};
use dateline::auth;
use dateline::domain::reader::TokenPurpose;
use dateline::store::NewReader;

struct Case {
    key: &'static str,
    locale: &'static str,
    html_tag: &'static str,
    /// A section of the edition and a story in it, to save.
    section: &'static str,
    slug: &'static str,
    /// The wrong-password answer, in the language.
    wrong_sign_in: &'static str,
    /// A refused registration's problem with a short password.
    short_password: &'static str,
}

const CASES: [Case; 2] = [
    Case {
        key: "arabic",
        locale: "ar",
        html_tag: "<html lang=\"ar\" dir=\"rtl\">",
        section: "iraq",
        slug: "ahwar-al-iraq-adna-mustawa",
        wrong_sign_in: "لا يطابقان حسابًا",
        short_password: "اختر كلمة مرور أخرى",
    },
    Case {
        key: "russian",
        locale: "ru",
        html_tag: "<html lang=\"ru\" dir=\"ltr\">",
        section: "baltic",
        slug: "klaipeda-zabastovka-dokerov",
        wrong_sign_in: "не подходят ни к одному аккаунту",
        short_password: "Выберите другой пароль",
    },
];

/// A one-time link's secret of `purpose` for reader `id`, made in the store as a mail would carry it.
async fn link(app: &TestApp, id: i64, purpose: TokenPurpose, new_email: Option<&str>) -> String {
    let secret = auth::random_token();
    app.store
        .create_reader_token(
            id,
            purpose,
            &auth::token_hash(&secret),
            new_email,
            app.clock.now(),
        )
        .await
        .expect("a link");
    secret
}

/// The secret of an unverified registration's link.
async fn registration(app: &TestApp, email: &str) -> String {
    let secret = auth::random_token();
    let hash = auth::hash_password(READER_PASSWORD).expect("hash");
    app.store
        .register_reader(
            &NewReader {
                email,
                display_name: "Unverified",
                password_hash: &hash,
                edition_id: dateline::domain::edition::ROOT_EDITION,
            },
            &auth::token_hash(&secret),
            app.clock.now(),
        )
        .await
        .expect("register");
    secret
}

/// Checks a page of the edition: its language and direction, no English left,
/// and every link and form within the edition.
fn check(case: &Case, prefix: &str, english: &[String], path: &str, answer: &Answer) {
    let html = &answer.body;
    assert!(
        html.contains(case.html_tag),
        "{path} ({}): {}",
        answer.status,
        &html[..html.len().min(300)]
    );
    let left = english_left(html, english);
    assert!(left.is_empty(), "{path} still says {left:?}");
    let doc = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("a[href], form[action]").unwrap();
    for element in doc.select(&selector) {
        let v = element.value();
        let target = v.attr("href").or(v.attr("action")).unwrap_or_default();
        let elsewhere = target.starts_with('/')
            && !target.starts_with("//")
            && !target.starts_with(&format!("{prefix}/"))
            && target != prefix
            && target != "/newsroom/sign-in";
        assert!(!elsewhere, "{path} leads out of {prefix} to {target}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_account_page_of_an_edition_is_in_its_language() {
    let app = TestApp::sqlite_demo().await;
    for (n, case) in CASES.iter().enumerate() {
        let prefix = app
            .state
            .editions
            .by_key(case.key)
            .expect("edition")
            .prefix
            .clone();
        let english = english_pieces("account.ftl", case.locale);
        let account = |rest: &str| format!("{prefix}/account{rest}");

        // A reader, and links of every kind for them, as the mails would carry.
        let email = format!("reader{n}@example.net");
        let id = app.verified_reader(&email, "Reader", READER_PASSWORD).await;
        let verify = registration(&app, &format!("new{n}@example.net")).await;
        let sign_in_link = link(&app, id, TokenPurpose::SignIn, None).await;
        let reset = link(&app, id, TokenPurpose::Reset, None).await;
        let change = format!("changed{n}@example.net");
        let change = link(&app, id, TokenPurpose::ChangeEmail, Some(&change)).await;
        let anyone_pages = [
            (account("/register"), 200),
            (account("/sign-in"), 200),
            (account("/sign-in-link"), 200),
            (account("/reset"), 200),
            (account(&format!("/reset/new?token={reset}")), 200),
            (account(&format!("/verify?token={verify}")), 200),
            (
                account(&format!("/sign-in-link/use?token={sign_in_link}")),
                200,
            ),
            (account(&format!("/email/confirm?token={change}")), 200),
            (account(&format!("/verify?token={}", "0".repeat(64))), 410),
        ];

        // Signed out.
        let mut visitor = Visitor::new(&app);
        for (path, status) in &anyone_pages {
            let answer = visitor.get(path).await;
            assert_eq!(answer.status, *status, "{path}");
            check(case, &prefix, &english, path, &answer);
        }
        // The signed-in pages send a visitor to the edition's sign-in, and back.
        let saved = account("/saved");
        let answer = visitor.get(&saved).await;
        assert_eq!(answer.status, 303, "{saved}");
        assert!(
            answer
                .location
                .starts_with(&format!("{}?next=", account("/sign-in"))),
            "{}",
            answer.location
        );
        // Asking for a link answers "check your e-mail" in the language.
        let asked = visitor
            .submit(
                &account("/sign-in-link"),
                &account("/sign-in-link"),
                &[("email", &email)],
            )
            .await;
        assert_eq!(asked.status, 200);
        check(
            case,
            &prefix,
            &english,
            "the check-your-e-mail page",
            &asked,
        );

        // Form problems in the language: a wrong password, a bad registration.
        let wrong = visitor
            .submit(
                &account("/sign-in"),
                &account("/sign-in"),
                &[("email", &email), ("password", "not the password")],
            )
            .await;
        assert_eq!(wrong.status, 401);
        assert!(wrong.body.contains(case.wrong_sign_in), "{}", wrong.body);
        check(case, &prefix, &english, "a refused sign-in", &wrong);
        let bad = visitor
            .submit(
                &account("/register"),
                &account("/register"),
                &[
                    ("email", "nobody"),
                    ("display_name", " "),
                    ("password", "short"),
                ],
            )
            .await;
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains(case.short_password), "{}", bad.body);
        check(case, &prefix, &english, "a refused registration", &bad);

        // Signing in from the edition's sign-in lands on the edition's pages.
        let signed_in = visitor
            .submit(
                &account("/sign-in"),
                &account("/sign-in"),
                &[("email", &email), ("password", READER_PASSWORD)],
            )
            .await;
        assert_eq!(
            (signed_in.status, signed_in.location.as_str()),
            (303, format!("{}?done=signed-in", account("")).as_str())
        );
        let back = visitor
            .submit(
                &format!("{}?next={}", account("/sign-in"), account("/saved")),
                &account("/sign-in"),
                &[("email", &email), ("password", READER_PASSWORD)],
            )
            .await;
        assert_eq!((back.status, back.location.as_str()), (303, saved.as_str()));

        // Save one of the edition's stories, so the list shows one.
        let (_, front) = app.page(&format!("{prefix}/news/{}", case.section)).await;
        let at = front.find(case.slug).expect("the story on its section");
        let tail = &front[at..];
        let segment = &tail[..tail.find('"').expect("the end of the link")];
        let story = dateline::web::paths::story_id_from_segment(segment).expect("an id");
        // Signing out leads to the edition's sign-in.
        let out = visitor
            .submit(&account(""), &account("/sign-out"), &[])
            .await;
        assert_eq!(
            out.location,
            format!("{}?done=signed-out", account("/sign-in"))
        );
        visitor.sign_in_at(&prefix, &email).await;
        let csrf = crate::readers::visitor::csrf(&visitor.get(&account("")).await.body);
        let story = story.to_string();
        let save = visitor
            .post(
                &saved,
                &[("csrf", &csrf), ("story", &story), ("from", "list")],
            )
            .await;
        assert_eq!(save.location, format!("{saved}?done=saved"));

        // Signed in: every page, the signed-in ones too.
        let signed_in_pages = [
            (account(""), 200),
            (format!("{saved}?done=saved"), 200),
            (account("/following?done=followed"), 200),
            (account("/my-news"), 200),
        ];
        for (path, status) in signed_in_pages.iter().chain(&anyone_pages) {
            let answer = visitor.get(path).await;
            assert_eq!(answer.status, *status, "{path}");
            check(case, &prefix, &english, path, &answer);
        }
        let list = visitor.get(&saved).await;
        assert!(list.body.contains(case.slug), "the saved story is listed");
        assert!(form_with_action(&list.body, &account("/saved/remove")).is_some());
        // The edition's public pages lead to its account pages.
        let front = visitor.get(&prefix).await;
        assert!(
            front.body.contains(&format!("href=\"{saved}\"")),
            "reader corner"
        );
        assert!(
            !front.body.contains("href=\"/account"),
            "no English account links"
        );
    }
}

impl Visitor<'_> {
    /// Signs in through the sign-in form of the edition at `prefix`.
    async fn sign_in_at(&mut self, prefix: &str, email: &str) {
        let page = format!("{prefix}/account/sign-in");
        let answer = self
            .submit(
                &page,
                &page,
                &[("email", email), ("password", READER_PASSWORD)],
            )
            .await;
        assert_eq!(answer.status, 303, "{}", answer.body);
    }
}
