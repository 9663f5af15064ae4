//! The newsroom as staff use it: access, the story editor, the editorial
//! workflow and its rules, live pages and their screen, the breaking-news
//! banner, and the messages people read.

mod access;
mod body_pictures;
mod breaking_news;
mod concurrent_writes;
mod editor;
mod editorial;
mod embargo_rules;
mod imported_picture;
mod live_desk;
mod live_pages;
mod messages;
pub(crate) mod workflow;
