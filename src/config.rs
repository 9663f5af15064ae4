//! Settings shared by every subcommand: from flags, environment, an optional
//! TOML file and defaults, in that order of precedence, checked once at start.

use crate::domain::text::quoted;
use jiff::tz::TimeZone;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use thiserror::Error;

use crate::domain::timefmt;

mod mail;
mod media;
pub use mail::{MailOverrides, MailSettings, Secret, SmtpSecurity, SmtpSettings};
pub use media::{MediaOverrides, MediaSettings, S3Settings};

pub const DEFAULT_DATABASE: &str = "sqlite://dateline.db";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_SITE_NAME: &str = "Dateline News";

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path} is not valid: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("{0}")]
    Invalid(String),
}

/// Values as given by flags or environment variables (already merged by clap).
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub database: Option<String>,
    pub bind: Option<String>,
    pub site_name: Option<String>,
    pub base_url: Option<String>,
    pub time_zone: Option<String>,
    pub cache: Option<bool>,
    pub record_cache: Option<bool>,
    pub purge_urls: Vec<String>,
    pub metrics_token: Option<String>,
    pub mail: MailOverrides,
    pub media: MediaOverrides,
}

/// The TOML config file. Unknown keys are refused, so a typo is never silently ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    database: Option<String>,
    bind: Option<String>,
    site_name: Option<String>,
    base_url: Option<String>,
    time_zone: Option<String>,
    cache: Option<bool>,
    record_cache: Option<bool>,
    purge_urls: Option<Vec<String>>,
    metrics_token: Option<String>,
    smtp_host: Option<String>,
    smtp_port: Option<u16>,
    smtp_security: Option<String>,
    smtp_user: Option<String>,
    smtp_password: Option<Secret>,
    mail_from: Option<String>,
    ads_txt: Option<String>,
    media_store: Option<String>,
    s3_endpoint: Option<String>,
    s3_bucket: Option<String>,
    s3_region: Option<String>,
    s3_access_key: Option<String>,
    s3_secret_key: Option<Secret>,
    media_public_url: Option<String>,
}

/// Checked settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database: String,
    pub bind: SocketAddr,
    pub site: SiteSettings,
    /// Keep rendered public responses in memory (on unless turned off, e.g. to benchmark rendering).
    pub cache: bool,
    /// Keep public story records in memory, so uncached pages are built without queries.
    pub record_cache: bool,
    /// Bearer token that lets other machines read `/metrics` (loopback needs none).
    pub metrics_token: Option<String>,
    /// URLs sent a `PURGE` request with a `Surrogate-Key` header when content changes.
    pub purge_urls: Vec<String>,
    /// Outgoing mail: through SMTP, or kept in the outbox.
    pub mail: MailSettings,
    /// Where pictures' bytes are kept: the database, or an S3 bucket.
    pub media: MediaSettings,
}

/// What pages need to know about the site.
#[derive(Debug, Clone)]
pub struct SiteSettings {
    pub name: String,
    /// Absolute base URL without a trailing slash, e.g. `https://news.example.org`.
    pub base_url: String,
    pub time_zone_name: String,
    pub time_zone: TimeZone,
    /// What `/ads.txt` answers (the IAB's list of authorised sellers); `None`
    /// answers 404. Set as `ads_txt` in the config file.
    pub ads_txt: Option<String>,
}

/// Longest `ads_txt` accepted.
const MAX_ADS_TXT_BYTES: usize = 64 * 1024;

impl SiteSettings {
    /// Settings for tests and tools: the defaults with a given base URL.
    pub fn with_base_url(base_url: &str) -> SiteSettings {
        SiteSettings {
            name: DEFAULT_SITE_NAME.to_string(),
            base_url: base_url.trim_end_matches('/').to_string(),
            time_zone_name: timefmt::DEFAULT_TIME_ZONE.to_string(),
            time_zone: timefmt::time_zone(timefmt::DEFAULT_TIME_ZONE).unwrap_or(TimeZone::UTC),
            ads_txt: None,
        }
    }
}

impl Settings {
    pub fn load(overrides: &Overrides) -> Result<Settings, ConfigError> {
        let file = match &overrides.config {
            Some(path) => parse_file(path, &read_file(path)?)?,
            None => FileSettings::default(),
        };
        Self::resolve(overrides, file)
    }

    /// Checks the text of a config file (named `path` in messages) under `overrides`,
    /// exactly as `load` would after reading it: the pure part of loading, which the
    /// fuzz target drives.
    pub fn from_file_text(
        path: &Path,
        text: &str,
        overrides: &Overrides,
    ) -> Result<Settings, ConfigError> {
        Self::resolve(overrides, parse_file(path, text)?)
    }

