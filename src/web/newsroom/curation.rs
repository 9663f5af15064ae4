//! Curation: the order of stories on the front page and section fronts, and the
//! promos (one list; each edition's pages show its own stories in it). Staff
//! limited to some editions see and order only those editions' fronts and promos.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::{edition_access, editorial_refusal, see_other, NewsroomNav, Staff};
use crate::domain::front::Front;
use crate::domain::user::Role;
use crate::store::StorySummary;
use crate::web::{AppState, WebError};

/// How many recent stories are offered for placing.
const CANDIDATES: i64 = 30;

pub struct FrontOption {
    pub key: String,
    pub name: String,
    pub selected: bool,
}

pub struct Placeable {
    pub id: i64,
    pub headline: String,
    pub position: String,
}

#[derive(Template)]
#[template(path = "newsroom/fronts.html")]
struct FrontsTemplate {
    nav: NewsroomNav,
    csrf: String,
    front: String,
    front_name: String,
    fronts: Vec<FrontOption>,
    placed: Vec<Placeable>,
    candidates: Vec<Placeable>,
    /// "Site-wide promos", or the promos of the editions a limited member of staff works in.
    promos_heading: &'static str,
    promos: Vec<Placeable>,
    promo_candidates: Vec<Placeable>,
}

#[derive(Deserialize)]
pub struct FrontQuery {
    front: Option<String>,
    notice: Option<String>,
}

fn placeables(stories: &[StorySummary], numbered: bool) -> Vec<Placeable> {
    stories
        .iter()
        .enumerate()
        .map(|(i, s)| Placeable {
            id: s.id,
            headline: s.headline.clone(),
            position: if numbered {
                (i + 1).to_string()
            } else {
                String::new()
            },
        })
        .collect()
}

/// The front a form or query names by its key; an unknown one is not found.
fn front_named(state: &AppState, key: &str) -> Result<Front, WebError> {
    Front::from_key(key, &state.sections).ok_or(WebError::NotFound)
}

/// The front page shown first: the first edition's that `staff` works in.
fn first_front(state: &AppState, staff: &Staff) -> Front {
    let edition = state
        .editions
        .all()
        .iter()
        .find(|edition| staff.works_in(edition.id))
        .map_or(crate::domain::edition::ROOT_EDITION, |edition| edition.id);
    Front::Home(edition)
}

/// The sections a front gathers stories from (`None`: all of them).
fn front_sections(state: &AppState, front: Front) -> Option<Vec<i64>> {
    match front {
        Front::Home(edition) => Some(state.sections.of_edition(edition).map(|s| s.id).collect()),
        Front::Section(id) => Some(state.sections.subtree_ids(id)),
    }
}

pub async fn fronts(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<FrontQuery>,
) -> Result<Response, WebError> {
    staff.require(Role::Editor)?;
    let front = match q.front.as_deref() {
        Some(key) => front_named(&state, key)?,
        None => first_front(&state, &staff),
    };
    edition_access::require_front(&state, &staff, front)?;
    let sections = front_sections(&state, front);
    let now = state.now();
    let placed = state
        .store
        .published_summaries(&state.store.placements(front, &state.sections).await?, now)
        .await?;
    let latest = state
        .store
        .latest_published(sections.as_deref(), CANDIDATES, now)
        .await?;
    let candidates: Vec<_> = latest
        .into_iter()
        .filter(|s| !placed.iter().any(|p| p.id == s.id))
        .collect();
    let mut promos = state.store.promos(now).await?;
    promos.retain(|s| edition_access::works_in_section(&state, &staff, s.section_id));
    let theirs = edition_access::their_sections(&state, &staff);
    let recent = state
        .store
        .latest_published(theirs.as_deref(), CANDIDATES, now)
        .await?;
    let promo_candidates: Vec<_> = recent
        .into_iter()
        .filter(|s| !promos.iter().any(|p| p.id == s.id))
        .collect();
    let option = |f: Front, name: String| {
        Some(FrontOption {
            key: f.key(&state.sections)?,
            name,
            selected: f == front,
        })
    };
    let fronts: Vec<FrontOption> = state
        .editions
        .all()
        .iter()
        .filter(|edition| staff.works_in(edition.id))
        .flat_map(|edition| {
            let home = if edition.is_root() {
                "Front page".to_string()
            } else {
                format!("{} front page", edition.english_name)
            };
            std::iter::once(option(Front::Home(edition.id), home)).chain(
                state
                    .sections
                    .of_edition(edition.id)
                    .map(|s| option(Front::Section(s.id), format!("{} front", s.name)))
                    .collect::<Vec<_>>(),
            )
        })
        .flatten()
        .collect();
    let page = FrontsTemplate {
        nav: NewsroomNav::new(&state, Some(&staff)).with_notice(q.notice.as_deref()),
        csrf: staff.csrf.clone(),
        front_name: fronts
            .iter()
            .find(|f| f.selected)
            .map(|f| f.name.clone())
            .unwrap_or_default(),
        front: front.key(&state.sections).unwrap_or_default(),
        fronts,
        placed: placeables(&placed, true),
        candidates: placeables(&candidates, false),
        promos_heading: if edition_access::works_everywhere(&state, &staff) {
            "Site-wide promos"
        } else {
            "Promos in your editions"
        },
        promos: placeables(&promos, true),
        promo_candidates: placeables(&promo_candidates, false),
    };
    Ok(Html(page.render()?).into_response())
}

