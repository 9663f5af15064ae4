//! Readers: accounts and their mail, the signed-in reader on the public site,
//! saved stories; `visitor` and `mail` are the helpers the others share.

mod accounts;
mod comments;
mod guard;
pub mod mail;
pub mod pages;
mod saved;
pub mod visitor;
