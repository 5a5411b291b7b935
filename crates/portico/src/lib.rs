//! Wiring: configuration, database, web server and workers. The binary
//! (`main.rs`) and the integration tests both start Portico through here.

pub mod config;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use portico_app::{App, Config, crypto::Keys};
use portico_jobs::Mailer;
use portico_store::Db;
use portico_web::{AppState, CookieNames, MetricsRender, TenantCache};
use tokio::net::TcpListener;
use tokio::sync::watch;

pub use config::Settings;

/// Connect, migrate and build the application from settings.
pub async fn build_app(s: &Settings) -> anyhow::Result<App> {
    let db = Db::connect(s.database_url()?, s.db_max_connections).await.context("connecting to the database")?;
    db.migrate().await.context("migrating the database")?;
    let keys = Keys::from_secret(&s.secret()?)?;
    let config = Config {
        public_scheme: s.public_scheme.clone(),
        public_port: s.public_port,
        smtp_configured: s.smtp_url.is_some(),
        session_idle_secs: s.session_idle_minutes * 60,
        session_absolute_secs: s.session_absolute_hours * 3600,
        max_upload_bytes: s.max_upload_mb * 1024 * 1024,
        // Read straight from the environment, never from configuration
        // files: only the crash test sets it.
        crash_after_charge: std::env::var("PORTICO_TEST_CRASH_AFTER_CHARGE").is_ok_and(|v| v == "1"),
        webhooks_allow_private: s.webhooks_allow_private,
        ..Config::default()
    };
    let storage = portico_app::storage::Storage::open(&s.storage_config()?)
        .map_err(|e| anyhow::anyhow!("document storage: {e}"))?;
    tracing::info!(storage = storage.label(), "document storage");
    Ok(App::new(db, keys, config).with_storage(storage))
}

/// A running server: its address and a handle to stop it.
pub struct Running {
    pub addr: SocketAddr,
    pub app: App,
    shutdown: watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Running {
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        for t in self.tasks {
            let _ = t.await;
        }
    }
}

static METRICS: std::sync::OnceLock<Option<metrics_exporter_prometheus::PrometheusHandle>> = std::sync::OnceLock::new();

fn metrics_render() -> Option<MetricsRender> {
    let handle = METRICS.get_or_init(|| metrics_exporter_prometheus::PrometheusBuilder::new().install_recorder().ok());
    handle.clone().map(|h| Arc::new(move || h.render()) as MetricsRender)
}

/// Serve HTTP on `listener` and, when `mailer` is given, run the mail
/// worker beside it, until `stop()` (or the returned future's shutdown).
pub async fn start(app: App, s: &Settings, listener: TcpListener, mailer: Option<Mailer>) -> anyhow::Result<Running> {
    let addr = listener.local_addr()?;
    let (tx, rx) = watch::channel(false);
    let state = AppState {
        app: app.clone(),
        cookies: Arc::new(CookieNames::new(s.public_scheme == "https")),
        metrics: metrics_render(),
        trust_proxy: s.trust_proxy,
        tenants: Arc::new(TenantCache::new(Duration::from_millis(s.tenant_cache_ms))),
    };
    let router = portico_web::router(state);
    let mut shutdown_rx = rx.clone();
    let server = tokio::spawn(async move {
        let served = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async move {
                let _ = shutdown_rx.wait_for(|v| *v).await;
            })
            .await;
        if let Err(e) = served {
            tracing::error!(error = %e, "server stopped");
        }
    });
    let mut tasks = vec![server];
    if let Some(m) = mailer {
        let every = Duration::from_secs(s.mail_poll_seconds.max(1));
        tasks.push(tokio::spawn(portico_jobs::run(app.clone(), m, every, rx.clone())));
        tasks.push(tokio::spawn(portico_jobs::webhooks::run(app.clone(), every, rx.clone())));
        let every = Duration::from_secs(s.payment_poll_seconds.max(1));
        tasks.push(tokio::spawn(portico_app::payments::runner::run(app.clone(), every, rx)));
    }
    Ok(Running { addr, app, shutdown: tx, tasks })
}

pub fn mailer(s: &Settings) -> anyhow::Result<Mailer> {
    match &s.smtp_url {
        Some(url) => Mailer::from_url(url),
        None => Ok(Mailer::Capture(s.mail_capture_dir())),
    }
}
