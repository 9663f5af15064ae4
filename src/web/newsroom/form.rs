//! The newsroom's forms: the story editor's (reading it from a multipart
//! request, turning it into story content, putting problems next to the fields
//! they belong to), and what the small forms share (the notice a redirect
//! carries to the next page, a radio group's choice, local times).

use axum::extract::Multipart;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use crate::domain::markup::picture_markup;
use crate::domain::slug::slugify;
use crate::domain::story::{ExternalLink, FieldError, LeadImage, StoryContent};
use crate::domain::text::clean_line;
use crate::web::{AppState, WebError};

use super::{NewsroomNav, Staff};

/// Rows of external links the form offers.
pub const LINK_ROWS: usize = 5;

/// Everything the editor's form sends, kept as typed so nothing is lost on an error.
/// An autosave keeps it as JSON (`autosave`): without the token (a secret of the
/// session), the revision (a column of its own), the upload and the button.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct EditorForm {
    #[serde(skip)]
    pub csrf: String,
    #[serde(skip)]
    pub base_revision: Option<i64>,
    pub headline: String,
    pub promo_headline: String,
    pub summary: String,
    pub section_id: String,
    pub byline: String,
    pub slug: String,
    pub body: String,
    pub image_id: Option<i64>,
    pub remove_image: bool,
    pub image_alt: String,
    pub image_caption: String,
    pub image_credit: String,
    #[serde(skip)]
    pub upload: Option<Vec<u8>>,
    /// "Picture in the text" without the script: a file to store and put in the
    /// body with its description and caption, or the number of one stored by an
    /// earlier submit that still waits for its description.
    pub body_picture_upload: Option<Vec<u8>>,
    pub body_picture_id: Option<i64>,
    pub body_picture_alt: String,
    pub body_picture_caption: String,
    pub related: Vec<i64>,
    pub related_search: String,
    pub link_titles: Vec<String>,
    pub link_urls: Vec<String>,
    /// `None` when the form did not send the field: the stored embargo then stays.
    pub embargo: Option<String>,
    pub schedule_at: String,
    /// "Hold back its translations too": the embargo applies to every linked version.
    pub hold_back: bool,
    pub minor: bool,
    #[serde(skip)]
    pub action: String,
}

impl EditorForm {
    /// The form filled from stored content.
    pub fn from_content(c: &StoryContent) -> EditorForm {
        let image = c.lead_image.as_ref();
        EditorForm {
            headline: c.headline.clone(),
            promo_headline: c.promo_headline.clone(),
            summary: c.summary.clone(),
            section_id: c.section_id.to_string(),
            byline: c.byline.clone(),
            slug: c.slug.clone(),
            body: c.body.clone(),
            image_id: image.map(|i| i.image_id),
            image_alt: image.map(|i| i.alt.clone()).unwrap_or_default(),
            image_caption: image.map(|i| i.caption.clone()).unwrap_or_default(),
            image_credit: image.map(|i| i.credit.clone()).unwrap_or_default(),
            related: c.related.clone(),
            link_titles: c.links.iter().map(|l| l.title.clone()).collect(),
            link_urls: c.links.iter().map(|l| l.url.clone()).collect(),
            ..EditorForm::default()
        }
    }

