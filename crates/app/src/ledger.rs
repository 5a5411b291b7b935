//! Staff post manual transactions (payment, fee, adjustment, reversal) that
//! flow into balances and the portal. Payments go through the company's
//! allocation waterfall (domain::loan::allocate).

use crate::authz::Permission;
use std::str::FromStr;

use portico_domain::loan::{self, AllocationPolicy, AmountsDue, Bucket, Cents};
use portico_domain::validate;
use portico_store::accounts::{self as store, NewTransaction};
use portico_store::companies;
use rust_decimal::Decimal;

use crate::auth::Staff;
use crate::{App, AppError, FieldErrors, Origin, audit, now};

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

/// How a payment of `amount` lands on an account's ledger: the entry kind
/// (`payment`, or `remittance` for a cash advance) and the signed deltas
/// (principal, interest, fees), split by the company's waterfall. Money
/// beyond what is owed (possible only when two payments race) reduces
/// principal further, leaving a credit balance staff can see and refund.
pub fn split_payment(
    account_kind: &str,
    l: &store::Ledger,
    amount: i64,
    allocation_order: &str,
) -> Result<(&'static str, (i64, i64, i64)), AppError> {
    let due = AmountsDue { fees: Cents(l.fees.max(0)), interest: Cents(l.interest.max(0)), principal: Cents(0) };
    let alloc = loan::allocate(Cents(amount), &due, Cents(l.principal.max(0)), &policy(allocation_order))
        .map_err(|err| AppError::Conflict(err.to_string()))?;
    let kind = if account_kind == "cash_advance" { "remittance" } else { "payment" };
    let principal = alloc.principal.0 + alloc.unapplied.0;
    Ok((kind, (-principal, -alloc.interest.0, -alloc.fees.0)))
}

pub async fn post(
    app: &App,
    staff: &Staff,
    account_id: i64,
    input: &ManualInput,
    origin: &Origin,
) -> Result<i64, AppError> {
    staff.require(Permission::ServiceCustomers)?;
    let a = store::for_company_one(app.db.r(), staff.company_id, account_id).await?.ok_or(AppError::NotFound)?;
    let mut e = FieldErrors::new();
    let today = time::OffsetDateTime::now_utc().date();
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
    let t = if input.kind == "reversal" {
        let id = input.reverses.trim().parse::<i64>().ok();
        let original = match id {
            Some(id) => store::transaction(app.db.r(), staff.company_id, id).await?,
            None => None,
        };
        match original {
            Some(o) if o.account_id == account_id && o.status == "posted" && o.kind != "reversal" => {
                e.into_result()?;
                let mut tx = app.db.begin().await?;
                store::set_transaction_status(&mut *tx, staff.company_id, o.id, "reversed").await?;
                let id = store::insert_transaction(
                    &mut *tx,
                    staff.company_id,
                    &NewTransaction {
                        account_id,
                        posted_on: posted_on.unwrap_or_default(),
                        kind: "reversal".into(),
                        status: "posted".into(),
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
                audit::staff(&mut *tx, staff, origin, "transaction.reverse", Some(a.account.contact_id), &detail)
                    .await?;
                tx.commit().await?;
                return Ok(id);
            }
            _ => {
                e.add("reverses", "Choose a posted transaction of this account.");
                return Err(AppError::Invalid(e));
            }
        }
    } else {
        let amount = parse_amount(&input.amount).unwrap_or_else(|m| {
            e.add("amount", m);
            0
        });
        let (kind, deltas, default_description) = match input.kind.as_str() {
            "payment" => {
                let owed = l.principal.max(0) + l.interest.max(0) + l.fees.max(0);
                if amount > owed && amount > 0 {
                    e.add("amount", format!("That is more than the balance ({}).", crate::mail::cents_text(owed)));
                }
                let settings = companies::settings(app.db.r(), staff.company_id).await?;
                let (kind, deltas) = split_payment(&a.account.kind, l, amount, &settings.allocation_order)?;
                (kind, deltas, "Payment received by staff")
            }
            "fee" => ("fee", (0, 0, amount), "Fee"),
            "credit_adjustment" => {
                if amount > l.principal.max(0) && amount > 0 {
                    e.add("amount", "A credit adjustment can't exceed the principal balance.");
                }
                ("adjustment", (-amount, 0, 0), "Credit adjustment")
            }
            "debit_adjustment" => ("adjustment", (amount, 0, 0), "Debit adjustment"),
            _ => {
                e.add("kind", "Choose what to post.");
                ("", (0, 0, 0), "")
            }
        };
        e.into_result()?;
        NewTransaction {
            account_id,
            posted_on: posted_on.unwrap_or_default(),
            kind: kind.into(),
            status: "posted".into(),
            amount_cents: amount,
            principal_cents: deltas.0,
            interest_cents: deltas.1,
            fees_cents: deltas.2,
            description: if description.is_empty() { default_description.into() } else { description },
            staff_user_id: Some(staff.user.id),
            ..Default::default()
        }
    };
    let mut tx = app.db.begin().await?;
    let id = store::insert_transaction(&mut *tx, staff.company_id, &t, now()).await?;
    let owed_after = l.principal + l.interest + l.fees + t.principal_cents + t.interest_cents + t.fees_cents;
    if owed_after <= 0 && a.account.kind != "line_of_credit" {
        let status = if a.account.kind == "cash_advance" { "completed" } else { "paid_off" };
        store::set_status(&mut *tx, staff.company_id, account_id, status).await?;
    }
    let detail = format!("{}: {} {}", a.account.number, t.kind, crate::mail::cents_text(t.amount_cents));
    audit::staff(&mut *tx, staff, origin, "transaction.post", Some(a.account.contact_id), &detail).await?;
    tx.commit().await?;
    Ok(id)
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
    let action = if hidden { "account.hide" } else { "account.show" };
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
