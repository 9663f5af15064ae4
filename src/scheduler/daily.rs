//! The daily e-mail: at the hour each reader chose (in the site's time zone), in the language of the reader's edition, the top stories of the last day in what they follow, sent by the scheduler of whichever node claims the reader's day first, with a one-click unsubscribe link (RFC 8058).
//!
//! **Exactly once per reader per day.** Every node's scheduler looks for due
//! readers each tick. The e-mail is composed first; then one transaction
//! (`Store::claim_daily`) claims the reader's day with `UPDATE … WHERE
//! last_daily_on < today … RETURNING` and writes the e-mail's unsubscribe link
//! and its outbox row, as scheduled publishing claims a story. Only one node's
//! claim succeeds, and the claim and the message commit together or not at all,
//! so a node that dies half-way leaves the day unclaimed for another to take.
//! From the outbox on, delivery is the mailer's (at least once, same
//! `Message-ID`).
//!
//! **Nothing new, no e-mail.** A reader whose follows brought no public story
//! in the last day gets no e-mail that day (an empty digest teaches people to
//! ignore the mail); the day is claimed all the same, so it is not looked at again.

use crate::auth;
use crate::domain::follow::{self, LocalHour, DAILY_STORIES, DAILY_WINDOW_SECONDS};
use crate::domain::{text::clean_line, timefmt};
use crate::mail::{kind, MailError, Message};
use crate::store::{DailyClaim, DailyEmail, DueReader, StoreError, StorySummary};
use crate::web::edition_mail::{arg, EditionMail};
use crate::web::{paths, AppState};

/// Readers looked at per tick (the scheduler's tick is a second), so a tick never
/// holds up scheduled publishing for long; the rest wait for the next ticks.
const BATCH: i64 = 50;

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DailyRun {
    /// E-mails written to the outbox.
    pub sent: usize,
    /// Readers claimed with nothing new to send.
    pub nothing_new: usize,
}

/// Sends the daily e-mail of up to [`BATCH`] readers due at `now` whom this node claims.
pub async fn send_due(state: &AppState, now: i64) -> Result<DailyRun, StoreError> {
    let local = follow::local_hour(now, &state.site.time_zone);
    let mut run = DailyRun::default();
    for reader in state
        .store
        .due_daily_readers(local.day, local.hour, BATCH)
        .await?
    {
        match send_one(state, &reader, local, now).await? {
            Outcome::Sent => run.sent += 1,
            Outcome::NothingNew => run.nothing_new += 1,
            Outcome::TakenElsewhere => {}
        }
    }
    Ok(run)
}

enum Outcome {
    Sent,
    NothingNew,
    /// Another node claimed the day first.
    TakenElsewhere,
}

async fn send_one(
    state: &AppState,
    reader: &DueReader,
    local: LocalHour,
    now: i64,
) -> Result<Outcome, StoreError> {
    let following = state.store.following(reader.id).await?;
    let stories = state
        .store
        .followed_stories(
            &state.sections,
            &following,
            Some(now - DAILY_WINDOW_SECONDS),
            DAILY_STORIES,
            now,
        )
        .await?;
    let secret = auth::random_token();
    let prepared = if stories.is_empty() {
        None
    } else {
        match compose(state, reader, &stories, &secret, now)
            .and_then(|message| state.mailer.prepare(&message))
        {
            Ok(prepared) => Some(prepared),
            // Only an address the mailer refuses can fail here: the day is claimed
            // without an e-mail, so it is not tried again every second.
            Err(e) => {
                tracing::warn!(reader = reader.id, error = %e, "a daily e-mail could not be composed");
                None
            }
        }
    };
    let hash = auth::token_hash(&secret);
    let email = prepared.as_ref().map(|p| DailyEmail {
        unsubscribe_hash: &hash,
        outbox: p.row(),
    });
    let claim = state
        .store
        .claim_daily(reader.id, local.day, local.hour, email.as_ref(), now)
        .await?;
    Ok(match (claim, &prepared) {
        (DailyClaim::Elsewhere, _) => Outcome::TakenElsewhere,
        (
            DailyClaim::Claimed {
                outbox_id: Some(id),
            },
            Some(prepared),
        ) => {
            state.mailer.written(prepared, id);
            Outcome::Sent
        }
        (DailyClaim::Claimed { .. }, _) => Outcome::NothingNew,
    })
}

/// The one-click unsubscribe address of a daily e-mail's headers, carrying its
/// secret: at the root, in every edition, as a mail program POSTs to it and shows
/// no page (the body's link is the reader's edition's page, `EditionMail::link`).
fn one_click_url(state: &AppState, secret: &str) -> String {
    format!(
        "{}{}?token={secret}",
        state.site.base_url,
        paths::DAILY_UNSUBSCRIBE
    )
}

/// The e-mail, in the language of the reader's edition: a plain-text list of the
/// stories (of any edition: each links to its own) with their addresses, then how
/// to change or stop it, with RFC 8058's one-click unsubscribe headers.
fn compose(
    state: &AppState,
    reader: &DueReader,
    stories: &[StorySummary],
    secret: &str,
    now: i64,
) -> Result<Message, MailError> {
    let mail = EditionMail::of_reader(state, reader.edition_id);
    let base = &state.site.base_url;
    let date = timefmt::edition_short_date(timefmt::from_unix(now), mail.edition);
    let hello = mail.text(
        "mail-daily-hello",
        vec![("name", arg(clean_line(&reader.display_name)))],
    );
    let mut body = format!("{hello}\n\n{}\n", mail.text("mail-daily-intro", vec![]));
    let listed = stories
        .iter()
        .filter_map(|story| Some((story, state.sections.by_id(story.section_id)?)));
    for (n, (story, section)) in listed.enumerate() {
        body.push_str(&format!(
            "\n{}. {}\n   {}\n   {base}{}\n",
            n + 1,
            clean_line(&story.headline),
            clean_line(&story.summary),
            paths::story(section, &story.slug, story.id),
        ));
    }
    let change = mail.text(
        "mail-daily-change",
        vec![("url", arg(mail.page(paths::FOLLOWING)))],
    );
    let unsubscribe = mail.link(paths::DAILY_UNSUBSCRIBE, secret);
    let stop = mail.text("mail-daily-stop", vec![("url", arg(unsubscribe))]);
    body.push_str(&format!("\n{change}\n{stop}{}", mail.signature()));
    let subject = mail.text("mail-daily-subject", vec![("date", arg(date))]);
    Message::new(kind::DAILY, &reader.email, &subject, &body)?
        .with_one_click_unsubscribe(&one_click_url(state, secret))?
        .with_language(mail.language())
}
