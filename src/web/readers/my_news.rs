//! "My news": the latest public stories from what the reader follows, as a private page (`/account/my-news`) and as a private Atom feed at an address only its secret finds.
//!
//! Both are answered by the readers' router, `private, no-store` and never
//! through the page cache, so no reader's list or token can reach a shared
//! cache; and both list only public stories (`Store::followed_stories`).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

use super::edition::AccountEdition;
use super::following::describe;
use super::views::AccountBar;
use super::{bar, links, respond};
use crate::auth;
use crate::domain::follow::MY_NEWS_STORIES;
use crate::store::{FeedRow, StorySummary};
use crate::web::atom::{self, FeedHead};
use crate::web::reader_session::SignedInReader;
use crate::web::views::{Chrome, StoryItem};
use crate::web::{paths, AppState, WebError};

#[derive(Template)]
#[template(path = "account/my_news.html")]
pub struct MyNewsPage {
    pub chrome: Arc<Chrome>,
    pub bar: AccountBar,
    pub title: String,
    /// The names of what is followed ("World, “climate talks”"), joined in the page's language.
    pub following: String,
    pub items: Vec<StoryItem>,
}

pub async fn page(
    State(state): State<AppState>,
    here: AccountEdition,
    reader: SignedInReader,
) -> Result<Response, WebError> {
    let following = state.store.following(reader.reader.id).await?;
    let stories = state
        .store
        .followed_stories(
            &state.sections,
            &following,
            None,
            MY_NEWS_STORIES,
            state.now(),
        )
        .await?;
    let page = MyNewsPage {
        chrome: Arc::clone(&here.chrome),
        bar: bar(&here, Some(&reader), None),
        title: here.t("account-my-news-title"),
        following: describe(&state, &following).join(&here.t("account-list-separator")),
        items: StoryItem::list(&state, &stories, false),
    };
    respond(StatusCode::OK, page, &[])
}

/// `/account/my-news/{secret}.atom`: the reader's My news as Atom. An unknown,
/// renewed or revoked address answers 404, like any address that does not exist.
pub async fn feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let secret = file
        .strip_suffix(".atom")
        .and_then(|s| links::secret(Some(s)))
        .ok_or(WebError::NotFound)?;
    let reader_id = state
        .store
        .reader_by_feed_token(&auth::token_hash(secret))
        .await?
        .ok_or(WebError::NotFound)?;
    let following = state.store.following(reader_id).await?;
    let now = state.now();
    let stories = state
        .store
        .followed_stories(&state.sections, &following, None, MY_NEWS_STORIES, now)
        .await?;
    let rows: Vec<FeedRow> = stories.into_iter().map(feed_row).collect();
    let head = FeedHead {
        title: format!("{} - My news", state.site.name),
        self_link: format!("{}{}", state.site.base_url, paths::my_news_feed(secret)),
        page: format!("{}{}", state.site.base_url, paths::MY_NEWS),
    };
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        atom::feed(&state, &head, &rows),
    )
        .into_response())
}

fn feed_row(s: StorySummary) -> FeedRow {
    FeedRow {
        id: s.id,
        slug: s.slug,
        section_id: s.section_id,
        headline: s.headline,
        summary: s.summary,
        byline: s.byline,
        first_published_at: s.first_published_at,
        last_updated_at: s.last_updated_at,
    }
}
