//! Tasks a company assigns to a customer (seeds 000, 001, 002).

use sqlx::{Any, Executor, FromRow};

use portico_domain::codes::{CompletedBy, Completion};

use crate::{OptCode, StoreError};

#[derive(Debug, Clone, FromRow)]
pub struct Task {
    pub id: i64,
    pub company_id: i64,
    pub contact_id: i64,
    pub title: String,
    pub instructions: String,
    pub due_on: Option<String>,
    #[sqlx(try_from = "String")]
    pub completion: Completion,
    pub document_type_id: Option<i64>,
    pub assigned_by: Option<i64>,
    pub completed_at: Option<i64>,
    #[sqlx(try_from = "OptCode")]
    pub completed_by: Option<CompletedBy>,
    pub completed_staff_id: Option<i64>,
    pub document_id: Option<i64>,
    pub created_at: i64,
}

impl Task {
    pub fn done(&self) -> bool {
        self.completed_at.is_some()
    }
}

const COLS: &str = "id, company_id, contact_id, title, instructions, due_on, completion, document_type_id, \
    assigned_by, completed_at, completed_by, completed_staff_id, document_id, created_at";

pub struct NewTask<'a> {
    pub contact_id: i64,
    pub title: &'a str,
    pub instructions: &'a str,
    pub due_on: Option<&'a str>,
    pub completion: Completion,
    pub document_type_id: Option<i64>,
    pub assigned_by: Option<i64>,
}

pub async fn insert<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    t: &NewTask<'_>,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO tasks (company_id, contact_id, title, instructions, due_on, completion, document_type_id, \
         assigned_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(company_id)
    .bind(t.contact_id)
    .bind(t.title)
    .bind(t.instructions)
    .bind(t.due_on)
    .bind(t.completion.code())
    .bind(t.document_type_id)
    .bind(t.assigned_by)
    .bind(now)
    .fetch_one(ex)
    .await?)
}

/// Tasks of a customer: open ones first (by due date), then completed ones
/// (latest first).
pub async fn for_contact<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<Vec<Task>, StoreError> {
    let sql = format!(
        "SELECT {COLS} FROM tasks WHERE company_id = $1 AND contact_id = $2 \
         ORDER BY CASE WHEN completed_at IS NULL THEN 0 ELSE 1 END, \
         CASE WHEN completed_at IS NULL THEN COALESCE(due_on, '9999-12-31') ELSE '' END, \
         completed_at DESC, id DESC"
    );
    Ok(sqlx::query_as(&sql).bind(company_id).bind(contact_id).fetch_all(ex).await?)
}

/// A "Customer Portal" note as the dashboard shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardNote {
    pub id: i64,
    pub body: String,
    pub created_at: i64,
}

/// What the dashboard shows below its figures, read in one statement.
#[derive(Debug, Clone, Default)]
pub struct DashboardRows {
    /// Open tasks by due date, each with its document type's name for
    /// upload tasks (empty unless `tasks_on`).
    pub tasks: Vec<(Task, Option<String>)>,
    /// `messages::CONTACT_ACTIVITY`: the live fingerprint's parts.
    pub activity: (i64, i64, i64, i64),
    /// The latest `notes_limit` "Customer Portal" notes, newest first.
    pub notes: Vec<DashboardNote>,
}

/// The contact's open tasks (when `tasks_on`), their activity fingerprint
/// (`messages::CONTACT_ACTIVITY`) and the latest "Customer Portal" notes in
/// one statement: the dashboard's hot path (docs/decisions.md §21). The
/// one-row fingerprint is joined to a `UNION ALL` of task rows (`src` 1)
/// and note rows (`src` 2, the body in `instructions`), so a customer with
/// neither still gets the fingerprint.
pub async fn dashboard<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    tasks_on: bool,
    notes_limit: i64,
) -> Result<DashboardRows, StoreError> {
    use sqlx::Row;
    let cols = COLS.split(',').map(|c| format!("t.{}", c.trim())).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT f.*, x.* FROM ({activity}) f LEFT JOIN ( \
           SELECT 1 AS src, {cols}, dt.name AS type_name FROM tasks t \
             LEFT JOIN document_types dt ON dt.id = t.document_type_id AND dt.company_id = t.company_id \
             WHERE $3 = 1 AND t.company_id = $1 AND t.contact_id = $2 AND t.completed_at IS NULL \
           UNION ALL \
           SELECT 2, n.id, n.company_id, n.contact_id, '', n.body, NULL, '', NULL, NULL, NULL, NULL, NULL, NULL, \
             n.created_at, NULL FROM (SELECT id, company_id, contact_id, body, created_at FROM notes \
             WHERE company_id = $1 AND contact_id = $2 AND note_type = '{portal}' \
             ORDER BY created_at DESC, id DESC LIMIT $4) n \
         ) x ON 1 = 1",
        activity = crate::messages::CONTACT_ACTIVITY,
        portal = crate::notes::PORTAL_TYPE,
    );
    let rows = sqlx::query(&sql)
        .bind(company_id)
        .bind(contact_id)
        .bind(crate::flag(tasks_on))
        .bind(notes_limit)
        .fetch_all(ex)
        .await?;
    let mut out = DashboardRows::default();
    for r in &rows {
        out.activity = (
            r.try_get("act_messages")?,
            r.try_get("act_unread")?,
            r.try_get("act_tasks")?,
            r.try_get("act_task_change")?,
        );
        match r.try_get::<Option<i64>, _>("src")? {
            Some(1) => out.tasks.push((Task::from_row(r)?, r.try_get("type_name")?)),
            Some(_) => out.notes.push(DashboardNote {
                id: r.try_get("id")?,
                body: r.try_get("instructions")?,
                created_at: r.try_get("created_at")?,
            }),
            None => {}
        }
    }
    // Tasks by due date (undated last), notes newest first.
    out.tasks.sort_by(|(a, _), (b, _)| {
        (a.due_on.as_deref().unwrap_or("9999-12-31"), a.id).cmp(&(b.due_on.as_deref().unwrap_or("9999-12-31"), b.id))
    });
    out.notes.sort_by_key(|n| std::cmp::Reverse((n.created_at, n.id)));
    Ok(out)
}

