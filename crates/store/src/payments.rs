//! Payments: settings, payment methods, payments and their per-account
//! items, AutoPay schedules, NACHA batches.
//!
//! Exactly-once rests on three things here: the unique
//! `(company_id, idempotency_key)` (a second insert with the same key
//! inserts nothing and returns the first payment), conditional status
//! changes (`UPDATE … WHERE status = <expected>` and checking that one row
//! changed), and leases (`claimed_until`) for the job runners.

use sqlx::{Any, Executor, FromRow};

use portico_domain::codes::{MethodKind, PaymentKind, PaymentStatus};

use crate::{Flag, StoreError, code, flag};

#[derive(Debug, Clone, FromRow)]
pub struct PaymentSettings {
    pub company_id: i64,
    pub card_gateway: String,
    pub bank_gateway: String,
    #[sqlx(try_from = "Flag")]
    pub accept_cards: bool,
    #[sqlx(try_from = "Flag")]
    pub accept_bank: bool,
    pub terms: String,
    #[sqlx(try_from = "Flag")]
    pub agent_payments: bool,
    pub max_days_ahead: i64,
    pub ach_company_name: String,
    pub ach_company_id: String,
    pub ach_odfi_routing: String,
    pub ach_destination_routing: String,
    pub ach_destination_name: String,
    pub ach_entry_description: String,
    pub updated_at: i64,
}

impl PaymentSettings {
    pub fn defaults(company_id: i64) -> PaymentSettings {
        PaymentSettings {
            company_id,
            card_gateway: "test".into(),
            bank_gateway: "ach".into(),
            accept_cards: true,
            accept_bank: true,
            terms: String::new(),
            agent_payments: false,
            max_days_ahead: 60,
            ach_company_name: String::new(),
            ach_company_id: String::new(),
            ach_odfi_routing: String::new(),
            ach_destination_routing: String::new(),
            ach_destination_name: String::new(),
            ach_entry_description: "PAYMENT".into(),
            updated_at: 0,
        }
    }
}

const SETTINGS_COLS: &str = "company_id, card_gateway, bank_gateway, accept_cards, accept_bank, terms, agent_payments, \
    max_days_ahead, ach_company_name, ach_company_id, ach_odfi_routing, ach_destination_routing, ach_destination_name, \
    ach_entry_description, updated_at";

/// The company's payment settings (the defaults when it never saved any).
pub async fn settings<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
) -> Result<PaymentSettings, StoreError> {
    let sql = format!("SELECT {SETTINGS_COLS} FROM payment_settings WHERE company_id = $1");
    let row: Option<PaymentSettings> = sqlx::query_as(&sql).bind(company_id).fetch_optional(ex).await?;
    Ok(row.unwrap_or_else(|| PaymentSettings::defaults(company_id)))
}

pub async fn save_settings<'c>(
    ex: impl Executor<'c, Database = Any>,
    s: &PaymentSettings,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO payment_settings (company_id, card_gateway, bank_gateway, accept_cards, accept_bank, terms, \
         agent_payments, max_days_ahead, ach_company_name, ach_company_id, ach_odfi_routing, ach_destination_routing, \
         ach_destination_name, ach_entry_description, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
         ON CONFLICT (company_id) DO UPDATE SET card_gateway = excluded.card_gateway, \
         bank_gateway = excluded.bank_gateway, accept_cards = excluded.accept_cards, \
         accept_bank = excluded.accept_bank, terms = excluded.terms, agent_payments = excluded.agent_payments, \
         max_days_ahead = excluded.max_days_ahead, ach_company_name = excluded.ach_company_name, \
         ach_company_id = excluded.ach_company_id, ach_odfi_routing = excluded.ach_odfi_routing, \
         ach_destination_routing = excluded.ach_destination_routing, \
         ach_destination_name = excluded.ach_destination_name, \
         ach_entry_description = excluded.ach_entry_description, updated_at = excluded.updated_at",
    )
    .bind(s.company_id)
    .bind(&s.card_gateway)
    .bind(&s.bank_gateway)
    .bind(flag(s.accept_cards))
    .bind(flag(s.accept_bank))
    .bind(&s.terms)
    .bind(flag(s.agent_payments))
    .bind(s.max_days_ahead)
    .bind(&s.ach_company_name)
    .bind(&s.ach_company_id)
    .bind(&s.ach_odfi_routing)
    .bind(&s.ach_destination_routing)
    .bind(&s.ach_destination_name)
    .bind(&s.ach_entry_description)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------- methods

