//! The API's JSON shapes, built from domain values.

use serde_json::{json, Value};

use crate::domain::markup::Body;
use crate::domain::story::Story;
use crate::domain::timefmt;
use crate::media;
use crate::store::{Correction, StorySummary};
use crate::web::{paths, AppState};

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

/// A whole story with its body as structured blocks.
pub fn story(
    state: &AppState,
    story: &Story,
    body: &Body,
    image_size: Option<(i64, i64)>,
    related: &[StorySummary],
    corrections: &[Correction],
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
        "headline": c.headline,
        "promo_headline": c.list_headline(),
        "summary": c.summary,
        "byline": c.byline,
        "section": section(state, c.section_id),
        "first_published": time(story.first_published_at),
        "last_updated": time(story.last_updated_at),
        "image": picture,
        "body": body.blocks,
        "related": related.iter().map(|r| summary(state, r)).collect::<Vec<_>>(),
        "links": c.links.iter().map(|l| json!({ "title": l.title, "url": l.url })).collect::<Vec<_>>(),
        "corrections": corrections.iter().map(|k| json!({ "date": time(Some(k.at)), "text": k.text })).collect::<Vec<_>>(),
    })
}
