//! Admin pages: staff accounts and the audit log.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

use super::{see_other, NewsroomNav, Staff};
use crate::auth;
use crate::domain::edition::Edition;
use crate::domain::timefmt;
use crate::domain::user::Role;
use crate::staff::{self, StaffError};
use crate::web::{AppState, WebError};

pub struct UserLine {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: &'static str,
    pub disabled: bool,
    /// One box per edition; none ticked means every edition.
    pub editions: Vec<EditionBox>,
    /// "All editions", or the names of the ticked ones.
    pub editions_summary: String,
}

/// An edition's checkbox on a member of staff's line.
pub struct EditionBox {
    pub id: i64,
    pub name: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "newsroom/users.html")]
struct UsersTemplate {
    nav: NewsroomNav,
    csrf: String,
    users: Vec<UserLine>,
    roles: Vec<&'static str>,
    error: String,
    email: String,
    name: String,
    /// The new account form's edition boxes.
    new_editions: Vec<EditionBox>,
    new_password: String,
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
    before: Option<i64>,
}

/// What the users page shows besides the list: a notice, a form error with the
/// values typed, or a new account's one-time password.
#[derive(Default)]
struct PageExtras<'a> {
    notice: Option<&'a str>,
    error: &'a str,
    email: &'a str,
    name: &'a str,
    /// The editions ticked on the new account form.
    editions: &'a [i64],
    new_password: &'a str,
}

/// One box per edition, ticked for those in `ticked`.
fn edition_boxes(state: &AppState, ticked: &[i64]) -> Vec<EditionBox> {
    state
        .editions
        .all()
        .iter()
        .map(|e| EditionBox {
            id: e.id,
            name: e.english_name.clone(),
            checked: ticked.contains(&e.id),
        })
        .collect()
}

async fn users_page(
    state: &AppState,
    staff: &Staff,
    status: StatusCode,
    extras: PageExtras<'_>,
) -> Result<Response, WebError> {
    let limits = state.store.all_staff_editions().await?;
    let users = state
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| {
            let theirs: Vec<i64> = limits
                .iter()
                .filter(|(user, _)| *user == u.id)
                .map(|(_, edition)| *edition)
                .collect();
            UserLine {
                id: u.id,
                email: u.email,
                name: u.display_name,
                role: u.role.as_str(),
                disabled: u.disabled,
                editions_summary: editions_summary(state, &theirs),
                editions: edition_boxes(state, &theirs),
            }
        })
        .collect();
    let page = UsersTemplate {
        nav: NewsroomNav::new(state, Some(staff)).with_notice(extras.notice),
        csrf: staff.csrf.clone(),
        users,
        roles: Role::ALL.iter().map(|r| r.as_str()).collect(),
        error: extras.error.to_string(),
        email: extras.email.to_string(),
        name: extras.name.to_string(),
        new_editions: edition_boxes(state, extras.editions),
        new_password: extras.new_password.to_string(),
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn users(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    staff.require(Role::Admin)?;
    let extras = PageExtras {
        notice: q.notice.as_deref(),
        ..PageExtras::default()
    };
    users_page(&state, &staff, StatusCode::OK, extras).await
}

/// The new account form: address, name, role and the editions ticked (repeated field `edition`).
#[derive(Default)]
pub struct NewUser {
    csrf: String,
    email: String,
    name: String,
    role: String,
    editions: Vec<i64>,
}

impl NewUser {
    fn read(fields: Vec<(String, String)>) -> NewUser {
        let mut form = NewUser::default();
        for (name, value) in fields {
            match name.as_str() {
                "csrf" => form.csrf = value,
                "email" => form.email = value,
                "name" => form.name = value,
                "role" => form.role = value,
                "edition" => form.editions.extend(value.trim().parse::<i64>().ok()),
                _ => {}
            }
        }
        form
    }
}

pub async fn create_user(
    State(state): State<AppState>,
    staff: Staff,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let form = NewUser::read(fields);
    staff.check_csrf(&form.csrf)?;
    staff.require(Role::Admin)?;
    let editions = chosen_editions(&state, &form.editions);
    let typed = |error: &'static str| PageExtras {
        error,
        email: &form.email,
        name: &form.name,
        editions: &editions,
        ..PageExtras::default()
    };
    let Some(role) = Role::parse(&form.role) else {
        let extras = typed("Choose a role.");
        return users_page(&state, &staff, StatusCode::UNPROCESSABLE_ENTITY, extras).await;
    };
    // The new colleague gets a one-time password to change after signing in.
    let password = auth::random_password();
    let limited_to: Vec<&Edition> = editions
        .iter()
        .filter_map(|id| state.editions.by_id(*id).map(|e| e.as_ref()))
        .collect();
    let account = staff::NewAccount {
        email: &form.email,
        name: &form.name,
        role,
        password: &password,
        editions: &limited_to,
    };
    match staff::create_account(&state.store, &account, &staff.user.email, state.now()).await {
        Ok(user) => {
            let notice = format!("Account created for {}.", user.email);
            let extras = PageExtras {
                notice: Some(&notice),
                new_password: &password,
                ..PageExtras::default()
            };
            users_page(&state, &staff, StatusCode::OK, extras).await
        }
        Err(StaffError::Invalid(message)) => {
            let extras = PageExtras {
                error: &message,
                ..typed("")
            };
            users_page(&state, &staff, StatusCode::UNPROCESSABLE_ENTITY, extras).await
        }
        Err(e) => Err(WebError::Internal(e.into())),
    }
}