#[derive(Debug, Clone, FromRow)]
pub struct Method {
    pub id: i64,
    pub company_id: i64,
    pub contact_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: MethodKind,
    pub gateway: String,
    pub token: String,
    pub nickname: String,
    pub holder_name: String,
    pub brand: String,
    pub last4: String,
    pub exp_month: Option<i64>,
    pub exp_year: Option<i64>,
    pub bank_name: String,
    pub routing_number: String,
    pub account_type: String,
    pub account_sealed: Option<String>,
    #[sqlx(try_from = "Flag")]
    pub is_default: bool,
    pub deleted_at: Option<i64>,
    pub created_at: i64,
}

const METHOD_COLS: &str = "id, company_id, contact_id, kind, gateway, token, nickname, holder_name, brand, last4, \
    exp_month, exp_year, bank_name, routing_number, account_type, account_sealed, is_default, deleted_at, created_at";

#[derive(Debug, Clone, Default)]
pub struct NewMethod {
    pub contact_id: i64,
    pub kind: MethodKind,
    pub gateway: String,
    pub token: String,
    pub nickname: String,
    pub holder_name: String,
    pub brand: String,
    pub last4: String,
    pub exp_month: Option<i64>,
    pub exp_year: Option<i64>,
    pub bank_name: String,
    pub routing_number: String,
    pub account_type: String,
    pub account_sealed: Option<String>,
    pub is_default: bool,
}

pub async fn insert_method<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    m: &NewMethod,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO payment_methods (company_id, contact_id, kind, gateway, token, nickname, holder_name, brand, \
         last4, exp_month, exp_year, bank_name, routing_number, account_type, account_sealed, is_default, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
    )
    .bind(company_id)
    .bind(m.contact_id)
    .bind(m.kind.code())
    .bind(&m.gateway)
    .bind(&m.token)
    .bind(&m.nickname)
    .bind(&m.holder_name)
    .bind(&m.brand)
    .bind(&m.last4)
    .bind(m.exp_month)
    .bind(m.exp_year)
    .bind(&m.bank_name)
    .bind(&m.routing_number)
    .bind(&m.account_type)
    .bind(&m.account_sealed)
    .bind(flag(m.is_default))
    .bind(now)
    .fetch_one(ex)
    .await?)
}

/// The customer's payment methods that are not deleted, default first.
pub async fn methods<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<Vec<Method>, StoreError> {
    let sql = format!(
        "SELECT {METHOD_COLS} FROM payment_methods WHERE company_id = $1 AND contact_id = $2 AND deleted_at IS NULL \
         ORDER BY is_default DESC, id"
    );
    Ok(sqlx::query_as(&sql).bind(company_id).bind(contact_id).fetch_all(ex).await?)
}

/// One method of the customer that is not deleted.
pub async fn method<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    id: i64,
) -> Result<Option<Method>, StoreError> {
    let sql = format!(
        "SELECT {METHOD_COLS} FROM payment_methods WHERE company_id = $1 AND contact_id = $2 AND id = $3 \
         AND deleted_at IS NULL"
    );
    Ok(sqlx::query_as(&sql).bind(company_id).bind(contact_id).bind(id).fetch_optional(ex).await?)
}

/// A method of the company by id, deleted or not (history, jobs, NACHA).
pub async fn method_any<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<Option<Method>, StoreError> {
    let sql = format!("SELECT {METHOD_COLS} FROM payment_methods WHERE company_id = $1 AND id = $2");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(id).fetch_optional(ex).await?)
}

pub async fn set_default<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    id: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE payment_methods SET is_default = CASE WHEN id = $3 THEN 1 ELSE 0 END \
         WHERE company_id = $1 AND contact_id = $2 AND deleted_at IS NULL",
    )
    .bind(company_id)
    .bind(contact_id)
    .bind(id)
    .execute(ex)
    .await?;
    Ok(())
}

/// Soft-delete: payments made with it keep pointing at it.
pub async fn delete_method<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    id: i64,
    now: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE payment_methods SET deleted_at = $4, is_default = 0 \
         WHERE company_id = $1 AND contact_id = $2 AND id = $3 AND deleted_at IS NULL",
    )
    .bind(company_id)
    .bind(contact_id)
    .bind(id)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(r.rows_affected() == 1)
}

