//! Another company's ids give 404 on every URL of the console, and a
//! session of one company is nothing on another's host.
use crate::common::{PASSWORD, spawn};

const ACME: &str = "acme.localhost";
const NW: &str = "northwind.localhost";

#[tokio::test]
async fn another_companys_ids_are_404_everywhere() {
    let t = spawn().await;
    let staff = t.client();
    staff.staff_sign_in(ACME, "admin@acme.example").await;
    let nw_contact = t.scalar("SELECT contact_id FROM portal_users u JOIN companies c ON c.id = u.company_id WHERE c.slug = 'northwind' LIMIT 1").await;
    let nw_unenrolled = t
        .scalar("SELECT c.id FROM contacts c JOIN companies co ON co.id = c.company_id LEFT JOIN portal_users u ON u.contact_id = c.id WHERE co.slug = 'northwind' AND u.id IS NULL LIMIT 1")
        .await;
    // Put an e-mail in Northwind's outbox.
    let nw_staff = t.client();
    nw_staff.staff_sign_in(NW, "admin@northwind.example").await;
    let r = nw_staff
        .post(
            NW,
            &format!("/staff/contacts/{nw_unenrolled}"),
            &format!("/staff/contacts/{nw_unenrolled}/portal/create"),
            &[],
        )
        .await;
    assert_eq!(r.status, 303);
    let nw_mail = t
        .scalar(
            "SELECT MAX(o.id) FROM outbox_emails o JOIN companies c ON c.id = o.company_id WHERE c.slug = 'northwind'",
        )
        .await;
    let nw_faq = t
        .scalar(
            "SELECT MIN(f.id) FROM faq_entries f JOIN companies c ON c.id = f.company_id WHERE c.slug = 'northwind'",
        )
        .await;
    let nw_domain = t.scalar("SELECT id FROM domains WHERE host = 'northwind.localhost'").await;

    assert_eq!(staff.get(ACME, &format!("/staff/contacts/{nw_contact}")).await.status, 404);
    assert_eq!(staff.get(ACME, &format!("/staff/mail/{nw_mail}")).await.status, 404);
    for action in ["create", "reset-password", "activate", "deactivate", "end-sessions", "login-as"] {
        let r = staff
            .post(
                ACME,
                "/staff/contacts",
                &format!("/staff/contacts/{nw_contact}/portal/{action}"),
                &[("domain_id", "1")],
            )
            .await;
        assert!(r.status == 404 || (action == "login-as" && r.status == 400), "{action}: {}", r.status);
    }
    let r = staff
        .post(
            ACME,
            "/staff/settings",
            &format!("/staff/settings/faq/{nw_faq}"),
            &[("question", "Hacked?"), ("answer", "yes")],
        )
        .await;
    assert_eq!(r.status, 404);
    let r = staff.post(ACME, "/staff/settings", &format!("/staff/settings/faq/{nw_faq}/delete"), &[]).await;
    assert_eq!(r.status, 404);
    let r = staff.post(ACME, "/staff/settings", &format!("/staff/settings/domains/{nw_domain}/delete"), &[]).await;
    assert_eq!(r.status, 404);
    let r = staff.post(ACME, "/staff/settings", &format!("/staff/settings/domains/{nw_domain}/primary"), &[]).await;
    assert_eq!(r.status, 404);
    assert_eq!(
        t.scalar(&format!("SELECT COUNT(*) FROM faq_entries WHERE id = {nw_faq} AND question <> 'Hacked?'")).await,
        1
    );
    assert_eq!(t.scalar("SELECT COUNT(*) FROM domains WHERE host = 'northwind.localhost'").await, 1);
    // Malformed ids are 404 too.
    assert_eq!(staff.get(ACME, "/staff/contacts/abc").await.status, 404);
    assert_eq!(staff.get(ACME, "/staff/contacts/99999999999999999999").await.status, 404);

    // Acme's staff session is nothing on Northwind's console.
    let r = staff.get(NW, "/staff/contacts").await;
    assert_eq!(r.status, 303);
    assert!(r.location.unwrap().starts_with("/staff/login"));
    // A customer session is not a staff session.
    let customer = t.client();
    customer.sign_in(ACME, "jane.doe", PASSWORD).await;
    assert_eq!(customer.get(ACME, "/staff/contacts").await.status, 303);
    t.stop().await;
}
