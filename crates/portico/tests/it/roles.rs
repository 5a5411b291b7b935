//! The staff role table (docs/security.md, "Staff roles") walked over every
//! console route: each role gets the page or a 403 exactly as its
//! permissions say, another company's administrator gets 404 for every id,
//! and the table in docs/security.md lists every route with its permission.
//! A route whose ids this test can't fill fails it, so a new page is tested
//! as soon as it exists.
use portico_app::auth::Role;
use portico_app::authz::Permission;
use portico_web::{Access, RouteRule, staff_route_table};

use crate::common::{Client, TestApp, spawn};

const ACME: &str = "acme.localhost";
const NW: &str = "northwind.localhost";

/// The table an outside reader would write down (docs/security.md), kept
/// here independently of `Role::allows`: who may do what.
fn expected(role: Role, p: Permission) -> bool {
    use Permission::*;
    let read = [ViewCustomers, ViewPayments, ViewOutbox, ViewAudit, OwnAccount];
    let service = [ServiceCustomers, ManagePortalAccess, ViewAsCustomer, ServicePayments, AchFiles];
    match role {
        Role::Admin => true,
        Role::Servicer => read.contains(&p) || service.contains(&p),
        Role::ReadOnly => read.contains(&p),
    }
}

/// A real Acme row for the `{…}` that follows `segment` in `path`.
async fn acme_id(t: &TestApp, path: &str, segment: &str, placeholder: &str) -> i64 {
    let company = t.scalar("SELECT id FROM companies WHERE slug = 'acme'").await;
    let contact_of = |user: &str| format!("SELECT contact_id FROM portal_users WHERE username = '{user}'");
    let sql = match (segment, placeholder) {
        ("contacts", _) if path.contains("/program") || path.contains("/debts") => contact_of("sam.settle"),
        ("contacts", _) if path.contains("/student-loans") => contact_of("stu.loans"),
        ("contacts", _) => contact_of("jane.doe"),
        ("team", "{staff_id}") => {
            "SELECT MIN(t.staff_user_id) FROM contact_team t JOIN portal_users u ON u.contact_id = t.contact_id \
             WHERE u.username = 'jane.doe'"
                .into()
        }
        ("team", _) => {
            format!("SELECT id FROM staff_users WHERE email = 'walk.target@acme.example' AND company_id = {company}")
        }
        (seg, _) => {
            let table = match seg {
                "documents" => "documents",
                "types" => "document_types",
                "tasks" => "tasks",
                "notes" => "notes",
                "inbox" => "conversations",
                "groups" => "staff_groups",
                "sms" => "outbox_sms",
                "accounts" => "accounts",
                "batches" => "nacha_batches",
                "payments" => "payments",
                "api" => "api_keys",
                "webhooks" => "webhook_endpoints",
                "deliveries" => "webhook_deliveries",
                "faq" => "faq_entries",
                "domains" => "domains",
                "debts" => "debts",
                "entries" => "program_entries",
                "drafts" => "program_drafts",
                "fields" => "intake_fields",
                "estimates" => "student_loan_estimates",
                "mail" => "outbox_emails",
                other => {
                    panic!("roles.rs doesn't know which row `{other}/{placeholder}` in {path} means: teach acme_id")
                }
            };
            format!("SELECT COALESCE(MIN(id), 0) FROM {table} WHERE company_id = {company}")
        }
    };
    t.scalar(&sql).await
}

/// `path` with every placeholder filled with a real Acme id.
async fn filled(t: &TestApp, path: &str) -> (String, bool) {
    let mut out = String::new();
    let mut prev = "";
    let mut all_exist = true;
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        if seg.starts_with('{') {
            let id = acme_id(t, path, prev, seg).await;
            all_exist &= id != 0;
            out.push_str(&id.to_string());
        } else {
            out.push_str(seg);
        }
        prev = seg;
    }
    (out, all_exist)
}

