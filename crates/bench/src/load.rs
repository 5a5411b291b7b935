//! Bulk loading, one way per backend: SQLite gets multi-row `INSERT`s with
//! bound values on one connection (journal off, no fsync, exclusive lock,
//! then back to WAL); PostgreSQL gets `COPY … FROM STDIN` in text format
//! with foreign-key triggers off for the session. Secondary indexes of
//! `transactions` are dropped before the load and recreated after it, which
//! is much faster than maintaining them row by row.

use std::str::FromStr;

use anyhow::Context;
use portico_store::Backend;
use sqlx::postgres::PgConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteLockingMode, SqliteSynchronous};
use sqlx::{Connection, Executor, Row as _};

use crate::data::{Row, Val};

/// Tables whose secondary indexes are rebuilt after the load.
const REBUILT: &[&str] = &["transactions"];

pub enum Loader {
    Sqlite(Box<SqliteConnection>),
    Pg(Box<PgConnection>),
}

impl Loader {
    pub async fn open(url: &str) -> anyhow::Result<Loader> {
        Ok(match Backend::from_url(url)? {
            Backend::Sqlite => {
                let opts = SqliteConnectOptions::from_str(url)?
                    .foreign_keys(false)
                    .journal_mode(SqliteJournalMode::Off)
                    .synchronous(SqliteSynchronous::Off)
                    .locking_mode(SqliteLockingMode::Exclusive)
                    .pragma("cache_size", "-1048576")
                    .pragma("temp_store", "file");
                let mut c = SqliteConnection::connect_with(&opts).await?;
                // Take the exclusive lock now (kept in exclusive locking mode),
                // so a connection that is still closing shows up here.
                c.execute("BEGIN EXCLUSIVE; COMMIT").await?;
                Loader::Sqlite(Box::new(c))
            }
            Backend::Postgres => {
                let mut c = PgConnection::connect(url).await?;
                c.execute(
                    "SET synchronous_commit = off; SET session_replication_role = replica; \
                     SET maintenance_work_mem = '1GB'",
                )
                .await
                .context("session settings (session_replication_role needs a superuser)")?;
                Loader::Pg(Box::new(c))
            }
        })
    }

    /// Drop the secondary indexes of the big tables; returns their DDL.
    pub async fn drop_indexes(&mut self) -> anyhow::Result<Vec<String>> {
        let mut ddl = Vec::new();
        for t in REBUILT {
            match self {
                Loader::Sqlite(c) => {
                    let rows = sqlx::query(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL",
                    )
                    .bind(t)
                    .fetch_all(&mut **c)
                    .await?;
                    for r in rows {
                        let name: String = r.try_get(0)?;
                        ddl.push(r.try_get::<String, _>(1)?);
                        c.execute(format!("DROP INDEX \"{name}\"").as_str()).await?;
                    }
                }
                Loader::Pg(c) => {
                    let rows = sqlx::query(
                        "SELECT indexname::text, indexdef FROM pg_indexes WHERE schemaname = 'public' \
                         AND tablename = $1 AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                    )
                    .bind(t)
                    .fetch_all(&mut **c)
                    .await?;
                    for r in rows {
                        let name: String = r.try_get(0)?;
                        ddl.push(r.try_get::<String, _>(1)?);
                        c.execute(format!("DROP INDEX \"{name}\"").as_str()).await?;
                    }
                }
            }
        }
        Ok(ddl)
    }

    pub async fn begin(&mut self) -> anyhow::Result<()> {
        match self {
            Loader::Sqlite(c) => {
                c.execute("BEGIN").await?;
            }
            Loader::Pg(c) => {
                c.execute("BEGIN").await?;
            }
        }
        Ok(())
    }

    pub async fn commit(&mut self) -> anyhow::Result<()> {
        match self {
            Loader::Sqlite(c) => {
                c.execute("COMMIT").await?;
            }
            Loader::Pg(c) => {
                c.execute("COMMIT").await?;
            }
        }
        Ok(())
    }

    pub async fn write<R: Row>(&mut self, rows: &[R]) -> anyhow::Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        match self {
            Loader::Sqlite(c) => sqlite_insert(c, rows).await,
            Loader::Pg(c) => pg_copy(c, rows).await,
        }
        .with_context(|| format!("loading {}", R::TABLE))
    }

