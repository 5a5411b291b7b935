//! The portal's reads that aren't a feature's own use case: a customer's
//! transactions, payments, methods, accounts, statements and documents to
//! choose from. Each takes the customer (or Agent) and reads only what that
//! contact may see: ids of another contact or company are `NotFound`.
//! Account-level reads take the [`AccountView`] that `accounts::view`
//! handed out, the proof that the account is the customer's and visible.

use portico_store::{accounts, companies, documents, messages, payments};

pub use portico_store::accounts::{Collateral, Statement, Transaction, TxFilter};
pub use portico_store::companies::FaqEntry;
pub use portico_store::documents::{Document, DocumentType, PortalFilter};
pub use portico_store::payments::{Filter as PaymentFilter, Item as PaymentItem, Listed, Method, PaymentSettings};
pub use portico_store::student_loans::{EstimatePlanRow, EstimateRow};

use crate::auth::Customer;
use crate::servicing::AccountView;
use crate::{App, AppError};

/// How many of the customer's transactions match `f`.
pub async fn transactions_count(app: &App, c: &Customer, f: &TxFilter) -> Result<i64, AppError> {
    Ok(accounts::count_customer_transactions(app.db.r(), c.company_id, c.contact.id, f).await?)
}

/// A page of the customer's transactions matching `f`.
pub async fn transactions(
    app: &App,
    c: &Customer,
    f: &TxFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<Transaction>, AppError> {
    Ok(accounts::customer_transactions(app.db.r(), c.company_id, c.contact.id, f, limit, offset).await?)
}

/// A page of one account's transactions.
pub async fn account_transactions(
    app: &App,
    v: &AccountView,
    limit: i64,
    offset: i64,
) -> Result<Vec<Transaction>, AppError> {
    Ok(accounts::account_transactions(app.db.r(), v.account.company_id, v.account.id, limit, offset).await?)
}

pub async fn collateral(app: &App, v: &AccountView) -> Result<Vec<Collateral>, AppError> {
    Ok(accounts::collateral(app.db.r(), v.account.company_id, v.account.id).await?)
}

pub async fn statements(app: &App, v: &AccountView) -> Result<Vec<Statement>, AppError> {
    Ok(accounts::statements(app.db.r(), v.account.company_id, v.account.id).await?)
}

/// One statement of the account and the transactions of its cycle.
pub async fn statement(app: &App, v: &AccountView, id: i64) -> Result<(Statement, Vec<Transaction>), AppError> {
    let (company, account) = (v.account.company_id, v.account.id);
    let st = accounts::statement(app.db.r(), company, account, id).await?.ok_or(AppError::NotFound)?;
    let txs = accounts::transactions_between(app.db.r(), company, account, &st.cycle_start, &st.cycle_end).await?;
    Ok((st, txs))
}

/// The customer's accounts shown in the portal (to file a document under).
pub async fn visible_accounts(app: &App, c: &Customer) -> Result<Vec<accounts::AccountWithLedger>, AppError> {
    Ok(accounts::for_contact(app.db.r(), c.company_id, c.contact.id, false).await?)
}

/// Document types required at onboarding the customer has not uploaded yet.
pub async fn missing_documents(app: &App, c: &Customer) -> Result<Vec<DocumentType>, AppError> {
    Ok(documents::missing_required(app.db.r(), c.company_id, c.contact.id).await?)
}

/// 404 unless the conversation is the customer's.
pub async fn own_conversation(app: &App, c: &Customer, id: i64) -> Result<(), AppError> {
    messages::for_contact_one(app.db.r(), c.company_id, c.contact.id, id).await?.ok_or(AppError::NotFound)?;
    Ok(())
}

pub async fn payment_settings(app: &App, company_id: i64) -> Result<PaymentSettings, AppError> {
    Ok(payments::settings(app.db.r(), company_id).await?)
}

/// The customer's saved payment methods.
pub async fn methods(app: &App, c: &Customer) -> Result<Vec<Method>, AppError> {
    Ok(payments::methods(app.db.r(), c.company_id, c.contact.id).await?)
}

/// A method the customer used, deleted ones too (a payment names it);
/// another contact's method is `None`.
pub async fn method_used(app: &App, c: &Customer, id: i64) -> Result<Option<Method>, AppError> {
    Ok(payments::method_any(app.db.r(), c.company_id, id).await?.filter(|m| m.contact_id == c.contact.id))
}

/// The customer's payments matching `f` (its contact is always the
/// customer's, whatever `f` says), with their items.
pub async fn payments(app: &App, c: &Customer, f: &PaymentFilter) -> Result<(Vec<Listed>, Vec<PaymentItem>), AppError> {
    let f = PaymentFilter { contact_id: Some(c.contact.id), ..f.clone() };
    let listed = payments::list(app.db.r(), c.company_id, &f).await?;
    let ids: Vec<i64> = listed.iter().map(|l| l.payment.id).collect();
    let items = payments::items(app.db.r(), c.company_id, &ids).await?;
    Ok((listed, items))
}

/// The company's FAQ (readable before sign-in, like Help).
pub async fn faq(app: &App, company_id: i64) -> Result<Vec<FaqEntry>, AppError> {
    Ok(companies::faq(app.db.r(), company_id).await?)
}
