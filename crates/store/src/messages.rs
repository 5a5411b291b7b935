//! Conversations between a customer and the company, their messages and
//! attachments; staff permission groups (some hidden from customers) and
//! the team of staff a company connects to a customer (seed 002).

use portico_domain::codes::{Author, ConversationKind};
use sqlx::{Any, Executor, FromRow};

use crate::{Flag, StoreError, flag};

// ---------------------------------------------------------------- groups

#[derive(Debug, Clone, FromRow)]
pub struct Group {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    #[sqlx(try_from = "Flag")]
    pub hidden_from_customers: bool,
    pub members: i64,
}

pub async fn groups<'c>(ex: impl Executor<'c, Database = Any>, company_id: i64) -> Result<Vec<Group>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT g.id, g.company_id, g.name, g.hidden_from_customers, \
         CAST((SELECT COUNT(*) FROM staff_group_members m WHERE m.group_id = g.id) AS BIGINT) AS members \
         FROM staff_groups g WHERE g.company_id = $1 ORDER BY g.name",
    )
    .bind(company_id)
    .fetch_all(ex)
    .await?)
}

pub async fn group<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<Option<Group>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT g.id, g.company_id, g.name, g.hidden_from_customers, \
         CAST((SELECT COUNT(*) FROM staff_group_members m WHERE m.group_id = g.id) AS BIGINT) AS members \
         FROM staff_groups g WHERE g.company_id = $1 AND g.id = $2",
    )
    .bind(company_id)
    .bind(id)
    .fetch_optional(ex)
    .await?)
}

pub async fn group_name_taken<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    name: &str,
) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM staff_groups WHERE company_id = $1 AND LOWER(name) = LOWER($2)",
    )
    .bind(company_id)
    .bind(name)
    .fetch_one(ex)
    .await?;
    Ok(n > 0)
}

pub async fn insert_group<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    name: &str,
    hidden: bool,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO staff_groups (company_id, name, hidden_from_customers, created_at) VALUES ($1, $2, $3, $4) \
         RETURNING id",
    )
    .bind(company_id)
    .bind(name)
    .bind(flag(hidden))
    .bind(now)
    .fetch_one(ex)
    .await?)
}

pub async fn set_group_hidden<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    hidden: bool,
) -> Result<bool, StoreError> {
    let r = sqlx::query("UPDATE staff_groups SET hidden_from_customers = $3 WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .bind(flag(hidden))
        .execute(ex)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn delete_group(tx: &mut crate::Tx, company_id: i64, id: i64) -> Result<bool, StoreError> {
    sqlx::query("DELETE FROM staff_group_members WHERE company_id = $1 AND group_id = $2")
        .bind(company_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let r = sqlx::query("DELETE FROM staff_groups WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// (group id, staff user id) pairs of the company.
pub async fn memberships<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
) -> Result<Vec<(i64, i64)>, StoreError> {
    Ok(sqlx::query_as("SELECT group_id, staff_user_id FROM staff_group_members WHERE company_id = $1")
        .bind(company_id)
        .fetch_all(ex)
        .await?)
}

pub async fn add_member<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    group_id: i64,
    staff_user_id: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO staff_group_members (company_id, group_id, staff_user_id) VALUES ($1, $2, $3) \
         ON CONFLICT (group_id, staff_user_id) DO NOTHING",
    )
    .bind(company_id)
    .bind(group_id)
    .bind(staff_user_id)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn remove_member<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    group_id: i64,
    staff_user_id: i64,
) -> Result<bool, StoreError> {
    let r =
        sqlx::query("DELETE FROM staff_group_members WHERE company_id = $1 AND group_id = $2 AND staff_user_id = $3")
            .bind(company_id)
            .bind(group_id)
            .bind(staff_user_id)
            .execute(ex)
            .await?;
    Ok(r.rows_affected() == 1)
}

/// SQL condition: staff user `col` is in no group hidden from customers.
const VISIBLE: &str = "NOT EXISTS (SELECT 1 FROM staff_group_members gm JOIN staff_groups g ON g.id = gm.group_id \
    WHERE gm.staff_user_id = {col} AND g.hidden_from_customers = 1)";

fn visible(col: &str) -> String {
    VISIBLE.replace("{col}", col)
}

pub async fn hidden_from_customers<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    staff_user_id: i64,
) -> Result<bool, StoreError> {
    let sql = format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM staff_users s WHERE s.company_id = $1 AND s.id = $2 AND {}",
        visible("s.id")
    );
    let n: i64 = sqlx::query_scalar(&sql).bind(company_id).bind(staff_user_id).fetch_one(ex).await?;
    Ok(n == 0)
}