    /// Recreate the dropped indexes, bring sequences past the ids we
    /// assigned, refresh planner statistics, and (SQLite) return to WAL.
    pub async fn finish(&mut self, ddl: &[String], tables: &[&str]) -> anyhow::Result<()> {
        match self {
            Loader::Sqlite(c) => {
                for d in ddl {
                    c.execute(d.as_str()).await?;
                }
                // AUTOINCREMENT keeps sqlite_sequence up to date by itself.
                c.execute("PRAGMA analysis_limit = 1000; ANALYZE").await?;
                c.execute("PRAGMA journal_mode = WAL").await?;
            }
            Loader::Pg(c) => {
                for d in ddl {
                    c.execute(d.as_str()).await?;
                }
                for t in tables {
                    c.execute(
                        format!(
                            "SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM {t}), false)"
                        )
                        .as_str(),
                    )
                    .await?;
                }
                // Statistics for the planner and the visibility map for index-only scans.
                c.execute("VACUUM (ANALYZE)").await?;
            }
        }
        Ok(())
    }

    pub async fn close(self) -> anyhow::Result<()> {
        match self {
            Loader::Sqlite(c) => c.close().await?,
            Loader::Pg(c) => c.close().await?,
        }
        Ok(())
    }
}

async fn sqlite_insert<R: Row>(c: &mut SqliteConnection, rows: &[R]) -> anyhow::Result<()> {
    let ncols = R::COLS.len();
    // SQLite allows 32,766 bound parameters per statement.
    let per = 32_000 / ncols;
    let row_ph = format!("({})", vec!["?"; ncols].join(", "));
    let head = format!("INSERT INTO {} ({}) VALUES ", R::TABLE, R::COLS.join(", "));
    let full_sql = format!("{head}{}", vec![row_ph.as_str(); per].join(", "));
    let mut vals: Vec<Val<'_>> = Vec::with_capacity(per * ncols);
    for chunk in rows.chunks(per) {
        let partial;
        let sql = if chunk.len() == per {
            full_sql.as_str()
        } else {
            partial = format!("{head}{}", vec![row_ph.as_str(); chunk.len()].join(", "));
            partial.as_str()
        };
        vals.clear();
        for r in chunk {
            r.push_vals(&mut vals);
        }
        let mut q = sqlx::query(sql);
        for v in vals.drain(..) {
            q = match v {
                Val::I(i) => q.bind(i),
                Val::S(s) => q.bind(s),
                Val::N => q.bind(None::<i64>),
            };
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

/// PostgreSQL COPY text format: tab-separated, `\N` for NULL.
fn copy_field(buf: &mut String, v: &Val<'_>) {
    match v {
        Val::I(i) => buf.push_str(&i.to_string()),
        Val::N => buf.push_str("\\N"),
        Val::S(s) => {
            for ch in s.chars() {
                match ch {
                    '\\' => buf.push_str("\\\\"),
                    '\t' => buf.push_str("\\t"),
                    '\n' => buf.push_str("\\n"),
                    '\r' => buf.push_str("\\r"),
                    c => buf.push(c),
                }
            }
        }
    }
}

async fn pg_copy<R: Row>(c: &mut PgConnection, rows: &[R]) -> anyhow::Result<()> {
    let mut buf = String::with_capacity(rows.len() * 128);
    let mut vals = Vec::with_capacity(R::COLS.len());
    for r in rows {
        vals.clear();
        r.push_vals(&mut vals);
        for (i, v) in vals.iter().enumerate() {
            if i > 0 {
                buf.push('\t');
            }
            copy_field(&mut buf, v);
        }
        buf.push('\n');
    }
    let stmt = format!("COPY {} ({}) FROM STDIN", R::TABLE, R::COLS.join(", "));
    let mut copy = c.copy_in_raw(&stmt).await?;
    copy.send(buf.as_bytes()).await?;
    copy.finish().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn copy_escapes() {
        let mut b = String::new();
        super::copy_field(&mut b, &super::Val::S("a\tb\nc\\d"));
        super::copy_field(&mut b, &super::Val::N);
        assert_eq!(b, "a\\tb\\nc\\\\d\\N");
    }
}
