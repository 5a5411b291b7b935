//! The payment waterfall: how an amount received is split between fees,
//! interest and principal.

use serde::{Deserialize, Serialize};

use super::{Cents, LoanError};

/// A part of what a borrower owes that a payment can go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    /// Late fees, NSF fees and other charges due.
    Fees,
    /// Interest due.
    Interest,
    /// Principal due (the principal part of the installment).
    Principal,
}

/// What is currently due, by bucket. All amounts must be ≥ 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AmountsDue {
    /// Fees due.
    pub fees: Cents,
    /// Interest due.
    pub interest: Cents,
    /// Principal due now (not the whole principal balance).
    pub principal: Cents,
}

/// A company's allocation rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationPolicy {
    /// The order the buckets are paid in. Each bucket may appear at most
    /// once; a bucket left out receives nothing from the waterfall (principal
    /// may still receive the excess, see below).
    pub order: Vec<Bucket>,
    /// Whether money left after every listed bucket is paid goes on to
    /// reduce the principal balance (a prepayment), up to that balance.
    pub excess_to_principal: bool,
}

impl Default for AllocationPolicy {
    /// Fees, then interest, then principal, with the excess to principal.
    fn default() -> Self {
        AllocationPolicy { order: vec![Bucket::Fees, Bucket::Interest, Bucket::Principal], excess_to_principal: true }
    }
}

/// How a payment was split. `fees + interest + principal + unapplied` is
/// always the amount paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Allocation {
    /// Paid to fees.
    pub fees: Cents,
    /// Paid to interest.
    pub interest: Cents,
    /// Paid to principal, including any excess applied as a prepayment.
    pub principal: Cents,
    /// Not applied to the loan (overpayment), to be held or refunded.
    pub unapplied: Cents,
}

impl Allocation {
    /// `fees + interest + principal`.
    pub fn applied(&self) -> Result<Cents, LoanError> {
        self.fees.checked_add(self.interest)?.checked_add(self.principal)
    }
}

