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
    while let Ok(n) = portico_jobs::run_once(&t.app, &mailer).await {
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
    assert_eq!(portico_jobs::run_once(&t.app, &mailer).await.unwrap(), 0);

    // A server that isn't there: the e-mail stays pending with an error and a retry time.
    c.post("acme.localhost", "/forgot-password", "/forgot-password", &[("login", "jane.doe")]).await;
    let dead = portico_jobs::Mailer::from_url("smtp://127.0.0.1:1?tls=none").unwrap();
    tokio::time::timeout(Duration::from_secs(60), portico_jobs::run_once(&t.app, &dead)).await.unwrap().unwrap();
    assert_eq!(
        t.scalar(
            "SELECT COUNT(*) FROM outbox_emails WHERE status = 'pending' AND last_error IS NOT NULL AND attempts = 1"
        )
        .await,
        1
    );
    assert_eq!(portico_jobs::run_once(&t.app, &mailer).await.unwrap(), 0, "not due before its retry time");
    t.stop().await;
}

#[tokio::test]
async fn without_smtp_mail_is_captured_for_the_console() {
    let t = spawn().await;
    let n = portico_jobs::run_once(&t.app, &portico_jobs::Mailer::Capture(None)).await.unwrap();
    assert!(n >= 1, "the demo enrolled some contacts through the console");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM outbox_emails WHERE status <> 'captured'").await, 0);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM outbox_emails WHERE secret_sealed IS NOT NULL").await, 0, "erased");
    let staff = t.client();
    staff.staff_sign_in("acme.localhost", "admin@acme.example").await;
    let list = staff.get("acme.localhost", "/staff/mail").await;
    assert!(list.body.contains("No SMTP server is configured"));
    let id = t.scalar("SELECT MIN(id) FROM outbox_emails").await;
    let view = staff.get("acme.localhost", &format!("/staff/mail/{id}")).await;
    assert!(!view.body.contains("set-password?token="), "no usable link: {}", view.body);
    assert!(view.body.contains("single-use link, not shown — sent, expires"), "{}", view.body);
    t.stop().await;
}

/// docs/security.md 6.4.1: no screen, log or stored copy holds a usable
/// set-password link; the recipient's copy does; Sent mail can resend.
#[tokio::test]
async fn single_use_links_are_sealed_masked_and_resendable() {
    let t = spawn().await;
    let c = t.client();
    c.post("acme.localhost", "/forgot-password", "/forgot-password", &[("login", "jane.doe")]).await;
    let id = t.scalar("SELECT MAX(id) FROM outbox_emails WHERE kind = 'reset'").await;
    // The stored copy: a placeholder, and the link sealed (not readable).
    let (_, stored) = t.stored_mail_to("jane.doe@example.com").await.unwrap();
    assert!(!stored.contains("token="), "{stored}");
    let sealed = t.text(&format!("SELECT secret_sealed FROM outbox_emails WHERE id = {id}")).await;
    assert!(!sealed.contains("token="));
    let (_, delivered) = t.last_mail_to("jane.doe@example.com").await.unwrap();
    let link = delivered.lines().find(|l| l.contains("/set-password?token=")).expect("the recipient's copy").trim();

    // Every role that may read Sent mail sees it masked.
    for who in ["admin@acme.example", "servicer@acme.example", "viewer@acme.example"] {
        let staff = t.client();
        staff.staff_sign_in("acme.localhost", who).await;
        let view = staff.get("acme.localhost", &format!("/staff/mail/{id}")).await;
        assert_eq!(view.status, 200, "{who}");
        assert!(!view.body.contains("token="), "{who}: {}", view.body);
        assert!(view.body.contains("single-use link, not shown — to be sent"), "{who}");
        assert_eq!(view.body.contains("Resend with a new link"), who != "viewer@acme.example", "{who}");
    }

    // The read-only role can't resend (403, audited); a servicer can.
    let viewer = t.client();
    viewer.staff_sign_in("acme.localhost", "viewer@acme.example").await;
    let path = format!("/staff/mail/{id}");
    let r = viewer.post("acme.localhost", &path, &format!("{path}/resend"), &[]).await;
    assert_eq!(r.status, 403);
    assert!(
        t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'access.refused' AND detail LIKE '%/resend'").await
            >= 1
    );
    let servicer = t.client();
    servicer.staff_sign_in("acme.localhost", "servicer@acme.example").await;
    let r = servicer.post("acme.localhost", &path, &format!("{path}/resend"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let new_id = t.scalar("SELECT MAX(id) FROM outbox_emails WHERE kind = 'reset'").await;
    assert!(new_id > id);
    assert_eq!(r.location.as_deref(), Some(format!("/staff/mail/{new_id}?resent=1").as_str()));
    // The old link no longer works; the new one does.
    let old = c.get("acme.localhost", &link[link.find("/set-password").unwrap()..]).await;
    assert_eq!(old.status, 400, "the earlier link is spent");
    let (_, again) = t.last_mail_to("jane.doe@example.com").await.unwrap();
    let fresh = again.lines().find(|l| l.contains("/set-password?token=")).unwrap().trim();
    let page = c.get("acme.localhost", &fresh[fresh.find("/set-password").unwrap()..]).await;
    assert_eq!(page.status, 200);

    // Capture to a directory: the file has the link, the row no longer has
    // the sealed secret.
    let dir = tempfile_dir();
    portico_jobs::run_once(&t.app, &portico_jobs::Mailer::Capture(Some(dir.clone()))).await.unwrap();
    assert_eq!(
        t.scalar(&format!("SELECT COUNT(*) FROM outbox_emails WHERE id = {new_id} AND secret_sealed IS NULL")).await,
        1
    );
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains(&format!("{new_id:06}-reset")))
        .expect("captured file");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(fresh) && text.contains("To: jane.doe@example.com"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
    // Once handed over, a resend of the same row still works (a new link),
    // and the console says the link was sent.
    let view = servicer.get("acme.localhost", &format!("/staff/mail/{new_id}")).await;
    assert!(view.body.contains("single-use link, not shown — sent, expires"), "{}", view.body);
    t.stop().await;
}

fn tempfile_dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("portico-mail-{}", portico_app::crypto::random_token()));
    std::fs::create_dir_all(&d).unwrap();
    d
}
