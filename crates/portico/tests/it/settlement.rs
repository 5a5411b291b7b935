//! Debt settlement and student loans (issue 6): the Debts page and its
//! settings, the program account's PDF statements, the payment schedule,
//! the Profile from intake data, the student-loan data file and estimates,
//! "Share with my servicer", the console's editing, and isolation.
use crate::common::{Client, PASSWORD, Resp, TestApp, csrf_of, spawn};

const ACME: &str = "acme.localhost";
const NW: &str = "northwind.localhost";
const SAMPLE: &[u8] = include_bytes!("../../../domain/fixtures/student_loans/sample.txt");
const NOT_THE_FORMAT: &[u8] = include_bytes!("../../../domain/fixtures/student_loans/malformed_not_the_format.csv");

async fn contact(t: &TestApp, email: &str) -> i64 {
    t.scalar(&format!("SELECT id FROM contacts WHERE email = '{email}'")).await
}

async fn customer(t: &TestApp, login: &str) -> Client {
    let c = t.client();
    let r = c.sign_in(ACME, login, PASSWORD).await;
    assert_eq!(r.status, 303, "sign-in {login}: {}", r.body);
    c
}

async fn upload(c: &Client, name: &str, data: Vec<u8>, with_csrf: bool) -> Resp {
    let page = c.get(ACME, "/student-loans").await;
    let token = csrf_of(&page.body).expect("csrf on /student-loans");
    let mut form = reqwest::multipart::Form::new();
    if with_csrf {
        form = form.text("csrf", token);
    }
    form = form.part("file", reqwest::multipart::Part::bytes(data).file_name(name.to_string()));
    let r = c.http.post(c.url(ACME, "/student-loans/upload")).multipart(form).send().await.expect("upload");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let location = headers.get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
    let body = r.text().await.unwrap_or_default().replace("&#39;", "'");
    Resp { status, location, body, headers }
}

/// `$1,234.56` as the pages and PDFs print it.
fn money(cents: i64) -> String {
    portico_render::fmt_money(cents)
}

