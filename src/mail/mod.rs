//! Outgoing mail: written to the outbox first, then sent by SMTP and retried until sent, or only kept there when SMTP is not configured.
//!
//! A layer below `web` and above `store`: handlers and the scheduler build a
//! [`Message`] and call [`Mailer::send`]; the store keeps the outbox.
//!
//! **Why everything goes through the outbox.** `send` writes the message and
//! returns; a delivery task on each node ([`Mailer::spawn_delivery`]) claims due
//! messages in one statement (so two nodes never send the same one), hands them
//! to the SMTP server and records the outcome. So:
//! - a mail server that is down or slow loses nothing and never slows a request:
//!   the message waits in the database and is tried again with a growing delay
//!   (one minute, doubling, at most an hour apart, [`MAX_ATTEMPTS`] tries);
//! - a request takes the same time whether or not it sends mail, which the
//!   readers' "no account enumeration" rule needs;
//! - a permanent refusal (a 5xx reply about the message) marks it `failed` with
//!   the server's words; authentication refusals are retried, as they mean the
//!   settings need mending, not the message.
//!
//! Delivery is at least once: a node that dies after the server accepted a
//! message but before recording it sends it again after the lease, with the
//! same `Message-ID`, which lets mail programs drop the copy. Once sent or
//! failed, a message's body and extra headers are blanked (they hold one-time links and
//! unsubscribe tokens); without SMTP they are kept, as that is what
//! `dateline outbox` shows. Rows are deleted after [`KEEP_DAYS`] days.

mod message;
mod smtp;

pub use message::{kind, links_in, Message, MAX_BODY_BYTES, MAX_SUBJECT_CHARS};

use lettre::message::Mailbox;
use std::sync::Arc;
use std::time::Duration;
use thiserror::Error;
use tokio::sync::Notify;

use crate::clock::Clock;
use crate::config::MailSettings;
use crate::store::{NewOutboxRow, OutboxRow, Store, StoreError};
use message::Parts;
use smtp::Smtp;

/// Tries before a message is marked `failed` (about six hours of retrying).
pub const MAX_ATTEMPTS: i64 = 12;
/// How long an attempt holds a claimed message before another may take it.
pub const LEASE_SECONDS: i64 = 300;
/// How long messages stay in the outbox.
pub const KEEP_DAYS: i64 = 30;
/// Messages claimed per round; up to this many are sent at once.
const BATCH: i64 = 8;
/// How often the delivery task looks for due messages when nothing wakes it.
const POLL: Duration = Duration::from_secs(15);
/// How often the delivery task prunes old messages, in seconds.
const PRUNE_EVERY: i64 = 3600;

#[derive(Debug, Error)]
pub enum MailError {
    /// The message itself is not valid; the text says why.
    #[error("{0}")]
    Invalid(String),
    #[error("the SMTP settings cannot be used: {0}")]
    Setup(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Where a message stands, as stored in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// No SMTP is configured: the message is only kept, for `dateline outbox`.
    Held,
    /// Waiting to be sent, for the first time or again.
    Queued,
    /// The SMTP server accepted it.
    Sent,
    /// Refused for good, or not sent after [`MAX_ATTEMPTS`] tries.
    Failed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Held => "held",
            Status::Queued => "queued",
            Status::Sent => "sent",
            Status::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        [Status::Held, Status::Queued, Status::Sent, Status::Failed]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// A message written to the outbox by [`Mailer::send`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accepted {
    /// Its outbox id.
    pub id: i64,
    /// `Held` without SMTP, `Queued` with it.
    pub status: Status,
}

/// A message ready to be written to the outbox ([`Mailer::prepare`]).
#[derive(Debug, Clone)]
pub struct Prepared {
    kind: String,
    recipient: String,
    subject: String,
    body: String,
    headers: String,
    message_id: String,
    status: Status,
    created_at: i64,
}

impl Prepared {
    /// The outbox row to insert.
    pub fn row(&self) -> NewOutboxRow<'_> {
        NewOutboxRow {
            kind: &self.kind,
            recipient: &self.recipient,
            subject: &self.subject,
            body: &self.body,
            headers: &self.headers,
            message_id: &self.message_id,
            status: self.status.as_str(),
            created_at: self.created_at,
            next_attempt_at: (self.status == Status::Queued).then_some(self.created_at),
        }
    }
}

