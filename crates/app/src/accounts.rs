//! The customer's accounts as the portal shows them, and the one loader of
//! what an account view needs: the accounts with their ledger sums and, for
//! lines of credit, the latest statement (one query), the activity since
//! each line of credit's cycle end (one query per line of credit), and the
//! payments still to reach the ledger (one query). Every screen — portal,
//! console, API, payment posting — builds its figures through here.

use portico_domain::codes::AccountKind;
use portico_store::accounts::{self as store, AccountWithLedger, Statement};
use portico_store::payments::{self as payments_store, Upcoming};
use time::Date;

use crate::auth::Customer;
use crate::servicing::{self, AccountView, Inputs};
use crate::{App, AppError, Conn};

pub fn today() -> Date {
    time::OffsetDateTime::now_utc().date()
}

pub async fn views(app: &App, c: &Customer) -> Result<Vec<AccountView>, AppError> {
    views_on(&mut *app.read_conn().await?, c).await
}

/// [`views`] on a connection the caller holds (the dashboard reads several
/// things on one connection: one pool round trip instead of one per read).
pub async fn views_on(conn: &mut Conn, c: &Customer) -> Result<Vec<AccountView>, AppError> {
    let accounts = store::portal_accounts(&mut *conn, c.company_id, c.contact.id).await?;
    let upcoming = payments_store::upcoming_for_contact(&mut *conn, c.company_id, c.contact.id).await?;
    build(conn, c.company_id, accounts, &upcoming, today()).await
}

/// The views of a contact's accounts, hidden ones included (console).
pub async fn contact_views(
    conn: &mut Conn,
    company_id: i64,
    contact_id: i64,
    include_hidden: bool,
) -> Result<Vec<AccountView>, AppError> {
    let accounts = store::for_contact(&mut *conn, company_id, contact_id, include_hidden).await?;
    let mut with_statements = Vec::with_capacity(accounts.len());
    for a in accounts {
        let st = latest_statement(conn, company_id, &a).await?;
        with_statements.push((a, st));
    }
    let upcoming = payments_store::upcoming_for_contact(&mut *conn, company_id, contact_id).await?;
    build(conn, company_id, with_statements, &upcoming, today()).await
}

async fn latest_statement(
    conn: &mut Conn,
    company_id: i64,
    a: &AccountWithLedger,
) -> Result<Option<Statement>, AppError> {
    Ok(if a.account.kind == AccountKind::LineOfCredit {
        store::statements(&mut *conn, company_id, a.account.id).await?.into_iter().next()
    } else {
        None
    })
}

async fn build(
    conn: &mut Conn,
    company_id: i64,
    accounts: Vec<(AccountWithLedger, Option<Statement>)>,
    upcoming: &[Upcoming],
    on: Date,
) -> Result<Vec<AccountView>, AppError> {
    let mut out = Vec::with_capacity(accounts.len());
    for (a, statement) in accounts {
        let inputs = inputs_for(conn, company_id, &a, statement, upcoming).await?;
        out.push(servicing::view(&a, on, &inputs));
    }
    Ok(out)
}

async fn inputs_for(
    conn: &mut Conn,
    company_id: i64,
    a: &AccountWithLedger,
    statement: Option<Statement>,
    upcoming: &[Upcoming],
) -> Result<Inputs, AppError> {
    let since_cycle = if a.account.kind == AccountKind::LineOfCredit {
        // After the cycle end; with no statement yet, everything since the
        // day before opening.
        let after = match &statement {
            Some(s) => s.cycle_end.clone(),
            None => day_before(&a.account.opened_on),
        };
        store::posted_after(&mut *conn, company_id, a.account.id, &after).await?
    } else if a.account.kind.amortizes() {
        // Interest accrues from the last charge; the entries since are
        // needed only when one of them moved the principal.
        let from = a.ledger.last_interest_on.clone().unwrap_or_else(|| day_before(&a.account.opened_on));
        if a.ledger.last_principal_on.as_deref().is_some_and(|p| p > from.as_str()) {
            store::posted_after(&mut *conn, company_id, a.account.id, &from).await?
        } else {
            Vec::new()
        }
    } else {
        Vec::new()
    };
    let upcoming = upcoming.iter().filter(|u| u.account_id == a.account.id).cloned().collect();
    Ok(Inputs { statement, since_cycle, upcoming })
}

fn day_before(iso: &str) -> String {
    portico_domain::validate::date(iso)
        .and_then(|d| d.previous_day())
        .map(portico_domain::validate::iso_date)
        .unwrap_or_default()
}

/// One account of a company as of `on`, on a connection or transaction the
/// caller holds (payment posting reads the account inside its transaction).
pub async fn view_in(conn: &mut Conn, company_id: i64, account_id: i64, on: Date) -> Result<AccountView, AppError> {
    let a = store::for_company_one(&mut *conn, company_id, account_id).await?.ok_or(AppError::NotFound)?;
    let st = latest_statement(conn, company_id, &a).await?;
    let upcoming: Vec<Upcoming> = payments_store::upcoming_for_contact(&mut *conn, company_id, a.account.contact_id)
        .await?
        .into_iter()
        .filter(|u| u.account_id == account_id)
        .collect();
    let mut v = build(conn, company_id, vec![(a, st)], &upcoming, on).await?;
    v.pop().ok_or(AppError::NotFound)
}

/// One account of the customer, or `NotFound` (also for another
/// customer's or company's id, and for accounts hidden from the portal).
pub async fn view(app: &App, c: &Customer, account_id: i64) -> Result<AccountView, AppError> {
    view_of(app, c.company_id, c.contact.id, account_id).await
}

/// One account of a company's contact as the portal shows it (API callers).
pub async fn view_of(app: &App, company_id: i64, contact_id: i64, account_id: i64) -> Result<AccountView, AppError> {
    let mut conn = app.read_conn().await?;
    let a = store::for_contact_one(&mut *conn, company_id, contact_id, account_id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    let st = latest_statement(&mut conn, company_id, &a).await?;
    let upcoming = payments_store::upcoming_for_contact(&mut *conn, company_id, contact_id).await?;
    let mut v = build(&mut conn, company_id, vec![(a, st)], &upcoming, today()).await?;
    v.pop().ok_or(AppError::NotFound)
}
