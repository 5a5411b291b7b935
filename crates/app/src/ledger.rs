//! Staff post manual transactions (payment, fee, adjustment, reversal) that
//! flow into balances and the portal. Payments go through the company's
//! allocation waterfall (domain::loan::allocate).

use crate::authz::Permission;
use portico_domain::codes::AccountStatus;
use portico_domain::codes::Action;
use portico_domain::codes::{TxKind, TxStatus};
use std::str::FromStr;

use portico_domain::loan::{self, AllocationPolicy, AmountsDue, Bucket, Cents};
use portico_domain::validate;
use portico_store::accounts::{self as store, NewTransaction};
use portico_store::companies;
use rust_decimal::Decimal;

use crate::auth::Staff;
use crate::servicing::AccountView;
use crate::{App, AppError, FieldErrors, Origin, audit, now};
use portico_domain::codes::AccountKind;

#[derive(Debug, Clone, Default)]
pub struct ManualInput {
    /// `payment`, `fee`, `credit_adjustment`, `debit_adjustment` or `reversal`.
    pub kind: String,
    pub amount: String,
    pub posted_on: String,
    pub description: String,
    /// For reversals: the transaction to reverse.
    pub reverses: String,
}

/// Parse a money amount typed by a person: positive, at most two decimals.
pub fn parse_amount(raw: &str) -> Result<i64, &'static str> {
    let cleaned: String = raw.trim().trim_start_matches('$').chars().filter(|c| *c != ',').collect();
    if cleaned.starts_with('-') {
        return Err("The amount must be more than zero.");
    }
    let plain = !cleaned.is_empty()
        && cleaned.chars().all(|c| c.is_ascii_digit() || c == '.')
        && cleaned.matches('.').count() <= 1;
    if !plain {
        return Err("Enter an amount like 125.00.");
    }
    if cleaned.split('.').nth(1).is_some_and(|frac| frac.len() > 2) {
        return Err("Use at most two decimals.");
    }
    let d = Decimal::from_str(&cleaned).map_err(|_| "Enter an amount like 125.00.")?;
    if d <= Decimal::ZERO {
        return Err("The amount must be more than zero.");
    }
    let cents = (d * Decimal::from(100)).round();
    i64::try_from(cents).ok().filter(|c| *c <= 100_000_000_000).ok_or("This amount is too large.")
}

/// The company's allocation order (`fees,interest,principal` by default).
pub fn policy(order: &str) -> AllocationPolicy {
    let buckets: Vec<Bucket> = order
        .split(',')
        .filter_map(|b| match b.trim() {
            "fees" => Some(Bucket::Fees),
            "interest" => Some(Bucket::Interest),
            "principal" => Some(Bucket::Principal),
            _ => None,
        })
        .collect();
    let mut p = AllocationPolicy::default();
    if buckets.len() == 3 {
        p.order = buckets;
    }
    p
}

/// The signed ledger deltas of one entry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Deltas {
    pub principal: i64,
    pub interest: i64,
    pub fees: i64,
    /// + money held for the customer, − credit used or refunded.
    pub credit: i64,
}

impl Deltas {
    /// How the entry changes what is owed.
    pub fn owed(&self) -> i64 {
        self.principal + self.interest + self.fees - self.credit
    }
}

/// What a payment of `amount` posts on an account, as of the day it posts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    /// Interest accrued since it was last assessed, posted as an `interest`
    /// entry before the payment when the payment is more than the ledger
    /// balance: a payoff then pays interest as interest and leaves exactly
    /// zero.
    pub accrual: Option<i64>,
    /// `payment`, or `remittance` for a cash advance.
    pub kind: TxKind,
    pub deltas: Deltas,
    /// The account owes nothing after it.
    pub pays_off: bool,
}

/// How a payment of `amount` lands on account `v` (viewed as of the day it
/// posts): a credit held is used first, then the company's waterfall splits
/// the money over fees, interest and principal. Money beyond what is owed
/// (two payments racing, a payoff paid after a smaller one) is held as a
/// credit on the account, never as negative principal (decisions §24).
pub fn plan_payment(v: &AccountView, amount: i64, allocation_order: &str) -> Result<Posting, AppError> {
    let l = &v.ledger;
    // A payment beyond the ledger balance reaches into the interest accrued
    // since the last charge: that interest is charged first, so it is paid
    // as interest and a payoff leaves exactly zero (a payoff a day late
    // leaves the day's interest owed, not a credit).
    let accrual = (v.kind != AccountKind::CashAdvance && v.accrued_interest > 0 && amount > v.balance)
        .then_some(v.accrued_interest);
    let interest_due = l.interest.max(0) + accrual.unwrap_or(0);
    let credit_used = l.credit.max(0);
    let due = AmountsDue { fees: Cents(l.fees.max(0)), interest: Cents(interest_due), principal: Cents(0) };
    let alloc = loan::allocate(Cents(amount + credit_used), &due, Cents(l.principal.max(0)), &policy(allocation_order))
        .map_err(|err| AppError::Conflict(err.to_string()))?;
    let kind = if v.kind == AccountKind::CashAdvance { TxKind::Remittance } else { TxKind::Payment };
    let deltas = Deltas {
        principal: -alloc.principal.0,
        interest: -alloc.interest.0,
        fees: -alloc.fees.0,
        credit: alloc.unapplied.0 - credit_used,
    };
    let owed_after = v.balance + accrual.unwrap_or(0) + deltas.owed();
    Ok(Posting { accrual, kind, deltas, pays_off: owed_after <= 0 && v.kind != AccountKind::LineOfCredit })
}

