//! API keys of a company's systems (`/api/v1`). The secret is stored as a
//! SHA-256 digest; the public prefix finds the row.

use sqlx::{Any, Executor, FromRow};

use crate::StoreError;

#[derive(Debug, Clone, FromRow)]
pub struct ApiKey {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    pub prefix: String,
    pub secret_hash: String,
    pub staff_user_id: Option<i64>,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
    /// Comma-separated scope codes (`portico_domain::codes::ApiScope`).
    pub scopes: String,
    pub expires_at: Option<i64>,
    pub rate_per_minute: i64,
}

const COLS: &str = "id, company_id, name, prefix, secret_hash, staff_user_id, created_at, last_used_at, revoked_at, \
    scopes, expires_at, rate_per_minute";

/// What a new key may do.
#[derive(Debug, Clone)]
pub struct NewKey<'a> {
    pub name: &'a str,
    pub prefix: &'a str,
    pub secret_hash: &'a str,
    pub staff_user_id: i64,
    pub scopes: &'a str,
    pub expires_at: Option<i64>,
    pub rate_per_minute: i64,
}

pub async fn insert<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    k: &NewKey<'_>,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO api_keys (company_id, name, prefix, secret_hash, staff_user_id, created_at, scopes, expires_at, \
         rate_per_minute) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(company_id)
    .bind(k.name)
    .bind(k.prefix)
    .bind(k.secret_hash)
    .bind(k.staff_user_id)
    .bind(now)
    .bind(k.scopes)
    .bind(k.expires_at)
    .bind(k.rate_per_minute)
    .fetch_one(ex)
    .await?)
}

/// An active key by its prefix (any company: the caller checks the company).
pub async fn by_prefix<'c>(ex: impl Executor<'c, Database = Any>, prefix: &str) -> Result<Option<ApiKey>, StoreError> {
    let sql = format!("SELECT {COLS} FROM api_keys WHERE prefix = $1 AND revoked_at IS NULL");
    Ok(sqlx::query_as(&sql).bind(prefix).fetch_optional(ex).await?)
}

pub async fn list<'c>(ex: impl Executor<'c, Database = Any>, company_id: i64) -> Result<Vec<ApiKey>, StoreError> {
    let sql = format!("SELECT {COLS} FROM api_keys WHERE company_id = $1 ORDER BY revoked_at IS NOT NULL, id DESC");
    Ok(sqlx::query_as(&sql).bind(company_id).fetch_all(ex).await?)
}

pub async fn revoke<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    now: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query("UPDATE api_keys SET revoked_at = $3 WHERE company_id = $1 AND id = $2 AND revoked_at IS NULL")
        .bind(company_id)
        .bind(id)
        .bind(now)
        .execute(ex)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn touch<'c>(ex: impl Executor<'c, Database = Any>, id: i64, now: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE api_keys SET last_used_at = $2 WHERE id = $1").bind(id).bind(now).execute(ex).await?;
    Ok(())
}
