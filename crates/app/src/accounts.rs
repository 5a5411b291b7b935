//! The customer's accounts as the portal shows them. One query whatever
//! the number of accounts: accounts with ledger sums and, for lines of
//! credit, the latest statement.

use portico_store::accounts::{self as store, Statement};
use time::Date;

use crate::auth::Customer;
use crate::servicing::{self, AccountView};
use crate::{App, AppError};

pub fn today() -> Date {
    time::OffsetDateTime::now_utc().date()
}

pub async fn views(app: &App, c: &Customer) -> Result<Vec<AccountView>, AppError> {
    views_on(&mut *app.read_conn().await?, c).await
}

/// [`views`] on a connection the caller holds (the dashboard reads several
/// things on one connection: one pool round trip instead of one per read).
pub async fn views_on(conn: &mut crate::Conn, c: &Customer) -> Result<Vec<AccountView>, AppError> {
    let accounts = store::portal_accounts(conn, c.company_id, c.contact.id).await?;
    let today = today();
    Ok(accounts.iter().map(|(a, latest)| servicing::view(a, today, latest.as_ref())).collect())
}

/// One account of the customer, or `NotFound` (also for another
/// customer's or company's id, and for accounts hidden from the portal).
pub async fn view(app: &App, c: &Customer, account_id: i64) -> Result<AccountView, AppError> {
    view_of(app, c.company_id, c.contact.id, account_id).await
}

/// One account of a company's contact as the portal shows it (API callers).
pub async fn view_of(app: &App, company_id: i64, contact_id: i64, account_id: i64) -> Result<AccountView, AppError> {
    let a = store::for_contact_one(app.db.r(), company_id, contact_id, account_id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    let latest: Option<Statement> = if a.account.kind == "line_of_credit" {
        store::statements(app.db.r(), company_id, account_id).await?.into_iter().next()
    } else {
        None
    };
    Ok(servicing::view(&a, today(), latest.as_ref()))
}
