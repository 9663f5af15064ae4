//! The account page, `/account`: the reader's name, e-mail address (changed only once the new one is confirmed by a link, and the old one told), password, data download, deleting the account, and signing out.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use super::edition::AccountEdition;
use super::links::{self, Confirm, TokenForm, TokenQuery};
use super::views::{problems_of, Field, FormView, Problem, SettingsPage};
use super::{
    bar, forms, hash_password, limits, mail, notice, problems, respond, respond_settings,
    retry_after, see_other, verify_password,
};
use crate::auth;
use crate::domain::reader::{parse_display_name, parse_email, TokenPurpose};
use crate::domain::timefmt;
use crate::store::StoreError;
use crate::web::edition_mail::EditionMail;
use crate::web::extract::client_address;
use crate::web::reader_session::{session_cookie, SignedInReader};
use crate::web::{AppState, WebError};
use std::sync::Arc;

/// What a refused settings form shows again: errors by field, and what was typed.
#[derive(Default)]
struct Errors {
    general: String,
    name: String,
    typed_name: Option<String>,
    new_email: String,
    typed_email: String,
    email_password: String,
    current: String,
    new_password: String,
    confirm: String,
    delete_password: String,
    delete_confirm: String,
    /// The e-mail language form named no edition.
    email_language: bool,
}

fn settings_page(
    here: &AccountEdition,
    reader: &SignedInReader,
    done: Option<&str>,
    e: &Errors,
) -> SettingsPage {
    let r = &reader.reader;
    let csrf = &reader.csrf;
    let name = e.typed_name.as_deref().unwrap_or(&r.display_name);
    let form =
        |id, action: &str, button| FormView::new(id, here.path(action), csrf, here.t(button));
    let password = |id, name, label| Field::password(here, (id, name), here.t(label), false);
    let new_password = |id, name, label| Field::password(here, (id, name), here.t(label), true);
    let forms = vec![
        form("name", "/name", "account-settings-save-name")
            .heading(here.t("account-settings-your-name"))
            .field(Field::display_name(here, name).with_error(&e.name)),
        form("email", "/email", "account-settings-change-email")
            .heading(here.t("account-settings-your-email"))
            .intro(here.t1("account-settings-email-intro", "email", &r.email))
            .field(
                Field::email(
                    "new-email",
                    here.t("account-new-email-label"),
                    &e.typed_email,
                )
                .with_error(&e.new_email),
            )
            .field(
                password("email-password", "password", "account-your-password-label")
                    .with_error(&e.email_password),
            ),
        form("password", "/password", "account-settings-change-password")
            .heading(here.t("account-settings-your-password"))
            .intro(here.t("account-settings-password-intro"))
            .field(
                password(
                    "current-password",
                    "current",
                    "account-current-password-label",
                )
                .with_error(&e.current),
            )
            .field(
                new_password("new-password", "new", "account-new-password-label")
                    .with_error(&e.new_password),
            )
            .field(
                new_password(
                    "confirm-password",
                    "confirm",
                    "account-new-password-again-label",
                )
                .with_error(&e.confirm),
            ),
    ];
    let closing = vec![
        form("delete", "/delete", "account-settings-delete-button")
            .heading(here.t("account-settings-delete-heading"))
            .intro(here.t("account-settings-delete-intro"))
            .field(
                password("delete-password", "password", "account-your-password-label")
                    .with_error(&e.delete_password),
            )
            .field(
                Field::checkbox(
                    "delete-confirm",
                    "confirm",
                    here.t("account-settings-delete-confirm"),
                )
                .with_error(&e.delete_confirm),
            )
            .danger(),
        form("sign-out", "/sign-out", "account-settings-sign-out")
            .heading(here.t("account-settings-sign-out")),
    ];
    let mut problems: Vec<Problem> = forms.iter().chain(&closing).flat_map(problems_of).collect();
    if !e.general.is_empty() {
        problems.insert(
            0,
            Problem {
                href: String::new(),
                text: e.general.clone(),
            },
        );
    }
    let since = timefmt::edition_short_date(timefmt::from_unix(r.created_at), &here.chrome.edition);
    SettingsPage {
        chrome: Arc::clone(&here.chrome),
        bar: bar(here, Some(reader), notice(done)),
        title: here.t("account-settings-title"),
        lead: vec![
            here.t2(
                "account-settings-signed-in-as",
                "name",
                &r.display_name,
                "email",
                &r.email,
            ),
            here.t1("account-settings-created-on", "date", since),
        ],
        problems,
        forms,
        closing,
        email_language: Default::default(),
    }
    .with_email_language(&here.editions, reader, done, e.email_language)
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn page(
    here: AccountEdition,
    reader: SignedInReader,
    Query(query): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let page = settings_page(&here, &reader, query.done.as_deref(), &Errors::default());
    respond_settings(StatusCode::OK, page)
}

/// The account page again with `errors`, answered with `status`.
fn again(
    here: &AccountEdition,
    reader: &SignedInReader,
    errors: Errors,
) -> Result<Response, WebError> {
    respond_settings(
        StatusCode::UNPROCESSABLE_ENTITY,
        settings_page(here, reader, None, &errors),
    )
}

/// The account page again after the e-mail language form named no edition.
pub(super) fn refused_email_language(
    here: &AccountEdition,
    reader: &SignedInReader,
) -> Result<Response, WebError> {
    let errors = Errors {
        email_language: true,
        ..Errors::default()
    };
    again(here, reader, errors)
}

/// Counts an attempt that checks the reader's password; the refusal when over the limit.
fn over_limit(
    state: &AppState,
    here: &AccountEdition,
    reader: &SignedInReader,
    address: &str,
) -> Option<Result<Response, WebError>> {
    let account = format!("reader:{}", reader.reader.id);
    let wait = limits::count(state, limits::Action::Account, address, &account).err()?;
    let errors = Errors {
        general: problems::too_many(here, wait),
        ..Errors::default()
    };
    let page = settings_page(here, reader, None, &errors);
    Some(
        respond_settings(StatusCode::TOO_MANY_REQUESTS, page).map(|mut r| {
            r.headers_mut().extend([retry_after(wait)]);
            r
        }),
    )
}

/// Whether `password` is the reader's.
async fn password_matches(
    state: &AppState,
    reader: &SignedInReader,
    password: &str,
) -> Result<bool, WebError> {
    let hash = state.store.reader_password_hash(reader.reader.id).await?;
    verify_password(password.to_string(), hash).await
}

#[derive(Deserialize)]
pub struct NameForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    display_name: String,
}

