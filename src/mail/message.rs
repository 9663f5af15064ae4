//! A message to send: one recipient, a subject, a plain-text body, a few checked extra headers.

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::Mailbox;
use lettre::Address;
use std::time::{Duration, SystemTime};

use super::MailError;
use crate::domain::text::{clean_block, clean_line};

/// What a message is for, stored with it and shown by `dateline outbox`.
pub mod kind {
    pub const VERIFY: &str = "verify";
    pub const SIGN_IN_LINK: &str = "sign-in-link";
    pub const RESET: &str = "reset";
    pub const CHANGE_EMAIL: &str = "change-email";
    pub const DAILY: &str = "daily";
    pub const TEST: &str = "test";
}

/// Longest subject, in characters.
pub const MAX_SUBJECT_CHARS: usize = 200;
/// Largest body, in bytes: a daily e-mail of top stories fits many times over.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// Most extra headers on one message.
pub const MAX_EXTRA_HEADERS: usize = 8;
/// Longest extra header value, in bytes (a header line may not pass 998).
pub const MAX_HEADER_VALUE_BYTES: usize = 900;

/// The header that names a message's language ([`Message::with_language`]).
const CONTENT_LANGUAGE: &str = "Content-Language";

/// Headers Dateline writes itself, which no caller may add or replace: the
/// recipients, the sender, the subject, and the structure of the message.
const RESERVED_HEADERS: &[&str] = &[
    "from",
    "sender",
    "to",
    "cc",
    "bcc",
    "subject",
    "date",
    "message-id",
    "mime-version",
    "return-path",
    "received",
    "in-reply-to",
    "references",
];

/// An outgoing message. Built only through [`Message::new`] and the `with_`
/// methods, which check everything: a value of this type can always be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    kind: String,
    to: String,
    subject: String,
    body: String,
    headers: Vec<(String, String)>,
}

impl Message {
    /// A message of `kind` (see [`kind`]) to one address. The subject is made one
    /// line (line breaks become spaces, control characters go), so no text can
    /// start a header of its own; the body is plain text with its line endings
    /// normalised and control characters removed.
    pub fn new(kind: &str, to: &str, subject: &str, body: &str) -> Result<Message, MailError> {
        let invalid = |text: &str| Err(MailError::Invalid(text.to_string()));
        if kind.is_empty()
            || kind.len() > 32
            || !kind
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return invalid("a message's kind is 1 to 32 lowercase letters, digits or hyphens");
        }
        let to = to.trim();
        if to.len() > 254 || to.parse::<Address>().is_err() {
            return invalid("the recipient's address is not a valid e-mail address");
        }
        let subject = clean_line(subject);
        if subject.is_empty() || subject.chars().count() > MAX_SUBJECT_CHARS {
            return invalid("a message's subject is 1 to 200 characters");
        }
        let body = clean_block(body);
        if body.len() > MAX_BODY_BYTES {
            return invalid("a message's body is at most 256 KiB");
        }
        Ok(Message {
            kind: kind.to_string(),
            to: to.to_string(),
            subject,
            body,
            headers: Vec::new(),
        })
    }

    /// Adds an extra header such as `List-Id`. Refused: a name that is not a
    /// plain header name, one Dateline writes itself, one already added, and a
    /// value with a line break or control character (it could start a header of
    /// its own) or longer than [`MAX_HEADER_VALUE_BYTES`].
    pub fn with_header(mut self, name: &str, value: &str) -> Result<Message, MailError> {
        let invalid = |text: String| Err(MailError::Invalid(text));
        let name_ok = !name.is_empty()
            && name.len() <= 76
            && name.bytes().all(|b| b.is_ascii_graphic() && b != b':');
        if !name_ok {
            return invalid("a header name is printable ASCII without spaces or colons".into());
        }
        let lower = name.to_ascii_lowercase();
        if RESERVED_HEADERS.contains(&lower.as_str()) || lower.starts_with("content-") {
            return invalid(format!("the {name} header is written by Dateline itself"));
        }
        if self
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            return invalid(format!("the {name} header is already set"));
        }
        if self.headers.len() >= MAX_EXTRA_HEADERS {
            return invalid(format!(
                "a message has at most {MAX_EXTRA_HEADERS} extra headers"
            ));
        }
        if value.chars().any(char::is_control) || value.len() > MAX_HEADER_VALUE_BYTES {
            return invalid(format!(
                "the {name} header's value must be one line of at most {MAX_HEADER_VALUE_BYTES} bytes"
            ));
        }
        self.headers.push((name.to_string(), value.to_string()));
        Ok(self)
    }

    /// Says which language the message is written in: `Content-Language` (RFC 3282)
    /// with `tag`, a language tag such as `en-GB` or `ar` (letters, digits and
    /// hyphens only). A header of its own, as `with_header` refuses every `Content-` one.
    pub fn with_language(mut self, tag: &str) -> Result<Message, MailError> {
        let tag_ok = (2..=35).contains(&tag.len())
            && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !tag.starts_with('-');
        if !tag_ok {
            return Err(MailError::Invalid(
                "a message's language is a language tag such as en-GB".into(),
            ));
        }
        if self
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(CONTENT_LANGUAGE))
        {
            return Err(MailError::Invalid(
                "the message's language is already set".into(),
            ));
        }
        self.headers
            .push((CONTENT_LANGUAGE.to_string(), tag.to_string()));
        Ok(self)
    }

    /// Adds the one-click unsubscribe headers of RFC 8058: `List-Unsubscribe`
    /// with `url` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`. A mail
    /// program then offers "Unsubscribe" and POSTs that body to `url`, without
    /// the reader visiting the page. RFC 8058 asks for an `https` URL; `http` is
    /// accepted for sites served without TLS (tests, a laptop).
    pub fn with_one_click_unsubscribe(self, url: &str) -> Result<Message, MailError> {
        let parsed = url::Url::parse(url)
            .ok()
            .filter(|u| matches!(u.scheme(), "https" | "http") && u.host().is_some());
        if parsed.is_none() || url.contains(['<', '>', ' ', ',']) {
            return Err(MailError::Invalid(
                "the unsubscribe link must be an absolute http or https URL".into(),
            ));
        }
        self.with_header("List-Unsubscribe", &format!("<{url}>"))?
            .with_header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
    }

    pub fn kind(&self) -> &str {
        &self.kind
    }

    pub fn to(&self) -> &str {
        &self.to
    }

    pub fn subject(&self) -> &str {
        &self.subject
    }

    pub fn body(&self) -> &str {
        &self.body
    }

    /// The extra headers, in the order they were added.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The links in the body, for `dateline outbox` and for tests.
    pub fn links(&self) -> Vec<String> {
        links_in(&self.body)
    }
}

