//! Demo data: two companies that look real. Every demo user's password is
//! `portico-demo`. Also the `create_company` helper used by the CLI and tests.

pub mod accounts;
pub mod documents;
pub mod payments;
pub mod settlement;
pub mod tasks;

use portico_domain::section::SectionSet;
use portico_domain::username;
use portico_store::companies::{self, PortalSettings};
use portico_store::people::{self, NewContact, UserTable};

use crate::auth::{Role, Staff};
use crate::crypto::hash_password;
use crate::mail::{DEFAULT_WELCOME_BODY, DEFAULT_WELCOME_SUBJECT};
use crate::{App, AppError, Origin, enroll, now, onboarding};

pub const DEMO_PASSWORD: &str = "portico-demo";

/// Default settings for a new company.
pub fn default_settings(company_id: i64) -> PortalSettings {
    PortalSettings {
        company_id,
        welcome_subject: DEFAULT_WELCOME_SUBJECT.into(),
        welcome_body: DEFAULT_WELCOME_BODY.into(),
        send_welcome_on_enroll: true,
        sections: SectionSet::all().to_stored(),
        forgot_password_enabled: true,
        brand_color: "#1d4ed8".into(),
        updated_at: now(),
        transaction_kinds_shown: "disbursement,payment,draw,fee,interest,adjustment,reversal,remittance,credit".into(),
        transaction_columns: "date,account,kind,description,amount,status".into(),
        allocation_order: "fees,interest,principal".into(),
        payoff_good_through_days: 10,
        ..Default::default()
    }
}

