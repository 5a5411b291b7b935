//! Debt settlement programs (seeds 000, 001): company settings, each
//! contact's program (fee plan, dedicated account), debts, the program
//! account's entries, the payment schedule, and intake data for the Profile.
//!
//! Every query takes the company id; customer views also take the contact.
//! Nothing computed is stored: the summary and the statements come from
//! `portico_domain::settlement` over these rows.

use sqlx::{Any, Executor, FromRow};

use crate::{Flag, StoreError, flag};

// ---------------------------------------------------------------- settings

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct SettlementSettings {
    pub company_id: i64,
    /// Comma-separated `DebtStatus` keys customers see.
    pub statuses_shown: String,
    /// Comma-separated document type ids required before Debts opens.
    pub debts_required_types: String,
    #[sqlx(try_from = "Flag")]
    pub schedule_debits_only: bool,
    #[sqlx(try_from = "Flag")]
    pub student_loan_file_upload: bool,
    pub updated_at: i64,
}

impl SettlementSettings {
    pub fn defaults(company_id: i64) -> SettlementSettings {
        SettlementSettings {
            company_id,
            statuses_shown: "unenrolled,enrolled,settled,unsettled".into(),
            debts_required_types: String::new(),
            schedule_debits_only: false,
            student_loan_file_upload: true,
            updated_at: 0,
        }
    }

    /// The required document type ids (unparseable entries ignored).
    pub fn required_type_ids(&self) -> Vec<i64> {
        self.debts_required_types.split(',').filter_map(|s| s.trim().parse().ok()).collect()
    }
}

pub async fn settings<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
) -> Result<SettlementSettings, StoreError> {
    let row: Option<SettlementSettings> = sqlx::query_as(
        "SELECT company_id, statuses_shown, debts_required_types, schedule_debits_only, student_loan_file_upload, \
         updated_at FROM settlement_settings WHERE company_id = $1",
    )
    .bind(company_id)
    .fetch_optional(ex)
    .await?;
    Ok(row.unwrap_or_else(|| SettlementSettings::defaults(company_id)))
}

pub async fn save_settings<'c>(
    ex: impl Executor<'c, Database = Any>,
    s: &SettlementSettings,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO settlement_settings (company_id, statuses_shown, debts_required_types, schedule_debits_only, \
         student_loan_file_upload, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (company_id) DO UPDATE SET statuses_shown = excluded.statuses_shown, \
         debts_required_types = excluded.debts_required_types, schedule_debits_only = excluded.schedule_debits_only, \
         student_loan_file_upload = excluded.student_loan_file_upload, updated_at = excluded.updated_at",
    )
    .bind(s.company_id)
    .bind(&s.statuses_shown)
    .bind(&s.debts_required_types)
    .bind(flag(s.schedule_debits_only))
    .bind(flag(s.student_loan_file_upload))
    .bind(s.updated_at)
    .execute(ex)
    .await?;
    Ok(())
}

/// Replace the company's enabled sections (the Debts/Creditors name is a
/// section key) and bump `updated_at` so cached assets refresh.
pub async fn set_sections<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    sections: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE portal_settings SET sections = $2, updated_at = $3 WHERE company_id = $1")
        .bind(company_id)
        .bind(sections)
        .bind(now)
        .execute(ex)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------- program

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct Program {
    pub id: i64,
    pub company_id: i64,
    pub contact_id: i64,
    pub enrolled_on: String,
    /// `enrolled_debt` or `savings`.
    pub fee_basis: String,
    /// Decimal fraction as text.
    pub fee_rate: String,
    pub monthly_fee_cents: i64,
    pub account_provider: String,
    pub account_last4: String,
    pub created_at: i64,
    pub updated_at: i64,
}

pub async fn program<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<Option<Program>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, company_id, contact_id, enrolled_on, fee_basis, fee_rate, monthly_fee_cents, account_provider, \
         account_last4, created_at, updated_at FROM settlement_programs WHERE company_id = $1 AND contact_id = $2",
    )
    .bind(company_id)
    .bind(contact_id)
    .fetch_optional(ex)
    .await?)
}

