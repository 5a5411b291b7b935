//! Payments (issue 4): one-off, scheduled, Pay Multiple, AutoPay, methods,
//! exactly-once under double submits and two runners, ACH export and
//! returns, bad input, isolation.

use portico_app::payments::runner;

use crate::common::{self, Client, PASSWORD, TestApp};

const ACME: &str = "acme.localhost";

async fn jane(t: &TestApp) -> Client {
    let c = t.client();
    let r = c.sign_in(ACME, "jane.doe", PASSWORD).await;
    assert_eq!(r.status, 303, "{}", r.body);
    c
}

async fn account(t: &TestApp, number: &str) -> i64 {
    t.scalar(&format!("SELECT id FROM accounts WHERE number = '{number}'")).await
}

async fn method(t: &TestApp, last4: &str) -> i64 {
    t.scalar(&format!(
        "SELECT id FROM payment_methods WHERE last4 = '{last4}' AND deleted_at IS NULL ORDER BY id LIMIT 1"
    ))
    .await
}

use crate::common::hidden;

/// The pay form's idempotency key and CSRF token.
async fn form(c: &Client, path: &str) -> (String, String) {
    let page = c.get(ACME, path).await;
    assert_eq!(page.status, 200, "{path}: {}", page.body);
    (hidden(&page.body, "key"), common::csrf_of(&page.body).expect("csrf"))
}

async fn confirm(c: &Client, csrf: &str, fields: &[(&str, &str)]) -> common::Resp {
    let mut all = vec![("csrf", csrf)];
    all.extend_from_slice(fields);
    c.post_raw(ACME, "/payments/confirm", &all).await
}

async fn charges(t: &TestApp, key: &str) -> i64 {
    t.app.gateways.test.charge_count(key).await.expect("gateway")
}

/// A Tuesday that is not a holiday: the runner charges on business days.
fn business_day() -> time::Date {
    time::macros::date!(2026 - 11 - 24)
}

#[tokio::test]
async fn one_off_card_payment_is_applied_once_however_often_it_is_sent() {
    let t = common::spawn().await;
    let c = jane(&t).await;
    let loan = account(&t, "LS-200871").await; // nothing scheduled on it: "next" is still to pay
    let visa = method(&t, "4242").await;
    let before = t.scalar(&format!("SELECT COUNT(*) FROM transactions WHERE account_id = {loan}")).await;
    let (key, csrf) = form(&c, &format!("/accounts/{loan}/pay")).await;
    let (l, v) = (loan.to_string(), visa.to_string());
    let choice = format!("choice_{loan}");
    let fields = [
        ("mode", "one"),
        ("account", l.as_str()),
        (choice.as_str(), "next"),
        ("method", v.as_str()),
        ("date", ""),
        ("key", key.as_str()),
    ];

    // The review step charges nothing.
    let review = c.post_raw(ACME, "/payments/review", &[&[("csrf", csrf.as_str())][..], &fields[..]].concat()).await;
    assert_eq!(review.status, 200, "{}", review.body);
    assert!(review.body.contains("Pay now"));
    assert_eq!(
        t.scalar(
            "SELECT COUNT(*) FROM payments WHERE kind = 'one_time' AND status = 'completed' AND created_at > 1800000000"
        )
        .await,
        0
    );

    // A double click: five submissions at once, one payment.
    let sends = (0..5).map(|_| confirm(&c, &csrf, &fields));
    let results = futures_util::future::join_all(sends).await;
    let locations: Vec<String> = results.iter().map(|r| r.location.clone().unwrap_or_else(|| r.body.clone())).collect();
    assert!(results.iter().all(|r| r.status == 303), "{locations:?}");
    assert!(locations.windows(2).all(|w| w[0] == w[1]), "same receipt for every submission: {locations:?}");
    let reference = locations[0].trim_start_matches("/payments/").to_string();
    assert_eq!(t.text(&format!("SELECT status FROM payments WHERE reference = '{reference}'")).await, "completed");
    assert_eq!(charges(&t, &key).await, 1, "the gateway charged once");
    assert_eq!(
        t.scalar(&format!("SELECT COUNT(*) FROM transactions WHERE reference = '{reference}'")).await,
        1,
        "one ledger entry"
    );
    // Back and resubmit later: still the same receipt, nothing new.
    let again = confirm(&c, &csrf, &fields).await;
    assert_eq!(again.location.as_deref(), Some(locations[0].as_str()));
    assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM transactions WHERE account_id = {loan}")).await, before + 1);

    // The receipt, the history and the e-mail.
    let receipt = c.get(ACME, &locations[0]).await;
    assert!(receipt.body.contains(&reference) && receipt.body.contains("Completed"), "{}", receipt.body);
    let history = c.get(ACME, "/payments").await;
    assert!(history.body.contains(&reference));
    let (subject, body) = t.last_mail_to("jane.doe@example.com").await.expect("receipt e-mail");
    assert_eq!(subject, "Payment receipt");
    assert!(body.contains(&reference), "{body}");

    // The same key with another amount is refused and charges nothing.
    let amount = format!("amount_{loan}");
    let changed = confirm(
        &c,
        &csrf,
        &[
            ("mode", "one"),
            ("account", l.as_str()),
            (choice.as_str(), "custom"),
            (amount.as_str(), "10.00"),
            ("method", v.as_str()),
            ("key", key.as_str()),
        ],
    )
    .await;
    assert_eq!(changed.status, 422, "{}", changed.body);
    assert!(changed.body.contains("already used"), "{}", changed.body);
    assert_eq!(charges(&t, &key).await, 1);
    t.stop().await;
}

