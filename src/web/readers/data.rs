//! `/account/data.json`: everything stored about the signed-in reader, as one JSON document to download. Secrets (the password hash, session and link hashes) are never in it.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::domain::timefmt;
use crate::web::paths;
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
    saved_stories: Vec<SavedStory>,
    following: super::following::Export,
    comments: Vec<Comment>,
    comment_reports: Vec<CommentReport>,
}

/// A comment the reader wrote, whatever became of it.
#[derive(Serialize)]
struct Comment {
    id: i64,
    story_id: i64,
    in_reply_to: Option<i64>,
    text: String,
    status: String,
    written_at: String,
}

/// A comment the reader reported, and what they said.
#[derive(Serialize)]
struct CommentReport {
    comment_id: i64,
    reason: String,
    reported_at: String,
}

/// A saved story: its id and when it was saved, with its headline and address
/// while it is public (nothing of a story the public cannot see).
#[derive(Serialize)]
struct SavedStory {
    story_id: i64,
    saved_at: String,
    headline: Option<String>,
    address: Option<String>,
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
    /// The language of the reader's e-mails (a language tag), from their edition.
    email_language: String,
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

/// The reader's saved stories, newest saved first.
async fn saved_stories(state: &AppState, reader_id: i64) -> Result<Vec<SavedStory>, WebError> {
    let rows = state.store.saved_story_rows(reader_id).await?;
    let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
    let public = state.store.published_summaries(&ids, state.now()).await?;
    Ok(rows
        .into_iter()
        .map(|(story_id, saved_at)| {
            let shown = public.iter().find(|s| s.id == story_id).and_then(|s| {
                let section = state.sections.by_id(s.section_id)?;
                Some((
                    s.headline.clone(),
                    format!(
                        "{}{}",
                        state.site.base_url,
                        paths::story(section, &s.slug, s.id)
                    ),
                ))
            });
            SavedStory {
                story_id,
                saved_at: time(saved_at),
                headline: shown.as_ref().map(|(h, _)| h.clone()),
                address: shown.map(|(_, a)| a),
            }
        })
        .collect())
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
    let saved = saved_stories(&state, reader.reader.id).await?;
    let (comments, reports) = state.store.reader_comment_rows(reader.reader.id).await?;
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
            email_language: state
                .editions
                .by_id(r.edition_id)
                .unwrap_or_else(|| state.editions.root())
                .language
                .clone(),
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
        saved_stories: saved,
        following: super::following::export(&state, reader.reader.id).await?,
        comments: comments
            .into_iter()
            .map(|c| Comment {
                id: c.id,
                story_id: c.story_id,
                in_reply_to: c.parent_id,
                text: c.body,
                status: c.status,
                written_at: time(c.created_at),
            })
            .collect(),
        comment_reports: reports
            .into_iter()
            .map(|(comment_id, reason, at)| CommentReport {
                comment_id,
                reason,
                reported_at: time(at),
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
