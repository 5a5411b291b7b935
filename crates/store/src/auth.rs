//! Server-side sessions, single-use tokens and login throttling.

use sqlx::{Any, Executor, FromRow};

use crate::StoreError;

#[derive(Debug, Clone, FromRow)]
pub struct Session {
    pub token_hash: String,
    pub company_id: i64,
    /// `customer`, `agent` or `staff`.
    pub kind: String,
    pub portal_user_id: Option<i64>,
    pub staff_user_id: Option<i64>,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    pub ip: String,
    pub user_agent: String,
}

const SESSION_COLS: &str = "token_hash, company_id, kind, portal_user_id, staff_user_id, created_at, \
    last_seen_at, expires_at, ip, user_agent";

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub company_id: i64,
    pub kind: &'a str,
    pub portal_user_id: Option<i64>,
    pub staff_user_id: Option<i64>,
    pub now: i64,
    pub expires_at: i64,
    pub ip: &'a str,
    pub user_agent: &'a str,
}

pub async fn insert_session<'c>(ex: impl Executor<'c, Database = Any>, s: &NewSession<'_>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, company_id, kind, portal_user_id, staff_user_id, created_at, \
         last_seen_at, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9)",
    )
    .bind(s.token_hash)
    .bind(s.company_id)
    .bind(s.kind)
    .bind(s.portal_user_id)
    .bind(s.staff_user_id)
    .bind(s.now)
    .bind(s.expires_at)
    .bind(s.ip)
    .bind(s.user_agent)
    .execute(ex)
    .await?;
    Ok(())
}

/// A live session of this company with this token hash. Expiry (absolute
/// and idle) is checked by the caller, which knows the policy.
pub async fn session<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    token_hash: &str,
) -> Result<Option<Session>, StoreError> {
    let sql = format!("SELECT {SESSION_COLS} FROM sessions WHERE token_hash = $1 AND company_id = $2");
    Ok(sqlx::query_as(&sql).bind(token_hash).bind(company_id).fetch_optional(ex).await?)
}

pub async fn touch_session<'c>(
    ex: impl Executor<'c, Database = Any>,
    token_hash: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(now)
        .execute(ex)
        .await?;
    Ok(())
}

pub async fn delete_session<'c>(ex: impl Executor<'c, Database = Any>, token_hash: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(ex).await?;
    Ok(())
}

/// End every session of a portal user (of any kind, agent sessions too),
/// except optionally one.
pub async fn delete_portal_user_sessions<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    portal_user_id: i64,
    except_hash: Option<&str>,
) -> Result<u64, StoreError> {
    let r = sqlx::query("DELETE FROM sessions WHERE company_id = $1 AND portal_user_id = $2 AND token_hash <> $3")
        .bind(company_id)
        .bind(portal_user_id)
        .bind(except_hash.unwrap_or(""))
        .execute(ex)
        .await?;
    Ok(r.rows_affected())
}

pub async fn delete_staff_sessions<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    staff_user_id: i64,
) -> Result<u64, StoreError> {
    let r = sqlx::query("DELETE FROM sessions WHERE company_id = $1 AND staff_user_id = $2")
        .bind(company_id)
        .bind(staff_user_id)
        .execute(ex)
        .await?;
    Ok(r.rows_affected())
}

/// End every session of a staff member except optionally one.
pub async fn delete_staff_sessions_except<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    staff_user_id: i64,
    except_hash: &str,
) -> Result<u64, StoreError> {
    let r = sqlx::query(
        "DELETE FROM sessions WHERE company_id = $1 AND staff_user_id = $2 AND kind = 'staff' AND token_hash <> $3",
    )
    .bind(company_id)
    .bind(staff_user_id)
    .bind(except_hash)
    .execute(ex)
    .await?;
    Ok(r.rows_affected())
}

/// A staff member's live console sessions (not Agent sessions they opened).
pub async fn staff_user_sessions<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    staff_user_id: i64,
    now: i64,
) -> Result<Vec<Session>, StoreError> {
    let sql = format!(
        "SELECT {SESSION_COLS} FROM sessions WHERE company_id = $1 AND staff_user_id = $2 AND kind = 'staff' \
         AND expires_at > $3 ORDER BY last_seen_at DESC"
    );
    Ok(sqlx::query_as(&sql).bind(company_id).bind(staff_user_id).bind(now).fetch_all(ex).await?)
}

