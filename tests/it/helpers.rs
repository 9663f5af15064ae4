//! `TestApp`: the real router on a real TCP port over a fresh database (SQLite
//! always; PostgreSQL when `DATABASE_URL` names one), plus fixture builders.

use dateline::clock::Clock;
use dateline::config::{MailSettings, MediaSettings, SiteSettings};
use dateline::domain::story::{ExternalLink, LeadImage, Story, StoryContent};
use dateline::domain::user::Role;
use dateline::editorial::{Actor, Edit, EditRequest};
use dateline::mail::Mailer;
use dateline::media::Pictures;
use dateline::store::Store;
use dateline::web::server::Limits;
use dateline::web::{self, AppState};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::sync::Once;
use tempfile::TempDir;

use crate::s3_server::S3Server;

/// Runs each named test function once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::$test($crate::helpers::TestApp::sqlite().await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    if let Some(app) = $crate::helpers::TestApp::postgres().await {
                        super::$test(app).await;
                    }
                }
            )*
        }
    };
}

pub struct TestApp {
    /// A hand-set clock starting at the real time; tests move it to test expiry and schedules.
    pub clock: Clock,
    pub base: String,
    pub client: reqwest::Client,
    pub store: Store,
    pub state: AppState,
    /// The database this node serves: for a second node, the real binary, or breaking it.
    pub database_url: String,
    /// Where this node keeps pictures (shared with its other nodes).
    pub media: Media,
    _dir: Option<TempDir>,
    _pg_database: Option<PgDatabase>,
    server: tokio::task::JoinHandle<()>,
    follower: tokio::task::JoinHandle<()>,
}

/// A PostgreSQL database made for one test and dropped when it ends.
pub struct PgDatabase {
    admin: String,
    name: String,
    pub url: String,
}

impl PgDatabase {
    /// `None` when PostgreSQL is not configured (outside CI).
    pub async fn create() -> Option<PgDatabase> {
        let admin = postgres_url()?;
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "dateline_t_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        run_admin(
            &admin,
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        )
        .await;
        run_admin(&admin, &format!("CREATE DATABASE {name}")).await;
        let mut url = reqwest::Url::parse(&admin).expect("DATABASE_URL parses");
        url.set_path(&name);
        Some(PgDatabase {
            admin,
            name,
            url: url.to_string(),
        })
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (admin, sql) = (
            self.admin.clone(),
            format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
        // Dropping needs async I/O, and this may run inside a runtime: use a thread with its own.
        let _ = std::thread::spawn(move || {
            if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                rt.block_on(run_admin(&admin, &sql));
            }
        })
        .join();
    }
}

/// True when running under CI, where skipping the PostgreSQL suite is a failure.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// PostgreSQL admin URL for tests, if any. Under CI it is required.
pub fn postgres_url() -> Option<String> {
    match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => Some(url),
        _ if in_ci() => panic!("CI=true but DATABASE_URL does not point at PostgreSQL: the PostgreSQL suite must not be skipped in CI"),
        _ => {
            static SAID: Once = Once::new();
            SAID.call_once(|| {
                // Written straight to stderr so the test harness does not swallow it.
                let _ = writeln!(std::io::stderr(), "\n*** PostgreSQL tests SKIPPED: set DATABASE_URL=postgres://… to run them ***\n");
            });
            None
        }
    }
}

impl TestApp {
    pub async fn sqlite() -> TestApp {
        Self::sqlite_with(|_| {}).await
    }

    /// SQLite app with adjusted site settings (time zone, name…).
    pub async fn sqlite_with(adjust: impl FnOnce(&mut SiteSettings)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let store = Store::connect(&url).await.expect("open sqlite");
        store.migrate().await.expect("migrate sqlite");
        Self::start(store, url, Some(dir), None, adjust, Serving::default()).await
    }

    /// Another node serving the same database with its own pool and caches, as a
    /// second `dateline serve` would. Drop it before the first node.
    pub async fn another_node(&self) -> TestApp {
        self.another_node_with_mail(MailSettings::default()).await
    }

