//! The breaking-news banner in the newsroom: an editor sets one line and a link,
//! or removes it; each is one transaction with its audit row, after which this
//! node drops every cached public page (the other nodes learn from the log).

use super::{Actor, Editorial, EditorialError};
use crate::domain::breaking;

impl Editorial<'_> {
    /// Runs a banner on every public page, in place of any running one (editors only).
    pub async fn set_breaking_news(
        &self,
        actor: Actor<'_>,
        text: &str,
        link: &str,
        now: i64,
    ) -> Result<(), EditorialError> {
        if !actor.role.is_editor() {
            return Err(EditorialError::NotAllowed);
        }
        let banner = breaking::check(text, link).map_err(|p| EditorialError::Field {
            field: p.field,
            message: p.message,
        })?;
        let logged = self
            .store
            .set_breaking_news(&banner, actor.name, now)
            .await?;
        self.copies.drop_logged(&logged);
        Ok(())
    }

    /// Removes the running banner (editors only); nothing happens when none runs.
    pub async fn clear_breaking_news(
        &self,
        actor: Actor<'_>,
        now: i64,
    ) -> Result<(), EditorialError> {
        if !actor.role.is_editor() {
            return Err(EditorialError::NotAllowed);
        }
        let logged = self.store.clear_breaking_news(actor.name, now).await?;
        if !logged.is_empty() {
            self.copies.drop_logged(&logged);
        }
        Ok(())
    }
}
