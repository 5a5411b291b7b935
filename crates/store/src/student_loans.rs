//! Student loans (seed 001, "Loans and Programs"): the borrower's federal
//! loans (from the data file or typed by hand), the figures they entered for
//! the estimates, estimates shared with the company (with one row per plan,
//! as computed when shared), and the plan the company recorded.
//!
//! Every query takes the company id; customer views also take the contact.

use sqlx::{Any, Executor, FromRow};

use crate::{Flag, StoreError, Tx, flag};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct LoanRow {
    pub id: i64,
    pub company_id: i64,
    pub contact_id: i64,
    /// `file` or `manual`.
    pub source: String,
    /// NSLDS loan type code (D1, D2, … PL, CL).
    pub type_code: String,
    pub description: String,
    pub school: String,
    /// Principal + outstanding interest.
    pub balance_cents: i64,
    /// Annual rate as a decimal fraction.
    pub rate: String,
    pub first_disbursed: Option<String>,
    pub created_at: i64,
}

const LOAN_COLS: &str = "id, company_id, contact_id, source, type_code, description, school, balance_cents, rate, first_disbursed, created_at";

pub async fn loans<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<Vec<LoanRow>, StoreError> {
    let sql = format!("SELECT {LOAN_COLS} FROM student_loans WHERE company_id = $1 AND contact_id = $2 ORDER BY id");
    Ok(sqlx::query_as(&sql).bind(company_id).bind(contact_id).fetch_all(ex).await?)
}

/// A loan as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewLoan {
    pub source: String,
    pub type_code: String,
    pub description: String,
    pub school: String,
    pub balance_cents: i64,
    pub rate: String,
    pub first_disbursed: Option<String>,
}

pub async fn insert_loan<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    l: &NewLoan,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO student_loans (company_id, contact_id, source, type_code, description, school, balance_cents, \
         rate, first_disbursed, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(company_id)
    .bind(contact_id)
    .bind(&l.source)
    .bind(&l.type_code)
    .bind(&l.description)
    .bind(&l.school)
    .bind(l.balance_cents)
    .bind(&l.rate)
    .bind(&l.first_disbursed)
    .bind(now)
    .fetch_one(ex)
    .await?)
}

/// Replace all of a contact's loans with the ones of a data file, in one
/// transaction (the caller's), and remember the file's name and date.
pub async fn replace_loans(
    tx: &mut Tx,
    company_id: i64,
    contact_id: i64,
    loans: &[NewLoan],
    file_name: &str,
    file_request_date: Option<&str>,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM student_loans WHERE company_id = $1 AND contact_id = $2")
        .bind(company_id)
        .bind(contact_id)
        .execute(&mut **tx)
        .await?;
    for l in loans {
        insert_loan(&mut **tx, company_id, contact_id, l, now).await?;
    }
    ensure_profile(&mut **tx, company_id, contact_id, now).await?;
    sqlx::query(
        "UPDATE student_loan_profiles SET file_name = $3, file_request_date = $4, file_uploaded_at = $5, \
         updated_at = $5 WHERE company_id = $1 AND contact_id = $2",
    )
    .bind(company_id)
    .bind(contact_id)
    .bind(file_name)
    .bind(file_request_date)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Delete one of the contact's loans; false when it isn't theirs.
pub async fn delete_loan<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    id: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query("DELETE FROM student_loans WHERE company_id = $1 AND contact_id = $2 AND id = $3")
        .bind(company_id)
        .bind(contact_id)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(r.rows_affected() > 0)
}

// ---------------------------------------------------------------- profile (inputs)

#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Profile {
    pub contact_id: i64,
    pub company_id: i64,
    pub agi_cents: Option<i64>,
    pub family_size: Option<i64>,
    pub dependents: Option<i64>,
    pub state: Option<String>,
    pub filing_status: Option<String>,
    pub file_name: Option<String>,
    pub file_request_date: Option<String>,
    pub file_uploaded_at: Option<i64>,
    pub updated_at: i64,
}

pub async fn profile<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<Option<Profile>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT contact_id, company_id, agi_cents, family_size, dependents, state, filing_status, file_name, \
         file_request_date, file_uploaded_at, updated_at FROM student_loan_profiles \
         WHERE company_id = $1 AND contact_id = $2",
    )
    .bind(company_id)
    .bind(contact_id)
    .fetch_optional(ex)
    .await?)
}

async fn ensure_profile<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO student_loan_profiles (contact_id, company_id, updated_at) VALUES ($2, $1, $3) \
         ON CONFLICT (contact_id) DO NOTHING",
    )
    .bind(company_id)
    .bind(contact_id)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