// --------------------------------------------------------------- payments

#[derive(Debug, Clone, FromRow)]
pub struct Payment {
    pub id: i64,
    pub company_id: i64,
    pub contact_id: i64,
    pub reference: String,
    pub idempotency_key: String,
    pub request_digest: String,
    pub method_id: i64,
    pub gateway: String,
    pub amount_cents: i64,
    #[sqlx(try_from = "String")]
    pub kind: PaymentKind,
    #[sqlx(try_from = "String")]
    pub status: PaymentStatus,
    pub scheduled_on: String,
    pub autopay_id: Option<i64>,
    pub gateway_ref: Option<String>,
    pub failure_code: Option<String>,
    pub failure_message: Option<String>,
    pub attempts: i64,
    pub next_attempt_at: Option<i64>,
    pub claimed_until: Option<i64>,
    pub nacha_batch_id: Option<i64>,
    pub trace_number: Option<String>,
    pub return_code: Option<String>,
    pub agent_user_id: Option<i64>,
    pub staff_user_id: Option<i64>,
    pub submitted_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const PAYMENT_COLS: &str = "p.id, p.company_id, p.contact_id, p.reference, p.idempotency_key, p.request_digest, \
    p.method_id, p.gateway, p.amount_cents, p.kind, p.status, p.scheduled_on, p.autopay_id, p.gateway_ref, \
    p.failure_code, p.failure_message, p.attempts, p.next_attempt_at, p.claimed_until, p.nacha_batch_id, \
    p.trace_number, p.return_code, p.agent_user_id, p.staff_user_id, p.submitted_at, p.completed_at, p.created_at, \
    p.updated_at";

#[derive(Debug, Clone, FromRow)]
pub struct Item {
    pub id: i64,
    pub payment_id: i64,
    pub account_id: i64,
    pub account_number: String,
    pub amount_cents: i64,
    pub transaction_id: Option<i64>,
    pub principal_cents: i64,
    pub interest_cents: i64,
    pub fees_cents: i64,
}

#[derive(Debug, Clone, Default)]
pub struct NewPayment {
    pub contact_id: i64,
    pub reference: String,
    pub idempotency_key: String,
    pub request_digest: String,
    pub method_id: i64,
    pub gateway: String,
    pub amount_cents: i64,
    pub kind: PaymentKind,
    pub status: PaymentStatus,
    pub scheduled_on: String,
    pub autopay_id: Option<i64>,
    pub agent_user_id: Option<i64>,
    pub staff_user_id: Option<i64>,
    /// Lease for the runner that inserts a payment it is about to submit.
    pub claimed_until: Option<i64>,
    pub items: Vec<(i64, i64)>,
}

/// Insert a payment and its items, unless the company already has one with
/// this idempotency key: then nothing is inserted and `None` is returned.
/// Run it in a transaction so the items can't be orphaned.
pub async fn insert_payment(
    tx: &mut sqlx::AnyConnection,
    company_id: i64,
    p: &NewPayment,
    now: i64,
) -> Result<Option<i64>, StoreError> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO payments (company_id, contact_id, reference, idempotency_key, request_digest, method_id, gateway, \
         amount_cents, kind, status, scheduled_on, autopay_id, agent_user_id, staff_user_id, claimed_until, \
         attempts, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) \
         ON CONFLICT (company_id, idempotency_key) DO NOTHING RETURNING id",
    )
    .bind(company_id)
    .bind(p.contact_id)
    .bind(&p.reference)
    .bind(&p.idempotency_key)
    .bind(&p.request_digest)
    .bind(p.method_id)
    .bind(&p.gateway)
    .bind(p.amount_cents)
    .bind(p.kind.code())
    .bind(p.status.code())
    .bind(&p.scheduled_on)
    .bind(p.autopay_id)
    .bind(p.agent_user_id)
    .bind(p.staff_user_id)
    .bind(p.claimed_until)
    .bind(i64::from(p.claimed_until.is_some()))
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else { return Ok(None) };
    for (account_id, amount) in &p.items {
        sqlx::query(
            "INSERT INTO payment_items (payment_id, company_id, account_id, amount_cents) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(company_id)
        .bind(account_id)
        .bind(amount)
        .execute(&mut *tx)
        .await?;
    }
    Ok(Some(id))
}

