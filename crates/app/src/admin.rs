//! Operator commands (the `portico company` and `portico staff` CLI):
//! create a company with its domains, add staff users.

use portico_domain::codes::Role;
use portico_domain::{password, validate};
use portico_store::companies;
use portico_store::people;

use crate::crypto::hash_password;
use crate::{App, AppError, FieldErrors, demo, now};

pub async fn add_company(app: &App, slug: &str, name: &str, hosts: &[String]) -> Result<i64, AppError> {
    let mut e = FieldErrors::new();
    let slug_ok = !slug.is_empty()
        && slug.len() <= 40
        && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !slug_ok {
        e.add("slug", "Use 1–40 lower-case letters, digits or hyphens.");
    }
    let name = validate::line(name, 120).unwrap_or_default();
    if name.is_empty() {
        e.add("name", "Give the company a name.");
    }
    let mut clean = Vec::new();
    for h in hosts {
        match validate::host(h) {
            Some(h) => clean.push(h),
            None => e.add("host", format!("{h:?} is not a host name.")),
        }
    }
    if clean.is_empty() {
        e.add("host", "Give at least one host name (the portal's domain).");
    }
    e.into_result()?;
    let refs: Vec<&str> = clean.iter().map(String::as_str).collect();
    match demo::create_company(app, slug, &name, &refs).await {
        Err(AppError::Store(portico_store::StoreError::Conflict(m))) => {
            Err(AppError::Conflict(format!("the slug or a host name is already in use ({m})")))
        }
        other => other,
    }
}

/// Add a staff user. The password follows the same rules as customers'.
pub async fn add_staff(
    app: &App,
    company_slug: &str,
    email: &str,
    name: &str,
    role: &str,
    new_password: &str,
) -> Result<i64, AppError> {
    let company = companies::list(app.db.r())
        .await?
        .into_iter()
        .find(|c| c.slug == company_slug)
        .ok_or_else(|| AppError::Conflict(format!("no company with slug {company_slug:?}")))?;
    let mut e = FieldErrors::new();
    let email = validate::email(email).unwrap_or_else(|| {
        e.add("email", "Enter an e-mail address.");
        String::new()
    });
    let name = validate::line(name, 120).unwrap_or_default();
    if name.is_empty() {
        e.add("name", "Give the staff member's name.");
    }
    let role = Role::from_code(role).unwrap_or_else(|| {
        e.add("role", "The role is admin, servicer or readonly.");
        Role::ReadOnly
    });
    let words = password::PersonalWords::new([name.as_str(), email.as_str(), company.name.as_str()]);
    if let Err(p) = password::check(new_password, &words) {
        e.add("password", p.to_string());
    }
    e.into_result()?;
    let hash = hash_password(new_password);
    match people::insert_staff(app.db.w(), company.id, &email, &name, role, Some(&hash), now()).await {
        Err(portico_store::StoreError::Conflict(_)) => {
            Err(AppError::Conflict(format!("{email} is already a staff user of {}", company.name)))
        }
        other => Ok(other?),
    }
}
