//! Contacts (the company's customers, from its CRM), their portal users, and
//! staff users of the console.

use portico_domain::codes::Role;
use sqlx::{Any, Executor, FromRow};

use crate::{Flag, StoreError, flag};

#[derive(Debug, Clone, FromRow)]
pub struct Contact {
    pub id: i64,
    pub company_id: i64,
    pub external_id: Option<String>,
    pub customer_number: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub dob_enc: Option<String>,
    pub ssn4_mac: Option<String>,
    pub account_number: String,
    pub address: String,
    pub stage: String,
    pub status: String,
    pub customer_since: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const CONTACT_COLS: &str = "c.id, c.company_id, c.external_id, c.customer_number, c.first_name, c.last_name, \
    c.email, c.phone, c.dob_enc, c.ssn4_mac, c.account_number, c.address, c.stage, c.status, \
    c.customer_since, c.created_at, c.updated_at";

#[derive(Debug, Clone, Default)]
pub struct NewContact {
    pub external_id: Option<String>,
    pub customer_number: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub dob_enc: Option<String>,
    pub ssn4_mac: Option<String>,
    pub account_number: String,
    pub address: String,
    pub stage: String,
    pub status: String,
    pub customer_since: Option<String>,
}

pub async fn insert_contact<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    c: &NewContact,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO contacts (company_id, external_id, customer_number, first_name, last_name, email, phone, \
         dob_enc, ssn4_mac, account_number, address, stage, status, customer_since, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id",
    )
    .bind(company_id)
    .bind(&c.external_id)
    .bind(&c.customer_number)
    .bind(&c.first_name)
    .bind(&c.last_name)
    .bind(&c.email)
    .bind(&c.phone)
    .bind(&c.dob_enc)
    .bind(&c.ssn4_mac)
    .bind(&c.account_number)
    .bind(&c.address)
    .bind(&c.stage)
    .bind(&c.status)
    .bind(&c.customer_since)
    .bind(now)
    .fetch_one(ex)
    .await?)
}

/// A contact of this company, or `None` (also for another company's id).
pub async fn contact<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<Option<Contact>, StoreError> {
    let sql = format!("SELECT {CONTACT_COLS} FROM contacts c WHERE c.company_id = $1 AND c.id = $2");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(id).fetch_optional(ex).await?)
}

/// A contact of this company by the CRM's id.
pub async fn contact_by_external_id<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    external_id: &str,
) -> Result<Option<Contact>, StoreError> {
    let sql = format!("SELECT {CONTACT_COLS} FROM contacts c WHERE c.company_id = $1 AND c.external_id = $2");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(external_id).fetch_optional(ex).await?)
}

/// Contacts in change order, for incremental sync: changed at or after
/// `since`, and after the `(updated_at, id)` position `after`.
pub async fn contacts_changed<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    since: Option<i64>,
    after: Option<(i64, i64)>,
    limit: i64,
) -> Result<Vec<Contact>, StoreError> {
    let sql = format!(
        "SELECT {CONTACT_COLS} FROM contacts c WHERE c.company_id = $1 AND ($2 IS NULL OR c.updated_at >= $2) \
         AND ($3 IS NULL OR c.updated_at > $3 OR (c.updated_at = $3 AND c.id > $4)) \
         ORDER BY c.updated_at, c.id LIMIT $5"
    );
    Ok(sqlx::query_as(&sql)
        .bind(company_id)
        .bind(since)
        .bind(after.map(|a| a.0))
        .bind(after.map(|a| a.1).unwrap_or(0))
        .bind(limit)
        .fetch_all(ex)
        .await?)
}

