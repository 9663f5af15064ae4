//! What journalists do on a live page, each a POST with the form's token that
//! goes through `editorial::live` and comes back to the page (303) with a
//! one-line confirmation: start, write (with a picture uploaded or chosen),
//! publish, edit, delete, pin and unpin, end. A refusal shows the form again
//! with the message next to the field and the text as typed.

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use super::form::Errors;
use super::live::{desk, desk_path, load, post_page_with, post_path, PostForm, Retry};
use super::{editorial_refusal, see_other, Staff};
use crate::domain::live::Refusal;
use crate::editorial::{EditorialError, LiveError, TypedPost};
use crate::web::error::{log_write_refusal, refusal_status};
use crate::web::{AppState, WebError};

/// The small forms: only the token, and what some of them add.
#[derive(Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    csrf: String,
    /// Pin: "yes" pins, anything else unpins.
    #[serde(default)]
    pinned: String,
    /// Delete: "yes" when the box is ticked.
    #[serde(default)]
    confirm: String,
    /// End: the closing summary.
    #[serde(default)]
    summary: String,
}

/// A refusal the journalist can act on: the field it belongs to, what to
/// show, and the status to answer with. Anything else is an error page.
fn judge(
    e: LiveError,
    field: &'static str,
) -> Result<(&'static str, String, StatusCode), WebError> {
    match e {
        LiveError::Field(p) => Ok((p.field, p.message, StatusCode::UNPROCESSABLE_ENTITY)),
        LiveError::Refused(Refusal::NotAllowed) => Err(WebError::Forbidden),
        LiveError::Refused(r) => Ok((field, r.to_string(), StatusCode::CONFLICT)),
        // A full disk or a read-only database: the form comes back with the text as typed.
        LiveError::Editorial(EditorialError::Store(e)) => match e.write_refusal() {
            Some(refusal) => {
                log_write_refusal(refusal, &e.to_string());
                Ok((
                    field,
                    refusal.message().to_string(),
                    refusal_status(refusal),
                ))
            }
            None => Err(e.into()),
        },
        LiveError::Editorial(e) => Err(editorial_refusal(e)),
    }
}

/// Where a refused button (no typed text to keep) sends the journalist back to.
fn refused_to(path: &str, e: LiveError) -> Result<Response, WebError> {
    let (_, message, _) = judge(e, "")?;
    Ok(see_other(path, &format!("Nothing was changed. {message}")))
}

/// The picture the form asks for: an upload (stored first, so that a problem
/// elsewhere never loses it, and its number put in the form), else a stored
/// picture's number as typed. Problems go into `errors`.
async fn picture(
    state: &AppState,
    form: &mut PostForm,
    errors: &mut Errors,
) -> Result<Option<i64>, WebError> {
    if let Some(bytes) = form.upload.take() {
        match state.editorial().store_picture(&bytes, state.now()).await {
            Ok(Ok(id)) => form.image_id = id.to_string(),
            Ok(Err(e)) => errors.push("picture", format!("The picture cannot be used: {e}.")),
            Err(e) => return Err(editorial_refusal(e)),
        }
    }
    let typed = form.image_id.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    let Ok(id) = typed.parse::<i64>() else {
        errors.push(
            "image_id",
            "Give a stored picture's number, like 12, or leave it empty for none.",
        );
        return Ok(None);
    };
    if state.store.image_meta(id).await?.is_none() {
        errors.push(
            "image_id",
            format!("There is no stored picture number {id}: upload the picture instead."),
        );
        return Ok(None);
    }
    Ok(Some(id))
}

fn messages(errors: &Errors) -> Vec<String> {
    errors.0.iter().map(|e| e.message.clone()).collect()
}

/// `POST /newsroom/stories/{id}/live/start` (editors)
pub async fn start(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(form): Form<ActionForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&form.csrf)?;
    let (story, _) = load(&state, &staff, id).await?;
    let done = state
        .editorial()
        .start_live_page(staff.actor(), &story, state.now())
        .await;
    match done {
        Ok(()) => Ok(see_other(
            &desk_path(id),
            "This story is now a live page: write the first post.",
        )),
        Err(e) => refused_to(&desk_path(id), e),
    }
}

