//! The story editor: new stories, edits, preview, related-story search, saving
//! with conflict detection, and the workflow actions taken from the form.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::form::{format_local, parse_local, EditorForm, Errors};
use super::{see_other, NewsroomNav, Staff};
use crate::domain::diff;
use crate::domain::story::{Status, Story, StoryContent};
use crate::domain::timefmt;
use crate::domain::workflow::{self, Action, Refusal, Stage};
use crate::media;
use crate::store::{ListFilter, NewRevision, StoreError};
use crate::web::paths;
use crate::web::public::article::render_article;
use crate::web::publishing;
use crate::web::views::DiffView;
use crate::web::{AppState, WebError};

pub struct SectionOption {
    pub id: i64,
    pub name: String,
    pub selected: bool,
}

pub struct RelatedOption {
    pub id: i64,
    pub headline: String,
    pub checked: bool,
}

/// Shown above the form when someone else saved first.
pub struct ConflictView {
    pub their_revision: i64,
    pub their_author: String,
    pub their_time: String,
    pub their_headline: String,
    pub their_body: String,
    pub changes: Vec<DiffView>,
}

pub struct LinkRowView {
    pub number: usize,
    pub title: String,
    pub url: String,
    pub error: String,
}

pub struct EditorView {
    pub id: Option<i64>,
    pub links: Vec<LinkRowView>,
    pub action_href: String,
    pub form: EditorForm,
    pub errors: Errors,
    pub sections: Vec<SectionOption>,
    pub stage: String,
    pub revision: i64,
    pub unpublished_changes: bool,
    pub embargo_notice: String,
    pub schedule_notice: String,
    pub presence: Vec<String>,
    pub image_src: String,
    pub related: Vec<RelatedOption>,
    pub public_href: String,
    pub history_href: String,
    pub is_editor: bool,
    pub is_published: bool,
    pub can_submit: bool,
    pub can_correct: bool,
    pub can_kill: bool,
    pub can_unschedule: bool,
    pub csrf: String,
    pub conflict: Option<ConflictView>,
}

