//! Demo data for debt settlement and student loans (issue 6), at Acme:
//!
//! * Sam Settle (`sam.settle@example.com`): a settlement program enrolled a
//!   year ago, with debts in every status, sold and never sold; a program
//!   account with a deposit every month (so a year of statements), fees,
//!   payments to creditors and a refund; a payment schedule with past and
//!   coming drafts; intake data for the Profile.
//! * Rosa Relief (`rosa.relief@example.com`): a program that started three
//!   months ago, nothing settled yet.
//! * Stu Loans (`stu.loans@example.com`): federal loans read from the sample
//!   data file, income figures, and one estimate shared with Acme.
//!
//! All are onboarded portal users with the demo password.

use portico_domain::loan::Cents;
use portico_domain::settlement::mask_account;
use portico_domain::student_loan::data_file;
use portico_domain::validate::iso_date;
use portico_store::people::{self, NewContact};
use portico_store::settlement::{self as st, DebtFields, Program, SettlementSettings};
use portico_store::student_loans::{self as sl, NewLoan};
use time::{Date, Month};

use crate::auth::Customer;
use crate::demo::{Identity, insert_contact, insert_ready_user};
use crate::{App, AppError, Origin, now};

/// The sample federal aid data file (also the browser test's upload).
const SAMPLE_FILE: &[u8] = include_bytes!("../../../domain/fixtures/student_loans/sample.txt");

pub async fn seed(app: &App, acme: i64, pw: &str) -> Result<(), AppError> {
    let today = crate::accounts::today();
    st::save_settings(app.db.w(), &SettlementSettings { updated_at: now(), ..SettlementSettings::defaults(acme) })
        .await?;
    for (i, (key, label, ty)) in [
        ("employer", "Employer", "text"),
        ("monthly_income", "Monthly income", "money"),
        ("hardship", "Hardship reason", "text"),
        ("program_start", "Program start date", "date"),
        ("co_applicant", "Co-applicant", "yes_no"),
    ]
    .into_iter()
    .enumerate()
    {
        st::insert_intake_field(app.db.w(), acme, key, label, ty, (i as i64 + 1) * 10, now()).await?;
    }

    let sam = customer(
        app,
        acme,
        pw,
        "Sam",
        "Settle",
        "sam.settle@example.com",
        "AC-300101",
        "Negotiation",
        "Active in program",
    )
    .await?;
    sam_program(app, acme, sam, today).await?;

    let rosa =
        customer(app, acme, pw, "Rosa", "Relief", "rosa.relief@example.com", "AC-300102", "Enrolled", "Saving").await?;
    rosa_program(app, acme, rosa, today).await?;

    let stu =
        customer(app, acme, pw, "Stu", "Loans", "stu.loans@example.com", "AC-300103", "Review", "Estimate shared")
            .await?;
    student_loans(app, acme, stu).await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn customer(
    app: &App,
    company: i64,
    pw: &str,
    first: &str,
    last: &str,
    email: &str,
    number: &str,
    stage: &str,
    status: &str,
) -> Result<i64, AppError> {
    let id = insert_contact(
        app,
        company,
        NewContact {
            external_id: Some(format!("CRM-{number}")),
            customer_number: number.into(),
            first_name: first.into(),
            last_name: last.into(),
            email: Some(email.into()),
            phone: Some("(512) 555-0148".into()),
            account_number: format!("DSP-{number}"),
            address: format!("{} Lamar Blvd\nAustin, TX 78704", 100 + number.len() * 37),
            stage: stage.into(),
            status: status.into(),
            customer_since: Some("2025-10-20".into()),
            ..Default::default()
        },
        Some(Identity { dob: "1983-09-14", ssn4: "2468" }),
    )
    .await?;
    insert_ready_user(app, company, id, first, last, email, pw, true, Some(3)).await?;
    Ok(id)
}

/// The first day of the month `back` months before `today`'s month.
fn month_start(today: Date, back: i32) -> Date {
    let index = today.year() * 12 + i32::from(u8::from(today.month())) - 1 - back;
    let month = Month::try_from(u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1)).unwrap_or(Month::January);
    Date::from_calendar_date(index.div_euclid(12), month, 1).unwrap_or(today)
}

fn on(month: Date, day: u8) -> Date {
    month.replace_day(day).unwrap_or(month)
}

