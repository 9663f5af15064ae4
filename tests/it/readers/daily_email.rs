//! The daily e-mail, on both databases, received by a real SMTP server (aiosmtpd): sent once per reader per day with two nodes' schedulers racing, at the reader's hour in the site's time zone, listing only public stories from what they follow, none on a day with nothing new, and stopped by RFC 8058's one-click POST (a GET only shows the button).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::helpers::{at, full_story, TestApp};
use crate::smtp_server::{Received, SmtpServer};
use dateline::mail::Mailer;
use dateline::scheduler::daily;
use dateline::web::AppState;

/// Runs each `async fn(TestApp, SmtpServer)` on SQLite and on PostgreSQL, each app
/// sending through its own SMTP server; skipped (and said so) without aiosmtpd outside CI.
macro_rules! with_smtp_on_both_databases {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    if let Some((app, server)) = super::app_with_smtp(false).await {
                        super::$test(app, server).await;
                    }
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    if let Some((app, server)) = super::app_with_smtp(true).await {
                        super::$test(app, server).await;
                    }
                }
            )*
        }
    };
}

async fn app_with_smtp(postgres: bool) -> Option<(TestApp, SmtpServer)> {
    let server = SmtpServer::start()?;
    let app = TestApp::with_mail(postgres, server.settings()).await?;
    Some((app, server))
}

/// 09:30 on a Monday, GMT (the tests' site time zone).
const MORNING: &str = "2026-12-07T09:30:00Z";

/// A second node on the same database whose mail goes through the same server.
async fn second_node(app: &TestApp, server: &SmtpServer) -> (TestApp, AppState) {
    let node = app.another_node().await;
    node.clock.set(app.clock.now());
    let mailer = Mailer::new(node.store.clone(), &server.settings(), node.clock.clone()).unwrap();
    let state = node.state.clone().with_mailer(mailer);
    (node, state)
}

/// Makes `count` verified readers following World with their e-mail at `hour`.
async fn readers(app: &TestApp, prefix: &str, count: usize, hour: i64) -> Vec<(i64, String)> {
    let world = app.section_id("world");
    let mut made = Vec::new();
    for n in 0..count {
        let email = format!("{prefix}{n}@example.net");
        let id = app
            .verified_reader(&email, &format!("Reader {n}"), "a reader's long password")
            .await;
        app.store
            .follow_section(id, world, app.clock.now())
            .await
            .unwrap();
        app.store
            .set_daily_hour(id, Some(hour), None)
            .await
            .unwrap();
        made.push((id, email));
    }
    made
}

/// Daily e-mails in the outbox, whatever their state.
async fn daily_rows(app: &TestApp) -> usize {
    let rows = app.store.outbox(None, 10_000).await.unwrap();
    rows.iter().filter(|r| r.kind == "daily").count()
}

/// What each address received.
fn by_recipient(messages: &[Received]) -> HashMap<String, Vec<&Received>> {
    let mut map: HashMap<String, Vec<&Received>> = HashMap::new();
    for m in messages {
        for to in &m.rcpt_tos {
            map.entry(to.to_lowercase()).or_default().push(m);
        }
    }
    map
}

