//! Readers' e-mails in their edition's language, on both databases with a real SMTP server and the demo's Arabic and Russian editions: registering on an Arabic page, choosing the e-mails' language on the account page (and a language that does not exist), the daily e-mail of a reader following sections of two editions, and the following page offering every edition's sections.

use scraper::{Html, Selector};

use crate::helpers::{at, full_story, TestApp};
use crate::readers::mail::{Mail, Mailbox};
use crate::readers::visitor::{csrf, Visitor, READER_PASSWORD};
use crate::smtp_server::SmtpServer;
use dateline::mail::links_in;
use dateline::scheduler::daily;

/// The demo's Arabic and Russian editions and their sections.
const DEMO_EDITIONS: &str = include_str!("../../../demo/editions/editions.toml");
/// The English e-mails' text, none of which an Arabic or Russian e-mail may hold.
const ENGLISH_MAIL: &str = include_str!("../../../locales/en-GB/mail.ftl");

/// A node that knows the demo's editions, sending its mail to its own SMTP server.
/// Editions are read when a node starts, so they are added through a first node
/// and the test runs on a second one. Fields drop in order: the first node last.
struct EditionsApp {
    node: TestApp,
    mailbox: Mailbox,
    _first: TestApp,
}

async fn editions_app(postgres: bool) -> Option<EditionsApp> {
    let first = if postgres {
        TestApp::postgres().await?
    } else {
        TestApp::sqlite().await
    };
    dateline::editions::add(&first.store, DEMO_EDITIONS)
        .await
        .expect("the demo's editions");
    let server = SmtpServer::start();
    let settings = server
        .as_ref()
        .map(SmtpServer::settings)
        .unwrap_or_default();
    let node = first.another_node_with_mail(settings).await;
    let mailbox = Mailbox::new(server, &node);
    Some(EditionsApp {
        node,
        mailbox,
        _first: first,
    })
}

macro_rules! with_editions_on_both_databases {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let app = super::editions_app(false).await.expect("an SQLite app");
                    super::$test(app).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    if let Some(app) = super::editions_app(true).await {
                        super::$test(app).await;
                    }
                }
            )*
        }
    };
}

with_editions_on_both_databases!(
    registering_on_an_arabic_page_mails_in_arabic,
    the_chosen_language_writes_the_next_mail,
    a_language_that_is_not_an_edition_changes_nothing,
    the_daily_email_lists_every_followed_edition_in_the_readers_language,
    the_following_page_offers_every_editions_sections,
);

fn edition_id(app: &TestApp, key: &str) -> i64 {
    app.state.editions.by_key(key).expect("a demo edition").id
}

/// The English phrases of `en-GB/mail.ftl`: the text of each e-mail message
/// between its values, where it is more than one short word.
fn english_phrases() -> Vec<String> {
    let mut phrases = Vec::new();
    for line in ENGLISH_MAIL.lines() {
        let Some((id, value)) = line.split_once(" = ") else {
            continue;
        };
        if !id.starts_with("mail-") || id.starts_with("mail-language-") {
            continue;
        }
        let mut outside = String::new();
        let mut depth = 0;
        for c in value.chars() {
            match c {
                '{' => {
                    depth += 1;
                    outside.push('\n');
                }
                '}' => depth -= 1,
                c if depth == 0 => outside.push(c),
                _ => {}
            }
        }
        phrases.extend(
            outside
                .lines()
                .map(|p| p.trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation()))
                .filter(|p| p.len() >= 5)
                .map(str::to_string),
        );
    }
    assert!(phrases.len() > 30, "{phrases:?}");
    phrases
}

/// Fails if any English phrase of the e-mails is in `mail`'s subject or body
/// (its addresses aside: `/account/…` is in every language's links).
fn assert_no_english(mail: &Mail) {
    let words: Vec<&str> = mail
        .body
        .split_whitespace()
        .filter(|w| !w.starts_with("http"))
        .collect();
    let text = words.join(" ");
    for phrase in english_phrases() {
        assert!(
            !text.contains(&phrase) && !mail.subject.contains(&phrase),
            "English \u{201c}{phrase}\u{201d} in {mail:#?}"
        );
    }
}

/// The newest mail to `to` holding `text`, its lines ended as the e-mail was written
/// (SMTP carries them as CRLF).
async fn mail_to(mailbox: &Mailbox, to: &str, text: &str) -> Mail {
    let mut mail = mailbox.mail_to(to, text).await;
    mail.body = mail.body.replace("\r\n", "\n");
    mail
}

/// Serves `app`'s site under `prefix` as well, as each edition's account pages
/// are served: `/arabic/account/register` reaches the account routes and the
/// page's edition comes from the original path. Returns its address.
async fn served_under(app: &TestApp, prefix: &str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let site = axum::Router::new().nest(prefix, dateline::web::router(app.state.clone()));
    tokio::spawn(async move {
        axum::serve(listener, site).await.expect("serve");
    });
    base
}

