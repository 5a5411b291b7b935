//! Notification choices per customer and topic, and the customer's mobile
//! number for SMS (with its pending verification code).

use sqlx::{Any, Executor, FromRow};

use crate::{Flag, StoreError, flag};

#[derive(Debug, Clone, FromRow)]
pub struct Pref {
    pub topic: String,
    #[sqlx(try_from = "Flag")]
    pub email: bool,
    #[sqlx(try_from = "Flag")]
    pub sms: bool,
}

/// The stored choices of a customer (topics without a row use the defaults).
pub async fn prefs<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<Vec<Pref>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT topic, email, sms FROM notification_prefs WHERE company_id = $1 AND contact_id = $2 ORDER BY topic",
    )
    .bind(company_id)
    .bind(contact_id)
    .fetch_all(ex)
    .await?)
}

pub async fn pref<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    topic: &str,
) -> Result<Option<Pref>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT topic, email, sms FROM notification_prefs WHERE company_id = $1 AND contact_id = $2 AND topic = $3",
    )
    .bind(company_id)
    .bind(contact_id)
    .bind(topic)
    .fetch_optional(ex)
    .await?)
}

pub async fn set_pref<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    topic: &str,
    email: bool,
    sms: bool,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO notification_prefs (company_id, contact_id, topic, email, sms) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (contact_id, topic) DO UPDATE SET email = excluded.email, sms = excluded.sms",
    )
    .bind(company_id)
    .bind(contact_id)
    .bind(topic)
    .bind(flag(email))
    .bind(flag(sms))
    .execute(ex)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Default, FromRow)]
pub struct Mobile {
    pub contact_id: i64,
    pub company_id: i64,
    pub verified_number: Option<String>,
    pub verified_at: Option<i64>,
    pub pending_number: Option<String>,
    pub code_hash: Option<String>,
    pub code_expires_at: Option<i64>,
    pub code_attempts: i64,
    pub code_sent_at: Option<i64>,
    pub codes_sent_window_start: Option<i64>,
    pub codes_sent: i64,
}

const MOBILE_COLS: &str = "contact_id, company_id, verified_number, verified_at, pending_number, code_hash, \
    code_expires_at, code_attempts, code_sent_at, codes_sent_window_start, codes_sent";

pub async fn mobile<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<Option<Mobile>, StoreError> {
    let sql = format!("SELECT {MOBILE_COLS} FROM contact_mobiles WHERE company_id = $1 AND contact_id = $2");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(contact_id).fetch_optional(ex).await?)
}

/// Store a new pending number and code (replacing any earlier code).
#[allow(clippy::too_many_arguments)]
pub async fn set_pending<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    number: &str,
    code_hash: &str,
    expires_at: i64,
    window_start: i64,
    codes_sent: i64,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO contact_mobiles (contact_id, company_id, pending_number, code_hash, code_expires_at, \
         code_attempts, code_sent_at, codes_sent_window_start, codes_sent) VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8) \
         ON CONFLICT (contact_id) DO UPDATE SET pending_number = excluded.pending_number, \
         code_hash = excluded.code_hash, code_expires_at = excluded.code_expires_at, code_attempts = 0, \
         code_sent_at = excluded.code_sent_at, codes_sent_window_start = excluded.codes_sent_window_start, \
         codes_sent = excluded.codes_sent",
    )
    .bind(contact_id)
    .bind(company_id)
    .bind(number)
    .bind(code_hash)
    .bind(expires_at)
    .bind(now)
    .bind(window_start)
    .bind(codes_sent)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn record_code_failure<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE contact_mobiles SET code_attempts = code_attempts + 1 WHERE company_id = $1 AND contact_id = $2",
    )
    .bind(company_id)
    .bind(contact_id)
    .execute(ex)
    .await?;
    Ok(())
}

/// The pending number becomes the verified one; the code is spent.
pub async fn verify<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE contact_mobiles SET verified_number = pending_number, verified_at = $3, pending_number = NULL, \
         code_hash = NULL, code_expires_at = NULL, code_attempts = 0 WHERE company_id = $1 AND contact_id = $2",
    )
    .bind(company_id)
    .bind(contact_id)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

/// Forget the verified number (SMS stops) and any pending code.
pub async fn remove<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE contact_mobiles SET verified_number = NULL, verified_at = NULL, pending_number = NULL, \
         code_hash = NULL, code_expires_at = NULL, code_attempts = 0 WHERE company_id = $1 AND contact_id = $2",
    )
    .bind(company_id)
    .bind(contact_id)
    .execute(ex)
    .await?;
    Ok(())
}