/// `path` with every placeholder a malformed id: a request that passes the
/// role check reaches a handler that answers 404 (or its form extractor a
/// 4xx) before anything is changed. (Routes without ids and without a form,
/// like "sign out other sessions", do run.)
fn malformed(path: &str) -> String {
    path.split('/').map(|s| if s.starts_with('{') { "x" } else { s }).collect::<Vec<_>>().join("/")
}

/// A POST that passes CSRF (header) but carries no form: handlers with a
/// form refuse it; the role check comes first.
async fn bare_post(c: &Client, host: &str, csrf: &str, path: &str) -> u16 {
    c.http
        .post(c.url(host, path))
        .header("x-csrf-token", csrf)
        .header("content-type", "application/octet-stream")
        .body("")
        .send()
        .await
        .expect("POST")
        .status()
        .as_u16()
}

fn staff_rules() -> Vec<(RouteRule, Permission)> {
    staff_route_table()
        .into_iter()
        .filter_map(|r| match r.access {
            // Signing out would end the walk's own session; it's tested below.
            Access::Staff(_) if r.path == "/staff/logout" => None,
            Access::Staff(p) => Some((r, p)),
            Access::Public => None,
        })
        .collect()
}

#[tokio::test]
async fn every_console_route_answers_each_role_as_the_table_says() {
    let t = spawn().await;
    portico_app::admin::add_staff(
        &t.app,
        "acme",
        "walk.target@acme.example",
        "Walk Target",
        "servicer",
        "orchid gravel kettle 5",
    )
    .await
    .unwrap();
    // A webhook endpoint with one delivery, for the pages that show them.
    for sql in [
        "INSERT INTO webhook_endpoints (company_id, url, event_types, secret_sealed, active, created_at, updated_at) \
         SELECT id, 'http://127.0.0.1:9/hooks', '*', 'unused', 0, 0, 0 FROM companies WHERE slug = 'acme'",
        "INSERT INTO webhook_events (company_id, message_id, event_type, payload, created_at) \
         SELECT id, 'msg_walk', 'webhook.test', '{}', 0 FROM companies WHERE slug = 'acme'",
        "INSERT INTO webhook_deliveries (company_id, event_id, endpoint_id, status, next_attempt_at, created_at, updated_at) \
         SELECT company_id, (SELECT MIN(id) FROM webhook_events), id, 'stopped', 0, 0, 0 FROM webhook_endpoints",
    ] {
        sqlx::query(sql).execute(t.db.w()).await.unwrap();
    }
    let rules = staff_rules();
    assert!(rules.len() > 100, "the table covers the console ({} routes)", rules.len());

    for (email, role) in [
        ("viewer@acme.example", Role::ReadOnly),
        ("servicer@acme.example", Role::Servicer),
        ("admin@acme.example", Role::Admin),
    ] {
        let c = t.client();
        c.staff_sign_in(ACME, email).await;
        let csrf = c.csrf(ACME, "/staff/me").await;
        let refusals_before = t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'access.refused'").await;
        let mut refused = 0;
        for (rule, p) in &rules {
            let allowed = expected(role, *p);
            let what = format!("{email} {} {}", rule.method, rule.path);
            if rule.method == "GET" {
                let (path, exists) = filled(&t, rule.path).await;
                let r = c.get(ACME, &path).await;
                let want = match (allowed, exists) {
                    (false, _) => 403,
                    (true, true) => 200,
                    (true, false) => 404,
                };
                assert_eq!(r.status, want, "{what} ({path}): {}", &r.body[..r.body.len().min(300)]);
                if !allowed {
                    assert!(r.body.contains(p.label()), "{what}: the refusal says what is missing");
                }
            } else {
                let status = bare_post(&c, ACME, &csrf, &malformed(rule.path)).await;
                if allowed {
                    assert!(status < 500 && status != 403, "{what}: {status}");
                } else {
                    assert_eq!(status, 403, "{what}");
                }
            }
            refused += usize::from(!allowed);
        }
        let refusals = t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'access.refused'").await;
        assert_eq!((refusals - refusals_before) as usize, refused, "{email}: every refusal is audited");
        // Signing out works for every role.
        let r = bare_post(&c, ACME, &csrf, "/staff/logout").await;
        assert_eq!(r, 303, "{email} signs out");
        assert_eq!(c.get(ACME, "/staff/contacts").await.status, 303, "{email}: signed out");
    }

    // Another company's administrator: every Acme id is 404 (GET), and no
    // POST with an Acme id succeeds.
    let nw = t.client();
    nw.staff_sign_in(NW, "admin@northwind.example").await;
    let csrf = nw.csrf(NW, "/staff/me").await;
    for (rule, _) in rules.iter().filter(|(r, _)| r.path.contains('{')) {
        let (path, exists) = filled(&t, rule.path).await;
        if !exists {
            continue;
        }
        let status = if rule.method == "GET" {
            nw.get(NW, &path).await.status
        } else {
            nw.http
                .post(nw.url(NW, &path))
                .form(&[("csrf", csrf.as_str())])
                .send()
                .await
                .expect("POST")
                .status()
                .as_u16()
        };
        if rule.method == "GET" {
            assert_eq!(status, 404, "Northwind admin GET {path}");
        } else {
            assert!(!(200..400).contains(&status), "Northwind admin POST {path}: {status}");
        }
    }
    t.stop().await;
}

