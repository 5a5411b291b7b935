//! Staff enrol contacts into the portal ("Create user"), resend the welcome
//! e-mail ("Reset password"), switch access on and off, and open the portal
//! as the customer ("Login as consumer"). Customers set and reset their
//! password through single-use links.

use crate::authz::Permission;
use portico_domain::codes::Action;
use portico_domain::{password, username};
use portico_store::auth as st;
use portico_store::companies::{self, Company, Domain, PortalSettings};
use portico_store::people::{self, Contact, PortalUser, UserTable};
use time::OffsetDateTime;
use time::macros::format_description;

use crate::auth::{Staff, purpose};
use crate::crypto::{hash_password, random_token, token_hash};
use crate::mail::{self, LinkMail, Outgoing, SecretLink};
use crate::{App, AppError, FieldErrors, Origin, audit, now};

/// A contact as the console shows it, with its portal user if enrolled.
#[derive(Debug, Clone)]
pub struct ContactPortal {
    pub contact: Contact,
    pub user: Option<PortalUser>,
    pub domains: Vec<Domain>,
}

pub async fn contact_portal(app: &App, staff: &Staff, contact_id: i64) -> Result<ContactPortal, AppError> {
    let contact = people::contact(app.db.r(), staff.company_id, contact_id).await?.ok_or(AppError::NotFound)?;
    let user = people::portal_user_by_contact(app.db.r(), staff.company_id, contact_id).await?;
    let domains = companies::domains(app.db.r(), staff.company_id).await?;
    Ok(ContactPortal { contact, user, domains })
}

pub(crate) fn human_time(t: i64) -> String {
    let f = format_description!("[day] [month repr:short] [year] at [hour]:[minute] UTC");
    OffsetDateTime::from_unix_timestamp(t).ok().and_then(|d| d.format(f).ok()).unwrap_or_default()
}

async fn primary_host(app: &App, company_id: i64) -> Result<String, AppError> {
    let ds = companies::domains(app.db.r(), company_id).await?;
    ds.into_iter().next().map(|d| d.host).ok_or_else(|| {
        AppError::Conflict("The company has no portal domain yet. Add one under Settings → Domains.".into())
    })
}

/// Issue a welcome or reset token and put the e-mail in the outbox, inside
/// the caller's transaction. Returns the e-mail's id.
#[allow(clippy::too_many_arguments)]
async fn issue_link(
    app: &App,
    tx: &mut portico_store::Tx,
    company: &Company,
    settings: &PortalSettings,
    host: &str,
    user: &PortalUser,
    contact: &Contact,
    purpose_name: &str,
) -> Result<i64, AppError> {
    let t = now();
    let lifetime = if purpose_name == purpose::WELCOME { purpose::WELCOME_SECS } else { purpose::RESET_SECS };
    // A new link replaces any earlier unused one.
    st::revoke_tokens(&mut **tx, company.id, purpose::WELCOME, user.id, t).await?;
    st::revoke_tokens(&mut **tx, company.id, purpose::RESET, user.id, t).await?;
    let token = random_token();
    st::insert_token(&mut **tx, company.id, purpose_name, &token_hash(&token), Some(user.id), None, t + lifetime, t)
        .await?;
    let link = app.url(host, &format!("/set-password?token={token}"));
    let expires = human_time(t + lifetime);
    // The stored copy carries a placeholder; the link goes sealed beside it.
    let v = LinkMail {
        company: &company.name,
        first_name: &contact.first_name,
        last_name: &contact.last_name,
        username: &user.username,
        link: mail::SECRET_PLACEHOLDER,
        link_expires: &expires,
    };
    let (subject, text) = if purpose_name == purpose::WELCOME { mail::welcome(settings, &v) } else { mail::reset(&v) };
    let (from_addr, from_name) = mail::sender(settings, company, host);
    let m = Outgoing {
        company_id: company.id,
        kind: purpose_name,
        to: &user.email,
        from: (&from_addr, &from_name),
        subject: &subject,
        text: &text,
    };
    let id = if text.contains(mail::SECRET_PLACEHOLDER) {
        let secret =
            SecretLink { link: &link, expires_at: t + lifetime, portal_user_id: Some(user.id), staff_user_id: None };
        mail::enqueue_with_link(&mut **tx, &app.keys, &m, &secret).await?
    } else {
        // A company template without {{link}}: nothing secret in the copy.
        mail::enqueue(&mut **tx, &m).await?
    };
    if purpose_name == purpose::WELCOME {
        people::set_welcome_sent(&mut **tx, company.id, user.id, t).await?;
    }
    Ok(id)
}

