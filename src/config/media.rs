//! Where pictures' bytes are kept: in the database (the default) or in an
//! S3-compatible object store, with an optional public base URL a CDN fronts.

use super::{ConfigError, Secret};
use crate::domain::text::quoted;

/// `media_store` and the `s3_*` settings as given (flags and environment over the file).
#[derive(Debug, Default, Clone)]
pub struct MediaOverrides {
    pub media_store: Option<String>,
    pub s3_endpoint: Option<String>,
    pub s3_bucket: Option<String>,
    pub s3_region: Option<String>,
    pub s3_access_key: Option<String>,
    pub s3_secret_key: Option<Secret>,
    pub media_public_url: Option<String>,
}

/// Checked: where pictures are kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum MediaSettings {
    /// In `image_renditions` and `image_alternates` (one node, or a shared PostgreSQL).
    #[default]
    Database,
    /// In an S3 bucket; the database keeps each rendition's size and hash.
    S3(S3Settings),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Settings {
    /// `http(s)://host[:port]`; path-style requests are sent to it.
    pub endpoint: String,
    pub bucket: String,
    pub region: String,
    pub access_key: String,
    pub secret_key: Secret,
    /// Base URL (no trailing slash) where the bucket's `public/` objects are
    /// served, by a CDN; when set, public pictures are copied there.
    pub public_url: Option<String>,
}

impl MediaOverrides {
    /// These values, each falling back to `fallback`'s (flags over the file).
    pub fn or(&self, fallback: MediaOverrides) -> MediaOverrides {
        MediaOverrides {
            media_store: self.media_store.clone().or(fallback.media_store),
            s3_endpoint: self.s3_endpoint.clone().or(fallback.s3_endpoint),
            s3_bucket: self.s3_bucket.clone().or(fallback.s3_bucket),
            s3_region: self.s3_region.clone().or(fallback.s3_region),
            s3_access_key: self.s3_access_key.clone().or(fallback.s3_access_key),
            s3_secret_key: self.s3_secret_key.clone().or(fallback.s3_secret_key),
            media_public_url: self.media_public_url.clone().or(fallback.media_public_url),
        }
    }

    /// Checks every value; a message names the setting and never shows the secret key.
    pub fn check(self) -> Result<MediaSettings, ConfigError> {
        let invalid = |message: String| Err(ConfigError::Invalid(message));
        let store = self
            .media_store
            .as_deref()
            .map(str::trim)
            .unwrap_or("database");
        match store {
            "database" => return Ok(MediaSettings::Database),
            "s3" => {}
            other => {
                return invalid(format!(
                    "media_store {} is not known: use \"database\" (the default) or \"s3\"",
                    quoted(other)
                ))
            }
        }
        let required = |value: Option<String>, name: &str| match value.map(|v| v.trim().to_string())
        {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(ConfigError::Invalid(format!(
                "media_store is \"s3\" but {name} is not set: give the bucket's {name} \
                 (or DATELINE_{} in the environment)",
                name.to_uppercase()
            ))),
        };
        let endpoint = required(self.s3_endpoint, "s3_endpoint")?;
        let endpoint = endpoint.trim_end_matches('/').to_string();
        if !http_url(&endpoint) {
            return invalid(format!(
                "s3_endpoint {} is not valid: use the storage server's address, e.g. https://s3.example.org or http://127.0.0.1:9000",
                quoted(&endpoint)
            ));
        }
        let bucket = required(self.s3_bucket, "s3_bucket")?;
        if !(3..=63).contains(&bucket.len())
            || !bucket
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        {
            return invalid(format!(
                "s3_bucket {} is not a bucket name: 3 to 63 lower-case letters, digits, dots and hyphens",
                quoted(&bucket)
            ));
        }
        let region = self
            .s3_region
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| "us-east-1".to_string());
        let access_key = required(self.s3_access_key, "s3_access_key")?;
        let secret_key = match self.s3_secret_key {
            Some(key) if !key.expose().trim().is_empty() => key,
            _ => required(None, "s3_secret_key").map(Secret::new)?,
        };
        let public_url = match self.media_public_url {
            None => None,
            Some(url) => {
                let url = url.trim().trim_end_matches('/').to_string();
                if !http_url(&url) || url.contains(['?', '#', ' ', '"', '<', '>', '\'']) {
                    return invalid(format!(
                        "media_public_url {} is not valid: use the address the CDN serves the bucket's public/ folder from, e.g. https://pictures.example.org",
                        quoted(&url)
                    ));
                }
                Some(url)
            }
        };
        Ok(MediaSettings::S3(S3Settings {
            endpoint,
            bucket,
            region,
            access_key,
            secret_key,
            public_url,
        }))
    }
}

fn http_url(text: &str) -> bool {
    text.strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .is_some_and(|host| !host.is_empty() && !host.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s3() -> MediaOverrides {
        MediaOverrides {
            media_store: Some("s3".into()),
            s3_endpoint: Some("http://127.0.0.1:9000/".into()),
            s3_bucket: Some("pictures".into()),
            s3_access_key: Some("key".into()),
            s3_secret_key: Some(Secret::new("very-secret")),
            ..Default::default()
        }
    }

    #[test]
    fn database_is_the_default_and_s3_is_checked() {
        assert_eq!(
            MediaOverrides::default().check().unwrap(),
            MediaSettings::Database
        );
        let MediaSettings::S3(s) = s3().check().unwrap() else {
            panic!("not s3")
        };
        assert_eq!(s.endpoint, "http://127.0.0.1:9000");
        assert_eq!(s.region, "us-east-1");
        assert!(!format!("{s:?}").contains("very-secret"));
    }

    #[test]
    fn bad_values_are_named() {
        let e = |o: MediaOverrides| o.check().unwrap_err().to_string();
        let m = e(MediaOverrides {
            media_store: Some("ftp".into()),
            ..Default::default()
        });
        assert!(m.contains("media_store") && m.contains("\"s3\""), "{m}");
        let m = e(MediaOverrides {
            s3_bucket: None,
            ..s3()
        });
        assert!(m.contains("s3_bucket is not set"), "{m}");
        let m = e(MediaOverrides {
            s3_endpoint: Some("localhost:9000".into()),
            ..s3()
        });
        assert!(m.contains("s3_endpoint"), "{m}");
        let m = e(MediaOverrides {
            s3_bucket: Some("My_Bucket".into()),
            ..s3()
        });
        assert!(m.contains("not a bucket name"), "{m}");
        let m = e(MediaOverrides {
            media_public_url: Some("cdn.example.org".into()),
            ..s3()
        });
        assert!(m.contains("media_public_url"), "{m}");
        let m = e(MediaOverrides {
            s3_secret_key: None,
            ..s3()
        });
        assert!(
            m.contains("s3_secret_key") && !m.contains("very-secret"),
            "{m}"
        );
    }
}