async fn sent_once_per_reader_per_day_with_two_schedulers_racing(app: TestApp, server: SmtpServer) {
    app.clock.set(at(MORNING));
    let now = app.clock.now();
    let world = app.section_id("world");
    app.publish(
        &full_story(world, None, "Ferry service resumes"),
        now - 3 * 3600,
    )
    .await;
    app.draft(
        &full_story(world, None, "Unpublished ferry draft"),
        now - 3600,
    )
    .await;
    let early = readers(&app, "early", 12, 8).await;
    let late = readers(&app, "late", 3, 20).await;
    let idle = app
        .verified_reader("idle@example.net", "Idle", "a reader's long password")
        .await;
    app.store.set_daily_hour(idle, Some(9), None).await.unwrap();
    let (node, other) = second_node(&app, &server).await;

    // Two nodes claim the same due readers at the same moment, several times over.
    let mut sent = 0;
    for _ in 0..4 {
        let (a, b) = tokio::join!(
            daily::send_due(&app.state, now),
            daily::send_due(&other, now)
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        sent += a.sent + b.sent;
    }
    assert_eq!(
        sent,
        early.len(),
        "each due reader's e-mail is written exactly once"
    );
    assert_eq!(
        daily_rows(&app).await,
        early.len(),
        "one outbox row per due reader"
    );
    // Delivery is done when both calls return: what the server has then is all there is.
    app.state.mailer.deliver_due().await.unwrap();
    other.mailer.deliver_due().await.unwrap();
    let messages = server.wait_for(early.len()).await;
    assert_eq!(messages.len(), early.len(), "nothing was sent twice");
    let received = by_recipient(&messages);
    for (_, email) in &early {
        assert_eq!(received.get(email).map(Vec::len), Some(1), "{email}");
    }
    for (_, email) in &late {
        assert!(!received.contains_key(email), "{email} chose 20:00");
    }
    assert!(
        !received.contains_key("idle@example.net"),
        "nothing followed, nothing new: no e-mail"
    );

    let mail = received[&early[0].1][0];
    assert!(
        mail.header("Subject").contains("Your news from"),
        "{}",
        mail.header("Subject")
    );
    assert!(mail.body.contains("Ferry service resumes"));
    assert!(!mail.body.contains("Unpublished ferry draft"));
    let unsubscribe = mail.header("List-Unsubscribe");
    // Either node may have written it; each test node has its own address.
    assert!(
        [&app.base, &node.base]
            .iter()
            .any(|base| unsubscribe
                .starts_with(&format!("<{base}/account/daily/unsubscribe?token="))),
        "{unsubscribe}"
    );
    assert_eq!(
        mail.header("List-Unsubscribe-Post"),
        "List-Unsubscribe=One-Click"
    );

    // The rest of the day: nothing more, whoever looks.
    app.clock.advance(5 * 3600);
    node.clock.advance(5 * 3600);
    let later = app.clock.now();
    let (a, b) = tokio::join!(
        daily::send_due(&app.state, later),
        daily::send_due(&other, later)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(
        a.sent + b.sent,
        0,
        "nobody twice in a day, and 20:00 has not come"
    );

    // The next day, both nodes' real schedulers race; a new story makes the day worth an e-mail.
    let tomorrow = at("2026-12-08T08:00:05Z");
    app.clock.set(tomorrow);
    node.clock.set(tomorrow);
    app.publish(
        &full_story(world, None, "Bridge reopens after repairs"),
        tomorrow - 600,
    )
    .await;
    let before = server.messages().len();
    let first = dateline::scheduler::spawn(app.state.clone());
    let second = dateline::scheduler::spawn(other.clone());
    // Both schedulers tick every second; wait until every due reader's day is claimed.
    let day = 20261208;
    let started = Instant::now();
    loop {
        let mut claimed = 0;
        for (id, _) in &early {
            if app.store.last_daily_on(*id).await.unwrap() == Some(day) {
                claimed += 1;
            }
        }
        if claimed == early.len() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{claimed} of {} claimed",
            early.len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    first.abort();
    second.abort();
    let _ = first.await;
    let _ = second.await;
    assert_eq!(
        daily_rows(&app).await,
        2 * early.len(),
        "one more row per reader, not two"
    );
    app.state.mailer.deliver_due().await.unwrap();
    other.mailer.deliver_due().await.unwrap();
    let messages = server.wait_for(before + early.len()).await;
    assert_eq!(
        messages.len(),
        before + early.len(),
        "one e-mail per reader on the second day too"
    );
    let received = by_recipient(&messages[before..]);
    for (_, email) in &early {
        let mine = &received[email];
        assert_eq!(mine.len(), 1, "{email}");
        assert!(mine[0].body.contains("Bridge reopens after repairs"));
        assert!(
            !mine[0].body.contains("Ferry service resumes"),
            "yesterday's story is not news"
        );
    }
    drop(node);
}

async fn one_click_unsubscribes_and_a_get_only_asks(app: TestApp, server: SmtpServer) {
    app.clock.set(at(MORNING));
    let now = app.clock.now();
    let world = app.section_id("world");
    app.publish(
        &full_story(world, None, "Orchestra tours the region"),
        now - 600,
    )
    .await;
    let readers = readers(&app, "listener", 2, 9).await;
    let run = daily::send_due(&app.state, now).await.unwrap();
    assert_eq!(run.sent, 2);
    app.state.mailer.deliver_due().await.unwrap();
    let messages = server.wait_for(2).await;
    let received = by_recipient(&messages);
    let link = |email: &str| {
        received[email][0]
            .header("List-Unsubscribe")
            .trim_matches(|c| c == '<' || c == '>')
            .to_string()
    };

    // A GET (a mail scanner, a link preview) changes nothing: it shows a button.
    let (first_id, first_email) = &readers[0];
    let url = link(first_email);
    let page = app.client.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "private, no-store");
    assert_eq!(page.headers()["referrer-policy"], "no-referrer");
    let html = page.text().await.unwrap();
    assert!(html.contains("Stop the daily e-mail"));
    assert!(app
        .store
        .reader(*first_id)
        .await
        .unwrap()
        .unwrap()
        .daily_email_hour
        .is_some());

    // RFC 8058: a mail program's POST of List-Unsubscribe=One-Click, without cookies,
    // from another site's servers.
    let one_click = app
        .client
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(one_click.status(), 200);
    assert_eq!(
        app.store
            .reader(*first_id)
            .await
            .unwrap()
            .unwrap()
            .daily_email_hour,
        None
    );
    let again = app
        .client
        .post(&url)
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 200, "a second click is harmless");

    // The same as multipart/form-data, which RFC 8058 also allows.
    let (second_id, second_email) = &readers[1];
    let boundary = "dateline-boundary";
    let multipart = app
        .client
        .post(link(second_email))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--{boundary}--\r\n"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(multipart.status(), 200);
    assert_eq!(
        app.store
            .reader(*second_id)
            .await
            .unwrap()
            .unwrap()
            .daily_email_hour,
        None
    );

    // A link that is not one: nothing changes, the page says so.
    let bad = app
        .client
        .post(format!(
            "{}/account/daily/unsubscribe?token={}",
            app.base,
            "0".repeat(64)
        ))
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 410);
    let shown = app
        .get("/account/daily/unsubscribe?token=%3Cscript%3E")
        .await;
    assert_eq!(shown.status(), 410);
    assert!(!shown.text().await.unwrap().contains("<script>"));

    // Unsubscribed readers are not due the next day.
    app.clock.advance(86_400);
    app.publish(
        &full_story(world, None, "Orchestra returns"),
        app.clock.now() - 60,
    )
    .await;
    let run = daily::send_due(&app.state, app.clock.now()).await.unwrap();
    assert_eq!(run.sent, 0);
}

with_smtp_on_both_databases!(
    sent_once_per_reader_per_day_with_two_schedulers_racing,
    one_click_unsubscribes_and_a_get_only_asks,
);
