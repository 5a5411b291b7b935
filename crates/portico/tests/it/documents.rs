//! Documents (issue 5): uploads streamed to storage with content sniffing,
//! size limits and clean names; the library, previews and downloads with
//! safe headers; staff uploads, exclusion and e-signed-only; onboarding
//! requirements; isolation (404 on every URL for foreign ids); Agents view
//! but don't download. The core suite runs on local storage and, with
//! `moto_server` (PyPI `moto[server]`) on loopback, on S3.

use std::process::{Child, Command, Stdio};

use crate::common::{Client, PASSWORD, Resp, TestApp, csrf_of, spawn, spawn_with};

const ACME: &str = "acme.localhost";
const NW: &str = "northwind.localhost";

/// A tiny valid PDF.
fn pdf(title: &str) -> Vec<u8> {
    portico_app::demo::documents::simple_pdf(title, &["test document"])
}

async fn to_resp(r: reqwest::Response) -> Resp {
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let location = headers.get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
    let body = r.text().await.unwrap_or_default().replace("&#39;", "'");
    Resp { status, location, body, headers }
}

/// POST a multipart upload: the CSRF token of `form_page` first, then the
/// fields, then the files (name, bytes) as `files`.
async fn upload(
    c: &Client,
    host: &str,
    form_page: &str,
    path: &str,
    fields: &[(&str, &str)],
    files: Vec<(String, Vec<u8>)>,
    xhr: bool,
) -> Resp {
    let page = c.get(host, form_page).await;
    let token = csrf_of(&page.body).unwrap_or_else(|| panic!("no csrf on {form_page}: {}", page.status));
    // File names as browsers send them: UTF-8, with CR, LF and quotes as %0D, %0A, %22.
    let mut form = reqwest::multipart::Form::new().percent_encode_noop().text("csrf", token.clone());
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    for (name, data) in files {
        form = form.part("files", reqwest::multipart::Part::bytes(data).file_name(name));
    }
    let mut req = c.http.post(c.url(host, path)).multipart(form);
    if xhr {
        req = req.header("x-requested-with", "XMLHttpRequest").header("x-csrf-token", token);
    }
    to_resp(req.send().await.expect("upload")).await
}

async fn type_id(t: &TestApp, company: &str, name: &str) -> i64 {
    t.scalar(&format!(
        "SELECT t.id FROM document_types t JOIN companies c ON c.id = t.company_id \
         WHERE c.slug = '{company}' AND t.name = '{name}'"
    ))
    .await
}

async fn jane(t: &TestApp) -> i64 {
    t.scalar("SELECT contact_id FROM portal_users WHERE username = 'jane.doe'").await
}

async fn doc_count(t: &TestApp) -> i64 {
    t.scalar("SELECT COUNT(*) FROM documents").await
}

async fn objects(t: &TestApp, company: i64) -> usize {
    t.app.storage.count(company).await.expect("list storage")
}