pub async fn count_open<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM tasks WHERE company_id = $1 AND contact_id = $2 AND completed_at IS NULL",
    )
    .bind(company_id)
    .bind(contact_id)
    .fetch_one(ex)
    .await?)
}

/// A task of this company (staff view), or `None`.
pub async fn get<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<Option<Task>, StoreError> {
    let sql = format!("SELECT {COLS} FROM tasks WHERE company_id = $1 AND id = $2");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(id).fetch_optional(ex).await?)
}

/// A task of this customer, or `None` (also for another customer's id).
pub async fn get_for_contact<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    id: i64,
) -> Result<Option<Task>, StoreError> {
    let sql = format!("SELECT {COLS} FROM tasks WHERE company_id = $1 AND contact_id = $2 AND id = $3");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(contact_id).bind(id).fetch_optional(ex).await?)
}

/// Mark an open task complete; `false` when it was already complete (or
/// absent), so two submits complete it once.
#[allow(clippy::too_many_arguments)]
pub async fn complete<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    by: CompletedBy,
    staff_id: Option<i64>,
    document_id: Option<i64>,
    now: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE tasks SET completed_at = $3, completed_by = $4, completed_staff_id = $5, document_id = $6, \
         updated_at = $3 WHERE company_id = $1 AND id = $2 AND completed_at IS NULL",
    )
    .bind(company_id)
    .bind(id)
    .bind(now)
    .bind(by.code())
    .bind(staff_id)
    .bind(document_id)
    .execute(ex)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn reopen<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    now: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE tasks SET completed_at = NULL, completed_by = NULL, completed_staff_id = NULL, document_id = NULL, \
         updated_at = $3 WHERE company_id = $1 AND id = $2 AND completed_at IS NOT NULL",
    )
    .bind(company_id)
    .bind(id)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn delete<'c>(ex: impl Executor<'c, Database = Any>, company_id: i64, id: i64) -> Result<bool, StoreError> {
    let r = sqlx::query("DELETE FROM tasks WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Open upload tasks of a customer waiting for a document of this type.
pub async fn open_upload_tasks<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    document_type_id: i64,
) -> Result<Vec<Task>, StoreError> {
    let sql = format!(
        "SELECT {COLS} FROM tasks WHERE company_id = $1 AND contact_id = $2 AND completion = 'upload' \
         AND document_type_id = $3 AND completed_at IS NULL ORDER BY id"
    );
    Ok(sqlx::query_as(&sql).bind(company_id).bind(contact_id).bind(document_type_id).fetch_all(ex).await?)
}

/// Open tasks across the company, for the console's task list.
#[derive(Debug, Clone, FromRow)]
pub struct TaskRow {
    pub id: i64,
    pub contact_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub customer_number: String,
    pub title: String,
    pub due_on: Option<String>,
    #[sqlx(try_from = "String")]
    pub completion: Completion,
    pub completed_at: Option<i64>,
    pub created_at: i64,
}

/// `open`: only open (`Some(true)`), only completed (`Some(false)`) or all.
pub async fn list_for_company<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    open: Option<bool>,
    limit: i64,
) -> Result<Vec<TaskRow>, StoreError> {
    let filter = match open {
        Some(true) => "AND t.completed_at IS NULL",
        Some(false) => "AND t.completed_at IS NOT NULL",
        None => "",
    };
    let sql = format!(
        "SELECT t.id, t.contact_id, c.first_name, c.last_name, c.customer_number, t.title, t.due_on, t.completion, \
         t.completed_at, t.created_at FROM tasks t JOIN contacts c ON c.id = t.contact_id AND c.company_id = t.company_id \
         WHERE t.company_id = $1 {filter} \
         ORDER BY CASE WHEN t.completed_at IS NULL THEN 0 ELSE 1 END, COALESCE(t.due_on, '9999-12-31'), t.id DESC \
         LIMIT $2"
    );
    Ok(sqlx::query_as(&sql).bind(company_id).bind(limit).fetch_all(ex).await?)
}
