//! What every handler can reach: the store, the site's settings and sections, the
//! caches, and the counters and limits shared by every request.

use std::sync::Arc;
use std::time::Duration;

use super::cache::PageCache;
use super::{
    article_page, cluster, live_hub, metrics, rate_limits, reader_pages, sponsor_book, views,
};
use crate::clock::Clock;
use crate::config::SiteSettings;
use crate::domain::edition::Editions;
use crate::domain::section::SectionTree;
use crate::mail::Mailer;
use crate::store::{Store, StoreError};

/// Memory for cached pages (all encodings).
pub const DEFAULT_CACHE_BYTES: usize = 256 * 1024 * 1024;

/// What every handler can reach. One pointer, so the many clones a request makes
/// through the layers cost one reference count rather than one per field.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The state itself.
#[derive(Clone)]
pub struct Shared {
    pub store: Store,
    /// Where pictures' bytes are: the database or object storage.
    pub pictures: crate::media::Pictures,
    pub site: Arc<SiteSettings>,
    pub sections: Arc<SectionTree>,
    /// The installation's editions, the English one first; fixed while the process runs.
    pub editions: Arc<Editions>,
    pub clock: Clock,
    /// Rendered public responses; see `cache`.
    pub cache: Arc<PageCache>,
    /// Public story records, dropped with the pages that show them; see `record_cache`.
    pub records: Arc<article_page::Records>,
    /// Copies of signed-in readers' sessions for public pages; see `reader_pages`.
    pub readers: Arc<reader_pages::ReaderCopies>,
    /// Whether the database answered the last time this node looked.
    pub health: Arc<cluster::DatabaseHealth>,
    /// How far this node's follower has read the invalidation log; see `cluster`.
    pub follower: Arc<cluster::FollowerProgress>,
    /// Prometheus counters for `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
    /// Lets a scraper that is not on this machine read `/metrics`.
    pub metrics_token: Option<Arc<str>>,
    /// Site chrome built once per section.
    pub chromes: Arc<views::ChromeCache>,
    /// CDN or proxy endpoints told to drop changed objects (may be empty).
    pub purge_urls: Arc<Vec<String>>,
    /// For purge requests.
    pub http: reqwest::Client,
    /// API request counts per key or address.
    pub rate_limits: Arc<rate_limits::RateLimiter>,
    /// How long and how big a request may be; see `server`.
    pub limits: Limits,
    /// Outgoing mail (reader accounts' links): into the outbox, then by SMTP when configured.
    pub mailer: Mailer,
    /// Live pages' open streams and the breaking-news banner; see `live_hub`.
    pub live: Arc<live_hub::LiveHub>,
    /// The sponsor slot's campaigns and switches; see `sponsor_book`.
    pub sponsors: Arc<sponsor_book::SponsorBook>,
}

impl AppState {
    pub async fn new(store: Store, site: SiteSettings) -> Result<AppState, StoreError> {
        Self::with_clock(store, site, Clock::System).await
    }

    pub async fn with_clock(
        store: Store,
        site: SiteSettings,
        clock: Clock,
    ) -> Result<AppState, StoreError> {
        let sections = SectionTree::new(store.sections().await?);
        let editions = Editions::new(store.editions(&site.name, &site.time_zone_name).await?)
            .map_err(StoreError::Corrupt)?;
        let live = Arc::new(live_hub::LiveHub::load(&store).await?);
        let sponsors = Arc::new(sponsor_book::SponsorBook::load(&store, clock.now()).await?);
        // Until `with_mailer` says otherwise, mail is only kept in the outbox.
        let mailer = Mailer::new(store.clone(), &Default::default(), clock.clone())
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(AppState(Arc::new(Shared {
            mailer,
            live,
            sponsors,
            store,
            pictures: crate::media::Pictures::database(),
            site: Arc::new(site),
            sections: Arc::new(sections),
            editions: Arc::new(editions),
            cache: Arc::new(PageCache::new(true, DEFAULT_CACHE_BYTES, clock.clone())),
            clock,
            records: Arc::new(article_page::Records::new(true)),
            readers: Arc::new(reader_pages::reader_copies(true)),
            chromes: Arc::default(),
            health: Arc::default(),
            follower: Arc::default(),
            metrics: Arc::default(),
            metrics_token: None,
            purge_urls: Arc::new(Vec::new()),
            rate_limits: Arc::default(),
            limits: Limits::default(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap_or_default(),
        })))
    }

    /// Keeps pictures where `pictures` says (the database until this is called).
    pub fn with_pictures(self, pictures: crate::media::Pictures) -> AppState {
        let mut shared = Arc::unwrap_or_clone(self.0);
        shared.pictures = pictures;
        AppState(Arc::new(shared))
    }

    /// Turns the page cache and the record cache on or off, and sets the purge URLs.
    pub fn with_distribution(
        self,
        cache_enabled: bool,
        records_enabled: bool,
        purge_urls: Vec<String>,
    ) -> AppState {
        let mut shared = Arc::unwrap_or_clone(self.0);
        shared.cache = Arc::new(PageCache::new(
            cache_enabled,
            DEFAULT_CACHE_BYTES,
            shared.clock.clone(),
        ));
        shared.records = Arc::new(article_page::Records::new(records_enabled));
        shared.readers = Arc::new(reader_pages::reader_copies(records_enabled));
        shared.purge_urls = Arc::new(purge_urls);
        AppState(Arc::new(shared))
    }

    /// Lets holders of `token` read `/metrics` from other machines.
    pub fn with_metrics_token(self, token: Option<String>) -> AppState {
        let mut shared = Arc::unwrap_or_clone(self.0);
        shared.metrics_token = token.map(Arc::from);
        AppState(Arc::new(shared))
    }

    /// Sends mail through `mailer` (the configured SMTP server, or a test's).
    pub fn with_mailer(self, mailer: Mailer) -> AppState {
        let mut shared = Arc::unwrap_or_clone(self.0);
        shared.mailer = mailer;
        AppState(Arc::new(shared))
    }

    /// Never shows a sponsor campaign (the static export).
    pub fn with_sponsors_off(self) -> AppState {
        let mut shared = Arc::unwrap_or_clone(self.0);
        shared.sponsors = Arc::new(sponsor_book::SponsorBook::off());
        AppState(Arc::new(shared))
    }

    /// Replaces the request limits (tests shorten the timeouts).
    pub fn with_limits(self, limits: Limits) -> AppState {
        let mut shared = Arc::unwrap_or_clone(self.0);
        shared.limits = limits;
        AppState(Arc::new(shared))
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }
}

/// What one request may cost the server. The defaults are what `dateline serve`
/// uses; tests shorten the times.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Time a client has to send a request's line and headers, counted from when
    /// the server starts waiting for them (so an idle kept-alive connection is also
    /// closed after it). The connection is closed when it runs out.
    pub header_read_timeout: Duration,
    /// Time from the headers to the end of the response, reading the body
    /// included: `408 Request Timeout` after it.
    pub request_timeout: Duration,
    /// Most bytes in the request line and headers together: `431` above it.
    pub max_header_bytes: usize,
    /// Largest request body anywhere: `413` above it. The newsroom's editor form
    /// (with its picture upload) and the other forms have their own, smaller limits.
    pub max_body_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_header_bytes: 64 * 1024,
            max_body_bytes: 16 * 1024 * 1024,
        }
    }
}