pub async fn change_name(
    State(state): State<AppState>,
    here: AccountEdition,
    reader: SignedInReader,
    Form(typed): Form<NameForm>,
) -> Result<Response, WebError> {
    reader.check_csrf(&typed.csrf)?;
    match parse_display_name(&typed.display_name) {
        Ok(name) => {
            state
                .store
                .set_reader_display_name(reader.reader.id, &name)
                .await?;
            Ok(see_other(&here.path(""), "name", &[]))
        }
        Err(problem) => again(
            &here,
            &reader,
            Errors {
                name: problems::name(&here, problem),
                typed_name: Some(typed.display_name),
                ..Errors::default()
            },
        ),
    }
}

#[derive(Deserialize)]
pub struct EmailChangeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn change_email(
    State(state): State<AppState>,
    here: AccountEdition,
    reader: SignedInReader,
    extensions: axum::http::Extensions,
    Form(typed): Form<EmailChangeForm>,
) -> Result<Response, WebError> {
    reader.check_csrf(&typed.csrf)?;
    let address = client_address(&extensions);
    let refuse = |new_email: String, email_password: String| Errors {
        new_email,
        email_password,
        typed_email: typed.email.clone(),
        ..Errors::default()
    };
    let new_email = match parse_email(&typed.email) {
        Ok(email) if email == reader.reader.email => {
            let same = here.t("account-problem-same-email");
            return again(&here, &reader, refuse(same, String::new()));
        }
        Ok(email) => email,
        Err(_) => {
            return again(
                &here,
                &reader,
                refuse(problems::email(&here), String::new()),
            )
        }
    };
    if let Some(refused) = over_limit(&state, &here, &reader, &address) {
        return refused;
    }
    if let Err(wait) = limits::count(&state, limits::Action::Mail, &address, &new_email) {
        let errors = Errors {
            general: problems::too_many(&here, wait),
            typed_email: typed.email.clone(),
            ..Errors::default()
        };
        let mut response = respond_settings(
            StatusCode::TOO_MANY_REQUESTS,
            settings_page(&here, &reader, None, &errors),
        )?;
        response.headers_mut().extend([retry_after(wait)]);
        return Ok(response);
    }
    if !password_matches(&state, &reader, &typed.password).await? {
        let wrong = here.t("account-problem-not-your-password");
        return again(&here, &reader, refuse(String::new(), wrong));
    }
    // Whether another account has the new address is not said here: only its owner
    // learns it, on following the link.
    let secret = auth::random_token();
    state
        .store
        .create_reader_token(
            reader.reader.id,
            TokenPurpose::ChangeEmail,
            &auth::token_hash(&secret),
            Some(&new_email),
            state.now(),
        )
        .await?;
    let words = EditionMail::of_reader(&state, reader.reader.edition_id);
    mail::send(&state, mail::change_email(&words, &new_email, &secret)).await;
    Ok(see_other(&here.path(""), "email-sent", &[]))
}

