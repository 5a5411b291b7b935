//! Tasks: staff assign → the portal lists them → the customer completes →
//! staff are told through the outbox; upload tasks complete on upload;
//! another customer's or company's task is 404 on every URL.
use crate::common::{PASSWORD, TestApp, spawn};

const ACME: &str = "acme.localhost";
const NW: &str = "northwind.localhost";

async fn jane(t: &TestApp) -> i64 {
    t.scalar("SELECT contact_id FROM portal_users WHERE username = 'jane.doe'").await
}

/// Another Acme customer who can sign in (e-mail login).
async fn other_acme_login(t: &TestApp) -> String {
    t.text(
        "SELECT u.email FROM portal_users u JOIN companies c ON c.id = u.company_id WHERE c.slug = 'acme' \
         AND u.active = 1 AND u.onboarded_at IS NOT NULL AND u.username <> 'jane.doe' ORDER BY u.id LIMIT 1",
    )
    .await
}

async fn mails_to(t: &TestApp, to: &str) -> i64 {
    t.scalar(&format!("SELECT COUNT(*) FROM outbox_emails WHERE to_addr = '{to}'")).await
}

#[tokio::test]
async fn assigned_task_is_completed_in_the_portal_and_staff_are_told() {
    let t = spawn().await;
    let jane_id = jane(&t).await;
    let staff = t.client();
    staff.staff_sign_in(ACME, "servicer@acme.example").await;
    let form = format!("/staff/contacts/{jane_id}/tasks/new");

    // Bad input: clear messages, the typed values kept, nothing stored.
    let before = t.scalar("SELECT COUNT(*) FROM tasks").await;
    let r = staff
        .post(
            ACME,
            &form,
            &form,
            &[("title", " "), ("instructions", "Keep these words"), ("due_on", "31/31/2031"), ("completion", "upload")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Enter a title"), "{}", r.body);
    assert!(r.body.contains("Enter the date as YYYY-MM-DD"));
    assert!(r.body.contains("Choose the type of document"));
    assert!(r.body.contains("Keep these words"));
    assert_eq!(t.scalar("SELECT COUNT(*) FROM tasks").await, before);

    let r = staff
        .post(
            ACME,
            &form,
            &form,
            &[
                ("title", "Sign the e-consent"),
                ("instructions", "Read it and confirm."),
                ("due_on", "2099-01-31"),
                ("completion", "acknowledge"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.location.unwrap().contains("m=task-assigned"));
    let task = t.scalar("SELECT MAX(id) FROM tasks").await;
    let (subject, body) = t.last_mail_to("jane.doe@example.com").await.unwrap();
    assert_eq!(subject, "You have a new task");
    assert!(body.contains("http://acme.localhost") && body.contains("/tasks"), "{body}");
    assert!(t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'task.assign'").await >= 1);

    // The portal: the task page and the dashboard list it as not done.
    let c = t.client();
    c.sign_in(ACME, "jane.doe", PASSWORD).await;
    let page = c.get(ACME, "/tasks").await;
    assert_eq!(page.status, 200);
    let row = &page.body[page.body.find(&format!("id=\"task-{task}\"")).unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("Sign the e-consent") && row.contains("task-no") && row.contains(">No</span>"), "{row}");
    assert!(row.contains(&format!("/tasks/{task}/complete")));
    let home = c.get(ACME, "/").await;
    assert!(home.body.contains("Outstanding tasks") && home.body.contains("Sign the e-consent"));

    // Staff confirmation and upload tasks can't be acknowledged.
    let upload_task = t
        .scalar(&format!(
            "SELECT id FROM tasks WHERE contact_id = {jane_id} AND completion = 'upload' AND completed_at IS NULL"
        ))
        .await;
    let r = c.post(ACME, "/tasks", &format!("/tasks/{upload_task}/complete"), &[]).await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("uploading the requested document"));

    // Complete.
    let staff_mails = mails_to(&t, "servicer@acme.example").await;
    let r = c.post(ACME, "/tasks", &format!("/tasks/{task}/complete"), &[]).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location.as_deref(), Some("/tasks?m=task-done"));
    let page = c.get(ACME, "/tasks?m=task-done").await;
    let row = &page.body[page.body.find(&format!("id=\"task-{task}\"")).unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("task-yes") && row.contains(">Yes</span>"), "{row}");
    assert_eq!(t.text(&format!("SELECT completed_by FROM tasks WHERE id = {task}")).await, "customer");
    // The staff member who assigned it is told, once, with a console link.
    assert_eq!(mails_to(&t, "servicer@acme.example").await, staff_mails + 1);
    let (subject, body) = t.last_mail_to("servicer@acme.example").await.unwrap();
    assert_eq!(subject, "Task completed by Jane Doe: Sign the e-consent");
    assert!(body.contains(&format!("/staff/contacts/{jane_id}")), "{body}");
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'task.complete' AND actor_kind = 'customer'").await,
        1
    );
    // A second submit changes nothing and tells no one again.
    assert_eq!(c.post(ACME, "/tasks", &format!("/tasks/{task}/complete"), &[]).await.status, 303);
    assert_eq!(mails_to(&t, "servicer@acme.example").await, staff_mails + 1);

    // Staff see it complete; reopen, confirm, delete are audited.
    let contact = staff.get(ACME, &format!("/staff/contacts/{jane_id}")).await;
    assert!(contact.body.contains("Sign the e-consent") && contact.body.contains("by the customer"));
    let r = staff.post(ACME, "/staff/tasks", &format!("/staff/tasks/{task}/reopen"), &[]).await;
    assert_eq!(r.status, 303);
    assert!(t.scalar(&format!("SELECT COUNT(*) FROM tasks WHERE id = {task} AND completed_at IS NULL")).await == 1);
    let r = staff.post(ACME, "/staff/tasks", &format!("/staff/tasks/{task}/confirm"), &[("back", "list")]).await;
    assert_eq!(r.location.as_deref(), Some("/staff/tasks?m=task-confirmed"));
    assert_eq!(t.text(&format!("SELECT completed_by FROM tasks WHERE id = {task}")).await, "staff");
    let r = staff.post(ACME, "/staff/tasks", &format!("/staff/tasks/{task}/delete"), &[]).await;
    assert_eq!(r.status, 303);
    assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM tasks WHERE id = {task}")).await, 0);
    for a in ["task.reopen", "task.confirm", "task.delete"] {
        assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{a}'")).await, 1, "{a}");
    }
    // The read-only role can look but not assign.
    let viewer = t.client();
    viewer.staff_sign_in(ACME, "viewer@acme.example").await;
    assert_eq!(viewer.get(ACME, "/staff/tasks").await.status, 200);
    assert_eq!(viewer.get(ACME, &form).await.status, 403);
    t.stop().await;
}

#[tokio::test]
async fn an_upload_completes_the_upload_task_in_the_same_transaction() {
    let t = spawn().await;
    let jane_id = jane(&t).await;
    let acme = t.scalar("SELECT id FROM companies WHERE slug = 'acme'").await;
    let (task, type_id) = sqlx::query_as::<_, (i64, i64)>(&format!(
        "SELECT id, document_type_id FROM tasks WHERE contact_id = {jane_id} AND completion = 'upload'"
    ))
    .fetch_one(t.db.r())
    .await
    .unwrap();
    let doc = t.scalar(&format!("SELECT MIN(id) FROM documents WHERE contact_id = {jane_id}")).await;
    // Another type completes nothing; a rolled-back upload completes nothing.
    let mut tx = t.db.begin().await.unwrap();
    portico_app::tasks::on_document_uploaded(&mut tx, acme, jane_id, type_id + 1000, doc).await.unwrap();
    portico_app::tasks::on_document_uploaded(&mut tx, acme, jane_id, type_id, doc).await.unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM tasks WHERE id = {task} AND completed_at IS NULL")).await, 1);
    let mut tx = t.db.begin().await.unwrap();
    portico_app::tasks::on_document_uploaded(&mut tx, acme, jane_id, type_id, doc).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(t.text(&format!("SELECT completed_by FROM tasks WHERE id = {task}")).await, "upload");
    assert_eq!(t.scalar(&format!("SELECT document_id FROM tasks WHERE id = {task}")).await, doc);
    let (subject, body) = t.last_mail_to("servicer@acme.example").await.unwrap();
    assert!(subject.starts_with("Task completed by Jane Doe"), "{subject}");
    assert!(body.contains("by uploading a document"));
    assert_eq!(t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'task.complete'").await, 1);
    t.stop().await;
}

#[tokio::test]
async fn someone_elses_task_is_404_on_every_url() {
    let t = spawn().await;
    let jane_id = jane(&t).await;
    let jane_task = t
        .scalar(&format!(
            "SELECT MIN(id) FROM tasks WHERE contact_id = {jane_id} AND completion = 'acknowledge' AND completed_at IS NULL"
        ))
        .await;
    let nw_task =
        t.scalar("SELECT t.id FROM tasks t JOIN companies c ON c.id = t.company_id WHERE c.slug = 'northwind'").await;
    let nw_contact = t.scalar("SELECT contact_id FROM tasks WHERE id = (SELECT MAX(id) FROM tasks WHERE company_id <> (SELECT id FROM companies WHERE slug = 'acme'))").await;

    // Another customer of the same company.
    let other = t.client();
    let login = other_acme_login(&t).await;
    assert_eq!(other.sign_in(ACME, &login, PASSWORD).await.status, 303);
    let r = other.post(ACME, "/tasks", &format!("/tasks/{jane_task}/complete"), &[]).await;
    assert_eq!(r.status, 404);
    assert!(!other.get(ACME, "/tasks").await.body.contains("Review the updated privacy notice"));
    // Another company's task, from Jane.
    let c = t.client();
    c.sign_in(ACME, "jane.doe", PASSWORD).await;
    assert_eq!(c.post(ACME, "/tasks", &format!("/tasks/{nw_task}/complete"), &[]).await.status, 404);
    assert_eq!(c.post(ACME, "/tasks", "/tasks/not-a-number/complete", &[]).await.status, 404);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM tasks WHERE completed_at IS NOT NULL AND completed_by = 'customer' AND completed_at > 0 AND id IN (SELECT id FROM tasks WHERE title <> 'Confirm your mailing address')").await, 0);

    // The console: another company's task and contact.
    let staff = t.client();
    staff.staff_sign_in(ACME, "admin@acme.example").await;
    for a in ["confirm", "reopen", "delete"] {
        let r = staff.post(ACME, "/staff/tasks", &format!("/staff/tasks/{nw_task}/{a}"), &[]).await;
        assert_eq!(r.status, 404, "{a}");
    }
    assert_eq!(staff.get(ACME, &format!("/staff/contacts/{nw_contact}/tasks/new")).await.status, 404);
    let r = staff
        .post(
            ACME,
            "/staff/tasks",
            &format!("/staff/contacts/{nw_contact}/tasks/new"),
            &[("title", "x"), ("completion", "acknowledge")],
        )
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM tasks WHERE id = {nw_task}")).await, 1);
    assert!(!staff.get(ACME, "/staff/tasks?status=all").await.body.contains("Sign the updated credit terms"));

    // Tasks is a section: switched off, its URLs are 404.
    let nw = t.client();
    nw.sign_in(NW, "buyer@northwind.example", PASSWORD).await;
    assert_eq!(nw.get(NW, "/tasks").await.status, 404);
    assert_eq!(nw.post(NW, "/", &format!("/tasks/{nw_task}/complete"), &[]).await.status, 404);

    // An Agent sees the tasks but can't complete them; the refusal is audited.
    let domain = t.scalar("SELECT id FROM domains WHERE host = 'acme.localhost'").await.to_string();
    let r = staff
        .post(
            ACME,
            &format!("/staff/contacts/{jane_id}"),
            &format!("/staff/contacts/{jane_id}/portal/login-as"),
            &[("domain_id", &domain)],
        )
        .await;
    staff.get(ACME, &r.location.unwrap()).await;
    let page = staff.get(ACME, "/tasks").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Only the customer can mark this done."));
    assert_eq!(staff.post(ACME, "/tasks", &format!("/tasks/{jane_task}/complete"), &[]).await.status, 403);
    assert_eq!(
        t.scalar(&format!("SELECT COUNT(*) FROM tasks WHERE id = {jane_task} AND completed_at IS NULL")).await,
        1
    );
    assert!(
        t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'access.refused' AND detail LIKE '%complete task%'")
            .await
            == 1
    );
    t.stop().await;
}
