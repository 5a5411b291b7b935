//! Intake and profile values: the company's fields, each customer's answers, checked by field type (seed 001).

use crate::authz::Permission;
use portico_domain::codes::Action;

use portico_domain::validate;
use portico_store::settlement::{self as st, IntakeField};
use portico_store::{StoreError, people};

use crate::auth::Staff;
use crate::{App, AppError, FieldErrors, Origin, audit, now};

use super::money_or_zero;
use super::portal::FIELD_TYPES;
use super::portal::profile_of;

// ---------------------------------------------------------------- console: intake

/// A contact's intake data for the console: defined fields with values,
/// then values under keys no field uses.
pub async fn intake_for_staff(
    app: &App,
    s: &Staff,
    contact_id: i64,
) -> Result<(people::Contact, Vec<(IntakeField, String)>, Vec<(String, String)>), AppError> {
    let contact = people::contact(app.db.r(), s.company_id, contact_id).await?.ok_or(AppError::NotFound)?;
    let fields = profile_of(app, s.company_id, contact_id).await?;
    let values = st::intake_values(app.db.r(), s.company_id, contact_id).await?;
    let extra = values.into_iter().filter(|(k, _)| !fields.iter().any(|(f, _)| f.field_key == *k)).collect();
    Ok((contact, fields, extra))
}

/// Check one value against its field type; returns the stored form
/// (dates ISO, money in cents, yes/no as `yes`/`no`).
pub fn check_value(field_type: &str, raw: &str) -> Result<String, String> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(String::new());
    }
    match field_type {
        "date" => validate::date(v).map(validate::iso_date).ok_or_else(|| "Enter a date as YYYY-MM-DD.".to_string()),
        "money" => money_or_zero(v).map(|c| c.to_string()).map_err(str::to_string),
        "yes_no" => match v.to_ascii_lowercase().as_str() {
            "yes" | "y" | "true" | "1" => Ok("yes".into()),
            "no" | "n" | "false" | "0" => Ok("no".into()),
            _ => Err("Choose yes or no.".into()),
        },
        _ => validate::line(v, 500).map_err(str::to_string),
    }
}

/// The value as the console's form shows it (money back to dollars).
pub fn edit_value(field_type: &str, stored: &str) -> String {
    match field_type {
        "money" => stored.parse::<i64>().map(|c| format!("{}.{:02}", c / 100, c % 100)).unwrap_or_default(),
        _ => stored.to_string(),
    }
}

/// Save a contact's intake values: `values` are (key, raw) for defined
/// fields; `new_key`/`new_value` adds one more free key. All or nothing.
pub async fn save_intake(
    app: &App,
    s: &Staff,
    contact_id: i64,
    values: &[(String, String)],
    new_key: &str,
    new_value: &str,
    origin: &Origin,
) -> Result<(), AppError> {
    s.require(Permission::ServiceCustomers)?;
    people::contact(app.db.r(), s.company_id, contact_id).await?.ok_or(AppError::NotFound)?;
    let fields = st::intake_fields(app.db.r(), s.company_id).await?;
    let mut e = FieldErrors::new();
    let mut out: Vec<(String, String)> = Vec::new();
    for (key, raw) in values.iter().take(500) {
        let ty = fields.iter().find(|f| f.field_key == *key).map(|f| f.field_type.as_str()).unwrap_or("text");
        match check_value(ty, raw) {
            Ok(v) => out.push((key.clone(), v)),
            Err(m) => {
                let label = fields.iter().find(|f| f.field_key == *key).map(|f| f.label.clone()).unwrap_or(key.clone());
                e.add("values", format!("{label}: {m}"));
            }
        }
    }
    let nk = new_key.trim();
    if !nk.is_empty() || !new_value.trim().is_empty() {
        match check_key(nk) {
            Ok(k) => match validate::line(new_value, 500) {
                Ok(v) if !v.is_empty() => out.push((k, v)),
                Ok(_) => e.add("new_value", "Enter the value."),
                Err(m) => e.add("new_value", m),
            },
            Err(m) => e.add("new_key", m),
        }
    }
    e.into_result()?;
    let mut tx = app.db.begin().await?;
    let t = now();
    for (k, v) in &out {
        st::set_intake_value(&mut *tx, s.company_id, contact_id, k, v, t).await?;
    }
    audit::staff(&mut *tx, s, origin, Action::IntakeSave, Some(contact_id), &format!("{} intake values", out.len()))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// A field key: lower-case letters, digits and underscores, 1–50.
pub fn check_key(raw: &str) -> Result<String, &'static str> {
    let k = raw.trim().to_ascii_lowercase();
    if k.is_empty() {
        return Err("Enter a key, for example employer or monthly_income.");
    }
    if k.len() > 50 || !k.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
        return Err("Use lower-case letters, digits and underscores only (50 at most).");
    }
    Ok(k)
}