/// What one round of delivery did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delivered {
    pub sent: usize,
    /// Failed this time, to be tried again.
    pub retrying: usize,
    /// Given up on.
    pub failed: usize,
}

/// Sends mail. Cheap to clone; every clone shares one SMTP pool and one delivery wake-up.
#[derive(Clone)]
pub struct Mailer {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    clock: Clock,
    /// The SMTP server and the `From` address, when configured.
    smtp: Option<(Smtp, Mailbox)>,
    wake: Notify,
}

impl Mailer {
    /// A mailer for `settings`: by SMTP when `settings.smtp` is set, else into the outbox only.
    pub fn new(store: Store, settings: &MailSettings, clock: Clock) -> Result<Mailer, MailError> {
        let smtp = match (&settings.smtp, &settings.from) {
            (Some(smtp), Some(from)) => Some((Smtp::new(smtp)?, from.clone())),
            (Some(_), None) => {
                return Err(MailError::Setup("mail_from is required with SMTP".into()))
            }
            (None, _) => None,
        };
        Ok(Mailer {
            inner: Arc::new(Inner {
                store,
                clock,
                smtp,
                wake: Notify::new(),
            }),
        })
    }

    /// True when messages go out by SMTP, false when they are only kept in the outbox.
    pub fn sends_by_smtp(&self) -> bool {
        self.inner.smtp.is_some()
    }

    /// Writes `message` to the outbox and returns at once: with SMTP it is queued
    /// and this node's delivery task is woken to send it; without, it is held.
    pub async fn send(&self, message: &Message) -> Result<Accepted, MailError> {
        let prepared = self.prepare(message)?;
        let id = self.inner.store.insert_outbox(&prepared.row()).await?;
        self.written(&prepared, id);
        Ok(Accepted {
            id,
            status: prepared.status,
        })
    }

    /// `message` as its outbox row, for a caller that writes it inside a
    /// transaction of its own (the daily e-mail writes it with its claim of the
    /// reader's day); then call [`Mailer::written`].
    pub fn prepare(&self, message: &Message) -> Result<Prepared, MailError> {
        let now = self.inner.clock.now();
        let status = if self.sends_by_smtp() {
            Status::Queued
        } else {
            Status::Held
        };
        let headers = serde_json::to_string(message.headers())
            .map_err(|e| MailError::Invalid(e.to_string()))?;
        Ok(Prepared {
            kind: message.kind().to_string(),
            recipient: message.to().to_string(),
            subject: message.subject().to_string(),
            body: message.body().to_string(),
            headers,
            message_id: self.message_id(),
            status,
            created_at: now,
        })
    }

    /// Says that a prepared message was written to the outbox as row `id`, and
    /// wakes this node's delivery task when it is queued.
    pub fn written(&self, prepared: &Prepared, id: i64) {
        tracing::info!(
            id,
            kind = prepared.kind,
            status = prepared.status.as_str(),
            "mail written to the outbox"
        );
        if prepared.status == Status::Queued {
            self.inner.wake.notify_one();
        }
    }

    /// Sends every queued message that is due, a batch at a time, and records each
    /// outcome. Called by the delivery task; tests call it to deliver at once.
    pub async fn deliver_due(&self) -> Result<Delivered, MailError> {
        let mut report = Delivered::default();
        let Some((smtp, from)) = &self.inner.smtp else {
            return Ok(report);
        };
        loop {
            let now = self.inner.clock.now();
            let batch = self
                .inner
                .store
                .claim_due_outbox(now, now + LEASE_SECONDS, BATCH)
                .await?;
            if batch.is_empty() {
                return Ok(report);
            }
            let mut sending = tokio::task::JoinSet::new();
            for row in batch {
                let (smtp, from) = (smtp.clone(), from.clone());
                sending.spawn(async move {
                    let outcome = attempt(&smtp, &from, &row).await;
                    (row, outcome)
                });
            }
            while let Some(joined) = sending.join_next().await {
                // A panicking attempt leaves its message claimed: it is tried again after the lease.
                let Ok((row, outcome)) = joined else { continue };
                self.record(&row, outcome, &mut report).await?;
            }
        }
    }

