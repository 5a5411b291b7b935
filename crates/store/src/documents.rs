//! Documents (seeds 000–004): per-company document types and settings, the
//! documents' metadata (the bytes live in object storage under
//! server-made keys), and each contact's statement delivery preference.
//!
//! Every query takes the company id; customer views also take the contact.

use sqlx::{Any, Executor, FromRow};

use crate::{Flag, StoreError, flag};

/// Default largest upload: 10 MB.
pub const DEFAULT_MAX_UPLOAD_BYTES: i64 = 10 * 1024 * 1024;

#[derive(Debug, Clone, FromRow)]
pub struct DocumentSettings {
    pub company_id: i64,
    pub max_upload_bytes: i64,
    #[sqlx(try_from = "Flag")]
    pub esigned_only: bool,
    #[sqlx(try_from = "Flag")]
    pub ask_statement_delivery: bool,
    pub updated_at: i64,
}

impl DocumentSettings {
    pub fn defaults(company_id: i64) -> DocumentSettings {
        DocumentSettings {
            company_id,
            max_upload_bytes: DEFAULT_MAX_UPLOAD_BYTES,
            esigned_only: false,
            ask_statement_delivery: false,
            updated_at: 0,
        }
    }
}

pub async fn settings<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
) -> Result<DocumentSettings, StoreError> {
    let row: Option<DocumentSettings> = sqlx::query_as(
        "SELECT company_id, max_upload_bytes, esigned_only, ask_statement_delivery, updated_at \
         FROM document_settings WHERE company_id = $1",
    )
    .bind(company_id)
    .fetch_optional(ex)
    .await?;
    Ok(row.unwrap_or_else(|| DocumentSettings::defaults(company_id)))
}

pub async fn save_settings<'c>(ex: impl Executor<'c, Database = Any>, s: &DocumentSettings) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO document_settings (company_id, max_upload_bytes, esigned_only, ask_statement_delivery, updated_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (company_id) DO UPDATE SET \
         max_upload_bytes = excluded.max_upload_bytes, esigned_only = excluded.esigned_only, \
         ask_statement_delivery = excluded.ask_statement_delivery, updated_at = excluded.updated_at",
    )
    .bind(s.company_id)
    .bind(s.max_upload_bytes)
    .bind(flag(s.esigned_only))
    .bind(flag(s.ask_statement_delivery))
    .bind(s.updated_at)
    .execute(ex)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct DocumentType {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    pub position: i64,
    /// Customers see documents of this type in the portal.
    #[sqlx(try_from = "Flag")]
    pub visible: bool,
    /// Customers may upload into this type.
    #[sqlx(try_from = "Flag")]
    pub customer_upload: bool,
    /// Customers may download (and preview) documents of this type.
    #[sqlx(try_from = "Flag")]
    pub customer_download: bool,
    /// Customers must have one of these before entering the portal.
    #[sqlx(try_from = "Flag")]
    pub required_at_onboarding: bool,
    /// Agents (staff in the portal as the customer) may download.
    #[sqlx(try_from = "Flag")]
    pub agent_download: bool,
    pub created_at: i64,
}

const TYPE_COLS: &str = "id, company_id, name, position, visible, customer_upload, customer_download, \
    required_at_onboarding, agent_download, created_at";

/// The company's document types, in display order.
pub async fn types<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
) -> Result<Vec<DocumentType>, StoreError> {
    let sql = format!("SELECT {TYPE_COLS} FROM document_types WHERE company_id = $1 ORDER BY position, name, id");
    Ok(sqlx::query_as(&sql).bind(company_id).fetch_all(ex).await?)
}

pub async fn doc_type<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<Option<DocumentType>, StoreError> {
    let sql = format!("SELECT {TYPE_COLS} FROM document_types WHERE company_id = $1 AND id = $2");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(id).fetch_optional(ex).await?)
}

/// A type as typed by staff.
#[derive(Debug, Clone, Default)]
pub struct TypeFields {
    pub name: String,
    pub visible: bool,
    pub customer_upload: bool,
    pub customer_download: bool,
    pub required_at_onboarding: bool,
    pub agent_download: bool,
}

fn name_conflict(e: sqlx::Error) -> StoreError {
    match StoreError::from(e) {
        StoreError::Conflict(_) => StoreError::Conflict("a document type with this name exists".into()),
        other => other,
    }
}