#[tokio::test]
async fn bad_input_is_refused_beside_the_field_and_nothing_is_stored() {
    let t = common::spawn().await;
    let c = jane(&t).await;
    let loan = account(&t, "LN-100234").await;
    let visa = method(&t, "4242").await;
    let (key, csrf) = form(&c, &format!("/accounts/{loan}/pay")).await;
    let (l, v) = (loan.to_string(), visa.to_string());
    let choice = format!("choice_{loan}");
    let amount = format!("amount_{loan}");
    let payments_before = t.scalar("SELECT COUNT(*) FROM payments").await;
    let today = time::OffsetDateTime::now_utc().date();
    let yesterday = portico_domain::validate::iso_date(today.previous_day().unwrap());
    let far = portico_domain::validate::iso_date(today + time::Duration::days(400));
    // A method of another customer (Northwind's buyer has none; make one for a colleague of Jane).
    let other_contact = t.scalar("SELECT id FROM contacts WHERE email = 'new.customer@example.com'").await;
    let foreign = portico_store::payments::insert_method(
        t.db.w(),
        t.scalar("SELECT company_id FROM contacts WHERE email = 'new.customer@example.com'").await,
        &portico_store::payments::NewMethod {
            contact_id: other_contact,
            kind: portico_domain::codes::MethodKind::Card,
            gateway: "test".into(),
            token: "tok_x".into(),
            brand: "Visa".into(),
            last4: "1111".into(),
            exp_month: Some(1),
            exp_year: Some(2040),
            ..Default::default()
        },
        0,
    )
    .await
    .unwrap()
    .to_string();
    let cases: Vec<(&str, &str, &str, &str)> = vec![
        ("0", "", v.as_str(), "more than zero"),
        ("-5", "", v.as_str(), "more than zero"),
        ("12.345", "", v.as_str(), "two decimals"),
        ("99999999", "", v.as_str(), "more than the payoff amount"),
        ("10", yesterday.as_str(), v.as_str(), "in the past"),
        ("10", far.as_str(), v.as_str(), "within 60 days"),
        ("10", "", foreign.as_str(), "no longer available"),
        ("10", "", "", "Choose a payment method"),
    ];
    for (amt, date, m, message) in cases {
        let r = c
            .post_raw(
                ACME,
                "/payments/review",
                &[
                    ("csrf", csrf.as_str()),
                    ("mode", "one"),
                    ("account", l.as_str()),
                    (choice.as_str(), "custom"),
                    (amount.as_str(), amt),
                    ("method", m),
                    ("date", date),
                    ("key", key.as_str()),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "{amt} {date} {m}: {}", r.body);
        assert!(r.body.contains(message), "{message}: {}", r.body);
        assert!(r.body.contains(&format!("value=\"{amt}\"")), "the typed amount is kept: {amt}");
        let r = confirm(
            &c,
            &csrf,
            &[
                ("mode", "one"),
                ("account", l.as_str()),
                (choice.as_str(), "custom"),
                (amount.as_str(), amt),
                ("method", m),
                ("date", date),
                ("key", key.as_str()),
            ],
        )
        .await;
        assert_eq!(r.status, 422, "confirm {amt} {date} {m}");
    }
    // An expired card.
    sqlx::query("UPDATE payment_methods SET exp_year = 2020 WHERE id = $1").bind(visa).execute(t.db.w()).await.unwrap();
    let r = confirm(
        &c,
        &csrf,
        &[
            ("mode", "one"),
            ("account", l.as_str()),
            (choice.as_str(), "custom"),
            (amount.as_str(), "10"),
            ("method", v.as_str()),
            ("key", key.as_str()),
        ],
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("expired"), "{}", r.body);
    // Pay Multiple without accepting the terms; a paid-in-full advance.
    let paid = account(&t, "CA-400587").await.to_string();
    let (mkey, mcsrf) = form(&c, "/payments/multiple").await;
    let bank = method(&t, "6789").await.to_string();
    let pc = format!("choice_{paid}");
    let pa = format!("amount_{paid}");
    let r = confirm(
        &c,
        &mcsrf,
        &[
            ("mode", "multiple"),
            ("account", paid.as_str()),
            (pc.as_str(), "custom"),
            (pa.as_str(), "5"),
            ("method", bank.as_str()),
            ("key", mkey.as_str()),
        ],
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("paid in full") && r.body.contains("Accept the terms"), "{}", r.body);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM payments").await, payments_before, "nothing stored");
    t.stop().await;
}

#[tokio::test]
async fn pay_multiple_takes_one_charge_for_several_accounts() {
    let t = common::spawn().await;
    let c = jane(&t).await;
    let loan = account(&t, "LN-100234").await.to_string();
    let lease = account(&t, "LS-200871").await.to_string();
    let visa = method(&t, "4242").await.to_string();
    let (key, csrf) = form(&c, "/payments/multiple").await;
    let (c1, a1, c2, a2) =
        (format!("choice_{loan}"), format!("amount_{loan}"), format!("choice_{lease}"), format!("amount_{lease}"));
    let fields = [
        ("mode", "multiple"),
        ("account", loan.as_str()),
        (c1.as_str(), "custom"),
        (a1.as_str(), "100.00"),
        ("account", lease.as_str()),
        (c2.as_str(), "custom"),
        (a2.as_str(), "250.50"),
        ("method", visa.as_str()),
        ("terms", "1"),
        ("key", key.as_str()),
    ];
    let review = c.post_raw(ACME, "/payments/review", &[&[("csrf", csrf.as_str())][..], &fields[..]].concat()).await;
    assert_eq!(review.status, 200, "{}", review.body);
    assert!(review.body.contains("$350.50") && review.body.contains("<strong>2</strong> accounts"), "{}", review.body);
    let r = confirm(&c, &csrf, &fields).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let reference = r.location.unwrap().trim_start_matches("/payments/").to_string();
    assert_eq!(t.scalar(&format!("SELECT amount_cents FROM payments WHERE reference = '{reference}'")).await, 35_050);
    assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM transactions WHERE reference = '{reference}'")).await, 2);
    assert_eq!(charges(&t, &key).await, 1);
    t.stop().await;
}

#[tokio::test]
async fn scheduled_payments_run_once_with_two_runners_and_can_be_cancelled() {
    let t = common::spawn().await;
    let c = jane(&t).await;
    let loan = account(&t, "LN-100234").await;
    let visa = method(&t, "4242").await;
    let (l, v) = (loan.to_string(), visa.to_string());
    let choice = format!("choice_{loan}");
    let amount = format!("amount_{loan}");
    let soon = portico_domain::validate::iso_date(time::OffsetDateTime::now_utc().date() + time::Duration::days(5));
    let mut refs = Vec::new();
    for amt in ["40.00", "41.00"] {
        let (key, csrf) = form(&c, &format!("/accounts/{loan}/pay")).await;
        let r = confirm(
            &c,
            &csrf,
            &[
                ("mode", "one"),
                ("account", l.as_str()),
                (choice.as_str(), "custom"),
                (amount.as_str(), amt),
                ("method", v.as_str()),
                ("date", soon.as_str()),
                ("key", key.as_str()),
            ],
        )
        .await;
        assert_eq!(r.status, 303, "{}", r.body);
        refs.push(r.location.unwrap().trim_start_matches("/payments/").to_string());
    }
    for r in &refs {
        assert_eq!(t.text(&format!("SELECT status FROM payments WHERE reference = '{r}'")).await, "scheduled");
        assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM transactions WHERE reference = '{r}'")).await, 0);
    }
    // The customer cancels the second before its date.
    let page = c.get(ACME, &format!("/payments/{}", refs[1])).await;
    let csrf = common::csrf_of(&page.body).unwrap();
    let r = c.post_raw(ACME, &format!("/payments/{}/cancel", refs[1]), &[("csrf", csrf.as_str())]).await;
    assert_eq!(r.status, 303);
    assert_eq!(t.text(&format!("SELECT status FROM payments WHERE reference = '{}'", refs[1])).await, "cancelled");
    // Its date comes: two runners at once charge the first exactly once.
    let due = portico_domain::validate::iso_date(business_day());
    sqlx::query("UPDATE payments SET scheduled_on = $1 WHERE reference IN ($2, $3)")
        .bind(&due)
        .bind(&refs[0])
        .bind(&refs[1])
        .execute(t.db.w())
        .await
        .unwrap();
    let (a, b) = tokio::join!(runner::run_once_at(&t.app, business_day()), runner::run_once_at(&t.app, business_day()));
    assert_eq!(a.unwrap().charged + b.unwrap().charged, 1, "one charge between the two runners");
    assert_eq!(t.text(&format!("SELECT status FROM payments WHERE reference = '{}'", refs[0])).await, "completed");
    assert_eq!(t.text(&format!("SELECT status FROM payments WHERE reference = '{}'", refs[1])).await, "cancelled");
    assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM transactions WHERE reference = '{}'", refs[0])).await, 1);
    let key = t.text(&format!("SELECT idempotency_key FROM payments WHERE reference = '{}'", refs[0])).await;
    assert_eq!(charges(&t, &key).await, 1);
    // A runner again later: nothing more.
    let again = runner::run_once_at(&t.app, business_day()).await.unwrap();
    assert_eq!(again.charged, 0);
    // A weekend: due payments wait for Monday.
    let (key2, csrf2) = form(&c, &format!("/accounts/{loan}/pay")).await;
    let r = confirm(
        &c,
        &csrf2,
        &[
            ("mode", "one"),
            ("account", l.as_str()),
            (choice.as_str(), "custom"),
            (amount.as_str(), "42.00"),
            ("method", v.as_str()),
            ("date", soon.as_str()),
            ("key", key2.as_str()),
        ],
    )
    .await;
    let r3 = r.location.unwrap().trim_start_matches("/payments/").to_string();
    sqlx::query("UPDATE payments SET scheduled_on = '2026-11-28' WHERE reference = $1")
        .bind(&r3)
        .execute(t.db.w())
        .await
        .unwrap();
    runner::run_once_at(&t.app, time::macros::date!(2026 - 11 - 29)).await.unwrap();
    assert_eq!(
        t.text(&format!("SELECT status FROM payments WHERE reference = '{r3}'")).await,
        "scheduled",
        "Sunday: not run"
    );
    runner::run_once_at(&t.app, time::macros::date!(2026 - 11 - 30)).await.unwrap();
    assert_eq!(
        t.text(&format!("SELECT status FROM payments WHERE reference = '{r3}'")).await,
        "completed",
        "Monday: run"
    );
    t.stop().await;
}

#[tokio::test]
async fn autopay_pays_each_date_once_and_can_be_switched_off() {
    let t = common::spawn().await;
    let c = jane(&t).await;
    let loan = account(&t, "LN-100234").await;
    let visa = method(&t, "4242").await.to_string();
    let start = portico_domain::validate::iso_date(time::OffsetDateTime::now_utc().date() + time::Duration::days(3));
    let path = format!("/accounts/{loan}/autopay");
    // Terms not accepted: refused, nothing stored.
    let r = c
        .post(
            ACME,
            &path,
            &path,
            &[
                ("amount_mode", "fixed"),
                ("amount", "125.00"),
                ("frequency", "monthly"),
                ("start_on", start.as_str()),
                ("method", visa.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Accept the terms") && r.body.contains("value=\"125.00\""), "{}", r.body);
    assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM autopays WHERE account_id = {loan}")).await, 0);
    let r = c
        .post(
            ACME,
            &path,
            &path,
            &[
                ("amount_mode", "fixed"),
                ("amount", "125.00"),
                ("frequency", "monthly"),
                ("start_on", start.as_str()),
                ("method", visa.as_str()),
                ("terms", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id = t.scalar(&format!("SELECT id FROM autopays WHERE account_id = {loan}")).await;
    // The date comes (set it in the past): two runners make one payment for it.
    sqlx::query("UPDATE autopays SET next_on = '2026-11-20', start_on = '2026-10-20' WHERE id = $1")
        .bind(id)
        .execute(t.db.w())
        .await
        .unwrap();
    let (a, b) = tokio::join!(runner::run_once_at(&t.app, business_day()), runner::run_once_at(&t.app, business_day()));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.autopay_payments + b.autopay_payments, 1, "{a:?} {b:?}");
    assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM payments WHERE autopay_id = {id}")).await, 1);
    assert_eq!(t.text(&format!("SELECT next_on FROM autopays WHERE id = {id}")).await, "2026-12-20");
    // The second pass (or the same one) charged it.
    runner::run_once_at(&t.app, business_day()).await.unwrap();
    assert_eq!(t.text(&format!("SELECT status FROM payments WHERE autopay_id = {id}")).await, "completed");
    assert_eq!(t.text(&format!("SELECT kind FROM payments WHERE autopay_id = {id}")).await, "automatic");
    // Switch it off: its next date passes without a payment.
    let r = c.post(ACME, &path, &format!("/payments/autopay/{id}/off"), &[("back", path.as_str())]).await;
    assert_eq!(r.status, 303);
    sqlx::query("UPDATE autopays SET next_on = '2026-11-20' WHERE id = $1").bind(id).execute(t.db.w()).await.unwrap();
    runner::run_once_at(&t.app, business_day()).await.unwrap();
    assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM payments WHERE autopay_id = {id}")).await, 1);
    // Delete it.
    let r = c.post(ACME, &path, &format!("/payments/autopay/{id}/delete"), &[("back", path.as_str())]).await;
    assert_eq!(r.status, 303);
    assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM autopays WHERE id = {id}")).await, 0);
    t.stop().await;
}

#[tokio::test]
async fn cards_come_from_the_hosted_form_and_declines_are_not_posted() {
    let t = common::spawn().await;
    let c = jane(&t).await;
    let r = c.post(ACME, "/payments/methods", "/payments/methods/card", &[]).await;
    assert_eq!(r.status, 303);
    let form_url = r.location.unwrap();
    assert!(form_url.contains("/_gateway/test/card?session="), "{form_url}");
    let path =
        form_url.split(":").nth(2).map(|s| s.trim_start_matches(|ch: char| ch.is_ascii_digit())).unwrap().to_string();
    let session = path.split("session=").nth(1).unwrap().to_string();
    // A bad number and an expired date: the gateway's form says so and keeps nothing.
    let bad = c
        .post(
            ACME,
            &path,
            "/_gateway/test/card",
            &[
                ("session", session.as_str()),
                ("name", "Jane Doe"),
                ("number", "4242424242424241"),
                ("expiry", "01/20"),
                ("cvc", "12"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("isn't valid") && bad.body.contains("expired") && bad.body.contains("3-digit"),
        "{}",
        bad.body
    );
    assert!(!bad.body.contains("4242424242424241"), "the card number is never echoed");
    let ok = c
        .post(
            ACME,
            &path,
            "/_gateway/test/card",
            &[
                ("session", session.as_str()),
                ("name", "Jane Doe"),
                ("number", "4000 0000 0000 0002"),
                ("expiry", "12/30"),
                ("cvc", "123"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let back = ok.location.unwrap();
    let back_path = format!("/payments/methods/card-return?session={session}");
    assert!(back.ends_with(&back_path), "{back}");
    let r = c.get(ACME, &back_path).await;
    assert_eq!(r.status, 303);
    // Portico holds the token and display details only.
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM payment_methods WHERE last4 = '0002' AND token LIKE 'tok_test_%'").await,
        1
    );
    let cols = t
        .scalar("SELECT COUNT(*) FROM payment_methods WHERE token LIKE '%4000000000000002%' OR brand LIKE '%4000%'")
        .await;
    assert_eq!(cols, 0);
    // The session is single use.
    assert_eq!(c.get(ACME, &back_path).await.status, 409);
    // Paying with it is declined: failed, nothing posted, the customer is told.
    let declined = method(&t, "0002").await.to_string();
    let loan = account(&t, "LN-100234").await;
    let (key, csrf) = form(&c, &format!("/accounts/{loan}/pay")).await;
    let (l, choice, amount) = (loan.to_string(), format!("choice_{loan}"), format!("amount_{loan}"));
    let r = confirm(
        &c,
        &csrf,
        &[
            ("mode", "one"),
            ("account", l.as_str()),
            (choice.as_str(), "custom"),
            (amount.as_str(), "20"),
            ("method", declined.as_str()),
            ("key", key.as_str()),
        ],
    )
    .await;
    let reference = r.location.unwrap().trim_start_matches("/payments/").to_string();
    assert_eq!(t.text(&format!("SELECT status FROM payments WHERE reference = '{reference}'")).await, "failed");
    assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM transactions WHERE reference = '{reference}'")).await, 0);
    let receipt = c.get(ACME, &format!("/payments/{reference}")).await;
    assert!(receipt.body.contains("did not go through"), "{}", receipt.body);
    let (subject, _) = t.last_mail_to("jane.doe@example.com").await.unwrap();
    assert_eq!(subject, "Your payment did not go through");
    // Delete the method; the default moves on.
    let id = method(&t, "0002").await;
    let r = c.post(ACME, "/payments/methods", &format!("/payments/methods/{id}/delete"), &[]).await;
    assert_eq!(r.status, 303);
    assert_eq!(
        t.scalar(&format!("SELECT COUNT(*) FROM payment_methods WHERE id = {id} AND deleted_at IS NOT NULL")).await,
        1
    );
    t.stop().await;
}

#[tokio::test]
async fn ach_payments_export_as_nacha_and_returns_reverse_them() {
    let t = common::spawn().await;
    let c = jane(&t).await;
    // Add a bank account: a wrong routing number first, then a good one.
    let bad = c
        .post(
            ACME,
            "/payments/methods",
            "/payments/methods/bank",
            &[
                ("holder_name", "Jane Doe"),
                ("routing", "021000022"),
                ("account", "000123456789"),
                ("account_confirm", "000123456789"),
                ("account_type", "checking"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("routing number isn't valid"), "{}", bad.body);
    assert!(!bad.body.contains("000123456789"), "the account number is not echoed");
    let ok = c
        .post(
            ACME,
            "/payments/methods",
            "/payments/methods/bank",
            &[
                ("holder_name", "Jane Doe"),
                ("routing", "011000015"),
                ("account", "9876543210"),
                ("account_confirm", "9876543210"),
                ("account_type", "savings"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let sealed = t.text("SELECT account_sealed FROM payment_methods WHERE last4 = '3210'").await;
    assert!(!sealed.contains("9876543210"), "sealed at rest");
    let methods = c.get(ACME, "/payments/methods").await;
    assert!(methods.body.contains("ending 3210") && !methods.body.contains("9876543210"));
    let bank = method(&t, "3210").await.to_string();
    let loan = account(&t, "LN-100234").await;
    let (key, csrf) = form(&c, &format!("/accounts/{loan}/pay")).await;
    let (l, choice, amount) = (loan.to_string(), format!("choice_{loan}"), format!("amount_{loan}"));
    let r = confirm(
        &c,
        &csrf,
        &[
            ("mode", "one"),
            ("account", l.as_str()),
            (choice.as_str(), "custom"),
            (amount.as_str(), "123.45"),
            ("method", bank.as_str()),
            ("key", key.as_str()),
        ],
    )
    .await;
    let reference = r.location.unwrap().trim_start_matches("/payments/").to_string();
    assert_eq!(t.text(&format!("SELECT status FROM payments WHERE reference = '{reference}'")).await, "pending");
    assert_eq!(
        t.scalar(&format!("SELECT COUNT(*) FROM transactions WHERE reference = '{reference}' AND status = 'posted'"))
            .await,
        1
    );
    // Staff export the day's file.
    let s = t.client();
    s.staff_sign_in(ACME, "servicer@acme.example").await;
    let r = s.post(ACME, "/staff/payments/ach", "/staff/payments/ach/export", &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let batch = t.scalar("SELECT id FROM nacha_batches ORDER BY id DESC LIMIT 1").await;
    let file = s.get(ACME, &format!("/staff/payments/ach/batches/{batch}.ach")).await;
    assert_eq!(file.status, 200);
    let lines: Vec<&str> = file.body.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len() % 10, 0, "blocked by 10");
    assert!(lines.iter().all(|l| l.len() == 94), "94-character records");
    assert!(lines[0].starts_with("101"));
    let entry = lines.iter().find(|l| l.starts_with('6')).unwrap();
    assert_eq!(&entry[1..3], "37", "savings debit");
    assert_eq!(&entry[3..12], "011000015");
    assert_eq!(&entry[29..39], "0000012345");
    assert!(entry.contains(&reference));
    // Nothing is exported twice.
    let again = s.post(ACME, "/staff/payments/ach", "/staff/payments/ach/export", &[]).await;
    assert_eq!(again.status, 409);
    // The bank returns it (R01): a CSV of trace numbers and codes.
    let trace = t.text(&format!("SELECT trace_number FROM payments WHERE reference = '{reference}'")).await;
    let token = s.csrf(ACME, "/staff/payments/ach").await;
    let form = reqwest::multipart::Form::new().text("csrf", token).part(
        "file",
        reqwest::multipart::Part::bytes(format!("trace_number,return_code\n{trace},R01\n").into_bytes())
            .file_name("returns.csv"),
    );
    let r = s.http.post(s.url(ACME, "/staff/payments/ach/returns")).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let body = r.text().await.unwrap();
    assert!(body.contains("1 returned"), "{body}");
    assert_eq!(t.text(&format!("SELECT status FROM payments WHERE reference = '{reference}'")).await, "returned");
    assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM transactions WHERE reference = '{reference}' AND status = 'posted' AND kind = 'payment'")).await, 0);
    assert_eq!(
        t.scalar(&format!("SELECT COUNT(*) FROM transactions WHERE reference = '{reference}' AND kind = 'reversal'"))
            .await,
        1
    );
    let (subject, text) = t.last_mail_to("jane.doe@example.com").await.unwrap();
    assert_eq!(subject, "Your payment was returned");
    assert!(text.contains("Insufficient"), "{text}");
    t.stop().await;
}

#[tokio::test]
async fn another_customers_accounts_methods_and_payments_are_not_found() {
    let t = common::spawn().await;
    let c = jane(&t).await;
    let jane_ref = t.text("SELECT reference FROM payments WHERE status = 'scheduled' LIMIT 1").await;
    let jane_method = method(&t, "4242").await;
    let jane_autopay = t.scalar("SELECT id FROM autopays LIMIT 1").await;
    let jane_loan = account(&t, "LN-100234").await;
    // Another customer of the same company, signed in.
    let other_email = t
        .text(
            "SELECT u.email FROM portal_users u JOIN portal_users j ON j.company_id = u.company_id \
             WHERE j.email = 'jane.doe@example.com' AND u.id <> j.id AND u.active = 1 \
             AND u.onboarded_at IS NOT NULL AND u.password_hash IS NOT NULL ORDER BY u.id LIMIT 1",
        )
        .await;
    let other = t.client();
    let r = other.sign_in(ACME, &other_email, PASSWORD).await;
    assert_eq!(r.status, 303, "{other_email}: {}", r.body);
    assert_eq!(other.get(ACME, "/payments").await.status, 200, "the section is on for this company");
    for path in [
        format!("/payments/{jane_ref}"),
        format!("/accounts/{jane_loan}/pay"),
        format!("/accounts/{jane_loan}/autopay"),
    ] {
        let r = other.get(ACME, &path).await;
        assert_eq!(r.status, 404, "{path}: {}", r.status);
    }
    let token = other.csrf(ACME, "/payments/methods").await;
    for path in [
        format!("/payments/{jane_ref}/cancel"),
        format!("/payments/methods/{jane_method}/default"),
        format!("/payments/methods/{jane_method}/delete"),
        format!("/payments/autopay/{jane_autopay}/off"),
        format!("/payments/autopay/{jane_autopay}/delete"),
    ] {
        let r = other.post_raw(ACME, &path, &[("csrf", token.as_str())]).await;
        assert_eq!(r.status, 404, "{path}: {}", r.body);
    }
    assert_eq!(t.text(&format!("SELECT status FROM payments WHERE reference = '{jane_ref}'")).await, "scheduled");
    assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM autopays WHERE id = {jane_autopay} AND active = 1")).await, 1);
    // Staff of another company.
    let s = t.client();
    s.staff_sign_in("northwind.localhost", "admin@northwind.example").await;
    let pid = t.scalar(&format!("SELECT id FROM payments WHERE reference = '{jane_ref}'")).await;
    assert_eq!(s.get("northwind.localhost", &format!("/staff/payments/{pid}")).await.status, 404);
    let token = s.csrf("northwind.localhost", "/staff/payments").await;
    let r =
        s.post_raw("northwind.localhost", &format!("/staff/payments/{pid}/cancel"), &[("csrf", token.as_str())]).await;
    assert_eq!(r.status, 404);
    let list = s.get("northwind.localhost", "/staff/payments").await;
    assert!(!list.body.contains(&jane_ref));
    // Jane's own pages still work.
    assert_eq!(c.get(ACME, &format!("/payments/{jane_ref}")).await.status, 200);
    t.stop().await;
}

#[tokio::test]
async fn agents_may_not_pay_unless_the_company_allows_it() {
    let t = common::spawn().await;
    let s = t.client();
    s.staff_sign_in(ACME, "servicer@acme.example").await;
    let jane_id = t.scalar("SELECT contact_id FROM portal_users WHERE username = 'jane.doe'").await;
    let domain = t.scalar("SELECT id FROM domains WHERE host = 'acme.localhost'").await.to_string();
    let r = s
        .post(
            ACME,
            &format!("/staff/contacts/{jane_id}"),
            &format!("/staff/contacts/{jane_id}/portal/login-as"),
            &[("domain_id", domain.as_str())],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let enter = r.location.unwrap();
    let agent = s;
    let r = agent.get(ACME, &enter).await;
    assert_eq!(r.location.as_deref(), Some("/"), "agent enter");
    let loan = account(&t, "LS-200871").await; // nothing scheduled on it: "next" is still to pay
    let visa = method(&t, "4242").await.to_string();
    let (key, csrf) = form(&agent, &format!("/accounts/{loan}/pay")).await;
    let (l, choice) = (loan.to_string(), format!("choice_{loan}"));
    let fields = [
        ("mode", "one"),
        ("account", l.as_str()),
        (choice.as_str(), "next"),
        ("method", visa.as_str()),
        ("key", key.as_str()),
    ];
    let r = confirm(&agent, &csrf, &fields).await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(charges(&t, &key).await, 0);
    // The company allows agent-assisted payments: the payment records the agent.
    sqlx::query("UPDATE payment_settings SET agent_payments = 1").execute(t.db.w()).await.unwrap();
    let r = confirm(&agent, &csrf, &fields).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let servicer = t.scalar("SELECT id FROM staff_users WHERE email = 'servicer@acme.example'").await;
    assert_eq!(
        t.scalar(&format!("SELECT agent_user_id FROM payments WHERE idempotency_key = '{key}'")).await,
        servicer
    );
    assert!(
        t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'payment.submit' AND actor_kind = 'agent'").await >= 1
    );
    t.stop().await;
}