#[derive(Template)]
#[template(path = "newsroom/editor.html")]
struct EditorTemplate {
    nav: NewsroomNav,
    e: EditorView,
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

fn refusal(r: Refusal) -> WebError {
    match r {
        Refusal::NotAllowed | Refusal::WrongStage => WebError::Forbidden,
    }
}

/// Builds the editor page for `form`, on a new story (`story` is `None`) or an existing one.
async fn editor_view(
    state: &AppState,
    staff: &Staff,
    story: Option<&Story>,
    form: EditorForm,
    errors: Errors,
) -> Result<EditorView, WebError> {
    let tz = &state.site.time_zone;
    let now = state.now();
    let selected: i64 = form.section_id.parse().unwrap_or(0);
    let sections = state
        .sections
        .all()
        .iter()
        .map(|s| SectionOption {
            id: s.id,
            name: match s.parent_id.and_then(|p| state.sections.by_id(p)) {
                Some(parent) => format!("{} › {}", parent.name, s.name),
                None => s.name.clone(),
            },
            selected: s.id == selected,
        })
        .collect();
    let mut related = Vec::new();
    for id in &form.related {
        if let Some(other) = state.store.story(*id).await? {
            related.push(RelatedOption {
                id: other.id,
                headline: other.content.headline,
                checked: true,
            });
        }
    }
    if !form.related_search.trim().is_empty() {
        for row in state
            .store
            .newsroom_stories(ListFilter::Published, form.related_search.trim(), 20)
            .await?
        {
            if Some(row.id) != story.map(|s| s.id) && !related.iter().any(|r| r.id == row.id) {
                related.push(RelatedOption {
                    id: row.id,
                    headline: row.headline,
                    checked: false,
                });
            }
        }
    }
    let role = staff.user.role;
    let own = story.is_none_or(|s| s.owner_id == Some(staff.user.id));
    let stage = story.map(Story::stage).unwrap_or(Stage::Draft);
    let allowed = |action| workflow::check(role, own, stage, action).is_ok();
    let presence = match story {
        Some(s) => state
            .store
            .others_present(s.id, staff.user.id, now)
            .await?
            .into_iter()
            .map(|p| {
                format!(
                    "{} (since {})",
                    p.display_name,
                    timefmt::long_stamp(timefmt::from_unix(p.since), tz)
                )
            })
            .collect(),
        None => Vec::new(),
    };
    let embargo_notice = match story.and_then(|s| s.embargo_until) {
        Some(until) if until > now => format!(
            "EMBARGOED until {}",
            timefmt::long_stamp(timefmt::from_unix(until), tz)
        ),
        _ => String::new(),
    };
    let schedule_notice = match stage {
        Stage::Scheduled(at) => format!(
            "Scheduled to publish at {}",
            timefmt::long_stamp(timefmt::from_unix(at), tz)
        ),
        _ => String::new(),
    };
    let public_href = match story {
        Some(s) if s.status == Status::Published => state
            .sections
            .by_id(s.content.section_id)
            .map(|sec| paths::story(sec, &s.content.slug, s.id))
            .unwrap_or_default(),
        _ => String::new(),
    };
    let links = form
        .link_rows()
        .into_iter()
        .map(|(i, title, url)| LinkRowView {
            number: i + 1,
            title,
            url,
            error: errors.get(&format!("link{i}")),
        })
        .collect();
    Ok(EditorView {
        id: story.map(|s| s.id),
        links,
        action_href: story.map_or("/newsroom/stories".to_string(), |s| {
            format!("/newsroom/stories/{}", s.id)
        }),
        image_src: form
            .image_id
            .map(|id| paths::image(id, 320))
            .unwrap_or_default(),
        form,
        errors,
        sections,
        stage: stage.label().to_string(),
        revision: story.map_or(0, |s| s.revision),
        unpublished_changes: story
            .is_some_and(|s| s.status == Status::Published && s.live_revision != Some(s.revision)),
        embargo_notice,
        schedule_notice,
        presence,
        related,
        history_href: story
            .map(|s| format!("/newsroom/stories/{}/history", s.id))
            .unwrap_or_default(),
        public_href,
        is_editor: role.is_editor(),
        is_published: stage == Stage::Published,
        can_submit: allowed(Action::Submit) && story.is_some_and(|s| s.submitted_at.is_none())
            || story.is_none(),
        can_correct: story.is_some() && allowed(Action::Correct),
        can_kill: story.is_some() && allowed(Action::Kill),
        can_unschedule: allowed(Action::Unschedule),
        csrf: staff.csrf.clone(),
        conflict: None,
    })
}

fn page(
    state: &AppState,
    staff: &Staff,
    e: EditorView,
    status: StatusCode,
    notice: Option<&str>,
) -> Result<Response, WebError> {
    let page = EditorTemplate {
        nav: NewsroomNav::new(state, Some(staff)).with_notice(notice),
        e,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn new_story(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let form = EditorForm {
        byline: format!("By {}", staff.user.display_name),
        ..EditorForm::default()
    };
    let view = editor_view(&state, &staff, None, form, Errors::default()).await?;
    page(&state, &staff, view, StatusCode::OK, q.notice.as_deref())
}

/// Loads a story the user may open, or refuses.
async fn load(state: &AppState, staff: &Staff, id: i64) -> Result<Story, WebError> {
    let story = state.store.story(id).await?.ok_or(WebError::NotFound)?;
    let own = story.owner_id == Some(staff.user.id);
    workflow::check(staff.user.role, own, story.stage(), Action::View).map_err(refusal)?;
    Ok(story)
}

pub async fn edit(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let story = load(&state, &staff, id).await?;
    let newest = state
        .store
        .newest_revision(id)
        .await?
        .ok_or(WebError::NotFound)?;
    let tz = &state.site.time_zone;
    let mut form = EditorForm::from_content(&newest.content);
    form.base_revision = Some(story.revision);
    form.embargo = Some(
        story
            .embargo_until
            .map(|t| format_local(t, tz))
            .unwrap_or_default(),
    );
    form.schedule_at = story
        .scheduled_for
        .map(|t| format_local(t, tz))
        .unwrap_or_default();
    state
        .store
        .touch_presence(id, staff.user.id, state.now())
        .await?;
    let view = editor_view(&state, &staff, Some(&story), form, Errors::default()).await?;
    page(&state, &staff, view, StatusCode::OK, q.notice.as_deref())
}

pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let form = EditorForm::read(multipart).await?;
    staff.check_csrf(&form.csrf)?;
    process(&state, &staff, None, form).await
}

pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let form = EditorForm::read(multipart).await?;
    staff.check_csrf(&form.csrf)?;
    let story = load(&state, &staff, id).await?;
    process(&state, &staff, Some(story), form).await
}

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

async fn process(
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
    let id = match &story {
        None => {
            state
                .store
                .create_story(&revision, Some(staff.user.id))
                .await?
        }
        Some(existing) => match state
            .store
            .save_revision(existing.id, &revision, form.base_revision)
            .await
        {
            Ok(_) => existing.id,
            Err(StoreError::Conflict { current }) => {
                return conflict(state, staff, existing, form, current).await
            }
            Err(e) => return Err(e.into()),
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
            let mut sections = vec![content.section_id];
            sections.extend(story.as_ref().map(|s| s.content.section_id));
            publishing::story_changed(state, id, &sections);
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