/// Invalidate a staff member's unused tokens of one purpose.
pub async fn revoke_staff_tokens<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    purpose: &str,
    staff_user_id: i64,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE auth_tokens SET used_at = $4 WHERE company_id = $1 AND purpose = $2 AND staff_user_id = $3 \
         AND portal_user_id IS NULL AND used_at IS NULL",
    )
    .bind(company_id)
    .bind(purpose)
    .bind(staff_user_id)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn portal_user_sessions<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    portal_user_id: i64,
    now: i64,
) -> Result<Vec<Session>, StoreError> {
    let sql = format!(
        "SELECT {SESSION_COLS} FROM sessions WHERE company_id = $1 AND portal_user_id = $2 AND kind = 'customer' \
         AND expires_at > $3 ORDER BY last_seen_at DESC"
    );
    Ok(sqlx::query_as(&sql).bind(company_id).bind(portal_user_id).bind(now).fetch_all(ex).await?)
}

pub async fn purge_expired_sessions<'c>(ex: impl Executor<'c, Database = Any>, now: i64) -> Result<u64, StoreError> {
    let r = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(ex).await?;
    Ok(r.rows_affected())
}

#[derive(Debug, Clone, FromRow)]
pub struct AuthToken {
    pub id: i64,
    pub company_id: i64,
    pub purpose: String,
    pub portal_user_id: Option<i64>,
    pub staff_user_id: Option<i64>,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

pub async fn insert_token<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    purpose: &str,
    token_hash: &str,
    portal_user_id: Option<i64>,
    staff_user_id: Option<i64>,
    expires_at: i64,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO auth_tokens (company_id, purpose, token_hash, portal_user_id, staff_user_id, expires_at, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(company_id)
    .bind(purpose)
    .bind(token_hash)
    .bind(portal_user_id)
    .bind(staff_user_id)
    .bind(expires_at)
    .bind(now)
    .fetch_one(ex)
    .await?)
}

pub async fn token<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    purpose: &str,
    token_hash: &str,
) -> Result<Option<AuthToken>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, company_id, purpose, portal_user_id, staff_user_id, expires_at, used_at FROM auth_tokens \
         WHERE token_hash = $1 AND company_id = $2 AND purpose = $3",
    )
    .bind(token_hash)
    .bind(company_id)
    .bind(purpose)
    .fetch_optional(ex)
    .await?)
}

/// Mark a token used. Returns false when it was already used (a race lost),
/// which makes tokens single-use even under concurrent requests.
pub async fn consume_token<'c>(ex: impl Executor<'c, Database = Any>, id: i64, now: i64) -> Result<bool, StoreError> {
    let r = sqlx::query("UPDATE auth_tokens SET used_at = $2 WHERE id = $1 AND used_at IS NULL")
        .bind(id)
        .bind(now)
        .execute(ex)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Invalidate a user's unused tokens of one purpose (a new reset link
/// replaces the old one).
pub async fn revoke_tokens<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    purpose: &str,
    portal_user_id: i64,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE auth_tokens SET used_at = $4 WHERE company_id = $1 AND purpose = $2 AND portal_user_id = $3 \
         AND used_at IS NULL",
    )
    .bind(company_id)
    .bind(purpose)
    .bind(portal_user_id)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct Throttle {
    pub failures: i64,
    pub window_start: i64,
    pub locked_until: Option<i64>,
}

pub async fn throttle<'c>(ex: impl Executor<'c, Database = Any>, key: &str) -> Result<Option<Throttle>, StoreError> {
    Ok(sqlx::query_as("SELECT failures, window_start, locked_until FROM login_throttle WHERE key = $1")
        .bind(key)
        .fetch_optional(ex)
        .await?)
}

/// Count one failure for `key` within a window of `window` seconds; a
/// failure after the window starts a new one. Returns the count.
pub async fn throttle_fail<'c>(
    ex: impl Executor<'c, Database = Any>,
    key: &str,
    now: i64,
    window: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO login_throttle (key, failures, window_start) VALUES ($1, 1, $2) \
         ON CONFLICT (key) DO UPDATE SET \
           failures = CASE WHEN login_throttle.window_start + $3 <= $2 THEN 1 ELSE login_throttle.failures + 1 END, \
           window_start = CASE WHEN login_throttle.window_start + $3 <= $2 THEN $2 ELSE login_throttle.window_start END \
         RETURNING failures",
    )
    .bind(key)
    .bind(now)
    .bind(window)
    .fetch_one(ex)
    .await?)
}

pub async fn throttle_lock<'c>(ex: impl Executor<'c, Database = Any>, key: &str, until: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE login_throttle SET locked_until = $2 WHERE key = $1").bind(key).bind(until).execute(ex).await?;
    Ok(())
}

/// A portal session with its user and contact, in one query (the hot path
/// of every signed-in portal page).
#[derive(Debug, Clone)]
pub struct CustomerSession {
    pub session: Session,
    pub user: crate::people::PortalUser,
    pub contact: crate::people::Contact,
    /// Onboarding gaps read in the same query: a statement-delivery choice
    /// the company asks for and the contact hasn't made; required document
    /// types the contact hasn't uploaded.
    pub gaps: (bool, i64),
}

