//! Signing in by password or by an e-mailed link, and signing out. Neither says whether an address has an account: a wrong password and an unknown address get the same answer in the same time, and a link is "on its way" either way.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use super::links::{self, Confirm, TokenForm, TokenQuery};
use super::register::{check_email, redeem_and_sign_in};
use super::views::{Field, FormView, Page};
use super::{
    end_presented_session, forms, limits, mail, page, respond, retry_after, safe_next, see_other,
    verify_password, FreshSession,
};
use crate::auth;
use crate::domain::reader::{parse_email, TokenPurpose};
use crate::web::edition_mail::EditionMail;
use crate::web::extract::client_address;
use crate::web::reader_session::{session_cookie, SignedInReader};
use crate::web::{AppState, WebError};

/// The one answer to every refused sign-in, so it never says whether an account exists.
const WRONG: &str = "That e-mail address and password do not match an account that can sign in. \
     If you have just registered, follow the link we e-mailed you first.";

#[derive(Deserialize)]
pub struct SignInQuery {
    next: Option<String>,
    done: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct SignInForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

fn sign_in_page(
    state: &AppState,
    reader: Option<&SignedInReader>,
    done: Option<&str>,
    csrf: &str,
    next: &str,
    email: &str,
    (email_error, password_error): (&str, &str),
) -> Page {
    let form = FormView::new("sign-in", "/account/sign-in", csrf, "Sign in")
        .hidden("next", next)
        .field(Field::email("email", "E-mail address", email).with_error(email_error))
        .field(
            Field::password("password", "password", "Password", false).with_error(password_error),
        );
    page(state, reader, done, "Sign in")
        .form(form)
        .link(
            "/account/sign-in-link",
            "E-mail me a link to sign in instead",
        )
        .link("/account/reset", "Forgotten your password?")
        .link("/account/register", "Create an account")
        .link("/newsroom/sign-in", "Newsroom staff sign in here")
}

pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    reader: Option<SignedInReader>,
    Query(query): Query<SignInQuery>,
) -> Result<Response, WebError> {
    let csrf = forms::token(&headers);
    let next = safe_next(query.next.as_deref());
    let page = sign_in_page(
        &state,
        reader.as_ref(),
        query.done.as_deref(),
        &csrf,
        next,
        "",
        ("", ""),
    );
    respond(StatusCode::OK, page, &[forms::cookie(&state, &csrf)])
}

pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    reader: Option<SignedInReader>,
    Form(typed): Form<SignInForm>,
) -> Result<Response, WebError> {
    let csrf = forms::check(&headers, &typed.csrf)?;
    let next = safe_next(typed.next.as_deref()).to_string();
    let again = |status: StatusCode, page: Page| respond(status, page, &[]);
    let form_page = |email_error: &str, password_error: &str| {
        sign_in_page(
            &state,
            reader.as_ref(),
            None,
            &csrf,
            &next,
            &typed.email,
            (email_error, password_error),
        )
    };
    if typed.email.trim().is_empty() || typed.password.is_empty() {
        let email_error = if typed.email.trim().is_empty() {
            "Enter your e-mail address."
        } else {
            ""
        };
        let password_error = if typed.password.is_empty() {
            "Enter your password."
        } else {
            ""
        };
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(email_error, password_error),
        );
    }
    let email = parse_email(&typed.email).unwrap_or_else(|_| typed.email.trim().to_lowercase());
    let address = client_address(&extensions);
    if let Err(wait) = limits::count(&state, limits::Action::SignIn, &address, &email) {
        let page = form_page("", "").problem(limits::message(wait));
        let mut response = again(StatusCode::TOO_MANY_REQUESTS, page)?;
        response.headers_mut().extend([retry_after(wait)]);
        return Ok(response);
    }
    let account = state.store.reader_for_sign_in(&email).await?;
    let (found, hash) = match account {
        Some((found, hash)) => (Some(found), Some(hash)),
        // A missing account costs the same argon2 time as a wrong password.
        None => (None, None),
    };
    let matches = verify_password(typed.password.clone(), hash).await?;
    let Some(found) = found.filter(|r| matches && r.is_verified()) else {
        return again(StatusCode::UNAUTHORIZED, form_page("", "").problem(WRONG));
    };
    end_presented_session(&state, &headers).await?;
    let session = FreshSession::new(&state);
    state
        .store
        .create_reader_session(
            &session.hash,
            found.id,
            &session.csrf,
            state.now(),
            session.expires_at,
        )
        .await?;
    let done = if next == "/account" { "signed-in" } else { "" };
    Ok(see_other(
        &next,
        done,
        &[session_cookie(&state, &session.secret)],
    ))
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

pub async fn sign_out(
    State(state): State<AppState>,
    reader: SignedInReader,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    reader.check_csrf(&form.csrf)?;
    state
        .store
        .delete_reader_session(&reader.session_hash)
        .await?;
    Ok(see_other(
        "/account/sign-in",
        "signed-out",
        &[session_cookie(&state, "")],
    ))
}

