//! Mail settings: the SMTP server outgoing mail goes through, if any, and the address it comes from.

use lettre::message::Mailbox;
use serde::Deserialize;
use std::fmt;
use std::str::FromStr;

use super::ConfigError;
use crate::domain::text::quoted;

/// A password: read like any setting, never shown (`Debug` prints `[redacted]`).
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Secret, Self::Err> {
        Ok(Secret(s.to_string()))
    }
}

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// TLS from the first byte (SMTPS, port 465).
    Tls,
    /// A plain connection upgraded with STARTTLS, which the server must offer (port 587).
    StartTls,
    /// No encryption: only for a relay on this machine or a test server.
    Plain,
}

impl SmtpSecurity {
    fn parse(value: &str) -> Option<SmtpSecurity> {
        match value.trim().to_ascii_lowercase().as_str() {
            "tls" | "smtps" => Some(SmtpSecurity::Tls),
            "starttls" => Some(SmtpSecurity::StartTls),
            "plain" | "none" => Some(SmtpSecurity::Plain),
            _ => None,
        }
    }

    /// The usual port for this kind of connection.
    pub fn default_port(self) -> u16 {
        match self {
            SmtpSecurity::Tls => 465,
            SmtpSecurity::StartTls => 587,
            SmtpSecurity::Plain => 25,
        }
    }
}

/// The SMTP server mail is sent through.
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    /// User name and password, when the server asks for them.
    pub credentials: Option<(String, Secret)>,
}

/// Checked mail settings. Without `smtp`, messages are kept in the outbox only.
#[derive(Debug, Clone, Default)]
pub struct MailSettings {
    pub smtp: Option<SmtpSettings>,
    /// The `From` of every message; required with SMTP.
    pub from: Option<Mailbox>,
}

/// Mail settings as given by flags, the environment or the config file, unchecked.
#[derive(Debug, Default, Clone)]
pub struct MailOverrides {
    pub smtp_host: Option<String>,
    pub smtp_port: Option<u16>,
    pub smtp_security: Option<String>,
    pub smtp_user: Option<String>,
    pub smtp_password: Option<Secret>,
    pub mail_from: Option<String>,
}

impl MailOverrides {
    /// These values, each falling back to `fallback`'s (flags over the file).
    pub fn or(&self, fallback: MailOverrides) -> MailOverrides {
        MailOverrides {
            smtp_host: self.smtp_host.clone().or(fallback.smtp_host),
            smtp_port: self.smtp_port.or(fallback.smtp_port),
            smtp_security: self.smtp_security.clone().or(fallback.smtp_security),
            smtp_user: self.smtp_user.clone().or(fallback.smtp_user),
            smtp_password: self.smtp_password.clone().or(fallback.smtp_password),
            mail_from: self.mail_from.clone().or(fallback.mail_from),
        }
    }

    /// Checks every value; a message names the setting and never shows the password.
    pub fn check(self) -> Result<MailSettings, ConfigError> {
        let invalid = |message: String| Err(ConfigError::Invalid(message));
        let from = match self.mail_from.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => match Mailbox::from_str(text) {
                Ok(mailbox) if !text.chars().any(char::is_control) => Some(mailbox),
                _ => {
                    return invalid(format!(
                        "mail_from {} is not a valid address: use news@example.org or \
                         \"Valley Post <news@example.org>\"",
                        quoted(text)
                    ))
                }
            },
        };
        let host = self
            .smtp_host
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty());
        let Some(host) = host else {
            let given = [
                ("smtp_port", self.smtp_port.is_some()),
                ("smtp_security", self.smtp_security.is_some()),
                ("smtp_user", self.smtp_user.is_some()),
                ("smtp_password", self.smtp_password.is_some()),
            ];
            if let Some((name, _)) = given.iter().find(|(_, set)| *set) {
                return invalid(format!(
                    "{name} is set but smtp_host is not: set smtp_host to send mail by SMTP, \
                     or leave the SMTP settings out to keep messages in the outbox"
                ));
            }
            return Ok(MailSettings { smtp: None, from });
        };
        let host_ok = host.len() <= 253
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
        if !host_ok {
            return invalid(format!(
                "smtp_host {} is not valid: use a host name or address, e.g. smtp.example.org",
                quoted(host)
            ));
        }
        let security = match self.smtp_security.as_deref() {
            None => SmtpSecurity::StartTls,
            Some(text) => match SmtpSecurity::parse(text) {
                Some(security) => security,
                None => {
                    return invalid(format!(
                        "smtp_security {} is not valid: use starttls, tls or plain",
                        quoted(text)
                    ))
                }
            },
        };
        let port = match self.smtp_port {
            Some(0) => return invalid("smtp_port must be between 1 and 65535".into()),
            Some(port) => port,
            None => security.default_port(),
        };
        let user = self.smtp_user.filter(|u| !u.is_empty());
        let password = self.smtp_password.filter(|p| !p.expose().is_empty());
        let credentials = match (user, password) {
            (None, None) => None,
            (Some(user), Some(password)) => {
                if user.chars().any(char::is_control) || user.chars().count() > 256 {
                    return invalid("smtp_user must be at most 256 printable characters".into());
                }
                Some((user, password))
            }
            (Some(_), None) => {
                return invalid(
                    "smtp_user is set but smtp_password is not: set both or neither".into(),
                )
            }
            (None, Some(_)) => {
                return invalid(
                    "smtp_password is set but smtp_user is not: set both or neither".into(),
                )
            }
        };
        if security == SmtpSecurity::Plain && credentials.is_some() && !is_loopback(host) {
            return invalid(format!(
                "smtp_security plain would send the SMTP password to {} unencrypted: \
                 use starttls or tls",
                quoted(host)
            ));
        }
        if from.is_none() {
            return invalid(
                "smtp_host is set but mail_from is not: set mail_from to the address \
                 messages come from, e.g. news@example.org"
                    .into(),
            );
        }
        Ok(MailSettings {
            smtp: Some(SmtpSettings {
                host: host.to_string(),
                port,
                security,
                credentials,
            }),
            from,
        })
    }
}

