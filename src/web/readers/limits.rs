//! Rate limits on reader accounts, per client address and per account (the e-mail address typed, or the signed-in reader), counted per minute by [`crate::web::rate_limits`] and so shared by every node.

use crate::web::AppState;

/// What is being limited, with its allowance a minute per client address and per account.
#[derive(Debug, Clone, Copy)]
pub enum Action {
    /// Signing in with a password: slows down guessing.
    SignIn,
    /// Anything that sends mail (register, ask for a link, reset, change of address):
    /// keeps the site from being used to flood someone's mailbox.
    Mail,
    /// A signed-in reader's own changes that check the password (address, password, delete).
    Account,
    /// Posting or reporting a comment: keeps one reader, or one address with many
    /// accounts, from flooding a discussion or the moderation queue.
    Comment,
}

impl Action {
    fn name(self) -> &'static str {
        match self {
            Action::SignIn => "sign-in",
            Action::Mail => "mail",
            Action::Account => "account",
            Action::Comment => "comment",
        }
    }

    /// (per client address, per account) a minute.
    pub fn per_minute(self) -> (i64, i64) {
        match self {
            Action::SignIn => (30, 5),
            Action::Mail => (20, 3),
            Action::Account => (30, 5),
            Action::Comment => (20, 5),
        }
    }
}

/// Counts one attempt at `action` from `address` for `account` (an e-mail address as
/// typed, normalised, whether or not it has an account, so the limit itself says
/// nothing about accounts; or `reader:<id>`). `Err` holds the seconds to wait.
pub fn count(state: &AppState, action: Action, address: &str, account: &str) -> Result<(), i64> {
    let (per_address, per_account) = action.per_minute();
    let now = state.now();
    let by_address = state.rate_limits.count(
        format!("reader-{}-address:{address}", action.name()),
        per_address,
        now,
    );
    let by_account = state.rate_limits.count(
        format!("reader-{}-account:{account}", action.name()),
        per_account,
        now,
    );
    match (by_address, by_account) {
        (Ok(_), Ok(_)) => Ok(()),
        (Err(wait), _) | (_, Err(wait)) => Err(wait),
    }
}