pub async fn insert_type<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    t: &TypeFields,
    now: i64,
) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO document_types (company_id, name, position, visible, customer_upload, customer_download, \
         required_at_onboarding, agent_download, created_at) \
         VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM document_types WHERE company_id = $1), \
         $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(company_id)
    .bind(&t.name)
    .bind(flag(t.visible))
    .bind(flag(t.customer_upload))
    .bind(flag(t.customer_download))
    .bind(flag(t.required_at_onboarding))
    .bind(flag(t.agent_download))
    .bind(now)
    .fetch_one(ex)
    .await
    .map_err(name_conflict)
}

/// Update a type of this company; `false` when there is none.
pub async fn update_type<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    t: &TypeFields,
) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE document_types SET name = $3, visible = $4, customer_upload = $5, customer_download = $6, \
         required_at_onboarding = $7, agent_download = $8 WHERE company_id = $1 AND id = $2",
    )
    .bind(company_id)
    .bind(id)
    .bind(&t.name)
    .bind(flag(t.visible))
    .bind(flag(t.customer_upload))
    .bind(flag(t.customer_download))
    .bind(flag(t.required_at_onboarding))
    .bind(flag(t.agent_download))
    .execute(ex)
    .await
    .map_err(name_conflict)?;
    Ok(r.rows_affected() > 0)
}

/// Delete a type that holds no documents; `false` when there is none.
pub async fn delete_type<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "DELETE FROM document_types WHERE company_id = $1 AND id = $2 \
         AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.type_id = document_types.id)",
    )
    .bind(company_id)
    .bind(id)
    .execute(ex)
    .await?;
    Ok(r.rows_affected() > 0)
}

/// How many documents each type of the company holds: (type id, count),
/// types without documents left out.
pub async fn counts_by_type<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
) -> Result<Vec<(i64, i64)>, StoreError> {
    Ok(sqlx::query_as("SELECT type_id, CAST(COUNT(*) AS BIGINT) FROM documents WHERE company_id = $1 GROUP BY type_id")
        .bind(company_id)
        .fetch_all(ex)
        .await?)
}

pub async fn count_in_type<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    type_id: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM documents WHERE company_id = $1 AND type_id = $2")
        .bind(company_id)
        .bind(type_id)
        .fetch_one(ex)
        .await?)
}

/// A document with its type's name and rules and its account's number.
#[derive(Debug, Clone, FromRow)]
pub struct Document {
    pub id: i64,
    pub company_id: i64,
    pub contact_id: i64,
    pub type_id: i64,
    pub account_id: Option<i64>,
    pub name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub object_key: String,
    #[sqlx(try_from = "Flag")]
    pub esigned: bool,
    #[sqlx(try_from = "Flag")]
    pub excluded: bool,
    pub uploaded_by: String,
    pub portal_user_id: Option<i64>,
    pub staff_user_id: Option<i64>,
    pub created_at: i64,
    pub type_name: String,
    #[sqlx(try_from = "Flag")]
    pub type_visible: bool,
    #[sqlx(try_from = "Flag")]
    pub type_customer_download: bool,
    #[sqlx(try_from = "Flag")]
    pub type_agent_download: bool,
    pub account_number: Option<String>,
    #[sqlx(try_from = "Flag")]
    pub account_hidden: bool,
    pub staff_name: Option<String>,
}

const DOC_SELECT: &str = "SELECT d.id, d.company_id, d.contact_id, d.type_id, d.account_id, d.name, \
    d.content_type, d.size_bytes, d.sha256, d.object_key, d.esigned, d.excluded, d.uploaded_by, \
    d.portal_user_id, d.staff_user_id, d.created_at, t.name AS type_name, t.visible AS type_visible, \
    t.customer_download AS type_customer_download, t.agent_download AS type_agent_download, \
    a.number AS account_number, COALESCE(a.hidden, 0) AS account_hidden, s.name AS staff_name \
    FROM documents d JOIN document_types t ON t.id = d.type_id AND t.company_id = d.company_id \
    LEFT JOIN accounts a ON a.id = d.account_id AND a.company_id = d.company_id \
    LEFT JOIN staff_users s ON s.id = d.staff_user_id AND s.company_id = d.company_id";