/// Insert or replace a contact's program (keyed by company and contact).
pub async fn save_program<'c>(ex: impl Executor<'c, Database = Any>, p: &Program) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO settlement_programs (company_id, contact_id, enrolled_on, fee_basis, fee_rate, \
         monthly_fee_cents, account_provider, account_last4, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
         ON CONFLICT (company_id, contact_id) DO UPDATE SET enrolled_on = excluded.enrolled_on, \
         fee_basis = excluded.fee_basis, fee_rate = excluded.fee_rate, monthly_fee_cents = excluded.monthly_fee_cents, \
         account_provider = excluded.account_provider, account_last4 = excluded.account_last4, \
         updated_at = excluded.updated_at",
    )
    .bind(p.company_id)
    .bind(p.contact_id)
    .bind(&p.enrolled_on)
    .bind(&p.fee_basis)
    .bind(&p.fee_rate)
    .bind(p.monthly_fee_cents)
    .bind(&p.account_provider)
    .bind(&p.account_last4)
    .bind(p.updated_at)
    .execute(ex)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------- debts

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct DebtRow {
    pub id: i64,
    pub company_id: i64,
    pub contact_id: i64,
    pub original_creditor: String,
    pub current_creditor: Option<String>,
    pub account_enc: Option<String>,
    pub account_mask: String,
    pub enrolled_balance_cents: i64,
    pub current_balance_cents: i64,
    pub status: String,
    pub settlement_amount_cents: Option<i64>,
    pub settlement_payments: Option<i64>,
    pub settlement_paid_cents: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const DEBT_COLS: &str = "id, company_id, contact_id, original_creditor, current_creditor, account_enc, account_mask, \
    enrolled_balance_cents, current_balance_cents, status, settlement_amount_cents, settlement_payments, \
    settlement_paid_cents, created_at, updated_at";

/// A contact's debts, oldest first.
pub async fn debts<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<Vec<DebtRow>, StoreError> {
    let sql = format!("SELECT {DEBT_COLS} FROM debts WHERE company_id = $1 AND contact_id = $2 ORDER BY id");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(contact_id).fetch_all(ex).await?)
}

/// One debt of this company (staff), or `None`.
pub async fn debt<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<Option<DebtRow>, StoreError> {
    let sql = format!("SELECT {DEBT_COLS} FROM debts WHERE company_id = $1 AND id = $2");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(id).fetch_optional(ex).await?)
}

/// The fields a debt is written with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DebtFields {
    pub original_creditor: String,
    pub current_creditor: Option<String>,
    pub account_enc: Option<String>,
    pub account_mask: String,
    pub enrolled_balance_cents: i64,
    pub current_balance_cents: i64,
    pub status: String,
    pub settlement_amount_cents: Option<i64>,
    pub settlement_payments: Option<i64>,
    pub settlement_paid_cents: Option<i64>,
}

pub async fn insert_debt<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    d: &DebtFields,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO debts (company_id, contact_id, original_creditor, current_creditor, account_enc, account_mask, \
         enrolled_balance_cents, current_balance_cents, status, settlement_amount_cents, settlement_payments, \
         settlement_paid_cents, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
    )
    .bind(company_id)
    .bind(contact_id)
    .bind(&d.original_creditor)
    .bind(&d.current_creditor)
    .bind(&d.account_enc)
    .bind(&d.account_mask)
    .bind(d.enrolled_balance_cents)
    .bind(d.current_balance_cents)
    .bind(&d.status)
    .bind(d.settlement_amount_cents)
    .bind(d.settlement_payments)
    .bind(d.settlement_paid_cents)
    .bind(now)
    .fetch_one(ex)
    .await?)
}

pub async fn update_debt<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    d: &DebtFields,
    now: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE debts SET original_creditor = $3, current_creditor = $4, account_enc = $5, account_mask = $6, \
         enrolled_balance_cents = $7, current_balance_cents = $8, status = $9, settlement_amount_cents = $10, \
         settlement_payments = $11, settlement_paid_cents = $12, updated_at = $13 WHERE company_id = $1 AND id = $2",
    )
    .bind(company_id)
    .bind(id)
    .bind(&d.original_creditor)
    .bind(&d.current_creditor)
    .bind(&d.account_enc)
    .bind(&d.account_mask)
    .bind(d.enrolled_balance_cents)
    .bind(d.current_balance_cents)
    .bind(&d.status)
    .bind(d.settlement_amount_cents)
    .bind(d.settlement_payments)
    .bind(d.settlement_paid_cents)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(r.rows_affected() > 0)
}

pub async fn delete_debt<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query("DELETE FROM debts WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(r.rows_affected() > 0)
}

// ---------------------------------------------------------------- program account

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct EntryRow {
    pub id: i64,
    pub company_id: i64,
    pub contact_id: i64,
    pub posted_on: String,
    pub kind: String,
    pub amount_cents: i64,
    pub description: String,
    pub staff_user_id: Option<i64>,
    pub created_at: i64,
}

const ENTRY_COLS: &str =
    "id, company_id, contact_id, posted_on, kind, amount_cents, description, staff_user_id, created_at";

/// Every entry of a contact's program account, by date then id.
pub async fn entries<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<Vec<EntryRow>, StoreError> {
    let sql = format!(
        "SELECT {ENTRY_COLS} FROM program_entries WHERE company_id = $1 AND contact_id = $2 ORDER BY posted_on, id"
    );
    Ok(sqlx::query_as(&sql).bind(company_id).bind(contact_id).fetch_all(ex).await?)
}

pub async fn entry<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<Option<EntryRow>, StoreError> {
    let sql = format!("SELECT {ENTRY_COLS} FROM program_entries WHERE company_id = $1 AND id = $2");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(id).fetch_optional(ex).await?)
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_entry<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    posted_on: &str,
    kind: &str,
    amount_cents: i64,
    description: &str,
    staff_user_id: Option<i64>,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO program_entries (company_id, contact_id, posted_on, kind, amount_cents, description, \
         staff_user_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(company_id)
    .bind(contact_id)
    .bind(posted_on)
    .bind(kind)
    .bind(amount_cents)
    .bind(description)
    .bind(staff_user_id)
    .bind(now)
    .fetch_one(ex)
    .await?)
}

