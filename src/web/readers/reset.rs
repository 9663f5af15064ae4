//! Resetting a forgotten password by an e-mailed link. Asking answers the same whether or not the address has an account; a new password ends every session and every other link, and signs the reader in afresh.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use super::edition::AccountEdition;
use super::links::{self, TokenQuery};
use super::register::check_email;
use super::sign_in::{email_page, mail_request, send_link, EmailForm, EmailPage};
use super::views::{Field, FormView, Page};
use super::{
    end_presented_session, forms, hash_password, page, problems, respond, see_other, FreshSession,
};
use crate::auth;
use crate::domain::reader::TokenPurpose;
use crate::web::reader_session::{session_cookie, SignedInReader};
use crate::web::{AppState, WebError};

const RESET_PAGE: EmailPage = EmailPage {
    action: "/reset",
    title: "account-reset-title",
    lead: "account-reset-lead",
    button: "account-link-button",
};

pub async fn form(
    State(state): State<AppState>,
    here: AccountEdition,
    headers: HeaderMap,
    reader: Option<SignedInReader>,
) -> Result<Response, WebError> {
    let csrf = forms::token(&headers);
    let page = email_page(&here, reader.as_ref(), &csrf, &RESET_PAGE, "", "");
    respond(StatusCode::OK, page, &[forms::cookie(&state, &here, &csrf)])
}

pub async fn request(
    State(state): State<AppState>,
    here: AccountEdition,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    reader: Option<SignedInReader>,
    Form(typed): Form<EmailForm>,
) -> Result<Response, WebError> {
    let csrf = forms::check(&headers, &typed.csrf)?;
    let email = match mail_request(
        &state,
        &here,
        reader.as_ref(),
        &extensions,
        &csrf,
        &RESET_PAGE,
        &typed,
    )? {
        Ok(email) => email,
        Err(answer) => return Ok(answer),
    };
    let (background, to) = (state.clone(), email.clone());
    tokio::spawn(async move {
        send_link(&background, &to, TokenPurpose::Reset).await;
    });
    check_email(&here, reader.as_ref(), &email)
}

fn new_password_page(
    here: &AccountEdition,
    reader: Option<&SignedInReader>,
    csrf: &str,
    token: &str,
    (password_error, confirm_error): (&str, &str),
) -> Page {
    let password = |id, label| Field::password(here, (id, id), here.t(label), true);
    let form = FormView::new(
        "new-password",
        here.path("/reset/new"),
        csrf,
        here.t("account-new-password-button"),
    )
    .hidden("token", token)
    .field(password("password", "account-new-password-label").with_error(password_error))
    .field(password("confirm", "account-new-password-again-label").with_error(confirm_error));
    page(here, reader, None, here.t("account-reset-title"))
        .lead(here.t("account-new-password-lead"))
        .form(form)
}

pub async fn new_form(
    State(state): State<AppState>,
    here: AccountEdition,
    headers: HeaderMap,
    reader: Option<SignedInReader>,
    Query(query): Query<TokenQuery>,
) -> Result<Response, WebError> {
    let Some(token) = links::secret(query.token.as_deref()) else {
        return links::invalid(&here, reader.as_ref(), TokenPurpose::Reset);
    };
    let valid = state
        .store
        .reader_token(&auth::token_hash(token), TokenPurpose::Reset, state.now())
        .await?;
    if valid.is_none() {
        return links::invalid(&here, reader.as_ref(), TokenPurpose::Reset);
    }
    let csrf = forms::token(&headers);
    let page = new_password_page(&here, reader.as_ref(), &csrf, token, ("", ""));
    respond(StatusCode::OK, page, &[forms::cookie(&state, &here, &csrf)])
}

#[derive(Deserialize)]
pub struct NewPasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

pub async fn set_new(
    State(state): State<AppState>,
    here: AccountEdition,
    headers: HeaderMap,
    reader: Option<SignedInReader>,
    Form(typed): Form<NewPasswordForm>,
) -> Result<Response, WebError> {
    let csrf = forms::check(&headers, &typed.csrf)?;
    let Some(token) = links::secret(Some(&typed.token)) else {
        return links::invalid(&here, reader.as_ref(), TokenPurpose::Reset);
    };
    let hash = auth::token_hash(token);
    // A password that is refused does not use up the link.
    let problem = match auth::new_password_problem(&typed.password) {
        Some(e) => Some((problems::password(&here, e), String::new())),
        None if typed.password != typed.confirm => {
            Some((String::new(), here.t("account-problem-passwords-differ")))
        }
        None => None,
    };
    if let Some((password_error, confirm_error)) = problem {
        let valid = state
            .store
            .reader_token(&hash, TokenPurpose::Reset, state.now())
            .await?;
        if valid.is_none() {
            return links::invalid(&here, reader.as_ref(), TokenPurpose::Reset);
        }
        let page = new_password_page(
            &here,
            reader.as_ref(),
            &csrf,
            token,
            (&password_error, &confirm_error),
        );
        return respond(StatusCode::UNPROCESSABLE_ENTITY, page, &[]);
    }
    let password_hash = hash_password(typed.password).await?;
    let session = FreshSession::new(&state);
    let redeemed = state
        .store
        .redeem_reader_token(
            &hash,
            TokenPurpose::Reset,
            Some(&password_hash),
            Some(&session.record()),
            state.now(),
        )
        .await?;
    if redeemed.is_none() {
        return links::invalid(&here, reader.as_ref(), TokenPurpose::Reset);
    }
    // A reset ended every session of the account; this ends the browser's own, whoever's it was.
    end_presented_session(&state, &headers).await?;
    Ok(see_other(
        &here.path(""),
        "reset",
        &[session_cookie(&state, &session.secret)],
    ))
}