/// `POST /newsroom/stories/{id}/live/posts`: a new post, published at once
/// when an editor writes it, waiting for an editor when a reporter does.
pub async fn write(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let mut form = PostForm::read(multipart).await?;
    staff.check_csrf(&form.csrf)?;
    let (story, _) = load(&state, &staff, id).await?;
    let mut errors = Errors::default();
    let image_id = picture(&state, &mut form, &mut errors).await?;
    let status = if errors.is_empty() {
        let typed = TypedPost {
            body: &form.body,
            image_id,
            alt: &form.alt,
            byline: &form.byline,
        };
        let done = state
            .editorial()
            .add_live_post(staff.actor(), &story, typed, state.now())
            .await;
        match done {
            Ok(_) if staff.user.role.is_editor() => {
                return Ok(see_other(&desk_path(id), "Post published."));
            }
            Ok(_) => {
                return Ok(see_other(
                    &desk_path(id),
                    "Post saved: it waits for an editor to publish it.",
                ));
            }
            Err(e) => {
                let (field, message, status) = judge(e, "body")?;
                errors.push(field, message);
                status
            }
        }
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let retry = Retry {
        problems: messages(&errors),
        post: Some((form, errors)),
        end: None,
    };
    desk(&state, &staff, id, retry, status, None).await
}

/// `POST /newsroom/stories/{id}/live/posts/{post_id}/publish` (editors)
pub async fn publish(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, post_id)): Path<(i64, i64)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&form.csrf)?;
    let (story, _) = load(&state, &staff, id).await?;
    if !staff.user.role.is_editor() {
        return Err(WebError::Forbidden);
    }
    let done = state
        .editorial()
        .publish_live_post(staff.actor(), &story, post_id, state.now())
        .await;
    match done {
        Ok(()) => Ok(see_other(&desk_path(id), "Post published.")),
        // A second press (a double click, a resent form) changes nothing; the
        // store checks it under the story's lock.
        Err(LiveError::Refused(Refusal::AlreadyPublished)) => {
            Ok(see_other(&desk_path(id), "The post was already published."))
        }
        Err(e) => refused_to(&desk_path(id), e),
    }
}

/// `POST /newsroom/stories/{id}/live/posts/{post_id}/pin` (editors): pins
/// the post as a key point, or unpins it.
pub async fn pin(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, post_id)): Path<(i64, i64)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&form.csrf)?;
    let (story, _) = load(&state, &staff, id).await?;
    let pinned = form.pinned == "yes";
    let done = state
        .editorial()
        .pin_live_post(staff.actor(), &story, post_id, pinned, state.now())
        .await;
    match done {
        Ok(()) if pinned => Ok(see_other(&desk_path(id), "Pinned as a key point.")),
        Ok(()) => Ok(see_other(&desk_path(id), "No longer a key point.")),
        Err(e) => refused_to(&desk_path(id), e),
    }
}

/// `POST /newsroom/stories/{id}/live/posts/{post_id}/delete` (editors), once
/// the box is ticked.
pub async fn delete(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, post_id)): Path<(i64, i64)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&form.csrf)?;
    let (story, _) = load(&state, &staff, id).await?;
    if !staff.user.role.is_editor() {
        return Err(WebError::Forbidden);
    }
    if form.confirm != "yes" {
        return Ok(see_other(
            &post_path(id, post_id),
            "Not deleted: tick the box to confirm.",
        ));
    }
    let done = state
        .editorial()
        .delete_live_post(staff.actor(), &story, post_id, state.now())
        .await;
    match done {
        Ok(()) => Ok(see_other(&desk_path(id), "Post deleted.")),
        Err(e) => refused_to(&desk_path(id), e),
    }
}

/// `POST /newsroom/stories/{id}/live/posts/{post_id}` (editors): replaces
/// the post's text, picture and byline.
pub async fn edit(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, post_id)): Path<(i64, i64)>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let mut form = PostForm::read(multipart).await?;
    staff.check_csrf(&form.csrf)?;
    let (story, _) = load(&state, &staff, id).await?;
    // Refused before anything is stored, so a reporter cannot upload through it.
    if !staff.user.role.is_editor() {
        return Err(WebError::Forbidden);
    }
    let mut errors = Errors::default();
    let image_id = picture(&state, &mut form, &mut errors).await?;
    let status = if errors.is_empty() {
        let typed = TypedPost {
            body: &form.body,
            image_id,
            alt: &form.alt,
            byline: &form.byline,
        };
        let done = state
            .editorial()
            .edit_live_post(staff.actor(), &story, post_id, typed, state.now())
            .await;
        match done {
            Ok(()) => return Ok(see_other(&post_path(id, post_id), "Post saved.")),
            Err(LiveError::Refused(Refusal::NoSuchPost)) => {
                return Ok(see_other(
                    &desk_path(id),
                    "Nothing was changed. There is no such post on this live page (it may have been deleted).",
                ));
            }
            Err(e) => {
                let (field, message, status) = judge(e, "body")?;
                errors.push(field, message);
                status
            }
        }
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    post_page_with(
        &state,
        &staff,
        id,
        post_id,
        Some((form, errors)),
        status,
        None,
    )
    .await
}

/// `POST /newsroom/stories/{id}/live/end` (editors): ends the live page with
/// a closing summary; it stays as an archive.
pub async fn end(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(form): Form<ActionForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&form.csrf)?;
    let (story, _) = load(&state, &staff, id).await?;
    if !staff.user.role.is_editor() {
        return Err(WebError::Forbidden);
    }
    let done = state
        .editorial()
        .end_live_page(staff.actor(), &story, &form.summary, state.now())
        .await;
    let (message, status) =
        match done {
            Ok(()) => return Ok(see_other(
                &desk_path(id),
                "The live page has ended: it stays as an archive, with your summary at the top.",
            )),
            Err(e) => {
                let (_, message, status) = judge(e, "summary")?;
                (message, status)
            }
        };
    let retry = Retry {
        post: None,
        end: Some((form.summary, message.clone())),
        problems: vec![message],
    };
    desk(&state, &staff, id, retry, status, None).await
}
