//! Reader accounts: e-mail addresses and display names as readers type them, the one-time links mailed to them, and how long sessions and links last.

use serde::Serialize;

use super::text::clean_shown_line;

/// Longest display name, in characters.
pub const MAX_DISPLAY_NAME_CHARS: usize = 60;

/// A reader's session ends after this long unused…
pub const SESSION_IDLE_SECONDS: i64 = 14 * 24 * 60 * 60;
/// …and after this long in all, however busy.
pub const SESSION_ABSOLUTE_SECONDS: i64 = 60 * 24 * 60 * 60;

/// A reader account as the rest of the system sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reader {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    /// When the address was last shown to be the reader's (by a mailed link); `None` before.
    pub verified_at: Option<i64>,
    pub created_at: i64,
    pub banned_at: Option<i64>,
    pub ban_reason: String,
    /// Hour of the daily e-mail in the site's time zone, if the reader wants one.
    pub daily_email_hour: Option<i64>,
    /// The edition whose language the reader's e-mails are in (migration 0024).
    pub edition_id: i64,
}

impl Reader {
    pub fn is_verified(&self) -> bool {
        self.verified_at.is_some()
    }
}

/// Normalises and checks an e-mail address a reader typed: the same rule as staff
/// addresses (trimmed, lowercased, one `@`, a dot in the domain), so one person's
/// address is written the same way in both tables.
pub fn parse_email(input: &str) -> Result<String, &'static str> {
    super::user::parse_email(input).map_err(|_| "Enter an e-mail address like name@example.org.")
}

/// Why a display name was refused; `Display` is the English message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NameProblem {
    #[error("Enter the name other readers will see.")]
    Missing,
    #[error("The name can be at most {MAX_DISPLAY_NAME_CHARS} characters long.")]
    TooLong,
    #[error("The name needs at least one letter or digit.")]
    NoLetterOrDigit,
}

/// Cleans and checks a display name: control, bidi-override and noncharacters removed,
/// whitespace collapsed; 1 to [`MAX_DISPLAY_NAME_CHARS`] characters with at least one
/// letter or digit. Anything else a reader types (`<`, quotes, any script) is kept
/// and shown as typed, escaped wherever it appears.
pub fn parse_display_name(input: &str) -> Result<String, NameProblem> {
    let name = clean_shown_line(input);
    if name.is_empty() {
        return Err(NameProblem::Missing);
    }
    if name.chars().count() > MAX_DISPLAY_NAME_CHARS {
        return Err(NameProblem::TooLong);
    }
    if !name.chars().any(char::is_alphanumeric) {
        return Err(NameProblem::NoLetterOrDigit);
    }
    Ok(name)
}

/// What a mailed one-time link does. Each link works once and only until it expires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    /// Shows that the address given at registration is the reader's.
    Verify,
    /// Signs the reader in without the password.
    SignIn,
    /// Lets the reader choose a new password.
    Reset,
    /// Confirms a new address; the token carries the address.
    ChangeEmail,
}

impl TokenPurpose {
    pub const ALL: [TokenPurpose; 4] = [
        TokenPurpose::Verify,
        TokenPurpose::SignIn,
        TokenPurpose::Reset,
        TokenPurpose::ChangeEmail,
    ];

    /// As stored in `reader_tokens.purpose`.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Verify => "verify",
            TokenPurpose::SignIn => "sign_in",
            TokenPurpose::Reset => "reset",
            TokenPurpose::ChangeEmail => "change_email",
        }
    }

    pub fn parse(s: &str) -> Option<TokenPurpose> {
        TokenPurpose::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// How long a link lasts. A link that signs in or resets the password is short-lived,
    /// since whoever holds it holds the account; proving an address can wait longer.
    pub fn lifetime_seconds(self) -> i64 {
        match self {
            TokenPurpose::Verify => 48 * 60 * 60,
            TokenPurpose::SignIn => 15 * 60,
            TokenPurpose::Reset => 60 * 60,
            TokenPurpose::ChangeEmail => 24 * 60 * 60,
        }
    }
}

/// Whether a session created at `created_at` and last used at `last_seen_at` has ended by `now`.
pub fn session_ended(created_at: i64, last_seen_at: i64, now: i64) -> bool {
    now - last_seen_at > SESSION_IDLE_SECONDS || now - created_at > SESSION_ABSOLUTE_SECONDS
}

#[cfg(test)]
mod tests {

    #[test]
    fn display_names_are_stored_composed() {
        assert_eq!(
            parse_display_name("Jos\u{65}\u{301}"),
            Ok("Jos\u{e9}".to_string())
        );
    }

    use super::*;

    #[test]
    fn emails_are_normalised_like_staff_addresses() {
        assert_eq!(
            parse_email(" Ada@Example.ORG "),
            Ok("ada@example.org".into())
        );
        for bad in ["", "ada", "a@b", "a b@c.org", "a<b@c.org"] {
            assert!(parse_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn display_names_are_cleaned_and_bounded() {
        assert_eq!(
            parse_display_name("  Ada \n Lovelace "),
            Ok("Ada Lovelace".into())
        );
        assert_eq!(parse_display_name("Zo\u{202e}ë"), Ok("Zoë".into()));
        assert_eq!(parse_display_name("Zoë \u{10ffff}"), Ok("Zoë".into()));
        assert_eq!(
            parse_display_name("<b>Bold</b> & \"quoted\""),
            Ok("<b>Bold</b> & \"quoted\"".into())
        );
        assert!(parse_display_name(" ").is_err());
        assert!(parse_display_name(" \u{200b} ").is_err());
        assert!(parse_display_name("\u{7}").is_err());
        assert!(parse_display_name("!!! ---").is_err());
        assert!(parse_display_name(&"x".repeat(61)).is_err());
        assert!(parse_display_name(&"é".repeat(60)).is_ok());
    }

    #[test]
    fn purposes_round_trip_and_links_are_short_lived() {
        for p in TokenPurpose::ALL {
            assert_eq!(TokenPurpose::parse(p.as_str()), Some(p));
            assert!(p.lifetime_seconds() <= 48 * 60 * 60);
        }
        assert_eq!(TokenPurpose::parse("admin"), None);
        assert!(TokenPurpose::SignIn.lifetime_seconds() < TokenPurpose::Reset.lifetime_seconds());
    }

    #[test]
    fn sessions_end_when_idle_or_old() {
        let day = 24 * 60 * 60;
        assert!(!session_ended(0, 0, day));
        assert!(session_ended(0, 0, 15 * day));
        assert!(!session_ended(0, 50 * day, 59 * day));
        assert!(session_ended(0, 60 * day, 61 * day));
    }
}
