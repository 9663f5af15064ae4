//! The mail reader accounts send, worded for the reader in the language of their edition, and handing it to the mailer.

use crate::domain::reader::TokenPurpose;
use crate::mail::{kind, Message};
use crate::web::edition_mail::{arg, EditionMail};
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
    /// The language it is written in (`Content-Language`).
    pub language: String,
}

impl Outgoing {
    fn new(
        mail: &EditionMail,
        kind: &'static str,
        to: &str,
        subject: String,
        body: String,
    ) -> Outgoing {
        Outgoing {
            kind,
            to: to.to_string(),
            subject,
            body,
            language: mail.language().to_string(),
        }
    }
}

/// A mail with a one-time link: "Hello", `intro`, the link, `outro` (which says how
/// long the link works), the signature.
fn link_mail(
    mail: &EditionMail,
    kind: &'static str,
    to: &str,
    (subject, intro, outro): (&str, &str, &str),
    link: String,
    purpose: TokenPurpose,
) -> Outgoing {
    let lifetime = arg(mail.lifetime(purpose));
    let body = mail.body(&[
        mail.text("mail-hello", vec![]),
        mail.text(intro, vec![]),
        link,
        mail.text(outro, vec![("lifetime", lifetime)]),
    ]);
    Outgoing::new(mail, kind, to, mail.text(subject, vec![]), body)
}

/// The link that verifies a new account's address.
pub fn verify(mail: &EditionMail, to: &str, token: &str) -> Outgoing {
    link_mail(
        mail,
        kind::VERIFY,
        to,
        (
            "mail-verify-subject",
            "mail-verify-intro",
            "mail-verify-outro",
        ),
        mail.link("/account/verify", token),
        TokenPurpose::Verify,
    )
}

/// Sent instead of a verification link when the address already has an account.
pub fn already_registered(mail: &EditionMail, to: &str, token: &str) -> Outgoing {
    let lifetime = arg(mail.lifetime(TokenPurpose::SignIn));
    let body = mail.body(&[
        mail.text("mail-hello", vec![]),
        mail.text("mail-already-intro", vec![]),
        mail.text("mail-already-sign-in", vec![("lifetime", lifetime)]),
        mail.link("/account/sign-in-link/use", token),
        mail.text(
            "mail-already-outro",
            vec![("url", arg(mail.page("/account/reset")))],
        ),
    ]);
    let subject = mail.text("mail-already-subject", vec![]);
    Outgoing::new(mail, ACCOUNT_NOTICE, to, subject, body)
}

pub fn sign_in_link(mail: &EditionMail, to: &str, token: &str) -> Outgoing {
    link_mail(
        mail,
        kind::SIGN_IN_LINK,
        to,
        (
            "mail-sign-in-subject",
            "mail-sign-in-intro",
            "mail-sign-in-outro",
        ),
        mail.link("/account/sign-in-link/use", token),
        TokenPurpose::SignIn,
    )
}

pub fn reset(mail: &EditionMail, to: &str, token: &str) -> Outgoing {
    link_mail(
        mail,
        kind::RESET,
        to,
        ("mail-reset-subject", "mail-reset-intro", "mail-reset-outro"),
        mail.link("/account/reset/new", token),
        TokenPurpose::Reset,
    )
}

/// To the new address: the link that makes it the account's address.
pub fn change_email(mail: &EditionMail, to: &str, token: &str) -> Outgoing {
    link_mail(
        mail,
        kind::CHANGE_EMAIL,
        to,
        (
            "mail-change-email-subject",
            "mail-change-email-intro",
            "mail-change-email-outro",
        ),
        mail.link("/account/email/confirm", token),
        TokenPurpose::ChangeEmail,
    )
}

/// To the old address, once the new one is confirmed.
pub fn email_changed(mail: &EditionMail, to: &str, new_email: &str) -> Outgoing {
    let body = mail.body(&[
        mail.text("mail-hello", vec![]),
        mail.text("mail-email-changed-text", vec![("email", arg(new_email))]),
    ]);
    let subject = mail.text("mail-email-changed-subject", vec![]);
    Outgoing::new(mail, ACCOUNT_NOTICE, to, subject, body)
}

