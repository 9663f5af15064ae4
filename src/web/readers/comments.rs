//! Posting, replying to and reporting comments from a story's comments page: a signed-in reader's forms, checked for the session's token, limited per reader and per address; the ban, the story's settings and the reply's parent are checked by the posting transaction itself, so a ban holds on every node the moment it commits.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

use super::{limits, retry_after, see_other};
use crate::domain::comment::{self, Refusal, Status, TextProblem};
use crate::domain::story::Story;
use crate::store::{NewComment, Posted};
use crate::web::comments_page::{self, comments_href, CommentsQuery, Typed};
use crate::web::extract::client_address;
use crate::web::invalidation::{drop_local_copies, keys};
use crate::web::reader_session::SignedInReader;
use crate::web::views::{Chrome, ReaderChrome};
use crate::web::{AppState, WebError};

/// The comment and reply form.
#[derive(Deserialize, Default)]
pub struct CommentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    story: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    body: String,
}

/// The report form.
#[derive(Deserialize, Default)]
pub struct ReportForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    reason: String,
}

/// An id as a form sends it.
fn id(typed: &str) -> Option<i64> {
    typed.trim().parse::<i64>().ok().filter(|id| *id > 0)
}

/// Public story `id`, or 404: comments are only taken on what the public can read.
async fn public_story(state: &AppState, id: i64) -> Result<Story, WebError> {
    state
        .store
        .story(id)
        .await?
        .filter(|s| s.is_public(state.now()))
        .ok_or(WebError::NotFound)
}

/// Why a comment or a report was not taken.
enum Problem {
    Text(TextProblem),
    Refused(Refusal),
    ParentGone,
    /// Too many attempts: wait this many seconds.
    Wait(i64),
}

/// `problem` in the words of the story's edition.
fn say(state: &AppState, story: &Story, problem: Problem) -> String {
    let chrome = Chrome::for_section(state, story.content.section_id);
    match problem {
        Problem::Text(TextProblem::Empty) => chrome.t("comment-problem-empty"),
        Problem::Text(TextProblem::TooLong { count }) => {
            chrome.t1("comment-problem-too-long", "count", count)
        }
        Problem::Refused(Refusal::Off) => chrome.t("comment-refused-off"),
        Problem::Refused(Refusal::Closed) => chrome.t("comment-refused-closed"),
        Problem::Refused(Refusal::Unverified) => chrome.t("comment-refused-unverified"),
        Problem::Refused(Refusal::Banned(reason)) if reason.is_empty() => {
            chrome.t("comment-refused-banned")
        }
        Problem::Refused(Refusal::Banned(reason)) => {
            chrome.t1("comment-refused-banned-reason", "reason", reason)
        }
        Problem::ParentGone => chrome.t("comment-problem-parent-gone"),
        Problem::Wait(wait) => chrome.t1("account-problem-too-many", "count", wait.max(1)),
    }
}

/// The comments page again, with `status`, the problem and what was typed.
async fn again(
    state: &AppState,
    reader: &SignedInReader,
    story: &Story,
    status: StatusCode,
    typed: Typed,
) -> Result<Response, WebError> {
    let settings = state.store.comment_settings(story.id).await?;
    let chrome = ReaderChrome {
        name: reader.reader.display_name.clone(),
        csrf: reader.csrf.clone(),
    };
    let (page, _) = comments_page::render(
        state,
        story,
        &settings,
        Some(chrome),
        &CommentsQuery::default(),
        typed,
    )
    .await?;
    Ok((status, Html(page)).into_response())
}

