//! The newsroom's domain: stories, sections, markup and the rules that bind them. Pure, no I/O.

pub mod breaking;
pub mod comment;
pub mod diff;
pub mod edition;
pub mod embargo;
pub mod follow;
pub mod front;
pub mod links;
pub mod live;
pub mod markup;
pub mod reader;
pub mod review;
pub mod search_query;
pub mod section;
pub mod slug;
pub mod snippet;
pub mod sponsor;
pub mod story;
pub mod text;
pub mod timefmt;
pub mod user;
pub mod workflow;
