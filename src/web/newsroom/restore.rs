//! The editor's offer to restore unsaved changes: when the user's autosave slot
//! holds something other than the story as saved (a new story: anything typed),
//! the editor page says when it was typed, shows each changed field as a word
//! diff, and offers "Restore" (`?restore=autosave`: the form filled from the slot,
//! on the slot's base revision, so saving it is checked for conflicts) or
//! "Discard them".

use super::autosave::site_time;
use super::form::EditorForm;
use super::Staff;
use crate::domain::diff;
use crate::domain::slug::slugify;
use crate::domain::story::Story;
use crate::domain::text::{clean_block, clean_line};
use crate::domain::timefmt;
use crate::store::Slot;
use crate::web::views::DiffView;
use crate::web::{AppState, WebError};

/// What the restore offer shows (templates/newsroom/_restore_offer.html).
pub struct RestoreOfferView {
    /// Site time, HH:MM, for the heading.
    pub saved_at: String,
    /// The full time stamp, for the sentence below it.
    pub saved_stamp: String,
    /// Each field that differs: the saved version → the unsaved one.
    pub changes: Vec<DiffView>,
    /// Set when the story was saved again after the changes were begun.
    pub stale_note: String,
    pub restore_href: String,
    pub discard_href: String,
}

/// The user's slot on `story` (`None`: their new-story slot) as a form, with the
/// revision it was typed on and when; `None` when there is none (or it cannot be read).
pub async fn slot_form(
    state: &AppState,
    staff: &Staff,
    story: Option<&Story>,
) -> Result<Option<(EditorForm, i64)>, WebError> {
    let slot = story.map_or(Slot::NewStory, |s| Slot::Story(s.id));
    let Some(saved) = state.store.autosave(staff.user.id, slot).await? else {
        return Ok(None);
    };
    match serde_json::from_str::<EditorForm>(&saved.form) {
        Ok(mut form) => {
            form.base_revision = saved.base_revision;
            Ok(Some((form, saved.saved_at)))
        }
        // Unreadable (it was written by a release whose form differed): nothing to offer.
        Err(e) => {
            tracing::warn!(error = %e, user = staff.user.id, "an autosave slot could not be read");
            Ok(None)
        }
    }
}

/// The offer for the editor page, when the slot differs from `saved` (the form as
/// the page would fill it from the newest revision, or a new story's empty form).
pub async fn offer(
    state: &AppState,
    staff: &Staff,
    story: Option<&Story>,
    saved: &EditorForm,
) -> Result<Option<RestoreOfferView>, WebError> {
    let Some((mut typed, at)) = slot_form(state, staff, story).await? else {
        return Ok(None);
    };
    // A form without the embargo field leaves the stored embargo as it is.
    if typed.embargo.is_none() {
        typed.embargo.clone_from(&saved.embargo);
    }
    let before = fields(state, saved, &typed).await?;
    let after = fields(state, &typed, saved).await?;
    let changes: Vec<DiffView> = before
        .iter()
        .zip(&after)
        .filter(|((_, old), (_, new))| old != new)
        .map(|((label, old), (_, new))| DiffView::new(label, &diff::words(old, new)))
        .filter(|d| d.changed)
        .collect();
    if changes.is_empty() {
        return Ok(None);
    }
    let stale_note = match (story, typed.base_revision) {
        (Some(s), Some(base)) if s.revision > base => format!(
            "You typed them on revision {base}; the story has since been saved as revision {}. \
             If you restore them and save, both versions are shown side by side first.",
            s.revision
        ),
        _ => String::new(),
    };
    let editor = story.map_or("/newsroom/stories/new".to_string(), |s| {
        format!("/newsroom/stories/{}", s.id)
    });
    Ok(Some(RestoreOfferView {
        saved_at: site_time(state, at, false),
        saved_stamp: timefmt::long_stamp(timefmt::from_unix(at), &state.site.time_zone),
        changes,
        stale_note,
        restore_href: format!("{editor}?restore=autosave"),
        discard_href: format!("{editor}/autosave/discard"),
    }))
}

/// The fields an offer compares, as text, cleaned as saving would clean them so
/// that what saving would not change is not shown as a change. `other` is the
/// form compared with, for looking up related stories only when they differ.
async fn fields(
    state: &AppState,
    form: &EditorForm,
    other: &EditorForm,
) -> Result<Vec<(&'static str, String)>, WebError> {
    let section = form
        .section_id
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|id| state.sections.by_id(id))
        .map_or_else(|| form.section_id.trim().to_string(), |s| s.name.clone());
    let picture = match (form.image_id, form.remove_image) {
        (Some(id), false) => format!("picture {id}"),
        _ => String::new(),
    };
    let mut related = Vec::new();
    // Headlines are looked up only when the choice differs: the usual case costs nothing.
    if form.related != other.related {
        for id in &form.related {
            let headline = state.store.story(*id).await?.map(|s| s.content.headline);
            related.push(headline.unwrap_or_else(|| format!("story {id}")));
        }
    }
    let links: Vec<String> = form
        .link_rows()
        .into_iter()
        .map(|(_, title, url)| clean_line(&format!("{title} {url}")))
        .filter(|row| !row.is_empty())
        .collect();
    Ok(vec![
        ("Headline", clean_line(&form.headline)),
        ("Promo headline", clean_line(&form.promo_headline)),
        ("Summary", clean_line(&form.summary)),
        ("Section", section),
        ("Byline", clean_line(&form.byline)),
        // An empty address is made from the headline when saved.
        (
            "Address (slug)",
            match clean_line(&form.slug) {
                slug if slug.is_empty() => slugify(&form.headline),
                slug => slug,
            },
        ),
        ("Text", clean_block(&form.body)),
        ("Lead picture", picture),
        ("Picture description", clean_line(&form.image_alt)),
        ("Caption", clean_line(&form.image_caption)),
        ("Credit", clean_line(&form.image_credit)),
        ("Related stories", related.join("; ")),
        ("Links", links.join("; ")),
        (
            "Embargo",
            form.embargo
                .as_deref()
                .unwrap_or_default()
                .trim()
                .to_string(),
        ),
        ("Publish at", form.schedule_at.trim().to_string()),
    ])
}
