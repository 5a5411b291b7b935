//! Accounts (loans, leases, lines of credit, cash advances), their ledger of
//! transactions, collateral, line-of-credit statements and payoff requests.
//!
//! Balances are not stored: every figure comes from the signed deltas of
//! posted transactions (`principal_cents`, `interest_cents`, `fees_cents`).
//! Reversing a transaction sets its status to `reversed` (so it leaves every
//! sum) and records a `reversal` entry with zero deltas that points at it.

use sqlx::{Any, Executor, FromRow};

use portico_domain::codes::{AccountKind, AccountStatus, TxKind, TxStatus};

use crate::{Flag, StoreError, flag};

#[derive(Debug, Clone, FromRow)]
pub struct Account {
    pub id: i64,
    pub company_id: i64,
    pub contact_id: i64,
    pub external_id: Option<String>,
    pub number: String,
    /// `installment`, `lease`, `line_of_credit` or `cash_advance`.
    #[sqlx(try_from = "String")]
    pub kind: AccountKind,
    pub product: String,
    #[sqlx(try_from = "String")]
    pub status: AccountStatus,
    #[sqlx(try_from = "Flag")]
    pub hidden: bool,
    pub opened_on: String,
    /// Original principal, credit limit, or funded amount.
    pub amount_cents: i64,
    pub annual_rate: String,
    pub factor_rate: Option<String>,
    pub term_periods: Option<i64>,
    pub frequency: String,
    pub first_due_on: Option<String>,
    pub payment_cents: Option<i64>,
    pub day_count: String,
    pub min_payment_percent: Option<String>,
    pub min_payment_floor_cents: Option<i64>,
}

const ACCOUNT_COLS: &str = "a.id, a.company_id, a.contact_id, a.external_id, a.number, a.kind, a.product, a.status, \
    a.hidden, a.opened_on, a.amount_cents, a.annual_rate, a.factor_rate, a.term_periods, a.frequency, a.first_due_on, \
    a.payment_cents, a.day_count, a.min_payment_percent, a.min_payment_floor_cents";

/// Ledger sums of one account's posted transactions.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    pub principal: i64,
    pub interest: i64,
    pub fees: i64,
    /// Money held for the customer beyond what is owed (≥ 0 when the ledger
    /// is consistent): owed = principal + interest + fees − credit.
    pub credit: i64,
    /// Principal added by disbursements and draws.
    pub disbursed: i64,
    /// Interest ever assessed.
    pub interest_assessed: i64,
    /// Fees ever assessed.
    pub fees_assessed: i64,
    /// Money received (posted payments and remittances).
    pub received: i64,
    pub last_payment_on: Option<String>,
    /// The date of the latest interest entry: interest is on the ledger up
    /// to that day, and accrues from it.
    pub last_interest_on: Option<String>,
    /// The date of the latest entry that moved the principal.
    pub last_principal_on: Option<String>,
}

#[derive(Debug, Clone)]
pub struct AccountWithLedger {
    pub account: Account,
    pub ledger: Ledger,
}

/// The ledger sums of the posted transactions `t` joined to an account `a`
/// (`... LEFT JOIN transactions t ... GROUP BY a.id`), as `Ledger`'s columns.
macro_rules! ledger_aggregates {
    () => {
        "CAST(SUM(t.principal_cents) AS BIGINT) AS principal, CAST(SUM(t.interest_cents) AS BIGINT) AS interest, \
         CAST(SUM(t.fees_cents) AS BIGINT) AS fees, CAST(SUM(t.credit_cents) AS BIGINT) AS credit, \
         CAST(SUM(CASE WHEN t.kind IN ('disbursement', 'draw') THEN t.principal_cents ELSE 0 END) AS BIGINT) AS disbursed, \
         CAST(SUM(CASE WHEN t.kind = 'interest' THEN t.interest_cents ELSE 0 END) AS BIGINT) AS interest_assessed, \
         CAST(SUM(CASE WHEN t.kind = 'fee' THEN t.fees_cents ELSE 0 END) AS BIGINT) AS fees_assessed, \
         CAST(SUM(CASE WHEN t.kind IN ('payment', 'remittance') THEN t.amount_cents ELSE 0 END) AS BIGINT) AS received, \
         MAX(CASE WHEN t.kind IN ('payment', 'remittance') THEN t.posted_on END) AS last_payment_on, \
         MAX(CASE WHEN t.kind = 'interest' THEN t.posted_on END) AS last_interest_on, \
         MAX(CASE WHEN t.principal_cents <> 0 THEN t.posted_on END) AS last_principal_on"
    };
}