/// Replace a contact's fields (everything `NewContact` holds but the
/// external id); `Conflict` when the customer number is another's.
pub async fn update_contact<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    c: &NewContact,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE contacts SET customer_number = $3, first_name = $4, last_name = $5, email = $6, phone = $7, \
         dob_enc = $8, ssn4_mac = $9, account_number = $10, address = $11, stage = $12, status = $13, \
         customer_since = $14, updated_at = $15 WHERE company_id = $1 AND id = $2",
    )
    .bind(company_id)
    .bind(id)
    .bind(&c.customer_number)
    .bind(&c.first_name)
    .bind(&c.last_name)
    .bind(&c.email)
    .bind(&c.phone)
    .bind(&c.dob_enc)
    .bind(&c.ssn4_mac)
    .bind(&c.account_number)
    .bind(&c.address)
    .bind(&c.stage)
    .bind(&c.status)
    .bind(&c.customer_since)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn set_contact_ssn_mac<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    mac: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE contacts SET ssn4_mac = $3 WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .bind(mac)
        .execute(ex)
        .await?;
    Ok(())
}

pub async fn set_contact_email<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    email: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE contacts SET email = $3, updated_at = $4 WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .bind(email)
        .bind(now)
        .execute(ex)
        .await?;
    Ok(())
}

/// One row of the console's contact list.
#[derive(Debug, Clone, FromRow)]
pub struct ContactListRow {
    pub id: i64,
    pub customer_number: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub portal_user_id: Option<i64>,
    pub portal_active: Option<i64>,
    pub last_login_at: Option<i64>,
}

/// Search contacts by name, email, customer number or external id.
pub async fn search_contacts<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    query: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<ContactListRow>, StoreError> {
    let like = format!("%{}%", query.to_lowercase().replace(['%', '_'], ""));
    Ok(sqlx::query_as(
        "SELECT c.id, c.customer_number, c.first_name, c.last_name, c.email, \
         u.id AS portal_user_id, u.active AS portal_active, u.last_login_at \
         FROM contacts c LEFT JOIN portal_users u ON u.contact_id = c.id \
         WHERE c.company_id = $1 AND ($2 = '%%' OR LOWER(c.first_name || ' ' || c.last_name) LIKE $2 \
           OR LOWER(COALESCE(c.email, '')) LIKE $2 OR LOWER(c.customer_number) LIKE $2 \
           OR LOWER(COALESCE(c.external_id, '')) LIKE $2) \
         ORDER BY c.last_name, c.first_name, c.id LIMIT $3 OFFSET $4",
    )
    .bind(company_id)
    .bind(like)
    .bind(limit)
    .bind(offset)
    .fetch_all(ex)
    .await?)
}

#[derive(Debug, Clone, FromRow)]
pub struct PortalUser {
    pub id: i64,
    pub company_id: i64,
    pub contact_id: i64,
    pub username: String,
    pub email: String,
    pub password_hash: Option<String>,
    #[sqlx(try_from = "Flag")]
    pub active: bool,
    pub onboarded_at: Option<i64>,
    pub verify_failures: i64,
    pub verify_locked_until: Option<i64>,
    pub failed_logins: i64,
    pub locked_until: Option<i64>,
    pub welcome_sent_at: Option<i64>,
    pub last_login_at: Option<i64>,
    pub created_at: i64,
}

const PU_COLS: &str = "id, company_id, contact_id, username, email, password_hash, active, onboarded_at, \
    verify_failures, verify_locked_until, failed_logins, locked_until, welcome_sent_at, last_login_at, created_at";

pub async fn portal_user<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<Option<PortalUser>, StoreError> {
    let sql = format!("SELECT {PU_COLS} FROM portal_users WHERE company_id = $1 AND id = $2");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(id).fetch_optional(ex).await?)
}

pub async fn portal_user_by_contact<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<Option<PortalUser>, StoreError> {
    let sql = format!("SELECT {PU_COLS} FROM portal_users WHERE company_id = $1 AND contact_id = $2");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(contact_id).fetch_optional(ex).await?)
}

