//! Signing in and out, and changing one's password.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use cookie::SameSite;
use serde::Deserialize;

use super::session::{self, safe_next, SIGN_IN_COOKIE};
use super::{see_other, NewsroomNav};
use crate::auth;
use crate::domain::user::parse_email;
use crate::web::extract::{client_address, cookie_value, Staff, SESSION_COOKIE};
use crate::web::{AppState, WebError};

/// Failed sign-ins allowed per account, and per address, within the window.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
pub const FAILURE_WINDOW_SECONDS: i64 = 15 * 60;

/// The one message for every failed sign-in, so it never says whether an account exists.
const WRONG: &str = "That e-mail address and password do not match an account that can sign in.";

#[derive(Template)]
#[template(path = "newsroom/sign_in.html")]
struct SignInTemplate {
    nav: NewsroomNav,
    csrf: String,
    next: String,
    email: String,
    error: String,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    notice: Option<String>,
}

fn sign_in_page(
    state: &AppState,
    csrf: &str,
    next: &str,
    email: &str,
    error: &str,
    notice: Option<&str>,
) -> Result<String, WebError> {
    let page = SignInTemplate {
        nav: NewsroomNav::new(state, None).with_notice(notice),
        csrf: csrf.to_string(),
        next: next.to_string(),
        email: email.to_string(),
        error: error.to_string(),
    };
    Ok(page.render()?)
}

pub async fn sign_in_form(
    State(state): State<AppState>,
    Query(query): Query<NextQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    // The form's CSRF token lives in its own cookie until there is a session to hold it.
    let token = cookie_value(&headers, SIGN_IN_COOKIE)
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_else(auth::random_token);
    let html = sign_in_page(
        &state,
        &token,
        safe_next(query.next.as_deref()),
        "",
        "",
        query.notice.as_deref(),
    )?;
    let cookie = session::set_cookie(
        &state,
        SIGN_IN_COOKIE,
        &token,
        "/newsroom",
        Some(3600),
        SameSite::Strict,
    );
    Ok(([(header::SET_COOKIE, cookie)], Html(html)).into_response())
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    request_extensions: axum::http::Extensions,
    Form(form): Form<SignInForm>,
) -> Result<Response, WebError> {
    let expected = cookie_value(&headers, SIGN_IN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !auth::same_secret(&form.csrf, &expected) {
        return Err(WebError::BadCsrf);
    }
    let now = state.now();
    let next = safe_next(form.next.as_deref()).to_string();
    let email = parse_email(&form.email).unwrap_or_else(|_| form.email.trim().to_lowercase());
    let address = client_address(&request_extensions);
    let refuse = |status: StatusCode, message: &str| -> Result<Response, WebError> {
        let html = sign_in_page(&state, &expected, &next, &form.email, message, None)?;
        Ok((status, Html(html)).into_response())
    };

    let (by_account, by_address) = state
        .store
        .sign_in_failures(&email, &address, now - FAILURE_WINDOW_SECONDS)
        .await?;
    if by_account >= MAX_FAILURES_PER_ACCOUNT || by_address >= MAX_FAILURES_PER_ADDRESS {
        return refuse(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many failed attempts to sign in. Please wait 15 minutes and try again.",
        );
    }
    let account = state.store.user_for_sign_in(&email).await?;
    let user = match account {
        Some((user, hash)) => {
            let matches = auth::verify_password(&form.password, &hash);
            (matches && !user.disabled).then_some(user)
        }
        None => {
            // Same work as a real check, so timing does not reveal a missing account.
            auth::verify_dummy(&form.password);
            None
        }
    };
    let Some(user) = user else {
        state
            .store
            .record_sign_in_failure(&email, &address, now)
            .await?;
        return refuse(StatusCode::UNAUTHORIZED, WRONG);
    };

    state
        .store
        .clear_sign_in_failures(&email, now - FAILURE_WINDOW_SECONDS)
        .await?;
    // A fresh session id at every sign-in: a session id planted before cannot be carried over.
    if let Some(old) = cookie_value(&headers, SESSION_COOKIE) {
        state.store.delete_session(&auth::token_hash(&old)).await?;
    }
    let token = auth::random_token();
    state
        .store
        .create_session(
            &auth::token_hash(&token),
            user.id,
            &auth::random_token(),
            now,
        )
        .await?;
    state
        .store
        .audit(
            &user.email,
            "sign in",
            &format!("user {}", user.email),
            &address,
            now,
        )
        .await?;
    let cookie = session::set_cookie(&state, SESSION_COOKIE, &token, "/", None, SameSite::Lax);
    let clear = session::set_cookie(
        &state,
        SIGN_IN_COOKIE,
        "",
        "/newsroom",
        Some(0),
        SameSite::Strict,
    );
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, next)]).into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    response.headers_mut().append(header::SET_COOKIE, clear);
    Ok(response)
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

pub async fn sign_out(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    staff.check_csrf(&form.csrf)?;
    state.store.delete_session(&staff.session_hash).await?;
    state
        .store
        .audit(
            &staff.user.email,
            "sign out",
            &format!("user {}", staff.user.email),
            "",
            state.now(),
        )
        .await?;
    let clear = session::set_cookie(&state, SESSION_COOKIE, "", "/", Some(0), SameSite::Lax);
    let mut response = see_other("/newsroom/sign-in", "You have signed out.");
    response.headers_mut().append(header::SET_COOKIE, clear);
    Ok(response)
}

#[derive(Template)]
#[template(path = "newsroom/password.html")]
struct PasswordTemplate {
    nav: NewsroomNav,
    csrf: String,
    error: String,
}

pub async fn password_form(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<NextQuery>,
) -> Result<Response, WebError> {
    let page = PasswordTemplate {
        nav: NewsroomNav::new(&state, Some(&staff)).with_notice(query.notice.as_deref()),
        csrf: staff.csrf.clone(),
        error: String::new(),
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&form.csrf)?;
    let hash = state
        .store
        .user_for_sign_in(&staff.user.email)
        .await?
        .map(|(_, h)| h)
        .unwrap_or_default();
    let problem = if !auth::verify_password(&form.current, &hash) {
        Some("Your current password is not right.".to_string())
    } else if form.new != form.confirm {
        Some("The two new passwords are not the same.".to_string())
    } else {
        auth::check_new_password(&form.new)
            .err()
            .map(|e| format!("The new password is not accepted: {e}."))
    };
    if let Some(error) = problem {
        let page = PasswordTemplate {
            nav: NewsroomNav::new(&state, Some(&staff)),
            csrf: staff.csrf.clone(),
            error,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
    }
    let new_hash =
        auth::hash_password(&form.new).map_err(|e| WebError::Internal(anyhow::anyhow!(e)))?;
    // Other sessions of this account end; this one carries on.
    state
        .store
        .set_user_password(staff.user.id, &new_hash, Some(&staff.session_hash))
        .await?;
    state
        .store
        .audit(
            &staff.user.email,
            "change password",
            &format!("user {}", staff.user.email),
            "",
            state.now(),
        )
        .await?;
    Ok(see_other(
        "/newsroom/password",
        "Your password has been changed.",
    ))
}
