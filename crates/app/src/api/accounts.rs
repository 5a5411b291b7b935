//! Accounts by API (read): a contact's accounts, one account with the
//! figures the portal shows, and its ledger. The figures are the portal's
//! own (`servicing::AccountView`), so the API answers what the customer
//! sees: balance, what is due, payoff today, a line's available credit, an
//! advance's remaining payback.

use portico_domain::codes::{AccountKind, AccountStatus, ApiScope, TxKind, TxStatus};
use portico_domain::validate::iso_date;
use portico_store::{accounts as store, people};
use serde::Serialize;

use crate::accounts::{contact_views, today, view_in};
use crate::api_keys::ApiClient;
use crate::servicing::AccountView;
use crate::{App, AppError, FieldErrors};

#[derive(Debug, Clone, Serialize)]
pub struct CreditLineJson {
    pub limit_cents: i64,
    pub available_cents: i64,
    pub statement_balance_cents: Option<i64>,
    pub statement_minimum_cents: Option<i64>,
    pub statement_due_on: Option<String>,
    pub minimum_left_cents: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct AdvanceJson {
    pub funded_cents: i64,
    pub factor_rate: String,
    pub total_payback_cents: i64,
    pub remitted_cents: i64,
    pub remaining_cents: i64,
    pub debit_amount_cents: i64,
    pub expected_completion_on: Option<String>,
}

/// An account with its terms and today's figures.
#[derive(Debug, Clone, Serialize)]
pub struct AccountJson {
    pub id: i64,
    pub external_id: Option<String>,
    pub contact_id: i64,
    pub number: String,
    pub kind: AccountKind,
    pub product: String,
    pub status: AccountStatus,
    /// Hidden from the portal by staff.
    pub hidden: bool,
    pub opened_on: String,
    pub amount_cents: i64,
    pub annual_rate: String,
    pub term_periods: Option<i64>,
    pub frequency: String,
    pub first_due_on: Option<String>,
    pub payment_cents: Option<i64>,
    pub day_count: String,
    /// What is owed now, signed: negative is a credit held.
    pub balance_cents: i64,
    pub principal_cents: i64,
    pub interest_cents: i64,
    pub fees_cents: i64,
    pub credit_cents: i64,
    pub payoff_today_cents: i64,
    pub per_diem_cents: i64,
    pub next_due_on: Option<String>,
    pub next_amount_cents: Option<i64>,
    pub past_due_cents: i64,
    pub paid_ahead_cents: i64,
    pub remaining_payments: Option<u32>,
    pub projected_payoff_on: Option<String>,
    pub paid_in_full: bool,
    pub credit_line: Option<CreditLineJson>,
    pub advance: Option<AdvanceJson>,
}

fn json(v: &AccountView) -> AccountJson {
    let a = &v.account;
    AccountJson {
        id: a.id,
        external_id: a.external_id.clone(),
        contact_id: a.contact_id,
        number: a.number.clone(),
        kind: a.kind,
        product: a.product.clone(),
        status: a.status,
        hidden: a.hidden,
        opened_on: a.opened_on.clone(),
        amount_cents: a.amount_cents,
        annual_rate: a.annual_rate.clone(),
        term_periods: a.term_periods,
        frequency: a.frequency.clone(),
        first_due_on: a.first_due_on.clone(),
        payment_cents: a.payment_cents,
        day_count: a.day_count.clone(),
        balance_cents: v.balance,
        principal_cents: v.ledger.principal,
        interest_cents: v.ledger.interest,
        fees_cents: v.ledger.fees,
        credit_cents: v.ledger.credit,
        payoff_today_cents: v.payoff_today(),
        per_diem_cents: v.per_diem,
        next_due_on: v.next_due.map(iso_date),
        next_amount_cents: v.next_amount,
        past_due_cents: v.past_due,
        paid_ahead_cents: v.paid_ahead,
        remaining_payments: v.remaining_payments,
        projected_payoff_on: v.projected_payoff.map(iso_date),
        paid_in_full: v.paid_in_full,
        credit_line: v.credit_line.as_ref().map(|c| CreditLineJson {
            limit_cents: c.limit,
            available_cents: c.available,
            statement_balance_cents: c.statement_balance,
            statement_minimum_cents: c.statement_minimum,
            statement_due_on: c.statement_due.map(iso_date),
            minimum_left_cents: c.minimum_left,
        }),
        advance: v.advance.as_ref().map(|x| AdvanceJson {
            funded_cents: x.funded,
            factor_rate: x.factor_rate.to_string(),
            total_payback_cents: x.total_payback,
            remitted_cents: x.remitted,
            remaining_cents: x.remaining,
            debit_amount_cents: x.debit_amount,
            expected_completion_on: x.expected_completion.map(iso_date),
        }),
    }
}

/// A contact's accounts, hidden ones too (with `hidden: true`).
pub async fn for_contact(app: &App, client: &ApiClient, contact_id: i64) -> Result<Vec<AccountJson>, AppError> {
    client.require(ApiScope::Read)?;
    let mut conn = app.read_conn().await?;
    people::contact(&mut *conn, client.company_id, contact_id).await?.ok_or(AppError::NotFound)?;
    Ok(contact_views(&mut conn, client.company_id, contact_id, true).await?.iter().map(json).collect())
}

/// The account of this company with this number.
async fn id_of(app: &App, client: &ApiClient, number: &str) -> Result<i64, AppError> {
    Ok(store::id_by_number(app.db.r(), client.company_id, number).await?.ok_or(AppError::NotFound)?.0)
}

/// One account by its number (as the payments API names accounts).
pub async fn get(app: &App, client: &ApiClient, number: &str) -> Result<AccountJson, AppError> {
    client.require(ApiScope::Read)?;
    let id = id_of(app, client, number).await?;
    let mut conn = app.read_conn().await?;
    Ok(json(&view_in(&mut conn, client.company_id, id, today()).await?))
}

/// A ledger entry.
#[derive(Debug, Clone, Serialize)]
pub struct EntryJson {
    pub id: i64,
    pub posted_on: String,
    pub kind: TxKind,
    pub status: TxStatus,
    pub amount_cents: i64,
    pub principal_cents: i64,
    pub interest_cents: i64,
    pub fees_cents: i64,
    pub credit_cents: i64,
    /// What it did to what is owed, signed (+ a charge, − a payment).
    pub effect_cents: i64,
    pub description: String,
    pub reference: Option<String>,
    pub reverses_id: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct EntryPage {
    pub data: Vec<EntryJson>,
    pub next_cursor: Option<String>,
}

/// An account's entries, newest first, `limit` (1–500) a page.
pub async fn transactions(
    app: &App,
    client: &ApiClient,
    number: &str,
    cursor: Option<&str>,
    limit: Option<i64>,
) -> Result<EntryPage, AppError> {
    client.require(ApiScope::Read)?;
    let mut e = FieldErrors::new();
    let offset = match cursor {
        None => 0,
        Some(c) => c.parse::<i64>().ok().filter(|o| *o > 0).unwrap_or_else(|| {
            e.add("cursor", "Pass the next_cursor of the previous page as it came.");
            0
        }),
    };
    let limit = limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        e.add("limit", "Ask for 1 to 500 entries a page.");
    }
    e.into_result()?;
    let account_id = id_of(app, client, number).await?;
    let rows = store::account_transactions(app.db.r(), client.company_id, account_id, limit + 1, offset).await?;
    let more = rows.len() as i64 > limit;
    let data = rows
        .iter()
        .take(limit as usize)
        .map(|t| EntryJson {
            id: t.id,
            posted_on: t.posted_on.clone(),
            kind: t.kind,
            status: t.status,
            amount_cents: t.amount_cents,
            principal_cents: t.principal_cents,
            interest_cents: t.interest_cents,
            fees_cents: t.fees_cents,
            credit_cents: t.credit_cents,
            effect_cents: t.effect_cents,
            description: t.description.clone(),
            reference: t.reference.clone(),
            reverses_id: t.reverses_id,
        })
        .collect();
    Ok(EntryPage { data, next_cursor: more.then(|| (offset + limit).to_string()) })
}
