//! IPTC ninjs 2.0: each story as a syndication document for partners.

use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::json;

use super::stories::{image_size, public_story};
use super::{cacheable_json, views, ApiError};
use crate::domain::markup;
use crate::domain::story::Story;
use crate::domain::timefmt;
use crate::web::html;
use crate::web::invalidation::keys;
use crate::web::translations;
use crate::web::AppState;

pub const NINJS_SCHEMA: &str = "http://www.iptc.org/std/ninjs/ninjs-schema_2.0.json";

pub async fn story(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let story = public_story(&state, &id).await?;
    let doc = document(&state, &story).await?;
    // The document names the story's public versions: any change to one purges it.
    let versions = translations::of_story(&state, story.id).await?;
    let mut surrogate = vec![keys::story(story.id)];
    surrogate.extend(versions.keys);
    Ok(cacheable_json(doc, &surrogate))
}

/// The ninjs document of a public story (also written by `dateline export --ninjs`).
/// A story's ninjs `uri`: its permanent short address on this site.
pub fn uri(base_url: &str, id: i64) -> String {
    format!("{base_url}/news/{id}")
}

pub async fn document(state: &AppState, story: &Story) -> Result<serde_json::Value, ApiError> {
    let c = &story.content;
    let body = markup::parse_for_display(&c.body);
    // The intro is the first paragraph, so the whole body is every block as it stands.
    let pictures = html::PictureSizes::new(state.store.image_sizes(&body.image_ids()).await?);
    // Partners publish the body elsewhere: its pictures' addresses are absolute.
    let html = absolute_pictures(
        &html::blocks(&body.blocks, &pictures).into_string(),
        &state.site.base_url,
    );
    let time = |s: Option<i64>| s.map(|s| timefmt::rfc3339(timefmt::from_unix(s)));
    let url = views::story_url(state, c.section_id, &c.slug, story.id);
    let section = state.sections.by_id(c.section_id);
    // ninjs 2.0 allows no property outside its own list (no `$schema`, no `links`):
    // the schema is named in `standard`, the web page is a rendition.
    let mut doc = json!({
        "standard": { "name": "ninjs", "version": "2.0", "schema": NINJS_SCHEMA },
        "uri": uri(&state.site.base_url, story.id),
        "type": "text",
        "representationtype": "full",
        "profile": "dateline-story",
        "version": story.live_revision.unwrap_or(story.revision).to_string(),
        "pubstatus": "usable",
        "language": views::language(state, c.section_id),
        "headlines": [{ "value": c.headline, "role": "main" }, { "value": c.list_headline(), "role": "short" }],
        "descriptions": [{ "value": c.summary, "role": "summary", "contenttype": "text/plain" }],
        "bodies": [{ "value": html, "role": "main", "contenttype": "text/html", "charcount": body.plain_text().chars().count() }],
        "subjects": section.map(|s| vec![json!({ "name": s.name, "uri": format!("{}{}", state.site.base_url, crate::web::paths::section(s)) })]).unwrap_or_default(),
        "copyrightholder": state.site.name,
        "renditions": [{ "name": "web", "href": url, "contenttype": "text/html", "title": "The story on the website" }],
    });
    // Dates are strings or absent, never null.
    for (name, at) in [
        ("firstcreated", story.first_published_at),
        ("versioncreated", story.last_updated_at),
    ] {
        if let Some(at) = time(at) {
            doc[name] = json!(at);
        }
    }
    if !c.byline.is_empty() {
        doc["by"] = json!(c.byline);
    }
    // ninjs 2.0 lists associations and renditions as arrays of named objects:
    // the lead picture, then each picture in the body.
    let mut associations = Vec::new();
    if let (Some(lead), Some(size)) = (&c.lead_image, image_size(state, story).await?) {
        let mut picture = association(
            state,
            "featureimage",
            lead.image_id,
            size,
            &lead.alt,
            &lead.caption,
        );
        picture["copyrightnotice"] = json!(lead.credit);
        associations.push(picture);
    }
    let body_pictures = body.blocks.iter().filter_map(|block| match block {
        markup::Block::Picture {
            image_id,
            alt,
            caption,
        } => Some((*image_id, alt, caption)),
        _ => None,
    });
    for (n, (id, alt, caption)) in body_pictures.enumerate() {
        if let Some(size) = pictures.get(id) {
            associations.push(association(
                state,
                &format!("bodypicture{}", n + 1),
                id,
                size,
                alt,
                caption,
            ));
        }
    }
    // The story's public versions in other editions, each a text association
    // named by its language, with its web page and its API story as renditions.
    let versions = translations::of_story(state, story.id).await?;
    for version in versions.others() {
        associations.push(json!({
            "name": format!("translation-{}", version.language),
            "uri": uri(&state.site.base_url, version.story_id),
            "type": "text",
            "language": version.language,
            "renditions": [
                { "name": "web", "href": version.url, "contenttype": "text/html" },
                { "name": "api", "href": version.api_url, "contenttype": "application/json" },
            ],
        }));
    }
    if !associations.is_empty() {
        doc["associations"] = json!(associations);
    }
    Ok(doc)
}

/// A stored picture as a named ninjs association, with its renditions.
fn association(
    state: &AppState,
    name: &str,
    id: i64,
    (w, h): (i64, i64),
    alt: &str,
    caption: &str,
) -> serde_json::Value {
    let picture = views::image(state, id, w, h, None);
    json!({
        "name": name,
        "uri": format!("{}/api/v1/images/{id}", state.site.base_url),
        "type": "picture",
        "headlines": [{ "value": caption, "role": "caption" }],
        "descriptions": [{ "value": alt, "role": "alt" }],
        "renditions": picture["renditions"].as_array().map(|r| r.iter().map(|x| json!({
            "name": format!("w{}", x["width"]), "href": x["url"], "width": x["width"], "height": x["height"], "contenttype": "image/jpeg"
        })).collect::<Vec<_>>()).unwrap_or_default(),
    })
}

/// Body HTML with its pictures' site-relative addresses (in `src` and `srcset`) made absolute.
fn absolute_pictures(html: &str, base_url: &str) -> String {
    html.replace("\"/images/", &format!("\"{base_url}/images/"))
        .replace(", /images/", &format!(", {base_url}/images/"))
}
