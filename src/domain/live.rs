//! Live pages: a running story told in short posts. The rules a post must meet
//! (body markup as in story bodies, alt text for a picture, a short byline), who
//! may do what, and when a live page takes posts. Pure, no I/O.

use super::markup;
use super::text::{clean_block, clean_line};
use super::user::Role;

/// Longest post body, in characters: a live post is a paragraph or three.
pub const MAX_POST_CHARS: usize = 5_000;
/// Longest byline, in characters.
pub const MAX_BYLINE_CHARS: usize = 100;
/// Longest alt text, in characters.
pub const MAX_ALT_CHARS: usize = 300;
/// Longest closing summary, in characters.
pub const MAX_SUMMARY_CHARS: usize = 1_000;

/// A post as checked, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostText {
    /// Markup, cleaned and known to parse.
    pub body: String,
    /// The picture's stored id and its alt text.
    pub image: Option<(i64, String)>,
    /// '' for none.
    pub byline: String,
}

/// A rule broken by one field, to show next to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub message: String,
}

fn problem(field: &'static str, message: impl Into<String>) -> Problem {
    Problem {
        field,
        message: message.into(),
    }
}

/// Checks a post as typed: the body (markup like a story body, 1 to
/// [`MAX_POST_CHARS`] characters), alt text when there is a picture, the byline.
pub fn check_post(
    body: &str,
    image_id: Option<i64>,
    alt: &str,
    byline: &str,
) -> Result<PostText, Problem> {
    let body = clean_block(body).trim().to_string();
    if body.is_empty() {
        return Err(problem("body", "Write the post before saving it."));
    }
    let count = body.chars().count();
    if count > MAX_POST_CHARS {
        return Err(problem(
            "body",
            format!(
                "A live post can be at most 5,000 characters long; this one has {count}. \
                 Split it into two posts, or move the detail into the story."
            ),
        ));
    }
    markup::parse(&body).map_err(|e| problem("body", format!("In the post, {e}.")))?;
    let image = match image_id {
        None => None,
        Some(id) => {
            let alt = clean_line(alt);
            if alt.is_empty() {
                return Err(problem(
                    "alt",
                    "Describe the picture for readers who cannot see it.",
                ));
            }
            let count = alt.chars().count();
            if count > MAX_ALT_CHARS {
                return Err(problem(
                    "alt",
                    format!("Alt text can be at most 300 characters long; this has {count}."),
                ));
            }
            Some((id, alt))
        }
    };
    let byline = clean_line(byline);
    let count = byline.chars().count();
    if count > MAX_BYLINE_CHARS {
        return Err(problem(
            "byline",
            format!("A byline can be at most 100 characters long; this one has {count}."),
        ));
    }
    Ok(PostText {
        body,
        image,
        byline,
    })
}

/// Checks an editor's closing summary: required, one paragraph of plain text.
pub fn check_summary(typed: &str) -> Result<String, Problem> {
    let summary = clean_line(typed);
    if summary.is_empty() {
        return Err(problem(
            "summary",
            "Write a closing summary: readers of the archive see it first.",
        ));
    }
    let count = summary.chars().count();
    if count > MAX_SUMMARY_CHARS {
        return Err(problem(
            "summary",
            format!(
                "A closing summary can be at most 1,000 characters long; this one has {count}."
            ),
        ));
    }
    Ok(summary)
}

/// Where a story stands as a live page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// An ordinary story.
    NotLive,
    Running,
    Ended,
}

impl State {
    pub fn of(live_page: Option<Option<i64>>) -> State {
        match live_page {
            None => State::NotLive,
            Some(None) => State::Running,
            Some(Some(_)) => State::Ended,
        }
    }
}

/// What someone does on a live page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Makes a story a live page.
    Start,
    /// Writes a post (an editor's is published at once, a reporter's waits).
    Write,
    Publish,
    Edit,
    Delete,
    Pin,
    /// Ends the live page with a closing summary.
    End,
}

/// Why a live-page action was refused, in the journalist's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("Only editors can do that on a live page.")]
    NotAllowed,
    #[error("This story is not a live page: start the live page before posting.")]
    NotLive,
    #[error("This live page has ended: its posts are kept as an archive and take no changes.")]
    Ended,
    #[error("This story is already a live page.")]
    AlreadyLive,
    #[error("There is no such post on this live page (it may have been deleted).")]
    NoSuchPost,
    #[error("This post is already published.")]
    AlreadyPublished,
}

