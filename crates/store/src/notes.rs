//! Servicer notes on a contact (seed 001). Only notes of the type
//! "Customer Portal" are ever read for the portal.

use sqlx::{Any, Executor, FromRow};

use crate::StoreError;

/// The note type shown to customers in the portal.
pub const PORTAL_TYPE: &str = "Customer Portal";

#[derive(Debug, Clone, FromRow)]
pub struct Note {
    pub id: i64,
    pub company_id: i64,
    pub contact_id: i64,
    pub note_type: String,
    pub body: String,
    pub staff_user_id: Option<i64>,
    pub staff_name: Option<String>,
    pub created_at: i64,
}

const SELECT: &str = "SELECT n.id, n.company_id, n.contact_id, n.note_type, n.body, n.staff_user_id, \
    s.name AS staff_name, n.created_at FROM notes n \
    LEFT JOIN staff_users s ON s.id = n.staff_user_id AND s.company_id = n.company_id";

pub async fn insert<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    note_type: &str,
    body: &str,
    staff_user_id: Option<i64>,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO notes (company_id, contact_id, note_type, body, staff_user_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(company_id)
    .bind(contact_id)
    .bind(note_type)
    .bind(body)
    .bind(staff_user_id)
    .bind(now)
    .fetch_one(ex)
    .await?)
}

/// Every note of a contact, newest first (staff).
pub async fn for_contact<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<Vec<Note>, StoreError> {
    let sql = format!("{SELECT} WHERE n.company_id = $1 AND n.contact_id = $2 ORDER BY n.created_at DESC, n.id DESC");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(contact_id).fetch_all(ex).await?)
}

pub async fn get<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<Option<Note>, StoreError> {
    let sql = format!("{SELECT} WHERE n.company_id = $1 AND n.id = $2");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(id).fetch_optional(ex).await?)
}

pub async fn delete<'c>(ex: impl Executor<'c, Database = Any>, company_id: i64, id: i64) -> Result<bool, StoreError> {
    let r = sqlx::query("DELETE FROM notes WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(r.rows_affected() == 1)
}