fn ledger_of(row: &sqlx::any::AnyRow) -> Result<Ledger, sqlx::Error> {
    use sqlx::Row;
    let g = |k: &str| -> Result<i64, sqlx::Error> { Ok(row.try_get::<Option<i64>, _>(k)?.unwrap_or(0)) };
    Ok(Ledger {
        principal: g("principal")?,
        interest: g("interest")?,
        fees: g("fees")?,
        credit: g("credit")?,
        disbursed: g("disbursed")?,
        interest_assessed: g("interest_assessed")?,
        fees_assessed: g("fees_assessed")?,
        received: g("received")?,
        last_payment_on: row.try_get("last_payment_on")?,
        last_interest_on: row.try_get("last_interest_on")?,
        last_principal_on: row.try_get("last_principal_on")?,
    })
}

/// The accounts a customer may see in the portal, with their ledgers, in
/// one query (no per-account round trips).
pub async fn for_contact<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    include_hidden: bool,
) -> Result<Vec<AccountWithLedger>, StoreError> {
    let sql = format!(
        "SELECT {ACCOUNT_COLS}, {} FROM accounts a \
         LEFT JOIN transactions t ON t.account_id = a.id AND t.status = 'posted' AND t.company_id = $1 \
         WHERE a.company_id = $1 AND a.contact_id = $2 AND (a.hidden = 0 OR $3 = 1) \
         GROUP BY a.id ORDER BY a.opened_on DESC, a.id DESC",
        ledger_aggregates!()
    );
    let rows = sqlx::query(&sql).bind(company_id).bind(contact_id).bind(flag(include_hidden)).fetch_all(ex).await?;
    rows.iter()
        .map(|r| Ok(AccountWithLedger { account: Account::from_row(r)?, ledger: ledger_of(r)? }))
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(StoreError::from)
}

/// The accounts a customer may see in the portal, with their ledgers and,
/// for lines of credit, the latest statement: one statement for the
/// dashboard and the accounts list. The statement join matches at most
/// one row per account (`UNIQUE (account_id, cycle_start)`), so the ledger
/// sums are not multiplied.
pub async fn portal_accounts<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<Vec<(AccountWithLedger, Option<Statement>)>, StoreError> {
    use sqlx::Row;
    let sql = format!(
        "SELECT {ACCOUNT_COLS}, {}, st.id AS st_id, st.cycle_start AS st_cycle_start, st.cycle_end AS st_cycle_end, \
         st.opening_cents AS st_opening, st.closing_cents AS st_closing, st.draws_cents AS st_draws, \
         st.payments_cents AS st_payments, st.interest_cents AS st_interest, st.fees_cents AS st_fees, \
         st.minimum_payment_cents AS st_minimum, st.due_on AS st_due_on FROM accounts a \
         LEFT JOIN statements st ON a.kind = 'line_of_credit' AND st.company_id = $1 AND st.account_id = a.id \
           AND st.cycle_start = (SELECT MAX(s2.cycle_start) FROM statements s2 \
             WHERE s2.company_id = $1 AND s2.account_id = a.id) \
         LEFT JOIN transactions t ON t.account_id = a.id AND t.status = 'posted' AND t.company_id = $1 \
         WHERE a.company_id = $1 AND a.contact_id = $2 AND a.hidden = 0 \
         GROUP BY a.id, st.id ORDER BY a.opened_on DESC, a.id DESC",
        ledger_aggregates!()
    );
    let rows = sqlx::query(&sql).bind(company_id).bind(contact_id).fetch_all(ex).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let account = Account::from_row(r)?;
        let statement = match r.try_get::<Option<i64>, _>("st_id")? {
            Some(id) => Some(Statement {
                id,
                account_id: account.id,
                cycle_start: r.try_get("st_cycle_start")?,
                cycle_end: r.try_get("st_cycle_end")?,
                opening_cents: r.try_get("st_opening")?,
                closing_cents: r.try_get("st_closing")?,
                draws_cents: r.try_get("st_draws")?,
                payments_cents: r.try_get("st_payments")?,
                interest_cents: r.try_get("st_interest")?,
                fees_cents: r.try_get("st_fees")?,
                minimum_payment_cents: r.try_get("st_minimum")?,
                due_on: r.try_get("st_due_on")?,
            }),
            None => None,
        };
        out.push((AccountWithLedger { account, ledger: ledger_of(r)? }, statement));
    }
    Ok(out)
}

