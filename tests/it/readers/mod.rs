//! Readers: accounts and their mail, the signed-in reader on the public site,
//! saved stories, what readers follow (My news, its feed) and the daily e-mail, e-mails in each reader's edition's language; `visitor` and `mail` are the helpers the others share.

mod accounts;
mod comments;
mod daily_email;
mod editions;
mod editions_mail;
mod following;
mod guard;
pub mod mail;
pub mod pages;
mod saved;
pub mod visitor;