#[derive(Deserialize, Default)]
pub struct EmailForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub email: String,
}

/// A page asking for an e-mail address to send a link to (sign-in link, password reset).
pub fn email_page(
    state: &AppState,
    reader: Option<&SignedInReader>,
    csrf: &str,
    (action, title, lead, button): (&'static str, &'static str, &'static str, &'static str),
    email: &str,
    error: &str,
) -> Page {
    let form = FormView::new("request", action, csrf, button)
        .field(Field::email("email", "E-mail address", email).with_error(error));
    page(state, reader, None, title)
        .lead(lead)
        .form(form)
        .link("/account/sign-in", "Sign in with your password")
        .link("/account/register", "Create an account")
}

const LINK_PAGE: (&str, &str, &str, &str) = (
    "/account/sign-in-link",
    "Sign in with an e-mailed link",
    "Give the address of your account and we will e-mail you a link that signs you in without your password.",
    "E-mail me a link",
);

pub async fn link_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    reader: Option<SignedInReader>,
) -> Result<Response, WebError> {
    let csrf = forms::token(&headers);
    let page = email_page(&state, reader.as_ref(), &csrf, LINK_PAGE, "", "");
    respond(StatusCode::OK, page, &[forms::cookie(&state, &csrf)])
}

/// Checks a request for a mailed link and its rate limit: the normalised address to
/// mail, or the answer that refuses the request.
pub fn mail_request(
    state: &AppState,
    reader: Option<&SignedInReader>,
    extensions: &axum::http::Extensions,
    csrf: &str,
    what: (&'static str, &'static str, &'static str, &'static str),
    typed: &EmailForm,
) -> Result<Result<String, Response>, WebError> {
    let email = match parse_email(&typed.email) {
        Ok(email) => email,
        Err(message) => {
            let page = email_page(state, reader, csrf, what, &typed.email, message);
            return respond(StatusCode::UNPROCESSABLE_ENTITY, page, &[]).map(Err);
        }
    };
    let address = client_address(extensions);
    if let Err(wait) = limits::count(state, limits::Action::Mail, &address, &email) {
        let page =
            email_page(state, reader, csrf, what, &typed.email, "").problem(limits::message(wait));
        let mut response = respond(StatusCode::TOO_MANY_REQUESTS, page, &[])?;
        response.headers_mut().extend([retry_after(wait)]);
        return Ok(Err(response));
    }
    Ok(Ok(email))
}

pub async fn link_request(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    reader: Option<SignedInReader>,
    Form(typed): Form<EmailForm>,
) -> Result<Response, WebError> {
    let csrf = forms::check(&headers, &typed.csrf)?;
    let email = match mail_request(
        &state,
        reader.as_ref(),
        &extensions,
        &csrf,
        LINK_PAGE,
        &typed,
    )? {
        Ok(email) => email,
        Err(answer) => return Ok(answer),
    };
    // Looked up after the answer, so its time cannot tell whether the address has an account.
    let (background, to) = (state.clone(), email.clone());
    tokio::spawn(async move {
        send_link(&background, &to, TokenPurpose::SignIn).await;
    });
    check_email(&state, reader.as_ref(), &email)
}

/// Mails a sign-in or reset link to `email` if it has an account, and nothing otherwise.
pub async fn send_link(state: &AppState, email: &str, purpose: TokenPurpose) {
    let found = match state.store.reader_by_email(email).await {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(error = %e, "could not look up a reader to mail a link");
            return;
        }
    };
    let Some(found) = found else { return };
    let secret = auth::random_token();
    let written = state
        .store
        .create_reader_token(
            found.id,
            purpose,
            &auth::token_hash(&secret),
            None,
            state.now(),
        )
        .await;
    if let Err(e) = written {
        tracing::error!(error = %e, "a reader's one-time link was not saved");
        return;
    }
    let words = EditionMail::of_reader(state, found.edition_id);
    let message = match purpose {
        TokenPurpose::Reset => mail::reset(&words, &found.email, &secret),
        _ => mail::sign_in_link(&words, &found.email, &secret),
    };
    mail::send(state, message).await;
}

pub async fn link_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    reader: Option<SignedInReader>,
    Query(query): Query<TokenQuery>,
) -> Result<Response, WebError> {
    let confirm = Confirm {
        purpose: TokenPurpose::SignIn,
        action: "/account/sign-in-link/use",
        title: "Sign in",
        lead: format!("Press the button to sign in to {}.", state.site.name),
        button: "Sign in",
    };
    links::confirm_page(
        &state,
        &headers,
        reader.as_ref(),
        query.token.as_deref(),
        confirm,
    )
    .await
}

pub async fn link_use(
    State(state): State<AppState>,
    headers: HeaderMap,
    reader: Option<SignedInReader>,
    Form(form): Form<TokenForm>,
) -> Result<Response, WebError> {
    forms::check(&headers, &form.csrf)?;
    redeem_and_sign_in(
        &state,
        &headers,
        reader.as_ref(),
        &form.token,
        TokenPurpose::SignIn,
        "signed-in",
    )
    .await
}