/// What a customer sees: documents of visible types, not excluded by staff,
/// not on an account hidden from the portal, and (when the company shows
/// only e-signed documents) e-signed ones or the customer's own uploads.
const PORTAL_FILTER: &str = "t.visible = 1 AND d.excluded = 0 AND COALESCE(a.hidden, 0) = 0 \
    AND ($3 = 0 OR d.esigned = 1 OR d.uploaded_by = 'customer')";

/// Filters of the portal's document library; all optional.
#[derive(Debug, Clone, Default)]
pub struct PortalFilter {
    pub type_id: Option<i64>,
    pub account_id: Option<i64>,
    /// Case-insensitive part of the file name.
    pub name: Option<String>,
}

/// `%`, `_` and `\` in a search term match themselves.
fn like_pattern(s: &str) -> String {
    let mut p = String::from("%");
    for ch in s.to_lowercase().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(ch);
    }
    p.push('%');
    p
}

/// The customer's documents the portal shows, newest first (at most `limit`).
pub async fn for_portal<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    esigned_only: bool,
    f: &PortalFilter,
    limit: i64,
) -> Result<Vec<Document>, StoreError> {
    let sql = format!(
        "{DOC_SELECT} WHERE d.company_id = $1 AND d.contact_id = $2 AND {PORTAL_FILTER} \
         AND ($4 = 0 OR d.type_id = $5) AND ($6 = 0 OR d.account_id = $7) \
         AND ($8 = '' OR LOWER(d.name) LIKE $8 ESCAPE '\\') \
         ORDER BY d.created_at DESC, d.id DESC LIMIT $9"
    );
    Ok(sqlx::query_as(&sql)
        .bind(company_id)
        .bind(contact_id)
        .bind(flag(esigned_only))
        .bind(flag(f.type_id.is_some()))
        .bind(f.type_id.unwrap_or(0))
        .bind(flag(f.account_id.is_some()))
        .bind(f.account_id.unwrap_or(0))
        .bind(f.name.as_deref().filter(|n| !n.is_empty()).map(like_pattern).unwrap_or_default())
        .bind(limit)
        .fetch_all(ex)
        .await?)
}

/// One document the portal shows this customer, or `None` (also for
/// another customer's or company's id, an excluded document or a hidden type).
pub async fn portal_one<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    esigned_only: bool,
    id: i64,
) -> Result<Option<Document>, StoreError> {
    let sql = format!("{DOC_SELECT} WHERE d.company_id = $1 AND d.contact_id = $2 AND {PORTAL_FILTER} AND d.id = $4");
    Ok(sqlx::query_as(&sql)
        .bind(company_id)
        .bind(contact_id)
        .bind(flag(esigned_only))
        .bind(id)
        .fetch_optional(ex)
        .await?)
}

/// Every document of a contact, for staff (including excluded ones).
pub async fn for_contact<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<Vec<Document>, StoreError> {
    let sql =
        format!("{DOC_SELECT} WHERE d.company_id = $1 AND d.contact_id = $2 ORDER BY d.created_at DESC, d.id DESC");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(contact_id).fetch_all(ex).await?)
}

/// One document of this company, for staff.
pub async fn company_one<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<Option<Document>, StoreError> {
    let sql = format!("{DOC_SELECT} WHERE d.company_id = $1 AND d.id = $2");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(id).fetch_optional(ex).await?)
}

#[derive(Debug, Clone)]
pub struct NewDocument<'a> {
    pub contact_id: i64,
    pub type_id: i64,
    pub account_id: Option<i64>,
    pub name: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub sha256: &'a str,
    pub object_key: &'a str,
    pub esigned: bool,
    pub uploaded_by: &'a str,
    pub portal_user_id: Option<i64>,
    pub staff_user_id: Option<i64>,
}

pub async fn insert<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    d: &NewDocument<'_>,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO documents (company_id, contact_id, type_id, account_id, name, content_type, size_bytes, \
         sha256, object_key, esigned, excluded, uploaded_by, portal_user_id, staff_user_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $12, $13, $14) RETURNING id",
    )
    .bind(company_id)
    .bind(d.contact_id)
    .bind(d.type_id)
    .bind(d.account_id)
    .bind(d.name)
    .bind(d.content_type)
    .bind(d.size_bytes)
    .bind(d.sha256)
    .bind(d.object_key)
    .bind(flag(d.esigned))
    .bind(d.uploaded_by)
    .bind(d.portal_user_id)
    .bind(d.staff_user_id)
    .bind(now)
    .fetch_one(ex)
    .await?)
}