#[tokio::test]
async fn debts_page_summary_creditors_and_settings() {
    let t = spawn().await;
    let sam = customer(&t, "sam.settle@example.com").await;
    let r = sam.get(ACME, "/debts").await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Summary computed by the domain: settled enrolled 4,250 + 6,800 of 22,850 enrolled.
    assert!(r.body.contains("48.36% of your enrolled debt is settled ($11,050.00 of $22,850.00)"), "{}", r.body);
    assert!(r.body.contains("<progress class=\"settle-progress\" max=\"100\" value=\"48\""));
    assert!(r.body.contains("$3,962.50"), "paid to creditors");
    // Current creditor in bold above the original one; the same name when never sold.
    let current =
        r.body.find("<strong class=\"creditor-current\">Midland Credit Management</strong>").expect("current");
    let original = r.body.find("Original creditor: Capital One").expect("original");
    assert!(current < original);
    assert!(r.body.contains(
        "<strong class=\"creditor-current\">Chase Bank</strong><span class=\"creditor-original\">Chase Bank</span>"
    ));
    assert!(r.body.contains("••••2208") && !r.body.contains("5178-0577-9134-2208"), "account numbers are masked");
    for status in ["Unenrolled", "Enrolled", "Settled", "Unsettled"] {
        assert!(r.body.contains(&format!(">{status}</span>")), "{status}");
    }

    // The company shows only settled debts and calls the page Creditors.
    let admin = t.client();
    admin.staff_sign_in(ACME, "admin@acme.example").await;
    let r = admin
        .post(
            ACME,
            "/staff/settings/settlement",
            "/staff/settings/settlement",
            &[("debts_name", "creditors"), ("statuses", "settled"), ("student_loan_file_upload", "1")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = sam.get(ACME, "/debts").await;
    assert!(r.body.contains("<h1 class=\"page-title\">Creditors</h1>"));
    assert!(r.body.contains(">Creditors</a>"), "nav names it Creditors");
    assert!(!r.body.contains("Discover") && r.body.contains("Midland Credit Management"));
    assert!(r.body.contains("48.36%"), "the summary still covers every debt");

    // Documents required before Debts: the customer is asked to upload first.
    let ident = t.scalar("SELECT t.id FROM document_types t WHERE t.name = 'Identification' AND t.company_id = (SELECT id FROM companies WHERE slug = 'acme')").await;
    let r = admin
        .post(
            ACME,
            "/staff/settings/settlement",
            "/staff/settings/settlement",
            &[
                ("debts_name", "debts"),
                ("statuses", "settled"),
                ("statuses", "enrolled"),
                ("required_types", &ident.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = sam.get(ACME, "/debts").await;
    assert!(r.body.contains("Documents needed first") && r.body.contains("Identification"));
    assert!(!r.body.contains("Midland"), "debts hidden until the upload");
    assert!(r.body.contains("name=\"type_id\" value=\"") && r.body.contains("action=\"/documents\""));

    // A type customers can't upload into is refused as a requirement.
    let notes = t.scalar("SELECT id FROM document_types WHERE name = 'Underwriting notes'").await;
    let r = admin
        .post(
            ACME,
            "/staff/settings/settlement",
            "/staff/settings/settlement",
            &[("debts_name", "debts"), ("required_types", &notes.to_string())],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("can't upload into"));

    // Switched off: 404 and gone from the menu.
    let r =
        admin.post(ACME, "/staff/settings/settlement", "/staff/settings/settlement", &[("debts_name", "off")]).await;
    assert_eq!(r.status, 303);
    assert_eq!(sam.get(ACME, "/debts").await.status, 404);
    assert!(!sam.get(ACME, "/").await.body.contains("href=\"/debts\""));
    // Settings are admin-only.
    let servicer = t.client();
    servicer.staff_sign_in(ACME, "servicer@acme.example").await;
    assert_eq!(servicer.get(ACME, "/staff/settings/settlement").await.status, 403);
    assert!(t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'settings.settlement'").await >= 3);
    t.stop().await;
}

#[tokio::test]
async fn program_account_statements_are_real_pdfs() {
    let t = spawn().await;
    let sam_id = contact(&t, "sam.settle@example.com").await;
    let sam = customer(&t, "sam.settle@example.com").await;
    let page = sam.get(ACME, "/program").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("ForthPay ••••4821"));
    assert!(page.body.contains("Statement delivery:") && page.body.contains("href=\"/account\""));
    // A year of statements: one per ended month from the first deposit
    // (none yet for the month in progress).
    let months = page.body.matches("/program/statements/").count();
    assert!(months >= 12, "{months} statements");
    let current = time::OffsetDateTime::now_utc().date();
    let current = format!("/program/statements/{}-{:02}.pdf", current.year(), u8::from(current.month()));
    assert!(!page.body.contains(&current), "no statement for the month in progress");
    assert_eq!(sam.get(ACME, &current).await.status, 404);

    // The statement of the month three months after enrolment, from the stored entries.
    let month: String = t
        .text(&format!(
            "SELECT MIN(SUBSTR(posted_on, 1, 7)) FROM program_entries WHERE contact_id = {sam_id} AND kind = 'creditor_payment'"
        ))
        .await;
    let first = format!("{month}-01");
    let opening = t
        .scalar(&format!(
            "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM program_entries WHERE contact_id = {sam_id} AND posted_on < '{first}'"
        ))
        .await;
    let in_month = t
        .scalar(&format!(
            "SELECT CAST(SUM(amount_cents) AS BIGINT) FROM program_entries WHERE contact_id = {sam_id} AND SUBSTR(posted_on, 1, 7) = '{month}'"
        ))
        .await;
    let r = sam.http.get(sam.url(ACME, &format!("/program/statements/{month}.pdf"))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(r.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-1.7"));
    let text = String::from_utf8_lossy(&bytes);
    for needle in [
        "(Opening balance)".to_string(),
        format!("({})", money(opening)),
        format!("({})", money(opening + in_month)),
        "($600.00)".to_string(),
        "(Monthly program deposit)".to_string(),
        "(Chase Bank settlement".to_string(),
    ] {
        assert!(text.contains(&needle), "{needle} missing from the PDF");
    }
    assert!(t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'program.statement'").await >= 1);

    // Months outside the account, and nonsense, are 404.
    for path in [
        "/program/statements/2001-01.pdf",
        "/program/statements/2026-13.pdf",
        "/program/statements/x.pdf",
        "/program/statements/2026-03",
    ] {
        assert_eq!(sam.get(ACME, path).await.status, 404, "{path}");
    }
    // Another customer's months are not this customer's: Rosa's account began two months ago.
    let rosa = customer(&t, "rosa.relief@example.com").await;
    assert_eq!(rosa.get(ACME, &format!("/program/statements/{month}.pdf")).await.status, 404);

    // An Agent sees the list but can't download (view-only), and it is audited.
    let servicer = t.client();
    servicer.staff_sign_in(ACME, "servicer@acme.example").await;
    let domain = t.scalar("SELECT id FROM domains WHERE host = 'acme.localhost'").await.to_string();
    let r = servicer
        .post(
            ACME,
            &format!("/staff/contacts/{sam_id}"),
            &format!("/staff/contacts/{sam_id}/portal/login-as"),
            &[("domain_id", &domain)],
        )
        .await;
    servicer.get(ACME, &r.location.expect("agent link")).await;
    assert!(servicer.get(ACME, "/program").await.body.contains("Agents can see the list"));
    assert_eq!(servicer.get(ACME, &format!("/program/statements/{month}.pdf")).await.status, 403);
    t.stop().await;
}

#[tokio::test]
async fn schedule_profile_and_console_editing() {
    let t = spawn().await;
    let sam_id = contact(&t, "sam.settle@example.com").await;
    let sam = customer(&t, "sam.settle@example.com").await;
    let r = sam.get(ACME, "/schedule").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Account maintenance fee") && r.body.contains("Scheduled") && r.body.contains("Cleared"));
    assert!(r.body.contains("Next draft"));

    // Profile: fields from the intake data, typed, in the company's order; stage and status.
    let r = sam.get(ACME, "/profile").await;
    assert_eq!(r.status, 200);
    let employer = r.body.find("Lone Star Logistics").expect("employer");
    let income = r.body.find("$4,125.00").expect("monthly income as money");
    assert!(employer < income);
    assert!(r.body.contains("<dt>Stage</dt><dd>Negotiation</dd>"));

    let admin = t.client();
    admin.staff_sign_in(ACME, "admin@acme.example").await;
    // Debits only hides credits and fees.
    let r = admin
        .post(
            ACME,
            "/staff/settings/settlement",
            "/staff/settings/settlement",
            &[
                ("debts_name", "debts"),
                ("statuses", "settled"),
                ("schedule_debits_only", "1"),
                ("student_loan_file_upload", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let r = sam.get(ACME, "/schedule").await;
    assert!(!r.body.contains("Account maintenance fee") && !r.body.contains("Refund of a returned-draft fee"));
    assert!(r.body.contains("Monthly program deposit"));

    // Staff: intake values checked by type; nothing saved when one is wrong.
    let servicer = t.client();
    servicer.staff_sign_in(ACME, "servicer@acme.example").await;
    let intake = format!("/staff/contacts/{sam_id}/intake");
    let r = servicer
        .post(
            ACME,
            &intake,
            &intake,
            &[("key", "employer"), ("value", "Acme Freight"), ("key", "monthly_income"), ("value", "lots")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Monthly income: Enter an amount"));
    assert!(r.body.contains("value=\"Acme Freight\""), "typed values are kept");
    assert!(sam.get(ACME, "/profile").await.body.contains("Lone Star Logistics"));
    let r = servicer
        .post(
            ACME,
            &intake,
            &intake,
            &[
                ("key", "employer"),
                ("value", "Acme Freight"),
                ("key", "monthly_income"),
                ("value", "4,300"),
                ("new_key", "case_worker"),
                ("new_value", "Dana"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = sam.get(ACME, "/profile").await;
    assert!(r.body.contains("Acme Freight") && r.body.contains("$4,300.00") && !r.body.contains("Dana"));
    // A new Profile field shows the free key once defined.
    let r = admin
        .post(
            ACME,
            "/staff/settings/settlement",
            "/staff/settings/settlement/fields",
            &[("key", "case_worker"), ("label", "Your case worker"), ("field_type", "text"), ("position", "1")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = sam.get(ACME, "/profile").await;
    assert!(r.body.find("Your case worker").unwrap() < r.body.find("Employer").unwrap(), "order");
    let r = admin
        .post(
            ACME,
            "/staff/settings/settlement",
            "/staff/settings/settlement/fields",
            &[("key", "bad key"), ("label", ""), ("field_type", "text")],
        )
        .await;
    assert_eq!(r.status, 422);

    // Debts: a debt without creditor is refused beside the field, nothing stored.
    let program = format!("/staff/contacts/{sam_id}/program");
    let debts = format!("/staff/contacts/{sam_id}/debts");
    let before = t.scalar(&format!("SELECT COUNT(*) FROM debts WHERE contact_id = {sam_id}")).await;
    let r = servicer
        .post(
            ACME,
            &program,
            &debts,
            &[
                ("original_creditor", " "),
                ("enrolled_balance", "1000"),
                ("current_balance", "1000"),
                ("status", "enrolled"),
                ("account_number", "4111111111111111"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Enter the original creditor"));
    let r = servicer
        .post(
            ACME,
            &program,
            &debts,
            &[
                ("original_creditor", "Amex"),
                ("enrolled_balance", "1000"),
                ("current_balance", "1000"),
                ("status", "settled"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("A settled debt needs its settlement terms."));
    assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM debts WHERE contact_id = {sam_id}")).await, before);
    let r = servicer
        .post(
            ACME,
            &program,
            &debts,
            &[
                ("original_creditor", "American Express"),
                ("enrolled_balance", "2,000.00"),
                ("current_balance", "2100"),
                ("status", "enrolled"),
                ("account_number", "3714-496353-98431"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let debt = t.scalar("SELECT id FROM debts WHERE original_creditor = 'American Express'").await;
    assert_eq!(t.text(&format!("SELECT account_mask FROM debts WHERE id = {debt}")).await, "••••8431");
    assert!(!t.text(&format!("SELECT account_enc FROM debts WHERE id = {debt}")).await.contains("8431"), "sealed");
    // Sold to a debt buyer and settled.
    let edit = format!("/staff/debts/{debt}");
    let r = servicer
        .post(
            ACME,
            &edit,
            &edit,
            &[
                ("original_creditor", "American Express"),
                ("current_creditor", "Jefferson Capital"),
                ("enrolled_balance", "2000"),
                ("current_balance", "2150"),
                ("status", "settled"),
                ("settlement_amount", "900"),
                ("settlement_payments", "3"),
                ("settlement_paid", "300"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(
        t.text("SELECT detail FROM audit_log WHERE action = 'debt.update' ORDER BY id DESC LIMIT 1")
            .await
            .contains("Jefferson Capital")
    );
    let r = sam.get(ACME, "/debts").await;
    assert!(r.body.find("Jefferson Capital").unwrap() < r.body.find("Original creditor: American Express").unwrap());

    // Program account entries and drafts; a deposit must be positive and not in the future.
    let entries = format!("/staff/contacts/{sam_id}/program/entries");
    let r = servicer
        .post(ACME, &program, &entries, &[("kind", "deposit"), ("amount", "-5"), ("posted_on", "2026-01-10")])
        .await;
    assert_eq!(r.status, 422);
    let r = servicer
        .post(ACME, &program, &entries, &[("kind", "deposit"), ("amount", "5"), ("posted_on", "2099-01-10")])
        .await;
    assert_eq!(r.status, 422);
    let r = servicer
        .post(
            ACME,
            &program,
            &entries,
            &[
                ("kind", "adjustment_in"),
                ("amount", "12.34"),
                ("posted_on", "2026-01-10"),
                ("description", "Bank correction"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(t.scalar("SELECT amount_cents FROM program_entries WHERE description = 'Bank correction'").await, 1234);
    let drafts = format!("/staff/contacts/{sam_id}/program/drafts");
    let r = servicer
        .post(
            ACME,
            &program,
            &drafts,
            &[
                ("due_on", "2030-02-02"),
                ("kind", "debit"),
                ("amount", "600"),
                ("status", "scheduled"),
                ("memo", "Extra deposit"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let draft = t.scalar("SELECT id FROM program_drafts WHERE memo = 'Extra deposit'").await;
    let r =
        servicer.post(ACME, &program, &format!("/staff/program/drafts/{draft}/status"), &[("status", "skipped")]).await;
    assert_eq!(r.status, 303);
    assert!(sam.get(ACME, "/schedule").await.body.contains("Skipped"));

    // Read-only staff can't change anything.
    let viewer = t.client();
    viewer.staff_sign_in(ACME, "viewer@acme.example").await;
    let r = viewer
        .post(
            ACME,
            &program,
            &debts,
            &[("original_creditor", "X"), ("enrolled_balance", "1"), ("current_balance", "1"), ("status", "enrolled")],
        )
        .await;
    assert_eq!(r.status, 403);
    for action in [
        "debt.add",
        "debt.update",
        "program.entry.add",
        "program.draft.add",
        "program.draft.status",
        "intake.save",
        "profile.field.add",
    ] {
        assert!(
            t.scalar(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'")).await >= 1,
            "{action} audited"
        );
    }
    t.stop().await;
}

#[tokio::test]
async fn student_loan_file_estimates_and_sharing() {
    let t = spawn().await;
    let stu_id = contact(&t, "stu.loans@example.com").await;
    let stu = customer(&t, "stu.loans@example.com").await;
    let loans = format!("SELECT COUNT(*) FROM student_loans WHERE contact_id = {stu_id}");
    assert_eq!(t.scalar(&loans).await, 5, "the demo read the sample file");
    // Start empty to prove the upload stores the loans.
    sqlx::query(&format!("DELETE FROM student_loans WHERE contact_id = {stu_id}")).execute(t.db.w()).await.unwrap();

    // Not the federal format: refused with the line, nothing stored.
    let r = upload(&stu, "loans.csv", NOT_THE_FORMAT.to_vec(), true).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("This file was not accepted"), "{}", r.body);
    assert_eq!(t.scalar(&loans).await, 0);
    // A broken line is named.
    let mut broken = SAMPLE.to_vec();
    let text = String::from_utf8(broken.clone()).unwrap();
    let line = text.lines().position(|l| l.starts_with("Loan Interest Rate:")).unwrap() + 1;
    broken = text.replacen("Loan Interest Rate:3.76%", "Loan Interest Rate:three", 1).into_bytes();
    let r = upload(&stu, "MyStudentData.txt", broken, true).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains(&format!("Line {line}:")), "line {line} named: {}", r.body);
    // A huge file is refused before anything is kept.
    let r = upload(&stu, "MyStudentData.txt", vec![b'a'; 3 * 1024 * 1024], true).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("larger than 1 MB"));
    assert_eq!(t.scalar(&loans).await, 0);
    // Without the CSRF token: refused.
    assert_eq!(upload(&stu, "MyStudentData.txt", SAMPLE.to_vec(), false).await.status, 403);
    assert_eq!(t.scalar(&loans).await, 0);
    // The real thing.
    let r = upload(&stu, "MyStudentData.txt", SAMPLE.to_vec(), true).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(t.scalar(&loans).await, 5);
    let page = stu.get(ACME, "/student-loans").await;
    assert!(page.body.contains("DIRECT STAFFORD SUBSIDIZED (D1)") && page.body.contains("$3,132.29"));
    for needle in [
        "Repayment estimates",
        "These are estimates, not offers.",
        "Standard (10 years)",
        "Repayment Assistance Plan (RAP)",
        "Income-Based Repayment (IBR)",
        "2025 HHS guideline",
        "$15,650.00 for one person, plus $5,500.00",
        "Not eligible",
    ] {
        assert!(page.body.contains(needle), "{needle}");
    }

    // Bad figures: clear messages, nothing saved.
    let saved = format!("SELECT agi_cents FROM student_loan_profiles WHERE contact_id = {stu_id}");
    let before = t.scalar(&saved).await;
    for (fields, message) in [
        (
            vec![
                ("agi", "-1200"),
                ("family_size", "2"),
                ("dependents", "1"),
                ("state", "IL"),
                ("filing_status", "single"),
            ],
            "cannot be negative",
        ),
        (
            vec![
                ("agi", "999999999999"),
                ("family_size", "2"),
                ("dependents", "0"),
                ("state", "IL"),
                ("filing_status", "single"),
            ],
            "outside what this estimate covers",
        ),
        (
            vec![
                ("agi", "50000"),
                ("family_size", "999"),
                ("dependents", "0"),
                ("state", "IL"),
                ("filing_status", "single"),
            ],
            "Family size must be between 1 and 20.",
        ),
        (
            vec![
                ("agi", "50000"),
                ("family_size", "0"),
                ("dependents", "0"),
                ("state", "IL"),
                ("filing_status", "single"),
            ],
            "Family size must be between 1 and 20.",
        ),
        (
            vec![
                ("agi", "50000"),
                ("family_size", "2"),
                ("dependents", "5"),
                ("state", "IL"),
                ("filing_status", "single"),
            ],
            "at most 1 dependents",
        ),
        (
            vec![
                ("agi", "50000"),
                ("family_size", "2"),
                ("dependents", "0"),
                ("state", "ZZ"),
                ("filing_status", "single"),
            ],
            "Choose the state you live in",
        ),
    ] {
        let r = stu.post(ACME, "/student-loans", "/student-loans/estimate", &fields).await;
        assert_eq!(r.status, 422, "{message}");
        assert!(r.body.contains(message), "{message}: {}", r.body);
        assert!(r.body.contains(&format!("value=\"{}\"", fields[0].1)), "typed AGI kept");
    }
    assert_eq!(t.scalar(&saved).await, before);
    let r = stu
        .post(
            ACME,
            "/student-loans",
            "/student-loans/estimate",
            &[
                ("agi", "48,000"),
                ("family_size", "3"),
                ("dependents", "1"),
                ("state", "AK"),
                ("filing_status", "head_of_household"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    // Alaska, 3 people: $19,550 + 2 × $6,880 = $33,310.
    assert!(stu.get(ACME, "/student-loans").await.body.contains("$33,310.00"));

    // Share with my servicer: kept as computed, e-mailed to the company, listed on Programs.
    let before_shared =
        t.scalar(&format!("SELECT COUNT(*) FROM student_loan_estimates WHERE contact_id = {stu_id}")).await;
    let r = stu.post(ACME, "/student-loans", "/student-loans/share", &[]).await;
    assert_eq!(r.status, 303);
    let path = r.location.unwrap();
    assert!(path.starts_with("/student-loans/estimates/"));
    assert_eq!(
        t.scalar(&format!("SELECT COUNT(*) FROM student_loan_estimates WHERE contact_id = {stu_id}")).await,
        before_shared + 1
    );
    assert_eq!(t.scalar("SELECT COUNT(*) FROM student_loan_estimate_plans p JOIN student_loan_estimates e ON e.id = p.estimate_id WHERE e.agi_cents = 4800000").await, 6);
    let (subject, body) = t.last_mail_to("portal@acme.example").await.expect("company e-mail");
    assert!(subject.starts_with("Student-loan estimate SL-"), "{subject}");
    assert!(body.contains("Stu Loans") && body.contains("/staff/student-loans/estimates/"));
    let r = stu.get(ACME, &path).await;
    assert!(r.status == 200 && r.body.contains("was sent to Acme Capital") && r.body.contains("$33,310.00"));
    let r = stu.get(ACME, "/programs").await;
    assert!(r.body.contains("has not recorded a plan") && r.body.contains("Sent, awaiting review"));

    // Staff see it in the queue and record the plan; the customer sees it.
    let servicer = t.client();
    servicer.staff_sign_in(ACME, "servicer@acme.example").await;
    assert!(servicer.get(ACME, "/staff/student-loans").await.body.contains("Stu Loans"));
    let est = path.rsplit('/').next().unwrap().split('?').next().unwrap().to_string();
    let slp = format!("/staff/contacts/{stu_id}/student-loans");
    let r = servicer.post(ACME, &slp, &format!("{slp}/plan"), &[("plan", "none"), ("monthly_payment", "abc")]).await;
    assert_eq!(r.status, 422);
    let r = servicer
        .post(
            ACME,
            &slp,
            &format!("{slp}/plan"),
            &[
                ("plan", "rap"),
                ("monthly_payment", "310.00"),
                ("starts_on", "2026-07-01"),
                ("note", "We will file the RAP request."),
                ("estimate_id", &est),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = stu.get(ACME, "/programs").await;
    assert!(
        r.body.contains("Repayment Assistance Plan (RAP)")
            && r.body.contains("$310.00")
            && r.body.contains("We will file the RAP request.")
    );
    assert!(r.body.contains("Reviewed"));

    // Where the company switches file upload off, loans are typed by hand.
    let admin = t.client();
    admin.staff_sign_in(ACME, "admin@acme.example").await;
    let r = admin
        .post(
            ACME,
            "/staff/settings/settlement",
            "/staff/settings/settlement",
            &[("debts_name", "debts"), ("statuses", "settled")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(upload(&stu, "MyStudentData.txt", SAMPLE.to_vec(), true).await.status, 404);
    let r = stu
        .post(ACME, "/student-loans", "/student-loans/loans", &[("type_code", "D2"), ("balance", "-3"), ("rate", "40")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("between 0 to 25") || r.body.contains("from 0 to 25"));
    let r = stu
        .post(
            ACME,
            "/student-loans",
            "/student-loans/loans",
            &[("type_code", "D2"), ("balance", "8,000"), ("rate", "5.5"), ("first_disbursed", "2020-09-01")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(t.scalar(&loans).await, 6);
    t.stop().await;
}

#[tokio::test]
async fn another_customers_or_companys_ids_are_404() {
    let t = spawn().await;
    let sam_id = contact(&t, "sam.settle@example.com").await;
    let stu_id = contact(&t, "stu.loans@example.com").await;
    let stu_estimate = t.scalar(&format!("SELECT id FROM student_loan_estimates WHERE contact_id = {stu_id}")).await;
    let stu_loan = t.scalar(&format!("SELECT MIN(id) FROM student_loans WHERE contact_id = {stu_id}")).await;
    let debt = t.scalar(&format!("SELECT MIN(id) FROM debts WHERE contact_id = {sam_id}")).await;
    let entry = t.scalar(&format!("SELECT MIN(id) FROM program_entries WHERE contact_id = {sam_id}")).await;
    let draft = t.scalar(&format!("SELECT MIN(id) FROM program_drafts WHERE contact_id = {sam_id}")).await;
    let field = t.scalar("SELECT MIN(id) FROM intake_fields").await;

    // Another customer of the same company.
    let sam = customer(&t, "sam.settle@example.com").await;
    assert_eq!(sam.get(ACME, &format!("/student-loans/estimates/{stu_estimate}")).await.status, 404);
    let r = sam.post(ACME, "/student-loans", &format!("/student-loans/loans/{stu_loan}/delete"), &[]).await;
    assert_eq!(r.status, 404);
    assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM student_loans WHERE id = {stu_loan}")).await, 1);
    assert!(!sam.get(ACME, "/programs").await.body.contains("SL-"), "Sam sees none of Stu's estimates");

    // Another company's staff.
    let nw = t.client();
    nw.staff_sign_in(NW, "admin@northwind.example").await;
    for path in [
        format!("/staff/contacts/{sam_id}/program"),
        format!("/staff/debts/{debt}"),
        format!("/staff/contacts/{sam_id}/intake"),
        format!("/staff/contacts/{stu_id}/student-loans"),
        format!("/staff/student-loans/estimates/{stu_estimate}"),
    ] {
        assert_eq!(nw.get(NW, &path).await.status, 404, "GET {path}");
    }
    let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            format!("/staff/contacts/{sam_id}/program"),
            vec![("enrolled_on", "2025-01-01"), ("fee_basis", "savings"), ("fee_percent", "20"), ("monthly_fee", "0")],
        ),
        (
            format!("/staff/contacts/{sam_id}/debts"),
            vec![
                ("original_creditor", "X"),
                ("enrolled_balance", "1"),
                ("current_balance", "1"),
                ("status", "enrolled"),
            ],
        ),
        (
            format!("/staff/debts/{debt}"),
            vec![
                ("original_creditor", "X"),
                ("enrolled_balance", "1"),
                ("current_balance", "1"),
                ("status", "enrolled"),
            ],
        ),
        (format!("/staff/debts/{debt}/delete"), vec![]),
        (
            format!("/staff/contacts/{sam_id}/program/entries"),
            vec![("kind", "deposit"), ("amount", "1"), ("posted_on", "2026-01-01")],
        ),
        (format!("/staff/program/entries/{entry}/delete"), vec![]),
        (
            format!("/staff/contacts/{sam_id}/program/drafts"),
            vec![("due_on", "2030-01-01"), ("kind", "debit"), ("amount", "1"), ("status", "scheduled")],
        ),
        (format!("/staff/program/drafts/{draft}/status"), vec![("status", "cancelled")]),
        (format!("/staff/program/drafts/{draft}/delete"), vec![]),
        (format!("/staff/contacts/{sam_id}/intake"), vec![("new_key", "x"), ("new_value", "y")]),
        (format!("/staff/settings/settlement/fields/{field}"), vec![("label", "Hacked"), ("field_type", "text")]),
        (format!("/staff/settings/settlement/fields/{field}/delete"), vec![]),
        (format!("/staff/contacts/{stu_id}/student-loans/plan"), vec![("plan", "rap")]),
        (format!("/staff/student-loans/estimates/{stu_estimate}/reviewed"), vec![]),
    ];
    for (path, fields) in &posts {
        let r = nw.post(NW, "/staff/contacts", path, fields).await;
        assert_eq!(r.status, 404, "POST {path}: {}", r.body);
    }
    assert_eq!(
        t.scalar(&format!("SELECT COUNT(*) FROM debts WHERE id = {debt} AND original_creditor <> 'X'")).await,
        1
    );
    assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM program_entries WHERE id = {entry}")).await, 1);
    assert_eq!(
        t.scalar(&format!("SELECT COUNT(*) FROM program_drafts WHERE id = {draft} AND status <> 'cancelled'")).await,
        1
    );
    assert_eq!(
        t.scalar(&format!("SELECT COUNT(*) FROM intake_fields WHERE id = {field} AND label <> 'Hacked'")).await,
        1
    );
    assert_eq!(
        t.scalar(&format!(
            "SELECT COUNT(*) FROM student_loan_estimates WHERE id = {stu_estimate} AND status = 'shared'"
        ))
        .await,
        1
    );

    // Northwind's customers have none of these sections.
    let buyer = t.client();
    assert_eq!(buyer.sign_in(NW, "buyer@northwind.example", PASSWORD).await.status, 303);
    for path in [
        "/debts",
        "/program",
        "/schedule",
        "/profile",
        "/student-loans",
        "/programs",
        "/program/statements/2026-01.pdf",
    ] {
        assert_eq!(buyer.get(NW, path).await.status, 404, "{path}");
    }
    t.stop().await;
}