/// Sent mail's "Resend": a new welcome or reset e-mail, with a new link,
/// for the portal user an earlier one was sent to. Returns its id.
pub async fn resend_link(
    app: &App,
    staff: &Staff,
    portal_user_id: i64,
    purpose_name: &str,
    origin: &Origin,
) -> Result<i64, AppError> {
    staff.require(Permission::ManagePortalAccess)?;
    let purpose_name = if purpose_name == purpose::WELCOME { purpose::WELCOME } else { purpose::RESET };
    let company = companies::get(app.db.r(), staff.company_id).await?;
    let settings = companies::settings(app.db.r(), staff.company_id).await?;
    let host = primary_host(app, staff.company_id).await?;
    let mut tx = app.db.begin().await?;
    let user = people::portal_user(&mut *tx, staff.company_id, portal_user_id).await?.ok_or(AppError::NotFound)?;
    if !user.active {
        return Err(AppError::Conflict("This portal user is inactive. Activate it first.".into()));
    }
    let contact = people::contact(&mut *tx, staff.company_id, user.contact_id).await?.ok_or(AppError::NotFound)?;
    let id = issue_link(app, &mut tx, &company, &settings, &host, &user, &contact, purpose_name).await?;
    audit::staff(&mut *tx, staff, origin, Action::MailResend, Some(contact.id), &format!("{purpose_name} e-mail"))
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// "Create user": enrol a contact into the portal with a generated user name.
pub async fn enroll(app: &App, staff: &Staff, contact_id: i64, origin: &Origin) -> Result<PortalUser, AppError> {
    staff.require(Permission::ManagePortalAccess)?;
    let company = companies::get(app.db.r(), staff.company_id).await?;
    let settings = companies::settings(app.db.r(), staff.company_id).await?;
    let mut tx = app.db.begin().await?;
    let contact = people::contact(&mut *tx, staff.company_id, contact_id).await?.ok_or(AppError::NotFound)?;
    if people::portal_user_by_contact(&mut *tx, staff.company_id, contact_id).await?.is_some() {
        return Err(AppError::Conflict("This contact already has a portal user.".into()));
    }
    let Some(email) = contact.email.as_deref().and_then(portico_domain::validate::email) else {
        return Err(AppError::Conflict(
            "The contact needs a valid e-mail address before a portal user can be created.".into(),
        ));
    };
    let base = username::base(&contact.first_name, &contact.last_name);
    let mut n = 1;
    let name = loop {
        let candidate = username::candidate(&base, n);
        if !people::username_taken(&mut *tx, staff.company_id, &candidate).await? {
            break candidate;
        }
        n += 1;
    };
    let id = match people::insert_portal_user(&mut *tx, staff.company_id, contact_id, &name, &email, now()).await {
        Ok(id) => id,
        Err(portico_store::StoreError::Conflict(_)) => {
            return Err(AppError::Conflict("Another portal user already signs in with this e-mail address.".into()));
        }
        Err(e) => return Err(e.into()),
    };
    audit::staff(&mut *tx, staff, origin, Action::PortalUserCreate, Some(contact_id), &format!("user name {name}"))
        .await?;
    let user = people::portal_user(&mut *tx, staff.company_id, id).await?.ok_or(AppError::NotFound)?;
    let data = serde_json::json!({ "portal_user_id": id, "contact_id": contact_id });
    crate::webhooks::emit(&mut tx, staff.company_id, "portal_user.enrolled", data).await?;
    if settings.send_welcome_on_enroll {
        let host = primary_host(app, staff.company_id).await?;
        issue_link(app, &mut tx, &company, &settings, &host, &user, &contact, purpose::WELCOME).await?;
        audit::staff(&mut *tx, staff, origin, Action::PortalWelcomeSend, Some(contact_id), "").await?;
    }
    tx.commit().await?;
    people::portal_user(app.db.r(), staff.company_id, id).await?.ok_or(AppError::NotFound)
}

/// "Reset password": send the welcome e-mail (with a new set-password
/// link) again. Sessions stay; the old password works until a new one is set.
pub async fn resend_welcome(app: &App, staff: &Staff, contact_id: i64, origin: &Origin) -> Result<(), AppError> {
    staff.require(Permission::ManagePortalAccess)?;
    let company = companies::get(app.db.r(), staff.company_id).await?;
    let settings = companies::settings(app.db.r(), staff.company_id).await?;
    let host = primary_host(app, staff.company_id).await?;
    let mut tx = app.db.begin().await?;
    let contact = people::contact(&mut *tx, staff.company_id, contact_id).await?.ok_or(AppError::NotFound)?;
    let user =
        people::portal_user_by_contact(&mut *tx, staff.company_id, contact_id).await?.ok_or(AppError::NotFound)?;
    issue_link(app, &mut tx, &company, &settings, &host, &user, &contact, purpose::WELCOME).await?;
    audit::staff(&mut *tx, staff, origin, Action::PortalWelcomeSend, Some(contact_id), "reset password").await?;
    tx.commit().await?;
    Ok(())
}

/// Activate or deactivate a contact's portal access. Deactivation ends all
/// of the user's sessions at once (ASVS 7.4.2).
pub async fn set_portal_active(
    app: &App,
    staff: &Staff,
    contact_id: i64,
    active: bool,
    origin: &Origin,
) -> Result<(), AppError> {
    staff.require(Permission::ManagePortalAccess)?;
    let mut tx = app.db.begin().await?;
    let user =
        people::portal_user_by_contact(&mut *tx, staff.company_id, contact_id).await?.ok_or(AppError::NotFound)?;
    people::set_active(&mut *tx, UserTable::Portal, staff.company_id, user.id, active).await?;
    if !active {
        st::delete_portal_user_sessions(&mut *tx, staff.company_id, user.id, None).await?;
    } else {
        // Reactivation also lifts a verification lock.
        people::set_verify_lock(&mut *tx, staff.company_id, user.id, None, true).await?;
        people::set_locked_until(&mut *tx, UserTable::Portal, staff.company_id, user.id, None).await?;
    }
    let action = if active { Action::PortalUserActivate } else { Action::PortalUserDeactivate };
    audit::staff(&mut *tx, staff, origin, action, Some(contact_id), "").await?;
    tx.commit().await?;
    Ok(())
}

/// End all of a customer's sessions (ASVS 7.4.5).
pub async fn end_customer_sessions(
    app: &App,
    staff: &Staff,
    contact_id: i64,
    origin: &Origin,
) -> Result<u64, AppError> {
    staff.require(Permission::ManagePortalAccess)?;
    let user =
        people::portal_user_by_contact(app.db.r(), staff.company_id, contact_id).await?.ok_or(AppError::NotFound)?;
    let mut tx = app.db.begin().await?;
    let n = st::delete_portal_user_sessions(&mut *tx, staff.company_id, user.id, None).await?;
    audit::staff(&mut *tx, staff, origin, Action::PortalSessionsEnd, Some(contact_id), &format!("{n} sessions"))
        .await?;
    tx.commit().await?;
    Ok(n)
}

/// The single-use Agent link of "Login as consumer".
#[derive(Debug, Clone)]
pub struct AgentLink {
    /// The domain it opens the portal on.
    pub host: String,
    /// `/agent/enter?token=…`
    pub path: String,
    /// The absolute URL (scheme, host, port, path).
    pub url: String,
}

/// "Login as consumer": a single-use link (2 minutes) to the chosen domain
/// that opens an Agent session there. Returns the URL to redirect to.
pub async fn login_as_consumer(
    app: &App,
    staff: &Staff,
    contact_id: i64,
    domain_id: i64,
    origin: &Origin,
) -> Result<AgentLink, AppError> {
    staff.require(Permission::ViewAsCustomer)?;
    let domain = companies::domains(app.db.r(), staff.company_id)
        .await?
        .into_iter()
        .find(|d| d.id == domain_id)
        .ok_or_else(|| FieldErrors::single("domain_id", "Choose one of the company's domains."))?;
    let user =
        people::portal_user_by_contact(app.db.r(), staff.company_id, contact_id).await?.ok_or(AppError::NotFound)?;
    if !user.active {
        return Err(AppError::Conflict("This portal user is inactive. Activate it first.".into()));
    }
    let t = now();
    let token = random_token();
    let mut tx = app.db.begin().await?;
    st::insert_token(
        &mut *tx,
        staff.company_id,
        purpose::AGENT,
        &token_hash(&token),
        Some(user.id),
        Some(staff.user.id),
        t + purpose::AGENT_SECS,
        t,
    )
    .await?;
    audit::staff(
        &mut *tx,
        staff,
        origin,
        Action::AgentLoginAsConsumer,
        Some(contact_id),
        &format!("domain {}", domain.host),
    )
    .await?;
    tx.commit().await?;
    let path = format!("/agent/enter?token={token}");
    Ok(AgentLink { url: app.url(&domain.host, &path), host: domain.host, path })
}

/// "Forgot password" in the portal. Answers the same whether or not the
/// account exists; throttled per address.
pub async fn forgot_password(app: &App, company_id: i64, login: &str, origin: &Origin) -> Result<(), AppError> {
    let t = now();
    let key = format!("forgot:{}", origin.ip);
    let n = st::throttle_fail(app.db.w(), &key, t, 15 * 60).await?;
    if n > 10 {
        return Err(AppError::Locked { minutes: 15 });
    }
    let settings = companies::settings(app.db.r(), company_id).await?;
    if !settings.forgot_password_enabled {
        return Err(AppError::NotFound);
    }
    let Some(user) = people::portal_user_by_login(app.db.r(), company_id, login).await? else {
        audit::anonymous(
            app.db.w(),
            company_id,
            origin,
            Action::PasswordResetRequest,
            None,
            None,
            None,
            "unknown user",
        )
        .await?;
        return Ok(());
    };
    if !user.active {
        audit::anonymous(
            app.db.w(),
            company_id,
            origin,
            Action::PasswordResetRefused,
            Some(user.id),
            Some(user.contact_id),
            None,
            "inactive",
        )
        .await?;
        return Ok(());
    }
    let company = companies::get(app.db.r(), company_id).await?;
    let contact = people::contact(app.db.r(), company_id, user.contact_id).await?.ok_or(AppError::NotFound)?;
    // The link is on the company's primary domain, never the request's Host.
    let host = primary_host(app, company_id).await?;
    let mut tx = app.db.begin().await?;
    issue_link(app, &mut tx, &company, &settings, &host, &user, &contact, purpose::RESET).await?;
    audit::anonymous(
        &mut *tx,
        company_id,
        origin,
        Action::PasswordResetRequest,
        Some(user.id),
        Some(contact.id),
        None,
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Who a set-password link is for (to show the form), or `BadToken`.
pub async fn link_user(app: &App, company_id: i64, token: &str) -> Result<PortalUser, AppError> {
    let tok = match crate::auth::peek_token(app, company_id, purpose::WELCOME, token).await {
        Ok(t) => t,
        Err(_) => crate::auth::peek_token(app, company_id, purpose::RESET, token).await?,
    };
    let id = tok.portal_user_id.ok_or(AppError::BadToken)?;
    people::portal_user(app.db.r(), company_id, id).await?.ok_or(AppError::BadToken)
}

/// The contact a set-password link's user belongs to (the page greets them).
pub async fn link_contact(app: &App, company_id: i64, user: &PortalUser) -> Result<Contact, AppError> {
    people::contact(app.db.r(), company_id, user.contact_id).await?.ok_or(AppError::NotFound)
}

/// Set a password through a welcome or reset link. The link is used up,
/// and every existing session of the user ends.
pub async fn set_password_with_token(
    app: &App,
    company_id: i64,
    token: &str,
    new_password: &str,
    confirm: &str,
    origin: &Origin,
) -> Result<PortalUser, AppError> {
    let user = link_user(app, company_id, token).await?;
    if !user.active {
        return Err(AppError::Inactive);
    }
    let company = companies::get(app.db.r(), company_id).await?;
    let contact = people::contact(app.db.r(), company_id, user.contact_id).await?.ok_or(AppError::NotFound)?;
    check_new_password(new_password, confirm, &company, &contact, &user)?;
    let hash = hash_password(new_password);
    let mut tx = app.db.begin().await?;
    let tok = crate::auth::take_token(&mut tx, company_id, [purpose::WELCOME, purpose::RESET], token).await?;
    people::set_password(&mut *tx, UserTable::Portal, company_id, user.id, &hash).await?;
    st::delete_portal_user_sessions(&mut *tx, company_id, user.id, None).await?;
    audit::anonymous(
        &mut *tx,
        company_id,
        origin,
        Action::PasswordSet,
        Some(user.id),
        Some(contact.id),
        None,
        &tok.purpose,
    )
    .await?;
    tx.commit().await?;
    Ok(user)
}

/// Password rules plus confirmation, as field errors on `new_password` /
/// `confirm`.
pub fn check_new_password(
    new_password: &str,
    confirm: &str,
    company: &Company,
    contact: &Contact,
    user: &PortalUser,
) -> Result<(), AppError> {
    let words = password::PersonalWords::new([
        contact.first_name.as_str(),
        contact.last_name.as_str(),
        user.username.as_str(),
        user.email.as_str(),
        company.name.as_str(),
    ]);
    check_password_pair(new_password, confirm, &words)
}

/// A new password (field `new_password`) against the rules and the
/// person's own words, then its confirmation (field `confirm`).
pub(crate) fn check_password_pair(
    new_password: &str,
    confirm: &str,
    words: &password::PersonalWords<'_>,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    if let Err(p) = password::check(new_password, words) {
        errors.add("new_password", p.to_string());
    } else if new_password != confirm {
        errors.add("confirm", "The two passwords don't match.");
    }
    errors.into_result()
}