async fn registering_on_an_arabic_page_mails_in_arabic(app: EditionsApp) {
    let (node, mailbox) = (&app.node, &app.mailbox);
    let arabic = served_under(node, "/arabic").await;
    let email = "layla@example.net";

    let form = node
        .client
        .get(format!("{arabic}/arabic/account/register"))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 200);
    let cookie = form.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let token = csrf(&form.text().await.unwrap());
    let answer = node
        .client
        .post(format!("{arabic}/arabic/account/register"))
        .header("cookie", &cookie)
        .form(&[
            ("csrf", token.as_str()),
            ("email", email),
            ("display_name", "Layla"),
            ("password", READER_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);

    let mail = mail_to(mailbox, email, "/account/verify?token=").await;
    assert_eq!(mail.subject, "أكِّد عنوان بريدك الإلكتروني لدى Dateline عربي");
    assert!(mail.body.starts_with("مرحبًا،"), "{}", mail.body);
    assert_no_english(&mail);
    let links = links_in(&mail.body);
    assert_eq!(links.len(), 2, "the link and the signature: {links:?}");
    assert!(
        links[0].starts_with(&format!("{}/arabic/account/verify?token=", node.base)),
        "{links:?}"
    );
    assert_eq!(links[1], format!("{}/arabic", node.base));
    if mailbox.by_smtp() {
        assert_eq!(mail.header("Content-Language"), "ar");
    }
    let reader = node.store.reader_by_email(email).await.unwrap().unwrap();
    assert_eq!(reader.edition_id, edition_id(node, "arabic"));

    // The link opens its page under the Arabic prefix.
    let path = links[0].strip_prefix(&node.base).unwrap();
    let opened = node
        .client
        .get(format!("{arabic}{path}"))
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), 200);
}

