//! The command line: global settings and one subcommand per job.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

use crate::config::Overrides;

#[derive(Debug, Parser)]
#[command(
    name = "dateline",
    version,
    about = "Dateline: a newsroom publishing system"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Settings every subcommand accepts; flags beat environment variables, which beat the config file.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// TOML config file
    #[arg(long, global = true, env = "DATELINE_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB [default: sqlite://dateline.db]
    #[arg(long, global = true, env = "DATELINE_DATABASE", value_name = "URL")]
    pub database: Option<String>,
    /// Address to listen on [default: 127.0.0.1:8080]
    #[arg(long, global = true, env = "DATELINE_BIND", value_name = "ADDR")]
    pub bind: Option<String>,
    /// Site name shown in the masthead and footer [default: Dateline News]
    #[arg(long, global = true, env = "DATELINE_SITE_NAME", value_name = "NAME")]
    pub site_name: Option<String>,
    /// Public base URL, used in links that leave the site [default: http://ADDR]
    #[arg(long, global = true, env = "DATELINE_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,
    /// IANA time zone for time stamps on pages [default: GMT]
    #[arg(long, global = true, env = "DATELINE_TIME_ZONE", value_name = "ZONE")]
    pub time_zone: Option<String>,
    /// Keep rendered public pages in memory: true or false [default: true]
    #[arg(long, global = true, env = "DATELINE_CACHE", value_name = "BOOL")]
    pub cache: Option<bool>,
    /// Keep public story records in memory: true or false [default: true]
    #[arg(
        long,
        global = true,
        env = "DATELINE_RECORD_CACHE",
        value_name = "BOOL"
    )]
    pub record_cache: Option<bool>,
    /// Bearer token that lets other machines read /metrics (this machine needs none)
    #[arg(
        long,
        global = true,
        env = "DATELINE_METRICS_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub metrics_token: Option<String>,
    /// CDN/proxy URL sent a PURGE with a Surrogate-Key header on every change (repeatable)
    #[arg(
        long = "purge-url",
        global = true,
        env = "DATELINE_PURGE_URLS",
        value_delimiter = ',',
        value_name = "URL"
    )]
    pub purge_urls: Vec<String>,
    /// SMTP server for outgoing mail; without it messages stay in the outbox (`dateline outbox`)
    #[arg(long, global = true, env = "DATELINE_SMTP_HOST", value_name = "HOST")]
    pub smtp_host: Option<String>,
    /// SMTP port [default: 587 for starttls, 465 for tls, 25 for plain]
    #[arg(long, global = true, env = "DATELINE_SMTP_PORT", value_name = "PORT")]
    pub smtp_port: Option<u16>,
    /// SMTP connection: starttls, tls or plain [default: starttls]
    #[arg(
        long,
        global = true,
        env = "DATELINE_SMTP_SECURITY",
        value_name = "MODE"
    )]
    pub smtp_security: Option<String>,
    /// SMTP user name, when the server asks for one
    #[arg(long, global = true, env = "DATELINE_SMTP_USER", value_name = "USER")]
    pub smtp_user: Option<String>,
    /// SMTP password (prefer the environment variable or the config file to this flag)
    #[arg(
        long,
        global = true,
        env = "DATELINE_SMTP_PASSWORD",
        value_name = "PASSWORD",
        hide_env_values = true
    )]
    pub smtp_password: Option<crate::config::Secret>,
    /// The address mail comes from, e.g. "Valley Post <news@example.org>" (required with SMTP)
    #[arg(
        long,
        global = true,
        env = "DATELINE_MAIL_FROM",
        value_name = "ADDRESS"
    )]
    pub mail_from: Option<String>,
    /// Where pictures are kept: database (the default) or s3
    #[arg(
        long,
        global = true,
        env = "DATELINE_MEDIA_STORE",
        value_name = "STORE"
    )]
    pub media_store: Option<String>,
    /// The S3-compatible server's address, e.g. https://s3.example.org
    #[arg(long, global = true, env = "DATELINE_S3_ENDPOINT", value_name = "URL")]
    pub s3_endpoint: Option<String>,
    /// The bucket pictures are kept in
    #[arg(long, global = true, env = "DATELINE_S3_BUCKET", value_name = "BUCKET")]
    pub s3_bucket: Option<String>,
    /// The bucket's region [default: us-east-1]
    #[arg(long, global = true, env = "DATELINE_S3_REGION", value_name = "REGION")]
    pub s3_region: Option<String>,
    /// The access key id for the bucket
    #[arg(
        long,
        global = true,
        env = "DATELINE_S3_ACCESS_KEY",
        value_name = "KEY"
    )]
    pub s3_access_key: Option<String>,
    /// The secret key for the bucket (prefer the environment variable or the config file to this flag)
    #[arg(
        long,
        global = true,
        env = "DATELINE_S3_SECRET_KEY",
        value_name = "SECRET",
        hide_env_values = true
    )]
    pub s3_secret_key: Option<crate::config::Secret>,
    /// Base URL a CDN serves the bucket's public/ folder from; public pictures are copied there
    #[arg(
        long,
        global = true,
        env = "DATELINE_MEDIA_PUBLIC_URL",
        value_name = "URL"
    )]
    pub media_public_url: Option<String>,
}

