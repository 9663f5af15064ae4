//! Database URLs as messages and logs may show them: without passwords.

/// A database URL with any password replaced by `***`, for messages and logs: the
/// password of its user (`postgres://user:secret@host/db`) and a `password` in its
/// query (`?password=secret`, which sqlx also reads). A URL without either comes
/// back as it was written; one that cannot be read as a URL, yet may hold a
/// password, keeps only its scheme.
pub fn redact(text: &str) -> String {
    let Ok(mut url) = url::Url::parse(text) else {
        return match text.split_once("://") {
            Some((scheme, rest)) if rest.contains('@') || rest.contains("password") => {
                format!("{scheme}://***")
            }
            _ => text.to_string(),
        };
    };
    let secret_in_query = url.query_pairs().any(|(name, _)| is_secret(&name));
    if url.password().is_none() && !secret_in_query {
        return text.to_string();
    }
    if url.password().is_some() && url.set_password(Some("***")).is_err() {
        return format!("{}://***", url.scheme());
    }
    if secret_in_query {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(name, value)| {
                let value = if is_secret(&name) {
                    "***".into()
                } else {
                    value
                };
                (name.into_owned(), value.into_owned())
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url.to_string()
}

/// A query parameter of a database URL that holds a password.
fn is_secret(name: &str) -> bool {
    name.to_ascii_lowercase().contains("password")
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn a_user_password_is_replaced() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(
            redact("postgresql://editor:s3cret@db.example.org:5433/news?sslmode=require"),
            "postgresql://editor:***@db.example.org:5433/news?sslmode=require"
        );
    }

    #[test]
    fn no_password_leaves_the_url_as_written() {
        for url in [
            "postgres://u@h/db",
            "postgres://h/db",
            "postgres://postgres@127.0.0.1:5432/test",
            "postgres:///news?host=/var/run/postgresql",
            "postgres://u:@h/db",
        ] {
            assert_eq!(redact(url), url);
        }
    }

    #[test]
    fn percent_encoded_and_awkward_passwords_are_replaced_whole() {
        assert_eq!(
            redact("postgres://u:p%40ss%3Aw0rd@h/db"),
            "postgres://u:***@h/db"
        );
        // An unencoded `@` or `:` in the password: the last `@` ends the user part.
        assert_eq!(redact("postgres://u:p@ss:w@h/db"), "postgres://u:***@h/db");
        assert_eq!(
            redact("postgres://first%20last:%F0%9F%94%91@h/db"),
            "postgres://first%20last:***@h/db"
        );
    }

    #[test]
    fn a_password_in_the_query_is_replaced() {
        assert_eq!(
            redact("postgres://u@h/db?password=secret&sslmode=disable"),
            "postgres://u@h/db?password=***&sslmode=disable"
        );
        assert_eq!(
            redact("postgres://u:a@h/db?sslpassword=b"),
            "postgres://u:***@h/db?sslpassword=***"
        );
    }

    #[test]
    fn sqlite_urls_are_left_alone() {
        for url in [
            "sqlite://x.db",
            "sqlite:x.db",
            "sqlite::memory:",
            "sqlite:///var/lib/dateline/site.db?mode=rwc",
            "sqlite://./data/my site.db",
            "sqlite://backups@2026/site.db",
        ] {
            assert_eq!(redact(url), url);
        }
    }

    #[test]
    fn an_unreadable_url_that_may_hold_a_password_keeps_only_its_scheme() {
        assert_eq!(redact("postgres://u:secret@[bad/db"), "postgres://***");
        assert_eq!(redact("not a url"), "not a url");
    }
}
