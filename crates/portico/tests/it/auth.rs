use crate::common::{PASSWORD, spawn};

const ACME: &str = "acme.localhost";
const NW: &str = "northwind.localhost";

#[tokio::test]
async fn unknown_host_is_404_and_headers_are_strict() {
    let t = spawn().await;
    let c = t.client();
    let r = c.get("unknown.localhost", "/login").await;
    assert_eq!(r.status, 404);
    assert!(!r.body.contains("Acme"), "no other company's portal");
    let r = c.get(ACME, "/login").await;
    assert_eq!(r.status, 200);
    let h = |k: &str| r.headers.get(k).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert!(h("content-security-policy").contains("script-src 'self'"));
    assert!(!h("content-security-policy").contains("unsafe-inline"));
    assert!(h("content-security-policy").contains("frame-ancestors 'none'"));
    assert_eq!(h("x-content-type-options"), "nosniff");
    assert_eq!(h("referrer-policy"), "same-origin");
    assert_eq!(h("cache-control"), "no-store");
    assert!(h("content-type").starts_with("text/html"));
    assert_eq!(c.get(ACME, "/healthz").await.body, "ok\n");
    let metrics = c.get("127.0.0.1", "/metrics").await;
    assert_eq!(metrics.status, 200);
    assert!(metrics.body.contains("portico_http_requests_total"), "{}", metrics.body);
    t.stop().await;
}

#[tokio::test]
async fn customer_signs_in_by_email_or_user_name_and_sees_dashboard() {
    let t = spawn().await;
    let c = t.client();
    let r = c.get(ACME, "/").await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location.as_deref(), Some("/login"));
    let r = c.sign_in(ACME, "Jane.Doe@Example.com", PASSWORD).await;
    assert_eq!((r.status, r.location.as_deref()), (303, Some("/")), "{}", r.body);
    let home = c.get(ACME, "/").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Welcome, Jane D."), "{}", home.body);
    assert!(home.body.contains("Customer ID AC-100001"));
    assert!(home.body.contains("Thanksgiving"), "announcement shown");
    assert!(home.body.contains("href=\"/faq\""), "quick action for an enabled section");

    let c2 = t.client();
    let r = c2.sign_in(ACME, "jane.doe", PASSWORD).await;
    assert_eq!(r.status, 303, "user name works too");
    let account = c2.get(ACME, "/account").await;
    assert!(account.body.contains("2 June 1979"), "date of birth decrypted for My Account");
    assert!(account.body.contains("ACM-2023-004518"));

    // Logout ends the session on the server.
    let token = c2.csrf(ACME, "/account").await;
    let r = c2.post_raw(ACME, "/logout", &[("csrf", &token)]).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.headers.get("clear-site-data").and_then(|v| v.to_str().ok()), Some("\"cache\", \"storage\""));
    assert_eq!(c2.get(ACME, "/").await.status, 303);
    t.stop().await;
}

#[tokio::test]
async fn wrong_passwords_are_counted_and_lock_briefly() {
    let t = spawn().await;
    let c = t.client();
    for i in 1..=4 {
        let r = c.sign_in(ACME, "jane.doe@example.com", "wrong-password").await;
        assert_eq!(r.status, 422, "attempt {i}");
        assert!(r.body.contains("not correct"), "{}", r.body);
        assert!(r.body.contains("value=\"jane.doe@example.com\""), "typed login kept");
    }
    let r = c.sign_in(ACME, "jane.doe@example.com", "wrong-password").await;
    assert!(r.body.contains("paused for 1 minute"), "{}", r.body);
    // Even the right password is refused while locked.
    let r = c.sign_in(ACME, "jane.doe@example.com", PASSWORD).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("paused"));
    assert!(t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'login.failed'").await >= 5);
    assert!(t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'login.refused'").await >= 1);
    // An unknown user gets the same answer as a wrong password.
    let r = c.sign_in(ACME, "nobody@example.com", "whatever-password").await;
    assert!(r.body.contains("The user name or password is not correct."));
    t.stop().await;
}

/// Issue 21 #3: after five wrong passwords an existing account and a name
/// that matches no account answer alike — text, status, and later tries.
#[tokio::test]
async fn a_paused_account_and_an_unknown_name_answer_alike() {
    let t = spawn().await;
    let answers = |login: &'static str| {
        let c = t.client();
        async move {
            let mut out = Vec::new();
            for _ in 0..7 {
                let r = c.sign_in(ACME, login, "wrong-password").await;
                let msg = match (r.body.find("paused for"), r.body.contains("not correct")) {
                    (Some(i), _) => r.body[i..].split('.').next().unwrap_or("").to_string(),
                    (None, true) => "not correct".to_string(),
                    (None, false) => "other".to_string(),
                };
                out.push((r.status, msg));
            }
            out
        }
    };
    let known = answers("jane.doe@example.com").await;
    let unknown = answers("nobody.here@example.com").await;
    assert_eq!(known, unknown, "indistinguishable");
    assert!(known[4].1.contains("paused"), "{:?}", known[4]);
    assert!(
        !t.text("SELECT key FROM login_throttle WHERE key LIKE 'login:%' LIMIT 1").await.contains("nobody"),
        "no typed name stored"
    );
    t.stop().await;
}

