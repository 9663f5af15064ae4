//! The pages the mailed one-time links open. Opening a link only shows a button: the link is used by the form it posts, because mail scanners and link previews open links too, and must not use them up.

use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use super::edition::AccountEdition;
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

/// What a link's confirm page says: where it posts (under `/account`) and its text.
pub struct Confirm {
    pub purpose: TokenPurpose,
    pub action: &'static str,
    pub title: String,
    pub lead: String,
    pub button: String,
}

/// The page a link opens: a button that uses it, or, for a link that no longer works, why.
pub async fn confirm_page(
    state: &AppState,
    here: &AccountEdition,
    headers: &HeaderMap,
    reader: Option<&SignedInReader>,
    token: Option<&str>,
    confirm: Confirm,
) -> Result<Response, WebError> {
    let Some(token) = secret(token) else {
        return invalid(here, reader, confirm.purpose);
    };
    let look = state
        .store
        .reader_token(&auth::token_hash(token), confirm.purpose, state.now())
        .await?;
    if look.is_none() {
        return invalid(here, reader, confirm.purpose);
    }
    let csrf = forms::token(headers);
    let form = FormView::new("confirm", here.path(confirm.action), &csrf, confirm.button)
        .hidden("token", token);
    let page = page(here, reader, None, confirm.title)
        .lead(confirm.lead)
        .form(form);
    respond(StatusCode::OK, page, &[forms::cookie(state, here, &csrf)])
}

/// The page for a link that is unknown, used or expired (`410 Gone`), with the ways to a new one.
pub fn invalid(
    here: &AccountEdition,
    reader: Option<&SignedInReader>,
    purpose: TokenPurpose,
) -> Result<Response, WebError> {
    let lifetime = here.t(match purpose {
        TokenPurpose::Verify => "account-lifetime-verify",
        TokenPurpose::SignIn => "account-lifetime-sign-in",
        TokenPurpose::Reset => "account-lifetime-reset",
        TokenPurpose::ChangeEmail => "account-lifetime-change-email",
    });
    let page = page(here, reader, None, here.t("account-link-gone-title"))
        .lead(here.t1("account-link-gone-lead", "lifetime", lifetime))
        .lead(here.t("account-link-gone-ask"))
        .link(
            here.path("/sign-in-link"),
            here.t("account-link-gone-sign-in"),
        )
        .link(here.path("/reset"), here.t("account-reset-title"))
        .link(here.path("/register"), here.t("account-create-account"));
    respond(StatusCode::GONE, page, &[])
}
