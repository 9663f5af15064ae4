//! The API's JSON shapes, built from domain values.

use serde_json::{json, Value};

use crate::domain::markup::{Block, Body};
use crate::domain::story::Story;
use crate::domain::timefmt;
use crate::media;
use crate::store::{Correction, LivePage, LivePost, StorySummary};
use crate::web::html::PictureSizes;
use crate::web::translations::Translations;
use crate::web::{live_posts, paths, AppState};

fn time(seconds: Option<i64>) -> Value {
    seconds.map_or(Value::Null, |s| {
        Value::String(timefmt::rfc3339(timefmt::from_unix(s)))
    })
}

/// A picture with its renditions' absolute URLs.
pub fn image(state: &AppState, id: i64, width: i64, height: i64, alt: Option<&str>) -> Value {
    let base = &state.site.base_url;
    let renditions: Vec<Value> = media::WIDTHS
        .iter()
        .map(|w| {
            let shown = media::rendition_width(width, *w);
            let h = if width > 0 { height * shown / width } else { height };
            json!({ "width": shown, "height": h, "url": format!("{base}{}", paths::image(id, *w)), "content_type": "image/jpeg" })
        })
        .collect();
    let mut value = json!({ "id": id, "width": width, "height": height, "renditions": renditions });
    if let Some(alt) = alt {
        value["alt"] = json!(alt);
    }
    value
}

fn section(state: &AppState, section_id: i64) -> Value {
    match state.sections.by_id(section_id) {
        Some(s) => json!({ "slug": s.slug, "name": s.name }),
        None => Value::Null,
    }
}

/// The BCP 47 tag of the edition a section belongs to (English for an unknown section).
pub fn language(state: &AppState, section_id: i64) -> String {
    state
        .sections
        .by_id(section_id)
        .and_then(|s| state.editions.by_id(s.edition_id))
        .unwrap_or(state.editions.root())
        .language
        .clone()
}

/// A story's public versions in other editions, each with its language and addresses.
pub fn translations(translations: &Translations) -> Value {
    Value::Array(
        translations
            .others()
            .map(|v| {
                json!({ "id": v.story_id, "language": v.language, "url": v.url, "api_url": v.api_url })
            })
            .collect(),
    )
}

pub fn story_url(state: &AppState, section_id: i64, slug: &str, id: i64) -> String {
    match state.sections.by_id(section_id) {
        Some(s) => format!("{}{}", state.site.base_url, paths::story(s, slug, id)),
        None => format!("{}/news/{id}", state.site.base_url),
    }
}

pub fn summary(state: &AppState, s: &StorySummary) -> Value {
    let picture = match (s.lead_image_id, s.lead_image_width, s.lead_image_height) {
        (Some(id), Some(w), Some(h)) => image(state, id, w, h, Some(&s.lead_image_alt)),
        _ => Value::Null,
    };
    json!({
        "id": s.id,
        "url": story_url(state, s.section_id, &s.slug, s.id),
        "language": language(state, s.section_id),
        "headline": s.headline,
        "promo_headline": s.list_headline(),
        "summary": s.summary,
        "byline": s.byline,
        "section": section(state, s.section_id),
        "first_published": time(s.first_published_at),
        "last_updated": time(s.last_updated_at),
        "image": picture,
    })
}

/// A body's blocks as the API gives them: a picture block also carries its
/// stored picture's renditions (`image`, null for a picture never stored).
fn body_blocks(state: &AppState, body: &Body, pictures: &PictureSizes) -> Value {
    Value::Array(
        body.blocks
            .iter()
            .map(|block| {
                let mut value = json!(block);
                if let Block::Picture { image_id, .. } = block {
                    value["image"] = pictures
                        .get(*image_id)
                        .map_or(Value::Null, |(w, h)| image(state, *image_id, w, h, None));
                }
                value
            })
            .collect(),
    )
}

/// A whole story with its body as structured blocks, and its versions in other editions.
#[allow(clippy::too_many_arguments)]
pub fn story(
    state: &AppState,
    story: &Story,
    body: &Body,
    pictures: &PictureSizes,
    image_size: Option<(i64, i64)>,
    related: &[StorySummary],
    corrections: &[Correction],
    versions: &Translations,
) -> Value {
    let c = &story.content;
    let picture = match (&c.lead_image, image_size) {
        (Some(lead), Some((w, h))) => {
            let mut value = image(state, lead.image_id, w, h, Some(&lead.alt));
            value["caption"] = json!(lead.caption);
            value["credit"] = json!(lead.credit);
            value
        }
        _ => Value::Null,
    };
    let url = story_url(state, c.section_id, &c.slug, story.id);
    json!({
        "id": story.id,
        "url": url,
        "history_url": format!("{url}/history"),
        "language": language(state, c.section_id),
        "translations": translations(versions),
        "headline": c.headline,
        "promo_headline": c.list_headline(),
        "summary": c.summary,
        "byline": c.byline,
        "section": section(state, c.section_id),
        "first_published": time(story.first_published_at),
        "last_updated": time(story.last_updated_at),
        "image": picture,
        "body": body_blocks(state, body, pictures),
        "related": related.iter().map(|r| summary(state, r)).collect::<Vec<_>>(),
        "links": c.links.iter().map(|l| json!({ "title": l.title, "url": l.url })).collect::<Vec<_>>(),
        "corrections": corrections.iter().map(|k| json!({ "date": time(Some(k.at)), "text": k.text })).collect::<Vec<_>>(),
    })
}

/// A live page's state: running or ended (with when and the closing summary),
/// and where its posts are.
pub fn live_page(state: &AppState, page: &LivePage) -> Value {
    let base = &state.site.base_url;
    let ended = page.ended_at.is_some();
    json!({
        "state": live_posts::state_name(page),
        "started_at": time(Some(page.started_at)),
        "ended_at": time(page.ended_at),
        "summary": ended.then(|| page.summary.clone()),
        "posts_url": format!("{base}{}", paths::api_live_posts(page.story_id)),
        "feed_url": format!("{base}{}", paths::live_feed(page.story_id)),
    })
}

/// One published post of the live page at `article_url`: its markup as written
/// (`body`) and as the page shows it (`body_html`, the one renderer's `<article>`).
pub fn live_post(state: &AppState, article_url: &str, post: &LivePost) -> Value {
    let picture = post.image_id.map_or(Value::Null, |id| {
        image(
            state,
            id,
            post.image_width,
            post.image_height,
            Some(&post.image_alt),
        )
    });
    json!({
        "id": post.id,
        "seq": post.seq,
        "url": live_posts::on_page(article_url, post.id),
        "published_at": time(post.published_at),
        "updated_at": time(Some(post.updated_at)),
        "pinned": post.pinned,
        "byline": post.byline,
        "body": post.body,
        "body_html": live_posts::html(state, post).into_string(),
        "image": picture,
    })
}
