//! What every e-mail to a reader shares: the language of the reader's edition, links to that edition's pages, and the signature.
//!
//! A reader's e-mails are written in their edition's language (`readers.edition_id`,
//! migration 0024) from `locales/<locale>/mail.ftl`, and link to that edition's
//! pages: `{site}/arabic/account/…` for the Arabic edition, `{site}/account/…` for
//! the English one, as before there were editions. Plain text needs no direction
//! mark-up: a mail program lays out each paragraph by its own first letters.

use fluent_bundle::FluentValue;

use super::{l10n, AppState};
use crate::domain::edition::Edition;
use crate::domain::reader::TokenPurpose;

/// The words and addresses of e-mails in one edition.
pub struct EditionMail<'a> {
    pub edition: &'a Edition,
    /// The site's address, without a trailing slash.
    base_url: &'a str,
}

impl<'a> EditionMail<'a> {
    pub fn new(state: &'a AppState, edition: &'a Edition) -> EditionMail<'a> {
        EditionMail::at(&state.site.base_url, edition)
    }

    /// The e-mails of `edition` on the site at `base_url` (no trailing slash).
    pub fn at(base_url: &'a str, edition: &'a Edition) -> EditionMail<'a> {
        EditionMail { edition, base_url }
    }

    /// The e-mails of the reader's edition `edition_id`; the English edition's when
    /// the edition is unknown (the foreign key makes that a mistake, not a choice).
    pub fn of_reader(state: &'a AppState, edition_id: i64) -> EditionMail<'a> {
        let edition = state
            .editions
            .by_id(edition_id)
            .unwrap_or_else(|| state.editions.root());
        EditionMail::new(state, edition)
    }

    /// Message `id` of `mail.ftl` in the edition's language (`$site` is its site
    /// name), without the isolation marks a right-to-left locale puts around each
    /// value: a message's text may not set directions (`Message::new` drops them),
    /// and a link inside them would not be found as one.
    pub fn text(&self, id: &str, vars: Vec<(&'static str, FluentValue<'static>)>) -> String {
        l10n::edition_text(self.edition, id, vars)
            .chars()
            .filter(|c| !matches!(c, '\u{2066}'..='\u{2069}'))
            .collect()
    }

    /// The `Content-Language` of the e-mail: the edition's language tag.
    pub fn language(&self) -> &str {
        &self.edition.language
    }

    /// The absolute address of the edition's page `path`: `/account/reset` →
    /// `https://example.org/arabic/account/reset`.
    pub fn page(&self, path: &str) -> String {
        format!("{}{}", self.base_url, self.edition.path(path))
    }

    /// A one-time link: the edition's page `path` with the secret `token`.
    pub fn link(&self, path: &str, token: &str) -> String {
        format!("{}?token={token}", self.page(path))
    }

    /// How long a link for `purpose` works, in words.
    pub fn lifetime(&self, purpose: TokenPurpose) -> String {
        let id = match purpose {
            TokenPurpose::Verify => "mail-lifetime-verify",
            TokenPurpose::SignIn => "mail-lifetime-sign-in",
            TokenPurpose::Reset => "mail-lifetime-reset",
            TokenPurpose::ChangeEmail => "mail-lifetime-change-email",
        };
        self.text(id, Vec::new())
    }

    /// The closing lines: the signature separator, the edition's site name and its front page.
    pub fn signature(&self) -> String {
        format!(
            "\n\n-- \n{}\n{}{}\n",
            self.edition.site_name,
            self.base_url,
            self.edition.home()
        )
    }

    /// A body of `paragraphs`, a blank line apart, then the signature.
    pub fn body(&self, paragraphs: &[String]) -> String {
        format!("{}{}", paragraphs.join("\n\n"), self.signature())
    }
}

/// A text value for a message.
pub fn arg(value: impl l10n::Arg) -> FluentValue<'static> {
    value.value()
}
