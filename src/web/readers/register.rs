//! Registering and verifying the address. A registration answers the same whether or not the address already has an account ("check your e-mail"); the owner of an existing account is mailed a note instead of a verification link.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use super::edition::AccountEdition;
use super::links::{self, Confirm, TokenForm, TokenQuery};
use super::views::{Field, FormView, Page};
use super::{
    end_presented_session, forms, hash_password, limits, mail, page, problems, respond,
    retry_after, see_other, FreshSession,
};
use crate::auth;
use crate::domain::reader::{parse_display_name, parse_email, TokenPurpose};
use crate::store::{NewReader, Registration};
use crate::web::edition::PageEdition;
use crate::web::edition_mail::EditionMail;
use crate::web::extract::client_address;
use crate::web::reader_session::{session_cookie, SignedInReader};
use crate::web::{AppState, WebError};

#[derive(Deserialize, Default)]
pub struct RegisterForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
}

/// Problems with a registration, by field.
#[derive(Default)]
struct Problems {
    email: String,
    name: String,
    password: String,
}

fn register_page(
    here: &AccountEdition,
    reader: Option<&SignedInReader>,
    csrf: &str,
    typed: &RegisterForm,
    problems: &Problems,
) -> Page {
    let form = FormView::new(
        "register",
        here.path("/register"),
        csrf,
        here.t("account-register-button"),
    )
    .field(
        Field::email("email", here.t("account-email-label"), &typed.email)
            .with_error(&problems.email),
    )
    .field(Field::display_name(here, &typed.display_name).with_error(&problems.name))
    .field(
        Field::password(
            here,
            ("password", "password"),
            here.t("account-password-label"),
            true,
        )
        .with_error(&problems.password),
    );
    page(here, reader, None, here.t("account-register-title"))
        .lead(here.t("account-register-lead"))
        .form(form)
        .link(here.path("/sign-in"), here.t("account-have-account"))
}

pub async fn form(
    State(state): State<AppState>,
    here: AccountEdition,
    headers: HeaderMap,
    reader: Option<SignedInReader>,
) -> Result<Response, WebError> {
    let csrf = forms::token(&headers);
    let page = register_page(
        &here,
        reader.as_ref(),
        &csrf,
        &RegisterForm::default(),
        &Problems::default(),
    );
    respond(StatusCode::OK, page, &[forms::cookie(&state, &here, &csrf)])
}

pub async fn submit(
    State(state): State<AppState>,
    here: AccountEdition,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    edition: PageEdition,
    reader: Option<SignedInReader>,
    Form(typed): Form<RegisterForm>,
) -> Result<Response, WebError> {
    let csrf = forms::check(&headers, &typed.csrf)?;
    let email = parse_email(&typed.email);
    let name = parse_display_name(&typed.display_name);
    let password = auth::new_password_problem(&typed.password);
    let (Ok(email), Ok(name), None) = (&email, &name, password) else {
        let problems = Problems {
            email: email
                .as_ref()
                .err()
                .map(|_| problems::email(&here))
                .unwrap_or_default(),
            name: name
                .as_ref()
                .err()
                .map(|e| problems::name(&here, *e))
                .unwrap_or_default(),
            password: password
                .map(|e| problems::password(&here, e))
                .unwrap_or_default(),
        };
        let page = register_page(&here, reader.as_ref(), &csrf, &typed, &problems);
        return respond(StatusCode::UNPROCESSABLE_ENTITY, page, &[]);
    };
    let address = client_address(&extensions);
    if let Err(wait) = limits::count(&state, limits::Action::Mail, &address, email) {
        let page = register_page(&here, reader.as_ref(), &csrf, &typed, &Problems::default())
            .problem(problems::too_many(&here, wait));
        let mut response = respond(StatusCode::TOO_MANY_REQUESTS, page, &[])?;
        response.headers_mut().extend([retry_after(wait)]);
        return Ok(response);
    }
    // The same work whatever the address: the hash is made before anything looks the
    // address up, and the rest (one transaction and one mail) runs after the answer.
    let hash = hash_password(typed.password.clone()).await?;
    let (background, email_owned, name_owned) = (state.clone(), email.clone(), name.clone());
    tokio::spawn(async move {
        complete(&background, &edition, &email_owned, &name_owned, &hash).await;
    });
    check_email(&here, reader.as_ref(), email)
}

/// Writes the registration and mails its link: a verification link for a new or
/// never-verified account, in the language of the page registered on (which
/// becomes the account's), a note with a sign-in link for a verified one, in the
/// language of the account's edition.
async fn complete(
    state: &AppState,
    edition: &PageEdition,
    email: &str,
    name: &str,
    password_hash: &str,
) {
    let secret = auth::random_token();
    let new = NewReader {
        email,
        display_name: name,
        password_hash,
        edition_id: edition.id,
    };
    let message = match state
        .store
        .register_reader(&new, &auth::token_hash(&secret), state.now())
        .await
    {
        Ok(Registration::Created { .. } | Registration::Renewed { .. }) => {
            mail::verify(&EditionMail::new(state, edition), email, &secret)
        }
        Ok(Registration::Existing { edition_id, .. }) => {
            mail::already_registered(&EditionMail::of_reader(state, edition_id), email, &secret)
        }
        Err(e) => {
            tracing::error!(error = %e, "a reader's registration was not saved");
            return;
        }
    };
    mail::send(state, message).await;
}

/// The one answer to every request that mails a link, whether or not the address has an account.
pub fn check_email(
    here: &AccountEdition,
    reader: Option<&SignedInReader>,
    email: &str,
) -> Result<Response, WebError> {
    let page = page(here, reader, None, here.t("account-check-email-title"))
        .lead(here.t1("account-check-email-lead", "email", email))
        .lead(here.t("account-check-email-spam"))
        .link(here.home(), here.t("account-go-home"));
    respond(StatusCode::OK, page, &[])
}

pub async fn confirm_page(
    State(state): State<AppState>,
    here: AccountEdition,
    headers: HeaderMap,
    reader: Option<SignedInReader>,
    Query(query): Query<TokenQuery>,
) -> Result<Response, WebError> {
    let confirm = Confirm {
        purpose: TokenPurpose::Verify,
        action: "/verify",
        title: here.t("account-verify-title"),
        lead: here.t("account-verify-lead"),
        button: here.t("account-verify-button"),
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

/// Uses a verification link: the address is verified and the reader signed in.
pub async fn verify(
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
        TokenPurpose::Verify,
        "verified",
    )
    .await
}

/// Uses a link that signs the reader in (verification or sign-in link), then goes to
/// the account page of the edition the link's page was in.
pub async fn redeem_and_sign_in(
    state: &AppState,
    here: &AccountEdition,
    headers: &HeaderMap,
    reader: Option<&SignedInReader>,
    token: &str,
    purpose: TokenPurpose,
    done: &str,
) -> Result<Response, WebError> {
    let Some(token) = links::secret(Some(token)) else {
        return links::invalid(here, reader, purpose);
    };
    let session = FreshSession::new(state);
    let redeemed = state
        .store
        .redeem_reader_token(
            &auth::token_hash(token),
            purpose,
            None,
            Some(&session.record()),
            state.now(),
        )
        .await?;
    if redeemed.is_none() {
        return links::invalid(here, reader, purpose);
    }
    end_presented_session(state, headers).await?;
    Ok(see_other(
        &here.path(""),
        done,
        &[session_cookie(state, &session.secret)],
    ))
}
