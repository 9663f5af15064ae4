//! The JSON Content API, checked against its OpenAPI document.

pub(crate) mod content;
mod search_window;