/// May someone with `role` take `action` on a live page in `state`? Reporters
/// write posts; editors (and admins) also start, publish, edit, delete, pin and end.
pub fn check(role: Role, state: State, action: Action) -> Result<(), Refusal> {
    if action != Action::Write && !role.is_editor() {
        return Err(Refusal::NotAllowed);
    }
    match (state, action) {
        (State::NotLive, Action::Start) => Ok(()),
        (_, Action::Start) => Err(Refusal::AlreadyLive),
        (State::NotLive, _) => Err(Refusal::NotLive),
        (State::Ended, _) => Err(Refusal::Ended),
        (State::Running, _) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_post_is_cleaned_and_kept() {
        let post = check_post(
            "The **bridge** is open.\r\n\r\nMore soon. ",
            None,
            "",
            "  Jo  Bloggs ",
        )
        .expect("a good post");
        assert_eq!(post.body, "The **bridge** is open.\n\nMore soon.");
        assert_eq!(post.byline, "Jo Bloggs");
        assert_eq!(post.image, None);
    }

    #[test]
    fn an_empty_post_is_refused() {
        let e = check_post(" \n\u{202e} ", None, "", "").unwrap_err();
        assert_eq!(e.field, "body");
        assert_eq!(e.message, "Write the post before saving it.");
    }

    #[test]
    fn an_oversize_post_is_refused_with_its_length() {
        assert!(check_post(&"é".repeat(MAX_POST_CHARS), None, "", "").is_ok());
        let e = check_post(&"é".repeat(MAX_POST_CHARS + 1), None, "", "").unwrap_err();
        assert_eq!(e.field, "body");
        assert!(
            e.message.contains("at most 5,000 characters"),
            "{}",
            e.message
        );
        assert!(e.message.contains("5001"), "{}", e.message);
    }

    #[test]
    fn markup_rules_are_the_story_bodys() {
        let e = check_post("Fine.\n\n<script>alert(1)</script>", None, "", "").unwrap_err();
        assert_eq!(e.field, "body");
        assert!(e.message.contains("line 3"), "{}", e.message);
        assert!(e.message.contains("raw HTML"), "{}", e.message);
    }

    #[test]
    fn a_picture_needs_alt_text() {
        let e = check_post("Smoke over the port.", Some(7), "  ", "").unwrap_err();
        assert_eq!(e.field, "alt");
        let post = check_post("Smoke over the port.", Some(7), " Smoke rises ", "").unwrap();
        assert_eq!(post.image, Some((7, "Smoke rises".into())));
        let e = check_post("x", Some(7), &"a".repeat(MAX_ALT_CHARS + 1), "").unwrap_err();
        assert_eq!(e.field, "alt");
    }

    #[test]
    fn alt_text_without_a_picture_is_dropped() {
        let post = check_post("x", None, "stray", "").unwrap();
        assert_eq!(post.image, None);
    }

    #[test]
    fn a_long_byline_is_refused() {
        assert!(check_post("x", None, "", &"b".repeat(MAX_BYLINE_CHARS)).is_ok());
        let e = check_post("x", None, "", &"b".repeat(MAX_BYLINE_CHARS + 1)).unwrap_err();
        assert_eq!(e.field, "byline");
    }

    #[test]
    fn a_summary_is_required_and_bounded() {
        assert_eq!(check_summary("  All over. ").unwrap(), "All over.");
        assert_eq!(check_summary(" ").unwrap_err().field, "summary");
        assert!(check_summary(&"s".repeat(MAX_SUMMARY_CHARS + 1)).is_err());
    }

    #[test]
    fn reporters_write_and_editors_do_the_rest() {
        use Action::*;
        for action in [Start, Publish, Edit, Delete, Pin, End] {
            let state = if action == Start {
                State::NotLive
            } else {
                State::Running
            };
            assert_eq!(
                check(Role::Reporter, state, action),
                Err(Refusal::NotAllowed)
            );
            assert_eq!(check(Role::Editor, state, action), Ok(()));
            assert_eq!(check(Role::Admin, state, action), Ok(()));
        }
        assert_eq!(check(Role::Reporter, State::Running, Write), Ok(()));
    }

    #[test]
    fn posts_need_a_running_live_page() {
        use Action::*;
        for action in [Write, Publish, Edit, Delete, Pin, End] {
            assert_eq!(
                check(Role::Editor, State::NotLive, action),
                Err(Refusal::NotLive)
            );
            assert_eq!(
                check(Role::Editor, State::Ended, action),
                Err(Refusal::Ended)
            );
        }
        assert_eq!(
            check(Role::Editor, State::Running, Start),
            Err(Refusal::AlreadyLive)
        );
        assert_eq!(
            check(Role::Editor, State::Ended, Start),
            Err(Refusal::AlreadyLive)
        );
    }

    #[test]
    fn the_state_follows_the_row() {
        assert_eq!(State::of(None), State::NotLive);
        assert_eq!(State::of(Some(None)), State::Running);
        assert_eq!(State::of(Some(Some(5))), State::Ended);
    }
}
