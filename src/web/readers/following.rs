//! `/account/following`: what the reader follows (sections, regions, topics), the hour of their daily e-mail, and their private My news feed's address (made, renewed or turned off here).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;
use std::sync::Arc;

use super::edition::AccountEdition;
use super::views::{AccountBar, Field, Problem};
use super::{bar, problems, respond, see_other};
use crate::auth;
use crate::domain::follow::{self, MAX_TOPICS};
use crate::domain::timefmt;
use crate::store::{Following, TopicAdded};
use crate::web::reader_session::SignedInReader;
use crate::web::views::Chrome;
use crate::web::{paths, AppState, WebError};

/// A section or region with the reader's state and the button that changes it.
pub struct SectionChoice {
    pub id: i64,
    pub name: String,
    pub followed: bool,
}

/// One edition's sections (or regions), in a `fieldset` of their own: a reader may
/// follow sections of any edition, and each edition's names are in its language.
pub struct EditionChoices {
    /// The edition's name in its own language, the legend.
    pub name: String,
    pub language: String,
    pub direction: &'static str,
    pub choices: Vec<SectionChoice>,
}

pub struct TopicView {
    pub id: i64,
    pub topic: String,
}

/// One hour in the daily e-mail's list.
pub struct HourOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The private feed: whether there is one, and its address right after it was made
/// (only then: the site keeps only a hash of its secret).
pub struct FeedView {
    pub made_on: Option<String>,
    pub fresh_address: Option<String>,
}

#[derive(Template)]
#[template(path = "account/following.html")]
pub struct FollowingPage {
    pub chrome: Arc<Chrome>,
    pub bar: AccountBar,
    pub title: String,
    pub csrf: String,
    pub problems: Vec<Problem>,
    /// Sections and regions by edition; editions with none are left out.
    pub sections: Vec<EditionChoices>,
    pub regions: Vec<EditionChoices>,
    pub topics: Vec<TopicView>,
    pub topic_field: Field,
    pub max_topics: usize,
    pub hours: Vec<HourOption>,
    pub hour_error: String,
    pub time_zone: String,
    pub feed: FeedView,
}

/// Fixed confirmations (`?done=…`) as message ids, then the account's own.
fn notice(done: Option<&str>) -> Option<&'static str> {
    Some(match done.unwrap_or_default() {
        "followed" => "account-notice-followed",
        "unfollowed" => "account-notice-unfollowed",
        "topic" => "account-notice-topic",
        "topic-removed" => "account-notice-topic-removed",
        "daily" => "account-notice-daily",
        "daily-off" => "account-notice-daily-off",
        "feed-off" => "account-notice-feed-off",
        other => return super::notice(Some(other)),
    })
}

/// What a refused form shows again.
#[derive(Default)]
struct Errors {
    topic: String,
    typed_topic: String,
    hour: String,
}

async fn following_page(
    state: &AppState,
    here: &AccountEdition,
    reader: &SignedInReader,
    done: Option<&str>,
    errors: Errors,
    fresh_feed: Option<String>,
) -> Result<FollowingPage, WebError> {
    let id = reader.reader.id;
    let following = state.store.following(id).await?;
    let choice = |s: &crate::domain::section::Section| SectionChoice {
        id: s.id,
        name: s.name.clone(),
        followed: following.section_ids.contains(&s.id),
    };
    let by_edition = |pick: &dyn Fn(i64) -> Vec<SectionChoice>| -> Vec<EditionChoices> {
        state
            .editions
            .all()
            .iter()
            .map(|e| EditionChoices {
                name: e.name.clone(),
                language: e.language.clone(),
                direction: e.direction.as_str(),
                choices: pick(e.id),
            })
            .filter(|group| !group.choices.is_empty())
            .collect()
    };
    let sections = by_edition(&|edition| {
        state
            .sections
            .of_edition(edition)
            .filter(|s| !s.is_region)
            .map(choice)
            .collect()
    });
    let regions = by_edition(&|edition| state.sections.regions(edition).map(choice).collect());
    let chosen = reader.reader.daily_email_hour;
    let mut hours = vec![HourOption {
        value: "none".into(),
        label: here.t("account-following-daily-none"),
        selected: chosen.is_none(),
    }];
    hours.extend((0..24).map(|h| HourOption {
        value: h.to_string(),
        label: format!("{h:02}:00"),
        selected: chosen == Some(h),
    }));
    let made_on = state
        .store
        .feed_token_created(id)
        .await?
        .map(|at| timefmt::edition_short_date(timefmt::from_unix(at), &here.chrome.edition));
    let topic_field = Field {
        id: "topic",
        name: "topic",
        label: here.t("account-following-topic-label"),
        kind: "text",
        autocomplete: "off",
        value: errors.typed_topic.clone(),
        hint: here.t("account-following-topic-hint"),
        error: errors.topic.clone(),
        required: true,
        max_length: 2 * follow::MAX_TOPIC_CHARS,
    };
    let mut problems = Vec::new();
    for (href, text) in [("#topic", &errors.topic), ("#daily-hour", &errors.hour)] {
        if !text.is_empty() {
            problems.push(Problem {
                href: href.into(),
                text: text.clone(),
            });
        }
    }
    Ok(FollowingPage {
        chrome: Arc::clone(&here.chrome),
        bar: bar(here, Some(reader), notice(done)),
        title: here.t("account-following-title"),
        csrf: reader.csrf.clone(),
        problems,
        sections,
        regions,
        topics: following
            .topics
            .into_iter()
            .map(|t| TopicView {
                id: t.id,
                topic: t.topic,
            })
            .collect(),
        topic_field,
        max_topics: MAX_TOPICS,
        hours,
        hour_error: errors.hour,
        time_zone: timefmt::edition_zone_name(
            &state.site.time_zone_name,
            timefmt::from_unix(state.now()),
            &here.chrome.edition,
        ),
        feed: FeedView {
            made_on,
            fresh_address: fresh_feed,
        },
    })
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    here: AccountEdition,
    reader: SignedInReader,
    Query(query): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let page = following_page(
        &state,
        &here,
        &reader,
        query.done.as_deref(),
        Errors::default(),
        None,
    )
    .await?;
    respond(StatusCode::OK, page, &[])
}