/// One rule for an id in a URL (`ctx::Id`): anything but a positive decimal
/// integer is 404 on every console page with an id, and on the portal's.
#[tokio::test]
async fn a_malformed_id_is_404_on_every_page() {
    let t = spawn().await;
    let admin = t.client();
    admin.staff_sign_in(ACME, "admin@acme.example").await;
    let customer = t.client();
    customer.sign_in(ACME, "jane.doe", crate::common::PASSWORD).await;
    let portal = [
        "/accounts/{id}",
        "/accounts/{id}/summary",
        "/accounts/{id}/transactions",
        "/accounts/{id}/statements",
        "/accounts/{id}/statements/{id}.pdf",
        "/accounts/{id}/pay",
        "/accounts/{id}/autopay",
        "/advances/{id}",
        "/documents/{id}/download",
        "/documents/{id}",
        "/messages/{id}",
    ];
    for bad in ["x", "0", "-1", "+1", "1.5", "1e2", "99999999999999999999"] {
        for (rule, _) in staff_rules().iter().filter(|(r, _)| r.method == "GET" && r.path.contains('{')) {
            let path = rule.path.split('/').map(|s| if s.starts_with('{') { bad } else { s }).collect::<Vec<_>>();
            let path = path.join("/");
            assert_eq!(admin.get(ACME, &path).await.status, 404, "GET {path}");
        }
        for p in portal {
            let path = p.replace("{id}", bad);
            assert_eq!(customer.get(ACME, &path).await.status, 404, "GET {path}");
        }
    }
    t.stop().await;
}

#[tokio::test]
async fn the_table_in_docs_security_md_lists_every_route() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/security.md")).unwrap();
    for r in staff_route_table() {
        let who = match r.access {
            Access::Public => "public".to_string(),
            Access::Staff(p) => format!("{p:?}"),
        };
        let line = format!("| {} | `{}` | {} |", r.method, r.path, who);
        assert!(doc.contains(&line), "docs/security.md lacks the row\n{line}");
    }
    for r in portico_web::api_route_table() {
        let who = match r.access {
            portico_web::ApiAccess::Public => "public".to_string(),
            portico_web::ApiAccess::Key(scope) => format!("key with {}", scope.code()),
        };
        let line = format!("| {} | `{}` | {} |", r.method, r.path, who);
        assert!(doc.contains(&line), "docs/security.md lacks the API row\n{line}");
    }
    for &role in Role::ALL {
        for p in Permission::ALL {
            assert_eq!(role.allows(p), expected(role, p), "{role:?} {p:?}");
        }
    }
}

