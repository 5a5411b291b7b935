//! The connection pools. One SQL code path runs on SQLite and PostgreSQL
//! through sqlx's `Any` driver; the backend is chosen strictly by the URL
//! scheme (docs/decisions.md, "One SQL path").

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

use crate::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Backend, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::Config("the database URL must start with sqlite:// or postgres://".into()))
        }
    }
}

/// Database handle. On SQLite, writes go through a single-connection pool so
/// writers queue in the application instead of failing with SQLITE_BUSY, and
/// reads use a separate pool (WAL lets them run beside the writer) of at most
/// twice the cores, reading through a memory map (file-backed pages, shared
/// with the OS cache) with a small private page cache. On PostgreSQL both
/// are the same pool.
#[derive(Clone, Debug)]
pub struct Db {
    read: AnyPool,
    write: AnyPool,
    backend: Backend,
}

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Db {
    /// `max_connections`: the size of the read pool (SQLite; never more than
    /// twice the cores, whatever is asked) or of the pool (PostgreSQL); 0
    /// sizes them from the cores.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, StoreError> {
        sqlx::any::install_default_drivers();
        let cores = std::thread::available_parallelism().map(|n| n.get() as u32).unwrap_or(2);
        let backend = Backend::from_url(url)?;
        let opts =
            AnyConnectOptions::from_str(url).map_err(|e| StoreError::Config(format!("invalid database URL: {e}")))?;
        match backend {
            Backend::Sqlite => {
                let pool = |n: u32| {
                    AnyPoolOptions::new()
                        // No ping before every acquire: it costs a thread hop per
                        // query on SQLite (bench/README.md); errors still surface.
                        .test_before_acquire(false)
                        .max_connections(n)
                        .min_connections(1)
                        .acquire_timeout(Duration::from_secs(30))
                        .after_connect(|conn, _meta| {
                            Box::pin(async move {
                                conn.execute(
                                    "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; \
                                     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                                )
                                .await?;
                                Ok(())
                            })
                        })
                };
                let write = pool(1).connect_with(opts.clone()).await?;
                // Reads are CPU-bound on SQLite: more connections than about twice
                // the cores add threads and page caches (memory), not throughput.
                let readers = if max_connections == 0 { 2 * cores } else { max_connections.min(2 * cores) }.max(2);
                let read = pool(readers)
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; \
                                 PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
                                 PRAGMA mmap_size = 268435456; PRAGMA cache_size = -2000;",
                            )
                            .await?;
                            Ok(())
                        })
                    })
                    .connect_with(opts)
                    .await?;
                Ok(Db { read, write, backend })
            }
            Backend::Postgres => {
                // PostgreSQL's throughput peaks at a few active connections per
                // core; more make its backends, the app and the clients fight
                // for the CPU, and requests queue in the kernel instead of the
                // pool: on 2 cores, 8 gave a lower p99 than 16 at the same
                // throughput (bench/README.md).
                let n = if max_connections == 0 { 4 * cores } else { max_connections }.max(2);
                let p = AnyPoolOptions::new()
                    .test_before_acquire(false)
                    .max_connections(n)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_with(opts)
                    .await?;
                Ok(Db { read: p.clone(), write: p, backend })
            }
        }
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        let m = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATOR,
            Backend::Postgres => &POSTGRES_MIGRATOR,
        };
        m.run(&self.write).await?;
        Ok(())
    }

    /// Pool for reads.
    pub fn r(&self) -> &AnyPool {
        &self.read
    }

    /// Pool for writes and transactions.
    pub fn w(&self) -> &AnyPool {
        &self.write
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        Ok(self.write.begin().await?)
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}