/// One account of this company and contact (a portal view), or `None`.
pub async fn for_contact_one<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    account_id: i64,
    include_hidden: bool,
) -> Result<Option<AccountWithLedger>, StoreError> {
    let sql = format!(
        "SELECT {ACCOUNT_COLS}, {} FROM accounts a \
         LEFT JOIN transactions t ON t.account_id = a.id AND t.status = 'posted' AND t.company_id = $1 \
         WHERE a.company_id = $1 AND a.contact_id = $2 AND a.id = $3 AND (a.hidden = 0 OR $4 = 1) GROUP BY a.id",
        ledger_aggregates!()
    );
    let row = sqlx::query(&sql)
        .bind(company_id)
        .bind(contact_id)
        .bind(account_id)
        .bind(flag(include_hidden))
        .fetch_optional(ex)
        .await?;
    match row {
        Some(r) => Ok(Some(AccountWithLedger { account: Account::from_row(&r)?, ledger: ledger_of(&r)? })),
        None => Ok(None),
    }
}

/// An account of this company (for staff), with its ledger.
pub async fn for_company_one<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    account_id: i64,
) -> Result<Option<AccountWithLedger>, StoreError> {
    let sql = format!(
        "SELECT {ACCOUNT_COLS}, {} FROM accounts a \
         LEFT JOIN transactions t ON t.account_id = a.id AND t.status = 'posted' AND t.company_id = $1 \
         WHERE a.company_id = $1 AND a.id = $2 GROUP BY a.id",
        ledger_aggregates!()
    );
    let row = sqlx::query(&sql).bind(company_id).bind(account_id).fetch_optional(ex).await?;
    match row {
        Some(r) => Ok(Some(AccountWithLedger { account: Account::from_row(&r)?, ledger: ledger_of(&r)? })),
        None => Ok(None),
    }
}

/// The id and contact of a company's account by its number (API callers).
pub async fn id_by_number<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    number: &str,
) -> Result<Option<(i64, i64)>, StoreError> {
    Ok(sqlx::query_as("SELECT id, contact_id FROM accounts WHERE company_id = $1 AND number = $2")
        .bind(company_id)
        .bind(number)
        .fetch_optional(ex)
        .await?)
}

#[derive(Debug, Clone, Default)]
pub struct NewAccount {
    pub contact_id: i64,
    pub external_id: Option<String>,
    pub number: String,
    pub kind: AccountKind,
    pub product: String,
    pub status: AccountStatus,
    pub opened_on: String,
    pub amount_cents: i64,
    pub annual_rate: String,
    pub factor_rate: Option<String>,
    pub term_periods: Option<i64>,
    pub frequency: String,
    pub first_due_on: Option<String>,
    pub payment_cents: Option<i64>,
    pub day_count: String,
    pub min_payment_percent: Option<String>,
    pub min_payment_floor_cents: Option<i64>,
}

pub async fn insert_account<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    a: &NewAccount,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO accounts (company_id, contact_id, external_id, number, kind, product, status, opened_on, \
         amount_cents, annual_rate, factor_rate, term_periods, frequency, first_due_on, payment_cents, day_count, \
         min_payment_percent, min_payment_floor_cents, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id",
    )
    .bind(company_id)
    .bind(a.contact_id)
    .bind(&a.external_id)
    .bind(&a.number)
    .bind(a.kind.code())
    .bind(&a.product)
    .bind(a.status.code())
    .bind(&a.opened_on)
    .bind(a.amount_cents)
    .bind(&a.annual_rate)
    .bind(&a.factor_rate)
    .bind(a.term_periods)
    .bind(&a.frequency)
    .bind(&a.first_due_on)
    .bind(a.payment_cents)
    .bind(&a.day_count)
    .bind(&a.min_payment_percent)
    .bind(a.min_payment_floor_cents)
    .bind(now)
    .fetch_one(ex)
    .await?)
}

