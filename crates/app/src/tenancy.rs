//! Which company a request's host belongs to, and what every page needs of
//! it before anyone signs in: its settings (the tenant), its logo, and
//! whether the database answers (health check).

use portico_store::companies;

pub use portico_store::companies::{Logo, Tenant};

use crate::{App, AppError};

/// The company (with its portal settings) of a host name; `None` for an
/// unknown host.
pub async fn tenant_by_host(app: &App, host: &str) -> Result<Option<Tenant>, AppError> {
    Ok(companies::tenant_by_host(app.db.r(), host).await?)
}

/// The company's logo, shown on its portal before sign-in too.
pub async fn logo(app: &App, company_id: i64) -> Result<Option<Logo>, AppError> {
    Ok(companies::logo(app.db.r(), company_id).await?)
}

/// The database answers.
pub async fn healthy(app: &App) -> Result<(), AppError> {
    Ok(app.db.ping().await?)
}