    /// Another node, as [`TestApp::another_node`], whose mail goes out as `mail` says.
    pub async fn another_node_with_mail(&self, mail: MailSettings) -> TestApp {
        self.another_node_serving(Serving {
            mail,
            media: Some(self.media.clone()),
            ..Serving::default()
        })
        .await
    }

    /// Another node on the same database keeping its pictures as `media` says.
    pub async fn another_node_with_media(&self, media: Media) -> TestApp {
        self.another_node_serving(Serving {
            media: Some(media),
            ..Serving::default()
        })
        .await
    }

    async fn another_node_serving(&self, serving: Serving) -> TestApp {
        let store = Store::connect(&self.database_url)
            .await
            .expect("open the shared database");
        Self::start(
            store,
            self.database_url.clone(),
            None,
            None,
            |_| {},
            serving,
        )
        .await
    }

    /// A fresh PostgreSQL database for this test, or `None` when PostgreSQL is not configured.
    pub async fn postgres() -> Option<TestApp> {
        let database = PgDatabase::create().await?;
        let store = Store::connect(&database.url).await.expect("open postgres");
        store.migrate().await.expect("migrate postgres");
        let url = database.url.clone();
        Some(Self::start(store, url, None, Some(database), |_| {}, Serving::default()).await)
    }

    /// An app on SQLite, or on PostgreSQL when `postgres` (`None` if PostgreSQL is not
    /// configured), whose mail goes out through the SMTP server `mail` names.
    pub async fn with_mail(postgres: bool, mail: MailSettings) -> Option<TestApp> {
        let serving = Serving {
            mail,
            ..Serving::default()
        };
        Self::with_serving(postgres, serving).await
    }

    /// An app on SQLite, or on PostgreSQL when `postgres` (`None` if PostgreSQL is
    /// not configured), served as `serving` says.
    async fn with_serving(postgres: bool, serving: Serving) -> Option<TestApp> {
        if postgres {
            let database = PgDatabase::create().await?;
            let store = Store::connect(&database.url).await.expect("open postgres");
            store.migrate().await.expect("migrate postgres");
            let url = database.url.clone();
            return Some(Self::start(store, url, None, Some(database), |_| {}, serving).await);
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let store = Store::connect(&url).await.expect("open sqlite");
        store.migrate().await.expect("migrate sqlite");
        Some(Self::start(store, url, Some(dir), None, |_| {}, serving).await)
    }

    /// SQLite app that sends purge requests to `purge_urls` on every change.
    pub async fn sqlite_with_purge_urls(purge_urls: Vec<String>) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let store = Store::connect(&url).await.expect("open sqlite");
        store.migrate().await.expect("migrate sqlite");
        Self::start(
            store,
            url,
            Some(dir),
            None,
            |_| {},
            Serving {
                purge_urls,
                ..Serving::default()
            },
        )
        .await
    }

    /// An app on SQLite, or on PostgreSQL when `postgres` (`None` if PostgreSQL is
    /// not configured), keeping its pictures as `media` says.
    pub async fn with_media(postgres: bool, media: Media) -> Option<TestApp> {
        let serving = Serving {
            media: Some(media),
            ..Serving::default()
        };
        Self::with_serving(postgres, serving).await
    }