#[allow(clippy::too_many_arguments)]
fn debt(
    app: &App,
    original: &str,
    current: Option<&str>,
    account: &str,
    enrolled: i64,
    balance: i64,
    status: &str,
    terms: Option<(i64, i64, i64)>,
) -> DebtFields {
    DebtFields {
        original_creditor: original.into(),
        current_creditor: current.map(str::to_string),
        account_enc: Some(app.keys.seal(account)),
        account_mask: mask_account(account),
        enrolled_balance_cents: enrolled,
        current_balance_cents: balance,
        status: status.into(),
        settlement_amount_cents: terms.map(|t| t.0),
        settlement_payments: terms.map(|t| t.1),
        settlement_paid_cents: terms.map(|t| t.2),
    }
}

async fn sam_program(app: &App, acme: i64, sam: i64, today: Date) -> Result<(), AppError> {
    let start = month_start(today, 12);
    let t = now();
    st::save_program(
        app.db.w(),
        &Program {
            id: 0,
            company_id: acme,
            contact_id: sam,
            enrolled_on: iso_date(on(start, 1)),
            fee_basis: "enrolled_debt".into(),
            fee_rate: "0.25".into(),
            monthly_fee_cents: 1_000,
            account_provider: "ForthPay".into(),
            account_last4: "4821".into(),
            created_at: t,
            updated_at: t,
        },
    )
    .await?;
    let debts = [
        debt(app, "Chase Bank", None, "4266-8410-2231-7710", 425_000, 0, "settled", Some((191_250, 4, 191_250))),
        debt(
            app,
            "Capital One",
            Some("Midland Credit Management"),
            "5178-0577-9134-2208",
            680_000,
            721_540,
            "settled",
            Some((306_000, 6, 153_000)),
        ),
        debt(app, "Discover", None, "6011-0093-4412-5561", 390_000, 412_055, "enrolled", None),
        debt(
            app,
            "Citibank",
            Some("Portfolio Recovery Associates"),
            "5424-1800-3321-0094",
            520_000,
            561_000,
            "unsettled",
            Some((260_000, 5, 52_000)),
        ),
        debt(app, "Synchrony Bank", None, "6019-7800-1122-4410", 115_000, 115_000, "unenrolled", None),
        debt(app, "Barclays", Some("LVNV Funding"), "0003-4417-8820", 270_000, 295_000, "enrolled", None),
    ];
    for d in &debts {
        st::insert_debt(app.db.w(), acme, sam, d, t).await?;
    }

    // Program account: a year of deposits and fees, settlements paid out.
    let mut entries: Vec<(Date, &str, i64, String)> = Vec::new();
    for m in 0..=12 {
        let month = month_start(today, 12 - m);
        entries.push((on(month, 2), "deposit", 60_000, "Monthly program deposit".into()));
        entries.push((on(month, 5), "fee", -1_000, "Account maintenance fee".into()));
    }
    let chase: [i64; 4] = [47_813, 47_813, 47_812, 47_812];
    let chase_fee = [26_563, 26_563, 26_562, 26_562];
    for (k, (pay, fee)) in chase.iter().zip(chase_fee).enumerate() {
        let month = month_start(today, 12 - 3 - k as i32);
        entries.push((
            on(month, 15),
            "creditor_payment",
            -pay,
            format!("Chase Bank settlement payment {} of 4", k + 1),
        ));
        entries.push((on(month, 16), "fee", -fee, format!("Settlement fee, Chase Bank ({} of 4)", k + 1)));
    }
    entries.push((
        on(month_start(today, 6), 20),
        "creditor_payment",
        -52_000,
        "Portfolio Recovery Associates settlement payment 1 of 5".into(),
    ));
    for (k, fee) in [28_334, 28_333, 28_333].into_iter().enumerate() {
        let month = month_start(today, 12 - 8 - k as i32);
        entries.push((
            on(month, 15),
            "creditor_payment",
            -51_000,
            format!("Midland Credit Management settlement payment {} of 6", k + 1),
        ));
        entries.push((on(month, 16), "fee", -fee, format!("Settlement fee, Capital One ({} of 6)", k + 1)));
    }
    entries.push((on(month_start(today, 3), 22), "refund", -2_500, "Refund of a returned-draft fee".into()));
    for (date, kind, amount, text) in entries.iter().filter(|e| e.0 <= today) {
        st::insert_entry(app.db.w(), acme, sam, &iso_date(*date), kind, *amount, text, None, t).await?;
    }

    // Payment schedule: the year's drafts and fees, and six months ahead.
    for m in 0..=18 {
        let month = month_start(today, 12 - m);
        let draft_day = on(month, 2);
        let fee_day = on(month, 5);
        let status = |d: Date| if d <= today { "cleared" } else { "scheduled" };
        st::insert_draft(
            app.db.w(),
            acme,
            sam,
            &iso_date(draft_day),
            "debit",
            60_000,
            status(draft_day),
            "Monthly program deposit",
            t,
        )
        .await?;
        st::insert_draft(
            app.db.w(),
            acme,
            sam,
            &iso_date(fee_day),
            "fee",
            1_000,
            status(fee_day),
            "Account maintenance fee",
            t,
        )
        .await?;
    }
    let refund = on(month_start(today, 3), 22);
    if refund <= today {
        st::insert_draft(
            app.db.w(),
            acme,
            sam,
            &iso_date(refund),
            "credit",
            2_500,
            "cleared",
            "Refund of a returned-draft fee",
            t,
        )
        .await?;
    }

    for (key, value) in [
        ("employer", "Lone Star Logistics"),
        ("monthly_income", "412500"),
        ("hardship", "Reduced hours after a back injury"),
        ("program_start", &iso_date(on(start, 1))),
        ("co_applicant", "no"),
    ] {
        st::set_intake_value(app.db.w(), acme, sam, key, value, t).await?;
    }
    Ok(())
}

