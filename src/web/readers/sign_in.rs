//! Signing in by password or by an e-mailed link, and signing out. Neither says whether an address has an account: a wrong password and an unknown address get the same answer in the same time, and a link is "on its way" either way.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use super::edition::AccountEdition;
use super::links::{self, Confirm, TokenForm, TokenQuery};
use super::register::{check_email, redeem_and_sign_in};
use super::views::{Field, FormView, Page};
use super::{
    end_presented_session, forms, limits, mail, page, problems, respond, retry_after, safe_next,
    see_other, verify_password, FreshSession,
};
use crate::auth;
use crate::domain::reader::{parse_email, TokenPurpose};
use crate::web::edition_mail::EditionMail;
use crate::web::extract::client_address;
use crate::web::reader_session::{session_cookie, SignedInReader};
use crate::web::{AppState, WebError};

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
    here: &AccountEdition,
    reader: Option<&SignedInReader>,
    done: Option<&str>,
    csrf: &str,
    next: &str,
    email: &str,
    (email_error, password_error): (&str, &str),
) -> Page {
    let form = FormView::new(
        "sign-in",
        here.path("/sign-in"),
        csrf,
        here.t("account-sign-in-button"),
    )
    .hidden("next", next)
    .field(Field::email("email", here.t("account-email-label"), email).with_error(email_error))
    .field(
        Field::password(
            here,
            ("password", "password"),
            here.t("account-password-label"),
            false,
        )
        .with_error(password_error),
    );
    page(here, reader, done, here.t("account-sign-in-title"))
        .form(form)
        .link(here.path("/sign-in-link"), here.t("account-link-instead"))
        .link(here.path("/reset"), here.t("account-forgotten-password"))
        .link(here.path("/register"), here.t("account-create-account"))
        .link("/newsroom/sign-in", here.t("account-staff-sign-in"))
}

pub async fn form(
    State(state): State<AppState>,
    here: AccountEdition,
    headers: HeaderMap,
    reader: Option<SignedInReader>,
    Query(query): Query<SignInQuery>,
) -> Result<Response, WebError> {
    let csrf = forms::token(&headers);
    let next = safe_next(query.next.as_deref(), here.prefix());
    let page = sign_in_page(
        &here,
        reader.as_ref(),
        query.done.as_deref(),
        &csrf,
        &next,
        "",
        ("", ""),
    );
    respond(StatusCode::OK, page, &[forms::cookie(&state, &here, &csrf)])
}

