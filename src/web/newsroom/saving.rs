//! Saving from the story editor: validation that keeps what was typed, uploads,
//! preview, conflict detection, and the workflow action the button asked for.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::editor::{editor_view, page, ConflictView};
use super::form::{parse_local, EditorForm, Errors};
use super::{editorial_refusal, see_other, Staff};
use crate::domain::diff;
use crate::domain::story::{Status, Story, StoryContent};
use crate::domain::timefmt;
use crate::domain::workflow::Action;
use crate::editorial::{Edit, EditRequest, Editorial, EditorialError, Saved};
use crate::web::article_page::render_article;
use crate::web::error::{log_write_refusal, refusal_status};
use crate::web::paths;
use crate::web::views::DiffView;
use crate::web::{AppState, WebError};

/// What the form's button asked for.
enum Request {
    Preview,
    FindRelated,
    Edit(EditRequest),
}

/// Reads the form, stores an upload, and hands the save to the editorial service;
/// a problem comes back as the form with the text as typed.
pub async fn process(
    state: &AppState,
    staff: &Staff,
    story: Option<Story>,
    mut form: EditorForm,
) -> Result<Response, WebError> {
    let now = state.now();
    let tz = state.site.time_zone.clone();
    let editorial = state.editorial();
    let actor = staff.actor();
    let mut errors = Errors::default();
    let schedule_at = match form.action.as_str() {
        "schedule" => match parse_local(&form.schedule_at, &tz) {
            Ok(Some(at)) if at > now => Some(at),
            Ok(Some(_)) => {
                errors.push("schedule_at", "must be in the future");
                Some(now)
            }
            Ok(None) => {
                errors.push("schedule_at", "give the time to publish");
                Some(now)
            }
            Err(e) => {
                errors.push("schedule_at", e);
                Some(now)
            }
        },
        _ => None,
    };
    let request = match (form.action.as_str(), schedule_at) {
        ("preview", _) => Request::Preview,
        ("find_related", _) => Request::FindRelated,
        ("submit", _) => Request::Edit(EditRequest::Submit),
        ("publish", _) => Request::Edit(EditRequest::Publish {
            significant: !form.minor,
        }),
        (_, Some(at)) => Request::Edit(EditRequest::Schedule(at)),
        _ => Request::Edit(EditRequest::Save),
    };
    // Refused before anything is stored, so a reporter cannot upload into a story
    // they may not edit.
    Editorial::check(actor, story.as_ref(), Action::Save).map_err(editorial_refusal)?;
    // Nor create or move a story into an edition they do not work in.
    if let Ok(section_id) = form.section_id.trim().parse::<i64>() {
        super::edition_access::require_section(state, staff, section_id)?;
    }
    // Holding back the versions embargoes them: only in editions the member of staff works in.
    if let (true, Some(s)) = (form.hold_back && !staff.editions.is_empty(), story.as_ref()) {
        for version in state.store.translations(s.id).await? {
            if !staff.works_in(state.store.story_edition(version).await?) {
                return Err(WebError::ForbiddenBecause(format!(
                    "Story {version}, a version of this one, is in an edition your account does not \
                     work in, so it cannot be held back from here. Ask an editor of that edition."
                )));
            }
        }
    }

    // Store an upload first, so a problem elsewhere in the form never loses the picture.
    if let Some(bytes) = form.upload.take() {
        match editorial.store_picture(&bytes, now).await {
            Ok(Ok(id)) => {
                form.image_id = Some(id);
                form.remove_image = false;
            }
            Ok(Err(e)) => errors.push("image", e.to_string()),
            Err(e) => return Err(editorial_refusal(e)),
        }
    }
    // The same for a picture for the text: stored first, then put in the body
    // once it has a description (else it waits in the form, the body untouched).
    if let Some(bytes) = form.body_picture_upload.take() {
        match editorial.store_picture(&bytes, now).await {
            Ok(Ok(id)) => form.body_picture_id = Some(id),
            Ok(Err(e)) => errors.push("body_picture", e.to_string()),
            Err(e) => return Err(editorial_refusal(e)),
        }
    }
    form.place_body_picture(&mut errors);
    if matches!(request, Request::FindRelated) {
        let view = editor_view(state, staff, story.as_ref(), form, errors).await?;
        return page(state, staff, view, StatusCode::OK, None);
    }
    let stored_embargo = story.as_ref().and_then(|s| s.embargo_until);
    let embargo = match &form.embargo {
        None => stored_embargo,
        Some(value) => parse_local(value, &tz).unwrap_or_else(|e| {
            errors.push("embargo", e);
            stored_embargo
        }),
    };
    let content = match form.content(story.as_ref().map(|s| s.id)) {
        Ok(content) => Some(content),
        Err(problems) => {
            errors.0.extend(problems);
            None
        }
    };
    let Some(content) = content.filter(|_| errors.is_empty()) else {
        let view = editor_view(state, staff, story.as_ref(), form, errors).await?;
        return page(state, staff, view, StatusCode::UNPROCESSABLE_ENTITY, None);
    };
    let request = match request {
        Request::Preview => return preview(state, story.as_ref(), content, now).await,
        Request::FindRelated => EditRequest::Save,
        Request::Edit(request) => request,
    };
    let edit = Edit {
        content: &content,
        base_revision: form.base_revision,
        embargo,
        request,
    };
    let saving = editorial.save_holding_back(actor, story.as_ref(), edit, form.hold_back, now);
    let (id, saved) = match saving.await {
        Ok(done) => done,
        Err(EditorialError::Conflict { current }) => {
            let existing = story.as_ref().ok_or(WebError::NotFound)?;
            return conflict(state, staff, existing, form, current).await;
        }
        Err(EditorialError::Field { field, message }) => {
            errors.push(field, message);
            let view = editor_view(state, staff, story.as_ref(), form, errors).await?;
            return page(state, staff, view, StatusCode::UNPROCESSABLE_ENTITY, None);
        }
        // A full disk or a read-only database: the form comes back with the text as typed.
        Err(EditorialError::Store(e)) => match e.write_refusal() {
            Some(refusal) => {
                log_write_refusal(refusal, &e.to_string());
                let view = editor_view(state, staff, story.as_ref(), form, errors).await?;
                return page(
                    state,
                    staff,
                    view,
                    refusal_status(refusal),
                    Some(refusal.message()),
                );
            }
            None => return Err(e.into()),
        },
        Err(e) => return Err(editorial_refusal(e)),
    };
    if matches!(saved, Saved::Published | Saved::Updated { .. }) {
        state.metrics.publishes.inc();
    }
    state.store.touch_presence(id, staff.user.id, now).await?;
    Ok(see_other(
        &format!("/newsroom/stories/{id}"),
        &saved.notice(&tz),
    ))
}

