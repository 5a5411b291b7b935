//! Demo payments for Acme Capital: payment settings (terms, ACH
//! originator), Jane Doe's saved card and bank account, a history of
//! completed payments (linked to the ledger payments the accounts demo
//! already posted, so balances don't move), a scheduled payment, a
//! declined one, and an AutoPay on her line of credit.

use portico_domain::codes::{AccountKind, MethodKind, PaymentKind, PaymentStatus, TxKind, TxStatus};
use portico_domain::validate::iso_date;
use portico_store::accounts as acct_store;
use portico_store::payments::{self as store, NewAutoPay, NewMethod, NewPayment, PaymentSettings};
use time::{Date, Duration};

use crate::payments::new_reference;
use crate::{App, AppError, now};

pub const ACME_TERMS: &str = "By submitting a payment you authorise Acme Capital LLC to charge the card or debit \
the bank account you chose for the amount shown, on the date shown. Bank payments may take up to three business \
days to clear; if your bank returns a payment, a returned-payment fee may apply as set out in your agreement. \
Scheduled payments and AutoPay can be cancelled in the portal until the day before they are due.";

pub async fn seed(app: &App, company_id: i64, jane: i64, today: Date) -> Result<(), AppError> {
    let mut s = PaymentSettings::defaults(company_id);
    s.terms = ACME_TERMS.into();
    s.ach_company_name = "ACME CAPITAL".into();
    s.ach_company_id = "1742718290".into();
    s.ach_odfi_routing = "021000021".into();
    s.ach_destination_routing = "021000021".into();
    s.ach_destination_name = "JPMORGAN CHASE BANK".into();
    s.ach_entry_description = "LOAN PMT".into();
    store::save_settings(app.db.w(), &s, now()).await?;

    let exp_year = i64::from(today.year()) + 3;
    let card_token = app
        .gateways
        .test
        .demo_card("4242424242424242", 8, exp_year)
        .await
        .map_err(|e| AppError::Conflict(e.to_string()))?;
    let card = store::insert_method(
        app.db.w(),
        company_id,
        &NewMethod {
            contact_id: jane,
            kind: MethodKind::Card,
            gateway: "test".into(),
            token: card_token,
            holder_name: "Jane Doe".into(),
            brand: "Visa".into(),
            last4: "4242".into(),
            exp_month: Some(8),
            exp_year: Some(exp_year),
            is_default: true,
            ..NewMethod::default()
        },
        now(),
    )
    .await?;
    let bank = store::insert_method(
        app.db.w(),
        company_id,
        &NewMethod {
            contact_id: jane,
            kind: MethodKind::Bank,
            gateway: "ach".into(),
            token: format!("ach_{}", crate::crypto::random_token()),
            nickname: "Household checking".into(),
            holder_name: "Jane Doe".into(),
            brand: "Checking".into(),
            last4: "6789".into(),
            bank_name: "Hill Country Credit Union".into(),
            routing_number: "021000021".into(),
            account_type: "checking".into(),
            account_sealed: Some(app.keys.seal("000123456789")),
            ..NewMethod::default()
        },
        now(),
    )
    .await?;

    // The last six ledger payments of her loans, as completed online payments.
    let accounts = acct_store::for_contact(app.db.r(), company_id, jane, true).await?;
    let mut history = Vec::new();
    for a in
        accounts.iter().filter(|a| a.account.kind == AccountKind::Installment || a.account.kind == AccountKind::Lease)
    {
        let from = iso_date(today - Duration::days(200));
        let txs =
            acct_store::transactions_between(app.db.r(), company_id, a.account.id, &from, &iso_date(today)).await?;
        history.extend(txs.into_iter().filter(|t| t.kind == TxKind::Payment && t.status == TxStatus::Posted));
    }
    history.sort_by(|a, b| a.posted_on.cmp(&b.posted_on));
    for (i, t) in history.iter().enumerate() {
        let method = if i % 3 == 2 { bank } else { card };
        let gateway = if method == bank { "ach" } else { "test" };
        let mut tx = app.db.begin().await?;
        let id = store::insert_payment(
            &mut tx,
            company_id,
            &NewPayment {
                contact_id: jane,
                reference: new_reference(),
                idempotency_key: format!("demo:{}", t.id),
                request_digest: "demo".into(),
                method_id: method,
                gateway: gateway.into(),
                amount_cents: t.amount_cents,
                kind: if method == bank { PaymentKind::Automatic } else { PaymentKind::OneTime },
                status: PaymentStatus::Completed,
                scheduled_on: t.posted_on.clone(),
                items: vec![(t.account_id, t.amount_cents)],
                ..NewPayment::default()
            },
            now(),
        )
        .await?;
        if let Some(id) = id {
            let items = store::items(&mut *tx, company_id, &[id]).await?;
            if let Some(item) = items.first() {
                store::set_item_posted(&mut *tx, item.id, t.id, (-t.principal_cents, -t.interest_cents, -t.fees_cents))
                    .await?;
            }
            let at = validate_ts(&t.posted_on);
            store::backdate(&mut *tx, company_id, id, at, &format!("demo_{}", t.id)).await?;
        }
        tx.commit().await?;
    }

    // Upcoming: a scheduled payment on the auto loan, a declined attempt,
    // and AutoPay on the line of credit.
    if let Some(loan) = accounts.iter().find(|a| a.account.number == "LN-100234") {
        let amount = loan.account.payment_cents.unwrap_or(49_798);
        let mut tx = app.db.begin().await?;
        store::insert_payment(
            &mut tx,
            company_id,
            &NewPayment {
                contact_id: jane,
                reference: new_reference(),
                idempotency_key: "demo:scheduled".into(),
                request_digest: "demo".into(),
                method_id: card,
                gateway: "test".into(),
                amount_cents: amount,
                kind: PaymentKind::Scheduled,
                status: PaymentStatus::Scheduled,
                scheduled_on: iso_date(today + Duration::days(12)),
                items: vec![(loan.account.id, amount)],
                ..NewPayment::default()
            },
            now(),
        )
        .await?;
        let declined = store::insert_payment(
            &mut tx,
            company_id,
            &NewPayment {
                contact_id: jane,
                reference: new_reference(),
                idempotency_key: "demo:declined".into(),
                request_digest: "demo".into(),
                method_id: card,
                gateway: "test".into(),
                amount_cents: 25_000,
                kind: PaymentKind::OneTime,
                status: PaymentStatus::Processing,
                scheduled_on: iso_date(today - Duration::days(40)),
                items: vec![(loan.account.id, 25_000)],
                ..NewPayment::default()
            },
            now(),
        )
        .await?;
        if let Some(id) = declined {
            store::settle(
                &mut *tx,
                company_id,
                id,
                PaymentStatus::Failed,
                None,
                Some(("insufficient_funds", "The payment was declined: insufficient funds.")),
                now(),
            )
            .await?;
            store::backdate(&mut *tx, company_id, id, validate_ts(&iso_date(today - Duration::days(40))), "").await?;
        }
        tx.commit().await?;
    }
    if let Some(loc) = accounts.iter().find(|a| a.account.number == "LC-300112") {
        let next_month = today + Duration::days(20);
        store::insert_autopay(
            app.db.w(),
            company_id,
            &NewAutoPay {
                contact_id: jane,
                account_id: loc.account.id,
                method_id: bank,
                amount_mode: "due".into(),
                amount_cents: None,
                frequency: "monthly".into(),
                start_on: iso_date(next_month),
                agent_user_id: None,
            },
            now(),
        )
        .await?;
    }
    Ok(())
}

/// Noon UTC of an ISO date, as a Unix timestamp.
fn validate_ts(iso: &str) -> i64 {
    portico_domain::validate::date(iso)
        .map(|d| d.with_time(time::macros::time!(12:00)).assume_utc().unix_timestamp())
        .unwrap_or_else(now)
}
