//! The pages the mailed one-time links open. Opening a link only shows a button: the link is used by the form it posts, because mail scanners and link previews open links too, and must not use them up.

use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use super::views::FormView;
use super::{forms, page, respond};
use crate::auth;
use crate::domain::reader::TokenPurpose;
use crate::web::reader_session::SignedInReader;
use crate::web::{AppState, WebError};

/// A link's query string.
#[derive(Deserialize)]
pub struct TokenQuery {
    pub token: Option<String>,
}

/// The form a link's page posts: its token and the anonymous form token.
#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub token: String,
}

/// A link's secret as it came, if it has the shape of one (so nothing else reaches the database).
pub fn secret(token: Option<&str>) -> Option<&str> {
    token.filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// What a link's confirm page says.
pub struct Confirm {
    pub purpose: TokenPurpose,
    pub action: &'static str,
    pub title: &'static str,
    pub lead: String,
    pub button: &'static str,
}

/// The page a link opens: a button that uses it, or, for a link that no longer works, why.
pub async fn confirm_page(
    state: &AppState,
    headers: &HeaderMap,
    reader: Option<&SignedInReader>,
    token: Option<&str>,
    confirm: Confirm,
) -> Result<Response, WebError> {
    let Some(token) = secret(token) else {
        return invalid(state, reader, confirm.purpose);
    };
    let look = state
        .store
        .reader_token(&auth::token_hash(token), confirm.purpose, state.now())
        .await?;
    if look.is_none() {
        return invalid(state, reader, confirm.purpose);
    }
    let csrf = forms::token(headers);
    let form =
        FormView::new("confirm", confirm.action, &csrf, confirm.button).hidden("token", token);
    let page = page(state, reader, None, confirm.title)
        .lead(confirm.lead)
        .form(form);
    respond(StatusCode::OK, page, &[forms::cookie(state, &csrf)])
}

/// The page for a link that is unknown, used or expired (`410 Gone`), with the ways to a new one.
pub fn invalid(
    state: &AppState,
    reader: Option<&SignedInReader>,
    purpose: TokenPurpose,
) -> Result<Response, WebError> {
    let page = page(state, reader, None, "This link no longer works")
        .lead(format!(
            "Each link we e-mail works once, and this kind only for {}. This one has been used already, \
             has expired, or was not copied in full.",
            purpose.lifetime_words()
        ))
        .lead("You can ask for a new one:")
        .link("/account/sign-in-link", "E-mail me a link to sign in")
        .link("/account/reset", "Choose a new password")
        .link("/account/register", "Create an account");
    respond(StatusCode::GONE, page, &[])
}
