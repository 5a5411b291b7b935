//! Contacts by API: read one, list in change order for incremental sync,
//! and upsert by the CRM's own id. Identity data is sealed as in the
//! console (date of birth encrypted, SSN digits only as a keyed MAC) and is
//! never sent back: the representation says whether it is on file.

use portico_domain::codes::{Action, ApiScope};
use portico_store::StoreError;
use portico_store::people::{self, Contact, NewContact};
use serde::{Deserialize, Serialize};

use super::{etag, rfc3339};
use crate::api_keys::ApiClient;
use crate::contacts::{ContactInput, check};
use crate::{App, AppError, FieldErrors, audit, now, onboarding};

/// A contact as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ContactView {
    pub id: i64,
    pub external_id: Option<String>,
    pub customer_number: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub account_number: String,
    pub address: String,
    pub stage: String,
    pub status: String,
    pub customer_since: Option<String>,
    pub date_of_birth_on_file: bool,
    pub ssn_last4_on_file: bool,
    pub created_at: String,
    pub updated_at: String,
    #[serde(skip)]
    pub etag: String,
}

fn view(c: &Contact) -> ContactView {
    let mut v = ContactView {
        id: c.id,
        external_id: c.external_id.clone(),
        customer_number: c.customer_number.clone(),
        first_name: c.first_name.clone(),
        last_name: c.last_name.clone(),
        email: c.email.clone(),
        phone: c.phone.clone(),
        account_number: c.account_number.clone(),
        address: c.address.clone(),
        stage: c.stage.clone(),
        status: c.status.clone(),
        customer_since: c.customer_since.clone(),
        date_of_birth_on_file: c.dob_enc.is_some(),
        ssn_last4_on_file: c.ssn4_mac.is_some(),
        created_at: rfc3339(c.created_at),
        updated_at: rfc3339(c.updated_at),
        etag: String::new(),
    };
    let shown = serde_json::to_string(&v).unwrap_or_default();
    v.etag = etag(&[&shown, c.dob_enc.as_deref().unwrap_or(""), c.ssn4_mac.as_deref().unwrap_or("")]);
    v
}

pub async fn get(app: &App, client: &ApiClient, id: i64) -> Result<ContactView, AppError> {
    client.require(ApiScope::Read)?;
    let c = people::contact(app.db.r(), client.company_id, id).await?.ok_or(AppError::NotFound)?;
    Ok(view(&c))
}

pub async fn get_by_external_id(app: &App, client: &ApiClient, external_id: &str) -> Result<ContactView, AppError> {
    client.require(ApiScope::Read)?;
    let c =
        people::contact_by_external_id(app.db.r(), client.company_id, external_id).await?.ok_or(AppError::NotFound)?;
    Ok(view(&c))
}

/// One page of contacts in change order.
#[derive(Debug, Serialize)]
pub struct ContactPage {
    pub data: Vec<ContactView>,
    /// Pass as `cursor` for the next page; `None` when this is the last.
    pub next_cursor: Option<String>,
}

/// Contacts changed at or after `updated_since` (RFC 3339), after `cursor`,
/// at most `limit` (1–500, default 100).
pub async fn list(
    app: &App,
    client: &ApiClient,
    updated_since: Option<&str>,
    cursor: Option<&str>,
    limit: Option<i64>,
) -> Result<ContactPage, AppError> {
    client.require(ApiScope::Read)?;
    let mut e = FieldErrors::new();
    let since = updated_since.and_then(|s| {
        let t = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok();
        if t.is_none() {
            e.add("updated_since", "Give a time like 2026-01-31T00:00:00Z.");
        }
        t.map(|t| t.unix_timestamp())
    });
    let after = cursor.and_then(|c| {
        let p = super::parse_cursor(c);
        if p.is_none() {
            e.add("cursor", "Pass the next_cursor of the previous page as it came.");
        }
        p
    });
    let limit = limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        e.add("limit", "Ask for 1 to 500 contacts a page.");
    }
    e.into_result()?;
    let rows = people::contacts_changed(app.db.r(), client.company_id, since, after, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    let rows = &rows[..rows.len().min(limit as usize)];
    let next_cursor = more.then(|| rows.last().map(|c| super::cursor(c.updated_at, c.id))).flatten();
    Ok(ContactPage { data: rows.iter().map(view).collect(), next_cursor })
}

/// The body of `PUT /contacts/by-external-id/{id}`: the whole contact. A
/// field left out is empty afterwards (date of birth and SSN digits too),
/// except `customer_number`, which is kept (on create it defaults to the
/// external id).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactUpsert {
    pub customer_number: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub account_number: Option<String>,
    pub address: Option<String>,
    pub stage: Option<String>,
    pub status: Option<String>,
    pub customer_since: Option<String>,
    pub date_of_birth: Option<String>,
    pub ssn_last4: Option<String>,
}

