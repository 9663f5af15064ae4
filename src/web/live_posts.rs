//! Published live posts away from their page, for the live page's Atom feed (`feeds`) and the Content API (`api`): each post's HTML from the one renderer (`html::live_post`) with the site's times, a title from its first words, and its address on the page.

use super::html::{live_post, PostParts, SafeHtml};
use super::l10n;
use super::AppState;
use crate::domain::edition::Edition;
use crate::domain::markup::parse_for_display;
use crate::domain::text::clean_line;
use crate::domain::timefmt;
use crate::store::{LivePage, LivePost};

/// Words in a post's title, at most.
const TITLE_WORDS: usize = 12;
/// Characters in a post's title, at most, before the "…" that says it was cut.
const TITLE_CHARS: usize = 90;

/// When `post` was published (its last change for one that somehow was not).
fn published(post: &LivePost) -> i64 {
    post.published_at.unwrap_or(post.updated_at)
}

/// The post as the live page shows it: an `<article>` with its time, key-point
/// label, byline, text and picture, every piece of text escaped.
pub fn html(state: &AppState, post: &LivePost) -> SafeHtml {
    html_in(state.editions.root(), post)
}

/// The post as the page of `edition` shows it: its time and label in the edition's language.
pub fn html_in(edition: &Edition, post: &LivePost) -> SafeHtml {
    let at = timefmt::from_unix(published(post));
    let time_label = timefmt::edition_clock_time(at, edition);
    let key_label = l10n::edition_text(edition, "live-key-point", Vec::new());
    let datetime = timefmt::rfc3339(at);
    live_post(&PostParts {
        id: post.id,
        seq: post.seq.unwrap_or(0),
        body: &post.body,
        image: post.image_id.map(|id| {
            (
                id,
                post.image_width,
                post.image_height,
                post.image_alt.as_str(),
            )
        }),
        byline: &post.byline,
        pinned: post.pinned,
        key_label: &key_label,
        time_label: &time_label,
        datetime: &datetime,
    })
}

/// A title for the post, as plain text: its first words ("…" when cut), or its
/// time when it has no words (a post of only a picture), in `edition`'s language
/// ("Update at 14:32 GMT").
pub fn title_in(edition: &Edition, post: &LivePost) -> String {
    let text = parse_for_display(&post.body).plain_text();
    first_words(&clean_line(&text)).unwrap_or_else(|| {
        let at = timefmt::from_unix(published(post));
        let time = timefmt::edition_clock_time(at, edition);
        l10n::edition_text(edition, "live-update-at", vec![("time", time.into())])
    })
}

/// At most [`TITLE_WORDS`] words and [`TITLE_CHARS`] characters of `text`, whole
/// words where possible; `None` for no words.
fn first_words(text: &str) -> Option<String> {
    let mut words = text.split_whitespace();
    let first = words.next()?;
    let mut title: String = first.chars().take(TITLE_CHARS).collect();
    let mut cut = title.len() < first.len();
    // The first word is word 1; the loop's words are 2 onwards.
    for (count, word) in (2..).zip(words) {
        if cut
            || count > TITLE_WORDS
            || title.chars().count() + 1 + word.chars().count() > TITLE_CHARS
        {
            cut = true;
            break;
        }
        title.push(' ');
        title.push_str(word);
    }
    if cut {
        title.push('…');
    }
    Some(title)
}

/// The post's place on its page: the article's address with `#post-{id}`.
pub fn on_page(article_url: &str, post_id: i64) -> String {
    format!("{article_url}#post-{post_id}")
}

/// `running` or `ended`, as the API says it.
pub fn state_name(page: &LivePage) -> &'static str {
    if page.ended_at.is_some() {
        "ended"
    } else {
        "running"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_the_first_words() {
        assert_eq!(
            first_words("Winds of 90mph recorded."),
            Some("Winds of 90mph recorded.".into())
        );
        assert_eq!(
            first_words("one two three four five six seven eight nine ten eleven twelve thirteen"),
            Some("one two three four five six seven eight nine ten eleven twelve…".into())
        );
        assert_eq!(first_words("   "), None);
        let long = "é".repeat(200);
        let title = first_words(&format!("{long} more")).unwrap();
        assert_eq!(title.chars().count(), TITLE_CHARS + 1);
        assert!(title.ends_with('…'));
        let words = "abcdefghij ".repeat(20);
        let title = first_words(&words).unwrap();
        assert!(title.chars().count() <= TITLE_CHARS + 1, "{title}");
        assert!(title.ends_with("abcdefghij…"), "{title}");
    }
}