/// Hands `message` to the mailer. A failure is logged, not shown: what a page answers
/// must not depend on whether mail went out (that would tell whether an address has an
/// account), and the reader can always ask again.
pub async fn send(state: &AppState, message: Outgoing) {
    let sent = match Message::new(message.kind, &message.to, &message.subject, &message.body)
        .and_then(|built| built.with_language(&message.language))
    {
        Ok(built) => state.mailer.send(&built).await.map(|_| ()),
        Err(e) => Err(e),
    };
    if let Err(e) = sent {
        tracing::error!(error = %e, kind = message.kind, "a reader's mail was not written to the outbox");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::edition::{english, Direction, Edition};

    const BASE: &str = "https://news.example.org";
    const SITE: &str = "Valley Post";

    fn english_edition() -> Edition {
        english(SITE, jiff::tz::TimeZone::UTC, "GMT")
    }

    fn arabic_edition() -> Edition {
        Edition {
            id: 2,
            key: "arabic".into(),
            language: "ar".into(),
            direction: Direction::Rtl,
            name: "العربية".into(),
            english_name: "Arabic".into(),
            prefix: "/arabic".into(),
            site_name: "Valley Post عربي".into(),
            locale: "ar".into(),
            search_config: "simple".into(),
            ..english_edition()
        }
    }

    /// The English e-mails, word for word and byte for byte as they were written
    /// before e-mails had languages (these format strings are the old code's).
    #[test]
    fn english_mail_is_as_it_was() {
        let edition = english_edition();
        let mail = EditionMail::at(BASE, &edition);
        let (site, base) = (SITE, BASE);
        let signature = format!("\n\n-- \n{site}\n{base}/\n");
        let link = |path: &str| format!("{base}{path}?token=t0k");

        let m = verify(&mail, "a@example.org", "t0k");
        assert_eq!(m.subject, format!("Confirm your e-mail address for {site}"));
        assert_eq!(
            m.body,
            format!(
                "Hello,\n\nTo finish creating your {site} account, confirm that this is your \
                 e-mail address by opening this link:\n\n{}\n\nThe link works once, for {}. If you \
                 did not ask for an account, ignore this message: nothing happens without the link.{}",
                link("/account/verify"),
                "48 hours",
                signature,
            )
        );
        assert_eq!((m.kind, m.language.as_str()), (kind::VERIFY, "en-GB"));

        let m = already_registered(&mail, "a@example.org", "t0k");
        assert_eq!(m.subject, format!("You already have a {site} account"));
        assert_eq!(
            m.body,
            format!(
                "Hello,\n\nSomeone, perhaps you, tried to create a {site} account with this e-mail \
                 address, which already has one. Nothing has changed.\n\nIf it was you, sign in with \
                 this link (it works once, for {}):\n\n{}\n\nor choose a new password at {}/account/reset \
                 if you have forgotten yours. If it was not you, ignore this message.{}",
                "15 minutes",
                link("/account/sign-in-link/use"),
                base,
                signature,
            )
        );

        let m = sign_in_link(&mail, "a@example.org", "t0k");
        assert_eq!(m.subject, format!("Your link to sign in to {site}"));
        assert_eq!(
            m.body,
            format!(
                "Hello,\n\nOpen this link to sign in to {site} without your password:\n\n{}\n\nThe \
                 link works once, for {}. If you did not ask for it, ignore this message: nobody can \
                 sign in without the link.{}",
                link("/account/sign-in-link/use"),
                "15 minutes",
                signature,
            )
        );

        let m = reset(&mail, "a@example.org", "t0k");
        assert_eq!(m.subject, format!("Choose a new password for {site}"));
        assert_eq!(
            m.body,
            format!(
                "Hello,\n\nOpen this link to choose a new password for your {site} account:\n\n{}\n\n\
                 The link works once, for {}. Your password stays as it is until you choose a new one; \
                 if you did not ask for this, ignore this message.{}",
                link("/account/reset/new"),
                "one hour",
                signature,
            )
        );

        let m = change_email(&mail, "a@example.org", "t0k");
        assert_eq!(
            m.subject,
            format!("Confirm your new e-mail address for {site}")
        );
        assert_eq!(
            m.body,
            format!(
                "Hello,\n\nTo use this address for your {site} account, open this link:\n\n{}\n\n\
                 The link works once, for {}. Until then your account keeps its old address. If you \
                 did not ask for this, ignore this message.{}",
                link("/account/email/confirm"),
                "24 hours",
                signature,
            )
        );

        let new_email = "b@example.org";
        let m = email_changed(&mail, "a@example.org", new_email);
        assert_eq!(m.subject, format!("Your {site} e-mail address has changed"));
        assert_eq!(
            m.body,
            format!(
                "Hello,\n\nThe e-mail address of your {site} account is now {new_email}; this address \
                 no longer signs in to it. If you did not make this change, reply to this message \
                 or write to the site's editors at once.{}",
                signature,
            )
        );
    }

    /// Every Arabic e-mail: Arabic words, the Arabic edition's links and signature.
    #[test]
    fn arabic_mail_is_arabic_and_links_to_the_arabic_edition() {
        let edition = arabic_edition();
        let mail = EditionMail::at(BASE, &edition);
        let all = [
            verify(&mail, "a@example.org", "t0k"),
            already_registered(&mail, "a@example.org", "t0k"),
            sign_in_link(&mail, "a@example.org", "t0k"),
            reset(&mail, "a@example.org", "t0k"),
            change_email(&mail, "a@example.org", "t0k"),
            email_changed(&mail, "a@example.org", "b@example.org"),
        ];
        for m in &all {
            assert_eq!(m.language, "ar");
            assert!(m.body.starts_with("مرحبًا،\n\n"), "{}", m.body);
            assert!(
                m.body
                    .ends_with("\n\n-- \nValley Post عربي\nhttps://news.example.org/arabic\n"),
                "{}",
                m.body
            );
            let words: Vec<&str> = m
                .body
                .split_whitespace()
                .filter(|w| !w.starts_with("https://"))
                .collect();
            for english in ["Hello", "link", "account", "ignore", "hours", "minutes"] {
                assert!(
                    !words.iter().any(|w| w.contains(english)),
                    "{english} in {}",
                    m.body
                );
                assert!(!m.subject.contains(english), "{english} in {}", m.subject);
            }
            for link in crate::mail::links_in(&m.body) {
                assert!(
                    link.starts_with("https://news.example.org/arabic"),
                    "{link}"
                );
            }
        }
        assert!(all[0]
            .body
            .contains("\n\nhttps://news.example.org/arabic/account/verify?token=t0k\n\n"));
        assert!(all[1]
            .body
            .contains("https://news.example.org/arabic/account/reset "));
        assert!(all[0].body.contains("48 ساعة"), "{}", all[0].body);
    }
}
