//! The reader tests' mail: each test app sends through a real SMTP server the test starts (aiosmtpd, `smtp_server`), and the tests read the links from what it received. Without aiosmtpd (outside CI) the messages are read from the outbox instead, and that is said on stderr.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::helpers::TestApp;
use crate::smtp_server::SmtpServer;
use dateline::mail::{links_in, Mailer};
use dateline::store::Store;

/// Runs each named `async fn(TestApp, Mailbox)` once on SQLite and once on
/// PostgreSQL, each app sending its mail to its own SMTP server.
#[macro_export]
macro_rules! on_both_databases_with_mail {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let (app, mailbox) = $crate::readers::mail::app_with_mail(false).await.expect("an SQLite app");
                    super::$test(app, mailbox).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    if let Some((app, mailbox)) = $crate::readers::mail::app_with_mail(true).await {
                        super::$test(app, mailbox).await;
                    }
                }
            )*
        }
    };
}

/// Where a test app's mail arrives.
pub struct Mailbox {
    server: Option<SmtpServer>,
    mailer: Mailer,
    store: Store,
    /// Links already handed to the test: each call waits for a new one.
    seen: Mutex<HashSet<String>>,
}

/// A test app whose mail goes to a fresh SMTP server (or, without aiosmtpd outside
/// CI, to the outbox); `None` when PostgreSQL is asked for and not configured.
pub async fn app_with_mail(postgres: bool) -> Option<(TestApp, Mailbox)> {
    let server = SmtpServer::start();
    let settings = server
        .as_ref()
        .map(SmtpServer::settings)
        .unwrap_or_default();
    let app = TestApp::with_mail(postgres, settings).await?;
    let mailbox = Mailbox::new(server, &app);
    Some((app, mailbox))
}

/// One message as the reader's mail program shows it.
#[derive(Debug, Clone)]
pub struct Mail {
    pub subject: String,
    pub body: String,
    /// Its extra headers (decoded), `Content-Language` among them.
    pub headers: Vec<(String, String)>,
}

impl Mail {
    /// The value of header `name` (any case), or "" when it has none.
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map_or("", |(_, v)| v.as_str())
    }
}

impl Mailbox {
    /// The mailbox of `app`, whose mail goes to `server` (or, without one, stays in the outbox).
    pub fn new(server: Option<SmtpServer>, app: &TestApp) -> Mailbox {
        Mailbox {
            server,
            mailer: app.state.mailer.clone(),
            store: app.store.clone(),
            seen: Mutex::new(HashSet::new()),
        }
    }

    /// True when the mail really went through SMTP.
    pub fn by_smtp(&self) -> bool {
        self.server.is_some()
    }

    /// Every message to `to` so far, oldest first, after sending what is due.
    async fn mails_to(&self, to: &str) -> Vec<Mail> {
        match &self.server {
            Some(server) => {
                self.mailer.deliver_due().await.expect("deliver");
                server
                    .messages()
                    .into_iter()
                    .filter(|m| m.rcpt_tos.iter().any(|r| r.eq_ignore_ascii_case(to)))
                    .map(|m| Mail {
                        subject: m.header("Subject").to_string(),
                        body: m.body,
                        headers: m.headers,
                    })
                    .collect()
            }
            None => {
                let mut rows = self.store.outbox(Some(to), 1000).await.expect("outbox");
                rows.reverse();
                rows.into_iter()
                    .map(|r| Mail {
                        subject: r.subject,
                        body: r.body,
                        headers: serde_json::from_str(&r.headers).expect("headers JSON"),
                    })
                    .collect()
            }
        }
    }

    /// The bodies of every message to `to` so far, oldest first, after sending what is due.
    async fn bodies_to(&self, to: &str) -> Vec<String> {
        self.mails_to(to)
            .await
            .into_iter()
            .map(|m| m.body)
            .collect()
    }

    /// The newest message to `to` whose body contains `text`, with its subject and
    /// headers, waiting for it.
    pub async fn mail_to(&self, to: &str, text: &str) -> Mail {
        let started = Instant::now();
        loop {
            let mails = self.mails_to(to).await;
            if let Some(found) = mails.iter().rev().find(|m| m.body.contains(text)) {
                return found.clone();
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "no mail to {to} with {text}; received: {mails:#?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits (at most 10 seconds) for `found` to find something in the mail to `to`.
    async fn wait_for<T>(&self, to: &str, what: &str, found: impl Fn(&[String]) -> Option<T>) -> T {
        let started = Instant::now();
        loop {
            let bodies = self.bodies_to(to).await;
            if let Some(result) = found(&bodies) {
                return result;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "no mail to {to} with {what}; received: {bodies:#?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The newest link to `path` mailed to `to` that this mailbox has not handed out
    /// before, waiting for it to arrive.
    pub async fn link_to(&self, to: &str, path: &str) -> String {
        let link = self
            .wait_for(to, path, |bodies| {
                let seen = self.seen.lock().unwrap();
                bodies.iter().rev().flat_map(|b| links_in(b)).find(|l| {
                    l.split('?').next().is_some_and(|p| p.ends_with(path)) && !seen.contains(l)
                })
            })
            .await;
        self.seen.lock().unwrap().insert(link.clone());
        link
    }

    /// The newest message to `to` whose body contains `text`, waiting for it.
    pub async fn body_to(&self, to: &str, text: &str) -> String {
        self.wait_for(to, text, |bodies| {
            bodies.iter().rev().find(|b| b.contains(text)).cloned()
        })
        .await
    }

    /// Every message to `to` so far (after sending what is due).
    pub async fn all_to(&self, to: &str) -> Vec<String> {
        self.bodies_to(to).await
    }
}