/// Exclude a document from the portal or show it again; `false` when the
/// company has no such document.
pub async fn set_excluded<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    excluded: bool,
) -> Result<bool, StoreError> {
    let r = sqlx::query("UPDATE documents SET excluded = $3 WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .bind(flag(excluded))
        .execute(ex)
        .await?;
    Ok(r.rows_affected() > 0)
}

/// A document type customers must upload at onboarding (visible, open to
/// uploads, required), as a predicate on the alias `dt`.
pub(crate) const REQUIRED_AT_ONBOARDING: &str =
    "dt.required_at_onboarding = 1 AND dt.visible = 1 AND dt.customer_upload = 1";

/// 1 when company `company` asks for a statement delivery choice that
/// contact `contact` hasn't made, else 0 (SQL expressions for both, e.g.
/// `$1` and `c.id`).
pub(crate) fn statement_gap_sql(company: &str, contact: &str) -> String {
    format!(
        "(SELECT CAST(COUNT(*) AS BIGINT) FROM document_settings ds WHERE ds.company_id = {company} \
           AND ds.ask_statement_delivery = 1 AND NOT EXISTS (SELECT 1 FROM statement_preferences sp \
           WHERE sp.contact_id = {contact} AND sp.company_id = {company}))"
    )
}

/// The number of required document types contact `contact` has no
/// document of yet.
pub(crate) fn documents_gap_sql(company: &str, contact: &str) -> String {
    format!(
        "(SELECT CAST(COUNT(*) AS BIGINT) FROM document_types dt WHERE dt.company_id = {company} \
           AND {REQUIRED_AT_ONBOARDING} AND NOT EXISTS (SELECT 1 FROM documents d \
           WHERE d.company_id = {company} AND d.contact_id = {contact} AND d.type_id = dt.id))"
    )
}

/// What stands between an onboarded customer and the portal: whether a
/// statement delivery choice is still wanted, and the required document
/// types (visible, open to uploads) the customer has no document of yet.
/// One query (the session statement reads the same with the session).
pub async fn onboarding_gaps<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    documents_on: bool,
) -> Result<(bool, i64), StoreError> {
    let documents = if documents_on { documents_gap_sql("$1", "$2") } else { "CAST(0 AS BIGINT)".into() };
    let sql = format!("SELECT {}, {documents}", statement_gap_sql("$1", "$2"));
    let (pref, docs): (i64, i64) = sqlx::query_as(&sql).bind(company_id).bind(contact_id).fetch_one(ex).await?;
    Ok((pref > 0, docs))
}

/// Required document types the customer still has to upload.
pub async fn missing_required<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<Vec<DocumentType>, StoreError> {
    let sql = format!(
        "SELECT {TYPE_COLS} FROM document_types dt WHERE dt.company_id = $1 AND {REQUIRED_AT_ONBOARDING} \
         AND NOT EXISTS (SELECT 1 FROM documents d \
         WHERE d.company_id = $1 AND d.contact_id = $2 AND d.type_id = dt.id) ORDER BY dt.position, dt.name, dt.id"
    );
    Ok(sqlx::query_as(&sql).bind(company_id).bind(contact_id).fetch_all(ex).await?)
}

/// `paper` or `paperless`, when the contact has chosen.
pub async fn statement_delivery<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT delivery FROM statement_preferences WHERE company_id = $1 AND contact_id = $2")
        .bind(company_id)
        .bind(contact_id)
        .fetch_optional(ex)
        .await?)
}

pub async fn set_statement_delivery<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    delivery: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO statement_preferences (contact_id, company_id, delivery, chosen_at) VALUES ($2, $1, $3, $4) \
         ON CONFLICT (contact_id) DO UPDATE SET delivery = excluded.delivery, chosen_at = excluded.chosen_at \
         WHERE statement_preferences.company_id = excluded.company_id",
    )
    .bind(company_id)
    .bind(contact_id)
    .bind(delivery)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}