    async fn record(
        &self,
        row: &OutboxRow,
        outcome: Result<(), smtp::Failure>,
        report: &mut Delivered,
    ) -> Result<(), MailError> {
        let store = &self.inner.store;
        let now = self.inner.clock.now();
        match outcome {
            Ok(()) => {
                store.mark_outbox_sent(row.id, now).await?;
                tracing::info!(id = row.id, kind = %row.kind, "mail sent");
                report.sent += 1;
            }
            Err(failure) if failure.permanent || row.attempts >= MAX_ATTEMPTS => {
                store
                    .mark_outbox_unsent(row.id, &failure.message, None)
                    .await?;
                tracing::warn!(id = row.id, kind = %row.kind, attempts = row.attempts, error = %failure.message, "mail not sent; given up");
                report.failed += 1;
            }
            Err(failure) => {
                let retry_at = now + retry_delay(row.attempts);
                store
                    .mark_outbox_unsent(row.id, &failure.message, Some(retry_at))
                    .await?;
                tracing::warn!(id = row.id, kind = %row.kind, attempts = row.attempts, error = %failure.message, "mail not sent; will try again");
                report.retrying += 1;
            }
        }
        Ok(())
    }

    /// Deletes messages older than [`KEEP_DAYS`] days (queued ones excepted).
    pub async fn prune(&self) -> Result<u64, MailError> {
        let before = self.inner.clock.now() - KEEP_DAYS * 86_400;
        Ok(self.inner.store.prune_outbox(before).await?)
    }

    /// Runs delivery on this node until the task is aborted: whenever `send` wakes
    /// it and every few seconds (for messages other nodes queued, and retries),
    /// pruning old messages once an hour. Without SMTP it only prunes.
    pub fn spawn_delivery(&self) -> tokio::task::JoinHandle<()> {
        let mailer = self.clone();
        tokio::spawn(async move {
            // The first pruning a minute after start, not while the node is starting.
            let mut last_prune = mailer.inner.clock.now() - PRUNE_EVERY + 60;
            loop {
                if let Err(e) = mailer.deliver_due().await {
                    tracing::warn!(error = %e, "mail delivery could not read the outbox; trying again shortly");
                }
                let now = mailer.inner.clock.now();
                if now - last_prune >= PRUNE_EVERY {
                    match mailer.prune().await {
                        Ok(_) => last_prune = now,
                        Err(e) => tracing::warn!(error = %e, "could not prune the outbox"),
                    }
                }
                let _ = tokio::time::timeout(POLL, mailer.inner.wake.notified()).await;
            }
        })
    }

    /// A `Message-ID` under the `From` address's domain (or `dateline.invalid`
    /// when no `From` is set: such messages are never sent).
    fn message_id(&self) -> String {
        let domain = self
            .inner
            .smtp
            .as_ref()
            .map(|(_, from)| from.email.domain().to_string())
            .unwrap_or_else(|| "dateline.invalid".into());
        format!("<{}@{domain}>", &crate::auth::random_token()[..32])
    }
}

/// One attempt at sending a claimed message.
async fn attempt(smtp: &Smtp, from: &Mailbox, row: &OutboxRow) -> Result<(), smtp::Failure> {
    let headers: Vec<(String, String)> = serde_json::from_str(&row.headers).unwrap_or_default();
    let composed = Parts {
        from,
        to: &row.recipient,
        subject: &row.subject,
        body: &row.body,
        headers: &headers,
        message_id: &row.message_id,
        created_at: row.created_at,
    }
    .compose();
    match composed {
        Ok(message) => smtp.send(message).await,
        // Only a row written by something other than `send` can fail here; it never will pass.
        Err(e) => Err(smtp::Failure {
            message: e.to_string(),
            permanent: true,
        }),
    }
}

/// Seconds to wait after the `attempts`-th failed try: one minute, doubling, at most an hour.
pub fn retry_delay(attempts: i64) -> i64 {
    let doublings = attempts.clamp(1, 7) - 1;
    (60 * (1_i64 << doublings)).min(3600)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_an_hour() {
        let delays: Vec<i64> = (1..=8).map(retry_delay).collect();
        assert_eq!(delays, [60, 120, 240, 480, 960, 1920, 3600, 3600]);
        let total: i64 = (1..MAX_ATTEMPTS).map(retry_delay).sum();
        assert!((5 * 3600..8 * 3600).contains(&total), "{total}");
    }

    #[test]
    fn statuses_round_trip() {
        for s in [Status::Held, Status::Queued, Status::Sent, Status::Failed] {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(Status::parse("lost"), None);
    }
}
