//! Outgoing mail through a real SMTP server (aiosmtpd, started by the test), the
//! outbox without SMTP, retries when the server is down, refusals, header
//! injection, and two nodes delivering at once, on both databases.

use dateline::config::MailSettings;
use dateline::mail::{kind, retry_delay, Delivered, Mailer, Message, Status, MAX_ATTEMPTS};
use dateline::store::OutboxRow;

use crate::child_server::reserve_port;
use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::smtp_server::{settings_for_port, SmtpServer};

fn mailer(app: &TestApp, settings: &MailSettings) -> Mailer {
    Mailer::new(app.store.clone(), settings, app.clock.clone()).expect("mailer")
}

async fn row(app: &TestApp, id: i64) -> OutboxRow {
    app.store
        .outbox_message(id)
        .await
        .unwrap()
        .expect("outbox row")
}

fn verify_message(to: &str) -> Message {
    Message::new(
        kind::VERIFY,
        to,
        "Confirm your address — Café édition",
        "Welcome, reader.\n\nConfirm your address: https://news.example.org/readers/verify?token=t0k3n\n\n\
         Ce lien expire dans une heure.\n",
    )
    .unwrap()
}

async fn sends_through_smtp_with_headers_and_body(app: TestApp) {
    let Some(server) = SmtpServer::start() else {
        return;
    };
    let mailer = mailer(&app, &server.settings());
    assert!(mailer.sends_by_smtp());
    let message = verify_message("reader@example.org")
        .with_one_click_unsubscribe("https://news.example.org/unsubscribe?token=u1")
        .unwrap()
        .with_header("List-Id", "Daily news <daily.news.example.org>")
        .unwrap();
    let accepted = mailer.send(&message).await.unwrap();
    assert_eq!(accepted.status, Status::Queued);
    let queued = row(&app, accepted.id).await;
    assert_eq!(
        mailer.deliver_due().await.unwrap(),
        Delivered {
            sent: 1,
            retrying: 0,
            failed: 0
        }
    );

    let received = server.wait_for(1).await;
    let mail = &received[0];
    assert_eq!(mail.mail_from, "news@dateline.test");
    assert_eq!(mail.rcpt_tos, ["reader@example.org"]);
    assert_eq!(mail.header("To"), "reader@example.org");
    assert_eq!(mail.header("From"), "Dateline Tests <news@dateline.test>");
    assert_eq!(
        mail.header("Subject"),
        "Confirm your address — Café édition"
    );
    assert_eq!(mail.header("Message-ID"), queued.message_id);
    assert_eq!(
        mail.header("List-Unsubscribe"),
        "<https://news.example.org/unsubscribe?token=u1>"
    );
    assert_eq!(
        mail.header("List-Unsubscribe-Post"),
        "List-Unsubscribe=One-Click"
    );
    assert_eq!(
        mail.header("List-Id"),
        "Daily news <daily.news.example.org>"
    );
    assert!(
        mail.header("Content-Type").starts_with("text/plain"),
        "{:?}",
        mail.headers
    );
    assert!(
        mail.body
            .contains("https://news.example.org/readers/verify?token=t0k3n"),
        "{}",
        mail.body
    );
    assert!(
        mail.body.contains("Ce lien expire dans une heure."),
        "{}",
        mail.body
    );

    // Once sent, the row is a record only: the one-time link is not kept.
    let sent = row(&app, accepted.id).await;
    assert_eq!(sent.status, "sent");
    assert_eq!(
        (sent.attempts, sent.body.as_str(), sent.headers.as_str()),
        (1, "", "[]")
    );
    assert!(sent.sent_at.is_some() && sent.last_error.is_none());

    // The delivery task sends on its own, woken by `send`.
    let delivery = mailer.spawn_delivery();
    mailer
        .send(&verify_message("second@example.org"))
        .await
        .unwrap();
    let received = server.wait_for(2).await;
    assert_eq!(received[1].rcpt_tos, ["second@example.org"]);
    delivery.abort();
}