/// Save the figures the borrower entered.
#[allow(clippy::too_many_arguments)]
pub async fn save_inputs(
    tx: &mut Tx,
    company_id: i64,
    contact_id: i64,
    agi_cents: i64,
    family_size: i64,
    dependents: i64,
    state: &str,
    filing_status: &str,
    now: i64,
) -> Result<(), StoreError> {
    ensure_profile(&mut **tx, company_id, contact_id, now).await?;
    sqlx::query(
        "UPDATE student_loan_profiles SET agi_cents = $3, family_size = $4, dependents = $5, state = $6, \
         filing_status = $7, updated_at = $8 WHERE company_id = $1 AND contact_id = $2",
    )
    .bind(company_id)
    .bind(contact_id)
    .bind(agi_cents)
    .bind(family_size)
    .bind(dependents)
    .bind(state)
    .bind(filing_status)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------- shared estimates

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct EstimateRow {
    pub id: i64,
    pub company_id: i64,
    pub contact_id: i64,
    pub reference: String,
    pub as_of: String,
    pub agi_cents: i64,
    pub family_size: i64,
    pub dependents: i64,
    pub state: String,
    pub filing_status: String,
    pub loans: i64,
    pub total_balance_cents: i64,
    pub weighted_rate: String,
    pub poverty_year: i64,
    pub poverty_guideline_cents: i64,
    pub discretionary_income_cents: i64,
    /// `shared` or `reviewed`.
    pub status: String,
    pub shared_at: i64,
    pub reviewed_by: Option<i64>,
    pub reviewed_at: Option<i64>,
}

const EST_COLS: &str = "e.id, e.company_id, e.contact_id, e.reference, e.as_of, e.agi_cents, e.family_size, \
    e.dependents, e.state, e.filing_status, e.loans, e.total_balance_cents, e.weighted_rate, e.poverty_year, \
    e.poverty_guideline_cents, e.discretionary_income_cents, e.status, e.shared_at, e.reviewed_by, e.reviewed_at";

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct EstimatePlanRow {
    pub id: i64,
    pub estimate_id: i64,
    pub company_id: i64,
    pub plan: String,
    #[sqlx(try_from = "Flag")]
    pub eligible: bool,
    pub reason: String,
    /// Notes separated by newlines.
    pub notes: String,
    pub first_payment_cents: Option<i64>,
    pub last_payment_cents: Option<i64>,
    pub payments: Option<i64>,
    pub total_paid_cents: Option<i64>,
    pub forgiven_cents: Option<i64>,
}

pub async fn insert_estimate(tx: &mut Tx, e: &EstimateRow, plans: &[EstimatePlanRow]) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO student_loan_estimates (company_id, contact_id, reference, as_of, agi_cents, family_size, \
         dependents, state, filing_status, loans, total_balance_cents, weighted_rate, poverty_year, \
         poverty_guideline_cents, discretionary_income_cents, status, shared_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
    )
    .bind(e.company_id)
    .bind(e.contact_id)
    .bind(&e.reference)
    .bind(&e.as_of)
    .bind(e.agi_cents)
    .bind(e.family_size)
    .bind(e.dependents)
    .bind(&e.state)
    .bind(&e.filing_status)
    .bind(e.loans)
    .bind(e.total_balance_cents)
    .bind(&e.weighted_rate)
    .bind(e.poverty_year)
    .bind(e.poverty_guideline_cents)
    .bind(e.discretionary_income_cents)
    .bind(&e.status)
    .bind(e.shared_at)
    .fetch_one(&mut **tx)
    .await?;
    for p in plans {
        sqlx::query(
            "INSERT INTO student_loan_estimate_plans (estimate_id, company_id, plan, eligible, reason, notes, \
             first_payment_cents, last_payment_cents, payments, total_paid_cents, forgiven_cents) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(id)
        .bind(e.company_id)
        .bind(&p.plan)
        .bind(flag(p.eligible))
        .bind(&p.reason)
        .bind(&p.notes)
        .bind(p.first_payment_cents)
        .bind(p.last_payment_cents)
        .bind(p.payments)
        .bind(p.total_paid_cents)
        .bind(p.forgiven_cents)
        .execute(&mut **tx)
        .await?;
    }
    Ok(id)
}

/// A contact's shared estimates, newest first.
pub async fn estimates_for_contact<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<Vec<EstimateRow>, StoreError> {
    let sql = format!(
        "SELECT {EST_COLS} FROM student_loan_estimates e WHERE e.company_id = $1 AND e.contact_id = $2 \
         ORDER BY e.shared_at DESC, e.id DESC"
    );
    Ok(sqlx::query_as(&sql).bind(company_id).bind(contact_id).fetch_all(ex).await?)
}

/// One estimate of this company (staff), or of this contact when
/// `contact_id` is given (portal).
pub async fn estimate<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: Option<i64>,
    id: i64,
) -> Result<Option<EstimateRow>, StoreError> {
    let sql = format!(
        "SELECT {EST_COLS} FROM student_loan_estimates e WHERE e.company_id = $1 AND e.id = $2 \
         AND ($3 = 0 OR e.contact_id = $4)"
    );
    Ok(sqlx::query_as(&sql)
        .bind(company_id)
        .bind(id)
        .bind(flag(contact_id.is_some()))
        .bind(contact_id.unwrap_or(0))
        .fetch_optional(ex)
        .await?)
}

