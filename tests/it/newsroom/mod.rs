//! The newsroom as staff use it: access, the desk, the story editor, the
//! editorial workflow and its rules (sending back with review notes among
//! them), live pages and their screen, the breaking-news banner, editions
//! (linked versions, staff limited to editions in search, curation, moderation
//! and new accounts), and the messages people read.

mod access;
mod autosave;
mod autosave_guard;
mod body_pictures;
mod breaking_news;
mod concurrent_writes;
pub(crate) mod desk;
mod edition_limits;
mod edition_search;
mod editions;
mod editor;
mod editorial;
mod embargo_rules;
mod imported_picture;
mod live_desk;
mod live_pages;
mod messages;
mod review_notes;
mod script;
pub(crate) mod sponsor_campaigns;
pub(crate) mod workflow;