async fn without_smtp_messages_are_held_in_the_outbox(app: TestApp) {
    let mailer = mailer(&app, &MailSettings::default());
    assert!(!mailer.sends_by_smtp());
    let first = mailer
        .send(&verify_message("Reader@Example.org"))
        .await
        .unwrap();
    let other = Message::new(
        kind::RESET,
        "other@example.org",
        "Reset",
        "https://x.example/r",
    )
    .unwrap();
    mailer.send(&other).await.unwrap();
    assert_eq!(first.status, Status::Held);
    assert_eq!(mailer.deliver_due().await.unwrap(), Delivered::default());

    let listed = app
        .store
        .outbox(Some("reader@example.ORG"), 10)
        .await
        .unwrap();
    assert_eq!(listed.len(), 1, "the address matches in any case");
    let held = &listed[0];
    assert_eq!(
        (held.id, held.status.as_str(), held.kind.as_str()),
        (first.id, "held", "verify")
    );
    assert!(held
        .body
        .contains("https://news.example.org/readers/verify?token=t0k3n"));
    assert_eq!(held.next_attempt_at, None);
    let all = app.store.outbox(None, 10).await.unwrap();
    assert_eq!(all.len(), 2);
    assert!(all[0].id > all[1].id, "newest first");
}

async fn a_server_that_is_down_loses_nothing(app: TestApp) {
    // Held (nothing listens) until the server is started on it below.
    let port = reserve_port();
    let mailer = mailer(&app, &settings_for_port(port.port));
    let accepted = mailer
        .send(&verify_message("patient@example.org"))
        .await
        .unwrap();
    assert_eq!(
        mailer.deliver_due().await.unwrap(),
        Delivered {
            sent: 0,
            retrying: 1,
            failed: 0
        }
    );
    let waiting = row(&app, accepted.id).await;
    assert_eq!((waiting.status.as_str(), waiting.attempts), ("queued", 1));
    assert!(
        waiting.last_error.as_deref().is_some_and(|e| !e.is_empty()),
        "{waiting:?}"
    );
    assert_eq!(waiting.next_attempt_at, Some(app.clock.now() + 60));
    assert!(
        waiting.body.contains("token=t0k3n"),
        "kept whole until it is sent"
    );

    // Not due again before its delay.
    assert_eq!(mailer.deliver_due().await.unwrap(), Delivered::default());

    // The server comes up; after the delay the same message goes out.
    let Some(server) = SmtpServer::start_on(port) else {
        return;
    };
    app.clock.advance(60);
    assert_eq!(
        mailer.deliver_due().await.unwrap(),
        Delivered {
            sent: 1,
            retrying: 0,
            failed: 0
        }
    );
    let received = server.wait_for(1).await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].header("Message-ID"), waiting.message_id);
    let sent = row(&app, accepted.id).await;
    assert_eq!((sent.status.as_str(), sent.attempts), ("sent", 2));
}

async fn a_message_is_given_up_after_the_last_try(app: TestApp) {
    let down = reserve_port();
    let mailer = mailer(&app, &settings_for_port(down.port));
    let accepted = mailer
        .send(&verify_message("unlucky@example.org"))
        .await
        .unwrap();
    for attempt in 1..MAX_ATTEMPTS {
        assert_eq!(
            mailer.deliver_due().await.unwrap().retrying,
            1,
            "try {attempt}"
        );
        app.clock.advance(retry_delay(attempt));
    }
    assert_eq!(
        mailer.deliver_due().await.unwrap(),
        Delivered {
            sent: 0,
            retrying: 0,
            failed: 1
        }
    );
    let failed = row(&app, accepted.id).await;
    assert_eq!(
        (failed.status.as_str(), failed.attempts),
        ("failed", MAX_ATTEMPTS)
    );
    app.clock.advance(86_400);
    assert_eq!(mailer.deliver_due().await.unwrap(), Delivered::default());
}

async fn a_permanent_refusal_is_not_retried(app: TestApp) {
    let Some(server) = SmtpServer::start() else {
        return;
    };
    let mailer = mailer(&app, &server.settings());
    let accepted = mailer
        .send(&verify_message("refuse-me@example.org"))
        .await
        .unwrap();
    assert_eq!(
        mailer.deliver_due().await.unwrap(),
        Delivered {
            sent: 0,
            retrying: 0,
            failed: 1
        }
    );
    let failed = row(&app, accepted.id).await;
    assert_eq!((failed.status.as_str(), failed.attempts), ("failed", 1));
    assert!(
        failed
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("550")),
        "{failed:?}"
    );
    assert_eq!(
        (failed.body.as_str(), failed.next_attempt_at),
        ("", None),
        "its link is not kept"
    );
    app.clock.advance(7200);
    assert_eq!(mailer.deliver_due().await.unwrap(), Delivered::default());
    assert!(server.messages().is_empty());
}

