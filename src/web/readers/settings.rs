//! The account page, `/account`: the reader's name, e-mail address (changed only once the new one is confirmed by a link, and the old one told), password, data download, deleting the account, and signing out.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use super::links::{self, Confirm, TokenForm, TokenQuery};
use super::views::{problems_of, Field, FormView, Problem, SettingsPage};
use super::{
    bar, forms, hash_password, limits, mail, respond, respond_settings, retry_after, see_other,
    verify_password,
};
use crate::auth;
use crate::domain::reader::{parse_display_name, parse_email, TokenPurpose};
use crate::domain::timefmt;
use crate::store::StoreError;
use crate::web::edition_mail::EditionMail;
use crate::web::extract::client_address;
use crate::web::reader_session::{session_cookie, SignedInReader};
use crate::web::views::Chrome;
use crate::web::{AppState, WebError};

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
    state: &AppState,
    reader: &SignedInReader,
    done: Option<&str>,
    e: &Errors,
) -> SettingsPage {
    let r = &reader.reader;
    let csrf = &reader.csrf;
    let name = e.typed_name.as_deref().unwrap_or(&r.display_name);
    let forms = vec![
        FormView::new("name", "/account/name", csrf, "Save name")
            .heading("Your name")
            .field(Field::display_name(name).with_error(&e.name)),
        FormView::new("email", "/account/email", csrf, "Change e-mail address")
            .heading("Your e-mail address")
            .intro(format!("Your address is {}. We will e-mail a link to the new address, and your address changes when you follow it.", r.email))
            .field(Field::email("new-email", "New e-mail address", &e.typed_email).with_error(&e.new_email))
            .field(Field::password("email-password", "password", "Your password", false).with_error(&e.email_password)),
        FormView::new("password", "/account/password", csrf, "Change password")
            .heading("Your password")
            .intro("Changing it signs you out anywhere else you are signed in.")
            .field(Field::password("current-password", "current", "Current password", false).with_error(&e.current))
            .field(Field::password("new-password", "new", "New password", true).with_error(&e.new_password))
            .field(Field::password("confirm-password", "confirm", "New password again", true).with_error(&e.confirm)),
    ];
    let closing = vec![
        FormView::new("delete", "/account/delete", csrf, "Delete my account")
            .heading("Delete your account")
            .intro("This deletes your account and everything in it at once, for good. Download your data first if you want to keep it.")
            .field(Field::password("delete-password", "password", "Your password", false).with_error(&e.delete_password))
            .field(Field::checkbox("delete-confirm", "confirm", "I understand that my account will be deleted for good").with_error(&e.delete_confirm))
            .danger(),
        FormView::new("sign-out", "/account/sign-out", csrf, "Sign out").heading("Sign out"),
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
    let since = timefmt::short_date(timefmt::from_unix(r.created_at), &state.site.time_zone);
    SettingsPage {
        chrome: Chrome::root(state),
        bar: bar(Some(reader), done),
        title: "Your account".into(),
        lead: vec![
            format!(
                "You are signed in as {}, with the e-mail address {}.",
                r.display_name, r.email
            ),
            format!("Your account was created on {since}."),
        ],
        problems,
        forms,
        closing,
        email_language: Default::default(),
    }
    .with_email_language(state, reader, done, e.email_language)
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    reader: SignedInReader,
    Query(query): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let page = settings_page(&state, &reader, query.done.as_deref(), &Errors::default());
    respond_settings(StatusCode::OK, page)
}

/// The account page again with `errors`, answered with `status`.
fn again(state: &AppState, reader: &SignedInReader, errors: Errors) -> Result<Response, WebError> {
    respond_settings(
        StatusCode::UNPROCESSABLE_ENTITY,
        settings_page(state, reader, None, &errors),
    )
}

/// The account page again after the e-mail language form named no edition.
pub(super) fn refused_email_language(
    state: &AppState,
    reader: &SignedInReader,
) -> Result<Response, WebError> {
    let errors = Errors {
        email_language: true,
        ..Errors::default()
    };
    again(state, reader, errors)
}

/// Counts an attempt that checks the reader's password; the refusal when over the limit.
fn over_limit(
    state: &AppState,
    reader: &SignedInReader,
    address: &str,
) -> Option<Result<Response, WebError>> {
    let account = format!("reader:{}", reader.reader.id);
    let wait = limits::count(state, limits::Action::Account, address, &account).err()?;
    let errors = Errors {
        general: limits::message(wait),
        ..Errors::default()
    };
    let page = settings_page(state, reader, None, &errors);
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
            Ok(see_other("/account", "name", &[]))
        }
        Err(message) => again(
            &state,
            &reader,
            Errors {
                name: message.into(),
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
    reader: SignedInReader,
    extensions: axum::http::Extensions,
    Form(typed): Form<EmailChangeForm>,
) -> Result<Response, WebError> {
    reader.check_csrf(&typed.csrf)?;
    let address = client_address(&extensions);
    let refuse = |new_email: &str, email_password: &str| Errors {
        new_email: new_email.into(),
        email_password: email_password.into(),
        typed_email: typed.email.clone(),
        ..Errors::default()
    };
    let new_email = match parse_email(&typed.email) {
        Ok(email) if email == reader.reader.email => {
            return again(&state, &reader, refuse("That is already your address.", ""))
        }
        Ok(email) => email,
        Err(message) => return again(&state, &reader, refuse(message, "")),
    };
    if let Some(refused) = over_limit(&state, &reader, &address) {
        return refused;
    }
    if let Err(wait) = limits::count(&state, limits::Action::Mail, &address, &new_email) {
        let errors = Errors {
            general: limits::message(wait),
            typed_email: typed.email.clone(),
            ..Errors::default()
        };
        let mut response = respond_settings(
            StatusCode::TOO_MANY_REQUESTS,
            settings_page(&state, &reader, None, &errors),
        )?;
        response.headers_mut().extend([retry_after(wait)]);
        return Ok(response);
    }
    if !password_matches(&state, &reader, &typed.password).await? {
        return again(&state, &reader, refuse("", "That is not your password."));
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
    Ok(see_other("/account", "email-sent", &[]))
}

pub async fn email_confirm_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    reader: Option<SignedInReader>,
    Query(query): Query<TokenQuery>,
) -> Result<Response, WebError> {
    let confirm = Confirm {
        purpose: TokenPurpose::ChangeEmail,
        action: "/account/email/confirm",
        title: "Confirm your new e-mail address",
        lead: "Press the button to make this the e-mail address of your account.".into(),
        button: "Use this address",
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

pub async fn email_confirm(
    State(state): State<AppState>,
    headers: HeaderMap,
    reader: Option<SignedInReader>,
    Form(form): Form<TokenForm>,
) -> Result<Response, WebError> {
    forms::check(&headers, &form.csrf)?;
    let Some(token) = links::secret(Some(&form.token)) else {
        return links::invalid(&state, reader.as_ref(), TokenPurpose::ChangeEmail);
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
        Ok(None) => return links::invalid(&state, reader.as_ref(), TokenPurpose::ChangeEmail),
        Err(StoreError::Duplicate(_)) => {
            let page = super::page(&state, reader.as_ref(), None, "That address has an account already")
                .lead("Another account uses this e-mail address, so it cannot become the address of yours. Your account keeps its address.")
                .link("/account", "Your account");
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
        "/account"
    } else {
        "/account/sign-in"
    };
    Ok(see_other(next, "email-changed", &[]))
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
    reader: SignedInReader,
    extensions: axum::http::Extensions,
    Form(typed): Form<PasswordForm>,
) -> Result<Response, WebError> {
    reader.check_csrf(&typed.csrf)?;
    if let Some(refused) = over_limit(&state, &reader, &client_address(&extensions)) {
        return refused;
    }
    let errors = if !password_matches(&state, &reader, &typed.current).await? {
        Errors {
            current: "That is not your current password.".into(),
            ..Errors::default()
        }
    } else if let Err(e) = auth::check_new_password(&typed.new) {
        Errors {
            new_password: format!("Choose another password: {e}."),
            ..Errors::default()
        }
    } else if typed.new != typed.confirm {
        Errors {
            confirm: "The two new passwords are not the same.".into(),
            ..Errors::default()
        }
    } else {
        let hash = hash_password(typed.new).await?;
        state
            .store
            .set_reader_password(reader.reader.id, &hash, &reader.session_hash, state.now())
            .await?;
        return Ok(see_other("/account", "password", &[]));
    };
    again(&state, &reader, errors)
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
    reader: SignedInReader,
    extensions: axum::http::Extensions,
    Form(typed): Form<DeleteForm>,
) -> Result<Response, WebError> {
    reader.check_csrf(&typed.csrf)?;
    if let Some(refused) = over_limit(&state, &reader, &client_address(&extensions)) {
        return refused;
    }
    if typed.confirm != "yes" {
        return again(
            &state,
            &reader,
            Errors {
                delete_confirm: "Tick the box to say you understand the account will be deleted."
                    .into(),
                ..Errors::default()
            },
        );
    }
    if !password_matches(&state, &reader, &typed.password).await? {
        return again(
            &state,
            &reader,
            Errors {
                delete_password: "That is not your password.".into(),
                ..Errors::default()
            },
        );
    }
    state.store.delete_reader(reader.reader.id).await?;
    Ok(see_other(
        "/account/sign-in",
        "deleted",
        &[session_cookie(&state, "")],
    ))
}
