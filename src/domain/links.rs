//! Validation of link targets written by staff: only web, mail and site-relative links are allowed.

use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum LinkError {
    #[error("the link is empty")]
    Empty,
    #[error("the link contains spaces or control characters")]
    BadCharacters,
    #[error("only http, https and mailto links or paths starting with / are allowed")]
    BadScheme,
    #[error("the link has no host name")]
    NoHost,
    #[error("the link is longer than 2000 characters")]
    TooLong,
}

/// Checks a link target and returns it trimmed. Anything that could run
/// script (`javascript:`, `data:`, `vbscript:`) or escape to another scheme is refused.
pub fn check_url(input: &str) -> Result<String, LinkError> {
    let url = input.trim();
    if url.is_empty() {
        return Err(LinkError::Empty);
    }
    if url.len() > 2000 {
        return Err(LinkError::TooLong);
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(LinkError::BadCharacters);
    }
    let lower = url.to_ascii_lowercase();
    if let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        if host.is_empty() || host.starts_with('@') {
            return Err(LinkError::NoHost);
        }
        return Ok(url.to_string());
    }
    if lower.starts_with("mailto:") && url.len() > "mailto:".len() {
        return Ok(url.to_string());
    }
    // Site-relative paths and fragments, but not protocol-relative "//host" or "/\host".
    if (url.starts_with('/') && !url.starts_with("//") && !url.starts_with("/\\"))
        || url.starts_with('#')
    {
        return Ok(url.to_string());
    }
    Err(LinkError::BadScheme)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_web_mail_and_relative_links() {
        for ok in [
            "https://example.org/a?b=c#d",
            "http://example.com",
            "mailto:desk@example.org",
            "/news/europe/x-1",
            "#top",
        ] {
            assert_eq!(check_url(ok).as_deref(), Ok(ok), "{ok}");
        }
    }

    #[test]
    fn refuses_script_and_odd_schemes() {
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<script>",
            "vbscript:x",
            "//evil.example",
            "/\\evil.example",
            "ftp://example.org",
            "java\tscript:alert(1)",
            "https://",
            "",
        ] {
            assert!(check_url(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
