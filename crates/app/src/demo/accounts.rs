//! Demo account histories: loans, leases, lines of credit and cash advances
//! with a realistic ledger from their opening date to today, generated with
//! the same domain math the portal uses. Deterministic per seed.

use portico_domain::codes::{AccountKind, AccountStatus};
use portico_domain::codes::{TxKind, TxStatus};
use portico_domain::loan::{
    self, AllocationPolicy, AmountsDue, BalanceChange, Cents, DayCount, Frequency, LoanTerms, MinimumPaymentRule,
    add_business_days, add_days,
};
use portico_domain::validate::iso_date;
use portico_store::Tx;
use portico_store::accounts::{self, NewAccount, NewTransaction, Statement};
use rust_decimal::Decimal;
use time::{Date, Duration};

use crate::{App, AppError, now};

/// A small deterministic generator (xorshift64*), so demo data is the same
/// on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + (self.next_u64() % ((hi - lo + 1) as u64)) as i64
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

fn err(e: loan::LoanError) -> AppError {
    AppError::Conflict(format!("demo data: {e}"))
}

async fn post(
    tx: &mut Tx,
    company_id: i64,
    account_id: i64,
    on: Date,
    kind: TxKind,
    status: TxStatus,
    amount: i64,
    deltas: (i64, i64, i64),
    description: &str,
) -> Result<i64, AppError> {
    Ok(accounts::insert_transaction(
        &mut **tx,
        company_id,
        &NewTransaction {
            account_id,
            posted_on: iso_date(on),
            kind,
            status,
            amount_cents: amount,
            principal_cents: deltas.0,
            interest_cents: deltas.1,
            fees_cents: deltas.2,
            description: description.into(),
            ..Default::default()
        },
        now(),
    )
    .await?)
}

pub struct LoanSpec<'a> {
    pub number: &'a str,
    pub kind: AccountKind,
    pub product: &'a str,
    pub principal: i64,
    pub rate: &'a str,
    pub periods: u32,
    pub opened: Date,
    pub late_percent: u64,
    /// Index of a payment that is returned by the bank and made again.
    pub returned_payment: Option<u32>,
}

