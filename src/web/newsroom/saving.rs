//! Saving from the story editor: validation that keeps what was typed, uploads,
//! preview, conflict detection, and the workflow action the button asked for.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::editor::{editor_view, page, refusal, ConflictView};
use super::form::{parse_local, EditorForm, Errors};
use super::{see_other, Staff};
use crate::domain::diff;
use crate::domain::story::{Status, Story, StoryContent};
use crate::domain::timefmt;
use crate::domain::workflow::{self, Action, Stage};
use crate::media;
use crate::store::{NewRevision, StoreError};
use crate::web::error::{log_write_refusal, refusal_status};
use crate::web::public::article::render_article;
use crate::web::publishing;
use crate::web::views::DiffView;
use crate::web::{AppState, WebError};

/// What the form's button asked for.
enum Request {
    Preview,
    FindRelated,
    Act(Action),
}

/// The revision's recorded action: what the public history calls it.
fn revision_action(action: Action, stage: Stage) -> &'static str {
    match (action, stage) {
        (Action::Publish { significant: true }, Stage::Published) => "update",
        (Action::Publish { significant: false }, Stage::Published) => "minor_update",
        (Action::Publish { .. }, _) => "publish",
        (Action::Submit, _) => "submit",
        (Action::Schedule, _) => "schedule",
        _ => "save",
    }
}

pub async fn process(
    state: &AppState,
    staff: &Staff,
    story: Option<Story>,
    mut form: EditorForm,
) -> Result<Response, WebError> {
    let now = state.now();
    let tz = state.site.time_zone.clone();
    let stage = story.as_ref().map(Story::stage).unwrap_or(Stage::Draft);
    let own = story
        .as_ref()
        .is_none_or(|s| s.owner_id == Some(staff.user.id));
    let request = match form.action.as_str() {
        "preview" => Request::Preview,
        "find_related" => Request::FindRelated,
        "submit" => Request::Act(Action::Submit),
        "publish" => Request::Act(Action::Publish {
            significant: !form.minor,
        }),
        "schedule" => Request::Act(Action::Schedule),
        _ => Request::Act(Action::Save),
    };
    workflow::check(staff.user.role, own, stage, Action::Save).map_err(refusal)?;
    if let Request::Act(action) = request {
        workflow::check(staff.user.role, own, stage, action).map_err(refusal)?;
    }

    // Store an upload first, so a problem elsewhere in the form never loses the picture.
    let mut errors = Errors::default();
    if let Some(bytes) = form.upload.take() {
        match media::process_upload(&bytes) {
            Ok(picture) => {
                let id = state
                    .store
                    .insert_image(
                        picture.width,
                        picture.height,
                        &picture.sha256,
                        &picture.renditions,
                        now,
                    )
                    .await?;
                form.image_id = Some(id);
                form.remove_image = false;
            }
            Err(e) => errors.push("image", e.to_string()),
        }
    }
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
    // Lifting an embargo or bringing it forward is an editor's decision.
    let earlier = match (stored_embargo, embargo) {
        (Some(old), Some(new)) => new < old,
        (Some(_), None) => true,
        _ => false,
    };
    if earlier && stored_embargo.is_some_and(|e| e > now) && !staff.user.role.is_editor() {
        errors.push(
            "embargo",
            "only an editor can lift an embargo or bring it forward",
        );
    }
    let schedule_at = match request {
        Request::Act(Action::Schedule) => match parse_local(&form.schedule_at, &tz) {
            Ok(Some(at)) if at > now => Some(at),
            Ok(Some(_)) => {
                errors.push("schedule_at", "must be in the future");
                None
            }
            Ok(None) => {
                errors.push("schedule_at", "give the time to publish");
                None
            }
            Err(e) => {
                errors.push("schedule_at", e);
                None
            }
        },
        _ => None,
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
    let action = match request {
        Request::Preview => return preview(state, story.as_ref(), content, now).await,
        Request::FindRelated => Action::Save,
        Request::Act(action) => action,
    };

    let rev_action = revision_action(action, stage);
    let revision = NewRevision {
        content: &content,
        action: rev_action,
        author: &staff.user.email,
        at: now,
    };
    let saved = match &story {
        None => {
            state
                .store
                .create_story(&revision, Some(staff.user.id))
                .await
        }
        Some(existing) => state
            .store
            .save_revision(existing.id, &revision, form.base_revision)
            .await
            .map(|_| existing.id),
    };
    let id = match saved {
        Ok(id) => id,
        Err(StoreError::Conflict { current }) => {
            let existing = story.as_ref().ok_or(WebError::NotFound)?;
            return conflict(state, staff, existing, form, current).await;
        }
        // A full disk or a read-only database: the form comes back with the text as typed.
        Err(e) => match e.write_refusal() {
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
    };
    let subject = format!("story {id}");
    state
        .store
        .audit(
            &staff.user.email,
            rev_action,
            &subject,
            &content.headline,
            now,
        )
        .await?;
    if story.as_ref().map(|s| s.embargo_until) != Some(embargo) {
        state.store.set_embargo(id, embargo).await?;
        let detail = embargo
            .map(|t| timefmt::long_stamp(timefmt::from_unix(t), &tz))
            .unwrap_or_else(|| "lifted".into());
        state
            .store
            .audit(&staff.user.email, "embargo", &subject, &detail, now)
            .await?;
    }
    let notice = match action {
        Action::Submit => {
            state.store.set_submitted(id, Some(now)).await?;
            "Saved and submitted for review.".to_string()
        }
        Action::Publish { .. } if embargo.is_some_and(|e| e > now) => {
            // An embargo is never broken by a click: publishing waits for it.
            let until = embargo.unwrap_or(now);
            state.store.set_schedule(id, Some(until)).await?;
            state
                .store
                .audit(
                    &staff.user.email,
                    "schedule",
                    &subject,
                    "at the end of the embargo",
                    now,
                )
                .await?;
            format!(
                "Embargoed: scheduled to publish at {}.",
                timefmt::long_stamp(timefmt::from_unix(until), &tz)
            )
        }
        Action::Publish { significant } => {
            state
                .store
                .publish_newest(id, now, significant, None)
                .await?;
            state.metrics.publishes.inc();
            let mut sections = vec![content.section_id];
            sections.extend(story.as_ref().map(|s| s.content.section_id));
            publishing::story_changed(state, id, &sections).await;
            match (stage, significant) {
                (Stage::Published, true) => {
                    "Update published; the page's last-updated time has moved.".to_string()
                }
                (Stage::Published, false) => {
                    "Minor fix published; the last-updated time is unchanged.".to_string()
                }
                _ => "Published.".to_string(),
            }
        }
        Action::Schedule => {
            let at = schedule_at.unwrap_or(now);
            state.store.set_schedule(id, Some(at)).await?;
            format!(
                "Scheduled to publish at {}.",
                timefmt::long_stamp(timefmt::from_unix(at), &tz)
            )
        }
        _ => "Saved.".to_string(),
    };
    state.store.touch_presence(id, staff.user.id, now).await?;
    Ok(see_other(&format!("/newsroom/stories/{id}"), &notice))
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