pub async fn by_key<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    key: &str,
) -> Result<Option<Payment>, StoreError> {
    let sql = format!("SELECT {PAYMENT_COLS} FROM payments p WHERE p.company_id = $1 AND p.idempotency_key = $2");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(key).fetch_optional(ex).await?)
}

pub async fn by_id<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<Option<Payment>, StoreError> {
    let sql = format!("SELECT {PAYMENT_COLS} FROM payments p WHERE p.company_id = $1 AND p.id = $2");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(id).fetch_optional(ex).await?)
}

/// A payment of the company by its confirmation number.
pub async fn by_reference<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    reference: &str,
) -> Result<Option<Payment>, StoreError> {
    let sql = format!("SELECT {PAYMENT_COLS} FROM payments p WHERE p.company_id = $1 AND p.reference = $2");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(reference).fetch_optional(ex).await?)
}

/// A payment of this customer by its confirmation number.
pub async fn for_contact<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    reference: &str,
) -> Result<Option<Payment>, StoreError> {
    let sql = format!(
        "SELECT {PAYMENT_COLS} FROM payments p WHERE p.company_id = $1 AND p.contact_id = $2 AND p.reference = $3"
    );
    Ok(sqlx::query_as(&sql).bind(company_id).bind(contact_id).bind(reference).fetch_optional(ex).await?)
}

pub async fn by_trace<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    trace: &str,
) -> Result<Option<Payment>, StoreError> {
    let sql = format!("SELECT {PAYMENT_COLS} FROM payments p WHERE p.company_id = $1 AND p.trace_number = $2");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(trace).fetch_optional(ex).await?)
}

pub async fn items<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    payment_ids: &[i64],
) -> Result<Vec<Item>, StoreError> {
    if payment_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = payment_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let sql = format!(
        "SELECT i.id, i.payment_id, i.account_id, a.number AS account_number, i.amount_cents, i.transaction_id, \
         i.principal_cents, i.interest_cents, i.fees_cents FROM payment_items i \
         JOIN accounts a ON a.id = i.account_id AND a.company_id = i.company_id \
         WHERE i.company_id = $1 AND i.payment_id IN ({list}) ORDER BY i.payment_id, i.id"
    );
    Ok(sqlx::query_as(&sql).bind(company_id).fetch_all(ex).await?)
}

/// Filters of the Payments Manager (customer) and the console list (staff).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub contact_id: Option<i64>,
    pub account_id: Option<i64>,
    pub method_id: Option<i64>,
    pub kind: Option<PaymentKind>,
    pub status: Option<PaymentStatus>,
    /// Inclusive, on the scheduled (or payment) date.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Staff search: confirmation number or customer name.
    pub search: Option<String>,
    pub limit: i64,
}

/// A payment with the customer's name and the method's label, for lists.
#[derive(Debug, Clone)]
pub struct Listed {
    pub payment: Payment,
    pub contact_name: String,
    pub method_kind: MethodKind,
    pub method_brand: String,
    pub method_last4: String,
}