// ---------------------------------------------------------------- team

#[derive(Debug, Clone, FromRow)]
pub struct Member {
    pub staff_user_id: i64,
    pub name: String,
    pub email: String,
    #[sqlx(try_from = "Flag")]
    pub active: bool,
    #[sqlx(try_from = "Flag")]
    pub hidden: bool,
}

/// The contact's team as staff see it (hidden members flagged).
pub async fn team<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<Vec<Member>, StoreError> {
    let sql = format!(
        "SELECT s.id AS staff_user_id, s.name, s.email, s.active, \
         CASE WHEN {} THEN 0 ELSE 1 END AS hidden \
         FROM contact_team t JOIN staff_users s ON s.id = t.staff_user_id AND s.company_id = t.company_id \
         WHERE t.company_id = $1 AND t.contact_id = $2 ORDER BY s.name",
        visible("s.id")
    );
    Ok(sqlx::query_as(&sql).bind(company_id).bind(contact_id).fetch_all(ex).await?)
}

/// The team members a customer may see and write to: active and in no
/// hidden group.
pub async fn visible_team<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<Vec<Member>, StoreError> {
    let sql = format!(
        "SELECT s.id AS staff_user_id, s.name, s.email, s.active, 0 AS hidden \
         FROM contact_team t JOIN staff_users s ON s.id = t.staff_user_id AND s.company_id = t.company_id \
         WHERE t.company_id = $1 AND t.contact_id = $2 AND s.active = 1 AND {} ORDER BY s.name",
        visible("s.id")
    );
    Ok(sqlx::query_as(&sql).bind(company_id).bind(contact_id).fetch_all(ex).await?)
}

pub async fn add_to_team<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    staff_user_id: i64,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO contact_team (company_id, contact_id, staff_user_id, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (contact_id, staff_user_id) DO NOTHING",
    )
    .bind(company_id)
    .bind(contact_id)
    .bind(staff_user_id)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn remove_from_team<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    staff_user_id: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query("DELETE FROM contact_team WHERE company_id = $1 AND contact_id = $2 AND staff_user_id = $3")
        .bind(company_id)
        .bind(contact_id)
        .bind(staff_user_id)
        .execute(ex)
        .await?;
    Ok(r.rows_affected() == 1)
}

// ---------------------------------------------------------------- settings

pub async fn requests_as_conversations<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
) -> Result<bool, StoreError> {
    let v: Option<i64> =
        sqlx::query_scalar("SELECT requests_as_conversations FROM portal_settings WHERE company_id = $1")
            .bind(company_id)
            .fetch_optional(ex)
            .await?;
    Ok(v.unwrap_or(0) != 0)
}

pub async fn set_requests_as_conversations<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    on: bool,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE portal_settings SET requests_as_conversations = $2 WHERE company_id = $1")
        .bind(company_id)
        .bind(flag(on))
        .execute(ex)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------- conversations

#[derive(Debug, Clone, FromRow)]
pub struct Conversation {
    pub id: i64,
    pub company_id: i64,
    pub contact_id: i64,
    pub subject: String,
    #[sqlx(try_from = "String")]
    pub kind: ConversationKind,
    pub staff_user_id: Option<i64>,
    pub staff_name: Option<String>,
    /// The assigned staff member is in a group hidden from customers.
    #[sqlx(try_from = "Flag")]
    pub staff_hidden: bool,
    pub closed_at: Option<i64>,
    pub last_message_at: i64,
    pub created_at: i64,
    pub first_name: String,
    pub last_name: String,
    pub customer_number: String,
    /// Messages the viewer's side hasn't read (customer: staff messages;
    /// staff: customer messages).
    pub unread: i64,
    pub messages: i64,
}

