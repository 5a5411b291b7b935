//! `/api/v1` payments: API keys, problem details, idempotent retries.

use serde_json::Value;

use crate::common::{self, TestApp};

const ACME: &str = "acme.localhost";
const NW: &str = "northwind.localhost";

/// A key with every scope.
async fn new_key(t: &TestApp, host: &str, admin: &str) -> String {
    new_key_with(t, host, admin, &["read", "write", "payments", "documents", "webhooks"], "").await
}

async fn new_key_with(t: &TestApp, host: &str, admin: &str, scopes: &[&str], rate: &str) -> String {
    let s = t.client();
    s.staff_sign_in(host, admin).await;
    let mut form = vec![("name", "CRM"), ("rate_per_minute", rate)];
    form.extend(scopes.iter().map(|c| ("scopes", *c)));
    let r = s.post(host, "/staff/settings/api", "/staff/settings/api", &form).await;
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
            "SELECT MAX(id) FROM api_keys WHERE company_id = (SELECT company_id FROM domains WHERE host = 'acme.localhost')",
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
    let contact = t.scalar(&format!("SELECT MIN(id) FROM contacts WHERE company_id = {acme}")).await;
    sqlx::query(&format!("UPDATE contacts SET external_id = 'EXT-1' WHERE id = {contact}"))
        .execute(t.db.w())
        .await
        .unwrap();
    let fill = |path: &str| {
        path.replace("{reference}", &reference)
            .replace("{number}", &number)
            .replace("{id}", &contact.to_string())
            .replace("{external_id}", "EXT-1")
    };
    let rules = portico_web::api_route_table();
    assert!(rules.len() >= 5);
    for r in &rules {
        let path = fill(&r.path);
        assert!(!path.contains('{'), "no id for {}", r.path);
        let method = reqwest::Method::from_bytes(r.method.as_str().as_bytes()).unwrap();
        let body = (r.method == axum::http::Method::POST || r.method == axum::http::Method::PUT)
            .then(|| serde_json::json!({}));
        let call = |k: Option<&str>, host: &'static str| {
            let (m, p, b, k) = (method.clone(), path.clone(), body.clone(), k.map(str::to_string));
            let api = &api;
            async move { api.call(m, host, &p, k.as_deref(), Some("idem-route-walk"), b).await }
        };
        match r.access {
            portico_web::ApiAccess::Public => {
                assert_eq!(call(None, ACME).await.0, 200, "{} {path}", r.method);
            }
            portico_web::ApiAccess::Key(scope) => {
                assert_eq!(call(None, ACME).await.0, 401, "{} {path} without a key", r.method);
                assert_eq!(call(Some(&revoked), ACME).await.0, 401, "{} {path} with a revoked key", r.method);
                assert_eq!(call(Some(&nw_key), ACME).await.0, 401, "{} {path} with another company's key", r.method);
                let (st, ct, _) = call(Some(&key), ACME).await;
                let writes = r.method == axum::http::Method::POST || r.method == axum::http::Method::PUT;
                let want = if writes { 422 } else { 200 };
                assert_eq!(st, want, "{} {path} with the company's key", r.method);
                assert!(ct.starts_with("application/json") || ct == "application/problem+json", "{ct}");
                if r.path.contains('{') && !writes {
                    assert_eq!(call(Some(&nw_key), NW).await.0, 404, "{} {path} from another company", r.method);
                }
                // A key without the route's scope: 403.
                let others: Vec<&str> = ["read", "write", "payments", "documents", "webhooks"]
                    .into_iter()
                    .filter(|c| *c != scope.code())
                    .collect();
                let lacking = new_key_with(&t, ACME, "admin@acme.example", &others, "").await;
                assert_eq!(
                    call(Some(&lacking), ACME).await.0,
                    403,
                    "{} {path} without the {} scope",
                    r.method,
                    scope.code()
                );
            }
        }
    }
    t.stop().await;
}

