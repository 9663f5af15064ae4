//! The public site as readers and their machines see it: pages, addresses,
//! caches, feeds, search, and stories that must never show.

mod article;
mod article_queries;
mod caching;
mod conditional_get;
mod distribution;
mod edition_problems;
pub(crate) mod edition_search;
pub(crate) mod editions_chrome;
mod fronts;
mod hostile;
mod inline_reads;
mod live_feed;
mod live_page;
mod live_streams;
mod never_public;
mod picture_formats;
mod records;
mod search;
mod search_hostile;
mod search_pairs;
pub(crate) mod sponsor;
mod translations;
mod urls;