/// Issue 21 #2: `next` after sign-in is a path on this origin or nothing.
#[tokio::test]
async fn sign_in_never_redirects_off_the_origin() {
    let t = spawn().await;
    for (hostile, portal) in [
        ("%2F%09%2Fevil.example%2F", true),
        ("%2F%5Cevil.example", true),
        ("%2F%2Fevil.example", true),
        ("https%3A%2F%2Fevil.example", true),
        ("%2F%0A%2Fevil.example", true),
        ("%2Fstaff%2F%09%2Fevil.example", false),
    ] {
        let c = t.client();
        let (page, login, fields): (String, &str, Vec<(&str, &str)>) = if portal {
            (format!("/login?next={hostile}"), "/login", vec![("login", "jane.doe"), ("password", PASSWORD)])
        } else {
            (
                format!("/staff/login?next={hostile}"),
                "/staff/login",
                vec![("email", "admin@acme.example"), ("password", PASSWORD)],
            )
        };
        let form = c.get(ACME, &page).await;
        assert!(!form.body.contains("evil.example"), "{hostile}: not carried in the form");
        let token = crate::common::csrf_of(&form.body).unwrap();
        let next = crate::common::hidden(&form.body, "next");
        let mut all = vec![("csrf", token.as_str()), ("next", next.as_str())];
        all.extend(fields.iter().copied());
        let r = c.post_raw(ACME, login, &all).await;
        assert_eq!(r.status, 303, "{hostile}");
        let to = r.location.unwrap();
        assert!(to.starts_with('/') && !to.contains("evil") && !to.contains(['\t', '\\']), "{hostile} → {to:?}");
        // Posting the hostile value straight to the form is refused the same way.
        let c = t.client();
        let token = c.csrf(ACME, login).await;
        let raw = url::form_urlencoded::parse(format!("n={hostile}").as_bytes()).next().unwrap().1.into_owned();
        let mut all = vec![("csrf", token.as_str()), ("next", raw.as_str())];
        all.extend(fields.iter().copied());
        let r = c.post_raw(ACME, login, &all).await;
        let to = r.location.unwrap_or_default();
        assert!(!to.contains("evil"), "{hostile} posted → {to:?}");
    }
    t.stop().await;
}

#[tokio::test]
async fn sessions_are_bound_to_their_company() {
    let t = spawn().await;
    let c = t.client();
    assert_eq!(c.sign_in(ACME, "jane.doe@example.com", PASSWORD).await.status, 303);
    assert_eq!(c.get(ACME, "/").await.status, 200);
    let hash = t.text("SELECT token_hash FROM sessions WHERE kind = 'customer' LIMIT 1").await;
    assert_eq!(hash.len(), 64, "only the token's hash is stored");
    let r = c.get(NW, "/").await;
    assert_eq!(r.status, 303, "not signed in on another company's host");
    // Manual replay with an explicit Cookie header.
    let token = {
        let r = t.client();
        let resp = r.post(ACME, "/login", "/login", &[("login", "jane.doe"), ("password", PASSWORD)]).await;
        let set = resp
            .headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("portico="));
        set.unwrap().split(';').next().unwrap().to_string()
    };
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .resolve(NW, t.addr)
        .resolve(ACME, t.addr)
        .build()
        .unwrap();
    let on_acme = plain.get(c.url(ACME, "/")).header("cookie", &token).send().await.unwrap();
    assert_eq!(on_acme.status(), 200);
    let on_nw = plain.get(c.url(NW, "/")).header("cookie", &token).send().await.unwrap();
    assert_eq!(on_nw.status(), 303);
    t.stop().await;
}