/// Post a payment planned by [`plan_payment`]: the interest accrual (when
/// there is one) and the payment entry. Returns the payment entry's id.
pub async fn post_payment(
    tx: &mut portico_store::Tx,
    company_id: i64,
    v: &AccountView,
    posting: &Posting,
    entry: NewTransaction,
) -> Result<i64, AppError> {
    if let Some(accrued) = posting.accrual {
        store::insert_transaction(
            &mut **tx,
            company_id,
            &NewTransaction {
                account_id: v.account.id,
                posted_on: entry.posted_on.clone(),
                kind: TxKind::Interest,
                status: TxStatus::Posted,
                amount_cents: accrued,
                interest_cents: accrued,
                description: match v.accrual_from {
                    Some(from) => format!("Interest from {} to the payoff date", validate::iso_date(from)),
                    None => "Interest to the payoff date".into(),
                },
                reference: entry.reference.clone(),
                staff_user_id: entry.staff_user_id,
                ..Default::default()
            },
            now(),
        )
        .await?;
    }
    let d = posting.deltas;
    let id = store::insert_transaction(
        &mut **tx,
        company_id,
        &NewTransaction {
            kind: posting.kind,
            principal_cents: d.principal,
            interest_cents: d.interest,
            fees_cents: d.fees,
            credit_cents: d.credit,
            ..entry
        },
        now(),
    )
    .await?;
    if posting.pays_off {
        let status = if v.kind == AccountKind::CashAdvance { AccountStatus::Completed } else { AccountStatus::PaidOff };
        store::set_status(&mut **tx, company_id, v.account.id, status).await?;
    }
    Ok(id)
}

