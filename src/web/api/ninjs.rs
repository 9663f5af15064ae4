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
use crate::web::AppState;

pub const NINJS_SCHEMA: &str = "http://www.iptc.org/std/ninjs/ninjs-schema_2.0.json";

pub async fn story(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let story = public_story(&state, &id).await?;
    let doc = document(&state, &story).await?;
    Ok(cacheable_json(doc, &[keys::story(story.id)]))
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
    let html = html::blocks(&body.blocks).into_string();
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
        "language": "en-GB",
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
    if let (Some(lead), Some((w, h))) = (&c.lead_image, image_size(state, story).await?) {
        let picture = views::image(state, lead.image_id, w, h, None);
        // ninjs 2.0 lists associations and renditions as arrays of named objects.
        doc["associations"] = json!([{
                "name": "featureimage",
                "uri": format!("{}/api/v1/images/{}", state.site.base_url, lead.image_id),
                "type": "picture",
                "headlines": [{ "value": lead.caption, "role": "caption" }],
                "descriptions": [{ "value": lead.alt, "role": "alt" }],
                "copyrightnotice": lead.credit,
                "renditions": picture["renditions"].as_array().map(|r| r.iter().map(|x| json!({
                    "name": format!("w{}", x["width"]), "href": x["url"], "width": x["width"], "height": x["height"], "contenttype": "image/jpeg"
                })).collect::<Vec<_>>()).unwrap_or_default(),
        }]);
    }
    Ok(doc)
}
