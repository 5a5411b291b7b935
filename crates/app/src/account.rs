//! My Account: profile, password and e-mail changes, sessions, and who from
//! the company viewed the account as an Agent.

use portico_domain::codes::Action;
use portico_domain::validate;
use portico_store::auth as st;
use portico_store::companies;
use portico_store::people::{self, UserTable};
use time::Date;

use crate::auth::Customer;
use crate::crypto::{hash_password, verify_password};
use crate::mail::{self, Outgoing};
use crate::{App, AppError, FieldErrors, Origin, audit, now};

#[derive(Debug, Clone)]
pub struct Profile {
    pub first_name: String,
    pub last_name: String,
    pub username: String,
    pub email: String,
    pub date_of_birth: Option<Date>,
    pub customer_since: Option<String>,
    pub account_number: String,
    pub customer_number: String,
    pub phone: Option<String>,
    pub address: String,
}

pub fn profile(app: &App, c: &Customer) -> Profile {
    let date_of_birth =
        c.contact.dob_enc.as_deref().and_then(|s| app.keys.open(s).ok()).and_then(|s| validate::date(&s));
    Profile {
        first_name: c.contact.first_name.clone(),
        last_name: c.contact.last_name.clone(),
        username: c.user.username.clone(),
        email: c.user.email.clone(),
        date_of_birth,
        customer_since: c.contact.customer_since.clone(),
        account_number: c.contact.account_number.clone(),
        customer_number: c.contact.customer_number.clone(),
        phone: c.contact.phone.clone(),
        address: c.contact.address.clone(),
    }
}

