//! Stories: the editable content of a story, its validation, and its published state.

use serde::{Deserialize, Serialize};

use super::links::check_url;
use super::markup;
use super::slug::is_valid_slug;
use super::text::{clean_block, clean_line};

pub const MAX_HEADLINE: usize = 120;
pub const MAX_PROMO_HEADLINE: usize = 60;
pub const MAX_SUMMARY: usize = 300;
pub const MAX_BYLINE: usize = 120;
pub const MAX_ALT: usize = 250;
pub const MAX_CAPTION: usize = 300;
pub const MAX_CREDIT: usize = 120;
pub const MAX_LINKS: usize = 10;
pub const MAX_LINK_TITLE: usize = 200;
pub const MAX_RELATED: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Published,
    Killed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Published => "published",
            Status::Killed => "killed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "draft" => Some(Status::Draft),
            "published" => Some(Status::Published),
            "killed" => Some(Status::Killed),
            _ => None,
        }
    }
}

/// The picture at the top of a story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadImage {
    pub image_id: i64,
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

/// A related link to another web site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalLink {
    pub title: String,
    pub url: String,
}

/// Everything an editor writes about a story; one of these is kept per revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryContent {
    pub slug: String,
    pub section_id: i64,
    pub headline: String,
    pub promo_headline: String,
    pub summary: String,
    pub byline: String,
    pub body: String,
    pub lead_image: Option<LeadImage>,
    pub related: Vec<i64>,
    pub links: Vec<ExternalLink>,
}

/// A problem with one field, to be shown next to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

fn check_len(errors: &mut Vec<FieldError>, field: &str, value: &str, max: usize, required: bool) {
    let len = value.chars().count();
    if required && len == 0 {
        errors.push(FieldError::new(field, "is required"));
    } else if len > max {
        errors.push(FieldError::new(
            field,
            format!("is {len} characters long; the limit is {max}"),
        ));
    }
}

impl StoryContent {
    /// Cleans every field (control characters out, whitespace tidied) and checks
    /// limits, markup and links. On failure, every problem is reported at once.
    pub fn validate(mut self, story_id: Option<i64>) -> Result<StoryContent, Vec<FieldError>> {
        let mut errors = Vec::new();
        self.slug = clean_line(&self.slug);
        self.headline = clean_line(&self.headline);
        self.promo_headline = clean_line(&self.promo_headline);
        self.summary = clean_line(&self.summary);
        self.byline = clean_line(&self.byline);
        self.body = clean_block(&self.body);

        check_len(&mut errors, "headline", &self.headline, MAX_HEADLINE, true);
        check_len(
            &mut errors,
            "promo_headline",
            &self.promo_headline,
            MAX_PROMO_HEADLINE,
            false,
        );
        check_len(&mut errors, "summary", &self.summary, MAX_SUMMARY, true);
        check_len(&mut errors, "byline", &self.byline, MAX_BYLINE, false);
        if !is_valid_slug(&self.slug) {
            errors.push(FieldError::new(
                "slug",
                "must be lowercase letters and digits joined by single hyphens, at most 80 characters",
            ));
        }
        if self.body.trim().is_empty() {
            errors.push(FieldError::new("body", "is required"));
        } else if let Err(e) = markup::parse(&self.body) {
            errors.push(FieldError::new("body", e.to_string()));
        }
        if let Some(image) = &mut self.lead_image {
            image.alt = clean_line(&image.alt);
            image.caption = clean_line(&image.caption);
            image.credit = clean_line(&image.credit);
            check_len(&mut errors, "lead_image.alt", &image.alt, MAX_ALT, true);
            check_len(
                &mut errors,
                "lead_image.caption",
                &image.caption,
                MAX_CAPTION,
                false,
            );
            check_len(
                &mut errors,
                "lead_image.credit",
                &image.credit,
                MAX_CREDIT,
                false,
            );
        }
        if self.links.len() > MAX_LINKS {
            errors.push(FieldError::new(
                "links",
                format!("at most {MAX_LINKS} links"),
            ));
        }
        for (i, link) in self.links.iter_mut().enumerate() {
            link.title = clean_line(&link.title);
            check_len(
                &mut errors,
                &format!("links[{i}].title"),
                &link.title,
                MAX_LINK_TITLE,
                true,
            );
            match check_url(&link.url) {
                Ok(url) => link.url = url,
                Err(e) => errors.push(FieldError::new(format!("links[{i}].url"), e.to_string())),
            }
        }
        let mut seen = Vec::new();
        self.related.retain(|id| {
            let keep = Some(*id) != story_id && !seen.contains(id);
            seen.push(*id);
            keep
        });
        if self.related.len() > MAX_RELATED {
            errors.push(FieldError::new(
                "related",
                format!("at most {MAX_RELATED} related stories"),
            ));
        }
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(errors)
        }
    }

    /// Every stored picture the content shows: the lead picture, then those in the body.
    pub fn picture_ids(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = self.lead_image.iter().map(|i| i.image_id).collect();
        for id in markup::parse_for_display(&self.body).image_ids() {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
    }

    /// The short headline used in lists, falling back to the full headline.
    pub fn list_headline(&self) -> &str {
        if self.promo_headline.is_empty() {
            &self.headline
        } else {
            &self.promo_headline
        }
    }
}

