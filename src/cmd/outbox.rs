//! `dateline outbox`: outgoing mail, newest first, with the links in each message; `--send-test` checks the SMTP settings.

use anyhow::{bail, Result};
use std::fmt::Write as _;

use crate::cli::OutboxArgs;
use crate::clock::Clock;
use crate::config::Settings;
use crate::domain::timefmt;
use crate::mail::{self, Mailer, Message, Status};
use crate::store::OutboxRow;

pub async fn run(settings: Settings, args: OutboxArgs) -> Result<()> {
    let store = super::open_store(&settings).await?;
    let result = match &args.send_test {
        Some(address) => send_test(&settings, store.clone(), address).await,
        None => list(&settings, &store, &args).await,
    };
    store.close().await;
    result
}

async fn list(settings: &Settings, store: &crate::store::Store, args: &OutboxArgs) -> Result<()> {
    let to = args.to.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let rows = store.outbox(to, args.limit).await?;
    if rows.is_empty() {
        match to {
            Some(to) => println!("No messages to {}.", printable(to)),
            None => println!("The outbox is empty."),
        }
        return Ok(());
    }
    let mut out = String::new();
    for row in &rows {
        describe(&mut out, row, settings);
    }
    print!("{out}");
    Ok(())
}

/// One message: a heading line, the subject, the state when it is not plain, then its links.
fn describe(out: &mut String, row: &OutboxRow, settings: &Settings) {
    let tz = &settings.site.time_zone;
    let when = |seconds: i64| {
        timefmt::from_unix(seconds)
            .to_zoned(tz.clone())
            .strftime("%Y-%m-%d %H:%M %Z")
            .to_string()
    };
    let _ = writeln!(
        out,
        "#{}  {}  {}  {}  to {}",
        row.id,
        when(row.created_at),
        printable(&row.kind),
        printable(&row.status),
        printable(&row.recipient)
    );
    let _ = writeln!(out, "    Subject: {}", printable(&row.subject));
    match Status::parse(&row.status) {
        Some(Status::Sent) => {
            if let Some(at) = row.sent_at {
                let _ = writeln!(out, "    Sent {} (its links are no longer kept)", when(at));
            }
        }
        Some(Status::Queued) => {
            let next = row.next_attempt_at.map(when).unwrap_or_default();
            let _ = writeln!(out, "    Tried {} times; next try {next}", row.attempts);
        }
        _ => {}
    }
    if let Some(error) = &row.last_error {
        let _ = writeln!(out, "    Last error: {}", printable(error));
    }
    for link in mail::links_in(&row.body) {
        let _ = writeln!(out, "    {}", printable(&link));
    }
    out.push('\n');
}

/// Sends a test message and waits for the outcome: the quickest check of the SMTP settings.
async fn send_test(settings: &Settings, store: crate::store::Store, address: &str) -> Result<()> {
    let mailer = Mailer::new(store.clone(), &settings.mail, Clock::System)?;
    let message = Message::new(
        mail::kind::TEST,
        address,
        &format!("Test message from {}", settings.site.name),
        &format!(
            "This is a test message from {} ({}), sent by `dateline outbox --send-test`.\n\
             Mail from the site reaches this address.\n",
            settings.site.name, settings.site.base_url
        ),
    )?;
    let accepted = mailer.send(&message).await?;
    if !mailer.sends_by_smtp() {
        println!(
            "SMTP is not configured (set smtp_host and mail_from): the test message to {} \
             is kept in the outbox as #{}.",
            printable(address),
            accepted.id
        );
        return Ok(());
    }
    mailer.deliver_due().await?;
    let row = store.outbox_message(accepted.id).await?;
    match row {
        Some(row) if row.status == Status::Sent.as_str() => {
            println!(
                "Sent the test message to {} (#{}).",
                printable(address),
                row.id
            );
            Ok(())
        }
        Some(row) => bail!(
            "the test message to {} was not sent: {} (it stays in the outbox as #{}, {})",
            printable(address),
            printable(row.last_error.as_deref().unwrap_or("no reason given")),
            row.id,
            if row.status == Status::Queued.as_str() {
                "to be tried again by a running server"
            } else {
                "given up"
            }
        ),
        None => bail!("the test message disappeared from the outbox"),
    }
}

/// Text fit for a terminal: control characters (escape sequences among them) become spaces.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if crate::domain::text::is_unsafe_char(c, false) {
                ' '
            } else {
                c
            }
        })
        .collect()
}