#[tokio::test]
async fn state_changes_need_csrf_and_same_origin() {
    let t = spawn().await;
    let c = t.client();
    // No token at all.
    let r = c.post_raw(ACME, "/login", &[("login", "jane.doe"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("This form has expired"));
    // A token, but a foreign Origin.
    let token = c.csrf(ACME, "/login").await;
    let r = c
        .http
        .post(c.url(ACME, "/login"))
        .header("origin", "http://evil.example")
        .form(&[("csrf", token.as_str()), ("login", "jane.doe"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // A forged token.
    let r = c.post_raw(ACME, "/login", &[("csrf", "00ff"), ("login", "jane.doe"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, 403);
    // Same origin and a good token work.
    let r = c
        .http
        .post(c.url(ACME, "/login"))
        .header("origin", format!("http://{ACME}:{}", c.port))
        .form(&[("csrf", token.as_str()), ("login", "jane.doe"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    t.stop().await;
}

#[tokio::test]
async fn bad_form_posts_get_clear_errors_not_500s() {
    let t = spawn().await;
    let c = t.client();
    let token = c.csrf(ACME, "/login").await;
    let big = "x".repeat(70 * 1024);
    let r = c.post_raw(ACME, "/login", &[("csrf", &token), ("login", &big), ("password", "p")]).await;
    assert_eq!(r.status, 413);
    assert!(r.body.contains("Nothing was saved"));
    let r = c.post_raw(ACME, "/login", &[("csrf", &token), ("login", "a"), ("login", "b"), ("password", "p")]).await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("could not be read"));
    let r = c.post_raw(ACME, "/login", &[("csrf", &token), ("login", ""), ("password", "")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Enter your user name or e-mail and your password."));
    assert_eq!(c.get(ACME, "/no/such/page").await.status, 404);
    assert_eq!(c.get(ACME, "/set-password?token=nope").await.status, 400);
    t.stop().await;
}

#[tokio::test]
async fn onboarding_verifies_identity_and_locks_after_five_wrong_answers() {
    let t = spawn().await;
    let c = t.client();
    assert_eq!(c.sign_in(ACME, "new.customer@example.com", PASSWORD).await.status, 303);
    let r = c.get(ACME, "/").await;
    assert_eq!(r.location.as_deref(), Some("/onboarding"), "portal waits for onboarding");
    assert_eq!(c.get(ACME, "/account").await.location.as_deref(), Some("/onboarding"));
    let r = c.post(ACME, "/onboarding", "/onboarding", &[("dob", "1985-04-12"), ("ssn4", "9999")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("don't match"), "{}", r.body);
    assert!(r.body.contains("4 more tries"));
    assert!(r.body.contains("value=\"1985-04-12\""), "typed date kept");
    let r = c.post(ACME, "/onboarding", "/onboarding", &[("dob", "12/04/1985"), ("ssn4", "12")]).await;
    assert!(r.body.contains("last four digits"), "malformed SSN is a field error, not an attempt");
    let r = c.post(ACME, "/onboarding", "/onboarding", &[("dob", "1985-04-12"), ("ssn4", "1234")]).await;
    assert_eq!((r.status, r.location.as_deref()), (303, Some("/?m=verified")));
    assert!(c.get(ACME, "/").await.body.contains("Welcome, Nora N."));

    // A second customer, five wrong answers: locked, and the right answer no longer helps.
    let t2 = spawn().await;
    let c = t2.client();
    c.sign_in(ACME, "new.customer@example.com", PASSWORD).await;
    for _ in 0..5 {
        c.post(ACME, "/onboarding", "/onboarding", &[("dob", "1990-01-01"), ("ssn4", "0000")]).await;
    }
    let r = c.post(ACME, "/onboarding", "/onboarding", &[("dob", "1985-04-12"), ("ssn4", "1234")]).await;
    assert!(r.body.contains("verification is locked"), "{}", r.body);
    assert_eq!(c.get(ACME, "/").await.location.as_deref(), Some("/onboarding"));
    assert_eq!(t2.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'onboarding.verify_failed'").await, 5);
    t.stop().await;
    t2.stop().await;
}

#[tokio::test]
async fn contacts_without_identity_data_skip_verification() {
    let t = spawn().await;
    let c = t.client();
    assert_eq!(c.sign_in(NW, "buyer@northwind.example", PASSWORD).await.status, 303);
    let home = c.get(NW, "/").await;
    assert!(home.body.contains("Welcome, Morgan B."), "{}", home.body);
    assert!(home.body.contains("Northwind Supply"));
    t.stop().await;
}

#[tokio::test]
async fn my_account_changes_need_the_current_password_and_keep_input() {
    let t = spawn().await;
    let c = t.client();
    c.sign_in(ACME, "jane.doe", PASSWORD).await;
    let r = c
        .post(ACME, "/account", "/account/email", &[("email", "jane.new@example.com"), ("email_password", "nope")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("current password is not correct"));
    assert!(r.body.contains("value=\"jane.new@example.com\""));
    // Another portal user's address is refused by the unique index, as a field error.
    let taken =
        t.text("SELECT email FROM portal_users WHERE email <> 'jane.doe@example.com' ORDER BY id LIMIT 1").await;
    let r = c.post(ACME, "/account", "/account/email", &[("email", &taken), ("email_password", PASSWORD)]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("used by another account"));

    let r = c
        .post(
            ACME,
            "/account",
            "/account/password",
            &[("current_password", PASSWORD), ("new_password", "password123"), ("confirm", "password123")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("too common"), "{}", r.body);
    let r = c
        .post(
            ACME,
            "/account",
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "jane doe rocks 2026"),
                ("confirm", "jane doe rocks 2026"),
            ],
        )
        .await;
    assert!(r.body.contains("Don't use your name"), "{}", r.body);

    // A second device, then a password change that ends other sessions.
    let other = t.client();
    other.sign_in(ACME, "jane.doe", PASSWORD).await;
    let r = c
        .post(
            ACME,
            "/account",
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "violet tundra sings"),
                ("confirm", "violet tundra sings"),
                ("end_others", "1"),
            ],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/account?m=password-changed"), "{}", r.body);
    assert_eq!(other.get(ACME, "/").await.status, 303, "other session ended");
    assert_eq!(c.get(ACME, "/").await.status, 200, "this session stays");
    let (subject, _) =
        t.last_mail_to(&t.text("SELECT email FROM portal_users WHERE username = 'jane.doe'").await).await.unwrap();
    assert!(subject.contains("password was changed"), "{subject}");
    let fresh = t.client();
    assert_eq!(fresh.sign_in(ACME, "jane.doe", "violet tundra sings").await.status, 303);
    t.stop().await;
}

#[tokio::test]
async fn forgot_password_sends_a_single_use_link_where_enabled() {
    let t = spawn().await;
    let c = t.client();
    let r = c.post(ACME, "/forgot-password", "/forgot-password", &[("login", "jane.doe")]).await;
    assert_eq!(r.location.as_deref(), Some("/login?m=reset-sent"));
    // Unknown accounts get the same answer and no e-mail.
    let before = t.scalar("SELECT COUNT(*) FROM outbox_emails").await;
    let r = c.post(ACME, "/forgot-password", "/forgot-password", &[("login", "nobody")]).await;
    assert_eq!(r.location.as_deref(), Some("/login?m=reset-sent"));
    assert_eq!(t.scalar("SELECT COUNT(*) FROM outbox_emails").await, before);

    let (subject, body) = t.last_mail_to("jane.doe@example.com").await.expect("reset e-mail");
    assert!(subject.contains("Reset your Acme Capital portal password"));
    let link = crate::common::first_link(&body).expect("link");
    assert!(link.starts_with(&format!("http://acme.localhost:{}/set-password?token=", c.port)), "{link}");
    let path = link.split_once(&format!(":{}", c.port)).unwrap().1.to_string();
    assert_eq!(c.get(ACME, &path).await.status, 200);
    let r = c
        .post(
            ACME,
            &path,
            "/set-password",
            &[("token", path.split('=').nth(1).unwrap()), ("new_password", "short"), ("confirm", "short")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("at least 8 characters"));
    let token = path.split('=').nth(1).unwrap().to_string();
    let r = c
        .post(
            ACME,
            &path,
            "/set-password",
            &[("token", &token), ("new_password", "amber comet pillow"), ("confirm", "amber comet pillow")],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/login?m=password-set"));
    let again = c.get(ACME, &path).await;
    assert_eq!(again.status, 400, "single use");
    assert!(again.body.contains("already used"));
    assert_eq!(t.client().sign_in(ACME, "jane.doe", "amber comet pillow").await.status, 303);

    // Switched off: the page and the endpoint are gone.
    sqlx::query("UPDATE portal_settings SET forgot_password_enabled = 0").execute(t.db.w()).await.unwrap();
    assert_eq!(c.get(ACME, "/forgot-password").await.status, 404);
    assert!(!c.get(ACME, "/login").await.body.contains("href=\"/forgot-password\""));
    t.stop().await;
}

/// Issue 21 #7: behind TLS (`public_scheme = https`) every cookie the
/// server sets is `Secure` and `__Host-` prefixed, the session cookie of a
/// sign-in included.
#[tokio::test]
async fn every_cookie_is_secure_behind_tls() {
    let t = crate::common::spawn_with(|s| s.public_scheme = "https".into()).await;
    let http =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).resolve(ACME, t.addr).build().unwrap();
    let url = |p: &str| format!("http://{ACME}:{}{p}", t.addr.port());
    let cookies = |r: &reqwest::Response| -> Vec<String> {
        r.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect()
    };
    let mut seen = Vec::new();
    for page in ["/login", "/staff/login", "/forgot-password"] {
        let r = http.get(url(page)).send().await.unwrap();
        seen.extend(cookies(&r));
    }
    // A sign-in, sending the CSRF cookie back by hand (a cookie store
    // would not send a Secure cookie over this plain-HTTP test socket).
    let r = http.get(url("/login")).send().await.unwrap();
    let set = cookies(&r);
    let csrf_cookie = set[0].split(';').next().unwrap().to_string();
    let body = r.text().await.unwrap();
    let token = crate::common::csrf_of(&body).unwrap();
    let r = http
        .post(url("/login"))
        .header("cookie", &csrf_cookie)
        .form(&[("csrf", token.as_str()), ("login", "jane.doe"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303, "signed in");
    let session = cookies(&r);
    assert!(session.iter().any(|c| c.starts_with("__Host-portico=")), "{session:?}");
    seen.extend(session);
    assert!(!seen.is_empty());
    for c in &seen {
        let lower = c.to_ascii_lowercase();
        assert!(lower.contains("; secure"), "Secure: {c}");
        assert!(c.starts_with("__Host-"), "__Host- prefix: {c}");
        assert!(lower.contains("path=/") && !lower.contains("domain="), "{c}");
    }
    t.stop().await;
}

/// Issue 21 #4: a reset link is built from the company's primary domain and
/// the configured port, never from the request's `Host`.
#[tokio::test]
async fn reset_links_ignore_the_request_host() {
    let t = spawn().await;
    let c = t.client();
    let token = c.csrf(ACME, "/forgot-password").await;
    let r = c
        .http
        .post(c.url(ACME, "/forgot-password"))
        .header("host", "acme.localhost:6666")
        .form(&[("csrf", token.as_str()), ("login", "jane.doe")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let (_, body) = t.last_mail_to("jane.doe@example.com").await.expect("reset e-mail");
    let link = crate::common::first_link(&body).expect("link");
    let primary = t.text("SELECT host FROM domains WHERE company_id = 1 AND is_primary = 1").await;
    assert!(link.starts_with(&format!("http://{primary}:{}/set-password?token=", t.addr.port())), "{link}");
    assert!(!link.contains("6666"), "{link}");
    t.stop().await;
}
