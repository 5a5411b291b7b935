use crate::common::{PASSWORD, first_link, spawn};

const ACME: &str = "acme.localhost";

/// A demo contact at Acme with identity data but no portal user.
async fn unenrolled(t: &crate::common::TestApp) -> (i64, String) {
    let id = t
        .scalar(
            "SELECT c.id FROM contacts c JOIN companies co ON co.id = c.company_id LEFT JOIN portal_users u ON u.contact_id = c.id \
             WHERE co.slug = 'acme' AND u.id IS NULL AND c.dob_enc IS NOT NULL ORDER BY c.id LIMIT 1",
        )
        .await;
    let email = t.text(&format!("SELECT email FROM contacts WHERE id = {id}")).await;
    (id, email)
}

#[tokio::test]
async fn staff_enrol_a_contact_who_sets_a_password_from_the_welcome_email() {
    let t = spawn().await;
    let staff = t.client();
    staff.staff_sign_in(ACME, "admin@acme.example").await;
    let (id, email) = unenrolled(&t).await;
    let page = staff.get(ACME, &format!("/staff/contacts/{id}")).await;
    assert!(page.body.contains("Create user"));

    let r =
        staff.post(ACME, &format!("/staff/contacts/{id}"), &format!("/staff/contacts/{id}/portal/create"), &[]).await;
    assert_eq!(r.location.as_deref(), Some(format!("/staff/contacts/{id}?m=enrolled-welcome").as_str()));
    let page = staff.get(ACME, &format!("/staff/contacts/{id}?m=enrolled-welcome")).await;
    let username = t.text(&format!("SELECT username FROM portal_users WHERE contact_id = {id}")).await;
    assert!(page.body.contains(&username), "user name shown");
    assert!(page.body.contains("Welcome e-mail sent"));
    assert!(page.body.contains("Login as consumer"));
    // Enrolling twice is refused, nothing changes.
    let r =
        staff.post(ACME, &format!("/staff/contacts/{id}"), &format!("/staff/contacts/{id}/portal/create"), &[]).await;
    assert_eq!(r.status, 409);
    assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM portal_users WHERE contact_id = {id}")).await, 1);

    // The welcome e-mail is in the outbox (and in Sent mail) with a link.
    let (subject, body) = t.last_mail_to(&email).await.expect("welcome e-mail");
    assert_eq!(subject, "Welcome to the Acme Capital customer portal");
    assert!(body.contains(&username));
    let mail_page = staff.get(ACME, "/staff/mail").await;
    assert!(mail_page.body.contains(&email));
    let link = first_link(&body).unwrap();
    let path = link.split_once(&format!(":{}", staff.port)).unwrap().1.to_string();
    let token = path.split('=').nth(1).unwrap().to_string();

    let customer = t.client();
    let form = customer.get(ACME, &path).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains(&username));
    let r = customer
        .post(
            ACME,
            &path,
            "/set-password",
            &[("token", &token), ("new_password", "quiet lantern harbor 42"), ("confirm", "quiet lantern harbour 42")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("don't match"));
    let r = customer
        .post(
            ACME,
            &path,
            "/set-password",
            &[("token", &token), ("new_password", "quiet lantern harbor 42"), ("confirm", "quiet lantern harbor 42")],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/login?m=password-set"));
    assert_eq!(customer.get(ACME, &path).await.status, 400, "link used up");
    let r = customer.sign_in(ACME, &username, "quiet lantern harbor 42").await;
    assert_eq!(r.status, 303);
    assert_eq!(customer.get(ACME, "/").await.location.as_deref(), Some("/onboarding"));

    // "Reset password" sends a new welcome e-mail; the old link was used, the new one works.
    let r = staff
        .post(ACME, &format!("/staff/contacts/{id}"), &format!("/staff/contacts/{id}/portal/reset-password"), &[])
        .await;
    assert_eq!(r.location.as_deref(), Some(format!("/staff/contacts/{id}?m=welcome-sent").as_str()));
    assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM outbox_emails WHERE to_addr = '{email}'")).await, 2);

    // Deactivation ends the customer's sessions and blocks sign-in.
    let r = staff
        .post(ACME, &format!("/staff/contacts/{id}"), &format!("/staff/contacts/{id}/portal/deactivate"), &[])
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(customer.get(ACME, "/onboarding").await.status, 303, "session ended");
    let r = t.client().sign_in(ACME, &username, "quiet lantern harbor 42").await;
    assert!(r.body.contains("not active"), "{}", r.body);
    for action in ["portal.user.create", "portal.welcome.send", "portal.user.deactivate", "password.set"] {
        assert!(
            t.scalar(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND contact_id = {id}")).await
                >= 1,
            "{action}"
        );
    }
    t.stop().await;
}

#[tokio::test]
async fn read_only_staff_cannot_change_anything() {
    let t = spawn().await;
    let staff = t.client();
    staff.staff_sign_in(ACME, "viewer@acme.example").await;
    let (id, _) = unenrolled(&t).await;
    let page = staff.get(ACME, &format!("/staff/contacts/{id}")).await;
    assert!(!page.body.contains("Create user"));
    let r =
        staff.post(ACME, &format!("/staff/contacts/{id}"), &format!("/staff/contacts/{id}/portal/create"), &[]).await;
    assert_eq!(r.status, 403);
    assert_eq!(staff.get(ACME, "/staff/settings").await.status, 403);
    assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM portal_users WHERE contact_id = {id}")).await, 0);
    t.stop().await;
}

#[tokio::test]
async fn agent_mode_is_visible_view_only_and_audited() {
    let t = spawn().await;
    let staff = t.client();
    staff.staff_sign_in(ACME, "admin@acme.example").await;
    let jane = t.scalar("SELECT contact_id FROM portal_users WHERE username = 'jane.doe'").await;
    let domain = t.scalar("SELECT id FROM domains WHERE host = 'acme.localhost'").await.to_string();
    let r = staff
        .post(
            ACME,
            &format!("/staff/contacts/{jane}"),
            &format!("/staff/contacts/{jane}/portal/login-as"),
            &[("domain_id", &domain)],
        )
        .await;
    assert_eq!(r.status, 303);
    let enter = r.location.unwrap();
    assert!(enter.starts_with("/agent/enter?token="), "{enter}");
    let r = staff.get(ACME, &enter).await;
    assert_eq!(r.location.as_deref(), Some("/"));
    let home = staff.get(ACME, "/").await;
    assert!(home.body.contains("Agent mode"), "banner");
    assert!(home.body.contains("Alex Morgan"));
    assert_eq!(staff.get(ACME, &enter).await.status, 400, "agent link is single-use");

    // View only: no password or e-mail changes by default.
    let r = staff
        .post(
            ACME,
            "/account",
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "violet tundra sings"),
                ("confirm", "violet tundra sings"),
            ],
        )
        .await;
    assert_eq!(r.status, 403);
    let r = staff
        .post(ACME, "/account", "/account/email", &[("email", "agent.changed@example.com"), ("email_password", "")])
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(t.text("SELECT email FROM portal_users WHERE username = 'jane.doe'").await, "jane.doe@example.com");
    // The company can allow Agents to edit the e-mail; then it works and is attributed to the Agent.
    sqlx::query("UPDATE portal_settings SET agent_may_edit_profile = 1").execute(t.db.w()).await.unwrap();
    let r = staff
        .post(ACME, "/account", "/account/email", &[("email", "jane.d@example.com"), ("email_password", "")])
        .await;
    assert_eq!(r.location.as_deref(), Some("/account?m=email-changed"), "{}", r.body);
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'email.change' AND actor_kind = 'agent'").await,
        1
    );

    assert!(t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'agent.view'").await >= 2);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'agent.session.start'").await, 1);
    assert!(t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'access.refused'").await >= 2);

    // Exit returns to the console; the customer sees the visit.
    let token = staff.csrf(ACME, "/").await;
    let r = staff.post_raw(ACME, "/agent/exit", &[("csrf", &token)]).await;
    assert_eq!(r.location.as_deref(), Some(format!("/staff/contacts/{jane}?m=agent-ended").as_str()));
    let jane_browser = t.client();
    jane_browser.sign_in(ACME, "jane.d@example.com", PASSWORD).await;
    assert!(jane_browser.get(ACME, "/account").await.body.contains("Alex Morgan opened your portal"));
    t.stop().await;
}