pub async fn set_status<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    account_id: i64,
    status: AccountStatus,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE accounts SET status = $3 WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(account_id)
        .bind(status.code())
        .execute(ex)
        .await?;
    Ok(())
}

pub async fn set_hidden<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    account_id: i64,
    hidden: bool,
) -> Result<bool, StoreError> {
    let r = sqlx::query("UPDATE accounts SET hidden = $3 WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(account_id)
        .bind(flag(hidden))
        .execute(ex)
        .await?;
    Ok(r.rows_affected() > 0)
}

#[derive(Debug, Clone, FromRow)]
pub struct Transaction {
    pub id: i64,
    pub account_id: i64,
    pub posted_on: String,
    #[sqlx(try_from = "String")]
    pub kind: TxKind,
    #[sqlx(try_from = "String")]
    pub status: TxStatus,
    pub amount_cents: i64,
    pub principal_cents: i64,
    pub interest_cents: i64,
    pub fees_cents: i64,
    pub credit_cents: i64,
    pub description: String,
    pub reference: Option<String>,
    pub reverses_id: Option<i64>,
    pub account_number: String,
    /// What the entry does to what is owed, signed: + a charge or draw, − a
    /// payment or credit; a reversal undoes its original's effect; an
    /// entry with no split counts its amount.
    pub effect_cents: i64,
}

/// The signed effect of entry `t` on what is owed: its deltas; for a
/// reversal the opposite of its original's; for an entry with no split,
/// its amount, minus for money in. Shown, exported and sorted by.
macro_rules! effect_sql {
    () => {
        "CASE WHEN t.kind = 'reversal' THEN -COALESCE((SELECT o.principal_cents + o.interest_cents \
         + o.fees_cents - o.credit_cents FROM transactions o WHERE o.id = t.reverses_id AND o.company_id = t.company_id), 0) \
         WHEN t.principal_cents = 0 AND t.interest_cents = 0 AND t.fees_cents = 0 AND t.credit_cents = 0 THEN \
           CASE WHEN t.kind IN ('payment', 'remittance', 'credit') THEN -t.amount_cents ELSE t.amount_cents END \
         ELSE t.principal_cents + t.interest_cents + t.fees_cents - t.credit_cents END"
    };
}

const TX_COLS: &str = concat!(
    "t.id, t.account_id, t.posted_on, t.kind, t.status, t.amount_cents, t.principal_cents, t.interest_cents, \
     t.fees_cents, t.credit_cents, t.description, t.reference, t.reverses_id, a.number AS account_number, ",
    effect_sql!(),
    " AS effect_cents"
);

#[derive(Debug, Clone, Default)]
pub struct NewTransaction {
    pub account_id: i64,
    pub posted_on: String,
    pub kind: TxKind,
    pub status: TxStatus,
    pub amount_cents: i64,
    pub principal_cents: i64,
    pub interest_cents: i64,
    pub fees_cents: i64,
    /// Credit held for the customer: + when a payment leaves money over, −
    /// when a payment uses it or staff refund it.
    pub credit_cents: i64,
    pub description: String,
    pub reference: Option<String>,
    pub reverses_id: Option<i64>,
    pub staff_user_id: Option<i64>,
}

pub async fn insert_transaction<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    t: &NewTransaction,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO transactions (company_id, account_id, posted_on, kind, status, amount_cents, principal_cents, \
         interest_cents, fees_cents, credit_cents, description, reference, reverses_id, staff_user_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
    )
    .bind(company_id)
    .bind(t.account_id)
    .bind(&t.posted_on)
    .bind(t.kind.code())
    .bind(t.status.code())
    .bind(t.amount_cents)
    .bind(t.principal_cents)
    .bind(t.interest_cents)
    .bind(t.fees_cents)
    .bind(t.credit_cents)
    .bind(&t.description)
    .bind(&t.reference)
    .bind(t.reverses_id)
    .bind(t.staff_user_id)
    .bind(now)
    .fetch_one(ex)
    .await?)
}

