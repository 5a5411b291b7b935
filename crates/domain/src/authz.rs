//! What each staff role may see and do: the one permission table
//! (docs/security.md, "Staff roles"). Pure data; `portico_app::authz`
//! checks it for every read and write.

pub use crate::codes::Role;

/// A right in the console. Roles are sets of these ([`Role::allows`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Permission {
    /// Contacts and what is on them: accounts and ledgers, documents, tasks,
    /// conversations, servicer notes, settlement programs, student loans,
    /// payoff requests, shared estimates.
    ViewCustomers,
    /// Change that data: contacts, transactions, tasks, notes, documents,
    /// programs, debts, drafts, intake answers, plans; answer, assign and
    /// close conversations.
    ServiceCustomers,
    /// Portal access: enroll, send welcome and reset e-mails (also from Sent
    /// mail), activate and deactivate, end a customer's sessions.
    ManagePortalAccess,
    /// "Login as consumer": open the portal as the customer (Agent mode).
    ViewAsCustomer,
    ViewPayments,
    /// Cancel, reverse and refund payments.
    ServicePayments,
    /// NACHA files (they hold full bank account numbers): export, download,
    /// import returns.
    AchFiles,
    /// Sent mail and text messages (single-use secrets always masked).
    ViewOutbox,
    ViewAudit,
    /// Portal settings: sections, texts, FAQ, domains, logo, document
    /// types, payments, settlement fields, staff groups.
    ManageSettings,
    ManageApiKeys,
    /// Other staff members: invite, change role, deactivate, reset password.
    ManageStaff,
    /// One's own console account: password, e-mail, sessions.
    OwnAccount,
}

impl Permission {
    pub const ALL: [Permission; 13] = [
        Permission::ViewCustomers,
        Permission::ServiceCustomers,
        Permission::ManagePortalAccess,
        Permission::ViewAsCustomer,
        Permission::ViewPayments,
        Permission::ServicePayments,
        Permission::AchFiles,
        Permission::ViewOutbox,
        Permission::ViewAudit,
        Permission::ManageSettings,
        Permission::ManageApiKeys,
        Permission::ManageStaff,
        Permission::OwnAccount,
    ];

    /// Plain words for refusal pages and the audit log.
    pub fn label(self) -> &'static str {
        match self {
            Permission::ViewCustomers => "view customers",
            Permission::ServiceCustomers => "change customer records",
            Permission::ManagePortalAccess => "manage customers' portal access",
            Permission::ViewAsCustomer => "open the portal as a customer",
            Permission::ViewPayments => "view payments",
            Permission::ServicePayments => "cancel, reverse or refund payments",
            Permission::AchFiles => "handle ACH files",
            Permission::ViewOutbox => "view sent mail and text messages",
            Permission::ViewAudit => "view the audit log",
            Permission::ManageSettings => "change portal settings",
            Permission::ManageApiKeys => "manage API keys",
            Permission::ManageStaff => "manage staff",
            Permission::OwnAccount => "manage your own account",
        }
    }
}

impl Role {
    /// The permission table. Administrators may do everything; servicers
    /// work with customers and payments; read-only staff look, never touch.
    pub fn allows(self, p: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => true,
            Role::Servicer => matches!(
                p,
                ViewCustomers
                    | ServiceCustomers
                    | ManagePortalAccess
                    | ViewAsCustomer
                    | ViewPayments
                    | ServicePayments
                    | AchFiles
                    | ViewOutbox
                    | ViewAudit
                    | OwnAccount
            ),
            Role::ReadOnly => matches!(p, ViewCustomers | ViewPayments | ViewOutbox | ViewAudit | OwnAccount),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table() {
        for p in Permission::ALL {
            assert!(Role::Admin.allows(p), "{p:?}");
        }
        for p in [Permission::ManageSettings, Permission::ManageApiKeys, Permission::ManageStaff] {
            assert!(!Role::Servicer.allows(p), "{p:?}");
        }
        let read_only: Vec<_> = Permission::ALL.into_iter().filter(|p| Role::ReadOnly.allows(*p)).collect();
        assert_eq!(
            read_only,
            [
                Permission::ViewCustomers,
                Permission::ViewPayments,
                Permission::ViewOutbox,
                Permission::ViewAudit,
                Permission::OwnAccount
            ]
        );
    }
}
