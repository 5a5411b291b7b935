//! `portico`: serve the portal, migrate the database, run the demo.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use portico::{Settings, build_app, config, mailer, start};
use tokio::net::TcpListener;

/// mimalloc instead of glibc's malloc: the request path allocates many small,
/// short-lived objects across worker threads (rows, strings, templates);
/// the profile showed ~15 % of the server's CPU in malloc/free
/// (bench/README.md). Built with `override`, so C code in the process
/// (SQLite's page cache above all) allocates from mimalloc too: glibc gave
/// each SQLite connection thread its own arena, which kept about 15 MB more
/// resident under load, and was slower. Built with `no_thp`: see
/// `no_huge_pages`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "portico", version, about = "Portico: a multi-tenant customer self-service portal")]
struct Cli {
    /// Configuration file (TOML). Also PORTICO_CONFIG.
    #[arg(long, global = true, env = "PORTICO_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the portal and run background jobs.
    Serve {
        /// Don't run background jobs in this process (run `portico worker` elsewhere).
        #[arg(long)]
        no_worker: bool,
    },
    /// Run background jobs only (e-mail delivery).
    Worker,
    /// Apply database migrations and exit.
    Migrate,
    /// Create, migrate and seed a SQLite demo in DIR if absent, then serve it.
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        #[arg(long, default_value = ".portico-demo")]
        data_dir: PathBuf,
        /// Seed and serve this database instead of SQLite in DATA_DIR (e.g. an
        /// empty PostgreSQL database, for the browser journeys on PostgreSQL).
        #[arg(long)]
        database_url: Option<String>,
    },
    /// Print a new random secret key.
    Secret,
    /// Manage companies (tenants).
    #[command(subcommand)]
    Company(CompanyCommand),
    /// Manage staff users of the console.
    #[command(subcommand)]
    Staff(StaffCommand),
}

#[derive(Subcommand)]
enum CompanyCommand {
    /// Create a company with default portal settings and its domains (the first is primary).
    Add {
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
        /// A host name that opens this company's portal; repeat for more.
        #[arg(long = "host", required = true)]
        hosts: Vec<String>,
    },
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Add a staff user. The password is read from PORTICO_NEW_PASSWORD, or
    /// a random one is generated and printed once.
    Add {
        #[arg(long)]
        company: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, servicer or readonly.
        #[arg(long, default_value = "admin")]
        role: String,
    },
}

fn describe(e: portico_app::AppError) -> anyhow::Error {
    match e {
        portico_app::AppError::Invalid(f) => {
            anyhow::anyhow!(f.0.into_iter().map(|(k, m)| format!("{k}: {m}")).collect::<Vec<_>>().join("; "))
        }
        other => anyhow::anyhow!(other.to_string()),
    }
}

fn init_logging(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// Transparent huge pages off for this process. With THP on, the kernel backs
/// every touched 2 MiB stretch of mimalloc's arenas (and of glibc's heap,
/// which SQLite's page cache uses) with a whole huge page: under the
/// dashboard load on SQLite at 1M customers the server's RssAnon rose from
/// 39 MB to 58 MB for no gain in throughput (bench/README.md, session 4).
/// The `no_thp` build of mimalloc stops it asking for huge pages; this also
/// covers hosts whose THP setting is `always`. Failure (an old kernel) is
/// harmless: memory use is then the host's default.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    if let Err(e) = nix::sys::prctl::set_thp_disable(true) {
        eprintln!("portico: could not turn transparent huge pages off: {e}");
    }
}

