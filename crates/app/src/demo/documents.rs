//! Demo documents: Acme's and Northwind's document types, a few real PDFs
//! in Jane Doe's library (tied to her accounts), and a second onboarding
//! customer, Owen Upton (`owen.upton@example.com`, date of birth
//! 1990-07-21, SSN last four 5678), who must choose paper or paperless
//! statements and upload a proof of income before entering the portal.
//!
//! Acme requires "Proof of income" at onboarding, so every other Acme demo
//! customer already has one on file (and a statement delivery choice), and
//! they enter the portal as before.

use portico_store::documents::{self as store, DocumentSettings, NewDocument, TypeFields};
use portico_store::people::{self, NewContact};

use crate::demo::{Identity, insert_contact, insert_ready_user};
use crate::storage::Storage;
use crate::{App, AppError, now};

/// The onboarding demo customer of the documents journey.
pub const ONBOARDING_EMAIL: &str = "owen.upton@example.com";

fn ty(name: &str, visible: bool, upload: bool, download: bool, required: bool, agents: bool) -> TypeFields {
    TypeFields {
        name: name.into(),
        visible,
        customer_upload: upload,
        customer_download: download,
        required_at_onboarding: required,
        agent_download: agents,
    }
}

/// A one-page PDF with a title and lines of text (Helvetica, no embedded
/// fonts): small, valid, with a correct cross-reference table.
pub fn simple_pdf(title: &str, lines: &[&str]) -> Vec<u8> {
    fn esc(s: &str) -> String {
        s.chars()
            .filter(|c| c.is_ascii() && !c.is_ascii_control())
            .flat_map(|c| match c {
                '(' | ')' | '\\' => vec!['\\', c],
                _ => vec![c],
            })
            .collect()
    }
    let mut content = format!("BT /F1 18 Tf 72 740 Td ({}) Tj ET\n", esc(title));
    for (i, l) in lines.iter().enumerate() {
        content.push_str(&format!("BT /F1 11 Tf 72 {} Td ({}) Tj ET\n", 706 - 18 * i as i64, esc(l)));
    }
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
            .to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
    ];
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

struct DemoDoc<'a> {
    contact_id: i64,
    type_id: i64,
    account_id: Option<i64>,
    name: &'a str,
    data: Vec<u8>,
    esigned: bool,
    by_customer: bool,
    days_ago: i64,
}

async fn put(app: &App, company_id: i64, d: DemoDoc<'_>) -> Result<i64, AppError> {
    use sha2::Digest;
    let key = Storage::new_key(company_id);
    app.storage.put(&key, d.data.clone()).await?;
    let sha = hex::encode(sha2::Sha256::digest(&d.data));
    let id = store::insert(
        app.db.w(),
        company_id,
        &NewDocument {
            contact_id: d.contact_id,
            type_id: d.type_id,
            account_id: d.account_id,
            name: d.name,
            content_type: "application/pdf",
            size_bytes: d.data.len() as i64,
            sha256: &sha,
            object_key: &key,
            esigned: d.esigned,
            uploaded_by: if d.by_customer { "customer" } else { "demo" },
            portal_user_id: None,
            staff_user_id: None,
        },
        now() - d.days_ago * 86400,
    )
    .await?;
    Ok(id)
}