#[tokio::test]
async fn agent_on_another_domain_gets_a_link_not_a_redirect() {
    let t = spawn().await;
    let staff = t.client();
    staff.staff_sign_in(ACME, "admin@acme.example").await;
    let jane = t.scalar("SELECT contact_id FROM portal_users WHERE username = 'jane.doe'").await;
    let domain = t.scalar("SELECT id FROM domains WHERE host = 'localhost'").await.to_string();
    let r = staff
        .post(
            ACME,
            &format!("/staff/contacts/{jane}"),
            &format!("/staff/contacts/{jane}/portal/login-as"),
            &[("domain_id", &domain)],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains(&format!("http://localhost:{}/agent/enter?token=", staff.port)));
    // Another company's domain can't be chosen.
    let nw = t.scalar("SELECT id FROM domains WHERE host = 'northwind.localhost'").await.to_string();
    let r = staff
        .post(
            ACME,
            &format!("/staff/contacts/{jane}"),
            &format!("/staff/contacts/{jane}/portal/login-as"),
            &[("domain_id", &nw)],
        )
        .await;
    assert_eq!(r.status, 400);
    t.stop().await;
}

#[tokio::test]
async fn settings_changes_show_in_the_portal_and_bad_values_keep_input() {
    let t = spawn().await;
    let staff = t.client();
    staff.staff_sign_in(ACME, "admin@acme.example").await;
    let customer = t.client();
    customer.sign_in(ACME, "jane.doe", PASSWORD).await;

    let base = [
        ("from_address", "care@acme.example"),
        ("from_name", "Acme Care"),
        ("welcome_subject", "Hello from {{company}}"),
        ("welcome_body", "Hi {{first_name}}, set your password: {{link}}"),
        ("send_welcome_on_enroll", "1"),
        ("sections", "help"),
        ("sections", "announcement"),
        ("announcement_short", "Branch closed on Friday."),
        ("announcement_page", ""),
        ("help_phone", "(800) 555-0100"),
        ("help_email", "help@acme.example"),
        ("help_hours", "9 to 5"),
        ("help_address", "1 Main St"),
        ("brand_color", "#7c3aed"),
        ("forgot_password_enabled", "1"),
    ];
    let r = staff.post(ACME, "/staff/settings", "/staff/settings", &base).await;
    assert_eq!(r.location.as_deref(), Some("/staff/settings?m=saved"), "{}", r.body);
    let home = customer.get(ACME, "/").await;
    assert!(home.body.contains("Branch closed on Friday."));
    assert!(!home.body.contains("href=\"/faq\""), "FAQ switched off: gone from the menu");
    assert_eq!(customer.get(ACME, "/faq").await.status, 404, "and its URL");
    assert!(customer.get(ACME, "/brand.css?v=1").await.body.contains("#7c3aed"));

    let mut bad = base.to_vec();
    bad.retain(|(k, _)| *k != "brand_color" && *k != "welcome_body");
    bad.push(("brand_color", "red"));
    bad.push(("welcome_body", "No link here, {{nonsense}}"));
    let r = staff.post(ACME, "/staff/settings", "/staff/settings", &bad).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Use a colour like #1d4ed8."));
    assert!(r.body.contains("Unknown placeholder"));
    assert!(r.body.contains("value=\"(800) 555-0100\""), "typed values kept");
    assert!(r.body.contains("No link here, {{nonsense}}"));
    assert_eq!(
        t.text(
            "SELECT brand_color FROM portal_settings ps JOIN companies c ON c.id = ps.company_id WHERE c.slug = 'acme'"
        )
        .await,
        "#7c3aed"
    );

    // FAQ, domains and logo.
    let r = staff.post(ACME, "/staff/settings", "/staff/settings/faq", &[("question", ""), ("answer", "x")]).await;
    assert_eq!(r.status, 422);
    let r = staff.post(ACME, "/staff/settings", "/staff/settings/domains", &[("host", "https://bad host/")]).await;
    assert_eq!(r.status, 422);
    let r = staff.post(ACME, "/staff/settings", "/staff/settings/domains", &[("host", "northwind.localhost")]).await;
    assert!(r.body.contains("already in use"), "another company's host can't be taken");
    let r = staff.post(ACME, "/staff/settings", "/staff/settings/domains", &[("host", "portal.acme.example")]).await;
    assert_eq!(r.status, 303);
    let acme_domain = t.scalar("SELECT id FROM domains WHERE host = 'acme.localhost'").await;
    let r = staff.post(ACME, "/staff/settings", &format!("/staff/settings/domains/{acme_domain}/delete"), &[]).await;
    assert_eq!(r.status, 409, "primary domain can't be removed");

    let token = staff.csrf(ACME, "/staff/settings").await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let form = reqwest::multipart::Form::new()
        .text("csrf", token.clone())
        .part("logo", reqwest::multipart::Part::bytes(b"MZ\x90\0 not an image".to_vec()).file_name("logo.png"));
    let r = staff.http.post(staff.url(ACME, "/staff/settings/logo")).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 422, "refused by content, not by name");
    let form = reqwest::multipart::Form::new()
        .text("csrf", "forged")
        .part("logo", reqwest::multipart::Part::bytes(png.clone()).file_name("logo.png"));
    let r = staff.http.post(staff.url(ACME, "/staff/settings/logo")).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 403, "multipart needs the CSRF token too");
    let form = reqwest::multipart::Form::new()
        .text("csrf", token.clone())
        .part("logo", reqwest::multipart::Part::bytes(vec![0u8; 600 * 1024]).file_name("big.png"));
    let r = staff.http.post(staff.url(ACME, "/staff/settings/logo")).multipart(form).send().await.unwrap();
    assert!(r.status() == 422 || r.status() == 413, "{}", r.status());
    let form = reqwest::multipart::Form::new()
        .text("csrf", token)
        .part("logo", reqwest::multipart::Part::bytes(png).file_name("x"));
    let r = staff.http.post(staff.url(ACME, "/staff/settings/logo")).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let logo = customer.http.get(customer.url(ACME, "/logo")).send().await.unwrap();
    assert_eq!(logo.headers()["content-type"], "image/png");
    assert!(t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'settings.update'").await >= 1);
    t.stop().await;
}

