//! A story's live page in the newsroom, `/newsroom/stories/{id}/live`: whether
//! it runs, the form to write a post, every post (waiting ones marked) with
//! publish and pin, each post's own page with its edit form, delete and
//! revisions, and the form that ends the live page. The actions are in
//! `live_actions`.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use std::collections::HashMap;

use super::form::Errors;
use super::{NewsroomNav, Staff};
use crate::domain::diff;
use crate::domain::live::State as LiveState;
use crate::domain::markup::parse_for_display;
use crate::domain::story::{Status, Story};
use crate::domain::timefmt;
use crate::domain::workflow::{self, Action, Stage};
use crate::media;
use crate::store::{LiveChangeRow, LivePage, LivePost};
use crate::web::html::{self, SafeHtml};
use crate::web::views::DiffView;
use crate::web::{paths, AppState, WebError};

/// The live page's screen for story `id`.
pub fn desk_path(id: i64) -> String {
    format!("/newsroom/stories/{id}/live")
}

/// One post's page (edit, delete, revisions).
pub fn post_path(id: i64, post_id: i64) -> String {
    format!("/newsroom/stories/{id}/live/posts/{post_id}")
}

/// A post's form as typed, kept whole so that nothing is lost on a refusal.
#[derive(Debug, Clone, Default)]
pub struct PostForm {
    pub csrf: String,
    pub body: String,
    /// The stored picture's number, as typed (an upload fills it in).
    pub image_id: String,
    pub alt: String,
    pub byline: String,
    pub upload: Option<Vec<u8>>,
}

impl PostForm {
    /// The form filled from a stored post, for editing it.
    fn of(post: &LivePost) -> PostForm {
        PostForm {
            body: post.body.clone(),
            image_id: post.image_id.map(|i| i.to_string()).unwrap_or_default(),
            alt: post.image_alt.clone(),
            byline: post.byline.clone(),
            ..PostForm::default()
        }
    }

    /// Reads the multipart form. Unknown fields are ignored; a malformed body is a 400.
    pub async fn read(mut multipart: Multipart) -> Result<PostForm, WebError> {
        let mut form = PostForm::default();
        let bad = |e: axum::extract::multipart::MultipartError| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                WebError::TooLarge(format!(
                    "the form is larger than {} MB: pictures may be at most {} MB",
                    super::FORM_LIMIT_BYTES / (1024 * 1024),
                    media::MAX_UPLOAD_BYTES / (1024 * 1024)
                ))
            } else {
                WebError::BadRequest(format!("the form could not be read: {}", e.body_text()))
            }
        };
        while let Some(field) = multipart.next_field().await.map_err(bad)? {
            let name = field.name().unwrap_or_default().to_string();
            if name == "picture" {
                let has_file = field.file_name().is_some_and(|n| !n.is_empty());
                let bytes = field.bytes().await.map_err(bad)?;
                if has_file && !bytes.is_empty() {
                    form.upload = Some(bytes.to_vec());
                }
                continue;
            }
            let value = field.text().await.map_err(bad)?;
            match name.as_str() {
                "csrf" => form.csrf = value,
                "body" => form.body = value,
                "image_id" => form.image_id = value,
                "alt" => form.alt = value,
                "byline" => form.byline = value,
                _ => {}
            }
        }
        Ok(form)
    }
}

/// A post's form as the template shows it.
pub struct PostFormView {
    pub body: String,
    pub image_id: String,
    pub alt: String,
    pub byline: String,
    /// The chosen picture, from the newsroom's picture path ('' for none).
    pub picture_src: String,
    pub errors: Errors,
}

/// A post's picture in the newsroom.
pub struct PictureView {
    pub src: String,
    pub alt: String,
    pub width: i64,
    pub height: i64,
}

/// One post in the newsroom's list.
pub struct PostView {
    pub id: i64,
    pub href: String,
    pub waiting: bool,
    pub pinned: bool,
    pub written: String,
    pub published: String,
    pub author: String,
    pub byline: String,
    pub html: SafeHtml,
    pub picture: Option<PictureView>,
}

/// One revision of a post.
pub struct RevisionView {
    pub number: usize,
    pub what: &'static str,
    pub at: String,
    pub pinned: bool,
    pub byline: String,
    pub picture: String,
    pub html: SafeHtml,
    /// The text's changes from the revision before (none for the first).
    pub change: Option<DiffView>,
}

#[derive(Template)]
#[template(path = "newsroom/live.html")]
struct DeskTemplate {
    nav: NewsroomNav,
    csrf: String,
    id: i64,
    here: String,
    headline: String,
    public_href: String,
    status: &'static str,
    status_detail: String,
    summary: String,
    is_editor: bool,
    not_live: bool,
    running: bool,
    ended: bool,
    /// The write form shows while the page runs, and again with what was typed after a refusal.
    show_write: bool,
    f: PostFormView,
    show_end: bool,
    end_summary: String,
    end_error: String,
    problems: Vec<String>,
    /// The posts are listed with a link to each one's page.
    in_list: bool,
    waiting: usize,
    posts: Vec<PostView>,
}