fn conv_select(unread_author: Author) -> String {
    format!(
        "SELECT v.id, v.company_id, v.contact_id, v.subject, v.kind, v.staff_user_id, s.name AS staff_name, \
         CASE WHEN v.staff_user_id IS NULL OR {vis} THEN 0 ELSE 1 END AS staff_hidden, \
         v.closed_at, v.last_message_at, v.created_at, c.first_name, c.last_name, c.customer_number, \
         CAST((SELECT COUNT(*) FROM messages m WHERE m.conversation_id = v.id AND m.author_kind = '{unread}' \
               AND m.read_at IS NULL) AS BIGINT) AS unread, \
         CAST((SELECT COUNT(*) FROM messages m WHERE m.conversation_id = v.id) AS BIGINT) AS messages \
         FROM conversations v JOIN contacts c ON c.id = v.contact_id AND c.company_id = v.company_id \
         LEFT JOIN staff_users s ON s.id = v.staff_user_id AND s.company_id = v.company_id",
        vis = visible("v.staff_user_id"),
        unread = unread_author.code(),
    )
}

pub async fn insert_conversation<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    subject: &str,
    kind: ConversationKind,
    staff_user_id: Option<i64>,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO conversations (company_id, contact_id, subject, kind, staff_user_id, last_message_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(company_id)
    .bind(contact_id)
    .bind(subject)
    .bind(kind.code())
    .bind(staff_user_id)
    .bind(now)
    .fetch_one(ex)
    .await?)
}

/// The customer's conversations, latest activity first.
pub async fn for_contact<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    limit: i64,
) -> Result<Vec<Conversation>, StoreError> {
    let sql = format!(
        "{} WHERE v.company_id = $1 AND v.contact_id = $2 ORDER BY v.last_message_at DESC, v.id DESC LIMIT $3",
        conv_select(Author::Staff)
    );
    Ok(sqlx::query_as(&sql).bind(company_id).bind(contact_id).bind(limit).fetch_all(ex).await?)
}

/// One conversation of this customer (portal), or `None`.
pub async fn for_contact_one<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    id: i64,
) -> Result<Option<Conversation>, StoreError> {
    let sql = format!("{} WHERE v.company_id = $1 AND v.contact_id = $2 AND v.id = $3", conv_select(Author::Staff));
    Ok(sqlx::query_as(&sql).bind(company_id).bind(contact_id).bind(id).fetch_optional(ex).await?)
}

/// One conversation of this company (console), or `None`.
pub async fn company_one<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<Option<Conversation>, StoreError> {
    let sql = format!("{} WHERE v.company_id = $1 AND v.id = $2", conv_select(Author::Customer));
    Ok(sqlx::query_as(&sql).bind(company_id).bind(id).fetch_optional(ex).await?)
}

/// The contact's conversations as staff see them.
pub async fn for_contact_staff<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    limit: i64,
) -> Result<Vec<Conversation>, StoreError> {
    let sql = format!(
        "{} WHERE v.company_id = $1 AND v.contact_id = $2 ORDER BY v.last_message_at DESC, v.id DESC LIMIT $3",
        conv_select(Author::Customer)
    );
    Ok(sqlx::query_as(&sql).bind(company_id).bind(contact_id).bind(limit).fetch_all(ex).await?)
}

/// Inbox filters of the console.
#[derive(Debug, Clone, Copy, Default)]
pub struct InboxFilter {
    /// `Some(true)`: open only; `Some(false)`: closed only.
    pub open: Option<bool>,
    /// Assigned to this staff member.
    pub assigned_to: Option<i64>,
    pub unassigned: bool,
}

