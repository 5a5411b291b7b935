//! What each staff role may see and do: the one permission table
//! (docs/security.md, "Staff roles"). Every console page and API route names
//! the permission it needs (`portico_web::staff::route_table`), and the use
//! cases here check it again for the data they hand out.

pub use portico_domain::authz::Permission;

use crate::auth::Staff;
use crate::{App, AppError, Origin};
use portico_domain::codes::Action;

impl Staff {
    /// `Forbidden` unless this staff member's role has `p`.
    pub fn require(&self, p: Permission) -> Result<(), AppError> {
        if self.role.allows(p) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "Your role ({}) may not {}. Ask an administrator if you need to.",
                self.role.label(),
                p.label()
            )))
        }
    }
}

/// Record that a staff member was refused a page or action (ASVS 16.3.2).
pub async fn record_refusal(app: &App, s: &Staff, origin: &Origin, what: &str) -> Result<(), AppError> {
    crate::audit::staff(app.db.w(), s, origin, Action::AccessRefused, None, what).await
}

/// Record that a customer or Agent was refused an action in the portal.
pub async fn record_customer_refusal(
    app: &App,
    c: &crate::auth::Customer,
    origin: &Origin,
    what: &str,
) -> Result<(), AppError> {
    crate::audit::portal(app.db.w(), c, origin, Action::AccessRefused, what).await
}
