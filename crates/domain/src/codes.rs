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

/// Declare a code enum: `codes! { pub enum Name { Variant = "code" => "Label", … } }`.
#[macro_export]
macro_rules! codes {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $var:ident = $code:literal => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

        /// The first variant (for the `Default` of the store's `New…` rows).
        impl Default for $name {
            fn default() -> Self {
                $name::ALL[0]
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
        OneTime = "one_time" => "One-time",
        Scheduled = "scheduled" => "Scheduled",
        Automatic = "automatic" => "Automatic",
    }
}

codes! {
    /// A saved payment method's kind (`payment_methods.kind`).
    pub enum MethodKind {
        Card = "card" => "Card",
        Bank = "bank" => "Bank account",
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
