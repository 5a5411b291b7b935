//! The staff console's reads that aren't a feature's own: contacts and
//! what hangs off them, the staff list, company settings. Each takes the
//! staff member and checks the permission the data needs (app::authz), so
//! the console never reads the store directly. Another company's ids are
//! `NotFound`: every query is scoped by the staff member's company.

use portico_store::{accounts, audit, companies, documents, messages, payments, people, settlement, tasks};

pub use portico_store::accounts::{AccountWithLedger, PayoffRequest, Statement, Transaction};
pub use portico_store::audit::Row as AuditEntry;
pub use portico_store::companies::{Domain, FaqEntry, Logo, PortalSettings};
pub use portico_store::documents::{Document, DocumentType};
pub use portico_store::messages::{Conversation, InboxFilter};
pub use portico_store::notes::{Note, PORTAL_TYPE as PORTAL_NOTE_TYPE};
pub use portico_store::payments::{Filter as PaymentFilter, Method, PaymentSettings};
pub use portico_store::people::{Contact, ContactListRow, PortalUser, StaffUser};
pub use portico_store::settlement::IntakeField;
pub use portico_store::tasks::TaskRow;

use crate::auth::Staff;
use crate::authz::Permission;
use crate::servicing::AccountView;
use crate::{App, AppError};

/// Contacts matching `query` (name, e-mail, customer number), a page.
pub async fn search_contacts(
    app: &App,
    s: &Staff,
    query: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<ContactListRow>, AppError> {
    s.require(Permission::ViewCustomers)?;
    Ok(people::search_contacts(app.db.r(), s.company_id, query, limit, offset).await?)
}

pub async fn contact(app: &App, s: &Staff, id: i64) -> Result<Contact, AppError> {
    s.require(Permission::ViewCustomers)?;
    people::contact(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)
}

/// The latest audit entries about one contact.
pub async fn contact_audit(app: &App, s: &Staff, contact_id: i64, limit: i64) -> Result<Vec<AuditEntry>, AppError> {
    s.require(Permission::ViewAudit)?;
    Ok(audit::list(app.db.r(), s.company_id, Some(contact_id), None, limit).await?)
}

/// A contact's accounts as the customer sees them, hidden ones included.
pub async fn contact_accounts(app: &App, s: &Staff, contact_id: i64) -> Result<Vec<AccountView>, AppError> {
    s.require(Permission::ViewCustomers)?;
    crate::accounts::contact_views(&mut *app.read_conn().await?, s.company_id, contact_id, true).await
}

/// The company's staff (for assignment, teams and groups).
pub async fn staff_members(app: &App, s: &Staff) -> Result<Vec<StaffUser>, AppError> {
    s.require(Permission::ViewCustomers)?;
    Ok(people::list_staff(app.db.r(), s.company_id).await?)
}

pub async fn document_types(app: &App, s: &Staff) -> Result<Vec<DocumentType>, AppError> {
    s.require(Permission::ViewCustomers)?;
    Ok(documents::types(app.db.r(), s.company_id).await?)
}

/// Document types with how many documents each holds (settings page).
pub async fn document_types_with_counts(app: &App, s: &Staff) -> Result<Vec<(DocumentType, i64)>, AppError> {
    s.require(Permission::ManageSettings)?;
    let counts: std::collections::HashMap<i64, i64> =
        documents::counts_by_type(app.db.r(), s.company_id).await?.into_iter().collect();
    let types = documents::types(app.db.r(), s.company_id).await?;
    Ok(types
        .into_iter()
        .map(|t| {
            let n = counts.get(&t.id).copied().unwrap_or(0);
            (t, n)
        })
        .collect())
}

pub async fn intake_fields(app: &App, s: &Staff) -> Result<Vec<IntakeField>, AppError> {
    s.require(Permission::ViewCustomers)?;
    Ok(settlement::intake_fields(app.db.r(), s.company_id).await?)
}

/// The company's tasks, open (`Some(true)`), done, or all.
pub async fn tasks(app: &App, s: &Staff, open: Option<bool>, limit: i64) -> Result<Vec<TaskRow>, AppError> {
    s.require(Permission::ViewCustomers)?;
    Ok(tasks::list_for_company(app.db.r(), s.company_id, open, limit).await?)
}

/// A fingerprint of the company's conversations (messages, unread,
/// assignments and closings), for the inbox's live updates.
pub async fn inbox_activity(app: &App, s: &Staff) -> Result<(i64, i64, i64), AppError> {
    s.require(Permission::ViewCustomers)?;
    Ok(messages::company_activity(app.db.r(), s.company_id).await?)
}

pub async fn conversation(app: &App, s: &Staff, id: i64) -> Result<Conversation, AppError> {
    s.require(Permission::ViewCustomers)?;
    messages::company_one(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)
}

/// Payoff requests with the customer's name, newest first.
pub async fn payoff_requests(app: &App, s: &Staff, limit: i64) -> Result<Vec<(PayoffRequest, String)>, AppError> {
    s.require(Permission::ViewCustomers)?;
    Ok(accounts::payoff_requests_for_company(app.db.r(), s.company_id, limit).await?)
}

/// A payment method of the company's customers, deleted ones too (a
/// payment's detail names the method it used).
pub async fn payment_method(app: &App, s: &Staff, id: i64) -> Result<Option<Method>, AppError> {
    s.require(Permission::ViewPayments)?;
    Ok(payments::method_any(app.db.r(), s.company_id, id).await?)
}

pub async fn portal_settings(app: &App, s: &Staff) -> Result<PortalSettings, AppError> {
    s.require(Permission::ManageSettings)?;
    Ok(companies::settings(app.db.r(), s.company_id).await?)
}

pub async fn logo(app: &App, s: &Staff) -> Result<Option<Logo>, AppError> {
    s.require(Permission::ManageSettings)?;
    Ok(companies::logo(app.db.r(), s.company_id).await?)
}

pub async fn domains(app: &App, s: &Staff) -> Result<Vec<Domain>, AppError> {
    s.require(Permission::ManageSettings)?;
    Ok(companies::domains(app.db.r(), s.company_id).await?)
}

pub async fn faq(app: &App, s: &Staff) -> Result<Vec<FaqEntry>, AppError> {
    s.require(Permission::ManageSettings)?;
    Ok(companies::faq(app.db.r(), s.company_id).await?)
}

/// An account as the console's account page shows it.
pub struct AccountPage {
    /// The account's figures, as the customer sees them.
    pub account: crate::servicing::AccountView,
    pub contact: Contact,
    /// `limit` transactions from `offset`, newest first.
    pub transactions: Vec<Transaction>,
    /// The latest 50 (for "reverse a transaction").
    pub recent: Vec<Transaction>,
}

pub async fn account_page(app: &App, s: &Staff, id: i64, limit: i64, offset: i64) -> Result<AccountPage, AppError> {
    s.require(Permission::ViewCustomers)?;
    let db = app.db.r();
    let account =
        crate::accounts::view_in(&mut *app.read_conn().await?, s.company_id, id, crate::accounts::today()).await?;
    let contact = people::contact(db, s.company_id, account.account.contact_id).await?.ok_or(AppError::NotFound)?;
    let transactions = accounts::account_transactions(db, s.company_id, id, limit, offset).await?;
    let recent = accounts::account_transactions(db, s.company_id, id, 50, 0).await?;
    Ok(AccountPage { account, contact, transactions, recent })
}
