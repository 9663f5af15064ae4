//! The story editor's pages: a new story, an existing one, and what they show
//! (stage, embargo, who else has it open, review notes). Saving is in `saving`.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::form::{format_local, EditorForm, Errors};
use super::restore::{self, RestoreOfferView};
use super::translations::{versions_view, VersionsView};
use super::{NewsroomNav, Staff};
use crate::domain::story::{Status, Story};
use crate::domain::timefmt;
use crate::domain::workflow::{self, Action, Refusal, Stage};
use crate::store::ListFilter;
use crate::web::paths;
use crate::web::views::DiffView;
use crate::web::{AppState, WebError};

pub struct SectionOption {
    pub id: i64,
    pub name: String,
    pub selected: bool,
}

/// One edition's sections in the section list (`<optgroup>`).
pub struct SectionGroup {
    pub edition: String,
    pub sections: Vec<SectionOption>,
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

/// The waiting picture for the text, as the form shows it (at the preview width).
pub struct WaitingPicture {
    pub src: String,
    pub width: i64,
    pub height: i64,
}

pub struct LinkRowView {
    pub number: usize,
    pub title: String,
    pub url: String,
    pub error: String,
}

/// A review note as the editor page shows it.
pub struct ReviewNoteView {
    pub note: String,
    pub author: String,
    pub at: String,
}

/// The "Send back to the reporter" form: the note as typed and its problem.
#[derive(Default)]
pub struct SendBackView {
    /// Editors see the form while the story awaits review or is scheduled.
    pub allowed: bool,
    pub note: String,
    /// What is wrong with the note, shown by the field.
    pub error: String,
    /// Why nothing could be sent back at this stage (no form to show it by).
    pub refusal: String,
}

pub struct EditorView {
    pub id: Option<i64>,
    pub links: Vec<LinkRowView>,
    pub action_href: String,
    /// Where the script sends the form as typed (the user's autosave slot).
    pub autosave_href: String,
    pub form: EditorForm,
    pub errors: Errors,
    /// The sections of the editions the member of staff works in, by edition.
    pub sections: Vec<SectionGroup>,
    /// The story's versions in other editions and the form to link one.
    pub versions: VersionsView,
    /// An editor embargoing a story with versions is offered to hold them back too.
    pub can_hold_back: bool,
    pub stage: String,
    pub revision: i64,
    pub unpublished_changes: bool,
    pub embargo_notice: String,
    pub schedule_notice: String,
    pub presence: Vec<String>,
    pub image_src: String,
    /// A picture for the text stored by an earlier submit, waiting for its description.
    pub body_picture: Option<WaitingPicture>,
    /// The story was imported from a page whose lead picture was missing, and
    /// has none yet: the alt text and caption kept from the page await the file.
    pub picture_missing: bool,
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
    /// The story's review notes, newest first.
    pub review_notes: Vec<ReviewNoteView>,
    pub send_back: SendBackView,
    /// The user's unsaved changes from an autosave, offered back (`restore`).
    pub restore: Option<RestoreOfferView>,
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
    /// `autosave`: fill the form from the user's unsaved changes.
    restore: Option<String>,
}

impl NoticeQuery {
    fn restore(&self) -> bool {
        self.restore.as_deref() == Some("autosave")
    }
}

pub fn refusal(r: Refusal) -> WebError {
    match r {
        Refusal::NotAllowed | Refusal::WrongStage => WebError::Forbidden,
    }
}

/// Builds the editor page for `form`, on a new story (`story` is `None`) or an existing one.
pub async fn editor_view(
    state: &AppState,
    staff: &Staff,
    story: Option<&Story>,
    form: EditorForm,
    errors: Errors,
) -> Result<EditorView, WebError> {
    let tz = &state.site.time_zone;
    let now = state.now();
    let selected: i64 = form.section_id.parse().unwrap_or(0);
    let sections = section_groups(state, staff, selected);
    let versions = match story {
        Some(s) => versions_view(state, s).await?,
        None => VersionsView::default(),
    };
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
            .newsroom_stories_for(
                staff.user.id,
                ListFilter::Published,
                form.related_search.trim(),
                20,
            )
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
    let stage = story.map(Stage::of_story).unwrap_or(Stage::Draft);
    let allowed = |action| workflow::check(role, own, stage, action).is_ok();
    let presence = match story {
        Some(s) => state
            .store
            .others_present(s.id, staff.user.id, now)
            .await?
            .into_iter()
            .map(|p| {
                // As the script writes it from the presence JSON, so a poll changes nothing.
                format!(
                    "{} (since {})",
                    p.display_name,
                    super::autosave::site_time(state, p.since, false)
                )
            })
            .collect(),
        None => Vec::new(),
    };
    let review_notes = match story {
        Some(s) => state
            .store
            .review_notes(s.id)
            .await?
            .into_iter()
            .map(|n| ReviewNoteView {
                note: n.note,
                author: n.author_name,
                at: timefmt::long_stamp(timefmt::from_unix(n.created_at), tz),
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
    let picture_missing = match story {
        Some(s) if form.image_id.is_none() => state
            .store
            .import_of(s.id)
            .await?
            .is_some_and(|r| r.missing_picture().is_some()),
        _ => false,
    };
    let body_picture = match form.body_picture_id {
        Some(id) => state.store.image_meta(id).await?.map(|m| {
            let width = crate::media::rendition_width(m.width, 320);
            WaitingPicture {
                src: paths::staff_image(id, 320),
                width,
                height: if m.width > 0 {
                    m.height * width / m.width
                } else {
                    m.height
                },
            }
        }),
        None => None,
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
        autosave_href: story.map_or("/newsroom/stories/new/autosave".to_string(), |s| {
            format!("/newsroom/stories/{}/autosave", s.id)
        }),
        image_src: form
            .image_id
            .map(|id| paths::staff_image(id, 320))
            .unwrap_or_default(),
        picture_missing,
        body_picture,
        form,
        errors,
        sections,
        can_hold_back: role.is_editor() && !versions.versions.is_empty(),
        versions,
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
        review_notes,
        send_back: SendBackView {
            allowed: story.is_some() && allowed(Action::SendBack),
            ..SendBackView::default()
        },
        restore: None,
    })
}

/// The sections `staff` may file a story in, grouped by edition in the editions' order.
fn section_groups(state: &AppState, staff: &Staff, selected: i64) -> Vec<SectionGroup> {
    state
        .editions
        .all()
        .iter()
        .filter(|e| staff.works_in(e.id))
        .map(|edition| SectionGroup {
            edition: edition.english_name.clone(),
            sections: state
                .sections
                .all()
                .iter()
                .filter(|s| s.edition_id == edition.id)
                .map(|s| SectionOption {
                    id: s.id,
                    name: match s.parent_id.and_then(|p| state.sections.by_id(p)) {
                        Some(parent) => format!("{} › {}", parent.name, s.name),
                        None => s.name.clone(),
                    },
                    selected: s.id == selected,
                })
                .collect(),
        })
        .filter(|g| !g.sections.is_empty())
        .collect()
}

pub fn page(
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
    with_unsaved_changes(&state, &staff, None, form, &q).await
}

/// The editor page for `form` (the story as saved), with the user's unsaved
/// changes offered back, or (`?restore=autosave`) in the form instead.
async fn with_unsaved_changes(
    state: &AppState,
    staff: &Staff,
    story: Option<&Story>,
    form: EditorForm,
    q: &NoticeQuery,
) -> Result<Response, WebError> {
    if q.restore() {
        if let Some((typed, at)) = restore::slot_form(state, staff, story).await? {
            let notice = format!(
                "Your unsaved changes from {} are in the form: save to keep them.",
                super::autosave::site_time(state, at, false)
            );
            let view = editor_view(state, staff, story, typed, Errors::default()).await?;
            return page(state, staff, view, StatusCode::OK, Some(notice.as_str()));
        }
    }
    // Nothing is offered that the user could no longer save (a killed story).
    let offer = if q.restore() || !super::autosave::may_keep(staff, story) {
        None
    } else {
        restore::offer(state, staff, story, &form).await?
    };
    let mut view = editor_view(state, staff, story, form, Errors::default()).await?;
    view.restore = offer;
    let notice = match (q.restore(), q.notice.as_deref()) {
        (true, _) => Some("There are no unsaved changes to restore."),
        (false, notice) => notice,
    };
    page(state, staff, view, StatusCode::OK, notice)
}

/// Loads a story the user may open, or refuses.
pub(super) async fn load(state: &AppState, staff: &Staff, id: i64) -> Result<Story, WebError> {
    let story = state.store.story(id).await?.ok_or(WebError::NotFound)?;
    let own = story.owner_id == Some(staff.user.id);
    workflow::check(staff.user.role, own, Stage::of_story(&story), Action::View)
        .map_err(refusal)?;
    Ok(story)
}

pub async fn edit(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let story = load(&state, &staff, id).await?;
    let form = stored_form(&state, &story).await?;
    state
        .store
        .touch_presence(id, staff.user.id, state.now())
        .await?;
    with_unsaved_changes(&state, &staff, Some(&story), form, &q).await
}

/// The editor's form as the story is stored: its newest revision, embargo and schedule.
pub(super) async fn stored_form(state: &AppState, story: &Story) -> Result<EditorForm, WebError> {
    let id = story.id;
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
    // An imported page's missing picture: its words wait in the form for the file.
    if form.image_id.is_none() && form.image_alt.is_empty() && form.image_caption.is_empty() {
        if let Some((alt, caption)) = state
            .store
            .import_of(id)
            .await?
            .and_then(|r| r.missing_picture())
        {
            form.image_alt = alt;
            form.image_caption = caption;
        }
    }
    Ok(form)
}

pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let form = EditorForm::read(multipart).await?;
    staff.check_csrf(&form.csrf)?;
    super::saving::process(&state, &staff, None, form).await
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
    super::saving::process(&state, &staff, Some(story), form).await
}
