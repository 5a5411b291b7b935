//! Accounts, advances, payoff requests: pages, figures, isolation.
use crate::common::{PASSWORD, spawn};

const ACME: &str = "acme.localhost";

async fn jane_account(t: &crate::common::TestApp, kind: &str) -> i64 {
    t.scalar(&format!(
        "SELECT a.id FROM accounts a JOIN portal_users u ON u.contact_id = a.contact_id \
         WHERE u.username = 'jane.doe' AND a.kind = '{kind}' ORDER BY a.id LIMIT 1"
    ))
    .await
}

/// The dashboard and accounts list read on the connection their session was
/// read on (`ReadConn`). With the smallest pool, many of them at once — with
/// a fresh session, and with one a minute old that is touched (a write) first
/// — all answer: no request holds a connection while it waits for another.
#[tokio::test]
async fn pages_share_the_session_connection_without_starving_the_pool() {
    let t = crate::common::spawn_with(|s| s.db_max_connections = 2).await;
    let c = t.client();
    c.sign_in(ACME, "jane.doe", PASSWORD).await;
    for stale in [false, true] {
        if stale {
            let seen = portico_app::now() - 120;
            sqlx::query(&format!(
                "UPDATE sessions SET last_seen_at = {seen} \
                 WHERE portal_user_id = (SELECT id FROM portal_users WHERE username = 'jane.doe')"
            ))
            .execute(t.db.w())
            .await
            .unwrap();
        }
        let pages = (0..24).map(|i| c.get(ACME, if i % 2 == 0 { "/" } else { "/accounts" }));
        for (i, r) in futures_util::future::join_all(pages).await.into_iter().enumerate() {
            assert_eq!(r.status, 200, "request {i}, stale session {stale}");
            let marker = if i % 2 == 0 { "Total owed, accounts and advances" } else { "LN-100234" };
            assert!(r.body.contains(marker), "request {i}, stale session {stale}");
        }
    }
    t.stop().await;
}

#[tokio::test]
async fn dashboard_and_accounts_show_ledger_figures() {
    let t = spawn().await;
    let c = t.client();
    c.sign_in(ACME, "jane.doe", PASSWORD).await;
    let home = c.get(ACME, "/").await;
    assert!(home.body.contains("Total owed, accounts and advances"), "{}", home.body);
    assert!(home.body.contains("Next payment due") && home.body.contains("Next advance debit"));
    assert!(home.body.contains("href=\"/payoff\""));

    let list = c.get(ACME, "/accounts").await;
    assert_eq!(list.status, 200);
    for n in ["LN-100234", "LS-200871", "LC-300112"] {
        assert!(list.body.contains(n), "{n}");
    }
    assert!(!list.body.contains("CA-410019"), "advances are on their own page");

    // The balance shown is the sum of the posted ledger.
    let loan = jane_account(&t, "installment").await;
    let owed = t
        .scalar(&format!(
            "SELECT CAST(SUM(principal_cents + interest_cents + fees_cents) AS BIGINT) FROM transactions WHERE account_id = {loan} AND status = 'posted'"
        ))
        .await;
    let shown = portico_render::chart::fmt_money(owed);
    let summary = c.get(ACME, &format!("/accounts/{loan}/summary")).await;
    assert_eq!(summary.status, 200);
    assert!(summary.body.contains(&shown), "balance {shown} in {}", summary.body);
    assert!(summary.body.contains("7.25 %"));
    assert!(summary.body.contains("role=\"img\""), "SVG charts");
    assert!(summary.body.contains("Principal remaining"), "pie data as a table");
    assert!(summary.body.contains("Chart data as a table"), "line chart data as a table");
    assert!(!summary.body.contains("style="), "no inline styles under the CSP");
    let breakdown = c.get(ACME, &format!("/accounts/{loan}/breakdown")).await;
    assert_eq!(breakdown.body.matches("<tr").count(), 61, "60 payments and a header");
    let tx = c.get(ACME, &format!("/accounts/{loan}/transactions")).await;
    assert!(
        tx.body.contains(">Principal<") && tx.body.contains(">Interest<"),
        "payments split on installment accounts"
    );
    assert!(tx.body.contains("?page=2"), "paged");
    let older = c.get(ACME, &format!("/accounts/{loan}/transactions?page=2")).await;
    assert!(older.body.contains("Returned"), "the returned payment is listed");

    let lease = jane_account(&t, "lease").await;
    let col = c.get(ACME, &format!("/accounts/{lease}/collateral")).await;
    assert!(col.body.contains("1FTBR1C85RKA41937"));
    let loc = jane_account(&t, "line_of_credit").await;
    assert_eq!(
        c.get(ACME, &format!("/accounts/{loc}/summary")).await.status,
        404,
        "no summary tab for a line of credit"
    );
    let st = c.get(ACME, &format!("/accounts/{loc}/statements")).await;
    assert!(st.body.contains(".pdf"), "{}", st.body);
    let st_id = t.scalar(&format!("SELECT MAX(id) FROM statements WHERE account_id = {loc}")).await;
    let pdf = c.http.get(c.url(ACME, &format!("/accounts/{loc}/statements/{st_id}.pdf"))).send().await.unwrap();
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));
    let adv = c.get(ACME, "/advances").await;
    assert!(adv.body.contains("CA-410019") && adv.body.contains("CA-400587"));
    assert!(adv.body.contains("Completed"));
    let adv_id = t.scalar("SELECT id FROM accounts WHERE number = 'CA-410019'").await;
    let detail = c.get(ACME, &format!("/advances/{adv_id}")).await;
    assert!(detail.body.contains("Factor rate") && detail.body.contains("1.35"));
    assert!(detail.body.contains("$67,500.00"), "total payback = 50,000 × 1.35");
    t.stop().await;
}