/// An installment loan or lease paid on schedule (mostly) up to `today`.
pub async fn loan(
    app: &App,
    company_id: i64,
    contact_id: i64,
    s: &LoanSpec<'_>,
    today: Date,
    rng: &mut Rng,
) -> Result<i64, AppError> {
    let first_due = Frequency::Monthly.due_date(s.opened, 1).map_err(err)?;
    let rate: Decimal = s.rate.parse().unwrap_or_default();
    let payment = loan::level_payment(Cents(s.principal), rate, 12, s.periods).map_err(err)?;
    let rows = loan::schedule(&LoanTerms::new(Cents(s.principal), rate, Frequency::Monthly, s.periods, first_due))
        .map_err(err)?;
    let mut tx = app.db.begin().await?;
    let id = accounts::insert_account(
        &mut *tx,
        company_id,
        &NewAccount {
            contact_id,
            external_id: Some(format!("LMS-{}", s.number)),
            number: s.number.into(),
            kind: s.kind,
            product: s.product.into(),
            status: AccountStatus::Active,
            opened_on: iso_date(s.opened),
            amount_cents: s.principal,
            annual_rate: s.rate.into(),
            term_periods: Some(i64::from(s.periods)),
            frequency: "monthly".into(),
            first_due_on: Some(iso_date(first_due)),
            payment_cents: Some(payment.0),
            day_count: "30/360".into(),
            ..Default::default()
        },
        now(),
    )
    .await?;
    let funded = if s.kind == AccountKind::Lease { "Lease funded" } else { "Loan funded" };
    post(
        &mut tx,
        company_id,
        id,
        s.opened,
        TxKind::Disbursement,
        TxStatus::Posted,
        s.principal,
        (s.principal, 0, 0),
        funded,
    )
    .await?;
    let policy = AllocationPolicy::default();
    let mut principal_balance = s.principal;
    let mut paid_all = true;
    for row in &rows {
        if row.due_date > today {
            paid_all = false;
            break;
        }
        post(
            &mut tx,
            company_id,
            id,
            row.due_date,
            TxKind::Interest,
            TxStatus::Posted,
            row.interest.0,
            (0, row.interest.0, 0),
            "Interest",
        )
        .await?;
        let late = rng.chance(s.late_percent);
        let mut fee = 0;
        if late {
            let fee_day = add_days(row.due_date, 10).map_err(err)?;
            if fee_day <= today {
                fee = 2500;
                post(&mut tx, company_id, id, fee_day, TxKind::Fee, TxStatus::Posted, fee, (0, 0, fee), "Late fee")
                    .await?;
            }
        }
        let pay_day = add_days(row.due_date, if late { 12 } else { rng.range(-3, 0) }).map_err(err)?;
        if pay_day > today {
            paid_all = false;
            break;
        }
        let amount = row.payment.0 + fee;
        let due = AmountsDue { fees: Cents(fee), interest: row.interest, principal: row.principal };
        let a = loan::allocate(Cents(amount), &due, Cents(principal_balance), &policy).map_err(err)?;
        if s.returned_payment == Some(row.number) {
            post(
                &mut tx,
                company_id,
                id,
                pay_day,
                TxKind::Payment,
                TxStatus::Returned,
                amount,
                (-a.principal.0, -a.interest.0, -a.fees.0),
                "Payment — returned by the bank (R01 insufficient funds)",
            )
            .await?;
            let nsf_day = add_days(pay_day, 2).map_err(err)?;
            post(
                &mut tx,
                company_id,
                id,
                nsf_day,
                TxKind::Fee,
                TxStatus::Posted,
                2500,
                (0, 0, 2500),
                "Returned payment fee",
            )
            .await?;
            let again = add_days(pay_day, 6).map_err(err)?;
            let a2 = loan::allocate(
                Cents(amount + 2500),
                &AmountsDue { fees: Cents(fee + 2500), interest: row.interest, principal: row.principal },
                Cents(principal_balance),
                &policy,
            )
            .map_err(err)?;
            post(
                &mut tx,
                company_id,
                id,
                again,
                TxKind::Payment,
                TxStatus::Posted,
                amount + 2500,
                (-a2.principal.0, -a2.interest.0, -a2.fees.0),
                "Payment — thank you",
            )
            .await?;
        } else {
            post(
                &mut tx,
                company_id,
                id,
                pay_day,
                TxKind::Payment,
                TxStatus::Posted,
                amount,
                (-a.principal.0, -a.interest.0, -a.fees.0),
                "Payment — thank you",
            )
            .await?;
        }
        principal_balance -= row.principal.0;
    }
    if paid_all {
        accounts::set_status(&mut *tx, company_id, id, AccountStatus::PaidOff).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// A line of credit with monthly cycles from `opened` to `today`: draws,
/// interest by average daily balance, a statement per cycle and a payment
/// before each due date.
pub async fn line_of_credit(
    app: &App,
    company_id: i64,
    contact_id: i64,
    number: &str,
    limit: i64,
    apr: &str,
    opened: Date,
    today: Date,
    rng: &mut Rng,
) -> Result<i64, AppError> {
    let apr_d: Decimal = apr.parse().unwrap_or_default();
    let rule = MinimumPaymentRule { percent_of_balance: Decimal::new(3, 2), floor: Cents(2500) };
    let mut tx = app.db.begin().await?;
    let id = accounts::insert_account(
        &mut *tx,
        company_id,
        &NewAccount {
            contact_id,
            external_id: Some(format!("LMS-{number}")),
            number: number.into(),
            kind: AccountKind::LineOfCredit,
            product: "Business line of credit".into(),
            status: AccountStatus::Active,
            opened_on: iso_date(opened),
            amount_cents: limit,
            annual_rate: apr.into(),
            frequency: "monthly".into(),
            day_count: "actual/365".into(),
            min_payment_percent: Some("0.03".into()),
            min_payment_floor_cents: Some(2500),
            ..Default::default()
        },
        now(),
    )
    .await?;
    let (mut principal, mut interest) = (0_i64, 0_i64);
    let mut pending_payment: Option<(Date, i64)> = None;
    let mut k = 0;
    loop {
        let start = Frequency::Monthly.due_date(opened, k).map_err(err)?;
        let end = add_days(Frequency::Monthly.due_date(opened, k + 1).map_err(err)?, -1).map_err(err)?;
        if end >= today {
            break;
        }
        let opening = principal + interest;
        let opening_principal = principal;
        let mut events: Vec<(Date, i64, bool)> = Vec::new(); // (day, amount, is_draw)
        for _ in 0..rng.range(1, 3) {
            let day = add_days(start, rng.range(0, (end - start).whole_days())).map_err(err)?;
            events.push((day, rng.range(20, 150) * 1000, true));
        }
        if let Some((due, amount)) = pending_payment.take()
            && due >= start
            && due <= end
        {
            events.push((due, amount, false));
        }
        events.sort_by_key(|e| e.0);
        let (mut draws, mut payments) = (0, 0);
        let mut changes = Vec::new();
        for (day, amount, is_draw) in events {
            if is_draw {
                let amount = amount.min(limit - principal);
                if amount <= 0 {
                    continue;
                }
                principal += amount;
                draws += amount;
                post(
                    &mut tx,
                    company_id,
                    id,
                    day,
                    TxKind::Draw,
                    TxStatus::Posted,
                    amount,
                    (amount, 0, 0),
                    "Draw to checking ••4410",
                )
                .await?;
            } else {
                payments += loc_payment(&mut tx, company_id, id, day, amount, &mut principal, &mut interest).await?;
            }
            changes.push(BalanceChange { date: day, balance: Cents(principal) });
        }
        let ci = loan::cycle_interest(Cents(opening_principal), &changes, start, end, apr_d, DayCount::Actual365)
            .map_err(err)?;
        if ci.interest.0 > 0 {
            interest += ci.interest.0;
            post(
                &mut tx,
                company_id,
                id,
                end,
                TxKind::Interest,
                TxStatus::Posted,
                ci.interest.0,
                (0, ci.interest.0, 0),
                "Interest charge",
            )
            .await?;
        }
        let closing = principal + interest;
        let min = loan::minimum_payment(Cents(closing), ci.interest, Cents(0), &rule).map_err(err)?;
        let due = add_days(end, 25).map_err(err)?;
        accounts::insert_statement(
            &mut *tx,
            company_id,
            &Statement {
                id: 0,
                account_id: id,
                cycle_start: iso_date(start),
                cycle_end: iso_date(end),
                opening_cents: opening,
                closing_cents: closing,
                draws_cents: draws,
                payments_cents: payments,
                interest_cents: ci.interest.0,
                fees_cents: 0,
                minimum_payment_cents: min.0,
                due_on: iso_date(due),
            },
            now(),
        )
        .await?;
        // Pay the minimum or more a few days before the due date.
        let pay = if rng.chance(40) { min.0.max(closing / 4) } else { min.0 };
        let pay_day = add_days(due, -rng.range(1, 6)).map_err(err)?;
        if pay > 0 {
            // The due date falls in the next cycle; the payment is posted there.
            pending_payment = Some((pay_day, pay));
        }
        k += 1;
    }
    // A payment due in the current (open) cycle that has already happened.
    if let Some((day, amount)) = pending_payment
        && day <= today
    {
        loc_payment(&mut tx, company_id, id, day, amount, &mut principal, &mut interest).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Post a line-of-credit payment, interest first, and update the running
/// balances. Returns the amount applied.
async fn loc_payment(
    tx: &mut Tx,
    company_id: i64,
    id: i64,
    day: Date,
    amount: i64,
    principal: &mut i64,
    interest: &mut i64,
) -> Result<i64, AppError> {
    let to_interest = amount.min(*interest);
    let to_principal = (amount - to_interest).min(*principal);
    *interest -= to_interest;
    *principal -= to_principal;
    let applied = to_interest + to_principal;
    post(
        tx,
        company_id,
        id,
        day,
        TxKind::Payment,
        TxStatus::Posted,
        applied,
        (-to_principal, -to_interest, 0),
        "Payment — thank you",
    )
    .await?;
    Ok(applied)
}

/// A merchant cash advance: funded, then a fixed debit every business day
/// until the payback is remitted or `today`.
pub async fn cash_advance(
    app: &App,
    company_id: i64,
    contact_id: i64,
    number: &str,
    funded: i64,
    factor: &str,
    debits: i64,
    funded_on: Date,
    today: Date,
    rng: &mut Rng,
) -> Result<i64, AppError> {
    let factor_d: Decimal = factor.parse().unwrap_or(Decimal::ONE);
    let payback = i64::try_from((Decimal::from(funded) * factor_d).round()).unwrap_or(funded);
    let debit = (payback + debits - 1) / debits;
    let mut tx = app.db.begin().await?;
    let id = accounts::insert_account(
        &mut *tx,
        company_id,
        &NewAccount {
            contact_id,
            external_id: Some(format!("MCA-{number}")),
            number: number.into(),
            kind: AccountKind::CashAdvance,
            product: "Business cash advance".into(),
            status: AccountStatus::Active,
            opened_on: iso_date(funded_on),
            amount_cents: funded,
            annual_rate: "0".into(),
            factor_rate: Some(factor.into()),
            frequency: "daily".into(),
            payment_cents: Some(debit),
            day_count: "actual/365".into(),
            ..Default::default()
        },
        now(),
    )
    .await?;
    // The balance of an advance is what is left of the payback.
    post(
        &mut tx,
        company_id,
        id,
        funded_on,
        TxKind::Disbursement,
        TxStatus::Posted,
        funded,
        (payback, 0, 0),
        "Advance funded",
    )
    .await?;
    let mut remitted = 0;
    let mut n = 1;
    loop {
        let day = add_business_days(funded_on, n).map_err(err)?;
        if day > today || remitted >= payback {
            break;
        }
        let amount = debit.min(payback - remitted);
        if rng.chance(2) {
            post(
                &mut tx,
                company_id,
                id,
                day,
                TxKind::Remittance,
                TxStatus::Returned,
                amount,
                (-amount, 0, 0),
                "Daily debit — returned (R01)",
            )
            .await?;
        } else {
            remitted += amount;
            post(
                &mut tx,
                company_id,
                id,
                day,
                TxKind::Remittance,
                TxStatus::Posted,
                amount,
                (-amount, 0, 0),
                "Daily debit",
            )
            .await?;
        }
        n += 1;
    }
    if remitted >= payback {
        accounts::set_status(&mut *tx, company_id, id, AccountStatus::Completed).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Jane Doe's accounts: one of each kind (the demo requirement).
pub async fn seed_jane(app: &App, company_id: i64, contact_id: i64, today: Date) -> Result<(), AppError> {
    let mut rng = Rng::new(7);
    let back = |days: i64| today - Duration::days(days);
    loan(
        app,
        company_id,
        contact_id,
        &LoanSpec {
            number: "LN-100234",
            kind: AccountKind::Installment,
            product: "Auto loan — 2023 Honda CR-V",
            principal: 2_500_000,
            rate: "0.0725",
            periods: 60,
            opened: back(560),
            late_percent: 8,
            returned_payment: Some(7),
        },
        today,
        &mut rng,
    )
    .await?;
    let lease = loan(
        app,
        company_id,
        contact_id,
        &LoanSpec {
            number: "LS-200871",
            kind: AccountKind::Lease,
            product: "Equipment lease — cargo van",
            principal: 4_150_000,
            rate: "0.0849",
            periods: 48,
            opened: back(430),
            late_percent: 5,
            returned_payment: None,
        },
        today,
        &mut rng,
    )
    .await?;
    accounts::insert_collateral(
        app.db.w(),
        company_id,
        lease,
        ("2024 Ford Transit 250 cargo van, white", "Vehicle", "VIN", "1FTBR1C85RKA41937", Some(4_250_000)),
        now(),
    )
    .await?;
    accounts::insert_collateral(
        app.db.w(),
        company_id,
        lease,
        ("Ranger Design shelving and ladder rack", "Equipment", "Serial", "RD-TR250-88214", Some(385_000)),
        now(),
    )
    .await?;
    line_of_credit(app, company_id, contact_id, "LC-300112", 1_500_000, "0.1899", back(420), today, &mut rng).await?;
    cash_advance(app, company_id, contact_id, "CA-410019", 5_000_000, "1.35", 120, back(75), today, &mut rng).await?;
    cash_advance(app, company_id, contact_id, "CA-400587", 2_000_000, "1.28", 100, back(540), today, &mut rng).await?;
    Ok(())
}

/// A varied mix for the other demo customers.
pub async fn seed_customer(app: &App, company_id: i64, contact_id: i64, n: u64, today: Date) -> Result<(), AppError> {
    let mut rng = Rng::new(1000 + n);
    let back = |days: i64| today - Duration::days(days);
    let products = ["Personal loan", "Auto loan", "Home improvement loan", "Equipment loan"];
    match n % 4 {
        0 | 1 => {
            let number = format!("LN-{}", 101_000 + n * 17);
            let principal = rng.range(50, 400) * 10_000;
            loan(
                app,
                company_id,
                contact_id,
                &LoanSpec {
                    number: &number,
                    kind: AccountKind::Installment,
                    product: products[(n as usize) % products.len()],
                    principal,
                    rate: ["0.0599", "0.0849", "0.1199", "0.1649"][(n as usize) % 4],
                    periods: [24, 36, 48, 60][(n as usize / 2) % 4],
                    opened: back(rng.range(200, 900)),
                    late_percent: if n.is_multiple_of(5) { 30 } else { 6 },
                    returned_payment: None,
                },
                today,
                &mut rng,
            )
            .await?;
        }
        2 => {
            let number = format!("LC-{}", 301_000 + n * 13);
            line_of_credit(
                app,
                company_id,
                contact_id,
                &number,
                rng.range(5, 25) * 100_000,
                "0.2149",
                back(rng.range(200, 500)),
                today,
                &mut rng,
            )
            .await?;
        }
        _ => {
            let number = format!("CA-{}", 411_000 + n * 11);
            cash_advance(
                app,
                company_id,
                contact_id,
                &number,
                rng.range(10, 60) * 100_000,
                "1.32",
                110,
                back(rng.range(20, 200)),
                today,
                &mut rng,
            )
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn rng_is_deterministic_and_in_range() {
        let (mut a, mut b) = (Rng::new(5), Rng::new(5));
        for _ in 0..100 {
            let x = a.range(-3, 9);
            assert_eq!(x, b.range(-3, 9));
            assert!((-3..=9).contains(&x));
        }
    }
}
