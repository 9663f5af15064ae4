//! Staff account rules shared by the command line and the admin pages: creating
//! accounts (limited to some editions or not), changing roles, disabling, the
//! commercial power, and the first admin of a new database.

use thiserror::Error;

use crate::auth;
use crate::domain::edition::Edition;
use crate::domain::text::{clean_line, quoted};
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

/// A new account as an admin or the command line asks for it.
pub struct NewAccount<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub password: &'a str,
    /// The editions the account works in; none: every edition.
    pub editions: &'a [&'a Edition],
}

/// Creates an account, working in every edition, after checking the address,
/// name and password; records it in the audit log.
pub async fn create(
    store: &Store,
    email: &str,
    name: &str,
    role: Role,
    password: &str,
    actor: &str,
    now: i64,
) -> Result<User, StaffError> {
    let account = NewAccount {
        email,
        name,
        role,
        password,
        editions: &[],
    };
    create_account(store, &account, actor, now).await
}

/// The editions `names` name among `all` (see [`Edition::answers_to`]), each
/// once; none when they name every edition (the same as naming none, as on the
/// accounts page). An unknown name is refused with the editions there are.
pub fn editions_named<'a>(
    all: &'a [Edition],
    names: &[String],
) -> Result<Vec<&'a Edition>, StaffError> {
    let mut found: Vec<&Edition> = Vec::new();
    for name in names {
        let Some(edition) = all.iter().find(|e| e.answers_to(name)) else {
            let known: Vec<String> = all
                .iter()
                .map(|e| format!("{} ({}, {})", e.key, e.home(), e.language))
                .collect();
            return Err(StaffError::Invalid(format!(
                "there is no edition {}: the editions are {}",
                quoted(name),
                known.join(", ")
            )));
        };
        if !found.iter().any(|f| f.id == edition.id) {
            found.push(edition);
        }
    }
    if found.len() == all.len() {
        found.clear();
    }
    Ok(found)
}

/// Creates `account` after checking the address, name and password, with the
/// editions it works in in the same transaction; records it in the audit log.
pub async fn create_account(
    store: &Store,
    account: &NewAccount<'_>,
    actor: &str,
    now: i64,
) -> Result<User, StaffError> {
    let NewAccount {
        email,
        name,
        role,
        password,
        editions,
    } = *account;
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
    let edition_ids: Vec<i64> = editions.iter().map(|e| e.id).collect();
    let id = match store
        .create_user(&email, &name, role, &hash, &edition_ids, now)
        .await
    {
        Err(StoreError::Duplicate(_)) => {
            return Err(StaffError::Invalid(format!(
                "there is already an account for {email}"
            )))
        }
        other => other?,
    };
    let detail = match editions {
        [] => role.as_str().to_string(),
        editions => {
            let names: Vec<&str> = editions.iter().map(|e| e.english_name.as_str()).collect();
            format!("{}, working in {}", role.as_str(), names.join(", "))
        }
    };
    store
        .audit(
            actor,
            "create account",
            &format!("user {email}"),
            &detail,
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

/// Grants or withdraws `user`'s commercial power (running sponsor campaigns),
/// audited. A campaign may run in every edition, so an account that works only
/// in some of `every_edition` (the ids of the editions there are) is refused the
/// grant, and an admin, who always holds it, is told so. Returns whether
/// anything changed.
pub async fn set_commercial_power(
    store: &Store,
    user: &User,
    grant: bool,
    every_edition: &[i64],
    actor: &str,
    now: i64,
) -> Result<bool, StaffError> {
    if user.role.is_admin() {
        return Err(StaffError::Invalid(format!(
            "{} is an admin, and admins always run sponsor campaigns",
            user.email
        )));
    }
    if grant {
        let theirs = store.staff_editions(user.id).await?;
        let everywhere = theirs.is_empty() || every_edition.iter().all(|e| theirs.contains(e));
        if !everywhere {
            return Err(StaffError::Invalid(format!(
                "{} works only in some editions, and a sponsor campaign may run in every \
                 edition: the commercial power is for staff who work in every edition",
                user.email
            )));
        }
    }
    Ok(store
        .set_commercial_power(user.id, grant, actor, now)
        .await?)
}

/// [`set_commercial_power`] for the account `email`.
pub async fn set_commercial_power_of(
    store: &Store,
    email: &str,
    grant: bool,
    every_edition: &[i64],
    actor: &str,
    now: i64,
) -> Result<(User, bool), StaffError> {
    let user = find(store, email).await?;
    let changed = set_commercial_power(store, &user, grant, every_edition, actor, now).await?;
    Ok((user, changed))
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
