//! Which edition a request is for: the one whose prefix its path starts with.

use std::sync::Arc;

use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::request::Parts;

use super::AppState;
use crate::domain::edition::Edition;

/// The edition of the page being asked for (`/arabic/…` → Arabic, else English).
/// Routes of other editions are nested under their prefix, so the original path
/// (before nesting stripped it) decides.
#[derive(Clone)]
pub struct PageEdition(pub Arc<Edition>);

impl PageEdition {
    /// The edition of a request's path.
    pub fn of_path(state: &AppState, path: &str) -> PageEdition {
        PageEdition(Arc::clone(state.editions.for_path(path)))
    }
}

impl std::ops::Deref for PageEdition {
    type Target = Edition;
    fn deref(&self) -> &Edition {
        &self.0
    }
}

impl FromRequestParts<AppState> for PageEdition {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let path = match parts.extensions.get::<OriginalUri>() {
            Some(original) => original.0.path().to_string(),
            None => parts.uri.path().to_string(),
        };
        Ok(PageEdition::of_path(state, &path))
    }
}
