//! Messages, "Send a request", servicer notes, notifications and SMS:
//! round trips between the portal and the console, e-mails that link but
//! never carry a message, SMS verification, and 404 for another
//! customer's or company's ids on every URL.
use crate::common::{PASSWORD, TestApp, smtp_sink, spawn};

const ACME: &str = "acme.localhost";
const NW: &str = "northwind.localhost";

async fn staff_id(t: &TestApp, email: &str) -> i64 {
    t.scalar(&format!("SELECT id FROM staff_users WHERE email = '{email}'")).await
}

async fn unread_badge(c: &crate::common::Client) -> String {
    let b = c.get(ACME, "/messages/badge").await;
    assert_eq!(b.status, 200, "{}", b.body);
    b.body
}

#[tokio::test]
async fn message_round_trip_between_customer_and_staff() {
    let t = spawn().await;
    let sam = staff_id(&t, "servicer@acme.example").await;
    let robin = staff_id(&t, "viewer@acme.example").await;
    let c = t.client();
    c.sign_in(ACME, "jane.doe", PASSWORD).await;
    let start = t.scalar("SELECT COUNT(*) FROM messages WHERE author_kind = 'staff' AND read_at IS NULL AND company_id = (SELECT id FROM companies WHERE slug = 'acme')").await;
    assert_eq!(start, 1, "the demo has one unread reply");
    assert!(unread_badge(&c).await.contains(">1<span class=\"visually-hidden\"> unread</span>"));
    // Every portal page has the envelope that loads the count.
    assert!(c.get(ACME, "/tasks").await.body.contains("hx-get=\"/messages/badge\""));

    // Team: Sam is visible, Robin (hidden group) never is.
    let form = c.get(ACME, "/messages/new").await;
    assert!(form.body.contains("Sam Rivera"));
    assert!(!form.body.contains("Robin Chen"));
    let r = c
        .post(ACME, "/messages/new", "/messages", &[("to", &robin.to_string()), ("subject", "Hi"), ("body", "Hello")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Choose someone from your team"));

    // No body: a message beside the field, the subject kept, nothing stored.
    let before = t.scalar("SELECT COUNT(*) FROM messages").await;
    let r = c
        .post(ACME, "/messages/new", "/messages", &[("to", "company"), ("subject", "Kept subject"), ("body", "  ")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Write your message.") && r.body.contains("value=\"Kept subject\""));
    assert_eq!(t.scalar("SELECT COUNT(*) FROM messages").await, before);

    // An attachment of someone else's document is refused; nothing stored.
    let jane = t.scalar("SELECT contact_id FROM portal_users WHERE username = 'jane.doe'").await;
    let foreign = t.scalar(&format!("SELECT MIN(id) FROM documents WHERE contact_id <> {jane}")).await.to_string();
    let own = t.scalar(&format!("SELECT MIN(id) FROM documents WHERE contact_id = {jane}")).await.to_string();
    let r = c
        .post(
            ACME,
            "/messages/new",
            "/messages",
            &[("to", &sam.to_string()), ("subject", "Docs"), ("body", "Typed text stays"), ("attachments", &foreign)],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("You can only attach your own documents"));
    assert!(r.body.contains("Typed text stays"));
    assert_eq!(t.scalar("SELECT COUNT(*) FROM messages").await, before);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM conversations WHERE subject = 'Docs'").await, 0);

    // Send, with an own document attached.
    let r = c
        .post(
            ACME,
            "/messages/new",
            "/messages",
            &[
                ("to", &sam.to_string()),
                ("subject", "Loan question"),
                ("body", "SECRET-BODY-123 please call me"),
                ("attachments", &own),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let conv = t.scalar("SELECT MAX(id) FROM conversations").await;
    assert_eq!(r.location.as_deref(), Some(format!("/messages/{conv}?m=message-sent").as_str()));
    assert_eq!(t.scalar(&format!("SELECT staff_user_id FROM conversations WHERE id = {conv}")).await, sam);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM message_attachments").await, 1);
    // Sam is told with a link to the inbox, never the text.
    let (subject, body) = t.last_mail_to("servicer@acme.example").await.unwrap();
    assert_eq!(subject, "New message from Jane Doe");
    assert!(body.contains("http://acme.localhost:") && body.ends_with(&format!("/staff/inbox/{conv}")), "{body}");
    assert!(!body.contains("SECRET-BODY-123") && !subject.contains("SECRET"));

    // Staff inbox: listed, unread, filters.
    let staff = t.client();
    staff.staff_sign_in(ACME, "servicer@acme.example").await;
    let inbox = staff.get(ACME, "/staff/inbox").await;
    assert!(inbox.body.contains("Loan question") && inbox.body.contains("1 unread"));
    assert!(staff.get(ACME, "/staff/inbox?who=me").await.body.contains("Loan question"));
    assert!(!staff.get(ACME, "/staff/inbox?who=unassigned").await.body.contains("Loan question"));
    let view = staff.get(ACME, &format!("/staff/inbox/{conv}")).await;
    assert!(view.body.contains("SECRET-BODY-123"));
    assert!(view.body.contains(&format!("/staff/documents/{own}/download")), "attachment link");
    assert_eq!(
        t.scalar(&format!("SELECT COUNT(*) FROM messages WHERE conversation_id = {conv} AND read_at IS NULL")).await,
        0
    );
    // Reply: empty refused, then sent.
    let r =
        staff.post(ACME, &format!("/staff/inbox/{conv}"), &format!("/staff/inbox/{conv}/reply"), &[("body", "")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Write your message."));
    let r = staff
        .post(
            ACME,
            &format!("/staff/inbox/{conv}"),
            &format!("/staff/inbox/{conv}/reply"),
            &[("body", "REPLY-BODY-456")],
        )
        .await;
    assert_eq!(r.status, 303);
    let (subject, body) = t.last_mail_to("jane.doe@example.com").await.unwrap();
    assert_eq!(subject, "New message from Acme Capital");
    assert!(body.contains(&format!("/messages/{conv}")) && !body.contains("REPLY-BODY-456"), "{body}");
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'message.reply' AND actor_kind = 'staff'").await,
        1
    );

    // The customer: two unread now; the badge answers 204 while unchanged.
    assert!(unread_badge(&c).await.contains(">2<"));
    assert_eq!(c.get(ACME, "/messages/badge?n=2").await.status, 204);
    let list = c.get(ACME, "/messages").await;
    assert!(list.body.contains("Loan question") && list.body.contains("Sam Rivera"));
    let thread = c.get(ACME, &format!("/messages/{conv}")).await;
    assert!(thread.body.contains("REPLY-BODY-456") && thread.body.contains("Sam Rivera, Acme Capital"));
    assert!(thread.body.contains(&format!("/documents/{own}")));
    assert!(unread_badge(&c).await.contains(">1<"), "reading the conversation marks it read");

    // Close, then a customer reply reopens it.
    let r = staff.post(ACME, &format!("/staff/inbox/{conv}"), &format!("/staff/inbox/{conv}/close"), &[]).await;
    assert_eq!(r.status, 303);
    assert!(staff.get(ACME, "/staff/inbox?status=closed").await.body.contains("Loan question"));
    assert!(!staff.get(ACME, "/staff/inbox").await.body.contains("Loan question"));
    let r = c
        .post(ACME, &format!("/messages/{conv}"), &format!("/messages/{conv}/reply"), &[("body", "One more thing")])
        .await;
    assert_eq!(r.status, 303);
    assert!(staff.get(ACME, "/staff/inbox").await.body.contains("Loan question"));
    // Assign to nobody, then to an unknown staff member (refused).
    let r = staff
        .post(ACME, &format!("/staff/inbox/{conv}"), &format!("/staff/inbox/{conv}/assign"), &[("assignee", "none")])
        .await;
    assert_eq!(r.status, 303);
    assert!(staff.get(ACME, "/staff/inbox?who=unassigned").await.body.contains("Loan question"));
    let r = staff
        .post(ACME, &format!("/staff/inbox/{conv}"), &format!("/staff/inbox/{conv}/assign"), &[("assignee", "999999")])
        .await;
    assert_eq!(r.status, 400);
    for a in ["message.send", "message.close", "message.assign"] {
        assert!(t.scalar(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{a}'")).await >= 1, "{a}");
    }

    // Replies from a hidden staff member show as the company.
    sqlx::query(&format!("UPDATE conversations SET staff_user_id = {robin} WHERE id = {conv}"))
        .execute(t.db.w())
        .await
        .unwrap();
    let robin_c = t.client();
    robin_c.staff_sign_in(ACME, "admin@acme.example").await;
    sqlx::query(&format!(
        "INSERT INTO messages (company_id, conversation_id, author_kind, staff_user_id, body, created_at) \
         SELECT company_id, id, 'staff', {robin}, 'HIDDEN-AUTHOR', 1 FROM conversations WHERE id = {conv}"
    ))
    .execute(t.db.w())
    .await
    .unwrap();
    let thread = c.get(ACME, &format!("/messages/{conv}")).await;
    assert!(thread.body.contains("HIDDEN-AUTHOR") && !thread.body.contains("Robin Chen"));
    assert!(!c.get(ACME, "/messages").await.body.contains("Robin Chen"));

    // Staff start a conversation from the contact page.
    let r = staff
        .post(
            ACME,
            &format!("/staff/contacts/{jane}/messages/new"),
            &format!("/staff/contacts/{jane}/messages/new"),
            &[("subject", "Your documents"), ("body", "STAFF-START-789")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(c.get(ACME, "/messages").await.body.contains("Your documents"));
    t.stop().await;
}

#[tokio::test]
async fn the_new_message_e_mail_reaches_the_smtp_server_with_a_link_and_no_content() {
    let t = spawn().await;
    let (addr, received) = smtp_sink().await;
    let conv = t.scalar("SELECT MIN(id) FROM conversations WHERE subject = 'Question about my March payment'").await;
    let staff = t.client();
    staff.staff_sign_in(ACME, "servicer@acme.example").await;
    let r = staff
        .post(
            ACME,
            &format!("/staff/inbox/{conv}"),
            &format!("/staff/inbox/{conv}/reply"),
            &[("body", "PRIVATE-TEXT-42")],
        )
        .await;
    assert_eq!(r.status, 303);
    let mailer = portico_jobs::Mailer::from_url(&format!("smtp://{addr}?tls=none")).unwrap();
    while portico_jobs::run_once(&t.app, &mailer).await.unwrap() > 0 {}
    let msgs = received.lock().unwrap().clone();
    let mail = msgs.iter().find(|m| m.contains("New message from Acme Capital")).expect("notification delivered");
    assert!(mail.contains("To: jane.doe@example.com"));
    assert!(mail.contains(&format!("/messages/{conv}")), "a link to the conversation");
    assert!(!mail.contains("PRIVATE-TEXT-42"), "never the message itself");
    t.stop().await;
}

#[tokio::test]
async fn send_a_request_goes_to_the_from_address_and_optionally_the_inbox() {
    let t = spawn().await;
    let c = t.client();
    c.sign_in(ACME, "jane.doe", PASSWORD).await;
    let r = c.post(ACME, "/messages/request", "/messages/request", &[("subject", ""), ("body", "kept body")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Enter a subject.") && r.body.contains("kept body"));
    let convs = t.scalar("SELECT COUNT(*) FROM conversations").await;
    let r = c
        .post(
            ACME,
            "/messages/request",
            "/messages/request",
            &[("subject", "Change due date"), ("body", "To the 15th please")],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/messages?m=request-sent"));
    let (subject, body) = t.last_mail_to("portal@acme.example").await.unwrap();
    assert_eq!(subject, "Request from Jane Doe: Change due date");
    assert!(body.contains("To the 15th please") && body.contains("AC-100001"));
    assert_eq!(t.scalar("SELECT COUNT(*) FROM conversations").await, convs, "not kept by default (seed 001)");

    // The company chooses to keep requests as conversations (admins only).
    let servicer = t.client();
    servicer.staff_sign_in(ACME, "servicer@acme.example").await;
    assert_eq!(servicer.get(ACME, "/staff/groups").await.status, 403);
    let admin = t.client();
    admin.staff_sign_in(ACME, "admin@acme.example").await;
    let r = admin.post(ACME, "/staff/groups", "/staff/groups/requests", &[("keep", "1")]).await;
    assert_eq!(r.status, 303);
    let r = c
        .post(ACME, "/messages/request", "/messages/request", &[("subject", "Kept request"), ("body", "Please keep")])
        .await;
    let conv = t.scalar("SELECT MAX(id) FROM conversations").await;
    assert_eq!(r.location.as_deref(), Some(format!("/messages/{conv}?m=request-sent").as_str()));
    assert_eq!(t.text(&format!("SELECT kind FROM conversations WHERE id = {conv}")).await, "request");
    assert!(admin.get(ACME, "/staff/inbox").await.body.contains("Kept request"));
    assert_eq!(t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'request.send'").await, 2);
    t.stop().await;
}

#[tokio::test]
async fn notes_groups_and_the_customer_portal_note_type() {
    let t = spawn().await;
    let jane = t.scalar("SELECT contact_id FROM portal_users WHERE username = 'jane.doe'").await;
    let c = t.client();
    c.sign_in(ACME, "jane.doe", PASSWORD).await;
    let home = c.get(ACME, "/").await;
    assert!(home.body.contains("Thank you for setting up paperless statements"), "Customer Portal note shown");
    assert!(!home.body.contains("Do not refund"), "Internal note never shown");

    let staff = t.client();
    staff.staff_sign_in(ACME, "servicer@acme.example").await;
    let page = format!("/staff/contacts/{jane}");
    let r = staff.post(ACME, &page, &format!("{page}/notes"), &[("note_type", "Internal"), ("body", "")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Write the note."));
    let r = staff.post(ACME, &page, &format!("{page}/notes"), &[("note_type", "Made up"), ("body", "x")]).await;
    assert_eq!(r.status, 422);
    let r = staff.post(ACME, &page, &format!("{page}/notes"), &[("note_type", "Call"), ("body", "CALL-NOTE")]).await;
    assert_eq!(r.status, 303);
    let r = staff
        .post(ACME, &page, &format!("{page}/notes"), &[("note_type", "Customer Portal"), ("body", "PORTAL-NOTE")])
        .await;
    assert_eq!(r.status, 303);
    let home = c.get(ACME, "/").await;
    assert!(home.body.contains("PORTAL-NOTE") && !home.body.contains("CALL-NOTE"));
    let (new, old) = (home.body.find("PORTAL-NOTE").unwrap(), home.body.find("Thank you for setting up").unwrap());
    assert!(new < old, "newest note first");
    let note = t.scalar("SELECT id FROM notes WHERE body = 'PORTAL-NOTE'").await;
    let r = staff.post(ACME, &page, &format!("/staff/notes/{note}/delete"), &[]).await;
    assert_eq!(r.status, 303);
    assert!(!c.get(ACME, "/").await.body.contains("PORTAL-NOTE"));
    assert_eq!(t.scalar("SELECT COUNT(*) FROM audit_log WHERE action IN ('note.add', 'note.delete')").await, 3);
    // The dashboard shows the five latest portal notes.
    for i in 1..=5 {
        let body = format!("LATEST-{i}");
        let r = staff
            .post(ACME, &page, &format!("{page}/notes"), &[("note_type", "Customer Portal"), ("body", &body)])
            .await;
        assert_eq!(r.status, 303);
    }
    let home = c.get(ACME, "/").await;
    assert!((1..=5).all(|i| home.body.contains(&format!("LATEST-{i}"))));
    assert!(!home.body.contains("Thank you for setting up paperless statements"), "only the five latest");

    // Team: add Alex; a group hidden from customers hides him.
    let alex = staff_id(&t, "admin@acme.example").await;
    let r = staff.post(ACME, &page, &format!("{page}/team"), &[("staff_user_id", &alex.to_string())]).await;
    assert_eq!(r.status, 303);
    assert!(c.get(ACME, "/messages/new").await.body.contains("Alex Morgan"));
    let admin = t.client();
    admin.staff_sign_in(ACME, "admin@acme.example").await;
    let r = admin.post(ACME, "/staff/groups", "/staff/groups", &[("name", "Back office")]).await;
    assert_eq!(r.status, 422, "duplicate name");
    assert!(r.body.contains("exists already"));
    let r = admin.post(ACME, "/staff/groups", "/staff/groups", &[("name", "Supervisors"), ("hidden", "1")]).await;
    assert_eq!(r.status, 303);
    let g = t.scalar("SELECT id FROM staff_groups WHERE name = 'Supervisors'").await;
    let r = admin
        .post(ACME, "/staff/groups", &format!("/staff/groups/{g}"), &[("hidden", "1"), ("member", &alex.to_string())])
        .await;
    assert_eq!(r.status, 303);
    assert!(!c.get(ACME, "/messages/new").await.body.contains("Alex Morgan"));
    let r =
        c.post(ACME, "/messages/new", "/messages", &[("to", &alex.to_string()), ("subject", "s"), ("body", "b")]).await;
    assert_eq!(r.status, 422);
    let r = admin.post(ACME, "/staff/groups", &format!("/staff/groups/{g}/delete"), &[]).await;
    assert_eq!(r.status, 303);
    assert!(c.get(ACME, "/messages/new").await.body.contains("Alex Morgan"));
    let r = staff.post(ACME, &page, &format!("{page}/team/{alex}/remove"), &[]).await;
    assert_eq!(r.status, 303);
    assert!(!c.get(ACME, "/messages/new").await.body.contains("Alex Morgan"));
    for a in ["group.create", "group.add_member", "group.delete", "team.add", "team.remove"] {
        assert!(t.scalar(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{a}'")).await >= 1, "{a}");
    }
    t.stop().await;
}

#[tokio::test]
async fn sms_verification_preferences_and_the_sms_outbox() {
    let t = spawn().await;
    let c = t.client();
    c.sign_in(ACME, "jane.doe", PASSWORD).await;
    let page = c.get(ACME, "/account/notifications").await;
    assert_eq!(page.status, 200);
    // SMS needs a verified number.
    let r = c
        .post(
            ACME,
            "/account/notifications",
            "/account/notifications",
            &[("email_messages", "1"), ("sms_messages", "1")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Verify a mobile number"));
    let r = c.post(ACME, "/account/notifications", "/account/notifications/mobile", &[("mobile", "call me")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Use digits only") && r.body.contains("value=\"call me\""));
    let r =
        c.post(ACME, "/account/notifications", "/account/notifications/mobile", &[("mobile", "(512) 555-0199")]).await;
    assert_eq!(r.location.as_deref(), Some("/account/notifications?m=code-sent"));
    let body = t.text("SELECT body FROM outbox_sms WHERE kind = 'verify' ORDER BY id DESC LIMIT 1").await;
    assert_eq!(t.text("SELECT to_number FROM outbox_sms WHERE kind = 'verify'").await, "+15125550199");
    // The stored copy holds a placeholder; the code is sealed beside it.
    assert!(body.contains(portico_app::mail::SECRET_PLACEHOLDER), "{body}");
    let sealed = t.text("SELECT secret_sealed FROM outbox_sms WHERE kind = 'verify' ORDER BY id DESC LIMIT 1").await;
    let code = t.app.keys.open(&sealed).unwrap();
    assert!(code.len() == 6 && code.chars().all(|ch| ch.is_ascii_digit()), "{code}");
    assert!(!body.contains(&code), "no code in the stored copy: {body}");
    let stored = t.text("SELECT code_hash FROM contact_mobiles").await;
    assert!(!stored.contains(&code) && stored.len() == 64, "only an HMAC at rest");
    // Asking again at once is refused.
    let r = c.post(ACME, "/account/notifications", "/account/notifications/mobile", &[("mobile", "5125550199")]).await;
    assert_eq!(r.status, 422);
    // A wrong code counts; the right one verifies.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let r = c.post(ACME, "/account/notifications", "/account/notifications/mobile/verify", &[("code", wrong)]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("4 tries left"), "{}", r.body);
    let r = c.post(ACME, "/account/notifications", "/account/notifications/mobile/verify", &[("code", &code)]).await;
    assert_eq!(r.location.as_deref(), Some("/account/notifications?m=mobile-verified"));
    assert_eq!(t.text("SELECT verified_number FROM contact_mobiles").await, "+15125550199");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM contact_mobiles WHERE code_hash IS NULL").await, 1, "code spent");

    // Messages by SMS only, tasks by e-mail and SMS.
    let r = c
        .post(
            ACME,
            "/account/notifications",
            "/account/notifications",
            &[("sms_messages", "1"), ("email_tasks", "1"), ("sms_tasks", "1")],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/account/notifications?m=notifications-saved"));
    let jane_mails = t.scalar("SELECT COUNT(*) FROM outbox_emails WHERE to_addr = 'jane.doe@example.com'").await;
    let conv = t.scalar("SELECT MIN(id) FROM conversations").await;
    let staff = t.client();
    staff.staff_sign_in(ACME, "servicer@acme.example").await;
    staff
        .post(ACME, &format!("/staff/inbox/{conv}"), &format!("/staff/inbox/{conv}/reply"), &[("body", "SMS-SECRET")])
        .await;
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM outbox_emails WHERE to_addr = 'jane.doe@example.com'").await,
        jane_mails,
        "no e-mail for messages any more"
    );
    let sms = t.text("SELECT body FROM outbox_sms WHERE kind = 'notify_messages'").await;
    assert!(sms.contains("New message from Acme Capital") && !sms.contains("SMS-SECRET"), "{sms}");
    // The worker hands them to the default transport, which only records.
    let n = portico_jobs::sms::run_once(&t.app, &portico_jobs::sms::RecordOnly).await.unwrap();
    assert_eq!(n, 2);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM outbox_sms WHERE status = 'recorded'").await, 2);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM outbox_sms WHERE secret_sealed IS NOT NULL").await, 0, "code erased");
    // Staff see the SMS outbox; verification codes are masked.
    let list = staff.get(ACME, "/staff/sms").await;
    assert!(list.body.contains("+15125550199") && list.body.contains("Recorded (no SMS provider)"));
    assert!(!list.body.contains(&code));
    let id = t.scalar("SELECT MIN(id) FROM outbox_sms").await;
    let one = staff.get(ACME, &format!("/staff/sms/{id}")).await;
    assert!(one.body.contains("Number verification") && !one.body.contains(&code));

    // Expired and exhausted codes.
    sqlx::query("UPDATE contact_mobiles SET code_sent_at = 0").execute(t.db.w()).await.unwrap();
    c.post(ACME, "/account/notifications", "/account/notifications/mobile", &[("mobile", "+44 7700 900123")]).await;
    sqlx::query("UPDATE contact_mobiles SET code_expires_at = 1").execute(t.db.w()).await.unwrap();
    let r = c.post(ACME, "/account/notifications", "/account/notifications/mobile/verify", &[("code", "123456")]).await;
    assert!(r.body.contains("This code has expired"));
    sqlx::query("UPDATE contact_mobiles SET code_expires_at = 9999999999, code_attempts = 5")
        .execute(t.db.w())
        .await
        .unwrap();
    let r = c.post(ACME, "/account/notifications", "/account/notifications/mobile/verify", &[("code", "123456")]).await;
    assert!(r.body.contains("Too many wrong codes"));
    assert_eq!(t.text("SELECT verified_number FROM contact_mobiles").await, "+15125550199", "unchanged");
    // Removing the number switches SMS off.
    let r = c.post(ACME, "/account/notifications", "/account/notifications/mobile/remove", &[]).await;
    assert_eq!(r.status, 303);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM notification_prefs WHERE sms = 1").await, 0);
    for a in ["mobile.code_sent", "mobile.code_failed", "mobile.verified", "notifications.update", "mobile.removed"] {
        assert!(t.scalar(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{a}'")).await >= 1, "{a}");
    }
    t.stop().await;
}

#[tokio::test]
async fn other_customers_and_companies_ids_are_404_on_every_url() {
    let t = spawn().await;
    let jane = t.scalar("SELECT contact_id FROM portal_users WHERE username = 'jane.doe'").await;
    let jane_conv = t.scalar(&format!("SELECT MIN(id) FROM conversations WHERE contact_id = {jane}")).await;
    let nw = t.scalar("SELECT id FROM companies WHERE slug = 'northwind'").await;
    let nw_conv = t.scalar(&format!("SELECT MIN(id) FROM conversations WHERE company_id = {nw}")).await;
    let nw_note = t.scalar(&format!("SELECT MIN(id) FROM notes WHERE company_id = {nw}")).await;
    let nw_contact = t.scalar(&format!("SELECT MIN(contact_id) FROM conversations WHERE company_id = {nw}")).await;
    let nw_staff = t.scalar(&format!("SELECT MIN(id) FROM staff_users WHERE company_id = {nw}")).await;
    let nw_group: i64 = sqlx::query_scalar(&format!(
        "INSERT INTO staff_groups (company_id, name, hidden_from_customers, created_at) VALUES ({nw}, 'NW', 0, 1) RETURNING id"
    ))
    .fetch_one(t.db.w())
    .await
    .unwrap();
    let nw_sms: i64 = sqlx::query_scalar(&format!(
        "INSERT INTO outbox_sms (company_id, kind, to_number, body, status, next_attempt_at, created_at) \
         VALUES ({nw}, 'verify', '+15550000000', 'x', 'recorded', 1, 1) RETURNING id"
    ))
    .fetch_one(t.db.w())
    .await
    .unwrap();

    // Another Acme customer: Jane's conversation doesn't exist for them.
    let login = t
        .text(
            "SELECT u.email FROM portal_users u JOIN companies c ON c.id = u.company_id WHERE c.slug = 'acme' \
             AND u.active = 1 AND u.onboarded_at IS NOT NULL AND u.username <> 'jane.doe' ORDER BY u.id LIMIT 1",
        )
        .await;
    let other = t.client();
    assert_eq!(other.sign_in(ACME, &login, PASSWORD).await.status, 303);
    for id in [jane_conv, nw_conv] {
        assert_eq!(other.get(ACME, &format!("/messages/{id}")).await.status, 404);
        assert_eq!(other.get(ACME, &format!("/messages/{id}/live?v=x")).await.status, 404);
        let r = other.post(ACME, "/messages", &format!("/messages/{id}/reply"), &[("body", "intrusion")]).await;
        assert_eq!(r.status, 404);
    }
    assert!(!other.get(ACME, "/messages").await.body.contains("Question about my March payment"));
    assert!(!other.get(ACME, "/").await.body.contains("paperless statements"), "Jane's note isn't theirs");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM messages WHERE body = 'intrusion'").await, 0);
    assert_eq!(other.get(ACME, "/messages/abc").await.status, 404);

    // The console of Acme: Northwind's ids.
    let staff = t.client();
    staff.staff_sign_in(ACME, "admin@acme.example").await;
    for path in [
        format!("/staff/inbox/{nw_conv}"),
        format!("/staff/inbox/{nw_conv}/live?v=x"),
        format!("/staff/contacts/{nw_contact}/notes"),
        format!("/staff/contacts/{nw_contact}/messages/new"),
        format!("/staff/sms/{nw_sms}"),
    ] {
        assert_eq!(staff.get(ACME, &path).await.status, 404, "GET {path}");
    }
    for (path, fields) in [
        (format!("/staff/inbox/{nw_conv}/reply"), vec![("body", "x")]),
        (format!("/staff/inbox/{nw_conv}/assign"), vec![("assignee", "me")]),
        (format!("/staff/inbox/{nw_conv}/close"), vec![]),
        (format!("/staff/inbox/{nw_conv}/reopen"), vec![]),
        (format!("/staff/contacts/{nw_contact}/messages/new"), vec![("subject", "x"), ("body", "x")]),
        (format!("/staff/contacts/{nw_contact}/notes"), vec![("note_type", "General"), ("body", "x")]),
        (format!("/staff/notes/{nw_note}/delete"), vec![]),
        (format!("/staff/contacts/{nw_contact}/team"), vec![("staff_user_id", "1")]),
        (format!("/staff/contacts/{nw_contact}/team/{nw_staff}/remove"), vec![]),
        (format!("/staff/groups/{nw_group}"), vec![("hidden", "1")]),
        (format!("/staff/groups/{nw_group}/delete"), vec![]),
    ] {
        let r = staff.post(ACME, "/staff/inbox", &path, &fields).await;
        assert_eq!(r.status, 404, "POST {path}");
    }
    // A staff member of another company can't join an Acme team either.
    let r = staff
        .post(
            ACME,
            "/staff/inbox",
            &format!("/staff/contacts/{jane}/team"),
            &[("staff_user_id", &nw_staff.to_string())],
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM contact_team WHERE staff_user_id = {nw_staff}")).await, 0);
    assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM notes WHERE id = {nw_note}")).await, 1);
    assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM staff_groups WHERE id = {nw_group}")).await, 1);
    assert!(!staff.get(ACME, "/staff/inbox?status=all").await.body.contains("Invoice 4411"));
    assert!(!staff.get(ACME, "/staff/sms").await.body.contains("+15550000000"));

    // Messages switched off at Northwind: 404.
    let buyer = t.client();
    buyer.sign_in(NW, "buyer@northwind.example", PASSWORD).await;
    assert_eq!(buyer.get(NW, "/messages").await.status, 404);
    assert_eq!(buyer.get(NW, &format!("/messages/{nw_conv}")).await.status, 404);
    assert!(!buyer.get(NW, "/").await.body.contains("/messages/badge"), "no envelope without the section");

    // Polled fragments without a session stop the polling (286), and
    // don't extend a session.
    let anon = t.client();
    assert_eq!(anon.get(ACME, "/messages/badge").await.status, 286);
    assert_eq!(anon.get(ACME, "/staff/inbox/live").await.status, 286);
    let c = t.client();
    c.sign_in(ACME, "jane.doe", PASSWORD).await;
    let jane_user = "(SELECT id FROM portal_users WHERE username = 'jane.doe')";
    let seen = portico_app::now() - 120;
    sqlx::query(&format!("UPDATE sessions SET last_seen_at = {seen} WHERE portal_user_id = {jane_user}"))
        .execute(t.db.w())
        .await
        .unwrap();
    assert_eq!(c.get(ACME, "/messages/badge").await.status, 200);
    let q = format!("SELECT COUNT(*) FROM sessions WHERE portal_user_id = {jane_user} AND last_seen_at = {seen}");
    assert_eq!(t.scalar(&q).await, 1, "a poll doesn't extend the session");
    assert_eq!(c.get(ACME, "/messages").await.status, 200);
    assert_eq!(t.scalar(&q).await, 0, "a page view does");

    // An Agent reads messages but can't send, reply, or change notifications.
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
    let unread_before = t.scalar("SELECT COUNT(*) FROM messages WHERE read_at IS NULL").await;
    let view = staff.get(ACME, &format!("/messages/{jane_conv}")).await;
    assert_eq!(view.status, 200);
    assert!(view.body.contains("Agents can read the customer's messages"));
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM messages WHERE read_at IS NULL").await,
        unread_before,
        "agent views don't mark read"
    );
    let r = staff.post(ACME, "/messages", "/messages", &[("to", "company"), ("subject", "a"), ("body", "b")]).await;
    assert_eq!(r.status, 403);
    let r = staff.post(ACME, "/messages", &format!("/messages/{jane_conv}/reply"), &[("body", "b")]).await;
    assert_eq!(r.status, 403);
    let r = staff.post(ACME, "/messages", "/messages/request", &[("subject", "a"), ("body", "b")]).await;
    assert_eq!(r.status, 403);
    let r = staff.post(ACME, "/account/notifications", "/account/notifications", &[("email_tasks", "1")]).await;
    assert_eq!(r.status, 403);
    assert!(t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'access.refused'").await >= 4);
    t.stop().await;
}
