//! The e-mail outbox: rows written in the same transaction as the action
//! that causes them, sent later by a job (crates/jobs).

use sqlx::{Any, Executor, FromRow};

use crate::StoreError;

#[derive(Debug, Clone, FromRow)]
pub struct Email {
    pub id: i64,
    pub company_id: Option<i64>,
    pub kind: String,
    pub to_addr: String,
    pub from_addr: String,
    pub from_name: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    /// `pending`, `sent`, `failed` (gave up) or `captured` (no SMTP configured).
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    /// The single-use secret (a link) the body's placeholder stands for,
    /// sealed with the server's key; erased once the e-mail is handed over.
    pub secret_sealed: Option<String>,
    /// When that secret stops working (shown instead of it in the console).
    pub secret_expires_at: Option<i64>,
    /// Whom a link was for (the console's "Resend").
    pub portal_user_id: Option<i64>,
    pub staff_user_id: Option<i64>,
}

const COLS: &str = "id, company_id, kind, to_addr, from_addr, from_name, subject, body_text, body_html, status, \
    attempts, next_attempt_at, last_error, created_at, sent_at, secret_sealed, secret_expires_at, portal_user_id, \
    staff_user_id";

pub struct NewEmail<'a> {
    pub company_id: Option<i64>,
    pub kind: &'a str,
    pub to_addr: &'a str,
    pub from_addr: &'a str,
    pub from_name: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: &'a str,
    /// A sealed single-use secret the bodies' placeholder stands for.
    pub secret_sealed: Option<&'a str>,
    pub secret_expires_at: Option<i64>,
    pub portal_user_id: Option<i64>,
    pub staff_user_id: Option<i64>,
}

pub async fn enqueue<'c>(ex: impl Executor<'c, Database = Any>, e: &NewEmail<'_>, now: i64) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO outbox_emails (company_id, kind, to_addr, from_addr, from_name, subject, body_text, body_html, \
         status, next_attempt_at, created_at, secret_sealed, secret_expires_at, portal_user_id, staff_user_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(e.company_id)
    .bind(e.kind)
    .bind(e.to_addr)
    .bind(e.from_addr)
    .bind(e.from_name)
    .bind(e.subject)
    .bind(e.body_text)
    .bind(e.body_html)
    .bind(now)
    .bind(e.secret_sealed)
    .bind(e.secret_expires_at)
    .bind(e.portal_user_id)
    .bind(e.staff_user_id)
    .fetch_one(ex)
    .await?)
}

/// Claim up to `limit` due e-mails for `lease` seconds. Safe with several
/// workers: the outer `claimed_until` condition is re-checked on PostgreSQL
/// after a concurrent update, and SQLite has a single writer.
pub async fn claim_due<'c>(
    ex: impl Executor<'c, Database = Any>,
    now: i64,
    lease: i64,
    limit: i64,
) -> Result<Vec<Email>, StoreError> {
    let sql = format!(
        "UPDATE outbox_emails SET claimed_until = $2, attempts = attempts + 1 \
         WHERE status = 'pending' AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1) \
         AND id IN (SELECT id FROM outbox_emails WHERE status = 'pending' AND next_attempt_at <= $1 \
                    AND (claimed_until IS NULL OR claimed_until <= $1) ORDER BY id LIMIT $3) \
         RETURNING {COLS}"
    );
    Ok(sqlx::query_as(&sql).bind(now).bind(now + lease).bind(limit).fetch_all(ex).await?)
}

pub async fn mark_done<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: i64,
    status: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE outbox_emails SET status = $2, sent_at = $3, claimed_until = NULL, last_error = NULL, \
         secret_sealed = NULL WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

/// Record a failed attempt: retry at `retry_at`, or give up when `None`.
pub async fn mark_failed<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: i64,
    error: &str,
    retry_at: Option<i64>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE outbox_emails SET last_error = $2, claimed_until = NULL, \
         status = CASE WHEN $3 IS NULL THEN 'failed' ELSE 'pending' END, \
         secret_sealed = CASE WHEN $3 IS NULL THEN NULL ELSE secret_sealed END, \
         next_attempt_at = COALESCE($3, next_attempt_at) WHERE id = $1",
    )
    .bind(id)
    .bind(error)
    .bind(retry_at)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn list_for_company<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    limit: i64,
) -> Result<Vec<Email>, StoreError> {
    let sql = format!("SELECT {COLS} FROM outbox_emails WHERE company_id = $1 ORDER BY id DESC LIMIT $2");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(limit).fetch_all(ex).await?)
}

pub async fn get_for_company<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<Option<Email>, StoreError> {
    let sql = format!("SELECT {COLS} FROM outbox_emails WHERE company_id = $1 AND id = $2");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(id).fetch_optional(ex).await?)
}