async fn a_line_break_in_the_subject_adds_no_header(app: TestApp) {
    let Some(server) = SmtpServer::start() else {
        return;
    };
    let mailer = mailer(&app, &server.settings());
    let message = Message::new(
        kind::SIGN_IN_LINK,
        "target@example.org",
        "Hello\r\nBcc: victim@example.org\r\nX-Injected: yes\nSubject: forged",
        "Body.\r\nBcc: not a header either\n",
    )
    .unwrap();
    assert!(message
        .clone()
        .with_header("X-Note", "fine\r\nBcc: victim@example.org")
        .is_err());
    mailer.send(&message).await.unwrap();
    mailer.deliver_due().await.unwrap();
    let mail = &server.wait_for(1).await[0];
    assert_eq!(mail.rcpt_tos, ["target@example.org"], "no other recipient");
    assert!(
        mail.all("Bcc").is_empty() && mail.all("X-Injected").is_empty(),
        "{:?}",
        mail.headers
    );
    assert_eq!(
        mail.header("Subject"),
        "Hello Bcc: victim@example.org X-Injected: yes Subject: forged"
    );
    let head = mail.raw.split("\r\n\r\n").next().unwrap();
    assert!(
        !head.contains("\nBcc:") && !head.contains("\nX-Injected:"),
        "{}",
        mail.raw
    );
    assert!(
        mail.body.contains("\nBcc: not a header either"),
        "the body keeps its text"
    );
}

async fn two_nodes_send_each_message_once(app: TestApp) {
    let Some(server) = SmtpServer::start() else {
        return;
    };
    let settings = server.settings();
    let first = mailer(&app, &settings);
    let other_node = TestApp::another_node(&app).await;
    let second = Mailer::new(other_node.store.clone(), &settings, app.clock.clone()).unwrap();
    for n in 0..20 {
        first
            .send(&verify_message(&format!("reader{n}@example.org")))
            .await
            .unwrap();
    }
    let (a, b) = tokio::join!(first.deliver_due(), second.deliver_due());
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.sent + b.sent, 20, "{a:?} {b:?}");
    let received = server.wait_for(20).await;
    let mut ids: Vec<&str> = received.iter().map(|m| m.header("Message-ID")).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(
        (received.len(), ids.len()),
        (20, 20),
        "each message exactly once"
    );
    drop(other_node);
}

async fn old_messages_are_pruned_but_not_unsent_ones(app: TestApp) {
    let held = mailer(&app, &MailSettings::default());
    let old = held.send(&verify_message("old@example.org")).await.unwrap();
    // A queued message no server has taken yet (nothing listens on this port).
    let down = reserve_port();
    let queued = mailer(&app, &settings_for_port(down.port));
    let waiting = queued
        .send(&verify_message("waiting@example.org"))
        .await
        .unwrap();
    app.clock.advance(29 * 86_400);
    let recent = held
        .send(&verify_message("recent@example.org"))
        .await
        .unwrap();
    app.clock.advance(2 * 86_400);
    assert_eq!(held.prune().await.unwrap(), 1);
    assert!(app.store.outbox_message(old.id).await.unwrap().is_none());
    assert!(app
        .store
        .outbox_message(waiting.id)
        .await
        .unwrap()
        .is_some());
    assert!(app.store.outbox_message(recent.id).await.unwrap().is_some());
}

on_both_databases!(
    a_message_is_given_up_after_the_last_try,
    old_messages_are_pruned_but_not_unsent_ones,
    sends_through_smtp_with_headers_and_body,
    without_smtp_messages_are_held_in_the_outbox,
    a_server_that_is_down_loses_nothing,
    a_permanent_refusal_is_not_retried,
    a_line_break_in_the_subject_adds_no_header,
    two_nodes_send_each_message_once,
);
