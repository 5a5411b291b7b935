//! The closed sets of codes stored as text — statuses, kinds, roles, audit
//! actions — as enums. Each variant maps one-to-one to its stored code;
//! rows decode them when read (`TryFrom<String>`, which the store uses as
//! `#[sqlx(try_from = "String")]`), so an unknown stored value is an error
//! at the boundary and a typo in code is a compile error, not a branch that
//! silently never runs.

use std::fmt;

/// A stored code that names no variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode {
    pub of: &'static str,
    pub code: String,
}

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} code {:?}", self.of, self.code)
    }
}

impl std::error::Error for UnknownCode {}

/// Declare a code enum: `codes! { pub enum Name { #[default] Variant = "code" => "Label", … } }`
/// (one variant marked `#[default]`, for the store's `New…` rows).
#[macro_export]
macro_rules! codes {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $var:ident = $code:literal => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub enum $name {
            $($(#[$vmeta])* $var),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$var),+];

            /// The stored code.
            pub const fn code(self) -> &'static str {
                match self {
                    $($name::$var => $code),+
                }
            }

            /// What a person reads.
            pub const fn label(self) -> &'static str {
                match self {
                    $($name::$var => $label),+
                }
            }

            pub fn from_code(code: &str) -> Option<$name> {
                match code {
                    $($code => Some($name::$var),)+
                    _ => None,
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::codes::UnknownCode;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::from_code(s).ok_or_else(|| $crate::codes::UnknownCode { of: stringify!($name), code: s.to_string() })
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::codes::UnknownCode;

            fn try_from(s: String) -> Result<Self, Self::Error> {
                s.parse()
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }
    };
}

codes! {
    /// What an account is (`accounts.kind`).
    pub enum AccountKind {
        #[default]
        Installment = "installment" => "Installment loan",
        Lease = "lease" => "Lease",
        LineOfCredit = "line_of_credit" => "Line of credit",
        CashAdvance = "cash_advance" => "Cash advance",
    }
}

impl AccountKind {
    /// Loans and leases have a schedule (Summary and Collateral tabs).
    pub fn amortizes(self) -> bool {
        matches!(self, AccountKind::Installment | AccountKind::Lease)
    }
}

codes! {
    /// Where an account stands (`accounts.status`). Whether it is past due
    /// is computed, never stored.
    pub enum AccountStatus {
        #[default]
        Active = "active" => "Current",
        PaidOff = "paid_off" => "Paid in full",
        /// A cash advance whose purchased amount was remitted.
        Completed = "completed" => "Completed",
        ChargedOff = "charged_off" => "Charged off",
        Closed = "closed" => "Closed",
    }
}

impl AccountStatus {
    /// Paid off or completed: only fees may still be posted.
    pub fn is_settled(self) -> bool {
        matches!(self, AccountStatus::PaidOff | AccountStatus::Completed)
    }
}

codes! {
    /// A ledger entry's kind (`transactions.kind`).
    pub enum TxKind {
        #[default]
        Disbursement = "disbursement" => "Funding",
        Payment = "payment" => "Payment",
        Draw = "draw" => "Draw",
        Fee = "fee" => "Fee",
        Interest = "interest" => "Interest",
        Adjustment = "adjustment" => "Adjustment",
        Reversal = "reversal" => "Reversal",
        /// A cash advance's remittance debit.
        Remittance = "remittance" => "Debit",
        Credit = "credit" => "Credit",
        /// Money held for the customer paid back to them.
        Refund = "refund" => "Refund of credit",
    }
}

codes! {
    /// A ledger entry's status (`transactions.status`); only `posted`
    /// entries count in a balance.
    pub enum TxStatus {
        #[default]
        Posted = "posted" => "Posted",
        Pending = "pending" => "Pending",
        Returned = "returned" => "Returned",
        Failed = "failed" => "Failed",
        Reversed = "reversed" => "Reversed",
    }
}

codes! {
    /// A payment's status (`payments.status`).
    pub enum PaymentStatus {
        #[default]
        Scheduled = "scheduled" => "Scheduled",
        /// Being charged (claimed by the runner or the request).
        Processing = "processing" => "Processing",
        /// Accepted by the gateway, not yet settled (ACH).
        Pending = "pending" => "Pending",
        Completed = "completed" => "Completed",
        Failed = "failed" => "Failed",
        Returned = "returned" => "Returned",
        Cancelled = "cancelled" => "Cancelled",
        Reversed = "reversed" => "Reversed",
        Refunded = "refunded" => "Refunded",
    }
}

codes! {
    /// How a payment came about (`payments.kind`).
    pub enum PaymentKind {
        #[default]
        OneTime = "one_time" => "One-time",
        Scheduled = "scheduled" => "Scheduled",
        Automatic = "automatic" => "Automatic",
    }
}

codes! {
    /// A saved payment method's kind (`payment_methods.kind`).
    pub enum MethodKind {
        #[default]
        Card = "card" => "Card",
        Bank = "bank" => "Bank account",
    }
}

codes! {
    /// A staff member's role (`staff_users.role`); what each may do is
    /// `app::authz`. An unknown stored role is an error, never a default.
    pub enum Role {
        Admin = "admin" => "Administrator",
        Servicer = "servicer" => "Servicer",
        #[default]
        ReadOnly = "readonly" => "Read-only",
    }
}

codes! {
    /// How a task is completed (`tasks.completion`).
    pub enum Completion {
        /// The customer confirms they've done it.
        #[default]
        Acknowledge = "acknowledge" => "The customer acknowledges it",
        /// Uploading a document of the task's type completes it.
        Upload = "upload" => "The customer uploads a document of a type",
        /// A staff member confirms it in the console.
        Staff = "staff" => "Staff confirm it",
    }
}

codes! {
    /// Who completed a task (`tasks.completed_by`).
    pub enum CompletedBy {
        #[default]
        Customer = "customer" => "by the customer",
        /// Uploading a document of the task's type.
        Upload = "upload" => "by an upload",
        Staff = "staff" => "by staff",
    }
}

codes! {
    /// What a conversation is (`conversations.kind`).
    pub enum ConversationKind {
        #[default]
        Message = "message" => "Message",
        /// A request form the customer filled in (seed 001).
        Request = "request" => "Request",
    }
}

codes! {
    /// Who wrote a message (`messages.author_kind`).
    pub enum Author {
        #[default]
        Customer = "customer" => "Customer",
        Staff = "staff" => "Staff",
    }
}

impl Author {
    /// The other side of the conversation (whose messages this side reads).
    pub fn other(self) -> Author {
        match self {
            Author::Customer => Author::Staff,
            Author::Staff => Author::Customer,
        }
    }
}

codes! {
    /// What an API key may do (`api_keys.scopes`, comma-separated).
    pub enum ApiScope {
        /// Read contacts, accounts, documents' metadata and the rest.
        #[default]
        Read = "read" => "Read",
        /// Create and change contacts, accounts, transactions, tasks, notes.
        Write = "write" => "Write",
        /// Read and take payments.
        Payments = "payments" => "Payments",
        /// Upload and download documents.
        Documents = "documents" => "Documents",
        /// Manage webhook endpoints.
        Webhooks = "webhooks" => "Webhooks",
    }
}

codes! {
    /// Where a webhook delivery stands (`webhook_deliveries.status`).
    pub enum DeliveryStatus {
        /// Queued, or to be tried again at `next_attempt_at`.
        #[default]
        Pending = "pending" => "Pending",
        Delivered = "delivered" => "Delivered",
        /// Every retry failed.
        Failed = "failed" => "Gave up",
        /// The endpoint answered 410, or was turned off.
        Stopped = "stopped" => "Stopped",
    }
}

codes! {
    /// Who acted, in an audit entry (`audit_log.actor_kind`).
    pub enum ActorKind {
        #[default]
        Customer = "customer" => "Customer",
        /// A staff member in the portal as the customer.
        Agent = "agent" => "Agent",
        Staff = "staff" => "Staff",
        /// The portal itself (payments runner, an upload completing a task)
        /// or an API client.
        System = "system" => "System",
    }
}

codes! {
    /// What an audit entry records (`audit_log.action`): one code per kind of
    /// staff, Agent, customer or system action.
    pub enum Action {
        #[default]
        AccessRefused = "access.refused" => "Action refused",
        AccountHide = "account.hide" => "Hid account from portal",
        AccountShow = "account.show" => "Showed account in portal",
        AgentLoginAsConsumer = "agent.login_as_consumer" => "Opened Login as consumer",
        AgentRefused = "agent.refused" => "Agent action refused",
        AgentSessionEnd = "agent.session.end" => "Agent session ended",
        AgentSessionStart = "agent.session.start" => "Agent session started",
        AgentView = "agent.view" => "Agent viewed page",
        ApiCall = "api.call" => "API call",
        ApiKeyCreate = "api_key.create" => "Created an API key",
        ApiKeyRevoke = "api_key.revoke" => "Revoked an API key",
        AutopayCreate = "autopay.create" => "Set up AutoPay",
        AutopayDelete = "autopay.delete" => "Deleted AutoPay",
        AutopayOff = "autopay.off" => "Paused AutoPay",
        AutopayOn = "autopay.on" => "Resumed AutoPay",
        AutopayPayment = "autopay.payment" => "AutoPay payment scheduled",
        ContactCreate = "contact.create" => "Created contact",
        ContactUpdate = "contact.update" => "Changed contact",
        DebtAdd = "debt.add" => "Added a debt",
        DebtDelete = "debt.delete" => "Deleted a debt",
        DebtUpdate = "debt.update" => "Changed a debt",
        DocumentDownload = "document.download" => "Downloaded a document",
        DocumentExclude = "document.exclude" => "Hid a document from the portal",
        DocumentInclude = "document.include" => "Showed a document in the portal",
        DocumentUpload = "document.upload" => "Uploaded a document",
        DocumentTypeAdd = "document_type.add" => "Added a document type",
        DocumentTypeDelete = "document_type.delete" => "Deleted a document type",
        DocumentTypeUpdate = "document_type.update" => "Changed a document type",
        DomainAdd = "domain.add" => "Added domain",
        DomainDelete = "domain.delete" => "Removed domain",
        DomainPrimary = "domain.primary" => "Changed primary domain",
        EmailChange = "email.change" => "Changed e-mail address",
        FaqAdd = "faq.add" => "Added FAQ entry",
        FaqDelete = "faq.delete" => "Removed FAQ entry",
        FaqUpdate = "faq.update" => "Changed FAQ entry",
        GroupAddMember = "group.add_member" => "Added a group member",
        GroupCreate = "group.create" => "Created a staff group",
        GroupDelete = "group.delete" => "Deleted a staff group",
        GroupRemoveMember = "group.remove_member" => "Removed a group member",
        GroupUpdate = "group.update" => "Changed a staff group",
        IntakeSave = "intake.save" => "Saved intake answers",
        LoginFailed = "login.failed" => "Sign-in failed",
        Logout = "logout" => "Signed out",
        LoginRefused = "login.refused" => "Sign-in refused",
        LoginSuccess = "login.success" => "Signed in",
        LogoDelete = "logo.delete" => "Removed logo",
        LogoUpdate = "logo.update" => "Uploaded logo",
        MailResend = "mail.resend" => "Sent an e-mail again with a new link",
        MessageAssign = "message.assign" => "Assigned a conversation",
        MessageClose = "message.close" => "Closed a conversation",
        MessageReopen = "message.reopen" => "Reopened a conversation",
        MessageReply = "message.reply" => "Replied to a conversation",
        MessageSend = "message.send" => "Sent a message",
        MessageStart = "message.start" => "Started a conversation",
        MobileCodeFailed = "mobile.code_failed" => "Wrong mobile verification code",
        MobileCodeSent = "mobile.code_sent" => "Sent a mobile verification code",
        MobileRemoved = "mobile.removed" => "Removed the mobile number",
        MobileVerified = "mobile.verified" => "Verified the mobile number",
        NachaDownload = "nacha.download" => "Downloaded a NACHA file",
        NachaExport = "nacha.export" => "Exported a NACHA file",
        NachaReturns = "nacha.returns" => "Imported ACH returns",
        NoteAdd = "note.add" => "Added a servicer note",
        NoteDelete = "note.delete" => "Deleted a servicer note",
        NotificationsUpdate = "notifications.update" => "Changed notification preferences",
        OnboardingComplete = "onboarding.complete" => "Finished onboarding",
        OnboardingVerified = "onboarding.verified" => "Confirmed identity",
        OnboardingVerifyFailed = "onboarding.verify_failed" => "Identity check failed",
        PasswordChange = "password.change" => "Changed password",
        PasswordResetRefused = "password.reset.refused" => "Password reset refused",
        PasswordResetRequest = "password.reset.request" => "Asked for a password reset",
        PasswordSet = "password.set" => "Set password from e-mailed link",
        PaymentCancel = "payment.cancel" => "Cancelled a payment",
        PaymentCompleted = "payment.completed" => "Payment completed",
        PaymentFailed = "payment.failed" => "Payment failed",
        PaymentPending = "payment.pending" => "Payment accepted, pending",
        PaymentRefund = "payment.refund" => "Refunded a payment",
        PaymentReturned = "payment.returned" => "Payment returned",
        PaymentReverse = "payment.reverse" => "Reversed a payment",
        PaymentSchedule = "payment.schedule" => "Scheduled a payment",
        PaymentSubmit = "payment.submit" => "Submitted a payment",
        PaymentMethodAdd = "payment_method.add" => "Added a payment method",
        PaymentMethodDefault = "payment_method.default" => "Changed the default payment method",
        PaymentMethodDelete = "payment_method.delete" => "Deleted a payment method",
        PayoffRequest = "payoff.request" => "Requested payoff",
        PortalSessionsEnd = "portal.sessions.end" => "Ended customer's sessions",
        PortalUserActivate = "portal.user.activate" => "Activated portal access",
        PortalUserCreate = "portal.user.create" => "Created portal user",
        PortalUserDeactivate = "portal.user.deactivate" => "Deactivated portal access",
        PortalWelcomeSend = "portal.welcome.send" => "Sent welcome e-mail",
        ProfileFieldAdd = "profile.field.add" => "Added a profile field",
        ProfileFieldDelete = "profile.field.delete" => "Deleted a profile field",
        ProfileFieldUpdate = "profile.field.update" => "Changed a profile field",
        ProgramDraftAdd = "program.draft.add" => "Added a program draft",
        ProgramDraftDelete = "program.draft.delete" => "Deleted a program draft",
        ProgramDraftStatus = "program.draft.status" => "Changed a draft's status",
        ProgramEntryAdd = "program.entry.add" => "Added a program account entry",
        ProgramEntryDelete = "program.entry.delete" => "Deleted a program account entry",
        ProgramSave = "program.save" => "Saved a settlement program",
        ProgramStatement = "program.statement" => "Downloaded a program statement",
        RequestSend = "request.send" => "Sent a request",
        SessionsEndOthers = "sessions.end_others" => "Signed out other sessions",
        SettingsPayments = "settings.payments" => "Changed payment settings",
        SettingsRequests = "settings.requests" => "Changed request settings",
        SettingsSettlement = "settings.settlement" => "Changed settlement settings",
        SettingsUpdate = "settings.update" => "Changed portal settings",
        StaffActivate = "staff.activate" => "Reactivated a staff member",
        StaffDeactivate = "staff.deactivate" => "Deactivated a staff member",
        StaffInvite = "staff.invite" => "Invited a staff member",
        StaffResetLink = "staff.reset_link" => "Sent a staff password reset",
        StaffRole = "staff.role" => "Changed a staff role",
        StatementDeliverySet = "statement_delivery.set" => "Changed statement delivery",
        StudentLoansAdd = "student_loans.add" => "Added a student loan",
        StudentLoansEstimate = "student_loans.estimate" => "Ran a repayment estimate",
        StudentLoansPlan = "student_loans.plan" => "Chose a repayment plan",
        StudentLoansRemove = "student_loans.remove" => "Removed a student loan",
        StudentLoansReviewed = "student_loans.reviewed" => "Marked student loans reviewed",
        StudentLoansShare = "student_loans.share" => "Shared a repayment estimate",
        StudentLoansUpload = "student_loans.upload" => "Uploaded a student loan file",
        TaskAssign = "task.assign" => "Assigned a task",
        TaskComplete = "task.complete" => "Completed a task",
        TaskConfirm = "task.confirm" => "Confirmed a task",
        TaskDelete = "task.delete" => "Deleted a task",
        TaskReopen = "task.reopen" => "Reopened a task",
        TeamAdd = "team.add" => "Added a team member",
        TeamRemove = "team.remove" => "Removed a team member",
        TransactionPost = "transaction.post" => "Posted transaction",
        TransactionReverse = "transaction.reverse" => "Reversed transaction",
        WebhookAdd = "webhook.add" => "Added a webhook endpoint",
        WebhookDelete = "webhook.delete" => "Deleted a webhook endpoint",
        WebhookDisable = "webhook.disable" => "Turned a webhook endpoint off",
        WebhookEnable = "webhook.enable" => "Turned a webhook endpoint on",
        WebhookReplay = "webhook.replay" => "Replayed a webhook delivery",
        WebhookRotate = "webhook.rotate" => "Rotated a webhook secret",
        WebhookSecretShow = "webhook.secret_show" => "Showed a webhook secret",
        WebhookTest = "webhook.test" => "Sent a test webhook",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_ones_are_errors() {
        for k in AccountKind::ALL {
            assert_eq!(k.code().parse::<AccountKind>(), Ok(*k));
            assert_eq!(AccountKind::try_from(k.to_string()), Ok(*k));
        }
        let e = "Lease".parse::<AccountKind>().unwrap_err();
        assert_eq!(e.to_string(), "unknown AccountKind code \"Lease\"");
        assert_eq!(serde_json::to_string(&AccountKind::LineOfCredit).unwrap(), "\"line_of_credit\"");
    }
}
