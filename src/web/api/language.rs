//! The API's `language` parameter: which edition a list or a search is about,
//! named by the edition's BCP 47 tag (`en-GB`, `ar`, `ru`).

use std::sync::Arc;

use super::ApiError;
use crate::domain::edition::{Edition, Editions};
use crate::domain::text::quoted;

/// The edition whose language is `tag` (compared without regard to case, as
/// BCP 47 tags are); the English edition when no tag was given, as before
/// editions. An unknown tag is a 400 naming the languages there are.
pub fn edition_of(editions: &Editions, tag: Option<&str>) -> Result<Arc<Edition>, ApiError> {
    let Some(tag) = tag else {
        return Ok(Arc::clone(editions.root()));
    };
    editions
        .all()
        .iter()
        .find(|e| e.language.eq_ignore_ascii_case(tag))
        .cloned()
        .ok_or_else(|| {
            let known: Vec<&str> = editions.all().iter().map(|e| e.language.as_str()).collect();
            ApiError::bad_request(format!(
                "unknown language {}; the editions' languages are {}",
                quoted(tag),
                known.join(", ")
            ))
        })
}