/// A line of credit's next payment comes from its latest statement, read
/// with the accounts in one query for the list and separately for the
/// account page: both must agree, and an older statement must not win.
#[tokio::test]
async fn line_of_credit_next_payment_is_from_the_latest_statement() {
    let t = spawn().await;
    let c = t.client();
    c.sign_in(ACME, "jane.doe", PASSWORD).await;
    let loc = jane_account(&t, "line_of_credit").await;
    let latest = t
        .scalar(&format!(
            "SELECT id FROM statements WHERE account_id = {loc} \
             AND cycle_start = (SELECT MAX(cycle_start) FROM statements WHERE account_id = {loc})"
        ))
        .await;
    let older = t.scalar(&format!("SELECT MIN(id) FROM statements WHERE account_id = {loc} AND id <> {latest}")).await;
    // The latest cycle ends on the last payment's date or later, so no
    // payment counts as made after it; it is due in the future.
    let last_payment = t
        .text(&format!(
            "SELECT COALESCE(MAX(posted_on), '2000-01-01') FROM transactions \
             WHERE account_id = {loc} AND kind = 'payment' AND status = 'posted'"
        ))
        .await;
    for (id, due, cents) in [(latest, "2099-01-15", 12345), (older, "2099-02-15", 99999)] {
        sqlx::query(&format!(
            "UPDATE statements SET due_on = '{due}', minimum_payment_cents = {cents}, cycle_end = '{last_payment}' \
             WHERE id = {id}"
        ))
        .execute(t.db.w())
        .await
        .unwrap();
    }
    let list = c.get(ACME, "/accounts").await;
    assert!(list.body.contains("$123.45</span> <span class=\"nowrap\">on Jan 15, 2099"), "{}", list.body);
    assert!(!list.body.contains("$999.99"), "an older statement is not the latest");
    let page = c.get(ACME, &format!("/accounts/{loc}/transactions")).await;
    assert!(page.body.contains("$123.45") && page.body.contains("Jan 15, 2099"), "{}", page.body);
    // Accounts without statements (loans, leases) are not joined to any.
    assert!(list.body.contains("LN-100234") && list.body.contains("LS-200871"));
    t.stop().await;
}

