//! The audit log: who (and for an Agent, on whose behalf), what, when, from where.

use portico_domain::codes::{Action, ActorKind};
use sqlx::{Any, Executor, FromRow};

use crate::StoreError;

#[derive(Debug, Clone, Default)]
pub struct Entry<'a> {
    pub company_id: i64,
    pub actor_kind: ActorKind,
    pub staff_user_id: Option<i64>,
    pub portal_user_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub action: Action,
    pub detail: &'a str,
    pub ip: &'a str,
}

pub async fn record<'c>(ex: impl Executor<'c, Database = Any>, e: &Entry<'_>, now: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (company_id, at, actor_kind, staff_user_id, portal_user_id, contact_id, action, \
         detail, ip) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(e.company_id)
    .bind(now)
    .bind(e.actor_kind.code())
    .bind(e.staff_user_id)
    .bind(e.portal_user_id)
    .bind(e.contact_id)
    .bind(e.action.code())
    .bind(e.detail)
    .bind(e.ip)
    .execute(ex)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct Row {
    pub id: i64,
    pub at: i64,
    #[sqlx(try_from = "String")]
    pub actor_kind: ActorKind,
    pub staff_user_id: Option<i64>,
    pub staff_name: Option<String>,
    pub portal_user_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub contact_name: Option<String>,
    #[sqlx(try_from = "String")]
    pub action: Action,
    pub detail: String,
    pub ip: String,
}

/// Newest first; optionally only one contact's entries, optionally only
/// entries before an id (keyset paging).
pub async fn list<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: Option<i64>,
    before_id: Option<i64>,
    limit: i64,
) -> Result<Vec<Row>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.at, a.actor_kind, a.staff_user_id, s.name AS staff_name, a.portal_user_id, a.contact_id, \
         c.first_name || ' ' || c.last_name AS contact_name, a.action, a.detail, a.ip \
         FROM audit_log a LEFT JOIN staff_users s ON s.id = a.staff_user_id \
         LEFT JOIN contacts c ON c.id = a.contact_id \
         WHERE a.company_id = $1 AND ($2 IS NULL OR a.contact_id = $2) AND ($3 IS NULL OR a.id < $3) \
         ORDER BY a.id DESC LIMIT $4",
    )
    .bind(company_id)
    .bind(contact_id)
    .bind(before_id)
    .bind(limit)
    .fetch_all(ex)
    .await?)
}
