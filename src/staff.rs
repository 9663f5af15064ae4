//! Staff account rules shared by the command line and the admin pages: creating
//! accounts, changing roles, disabling, and the first admin of a new database.

use thiserror::Error;

use crate::auth;
use crate::domain::text::clean_line;
use crate::domain::user::{parse_email, Role, User};
use crate::store::{Store, StoreError};

#[derive(Debug, Error)]
pub enum StaffError {
    #[error("{0}")]
    Invalid(String),
    #[error("there is no account for {0}")]
    NoSuchUser(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Creates an account after checking the address, name and password; records it in the audit log.
pub async fn create(
    store: &Store,
    email: &str,
    name: &str,
    role: Role,
    password: &str,
    actor: &str,
    now: i64,
) -> Result<User, StaffError> {
    let email = parse_email(email).map_err(|e| StaffError::Invalid(e.to_string()))?;
    let name = match clean_line(name) {
        n if n.is_empty() => email.split('@').next().unwrap_or("staff").to_string(),
        n if n.chars().count() > 100 => {
            return Err(StaffError::Invalid(
                "the name is longer than 100 characters".into(),
            ))
        }
        n => n,
    };
    auth::check_new_password(password).map_err(StaffError::Invalid)?;
    let hash = auth::hash_password(password).map_err(StaffError::Invalid)?;
    let id = match store.create_user(&email, &name, role, &hash, now).await {
        Err(StoreError::Duplicate(_)) => {
            return Err(StaffError::Invalid(format!(
                "there is already an account for {email}"
            )))
        }
        other => other?,
    };
    store
        .audit(
            actor,
            "create account",
            &format!("user {email}"),
            role.as_str(),
            now,
        )
        .await?;
    Ok(User {
        id,
        email,
        display_name: name,
        role,
        disabled: false,
    })
}

async fn find(store: &Store, email: &str) -> Result<User, StaffError> {
    let email = parse_email(email).map_err(|e| StaffError::Invalid(e.to_string()))?;
    store
        .user_by_email(&email)
        .await?
        .ok_or(StaffError::NoSuchUser(email))
}

pub async fn set_role(
    store: &Store,
    email: &str,
    role: Role,
    actor: &str,
    now: i64,
) -> Result<User, StaffError> {
    let user = find(store, email).await?;
    store.set_user_role(user.id, role).await?;
    store
        .audit(
            actor,
            "set role",
            &format!("user {}", user.email),
            role.as_str(),
            now,
        )
        .await?;
    Ok(User { role, ..user })
}

pub async fn set_disabled(
    store: &Store,
    email: &str,
    disabled: bool,
    actor: &str,
    now: i64,
) -> Result<User, StaffError> {
    let user = find(store, email).await?;
    store.set_user_disabled(user.id, disabled).await?;
    let action = if disabled {
        "disable account"
    } else {
        "enable account"
    };
    store
        .audit(actor, action, &format!("user {}", user.email), "", now)
        .await?;
    Ok(User { disabled, ..user })
}

/// On a database with no accounts, creates `admin@localhost` (or `DATELINE_ADMIN_EMAIL`)
/// with the password from `DATELINE_ADMIN_PASSWORD` or a random one, which is returned so
/// it can be shown once. Returns `None` when accounts already exist.
pub async fn ensure_first_admin(
    store: &Store,
    now: i64,
) -> Result<Option<(String, Option<String>)>, StaffError> {
    if store.user_count().await? > 0 {
        return Ok(None);
    }
    let email = std::env::var("DATELINE_ADMIN_EMAIL")
        .unwrap_or_else(|_| "admin@localhost.localdomain".to_string());
    let (password, generated) = match std::env::var("DATELINE_ADMIN_PASSWORD") {
        Ok(p) if !p.is_empty() => (p, false),
        _ => (auth::random_password(), true),
    };
    let user = create(
        store,
        &email,
        "Administrator",
        Role::Admin,
        &password,
        "system",
        now,
    )
    .await?;
    Ok(Some((user.email, generated.then_some(password))))
}