#[tokio::main]
async fn main() {
    no_huge_pages();
    if let Err(e) = run().await {
        eprintln!("portico: {e:#}");
        std::process::exit(1);
    }
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Command::Secret = cli.command {
        println!("{}", config::new_secret());
        return Ok(());
    }
    let new_password = std::env::var("PORTICO_NEW_PASSWORD").ok();
    let mut settings = Settings::load(cli.config.as_deref())?;
    init_logging(&settings.log_format);
    match cli.command {
        Command::Secret => unreachable!("handled above"),
        Command::Company(CompanyCommand::Add { slug, name, hosts }) => {
            let app = build_app(&settings).await?;
            let id = portico_app::admin::add_company(&app, &slug, &name, &hosts).await.map_err(describe)?;
            println!(
                "company {slug} created (id {id}); add an administrator with `portico staff add --company {slug} …`"
            );
        }
        Command::Staff(StaffCommand::Add { company, email, name, role }) => {
            let app = build_app(&settings).await?;
            let (password, generated) = match new_password {
                Some(p) => (p, false),
                None => (portico_app::crypto::random_token(), true),
            };
            portico_app::admin::add_staff(&app, &company, &email, &name, &role, &password).await.map_err(describe)?;
            println!("staff user {email} added to {company} as {role}");
            if generated {
                println!("initial password (shown once): {password}");
            }
        }
        Command::Migrate => {
            let app = build_app(&settings).await?;
            app.close().await;
            println!("migrations applied");
        }
        Command::Worker => {
            let app = build_app(&settings).await?;
            let (tx, rx) = tokio::sync::watch::channel(false);
            let m = mailer(&settings)?;
            let every = std::time::Duration::from_secs(settings.mail_poll_seconds.max(1));
            let worker = tokio::spawn(portico_jobs::run(app.clone(), m, every, rx.clone()));
            let hooks = tokio::spawn(portico_jobs::webhooks::run(app.clone(), every, rx.clone()));
            let every = std::time::Duration::from_secs(settings.payment_poll_seconds.max(1));
            let payments = tokio::spawn(portico_app::payments::runner::run(app.clone(), every, rx));
            shutdown_signal().await;
            let _ = tx.send(true);
            let _ = worker.await;
            let _ = hooks.await;
            let _ = payments.await;
        }
        Command::Serve { no_worker } => {
            let app = build_app(&settings).await?;
            let listener =
                TcpListener::bind(&settings.addr).await.with_context(|| format!("binding {}", settings.addr))?;
            let m = if no_worker { None } else { Some(mailer(&settings)?) };
            let running = start(app, &settings, listener, m).await?;
            tracing::info!(addr = %running.addr, "portico serving");
            shutdown_signal().await;
            running.stop().await;
        }
        Command::Demo { addr, data_dir, database_url } => {
            std::fs::create_dir_all(&data_dir).with_context(|| format!("creating {}", data_dir.display()))?;
            let key_file = data_dir.join("secret.key");
            if !key_file.exists() {
                std::fs::write(&key_file, config::new_secret())?;
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600))?;
                }
            }
            settings.database_url = Some(match database_url {
                Some(url) => url,
                None => {
                    let db_path = std::path::absolute(data_dir.join("portico.db"))?;
                    format!("sqlite://{}?mode=rwc", db_path.display())
                }
            });
            // The demo's e-mails and documents stay in its data directory,
            // whichever database it uses.
            if settings.mail_dir.is_none() {
                settings.mail_dir = Some(std::path::absolute(data_dir.join("mail"))?);
            }
            // A developer's receiver runs on this machine.
            settings.webhooks_allow_private = true;
            if settings.storage_dir.is_none() && settings.storage == "local" {
                settings.storage_dir = Some(std::path::absolute(data_dir.join("documents"))?);
            }
            settings.secret_key = None;
            settings.secret_key_file = Some(key_file);
            settings.addr = addr.clone();
            settings.validate()?;
            let listener = TcpListener::bind(&addr).await.with_context(|| format!("binding {addr}"))?;
            // The demo's links (welcome e-mails, resets) carry the port it serves on.
            let port = listener.local_addr()?.port();
            if settings.public_port.is_none() && port != 80 {
                settings.public_port = Some(port);
            }
            let app = build_app(&settings).await?;
            let seeded = portico_app::demo::seed(&app).await?;
            let m = mailer(&settings)?;
            let key_file = data_dir.join("api-key.txt");
            if let Some(s) = &seeded {
                std::fs::write(&key_file, format!("{}\n", s.acme_api_key))?;
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600))?;
                }
            }
            let running = start(app, &settings, listener, Some(m)).await?;
            println!("\nPortico demo on http://{addr} (data in {})", data_dir.display());
            if seeded.is_none() {
                println!("(existing demo data reused; delete {} to start over)", data_dir.display());
            }
            println!(
                "\n  Acme Capital      http://acme.localhost:{port}/       staff: http://acme.localhost:{port}/staff"
            );
            println!(
                "  Northwind Supply  http://northwind.localhost:{port}/  staff: http://northwind.localhost:{port}/staff"
            );
            println!("\n  Every demo user's password is {}", portico_app::demo::DEMO_PASSWORD);
            println!(
                "  Customers: jane.doe@example.com, new.customer@example.com (onboarding: DOB 1985-04-12, SSN 1234) at Acme;"
            );
            println!(
                "             owen.upton@example.com (onboarding with a required upload: DOB 1990-07-21, SSN 5678) at Acme;"
            );
            println!(
                "             sam.settle@example.com (debt settlement), stu.loans@example.com (student loans) at Acme;"
            );
            println!("             buyer@northwind.example at Northwind");
            println!("  Test card: 4242 4242 4242 4242 (any future expiry, any CVC); 4000 0000 0000 0002 is declined");
            println!(
                "  Staff:     admin@acme.example, servicer@acme.example, viewer@acme.example, admin@northwind.example"
            );
            if let Ok(key) = std::fs::read_to_string(&key_file) {
                println!(
                    "  API key:   {} (Acme, every scope; also in {})\n             \
                     curl -H 'Authorization: Bearer {}' http://acme.localhost:{port}/api/v1/contacts",
                    key.trim(),
                    key_file.display(),
                    key.trim()
                );
            }
            println!(
                "  No SMTP is configured: e-mails are listed under Sent mail in the staff console (links masked),\n  \
                 and written as they would be sent, links included, to {}\n",
                settings.mail_capture_dir().unwrap_or_else(|| data_dir.join("mail")).display()
            );
            shutdown_signal().await;
            running.stop().await;
        }
    }
    Ok(())
}