#[derive(Debug, Clone, Default)]
pub struct FieldInput {
    pub key: String,
    pub label: String,
    pub field_type: String,
    pub position: String,
}

fn check_field(input: &FieldInput, with_key: bool) -> Result<(String, String, String, i64), AppError> {
    let mut e = FieldErrors::new();
    let key = if with_key {
        check_key(&input.key).unwrap_or_else(|m| {
            e.add("key", m);
            String::new()
        })
    } else {
        String::new()
    };
    let label = match validate::line(&input.label, 100) {
        Ok(l) if l.is_empty() => {
            e.add("label", "Enter the label customers see, for example Employer.");
            l
        }
        Ok(l) => l,
        Err(m) => {
            e.add("label", m);
            String::new()
        }
    };
    if !FIELD_TYPES.iter().any(|(k, _)| *k == input.field_type) {
        e.add("field_type", "Choose a type.");
    }
    let position = if input.position.trim().is_empty() {
        0
    } else {
        match input.position.trim().parse::<i64>() {
            Ok(p) if (0..=1000).contains(&p) => p,
            _ => {
                e.add("position", "Enter a number from 0 to 1000.");
                0
            }
        }
    };
    e.into_result()?;
    Ok((key, label, input.field_type.clone(), position))
}

pub async fn add_field(app: &App, s: &Staff, input: &FieldInput, origin: &Origin) -> Result<i64, AppError> {
    s.require(Permission::ManageSettings)?;
    let (key, label, ty, position) = check_field(input, true)?;
    let mut tx = app.db.begin().await?;
    let id = match st::insert_intake_field(&mut *tx, s.company_id, &key, &label, &ty, position, now()).await {
        Ok(id) => id,
        Err(StoreError::Conflict(_)) => {
            return Err(FieldErrors::single("key", "A profile field with this key exists."));
        }
        Err(e) => return Err(e.into()),
    };
    audit::staff(&mut *tx, s, origin, Action::ProfileFieldAdd, None, &format!("{key} \"{label}\" ({ty})")).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_field(app: &App, s: &Staff, id: i64, input: &FieldInput, origin: &Origin) -> Result<(), AppError> {
    s.require(Permission::ManageSettings)?;
    let (_, label, ty, position) = check_field(input, false)?;
    let mut tx = app.db.begin().await?;
    if !st::update_intake_field(&mut *tx, s.company_id, id, &label, &ty, position).await? {
        return Err(AppError::NotFound);
    }
    audit::staff(&mut *tx, s, origin, Action::ProfileFieldUpdate, None, &format!("field #{id} \"{label}\" ({ty})"))
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_field(app: &App, s: &Staff, id: i64, origin: &Origin) -> Result<(), AppError> {
    s.require(Permission::ManageSettings)?;
    let mut tx = app.db.begin().await?;
    if !st::delete_intake_field(&mut *tx, s.company_id, id).await? {
        return Err(AppError::NotFound);
    }
    audit::staff(&mut *tx, s, origin, Action::ProfileFieldDelete, None, &format!("field #{id}")).await?;
    tx.commit().await?;
    Ok(())
}