    /// Merges flags over the file over the defaults, and checks every value.
    fn resolve(overrides: &Overrides, file: FileSettings) -> Result<Settings, ConfigError> {
        let pick = |flag: &Option<String>, file: Option<String>, default: &str| {
            flag.clone().or(file).unwrap_or_else(|| default.to_string())
        };
        let database = pick(&overrides.database, file.database, DEFAULT_DATABASE);
        let bind_text = pick(&overrides.bind, file.bind, DEFAULT_BIND);
        let site_name = pick(&overrides.site_name, file.site_name, DEFAULT_SITE_NAME);
        let time_zone_name = pick(
            &overrides.time_zone,
            file.time_zone,
            timefmt::DEFAULT_TIME_ZONE,
        );

        if !(database.starts_with("sqlite:")
            || database.starts_with("postgres://")
            || database.starts_with("postgresql://"))
        {
            return Err(ConfigError::Invalid(format!(
                "database {} is not supported: use sqlite://PATH or postgres://USER@HOST/DB",
                quoted(&crate::store::redact(&database))
            )));
        }
        let bind: SocketAddr = bind_text.parse().map_err(|_| {
            ConfigError::Invalid(format!(
                "bind address {} is not valid: use HOST:PORT, e.g. 127.0.0.1:8080",
                quoted(&bind_text)
            ))
        })?;
        let site_name = site_name.trim().to_string();
        if site_name.is_empty()
            || site_name.chars().count() > 80
            || site_name.chars().any(char::is_control)
        {
            return Err(ConfigError::Invalid(
                "site name must be 1 to 80 printable characters".into(),
            ));
        }
        let time_zone = timefmt::time_zone(&time_zone_name).map_err(ConfigError::Invalid)?;
        let base_url = match overrides.base_url.clone().or(file.base_url) {
            Some(url) => check_base_url(&url)?,
            None => format!("http://{bind}"),
        };
        let purge_urls = if overrides.purge_urls.is_empty() {
            file.purge_urls.unwrap_or_default()
        } else {
            overrides.purge_urls.clone()
        };
        for url in &purge_urls {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(ConfigError::Invalid(format!(
                    "purge URL {} is not valid: use http:// or https://",
                    quoted(url)
                )));
            }
        }
        let ads_txt = file.ads_txt.map(check_ads_txt).transpose()?;
        let mail = overrides
            .mail
            .or(MailOverrides {
                smtp_host: file.smtp_host,
                smtp_port: file.smtp_port,
                smtp_security: file.smtp_security,
                smtp_user: file.smtp_user,
                smtp_password: file.smtp_password,
                mail_from: file.mail_from,
            })
            .check()?;
        let media = overrides
            .media
            .or(MediaOverrides {
                media_store: file.media_store,
                s3_endpoint: file.s3_endpoint,
                s3_bucket: file.s3_bucket,
                s3_region: file.s3_region,
                s3_access_key: file.s3_access_key,
                s3_secret_key: file.s3_secret_key,
                media_public_url: file.media_public_url,
            })
            .check()?;
        Ok(Settings {
            mail,
            media,
            cache: overrides.cache.or(file.cache).unwrap_or(true),
            metrics_token: overrides
                .metrics_token
                .clone()
                .or(file.metrics_token)
                .filter(|t| !t.is_empty()),
            record_cache: overrides.record_cache.or(file.record_cache).unwrap_or(true),
            purge_urls,
            database,
            bind,
            site: SiteSettings {
                name: site_name,
                base_url,
                time_zone_name,
                time_zone,
                ads_txt,
            },
        })
    }
}

fn read_file(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })
}

fn parse_file(path: &Path, text: &str) -> Result<FileSettings, ConfigError> {
    toml::from_str(text).map_err(|e| ConfigError::Parse {
        path: path.to_path_buf(),
        // toml's message spans several lines with a source excerpt; keep its first line.
        message: e
            .message()
            .lines()
            .next()
            .unwrap_or("syntax error")
            .to_string()
            + &e.span()
                .map(|s| format!(" (at line {})", line_of(text, s.start)))
                .unwrap_or_default(),
    })
}

/// The 1-based line holding byte `offset` (counted in bytes, so any offset is safe).
fn line_of(text: &str, offset: usize) -> usize {
    let before = &text.as_bytes()[..offset.min(text.len())];
    before.iter().filter(|b| **b == b'\n').count() + 1
}

/// Checks `ads_txt`: plain text lines, at most 64 KB.
fn check_ads_txt(text: String) -> Result<String, ConfigError> {
    if text.len() > MAX_ADS_TXT_BYTES {
        return Err(ConfigError::Invalid(format!(
            "ads_txt is {} bytes long; it may be at most {MAX_ADS_TXT_BYTES}",
            text.len()
        )));
    }
    if let Some(line) = text
        .lines()
        .position(|l| l.chars().any(|c| c.is_control() && c != '\t' && c != '\r'))
    {
        return Err(ConfigError::Invalid(format!(
            "ads_txt line {} holds a control character: write plain text lines",
            line + 1
        )));
    }
    Ok(text)
}