/// Reads `csrf`, `front` and `<prefix><story id>=<position>` fields; returns the ids in position order.
fn read_order(body: &[u8], prefix: &str) -> (String, String, Vec<i64>) {
    let (mut csrf, mut front, mut order) = (String::new(), String::new(), Vec::new());
    for (key, value) in form_urlencoded::parse(body) {
        match key.as_ref() {
            "csrf" => csrf = value.into_owned(),
            "front" => front = value.into_owned(),
            k => {
                if let (Some(id), Ok(position)) = (
                    k.strip_prefix(prefix).and_then(|i| i.parse::<i64>().ok()),
                    value.trim().parse::<i64>(),
                ) {
                    order.push((position, id));
                }
            }
        }
    }
    order.sort();
    let mut ids: Vec<i64> = Vec::new();
    for (_, id) in order {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    (csrf, front, ids)
}

/// Checks the token and role, keeps only public stories (refusing any in an
/// edition `staff` does not work in), and returns their ids in order with the
/// front named by the form.
async fn checked_order(
    state: &AppState,
    staff: &Staff,
    body: &[u8],
    prefix: &str,
) -> Result<(String, Vec<i64>), WebError> {
    let (csrf, front, ids) = read_order(body, prefix);
    staff.check_csrf(&csrf)?;
    staff.require(Role::Editor)?;
    let public = state.store.published_summaries(&ids, state.now()).await?;
    edition_access::require_stories(state, staff, &public)?;
    Ok((front, public.iter().map(|s| s.id).collect()))
}

pub async fn save_front(
    State(state): State<AppState>,
    staff: Staff,
    body: Bytes,
) -> Result<Response, WebError> {
    let (front, ids) = checked_order(&state, &staff, &body, "pos_").await?;
    let front = front_named(&state, &front)?;
    edition_access::require_front(&state, &staff, front)?;
    let stored = front.key(&state.sections).ok_or(WebError::NotFound)?;
    state
        .editorial()
        .curate(staff.actor(), Some(front), &ids, state.now())
        .await
        .map_err(editorial_refusal)?;
    Ok(see_other(
        &format!("/newsroom/fronts?front={stored}"),
        "The front's order is saved.",
    ))
}

pub async fn save_promos(
    State(state): State<AppState>,
    staff: Staff,
    body: Bytes,
) -> Result<Response, WebError> {
    let (_, mut ids) = checked_order(&state, &staff, &body, "promo_").await?;
    let now = state.now();
    // Staff limited to some editions order their editions' promos; the others stay.
    if !staff.editions.is_empty() {
        let others = state.store.promos(now).await?.into_iter();
        ids.extend(
            others
                .filter(|s| !edition_access::works_in_section(&state, &staff, s.section_id))
                .map(|s| s.id),
        );
    }
    state
        .editorial()
        .curate(staff.actor(), None, &ids, now)
        .await
        .map_err(editorial_refusal)?;
    Ok(see_other("/newsroom/fronts", "The promos are saved."))
}

#[cfg(test)]
mod tests {
    use super::read_order;

    #[test]
    fn order_follows_positions_and_ignores_blanks() {
        let (csrf, front, ids) = read_order(
            b"csrf=t&front=home&pos_7=2&pos_3=1&pos_9=&pos_x=1&pos_5=3",
            "pos_",
        );
        assert_eq!((csrf.as_str(), front.as_str()), ("t", "home"));
        assert_eq!(ids, [3, 7, 5]);
    }
}