async fn the_chosen_language_writes_the_next_mail(app: EditionsApp) {
    let (node, mailbox) = (&app.node, &app.mailbox);
    let email = "lena@example.net";
    let id = node.verified_reader(email, "Lena", READER_PASSWORD).await;
    let (site, base) = (node.state.site.name.clone(), node.base.clone());

    // Registered on the English site: English e-mails, word for word as ever.
    let mut other = Visitor::new(node);
    let ask = [("email", email)];
    other
        .submit("/account/sign-in-link", "/account/sign-in-link", &ask)
        .await;
    let english = mail_to(mailbox, email, "/account/sign-in-link/use?token=").await;
    let link = &links_in(&english.body)[0];
    assert_eq!(english.subject, format!("Your link to sign in to {site}"));
    assert_eq!(
        english.body.trim_end(),
        format!(
            "Hello,\n\nOpen this link to sign in to {site} without your password:\n\n{link}\n\n\
             The link works once, for 15 minutes. If you did not ask for it, ignore this \
             message: nobody can sign in without the link.\n\n-- \n{site}\n{base}/"
        )
    );
    assert!(link.starts_with(&format!("{base}/account/sign-in-link/use?token=")));
    if mailbox.by_smtp() {
        assert_eq!(english.header("Content-Language"), "en-GB");
    }

    // The account page lists every edition by its own name; Russian is chosen.
    let mut visitor = Visitor::new(node);
    assert_eq!(visitor.sign_in(email, READER_PASSWORD).await.status, 303);
    let account = visitor.get("/account").await;
    for option in [
        r#"<option value="english" lang="en-GB" dir="ltr" selected>English</option>"#,
        r#"<option value="arabic" lang="ar" dir="rtl">العربية</option>"#,
        r#"<option value="russian" lang="ru" dir="ltr">Русский</option>"#,
    ] {
        assert!(account.body.contains(option), "{option}: {}", account.body);
    }
    let saved = visitor
        .submit(
            "/account",
            "/account/email-language",
            &[("edition", "russian")],
        )
        .await;
    assert_eq!(
        (saved.status, saved.location.as_str()),
        (303, "/account?done=email-language")
    );
    let account = visitor.get("/account?done=email-language").await;
    assert!(
        account
            .body
            .contains("Our e-mails to you will now be in Русский."),
        "{}",
        account.body
    );
    assert!(account
        .body
        .contains(r#"<option value="russian" lang="ru" dir="ltr" selected>"#));
    let reader = node.store.reader(id).await.unwrap().unwrap();
    assert_eq!(reader.edition_id, edition_id(node, "russian"));

    // The next link, asked for on an English page, is Russian and leads to Russian pages.
    node.advance_minute();
    other
        .submit("/account/sign-in-link", "/account/sign-in-link", &ask)
        .await;
    let russian = mail_to(mailbox, email, "/russian/account/sign-in-link/use?token=").await;
    assert_eq!(russian.subject, "Dateline на русском: ссылка для входа");
    assert!(russian.body.contains("15 минут"), "{}", russian.body);
    assert!(russian
        .body
        .trim_end()
        .ends_with(&format!("-- \nDateline на русском\n{base}/russian")));
    assert_no_english(&russian);
    if mailbox.by_smtp() {
        assert_eq!(russian.header("Content-Language"), "ru");
    }
}

async fn a_language_that_is_not_an_edition_changes_nothing(app: EditionsApp) {
    let node = &app.node;
    let email = "omar@example.net";
    let id = node.verified_reader(email, "Omar", READER_PASSWORD).await;
    let mut visitor = Visitor::new(node);
    assert_eq!(visitor.sign_in(email, READER_PASSWORD).await.status, 303);

    let refused = visitor
        .submit(
            "/account",
            "/account/email-language",
            &[("edition", "klingon")],
        )
        .await;
    assert_eq!(refused.status, 422);
    let problem = "Choose a language from the list.";
    assert_eq!(refused.body.matches(problem).count(), 2, "{}", refused.body);
    assert!(refused.body.contains(r##"href="#email-language-choice""##));
    assert!(refused
        .body
        .contains(r#"name="edition" aria-invalid="true""#));
    let unchanged = || async { node.store.reader(id).await.unwrap().unwrap().edition_id };
    assert_eq!(unchanged().await, 1);

    // Without the form's token, or from another site: refused, nothing changed.
    let forged = visitor
        .post(
            "/account/email-language",
            &[("csrf", "forged"), ("edition", "arabic")],
        )
        .await;
    assert_eq!(forged.status, 403);
    let account = visitor.get("/account").await;
    let cross_site = node
        .client
        .post(format!("{}/account/email-language", node.base))
        .header(
            "cookie",
            format!("dateline_reader={}", visitor.cookies["dateline_reader"]),
        )
        .header("sec-fetch-site", "cross-site")
        .form(&[
            ("csrf", csrf(&account.body).as_str()),
            ("edition", "arabic"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403);
    assert_eq!(unchanged().await, 1);
}

async fn the_daily_email_lists_every_followed_edition_in_the_readers_language(app: EditionsApp) {
    let (node, mailbox) = (&app.node, &app.mailbox);
    node.clock.set(at("2026-12-07T09:30:00Z"));
    let now = node.clock.now();
    let arab_world = node
        .state
        .sections
        .by_slug(edition_id(node, "arabic"), "arab-world")
        .expect("the Arabic edition's section")
        .id;
    let world = node.section_id("world");
    node.publish(
        &full_story(arab_world, None, "افتتاح معرض القاهرة للكتاب"),
        now - 3 * 3600,
    )
    .await;
    node.publish(
        &full_story(world, None, "Ferry service resumes"),
        now - 2 * 3600,
    )
    .await;

    let email = "dasha@example.net";
    let id = node.verified_reader(email, "Даша", READER_PASSWORD).await;
    node.store
        .set_reader_edition(id, edition_id(node, "russian"))
        .await
        .unwrap();
    for section in [arab_world, world] {
        node.store.follow_section(id, section, now).await.unwrap();
    }
    node.store.set_daily_hour(id, Some(8), None).await.unwrap();
    let run = daily::send_due(&node.state, now).await.unwrap();
    assert_eq!(run.sent, 1);

    let mail = mail_to(mailbox, email, "Ferry service resumes").await;
    let base = &node.base;
    assert!(
        mail.subject
            .starts_with("Dateline на русском: ваши новости за 7 декабря 2026"),
        "{}",
        mail.subject
    );
    assert!(
        mail.body.starts_with("Здравствуйте, Даша!\n\n"),
        "{}",
        mail.body
    );
    assert!(mail.body.contains("افتتاح معرض القاهرة للكتاب"));
    let links = links_in(&mail.body);
    for wanted in [
        format!("{base}/arabic/news/arab-world/"),
        format!("{base}/news/world/"),
        format!("{base}/russian/account/following"),
        format!("{base}/russian/account/daily/unsubscribe?token="),
    ] {
        assert!(
            links.iter().any(|l| l.starts_with(&wanted)),
            "{wanted} in {links:?}"
        );
    }
    assert_no_english(&mail);
    if mailbox.by_smtp() {
        assert_eq!(mail.header("Content-Language"), "ru");
        // The one-click address is at the root: a mail program posts to it and shows no page.
        assert!(mail
            .header("List-Unsubscribe")
            .starts_with(&format!("<{base}/account/daily/unsubscribe?token=")));
    }
    stopping_from_the_link_stays_in_russian(node, &links).await;
}

/// The e-mail's unsubscribe link leads to Russian pages: the confirmation, its
/// form (posting under `/russian`), the page after, and the one an unknown link shows.
async fn stopping_from_the_link_stays_in_russian(node: &TestApp, links: &[String]) {
    let link = links
        .iter()
        .find(|l| l.contains("/daily/unsubscribe?token="))
        .expect("the unsubscribe link");
    let path = link.strip_prefix(&node.base).expect("a link to the site");
    let token = path.split_once("token=").expect("a token").1;
    let mut visitor = Visitor::new(node);
    let confirm = visitor.get(path).await;
    assert_eq!(confirm.status, 200);
    assert!(
        confirm.body.contains("Отказаться от ежедневной рассылки?"),
        "{}",
        confirm.body
    );
    assert!(confirm
        .body
        .contains(r#"action="/russian/account/daily/unsubscribe""#));
    let done = visitor
        .post("/russian/account/daily/unsubscribe", &[("token", token)])
        .await;
    assert_eq!(done.status, 200);
    assert!(done
        .body
        .contains("Ежедневная рассылка вам больше не придет"));
    assert!(done.body.contains(r#"href="/russian/account/following""#));
    // A link is harmless to use twice; one we never sent does not work.
    let again = visitor.get(path).await;
    assert_eq!(again.status, 200);
    let unknown = visitor
        .get("/russian/account/daily/unsubscribe?token=not-one-we-sent")
        .await;
    assert_eq!(unknown.status, 410);
    assert!(unknown.body.contains("Эта ссылка не работает"));
    for page in [&confirm, &done, &again, &unknown] {
        assert!(page.body.contains(r#"<html lang="ru""#));
        assert!(!page.body.contains("daily e-mail"), "{}", page.body);
    }
}

async fn the_following_page_offers_every_editions_sections(app: EditionsApp) {
    let node = &app.node;
    let email = "sami@example.net";
    let id = node.verified_reader(email, "Sami", READER_PASSWORD).await;
    let mut visitor = Visitor::new(node);
    assert_eq!(visitor.sign_in(email, READER_PASSWORD).await.status, 303);
    let arab_world = node
        .state
        .sections
        .by_slug(edition_id(node, "arabic"), "arab-world")
        .unwrap()
        .id;

    let page = visitor.get("/account/following").await;
    assert_eq!(page.status, 200);
    let groups = {
        let html = Html::parse_document(&page.body);
        let fieldsets = Selector::parse("#sections-heading ~ fieldset.follow-edition").unwrap();
        let legend = Selector::parse("legend").unwrap();
        html.select(&fieldsets)
            .map(|f| {
                let attr = |name| f.value().attr(name).unwrap_or_default().to_string();
                let name: String = f.select(&legend).next().unwrap().text().collect();
                (attr("lang"), attr("dir"), name)
            })
            .collect::<Vec<_>>()
    };
    let expected = [
        ("en-GB", "ltr", "English"),
        ("ar", "rtl", "العربية"),
        ("ru", "ltr", "Русский"),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(groups, expected);
    assert!(page.body.contains("العالم العربي"));
    // The buttons inside another edition's fieldset are in the page's language.
    let count = |selector: &str| {
        let html = Html::parse_document(&page.body);
        html.select(&Selector::parse(selector).unwrap()).count()
    };
    assert!(count(r#"fieldset[lang=ar] form[lang="en-GB"][dir=ltr]"#) > 0);
    assert_eq!(
        count(r#"fieldset[lang=ar] form"#),
        count(r#"fieldset[lang=ar] form[lang="en-GB"]"#)
    );
    assert_eq!(count(r#"fieldset[lang="en-GB"] form[lang]"#), 0);

    let followed = visitor
        .post(
            "/account/following/sections",
            &[
                ("csrf", csrf(&page.body).as_str()),
                ("section", &arab_world.to_string()),
                ("follow", "yes"),
            ],
        )
        .await;
    assert_eq!(
        (followed.status, followed.location.as_str()),
        (303, "/account/following?done=followed")
    );
    let following = node.store.following(id).await.unwrap();
    assert_eq!(following.section_ids, [arab_world]);
    let page = visitor.get("/account/following").await;
    let html = Html::parse_document(&page.body);
    let followed = Selector::parse("fieldset[lang=ar] li .follow-state").unwrap();
    assert_eq!(html.select(&followed).count(), 1, "{}", page.body);

    // The daily e-mail's hours are in the site's zone (GMT here), named in the page's language.
    for (path, zone) in [
        ("/account/following", "Times are GMT."),
        ("/arabic/account/following", "توقيت غرينتش"),
        ("/russian/account/following", "«Среднее время по Гринвичу»"),
    ] {
        let page = visitor.get(path).await;
        let hint = Html::parse_document(&page.body)
            .select(&Selector::parse("#daily-hour-hint").unwrap())
            .map(|e| e.text().collect::<String>())
            .next()
            .unwrap_or_default();
        assert!(hint.contains(zone), "{path}: {hint}");
    }
}