pub async fn submit(
    State(state): State<AppState>,
    here: AccountEdition,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    reader: Option<SignedInReader>,
    Form(typed): Form<SignInForm>,
) -> Result<Response, WebError> {
    let csrf = forms::check(&headers, &typed.csrf)?;
    let next = safe_next(typed.next.as_deref(), here.prefix());
    let again = |status: StatusCode, page: Page| respond(status, page, &[]);
    let form_page = |email_error: &str, password_error: &str| {
        sign_in_page(
            &here,
            reader.as_ref(),
            None,
            &csrf,
            &next,
            &typed.email,
            (email_error, password_error),
        )
    };
    if typed.email.trim().is_empty() || typed.password.is_empty() {
        let missing = |empty: bool, id: &str| if empty { here.t(id) } else { String::new() };
        let email_error = missing(
            typed.email.trim().is_empty(),
            "account-problem-email-missing",
        );
        let password_error = missing(
            typed.password.is_empty(),
            "account-problem-password-missing",
        );
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(&email_error, &password_error),
        );
    }
    let email = parse_email(&typed.email).unwrap_or_else(|_| typed.email.trim().to_lowercase());
    let address = client_address(&extensions);
    if let Err(wait) = limits::count(&state, limits::Action::SignIn, &address, &email) {
        let page = form_page("", "").problem(problems::too_many(&here, wait));
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
        // The one answer to every refused sign-in, so it never says whether an account exists.
        let wrong = here.t("account-problem-wrong-sign-in");
        return again(StatusCode::UNAUTHORIZED, form_page("", "").problem(wrong));
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
    let done = if next == here.path("") {
        "signed-in"
    } else {
        ""
    };
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
    here: AccountEdition,
    reader: SignedInReader,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    reader.check_csrf(&form.csrf)?;
    state
        .store
        .delete_reader_session(&reader.session_hash)
        .await?;
    Ok(see_other(
        &here.path("/sign-in"),
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
pub struct EmailPage {
    /// Where the form posts, under `/account`.
    pub action: &'static str,
    pub title: &'static str,
    pub lead: &'static str,
    pub button: &'static str,
}

pub fn email_page(
    here: &AccountEdition,
    reader: Option<&SignedInReader>,
    csrf: &str,
    what: &EmailPage,
    email: &str,
    error: &str,
) -> Page {
    let form = FormView::new("request", here.path(what.action), csrf, here.t(what.button))
        .field(Field::email("email", here.t("account-email-label"), email).with_error(error));
    page(here, reader, None, here.t(what.title))
        .lead(here.t(what.lead))
        .form(form)
        .link(
            here.path("/sign-in"),
            here.t("account-sign-in-with-password"),
        )
        .link(here.path("/register"), here.t("account-create-account"))
}

const LINK_PAGE: EmailPage = EmailPage {
    action: "/sign-in-link",
    title: "account-link-title",
    lead: "account-link-lead",
    button: "account-link-button",
};

pub async fn link_form(
    State(state): State<AppState>,
    here: AccountEdition,
    headers: HeaderMap,
    reader: Option<SignedInReader>,
) -> Result<Response, WebError> {
    let csrf = forms::token(&headers);
    let page = email_page(&here, reader.as_ref(), &csrf, &LINK_PAGE, "", "");
    respond(StatusCode::OK, page, &[forms::cookie(&state, &here, &csrf)])
}

/// Checks a request for a mailed link and its rate limit: the normalised address to
/// mail, or the answer that refuses the request.
pub fn mail_request(
    state: &AppState,
    here: &AccountEdition,
    reader: Option<&SignedInReader>,
    extensions: &axum::http::Extensions,
    csrf: &str,
    what: &EmailPage,
    typed: &EmailForm,
) -> Result<Result<String, Response>, WebError> {
    let Ok(email) = parse_email(&typed.email) else {
        let problem = problems::email(here);
        let page = email_page(here, reader, csrf, what, &typed.email, &problem);
        return respond(StatusCode::UNPROCESSABLE_ENTITY, page, &[]).map(Err);
    };
    let address = client_address(extensions);
    if let Err(wait) = limits::count(state, limits::Action::Mail, &address, &email) {
        let page = email_page(here, reader, csrf, what, &typed.email, "")
            .problem(problems::too_many(here, wait));
        let mut response = respond(StatusCode::TOO_MANY_REQUESTS, page, &[])?;
        response.headers_mut().extend([retry_after(wait)]);
        return Ok(Err(response));
    }
    Ok(Ok(email))
}

pub async fn link_request(
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
        &LINK_PAGE,
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
    check_email(&here, reader.as_ref(), &email)
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
    here: AccountEdition,
    headers: HeaderMap,
    reader: Option<SignedInReader>,
    Query(query): Query<TokenQuery>,
) -> Result<Response, WebError> {
    let confirm = Confirm {
        purpose: TokenPurpose::SignIn,
        action: "/sign-in-link/use",
        title: here.t("account-sign-in-title"),
        lead: here.t("account-link-use-lead"),
        button: here.t("account-sign-in-button"),
    };
    links::confirm_page(
        &state,
        &here,
        &headers,
        reader.as_ref(),
        query.token.as_deref(),
        confirm,
    )
    .await
}

pub async fn link_use(
    State(state): State<AppState>,
    here: AccountEdition,
    headers: HeaderMap,
    reader: Option<SignedInReader>,
    Form(form): Form<TokenForm>,
) -> Result<Response, WebError> {
    forms::check(&headers, &form.csrf)?;
    redeem_and_sign_in(
        &state,
        &here,
        &headers,
        reader.as_ref(),
        &form.token,
        TokenPurpose::SignIn,
        "signed-in",
    )
    .await
}
