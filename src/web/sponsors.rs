//! The sponsor slot's own addresses, outside the page cache: a campaign's
//! picture (`/sponsor/{id}/picture`, whose every fetch counts an impression),
//! the redirect a click goes through (`/sponsor/{id}/go`, counted while the
//! campaign shows somewhere public, then 303 to the campaign's stored
//! destination, never to anything a request names), and
//! `/ads.txt` from the configuration. No cookie is read or set, nothing about
//! the reader is kept: a count is a number per campaign and day.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::sponsor_book::{count_day, PICTURE_WIDTH};
use super::{AppState, WebError};
use crate::domain::sponsor::{Campaign, Placement};
use crate::store::SponsorEvent;

/// Every fetch reaches Dateline: neither browsers nor shared caches keep these answers.
const UNCACHED: &str = "no-store";
/// `/ads.txt` changes only with the configuration.
const ADS_TXT_CACHE: &str = "public, max-age=3600";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sponsor/{id}/picture", get(picture))
        .route("/sponsor/{id}/go", get(go))
        .route("/ads.txt", get(ads_txt))
}

fn campaign_id(id: &str) -> Result<i64, WebError> {
    id.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(WebError::NotFound)
}

/// Whether `campaign`, running, shows anywhere the public can see: single
/// stories must include one that is public and not switched off.
async fn shows_somewhere(state: &AppState, campaign: &Campaign) -> Result<bool, WebError> {
    let Placement::Stories(ids) = &campaign.placement else {
        return Ok(true);
    };
    let open: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|id| !state.sponsors.slot_off(*id))
        .collect();
    Ok(!state
        .store
        .published_summaries(&open, state.now())
        .await?
        .is_empty())
}

/// `GET /sponsor/{id}/picture`: the picture of a running campaign that shows
/// somewhere public (otherwise 404, like a picture that does not exist), each
/// fetch counted as one impression.
async fn picture(
    State(state): State<AppState>,
    method: Method,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = campaign_id(&id)?;
    let now = state.now();
    let campaign = state.sponsors.running(id, now).ok_or(WebError::NotFound)?;
    if !shows_somewhere(&state, &campaign).await? {
        return Err(WebError::NotFound);
    }
    let rendition = state
        .pictures
        .rendition(&state.store, campaign.image_id, PICTURE_WIDTH)
        .await?
        .ok_or(WebError::NotFound)?;
    if method == Method::GET {
        state
            .store
            .count_sponsor_event(id, &count_day(&state, now), SponsorEvent::Impression)
            .await?;
    }
    let content_type = HeaderValue::from_str(&rendition.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, HeaderValue::from_static(UNCACHED)),
        ],
        rendition.data,
    )
        .into_response())
}

/// `GET /sponsor/{id}/go`: a click. A running campaign's is counted when it
/// shows somewhere public, as its impressions are; one that has ended, or whose
/// stories are no longer public, still leads to its sponsor (a page kept from
/// before) but is not counted; an unknown campaign is 404.
async fn go(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = campaign_id(&id)?;
    let now = state.now();
    let link = match state.sponsors.running(id, now) {
        Some(campaign) => {
            if shows_somewhere(&state, &campaign).await? {
                state
                    .store
                    .count_sponsor_event(id, &count_day(&state, now), SponsorEvent::Click)
                    .await?;
            }
            campaign.link
        }
        None => {
            state
                .store
                .sponsor_campaign(id)
                .await?
                .filter(|r| r.campaign.starts_at <= now)
                .ok_or(WebError::NotFound)?
                .campaign
                .link
        }
    };
    // Stored only after `domain::sponsor::check_destination`, which leaves it ASCII.
    let location = HeaderValue::from_str(&link)
        .map_err(|_| WebError::Internal(anyhow::anyhow!("campaign {id} has an unusable link")))?;
    Ok((
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, location),
            (header::CACHE_CONTROL, HeaderValue::from_static(UNCACHED)),
        ],
    )
        .into_response())
}

/// `GET /ads.txt`: as configured, or 404 when it is not.
async fn ads_txt(State(state): State<AppState>) -> Result<Response, WebError> {
    let text = state.site.ads_txt.clone().ok_or(WebError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, ADS_TXT_CACHE),
        ],
        text,
    )
        .into_response())
}