    /// SQLite app served with other request limits (short timeouts, small headers).
    pub async fn sqlite_with_limits(limits: Limits) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let store = Store::connect(&url).await.expect("open sqlite");
        store.migrate().await.expect("migrate sqlite");
        let serving = Serving {
            limits,
            ..Serving::default()
        };
        Self::start(store, url, Some(dir), None, |_| {}, serving).await
    }

    async fn start(
        store: Store,
        database_url: String,
        dir: Option<TempDir>,
        pg_database: Option<PgDatabase>,
        adjust: impl FnOnce(&mut SiteSettings),
        serving: Serving,
    ) -> TestApp {
        let Serving {
            purge_urls,
            limits,
            mail,
            media,
        } = serving;
        let media = media.unwrap_or_else(test_media);
        if let Some(server) = &media.server {
            if matches!(media.settings, MediaSettings::S3(_)) {
                let env = server.env(media.settings_public());
                let mut known = MEDIA_ENV.lock().unwrap_or_else(|e| e.into_inner());
                known.retain(|(url, _)| url != &database_url);
                known.push((database_url.clone(), env));
            }
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let mut site = SiteSettings::with_base_url(&base);
        adjust(&mut site);
        let clock = Clock::manual(jiff::Timestamp::now().as_second());
        let state = AppState::with_clock(store.clone(), site, clock.clone())
            .await
            .expect("state")
            .with_distribution(true, true, purge_urls)
            .with_limits(limits)
            .with_pictures(
                Pictures::from_settings(&media.settings).expect("object storage client"),
            );
        let mailer = Mailer::new(store.clone(), &mail, clock.clone()).expect("mailer");
        let state = state.with_mailer(mailer);
        let serving = state.clone();
        let server = tokio::spawn(async move {
            web::server::serve(listener, serving, std::future::pending())
                .await
                .expect("serve");
        });
        let follower = web::cluster::spawn_follower(state.clone()).await;
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        TestApp {
            clock,
            base,
            client,
            store,
            state,
            _dir: dir,
            database_url,
            media,
            _pg_database: pg_database,
            server,
            follower,
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request")
    }

    /// GETs a page and returns its status and body.
    pub async fn page(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    pub fn section_id(&self, slug: &str) -> i64 {
        self.state
            .sections
            .by_slug(1, slug)
            .unwrap_or_else(|| panic!("no section {slug}"))
            .id
    }

    /// Stores a generated picture and returns its id.
    pub async fn add_image(&self, width: u32, height: u32) -> i64 {
        let picture =
            image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
                image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
            }));
        let mut png = std::io::Cursor::new(Vec::new());
        picture
            .write_to(&mut png, image::ImageFormat::Png)
            .expect("png");
        let processed = dateline::media::process_upload(png.get_ref()).expect("process");
        self.state
            .pictures
            .insert(&self.store, &processed, 0)
            .await
            .expect("insert image")
    }

    /// Creates a story from `content` and publishes it at `at` (Unix seconds),
    /// through the editorial service as the newsroom does.
    pub async fn publish(&self, content: &StoryContent, at: i64) -> i64 {
        self.edit(
            None,
            content,
            EditRequest::Publish { significant: true },
            at,
        )
        .await
    }

    /// Saves `content` as a new revision of story `id`, as an editor's save does.
    pub async fn save_revision(&self, id: i64, content: &StoryContent, at: i64) {
        let story = self.store.story(id).await.expect("read").expect("story");
        self.edit(Some(&story), content, EditRequest::Save, at)
            .await;
    }

    /// One editor's save through the editorial service; returns the story's id.
    pub async fn edit(
        &self,
        story: Option<&Story>,
        content: &StoryContent,
        request: EditRequest,
        at: i64,
    ) -> i64 {
        let edit = Edit {
            content,
            base_revision: None,
            embargo: story.and_then(|s| s.embargo_until),
            request,
        };
        self.state
            .editorial()
            .save(TEST_EDITOR, story, edit, at)
            .await
            .expect("an editorial save")
            .0
    }

    /// Waits until this node's follower has read the invalidation log to its
    /// current end, having dropped what other nodes' changes named. For a test
    /// that caches on one node what another node changed: the node that made a
    /// change needs no wait. A condition, not a sleep: it fails after 5 s.
    pub async fn follower_read_log(&self) {
        let end = self.store.last_invalidation().await.expect("read the log");
        for _ in 0..500 {
            if self.state.follower.read_up_to() >= end {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("the follower did not read the log to {end} within 5 s");
    }

    /// Which database this app serves.
    pub fn backend(&self) -> Backend {
        match self.store {
            Store::Sqlite(_) => Backend::Sqlite,
            Store::Postgres(_) => Backend::Postgres,
        }
    }

    /// Runs one SQL statement on the app's database (to set up a fault).
    pub async fn execute(&self, sql: &str) {
        let result = match &self.store {
            Store::Sqlite(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()),
            Store::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()),
        };
        result.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// Creates a draft story.
    pub async fn draft(&self, content: &StoryContent, at: i64) -> i64 {
        self.edit(None, content, EditRequest::Save, at).await
    }
}

/// How a test app serves, beyond its database and site settings.
#[derive(Default)]
struct Serving {
    /// CDN endpoints sent purges.
    purge_urls: Vec<String>,
    limits: Limits,
    /// Outgoing mail: the outbox only by default; a test's SMTP server when set.
    mail: MailSettings,
    /// Where pictures go: `None` is the suite's default (`test_media`).
    media: Option<Media>,
}

/// Object storage a node keeps its pictures in, and the server it belongs to.
#[derive(Clone)]
pub struct Media {
    pub settings: MediaSettings,
    pub server: Option<Arc<S3Server>>,
}

impl Media {
    fn settings_public(&self) -> bool {
        matches!(&self.settings, MediaSettings::S3(s) if s.public_url.is_some())
    }
}

/// The picture settings of the nodes serving each database, by its URL, so that
/// a `dateline` process a test starts on that database (an export, a second
/// node) keeps its pictures where the test's nodes do.
static MEDIA_ENV: std::sync::Mutex<Vec<(String, Env)>> = std::sync::Mutex::new(Vec::new());

/// Environment variables for a `dateline` process.
type Env = Vec<(&'static str, String)>;

/// The environment that gives a `dateline` process on `database_url` the
/// pictures of the test nodes serving it (empty: in the database).
pub fn media_env(database_url: &str) -> Env {
    MEDIA_ENV
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .find(|(url, _)| url == database_url)
        .map(|(_, env)| env.clone())
        .unwrap_or_default()
}

/// The suite's pictures: in the database, or with `DATELINE_TEST_MEDIA=s3` in
/// an `s3s-fs` started for this app (with a CDN's public copies), so the whole
/// suite can run against object storage.
fn test_media() -> Media {
    if std::env::var("DATELINE_TEST_MEDIA").is_ok_and(|v| v == "s3") {
        let server = S3Server::start().expect("DATELINE_TEST_MEDIA=s3 needs s3s-fs");
        return Media {
            settings: server.settings(true),
            server: Some(Arc::new(server)),
        };
    }
    Media {
        settings: MediaSettings::Database,
        server: None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The editor the fixtures act as.
pub const TEST_EDITOR: Actor<'static> = Actor {
    name: "test",
    role: Role::Editor,
    user_id: None,
};

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
        self.follower.abort();
    }
}

async fn run_admin(admin_url: &str, sql: &str) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(admin_url)
        .await
        .expect("connect to DATABASE_URL");
    sqlx::query(sql)
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    let _ = conn.close().await;
}

