//! Background work. For now: delivering the e-mail outbox.
//!
//! The worker claims due rows with a lease (`claimed_until`), so several
//! workers (several nodes) never send the same e-mail at once; a worker
//! that dies mid-send leaves the lease to expire and the row is retried.
//! Failures are retried with exponential back-off, then marked `failed`.

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use portico_app::App;
use portico_app::delivery::{self, Email, Handed};
use tokio::sync::watch;

pub mod sms;
pub mod webhooks;

/// Give up after this many attempts.
pub const MAX_ATTEMPTS: i64 = 8;
/// Seconds a claimed e-mail is reserved for the worker that claimed it.
pub const LEASE_SECS: i64 = 120;

/// Where e-mails go.
#[derive(Clone)]
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// No SMTP configured: mark e-mails `captured`. The console shows their
    /// stored copies (single-use links masked); when a directory is given,
    /// each e-mail as it would have been sent is also written there as
    /// `<id>-<kind>.txt` (the demo's way to follow a welcome link).
    Capture(Option<std::path::PathBuf>),
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Mailer::Smtp(_) => "Mailer::Smtp",
            Mailer::Capture(_) => "Mailer::Capture",
        })
    }
}

impl Mailer {
    /// From an SMTP URL: `smtp://user:pass@host:587` (STARTTLS required),
    /// `smtps://…:465` (TLS), or `smtp://host:25?tls=none` for a relay on a
    /// trusted network (and tests).
    pub fn from_url(url: &str) -> anyhow::Result<Mailer> {
        let parsed = url::Url::parse(url).map_err(|e| anyhow::anyhow!("invalid SMTP URL: {e}"))?;
        let host = parsed.host_str().ok_or_else(|| anyhow::anyhow!("the SMTP URL needs a host"))?.to_string();
        let plain = parsed.query_pairs().any(|(k, v)| k == "tls" && v == "none");
        let mut builder = match (parsed.scheme(), plain) {
            ("smtp", true) => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&host),
            ("smtp", false) => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&host)?,
            ("smtps", _) => AsyncSmtpTransport::<Tokio1Executor>::relay(&host)?,
            (other, _) => {
                anyhow::bail!("the SMTP URL must start with smtp:// or smtps://, not {other}://")
            }
        };
        if let Some(port) = parsed.port() {
            builder = builder.port(port);
        }
        if !parsed.username().is_empty() {
            let user = percent_decode(parsed.username());
            let pass = percent_decode(parsed.password().unwrap_or_default());
            builder = builder.credentials(Credentials::new(user, pass));
        }
        Ok(Mailer::Smtp(builder.timeout(Some(Duration::from_secs(30))).build()))
    }
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned()).unwrap_or_default()
}

fn build_message(e: &Email, text: String, html: String) -> anyhow::Result<Message> {
    let from: Mailbox =
        format!("{} <{}>", e.from_name.replace(['<', '>', '"', '\r', '\n'], ""), e.from_addr).parse()?;
    let to: Mailbox = e.to_addr.parse()?;
    Ok(Message::builder()
        .from(from)
        .to(to)
        .subject(e.subject.clone())
        .multipart(MultiPart::alternative_plain_html(text, html))?)
}

/// Write a captured e-mail, as it would have been sent, into `dir`.
fn write_capture(dir: &std::path::Path, e: &Email, text: &str) -> std::io::Result<std::path::PathBuf> {
    std::fs::create_dir_all(dir)?;
    let kind: String = e.kind.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    let path = dir.join(format!("{:06}-{kind}.txt", e.id));
    let body =
        format!("From: {} <{}>\nTo: {}\nSubject: {}\n\n{}\n", e.from_name, e.from_addr, e.to_addr, e.subject, text);
    std::fs::write(&path, body)?;
    Ok(path)
}

/// Back-off before attempt `n + 1`: 1, 2, 4, … minutes, at most an hour.
pub fn retry_delay_secs(attempts: i64) -> i64 {
    (60_i64 << attempts.clamp(0, 6).saturating_sub(1)).min(3600)
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Send what is due once. Returns how many e-mails were handled.
pub async fn run_once(app: &App, mailer: &Mailer) -> anyhow::Result<usize> {
    let batch = delivery::claim_emails(app, LEASE_SECS, 20).await?;
    let n = batch.len();
    for e in batch {
        // The single-use secret is unsealed only here, for the hand-over;
        // marking the row done or given up erases it.
        let bodies = match delivery::email_bodies(app, &e) {
            Ok(b) => b,
            Err(err) => {
                delivery::email_failed(app, e.id, &err.to_string(), None).await?;
                tracing::warn!(email_id = e.id, error = %err, "e-mail not sent");
                continue;
            }
        };
        match mailer {
            Mailer::Capture(dir) => {
                if let Some(dir) = dir {
                    match write_capture(dir, &e, &bodies.0) {
                        Ok(path) => {
                            tracing::info!(email_id = e.id, kind = %e.kind, path = %path.display(), "e-mail captured")
                        }
                        Err(err) => tracing::warn!(email_id = e.id, error = %err, "e-mail capture not written"),
                    }
                }
                delivery::email_done(app, e.id, Handed::Captured).await?
            }
            Mailer::Smtp(t) => {
                let result = match build_message(&e, bodies.0, bodies.1) {
                    Ok(m) => t.send(m).await.map(|_| ()).map_err(|err| (err.is_permanent(), err.to_string())),
                    Err(err) => Err((true, err.to_string())),
                };
                match result {
                    Ok(()) => {
                        delivery::email_done(app, e.id, Handed::Sent).await?;
                        tracing::info!(email_id = e.id, kind = %e.kind, "e-mail sent");
                    }
                    Err((permanent, err)) => {
                        let give_up = permanent || e.attempts >= MAX_ATTEMPTS;
                        let retry = (!give_up).then(|| now() + retry_delay_secs(e.attempts));
                        delivery::email_failed(app, e.id, &err, retry).await?;
                        tracing::warn!(email_id = e.id, attempts = e.attempts, give_up, error = %err, "e-mail not sent");
                    }
                }
            }
        }
    }
    Ok(n)
}

/// Run until `shutdown` turns true, polling every `every`.
pub async fn run(app: App, mailer: Mailer, every: Duration, mut shutdown: watch::Receiver<bool>) {
    tracing::info!(?mailer, "mail worker started");
    loop {
        let texts = sms::run_once(&app, &sms::RecordOnly).await.unwrap_or_else(|e| {
            tracing::error!(error = %e, "sms worker");
            0
        });
        match run_once(&app, &mailer).await {
            Ok(n) if n > 0 => continue,
            Ok(_) if texts > 0 => continue,
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "mail worker"),
        }
        if let Err(e) = delivery::purge_expired_sessions(&app).await {
            tracing::error!(error = %e, "session purge");
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => break,
        }
        if *shutdown.borrow() {
            break;
        }
    }
    tracing::info!("mail worker stopped");
}

#[cfg(test)]
mod tests {
    use super::retry_delay_secs;

    #[test]
    fn back_off_grows_and_caps() {
        assert_eq!(retry_delay_secs(1), 60);
        assert_eq!(retry_delay_secs(2), 120);
        assert_eq!(retry_delay_secs(3), 240);
        assert_eq!(retry_delay_secs(7), 1920);
        assert_eq!(retry_delay_secs(50), 1920);
    }
}