    /// Reads the multipart form. Unknown fields are ignored; a malformed body is a 400.
    pub async fn read(mut multipart: Multipart) -> Result<EditorForm, WebError> {
        let mut form = EditorForm::default();
        let bad = |e: axum::extract::multipart::MultipartError| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                WebError::TooLarge(format!(
                    "the form is larger than {} MB: pictures may be at most {} MB",
                    super::FORM_LIMIT_BYTES / (1024 * 1024),
                    crate::media::MAX_UPLOAD_BYTES / (1024 * 1024)
                ))
            } else {
                WebError::BadRequest(format!("the form could not be read: {}", e.body_text()))
            }
        };
        while let Some(field) = multipart.next_field().await.map_err(bad)? {
            let name = field.name().unwrap_or_default().to_string();
            if name == "image" || name == "body_picture" {
                let has_file = field.file_name().is_some_and(|n| !n.is_empty());
                let bytes = field.bytes().await.map_err(bad)?;
                if has_file && !bytes.is_empty() {
                    let slot = if name == "image" {
                        &mut form.upload
                    } else {
                        &mut form.body_picture_upload
                    };
                    *slot = Some(bytes.to_vec());
                }
                continue;
            }
            let value = field.text().await.map_err(bad)?;
            match name.as_str() {
                "csrf" => form.csrf = value,
                "base_revision" => form.base_revision = value.trim().parse().ok(),
                "headline" => form.headline = value,
                "promo_headline" => form.promo_headline = value,
                "summary" => form.summary = value,
                "section" => form.section_id = value,
                "byline" => form.byline = value,
                "slug" => form.slug = value,
                "body" => form.body = value,
                "image_id" => form.image_id = value.trim().parse().ok(),
                "remove_image" => form.remove_image = !value.is_empty(),
                "image_alt" => form.image_alt = value,
                "image_caption" => form.image_caption = value,
                "image_credit" => form.image_credit = value,
                "body_picture_id" => form.body_picture_id = value.trim().parse().ok(),
                "body_picture_alt" => form.body_picture_alt = value,
                "body_picture_caption" => form.body_picture_caption = value,
                "related" => form.related.extend(value.trim().parse::<i64>().ok()),
                "related_search" => form.related_search = value,
                "link_title" => form.link_titles.push(value),
                "link_url" => form.link_urls.push(value),
                "embargo" => form.embargo = Some(value),
                "schedule_at" => form.schedule_at = value,
                "hold_back" => form.hold_back = !value.is_empty(),
                "update" => form.minor = value == "minor",
                "action" => form.action = value,
                _ => {}
            }
        }
        Ok(form)
    }

    /// The story content the form describes, or the problems with it by field.
    pub fn content(&self, story_id: Option<i64>) -> Result<StoryContent, Vec<FieldError>> {
        let mut errors = Vec::new();
        let section_id = self.section_id.trim().parse::<i64>().unwrap_or_else(|_| {
            errors.push(FieldError {
                field: "section".into(),
                message: "choose a section".into(),
            });
            0
        });
        let slug = if self.slug.trim().is_empty() {
            slugify(&self.headline)
        } else {
            self.slug.trim().to_string()
        };
        let lead_image = match (self.image_id, self.remove_image) {
            (Some(image_id), false) => Some(LeadImage {
                image_id,
                alt: self.image_alt.clone(),
                caption: self.image_caption.clone(),
                credit: self.image_credit.clone(),
            }),
            _ => None,
        };
        let links = self
            .link_titles
            .iter()
            .zip(self.link_urls.iter())
            .filter(|(t, u)| !t.trim().is_empty() || !u.trim().is_empty())
            .map(|(t, u)| ExternalLink {
                title: t.clone(),
                url: u.clone(),
            })
            .collect();
        let content = StoryContent {
            slug,
            section_id,
            headline: self.headline.clone(),
            promo_headline: self.promo_headline.clone(),
            summary: self.summary.clone(),
            byline: self.byline.clone(),
            body: self.body.clone(),
            lead_image,
            related: self.related.clone(),
            links,
        };
        match content.validate(story_id) {
            Ok(content) if errors.is_empty() => Ok(content),
            Ok(_) => Err(errors),
            Err(more) => {
                errors.extend(more);
                Err(errors)
            }
        }
    }

    /// Puts the waiting picture in the text: `![alt](image:N "caption")` as a
    /// paragraph of its own at the end of the body, then empties the fields. A
    /// picture without a description stays waiting (its number kept in the form)
    /// and the body is left as it is.
    pub fn place_body_picture(&mut self, errors: &mut Errors) {
        let Some(id) = self.body_picture_id else {
            return;
        };
        let alt = clean_line(&self.body_picture_alt);
        if alt.is_empty() {
            errors.push(
                "body_picture_alt",
                "describe the picture for people who cannot see it (alt text): it was kept and goes into the text once it has a description",
            );
            return;
        }
        let reference = picture_markup(id, &alt, &clean_line(&self.body_picture_caption));
        let text = self.body.trim_end();
        self.body = if text.is_empty() {
            reference
        } else {
            format!("{text}\n\n{reference}")
        };
        self.body_picture_id = None;
        self.body_picture_alt.clear();
        self.body_picture_caption.clear();
    }

    /// Link rows to show: what was typed, padded with empty rows.
    pub fn link_rows(&self) -> Vec<(usize, String, String)> {
        let count = self
            .link_titles
            .len()
            .max(self.link_urls.len())
            .max(LINK_ROWS);
        (0..count)
            .map(|i| {
                (
                    i,
                    self.link_titles.get(i).cloned().unwrap_or_default(),
                    self.link_urls.get(i).cloned().unwrap_or_default(),
                )
            })
            .collect()
    }
}