#[tokio::test]
async fn a_deactivated_staff_member_is_stopped_at_the_next_request() {
    let t = spawn().await;
    let servicer = t.client();
    servicer.staff_sign_in(ACME, "servicer@acme.example").await;
    assert_eq!(servicer.get(ACME, "/staff/contacts").await.status, 200);
    let admin = t.client();
    admin.staff_sign_in(ACME, "admin@acme.example").await;
    let id = t.scalar("SELECT id FROM staff_users WHERE email = 'servicer@acme.example'").await;
    let r = admin.post(ACME, "/staff/team", &format!("/staff/team/{id}/deactivate"), &[]).await;
    assert_eq!(r.location.as_deref(), Some("/staff/team?m=deactivated"));
    assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM sessions WHERE staff_user_id = {id}")).await, 0);
    let r = servicer.get(ACME, "/staff/contacts").await;
    assert_eq!(r.status, 303, "sent to sign in");
    // Nor can they sign in again.
    let r = servicer
        .post(
            ACME,
            "/staff/login",
            "/staff/login",
            &[("email", "servicer@acme.example"), ("password", crate::common::PASSWORD)],
        )
        .await;
    assert_ne!(r.status, 303);
    // An administrator can't deactivate themselves or leave no administrator.
    let me = t.scalar("SELECT id FROM staff_users WHERE email = 'admin@acme.example'").await;
    let r = admin.post(ACME, "/staff/team", &format!("/staff/team/{me}/deactivate"), &[]).await;
    assert_eq!(r.status, 409);
    let r = admin.post(ACME, "/staff/team", &format!("/staff/team/{me}/role"), &[("role", "readonly")]).await;
    assert_eq!(r.status, 409, "the last administrator keeps the role");
    assert_eq!(t.text(&format!("SELECT role FROM staff_users WHERE id = {me}")).await, "admin");
    for a in ["staff.deactivate"] {
        assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{a}'")).await, 1, "{a}");
    }
    t.stop().await;
}