#[derive(Template)]
#[template(path = "newsroom/live_post.html")]
struct PostTemplate {
    nav: NewsroomNav,
    csrf: String,
    headline: String,
    desk_href: String,
    here: String,
    is_editor: bool,
    running: bool,
    p: PostView,
    show_edit: bool,
    f: PostFormView,
    problems: Vec<String>,
    in_list: bool,
    revisions: Vec<RevisionView>,
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

/// The story and its live page, if this member of staff may work on it:
/// editors on any story; reporters on any live page (they write its posts) and
/// on stories they may open in the editor.
pub async fn load(
    state: &AppState,
    staff: &Staff,
    id: i64,
) -> Result<(Story, Option<LivePage>), WebError> {
    let story = state.store.story(id).await?.ok_or(WebError::NotFound)?;
    let page = state.store.live_page(id).await?;
    if page.is_none() {
        let own = story.owner_id == Some(staff.user.id);
        workflow::check(staff.user.role, own, Stage::of_story(&story), Action::View)
            .map_err(|_| WebError::Forbidden)?;
    }
    Ok((story, page))
}

fn stamp(state: &AppState, at: i64) -> String {
    timefmt::long_stamp(timefmt::from_unix(at), &state.site.time_zone)
}

/// Builds the view of a post form, with the chosen picture when it is stored.
pub async fn form_view(
    state: &AppState,
    form: PostForm,
    errors: Errors,
) -> Result<PostFormView, WebError> {
    let picture_src = match form.image_id.trim().parse::<i64>() {
        Ok(image_id) if state.store.image_meta(image_id).await?.is_some() => {
            paths::staff_image(image_id, 320)
        }
        _ => String::new(),
    };
    Ok(PostFormView {
        body: form.body,
        image_id: form.image_id,
        alt: form.alt,
        byline: form.byline,
        picture_src,
        errors,
    })
}

fn picture_view(image_id: Option<i64>, size: (i64, i64), alt: &str) -> Option<PictureView> {
    let id = image_id?;
    let (width, height) = size;
    let shown = media::rendition_width(width, 320);
    Some(PictureView {
        src: paths::staff_image(id, 320),
        alt: alt.to_string(),
        width: shown,
        height: if width > 0 { height * shown / width } else { 0 },
    })
}

async fn post_views(
    state: &AppState,
    story_id: i64,
    posts: Vec<LivePost>,
) -> Result<Vec<PostView>, WebError> {
    let mut authors: HashMap<i64, String> = HashMap::new();
    let mut views = Vec::with_capacity(posts.len());
    for post in posts {
        let author = match post.author_id {
            Some(user_id) => match authors.get(&user_id) {
                Some(name) => name.clone(),
                None => {
                    let name = state
                        .store
                        .user(user_id)
                        .await?
                        .map(|u| u.display_name)
                        .unwrap_or_default();
                    authors.insert(user_id, name.clone());
                    name
                }
            },
            None => String::new(),
        };
        views.push(PostView {
            id: post.id,
            href: post_path(story_id, post.id),
            waiting: post.published_at.is_none(),
            pinned: post.pinned,
            written: stamp(state, post.created_at),
            published: post
                .published_at
                .map(|at| stamp(state, at))
                .unwrap_or_default(),
            author,
            byline: post.byline,
            html: html::blocks(
                &parse_for_display(&post.body).blocks,
                &html::PictureSizes::none(),
            ),
            picture: picture_view(
                post.image_id,
                (post.image_width, post.image_height),
                &post.image_alt,
            ),
        });
    }
    Ok(views)
}

fn public_href(state: &AppState, story: &Story) -> String {
    if story.status != Status::Published {
        return String::new();
    }
    state
        .sections
        .by_id(story.content.section_id)
        .map(|s| paths::story(s, &story.content.slug, story.id))
        .unwrap_or_default()
}

/// What a refused or rejected form shows again: the typed post, the typed
/// summary, and the problems (each also shown next to its field).
#[derive(Default)]
pub struct Retry {
    pub post: Option<(PostForm, Errors)>,
    pub end: Option<(String, String)>,
    pub problems: Vec<String>,
}

/// Renders the live page's screen with `status`, keeping whatever `retry` holds.
pub async fn desk(
    state: &AppState,
    staff: &Staff,
    id: i64,
    retry: Retry,
    status: StatusCode,
    notice: Option<&str>,
) -> Result<Response, WebError> {
    let (story, page) = load(state, staff, id).await?;
    let live = LiveState::of(page.as_ref().map(|p| p.ended_at));
    let is_editor = staff.user.role.is_editor();
    let posts = match live {
        LiveState::NotLive => Vec::new(),
        _ => state.store.live_posts_for_newsroom(id).await?,
    };
    let waiting = posts.iter().filter(|p| p.published_at.is_none()).count();
    let (status_word, status_detail) = match &page {
        None => ("not a live page", String::new()),
        Some(p) => match p.ended_at {
            None => ("running", format!("since {}", stamp(state, p.started_at))),
            Some(ended) => ("ended", format!("at {}", stamp(state, ended))),
        },
    };
    let retried_post = retry.post.is_some();
    let (form, errors) = retry.post.unwrap_or_default();
    let (end_summary, end_error) = retry.end.clone().unwrap_or_default();
    let running = live == LiveState::Running;
    let template = DeskTemplate {
        nav: NewsroomNav::new(state, Some(staff)).with_notice(notice),
        csrf: staff.csrf.clone(),
        id,
        here: desk_path(id),
        headline: story.content.headline.clone(),
        public_href: public_href(state, &story),
        status: status_word,
        status_detail,
        summary: page.map(|p| p.summary).unwrap_or_default(),
        is_editor,
        not_live: live == LiveState::NotLive,
        running,
        ended: live == LiveState::Ended,
        show_write: running || retried_post,
        f: form_view(state, form, errors).await?,
        show_end: is_editor && (running || retry.end.is_some()),
        end_summary,
        end_error,
        problems: retry.problems,
        in_list: true,
        waiting,
        posts: post_views(state, id, posts).await?,
    };
    Ok((status, Html(template.render()?)).into_response())
}

/// `GET /newsroom/stories/{id}/live`
pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    desk(
        &state,
        &staff,
        id,
        Retry::default(),
        StatusCode::OK,
        q.notice.as_deref(),
    )
    .await
}