/// Problems with the form, looked up by field name in the template.
#[derive(Debug, Clone, Default)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    /// The message for a form field; domain names (`lead_image.alt`, `links[2].url`) map to form fields.
    pub fn get(&self, field: &str) -> String {
        self.0
            .iter()
            .filter(|e| form_field(&e.field) == field)
            .map(|e| e.message.clone())
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_string(),
            message: message.into(),
        });
    }

    /// Every problem as "field: message", for the summary at the top of the form.
    pub fn summary(&self) -> Vec<String> {
        self.0
            .iter()
            .map(|e| format!("{}: {}", label(&form_field(&e.field)), e.message))
            .collect()
    }
}

fn form_field(domain_field: &str) -> String {
    match domain_field {
        "lead_image.alt" => "image_alt".into(),
        "lead_image.caption" => "image_caption".into(),
        "lead_image.credit" => "image_credit".into(),
        other => match other.strip_prefix("links[").and_then(|r| r.split_once(']')) {
            Some((i, _)) => format!("link{i}"),
            None => other.to_string(),
        },
    }
}

fn label(field: &str) -> String {
    match field {
        "promo_headline" => "Promo headline".into(),
        "image" => "Picture".into(),
        "image_alt" => "Picture description (alt text)".into(),
        "image_caption" => "Caption".into(),
        "image_credit" => "Credit".into(),
        "body_picture" => "Picture in the text".into(),
        "body_picture_alt" => "Picture in the text: description (alt text)".into(),
        "body_picture_caption" => "Picture in the text: caption".into(),
        "schedule_at" => "Publication time".into(),
        f if f.starts_with("link") => format!(
            "Link {}",
            f.trim_start_matches("link")
                .parse::<usize>()
                .map(|n| n + 1)
                .unwrap_or(0)
        ),
        f => {
            let mut chars = f.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
                .unwrap_or_default()
        }
    }
}

/// The query of a page a form's redirect (`see_other`) came back to.
#[derive(Debug, Default, serde::Deserialize)]
pub struct NoticeQuery {
    pub notice: Option<String>,
}

impl NoticeQuery {
    /// The newsroom's chrome for `staff`, with the notice of what they just did.
    pub fn nav(&self, state: &AppState, staff: &Staff) -> NewsroomNav {
        NewsroomNav::new(state, Some(staff)).with_notice(self.notice.as_deref())
    }
}

/// What a radio group's `sent` value chose among `choices` (value, meaning);
/// `None` when it is none of them (nothing chosen, or a forged form).
pub fn chosen<T: Copy>(sent: &str, choices: &[(&str, T)]) -> Option<T> {
    choices
        .iter()
        .find(|(value, _)| *value == sent)
        .map(|(_, meaning)| *meaning)
}