/// Upload, library, preview, download and their headers; every refusal
/// (empty, too large, a program named .pdf, HTML, SVG, an unusable name)
/// with a clear message and nothing stored; clean names; staff upload
/// visible in the portal and notified; exclusion; e-signed only.
async fn core_suite(t: &TestApp) {
    let acme = t.scalar("SELECT id FROM companies WHERE slug = 'acme'").await;
    let jane_id = jane(t).await;
    let ident = type_id(t, "acme", "Identification").await.to_string();
    let c = t.client();
    c.sign_in(ACME, "jane.doe", PASSWORD).await;
    let lib = c.get(ACME, "/documents").await;
    assert_eq!(lib.status, 200);
    assert!(lib.body.contains("Loan agreement (signed).pdf") && lib.body.contains("Send us documents"));
    assert!(!lib.body.contains("Underwriting notes"), "hidden types are not listed");

    // A good upload, with a name carrying a path and control characters.
    let before_docs = doc_count(t).await;
    let before_objects = objects(t, acme).await;
    let body = pdf("Passport");
    let r = upload(
        &c,
        ACME,
        "/documents",
        "/documents",
        &[("type_id", &ident)],
        vec![("C:\\Users\\jane\\..\\Desktop/pass\u{202e}port%0D%0A scan.pdf".into(), body.clone())],
        false,
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location.as_deref(), Some("/documents?m=document-uploaded"));
    assert_eq!(doc_count(t).await, before_docs + 1);
    assert_eq!(objects(t, acme).await, before_objects + 1);
    let (id, name, key, ct, size): (i64, String, String, String, i64) =
        sqlx::query_as("SELECT id, name, object_key, content_type, size_bytes FROM documents ORDER BY id DESC LIMIT 1")
            .fetch_one(t.db.r())
            .await
            .unwrap();
    assert_eq!(name, "passport scan.pdf", "path and control characters removed");
    assert!(key.starts_with(&format!("c{acme}/")) && !key.contains("passport"), "server-made key: {key}");
    assert_eq!((ct.as_str(), size), ("application/pdf", body.len() as i64));
    assert!(c.get(ACME, "/documents?q=PASSPORT").await.body.contains("passport scan.pdf"), "search by name");
    assert!(!c.get(ACME, "/documents?q=nothing-like-this").await.body.contains("passport scan.pdf"));
    let filtered = c.get(ACME, &format!("/documents?type={ident}")).await.body;
    assert!(filtered.contains("passport scan.pdf") && !filtered.contains("Loan agreement"), "filter by type");

    // Download: attachment, nosniff, sandbox; the same bytes.
    let r = c.http.get(c.url(ACME, &format!("/documents/{id}/download"))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let h = r.headers().clone();
    assert_eq!(h["content-type"], "application/pdf");
    assert_eq!(
        h["content-disposition"].to_str().unwrap(),
        "attachment; filename=\"passport scan.pdf\"; filename*=UTF-8''passport%20scan.pdf"
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(h["content-security-policy"].to_str().unwrap().starts_with("sandbox"));
    assert_eq!(r.bytes().await.unwrap().to_vec(), body);
    // Preview: PDFs inline (framed by our own page only).
    let v = c.get(ACME, &format!("/documents/{id}/view")).await;
    assert!(v.headers["content-disposition"].to_str().unwrap().starts_with("inline;"));
    assert_eq!(v.headers["x-frame-options"], "SAMEORIGIN");
    let page = c.get(ACME, &format!("/documents/{id}")).await;
    assert!(page.body.contains(&format!("src=\"/documents/{id}/view\"")), "PDF preview frame");

    // Text is never inline, even on the preview URL.
    let r = upload(
        &c,
        ACME,
        "/documents",
        "/documents",
        &[("type_id", &ident)],
        vec![("notes.txt".into(), b"plain words\n".to_vec())],
        false,
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let txt = t.scalar("SELECT MAX(id) FROM documents").await;
    let v = c.get(ACME, &format!("/documents/{txt}/view")).await;
    assert_eq!(v.headers["content-type"], "text/plain");
    assert!(v.headers["content-disposition"].to_str().unwrap().starts_with("attachment;"));

    // Refusals: each a clear message; nothing stored.
    let docs_before = doc_count(t).await;
    let objects_before = objects(t, acme).await;
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00".to_vec();
    exe.extend(vec![0u8; 5000]);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.pdf", Vec::new(), "is empty"),
        ("invoice.pdf", exe, "Programs and scripts can't be uploaded"),
        ("page.pdf", b"<!DOCTYPE html><script>alert(1)</script>".to_vec(), "Web pages, SVG and XML"),
        ("logo.png", b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>".to_vec(), "SVG"),
        ("../\u{202e}%0A", pdf("x"), "no usable name"),
    ];
    for (name, data, msg) in cases {
        let r = upload(&c, ACME, "/documents", "/documents", &[("type_id", &ident)], vec![(name.into(), data)], false)
            .await;
        assert_eq!(r.status, 422, "{name}");
        assert!(r.body.contains(msg), "{name}: expected \"{msg}\" in the page");
        assert!(r.body.contains("Nothing was uploaded"), "{name}");
        assert!(r.body.contains(&format!("value=\"{ident}\" selected")), "{name}: the chosen type is kept");
    }
    // A good file with a bad one: all or nothing.
    let r = upload(
        &c,
        ACME,
        "/documents",
        "/documents",
        &[("type_id", &ident)],
        vec![("good.pdf".into(), pdf("good")), ("bad.pdf".into(), b"MZ\x90\x00rest".to_vec())],
        false,
    )
    .await;
    assert_eq!(r.status, 422);
    // No type chosen; a type customers can't upload into; another's account.
    let contracts = type_id(t, "acme", "Contracts").await.to_string();
    let nw_type = type_id(t, "northwind", "Purchase orders").await.to_string();
    for bad_type in ["", contracts.as_str(), nw_type.as_str()] {
        let r = upload(
            &c,
            ACME,
            "/documents",
            "/documents",
            &[("type_id", bad_type)],
            vec![("a.pdf".into(), pdf("a"))],
            false,
        )
        .await;
        assert_eq!(r.status, 422);
        assert!(r.body.contains("Choose the kind of document"), "type {bad_type:?}");
    }
    let foreign_account =
        t.scalar(&format!("SELECT MIN(id) FROM accounts WHERE contact_id <> {jane_id} AND company_id = {acme}")).await;
    let r = upload(
        &c,
        ACME,
        "/documents",
        "/documents",
        &[("type_id", &ident), ("account_id", &foreign_account.to_string())],
        vec![("a.pdf".into(), pdf("a"))],
        false,
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Choose one of your accounts"));
    // Over the company's limit (1 MB), refused while streaming.
    let admin = t.client();
    admin.staff_sign_in(ACME, "admin@acme.example").await;
    let r = admin.post(ACME, "/staff/settings/documents", "/staff/settings/documents", &[("max_upload_mb", "1")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut big = pdf("big");
    big.extend(vec![b' '; 1024 * 1024 + 10]);
    let r =
        upload(&c, ACME, "/documents", "/documents", &[("type_id", &ident)], vec![("big.pdf".into(), big)], true).await;
    assert_eq!(r.status, 422);
    let json: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert!(json["errors"][0]["message"].as_str().unwrap().contains("larger than the limit of 1.0 MB"), "{json}");
    assert_eq!(doc_count(t).await, docs_before, "no row for any refused upload");
    assert_eq!(objects(t, acme).await, objects_before, "no object left in storage");
    // The script's path answers JSON on success too.
    let r =
        upload(&c, ACME, "/documents", "/documents", &[("type_id", &ident)], vec![("ok.pdf".into(), pdf("ok"))], true)
            .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("\"redirect\":\"/documents?m=document-uploaded\""));
    // A multipart upload without the CSRF token stores nothing.
    let form = reqwest::multipart::Form::new()
        .text("type_id", ident.clone())
        .part("files", reqwest::multipart::Part::bytes(pdf("x")).file_name("x.pdf"));
    let r = c.http.post(c.url(ACME, "/documents")).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(objects(t, acme).await, objects_before + 1);

    // Staff upload for Jane: e-signed, tied to an account; visible at once and notified.
    let statements = type_id(t, "acme", "Statements").await.to_string();
    let acct = t.scalar(&format!("SELECT MIN(id) FROM accounts WHERE contact_id = {jane_id}")).await.to_string();
    let staff_page = format!("/staff/contacts/{jane_id}/documents");
    let r = upload(
        &admin,
        ACME,
        &staff_page,
        &staff_page,
        &[("type_id", &statements), ("account_id", &acct), ("esigned", "1")],
        vec![("Rate change notice.pdf".into(), pdf("Rate change"))],
        false,
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let staff_doc = t.scalar("SELECT MAX(id) FROM documents").await;
    assert_eq!(t.scalar(&format!("SELECT esigned FROM documents WHERE id = {staff_doc}")).await, 1);
    assert!(c.get(ACME, "/documents").await.body.contains("Rate change notice.pdf"), "visible in the portal");
    assert!(
        c.get(ACME, &format!("/accounts/{acct}/documents")).await.body.contains("Rate change notice.pdf"),
        "on the account's Documents tab"
    );
    let (subject, text) = t.last_mail_to("jane.doe@example.com").await.expect("notification");
    assert_eq!(subject, "New document from Acme Capital");
    assert!(text.contains("/documents") && !text.contains("Rate change notice"), "a link, never the content");
    let contact_page = admin.get(ACME, &format!("/staff/contacts/{jane_id}")).await;
    assert!(contact_page.body.contains("passport scan.pdf"), "customer uploads on the contact's Documents panel");
    let dl = admin.get(ACME, &format!("/staff/documents/{id}/download")).await;
    assert_eq!(dl.status, 200);
    assert!(dl.headers["content-disposition"].to_str().unwrap().starts_with("attachment;"));
    // Staff upload refusals keep the choices.
    let r = upload(&admin, ACME, &staff_page, &staff_page, &[("type_id", "")], vec![("a.pdf".into(), pdf("a"))], false)
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Choose a document type"));

    // Exclude from the portal, then show again.
    let r = admin.post(ACME, &staff_page, &format!("/staff/documents/{staff_doc}/exclude"), &[]).await;
    assert_eq!(r.status, 303);
    assert!(!c.get(ACME, "/documents").await.body.contains("Rate change notice.pdf"));
    assert_eq!(c.get(ACME, &format!("/documents/{staff_doc}")).await.status, 404);
    admin.post(ACME, &staff_page, &format!("/staff/documents/{staff_doc}/include"), &[]).await;
    assert_eq!(c.get(ACME, &format!("/documents/{staff_doc}")).await.status, 200);
    // Only e-signed documents: the draft disappears, the signed one stays.
    admin
        .post(
            ACME,
            "/staff/settings/documents",
            "/staff/settings/documents",
            &[("max_upload_mb", "10"), ("esigned_only", "1"), ("ask_statement_delivery", "1")],
        )
        .await;
    let lib = c.get(ACME, "/documents").await.body;
    assert!(lib.contains("Loan agreement (signed).pdf") && !lib.contains("Loan agreement (draft).pdf"));
    assert!(lib.contains("passport scan.pdf"), "the customer's own uploads stay");
    for action in ["document.upload", "document.exclude", "document.include", "document.download"] {
        assert!(t.scalar(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'")).await >= 1, "{action}");
    }
}

#[tokio::test]
async fn documents_on_local_storage() {
    let t = spawn().await;
    core_suite(&t).await;
    t.stop().await;
}

/// `moto_server` from PyPI: `PORTICO_TEST_MOTO_SERVER`, else on PATH.
fn moto_binary() -> Option<String> {
    if let Ok(p) = std::env::var("PORTICO_TEST_MOTO_SERVER") {
        return Some(p);
    }
    let path = std::env::var("PATH").unwrap_or_default();
    std::env::split_paths(&path).map(|d| d.join("moto_server")).find(|p| p.is_file()).map(|p| p.display().to_string())
}

struct Moto(Child);

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The same suite against a real S3-compatible server on loopback (moto).
/// Required when PORTICO_TEST_S3=1 (scripts/test.sh sets it); otherwise
/// skipped with a note when moto isn't installed.
#[tokio::test]
async fn documents_on_s3_compatible_storage() {
    let required = std::env::var("PORTICO_TEST_S3").is_ok_and(|v| v == "1");
    let Some(bin) = moto_binary() else {
        assert!(!required, "PORTICO_TEST_S3=1 but moto_server was not found (pip install 'moto[server]')");
        eprintln!("SKIPPED documents_on_s3_compatible_storage: moto_server not found (pip install 'moto[server]')");
        return;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(&bin)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {bin}: {e}"));
    let _moto = Moto(child);
    let endpoint = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let mut up = false;
    for _ in 0..100 {
        if http.get(format!("{endpoint}/")).send().await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(up, "moto_server did not start on {endpoint}");
    // Create the bucket through the S3 API (moto accepts unsigned requests).
    let r = http.put(format!("{endpoint}/portico-test")).send().await.unwrap();
    assert!(r.status().is_success(), "create bucket: {}", r.status());
    let ep = endpoint.clone();
    let t = spawn_with(move |s| {
        s.storage = "s3".into();
        s.s3_bucket = Some("portico-test".into());
        s.s3_endpoint = Some(ep);
        s.s3_region = "us-east-1".into();
        s.s3_access_key_id = Some("testing".into());
        s.s3_secret_access_key = Some("testing".into());
    })
    .await;
    assert!(t.app.storage.label().starts_with("s3"), "{}", t.app.storage.label());
    core_suite(&t).await;
    // The objects are in the bucket: list it through the S3 API.
    let listing = http.get(format!("{endpoint}/portico-test?list-type=2")).send().await.unwrap().text().await.unwrap();
    let key = t.text("SELECT object_key FROM documents ORDER BY id DESC LIMIT 1").await;
    assert!(listing.contains(&key), "{key} not in the bucket listing");
    t.stop().await;
}

#[tokio::test]
async fn another_customers_and_companys_document_ids_are_404_everywhere() {
    let t = spawn().await;
    let jane_id = jane(&t).await;
    let doc = t.scalar(&format!("SELECT MIN(id) FROM documents WHERE contact_id = {jane_id}")).await;
    let acct = t.scalar(&format!("SELECT MIN(id) FROM accounts WHERE contact_id = {jane_id}")).await;
    let income = type_id(&t, "acme", "Proof of income").await;
    // Another customer of the same company (Nora, onboarded for the test).
    let nora = t.client();
    nora.sign_in(ACME, "new.customer@example.com", PASSWORD).await;
    let r = nora.post(ACME, "/onboarding", "/onboarding", &[("dob", "1985-04-12"), ("ssn4", "1234")]).await;
    assert_eq!(r.location.as_deref(), Some("/?m=verified"));
    assert_eq!(nora.get(ACME, "/documents").await.status, 200);
    // A customer of another company (with its Documents section switched on).
    sqlx::query(
        "UPDATE portal_settings SET sections = sections || ',documents' \
         WHERE company_id = (SELECT id FROM companies WHERE slug = 'northwind')",
    )
    .execute(t.db.w())
    .await
    .unwrap();
    let buyer = t.client();
    buyer.sign_in(NW, "buyer@northwind.example", PASSWORD).await;
    assert_eq!(buyer.get(NW, "/documents").await.status, 200);
    for (c, host) in [(&nora, ACME), (&buyer, NW)] {
        for path in [
            format!("/documents/{doc}"),
            format!("/documents/{doc}/download"),
            format!("/documents/{doc}/view"),
            format!("/accounts/{acct}/documents"),
            "/documents/not-a-number".to_string(),
        ] {
            assert_eq!(c.get(host, &path).await.status, 404, "{host}{path}");
        }
        let before = doc_count(&t).await;
        let r = upload(
            c,
            host,
            "/documents",
            &format!("/accounts/{acct}/documents"),
            &[("type_id", &income.to_string())],
            vec![("x.pdf".into(), pdf("x"))],
            false,
        )
        .await;
        assert_eq!(r.status, 404, "upload to another's account on {host}");
        assert_eq!(doc_count(&t).await, before);
    }
    // Northwind staff: Acme's documents, contacts and types.
    let nw = t.client();
    nw.staff_sign_in(NW, "admin@northwind.example").await;
    let form = "/staff/settings/documents";
    for path in [format!("/staff/documents/{doc}/download"), format!("/staff/contacts/{jane_id}/documents")] {
        assert_eq!(nw.get(NW, &path).await.status, 404, "{path}");
    }
    for path in [
        format!("/staff/documents/{doc}/exclude"),
        format!("/staff/documents/{doc}/include"),
        format!("/staff/settings/documents/types/{income}/delete"),
    ] {
        assert_eq!(nw.post(NW, form, &path, &[]).await.status, 404, "{path}");
    }
    let r = nw
        .post(NW, form, &format!("/staff/settings/documents/types/{income}"), &[("name", "Mine"), ("visible", "1")])
        .await;
    assert_eq!(r.status, 404);
    let r = upload(
        &nw,
        NW,
        form,
        &format!("/staff/contacts/{jane_id}/documents"),
        &[("type_id", &income.to_string())],
        vec![("x.pdf".into(), pdf("x"))],
        false,
    )
    .await;
    assert_eq!(r.status, 404);
    assert_eq!(t.scalar(&format!("SELECT excluded FROM documents WHERE id = {doc}")).await, 0);
    assert_eq!(t.text(&format!("SELECT name FROM document_types WHERE id = {income}")).await, "Proof of income");
    // Read-only staff see documents but don't upload or exclude.
    let viewer = t.client();
    viewer.staff_sign_in(ACME, "viewer@acme.example").await;
    assert_eq!(viewer.get(ACME, &format!("/staff/contacts/{jane_id}/documents")).await.status, 200);
    let page = format!("/staff/contacts/{jane_id}/documents");
    assert_eq!(viewer.post(ACME, &page, &format!("/staff/documents/{doc}/exclude"), &[]).await.status, 403);
    assert_eq!(viewer.get(ACME, "/staff/settings/documents").await.status, 403);
    t.stop().await;
}

#[tokio::test]
async fn agents_view_documents_but_downloads_follow_the_type_and_are_audited() {
    let t = spawn().await;
    let jane_id = jane(&t).await;
    let staff = t.client();
    staff.staff_sign_in(ACME, "admin@acme.example").await;
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
    let lib = staff.get(ACME, "/documents").await;
    assert_eq!(lib.status, 200, "Agents never see onboarding and can view the library");
    assert!(lib.body.contains("Loan agreement (signed).pdf"));
    assert!(!lib.body.contains("Send us documents"), "no upload box for Agents");
    let contract = t
        .scalar(
            "SELECT MIN(d.id) FROM documents d JOIN document_types t ON t.id = d.type_id WHERE t.name = 'Contracts'",
        )
        .await;
    let statement = t.scalar(&format!("SELECT MIN(d.id) FROM documents d JOIN document_types t ON t.id = d.type_id WHERE t.name = 'Statements' AND d.contact_id = {jane_id}")).await;
    assert_eq!(staff.get(ACME, &format!("/documents/{contract}")).await.status, 200, "the page is visible");
    for path in [format!("/documents/{contract}/download"), format!("/documents/{contract}/view")] {
        let r = staff.get(ACME, &path).await;
        assert_eq!(r.status, 403, "{path}");
        assert!(r.body.contains("Agents can view this customer's documents but not download them"));
    }
    assert!(
        t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'access.refused' AND actor_kind = 'agent' AND detail LIKE '%download document%'")
            .await
            >= 2
    );
    // Statements allow agent downloads: served, and audited.
    assert_eq!(staff.get(ACME, &format!("/documents/{statement}/download")).await.status, 200);
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'document.download' AND actor_kind = 'agent'").await,
        1
    );
    // Agents never pass through onboarding, even for a customer who hasn't finished it.
    let owen = t.scalar("SELECT contact_id FROM portal_users WHERE email = 'owen.upton@example.com'").await;
    let agent2 = t.client();
    agent2.staff_sign_in(ACME, "admin@acme.example").await;
    let r = agent2
        .post(
            ACME,
            &format!("/staff/contacts/{owen}"),
            &format!("/staff/contacts/{owen}/portal/login-as"),
            &[("domain_id", &domain)],
        )
        .await;
    agent2.get(ACME, &r.location.unwrap()).await;
    assert_eq!(agent2.get(ACME, "/documents").await.status, 200, "no onboarding for Agents");
    assert_eq!(agent2.get(ACME, "/onboarding").await.location.as_deref(), Some("/"));
    // Agents don't upload in the portal; refused before any byte is stored.
    let before = doc_count(&t).await;
    let ident = type_id(&t, "acme", "Identification").await.to_string();
    let r = upload(
        &staff,
        ACME,
        "/documents",
        "/documents",
        &[("type_id", &ident)],
        vec![("x.pdf".into(), pdf("x"))],
        false,
    )
    .await;
    assert_eq!(r.status, 403);
    assert_eq!(doc_count(&t).await, before);
    assert!(
        t.scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'access.refused' AND detail LIKE '%upload a document%'"
        )
        .await
            == 1
    );
    t.stop().await;
}

#[tokio::test]
async fn onboarding_asks_statement_delivery_then_required_documents() {
    let t = spawn().await;
    let c = t.client();
    c.sign_in(ACME, "owen.upton@example.com", PASSWORD).await;
    assert_eq!(c.get(ACME, "/documents").await.location.as_deref(), Some("/onboarding"));
    let r = c.post(ACME, "/onboarding", "/onboarding", &[("dob", "1990-07-21"), ("ssn4", "5678")]).await;
    assert_eq!(r.location.as_deref(), Some("/?m=verified"));
    // Still not in: the statement choice comes first.
    assert_eq!(c.get(ACME, "/").await.location.as_deref(), Some("/onboarding"));
    let step = c.get(ACME, "/onboarding").await;
    assert!(step.body.contains("How would you like your statements?"), "{}", step.body);
    let r = c.post(ACME, "/onboarding", "/onboarding/statements", &[("delivery", "carrier pigeon")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Choose paper or paperless statements."));
    let r = c.post(ACME, "/onboarding", "/onboarding/statements", &[("delivery", "paperless")]).await;
    assert_eq!(r.location.as_deref(), Some("/onboarding"));
    let owen = t.scalar("SELECT contact_id FROM portal_users WHERE email = 'owen.upton@example.com'").await;
    assert_eq!(
        t.text(&format!("SELECT delivery FROM statement_preferences WHERE contact_id = {owen}")).await,
        "paperless"
    );
    // Then the required document.
    let step = c.get(ACME, "/onboarding").await;
    assert!(step.body.contains("Documents we need") && step.body.contains("Proof of income"));
    assert_eq!(c.get(ACME, "/accounts").await.location.as_deref(), Some("/onboarding"));
    let income = type_id(&t, "acme", "Proof of income").await.to_string();
    let r = upload(
        &c,
        ACME,
        "/onboarding",
        "/onboarding/documents",
        &[("type_id", &income)],
        vec![("pay.pdf".into(), b"MZ".to_vec())],
        false,
    )
    .await;
    assert_eq!(r.status, 422, "a refused file keeps the customer on the step");
    assert!(r.body.contains("Programs and scripts"));
    let r = upload(
        &c,
        ACME,
        "/onboarding",
        "/onboarding/documents",
        &[("type_id", &income)],
        vec![("pay.pdf".into(), pdf("pay"))],
        false,
    )
    .await;
    assert_eq!(r.location.as_deref(), Some("/?m=onboarding-done"), "{}", r.body);
    assert_eq!(c.get(ACME, "/").await.status, 200);
    assert!(c.get(ACME, "/documents").await.body.contains("pay.pdf"));
    // My Account: the choice can be changed later.
    let acct = c.get(ACME, "/account").await;
    assert!(acct.body.contains("Statement delivery"));
    let r = c.post(ACME, "/account", "/account/statement-delivery", &[("delivery", "paper")]).await;
    assert_eq!(r.location.as_deref(), Some("/account?m=statement-delivery-saved"));
    assert_eq!(t.text(&format!("SELECT delivery FROM statement_preferences WHERE contact_id = {owen}")).await, "paper");
    // A type made required later is asked at the next visit.
    let admin = t.client();
    admin.staff_sign_in(ACME, "admin@acme.example").await;
    let ident = type_id(&t, "acme", "Identification").await;
    let r = admin
        .post(
            ACME,
            "/staff/settings/documents",
            &format!("/staff/settings/documents/types/{ident}"),
            &[
                ("name", "Identification"),
                ("visible", "1"),
                ("customer_upload", "1"),
                ("customer_download", "1"),
                ("required_at_onboarding", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(c.get(ACME, "/").await.location.as_deref(), Some("/onboarding"));
    // Inconsistent rules are refused beside the field.
    let r = admin
        .post(
            ACME,
            "/staff/settings/documents",
            &format!("/staff/settings/documents/types/{ident}"),
            &[("name", "Identification"), ("required_at_onboarding", "1")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("must be visible to customers and open to their uploads"));
    t.stop().await;
}

#[tokio::test]
async fn document_types_are_managed_by_admins() {
    let t = spawn().await;
    let admin = t.client();
    admin.staff_sign_in(ACME, "admin@acme.example").await;
    let form = "/staff/settings/documents";
    let r = admin.post(ACME, form, "/staff/settings/documents/types", &[("name", "  "), ("visible", "1")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Give the type a name"));
    let r = admin.post(ACME, form, "/staff/settings/documents/types", &[("name", "Contracts"), ("visible", "1")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("A document type with this name exists."));
    let r = admin
        .post(
            ACME,
            form,
            "/staff/settings/documents/types",
            &[("name", "Tax forms"), ("visible", "1"), ("customer_upload", "1")],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/staff/settings/documents?m=type-added"));
    let id = type_id(&t, "acme", "Tax forms").await;
    assert_eq!(
        t.scalar(&format!("SELECT agent_download FROM document_types WHERE id = {id}")).await,
        0,
        "agents: no by default"
    );
    let r = admin.post(ACME, form, "/staff/settings/documents", &[("max_upload_mb", "5000")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("from 1 to 25"));
    // A type holding documents can't be removed; an empty one can.
    let contracts = type_id(&t, "acme", "Contracts").await;
    let r = admin.post(ACME, form, &format!("/staff/settings/documents/types/{contracts}/delete"), &[]).await;
    assert_eq!(r.status, 409);
    let r = admin.post(ACME, form, &format!("/staff/settings/documents/types/{id}/delete"), &[]).await;
    assert_eq!(r.location.as_deref(), Some("/staff/settings/documents?m=type-deleted"));
    for action in ["document_type.add", "document_type.delete"] {
        assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'")).await, 1);
    }
    let servicer = t.client();
    servicer.staff_sign_in(ACME, "servicer@acme.example").await;
    assert_eq!(servicer.get(ACME, form).await.status, 403);
    t.stop().await;
}