/// Create a company with default settings and its domains (the first is primary).
pub async fn create_company(app: &App, slug: &str, name: &str, hosts: &[&str]) -> Result<i64, AppError> {
    let mut tx = app.db.begin().await?;
    let id = companies::insert(&mut *tx, slug, name, None, now()).await?;
    companies::save_settings(&mut *tx, &default_settings(id)).await?;
    for (i, h) in hosts.iter().enumerate() {
        companies::insert_domain(&mut *tx, id, h, i == 0, now()).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Identity data of a contact, sealed as stored.
pub struct Identity<'a> {
    pub dob: &'a str,
    pub ssn4: &'a str,
}

pub async fn insert_contact(
    app: &App,
    company_id: i64,
    mut c: NewContact,
    identity: Option<Identity<'_>>,
) -> Result<i64, AppError> {
    if let Some(i) = &identity {
        c.dob_enc = Some(app.keys.seal(i.dob));
    }
    let id = people::insert_contact(app.db.w(), company_id, &c, now()).await?;
    if let Some(i) = identity {
        let mac = app.keys.mac(&onboarding::ssn_context(id), i.ssn4);
        people::set_contact_ssn_mac(app.db.w(), company_id, id, &mac).await?;
    }
    Ok(id)
}

/// A portal user with a password already set (as if the welcome link had
/// been used), optionally through onboarding.
pub async fn insert_ready_user(
    app: &App,
    company_id: i64,
    contact_id: i64,
    first: &str,
    last: &str,
    email: &str,
    password_hash: &str,
    onboarded: bool,
    last_login_days_ago: Option<i64>,
) -> Result<i64, AppError> {
    let base = username::base(first, last);
    let mut n = 1;
    let name = loop {
        let c = username::candidate(&base, n);
        if !people::username_taken(app.db.r(), company_id, &c).await? {
            break c;
        }
        n += 1;
    };
    let t = now();
    let id = people::insert_portal_user(app.db.w(), company_id, contact_id, &name, email, t - 90 * 86400).await?;
    people::set_password(app.db.w(), UserTable::Portal, company_id, id, password_hash).await?;
    people::set_welcome_sent(app.db.w(), company_id, id, t - 90 * 86400).await?;
    if onboarded {
        people::set_onboarded(app.db.w(), company_id, id, Some(t - 89 * 86400)).await?;
    }
    if let Some(d) = last_login_days_ago {
        people::record_login_success(app.db.w(), UserTable::Portal, company_id, id, t - d * 86400 - 3600).await?;
    }
    Ok(id)
}

const FIRST: [&str; 24] = [
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Ava",
    "Elijah",
    "Sophia",
    "Mateo",
    "Isabella",
    "Lucas",
    "Mia",
    "Amir",
    "Charlotte",
    "Ethan",
    "Amelia",
    "Mason",
    "Harper",
    "Logan",
    "Evelyn",
    "Jackson",
    "Abigail",
    "Aiden",
    "Priya",
    "Carlos",
];
const LAST: [&str; 24] = [
    "Johnson",
    "Martinez",
    "Nguyen",
    "Patel",
    "Williams",
    "Brown",
    "Garcia",
    "Kim",
    "Rodriguez",
    "Lee",
    "Walker",
    "Hall",
    "Allen",
    "Young",
    "Hernández",
    "King",
    "Wright",
    "Lopez",
    "Hill",
    "Scott",
    "Green",
    "Adams",
    "Baker",
    "Okafor",
];
const CITIES: [&str; 6] = [
    "Austin, TX 78701",
    "Columbus, OH 43215",
    "Denver, CO 80202",
    "Tampa, FL 33602",
    "Raleigh, NC 27601",
    "Phoenix, AZ 85004",
];

#[derive(Debug)]
pub struct Summary {
    pub companies: Vec<(String, Vec<String>)>,
    /// An API key of Acme with every scope (shown once; the demo keeps it
    /// in its data directory).
    pub acme_api_key: String,
}

/// Seed the demo companies if the database has none. Returns `None` when
/// data already exists.
/// The links of the welcome e-mails it sends carry the configured
/// `public_port` (the demo sets it to the port it serves on).
pub async fn seed(app: &App) -> Result<Option<Summary>, AppError> {
    if !companies::list(app.db.r()).await?.is_empty() {
        return Ok(None);
    }
    let pw = hash_password(DEMO_PASSWORD);
    let t = now();

    // ---- Acme Capital: a lender ----
    let acme = create_company(app, "acme", "Acme Capital", &["acme.localhost", "localhost", "127.0.0.1"]).await?;
    let mut s = default_settings(acme);
    s.from_address = "portal@acme.example".into();
    s.from_name = "Acme Capital Customer Care".into();
    s.announcement_short = "Our offices are closed on Thursday, November 26 for Thanksgiving. Online payments \
        made that day still post the same day."
        .into();
    s.announcement_page = "Holiday hours\n\nOur customer care team is away on Thursday, November 26 and \
        Friday, November 27. The portal stays open: you can review your accounts, download documents and \
        send us a message at any time, and we will answer on Monday, November 30.\n\nNew: paperless \
        statements\n\nFrom January, you can choose paperless statements under My Account. We will e-mail \
        you when a new statement is ready."
        .into();
    s.help_phone = "(800) 555-0142".into();
    s.help_email = "care@acme.example".into();
    s.help_hours = "Monday to Friday, 8 am to 6 pm Eastern".into();
    s.help_address = "Acme Capital LLC\n400 Congress Avenue, Suite 1200\nAustin, TX 78701".into();
    s.brand_color = "#1d4ed8".into();
    s.show_stage_status = true;
    companies::save_settings(app.db.w(), &s).await?;
    for (q, a) in [
        (
            "How do I make a payment?",
            "Open Payments, or select Pay on an account. Pay by card or from a bank account, today or on a date you choose; Pay Multiple pays several accounts at once, and AutoPay pays for you on a schedule. You can also call us at (800) 555-0142.",
        ),
        (
            "When is my payment due?",
            "Your due date is on your loan agreement and on every statement. If you need to move it, send us a message and we'll look at options with you.",
        ),
        (
            "Can I pay off my loan early?",
            "Yes. There is no prepayment penalty on Acme Capital loans. Ask us for a payoff quote and we will send the amount good through a date of your choice.",
        ),
        (
            "How do I change my e-mail address?",
            "Open My Account, enter your new address and your current password, and save. We'll tell your old address about the change.",
        ),
        (
            "Who can see my information?",
            "Only you and Acme Capital staff who service your account. When a staff member opens your portal to help you, it is recorded and shown under My Account.",
        ),
    ] {
        companies::insert_faq(app.db.w(), acme, q, a).await?;
    }
    let acme_admin =
        people::insert_staff(app.db.w(), acme, "admin@acme.example", "Alex Morgan", Role::Admin, Some(&pw), t).await?;
    people::insert_staff(app.db.w(), acme, "servicer@acme.example", "Sam Rivera", Role::Servicer, Some(&pw), t).await?;
    people::insert_staff(app.db.w(), acme, "viewer@acme.example", "Robin Chen", Role::ReadOnly, Some(&pw), t).await?;

    let jane = insert_contact(
        app,
        acme,
        NewContact {
            external_id: Some("CRM-100001".into()),
            customer_number: "AC-100001".into(),
            first_name: "Jane".into(),
            last_name: "Doe".into(),
            email: Some("jane.doe@example.com".into()),
            phone: Some("(512) 555-0199".into()),
            account_number: "ACM-2023-004518".into(),
            address: "1200 Barton Springs Rd\nAustin, TX 78704".into(),
            stage: "Servicing".into(),
            status: "Current".into(),
            customer_since: Some("2023-03-14".into()),
            ..Default::default()
        },
        Some(Identity { dob: "1979-06-02", ssn4: "4321" }),
    )
    .await?;
    insert_ready_user(app, acme, jane, "Jane", "Doe", "jane.doe@example.com", &pw, true, Some(2)).await?;
    let today = time::OffsetDateTime::now_utc().date();
    crate::demo::accounts::seed_jane(app, acme, jane, today).await?;
    crate::demo::payments::seed(app, acme, jane, today).await?;

    let newc = insert_contact(
        app,
        acme,
        NewContact {
            external_id: Some("CRM-100002".into()),
            customer_number: "AC-100002".into(),
            first_name: "Nora".into(),
            last_name: "Newcomb".into(),
            email: Some("new.customer@example.com".into()),
            phone: Some("(614) 555-0134".into()),
            account_number: "ACM-2026-011207".into(),
            address: "88 High Street\nColumbus, OH 43215".into(),
            stage: "Onboarding".into(),
            status: "Funded".into(),
            customer_since: Some("2026-11-02".into()),
            ..Default::default()
        },
        Some(Identity { dob: "1985-04-12", ssn4: "1234" }),
    )
    .await?;
    insert_ready_user(app, acme, newc, "Nora", "Newcomb", "new.customer@example.com", &pw, false, None).await?;
    crate::demo::accounts::seed_customer(app, acme, newc, 101, today).await?;

    let admin = people::staff_user(app.db.r(), acme, acme_admin).await?.ok_or(AppError::NotFound)?;
    let admin_ctx = Staff { company_id: acme, user: admin, role: Role::Admin, session_hash: String::new() };
    let origin = Origin { ip: "127.0.0.1".into(), user_agent: "portico demo".into() };
    let mut acme_logins = vec![
        "jane.doe@example.com (customer, onboarding done)".to_string(),
        "new.customer@example.com (customer, onboarding pending: DOB 1985-04-12, SSN last four 1234)".to_string(),
    ];
    for i in 0..23 {
        let first = FIRST[i % FIRST.len()];
        let last = LAST[(i * 7 + 3) % LAST.len()];
        let email = format!("{}.{}@example.net", username::base(first, ""), username::base("", last));
        let id = insert_contact(
            app,
            acme,
            NewContact {
                external_id: Some(format!("CRM-{}", 100_010 + i)),
                customer_number: format!("AC-{}", 100_010 + i),
                first_name: first.into(),
                last_name: last.into(),
                email: Some(email.clone()),
                phone: Some(format!("(555) 555-{:04}", 1000 + i * 37)),
                account_number: format!("ACM-20{}-{:06}", 22 + i % 5, 3000 + i * 131),
                address: format!("{} Main Street\n{}", 100 + i * 12, CITIES[i % CITIES.len()]),
                stage: ["Servicing", "Collections", "Servicing", "Paid off"][i % 4].into(),
                status: ["Current", "Past due 15", "Current", "Closed"][i % 4].into(),
                customer_since: Some(format!("20{}-{:02}-{:02}", 21 + i % 5, 1 + i % 12, 1 + i % 27)),
                ..Default::default()
            },
            Some(Identity {
                dob: &format!("19{}-{:02}-{:02}", 60 + i, 1 + i % 12, 1 + i % 28),
                ssn4: &format!("{:04}", 1000 + i * 311),
            }),
        )
        .await?;
        crate::demo::accounts::seed_customer(app, acme, id, i as u64, today).await?;
        match i % 4 {
            // Enrolled long ago and active.
            0 | 1 => {
                insert_ready_user(app, acme, id, first, last, &email, &pw, true, Some(1 + i as i64)).await?;
                if i == 0 {
                    acme_logins.push(format!("{email} (customer)"));
                }
            }
            // Enrolled through the console today: the welcome e-mail is in Sent mail.
            2 if i < 8 => {
                enroll::enroll(app, &admin_ctx, id, &origin).await?;
            }
            // Not enrolled yet: staff can "Create user".
            _ => {}
        }
    }
    // One deactivated portal user.
    let gone = insert_contact(
        app,
        acme,
        NewContact {
            external_id: Some("CRM-100099".into()),
            customer_number: "AC-100099".into(),
            first_name: "Victor".into(),
            last_name: "Inactive".into(),
            email: Some("victor.inactive@example.net".into()),
            account_number: "ACM-2021-000412".into(),
            stage: "Closed".into(),
            status: "Charged off".into(),
            customer_since: Some("2021-05-20".into()),
            ..Default::default()
        },
        None,
    )
    .await?;
    let gone_user =
        insert_ready_user(app, acme, gone, "Victor", "Inactive", "victor.inactive@example.net", &pw, true, Some(400))
            .await?;
    people::set_active(app.db.w(), UserTable::Portal, acme, gone_user, false).await?;

    // ---- Northwind Supply: a distributor ----
    let nw = create_company(app, "northwind", "Northwind Supply", &["northwind.localhost"]).await?;
    let mut s = default_settings(nw);
    s.from_address = "accounts@northwind.example".into();
    s.from_name = "Northwind Supply Accounts".into();
    s.announcement_short = "Winter catalogue is out: order by December 12 for delivery before the holidays.".into();
    s.announcement_page = "Winter catalogue\n\nOur winter catalogue adds 240 new items, including the full \
        Kestrel line of commercial kitchen equipment. Orders placed by December 12 ship before the holidays."
        .into();
    s.help_phone = "(206) 555-0110".into();
    s.help_email = "ar@northwind.example".into();
    s.help_hours = "Monday to Friday, 7 am to 5 pm Pacific".into();
    s.help_address = "Northwind Supply Co.\n2100 Western Avenue\nSeattle, WA 98121".into();
    s.brand_color = "#0f766e".into();
    // A distributor: no loans, leases or advances.
    s.sections = "announcement,help,faq".into();
    companies::save_settings(app.db.w(), &s).await?;
    for (q, a) in [
        (
            "How do I get a copy of an invoice?",
            "Invoices will be available in this portal soon. Until then, e-mail ar@northwind.example with the invoice number.",
        ),
        (
            "What are your payment terms?",
            "Standard terms are net 30 from the invoice date. Approved accounts may have other terms on their credit agreement.",
        ),
        (
            "Can several people at my company use the portal?",
            "Yes. Ask your account manager to enrol each buyer; everyone gets their own sign-in.",
        ),
    ] {
        companies::insert_faq(app.db.w(), nw, q, a).await?;
    }
    people::insert_staff(app.db.w(), nw, "admin@northwind.example", "Dana Whitfield", Role::Admin, Some(&pw), t)
        .await?;
    let buyer = insert_contact(
        app,
        nw,
        NewContact {
            external_id: Some("NW-C-2001".into()),
            customer_number: "NW-2001".into(),
            first_name: "Morgan".into(),
            last_name: "Blake".into(),
            email: Some("buyer@northwind.example".into()),
            phone: Some("(206) 555-0177".into()),
            account_number: "CUST-BLUEHARBOR".into(),
            address: "Blue Harbor Bistro\n17 Pier Way\nSeattle, WA 98101".into(),
            customer_since: Some("2019-08-01".into()),
            ..Default::default()
        },
        None,
    )
    .await?;
    insert_ready_user(app, nw, buyer, "Morgan", "Blake", "buyer@northwind.example", &pw, true, Some(5)).await?;
    let businesses = [
        "Copper Pot Kitchen",
        "Greenline Grocers",
        "Harbor Light Cafe",
        "Summit Catering",
        "Maple & Rye",
        "Tidewater Deli",
        "Juniper Hotel Group",
        "Red Alder Market",
        "Lakeside Diner",
        "Foxglove Bakery",
        "Cascade Brewing",
        "Orchard Street Foods",
        "Pioneer Square Grill",
        "Driftwood Inn",
        "Saltwater Oyster Bar",
        "Northgate Cafeteria",
        "Evergreen Schools Dining",
        "Riverbend Bistro",
        "Marigold Thai",
        "Bayview Hospital Food Service",
        "Olympic Pizza Co.",
        "Ballard Fish House",
        "Queen Anne Creamery",
        "Fremont Taqueria",
    ];
    for (i, b) in businesses.iter().enumerate() {
        let first = FIRST[(i * 5 + 1) % FIRST.len()];
        let last = LAST[(i * 3 + 2) % LAST.len()];
        let email = format!("{}@{}.example", username::base(first, ""), username::base(b, "").replace('.', ""));
        let id = insert_contact(
            app,
            nw,
            NewContact {
                external_id: Some(format!("NW-C-{}", 2010 + i)),
                customer_number: format!("NW-{}", 2010 + i),
                first_name: first.into(),
                last_name: last.into(),
                email: Some(email.clone()),
                account_number: format!("CUST-{:05}", 41000 + i * 17),
                address: format!("{b}\n{} Commerce St\nSeattle, WA 981{:02}", 300 + i * 9, i % 40),
                customer_since: Some(format!("20{}-{:02}-01", 15 + i % 10, 1 + i % 12)),
                ..Default::default()
            },
            None,
        )
        .await?;
        if i % 3 == 0 {
            insert_ready_user(app, nw, id, first, last, &email, &pw, true, Some(3 + i as i64)).await?;
        }
    }

    crate::demo::settlement::seed(app, acme, &pw).await?;
    crate::demo::documents::seed(app, acme, nw, jane, &pw).await?;
    crate::demo::tasks::seed(app, acme, nw, jane).await?;
    let admin = people::staff_by_email(app.db.r(), acme, "admin@acme.example").await?.map(|s| s.id).unwrap_or_default();
    let acme_api_key = crate::api_keys::demo_key(app, acme, admin).await?;
    Ok(Some(Summary {
        acme_api_key,
        companies: vec![
            (
                "Acme Capital — http://acme.localhost:PORT/ (also localhost and 127.0.0.1)".into(),
                [
                    acme_logins,
                    vec![
                        "admin@acme.example (staff admin, /staff)".into(),
                        "servicer@acme.example (staff servicer)".into(),
                        "viewer@acme.example (staff read-only)".into(),
                    ],
                ]
                .concat(),
            ),
            (
                "Northwind Supply — http://northwind.localhost:PORT/".into(),
                vec![
                    "buyer@northwind.example (customer)".into(),
                    "admin@northwind.example (staff admin, /staff)".into(),
                ],
            ),
        ],
    }))
}
