//! Prometheus metrics: requests by route and status, latency, page cache hits
//! and misses, and publishes. Each `AppState` has its own registry, so tests and
//! several servers in one process never share counts.

use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use prometheus::{Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, Opts, Registry};
use std::sync::atomic::Ordering;
use std::time::Instant;

use super::AppState;

/// The route label of requests answered by the page cache before routing.
pub const PAGE_CACHE_ROUTE: &str = "(page cache)";

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pub publishes: IntCounter,
    /// The series of page cache hits, looked up once: a hit is the cheapest
    /// request there is, and finding a labelled series costs a hash and a lock.
    cache_hits_ok: IntCounter,
    cache_hits_not_modified: IntCounter,
    cache_hit_latency: prometheus::Histogram,
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new("dateline_http_requests_total", "HTTP requests answered"),
            &["route", "status"],
        )
        .expect("valid metric");
        // From a cache hit (tens of microseconds) to a slow database (seconds).
        let buckets = vec![
            0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
            2.5, 5.0,
        ];
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "dateline_http_request_duration_seconds",
                "Time to answer an HTTP request",
            )
            .buckets(buckets),
            &["route"],
        )
        .expect("valid metric");
        let publishes = IntCounter::new(
            "dateline_publishes_total",
            "Stories published or updated on the public site (by editors or the scheduler)",
        )
        .expect("valid metric");
        for metric in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(latency.clone()),
            Box::new(publishes.clone()),
        ] {
            registry.register(metric).expect("metric names are unique");
        }
        Metrics {
            cache_hits_ok: requests.with_label_values(&[PAGE_CACHE_ROUTE, StatusCode::OK.as_str()]),
            cache_hits_not_modified: requests
                .with_label_values(&[PAGE_CACHE_ROUTE, StatusCode::NOT_MODIFIED.as_str()]),
            cache_hit_latency: latency.with_label_values(&[PAGE_CACHE_ROUTE]),
            registry,
            requests,
            latency,
            publishes,
        }
    }

    /// Counts a response of the page cache (200 or 304) under `PAGE_CACHE_ROUTE`.
    pub fn observe_cache_hit(&self, status: StatusCode, started: Instant) {
        match status {
            StatusCode::OK => self.cache_hits_ok.inc(),
            StatusCode::NOT_MODIFIED => self.cache_hits_not_modified.inc(),
            other => self
                .requests
                .with_label_values(&[PAGE_CACHE_ROUTE, other.as_str()])
                .inc(),
        }
        self.cache_hit_latency
            .observe(started.elapsed().as_secs_f64());
    }

    pub fn observe(&self, route: &str, status: StatusCode, started: Instant) {
        self.requests
            .with_label_values(&[route, status.as_str()])
            .inc();
        self.latency
            .with_label_values(&[route])
            .observe(started.elapsed().as_secs_f64());
    }

    /// The text exposition format, with the page cache's own counters.
    pub fn render(&self, state: &AppState) -> String {
        let mut out = Vec::new();
        let _ = prometheus::TextEncoder::new().encode(&self.registry.gather(), &mut out);
        let mut text = String::from_utf8(out).unwrap_or_default();
        for (name, help, value) in [
            (
                "dateline_page_cache_hits_total",
                "Public responses served from the page cache",
                state.cache.hits.load(Ordering::Relaxed),
            ),
            (
                "dateline_page_cache_misses_total",
                "Public responses that had to be rendered",
                state.cache.misses.load(Ordering::Relaxed),
            ),
        ] {
            text.push_str(&format!(
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n"
            ));
        }
        text
    }
}

/// Counts and times every routed request under its route pattern (never the raw
/// path, so the number of series stays bounded).
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    // MatchedPath is a shared string: cloning it does not copy the pattern.
    let route = request.extensions().get::<MatchedPath>().cloned();
    let response = next.run(request).await;
    let route = route.as_ref().map_or("(unmatched)", MatchedPath::as_str);
    state.metrics.observe(route, response.status(), started);
    response
}
