//! The mail reader accounts send, worded for the reader, and handing it to the mailer.

use crate::domain::reader::TokenPurpose;
use crate::mail::{kind, Message};
use crate::web::AppState;

/// What a note about the account (not a link to use) is filed under in the outbox.
const ACCOUNT_NOTICE: &str = "account-notice";

/// A message to one reader.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub kind: &'static str,
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// The address of a one-time link: `path` on this site with the secret `token`.
fn link(state: &AppState, path: &str, token: &str) -> String {
    format!("{}{path}?token={token}", state.site.base_url)
}

fn signature(state: &AppState) -> String {
    format!("\n\n-- \n{}\n{}/\n", state.site.name, state.site.base_url)
}

/// The link that verifies a new account's address.
pub fn verify(state: &AppState, to: &str, token: &str) -> Outgoing {
    let site = &state.site.name;
    Outgoing {
        kind: kind::VERIFY,
        to: to.to_string(),
        subject: format!("Confirm your e-mail address for {site}"),
        body: format!(
            "Hello,\n\nTo finish creating your {site} account, confirm that this is your \
             e-mail address by opening this link:\n\n{}\n\nThe link works once, for {}. If you \
             did not ask for an account, ignore this message: nothing happens without the link.{}",
            link(state, "/account/verify", token),
            TokenPurpose::Verify.lifetime_words(),
            signature(state),
        ),
    }
}

/// Sent instead of a verification link when the address already has an account.
pub fn already_registered(state: &AppState, to: &str, token: &str) -> Outgoing {
    let site = &state.site.name;
    Outgoing {
        kind: ACCOUNT_NOTICE,
        to: to.to_string(),
        subject: format!("You already have a {site} account"),
        body: format!(
            "Hello,\n\nSomeone, perhaps you, tried to create a {site} account with this e-mail \
             address, which already has one. Nothing has changed.\n\nIf it was you, sign in with \
             this link (it works once, for {}):\n\n{}\n\nor choose a new password at {}/account/reset \
             if you have forgotten yours. If it was not you, ignore this message.{}",
            TokenPurpose::SignIn.lifetime_words(),
            link(state, "/account/sign-in-link/use", token),
            state.site.base_url,
            signature(state),
        ),
    }
}

pub fn sign_in_link(state: &AppState, to: &str, token: &str) -> Outgoing {
    let site = &state.site.name;
    Outgoing {
        kind: kind::SIGN_IN_LINK,
        to: to.to_string(),
        subject: format!("Your link to sign in to {site}"),
        body: format!(
            "Hello,\n\nOpen this link to sign in to {site} without your password:\n\n{}\n\nThe \
             link works once, for {}. If you did not ask for it, ignore this message: nobody can \
             sign in without the link.{}",
            link(state, "/account/sign-in-link/use", token),
            TokenPurpose::SignIn.lifetime_words(),
            signature(state),
        ),
    }
}

pub fn reset(state: &AppState, to: &str, token: &str) -> Outgoing {
    let site = &state.site.name;
    Outgoing {
        kind: kind::RESET,
        to: to.to_string(),
        subject: format!("Choose a new password for {site}"),
        body: format!(
            "Hello,\n\nOpen this link to choose a new password for your {site} account:\n\n{}\n\n\
             The link works once, for {}. Your password stays as it is until you choose a new one; \
             if you did not ask for this, ignore this message.{}",
            link(state, "/account/reset/new", token),
            TokenPurpose::Reset.lifetime_words(),
            signature(state),
        ),
    }
}

/// To the new address: the link that makes it the account's address.
pub fn change_email(state: &AppState, to: &str, token: &str) -> Outgoing {
    let site = &state.site.name;
    Outgoing {
        kind: kind::CHANGE_EMAIL,
        to: to.to_string(),
        subject: format!("Confirm your new e-mail address for {site}"),
        body: format!(
            "Hello,\n\nTo use this address for your {site} account, open this link:\n\n{}\n\n\
             The link works once, for {}. Until then your account keeps its old address. If you \
             did not ask for this, ignore this message.{}",
            link(state, "/account/email/confirm", token),
            TokenPurpose::ChangeEmail.lifetime_words(),
            signature(state),
        ),
    }
}

/// To the old address, once the new one is confirmed.
pub fn email_changed(state: &AppState, to: &str, new_email: &str) -> Outgoing {
    let site = &state.site.name;
    Outgoing {
        kind: ACCOUNT_NOTICE,
        to: to.to_string(),
        subject: format!("Your {site} e-mail address has changed"),
        body: format!(
            "Hello,\n\nThe e-mail address of your {site} account is now {new_email}; this address \
             no longer signs in to it. If you did not make this change, reply to this message \
             or write to the site's editors at once.{}",
            signature(state),
        ),
    }
}

/// Hands `message` to the mailer. A failure is logged, not shown: what a page answers
/// must not depend on whether mail went out (that would tell whether an address has an
/// account), and the reader can always ask again.
pub async fn send(state: &AppState, message: Outgoing) {
    let sent = match Message::new(message.kind, &message.to, &message.subject, &message.body) {
        Ok(built) => state.mailer.send(&built).await.map(|_| ()),
        Err(e) => Err(e),
    };
    if let Err(e) = sent {
        tracing::error!(error = %e, kind = message.kind, "a reader's mail was not written to the outbox");
    }
}
