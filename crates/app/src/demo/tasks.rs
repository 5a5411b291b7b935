//! Demo tasks, messages, notes and staff groups.
//!
//! * Acme's staff groups: "Customer care" (Sam Rivera, visible) and
//!   "Back office" (Robin Chen, hidden from customers).
//! * Jane Doe's team: Sam Rivera and Robin Chen — Jane only sees Sam.
//! * Jane's tasks: one to acknowledge, one to upload a "Proof of income"
//!   (acknowledge when that type doesn't exist), one completed.
//! * A conversation with Sam with one unread reply; two notes, one
//!   "Customer Portal" (shown to Jane) and one "Internal" (never shown).
//! * Northwind's customer gets a task, a conversation and a note too, so
//!   isolation can be tried with real ids of another company.

use portico_domain::codes::{Author, CompletedBy, Completion, ConversationKind};
use portico_store::{documents, messages as msg, notes, people, tasks};

use crate::{App, AppError, now};

const DAY: i64 = 86_400;

pub async fn seed(app: &App, acme: i64, nw: i64, jane: i64) -> Result<(), AppError> {
    let db = app.db.w();
    let t = now();
    let staff = people::list_staff(app.db.r(), acme).await?;
    let by_email = |e: &str| staff.iter().find(|s| s.email == e).map(|s| s.id);
    let (Some(admin), Some(sam), Some(robin)) =
        (by_email("admin@acme.example"), by_email("servicer@acme.example"), by_email("viewer@acme.example"))
    else {
        return Ok(());
    };

    let care = msg::insert_group(db, acme, "Customer care", false, t).await?;
    msg::add_member(db, acme, care, sam).await?;
    let back = msg::insert_group(db, acme, "Back office", true, t).await?;
    msg::add_member(db, acme, back, robin).await?;
    msg::add_to_team(db, acme, jane, sam, t).await?;
    msg::add_to_team(db, acme, jane, robin, t).await?;

    let income = documents::types(app.db.r(), acme).await?.into_iter().find(|d| d.name == "Proof of income");
    let in_days = |d: i64| portico_domain::validate::iso_date(crate::accounts::today() + time::Duration::days(d));
    let due1 = in_days(7);
    tasks::insert(
        db,
        acme,
        &tasks::NewTask {
            contact_id: jane,
            title: "Review the updated privacy notice",
            instructions: "We updated how we handle your information. Please read the notice under Announcements, \
                           then mark this task as done.",
            due_on: Some(&due1),
            completion: Completion::Acknowledge,
            document_type_id: None,
            assigned_by: Some(sam),
        },
        t - 2 * DAY,
    )
    .await?;
    let due2 = in_days(14);
    let (completion, type_id, title, instructions) = match &income {
        Some(ty) => (
            Completion::Upload,
            Some(ty.id),
            "Upload your latest proof of income",
            "For your annual review, upload a recent pay stub or tax return under Documents, type \"Proof of income\". \
             The task completes by itself when you upload it.",
        ),
        None => (
            Completion::Acknowledge,
            None,
            "Send us your latest proof of income",
            "For your annual review, e-mail us a recent pay stub, then mark this task as done.",
        ),
    };
    tasks::insert(
        db,
        acme,
        &tasks::NewTask {
            contact_id: jane,
            title,
            instructions,
            due_on: Some(&due2),
            completion,
            document_type_id: type_id,
            assigned_by: Some(sam),
        },
        t - DAY,
    )
    .await?;
    let done = tasks::insert(
        db,
        acme,
        &tasks::NewTask {
            contact_id: jane,
            title: "Confirm your mailing address",
            instructions: "Check that the address on your account is correct.",
            due_on: None,
            completion: Completion::Acknowledge,
            document_type_id: None,
            assigned_by: Some(admin),
        },
        t - 40 * DAY,
    )
    .await?;
    tasks::complete(db, acme, done, CompletedBy::Customer, None, None, t - 38 * DAY).await?;

    let conv = msg::insert_conversation(
        db,
        acme,
        jane,
        "Question about my March payment",
        ConversationKind::Message,
        Some(sam),
        t - 3 * DAY,
    )
    .await?;
    let m1 = msg::insert_message(
        db,
        acme,
        conv,
        Author::Customer,
        None,
        "Hello, my March payment shows twice on my bank statement. Could you check whether it was taken twice?",
        t - 3 * DAY,
    )
    .await?;
    msg::mark_read(db, acme, conv, Author::Customer, t - 3 * DAY + 3600).await?;
    let _ = m1;
    msg::insert_message(
        db,
        acme,
        conv,
        Author::Staff,
        Some(sam),
        "Hello Jane, thank you for letting us know. I'm checking with our bank and will get back to you shortly.",
        t - 3 * DAY + 3600,
    )
    .await?;
    msg::mark_read(db, acme, conv, Author::Staff, t - 2 * DAY).await?;
    msg::insert_message(
        db,
        acme,
        conv,
        Author::Staff,
        Some(sam),
        "Good news: the payment was only taken once. The second line is a pending authorisation that your bank \
         releases within five business days.\n\nNothing else is needed from you.",
        t - 6 * 3600,
    )
    .await?;
    msg::touch(db, acme, conv, t - 6 * 3600).await?;

    notes::insert(
        db,
        acme,
        jane,
        notes::PORTAL_TYPE,
        "Thank you for setting up paperless statements. Your next statement will be available in the portal on the \
         1st of the month.",
        Some(sam),
        t - 5 * DAY,
    )
    .await?;
    notes::insert(
        db,
        acme,
        jane,
        "Internal",
        "Called about the duplicate March payment; bank confirmed a pending authorisation only. Do not refund.",
        Some(sam),
        t - 4 * DAY,
    )
    .await?;

    // Northwind: a few rows of another company.
    if let Some(buyer) = people::search_contacts(app.db.r(), nw, "", 10, 0).await?.into_iter().next() {
        let nw_admin = people::list_staff(app.db.r(), nw).await?.into_iter().next().map(|s| s.id);
        tasks::insert(
            db,
            nw,
            &tasks::NewTask {
                contact_id: buyer.id,
                title: "Sign the updated credit terms",
                instructions: "",
                due_on: None,
                completion: Completion::Acknowledge,
                document_type_id: None,
                assigned_by: nw_admin,
            },
            t - DAY,
        )
        .await?;
        let c = msg::insert_conversation(db, nw, buyer.id, "Invoice 4411", ConversationKind::Message, None, t - DAY)
            .await?;
        msg::insert_message(db, nw, c, Author::Customer, None, "Could you resend invoice 4411?", t - DAY).await?;
        notes::insert(db, nw, buyer.id, notes::PORTAL_TYPE, "Credit limit reviewed.", nw_admin, t - DAY).await?;
    }
    Ok(())
}