/// Reads a `datetime-local` value in the site's zone; empty means none.
pub fn parse_local(value: &str, tz: &TimeZone) -> Result<Option<i64>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let civil: DateTime = value.parse().map_err(|_| {
        format!(
            "{} is not a date and time like 2026-12-01T09:30",
            crate::domain::text::quoted(value)
        )
    })?;
    let zoned = civil.to_zoned(tz.clone()).map_err(|_| {
        format!(
            "{} does not exist in the site's time zone (a clock change skips it)",
            crate::domain::text::quoted(value)
        )
    })?;
    Ok(Some(zoned.timestamp().as_second()))
}

/// A time as a `datetime-local` value in the site's zone.
pub fn format_local(seconds: i64, tz: &TimeZone) -> String {
    crate::domain::timefmt::from_unix(seconds)
        .to_zoned(tz.clone())
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_round_trip_in_the_site_zone() {
        let london = TimeZone::get("Europe/London").unwrap();
        let at = parse_local("2026-07-01T09:30", &london).unwrap().unwrap();
        assert_eq!(
            at,
            "2026-07-01T08:30:00Z"
                .parse::<jiff::Timestamp>()
                .unwrap()
                .as_second()
        );
        assert_eq!(format_local(at, &london), "2026-07-01T09:30");
        assert_eq!(parse_local(" ", &london), Ok(None));
        assert!(parse_local("tomorrow", &london)
            .unwrap_err()
            .contains("tomorrow"));
    }

    #[test]
    fn a_choice_is_one_of_the_values_offered() {
        let slot = [("off", true), ("on", false)];
        assert_eq!(chosen("off", &slot), Some(true));
        assert_eq!(chosen("on", &slot), Some(false));
        assert_eq!(chosen("", &slot), None);
        assert_eq!(chosen("OFF", &slot), None);
    }

    #[test]
    fn errors_map_to_form_fields() {
        let errors = Errors(vec![
            FieldError {
                field: "lead_image.alt".into(),
                message: "is required".into(),
            },
            FieldError {
                field: "links[1].url".into(),
                message: "bad".into(),
            },
        ]);
        assert_eq!(errors.get("image_alt"), "is required");
        assert_eq!(errors.get("link1"), "bad");
        assert_eq!(
            errors.summary(),
            ["Picture description (alt text): is required", "Link 2: bad"]
        );
    }

    #[test]
    fn form_makes_content_with_a_default_slug() {
        let form = EditorForm {
            headline: "Floods close roads".into(),
            summary: "Roads shut.".into(),
            section_id: "3".into(),
            body: "Text.".into(),
            link_titles: vec!["".into(), "Site".into()],
            link_urls: vec!["".into(), "https://example.org".into()],
            ..EditorForm::default()
        };
        let content = form.content(None).unwrap();
        assert_eq!(content.slug, "floods-close-roads");
        assert_eq!(content.links.len(), 1);
    }

    #[test]
    fn a_waiting_picture_goes_into_the_text_once_described() {
        let mut form = EditorForm {
            body: "Intro.\n\n".into(),
            body_picture_id: Some(42),
            body_picture_caption: "The \"quay\" at noon".into(),
            ..EditorForm::default()
        };
        let mut errors = Errors::default();
        form.place_body_picture(&mut errors);
        assert_eq!(form.body, "Intro.\n\n");
        assert_eq!(form.body_picture_id, Some(42));
        assert!(errors.get("body_picture_alt").contains("alt text"));

        form.body_picture_alt = "Crowds [waiting]".into();
        let mut errors = Errors::default();
        form.place_body_picture(&mut errors);
        assert!(errors.is_empty());
        assert_eq!(
            form.body,
            "Intro.\n\n![Crowds \\[waiting\\]](image:42 \"The \\\"quay\\\" at noon\")"
        );
        assert_eq!(form.body_picture_id, None);
        assert!(form.body_picture_alt.is_empty() && form.body_picture_caption.is_empty());
    }
}
