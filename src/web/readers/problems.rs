//! Form problems in the page's language: each refusal the domain gives (an address, a name, a password, a topic, an hour) and the rate limit's, as a message of `account.ftl`.

use super::edition::AccountEdition;
use crate::auth::{PasswordProblem, MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS};
use crate::domain::follow::{TopicProblem, MAX_TOPIC_CHARS};
use crate::domain::reader::{NameProblem, MAX_DISPLAY_NAME_CHARS};
use crate::domain::search_query::{QueryError, MAX_CLAUSES};

/// An address that is not one (`parse_email` has one refusal).
pub fn email(here: &AccountEdition) -> String {
    here.t("account-problem-email")
}

pub fn name(here: &AccountEdition, problem: NameProblem) -> String {
    match problem {
        NameProblem::Missing => here.t("account-problem-name-missing"),
        NameProblem::TooLong => here.t1(
            "account-problem-name-too-long",
            "max",
            MAX_DISPLAY_NAME_CHARS,
        ),
        NameProblem::NoLetterOrDigit => here.t("account-problem-name-no-letter"),
    }
}

/// A new password the policy refuses ("Choose another password: …").
pub fn password(here: &AccountEdition, problem: PasswordProblem) -> String {
    match problem {
        PasswordProblem::TooShort => here.t1(
            "account-problem-password-too-short",
            "min",
            MIN_PASSWORD_CHARS,
        ),
        PasswordProblem::TooLong => here.t1(
            "account-problem-password-too-long",
            "max",
            MAX_PASSWORD_BYTES,
        ),
    }
}

pub fn topic(here: &AccountEdition, problem: TopicProblem) -> String {
    let too_long = || here.t1("account-problem-topic-too-long", "max", MAX_TOPIC_CHARS);
    match problem {
        TopicProblem::Empty => here.t("account-problem-topic-empty"),
        TopicProblem::TooLong => too_long(),
        TopicProblem::Query(e) => match e {
            QueryError::Empty => here.t("account-problem-topic-no-words"),
            // A topic is shorter than a search may be; said the topic's way all the same.
            QueryError::TooLong => too_long(),
            QueryError::TooManyClauses => {
                here.t1("account-problem-topic-too-many-words", "max", MAX_CLAUSES)
            }
            QueryError::UnclosedQuote => here.t("account-problem-topic-unclosed-quote"),
            QueryError::OnlyExclusions => here.t("account-problem-topic-only-exclusions"),
        },
    }
}

/// An hour not in the daily e-mail's list (`parse_daily_hour` has one refusal).
pub fn hour(here: &AccountEdition) -> String {
    here.t("account-problem-hour")
}

/// Too many attempts: wait `seconds` (at least one).
pub fn too_many(here: &AccountEdition, seconds: i64) -> String {
    here.t1("account-problem-too-many", "count", seconds.max(1))
}