pub async fn inbox<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    f: InboxFilter,
    limit: i64,
) -> Result<Vec<Conversation>, StoreError> {
    let mut cond = String::new();
    match f.open {
        Some(true) => cond.push_str(" AND v.closed_at IS NULL"),
        Some(false) => cond.push_str(" AND v.closed_at IS NOT NULL"),
        None => {}
    }
    if f.unassigned {
        cond.push_str(" AND v.staff_user_id IS NULL");
    } else if f.assigned_to.is_some() {
        cond.push_str(" AND v.staff_user_id = $3");
    }
    let sql = format!(
        "{} WHERE v.company_id = $1{cond} ORDER BY v.last_message_at DESC, v.id DESC LIMIT $2",
        conv_select(Author::Customer)
    );
    let mut q = sqlx::query_as(&sql).bind(company_id).bind(limit);
    if !f.unassigned
        && let Some(s) = f.assigned_to
    {
        q = q.bind(s);
    }
    Ok(q.fetch_all(ex).await?)
}

pub async fn set_assignee<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    staff_user_id: Option<i64>,
) -> Result<bool, StoreError> {
    let r = sqlx::query("UPDATE conversations SET staff_user_id = $3 WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .bind(staff_user_id)
        .execute(ex)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn set_closed<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    closed_at: Option<i64>,
) -> Result<bool, StoreError> {
    let r = sqlx::query("UPDATE conversations SET closed_at = $3 WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .bind(closed_at)
        .execute(ex)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// New activity: bump the time and reopen a closed conversation.
pub async fn touch<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE conversations SET last_message_at = $3, closed_at = NULL WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .bind(now)
        .execute(ex)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------- messages

#[derive(Debug, Clone, FromRow)]
pub struct Message {
    pub id: i64,
    pub conversation_id: i64,
    #[sqlx(try_from = "String")]
    pub author_kind: Author,
    pub staff_user_id: Option<i64>,
    pub staff_name: Option<String>,
    #[sqlx(try_from = "Flag")]
    pub staff_hidden: bool,
    pub body: String,
    pub read_at: Option<i64>,
    pub created_at: i64,
}

pub async fn insert_message<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    conversation_id: i64,
    author_kind: Author,
    staff_user_id: Option<i64>,
    body: &str,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO messages (company_id, conversation_id, author_kind, staff_user_id, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(company_id)
    .bind(conversation_id)
    .bind(author_kind.code())
    .bind(staff_user_id)
    .bind(body)
    .bind(now)
    .fetch_one(ex)
    .await?)
}

pub async fn messages<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    conversation_id: i64,
) -> Result<Vec<Message>, StoreError> {
    let sql = format!(
        "SELECT m.id, m.conversation_id, m.author_kind, m.staff_user_id, s.name AS staff_name, \
         CASE WHEN m.staff_user_id IS NULL OR {} THEN 0 ELSE 1 END AS staff_hidden, \
         m.body, m.read_at, m.created_at FROM messages m \
         LEFT JOIN staff_users s ON s.id = m.staff_user_id AND s.company_id = m.company_id \
         WHERE m.company_id = $1 AND m.conversation_id = $2 ORDER BY m.id",
        visible("m.staff_user_id")
    );
    Ok(sqlx::query_as(&sql).bind(company_id).bind(conversation_id).fetch_all(ex).await?)
}

/// Mark the other side's messages of a conversation read.
pub async fn mark_read<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    conversation_id: i64,
    author_kind: Author,
    now: i64,
) -> Result<u64, StoreError> {
    let r = sqlx::query(
        "UPDATE messages SET read_at = $4 WHERE company_id = $1 AND conversation_id = $2 AND author_kind = $3 \
         AND read_at IS NULL",
    )
    .bind(company_id)
    .bind(conversation_id)
    .bind(author_kind.code())
    .bind(now)
    .execute(ex)
    .await?;
    Ok(r.rows_affected())
}