/// Find a portal user by user name or e-mail (both stored lower-case).
pub async fn portal_user_by_login<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    login: &str,
) -> Result<Option<PortalUser>, StoreError> {
    let sql = format!(
        "SELECT {PU_COLS} FROM portal_users WHERE company_id = $1 AND (username = $2 OR email = $2) \
         ORDER BY CASE WHEN username = $2 THEN 0 ELSE 1 END LIMIT 1"
    );
    Ok(sqlx::query_as(&sql).bind(company_id).bind(login.trim().to_lowercase()).fetch_optional(ex).await?)
}

pub async fn username_taken<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    username: &str,
) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM portal_users WHERE company_id = $1 AND username = $2")
        .bind(company_id)
        .bind(username)
        .fetch_one(ex)
        .await?;
    Ok(n > 0)
}

pub async fn insert_portal_user<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    username: &str,
    email: &str,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO portal_users (company_id, contact_id, username, email, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(company_id)
    .bind(contact_id)
    .bind(username)
    .bind(email)
    .bind(now)
    .fetch_one(ex)
    .await?)
}

/// Which kind of user a row in `portal_users` or `staff_users` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserTable {
    Portal,
    Staff,
}

impl UserTable {
    fn table(self) -> &'static str {
        match self {
            UserTable::Portal => "portal_users",
            UserTable::Staff => "staff_users",
        }
    }
}

pub async fn set_password<'c>(
    ex: impl Executor<'c, Database = Any>,
    t: UserTable,
    company_id: i64,
    id: i64,
    hash: &str,
) -> Result<(), StoreError> {
    let sql = format!(
        "UPDATE {} SET password_hash = $3, failed_logins = 0, locked_until = NULL \
         WHERE company_id = $1 AND id = $2",
        t.table()
    );
    sqlx::query(&sql).bind(company_id).bind(id).bind(hash).execute(ex).await?;
    Ok(())
}

pub async fn set_active<'c>(
    ex: impl Executor<'c, Database = Any>,
    t: UserTable,
    company_id: i64,
    id: i64,
    active: bool,
) -> Result<(), StoreError> {
    let sql = format!("UPDATE {} SET active = $3 WHERE company_id = $1 AND id = $2", t.table());
    sqlx::query(&sql).bind(company_id).bind(id).bind(flag(active)).execute(ex).await?;
    Ok(())
}

/// Record a failed sign-in; returns the new consecutive-failure count.
pub async fn record_login_failure<'c>(
    ex: impl Executor<'c, Database = Any>,
    t: UserTable,
    company_id: i64,
    id: i64,
) -> Result<i64, StoreError> {
    let sql = format!(
        "UPDATE {} SET failed_logins = failed_logins + 1 WHERE company_id = $1 AND id = $2 RETURNING failed_logins",
        t.table()
    );
    Ok(sqlx::query_scalar(&sql).bind(company_id).bind(id).fetch_one(ex).await?)
}

pub async fn set_locked_until<'c>(
    ex: impl Executor<'c, Database = Any>,
    t: UserTable,
    company_id: i64,
    id: i64,
    until: Option<i64>,
) -> Result<(), StoreError> {
    let sql = format!("UPDATE {} SET locked_until = $3 WHERE company_id = $1 AND id = $2", t.table());
    sqlx::query(&sql).bind(company_id).bind(id).bind(until).execute(ex).await?;
    Ok(())
}

pub async fn record_login_success<'c>(
    ex: impl Executor<'c, Database = Any>,
    t: UserTable,
    company_id: i64,
    id: i64,
    now: i64,
) -> Result<(), StoreError> {
    let sql = format!(
        "UPDATE {} SET failed_logins = 0, locked_until = NULL, last_login_at = $3 WHERE company_id = $1 AND id = $2",
        t.table()
    );
    sqlx::query(&sql).bind(company_id).bind(id).bind(now).execute(ex).await?;
    Ok(())
}

pub async fn set_welcome_sent<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE portal_users SET welcome_sent_at = $3 WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .bind(now)
        .execute(ex)
        .await?;
    Ok(())
}