pub async fn delete_entry<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query("DELETE FROM program_entries WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(r.rows_affected() > 0)
}

// ---------------------------------------------------------------- schedule

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct DraftRow {
    pub id: i64,
    pub company_id: i64,
    pub contact_id: i64,
    pub due_on: String,
    pub kind: String,
    pub amount_cents: i64,
    pub status: String,
    pub memo: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const DRAFT_COLS: &str = "id, company_id, contact_id, due_on, kind, amount_cents, status, memo, created_at, updated_at";

pub async fn drafts<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<Vec<DraftRow>, StoreError> {
    let sql = format!(
        "SELECT {DRAFT_COLS} FROM program_drafts WHERE company_id = $1 AND contact_id = $2 ORDER BY due_on, id"
    );
    Ok(sqlx::query_as(&sql).bind(company_id).bind(contact_id).fetch_all(ex).await?)
}

pub async fn draft<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<Option<DraftRow>, StoreError> {
    let sql = format!("SELECT {DRAFT_COLS} FROM program_drafts WHERE company_id = $1 AND id = $2");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(id).fetch_optional(ex).await?)
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_draft<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    due_on: &str,
    kind: &str,
    amount_cents: i64,
    status: &str,
    memo: &str,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO program_drafts (company_id, contact_id, due_on, kind, amount_cents, status, memo, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(company_id)
    .bind(contact_id)
    .bind(due_on)
    .bind(kind)
    .bind(amount_cents)
    .bind(status)
    .bind(memo)
    .bind(now)
    .fetch_one(ex)
    .await?)
}

pub async fn set_draft_status<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    status: &str,
    now: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query("UPDATE program_drafts SET status = $3, updated_at = $4 WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .bind(status)
        .bind(now)
        .execute(ex)
        .await?;
    Ok(r.rows_affected() > 0)
}

pub async fn delete_draft<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query("DELETE FROM program_drafts WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(r.rows_affected() > 0)
}

// ---------------------------------------------------------------- intake / profile

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct IntakeField {
    pub id: i64,
    pub company_id: i64,
    pub field_key: String,
    pub label: String,
    /// `text`, `date`, `money` or `yes_no`.
    pub field_type: String,
    pub position: i64,
    pub created_at: i64,
}

pub async fn intake_fields<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
) -> Result<Vec<IntakeField>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, company_id, field_key, label, field_type, position, created_at FROM intake_fields \
         WHERE company_id = $1 ORDER BY position, id",
    )
    .bind(company_id)
    .fetch_all(ex)
    .await?)
}

fn field_conflict(e: sqlx::Error) -> StoreError {
    match StoreError::from(e) {
        StoreError::Conflict(_) => StoreError::Conflict("a profile field with this key exists".into()),
        other => other,
    }
}

pub async fn insert_intake_field<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    key: &str,
    label: &str,
    field_type: &str,
    position: i64,
    now: i64,
) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO intake_fields (company_id, field_key, label, field_type, position, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(company_id)
    .bind(key)
    .bind(label)
    .bind(field_type)
    .bind(position)
    .bind(now)
    .fetch_one(ex)
    .await
    .map_err(field_conflict)
}

pub async fn update_intake_field<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    label: &str,
    field_type: &str,
    position: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE intake_fields SET label = $3, field_type = $4, position = $5 WHERE company_id = $1 AND id = $2",
    )
    .bind(company_id)
    .bind(id)
    .bind(label)
    .bind(field_type)
    .bind(position)
    .execute(ex)
    .await?;
    Ok(r.rows_affected() > 0)
}

pub async fn delete_intake_field<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query("DELETE FROM intake_fields WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(r.rows_affected() > 0)
}

/// A contact's intake data as (key, value), by key.
pub async fn intake_values<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT field_key, value FROM intake_values WHERE company_id = $1 AND contact_id = $2 ORDER BY field_key",
    )
    .bind(company_id)
    .bind(contact_id)
    .fetch_all(ex)
    .await?)
}

/// Set (or, with an empty value, remove) one intake value.
pub async fn set_intake_value<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    key: &str,
    value: &str,
    now: i64,
) -> Result<(), StoreError> {
    if value.is_empty() {
        sqlx::query("DELETE FROM intake_values WHERE company_id = $1 AND contact_id = $2 AND field_key = $3")
            .bind(company_id)
            .bind(contact_id)
            .bind(key)
            .execute(ex)
            .await?;
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO intake_values (company_id, contact_id, field_key, value, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (contact_id, field_key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at \
         WHERE intake_values.company_id = excluded.company_id",
    )
    .bind(company_id)
    .bind(contact_id)
    .bind(key)
    .bind(value)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}
