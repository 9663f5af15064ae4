//! A story's revision history in the newsroom: every save, and a word-level diff between any two.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::{NewsroomNav, Staff};
use crate::domain::diff;
use crate::domain::timefmt;
use crate::domain::workflow::{self, Action, Stage};
use crate::web::views::DiffView;
use crate::web::{AppState, WebError};

pub struct RevisionLine {
    pub number: i64,
    pub action: String,
    pub author: String,
    pub time: String,
    pub published: bool,
}

#[derive(Template)]
#[template(path = "newsroom/history.html")]
struct HistoryTemplate {
    nav: NewsroomNav,
    id: i64,
    headline: String,
    lines: Vec<RevisionLine>,
    from: i64,
    to: i64,
    changes: Vec<DiffView>,
}

#[derive(Deserialize)]
pub struct Compare {
    from: Option<i64>,
    to: Option<i64>,
}

pub async fn revisions(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<Compare>,
) -> Result<Response, WebError> {
    let story = state.store.story(id).await?.ok_or(WebError::NotFound)?;
    let own = story.owner_id == Some(staff.user.id);
    workflow::check(staff.user.role, own, Stage::of_story(&story), Action::View)
        .map_err(|_| WebError::Forbidden)?;
    let revisions = state.store.revisions(id).await?;
    let newest = revisions.last().map_or(1, |r| r.number);
    let to = q.to.unwrap_or(newest);
    let from = q.from.unwrap_or((to - 1).max(1));
    let pick = |n: i64| revisions.iter().find(|r| r.number == n);
    let changes = match (pick(from), pick(to)) {
        (Some(a), Some(b)) => {
            let (a, b) = (&a.content, &b.content);
            vec![
                DiffView::new("Headline", &diff::words(&a.headline, &b.headline)),
                DiffView::new(
                    "Promo headline",
                    &diff::words(&a.promo_headline, &b.promo_headline),
                ),
                DiffView::new("Summary", &diff::words(&a.summary, &b.summary)),
                DiffView::new("Byline", &diff::words(&a.byline, &b.byline)),
                DiffView::new("Address", &diff::words(&a.slug, &b.slug)),
                DiffView::new("Body", &diff::words(&a.body, &b.body)),
            ]
        }
        _ => Vec::new(),
    };
    let tz = &state.site.time_zone;
    let page = HistoryTemplate {
        nav: NewsroomNav::new(&state, Some(&staff)),
        id,
        headline: story.content.headline.clone(),
        lines: revisions
            .iter()
            .rev()
            .map(|r| RevisionLine {
                number: r.number,
                action: r.action.clone(),
                author: r.author.clone(),
                time: timefmt::long_stamp(timefmt::from_unix(r.at), tz),
                published: r.published,
            })
            .collect(),
        from,
        to,
        changes,
    };
    Ok(Html(page.render()?).into_response())
}