pub async fn list<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    f: &Filter,
) -> Result<Vec<Listed>, StoreError> {
    use sqlx::Row;
    let mut sql = format!(
        "SELECT {PAYMENT_COLS}, c.first_name || ' ' || c.last_name AS contact_name, m.kind AS method_kind, \
         m.brand AS method_brand, m.last4 AS method_last4 FROM payments p \
         JOIN contacts c ON c.id = p.contact_id AND c.company_id = p.company_id \
         JOIN payment_methods m ON m.id = p.method_id AND m.company_id = p.company_id \
         WHERE p.company_id = $1"
    );
    let mut n = 1;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    if f.contact_id.is_some() {
        sql += &format!(" AND p.contact_id = {}", next());
    }
    if f.account_id.is_some() {
        sql += &format!(
            " AND p.id IN (SELECT payment_id FROM payment_items WHERE company_id = $1 AND account_id = {})",
            next()
        );
    }
    if f.method_id.is_some() {
        sql += &format!(" AND p.method_id = {}", next());
    }
    if f.kind.is_some() {
        sql += &format!(" AND p.kind = {}", next());
    }
    if f.status.is_some() {
        sql += &format!(" AND p.status = {}", next());
    }
    if f.from.is_some() {
        sql += &format!(" AND p.scheduled_on >= {}", next());
    }
    if f.to.is_some() {
        sql += &format!(" AND p.scheduled_on <= {}", next());
    }
    if f.search.is_some() {
        let a = next();
        sql += &format!(
            " AND (LOWER(p.reference) = LOWER({a}) OR LOWER(c.first_name || ' ' || c.last_name) LIKE {})",
            next()
        );
    }
    sql += &format!(" ORDER BY p.scheduled_on DESC, p.id DESC LIMIT {}", next());
    let mut q = sqlx::query(&sql).bind(company_id);
    if let Some(v) = f.contact_id {
        q = q.bind(v);
    }
    if let Some(v) = f.account_id {
        q = q.bind(v);
    }
    if let Some(v) = f.method_id {
        q = q.bind(v);
    }
    if let Some(v) = f.kind {
        q = q.bind(v.code());
    }
    if let Some(v) = f.status {
        q = q.bind(v.code());
    }
    if let Some(v) = &f.from {
        q = q.bind(v.clone());
    }
    if let Some(v) = &f.to {
        q = q.bind(v.clone());
    }
    if let Some(v) = &f.search {
        let like = format!("%{}%", v.to_lowercase().replace(['%', '_'], ""));
        q = q.bind(v.trim().to_string()).bind(like);
    }
    q = q.bind(if f.limit > 0 { f.limit } else { 200 });
    let rows = q.fetch_all(ex).await?;
    rows.iter()
        .map(|r| {
            Ok(Listed {
                payment: Payment::from_row(r)?,
                contact_name: r.try_get("contact_name")?,
                method_kind: code(r.try_get("method_kind")?)?,
                method_brand: r.try_get("method_brand")?,
                method_last4: r.try_get("method_last4")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(StoreError::from)
}

/// Move a payment from one of `from` to `to`; true when this call made the
/// change (so only one caller ever acts on a transition).
pub async fn transition<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    from: &[PaymentStatus],
    to: PaymentStatus,
    now: i64,
) -> Result<bool, StoreError> {
    // Codes are compile-time constants, safe to inline.
    let list = from.iter().map(|s| format!("'{}'", s.code())).collect::<Vec<_>>().join(",");
    let sql = format!(
        "UPDATE payments SET status = $3, updated_at = $4, claimed_until = NULL \
         WHERE company_id = $1 AND id = $2 AND status IN ({list})"
    );
    let r = sqlx::query(&sql).bind(company_id).bind(id).bind(to.code()).bind(now).execute(ex).await?;
    Ok(r.rows_affected() == 1)
}

/// Record what the gateway said about a payment that is `processing`:
/// `completed`, `pending` (ACH) or `failed`. True when this call did it.
pub async fn settle<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    status: PaymentStatus,
    gateway_ref: Option<&str>,
    failure: Option<(&str, &str)>,
    now: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE payments SET status = $3, gateway_ref = $4, failure_code = $5, failure_message = $6, \
         submitted_at = COALESCE(submitted_at, $7), completed_at = CASE WHEN $3 = 'completed' THEN $7 ELSE NULL END, \
         claimed_until = NULL, next_attempt_at = NULL, updated_at = $7 \
         WHERE company_id = $1 AND id = $2 AND status = 'processing'",
    )
    .bind(company_id)
    .bind(id)
    .bind(status.code())
    .bind(gateway_ref)
    .bind(failure.map(|f| f.0))
    .bind(failure.map(|f| f.1))
    .bind(now)
    .execute(ex)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// A soft failure: back to `scheduled`, to be tried again at `retry_at`.
pub async fn retry_later<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    message: &str,
    retry_at: i64,
    now: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE payments SET status = 'scheduled', failure_message = $3, next_attempt_at = $4, claimed_until = NULL, \
         updated_at = $5 WHERE company_id = $1 AND id = $2 AND status = 'processing'",
    )
    .bind(company_id)
    .bind(id)
    .bind(message)
    .bind(retry_at)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Renew the lease of a payment the caller is working on.
pub async fn claim<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    now: i64,
    lease: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE payments SET claimed_until = $3, attempts = attempts + 1, updated_at = $4 \
         WHERE company_id = $1 AND id = $2 AND status = 'processing' \
         AND (claimed_until IS NULL OR claimed_until <= $4)",
    )
    .bind(company_id)
    .bind(id)
    .bind(now + lease)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Claim scheduled payments due on or before `today`: they become
