//! The outbox workers' door (crate `portico-jobs`): claim the e-mails and
//! text messages that are due, learn what to hand over, and record what
//! became of each. A worker sees only the rows it claimed; the single-use
//! secret in a message is unsealed only by [`email_bodies`] / [`sms_body`],
//! and every outcome recorded here erases it (docs/security.md 6.4.1).
//!
//! Claims are leases (`claimed_until`): several workers, on several nodes,
//! never hand over the same message at once, and one that dies mid-send
//! leaves its lease to expire so the row is retried.

pub use portico_store::outbox::Email;
pub use portico_store::sms::Sms;
use portico_store::{auth as store_auth, outbox, sms};

use crate::mail::RevealError;
use crate::{App, AppError};

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Claim up to `limit` due e-mails for `lease_secs`.
pub async fn claim_emails(app: &App, lease_secs: i64, limit: i64) -> Result<Vec<Email>, AppError> {
    Ok(outbox::claim_due(app.db.w(), now(), lease_secs, limit).await?)
}

/// The text and HTML bodies of a claimed e-mail, its link unsealed.
pub fn email_bodies(app: &App, e: &Email) -> Result<(String, String), RevealError> {
    crate::mail::delivery_bodies(&app.keys, e)
}

/// How an e-mail left: handed to SMTP, or captured (no SMTP configured).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handed {
    Sent,
    Captured,
}

pub async fn email_done(app: &App, id: i64, how: Handed) -> Result<(), AppError> {
    let status = match how {
        Handed::Sent => "sent",
        Handed::Captured => "captured",
    };
    Ok(outbox::mark_done(app.db.w(), id, status, now()).await?)
}

/// A failed attempt: retry at `retry_at`, or give up when `None`.
pub async fn email_failed(app: &App, id: i64, error: &str, retry_at: Option<i64>) -> Result<(), AppError> {
    Ok(outbox::mark_failed(app.db.w(), id, error, retry_at).await?)
}

/// Claim up to `limit` due text messages for `lease_secs`.
pub async fn claim_sms(app: &App, lease_secs: i64, limit: i64) -> Result<Vec<Sms>, AppError> {
    Ok(sms::claim_due(app.db.w(), now(), lease_secs, limit).await?)
}

/// The text of a claimed message, its code unsealed.
pub fn sms_body(app: &App, m: &Sms) -> Result<String, RevealError> {
    crate::mail::delivery_sms(&app.keys, m)
}

/// How a text message left: `Sent` with the provider's reference, or
/// `Recorded` (no provider configured: kept for the console).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmsHanded {
    Sent(Option<String>),
    Recorded,
}

pub async fn sms_done(app: &App, id: i64, how: &SmsHanded) -> Result<(), AppError> {
    let (status, reference) = match how {
        SmsHanded::Sent(r) => ("sent", r.as_deref()),
        SmsHanded::Recorded => ("recorded", None),
    };
    Ok(sms::mark_done(app.db.w(), id, status, reference, now()).await?)
}

/// A failed attempt: retry at `retry_at`, or give up when `None`.
pub async fn sms_failed(app: &App, id: i64, error: &str, retry_at: Option<i64>) -> Result<(), AppError> {
    Ok(sms::mark_failed(app.db.w(), id, error, retry_at).await?)
}

/// Delete sessions past their expiry (the worker's housekeeping); how many.
pub async fn purge_expired_sessions(app: &App) -> Result<u64, AppError> {
    Ok(store_auth::purge_expired_sessions(app.db.w(), now()).await?)
}