async fn rosa_program(app: &App, acme: i64, rosa: i64, today: Date) -> Result<(), AppError> {
    let t = now();
    let start = month_start(today, 2);
    st::save_program(
        app.db.w(),
        &Program {
            id: 0,
            company_id: acme,
            contact_id: rosa,
            enrolled_on: iso_date(on(start, 10)),
            fee_basis: "savings".into(),
            fee_rate: "0.3".into(),
            monthly_fee_cents: 0,
            account_provider: "ForthPay".into(),
            account_last4: "1177".into(),
            created_at: t,
            updated_at: t,
        },
    )
    .await?;
    for d in [
        debt(app, "Wells Fargo", None, "4465-2210-9987-3001", 310_000, 325_000, "enrolled", None),
        debt(app, "Bank of America", Some("Cavalry SPV I"), "4400-7781-2345-0077", 240_000, 262_500, "enrolled", None),
    ] {
        st::insert_debt(app.db.w(), acme, rosa, &d, t).await?;
    }
    for m in 0..=2 {
        let day = on(month_start(today, 2 - m), 12);
        if day <= today {
            st::insert_entry(
                app.db.w(),
                acme,
                rosa,
                &iso_date(day),
                "deposit",
                27_500,
                "Monthly program deposit",
                None,
                t,
            )
            .await?;
        }
        st::insert_draft(
            app.db.w(),
            acme,
            rosa,
            &iso_date(day),
            "debit",
            27_500,
            if day <= today { "cleared" } else { "scheduled" },
            "Monthly program deposit",
            t,
        )
        .await?;
    }
    let next = on(month_start(today, -1), 12);
    st::insert_draft(
        app.db.w(),
        acme,
        rosa,
        &iso_date(next),
        "debit",
        27_500,
        "scheduled",
        "Monthly program deposit",
        t,
    )
    .await?;
    Ok(())
}

async fn student_loans(app: &App, acme: i64, stu: i64) -> Result<(), AppError> {
    let data = data_file::parse(SAMPLE_FILE).map_err(|e| AppError::Conflict(format!("demo data file: {e}")))?;
    let loans: Vec<NewLoan> = data
        .loans
        .iter()
        .map(|l| NewLoan {
            source: "file".into(),
            type_code: l.type_code.trim().to_ascii_uppercase(),
            description: l.type_description.clone().unwrap_or_else(|| l.kind.label().to_string()),
            school: l.school.clone().unwrap_or_default(),
            balance_cents: l.outstanding().0,
            rate: l.interest_rate.map(|r| r.normalize().to_string()).unwrap_or_default(),
            first_disbursed: l.first_disbursement().map(iso_date),
        })
        .collect();
    let mut tx = app.db.begin().await?;
    sl::replace_loans(
        &mut tx,
        acme,
        stu,
        &loans,
        "MyStudentData.txt",
        data.file_request_date.map(iso_date).as_deref(),
        now(),
    )
    .await?;
    sl::save_inputs(&mut tx, acme, stu, Cents(5_200_000).0, 2, 1, "IL", "head_of_household", now()).await?;
    tx.commit().await?;
    // Share it as the customer would.
    let user = people::portal_user_by_contact(app.db.r(), acme, stu).await?.ok_or(AppError::NotFound)?;
    let contact = people::contact(app.db.r(), acme, stu).await?.ok_or(AppError::NotFound)?;
    let c = Customer { company_id: acme, user, contact, agent: None, session_hash: String::new(), gaps: None };
    let origin = Origin { ip: "127.0.0.1".into(), user_agent: "portico demo".into() };
    crate::student_loans::share(app, &c, &origin).await?;
    Ok(())
}