/// An account's transactions, newest first.
pub async fn account_transactions<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    account_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<Transaction>, StoreError> {
    let sql = format!(
        "SELECT {TX_COLS} FROM transactions t JOIN accounts a ON a.id = t.account_id \
         WHERE t.company_id = $1 AND t.account_id = $2 ORDER BY t.posted_on DESC, t.id DESC LIMIT $3 OFFSET $4"
    );
    Ok(sqlx::query_as(&sql).bind(company_id).bind(account_id).bind(limit).bind(offset).fetch_all(ex).await?)
}

pub async fn transaction<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
) -> Result<Option<Transaction>, StoreError> {
    let sql = format!(
        "SELECT {TX_COLS} FROM transactions t JOIN accounts a ON a.id = t.account_id \
         WHERE t.company_id = $1 AND t.id = $2"
    );
    Ok(sqlx::query_as(&sql).bind(company_id).bind(id).fetch_optional(ex).await?)
}

pub async fn set_transaction_status<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    status: TxStatus,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE transactions SET status = $3 WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .bind(status.code())
        .execute(ex)
        .await?;
    Ok(())
}

/// Filters of the customer's Transactions page. Every list is a whitelist
/// already validated by the caller.
#[derive(Debug, Clone, Default)]
pub struct TxFilter {
    pub from: Option<String>,
    pub to: Option<String>,
    pub account_id: Option<i64>,
    pub kinds: Vec<TxKind>,
    pub statuses: Vec<TxStatus>,
    /// `date`, `amount`, `kind`, `status` or `account`, validated by the caller.
    pub sort: String,
    pub descending: bool,
}

fn in_list(col: &str, values: &[&str], first: usize, binds: &mut Vec<String>) -> String {
    if values.is_empty() {
        return "1 = 1".into();
    }
    let ph: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            binds.push((*v).to_owned());
            format!("${}", first + i)
        })
        .collect();
    format!("{col} IN ({})", ph.join(", "))
}

fn tx_filter_sql(f: &TxFilter) -> (String, Vec<String>) {
    // $1 company, $2 contact, $3 from, $4 to, $5 account; lists from $6.
    let mut binds = Vec::new();
    let kinds: Vec<&str> = f.kinds.iter().map(|k| k.code()).collect();
    let statuses: Vec<&str> = f.statuses.iter().map(|s| s.code()).collect();
    let kinds = in_list("t.kind", &kinds, 6, &mut binds);
    let statuses = in_list("t.status", &statuses, 6 + binds.len(), &mut binds);
    let sql = format!(
        "FROM transactions t JOIN accounts a ON a.id = t.account_id \
         WHERE t.company_id = $1 AND a.company_id = $1 AND a.contact_id = $2 AND a.hidden = 0 \
         AND ($3 IS NULL OR t.posted_on >= $3) AND ($4 IS NULL OR t.posted_on <= $4) \
         AND ($5 IS NULL OR t.account_id = $5) AND {kinds} AND {statuses}"
    );
    (sql, binds)
}

fn order_by(f: &TxFilter) -> String {
    let dir = if f.descending { "DESC" } else { "ASC" };
    // Amounts sort by size, as shown (the signed effect without its sign).
    let col = match f.sort.as_str() {
        "amount" => concat!("ABS(", effect_sql!(), ")"),
        "kind" => "t.kind",
        "status" => "t.status",
        "account" => "a.number",
        _ => "t.posted_on",
    };
    format!("ORDER BY {col} {dir}, t.id {dir}")
}

/// A page of the customer's transactions across their visible accounts.
pub async fn customer_transactions<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    f: &TxFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<Transaction>, StoreError> {
    let (from, binds) = tx_filter_sql(f);
    let n = 6 + binds.len();
    let sql = format!("SELECT {TX_COLS} {from} {} LIMIT ${n} OFFSET ${}", order_by(f), n + 1);
    let mut q = sqlx::query_as::<_, Transaction>(&sql)
        .bind(company_id)
        .bind(contact_id)
        .bind(f.from.clone())
        .bind(f.to.clone())
        .bind(f.account_id);
    for b in binds {
        q = q.bind(b);
    }
    Ok(q.bind(limit).bind(offset).fetch_all(ex).await?)
}