/// What an upsert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// Create or update the contact with this external id. `if_match` is the
/// request's `If-Match` header: when given, the contact's current tag must
/// match (`PreconditionFailed` otherwise), so two systems don't overwrite
/// each other unseen. Two upserts of one new id at once make one contact.
pub async fn upsert(
    app: &App,
    client: &ApiClient,
    external_id: &str,
    body: &ContactUpsert,
    if_match: Option<&str>,
) -> Result<(Outcome, ContactView), AppError> {
    client.require(ApiScope::Write)?;
    // An empty If-Match is no precondition (RFC 9110 wants at least one tag).
    let if_match = if_match.map(str::trim).filter(|v| !v.is_empty());
    let external_id = external_id.trim();
    if external_id.is_empty() || external_id.chars().count() > 80 || external_id.chars().any(char::is_control) {
        return Err(FieldErrors::single("external_id", "An external id is 1 to 80 characters."));
    }
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let input = |customer_number: String| ContactInput {
        first_name: s(&body.first_name),
        last_name: s(&body.last_name),
        email: s(&body.email),
        phone: s(&body.phone),
        customer_number,
        external_id: external_id.to_string(),
        account_number: s(&body.account_number),
        address: s(&body.address),
        date_of_birth: s(&body.date_of_birth),
        ssn_last4: s(&body.ssn_last4),
        customer_since: s(&body.customer_since),
        stage: s(&body.stage),
        status: s(&body.status),
    };
    // A racing create of the same id loses on the unique index and is
    // retried once as an update.
    for attempt in 0..2 {
        let mut tx = app.db.begin().await?;
        let existing = people::contact_by_external_id(&mut *tx, client.company_id, external_id).await?;
        let current = existing.as_ref().map(view);
        if !super::if_match_holds(if_match, current.as_ref().map(|v| v.etag.as_str())) {
            return Err(AppError::PreconditionFailed(
                "The contact changed since you read it (or doesn't exist): read it again and resend.".into(),
            ));
        }
        let number = body
            .customer_number
            .clone()
            .or_else(|| existing.as_ref().map(|c| c.customer_number.clone()))
            .unwrap_or_else(|| external_id.to_string());
        let (mut row, ssn) = check(app, &input(number))?;
        let result = match &existing {
            None => create(app, &mut tx, client, &row, ssn.as_deref()).await,
            Some(c) => {
                let mac = ssn.as_deref().map(|d| app.keys.mac(&onboarding::ssn_context(c.id), d));
                let dob_now = c.dob_enc.as_deref().and_then(|d| app.keys.open(d).ok());
                let dob_new = body.date_of_birth.as_deref().and_then(portico_domain::validate::date);
                let dob_same = dob_now.as_deref() == dob_new.map(portico_domain::validate::iso_date).as_deref();
                // An unchanged date keeps its sealed form, so the tag stays.
                row.dob_enc = if dob_same { c.dob_enc.clone() } else { row.dob_enc };
                row.ssn4_mac = mac;
                if same(c, &row) {
                    return Ok((Outcome::Unchanged, view(c)));
                }
                update(&mut tx, client, c, &row).await.map(|()| c.id)
            }
        };
        match result {
            Ok(id) => {
                let c = people::contact(&mut *tx, client.company_id, id).await?.ok_or(AppError::NotFound)?;
                tx.commit().await?;
                let outcome = if existing.is_some() { Outcome::Updated } else { Outcome::Created };
                return Ok((outcome, view(&c)));
            }
            Err(AppError::Store(StoreError::Conflict(m))) if m.contains("external_id") && attempt == 0 => continue,
            Err(AppError::Store(StoreError::Conflict(_))) => {
                return Err(FieldErrors::single(
                    "customer_number",
                    "Another contact already has this customer number.",
                ));
            }
            Err(e) => return Err(e),
        }
    }
    Err(AppError::Conflict("Another request is changing this contact; try again.".into()))
}

fn same(c: &Contact, n: &NewContact) -> bool {
    c.customer_number == n.customer_number
        && c.first_name == n.first_name
        && c.last_name == n.last_name
        && c.email == n.email
        && c.phone == n.phone
        && c.account_number == n.account_number
        && c.address == n.address
        && c.stage == n.stage
        && c.status == n.status
        && c.customer_since == n.customer_since
        && c.dob_enc == n.dob_enc
        && c.ssn4_mac == n.ssn4_mac
}

async fn create(
    app: &App,
    tx: &mut portico_store::Tx,
    client: &ApiClient,
    row: &NewContact,
    ssn: Option<&str>,
) -> Result<i64, AppError> {
    let id = people::insert_contact(&mut **tx, client.company_id, row, now()).await?;
    if let Some(ssn) = ssn {
        let mac = app.keys.mac(&onboarding::ssn_context(id), ssn);
        people::set_contact_ssn_mac(&mut **tx, client.company_id, id, &mac).await?;
    }
    let detail = format!("API key \"{}\": contact #{id}", client.name);
    audit::system(&mut **tx, client.company_id, Action::ContactCreate, Some(id), &detail).await?;
    let data = serde_json::json!({ "contact_id": id, "external_id": row.external_id });
    crate::webhooks::emit(tx, client.company_id, "contact.created", data).await?;
    Ok(id)
}

async fn update(tx: &mut portico_store::Tx, client: &ApiClient, c: &Contact, row: &NewContact) -> Result<(), AppError> {
    people::update_contact(&mut **tx, client.company_id, c.id, row, now()).await?;
    let detail = format!("API key \"{}\": contact #{}", client.name, c.id);
    audit::system(&mut **tx, client.company_id, Action::ContactUpdate, Some(c.id), &detail).await?;
    let data = serde_json::json!({ "contact_id": c.id, "external_id": c.external_id });
    crate::webhooks::emit(tx, client.company_id, "contact.updated", data).await?;
    Ok(())
}