fn change_label(kind: &str) -> &'static str {
    match kind {
        "write" => "Written, waiting for an editor",
        "publish" => "Published",
        "edit" => "Edited",
        "delete" => "Deleted",
        "pin" => "Pinned as a key point",
        "unpin" => "No longer a key point",
        _ => "Changed",
    }
}

fn revision_views(state: &AppState, rows: &[LiveChangeRow]) -> Vec<RevisionView> {
    let mut before: Option<&str> = None;
    let mut views = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let change = before
            .filter(|old| *old != row.body)
            .map(|old| DiffView::new("Text", &diff::words(old, &row.body)));
        before = Some(&row.body);
        views.push(RevisionView {
            number: i + 1,
            what: change_label(&row.kind),
            at: stamp(state, row.at),
            pinned: row.pinned,
            byline: row.byline.clone(),
            picture: match row.image_id {
                Some(image_id) => format!("picture {image_id}: {}", row.image_alt),
                None => String::new(),
            },
            html: html::blocks(
                &parse_for_display(&row.body).blocks,
                &html::PictureSizes::none(),
            ),
            change,
        });
    }
    views
}

/// Renders post `post_id`'s page, with the edit form as `retry` left it.
pub async fn post_page_with(
    state: &AppState,
    staff: &Staff,
    id: i64,
    post_id: i64,
    retry: Option<(PostForm, Errors)>,
    status: StatusCode,
    notice: Option<&str>,
) -> Result<Response, WebError> {
    let (story, page) = load(state, staff, id).await?;
    let page = page.ok_or(WebError::NotFound)?;
    let post = state
        .store
        .live_posts_for_newsroom(id)
        .await?
        .into_iter()
        .find(|p| p.id == post_id)
        .ok_or(WebError::NotFound)?;
    let revisions = state.store.live_post_revisions(post_id).await?;
    let is_editor = staff.user.role.is_editor();
    let running = page.ended_at.is_none();
    let retried = retry.is_some();
    let (form, errors) = retry.unwrap_or_else(|| (PostForm::of(&post), Errors::default()));
    let problems = errors.0.iter().map(|e| e.message.clone()).collect();
    let template = PostTemplate {
        nav: NewsroomNav::new(state, Some(staff)).with_notice(notice),
        csrf: staff.csrf.clone(),
        headline: story.content.headline,
        desk_href: desk_path(id),
        here: post_path(id, post_id),
        is_editor,
        running,
        p: post_views(state, id, vec![post])
            .await?
            .pop()
            .ok_or(WebError::NotFound)?,
        show_edit: is_editor && (running || retried),
        f: form_view(state, form, errors).await?,
        problems,
        in_list: false,
        revisions: revision_views(state, &revisions),
    };
    Ok((status, Html(template.render()?)).into_response())
}

/// `GET /newsroom/stories/{id}/live/posts/{post_id}`
pub async fn post_page(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, post_id)): Path<(i64, i64)>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    post_page_with(
        &state,
        &staff,
        id,
        post_id,
        None,
        StatusCode::OK,
        q.notice.as_deref(),
    )
    .await
}