#[tokio::test]
async fn an_invited_staff_member_sets_a_password_and_manages_their_account() {
    let t = spawn().await;
    let admin = t.client();
    admin.staff_sign_in(ACME, "admin@acme.example").await;
    // Bad input re-renders with the values kept.
    let r = admin
        .post(
            ACME,
            "/staff/team",
            "/staff/team/invite",
            &[("name", "Nia Park"), ("email", "nope"), ("role", "servicer")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("value=\"Nia Park\"") && r.body.contains("Enter an e-mail address"));
    let r = admin
        .post(
            ACME,
            "/staff/team",
            "/staff/team/invite",
            &[("name", "Nia Park"), ("email", "nia@acme.example"), ("role", "readonly")],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/staff/team?m=invited"));
    let r = admin
        .post(
            ACME,
            "/staff/team",
            "/staff/team/invite",
            &[("name", "Nia Again"), ("email", "NIA@acme.example"), ("role", "readonly")],
        )
        .await;
    assert_eq!(r.status, 422, "the same e-mail twice");
    let page = admin.get(ACME, "/staff/team").await;
    assert!(page.body.contains("nia@acme.example") && page.body.contains("Invited"));
    // The invitation: stored masked, delivered with the link.
    let (_, stored) = t.stored_mail_to("nia@acme.example").await.unwrap();
    assert!(!stored.contains("token="));
    let (subject, body) = t.last_mail_to("nia@acme.example").await.unwrap();
    assert!(subject.contains("invited"), "{subject}");
    let link = body.lines().find(|l| l.contains("/staff/set-password?token=")).unwrap().trim().to_string();
    let path = &link[link.find("/staff/set-password").unwrap()..];
    let token = path.split('=').nth(1).unwrap();
    let nia = t.client();
    let form = nia.get(ACME, path).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("nia@acme.example"));
    let r = nia
        .post(ACME, path, "/staff/set-password", &[("token", token), ("new_password", "nia"), ("confirm", "nia")])
        .await;
    assert_eq!(r.status, 422, "password rules");
    let pw = "copper meadow lantern 7";
    let r =
        nia.post(ACME, path, "/staff/set-password", &[("token", token), ("new_password", pw), ("confirm", pw)]).await;
    assert_eq!(r.location.as_deref(), Some("/staff/login?m=password-set"));
    assert_eq!(nia.get(ACME, path).await.status, 400, "single use");
    let r = nia.post(ACME, "/staff/login", "/staff/login", &[("email", "nia@acme.example"), ("password", pw)]).await;
    assert_eq!(r.status, 303);
    // Read-only: contacts yes, settings and staff no.
    assert_eq!(nia.get(ACME, "/staff/contacts").await.status, 200);
    assert_eq!(nia.get(ACME, "/staff/settings").await.status, 403);
    assert_eq!(nia.get(ACME, "/staff/team").await.status, 403);
    // The admin makes her a servicer: it applies on her next page.
    let id = t.scalar("SELECT id FROM staff_users WHERE email = 'nia@acme.example'").await;
    let r = admin.post(ACME, "/staff/team", &format!("/staff/team/{id}/role"), &[("role", "servicer")]).await;
    assert_eq!(r.location.as_deref(), Some("/staff/team?m=role"));
    let me = nia.get(ACME, "/staff/me").await;
    assert!(me.body.contains("Servicer"));
    // Her own password: the current one is required.
    let r = nia
        .post(
            ACME,
            "/staff/me",
            "/staff/me/password",
            &[("current_password", "wrong"), ("new_password", "x"), ("confirm", "x")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Your current password is not correct"));
    let pw2 = "velvet quarry signal 31";
    let r = nia
        .post(
            ACME,
            "/staff/me",
            "/staff/me/password",
            &[("current_password", pw), ("new_password", pw2), ("confirm", pw2)],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/staff/me?m=password-changed"));
    // Her e-mail, re-authenticating.
    let r = nia
        .post(ACME, "/staff/me", "/staff/me/email", &[("email", "nia.park@acme.example"), ("email_password", "bad")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("value=\"nia.park@acme.example\""));
    let r = nia
        .post(ACME, "/staff/me", "/staff/me/email", &[("email", "nia.park@acme.example"), ("email_password", pw2)])
        .await;
    assert_eq!(r.location.as_deref(), Some("/staff/me?m=email-changed"));
    assert!(t.last_mail_to("nia@acme.example").await.unwrap().0.contains("e-mail address was changed"));
    // A second session, then "sign out other sessions".
    let other = t.client();
    let r = other
        .post(ACME, "/staff/login", "/staff/login", &[("email", "nia.park@acme.example"), ("password", pw2)])
        .await;
    assert_eq!(r.status, 303);
    let r = nia.post(ACME, "/staff/me", "/staff/me/sessions/end-others", &[]).await;
    assert_eq!(r.location.as_deref(), Some("/staff/me?m=sessions-ended"));
    assert_eq!(other.get(ACME, "/staff/contacts").await.status, 303);
    assert_eq!(nia.get(ACME, "/staff/contacts").await.status, 200);
    // A reset link from the admin.
    let r = admin.post(ACME, "/staff/team", &format!("/staff/team/{id}/reset-password"), &[]).await;
    assert_eq!(r.location.as_deref(), Some("/staff/team?m=reset"));
    assert!(t.last_mail_to("nia.park@acme.example").await.unwrap().1.contains("/staff/set-password?token="));
    for a in
        ["staff.invite", "staff.role", "staff.reset_link", "password.change", "email.change", "sessions.end_others"]
    {
        assert!(t.scalar(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{a}'")).await >= 1, "{a}");
    }
    t.stop().await;
}