/// This machine: the only place a password may travel unencrypted.
fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn smtp(host: &str) -> MailOverrides {
        MailOverrides {
            smtp_host: Some(host.into()),
            mail_from: Some("Valley Post <news@valley.example>".into()),
            ..Default::default()
        }
    }

    fn error(overrides: MailOverrides) -> String {
        overrides.check().unwrap_err().to_string()
    }

    #[test]
    fn without_smtp_host_mail_stays_in_the_outbox() {
        let settings = MailOverrides::default().check().unwrap();
        assert!(settings.smtp.is_none() && settings.from.is_none());
    }

    #[test]
    fn security_picks_the_usual_port() {
        let s = smtp("smtp.example.org").check().unwrap().smtp.unwrap();
        assert_eq!((s.security, s.port), (SmtpSecurity::StartTls, 587));
        let mut o = smtp("smtp.example.org");
        o.smtp_security = Some("TLS".into());
        let s = o.check().unwrap().smtp.unwrap();
        assert_eq!((s.security, s.port), (SmtpSecurity::Tls, 465));
        let mut o = smtp("127.0.0.1");
        o.smtp_security = Some("plain".into());
        o.smtp_port = Some(2525);
        let s = o.check().unwrap().smtp.unwrap();
        assert_eq!((s.security, s.port), (SmtpSecurity::Plain, 2525));
    }

    #[test]
    fn bad_values_name_the_setting() {
        let mut o = smtp("smtp.example.org");
        o.smtp_security = Some("ssl3".into());
        assert!(error(o).contains("smtp_security “ssl3”"));
        assert!(error(smtp("smtp example.org")).contains("smtp_host"));
        let mut o = smtp("smtp.example.org");
        o.mail_from = None;
        assert!(error(o).contains("mail_from is not"));
        let mut o = smtp("smtp.example.org");
        o.mail_from = Some("not an address".into());
        assert!(error(o).contains("mail_from “not an address”"));
        let o = MailOverrides {
            smtp_user: Some("me".into()),
            ..Default::default()
        };
        assert!(error(o).contains("smtp_user is set but smtp_host is not"));
        let mut o = smtp("smtp.example.org");
        o.smtp_user = Some("me".into());
        assert!(error(o).contains("smtp_password is not"));
        let mut o = smtp("smtp.example.org");
        o.smtp_port = Some(0);
        assert!(error(o).contains("smtp_port"));
    }

    #[test]
    fn a_password_is_never_shown_nor_sent_in_clear() {
        let mut o = smtp("smtp.example.org");
        o.smtp_security = Some("plain".into());
        o.smtp_user = Some("me".into());
        o.smtp_password = Some(Secret::new("hunter2-secret"));
        let e = error(o.clone());
        assert!(e.contains("unencrypted") && !e.contains("hunter2"), "{e}");
        o.smtp_security = Some("starttls".into());
        let settings = o.check().unwrap();
        let shown = format!("{settings:?}");
        assert!(
            !shown.contains("hunter2") && shown.contains("[redacted]"),
            "{shown}"
        );
        // A relay on this machine may take a password over a plain connection.
        let mut o = smtp("localhost");
        o.smtp_security = Some("plain".into());
        o.smtp_user = Some("me".into());
        o.smtp_password = Some(Secret::new("pw"));
        assert!(o.check().is_ok());
    }
}
