//! Staff accounts: roles, what each may do, and e-mail addresses.

use serde::Serialize;

/// A member of staff's role. Each role can do everything the one before it can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Writes and edits their own drafts and submits them for review.
    Reporter,
    /// Edits any story, publishes, updates, corrects, schedules, kills, curates.
    Editor,
    /// Everything, plus staff accounts, site settings and the audit log.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Reporter, Role::Editor, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reporter => "reporter",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim().to_ascii_lowercase())
    }

    /// Editors and admins may edit any story; reporters only their own unpublished ones.
    pub fn is_editor(self) -> bool {
        self >= Role::Editor
    }

    pub fn is_admin(self) -> bool {
        self == Role::Admin
    }
}

/// A staff account as the rest of the system sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
}

/// Normalises and checks an e-mail address: trimmed, lowercased, one `@`, a dot in the domain.
pub fn parse_email(input: &str) -> Result<String, &'static str> {
    let email = input.trim().to_lowercase();
    let (local, domain) = email
        .split_once('@')
        .ok_or("an e-mail address needs an @")?;
    if local.is_empty()
        || domain.is_empty()
        || domain.contains('@')
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || email.len() > 254
        || email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"',;".contains(c))
    {
        return Err("that is not a valid e-mail address");
    }
    Ok(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_and_parse() {
        assert!(Role::Admin > Role::Editor && Role::Editor > Role::Reporter);
        assert_eq!(Role::parse(" Editor "), Some(Role::Editor));
        assert_eq!(Role::parse("boss"), None);
        assert!(!Role::Reporter.is_editor() && Role::Admin.is_editor());
    }

    #[test]
    fn emails() {
        assert_eq!(
            parse_email("  Ada@Example.ORG "),
            Ok("ada@example.org".into())
        );
        for bad in [
            "",
            "ada",
            "ada@",
            "@x.org",
            "a@b",
            "a@@b.org",
            "a b@c.org",
            "a<b@c.org",
        ] {
            assert!(parse_email(bad).is_err(), "{bad}");
        }
    }
}
