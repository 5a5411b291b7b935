//! Webhook endpoints, events and deliveries (issue 13).

use portico_domain::codes::DeliveryStatus;
use sqlx::{Any, Executor, FromRow};

use crate::{Flag, StoreError, flag};

#[derive(Debug, Clone, FromRow)]
pub struct Endpoint {
    pub id: i64,
    pub company_id: i64,
    pub url: String,
    pub description: String,
    pub event_types: String,
    pub secret_sealed: String,
    pub previous_secret_sealed: Option<String>,
    pub previous_valid_until: Option<i64>,
    #[sqlx(try_from = "Flag")]
    pub active: bool,
    pub disabled_reason: Option<String>,
    pub failing_since: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const ENDPOINT_COLS: &str = "id, company_id, url, description, event_types, secret_sealed, previous_secret_sealed, \
    previous_valid_until, active, disabled_reason, failing_since, created_at, updated_at";

pub async fn insert_endpoint<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    url: &str,
    description: &str,
    event_types: &str,
    secret_sealed: &str,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO webhook_endpoints (company_id, url, description, event_types, secret_sealed, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(company_id)
    .bind(url)
    .bind(description)
    .bind(event_types)
    .bind(secret_sealed)
    .bind(now)
    .fetch_one(ex)
    .await?)
}

pub async fn endpoints<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
) -> Result<Vec<Endpoint>, StoreError> {
    let sql = format!("SELECT {ENDPOINT_COLS} FROM webhook_endpoints WHERE company_id = $1 ORDER BY id");
    Ok(sqlx::query_as(&sql).bind(company_id).fetch_all(ex).await?)
}

pub async fn endpoint<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<Option<Endpoint>, StoreError> {
    let sql = format!("SELECT {ENDPOINT_COLS} FROM webhook_endpoints WHERE company_id = $1 AND id = $2");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(id).fetch_optional(ex).await?)
}

/// Turn an endpoint on (clearing why it was off and its failure streak) or
/// off with a reason.
pub async fn set_active<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    active: bool,
    reason: Option<&str>,
    now: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE webhook_endpoints SET active = $3, disabled_reason = $4, failing_since = NULL, updated_at = $5 \
         WHERE company_id = $1 AND id = $2",
    )
    .bind(company_id)
    .bind(id)
    .bind(flag(active))
    .bind(reason)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// A new secret; the old one stays valid until `previous_valid_until`.
pub async fn rotate_secret<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    new_sealed: &str,
    previous_valid_until: i64,
    now: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE webhook_endpoints SET previous_secret_sealed = secret_sealed, previous_valid_until = $4, \
         secret_sealed = $3, updated_at = $5 WHERE company_id = $1 AND id = $2",
    )
    .bind(company_id)
    .bind(id)
    .bind(new_sealed)
    .bind(previous_valid_until)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn delete_endpoint<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query("DELETE FROM webhook_endpoints WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// The endpoint's failure streak: started at `now` unless already running
/// (`Some`), or ended (`None`).
pub async fn set_failing<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: i64,
    failing: Option<i64>,
) -> Result<(), StoreError> {
    let sql = if failing.is_some() {
        "UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, $2) WHERE id = $1"
    } else {
        "UPDATE webhook_endpoints SET failing_since = $2 WHERE id = $1"
    };
    sqlx::query(sql).bind(id).bind(failing).execute(ex).await?;
    Ok(())
}

// ---------------------------------------------------------------- events

pub async fn insert_event<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    message_id: &str,
    event_type: &str,
    payload: &str,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO webhook_events (company_id, message_id, event_type, payload, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(company_id)
    .bind(message_id)
    .bind(event_type)
    .bind(payload)
    .bind(now)
    .fetch_one(ex)
    .await?)
}

/// Queue a delivery of an event to an endpoint, due at `due`.
pub async fn insert_delivery<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    event_id: i64,
    endpoint_id: i64,
    due: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO webhook_deliveries (company_id, event_id, endpoint_id, next_attempt_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $4, $4) RETURNING id",
    )
    .bind(company_id)
    .bind(event_id)
    .bind(endpoint_id)
    .bind(due)
    .fetch_one(ex)
    .await?)
}

