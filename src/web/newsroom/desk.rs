//! The desk at `/newsroom`, where staff land after signing in: for editors what
//! awaits review, what publishes or comes out of embargo within a day, what was
//! published lately and what others have open; for reporters their drafts, what
//! was sent back to them and their published stories. `/newsroom/desk/lists`
//! answers the lists alone, from the same partial, for the page's script to
//! refresh

use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::{NewsroomNav, Staff};
use crate::domain::timefmt;
use crate::store::{DeskRow, DESK_LIST_LENGTH};
use crate::web::{AppState, WebError};

/// How far ahead "soon" looks: schedules and embargoes ending within a day.
const HORIZON_SECONDS: i64 = 24 * 60 * 60;

/// One story on a desk list.
pub struct DeskItem {
    pub href: String,
    pub headline: String,
    pub section: String,
    /// "Reporter: Ana Reporter", or empty for a story nobody owns.
    pub owner: String,
    /// The list's time in words: "Submitted 14:02 GMT, …", "Open by … since …".
    pub when: String,
    /// The newest review note (sent back), or empty.
    pub note: String,
}

/// One of the desk's lists.
pub struct DeskList {
    /// For the heading's id: `desk-<key>`.
    pub key: &'static str,
    pub title: &'static str,
    /// What the list says when it is empty.
    pub empty: &'static str,
    pub items: Vec<DeskItem>,
    /// The full list's tab, where there is one.
    pub more_href: &'static str,
    pub more_label: &'static str,
}

/// Everything inside `<div id="desk-lists">`.
pub struct DeskLists {
    pub lists: Vec<DeskList>,
}

#[derive(Template)]
#[template(path = "newsroom/desk.html")]
struct DeskTemplate {
    nav: NewsroomNav,
    is_editor: bool,
    d: DeskLists,
}

/// The lists alone: the same partial the page includes, so the two never differ.
#[derive(Template)]
#[template(source = "{% include \"newsroom/_desk_lists.html\" %}", ext = "html")]
struct DeskListsTemplate {
    d: DeskLists,
}

#[derive(Deserialize)]
pub struct DeskQuery {
    notice: Option<String>,
}

/// `GET /newsroom`: the desk.
pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<DeskQuery>,
) -> Result<Response, WebError> {
    let page = DeskTemplate {
        nav: NewsroomNav::new(&state, Some(&staff)).with_notice(query.notice.as_deref()),
        is_editor: staff.user.role.is_editor(),
        d: lists_for(&state, &staff).await?,
    };
    Ok(Html(page.render()?).into_response())
}

/// `GET /newsroom/desk/lists`: the desk's lists as an HTML fragment.
pub async fn lists(State(state): State<AppState>, staff: Staff) -> Result<Response, WebError> {
    let fragment = DeskListsTemplate {
        d: lists_for(&state, &staff).await?,
    };
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        fragment.render()?,
    )
        .into_response())
}

/// Builds the lists `staff` sees: an editor's desk or a reporter's.
async fn lists_for(state: &AppState, staff: &Staff) -> Result<DeskLists, WebError> {
    let store = &state.store;
    let now = state.now();
    let n = DESK_LIST_LENGTH;
    let me = staff.user.id;
    let view = |rows: Vec<DeskRow>, when: &dyn Fn(&DeskRow, String) -> String| {
        rows.into_iter()
            .map(|r| item(state, r, when))
            .collect::<Vec<_>>()
    };
    let mut lists = if staff.user.role.is_editor() {
        vec![
            DeskList {
                key: "review",
                title: "Awaiting review",
                empty: "Nothing awaiting review.",
                items: view(store.desk_awaiting_review(me, n).await?, &|_, t| {
                    format!("Submitted {t}")
                }),
                more_href: "/newsroom/stories?show=review",
                more_label: "All stories awaiting review",
            },
            DeskList {
                key: "scheduled",
                title: "Scheduled in the next 24 hours",
                empty: "Nothing scheduled in the next 24 hours.",
                items: view(
                    store
                        .desk_scheduled_until(me, now + HORIZON_SECONDS, n)
                        .await?,
                    &|_, t| format!("Publishes {t}"),
                ),
                more_href: "/newsroom/stories?show=scheduled",
                more_label: "All scheduled stories",
            },
            DeskList {
                key: "embargoes",
                title: "Embargoes ending soon",
                empty: "No embargo ends in the next 24 hours.",
                items: view(
                    store
                        .desk_embargoes_ending(me, now, now + HORIZON_SECONDS, n)
                        .await?,
                    &|_, t| format!("Embargoed until {t}"),
                ),
                more_href: "",
                more_label: "",
            },
            DeskList {
                key: "published",
                title: "Recently published",
                empty: "Nothing published yet.",
                items: view(
                    store.desk_recently_published(me, None, n).await?,
                    &|_, t| format!("Last updated {t}"),
                ),
                more_href: "/newsroom/stories?show=published",
                more_label: "All published stories",
            },
            DeskList {
                key: "open",
                title: "Open by someone else",
                empty: "Nobody else has a story open.",
                items: view(store.desk_open_elsewhere(me, now, n).await?, &|r, t| {
                    format!("Open by {} since {t}", r.who.as_deref().unwrap_or(""))
                }),
                more_href: "",
                more_label: "",
            },
        ]
    } else {
        vec![
            DeskList {
                key: "drafts",
                title: "Your drafts",
                empty: "You have no drafts.",
                items: view(store.desk_drafts_of(me, n).await?, &|_, t| {
                    format!("Last changed {t}")
                }),
                more_href: "/newsroom/stories?show=mine",
                more_label: "All your drafts",
            },
            DeskList {
                key: "sent-back",
                title: "Sent back with comments",
                empty: "Nothing has been sent back to you.",
                items: view(store.desk_sent_back_to(me, n).await?, &|r, t| {
                    format!("Sent back by {}, {t}", r.who.as_deref().unwrap_or(""))
                }),
                more_href: "",
                more_label: "",
            },
            DeskList {
                key: "published",
                title: "Your recently published stories",
                empty: "None of your stories has been published yet.",
                items: view(
                    store.desk_recently_published(me, Some(me), n).await?,
                    &|_, t| format!("Last updated {t}"),
                ),
                more_href: "",
                more_label: "",
            },
        ]
    };
    if !staff.user.role.is_editor() {
        // Every story on a reporter's desk is their own: no need to name them.
        for item in lists.iter_mut().flat_map(|l| l.items.iter_mut()) {
            item.owner.clear();
        }
    }
    Ok(DeskLists { lists })
}

/// One row as the desk shows it; `when` writes the list's time (given in the newsroom's style).
fn item(state: &AppState, row: DeskRow, when: &dyn Fn(&DeskRow, String) -> String) -> DeskItem {
    let time = timefmt::long_stamp(timefmt::from_unix(row.at), &state.site.time_zone);
    DeskItem {
        href: format!("/newsroom/stories/{}", row.id),
        when: when(&row, time),
        headline: if row.headline.trim().is_empty() {
            "(no headline yet)".to_string()
        } else {
            row.headline
        },
        section: state
            .sections
            .by_id(row.section_id)
            .map(|s| s.name.clone())
            .unwrap_or_default(),
        owner: row
            .owner_name
            .map(|name| format!("Reporter: {name}"))
            .unwrap_or_default(),
        note: row.note.unwrap_or_default(),
    }
}