/// Splits `amount` over what is `due`, bucket by bucket in `policy.order`.
///
/// Each bucket in turn receives `min(remaining, due[bucket])`. Then, if
/// `policy.excess_to_principal`, principal also receives
/// `min(remaining, principal_balance − principal already allocated)`. What
/// is still left is `unapplied`. No bucket ever receives more than is due,
/// except principal through the excess rule, and principal never more than
/// `principal_balance`.
///
/// Errors: a negative amount, a negative bucket, a principal due above the
/// `principal_balance`, or a bucket listed twice in the order.
pub fn allocate(
    amount: Cents,
    due: &AmountsDue,
    principal_balance: Cents,
    policy: &AllocationPolicy,
) -> Result<Allocation, LoanError> {
    amount.non_negative("amount paid")?;
    due.fees.non_negative("fees due")?;
    due.interest.non_negative("interest due")?;
    due.principal.non_negative("principal due")?;
    principal_balance.non_negative("principal balance")?;
    if due.principal > principal_balance {
        return Err(LoanError::Invalid("principal due exceeds the principal balance"));
    }
    for (i, bucket) in policy.order.iter().enumerate() {
        if policy.order[..i].contains(bucket) {
            return Err(LoanError::Invalid("a bucket appears twice in the allocation order"));
        }
    }

    let mut left = amount;
    let mut out = Allocation::default();
    for bucket in &policy.order {
        let (slot, owed) = match bucket {
            Bucket::Fees => (&mut out.fees, due.fees),
            Bucket::Interest => (&mut out.interest, due.interest),
            Bucket::Principal => (&mut out.principal, due.principal),
        };
        let part = left.min(owed);
        *slot = part;
        left = left.checked_sub(part)?;
    }
    if policy.excess_to_principal {
        let room = principal_balance.checked_sub(out.principal)?;
        let part = left.min(room);
        out.principal = out.principal.checked_add(part)?;
        left = left.checked_sub(part)?;
    }
    out.unapplied = left;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DUE: AmountsDue = AmountsDue { fees: Cents(2_500), interest: Cents(15_000), principal: Cents(35_000) };

    fn split(a: &Allocation) -> [i64; 4] {
        [a.fees.0, a.interest.0, a.principal.0, a.unapplied.0]
    }

    #[test]
    fn default_waterfall_by_hand() {
        let policy = AllocationPolicy::default();
        // 100.00 against fees 25, interest 150: fees 25, interest 75.
        let a = allocate(Cents(10_000), &DUE, Cents(1_000_000), &policy).unwrap();
        assert_eq!(split(&a), [2_500, 7_500, 0, 0]);
        // Exactly the 525.00 due.
        let a = allocate(Cents(52_500), &DUE, Cents(1_000_000), &policy).unwrap();
        assert_eq!(split(&a), [2_500, 15_000, 35_000, 0]);
        // 600.00: 75.00 extra goes to principal.
        let a = allocate(Cents(60_000), &DUE, Cents(1_000_000), &policy).unwrap();
        assert_eq!(split(&a), [2_500, 15_000, 42_500, 0]);
        assert_eq!(a.applied(), Ok(Cents(60_000)));
        // Principal balance 400.00: the extra stops there, 125.00 unapplied.
        let a = allocate(Cents(65_000), &DUE, Cents(40_000), &policy).unwrap();
        assert_eq!(split(&a), [2_500, 15_000, 40_000, 7_500]);
        assert_eq!(allocate(Cents::ZERO, &DUE, Cents(40_000), &policy).unwrap(), Allocation::default());
    }

    #[test]
    fn configurable_order_and_no_excess() {
        let policy = AllocationPolicy {
            order: vec![Bucket::Interest, Bucket::Principal, Bucket::Fees],
            excess_to_principal: false,
        };
        // 180.00: interest 150, principal 30, fees nothing.
        let a = allocate(Cents(18_000), &DUE, Cents(1_000_000), &policy).unwrap();
        assert_eq!(split(&a), [0, 15_000, 3_000, 0]);
        // 600.00: everything due (525.00) and 75.00 unapplied.
        let a = allocate(Cents(60_000), &DUE, Cents(1_000_000), &policy).unwrap();
        assert_eq!(split(&a), [2_500, 15_000, 35_000, 7_500]);
        // Fees left out of the order: never paid by the waterfall.
        let policy = AllocationPolicy { order: vec![Bucket::Interest, Bucket::Principal], excess_to_principal: true };
        let a = allocate(Cents(60_000), &DUE, Cents(1_000_000), &policy).unwrap();
        assert_eq!(split(&a), [0, 15_000, 45_000, 0]);
    }

    #[test]
    fn invalid_input() {
        let policy = AllocationPolicy::default();
        assert_eq!(allocate(Cents(-1), &DUE, Cents(1_000_000), &policy), Err(LoanError::Negative("amount paid")));
        let bad = AmountsDue { fees: Cents(-1), ..DUE };
        assert_eq!(allocate(Cents(1), &bad, Cents(1_000_000), &policy), Err(LoanError::Negative("fees due")));
        assert!(matches!(allocate(Cents(1), &DUE, Cents(100), &policy), Err(LoanError::Invalid(_))));
        let twice = AllocationPolicy { order: vec![Bucket::Fees, Bucket::Fees], excess_to_principal: true };
        assert!(matches!(allocate(Cents(1), &DUE, Cents(1_000_000), &twice), Err(LoanError::Invalid(_))));
    }

    #[test]
    fn parts_always_add_up() {
        // Deterministic pseudo-random cases (xorshift), every order of the buckets.
        let orders = [
            [Bucket::Fees, Bucket::Interest, Bucket::Principal],
            [Bucket::Fees, Bucket::Principal, Bucket::Interest],
            [Bucket::Interest, Bucket::Fees, Bucket::Principal],
            [Bucket::Interest, Bucket::Principal, Bucket::Fees],
            [Bucket::Principal, Bucket::Fees, Bucket::Interest],
            [Bucket::Principal, Bucket::Interest, Bucket::Fees],
        ];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |m: i64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            i64::try_from(x % u64::try_from(m).unwrap()).unwrap()
        };
        for _ in 0..2_000 {
            let due =
                AmountsDue { fees: Cents(next(5_000)), interest: Cents(next(50_000)), principal: Cents(next(100_000)) };
            let balance = Cents(due.principal.0 + next(300_000));
            let amount = Cents(next(600_000));
            for order in &orders {
                for excess in [true, false] {
                    let policy = AllocationPolicy { order: order.to_vec(), excess_to_principal: excess };
                    let a = allocate(amount, &due, balance, &policy).unwrap();
                    assert_eq!(a.applied().unwrap().0 + a.unapplied.0, amount.0);
                    assert!(a.fees <= due.fees && a.interest <= due.interest && a.principal <= balance);
                    assert!(a.unapplied >= Cents::ZERO);
                    if !excess {
                        assert!(a.principal <= due.principal);
                    }
                }
            }
        }
    }
}
