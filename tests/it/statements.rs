//! Counts the SQL statements the server runs for one request: a tracing layer
//! that sees sqlx's statement log (`sqlx::query` events) and counts those made
//! inside the request span (tower-http's `request`, which names the URI) of a
//! URI a test watches. sqlx's SQLite worker threads enter the caller's span, so
//! both databases count alike; tests running at the same time use distinct URIs.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, MutexGuard, Once};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Event, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;

/// Statements counted per watched URI.
static COUNTS: LazyLock<Mutex<HashMap<String, usize>>> = LazyLock::new(Mutex::default);
static INSTALL: Once = Once::new();

/// Starts counting the statements run while serving `uri` (path and query).
pub fn watch(uri: &str) {
    INSTALL.call_once(|| {
        tracing_subscriber::registry()
            .with(StatementCounter)
            .try_init()
            .expect("no other tracing subscriber in the integration tests");
    });
    counts().insert(uri.to_string(), 0);
}

/// The statements run so far while serving `uri`.
pub fn count(uri: &str) -> usize {
    counts().get(uri).copied().expect("a watched URI")
}

fn counts() -> MutexGuard<'static, HashMap<String, usize>> {
    COUNTS.lock().unwrap_or_else(|e| e.into_inner())
}

struct StatementCounter;

/// The URI a request span names.
struct RequestUri(String);

impl<S> Layer<S> for StatementCounter
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    /// Only the request spans and sqlx's statements: nothing else is recorded,
    /// so the other tests pay nothing.
    fn enabled(&self, metadata: &Metadata<'_>, _: Context<'_, S>) -> bool {
        is_statement(metadata) || is_request(metadata)
    }

    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if !is_request(attrs.metadata()) {
            return;
        }
        let mut uri = UriField(None);
        attrs.record(&mut uri);
        if let (Some(uri), Some(span)) = (uri.0, ctx.span(id)) {
            span.extensions_mut().insert(RequestUri(uri));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        if !is_statement(event.metadata()) {
            return;
        }
        let Some(scope) = ctx.event_scope(event) else {
            return;
        };
        for span in scope {
            if let Some(RequestUri(uri)) = span.extensions().get::<RequestUri>() {
                if let Some(n) = counts().get_mut(uri) {
                    *n += 1;
                }
                return;
            }
        }
    }
}

fn is_statement(metadata: &Metadata<'_>) -> bool {
    metadata.is_event() && metadata.target() == "sqlx::query"
}

fn is_request(metadata: &Metadata<'_>) -> bool {
    metadata.is_span()
        && metadata.name() == "request"
        && metadata.target().starts_with("tower_http")
}

struct UriField(Option<String>);

impl Visit for UriField {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "uri" {
            self.0 = Some(format!("{value:?}"));
        }
    }
}