/// The session, user and contact of a portal session token. `statement`
/// and `documents` say which onboarding gaps to count: a company that asks
/// for neither (`companies::OnboardingAsks`, or the Documents section off)
/// gets a statement without those subqueries, so the hot path does no work
/// that can't apply; the gaps are then 0.
pub async fn customer_session<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    token_hash: &str,
    statement: bool,
    documents: bool,
) -> Result<Option<CustomerSession>, StoreError> {
    use crate::documents::{documents_gap_sql, statement_gap_sql};
    use sqlx::Row;
    let zero = || "CAST(0 AS BIGINT)".to_string();
    let gap_statement = if statement { statement_gap_sql("$2", "c.id") } else { zero() };
    let gap_documents = if documents { documents_gap_sql("$2", "c.id") } else { zero() };
    let sql = format!(
        "SELECT s.token_hash, s.kind, s.portal_user_id, s.staff_user_id, s.created_at AS s_created_at, \
         s.last_seen_at, s.expires_at, s.ip, s.user_agent, \
         u.id AS u_id, u.contact_id, u.username, u.email AS u_email, u.password_hash, u.active, u.onboarded_at, \
         u.verify_failures, u.verify_locked_until, u.failed_logins, u.locked_until, u.welcome_sent_at, \
         u.last_login_at, u.created_at AS u_created_at, \
         c.external_id, c.customer_number, c.first_name, c.last_name, c.email AS c_email, c.phone, c.dob_enc, \
         c.ssn4_mac, c.account_number, c.address, c.stage, c.status, c.customer_since, c.created_at AS c_created_at, c.updated_at AS c_updated_at, \
         {gap_statement} AS gap_statement, {gap_documents} AS gap_documents \
         FROM sessions s \
         JOIN portal_users u ON u.id = s.portal_user_id AND u.company_id = s.company_id \
         JOIN contacts c ON c.id = u.contact_id AND c.company_id = u.company_id \
         WHERE s.token_hash = $1 AND s.company_id = $2"
    );
    let row = sqlx::query(&sql).bind(token_hash).bind(company_id).fetch_optional(ex).await?;
    let Some(r) = row else { return Ok(None) };
    let flag = |k: &str| -> Result<bool, sqlx::Error> { Ok(bool::from(r.try_get::<crate::Flag, _>(k)?)) };
    let user_id: i64 = r.try_get("u_id")?;
    let contact_id: i64 = r.try_get("contact_id")?;
    Ok(Some(CustomerSession {
        session: Session {
            token_hash: r.try_get("token_hash")?,
            company_id,
            kind: r.try_get("kind")?,
            portal_user_id: r.try_get("portal_user_id")?,
            staff_user_id: r.try_get("staff_user_id")?,
            created_at: r.try_get("s_created_at")?,
            last_seen_at: r.try_get("last_seen_at")?,
            expires_at: r.try_get("expires_at")?,
            ip: r.try_get("ip")?,
            user_agent: r.try_get("user_agent")?,
        },
        user: crate::people::PortalUser {
            id: user_id,
            company_id,
            contact_id,
            username: r.try_get("username")?,
            email: r.try_get("u_email")?,
            password_hash: r.try_get("password_hash")?,
            active: flag("active")?,
            onboarded_at: r.try_get("onboarded_at")?,
            verify_failures: r.try_get("verify_failures")?,
            verify_locked_until: r.try_get("verify_locked_until")?,
            failed_logins: r.try_get("failed_logins")?,
            locked_until: r.try_get("locked_until")?,
            welcome_sent_at: r.try_get("welcome_sent_at")?,
            last_login_at: r.try_get("last_login_at")?,
            created_at: r.try_get("u_created_at")?,
        },
        contact: crate::people::Contact {
            id: contact_id,
            company_id,
            external_id: r.try_get("external_id")?,
            customer_number: r.try_get("customer_number")?,
            first_name: r.try_get("first_name")?,
            last_name: r.try_get("last_name")?,
            email: r.try_get("c_email")?,
            phone: r.try_get("phone")?,
            dob_enc: r.try_get("dob_enc")?,
            ssn4_mac: r.try_get("ssn4_mac")?,
            account_number: r.try_get("account_number")?,
            address: r.try_get("address")?,
            stage: r.try_get("stage")?,
            status: r.try_get("status")?,
            customer_since: r.try_get("customer_since")?,
            created_at: r.try_get("c_created_at")?,
            updated_at: r.try_get("c_updated_at")?,
        },
        gaps: (r.try_get::<i64, _>("gap_statement")? > 0, r.try_get("gap_documents")?),
    }))
}