/// Unread staff messages of a customer (the header envelope).
pub async fn unread_for_contact<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM messages m JOIN conversations v ON v.id = m.conversation_id \
         WHERE v.company_id = $1 AND v.contact_id = $2 AND m.company_id = $1 AND m.author_kind = 'staff' \
         AND m.read_at IS NULL",
    )
    .bind(company_id)
    .bind(contact_id)
    .fetch_one(ex)
    .await?)
}

/// Unread customer messages in open conversations of the company (the
/// console's inbox badge).
pub async fn unread_for_company<'c>(ex: impl Executor<'c, Database = Any>, company_id: i64) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM messages m WHERE m.company_id = $1 AND m.author_kind = 'customer' \
         AND m.read_at IS NULL",
    )
    .bind(company_id)
    .fetch_one(ex)
    .await?)
}

/// The four numbers of a contact's activity fingerprint (messages, unread
/// messages, tasks, latest task change) as a one-row statement over `$1`
/// (company) and `$2` (contact): two aggregates, not four subqueries.
pub const CONTACT_ACTIVITY: &str = "\
    SELECT m.act_messages, m.act_unread, k.act_tasks, k.act_task_change FROM \
    (SELECT CAST(COUNT(*) AS BIGINT) AS act_messages, \
            CAST(COALESCE(SUM(CASE WHEN m.read_at IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS act_unread \
       FROM messages m JOIN conversations v ON v.id = m.conversation_id \
      WHERE v.company_id = $1 AND v.contact_id = $2) m, \
    (SELECT CAST(COUNT(*) AS BIGINT) AS act_tasks, CAST(COALESCE(MAX(t.updated_at), 0) AS BIGINT) AS act_task_change \
       FROM tasks t WHERE t.company_id = $1 AND t.contact_id = $2) k";

/// A fingerprint of what a customer's live fragments show: changes when a
/// message arrives, is read, or a task is added, completed or removed.
pub async fn contact_activity<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<(i64, i64, i64, i64), StoreError> {
    Ok(sqlx::query_as(CONTACT_ACTIVITY).bind(company_id).bind(contact_id).fetch_one(ex).await?)
}

/// A fingerprint of the company's inbox.
pub async fn company_activity<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
) -> Result<(i64, i64, i64), StoreError> {
    Ok(sqlx::query_as(
        "SELECT CAST((SELECT COUNT(*) FROM messages WHERE company_id = $1) AS BIGINT), \
         CAST((SELECT COUNT(*) FROM messages WHERE company_id = $1 AND read_at IS NULL) AS BIGINT), \
         CAST((SELECT COALESCE(SUM(COALESCE(closed_at, 0) + COALESCE(staff_user_id, 0)), 0) FROM conversations \
               WHERE company_id = $1) AS BIGINT)",
    )
    .bind(company_id)
    .fetch_one(ex)
    .await?)
}

// ---------------------------------------------------------------- attachments

pub async fn attach<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    message_id: i64,
    document_id: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO message_attachments (company_id, message_id, document_id) VALUES ($1, $2, $3) \
         ON CONFLICT (message_id, document_id) DO NOTHING",
    )
    .bind(company_id)
    .bind(message_id)
    .bind(document_id)
    .execute(ex)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct Attachment {
    pub message_id: i64,
    pub document_id: i64,
    pub name: String,
    pub size_bytes: i64,
}

/// Attachments of a conversation's messages (documents of the same company
/// and contact only).
pub async fn attachments<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    conversation_id: i64,
) -> Result<Vec<Attachment>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT a.message_id, a.document_id, d.name, d.size_bytes FROM message_attachments a \
         JOIN messages m ON m.id = a.message_id AND m.company_id = a.company_id \
         JOIN conversations v ON v.id = m.conversation_id AND v.company_id = m.company_id \
         JOIN documents d ON d.id = a.document_id AND d.company_id = a.company_id AND d.contact_id = v.contact_id \
         WHERE a.company_id = $1 AND m.conversation_id = $2 ORDER BY a.message_id, d.name",
    )
    .bind(company_id)
    .bind(conversation_id)
    .fetch_all(ex)
    .await?)
}
