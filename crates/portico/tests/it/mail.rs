//! Delivery through a real SMTP conversation on loopback.
use std::time::Duration;

use crate::common::{smtp_sink, spawn};

#[tokio::test]
async fn outbox_is_delivered_over_smtp_and_failures_retry() {
    let t = spawn().await;
    let (addr, received) = smtp_sink().await;
    let c = t.client();
    let r = c.post("acme.localhost", "/forgot-password", "/forgot-password", &[("login", "jane.doe")]).await;
    assert_eq!(r.status, 303);
    let pending = t.scalar("SELECT COUNT(*) FROM outbox_emails WHERE status = 'pending'").await;
    assert!(pending >= 1);

    let mailer = portico_jobs::Mailer::from_url(&format!("smtp://{addr}?tls=none")).unwrap();
    let mut sent = 0;
    while let Ok(n) = portico_jobs::run_once(&t.app.db, &mailer).await {
        if n == 0 {
            break;
        }
        sent += n;
    }
    assert_eq!(sent as i64, pending);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM outbox_emails WHERE status = 'sent'").await, pending);
    let msgs = received.lock().unwrap().clone();
    let reset =
        msgs.iter().find(|m| m.contains("Reset your Acme Capital portal password")).expect("reset e-mail received");
    assert!(reset.contains("To: jane.doe@example.com"));
    assert!(reset.contains("portal@acme.example"));
    assert!(reset.contains("set-password?token="), "link in the message");
    assert!(reset.contains("text/html"), "HTML alternative");
    // Sent e-mails are not sent again.
    assert_eq!(portico_jobs::run_once(&t.app.db, &mailer).await.unwrap(), 0);

    // A server that isn't there: the e-mail stays pending with an error and a retry time.
    c.post("acme.localhost", "/forgot-password", "/forgot-password", &[("login", "jane.doe")]).await;
    let dead = portico_jobs::Mailer::from_url("smtp://127.0.0.1:1?tls=none").unwrap();
    tokio::time::timeout(Duration::from_secs(60), portico_jobs::run_once(&t.app.db, &dead)).await.unwrap().unwrap();
    assert_eq!(
        t.scalar(
            "SELECT COUNT(*) FROM outbox_emails WHERE status = 'pending' AND last_error IS NOT NULL AND attempts = 1"
        )
        .await,
        1
    );
    assert_eq!(portico_jobs::run_once(&t.app.db, &mailer).await.unwrap(), 0, "not due before its retry time");
    t.stop().await;
}

#[tokio::test]
async fn without_smtp_mail_is_captured_for_the_console() {
    let t = spawn().await;
    let n = portico_jobs::run_once(&t.app.db, &portico_jobs::Mailer::Capture).await.unwrap();
    assert!(n >= 1, "the demo enrolled some contacts through the console");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM outbox_emails WHERE status <> 'captured'").await, 0);
    let staff = t.client();
    staff.staff_sign_in("acme.localhost", "admin@acme.example").await;
    let list = staff.get("acme.localhost", "/staff/mail").await;
    assert!(list.body.contains("No SMTP server is configured"));
    let id = t.scalar("SELECT MIN(id) FROM outbox_emails").await;
    let view = staff.get("acme.localhost", &format!("/staff/mail/{id}")).await;
    assert!(
        view.body.contains("<a href=\"http://acme.localhost:8080/set-password?token="),
        "clickable link: {}",
        view.body
    );
    t.stop().await;
}