#[tokio::test]
async fn staff_can_end_a_customers_sessions() {
    let t = spawn().await;
    let customer = t.client();
    customer.sign_in(ACME, "jane.doe", PASSWORD).await;
    assert_eq!(customer.get(ACME, "/").await.status, 200);
    let staff = t.client();
    staff.staff_sign_in(ACME, "servicer@acme.example").await;
    let jane = t.scalar("SELECT contact_id FROM portal_users WHERE username = 'jane.doe'").await;
    let r = staff
        .post(ACME, &format!("/staff/contacts/{jane}"), &format!("/staff/contacts/{jane}/portal/end-sessions"), &[])
        .await;
    assert_eq!(r.location.as_deref(), Some(format!("/staff/contacts/{jane}?m=sessions-ended-staff").as_str()));
    assert_eq!(customer.get(ACME, "/").await.status, 303, "signed out");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'portal.sessions.end'").await, 1);
    t.stop().await;
}

#[tokio::test]
async fn operators_create_a_company_and_its_first_admin() {
    let t = spawn().await;
    let hosts = vec!["bravo.localhost".to_string()];
    portico_app::admin::add_company(&t.app, "bravo", "Bravo Lending", &hosts).await.unwrap();
    let dup = portico_app::admin::add_company(&t.app, "bravo2", "Bravo Two", &["acme.localhost".into()]).await;
    assert!(matches!(dup, Err(portico_app::AppError::Conflict(_))), "a host belongs to one company");
    let weak = portico_app::admin::add_staff(&t.app, "bravo", "ops@bravo.test", "Pat Ops", "admin", "password").await;
    assert!(matches!(weak, Err(portico_app::AppError::Invalid(_))));
    portico_app::admin::add_staff(&t.app, "bravo", "ops@bravo.test", "Pat Ops", "admin", "steady orbit canvas")
        .await
        .unwrap();

    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .resolve("bravo.localhost", t.addr)
        .build()
        .unwrap();
    let c = crate::common::Client { http, port: t.addr.port() };
    let login = c.get("bravo.localhost", "/login").await;
    assert!(login.body.contains("Bravo Lending"));
    let r = c
        .post(
            "bravo.localhost",
            "/staff/login",
            "/staff/login",
            &[("email", "ops@bravo.test"), ("password", "steady orbit canvas")],
        )
        .await;
    assert_eq!(r.status, 303);
    let contacts = c.get("bravo.localhost", "/staff/contacts").await;
    assert!(contacts.body.contains("No contacts yet."), "a new company starts empty");
    t.stop().await;
}