/// The editions ticked on a form, in the editions' order: only editions that
/// exist, and none when every one is ticked (the same as none).
fn chosen_editions(state: &AppState, ticked: &[i64]) -> Vec<i64> {
    let mut editions: Vec<i64> = state
        .editions
        .all()
        .iter()
        .map(|e| e.id)
        .filter(|id| ticked.contains(id))
        .collect();
    if editions.len() == state.editions.all().len() {
        editions.clear();
    }
    editions
}

/// "All editions" when none is listed, else the editions' names.
fn editions_summary(state: &AppState, editions: &[i64]) -> String {
    if editions.is_empty() {
        return "All editions".into();
    }
    state
        .editions
        .all()
        .iter()
        .filter(|e| editions.contains(&e.id))
        .map(|e| e.english_name.clone())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A change to one account: its role, its state, or (`set_editions`) the
/// editions it works in (repeated field `edition`).
#[derive(Default)]
pub struct UpdateUser {
    csrf: String,
    role: Option<String>,
    disabled: Option<String>,
    set_editions: bool,
    editions: Vec<i64>,
}

impl UpdateUser {
    /// From the form's fields, which may repeat (`edition`).
    fn read(fields: Vec<(String, String)>) -> UpdateUser {
        let mut form = UpdateUser::default();
        for (name, value) in fields {
            match name.as_str() {
                "csrf" => form.csrf = value,
                "role" => form.role = Some(value),
                "disabled" => form.disabled = Some(value),
                "set_editions" => form.set_editions = true,
                "edition" => form.editions.extend(value.trim().parse::<i64>().ok()),
                _ => {}
            }
        }
        form
    }
}

pub async fn update_user(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let form = UpdateUser::read(fields);
    staff.check_csrf(&form.csrf)?;
    staff.require(Role::Admin)?;
    let user = state.store.user(id).await?.ok_or(WebError::NotFound)?;
    let now = state.now();
    let actor = staff.user.email.clone();
    if let Some(role) = form.role.as_deref().and_then(Role::parse) {
        if user.id == staff.user.id && role != Role::Admin {
            return Ok(see_other(
                "/newsroom/users",
                "You cannot remove your own admin role.",
            ));
        }
        staff::set_role(&state.store, &user.email, role, &actor, now)
            .await
            .map_err(|e| WebError::Internal(e.into()))?;
    }
    if let Some(disabled) = form.disabled.as_deref() {
        let disabled = disabled == "yes";
        if user.id == staff.user.id && disabled {
            return Ok(see_other(
                "/newsroom/users",
                "You cannot disable your own account.",
            ));
        }
        staff::set_disabled(&state.store, &user.email, disabled, &actor, now)
            .await
            .map_err(|e| WebError::Internal(e.into()))?;
    }
    if form.set_editions {
        let editions = chosen_editions(&state, &form.editions);
        let detail = editions_summary(&state, &editions);
        let subject = format!("user {}", user.email);
        state
            .store
            .set_staff_editions(user.id, &editions, &actor, &subject, &detail, now)
            .await?;
    }
    Ok(see_other(
        "/newsroom/users",
        &format!("Account {} updated.", user.email),
    ))
}

pub struct AuditLine {
    pub time: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "newsroom/audit.html")]
struct AuditTemplate {
    nav: NewsroomNav,
    lines: Vec<AuditLine>,
    older: Option<i64>,
}

const AUDIT_PAGE: i64 = 100;

pub async fn audit(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    staff.require(Role::Admin)?;
    let entries = state.store.audit_entries(q.before, AUDIT_PAGE).await?;
    let tz = &state.site.time_zone;
    let older = (entries.len() as i64 == AUDIT_PAGE)
        .then(|| entries.last().map(|e| e.id))
        .flatten();
    let page = AuditTemplate {
        nav: NewsroomNav::new(&state, Some(&staff)),
        lines: entries
            .into_iter()
            .map(|e| AuditLine {
                time: timefmt::long_stamp(timefmt::from_unix(e.at), tz),
                actor: e.actor,
                action: e.action,
                subject: e.subject,
                detail: e.detail,
            })
            .collect(),
        older,
    };
    Ok(Html(page.render()?).into_response())
}