/// Every absolute http(s) link in plain text, in order: the words that start
/// with `http://` or `https://` (after an opening bracket or quote), without the
/// punctuation that ends a sentence, kept when they parse as URLs.
pub fn links_in(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter_map(|word| {
            let word = word.trim_start_matches(['<', '(', '[', '"', '\'']);
            if !(word.starts_with("https://") || word.starts_with("http://")) {
                return None;
            }
            let word =
                word.trim_end_matches(['>', ')', ']', '"', '\'', '.', ',', ';', ':', '!', '?']);
            url::Url::parse(word).ok().map(|_| word.to_string())
        })
        .collect()
}

/// The parts of a message as stored in the outbox, built into the message lettre
/// sends. Every header goes through lettre's encoder, which writes a line break
/// or any other character a header may not hold as an RFC 2047 encoded word, so
/// even text that escaped [`Message`]'s checks cannot add a header.
pub(crate) struct Parts<'a> {
    pub from: &'a Mailbox,
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub headers: &'a [(String, String)],
    pub message_id: &'a str,
    pub created_at: i64,
}

impl Parts<'_> {
    pub(crate) fn compose(&self) -> Result<lettre::Message, MailError> {
        let to: Address = self
            .to
            .parse()
            .map_err(|_| MailError::Invalid("the recipient's address is not valid".into()))?;
        let date = SystemTime::UNIX_EPOCH + Duration::from_secs(self.created_at.max(0) as u64);
        let mut builder = lettre::Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(None, to))
            .subject(self.subject)
            .date(date)
            .message_id(Some(self.message_id.to_string()))
            .header(ContentType::TEXT_PLAIN);
        for (name, value) in self.headers {
            let name = HeaderName::new_from_ascii(name.clone())
                .map_err(|_| MailError::Invalid("a header name is not valid".into()))?;
            builder = builder.raw_header(HeaderValue::new(name, value.clone()));
        }
        builder
            .body(self.body.to_string())
            .map_err(|e| MailError::Invalid(format!("the message cannot be built: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> Message {
        Message::new(
            kind::VERIFY,
            "reader@example.org",
            "Confirm your address",
            "Open https://news.example.org/verify?token=abc.\n",
        )
        .unwrap()
    }

    fn formatted(subject: &str, headers: &[(String, String)]) -> String {
        let from: Mailbox = "Valley Post <news@valley.example>".parse().unwrap();
        let parts = Parts {
            from: &from,
            to: "reader@example.org",
            subject,
            body: "Hello.\n",
            headers,
            message_id: "<1.abc@valley.example>",
            created_at: 1_800_000_000,
        };
        String::from_utf8(parts.compose().unwrap().formatted()).unwrap()
    }

    /// The header lines of a formatted message, unfolded.
    fn header_names(text: &str) -> Vec<String> {
        let head = text.split("\r\n\r\n").next().unwrap();
        head.split("\r\n")
            .filter(|line| !line.starts_with([' ', '\t']))
            .map(|line| line.split(':').next().unwrap().to_ascii_lowercase())
            .collect()
    }

    #[test]
    fn a_line_break_in_the_subject_never_starts_a_header() {
        // Through Message: the subject is made one line.
        let m = Message::new(
            kind::RESET,
            "a@example.org",
            "Hi\r\nBcc: evil@example.org",
            "x",
        )
        .unwrap();
        assert_eq!(m.subject(), "Hi Bcc: evil@example.org");
        // And even raw, past Message's checks, lettre encodes the break.
        let text = formatted("Hi\r\nBcc: evil@example.org\r\nX-Evil: 1", &[]);
        let names = header_names(&text);
        assert!(
            !names.contains(&"bcc".into()) && !names.contains(&"x-evil".into()),
            "{text}"
        );
        assert_eq!(names.iter().filter(|n| *n == "subject").count(), 1);
    }

    #[test]
    fn extra_headers_are_checked() {
        let m = message();
        assert!(m.clone().with_header("Bcc", "x@example.org").is_err());
        assert!(m.clone().with_header("content-type", "text/html").is_err());
        assert!(m.clone().with_header("X-Bad Name", "1").is_err());
        assert!(m
            .clone()
            .with_header("X-Test", "a\r\nBcc: x@example.org")
            .is_err());
        assert!(m.clone().with_header("X-Test", &"a".repeat(901)).is_err());
        let m = m.with_header("X-Test", "1").unwrap();
        assert!(m.clone().with_header("x-test", "2").is_err());
        let text = formatted(m.subject(), m.headers());
        assert!(text.contains("\r\nX-Test: 1\r\n"), "{text}");
    }

    #[test]
    fn the_language_is_one_checked_header() {
        let m = message().with_language("ar").unwrap();
        let text = formatted(m.subject(), m.headers());
        assert!(text.contains("\r\nContent-Language: ar\r\n"), "{text}");
        assert!(m.clone().with_language("ru").is_err(), "set twice");
        assert!(m.with_header("Content-Language", "ru").is_err());
        for bad in ["", "a", "en GB", "ar\r\nBcc: x@example.org", "-ar"] {
            assert!(message().with_language(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn one_click_unsubscribe_writes_both_headers() {
        let m = message()
            .with_one_click_unsubscribe("https://news.example.org/unsubscribe?token=t1")
            .unwrap();
        let text = formatted(m.subject(), m.headers());
        assert!(
            text.contains(
                "\r\nList-Unsubscribe: <https://news.example.org/unsubscribe?token=t1>\r\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"),
            "{text}"
        );
        assert!(message()
            .with_one_click_unsubscribe("javascript:alert(1)")
            .is_err());
        assert!(message()
            .with_one_click_unsubscribe("https://x.example/a>b")
            .is_err());
    }

    #[test]
    fn bad_messages_are_refused() {
        assert!(Message::new("Verify", "a@example.org", "s", "b").is_err());
        assert!(Message::new(kind::VERIFY, "not an address", "s", "b").is_err());
        assert!(Message::new(kind::VERIFY, "a@example.org, b@example.org", "s", "b").is_err());
        assert!(Message::new(kind::VERIFY, "a@example.org", " \r\n ", "b").is_err());
        assert!(Message::new(kind::VERIFY, "a@example.org", &"s".repeat(201), "b").is_err());
        assert!(Message::new(
            kind::VERIFY,
            "a@example.org",
            "s",
            &"b".repeat(MAX_BODY_BYTES + 1)
        )
        .is_err());
    }

    #[test]
    fn links_are_found_without_their_punctuation() {
        assert_eq!(
            message().links(),
            ["https://news.example.org/verify?token=abc"]
        );
        assert_eq!(
            links_in("See <http://a.example/x>, (https://b.example/y). ftp://c.example https://"),
            ["http://a.example/x", "https://b.example/y"]
        );
    }
}
