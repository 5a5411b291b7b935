//! `/api/v1` payments: API keys, problem details, idempotent retries.

use serde_json::Value;

use crate::common::{self, TestApp};

const ACME: &str = "acme.localhost";
const NW: &str = "northwind.localhost";

async fn new_key(t: &TestApp, host: &str, admin: &str) -> String {
    let s = t.client();
    s.staff_sign_in(host, admin).await;
    let r = s.post(host, "/staff/settings/api", "/staff/settings/api", &[("name", "CRM")]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let start = r.body.find("pk_").expect("the key is shown once");
    r.body[start..].split('<').next().unwrap().to_string()
}

struct Api {
    http: reqwest::Client,
    port: u16,
}

impl Api {
    fn new(t: &TestApp) -> Api {
        let http = reqwest::Client::builder()
            .resolve(ACME, t.addr)
            .resolve(NW, t.addr)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Api { http, port: t.addr.port() }
    }

    async fn call(
        &self,
        method: reqwest::Method,
        host: &str,
        path: &str,
        key: Option<&str>,
        idem: Option<&str>,
        body: Option<Value>,
    ) -> (u16, String, Value) {
        let mut rq = self.http.request(method, format!("http://{host}:{}{path}", self.port));
        if let Some(k) = key {
            rq = rq.bearer_auth(k);
        }
        if let Some(i) = idem {
            rq = rq.header("Idempotency-Key", i);
        }
        if let Some(b) = body {
            rq = rq.json(&b);
        }
        let r = rq.send().await.unwrap();
        let status = r.status().as_u16();
        let ct = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        let text = r.text().await.unwrap();
        (status, ct, serde_json::from_str(&text).unwrap_or(Value::Null))
    }
}

#[tokio::test]
async fn api_payments_are_idempotent_scoped_and_report_problems() {
    let t = common::spawn().await;
    let key = new_key(&t, ACME, "admin@acme.example").await;
    let api = Api::new(&t);
    let get = reqwest::Method::GET;
    let post = reqwest::Method::POST;

    // No key, a wrong key: 401 problem details.
    let (st, ct, body) = api.call(get.clone(), ACME, "/api/v1/payments", None, None, None).await;
    assert_eq!(st, 401);
    assert_eq!(ct, "application/problem+json");
    assert_eq!(body["status"], 401);
    let (st, _, _) = api.call(get.clone(), ACME, "/api/v1/payments", Some("pk_aaaaaaaaaaaa_nope"), None, None).await;
    assert_eq!(st, 401);
    let (st, _, body) = api.call(get.clone(), ACME, "/api/v1/nothing", Some(&key), None, None).await;
    assert_eq!((st, body["title"].as_str()), (404, Some("Not found")));

    // The customer's methods, then a payment.
    let (st, _, methods) =
        api.call(get.clone(), ACME, "/api/v1/accounts/LN-100234/payment-methods", Some(&key), None, None).await;
    assert_eq!(st, 200, "{methods}");
    let visa = methods["data"].as_array().unwrap().iter().find(|m| m["label"] == "Visa ending 4242").unwrap()["id"]
        .as_i64()
        .unwrap();
    let pay = serde_json::json!({ "account": "LN-100234", "method_id": visa, "amount": "12.34" });
    let (st, _, body) = api.call(post.clone(), ACME, "/api/v1/payments", Some(&key), None, Some(pay.clone())).await;
    assert_eq!(st, 400, "an Idempotency-Key is required: {body}");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM payments WHERE amount_cents = 1234").await, 0);

    // Five retries at once with one key: one payment, one charge; 201 then 200s.
    let idem = "crm-7f3c2a10-0001";
    let calls =
        (0..5).map(|_| api.call(post.clone(), ACME, "/api/v1/payments", Some(&key), Some(idem), Some(pay.clone())));
    let results = futures_util::future::join_all(calls).await;
    let refs: Vec<&str> = results.iter().map(|(_, _, b)| b["reference"].as_str().unwrap_or("?")).collect();
    assert!(refs.windows(2).all(|w| w[0] == w[1]), "{refs:?}");
    assert!(
        results.iter().all(|(s, _, _)| *s == 201 || *s == 200),
        "{:?}",
        results.iter().map(|r| r.0).collect::<Vec<_>>()
    );
    assert!(results.iter().any(|(s, _, _)| *s == 201));
    assert_eq!(results[0].2["status"], "completed");
    assert_eq!(results[0].2["items"][0]["account"], "LN-100234");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM payments WHERE amount_cents = 1234").await, 1);
    let stored = t.text("SELECT idempotency_key FROM payments WHERE amount_cents = 1234").await;
    assert_eq!(t.app.gateways.test.charge_count(&stored).await.unwrap(), 1);
    assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM transactions WHERE reference = '{}'", refs[0])).await, 1);
    // A later retry answers 200 with the same payment.
    let (st, _, body) =
        api.call(post.clone(), ACME, "/api/v1/payments", Some(&key), Some(idem), Some(pay.clone())).await;
    assert_eq!((st, body["reference"].as_str()), (200, Some(refs[0])));
    // The same key with another body: 422.
    let other = serde_json::json!({ "account": "LN-100234", "method_id": visa, "amount": "99.00" });
    let (st, ct, body) = api.call(post.clone(), ACME, "/api/v1/payments", Some(&key), Some(idem), Some(other)).await;
    assert_eq!((st, ct.as_str()), (422, "application/problem+json"), "{body}");
    // Bad amounts, unknown accounts, malformed JSON.
    let bad = serde_json::json!({ "account": "LN-100234", "method_id": visa, "amount": "1.234" });
    let (st, _, body) =
        api.call(post.clone(), ACME, "/api/v1/payments", Some(&key), Some("crm-0000-bad-amount"), Some(bad)).await;
    assert_eq!(st, 422);
    assert_eq!(body["errors"][0]["field"], "amount", "{body}");
    let nope = serde_json::json!({ "account": "XX-1", "method_id": visa, "amount": "1.00" });
    let (st, _, body) =
        api.call(post.clone(), ACME, "/api/v1/payments", Some(&key), Some("crm-0000-no-account"), Some(nope)).await;
    assert_eq!((st, body["errors"][0]["field"].as_str()), (422, Some("account")));
    let r = api
        .http
        .post(format!("http://{ACME}:{}/api/v1/payments", api.port))
        .bearer_auth(&key)
        .header("Idempotency-Key", "crm-0000-bad-json")
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);

    // Read it back; list by account.
    let (st, _, body) =
        api.call(get.clone(), ACME, &format!("/api/v1/payments/{}", refs[0]), Some(&key), None, None).await;
    assert_eq!((st, body["amount_cents"].as_i64()), (200, Some(1234)));
    let (st, _, body) = api.call(get.clone(), ACME, "/api/v1/payments?account=LN-100234", Some(&key), None, None).await;
    assert_eq!(st, 200);
    // The auth scheme is case-insensitive (RFC 9110; issue 21 #7).
    let r = api
        .http
        .get(format!("http://{ACME}:{}/api/v1/payments/{}", api.port, refs[0]))
        .header("authorization", format!("bearer {key}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(body["data"].as_array().unwrap().iter().any(|p| p["reference"] == refs[0]));

    // Another company's key: not valid here, and can't see Acme's payments at home.
    let nw_key = new_key(&t, NW, "admin@northwind.example").await;
    let (st, _, _) = api.call(get.clone(), ACME, "/api/v1/payments", Some(&nw_key), None, None).await;
    assert_eq!(st, 401);
    let (st, _, _) =
        api.call(get.clone(), NW, &format!("/api/v1/payments/{}", refs[0]), Some(&nw_key), None, None).await;
    assert_eq!(st, 404);
    let (st, _, body) = api.call(get.clone(), NW, "/api/v1/payments", Some(&nw_key), None, None).await;
    assert_eq!(st, 200);
    assert!(body["data"].as_array().unwrap().is_empty());
    let (st, _, _) =
        api.call(get.clone(), NW, "/api/v1/accounts/LN-100234/payment-methods", Some(&nw_key), None, None).await;
    assert_eq!(st, 404);

    // Revoked: refused from then on.
    let s = t.client();
    s.staff_sign_in(ACME, "admin@acme.example").await;
    let id = t
        .scalar(
            "SELECT id FROM api_keys WHERE company_id = (SELECT company_id FROM domains WHERE host = 'acme.localhost')",
        )
        .await;
    let r = s.post(ACME, "/staff/settings/api", &format!("/staff/settings/api/{id}/revoke"), &[]).await;
    assert_eq!(r.status, 303);
    let (st, _, _) = api.call(get, ACME, "/api/v1/payments", Some(&key), None, None).await;
    assert_eq!(st, 401);
    // Only a hash of the secret is stored.
    let secret = key.rsplit('_').next().unwrap();
    assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM api_keys WHERE secret_hash LIKE '%{secret}%'")).await, 0);
    assert!(
        t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'payment.submit' AND actor_kind = 'system'").await >= 1
    );
    t.stop().await;
}

/// Every `/api/v1` route as its rule says (docs/security.md, "API routes"):
/// a public route answers without a key; a key route answers 401 without a
/// key, with a revoked key and with another company's key on this
/// company's host, and serves a valid key; another company's key on its own
/// host gets 404 for this company's references and numbers. A route whose
/// placeholders this test can't fill fails it.
#[tokio::test]
async fn every_api_route_answers_as_the_table_says() {
    let t = common::spawn().await;
    let key = new_key(&t, ACME, "admin@acme.example").await;
    let nw_key = new_key(&t, NW, "admin@northwind.example").await;
    let revoked = new_key(&t, ACME, "admin@acme.example").await;
    let admin = t.client();
    admin.staff_sign_in(ACME, "admin@acme.example").await;
    let revoked_id = t.scalar("SELECT MAX(id) FROM api_keys").await;
    let r = admin.post(ACME, "/staff/settings/api", &format!("/staff/settings/api/{revoked_id}/revoke"), &[]).await;
    assert!(r.status < 400, "{}", r.status);
    let api = Api::new(&t);
    let acme = "(SELECT company_id FROM domains WHERE host = 'acme.localhost')";
    let reference = t.text(&format!("SELECT reference FROM payments WHERE company_id = {acme} LIMIT 1")).await;
    let number = t.text(&format!("SELECT number FROM accounts WHERE company_id = {acme} LIMIT 1")).await;
    let fill = |path: &str| path.replace("{reference}", &reference).replace("{number}", &number);
    let rules = portico_web::api_route_table();
    assert!(rules.len() >= 5);
    for r in &rules {
        let path = fill(&r.path);
        assert!(!path.contains('{'), "no id for {}", r.path);
        let method = reqwest::Method::from_bytes(r.method.as_str().as_bytes()).unwrap();
        let body = (r.method == axum::http::Method::POST).then(|| serde_json::json!({}));
        let call = |k: Option<&str>, host: &'static str| {
            let (m, p, b, k) = (method.clone(), path.clone(), body.clone(), k.map(str::to_string));
            let api = &api;
            async move { api.call(m, host, &p, k.as_deref(), Some("idem-route-walk"), b).await }
        };
        match r.access {
            portico_web::ApiAccess::Public => {
                assert_eq!(call(None, ACME).await.0, 200, "{} {path}", r.method);
            }
            portico_web::ApiAccess::Key => {
                assert_eq!(call(None, ACME).await.0, 401, "{} {path} without a key", r.method);
                assert_eq!(call(Some(&revoked), ACME).await.0, 401, "{} {path} with a revoked key", r.method);
                assert_eq!(call(Some(&nw_key), ACME).await.0, 401, "{} {path} with another company's key", r.method);
                let (st, ct, _) = call(Some(&key), ACME).await;
                let want = if r.method == axum::http::Method::POST { 422 } else { 200 };
                assert_eq!(st, want, "{} {path} with the company's key", r.method);
                assert!(ct.starts_with("application/json") || ct == "application/problem+json", "{ct}");
                if r.path.contains('{') {
                    assert_eq!(call(Some(&nw_key), NW).await.0, 404, "{} {path} from another company", r.method);
                }
            }
        }
    }
    t.stop().await;
}
