//! Counts the SQL statements the server runs for one request: a tracing layer
//! that sees sqlx's statement log (`sqlx::query` events) and the statements
//! SQLite runs in place (`dateline::store::STATEMENT_LOG`), and counts those made
//! inside the request span (tower-http's `request`, which names the URI) of a
//! URI a test watches. sqlx's SQLite worker threads enter the caller's span, so
//! both databases count alike; tests running at the same time use distinct URIs.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, MutexGuard, Once};

use dateline::store::STATEMENT_LOG;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Event, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;

/// The statements (their first words, as sqlx summarises them) run per watched URI.
static COUNTS: LazyLock<Mutex<HashMap<String, Vec<String>>>> = LazyLock::new(Mutex::default);
static INSTALL: Once = Once::new();

/// Starts counting the statements run while serving `uri` (path and query).
pub fn watch(uri: &str) {
    INSTALL.call_once(|| {
        tracing_subscriber::registry()
            .with(StatementCounter)
            .try_init()
            .expect("no other tracing subscriber in the integration tests");
    });
    counts().insert(uri.to_string(), Vec::new());
}

/// The statements run so far while serving `uri`, summarised, leaving out
/// the set-up of a connection the pool opened meanwhile (sqlx's pragmas and
/// the `after_connect` of `Store::connect`, which names the node): a
/// connection's cost, paid once and kept by the pool, not the page's. No page
/// runs a statement that begins like these.
pub fn run_for(uri: &str) -> Vec<String> {
    let run = counts().get(uri).cloned().expect("a watched URI");
    run.into_iter()
        .filter(|s| !CONNECTION_SET_UP.iter().any(|set_up| s.starts_with(set_up)))
        .collect()
}

/// How the statements that set up a new connection begin, on both databases.
const CONNECTION_SET_UP: &[&str] = &[
    "PRAGMA ",
    "SELECT set_config($1, $2, false)",
    "CREATE TEMP TABLE IF",
    "DELETE FROM temp.dateline_node",
    "INSERT INTO temp.dateline_node",
];

fn counts() -> MutexGuard<'static, HashMap<String, Vec<String>>> {
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
        let mut uri = FieldText("uri", None);
        attrs.record(&mut uri);
        if let (Some(uri), Some(span)) = (uri.1, ctx.span(id)) {
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
                if let Some(run) = counts().get_mut(uri) {
                    let mut summary = FieldText("summary", None);
                    event.record(&mut summary);
                    run.push(summary.1.unwrap_or_default());
                }
                return;
            }
        }
    }
}

fn is_statement(metadata: &Metadata<'_>) -> bool {
    metadata.is_event()
        && (metadata.target() == "sqlx::query" || metadata.target() == STATEMENT_LOG)
}

fn is_request(metadata: &Metadata<'_>) -> bool {
    metadata.is_span()
        && metadata.name() == "request"
        && metadata.target().starts_with("tower_http")
}

/// The text of one field of a span or event.
struct FieldText(&'static str, Option<String>);

impl Visit for FieldText {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == self.0 {
            self.1 = Some(value.to_string());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == self.0 {
            self.1 = Some(format!("{value:?}"));
        }
    }
}
