//! Webhooks against a real receiver: a Python HTTP server on loopback that
//! checks signatures with the `standardwebhooks` package from PyPI (not
//! Portico's code). Required when PORTICO_TEST_WEBHOOKS=1 (scripts/test.sh
//! sets it, with PORTICO_TEST_WEBHOOK_PYTHON); otherwise skipped with a note.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::common::{self, TestApp};

const ACME: &str = "acme.localhost";

struct Receiver {
    child: Child,
    port: u16,
    log: PathBuf,
    secret_file: PathBuf,
    dir: PathBuf,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Receiver {
    fn lines(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    fn set_secret(&self, s: &str) {
        std::fs::write(&self.secret_file, s).unwrap();
    }
}

fn python() -> Option<String> {
    if let Ok(p) = std::env::var("PORTICO_TEST_WEBHOOK_PYTHON") {
        return Some(p);
    }
    let home = std::env::var("HOME").ok()?;
    let p = format!("{home}/.cache/portico-webhooks/bin/python");
    std::path::Path::new(&p).exists().then_some(p)
}

fn receiver(py: &str, fail_first: u32, status: u16) -> Receiver {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("portico-hooks-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("log.jsonl");
    let secret_file = dir.join("secret");
    std::fs::write(&secret_file, "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/webhook_receiver.py");
    let mut child = Command::new(py)
        .arg(script)
        .arg("--secret-file")
        .arg(&secret_file)
        .arg("--log")
        .arg(&log)
        .args(["--fail-first", &fail_first.to_string(), "--status", &status.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("starting the receiver with {py}: {e}"));
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let port = line.trim().parse().unwrap_or_else(|_| panic!("receiver said {line:?}"));
    Receiver { child, port, log, secret_file, dir }
}

fn py_or_skip(test: &str) -> Option<String> {
    let required = std::env::var("PORTICO_TEST_WEBHOOKS").is_ok_and(|v| v == "1");
    let py = python();
    if py.is_none() {
        assert!(
            !required,
            "PORTICO_TEST_WEBHOOKS=1 but no Python with standardwebhooks (bash scripts/webhooks-venv.sh)"
        );
        eprintln!("SKIPPED {test}: no Python with standardwebhooks (bash scripts/webhooks-venv.sh)");
    }
    py
}

/// Add an endpoint in the console; the page shows its secret once.
async fn add_endpoint(t: &TestApp, admin: &crate::common::Client, url: &str, events: &[&str]) -> (i64, String) {
    let mut form = vec![("url", url), ("description", "CRM")];
    form.extend(events.iter().map(|e| ("event_types", *e)));
    let r = admin.post(ACME, "/staff/settings/webhooks", "/staff/settings/webhooks", &form).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let start = r.body.find("whsec_").expect("the secret is shown");
    let secret = r.body[start..].split('<').next().unwrap().to_string();
    (t.scalar("SELECT MAX(id) FROM webhook_endpoints").await, secret)
}

async fn send_all(t: &TestApp, http: &reqwest::Client) -> usize {
    portico_jobs::webhooks::run_once(&t.app, http, 20).await.unwrap()
}

/// Retries are due now (the test doesn't wait minutes).
async fn make_due(t: &TestApp) {
    sqlx::query("UPDATE webhook_deliveries SET next_attempt_at = 0 WHERE status = 'pending'")
        .execute(t.db.w())
        .await
        .unwrap();
}

async fn api_key(admin: &crate::common::Client) -> String {
    let form = [("name", "CRM"), ("scopes", "read"), ("scopes", "write")];
    let r = admin.post(ACME, "/staff/settings/api", "/staff/settings/api", &form).await;
    let start = r.body.find("pk_").unwrap();
    r.body[start..].split('<').next().unwrap().to_string()
}

async fn upsert(t: &TestApp, key: &str, external_id: &str) -> u16 {
    let http = reqwest::Client::builder().resolve(ACME, t.addr).build().unwrap();
    let body = serde_json::json!({"first_name": "Hook", "last_name": external_id});
    let url = format!("http://{ACME}:{}/api/v1/contacts/by-external-id/{external_id}", t.addr.port());
    http.put(url).bearer_auth(key).json(&body).send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn events_are_signed_retried_delivered_once_and_replayed() {
    let Some(py) = py_or_skip("events_are_signed_retried_delivered_once_and_replayed") else { return };
    let t = common::spawn().await;
    let rx = receiver(&py, 2, 204);
    let admin = t.client();
    admin.staff_sign_in(ACME, "admin@acme.example").await;
    let url = format!("http://127.0.0.1:{}/hooks", rx.port);
    let (endpoint, secret) = add_endpoint(&t, &admin, &url, &["contact.created"]).await;
    rx.set_secret(&secret);
    let key = api_key(&admin).await;

    // The change and its event are one transaction; an event the endpoint
    // didn't ask for is not queued.
    assert_eq!(upsert(&t, &key, "HOOK-1").await, 201);
    assert_eq!(upsert(&t, &key, "HOOK-1").await, 200, "unchanged: no event");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM webhook_deliveries").await, 1);

    // Two workers at once: one request. The receiver fails the first two.
    let http = portico_jobs::webhooks::client();
    let (a, b) = tokio::join!(send_all(&t, &http), send_all(&t, &http));
    assert_eq!(a + b, 1, "one sender per delivery");
    assert_eq!(rx.lines().len(), 1);
    let status = t.text("SELECT status FROM webhook_deliveries").await;
    assert_eq!(status, "pending", "retried after a 500");
    let next = t.scalar("SELECT next_attempt_at FROM webhook_deliveries").await;
    assert!(next > t.scalar("SELECT updated_at FROM webhook_deliveries").await, "retried later, not now");
    assert_eq!(send_all(&t, &http).await, 0, "not due yet");
    for _ in 0..2 {
        make_due(&t).await;
        send_all(&t, &http).await;
    }
    let got = rx.lines();
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got.iter().all(|l| l["verified"] == true), "every request verifies with standardwebhooks: {got:?}");
    assert!(got.iter().all(|l| l["id"] == got[0]["id"]), "retries keep the webhook-id");
    assert_eq!(got[2]["type"], "contact.created");
    assert_eq!(t.text("SELECT status FROM webhook_deliveries").await, "delivered");
    assert_eq!(t.scalar("SELECT attempts FROM webhook_deliveries").await, 3);
    assert_eq!(t.scalar("SELECT last_status FROM webhook_deliveries").await, 204);

    // The console's log, replay and a test event.
    let page = admin.get(ACME, &format!("/staff/settings/webhooks/{endpoint}")).await;
    assert!(page.body.contains("Delivered") && page.body.contains("contact.created"), "{}", page.body);
    let delivery = t.scalar("SELECT id FROM webhook_deliveries").await;
    let form_page = format!("/staff/settings/webhooks/{endpoint}");
    let r = admin.post(ACME, &form_page, &format!("/staff/settings/webhooks/deliveries/{delivery}/replay"), &[]).await;
    assert!(r.status < 400);
    let r = admin.post(ACME, &form_page, &format!("/staff/settings/webhooks/{endpoint}/test"), &[]).await;
    assert!(r.status < 400);
    send_all(&t, &http).await;
    let got = rx.lines();
    assert_eq!(got.len(), 5);
    // Sent side by side: in either order.
    assert!(got[3..].iter().any(|l| l["id"] == got[0]["id"]), "a replay is the same event: {got:?}");
    assert!(got[3..].iter().any(|l| l["type"] == "webhook.test"), "{got:?}");
    assert!(got.iter().all(|l| l["verified"] == true));

    // Rotation: both secrets sign for a day, so the receiver can switch.
    let r = admin.post(ACME, &form_page, &format!("/staff/settings/webhooks/{endpoint}/rotate"), &[]).await;
    let start = r.body.find("whsec_").unwrap();
    let new_secret = r.body[start..].split('<').next().unwrap().to_string();
    assert_ne!(new_secret, secret);
    admin.post(ACME, &form_page, &format!("/staff/settings/webhooks/{endpoint}/test"), &[]).await;
    send_all(&t, &http).await;
    rx.set_secret(&new_secret);
    admin.post(ACME, &form_page, &format!("/staff/settings/webhooks/{endpoint}/test"), &[]).await;
    send_all(&t, &http).await;
    let got = rx.lines();
    assert_eq!(got.len(), 7);
    assert_eq!((got[5]["verified"].as_bool(), got[6]["verified"].as_bool()), (Some(true), Some(true)));

    // Another company's endpoint ids are 404 in this console.
    let nw = t.client();
    nw.staff_sign_in("northwind.localhost", "admin@northwind.example").await;
    assert_eq!(nw.get("northwind.localhost", &format!("/staff/settings/webhooks/{endpoint}")).await.status, 404);

    // Secrets are sealed at rest; every console action is audited.
    let sealed = t.text("SELECT secret_sealed FROM webhook_endpoints").await;
    assert!(!sealed.contains("whsec_"));
    for action in ["webhook.add", "webhook.replay", "webhook.test", "webhook.rotate"] {
        assert!(t.scalar(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'")).await >= 1, "{action}");
    }
    t.stop().await;
}

#[tokio::test]
async fn a_gone_endpoint_is_stopped_and_a_failing_one_disabled_with_the_admins_told() {
    let Some(py) = py_or_skip("a_gone_endpoint_is_stopped_and_a_failing_one_disabled_with_the_admins_told") else {
        return;
    };
    let t = common::spawn().await;
    let admin = t.client();
    admin.staff_sign_in(ACME, "admin@acme.example").await;
    let key = api_key(&admin).await;
    let http = portico_jobs::webhooks::client();

    // 410 Gone: the endpoint turns off and its queue stops.
    let gone = receiver(&py, 0, 410);
    let (g, secret) = add_endpoint(&t, &admin, &format!("http://127.0.0.1:{}/h", gone.port), &["*"]).await;
    gone.set_secret(&secret);
    upsert(&t, &key, "GONE-1").await;
    upsert(&t, &key, "GONE-2").await;
    send_all(&t, &http).await;
    assert_eq!(t.scalar(&format!("SELECT active FROM webhook_endpoints WHERE id = {g}")).await, 0);
    assert_eq!(
        t.scalar(&format!("SELECT COUNT(*) FROM webhook_deliveries WHERE endpoint_id = {g} AND status = 'stopped'"))
            .await,
        2
    );

    // Failing for three days: disabled, and the administrators e-mailed.
    let failing = receiver(&py, 1000, 204);
    let (f, secret) = add_endpoint(&t, &admin, &format!("http://127.0.0.1:{}/h", failing.port), &["*"]).await;
    failing.set_secret(&secret);
    // A customer's sign-in is an event too.
    let jane = t.client();
    jane.sign_in(ACME, "jane.doe", "portico-demo").await;
    assert_eq!(t.scalar("SELECT COUNT(*) FROM webhook_events WHERE event_type = 'portal_user.login'").await, 1);
    upsert(&t, &key, "FAIL-1").await;
    send_all(&t, &http).await;
    assert_eq!(t.scalar(&format!("SELECT active FROM webhook_endpoints WHERE id = {f}")).await, 1, "one failure");
    sqlx::query(&format!("UPDATE webhook_endpoints SET failing_since = failing_since - 3 * 86400 - 1 WHERE id = {f}"))
        .execute(t.db.w())
        .await
        .unwrap();
    make_due(&t).await;
    send_all(&t, &http).await;
    assert_eq!(t.scalar(&format!("SELECT active FROM webhook_endpoints WHERE id = {f}")).await, 0);
    let (subject, text) = t.last_mail_to("admin@acme.example").await.expect("the admins are told");
    assert_eq!(subject, "A webhook endpoint was turned off");
    assert!(text.contains(&format!("127.0.0.1:{}", failing.port)), "{text}");
    // Turned on again by an administrator, it is sent to again.
    let page = format!("/staff/settings/webhooks/{f}");
    admin.post(ACME, &page, &format!("/staff/settings/webhooks/{f}/enable"), &[]).await;
    assert_eq!(t.scalar(&format!("SELECT active FROM webhook_endpoints WHERE id = {f}")).await, 1);
    t.stop().await;
}
