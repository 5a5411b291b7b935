//! Who is asking: a customer (or an Agent as them) and a staff member with
//! a role. Every read and write of `app` takes one of these (or an API
//! client, `crate::api_keys::ApiClient`); `auth` makes them from sessions.

pub use portico_domain::codes::Role;
use portico_store::people::{Contact, PortalUser, StaffUser};

/// A signed-in portal user, or an Agent viewing the portal as them.
#[derive(Debug, Clone)]
pub struct Customer {
    pub company_id: i64,
    pub user: PortalUser,
    pub contact: Contact,
    /// The staff member behind an Agent session.
    pub agent: Option<StaffUser>,
    pub session_hash: String,
    /// Onboarding gaps read with the session (see `onboarding::portal_step`);
    /// `None` when they were not loaded.
    pub gaps: Option<(bool, i64)>,
}

impl Customer {
    pub fn is_agent(&self) -> bool {
        self.agent.is_some()
    }

    pub fn onboarded(&self) -> bool {
        self.user.onboarded_at.is_some()
    }
}

#[derive(Debug, Clone)]
pub struct Staff {
    pub company_id: i64,
    pub user: StaffUser,
    pub role: Role,
    pub session_hash: String,
}
