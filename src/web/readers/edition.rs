//! The edition an account page is in (from its path: `/arabic/account/…` is the Arabic edition's): its chrome, which gives the page text in the edition's language, and the paths of its account pages, so a reader who starts in an edition stays in it.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::domain::edition::Editions;
use crate::web::edition::PageEdition;
use crate::web::l10n::Arg;
use crate::web::views::Chrome;
use crate::web::AppState;

/// An account page's edition, as its chrome, and every edition (the choice of
/// the e-mails' language lists them).
pub struct AccountEdition {
    pub chrome: Arc<Chrome>,
    pub editions: Arc<Editions>,
}

impl AccountEdition {
    pub fn new(state: &AppState, edition: &PageEdition) -> AccountEdition {
        AccountEdition {
            chrome: Chrome::new(state, &edition.0, None),
            editions: Arc::clone(&state.editions),
        }
    }

    /// Page text `id` of `locales/<locale>/account.ftl`.
    pub fn t(&self, id: &str) -> String {
        self.chrome.t(id)
    }

    pub fn t1(&self, id: &str, name: &'static str, value: impl Arg) -> String {
        self.chrome.t1(id, name, value)
    }

    pub fn t2(
        &self,
        id: &str,
        name: &'static str,
        value: impl Arg,
        name2: &'static str,
        value2: impl Arg,
    ) -> String {
        self.chrome.t2(id, name, value, name2, value2)
    }

    /// An account page of this edition: `path("/saved")` is `/arabic/account/saved`.
    pub fn path(&self, rest: &str) -> String {
        self.chrome.account_href(rest)
    }

    /// The edition's front page.
    pub fn home(&self) -> String {
        self.chrome.home_href.clone()
    }

    /// The edition's URL prefix ("" for the English edition).
    pub fn prefix(&self) -> &str {
        &self.chrome.edition.prefix
    }
}

impl FromRequestParts<AppState> for AccountEdition {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let edition = PageEdition::from_request_parts(parts, state).await?;
        Ok(AccountEdition::new(state, &edition))
    }
}
