//! Use cases: authorization, transactions, outbox rows, audit entries.
//!
//! Handlers in `web` parse input and call these; nothing here knows HTTP.

pub mod account;
pub mod accounts;
pub mod actor;
pub mod admin;
pub mod api;
pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod authz;
pub mod console;
pub mod contacts;
pub mod crypto;
pub mod delivery;
pub mod demo;
pub mod documents;
pub mod enroll;
mod error;
pub mod ledger;
pub mod live;
pub mod mail;
pub mod messages;
pub mod notes;
pub mod notify;
pub mod onboarding;
pub mod payments;
pub mod payoff;
pub mod portal;
pub mod records;
pub mod servicing;
pub mod settings;
pub mod settlement;
pub mod sms;
pub mod staff_users;
pub mod storage;
pub mod student_loans;
pub mod tasks;
pub mod tenancy;
pub mod webhooks;

pub use error::{AppError, FieldErrors};

use portico_store::Db;

/// Seconds since the Unix epoch, UTC.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Settings the use cases need from the operator's configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// `https` when Portico is served over TLS (directly or behind a proxy).
    pub public_scheme: String,
    /// The port in links Portico sends (e-mails, Agent links), when not the
    /// scheme's default. Never taken from a request's `Host` (issue 21 #4).
    pub public_port: Option<u16>,
    /// Whether an SMTP server is configured; without one, e-mails are kept
    /// in the outbox as `captured` and shown in the console.
    pub smtp_configured: bool,
    pub session_idle_secs: i64,
    pub session_absolute_secs: i64,
    pub agent_session_secs: i64,
    /// The server's cap on any upload, in bytes; a company's own limit
    /// (documents settings) can only be lower.
    pub max_upload_bytes: i64,
    /// Fault injection for the crash test only: stop the process right after
    /// a gateway charge, before its outcome is committed.
    pub crash_after_charge: bool,
    /// Webhook endpoints may be private addresses (tests, the demo).
    pub webhooks_allow_private: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            public_scheme: "http".into(),
            public_port: None,
            smtp_configured: false,
            session_idle_secs: 30 * 60,
            session_absolute_secs: 12 * 60 * 60,
            agent_session_secs: 2 * 60 * 60,
            max_upload_bytes: 25 * 1024 * 1024,
            crash_after_charge: false,
            webhooks_allow_private: false,
        }
    }
}

/// The application: database, keys, configuration. Cheap to clone.
#[derive(Clone, Debug)]
pub struct App {
    /// Only `app` reads and writes the database: every use case takes the
    /// actor and authorizes next to its query (issue 12, decisions §23).
    pub(crate) db: Db,
    pub keys: crypto::Keys,
    pub config: std::sync::Arc<Config>,
    /// Document storage (local directory or S3-compatible; in memory until
    /// [`App::with_storage`]).
    pub storage: storage::Storage,
    pub gateways: payments::Gateways,
    /// Per-key request budgets of the API (shared by the clones of `App`).
    pub api_limiter: std::sync::Arc<api_keys::RateLimiter>,
}

/// A database connection held for several reads in a row (`App::read_conn`).
pub type Conn = sqlx::AnyConnection;

/// A connection checked out of the read pool; back to the pool when dropped.
pub type PooledConn = sqlx::pool::PoolConnection<sqlx::Any>;

impl App {
    /// A connection of the read pool, held until dropped: several reads on
    /// it cost one pool checkout (and one release check) instead of one each.
    pub async fn read_conn(&self) -> Result<PooledConn, AppError> {
        Ok(self.db.r().acquire().await.map_err(portico_store::StoreError::from)?)
    }

    /// Close the database pools (at shutdown, after the server and the
    /// workers have stopped).
    pub async fn close(&self) {
        self.db.close().await;
    }

    pub fn new(db: Db, keys: crypto::Keys, config: Config) -> App {
        let gateways = payments::Gateways::new(db.clone());
        App {
            db,
            keys,
            config: std::sync::Arc::new(config),
            storage: storage::Storage::memory(),
            gateways,
            api_limiter: std::sync::Arc::default(),
        }
    }

    pub fn with_storage(mut self, storage: storage::Storage) -> App {
        self.storage = storage;
        self
    }

    /// Absolute URL on a host of the company: the configured scheme and
    /// port, never the port a request came in on.
    pub fn url(&self, host: &str, path: &str) -> String {
        let port = self.config.public_port.map(|p| format!(":{p}")).unwrap_or_default();
        format!("{}://{}{}{}", self.config.public_scheme, host, port, path)
    }
}

/// Where a request came from, for the audit log and throttling.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub ip: String,
    pub user_agent: String,
}
