//! `/account/data.json`: everything stored about the signed-in reader, as one JSON document to download. Secrets (the password hash, session and link hashes) are never in it.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::domain::timefmt;
use crate::web::reader_session::SignedInReader;
use crate::web::{AppState, WebError};

/// Bumped when a field changes meaning or goes.
const FORMAT: u32 = 1;

#[derive(Serialize)]
struct Export {
    format: u32,
    site: String,
    exported_at: String,
    account: Account,
    sessions: Vec<Session>,
    emailed_links: Vec<EmailedLink>,
}

#[derive(Serialize)]
struct Account {
    id: i64,
    email: String,
    display_name: String,
    created_at: String,
    verified_at: Option<String>,
    /// Hour of the daily e-mail in the site's time zone, if any.
    daily_email_hour: Option<i64>,
    banned_at: Option<String>,
    ban_reason: Option<String>,
}

#[derive(Serialize)]
struct Session {
    created_at: String,
    last_seen_at: String,
    expires_at: String,
    this_session: bool,
}

#[derive(Serialize)]
struct EmailedLink {
    purpose: String,
    new_email: Option<String>,
    created_at: String,
    expires_at: String,
    used_at: Option<String>,
}

fn time(seconds: i64) -> String {
    timefmt::rfc3339(timefmt::from_unix(seconds))
}

pub async fn export(
    State(state): State<AppState>,
    reader: SignedInReader,
) -> Result<Response, WebError> {
    let Some(data) = state
        .store
        .reader_data(reader.reader.id, &reader.session_hash)
        .await?
    else {
        return Err(WebError::NotFound);
    };
    let r = data.reader;
    let export = Export {
        format: FORMAT,
        site: state.site.base_url.clone(),
        exported_at: time(state.now()),
        account: Account {
            id: r.id,
            email: r.email,
            display_name: r.display_name,
            created_at: time(r.created_at),
            verified_at: r.verified_at.map(time),
            daily_email_hour: r.daily_email_hour,
            banned_at: r.banned_at.map(time),
            ban_reason: r.banned_at.map(|_| r.ban_reason),
        },
        sessions: data
            .sessions
            .into_iter()
            .map(|s| Session {
                created_at: time(s.created_at),
                last_seen_at: time(s.last_seen_at),
                expires_at: time(s.expires_at),
                this_session: s.this_session,
            })
            .collect(),
        emailed_links: data
            .links
            .into_iter()
            .map(|l| EmailedLink {
                purpose: l.purpose,
                new_email: l.new_email,
                created_at: time(l.created_at),
                expires_at: time(l.expires_at),
                used_at: l.used_at.map(time),
            })
            .collect(),
    };
    let body = serde_json::to_string_pretty(&export)
        .map_err(|e| WebError::Internal(anyhow::anyhow!(e)))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"account-data.json\"",
            ),
        ],
        body,
    )
        .into_response())
}