pub async fn count_customer_transactions<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    f: &TxFilter,
) -> Result<i64, StoreError> {
    let (from, binds) = tx_filter_sql(f);
    let sql = format!("SELECT COUNT(*) {from}");
    let mut q = sqlx::query_scalar::<_, i64>(&sql)
        .bind(company_id)
        .bind(contact_id)
        .bind(f.from.clone())
        .bind(f.to.clone())
        .bind(f.account_id);
    for b in binds {
        q = q.bind(b);
    }
    Ok(q.fetch_one(ex).await?)
}

#[derive(Debug, Clone, FromRow)]
pub struct Collateral {
    pub id: i64,
    pub account_id: i64,
    pub description: String,
    pub kind: String,
    pub identifier_label: String,
    pub identifier: String,
    pub value_cents: Option<i64>,
}

pub async fn collateral<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    account_id: i64,
) -> Result<Vec<Collateral>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, account_id, description, kind, identifier_label, identifier, value_cents FROM collateral \
         WHERE company_id = $1 AND account_id = $2 ORDER BY id",
    )
    .bind(company_id)
    .bind(account_id)
    .fetch_all(ex)
    .await?)
}

pub async fn insert_collateral<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    account_id: i64,
    c: (&str, &str, &str, &str, Option<i64>),
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO collateral (company_id, account_id, description, kind, identifier_label, identifier, value_cents, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(company_id)
    .bind(account_id)
    .bind(c.0)
    .bind(c.1)
    .bind(c.2)
    .bind(c.3)
    .bind(c.4)
    .bind(now)
    .fetch_one(ex)
    .await?)
}

#[derive(Debug, Clone, FromRow)]
pub struct Statement {
    pub id: i64,
    pub account_id: i64,
    pub cycle_start: String,
    pub cycle_end: String,
    pub opening_cents: i64,
    pub closing_cents: i64,
    pub draws_cents: i64,
    pub payments_cents: i64,
    pub interest_cents: i64,
    pub fees_cents: i64,
    pub minimum_payment_cents: i64,
    pub due_on: String,
}

const ST_COLS: &str = "id, account_id, cycle_start, cycle_end, opening_cents, closing_cents, draws_cents, \
    payments_cents, interest_cents, fees_cents, minimum_payment_cents, due_on";

pub async fn statements<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    account_id: i64,
) -> Result<Vec<Statement>, StoreError> {
    let sql =
        format!("SELECT {ST_COLS} FROM statements WHERE company_id = $1 AND account_id = $2 ORDER BY cycle_start DESC");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(account_id).fetch_all(ex).await?)
}

pub async fn statement<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    account_id: i64,
    id: i64,
) -> Result<Option<Statement>, StoreError> {
    let sql = format!("SELECT {ST_COLS} FROM statements WHERE company_id = $1 AND account_id = $2 AND id = $3");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(account_id).bind(id).fetch_optional(ex).await?)
}

pub async fn insert_statement<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    s: &Statement,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO statements (company_id, account_id, cycle_start, cycle_end, opening_cents, closing_cents, \
         draws_cents, payments_cents, interest_cents, fees_cents, minimum_payment_cents, due_on, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(company_id)
    .bind(s.account_id)
    .bind(&s.cycle_start)
    .bind(&s.cycle_end)
    .bind(s.opening_cents)
    .bind(s.closing_cents)
    .bind(s.draws_cents)
    .bind(s.payments_cents)
    .bind(s.interest_cents)
    .bind(s.fees_cents)
    .bind(s.minimum_payment_cents)
    .bind(&s.due_on)
    .bind(now)
    .fetch_one(ex)
    .await?)
}

/// Transactions of an account within a date range, oldest first (for a
/// statement's lines).
pub async fn transactions_between<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    account_id: i64,
    from: &str,
    to: &str,
) -> Result<Vec<Transaction>, StoreError> {
    let sql = format!(
        "SELECT {TX_COLS} FROM transactions t JOIN accounts a ON a.id = t.account_id \
         WHERE t.company_id = $1 AND t.account_id = $2 AND t.posted_on >= $3 AND t.posted_on <= $4 \
         ORDER BY t.posted_on, t.id"
    );
    Ok(sqlx::query_as(&sql).bind(company_id).bind(account_id).bind(from).bind(to).fetch_all(ex).await?)
}

