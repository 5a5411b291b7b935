//! The SMS outbox: rows written in the same transaction as the action that
//! causes them, handed to the SMS transport later by a job (crates/jobs).

use sqlx::{Any, Executor, FromRow};

use crate::StoreError;

#[derive(Debug, Clone, FromRow)]
pub struct Sms {
    pub id: i64,
    pub company_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub kind: String,
    pub to_number: String,
    pub body: String,
    /// `pending`, `sent`, `recorded` (no provider: kept, not sent) or `failed`.
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub provider_id: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    /// The code the body's placeholder stands for, sealed with the server's
    /// key; erased once the message is handed over.
    pub secret_sealed: Option<String>,
}

const COLS: &str = "id, company_id, contact_id, kind, to_number, body, status, attempts, next_attempt_at, \
    last_error, provider_id, created_at, sent_at, secret_sealed";

pub struct NewSms<'a> {
    pub company_id: i64,
    pub contact_id: Option<i64>,
    pub kind: &'a str,
    pub to_number: &'a str,
    pub body: &'a str,
    pub secret_sealed: Option<&'a str>,
}

pub async fn enqueue<'c>(ex: impl Executor<'c, Database = Any>, s: &NewSms<'_>, now: i64) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO outbox_sms (company_id, contact_id, kind, to_number, body, status, next_attempt_at, created_at, \
         secret_sealed) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $6, $7) RETURNING id",
    )
    .bind(s.company_id)
    .bind(s.contact_id)
    .bind(s.kind)
    .bind(s.to_number)
    .bind(s.body)
    .bind(now)
    .bind(s.secret_sealed)
    .fetch_one(ex)
    .await?)
}

/// Claim up to `limit` due messages for `lease` seconds (same scheme as the
/// e-mail outbox).
pub async fn claim_due<'c>(
    ex: impl Executor<'c, Database = Any>,
    now: i64,
    lease: i64,
    limit: i64,
) -> Result<Vec<Sms>, StoreError> {
    let sql = format!(
        "UPDATE outbox_sms SET claimed_until = $2, attempts = attempts + 1 \
         WHERE status = 'pending' AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1) \
         AND id IN (SELECT id FROM outbox_sms WHERE status = 'pending' AND next_attempt_at <= $1 \
                    AND (claimed_until IS NULL OR claimed_until <= $1) ORDER BY id LIMIT $3) \
         RETURNING {COLS}"
    );
    Ok(sqlx::query_as(&sql).bind(now).bind(now + lease).bind(limit).fetch_all(ex).await?)
}

pub async fn mark_done<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: i64,
    status: &str,
    provider_id: Option<&str>,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE outbox_sms SET status = $2, provider_id = $3, sent_at = $4, claimed_until = NULL, last_error = NULL, \
         secret_sealed = NULL WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(provider_id)
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
        "UPDATE outbox_sms SET last_error = $2, claimed_until = NULL, \
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
) -> Result<Vec<Sms>, StoreError> {
    let sql = format!("SELECT {COLS} FROM outbox_sms WHERE company_id = $1 ORDER BY id DESC LIMIT $2");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(limit).fetch_all(ex).await?)
}

pub async fn get_for_company<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<Option<Sms>, StoreError> {
    let sql = format!("SELECT {COLS} FROM outbox_sms WHERE company_id = $1 AND id = $2");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(id).fetch_optional(ex).await?)
}