pub async fn email_confirm_page(
    State(state): State<AppState>,
    here: AccountEdition,
    headers: HeaderMap,
    reader: Option<SignedInReader>,
    Query(query): Query<TokenQuery>,
) -> Result<Response, WebError> {
    let confirm = Confirm {
        purpose: TokenPurpose::ChangeEmail,
        action: "/email/confirm",
        title: here.t("account-email-confirm-title"),
        lead: here.t("account-email-confirm-lead"),
        button: here.t("account-email-confirm-button"),
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

pub async fn email_confirm(
    State(state): State<AppState>,
    here: AccountEdition,
    headers: HeaderMap,
    reader: Option<SignedInReader>,
    Form(form): Form<TokenForm>,
) -> Result<Response, WebError> {
    forms::check(&headers, &form.csrf)?;
    let Some(token) = links::secret(Some(&form.token)) else {
        return links::invalid(&here, reader.as_ref(), TokenPurpose::ChangeEmail);
    };
    let redeemed = state
        .store
        .redeem_reader_token(
            &auth::token_hash(token),
            TokenPurpose::ChangeEmail,
            None,
            None,
            state.now(),
        )
        .await;
    let redeemed = match redeemed {
        Ok(Some(redeemed)) => redeemed,
        Ok(None) => return links::invalid(&here, reader.as_ref(), TokenPurpose::ChangeEmail),
        Err(StoreError::Duplicate(_)) => {
            let title = here.t("account-email-taken-title");
            let page = super::page(&here, reader.as_ref(), None, title)
                .lead(here.t("account-email-taken-lead"))
                .link(here.path(""), here.t("account-reader-your-account"));
            return respond(StatusCode::CONFLICT, page, &[]);
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(old) = &redeemed.old_email {
        let words = EditionMail::of_reader(&state, redeemed.reader.edition_id);
        mail::send(
            &state,
            mail::email_changed(&words, old, &redeemed.reader.email),
        )
        .await;
    }
    let next = if reader.is_some() {
        here.path("")
    } else {
        here.path("/sign-in")
    };
    Ok(see_other(&next, "email-changed", &[]))
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
    here: AccountEdition,
    reader: SignedInReader,
    extensions: axum::http::Extensions,
    Form(typed): Form<PasswordForm>,
) -> Result<Response, WebError> {
    reader.check_csrf(&typed.csrf)?;
    if let Some(refused) = over_limit(&state, &here, &reader, &client_address(&extensions)) {
        return refused;
    }
    let errors = if !password_matches(&state, &reader, &typed.current).await? {
        Errors {
            current: here.t("account-problem-not-your-current-password"),
            ..Errors::default()
        }
    } else if let Some(e) = auth::new_password_problem(&typed.new) {
        Errors {
            new_password: problems::password(&here, e),
            ..Errors::default()
        }
    } else if typed.new != typed.confirm {
        Errors {
            confirm: here.t("account-problem-new-passwords-differ"),
            ..Errors::default()
        }
    } else {
        let hash = hash_password(typed.new).await?;
        state
            .store
            .set_reader_password(reader.reader.id, &hash, &reader.session_hash, state.now())
            .await?;
        return Ok(see_other(&here.path(""), "password", &[]));
    };
    again(&here, &reader, errors)
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

pub async fn delete(
    State(state): State<AppState>,
    here: AccountEdition,
    reader: SignedInReader,
    extensions: axum::http::Extensions,
    Form(typed): Form<DeleteForm>,
) -> Result<Response, WebError> {
    reader.check_csrf(&typed.csrf)?;
    if let Some(refused) = over_limit(&state, &here, &reader, &client_address(&extensions)) {
        return refused;
    }
    if typed.confirm != "yes" {
        return again(
            &here,
            &reader,
            Errors {
                delete_confirm: here.t("account-problem-delete-tick"),
                ..Errors::default()
            },
        );
    }
    if !password_matches(&state, &reader, &typed.password).await? {
        return again(
            &here,
            &reader,
            Errors {
                delete_password: here.t("account-problem-not-your-password"),
                ..Errors::default()
            },
        );
    }
    state.store.delete_reader(reader.reader.id).await?;
    Ok(see_other(
        &here.path("/sign-in"),
        "deleted",
        &[session_cookie(&state, "")],
    ))
}