/// Agents may never change a password (they don't know the current one;
/// staff send a reset link instead).
pub async fn change_password(
    app: &App,
    c: &Customer,
    current: &str,
    new_password: &str,
    confirm: &str,
    end_other_sessions: bool,
    origin: &Origin,
) -> Result<(), AppError> {
    if c.is_agent() {
        audit::portal(app.db.w(), c, origin, Action::AccessRefused, "agent tried to change the password").await?;
        return Err(AppError::Forbidden(
            "Agents can't change a customer's password. Use \"Reset password\" in the console to send a link.".into(),
        ));
    }
    let ok = c.user.password_hash.as_deref().is_some_and(|h| verify_password(current, h));
    if !ok {
        return Err(FieldErrors::single("current_password", "Your current password is not correct."));
    }
    let sender = mail::CompanySender::load(app, c.company_id).await?;
    crate::enroll::check_new_password(new_password, confirm, &sender.company, &c.contact, &c.user)?;
    let hash = hash_password(new_password);
    let (subject, text) = mail::password_changed(&sender.company.name, &c.contact.first_name);
    let mut tx = app.db.begin().await?;
    people::set_password(&mut *tx, UserTable::Portal, c.company_id, c.user.id, &hash).await?;
    if end_other_sessions {
        st::delete_portal_user_sessions(&mut *tx, c.company_id, c.user.id, Some(&c.session_hash)).await?;
    }
    mail::enqueue(
        &mut *tx,
        &Outgoing {
            company_id: c.company_id,
            kind: "password_changed",
            to: &c.user.email,
            from: sender.from(),
            subject: &subject,
            text: &text,
        },
    )
    .await?;
    let detail = if end_other_sessions { "other sessions ended" } else { "" };
    audit::portal(&mut *tx, c, origin, Action::PasswordChange, detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Change the sign-in e-mail (also the contact's e-mail). The customer
/// re-authenticates with their password (ASVS 7.5.1); an Agent may do it
/// only where the company allows agents to edit profiles.
pub async fn change_email(
    app: &App,
    c: &Customer,
    current: &str,
    new_email: &str,
    origin: &Origin,
) -> Result<(), AppError> {
    let settings = companies::settings(app.db.r(), c.company_id).await?;
    if c.is_agent() {
        if !settings.agent_may_edit_profile {
            audit::portal(app.db.w(), c, origin, Action::AccessRefused, "agent tried to change the e-mail").await?;
            return Err(AppError::Forbidden("Agents can view this account but not change it.".into()));
        }
    } else if !c.user.password_hash.as_deref().is_some_and(|h| verify_password(current, h)) {
        return Err(FieldErrors::single("email_password", "Your current password is not correct."));
    }
    let Some(email) = validate::email(new_email) else {
        return Err(FieldErrors::single("email", "Enter an e-mail address like name@example.com."));
    };
    if email == c.user.email {
        return Err(FieldErrors::single("email", "This is already your e-mail address."));
    }
    let sender = mail::CompanySender::load(app, c.company_id).await?;
    let (subject, text) = mail::email_changed(&sender.company.name, &c.contact.first_name, &email);
    let mut tx = app.db.begin().await?;
    match people::set_portal_email(&mut *tx, c.company_id, c.user.id, &email).await {
        Ok(()) => {}
        Err(portico_store::StoreError::Conflict(_)) => {
            return Err(FieldErrors::single("email", "This e-mail address is used by another account."));
        }
        Err(e) => return Err(e.into()),
    }
    people::set_contact_email(&mut *tx, c.company_id, c.contact.id, &email, now()).await?;
    // Tell the old address, so a hijacked account is noticed.
    mail::enqueue(
        &mut *tx,
        &Outgoing {
            company_id: c.company_id,
            kind: "email_changed",
            to: &c.user.email,
            from: sender.from(),
            subject: &subject,
            text: &text,
        },
    )
    .await?;
    audit::portal(&mut *tx, c, origin, Action::EmailChange, "").await?;
    tx.commit().await?;
    Ok(())
}

/// The customer's own sessions (ASVS 7.5.2).
pub async fn sessions(app: &App, c: &Customer) -> Result<Vec<st::Session>, AppError> {
    Ok(st::portal_user_sessions(app.db.r(), c.company_id, c.user.id, now()).await?)
}

pub async fn end_other_sessions(app: &App, c: &Customer, origin: &Origin) -> Result<u64, AppError> {
    if c.is_agent() {
        return Err(AppError::Forbidden("Agents can't end a customer's sessions here.".into()));
    }
    let n = st::delete_portal_user_sessions(app.db.w(), c.company_id, c.user.id, Some(&c.session_hash)).await?;
    audit::portal(app.db.w(), c, origin, Action::SessionsEndOthers, &format!("{n} ended")).await?;
    Ok(n)
}

/// When staff opened this account as an Agent (design.md: "the customer can
/// see that an agent viewed their account").
pub async fn agent_visits(app: &App, c: &Customer) -> Result<Vec<(i64, String)>, AppError> {
    let rows = portico_store::audit::list(app.db.r(), c.company_id, Some(c.contact.id), None, 200).await?;
    Ok(rows
        .into_iter()
        .filter(|r| r.action == Action::AgentSessionStart)
        .take(10)
        .map(|r| (r.at, r.staff_name.unwrap_or_else(|| "A staff member".into())))
        .collect())
}

/// Statement delivery choices (seed 000: paper or paperless), with labels.
pub const STATEMENT_DELIVERY: [(&str, &str); 2] = [
    ("paperless", "Paperless: e-mail me when a new statement is ready in the portal"),
    ("paper", "Paper: mail my statements to my address"),
];

/// The customer's statement delivery choice, if made.
pub async fn statement_delivery(app: &App, c: &Customer) -> Result<Option<String>, AppError> {
    Ok(portico_store::documents::statement_delivery(app.db.r(), c.company_id, c.contact.id).await?)
}

/// Choose paper or paperless statements (at onboarding or under My
/// Account). An Agent may change it only where the company lets agents
/// edit profiles.
pub async fn set_statement_delivery(app: &App, c: &Customer, choice: &str, origin: &Origin) -> Result<(), AppError> {
    if c.is_agent() {
        let settings = companies::settings(app.db.r(), c.company_id).await?;
        if !settings.agent_may_edit_profile {
            audit::portal(app.db.w(), c, origin, Action::AccessRefused, "agent tried to change statement delivery")
                .await?;
            return Err(AppError::Forbidden("Agents can view this account but not change it.".into()));
        }
    }
    let Some((value, _)) = STATEMENT_DELIVERY.iter().find(|(k, _)| *k == choice) else {
        return Err(FieldErrors::single("delivery", "Choose paper or paperless statements."));
    };
    let mut tx = app.db.begin().await?;
    portico_store::documents::set_statement_delivery(&mut *tx, c.company_id, c.contact.id, value, now()).await?;
    audit::portal(&mut *tx, c, origin, Action::StatementDeliverySet, value).await?;
    let data = serde_json::json!({ "contact_id": c.contact.id, "delivery": value });
    crate::webhooks::emit(&mut tx, c.company_id, "statement_preference.changed", data).await?;
    tx.commit().await?;
    Ok(())
}