#[tokio::test]
async fn another_customers_or_hidden_accounts_are_404() {
    let t = spawn().await;
    let c = t.client();
    c.sign_in(ACME, "jane.doe", PASSWORD).await;
    let other = t
        .scalar("SELECT a.id FROM accounts a JOIN contacts c ON c.id = a.contact_id WHERE c.first_name <> 'Jane' ORDER BY a.id LIMIT 1")
        .await;
    for path in ["", "/summary", "/breakdown", "/transactions", "/collateral", "/statements"] {
        assert_eq!(c.get(ACME, &format!("/accounts/{other}{path}")).await.status, 404, "{path}");
    }
    assert_eq!(c.get(ACME, &format!("/advances/{other}")).await.status, 404);
    assert_eq!(c.get(ACME, "/accounts/abc").await.status, 404);
    let other_st = t.scalar("SELECT s.id FROM statements s JOIN accounts a ON a.id = s.account_id JOIN contacts c ON c.id = a.contact_id WHERE c.first_name <> 'Jane' LIMIT 1").await;
    let loc = jane_account(&t, "line_of_credit").await;
    assert_eq!(c.get(ACME, &format!("/accounts/{loc}/statements/{other_st}.pdf")).await.status, 404);
    // A payoff for someone else's account.
    let r = c.post(ACME, "/payoff", "/payoff/quote", &[("account", &other.to_string())]).await;
    assert_eq!(r.status, 404);
    // Staff hide an account: it disappears from the portal.
    let loan = jane_account(&t, "installment").await;
    sqlx::query(&format!("UPDATE accounts SET hidden = 1 WHERE id = {loan}")).execute(t.db.w()).await.unwrap();
    assert_eq!(c.get(ACME, &format!("/accounts/{loan}/summary")).await.status, 404);
    assert!(!c.get(ACME, "/accounts").await.body.contains("LN-100234"));
    // A section switched off answers 404.
    sqlx::query("UPDATE portal_settings SET sections = 'help,faq'").execute(t.db.w()).await.unwrap();
    assert_eq!(c.get(ACME, "/accounts").await.status, 404);
    assert_eq!(c.get(ACME, "/advances").await.status, 404);
    t.stop().await;
}

