//! The server process dies between the gateway's charge and the database
//! commit (fault injection: PORTICO_TEST_CRASH_AFTER_CHARGE=1 aborts the
//! process right there). After a restart, the payment is neither lost nor
//! charged again: the customer's resubmission and the runner both recover
//! it from the gateway's record of the idempotency key.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use portico_app::payments::runner;

use crate::common::{self, PASSWORD};

const ACME: &str = "acme.localhost";

struct Server {
    child: Child,
    port: u16,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn start(db_url: &str, storage: &std::path::Path, crash: bool) -> Server {
    let port = free_port();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_portico"));
    cmd.arg("serve")
        .arg("--no-worker")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("PORTICO_DATABASE_URL", db_url)
        .env("PORTICO_SECRET_KEY", common::test_settings(db_url).secret_key.unwrap())
        .env("PORTICO_ADDR", format!("127.0.0.1:{port}"))
        .env("PORTICO_STORAGE_DIR", storage)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if crash {
        cmd.env("PORTICO_TEST_CRASH_AFTER_CHARGE", "1");
    }
    let mut child = cmd.spawn().expect("start portico");
    let http = reqwest::Client::new();
    for _ in 0..300 {
        if http.get(format!("http://127.0.0.1:{port}/healthz")).header("host", "acme.localhost").send().await.is_ok() {
            return Server { child, port };
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("portico did not start on {port}");
}

fn client(port: u16) -> common::Client {
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .resolve(ACME, addr)
        .build()
        .unwrap();
    common::Client { http, port }
}

use crate::common::hidden;

#[tokio::test]
async fn a_crash_between_charge_and_commit_neither_loses_nor_repeats_the_payment() {
    let db_url = common::fresh_database_url().await;
    let storage = std::env::temp_dir().join(format!("portico-crash-{}", std::process::id()));
    std::fs::create_dir_all(&storage).unwrap();
    let settings = common::test_settings(&db_url);
    let app = portico::build_app(&settings).await.expect("app");
    portico_app::demo::seed(&app).await.expect("seed");
    let db = portico_store::Db::connect(&db_url, 2).await.expect("the test's connection");
    let loan: i64 =
        sqlx::query_scalar("SELECT id FROM accounts WHERE number = 'LS-200871'").fetch_one(db.r()).await.unwrap();
    let visa: i64 =
        sqlx::query_scalar("SELECT id FROM payment_methods WHERE last4 = '4242'").fetch_one(db.r()).await.unwrap();
    let count = |sql: String| {
        let db = db.clone();
        async move { sqlx::query_scalar::<_, i64>(&sql).fetch_one(db.r()).await.unwrap() }
    };

    // 1. The customer pays; the process dies after the charge.
    let mut server = start(&db_url, &storage, true).await;
    let c = client(server.port);
    assert_eq!(c.sign_in(ACME, "jane.doe", PASSWORD).await.status, 303);
    let form = c.get(ACME, &format!("/accounts/{loan}/pay")).await;
    let key = hidden(&form.body, "key");
    let csrf = common::csrf_of(&form.body).unwrap();
    let (l, v, choice) = (loan.to_string(), visa.to_string(), format!("choice_{loan}"));
    let fields = [
        ("csrf", csrf.as_str()),
        ("mode", "one"),
        ("account", l.as_str()),
        (choice.as_str(), "next"),
        ("method", v.as_str()),
        ("key", key.as_str()),
    ];
    let sent = c.http.post(c.url(ACME, "/payments/confirm")).form(&fields).send().await;
    assert!(sent.is_err(), "the server died mid-request");
    let status = server.child.wait().unwrap();
    assert!(!status.success(), "aborted: {status:?}");
    assert_eq!(app.gateways.test.charge_count(&key).await.unwrap(), 1, "the gateway took the money");
    assert_eq!(
        count(format!("SELECT COUNT(*) FROM payments WHERE idempotency_key = '{key}' AND status = 'processing'")).await,
        1,
        "the payment is recorded as in flight, not lost"
    );
    let reference: String = sqlx::query_scalar("SELECT reference FROM payments WHERE idempotency_key = $1")
        .bind(&key)
        .fetch_one(db.r())
        .await
        .unwrap();
    assert_eq!(count(format!("SELECT COUNT(*) FROM transactions WHERE reference = '{reference}'")).await, 0);

    // 2. Restarted, the customer presses Pay again (same form, same key):
    // the outcome comes from the gateway's record; nothing is charged twice.
    let mut server = start(&db_url, &storage, false).await;
    let c = client(server.port);
    assert_eq!(c.sign_in(ACME, "jane.doe", PASSWORD).await.status, 303);
    let page = c.get(ACME, "/payments").await;
    let csrf = common::csrf_of(&page.body).unwrap();
    let mut fields2 = fields.to_vec();
    fields2[0] = ("csrf", csrf.as_str());
    // The lease of the dead request is still running: no one else acts on it yet.
    sqlx::query("UPDATE payments SET claimed_until = 0 WHERE idempotency_key = $1")
        .bind(&key)
        .execute(db.w())
        .await
        .unwrap();
    let r = c.post_raw(ACME, "/payments/confirm", &fields2).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location.as_deref(), Some(format!("/payments/{reference}").as_str()));
    assert_eq!(
        count(format!("SELECT COUNT(*) FROM payments WHERE reference = '{reference}' AND status = 'completed'")).await,
        1
    );
    assert_eq!(app.gateways.test.charge_count(&key).await.unwrap(), 1, "charged once");
    assert_eq!(
        count(format!("SELECT COUNT(*) FROM transactions WHERE reference = '{reference}'")).await,
        1,
        "posted once"
    );
    server.child.kill().ok();
    server.child.wait().ok();

    // 3. Again, but nobody comes back: the runner finds the payment whose
    // lease ran out and recovers it from the gateway.
    let mut server = start(&db_url, &storage, true).await;
    let c = client(server.port);
    assert_eq!(c.sign_in(ACME, "jane.doe", PASSWORD).await.status, 303);
    let form = c.get(ACME, &format!("/accounts/{loan}/pay")).await;
    let key2 = hidden(&form.body, "key");
    let csrf = common::csrf_of(&form.body).unwrap();
    let amount = format!("amount_{loan}");
    let fields = [
        ("csrf", csrf.as_str()),
        ("mode", "one"),
        ("account", l.as_str()),
        (choice.as_str(), "custom"),
        (amount.as_str(), "25.00"),
        ("method", v.as_str()),
        ("key", key2.as_str()),
    ];
    assert!(c.http.post(c.url(ACME, "/payments/confirm")).form(&fields).send().await.is_err());
    assert!(!server.child.wait().unwrap().success());
    let r2: String = sqlx::query_scalar("SELECT reference FROM payments WHERE idempotency_key = $1")
        .bind(&key2)
        .fetch_one(db.r())
        .await
        .unwrap();
    sqlx::query("UPDATE payments SET claimed_until = 0 WHERE idempotency_key = $1")
        .bind(&key2)
        .execute(db.w())
        .await
        .unwrap();
    let report = runner::run_once(&app).await.unwrap();
    assert_eq!(report.recovered, 1, "{report:?}");
    assert_eq!(
        count(format!("SELECT COUNT(*) FROM payments WHERE reference = '{r2}' AND status = 'completed'")).await,
        1
    );
    assert_eq!(app.gateways.test.charge_count(&key2).await.unwrap(), 1);
    assert_eq!(count(format!("SELECT COUNT(*) FROM transactions WHERE reference = '{r2}'")).await, 1);
    db.close().await;
    app.close().await;
    common::drop_database(&db_url).await;
    let _ = std::fs::remove_dir_all(&storage);
}