impl GlobalArgs {
    pub fn overrides(&self) -> Overrides {
        Overrides {
            config: self.config.clone(),
            database: self.database.clone(),
            bind: self.bind.clone(),
            site_name: self.site_name.clone(),
            base_url: self.base_url.clone(),
            time_zone: self.time_zone.clone(),
            cache: self.cache,
            record_cache: self.record_cache,
            metrics_token: self.metrics_token.clone(),
            purge_urls: self.purge_urls.clone(),
            mail: crate::config::MailOverrides {
                smtp_host: self.smtp_host.clone(),
                smtp_port: self.smtp_port,
                smtp_security: self.smtp_security.clone(),
                smtp_user: self.smtp_user.clone(),
                smtp_password: self.smtp_password.clone(),
                mail_from: self.mail_from.clone(),
            },
            media: crate::config::MediaOverrides {
                media_store: self.media_store.clone(),
                s3_endpoint: self.s3_endpoint.clone(),
                s3_bucket: self.s3_bucket.clone(),
                s3_region: self.s3_region.clone(),
                s3_access_key: self.s3_access_key.clone(),
                s3_secret_key: self.s3_secret_key.clone(),
                media_public_url: self.media_public_url.clone(),
            },
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web site (migrates the database and loads the demo newsroom into an empty one)
    Serve,
    /// Apply database migrations and exit
    Migrate,
    /// Load the demo newsroom
    Demo(DemoArgs),
    /// Manage staff accounts
    #[command(subcommand)]
    User(UserCommand),
    /// Manage Content API keys
    #[command(subcommand, name = "api-key")]
    ApiKey(ApiKeyCommand),
    /// Manage editions (languages): list them, or add some from a file
    #[command(subcommand)]
    Edition(EditionCommand),
    /// Import legacy article pages (plain text or HTML) as published stories
    Import(ImportArgs),
    /// Write the public site, or one ninjs document per story, as static files
    Export(ExportArgs),
    /// Copy the SQLite database to FILE, safely, while the site is running
    Backup(BackupArgs),
    /// List outgoing mail, newest first, with the links in each message
    Outbox(OutboxArgs),
    /// Manage where pictures are kept
    #[command(subcommand)]
    Media(MediaCommand),
}

#[derive(Debug, Subcommand)]
pub enum MediaCommand {
    /// Move pictures' bytes from the database to the configured object storage
    /// (media_store = "s3"): each is uploaded, read back and compared by hash
    /// before it is cleared from the database. Safe to stop and run again.
    Migrate {
        /// Move at most N renditions in this run
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        limit: Option<u64>,
    },
}

#[derive(Debug, Subcommand)]
pub enum EditionCommand {
    /// Add the editions described in FILE (the form of demo/editions/editions.toml),
    /// with their sections; nothing is added unless every edition in it is right.
    /// Running nodes show new editions once restarted.
    Add {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// List the editions: key, language, direction, prefix and name
    List,
}

#[derive(Debug, Args)]
pub struct OutboxArgs {
    /// How many messages to list
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(i64).range(1..=1000))]
    pub limit: i64,
    /// Only messages to this address
    #[arg(long, value_name = "ADDRESS")]
    pub to: Option<String>,
    /// Send a test message to ADDRESS through the configured SMTP server and report the outcome
    #[arg(long, value_name = "ADDRESS", conflicts_with_all = ["limit", "to"])]
    pub send_test: Option<String>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files, or directories searched for .txt, .text, .htm, .html and .xhtml files
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Section for every story (a slug such as `europe`, or a name); beats what a page says
    #[arg(long, value_name = "SECTION")]
    pub section: Option<String>,
    /// Show the report without writing anything
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
#[group(id = "target", required = true, multiple = true)]
pub struct ExportArgs {
    /// Write the whole public site as static files into DIR (incrementally)
    #[arg(long = "static", value_name = "DIR", group = "target")]
    pub static_dir: Option<PathBuf>,
    /// Write one ninjs 2.0 JSON document per published story into DIR
    #[arg(long, value_name = "DIR", group = "target")]
    pub ninjs: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy (a new SQLite file)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Replace FILE if it exists
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum ApiKeyCommand {
    /// Create a key; it is printed once and only its hash is kept
    Add {
        /// Who the key is for
        name: String,
        /// Requests a minute this key may make
        #[arg(long, default_value_t = 600, value_parser = clap::value_parser!(i64).range(1..=1_000_000))]
        per_minute: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account (asks for the password on the terminal)
    Add {
        email: String,
        /// reporter, editor or admin
        #[arg(long, value_parser = parse_role)]
        role: crate::domain::user::Role,
        /// Name shown in the newsroom [default: the part of the address before @]
        #[arg(long, default_value = "")]
        name: String,
        /// Read the password from standard input (one line) instead of the terminal
        #[arg(long)]
        password_stdin: bool,
        /// Limit the account to this edition (its key, prefix such as /arabic, or
        /// language tag such as ar); repeat for several. None: every edition
        #[arg(long = "edition", value_name = "PREFIX_OR_LANGUAGE")]
        editions: Vec<String>,
    },
    /// List accounts
    List,
    /// Change an account's role
    SetRole {
        email: String,
        #[arg(value_parser = parse_role)]
        role: crate::domain::user::Role,
    },
    /// Disable an account and end its sessions
    Disable { email: String },
    /// Enable a disabled account
    Enable { email: String },
    /// Grant or withdraw the commercial power: running sponsor campaigns (only
    /// for accounts that work in every edition; admins always hold it)
    #[command(group(clap::ArgGroup::new("power").required(true).args(["grant", "withdraw"])))]
    Commercial {
        email: String,
        /// Grant the power
        #[arg(long)]
        grant: bool,
        /// Withdraw the power
        #[arg(long)]
        withdraw: bool,
    },
}

fn parse_role(value: &str) -> Result<crate::domain::user::Role, String> {
    crate::domain::user::Role::parse(value).ok_or_else(|| {
        format!(
            "{} is not a role: use reporter, editor or admin",
            crate::domain::text::quoted(value)
        )
    })
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Delete all stories and pictures first, then load the demo again
    #[arg(long)]
    pub reset: bool,
    /// Also generate a synthetic archive of N stories over twenty years (e.g. 1000000)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    pub stories: Option<u64>,
    /// Seed for the synthetic archive: the same seed and day give the same stories
    #[arg(long, default_value_t = 1, requires = "stories")]
    pub seed: u64,
}

/// Parses the command line. Help and version go to stdout as usual; a usage
/// error is reported on one line (clap's own report spans several) with exit code 2.
pub fn parse() -> Result<Cli, std::process::ExitCode> {
    use clap::error::ErrorKind;
    match Cli::try_parse() {
        Ok(cli) => Ok(cli),
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) =>
        {
            let _ = e.print();
            Err(std::process::ExitCode::from(if e.use_stderr() {
                2
            } else {
                0
            }))
        }
        Err(e) => {
            let rendered = e.render().to_string();
            let first = rendered.lines().next().unwrap_or("invalid arguments");
            let first = first.strip_prefix("error: ").unwrap_or(first);
            eprintln!("dateline: error: {first} (see dateline --help)");
            Err(std::process::ExitCode::from(2))
        }
    }
}