#[derive(Debug, Clone, FromRow)]
pub struct PayoffRequest {
    pub id: i64,
    pub contact_id: i64,
    pub reference: String,
    pub as_of: String,
    pub good_through: String,
    pub total_cents: i64,
    pub status: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct PayoffItem {
    pub account_id: i64,
    pub account_number: String,
    pub principal_cents: i64,
    pub interest_cents: i64,
    pub fees_cents: i64,
    pub per_diem_cents: i64,
    pub total_cents: i64,
    /// How the account counts interest, in words (letter).
    pub basis: String,
}

pub async fn insert_payoff_request(
    tx: &mut crate::Tx,
    company_id: i64,
    r: &PayoffRequest,
    items: &[PayoffItem],
) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO payoff_requests (company_id, contact_id, reference, as_of, good_through, total_cents, status, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(company_id)
    .bind(r.contact_id)
    .bind(&r.reference)
    .bind(&r.as_of)
    .bind(&r.good_through)
    .bind(r.total_cents)
    .bind(&r.status)
    .bind(r.created_at)
    .fetch_one(&mut **tx)
    .await?;
    for i in items {
        sqlx::query(
            "INSERT INTO payoff_request_items (request_id, account_id, principal_cents, interest_cents, fees_cents, \
             per_diem_cents, total_cents, basis) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(i.account_id)
        .bind(i.principal_cents)
        .bind(i.interest_cents)
        .bind(i.fees_cents)
        .bind(i.per_diem_cents)
        .bind(i.total_cents)
        .bind(&i.basis)
        .execute(&mut **tx)
        .await?;
    }
    Ok(id)
}

const PR_COLS: &str = "r.id, r.contact_id, r.reference, r.as_of, r.good_through, r.total_cents, r.status, r.created_at";

/// A customer's payoff request by reference (another customer's: `None`).
pub async fn payoff_request<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    reference: &str,
) -> Result<Option<PayoffRequest>, StoreError> {
    let sql = format!(
        "SELECT {PR_COLS} FROM payoff_requests r WHERE r.company_id = $1 AND r.contact_id = $2 AND r.reference = $3"
    );
    Ok(sqlx::query_as(&sql).bind(company_id).bind(contact_id).bind(reference).fetch_optional(ex).await?)
}

pub async fn payoff_items<'c>(
    ex: impl Executor<'c, Database = Any>,
    request_id: i64,
) -> Result<Vec<PayoffItem>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT i.account_id, a.number AS account_number, i.principal_cents, i.interest_cents, i.fees_cents, \
         i.per_diem_cents, i.total_cents, i.basis FROM payoff_request_items i JOIN accounts a ON a.id = i.account_id \
         WHERE i.request_id = $1 ORDER BY i.id",
    )
    .bind(request_id)
    .fetch_all(ex)
    .await?)
}

/// Payoff requests of a company, newest first, with the customer's name.
pub async fn payoff_requests_for_company<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    limit: i64,
) -> Result<Vec<(PayoffRequest, String)>, StoreError> {
    let sql = format!(
        "SELECT {PR_COLS}, c.first_name || ' ' || c.last_name AS customer FROM payoff_requests r \
         JOIN contacts c ON c.id = r.contact_id WHERE r.company_id = $1 ORDER BY r.id DESC LIMIT $2"
    );
    let rows = sqlx::query(&sql).bind(company_id).bind(limit).fetch_all(ex).await?;
    use sqlx::Row;
    rows.iter()
        .map(|r| Ok((PayoffRequest::from_row(r)?, r.try_get::<String, _>("customer")?)))
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(StoreError::from)
}

/// An account's posted transactions dated after `after` (`YYYY-MM-DD`), in
/// date order: a line of credit's activity since its last cycle end.
pub async fn posted_after<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    account_id: i64,
    after: &str,
) -> Result<Vec<Transaction>, StoreError> {
    let sql = format!(
        "SELECT {TX_COLS} FROM transactions t JOIN accounts a ON a.id = t.account_id AND a.company_id = t.company_id \
         WHERE t.company_id = $1 AND t.account_id = $2 AND t.status = 'posted' AND t.posted_on > $3 \
         ORDER BY t.posted_on, t.id"
    );
    Ok(sqlx::query_as(&sql).bind(company_id).bind(account_id).bind(after).fetch_all(ex).await?)
}