#[tokio::test]
async fn staff_create_a_contact_who_can_then_be_enrolled_and_verified() {
    let t = spawn().await;
    let staff = t.client();
    staff.staff_sign_in(ACME, "servicer@acme.example").await;
    let bad = [
        ("first_name", "Ada"),
        ("last_name", ""),
        ("email", "not-an-email"),
        ("customer_number", "AC-100001"),
        ("date_of_birth", "2999-01-01"),
        ("ssn_last4", "12a4"),
    ];
    let r = staff.post(ACME, "/staff/contacts/new", "/staff/contacts/new", &bad).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("This is required."));
    assert!(r.body.contains("Enter an e-mail address"));
    assert!(r.body.contains("must be in the past"));
    assert!(r.body.contains("exactly four digits"));
    assert!(r.body.contains("value=\"Ada\""), "typed values kept");
    let dup = [("first_name", "Ada"), ("last_name", "Lovelace"), ("customer_number", "AC-100001")];
    let r = staff.post(ACME, "/staff/contacts/new", "/staff/contacts/new", &dup).await;
    assert!(r.body.contains("Another contact already has this id."), "{}", r.body);

    let good = [
        ("first_name", "Ada"),
        ("last_name", "Lovelace"),
        ("email", "ada@example.org"),
        ("customer_number", "AC-200001"),
        ("external_id", "CRM-200001"),
        ("date_of_birth", "1990-12-10"),
        ("ssn_last4", "1815"),
    ];
    let r = staff.post(ACME, "/staff/contacts/new", "/staff/contacts/new", &good).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id: i64 =
        r.location.unwrap().trim_start_matches("/staff/contacts/").split('?').next().unwrap().parse().unwrap();
    assert_ne!(
        t.text(&format!("SELECT dob_enc FROM contacts WHERE id = {id}")).await,
        "1990-12-10",
        "encrypted at rest"
    );
    staff.post(ACME, &format!("/staff/contacts/{id}"), &format!("/staff/contacts/{id}/portal/create"), &[]).await;
    let (_, body) = t.last_mail_to("ada@example.org").await.unwrap();
    let link = first_link(&body).unwrap();
    let path = link.split_once(&format!(":{}", staff.port)).unwrap().1.to_string();
    let token = path.split('=').nth(1).unwrap().to_string();
    let ada = t.client();
    ada.post(
        ACME,
        &path,
        "/set-password",
        &[("token", &token), ("new_password", "engine of analysis"), ("confirm", "engine of analysis")],
    )
    .await;
    ada.sign_in(ACME, "ada.lovelace", "engine of analysis").await;
    let r = ada.post(ACME, "/onboarding", "/onboarding", &[("dob", "1990-12-10"), ("ssn4", "1815")]).await;
    assert_eq!(r.location.as_deref(), Some("/?m=verified"));
    // Read-only staff can't create contacts.
    let viewer = t.client();
    viewer.staff_sign_in(ACME, "viewer@acme.example").await;
    assert_eq!(viewer.get(ACME, "/staff/contacts/new").await.status, 403);
    t.stop().await;
}

#[tokio::test]
async fn the_tenant_cache_keeps_settings_briefly_but_console_changes_show_at_once() {
    let t = crate::common::spawn_with(|s| s.tenant_cache_ms = 60_000).await;
    let staff = t.client();
    staff.staff_sign_in(ACME, "admin@acme.example").await;
    let customer = t.client();
    customer.sign_in(ACME, "jane.doe", PASSWORD).await;
    assert!(customer.get(ACME, "/").await.body.contains("Thanksgiving"));
    // A change behind the node's back (another node, a script) waits for the cache to expire…
    sqlx::query("UPDATE portal_settings SET announcement_short = 'Changed in SQL.'").execute(t.db.w()).await.unwrap();
    assert!(customer.get(ACME, "/").await.body.contains("Thanksgiving"), "served from the cache");
    // …while a change made in this node's console shows on the next page load.
    let r = staff
        .post(ACME, "/staff/settings/faq", "/staff/settings/faq", &[("question", "Cached?"), ("answer", "No.")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(customer.get(ACME, "/").await.body.contains("Changed in SQL."), "the console change dropped the cache");
    t.stop().await;
}