async fn again(
    state: &AppState,
    here: &AccountEdition,
    reader: &SignedInReader,
    errors: Errors,
) -> Result<Response, WebError> {
    let page = following_page(state, here, reader, None, errors, None).await?;
    respond(StatusCode::UNPROCESSABLE_ENTITY, page, &[])
}

#[derive(Deserialize)]
pub struct SectionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    section: String,
    #[serde(default)]
    follow: String,
}

/// Follows or stops following a section or region.
pub async fn section(
    State(state): State<AppState>,
    here: AccountEdition,
    reader: SignedInReader,
    Form(form): Form<SectionForm>,
) -> Result<Response, WebError> {
    reader.check_csrf(&form.csrf)?;
    let section = form
        .section
        .parse::<i64>()
        .ok()
        .and_then(|id| state.sections.by_id(id))
        .ok_or(WebError::NotFound)?;
    let id = reader.reader.id;
    if form.follow == "yes" {
        state
            .store
            .follow_section(id, section.id, state.now())
            .await?;
        Ok(see_other(&here.path("/following"), "followed", &[]))
    } else {
        state.store.unfollow_section(id, section.id).await?;
        Ok(see_other(&here.path("/following"), "unfollowed", &[]))
    }
}

#[derive(Deserialize)]
pub struct TopicForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    topic: String,
}

pub async fn add_topic(
    State(state): State<AppState>,
    here: AccountEdition,
    reader: SignedInReader,
    Form(form): Form<TopicForm>,
) -> Result<Response, WebError> {
    reader.check_csrf(&form.csrf)?;
    let refuse = |message: String| Errors {
        topic: message,
        typed_topic: form
            .topic
            .chars()
            .take(2 * follow::MAX_TOPIC_CHARS)
            .collect(),
        ..Errors::default()
    };
    let topic = match follow::parse_topic(&form.topic) {
        Ok(topic) => topic,
        Err(problem) => {
            return again(
                &state,
                &here,
                &reader,
                refuse(problems::topic(&here, problem)),
            )
            .await
        }
    };
    match state
        .store
        .add_topic(reader.reader.id, &topic, MAX_TOPICS, state.now())
        .await?
    {
        TopicAdded::Added => Ok(see_other(&here.path("/following"), "topic", &[])),
        TopicAdded::AlreadyFollowed => {
            let message = here.t("account-problem-topic-followed");
            again(&state, &here, &reader, refuse(message)).await
        }
        TopicAdded::TooMany => {
            let message = here.t1("account-problem-topic-limit", "max", MAX_TOPICS);
            again(&state, &here, &reader, refuse(message)).await
        }
    }
}

#[derive(Deserialize)]
pub struct RemoveTopicForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    topic: String,
}

