//! `TestApp`: the real router on a real TCP port over a fresh database (SQLite
//! always; PostgreSQL when `DATABASE_URL` names one), plus fixture builders.

use dateline::clock::Clock;
use dateline::config::{MailSettings, MediaSettings, SiteSettings};
use dateline::demo::DemoPictures;
use dateline::domain::story::{ExternalLink, LeadImage, Story, StoryContent};
use dateline::domain::user::Role;
use dateline::editorial::{Actor, Edit, EditRequest};
use dateline::mail::Mailer;
use dateline::media::Pictures;
use dateline::store::Store;
use dateline::web::server::Limits;
use dateline::web::{self, AppState};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::sync::Once;
use tempfile::TempDir;

use crate::s3_server::S3Server;

/// Runs each named test function once on SQLite and once on PostgreSQL (the
/// PostgreSQL one does nothing when PostgreSQL is not configured; see `TestApp::postgres`).
#[macro_export]
macro_rules! on_both_databases {
    ($($test:ident),* $(,)?) => {
        $crate::on_both_databases!(@modules sqlite, postgres,
            $crate::helpers::TestApp::sqlite(), $crate::helpers::TestApp::postgres(); $($test),*);
    };
    // One module of tests per database, each test given the app its constructor makes.
    (@modules $sqlite:ident, $postgres:ident, $on_sqlite:expr, $on_postgres:expr; $($test:ident),*) => {
        mod $sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::$test($on_sqlite.await).await;
                }
            )*
        }
        mod $postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    if let Some(app) = $on_postgres.await {
                        super::$test(app).await;
                    }
                }
            )*
        }
    };
}

/// Runs each named test function once on SQLite and once on PostgreSQL, each
/// given an app whose database holds the demo newsroom ([`TestApp::with_demo`]).
#[macro_export]
macro_rules! on_both_databases_with_demo {
    ($($test:ident),* $(,)?) => {
        $crate::on_both_databases!(@modules sqlite_demo, postgres_demo,
            $crate::helpers::TestApp::sqlite_demo(), $crate::helpers::TestApp::with_demo(true); $($test),*);
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
        Self::create_from(None).await
    }

    /// A new database, a copy of database `template` when one is named.
    async fn create_from(template: Option<&str>) -> Option<PgDatabase> {
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
        let from = template
            .map(|template| format!(" TEMPLATE {template}"))
            .unwrap_or_default();
        run_admin(&admin, &format!("CREATE DATABASE {name}{from}")).await;
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

/// The SQLite file of this test process's demo newsroom, loaded the first time
/// it is asked for; tests copy it ([`TestApp::with_demo`]).
async fn sqlite_demo_template() -> &'static Path {
    static TEMPLATE: tokio::sync::OnceCell<(TempDir, PathBuf)> = tokio::sync::OnceCell::const_new();
    let (_, file) = TEMPLATE
        .get_or_init(|| async {
            let dir = tempfile::tempdir().expect("temp dir");
            let file = dir.path().join("demo.db");
            let store = Store::connect(&format!("sqlite://{}", file.display()))
                .await
                .expect("open the demo template");
            load_demo_template(&store).await;
            if let Store::Sqlite(pool, _) = &store {
                // Everything into the file itself, so that copying the file copies it all.
                sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                    .execute(pool)
                    .await
                    .expect("checkpoint the demo template");
            }
            store.close().await;
            (dir, file)
        })
        .await;
    file
}

/// The name of this test process's PostgreSQL database holding the demo
/// newsroom, made the first time it is asked for and never connected to again,
/// so that `CREATE DATABASE … TEMPLATE` may copy it. `None` without PostgreSQL.
/// Each process's template outlives it; the next process drops the templates of
/// processes that are gone.
async fn postgres_demo_template() -> Option<&'static str> {
    static TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    let admin = postgres_url()?;
    let name = TEMPLATE
        .get_or_init(|| async {
            drop_templates_of_ended_processes(&admin).await;
            let name = format!("dateline_demo_{}", std::process::id());
            run_admin(
                &admin,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            )
            .await;
            run_admin(&admin, &format!("CREATE DATABASE {name}")).await;
            let mut url = reqwest::Url::parse(&admin).expect("DATABASE_URL parses");
            url.set_path(&name);
            let store = Store::connect(url.as_str())
                .await
                .expect("open the demo template");
            load_demo_template(&store).await;
            store.close().await;
            name
        })
        .await;
    Some(name)
}