/// `processing` with a lease. Two runners never claim the same row (the
/// `status = 'scheduled'` re-check in the outer UPDATE).
pub async fn claim_due<'c>(
    ex: impl Executor<'c, Database = Any>,
    today: &str,
    now: i64,
    lease: i64,
    limit: i64,
) -> Result<Vec<Payment>, StoreError> {
    let sql = format!(
        "UPDATE payments SET status = 'processing', claimed_until = $2, attempts = attempts + 1, updated_at = $1 \
         WHERE status = 'scheduled' AND id IN (SELECT id FROM payments WHERE status = 'scheduled' \
           AND scheduled_on <= $3 AND (next_attempt_at IS NULL OR next_attempt_at <= $1) ORDER BY id LIMIT $4) \
         RETURNING {}",
        PAYMENT_COLS.replace("p.", "")
    );
    Ok(sqlx::query_as(&sql).bind(now).bind(now + lease).bind(today).bind(limit).fetch_all(ex).await?)
}

/// Claim payments left `processing` by a runner or request that died (its
/// lease ran out): the caller asks the gateway what happened to them.
pub async fn claim_stale<'c>(
    ex: impl Executor<'c, Database = Any>,
    now: i64,
    lease: i64,
    limit: i64,
) -> Result<Vec<Payment>, StoreError> {
    let sql = format!(
        "UPDATE payments SET claimed_until = $2, updated_at = $1 \
         WHERE status = 'processing' AND (claimed_until IS NULL OR claimed_until <= $1) \
         AND id IN (SELECT id FROM payments WHERE status = 'processing' \
           AND (claimed_until IS NULL OR claimed_until <= $1) ORDER BY id LIMIT $3) \
         RETURNING {}",
        PAYMENT_COLS.replace("p.", "")
    );
    Ok(sqlx::query_as(&sql).bind(now).bind(now + lease).bind(limit).fetch_all(ex).await?)
}

pub async fn set_item_posted<'c>(
    ex: impl Executor<'c, Database = Any>,
    item_id: i64,
    transaction_id: i64,
    split: (i64, i64, i64),
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE payment_items SET transaction_id = $2, principal_cents = $3, interest_cents = $4, fees_cents = $5 \
         WHERE id = $1",
    )
    .bind(item_id)
    .bind(transaction_id)
    .bind(split.0)
    .bind(split.1)
    .bind(split.2)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn set_return<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    code: &str,
    message: &str,
    now: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE payments SET status = 'returned', return_code = $3, failure_code = $3, failure_message = $4, \
         updated_at = $5 WHERE company_id = $1 AND id = $2 AND status IN ('pending', 'completed')",
    )
    .bind(company_id)
    .bind(id)
    .bind(code)
    .bind(message)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Card and test-gateway payments that completed since `since` (checked
/// against the gateway for returns and disputes).
pub async fn completed_since<'c>(
    ex: impl Executor<'c, Database = Any>,
    gateway: &str,
    since: i64,
) -> Result<Vec<Payment>, StoreError> {
    let sql = format!(
        "SELECT {PAYMENT_COLS} FROM payments p WHERE p.gateway = $1 AND p.status IN ('completed', 'pending') \
         AND p.submitted_at >= $2 ORDER BY p.id"
    );
    Ok(sqlx::query_as(&sql).bind(gateway).bind(since).fetch_all(ex).await?)
}

// ---------------------------------------------------------------- AutoPay

#[derive(Debug, Clone, FromRow)]
pub struct AutoPay {
    pub id: i64,
    pub company_id: i64,
    pub contact_id: i64,
    pub account_id: i64,
    pub method_id: i64,
    pub amount_mode: String,
    pub amount_cents: Option<i64>,
    pub frequency: String,
    pub start_on: String,
    pub next_on: String,
    #[sqlx(try_from = "Flag")]
    pub active: bool,
    pub agent_user_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const AUTOPAY_COLS: &str = "id, company_id, contact_id, account_id, method_id, amount_mode, amount_cents, frequency, \
    start_on, next_on, active, agent_user_id, created_at, updated_at";

#[derive(Debug, Clone, Default)]
pub struct NewAutoPay {
    pub contact_id: i64,
    pub account_id: i64,
    pub method_id: i64,
    pub amount_mode: String,
    pub amount_cents: Option<i64>,
    pub frequency: String,
    pub start_on: String,
    pub agent_user_id: Option<i64>,
}

pub async fn insert_autopay<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    a: &NewAutoPay,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO autopays (company_id, contact_id, account_id, method_id, amount_mode, amount_cents, frequency, \
         start_on, next_on, active, agent_user_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, 1, $9, $10, $10) RETURNING id",
    )
    .bind(company_id)
    .bind(a.contact_id)
    .bind(a.account_id)
    .bind(a.method_id)
    .bind(&a.amount_mode)
    .bind(a.amount_cents)
    .bind(&a.frequency)
    .bind(&a.start_on)
    .bind(a.agent_user_id)
    .bind(now)
    .fetch_one(ex)
    .await?)
}