/// Seed document types, settings and documents (called from `demo::seed`).
pub async fn seed(app: &App, acme: i64, northwind: i64, jane: i64, password_hash: &str) -> Result<(), AppError> {
    let t = now();
    let db = app.db.w();
    store::save_settings(
        db,
        &DocumentSettings {
            company_id: acme,
            max_upload_bytes: store::DEFAULT_MAX_UPLOAD_BYTES,
            esigned_only: false,
            ask_statement_delivery: true,
            updated_at: t,
        },
    )
    .await?;
    let statements = store::insert_type(db, acme, &ty("Statements", true, false, true, false, true), t).await?;
    let contracts = store::insert_type(db, acme, &ty("Contracts", true, false, true, false, false), t).await?;
    let income = store::insert_type(db, acme, &ty("Proof of income", true, true, true, true, false), t).await?;
    let ident = store::insert_type(db, acme, &ty("Identification", true, true, true, false, false), t).await?;
    store::insert_type(db, acme, &ty("Underwriting notes", false, false, false, false, false), t).await?;

    // Jane's library, tied to her accounts.
    let accounts = portico_store::accounts::for_contact(app.db.r(), acme, jane, false).await?;
    let first = accounts.first().map(|a| (a.account.id, a.account.number.clone()));
    let second = accounts.get(1).map(|a| (a.account.id, a.account.number.clone())).or_else(|| first.clone());
    let (acct1, num1) = first.clone().map(|(i, n)| (Some(i), n)).unwrap_or((None, String::new()));
    let (acct2, num2) = second.map(|(i, n)| (Some(i), n)).unwrap_or((None, String::new()));
    let agreement = format!("Loan agreement {num1}");
    put(
        app,
        acme,
        DemoDoc {
            contact_id: jane,
            type_id: contracts,
            account_id: acct1,
            name: "Loan agreement (signed).pdf",
            data: simple_pdf(
                &agreement,
                &[
                    "Acme Capital LLC and Jane Doe agree to the terms below.",
                    "Signed electronically by Jane Doe on 14 March 2023.",
                    "Principal, rate and payment schedule: see your account summary in the portal.",
                ],
            ),
            esigned: true,
            by_customer: false,
            days_ago: 400,
        },
    )
    .await?;
    put(
        app,
        acme,
        DemoDoc {
            contact_id: jane,
            type_id: contracts,
            account_id: acct1,
            name: "Loan agreement (draft).pdf",
            data: simple_pdf(&agreement, &["DRAFT - not for signature.", "Superseded by the signed agreement."]),
            esigned: false,
            by_customer: false,
            days_ago: 402,
        },
    )
    .await?;
    put(
        app,
        acme,
        DemoDoc {
            contact_id: jane,
            type_id: statements,
            account_id: acct2,
            name: "Annual account summary 2025.pdf",
            data: simple_pdf(
                &format!("Annual account summary 2025 - {num2}"),
                &["Payments received in 2025: see Transactions in the portal.", "Interest paid is tax-reportable."],
            ),
            esigned: false,
            by_customer: false,
            days_ago: 30,
        },
    )
    .await?;
    put(
        app,
        acme,
        DemoDoc {
            contact_id: jane,
            type_id: statements,
            account_id: None,
            name: "Welcome to Acme Capital.pdf",
            data: simple_pdf(
                "Welcome to Acme Capital",
                &["Your customer portal is open day and night.", "Questions? Call (800) 555-0142."],
            ),
            esigned: false,
            by_customer: false,
            days_ago: 420,
        },
    )
    .await?;
    put(
        app,
        acme,
        DemoDoc {
            contact_id: jane,
            type_id: ident,
            account_id: None,
            name: "Driver license.pdf",
            data: simple_pdf("Identification - Jane Doe", &["Texas driver license, scanned copy."]),
            esigned: false,
            by_customer: true,
            days_ago: 410,
        },
    )
    .await?;

    // Every existing Acme customer has a proof of income and a statement
    // choice already, so only the new onboarding customer is asked.
    let all = people::search_contacts(app.db.r(), acme, "", 1000, 0).await?;
    for c in &all {
        let name = if c.id == jane { "Pay stub March 2023.pdf" } else { "Proof of income.pdf" };
        put(
            app,
            acme,
            DemoDoc {
                contact_id: c.id,
                type_id: income,
                account_id: None,
                name,
                data: simple_pdf(
                    &format!("Proof of income - {} {}", c.first_name, c.last_name),
                    &["Employer statement of earnings."],
                ),
                esigned: false,
                by_customer: true,
                days_ago: 300,
            },
        )
        .await?;
        let delivery = if c.id % 3 == 0 { "paper" } else { "paperless" };
        store::set_statement_delivery(db, acme, c.id, delivery, t - 300 * 86400).await?;
    }

    // The documents onboarding customer: verification, statement choice,
    // proof of income, then the portal.
    let owen = insert_contact(
        app,
        acme,
        NewContact {
            external_id: Some("CRM-100003".into()),
            customer_number: "AC-100003".into(),
            first_name: "Owen".into(),
            last_name: "Upton".into(),
            email: Some(ONBOARDING_EMAIL.into()),
            phone: Some("(303) 555-0161".into()),
            account_number: "ACM-2026-011342".into(),
            address: "2150 Larimer Street\nDenver, CO 80205".into(),
            stage: "Onboarding".into(),
            status: "Approved".into(),
            customer_since: Some("2026-11-20".into()),
            ..Default::default()
        },
        Some(Identity { dob: "1990-07-21", ssn4: "5678" }),
    )
    .await?;
    insert_ready_user(app, acme, owen, "Owen", "Upton", ONBOARDING_EMAIL, password_hash, false, None).await?;
    crate::demo::accounts::seed_customer(app, acme, owen, 103, time::OffsetDateTime::now_utc().date()).await?;

    // Northwind: invoices agents may download, purchase orders buyers send.
    let invoices = store::insert_type(db, northwind, &ty("Invoices", true, false, true, false, true), t).await?;
    store::insert_type(db, northwind, &ty("Purchase orders", true, true, true, false, true), t).await?;
    if let Some(buyer) = people::search_contacts(app.db.r(), northwind, "buyer@northwind.example", 1, 0).await?.first()
    {
        put(
            app,
            northwind,
            DemoDoc {
                contact_id: buyer.id,
                type_id: invoices,
                account_id: None,
                name: "Invoice INV-20417.pdf",
                data: simple_pdf(
                    "Northwind Supply - Invoice INV-20417",
                    &["Blue Harbor Bistro", "Total due: $1,284.50"],
                ),
                esigned: false,
                by_customer: false,
                days_ago: 12,
            },
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_pdfs_are_pdfs_with_a_valid_xref() {
        let pdf = simple_pdf("Title (1)", &["a line", "another"]);
        assert!(pdf.starts_with(b"%PDF-1.4"));
        let find = |needle: &[u8]| pdf.windows(needle.len()).position(|w| w == needle).unwrap();
        let tail = String::from_utf8(pdf[find(b"startxref")..].to_vec()).unwrap();
        let start: usize = tail.lines().nth(1).unwrap().parse().unwrap();
        assert!(pdf[start..].starts_with(b"xref"));
        let obj3 = find(b"3 0 obj");
        let xref = String::from_utf8(pdf[start..].to_vec()).unwrap();
        assert!(xref.contains(&format!("{obj3:010} 00000 n")));
        find(b"(Title \\(1\\)) Tj");
    }
}