pub async fn estimate_plans<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    estimate_id: i64,
) -> Result<Vec<EstimatePlanRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, estimate_id, company_id, plan, eligible, reason, notes, first_payment_cents, \
         last_payment_cents, payments, total_paid_cents, forgiven_cents FROM student_loan_estimate_plans \
         WHERE company_id = $1 AND estimate_id = $2 ORDER BY id",
    )
    .bind(company_id)
    .bind(estimate_id)
    .fetch_all(ex)
    .await?)
}

/// The company's shared estimates with the customer's name, newest first.
pub async fn estimates_for_company<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    limit: i64,
) -> Result<Vec<(EstimateRow, String)>, StoreError> {
    use sqlx::Row;
    let sql = format!(
        "SELECT {EST_COLS}, c.first_name || ' ' || c.last_name AS customer FROM student_loan_estimates e \
         JOIN contacts c ON c.id = e.contact_id AND c.company_id = e.company_id WHERE e.company_id = $1 \
         ORDER BY CASE WHEN e.status = 'shared' THEN 0 ELSE 1 END, e.shared_at DESC, e.id DESC LIMIT $2"
    );
    let rows = sqlx::query(&sql).bind(company_id).bind(limit).fetch_all(ex).await?;
    rows.iter()
        .map(|r| Ok((EstimateRow::from_row(r)?, r.try_get::<String, _>("customer")?)))
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(StoreError::from)
}

pub async fn mark_reviewed<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    id: i64,
    staff_user_id: i64,
    now: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE student_loan_estimates SET status = 'reviewed', reviewed_by = $3, reviewed_at = $4 \
         WHERE company_id = $1 AND id = $2",
    )
    .bind(company_id)
    .bind(id)
    .bind(staff_user_id)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(r.rows_affected() > 0)
}

// ---------------------------------------------------------------- recorded plan

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct RecordedPlan {
    pub contact_id: i64,
    pub company_id: i64,
    pub plan: String,
    pub monthly_payment_cents: Option<i64>,
    pub starts_on: Option<String>,
    pub note: String,
    pub estimate_id: Option<i64>,
    pub recorded_by: i64,
    pub recorded_at: i64,
}

pub async fn recorded_plan<'c>(
    ex: impl Executor<'c, Database = Any>,
    company_id: i64,
    contact_id: i64,
) -> Result<Option<RecordedPlan>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT contact_id, company_id, plan, monthly_payment_cents, starts_on, note, estimate_id, recorded_by, \
         recorded_at FROM student_loan_plans WHERE company_id = $1 AND contact_id = $2",
    )
    .bind(company_id)
    .bind(contact_id)
    .fetch_optional(ex)
    .await?)
}

pub async fn save_recorded_plan<'c>(ex: impl Executor<'c, Database = Any>, p: &RecordedPlan) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO student_loan_plans (contact_id, company_id, plan, monthly_payment_cents, starts_on, note, \
         estimate_id, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (contact_id) DO UPDATE SET plan = excluded.plan, \
         monthly_payment_cents = excluded.monthly_payment_cents, starts_on = excluded.starts_on, \
         note = excluded.note, estimate_id = excluded.estimate_id, recorded_by = excluded.recorded_by, \
         recorded_at = excluded.recorded_at WHERE student_loan_plans.company_id = excluded.company_id",
    )
    .bind(p.contact_id)
    .bind(p.company_id)
    .bind(&p.plan)
    .bind(p.monthly_payment_cents)
    .bind(&p.starts_on)
    .bind(&p.note)
    .bind(p.estimate_id)
    .bind(p.recorded_by)
    .bind(p.recorded_at)
    .execute(ex)
    .await?;
    Ok(())
}