/// Migrates `store` and loads the demo into it, pictures in the database.
async fn load_demo_template(store: &Store) {
    store.migrate().await.expect("migrate the demo template");
    let pictures = Pictures::from_settings(&MediaSettings::Database).expect("pictures");
    dateline::demo::load_with(store, &pictures, demo_pictures())
        .await
        .expect("the demo loads");
}

/// The demo's pictures, painted and encoded once per test process.
fn demo_pictures() -> &'static DemoPictures {
    static ENCODED: std::sync::OnceLock<DemoPictures> = std::sync::OnceLock::new();
    ENCODED.get_or_init(|| DemoPictures::encode().expect("the demo's pictures encode"))
}

/// Drops the demo templates of test processes that have ended.
async fn drop_templates_of_ended_processes(admin: &str) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(admin)
        .await
        .expect("connect to DATABASE_URL");
    let names: Vec<String> =
        sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'dateline_demo_%'")
            .fetch_all(&mut conn)
            .await
            .expect("list the demo templates");
    let _ = conn.close().await;
    for name in names {
        let ended = name
            .strip_prefix("dateline_demo_")
            .and_then(|pid| pid.parse::<u32>().ok())
            .is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists());
        if ended {
            run_admin(
                admin,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            )
            .await;
        }
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

    /// An app on SQLite whose database holds the demo newsroom (see [`TestApp::with_demo`]).
    pub async fn sqlite_demo() -> TestApp {
        Self::with_demo(false).await.expect("an SQLite app")
    }

    /// An app on SQLite, or on PostgreSQL when `postgres` (`None` if PostgreSQL
    /// is not configured), whose database holds the demo newsroom before the node
    /// starts, as `dateline serve`'s first run leaves it. With pictures in the
    /// database it is a copy of one demo loaded once per test process (loading
    /// it paints and encodes every picture: seconds per test); with object
    /// storage the demo is loaded for this app, its pictures into its bucket.
    pub async fn with_demo(postgres: bool) -> Option<TestApp> {
        let media = test_media();
        if media.server.is_some() {
            return Self::loaded_with_demo(postgres, media).await;
        }
        let serving = Serving {
            media: Some(media),
            ..Serving::default()
        };
        if postgres {
            let template = postgres_demo_template().await?;
            let database = PgDatabase::create_from(Some(template)).await?;
            let store = Store::connect(&database.url).await.expect("open postgres");
            store.migrate().await.expect("migrate postgres");
            let url = database.url.clone();
            return Some(Self::start(store, url, None, Some(database), |_| {}, serving).await);
        }
        let template = sqlite_demo_template().await;
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("test.db");
        std::fs::copy(template, &file).expect("copy the demo database");
        let url = format!("sqlite://{}", file.display());
        let store = Store::connect(&url).await.expect("open sqlite");
        store.migrate().await.expect("migrate sqlite");
        Some(Self::start(store, url, Some(dir), None, |_| {}, serving).await)
    }

    /// [`TestApp::with_demo`] for pictures in object storage: the demo loaded into
    /// a fresh database with `media`'s pictures, then a node started on it.
    async fn loaded_with_demo(postgres: bool, media: Media) -> Option<TestApp> {
        let (store, url, dir, database) = if postgres {
            let database = PgDatabase::create().await?;
            let store = Store::connect(&database.url).await.expect("open postgres");
            (store, database.url.clone(), None, Some(database))
        } else {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}", dir.path().join("test.db").display());
            let store = Store::connect(&url).await.expect("open sqlite");
            (store, url, Some(dir), None)
        };
        store.migrate().await.expect("migrate");
        let pictures = Pictures::from_settings(&media.settings).expect("object storage client");
        dateline::demo::load_with(&store, &pictures, demo_pictures())
            .await
            .expect("the demo loads");
        let serving = Serving {
            media: Some(media),
            ..Serving::default()
        };
        Some(Self::start(store, url, dir, database, |_| {}, serving).await)
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
            Store::Sqlite(..) => Backend::Sqlite,
            Store::Postgres(_) => Backend::Postgres,
        }
    }

    /// Runs one SQL statement on the app's database (to set up a fault).
    pub async fn execute(&self, sql: &str) {
        let result = match &self.store {
            Store::Sqlite(pool, _) => sqlx::query(sql).execute(pool).await.map(|_| ()),
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
/// an S3 server (s3s-fs) started for this app (with a CDN's public copies), so the whole
/// suite can run against object storage.
fn test_media() -> Media {
    if std::env::var("DATELINE_TEST_MEDIA").is_ok_and(|v| v == "s3") {
        let server = S3Server::start().expect("DATELINE_TEST_MEDIA=s3 needs the S3 test server");
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