/// A stored story: its content plus the state the newsroom gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Story {
    pub id: i64,
    pub status: Status,
    pub content: StoryContent,
    /// Unix seconds of first publication, if ever published.
    pub first_published_at: Option<i64>,
    /// Unix seconds of the last significant update: the public "Page last updated at".
    pub last_updated_at: Option<i64>,
    /// The newest revision; `live_revision` is the one the public sees.
    pub revision: i64,
    pub live_revision: Option<i64>,
    pub owner_id: Option<i64>,
    pub submitted_at: Option<i64>,
    pub scheduled_for: Option<i64>,
    /// Nothing of the story may be public before this time.
    pub embargo_until: Option<i64>,
}

impl Story {
    /// True when the public may see the story at `now`: the one visibility rule
    /// every reader-facing surface applies (its SQL twin is `store::public_lists::PUBLIC`;
    /// a picture is public while a public story shows it).
    pub fn is_public(&self, now: i64) -> bool {
        self.status == Status::Published && !super::embargo::in_force(self.embargo_until, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn sample() -> StoryContent {
        StoryContent {
            slug: "a-story".into(),
            section_id: 1,
            headline: "A story".into(),
            promo_headline: String::new(),
            summary: "What happened.".into(),
            byline: "By A Reporter".into(),
            body: "Intro.\n\n## Cross\n\nMore.".into(),
            lead_image: None,
            related: vec![],
            links: vec![],
        }
    }

    #[test]
    fn valid_content_is_cleaned() {
        let mut c = sample();
        c.headline = "  A\u{202e} story\n ".into();
        c.related = vec![2, 2, 5, 9];
        let ok = c.validate(Some(5)).unwrap();
        assert_eq!(ok.headline, "A story");
        assert_eq!(ok.related, vec![2, 9]);
        assert_eq!(ok.list_headline(), "A story");
    }

    #[test]
    fn reports_every_problem_by_field() {
        let mut c = sample();
        c.headline = String::new();
        c.slug = "Bad Slug".into();
        c.body = "<b>x</b>".into();
        c.lead_image = Some(LeadImage {
            image_id: 1,
            alt: " ".into(),
            caption: String::new(),
            credit: String::new(),
        });
        c.links = vec![ExternalLink {
            title: "x".into(),
            url: "javascript:alert(1)".into(),
        }];
        let errors = c.validate(None).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["headline", "slug", "body", "lead_image.alt", "links[0].url"]
        );
        assert!(errors[2].message.starts_with("line 1: raw HTML"));
    }
}
