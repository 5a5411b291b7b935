//! Contacts created by staff in the console; the CRM's upserts are
//! `crate::api::contacts`, checked by the same rules.

use crate::authz::Permission;
use portico_domain::codes::Action;
use portico_domain::validate;
use portico_store::people::{self, NewContact};

use crate::auth::Staff;
use crate::{App, AppError, FieldErrors, Origin, audit, now, onboarding};

/// The "New contact" form as typed.
#[derive(Debug, Clone, Default)]
pub struct ContactInput {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub customer_number: String,
    pub external_id: String,
    pub account_number: String,
    pub address: String,
    pub date_of_birth: String,
    pub ssn_last4: String,
    pub customer_since: String,
    /// The CRM's stage and status words (API only; shown to staff).
    pub stage: String,
    pub status: String,
}

fn opt(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// A contact as typed (console) or sent (API), checked: the row to store
/// (date of birth sealed) and the SSN's last four digits, if given, to MAC
/// once the contact's id is known.
pub(crate) fn check(app: &App, input: &ContactInput) -> Result<(NewContact, Option<String>), AppError> {
    let mut e = FieldErrors::new();
    let mut line = |field: &'static str, v: &str, max: usize, required: bool| {
        let r = validate::line(v, max).unwrap_or_else(|m| {
            e.add(field, m);
            String::new()
        });
        if required && r.is_empty() && v.trim().is_empty() {
            e.add(field, "This is required.");
        }
        r
    };
    let first_name = line("first_name", &input.first_name, 80, true);
    let last_name = line("last_name", &input.last_name, 80, true);
    let phone = line("phone", &input.phone, 40, false);
    let customer_number = line("customer_number", &input.customer_number, 40, true);
    let external_id = line("external_id", &input.external_id, 80, false);
    let account_number = line("account_number", &input.account_number, 60, false);
    let stage = line("stage", &input.stage, 80, false);
    let status = line("status", &input.status, 80, false);
    let address = validate::text(&input.address, 300).unwrap_or_else(|m| {
        e.add("address", m);
        String::new()
    });
    let email = if input.email.trim().is_empty() {
        None
    } else {
        let v = validate::email(&input.email);
        if v.is_none() {
            e.add("email", "Enter an e-mail address like name@example.com, or leave it empty.");
        }
        v
    };
    let today = time::OffsetDateTime::now_utc().date();
    let mut date = |field: &'static str, v: &str| -> Option<String> {
        if v.trim().is_empty() {
            return None;
        }
        match validate::date(v) {
            Some(d) if d <= today && d.year() >= 1900 => Some(validate::iso_date(d)),
            Some(_) => {
                e.add(field, "The date must be in the past.");
                None
            }
            None => {
                e.add(field, "Enter a date like 1985-04-12.");
                None
            }
        }
    };
    let dob = date("date_of_birth", &input.date_of_birth);
    let since = date("customer_since", &input.customer_since);
    let ssn = if input.ssn_last4.trim().is_empty() {
        None
    } else {
        let v = validate::ssn_last4(&input.ssn_last4);
        if v.is_none() {
            e.add("ssn_last4", "Enter exactly four digits, or leave it empty.");
        }
        v
    };
    e.into_result()?;
    Ok((
        NewContact {
            external_id: opt(external_id),
            customer_number,
            first_name,
            last_name,
            email,
            phone: opt(phone),
            dob_enc: dob.as_deref().map(|d| app.keys.seal(d)),
            ssn4_mac: None,
            account_number,
            address,
            customer_since: since,
            stage,
            status,
        },
        ssn,
    ))
}

pub async fn create(app: &App, staff: &Staff, input: &ContactInput, origin: &Origin) -> Result<i64, AppError> {
    staff.require(Permission::ServiceCustomers)?;
    let (contact, ssn) = check(app, input)?;
    let mut tx = app.db.begin().await?;
    let id = match people::insert_contact(&mut *tx, staff.company_id, &contact, now()).await {
        Ok(id) => id,
        Err(portico_store::StoreError::Conflict(m)) => {
            let field = if m.contains("external_id") { "external_id" } else { "customer_number" };
            return Err(FieldErrors::single(field, "Another contact already has this id."));
        }
        Err(other) => return Err(other.into()),
    };
    if let Some(ssn) = ssn {
        let mac = app.keys.mac(&onboarding::ssn_context(id), &ssn);
        people::set_contact_ssn_mac(&mut *tx, staff.company_id, id, &mac).await?;
    }
    audit::staff(&mut *tx, staff, origin, Action::ContactCreate, Some(id), "").await?;
    let data = serde_json::json!({ "contact_id": id, "external_id": contact.external_id });
    crate::webhooks::emit(&mut tx, staff.company_id, "contact.created", data).await?;
    tx.commit().await?;
    Ok(id)
}
