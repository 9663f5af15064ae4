//! The newsroom's story list at `/newsroom/stories`: filters by workflow stage and a headline search.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::{NewsroomNav, Staff};
use crate::domain::story::Status;
use crate::domain::timefmt;
use crate::domain::workflow::Stage;
use crate::store::ListFilter;
use crate::web::{AppState, WebError};

pub struct Row {
    pub href: String,
    pub headline: String,
    pub section: String,
    pub stage: String,
    pub owner: String,
    pub changed: String,
    pub embargoed: bool,
    /// "LIVE" for a running live page, "Live page ended" for an archived one, '' otherwise.
    pub live: &'static str,
}

pub struct Tab {
    pub key: &'static str,
    pub label: &'static str,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "newsroom/list.html")]
struct ListTemplate {
    nav: NewsroomNav,
    tabs: Vec<Tab>,
    show: String,
    q: String,
    rows: Vec<Row>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    show: Option<String>,
    q: Option<String>,
    notice: Option<String>,
}

const TABS: [(&str, &str); 7] = [
    ("mine", "My drafts"),
    ("review", "Awaiting review"),
    ("scheduled", "Scheduled"),
    ("published", "Published"),
    ("killed", "Killed"),
    ("nopicture", "Imported without picture"),
    ("all", "All"),
];

pub async fn stories(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<ListQuery>,
) -> Result<Response, WebError> {
    let show = query
        .show
        .as_deref()
        .filter(|s| TABS.iter().any(|(k, _)| k == s))
        .unwrap_or("mine");
    let filter = match show {
        "review" => ListFilter::AwaitingReview,
        "scheduled" => ListFilter::Scheduled,
        "published" => ListFilter::Published,
        "killed" => ListFilter::Killed,
        "nopicture" => ListFilter::ImportedWithoutPicture,
        "all" => ListFilter::All,
        _ => ListFilter::MyDrafts(staff.user.id),
    };
    let q: String = query.q.unwrap_or_default().chars().take(200).collect();
    let now = state.now();
    let tz = &state.site.time_zone;
    let rows = state
        .store
        .newsroom_stories_for(staff.user.id, filter, q.trim(), 200)
        .await?
        .into_iter()
        .map(|r| {
            let status = Status::parse(&r.status).unwrap_or(Status::Draft);
            Row {
                href: format!("/newsroom/stories/{}", r.id),
                headline: r.headline,
                section: state
                    .sections
                    .by_id(r.section_id)
                    .map(|s| s.name.clone())
                    .unwrap_or_default(),
                stage: Stage::of(status, r.submitted_at, r.scheduled_for)
                    .label()
                    .to_string(),
                owner: r.owner_name.unwrap_or_default(),
                changed: timefmt::long_stamp(timefmt::from_unix(r.modified_at), tz),
                embargoed: r.embargo_until.is_some_and(|e| e > now),
                live: match (r.live_started_at, r.live_ended_at) {
                    (None, _) => "",
                    (Some(_), None) => "LIVE",
                    (Some(_), Some(_)) => "Live page ended",
                },
            }
        })
        .collect();
    let page = ListTemplate {
        nav: NewsroomNav::new(&state, Some(&staff)).with_notice(query.notice.as_deref()),
        tabs: TABS
            .iter()
            .map(|(key, label)| Tab {
                key,
                label,
                current: *key == show,
            })
            .collect(),
        show: show.to_string(),
        q,
        rows,
    };
    Ok(Html(page.render()?).into_response())
}
