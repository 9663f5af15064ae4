//! The JSON Content API, checked against its OpenAPI document.

pub(crate) mod content;
pub(crate) mod live_posts;
mod search_window;
