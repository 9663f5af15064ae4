//! Stopping the daily e-mail from the link in it, `/account/daily/unsubscribe?token=…`: a POST stops it at once (RFC 8058's one click, which mail programs send as `List-Unsubscribe=One-Click`); a GET only shows a button, because mail scanners open links too.
//!
//! The link's secret is the only authority, so these routes take no session and
//! no CSRF token, and a POST from another site is accepted: that is what RFC 8058
//! asks, and without the secret it changes nothing.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

use super::edition::AccountEdition;
use super::links::{self, TokenQuery};
use super::views::FormView;
use super::{page, respond};
use crate::auth;
use crate::web::reader_session::SignedInReader;
use crate::web::{paths, AppState, WebError};

/// The unsubscribe routes, private and never passing their address on.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            paths::DAILY_UNSUBSCRIBE,
            get(confirm_page).post(unsubscribe),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
}

async fn confirm_page(
    State(state): State<AppState>,
    here: AccountEdition,
    reader: Option<SignedInReader>,
    Query(query): Query<TokenQuery>,
) -> Result<Response, WebError> {
    let now = state.now();
    let works = match links::secret(query.token.as_deref()) {
        Some(secret) => {
            state
                .store
                .unsubscribe_link_works(&auth::token_hash(secret), now)
                .await?
        }
        None => false,
    };
    let Some(secret) = query.token.as_deref().filter(|_| works) else {
        return not_working(&here, reader.as_ref());
    };
    let form = FormView::new(
        "unsubscribe",
        here.path("/daily/unsubscribe"),
        "",
        here.t("account-unsubscribe-button"),
    )
    .hidden("token", secret)
    .hidden("List-Unsubscribe", "One-Click");
    let page = page(
        &here,
        reader.as_ref(),
        None,
        here.t("account-unsubscribe-title"),
    )
    .lead(here.t("account-unsubscribe-lead"))
    .form(form);
    respond(StatusCode::OK, page, &[])
}

/// RFC 8058's one-click POST, or the page's button: stops the e-mail. The secret
/// comes in the address (`?token=`) or in an urlencoded body; any other body (a
/// mail program's multipart `List-Unsubscribe=One-Click`) is not needed.
async fn unsubscribe(
    State(state): State<AppState>,
    here: AccountEdition,
    reader: Option<SignedInReader>,
    Query(query): Query<TokenQuery>,
    body: Bytes,
) -> Result<Response, WebError> {
    let from_body = form_urlencoded::parse(&body)
        .find(|(name, _)| name == "token")
        .map(|(_, value)| value.into_owned());
    let token = query.token.or(from_body);
    let Some(secret) = links::secret(token.as_deref()) else {
        return not_working(&here, reader.as_ref());
    };
    if !state
        .store
        .unsubscribe_daily(&auth::token_hash(secret), state.now())
        .await?
    {
        return not_working(&here, reader.as_ref());
    }
    let page = page(
        &here,
        reader.as_ref(),
        None,
        here.t("account-unsubscribe-done-title"),
    )
    .lead(here.t("account-unsubscribe-done-lead"))
    .link(here.path("/following"), here.t("account-following-title"));
    respond(StatusCode::OK, page, &[])
}

fn not_working(
    here: &AccountEdition,
    reader: Option<&SignedInReader>,
) -> Result<Response, WebError> {
    let page = page(
        here,
        reader,
        None,
        here.t("account-unsubscribe-broken-title"),
    )
    .lead(here.t("account-unsubscribe-broken-lead"))
    .link(here.path("/following"), here.t("account-following-title"));
    respond(StatusCode::GONE, page, &[])
}
