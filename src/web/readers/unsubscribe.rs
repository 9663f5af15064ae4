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
        return not_working(&state, reader.as_ref());
    };
    let form = FormView::new(
        "unsubscribe",
        paths::DAILY_UNSUBSCRIBE.to_string(),
        "",
        "Stop the daily e-mail".to_string(),
    )
    .hidden("token", secret)
    .hidden("List-Unsubscribe", "One-Click");
    let page = page(&AccountEdition::root(&state), reader.as_ref(), None, "Stop the daily e-mail?")
        .lead("Press the button to stop the daily e-mail of the stories you follow. You can start it again from your account at any time.")
        .form(form);
    respond(StatusCode::OK, page, &[])
}

/// RFC 8058's one-click POST, or the page's button: stops the e-mail. The secret
/// comes in the address (`?token=`) or in an urlencoded body; any other body (a
/// mail program's multipart `List-Unsubscribe=One-Click`) is not needed.
async fn unsubscribe(
    State(state): State<AppState>,
    reader: Option<SignedInReader>,
    Query(query): Query<TokenQuery>,
    body: Bytes,
) -> Result<Response, WebError> {
    let from_body = form_urlencoded::parse(&body)
        .find(|(name, _)| name == "token")
        .map(|(_, value)| value.into_owned());
    let token = query.token.or(from_body);
    let Some(secret) = links::secret(token.as_deref()) else {
        return not_working(&state, reader.as_ref());
    };
    if !state
        .store
        .unsubscribe_daily(&auth::token_hash(secret), state.now())
        .await?
    {
        return not_working(&state, reader.as_ref());
    }
    let here = AccountEdition::root(&state);
    let page = page(&here, reader.as_ref(), None, "You will get no more daily e-mails")
        .lead("The daily e-mail is stopped. To start it again, choose an hour under What you follow in your account.")
        .link(paths::FOLLOWING, "What you follow".to_string());
    respond(StatusCode::OK, page, &[])
}

fn not_working(state: &AppState, reader: Option<&SignedInReader>) -> Result<Response, WebError> {
    let page = page(&AccountEdition::root(state), reader, None, "This link does not work")
        .lead("This unsubscribe link is not one we sent, or it is too old. To stop the daily e-mail, sign in and choose \u{201c}No daily e-mail\u{201d} under What you follow.")
        .link(paths::FOLLOWING, "What you follow".to_string());
    respond(StatusCode::GONE, page, &[])
}