/// A delivery with what it takes to send it.
#[derive(Debug, Clone, FromRow)]
pub struct Due {
    pub id: i64,
    pub company_id: i64,
    pub endpoint_id: i64,
    pub attempts: i64,
    pub url: String,
    pub secret_sealed: String,
    pub previous_secret_sealed: Option<String>,
    pub previous_valid_until: Option<i64>,
    pub failing_since: Option<i64>,
    pub message_id: String,
    pub event_type: String,
    pub payload: String,
    pub event_created_at: i64,
}

/// Deliveries due now whose lease is free, for any company.
pub async fn due<'c>(ex: impl Executor<'c, Database = Any>, now: i64, limit: i64) -> Result<Vec<Due>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT d.id, d.company_id, d.endpoint_id, d.attempts, e.url, e.secret_sealed, e.previous_secret_sealed, \
         e.previous_valid_until, e.failing_since, v.message_id, v.event_type, v.payload, \
         v.created_at AS event_created_at \
         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.company_id = d.company_id \
         JOIN webhook_events v ON v.id = d.event_id AND v.company_id = d.company_id \
         WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND (d.claimed_until IS NULL OR d.claimed_until < $1) \
         AND e.active = 1 ORDER BY d.next_attempt_at, d.id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(ex)
    .await?)
}

/// Take a delivery's lease; true when this caller got it (one sender per
/// delivery however many workers run).
pub async fn claim<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: i64,
    now: i64,
    lease: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE webhook_deliveries SET claimed_until = $3, attempts = attempts + 1, updated_at = $2 \
         WHERE id = $1 AND status = 'pending' AND next_attempt_at <= $2 \
         AND (claimed_until IS NULL OR claimed_until < $2)",
    )
    .bind(id)
    .bind(now)
    .bind(now + lease)
    .execute(ex)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// What one attempt gave.
#[derive(Debug, Clone)]
pub struct Attempt<'a> {
    /// `Pending` comes with `next_attempt_at`.
    pub status: DeliveryStatus,
    pub next_attempt_at: i64,
    pub http_status: Option<i64>,
    pub error: Option<&'a str>,
    pub duration_ms: i64,
}

pub async fn record<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: i64,
    a: &Attempt<'_>,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE webhook_deliveries SET status = $2, next_attempt_at = $3, last_status = $4, last_error = $5, \
         last_duration_ms = $6, claimed_until = NULL, updated_at = $7, \
         delivered_at = CASE WHEN $2 = 'delivered' THEN $7 ELSE delivered_at END WHERE id = $1",
    )
    .bind(id)
    .bind(a.status.code())
    .bind(a.next_attempt_at)
    .bind(a.http_status)
    .bind(a.error)
    .bind(a.duration_ms)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

/// Pending deliveries of an endpoint stop (it was disabled).
pub async fn stop_pending<'c>(
    ex: impl Executor<'c, Database = Any>,
    endpoint_id: i64,
    now: i64,
) -> Result<u64, StoreError> {
    let r = sqlx::query(
        "UPDATE webhook_deliveries SET status = 'stopped', updated_at = $2 WHERE endpoint_id = $1 AND status = 'pending'",
    )
    .bind(endpoint_id)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(r.rows_affected())
}

/// A line of an endpoint's delivery log.
#[derive(Debug, Clone, FromRow)]
pub struct LogRow {
    pub id: i64,
    pub event_id: i64,
    pub message_id: String,
    pub event_type: String,
    #[sqlx(try_from = "String")]
    pub status: DeliveryStatus,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub last_duration_ms: Option<i64>,
    pub delivered_at: Option<i64>,
    pub created_at: i64,
}

pub async fn log<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    endpoint_id: i64,
    limit: i64,
) -> Result<Vec<LogRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT d.id, d.event_id, v.message_id, v.event_type, d.status, d.attempts, d.next_attempt_at, d.last_status, \
         d.last_error, d.last_duration_ms, d.delivered_at, d.created_at FROM webhook_deliveries d \
         JOIN webhook_events v ON v.id = d.event_id AND v.company_id = d.company_id \
         WHERE d.company_id = $1 AND d.endpoint_id = $2 ORDER BY d.id DESC LIMIT $3",
    )
    .bind(company_id)
    .bind(endpoint_id)
    .bind(limit)
    .fetch_all(ex)
    .await?)
}

/// A delivery of this company (for replay).
pub async fn delivery_event<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    delivery_id: i64,
) -> Result<Option<(i64, i64)>, StoreError> {
    Ok(sqlx::query_as("SELECT event_id, endpoint_id FROM webhook_deliveries WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(delivery_id)
        .fetch_optional(ex)
        .await?)
}