#[tokio::test]
async fn payoff_request_quotes_confirms_and_notifies_staff() {
    let t = spawn().await;
    let c = t.client();
    c.sign_in(ACME, "jane.doe", PASSWORD).await;
    let r = c.post(ACME, "/payoff", "/payoff/quote", &[]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Choose at least one account"));
    let loan = jane_account(&t, "installment").await.to_string();
    let adv = t.scalar("SELECT id FROM accounts WHERE number = 'CA-410019'").await.to_string();
    let done_adv = t.scalar("SELECT id FROM accounts WHERE number = 'CA-400587'").await.to_string();
    let r = c.post(ACME, "/payoff", "/payoff/quote", &[("account", &done_adv)]).await;
    assert!(r.body.contains("already paid in full"), "{}", r.body);
    let r = c.post(ACME, "/payoff", "/payoff/quote", &[("account", &loan), ("account", &adv)]).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("good through") && r.body.contains("Per diem"));
    let r = c.post(ACME, "/payoff", "/payoff/confirm", &[("account", &loan), ("account", &adv)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let to = r.location.unwrap();
    let reference = to.trim_start_matches("/payoff/").to_string();
    let page = c.get(ACME, &to).await;
    assert!(page.body.contains(&reference) && page.body.contains("letter.pdf"));
    let letter = c.http.get(c.url(ACME, &format!("{to}/letter.pdf"))).send().await.unwrap();
    assert_eq!(letter.headers()["content-type"], "application/pdf");
    assert!(letter.bytes().await.unwrap().starts_with(b"%PDF-"));
    assert_eq!(t.scalar("SELECT COUNT(*) FROM payoff_request_items").await, 2);
    let (subject, body) = t.last_mail_to("portal@acme.example").await.expect("staff notified");
    assert!(subject.contains(&reference) && body.contains("LN-100234"));
    assert_eq!(t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'payoff.request'").await, 1);
    // Another customer can't open it.
    let other = t.client();
    other.sign_in(ACME, "new.customer@example.com", PASSWORD).await;
    other.post(ACME, "/onboarding", "/onboarding", &[("dob", "1985-04-12"), ("ssn4", "1234")]).await;
    assert_eq!(other.get(ACME, &to).await.status, 404);
    assert_eq!(other.get(ACME, &format!("{to}/letter.pdf")).await.status, 404);
    t.stop().await;
}

#[tokio::test]
async fn agents_see_quotes_but_cannot_request_a_payoff() {
    let t = spawn().await;
    let staff = t.client();
    staff.staff_sign_in(ACME, "admin@acme.example").await;
    let jane = t.scalar("SELECT contact_id FROM portal_users WHERE username = 'jane.doe'").await;
    let domain = t.scalar("SELECT id FROM domains WHERE host = 'acme.localhost'").await.to_string();
    let r = staff
        .post(
            ACME,
            &format!("/staff/contacts/{jane}"),
            &format!("/staff/contacts/{jane}/portal/login-as"),
            &[("domain_id", &domain)],
        )
        .await;
    staff.get(ACME, &r.location.unwrap()).await;
    let loan = jane_account(&t, "installment").await.to_string();
    let r = staff.post(ACME, "/payoff", "/payoff/quote", &[("account", &loan)]).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Agents can view quotes"));
    let r = staff.post(ACME, "/payoff", "/payoff/confirm", &[("account", &loan)]).await;
    assert_eq!(r.status, 403);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM payoff_requests").await, 0);
    // View only: no downloads either (statement PDF, CSV export).
    let loc = jane_account(&t, "line_of_credit").await;
    let st = t.scalar(&format!("SELECT MAX(id) FROM statements WHERE account_id = {loc}")).await;
    assert_eq!(staff.get(ACME, &format!("/accounts/{loc}/statements/{st}.pdf")).await.status, 403);
    assert_eq!(staff.get(ACME, "/transactions.csv").await.status, 403);
    assert_eq!(staff.get(ACME, "/transactions").await.status, 200, "but the page itself is visible");
    assert!(
        t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'access.refused' AND detail LIKE '%download%'").await
            >= 2
    );
    t.stop().await;
}

#[tokio::test]
async fn transactions_page_filters_sorts_shapes_and_exports() {
    let t = spawn().await;
    let c = t.client();
    c.sign_in(ACME, "jane.doe", PASSWORD).await;
    let all = c.get(ACME, "/transactions").await;
    assert_eq!(all.status, 200);
    let jane_total = t
        .scalar("SELECT COUNT(*) FROM transactions t JOIN accounts a ON a.id = t.account_id JOIN portal_users u ON u.contact_id = a.contact_id WHERE u.username = 'jane.doe'")
        .await;
    assert!(all.body.contains(&format!("{jane_total} transactions")), "every transaction regardless of status");

    // Columns chosen and ordered.
    let r = c.get(ACME, "/transactions?col=amount&col=date&col=").await;
    let thead = &r.body[r.body.find("<thead>").unwrap()..r.body.find("</thead>").unwrap()];
    assert!(thead.find("Amount").unwrap() < thead.find("Date").unwrap());
    assert!(!thead.contains("Description"));
    // Sorted by amount, ascending.
    let r = c.get(ACME, "/transactions?sort=amount&dir=asc").await;
    assert!(r.body.contains("aria-sort=\"ascending\""));
    // Filter by type.
    let fees = c.get(ACME, "/transactions?kind=fee").await;
    let n_fees = t
        .scalar("SELECT COUNT(*) FROM transactions t JOIN accounts a ON a.id = t.account_id JOIN portal_users u ON u.contact_id = a.contact_id WHERE u.username = 'jane.doe' AND t.kind = 'fee'")
        .await;
    assert!(fees.body.contains(&format!("{n_fees} transaction")), "{n_fees}");

    // Bad input: clear messages, 400, never a 500.
    for (q, msg) in [
        ("from=yesterday", "isn't a date"),
        ("from=2026-05-01&to=2026-01-01", "start date is after the end date"),
        ("kind=bribe", "Unknown transaction type"),
        ("status=lost", "Unknown status"),
        ("sort=ssn", "Can't sort by"),
        ("page=999999", "no page"),
        ("page=-4", "no page"),
        ("col=password", "Unknown column"),
    ] {
        let r = c.get(ACME, &format!("/transactions?{q}")).await;
        assert_eq!(r.status, 400, "{q}");
        assert!(r.body.contains(msg), "{q}: {msg}");
    }
    // Another customer's account id is refused, not shown.
    let other = t
        .scalar("SELECT a.id FROM accounts a JOIN contacts c ON c.id = a.contact_id WHERE c.first_name <> 'Jane' ORDER BY a.id LIMIT 1")
        .await;
    let r = c.get(ACME, &format!("/transactions?account={other}")).await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("isn't one of yours"));

    // The company hides credits and fees (seed 001): they are never shown.
    sqlx::query("UPDATE portal_settings SET transaction_kinds_shown = 'payment,remittance'")
        .execute(t.db.w())
        .await
        .unwrap();
    let r = c.get(ACME, "/transactions?kind=fee").await;
    assert_eq!(r.status, 400, "fees are not a choice any more");
    let r = c.get(ACME, "/transactions").await;
    let tbody = &r.body[r.body.find("<tbody>").unwrap()..];
    assert!(!tbody.contains("<td>Fee</td>") && !tbody.contains("<td>Interest</td>"), "{tbody}");

    // CSV export, streamed, with the chosen columns.
    let csv = c.http.get(c.url(ACME, "/transactions.csv?col=date&col=kind&col=amount")).send().await.unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("\"Date\",\"Type\",\"Amount\""));
    let n_payments = t
        .scalar("SELECT COUNT(*) FROM transactions t JOIN accounts a ON a.id = t.account_id JOIN portal_users u ON u.contact_id = a.contact_id WHERE u.username = 'jane.doe' AND t.kind IN ('payment', 'remittance')")
        .await;
    assert_eq!(lines.count() as i64, n_payments, "more rows than one chunk of 500 when the history is long");
    t.stop().await;
}

#[test]
fn csv_fields_cannot_smuggle_formulas() {
    // Exercised through the export above; the rule itself:
    let f = |s: &str| if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_string() };
    assert_eq!(f("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
}

#[tokio::test]
async fn staff_post_manual_transactions_that_flow_into_the_portal() {
    let t = spawn().await;
    let staff = t.client();
    staff.staff_sign_in(ACME, "servicer@acme.example").await;
    let customer = t.client();
    customer.sign_in(ACME, "jane.doe", PASSWORD).await;
    let loan = jane_account(&t, "installment").await;
    let page = format!("/staff/accounts/{loan}");
    let post_to = format!("/staff/accounts/{loan}/transactions");
    async fn owed(t: &crate::common::TestApp, loan: i64) -> i64 {
        t.scalar(&format!(
            "SELECT CAST(SUM(principal_cents + interest_cents + fees_cents) AS BIGINT) FROM transactions WHERE account_id = {loan} AND status = 'posted'"
        ))
        .await
    }
    let before = owed(&t, loan).await;
    let today = t.text("SELECT MAX(posted_on) FROM transactions").await;

    // Bad input: messages beside the fields, values kept, nothing posted.
    for (amount, date, msg) in [
        ("0", today.as_str(), "more than zero"),
        ("12.345", today.as_str(), "two decimals"),
        ("abc", today.as_str(), "like 125.00"),
        ("10", "2999-01-01", "future"),
        ("99999999", today.as_str(), "more than the payoff today"),
    ] {
        let r = staff
            .post(
                ACME,
                &page,
                &post_to,
                &[("kind", "payment"), ("amount", amount), ("posted_on", date), ("description", "typed")],
            )
            .await;
        assert_eq!(r.status, 422, "{amount} {date}");
        assert!(r.body.contains(msg), "{msg}: {}", r.body);
        assert!(r.body.contains("value=\"typed\""));
    }
    assert_eq!(owed(&t, loan).await, before);

    let r = staff
        .post(
            ACME,
            &page,
            &post_to,
            &[("kind", "payment"), ("amount", "250.00"), ("posted_on", &today), ("description", "")],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some(format!("/staff/accounts/{loan}?m=posted").as_str()), "{}", r.body);
    assert_eq!(owed(&t, loan).await, before - 25_000);
    let summary = customer.get(ACME, &format!("/accounts/{loan}/summary")).await;
    assert!(
        summary.body.contains(&portico_render::chart::fmt_money(before - 25_000)),
        "the portal shows the new balance"
    );

    // Reverse it: the balance is restored and both entries are listed.
    let pay_id = t
        .scalar(&format!("SELECT MAX(id) FROM transactions WHERE account_id = {loan} AND kind = 'payment'"))
        .await
        .to_string();
    let r =
        staff.post(ACME, &page, &post_to, &[("kind", "reversal"), ("reverses", &pay_id), ("posted_on", &today)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(owed(&t, loan).await, before);
    let r =
        staff.post(ACME, &page, &post_to, &[("kind", "reversal"), ("reverses", &pay_id), ("posted_on", &today)]).await;
    assert_eq!(r.status, 422, "a reversed transaction can't be reversed again");

    // A fee, then a hidden account.
    staff
        .post(
            ACME,
            &page,
            &post_to,
            &[("kind", "fee"), ("amount", "15"), ("posted_on", &today), ("description", "Statement copy fee")],
        )
        .await;
    assert_eq!(owed(&t, loan).await, before + 1_500);
    let r = staff.post(ACME, &page, &format!("/staff/accounts/{loan}/hide"), &[]).await;
    assert_eq!(r.status, 303);
    assert_eq!(customer.get(ACME, &format!("/accounts/{loan}/summary")).await.status, 404);
    assert!(staff.get(ACME, &page).await.body.contains("Hidden from portal"));
    for action in ["transaction.post", "transaction.reverse", "account.hide"] {
        assert!(t.scalar(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'")).await >= 1, "{action}");
    }

    // Read-only staff can look but not post.
    let viewer = t.client();
    viewer.staff_sign_in(ACME, "viewer@acme.example").await;
    assert_eq!(viewer.get(ACME, &page).await.status, 200);
    let r = viewer.post(ACME, &page, &post_to, &[("kind", "fee"), ("amount", "5"), ("posted_on", &today)]).await;
    assert_eq!(r.status, 403);

    // Another company's staff: 404 on every URL.
    let nw = t.client();
    nw.staff_sign_in("northwind.localhost", "admin@northwind.example").await;
    assert_eq!(nw.get("northwind.localhost", &page).await.status, 404);
    let r = nw
        .post(
            "northwind.localhost",
            "/staff/contacts",
            &post_to,
            &[("kind", "fee"), ("amount", "5"), ("posted_on", &today)],
        )
        .await;
    assert_eq!(r.status, 404);
    let r = nw.post("northwind.localhost", "/staff/contacts", &format!("/staff/accounts/{loan}/show"), &[]).await;
    assert_eq!(r.status, 404);
    assert!(!nw.get("northwind.localhost", "/staff/payoffs").await.body.contains("PO-"));
    t.stop().await;
}

#[tokio::test]
async fn companies_choose_transaction_types_columns_and_payoff_window() {
    let t = spawn().await;
    let admin = t.client();
    admin.staff_sign_in(ACME, "admin@acme.example").await;
    let page = "/staff/settings/accounts";
    let r = admin
        .post(
            ACME,
            page,
            page,
            &[("column", "date"), ("allocation_order", "interest,fees,principal"), ("payoff_good_through_days", "90")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("at least one type") && r.body.contains("1 to 60"));
    assert!(r.body.contains("value=\"90\""), "typed value kept");
    let r = admin
        .post(
            ACME,
            page,
            page,
            &[
                ("kind", "payment"),
                ("kind", "remittance"),
                ("column", "date"),
                ("column", "amount"),
                ("allocation_order", "interest,fees,principal"),
                ("payoff_good_through_days", "5"),
            ],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/staff/settings/accounts?m=saved"), "{}", r.body);
    let customer = t.client();
    customer.sign_in(ACME, "jane.doe", PASSWORD).await;
    let tx = customer.get(ACME, "/transactions").await;
    let thead = &tx.body[tx.body.find("<thead>").unwrap()..tx.body.find("</thead>").unwrap()];
    assert!(thead.contains("Date") && thead.contains("Amount") && !thead.contains("Description"), "default columns");
    let loan = jane_account(&t, "installment").await.to_string();
    let quote = customer.post(ACME, "/payoff", "/payoff/quote", &[("account", &loan)]).await;
    let as_of = time::OffsetDateTime::now_utc().date() + time::Duration::days(5);
    assert!(
        quote.body.contains(
            &as_of.format(time::macros::format_description!("[month repr:short] [day padding:none], [year]")).unwrap()
        ),
        "good through today + 5 days"
    );
    // Read-only staff can't change it.
    let viewer = t.client();
    viewer.staff_sign_in(ACME, "viewer@acme.example").await;
    assert_eq!(viewer.get(ACME, page).await.status, 403);
    t.stop().await;
}