pub async fn autopays_for_contact<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<Vec<AutoPay>, StoreError> {
    let sql = format!(
        "SELECT {AUTOPAY_COLS} FROM autopays WHERE company_id = $1 AND contact_id = $2 ORDER BY account_id, id"
    );
    Ok(sqlx::query_as(&sql).bind(company_id).bind(contact_id).fetch_all(ex).await?)
}

pub async fn autopay<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    id: i64,
) -> Result<Option<AutoPay>, StoreError> {
    let sql = format!("SELECT {AUTOPAY_COLS} FROM autopays WHERE company_id = $1 AND contact_id = $2 AND id = $3");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(contact_id).bind(id).fetch_optional(ex).await?)
}

pub async fn set_autopay_active<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    active: bool,
    next_on: Option<&str>,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE autopays SET active = $3, next_on = COALESCE($4, next_on), updated_at = $5 \
         WHERE company_id = $1 AND id = $2",
    )
    .bind(company_id)
    .bind(id)
    .bind(flag(active))
    .bind(next_on)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn delete_autopay<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM autopays WHERE company_id = $1 AND id = $2").bind(company_id).bind(id).execute(ex).await?;
    Ok(())
}

/// Active AutoPays whose next date is on or before `today`, every company.
pub async fn autopays_due<'c>(
    ex: impl Executor<'c, Database = Any>,
    today: &str,
    limit: i64,
) -> Result<Vec<AutoPay>, StoreError> {
    let sql =
        format!("SELECT {AUTOPAY_COLS} FROM autopays WHERE active = 1 AND next_on <= $1 ORDER BY next_on, id LIMIT $2");
    Ok(sqlx::query_as(&sql).bind(today).bind(limit).fetch_all(ex).await?)
}

/// Move an AutoPay's next date on, only if it still is `from` (so two
/// runners can't both advance it).
pub async fn advance_autopay<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: i64,
    from: &str,
    to: &str,
    now: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query("UPDATE autopays SET next_on = $3, updated_at = $4 WHERE id = $1 AND next_on = $2")
        .bind(id)
        .bind(from)
        .bind(to)
        .bind(now)
        .execute(ex)
        .await?;
    Ok(r.rows_affected() == 1)
}

// ----------------------------------------------------------------- NACHA

#[derive(Debug, Clone, FromRow)]
pub struct Batch {
    pub id: i64,
    pub company_id: i64,
    pub file_name: String,
    pub effective_on: String,
    pub entries: i64,
    pub total_debit_cents: i64,
    pub total_credit_cents: i64,
    pub content: String,
    pub staff_user_id: Option<i64>,
    pub created_at: i64,
}

const BATCH_COLS: &str = "id, company_id, file_name, effective_on, entries, total_debit_cents, total_credit_cents, \
    content, staff_user_id, created_at";

/// ACH payments accepted but not yet in a NACHA file.
pub async fn ach_unbatched<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
) -> Result<Vec<Payment>, StoreError> {
    let sql = format!(
        "SELECT {PAYMENT_COLS} FROM payments p WHERE p.company_id = $1 AND p.gateway = 'ach' \
         AND p.status = 'pending' AND p.nacha_batch_id IS NULL ORDER BY p.id"
    );
    Ok(sqlx::query_as(&sql).bind(company_id).fetch_all(ex).await?)
}