pub async fn set_portal_email<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    email: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE portal_users SET email = $3 WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .bind(email)
        .execute(ex)
        .await?;
    Ok(())
}

/// Record a wrong identity answer; returns the new failure count.
pub async fn record_verify_failure<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "UPDATE portal_users SET verify_failures = verify_failures + 1 WHERE company_id = $1 AND id = $2 \
         RETURNING verify_failures",
    )
    .bind(company_id)
    .bind(id)
    .fetch_one(ex)
    .await?)
}

pub async fn set_verify_lock<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    until: Option<i64>,
    reset_failures: bool,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE portal_users SET verify_locked_until = $3, \
         verify_failures = CASE WHEN $4 = 1 THEN 0 ELSE verify_failures END WHERE company_id = $1 AND id = $2",
    )
    .bind(company_id)
    .bind(id)
    .bind(until)
    .bind(flag(reset_failures))
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn set_onboarded<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    at: Option<i64>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE portal_users SET onboarded_at = $3, verify_failures = 0, verify_locked_until = NULL \
         WHERE company_id = $1 AND id = $2",
    )
    .bind(company_id)
    .bind(id)
    .bind(at)
    .execute(ex)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct StaffUser {
    pub id: i64,
    pub company_id: i64,
    pub email: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub password_hash: Option<String>,
    #[sqlx(try_from = "Flag")]
    pub active: bool,
    pub failed_logins: i64,
    pub locked_until: Option<i64>,
    pub last_login_at: Option<i64>,
}

const STAFF_COLS: &str =
    "id, company_id, email, name, role, password_hash, active, failed_logins, locked_until, last_login_at";

pub async fn staff_user<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<Option<StaffUser>, StoreError> {
    let sql = format!("SELECT {STAFF_COLS} FROM staff_users WHERE company_id = $1 AND id = $2");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(id).fetch_optional(ex).await?)
}

pub async fn staff_by_email<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    email: &str,
) -> Result<Option<StaffUser>, StoreError> {
    let sql = format!("SELECT {STAFF_COLS} FROM staff_users WHERE company_id = $1 AND email = $2");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(email.trim().to_lowercase()).fetch_optional(ex).await?)
}

pub async fn insert_staff<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    email: &str,
    name: &str,
    role: Role,
    password_hash: Option<&str>,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO staff_users (company_id, email, name, role, password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(company_id)
    .bind(email.to_lowercase())
    .bind(name)
    .bind(role.code())
    .bind(password_hash)
    .bind(now)
    .fetch_one(ex)
    .await?)
}

pub async fn list_staff<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
) -> Result<Vec<StaffUser>, StoreError> {
    let sql = format!("SELECT {STAFF_COLS} FROM staff_users WHERE company_id = $1 ORDER BY name");
    Ok(sqlx::query_as(&sql).bind(company_id).fetch_all(ex).await?)
}

pub async fn set_staff_role<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    role: Role,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE staff_users SET role = $3 WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .bind(role.code())
        .execute(ex)
        .await?;
    Ok(())
}

/// Change a staff member's sign-in e-mail; `Conflict` when another staff
/// member of the company already uses it.
pub async fn set_staff_email<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    email: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE staff_users SET email = $3 WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .bind(email.trim().to_lowercase())
        .execute(ex)
        .await?;
    Ok(())
}

/// Active administrators of a company other than `except_id`.
pub async fn other_active_admins<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    except_id: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM staff_users WHERE company_id = $1 AND id <> $2 AND role = 'admin' AND active = 1",
    )
    .bind(company_id)
    .bind(except_id)
    .fetch_one(ex)
    .await?)
}

/// The e-mail addresses of a company's active administrators.
pub async fn active_admins<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT email FROM staff_users WHERE company_id = $1 AND role = 'admin' AND active = 1 ORDER BY id",
    )
    .bind(company_id)
    .fetch_all(ex)
    .await?)
}