/// Renders the unsaved content exactly as the public article page would.
async fn preview(
    state: &AppState,
    story: Option<&Story>,
    content: StoryContent,
    now: i64,
) -> Result<Response, WebError> {
    let draft = Story {
        id: story.map_or(0, |s| s.id),
        status: Status::Published,
        content,
        first_published_at: story.and_then(|s| s.first_published_at).or(Some(now)),
        last_updated_at: Some(now),
        revision: 0,
        live_revision: None,
        owner_id: None,
        submitted_at: None,
        scheduled_for: None,
        embargo_until: None,
    };
    let (html, _) = render_article(state, &draft).await?;
    // The preview's pictures are not public yet: staff fetch them from the newsroom.
    let html = html
        .replace("\"/images/", &format!("\"{}", paths::STAFF_IMAGES))
        .replace(", /images/", &format!(", {}", paths::STAFF_IMAGES));
    Ok((
        StatusCode::OK,
        [(axum::http::header::CACHE_CONTROL, "private, no-store")],
        Html(html),
    )
        .into_response())
}

/// Someone saved since this form was opened: show both versions and what differs,
/// keep the user's text in the form, and let them save again on top of the new revision.
async fn conflict(
    state: &AppState,
    staff: &Staff,
    story: &Story,
    mut form: EditorForm,
    current: i64,
) -> Result<Response, WebError> {
    let theirs = state
        .store
        .newest_revision(story.id)
        .await?
        .ok_or(WebError::NotFound)?;
    let changes = vec![
        DiffView::new(
            "Headline",
            &diff::words(&theirs.content.headline, form.headline.trim()),
        ),
        DiffView::new(
            "Summary",
            &diff::words(&theirs.content.summary, form.summary.trim()),
        ),
        DiffView::new("Body", &diff::words(&theirs.content.body, form.body.trim())),
    ];
    form.base_revision = Some(current);
    let fresh = state
        .store
        .story(story.id)
        .await?
        .ok_or(WebError::NotFound)?;
    let mut view = editor_view(state, staff, Some(&fresh), form, Errors::default()).await?;
    view.conflict = Some(ConflictView {
        their_revision: theirs.number,
        their_author: theirs.author,
        their_time: timefmt::long_stamp(timefmt::from_unix(theirs.at), &state.site.time_zone),
        their_headline: theirs.content.headline,
        their_body: theirs.content.body,
        changes: changes.into_iter().filter(|c| c.changed).collect(),
    });
    page(state, staff, view, StatusCode::CONFLICT, None)
}
