//! `portico-bench`: data for Portico's performance benchmark (bench/README.md).
//!
//! `portico-bench seed --database-url URL --customers N --tx-per-customer M
//! [--sessions K]` migrates the database with the app's own migrations,
//! creates the company "Bench Lending" on `bench.localhost` through the
//! app, bulk-loads N customers with their accounts and ledgers, then opens K
//! customer sessions and writes their cookies to `OUT/cookies.txt` and the
//! users' account ids to `OUT/accounts.txt` (same order).

mod data;
mod load;
mod reference;

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use portico_app::crypto::{Keys, hash_password, random_token, token_hash};
use portico_app::demo::{DEMO_PASSWORD, create_company, default_settings};
use portico_app::{App, Config, now};
use portico_store::Db;
use portico_store::companies;

use crate::data::{Chunk, Generator, Ids};
use crate::load::Loader;

#[derive(Parser)]
#[command(name = "portico-bench", about = "Benchmark data for Portico")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the "Bench Lending" company with customers, accounts, ledgers and sessions.
    Seed(SeedArgs),
    /// Serve the yardstick page: 3 indexed queries and an askama render
    /// (no Portico middleware), on a seeded database.
    Reference(ReferenceArgs),
}

#[derive(clap::Args)]
struct ReferenceArgs {
    #[arg(long, env = "PORTICO_DATABASE_URL")]
    database_url: String,
    #[arg(long, default_value = "127.0.0.1:18081")]
    addr: std::net::SocketAddr,
    /// Pool size; 0 sizes it from the cores like Portico's default.
    #[arg(long, default_value_t = 0)]
    connections: u32,
}

#[derive(clap::Args)]
struct SeedArgs {
    /// sqlite://PATH?mode=rwc or postgres://user@host/db (a fresh database).
    #[arg(long, env = "PORTICO_DATABASE_URL")]
    database_url: String,
    #[arg(long, default_value_t = 100_000)]
    customers: usize,
    #[arg(long, default_value_t = 50)]
    tx_per_customer: usize,
    /// Customer sessions to open (distinct random customers).
    #[arg(long, default_value_t = 1000)]
    sessions: usize,
    /// Where cookies.txt and accounts.txt go.
    #[arg(long, default_value = "bench/out")]
    out_dir: PathBuf,
    /// Customers generated and written per batch.
    #[arg(long, default_value_t = 5000)]
    batch: usize,
}

pub const HOST: &str = "bench.localhost";

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let r = match cli.command {
        Command::Seed(a) => seed(a).await,
        Command::Reference(a) => reference::serve(&a.database_url, a.addr, a.connections).await,
    };
    if let Err(e) = r {
        eprintln!("portico-bench: {e:#}");
        std::process::exit(1);
    }
}

fn secs(t: Instant) -> String {
    format!("{:.1} s", t.elapsed().as_secs_f64())
}

async fn max_id(db: &Db, table: &str) -> anyhow::Result<i64> {
    let sql = format!("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM {table}");
    Ok(sqlx::query_scalar::<_, i64>(&sql).fetch_one(db.r()).await?)
}

/// A partial Fisher–Yates shuffle: `k` distinct indexes out of `n`.
fn sample(n: usize, k: usize, seed: u64) -> Vec<usize> {
    let mut rng = portico_app::demo::accounts::Rng::new(seed);
    let mut v: Vec<usize> = (0..n).collect();
    for i in 0..k.min(n) {
        let j = rng.range(i as i64, n as i64 - 1) as usize;
        v.swap(i, j);
    }
    v.truncate(k.min(n));
    v
}