/// `POST /account/comments`: a comment, or a reply with `parent`, then back to
/// the comments page, at the new comment when it shows at once.
pub async fn post(
    State(state): State<AppState>,
    extensions: axum::http::Extensions,
    reader: SignedInReader,
    Form(form): Form<CommentForm>,
) -> Result<Response, WebError> {
    reader.check_csrf(&form.csrf)?;
    let story = public_story(&state, id(&form.story).ok_or(WebError::NotFound)?).await?;
    let parent = id(&form.parent);
    let typed = |problem: Problem| Typed {
        body: form.body.clone(),
        parent,
        problem: say(&state, &story, problem),
    };
    let account = format!("reader:{}", reader.reader.id);
    let address = client_address(&extensions);
    if let Err(wait) = limits::count(&state, limits::Action::Comment, &address, &account) {
        let mut response = again(
            &state,
            &reader,
            &story,
            StatusCode::TOO_MANY_REQUESTS,
            typed(Problem::Wait(wait)),
        )
        .await?;
        response.headers_mut().extend([retry_after(wait)]);
        return Ok(response);
    }
    let body = match comment::parse_text(&form.body) {
        Ok(body) => body,
        Err(problem) => {
            return again(
                &state,
                &reader,
                &story,
                StatusCode::UNPROCESSABLE_ENTITY,
                typed(Problem::Text(problem)),
            )
            .await;
        }
    };
    let new = NewComment {
        story_id: story.id,
        reader_id: reader.reader.id,
        parent_id: parent,
        body: &body,
        at: state.now(),
    };
    let here = comments_href(&state, &story).ok_or(WebError::NotFound)?;
    match state.store.post_comment(&new).await? {
        Posted::Stored {
            id,
            status: Status::Published,
        } => {
            // This node drops its copy of the comments page now; the others follow the log.
            drop_local_copies(&state, &[keys::comments(story.id)]);
            Ok(see_other(
                &format!("{here}?done=posted#comment-{id}"),
                "",
                &[],
            ))
        }
        Posted::Stored { .. } => Ok(see_other(&format!("{here}?done=pending"), "", &[])),
        Posted::Refused(refusal) => {
            let status = match refusal {
                Refusal::Off => return Err(WebError::NotFound),
                Refusal::Closed => StatusCode::CONFLICT,
                Refusal::Unverified | Refusal::Banned(_) => StatusCode::FORBIDDEN,
            };
            again(
                &state,
                &reader,
                &story,
                status,
                typed(Problem::Refused(refusal)),
            )
            .await
        }
        // Killed or embargoed between reading the page and posting: as if never there.
        Posted::StoryNotPublic => Err(WebError::NotFound),
        Posted::NoSuchParent => {
            let problem = typed(Problem::ParentGone);
            again(&state, &reader, &story, StatusCode::CONFLICT, problem).await
        }
    }
}

/// `POST /account/comments/report`: puts a published comment before a moderator.
pub async fn report(
    State(state): State<AppState>,
    extensions: axum::http::Extensions,
    reader: SignedInReader,
    Form(form): Form<ReportForm>,
) -> Result<Response, WebError> {
    reader.check_csrf(&form.csrf)?;
    let found = match id(&form.comment) {
        Some(id) => state.store.comment(id).await?,
        None => None,
    };
    let found = found.filter(|c| c.status == Status::Published.as_str());
    let Some(found) = found else {
        return Err(WebError::NotFound);
    };
    let story = public_story(&state, found.story_id).await?;
    if reader.reader.banned_at.is_some() {
        let refusal = Refusal::Banned(reader.reader.ban_reason.clone());
        let typed = Typed {
            problem: say(&state, &story, Problem::Refused(refusal)),
            ..Typed::default()
        };
        return again(&state, &reader, &story, StatusCode::FORBIDDEN, typed).await;
    }
    let account = format!("reader:{}", reader.reader.id);
    let address = client_address(&extensions);
    if let Err(wait) = limits::count(&state, limits::Action::Comment, &address, &account) {
        let typed = Typed {
            problem: say(&state, &story, Problem::Wait(wait)),
            ..Typed::default()
        };
        let mut response = again(
            &state,
            &reader,
            &story,
            StatusCode::TOO_MANY_REQUESTS,
            typed,
        )
        .await?;
        response.headers_mut().extend([retry_after(wait)]);
        return Ok(response);
    }
    let reason = comment::parse_report_reason(&form.reason);
    state
        .store
        .report_comment(found.id, reader.reader.id, &reason, state.now())
        .await?;
    let here = comments_href(&state, &story).ok_or(WebError::NotFound)?;
    Ok(see_other(&format!("{here}?done=reported"), "", &[]))
}