/// A CRM's contact sync: upsert by its own id (created, unchanged, updated),
/// ETag preconditions (412), identity data sealed and never echoed, lists in
/// change order with a cursor and `updated_since`, validation as problem
/// details with a field per error, scopes (403), another company (404),
/// racing creates of one id (one contact), and every call in the audit log.
#[tokio::test]
async fn contacts_are_upserted_by_external_id_and_listed_for_sync() {
    let t = common::spawn().await;
    let key = new_key(&t, ACME, "admin@acme.example").await;
    let read_only = new_key_with(&t, ACME, "admin@acme.example", &["read"], "").await;
    let nw_key = new_key(&t, NW, "admin@northwind.example").await;
    let api = Api::new(&t);
    let put = reqwest::Method::PUT;
    let get = reqwest::Method::GET;
    let body = serde_json::json!({
        "first_name": "Rita", "last_name": "Okafor", "email": "Rita.Okafor@Example.com",
        "phone": "555-0188", "date_of_birth": "1979-02-11", "ssn_last4": "4321", "stage": "Enrolled"
    });
    let path = "/api/v1/contacts/by-external-id/CRM-77";

    // Created, then the same body again: unchanged, same tag.
    let (st, _, created) = api.call(put.clone(), ACME, path, Some(&key), None, Some(body.clone())).await;
    assert_eq!(st, 201, "{created}");
    assert_eq!(created["result"], "created");
    let c = &created["contact"];
    assert_eq!(c["external_id"], "CRM-77");
    assert_eq!(c["customer_number"], "CRM-77", "defaults to the external id");
    assert_eq!(c["email"], "rita.okafor@example.com");
    assert_eq!(c["date_of_birth_on_file"], true);
    assert_eq!(c["ssn_last4_on_file"], true);
    assert!(c.get("date_of_birth").is_none() && c.get("ssn_last4").is_none(), "identity data is not echoed");
    let id = c["id"].as_i64().unwrap();
    let dob = t.text(&format!("SELECT dob_enc FROM contacts WHERE id = {id}")).await;
    assert!(!dob.contains("1979"), "the date of birth is sealed at rest");
    let (st, _, again) = api.call(put.clone(), ACME, path, Some(&key), None, Some(body.clone())).await;
    assert_eq!((st, again["result"].as_str()), (200, Some("unchanged")));
    assert_eq!(t.scalar("SELECT COUNT(*) FROM contacts WHERE external_id = 'CRM-77'").await, 1);

    // The tag from a read; a changed body with it updates, a stale one is 412.
    let r = api
        .http
        .get(format!("http://{ACME}:{}/api/v1/contacts/{id}", api.port))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    let tag = r.headers()["etag"].to_str().unwrap().to_string();
    let mut changed = body.clone();
    changed["stage"] = "Graduated".into();
    let r = api
        .http
        .put(format!("http://{ACME}:{}{path}", api.port))
        .bearer_auth(&key)
        .header("If-Match", &tag)
        .json(&changed)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let new_tag = r.headers()["etag"].to_str().unwrap().to_string();
    assert_ne!(new_tag, tag);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!((v["result"].as_str(), v["contact"]["stage"].as_str()), (Some("updated"), Some("Graduated")));
    let r = api
        .http
        .put(format!("http://{ACME}:{}{path}", api.port))
        .bearer_auth(&key)
        .header("If-Match", &tag)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 412, "a stale tag");
    let (_, _, now) = api.call(get.clone(), ACME, &format!("/api/v1/contacts/{id}"), Some(&key), None, None).await;
    assert_eq!(now["stage"], "Graduated", "the refused write changed nothing");
    // Leaving the identity data out removes it (PUT is the whole contact).
    let mut bare = changed.clone();
    bare.as_object_mut().unwrap().remove("ssn_last4");
    let (_, _, v) = api.call(put.clone(), ACME, path, Some(&key), None, Some(bare)).await;
    assert_eq!((v["result"].as_str(), v["contact"]["ssn_last4_on_file"].as_bool()), (Some("updated"), Some(false)));

    // Bad input: every field named, nothing written.
    let before = t.scalar("SELECT COUNT(*) FROM contacts").await;
    let bad = serde_json::json!({"first_name": "", "email": "not-an-email", "date_of_birth": "2999-01-01", "ssn_last4": "12"});
    let (st, ct, p) =
        api.call(put.clone(), ACME, "/api/v1/contacts/by-external-id/CRM-78", Some(&key), None, Some(bad)).await;
    assert_eq!((st, ct.as_str()), (422, "application/problem+json"));
    let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
    for f in ["first_name", "last_name", "email", "date_of_birth", "ssn_last4"] {
        assert!(fields.contains(&f), "{f} in {p}");
    }
    let unknown = serde_json::json!({"first_name": "A", "last_name": "B", "favourite_colour": "green"});
    let (st, _, _) =
        api.call(put.clone(), ACME, "/api/v1/contacts/by-external-id/CRM-78", Some(&key), None, Some(unknown)).await;
    assert_eq!(st, 422, "unknown fields are refused");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM contacts").await, before);

    // Scopes and companies.
    let (st, _, _) = api.call(put.clone(), ACME, path, Some(&read_only), None, Some(body.clone())).await;
    assert_eq!(st, 403, "a read-only key can't write");
    let (st, _, _) = api.call(get.clone(), ACME, path, Some(&read_only), None, None).await;
    assert_eq!(st, 200);
    let (st, _, _) = api.call(get.clone(), NW, &format!("/api/v1/contacts/{id}"), Some(&nw_key), None, None).await;
    assert_eq!(st, 404, "another company's contact");
    let (st, _, _) = api.call(get.clone(), NW, path, Some(&nw_key), None, None).await;
    assert_eq!(st, 404);

    // Racing creates of one new id make one contact.
    let racing = serde_json::json!({"first_name": "Ada", "last_name": "Race"});
    let calls = (0..6).map(|_| {
        api.call(put.clone(), ACME, "/api/v1/contacts/by-external-id/RACE-1", Some(&key), None, Some(racing.clone()))
    });
    let results = futures_util::future::join_all(calls).await;
    assert!(
        results.iter().all(|(st, _, _)| *st == 200 || *st == 201),
        "{:?}",
        results.iter().map(|r| r.0).collect::<Vec<_>>()
    );
    assert_eq!(results.iter().filter(|(st, _, _)| *st == 201).count(), 1);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM contacts WHERE external_id = 'RACE-1'").await, 1);

    // Incremental sync: pages in change order, then only what changed since.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let q = match &cursor {
            Some(c) => format!("/api/v1/contacts?limit=2&cursor={c}"),
            None => "/api/v1/contacts?limit=2".to_string(),
        };
        let (st, _, page) = api.call(get.clone(), ACME, &q, Some(&key), None, None).await;
        assert_eq!(st, 200, "{page}");
        let data = page["data"].as_array().unwrap();
        assert!(data.len() <= 2);
        seen.extend(data.iter().map(|c| c["id"].as_i64().unwrap()));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    let acme = "(SELECT company_id FROM domains WHERE host = 'acme.localhost')";
    assert_eq!(seen.len() as i64, t.scalar(&format!("SELECT COUNT(*) FROM contacts WHERE company_id = {acme}")).await);
    let mut sorted = seen.clone();
    sorted.dedup();
    assert_eq!(sorted.len(), seen.len(), "no contact twice");
    // The demo's contacts were last changed a while ago; CRM-77 just now.
    sqlx::query(
        "UPDATE contacts SET updated_at = updated_at - 3600 WHERE external_id <> 'CRM-77' OR external_id IS NULL",
    )
    .execute(t.db.w())
    .await
    .unwrap();
    let since = t.scalar("SELECT MAX(updated_at) FROM contacts").await;
    let since = time::OffsetDateTime::from_unix_timestamp(since).unwrap();
    let since = since.format(&time::format_description::well_known::Rfc3339).unwrap();
    let (_, _, page) =
        api.call(get.clone(), ACME, &format!("/api/v1/contacts?updated_since={since}"), Some(&key), None, None).await;
    let recent: Vec<i64> = page["data"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
    assert_eq!(recent, [id], "only what changed since");
    let (st, _, _) = api.call(get.clone(), ACME, "/api/v1/contacts?cursor=garbage", Some(&key), None, None).await;
    assert_eq!(st, 422);

    // Every call is in the audit log as the key, with route and status.
    let calls = t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'api.call' AND detail LIKE '%PUT /api/v1/contacts/by-external-id/{external_id} → 412%'").await;
    assert_eq!(calls, 1);
    assert!(t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'contact.create'").await >= 2);
    t.stop().await;
}

/// Over a key's rate the API answers 429 with Retry-After, and other keys
/// are not affected.
#[tokio::test]
async fn a_key_over_its_rate_gets_429() {
    let t = common::spawn().await;
    let slow = new_key_with(&t, ACME, "admin@acme.example", &["read"], "3").await;
    let other = new_key_with(&t, ACME, "admin@acme.example", &["read"], "").await;
    let api = Api::new(&t);
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let r = api
            .http
            .get(format!("http://{ACME}:{}/api/v1/contacts", api.port))
            .bearer_auth(&slow)
            .send()
            .await
            .unwrap();
        statuses.push((r.status().as_u16(), r.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string())));
    }
    assert_eq!(statuses.iter().filter(|s| s.0 == 200).count(), 3, "{statuses:?}");
    let limited: Vec<_> = statuses.iter().filter(|s| s.0 == 429).collect();
    assert_eq!(limited.len(), 2);
    assert!(limited.iter().all(|s| s.1.as_deref().and_then(|v| v.parse::<u64>().ok()).is_some_and(|v| v >= 1)));
    let (st, _, _) = api.call(reqwest::Method::GET, ACME, "/api/v1/contacts", Some(&other), None, None).await;
    assert_eq!(st, 200);
    t.stop().await;
}

/// The OpenAPI document describes every API route (and no other).
#[tokio::test]
async fn the_openapi_document_lists_every_route() {
    let t = common::spawn().await;
    let api = Api::new(&t);
    let (st, _, doc) = api.call(reqwest::Method::GET, ACME, "/api/v1/openapi.json", None, None, None).await;
    assert_eq!(st, 200);
    let mut documented = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for m in ops.as_object().unwrap().keys() {
            documented.push(format!("{} /api/v1{path}", m.to_uppercase()));
        }
    }
    let mut routed: Vec<String> = portico_web::api_route_table()
        .iter()
        .filter(|r| r.path != "/api/v1/openapi.json")
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    documented.sort();
    routed.sort();
    assert_eq!(documented, routed);
    t.stop().await;
}