/// A complete story in `section_id`, with every part of the article anatomy.
pub fn full_story(section_id: i64, image_id: Option<i64>, headline: &str) -> StoryContent {
    StoryContent {
        slug: dateline::domain::slug::slugify(headline),
        section_id,
        headline: headline.to_string(),
        promo_headline: String::new(),
        summary: format!("Summary of {headline}."),
        byline: "By Ada Reporter, Europe correspondent".to_string(),
        body: "The intro paragraph tells the whole story.\n\n\
               A second paragraph adds detail.\n\n\
               ## First crosshead\n\n\
               > \"A quoted remark,\" said a spokeswoman.\n\n\
               A paragraph with a [link](https://example.org/report) and *emphasis*.\n\n\
               ## Second crosshead\n\n\
               The closing paragraph."
            .to_string(),
        lead_image: image_id.map(|image_id| LeadImage {
            image_id,
            alt: "Two people shaking hands at a conference".to_string(),
            caption: "The two met on the fringes of the forum".to_string(),
            credit: "Photo Agency".to_string(),
        }),
        related: Vec::new(),
        links: vec![ExternalLink {
            title: "Conference web site".to_string(),
            url: "https://example.org/conference".to_string(),
        }],
    }
}

/// Unix seconds for an RFC 3339 time.
pub fn at(rfc3339: &str) -> i64 {
    rfc3339
        .parse::<jiff::Timestamp>()
        .expect("time")
        .as_second()
}
