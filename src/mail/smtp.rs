//! The SMTP connection (lettre over tokio and rustls) and how its failures are judged.

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::response::{Category, Severity};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::time::Duration;

use super::MailError;
use crate::config::{SmtpSecurity, SmtpSettings};

/// How long one SMTP command may take before the attempt is abandoned.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one whole attempt may take: well inside the claim's lease
/// (`mail::LEASE_SECONDS`), so no other node takes the message meanwhile.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(120);

/// A configured SMTP server, with a small pool of open connections.
#[derive(Clone)]
pub(crate) struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

/// Why an attempt failed, and whether another could succeed.
pub(crate) struct Failure {
    /// One line for the outbox and the log; never the password.
    pub message: String,
    /// The server refused this message for good (a 5xx reply about it).
    pub permanent: bool,
}

impl Smtp {
    pub(crate) fn new(settings: &SmtpSettings) -> Result<Smtp, MailError> {
        let setup = |e: lettre::transport::smtp::Error| MailError::Setup(e.to_string());
        let builder = match settings.security {
            SmtpSecurity::Tls => {
                AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.host).map_err(setup)?
            }
            SmtpSecurity::StartTls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.host)
                    .map_err(setup)?
            }
            SmtpSecurity::Plain => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host)
            }
        };
        let mut builder = builder.port(settings.port).timeout(Some(COMMAND_TIMEOUT));
        if let Some((user, password)) = &settings.credentials {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                password.expose().to_string(),
            ));
        }
        Ok(Smtp {
            transport: builder.build(),
        })
    }

    /// Hands one message to the server, within [`ATTEMPT_TIMEOUT`].
    pub(crate) async fn send(&self, message: lettre::Message) -> Result<(), Failure> {
        match tokio::time::timeout(ATTEMPT_TIMEOUT, self.transport.send(message)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(judge(&e)),
            Err(_) => Err(Failure {
                message: format!(
                    "the mail server took more than {} seconds",
                    ATTEMPT_TIMEOUT.as_secs()
                ),
                permanent: false,
            }),
        }
    }
}

/// A 5xx reply refuses the message for good, except the 53x replies about
/// authentication: those mean the settings are wrong, and the message is sent
/// once they are mended. Everything else (4xx replies, a server that is down or
/// unreachable, a timeout, a TLS failure) may pass, so the message is tried again.
fn judge(error: &lettre::transport::smtp::Error) -> Failure {
    let permanent = error.status().is_some_and(|code| {
        code.severity == Severity::PermanentNegativeCompletion
            && code.category != Category::Unspecified3
    });
    // lettre's message names the failure and the server's reply; it never holds
    // the credentials. Its source (the I/O error) says what a bare "network error" hides.
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    let message: String = message
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(500)
        .collect();
    Failure { message, permanent }
}