fn check_base_url(url: &str) -> Result<String, ConfigError> {
    let trimmed = url.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', ' ', '"', '<', '>']) => Ok(trimmed.to_string()),
        _ => Err(ConfigError::Invalid(format!(
            "base URL {} is not valid: use the site's address without a path, e.g. https://news.example.org",
            quoted(url)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(o: Overrides) -> Result<Settings, ConfigError> {
        Settings::load(&o)
    }

    #[test]
    fn defaults() {
        let s = load(Overrides::default()).unwrap();
        assert_eq!(s.database, DEFAULT_DATABASE);
        assert_eq!(s.bind.to_string(), DEFAULT_BIND);
        assert_eq!(s.site.base_url, "http://127.0.0.1:8080");
        assert_eq!(s.site.time_zone_name, "GMT");
    }

    #[test]
    fn ads_txt_is_read_from_the_file_and_checked() {
        let overrides = Overrides::default();
        let path = Path::new("dateline.toml");
        let s = Settings::from_file_text(
            path,
            "ads_txt = \"\"\"\nexample.com, pub-1, DIRECT\n\"\"\"\n",
            &overrides,
        )
        .unwrap();
        assert_eq!(
            s.site.ads_txt.as_deref(),
            Some("example.com, pub-1, DIRECT\n")
        );
        let none = Settings::from_file_text(path, "", &overrides).unwrap();
        assert_eq!(none.site.ads_txt, None);
        let bad = Settings::from_file_text(path, "ads_txt = \"a\\u0007b\"", &overrides);
        assert!(matches!(bad, Err(ConfigError::Invalid(m)) if m.contains("line 1")));
    }

    #[test]
    fn file_is_read_and_flags_win() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dateline.toml");
        std::fs::write(
            &path,
            "site_name = \"Valley Post\"\nbind = \"0.0.0.0:9000\"\ntime_zone = \"Europe/London\"\n",
        )
        .unwrap();
        let s = load(Overrides {
            config: Some(path),
            bind: Some("127.0.0.1:9001".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(s.site.name, "Valley Post");
        assert_eq!(s.bind.port(), 9001);
        assert_eq!(s.site.time_zone_name, "Europe/London");
    }

    #[test]
    fn mail_settings_come_from_the_file_and_flags() {
        let text = "smtp_host = \"smtp.example.org\"\nsmtp_port = 2525\nsmtp_user = \"news\"\n\
                    smtp_password = \"file-secret\"\nmail_from = \"news@example.org\"\n";
        let overrides = Overrides {
            mail: MailOverrides {
                smtp_port: Some(2600),
                ..Default::default()
            },
            ..Default::default()
        };
        let s = Settings::from_file_text(Path::new("d.toml"), text, &overrides).unwrap();
        let smtp = s.mail.smtp.as_ref().unwrap();
        assert_eq!((smtp.host.as_str(), smtp.port), ("smtp.example.org", 2600));
        assert_eq!(smtp.security, SmtpSecurity::StartTls);
        let (user, password) = smtp.credentials.as_ref().unwrap();
        assert_eq!((user.as_str(), password.expose()), ("news", "file-secret"));
        assert!(!format!("{s:?}").contains("file-secret"));
        assert!(load(Overrides::default()).unwrap().mail.smtp.is_none());
    }

    #[test]
    fn bad_values_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, "site_nmae = \"typo\"\n").unwrap();
        let e = load(Overrides {
            config: Some(path),
            ..Default::default()
        })
        .unwrap_err()
        .to_string();
        assert!(e.contains("site_nmae") && e.contains("line 1"), "{e}");
        let e = load(Overrides {
            bind: Some("nowhere".into()),
            ..Default::default()
        })
        .unwrap_err()
        .to_string();
        assert!(e.contains("bind address"), "{e}");
        let e = load(Overrides {
            time_zone: Some("Mars/Base".into()),
            ..Default::default()
        })
        .unwrap_err()
        .to_string();
        assert!(e.contains("Mars/Base"), "{e}");
        let e = load(Overrides {
            base_url: Some("ftp://x".into()),
            ..Default::default()
        })
        .unwrap_err()
        .to_string();
        assert!(e.contains("base URL"), "{e}");
        let e = load(Overrides {
            database: Some("mysql://x".into()),
            ..Default::default()
        })
        .unwrap_err()
        .to_string();
        assert!(e.contains("not supported"), "{e}");
    }
}