pub async fn post(
    app: &App,
    staff: &Staff,
    account_id: i64,
    input: &ManualInput,
    origin: &Origin,
) -> Result<i64, AppError> {
    staff.require(Permission::ServiceCustomers)?;
    let today = crate::accounts::today();
    // The account as the customer sees it today: one read for the checks
    // below and for how a payment lands.
    let a = crate::accounts::view_in(&mut *app.read_conn().await?, staff.company_id, account_id, today).await?;
    let mut e = FieldErrors::new();
    let posted_on = match validate::date(&input.posted_on) {
        Some(d) if d > today => {
            e.add("posted_on", "The date can't be in the future.");
            None
        }
        Some(d) if validate::date(&a.account.opened_on).is_some_and(|o| d < o) => {
            e.add("posted_on", "The date is before the account was opened.");
            None
        }
        Some(d) => Some(validate::iso_date(d)),
        None => {
            e.add("posted_on", "Enter a date like 2026-11-24.");
            None
        }
    };
    let description = validate::line(&input.description, 200).unwrap_or_else(|m| {
        e.add("description", m);
        String::new()
    });
    let l = &a.ledger;
    if input.kind == "reversal" {
        let id = input.reverses.trim().parse::<i64>().ok();
        let original = match id {
            Some(id) => store::transaction(app.db.r(), staff.company_id, id).await?,
            None => None,
        };
        match original {
            Some(o) if o.account_id == account_id && o.status == TxStatus::Posted && o.kind != TxKind::Reversal => {
                e.into_result()?;
                let mut tx = app.db.begin().await?;
                store::set_transaction_status(&mut *tx, staff.company_id, o.id, TxStatus::Reversed).await?;
                let id = store::insert_transaction(
                    &mut *tx,
                    staff.company_id,
                    &NewTransaction {
                        account_id,
                        posted_on: posted_on.unwrap_or_default(),
                        kind: TxKind::Reversal,
                        status: TxStatus::Posted,
                        amount_cents: o.amount_cents,
                        description: if description.is_empty() {
                            format!("Reversal of {} of {}", o.kind, o.posted_on)
                        } else {
                            description
                        },
                        reverses_id: Some(o.id),
                        staff_user_id: Some(staff.user.id),
                        ..Default::default()
                    },
                    now(),
                )
                .await?;
                let detail = format!("{}: reversed transaction {} ({})", a.account.number, o.id, o.kind);
                audit::staff(&mut *tx, staff, origin, Action::TransactionReverse, Some(a.account.contact_id), &detail)
                    .await?;
                // Undoing a payment that paid the account off opens it again.
                if a.account.status.is_settled() && o.kind != TxKind::Fee {
                    store::set_status(&mut *tx, staff.company_id, account_id, AccountStatus::Active).await?;
                }
                tx.commit().await?;
                Ok(id)
            }
            _ => {
                e.add("reverses", "Choose a posted transaction of this account.");
                Err(AppError::Invalid(e))
            }
        }
    } else {
        let amount = parse_amount(&input.amount).unwrap_or_else(|m| {
            e.add("amount", m);
            0
        });
        let v = &a;
        let settings = companies::settings(app.db.r(), staff.company_id).await?;
        let (posting, default_description) = match input.kind.as_str() {
            "payment" => {
                let payoff = v.payoff_today();
                if amount > payoff && amount > 0 {
                    e.add(
                        "amount",
                        format!(
                            "That is more than the payoff today ({}). Enter {} or less.",
                            crate::mail::cents_text(payoff),
                            crate::mail::cents_text(payoff)
                        ),
                    );
                }
                (plan_payment(v, amount, &settings.allocation_order)?, "Payment received by staff")
            }
            "fee" => (entry(TxKind::Fee, Deltas { fees: amount, ..Deltas::default() }), "Fee"),
            "credit_adjustment" => {
                if amount > l.principal.max(0) && amount > 0 {
                    e.add("amount", "A credit adjustment can't exceed the principal balance.");
                }
                (entry(TxKind::Adjustment, Deltas { principal: -amount, ..Deltas::default() }), "Credit adjustment")
            }
            "debit_adjustment" => {
                (entry(TxKind::Adjustment, Deltas { principal: amount, ..Deltas::default() }), "Debit adjustment")
            }
            "refund" => {
                if amount > v.credit() && amount > 0 {
                    e.add(
                        "amount",
                        if v.credit() == 0 {
                            "This account holds no credit to refund.".to_string()
                        } else {
                            format!(
                                "The account holds {} of credit; refund that or less.",
                                crate::mail::cents_text(v.credit())
                            )
                        },
                    );
                }
                (entry(TxKind::Refund, Deltas { credit: -amount, ..Deltas::default() }), "Credit refunded")
            }
            _ => {
                e.add("kind", "Choose what to post.");
                (entry(TxKind::default(), Deltas::default()), "")
            }
        };
        e.into_result()?;
        let mut tx = app.db.begin().await?;
        let t = NewTransaction {
            account_id,
            posted_on: posted_on.unwrap_or_default(),
            status: TxStatus::Posted,
            amount_cents: amount,
            description: if description.is_empty() { default_description.into() } else { description },
            staff_user_id: Some(staff.user.id),
            ..Default::default()
        };
        let kind = posting.kind;
        let id = post_payment(&mut tx, staff.company_id, v, &posting, t).await?;
        let detail = format!("{}: {} {}", a.account.number, kind, crate::mail::cents_text(amount));
        audit::staff(&mut *tx, staff, origin, Action::TransactionPost, Some(a.account.contact_id), &detail).await?;
        tx.commit().await?;
        Ok(id)
    }
}

/// A plain entry (not a payment): no accrual, the deltas as given.
fn entry(kind: TxKind, deltas: Deltas) -> Posting {
    Posting { accrual: None, kind, deltas, pays_off: false }
}

pub async fn set_hidden(
    app: &App,
    staff: &Staff,
    account_id: i64,
    hidden: bool,
    origin: &Origin,
) -> Result<(), AppError> {
    staff.require(Permission::ServiceCustomers)?;
    let a = store::for_company_one(app.db.r(), staff.company_id, account_id).await?.ok_or(AppError::NotFound)?;
    let mut tx = app.db.begin().await?;
    store::set_hidden(&mut *tx, staff.company_id, account_id, hidden).await?;
    let action = if hidden { Action::AccountHide } else { Action::AccountShow };
    audit::staff(&mut *tx, staff, origin, action, Some(a.account.contact_id), &a.account.number).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("125"), Ok(12_500));
        assert_eq!(parse_amount("$1,234.50"), Ok(123_450));
        assert_eq!(parse_amount("0.01"), Ok(1));
        assert!(parse_amount("0").is_err());
        assert!(parse_amount("-5").is_err());
        assert!(parse_amount("1.234").is_err());
        assert!(parse_amount("abc").is_err());
        assert!(parse_amount("1e9").is_err());
    }

    #[test]
    fn allocation_order_from_settings() {
        assert_eq!(policy("interest,fees,principal").order, vec![Bucket::Interest, Bucket::Fees, Bucket::Principal]);
        assert_eq!(policy("nonsense").order, AllocationPolicy::default().order);
    }
}