async fn seed(a: SeedArgs) -> anyhow::Result<()> {
    let start = Instant::now();
    if a.customers == 0 {
        bail!("--customers must be at least 1");
    }
    // 1. The app's migrations and the company, through the app.
    let db = Db::connect(&a.database_url, 2).await.context("connecting")?;
    db.migrate().await.context("migrating")?;
    if companies::tenant_by_host(db.r(), HOST).await?.is_some() {
        bail!("{HOST} already exists in this database: seed a fresh one");
    }
    let app = App::new(db.clone(), Keys::from_secret(&[0x42; 32])?, Config::default());
    let company_id =
        create_company(&app, "bench", "Bench Lending", &[HOST]).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut s = default_settings(company_id);
    s.from_address = "care@bench.example".into();
    s.from_name = "Bench Lending Customer Care".into();
    s.announcement_short = "Our offices are closed on Thursday, November 26 for Thanksgiving. Online payments \
        made that day still post the same day."
        .into();
    s.announcement_page = "Holiday hours\n\nOur customer care team is away on Thursday, November 26.".into();
    s.help_phone = "(800) 555-0199".into();
    s.help_email = "care@bench.example".into();
    s.help_hours = "Monday to Friday, 8 am to 6 pm Eastern".into();
    s.show_stage_status = true;
    companies::save_settings(db.w(), &s).await?;
    let first = Ids {
        contact: max_id(&db, "contacts").await? + 1,
        user: max_id(&db, "portal_users").await? + 1,
        account: max_id(&db, "accounts").await? + 1,
        tx: max_id(&db, "transactions").await? + 1,
        statement: max_id(&db, "statements").await? + 1,
    };
    db.close().await;
    println!("migrated, company {company_id} on {HOST} ({})", secs(start));

    // 2. Generate on a thread, load on this task: the two overlap.
    let t = Instant::now();
    let password_hash: Arc<str> = hash_password(DEMO_PASSWORD).into();
    let chosen = sample(a.customers, a.sessions, 0x5E55);
    let mut tracked = vec![false; a.customers];
    for &i in &chosen {
        tracked[i] = true;
    }
    let now = now();
    let mut generator = Generator {
        company_id,
        today: time::OffsetDateTime::now_utc().date(),
        now,
        tx_per_customer: a.tx_per_customer,
        password_hash,
        next: first,
        tracked,
    };
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Chunk>(2);
    let (customers, batch) = (a.customers, a.batch.max(1));
    let producer = std::thread::spawn(move || {
        let mut from = 0;
        while from < customers {
            let to = (from + batch).min(customers);
            if tx.blocking_send(generator.chunk(from, to)).is_err() {
                break;
            }
            from = to;
        }
    });
    // The app's pools close their SQLite connections on worker threads; until
    // the last one is gone, switching to exclusive locking without a journal
    // fails at once with "database is locked" (no busy handler on that path).
    let mut loader = {
        let mut tries = 0;
        loop {
            match Loader::open(&a.database_url).await {
                Ok(l) => break l,
                Err(e) if tries < 50 && format!("{e:#}").contains("database is locked") => {
                    tries += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(e) => return Err(e),
            }
        }
    };
    let ddl = loader.drop_indexes().await?;
    loader.begin().await?;
    let mut accounts_of: Vec<(usize, Vec<(i64, &'static str)>)> = Vec::with_capacity(a.sessions);
    let (mut n_tx, mut done, mut last_report) = (0usize, 0usize, Instant::now());
    while let Some(c) = rx.recv().await {
        loader.write(&c.contacts).await?;
        loader.write(&c.users).await?;
        loader.write(&c.accounts).await?;
        loader.write(&c.txs).await?;
        loader.write(&c.statements).await?;
        n_tx += c.txs.len();
        done += c.contacts.len();
        accounts_of.extend(c.tracked);
        if last_report.elapsed().as_secs() >= 10 {
            last_report = Instant::now();
            let rate = n_tx as f64 / t.elapsed().as_secs_f64();
            println!("  {done} customers, {n_tx} transactions ({rate:.0} rows/s)");
        }
    }
    producer.join().map_err(|_| anyhow::anyhow!("generator thread panicked"))?;
    loader.commit().await?;
    println!("loaded {done} customers and {n_tx} transactions ({})", secs(t));
    let t = Instant::now();
    loader
        .finish(&ddl, &["contacts", "portal_users", "accounts", "transactions", "statements"])
        .await
        .context("indexes and statistics")?;
    loader.close().await?;
    println!("indexes rebuilt, statistics refreshed ({})", secs(t));

    // 3. Sessions, through the app's pools like the server's own.
    let t = Instant::now();
    let db = Db::connect(&a.database_url, 2).await?;
    let by_index: std::collections::HashMap<usize, Vec<(i64, &'static str)>> = accounts_of.into_iter().collect();
    std::fs::create_dir_all(&a.out_dir)?;
    let mut cookies = std::io::BufWriter::new(std::fs::File::create(a.out_dir.join("cookies.txt"))?);
    let mut accounts = std::io::BufWriter::new(std::fs::File::create(a.out_dir.join("accounts.txt"))?);
    let now = portico_app::now();
    let mut w = db.begin().await?;
    for (n, &i) in chosen.iter().enumerate() {
        let token = random_token();
        // Last seen at spread over the past minute, as in steady use: the
        // server records a page view at most once a minute per session, so
        // sessions all seen at the same second would all be written in the
        // same second a minute later, a burst real traffic doesn't make.
        let seen = now - (n as i64 % 60);
        sqlx::query(
            "INSERT INTO sessions (token_hash, company_id, kind, portal_user_id, staff_user_id, created_at, \
             last_seen_at, expires_at, ip, user_agent) VALUES ($1, $2, 'customer', $3, NULL, $4, $5, $6, $7, $8)",
        )
        .bind(token_hash(&token))
        .bind(company_id)
        .bind(first.user + i as i64)
        .bind(now)
        .bind(seen)
        .bind(now + 365 * 86_400)
        .bind("127.0.0.1")
        .bind("portico-bench")
        .execute(&mut *w)
        .await?;
        writeln!(cookies, "{token}")?;
        let list = by_index.get(&i).map(Vec::as_slice).unwrap_or_default();
        let line: Vec<String> = list.iter().map(|(id, kind)| format!("{id}:{kind}")).collect();
        writeln!(accounts, "{}", line.join(" "))?;
    }
    w.commit().await?;
    cookies.flush()?;
    accounts.flush()?;
    println!("{} sessions; cookies in {} ({})", chosen.len(), a.out_dir.join("cookies.txt").display(), secs(t));

    let mut counts = Vec::new();
    for table in ["contacts", "portal_users", "accounts", "transactions", "statements", "sessions"] {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(db.r()).await?;
        counts.push(format!("{table} {n}"));
    }
    db.close().await;
    println!("rows: {}", counts.join(", "));
    println!("total {}", secs(start));
    Ok(())
}
