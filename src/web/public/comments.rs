//! A story's comments page, `<article>/comments`: the same page for every anonymous reader (cached under the comments' own surrogate key, so a new comment never drops the article), rendered privately for a signed-in one.

use axum::extract::{Path, Query, State};
use axum::response::Response;

use super::article::{find, Found};
use super::{html, moved_permanently};
use crate::web::comments_page::{self, CommentsQuery, Typed};
use crate::web::edition::PageEdition;
use crate::web::reader_pages::Visitor;
use crate::web::views::ReaderChrome;
use crate::web::{AppState, WebError};

/// `GET /news/{section}/{story}/comments`; 404 while the story takes no comments.
pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    edition: PageEdition,
    Path((section, segment)): Path<(String, String)>,
    Query(query): Query<CommentsQuery>,
) -> Result<Response, WebError> {
    let article = match find(&state, &edition, &section, &segment, "/comments").await? {
        Found::Story(article, _) => article,
        Found::Redirect(to) => return Ok(moved_permanently(&to)),
    };
    let story = &article.story;
    let settings = state.store.comment_settings(story.id).await?;
    if !settings.is_on() {
        return Err(WebError::NotFound);
    }
    let reader = visitor.reader().map(|r| ReaderChrome {
        name: r.display_name.clone(),
        csrf: r.csrf.clone(),
    });
    let (page, keys) =
        comments_page::render(&state, story, &settings, reader, &query, Typed::default()).await?;
    Ok(html(page, &keys))
}