pub async fn remove_topic(
    State(state): State<AppState>,
    here: AccountEdition,
    reader: SignedInReader,
    Form(form): Form<RemoveTopicForm>,
) -> Result<Response, WebError> {
    reader.check_csrf(&form.csrf)?;
    let topic = form.topic.parse::<i64>().map_err(|_| WebError::NotFound)?;
    state.store.remove_topic(reader.reader.id, topic).await?;
    Ok(see_other(&here.path("/following"), "topic-removed", &[]))
}

#[derive(Deserialize)]
pub struct DailyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    hour: String,
}

/// Sets the daily e-mail's hour. A new hour that has already passed today starts
/// tomorrow (`domain::follow::day_done_on_choosing`); the same hour again changes nothing.
pub async fn daily(
    State(state): State<AppState>,
    here: AccountEdition,
    reader: SignedInReader,
    Form(form): Form<DailyForm>,
) -> Result<Response, WebError> {
    reader.check_csrf(&form.csrf)?;
    let hour = match follow::parse_daily_hour(&form.hour) {
        Ok(hour) => hour,
        Err(_) => {
            return again(
                &state,
                &here,
                &reader,
                Errors {
                    hour: problems::hour(&here),
                    ..Errors::default()
                },
            )
            .await
        }
    };
    if hour != reader.reader.daily_email_hour {
        let now = follow::local_hour(state.now(), &state.site.time_zone);
        let day_done = follow::day_done_on_choosing(hour, now);
        state
            .store
            .set_daily_hour(reader.reader.id, hour, day_done)
            .await?;
    }
    Ok(see_other(
        &here.path("/following"),
        if hour.is_some() { "daily" } else { "daily-off" },
        &[],
    ))
}

#[derive(Deserialize)]
pub struct FeedForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    action: String,
}

/// Makes (or renews) the private feed's address and shows it, this once; or turns the feed off.
pub async fn feed(
    State(state): State<AppState>,
    here: AccountEdition,
    reader: SignedInReader,
    Form(form): Form<FeedForm>,
) -> Result<Response, WebError> {
    reader.check_csrf(&form.csrf)?;
    let id = reader.reader.id;
    if form.action == "off" {
        state.store.revoke_feed_token(id).await?;
        return Ok(see_other(&here.path("/following"), "feed-off", &[]));
    }
    let secret = auth::random_token();
    state
        .store
        .renew_feed_token(id, &auth::token_hash(&secret), state.now())
        .await?;
    let address = format!("{}{}", state.site.base_url, paths::my_news_feed(&secret));
    // Shown in this answer only, never in a redirect's address (which browsers keep in history).
    let page = following_page(
        &state,
        &here,
        &reader,
        None,
        Errors::default(),
        Some(address),
    )
    .await?;
    respond(StatusCode::OK, page, &[])
}

/// The reader's follows as the My news page and its feed describe them.
pub fn describe(state: &AppState, following: &Following) -> Vec<String> {
    let mut names: Vec<String> = following
        .section_ids
        .iter()
        .filter_map(|id| state.sections.by_id(*id))
        .map(|s| s.name.clone())
        .collect();
    names.extend(
        following
            .topics
            .iter()
            .map(|t| format!("\u{201c}{}\u{201d}", t.topic)),
    );
    names
}

/// What the data download says of what the reader follows, their private feed
/// (when it was made: never its secret) and the daily e-mail.
#[derive(serde::Serialize)]
pub struct Export {
    sections: Vec<ExportedSection>,
    topics: Vec<ExportedTopic>,
    private_feed_made_at: Option<String>,
    /// The last day (yyyymmdd, the site's time zone) whose daily e-mail was sent or skipped.
    daily_email_last_day: Option<i64>,
}

#[derive(serde::Serialize)]
struct ExportedSection {
    id: i64,
    name: String,
}

#[derive(serde::Serialize)]
struct ExportedTopic {
    topic: String,
    followed_at: String,
}

pub async fn export(state: &AppState, reader_id: i64) -> Result<Export, WebError> {
    let time = |at: i64| timefmt::rfc3339(timefmt::from_unix(at));
    let following = state.store.following(reader_id).await?;
    Ok(Export {
        sections: following
            .section_ids
            .iter()
            .map(|id| ExportedSection {
                id: *id,
                name: state
                    .sections
                    .by_id(*id)
                    .map(|s| s.name.clone())
                    .unwrap_or_default(),
            })
            .collect(),
        topics: following
            .topics
            .into_iter()
            .map(|t| ExportedTopic {
                topic: t.topic,
                followed_at: time(t.created_at),
            })
            .collect(),
        private_feed_made_at: state.store.feed_token_created(reader_id).await?.map(time),
        daily_email_last_day: state.store.last_daily_on(reader_id).await?,
    })
}