pub async fn insert_batch(
    tx: &mut sqlx::AnyConnection,
    b: &Batch,
    payments: &[(i64, String)],
) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO nacha_batches (company_id, file_name, effective_on, entries, total_debit_cents, \
         total_credit_cents, content, staff_user_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(b.company_id)
    .bind(&b.file_name)
    .bind(&b.effective_on)
    .bind(b.entries)
    .bind(b.total_debit_cents)
    .bind(b.total_credit_cents)
    .bind(&b.content)
    .bind(b.staff_user_id)
    .bind(b.created_at)
    .fetch_one(&mut *tx)
    .await?;
    for (payment_id, trace) in payments {
        let r = sqlx::query(
            "UPDATE payments SET nacha_batch_id = $3, trace_number = $4 \
             WHERE company_id = $1 AND id = $2 AND nacha_batch_id IS NULL",
        )
        .bind(b.company_id)
        .bind(payment_id)
        .bind(id)
        .bind(trace)
        .execute(&mut *tx)
        .await?;
        if r.rows_affected() != 1 {
            return Err(StoreError::Conflict("a payment was exported by someone else at the same time".into()));
        }
    }
    Ok(id)
}

pub async fn batches<'c>(ex: impl Executor<'c, Database = Any>, company_id: i64) -> Result<Vec<Batch>, StoreError> {
    let sql = format!("SELECT {BATCH_COLS} FROM nacha_batches WHERE company_id = $1 ORDER BY id DESC LIMIT 100");
    Ok(sqlx::query_as(&sql).bind(company_id).fetch_all(ex).await?)
}

pub async fn batch<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<Option<Batch>, StoreError> {
    let sql = format!("SELECT {BATCH_COLS} FROM nacha_batches WHERE company_id = $1 AND id = $2");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(id).fetch_optional(ex).await?)
}

/// Batches of this company exported today (for the file id modifier).
pub async fn batches_since<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    since: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM nacha_batches WHERE company_id = $1 AND created_at >= $2")
        .bind(company_id)
        .bind(since)
        .fetch_one(ex)
        .await?)
}

/// ACH payments in a file whose settlement window has passed without a
/// return: `completed`. Returns the ids it completed.
pub async fn ach_settle_before<'c>(
    ex: impl Executor<'c, Database = Any>,
    effective_before: &str,
    now: i64,
) -> Result<Vec<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "UPDATE payments SET status = 'completed', completed_at = $2, updated_at = $2 \
         WHERE gateway = 'ach' AND status = 'pending' AND nacha_batch_id IN \
           (SELECT id FROM nacha_batches WHERE effective_on < $1) RETURNING id",
    )
    .bind(effective_before)
    .bind(now)
    .fetch_all(ex)
    .await?)
}

/// How many trace numbers this company has used (the next file's entries
/// continue the sequence, so trace numbers stay unique across files).
pub async fn traces_used<'c>(ex: impl Executor<'c, Database = Any>, company_id: i64) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM payments WHERE company_id = $1 AND trace_number IS NOT NULL")
        .bind(company_id)
        .fetch_one(ex)
        .await?)
}

/// Demo data only: date a payment as made at `at`, with a gateway reference.
pub async fn backdate<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    at: i64,
    gateway_ref: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE payments SET created_at = $3, updated_at = $3, submitted_at = $3, \
         completed_at = CASE WHEN status = 'completed' THEN $3 ELSE NULL END, \
         gateway_ref = CASE WHEN $4 = '' THEN gateway_ref ELSE $4 END WHERE company_id = $1 AND id = $2",
    )
    .bind(company_id)
    .bind(id)
    .bind(at)
    .bind(gateway_ref)
    .execute(ex)
    .await?;
    Ok(())
}

/// A payment to come on one account: scheduled (one-time or AutoPay's next
/// run) or being charged and not yet on the ledger.
#[derive(Debug, Clone, FromRow)]
pub struct Upcoming {
    pub account_id: i64,
    pub scheduled_on: String,
    pub amount_cents: i64,
    pub reference: String,
    /// `one_time`, `scheduled` or `automatic`.
    #[sqlx(try_from = "String")]
    pub kind: PaymentKind,
}

/// The payments of a contact that will still reach the ledger: scheduled,
/// or processing without a ledger entry yet. One query for all accounts.
pub async fn upcoming_for_contact<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<Vec<Upcoming>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT i.account_id, p.scheduled_on, i.amount_cents, p.reference, p.kind FROM payments p \
         JOIN payment_items i ON i.payment_id = p.id AND i.company_id = p.company_id \
         WHERE p.company_id = $1 AND p.contact_id = $2 AND i.transaction_id IS NULL \
           AND p.status IN ('scheduled', 'processing') \
         ORDER BY p.scheduled_on, p.id",
    )
    .bind(company_id)
    .bind(contact_id)
    .fetch_all(ex)
    .await?)
}
