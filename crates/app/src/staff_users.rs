//! Staff management in the console (administrators): list, invite with a
//! set-password link, change role, deactivate (ends their sessions at once,
//! ASVS 7.4.2), send a password reset link. Every staff member manages
//! their own password, e-mail and sessions. Every action is audited. The
//! first administrator of a company comes from the CLI (`portico staff add`).

use portico_domain::codes::Action;
use portico_domain::{password, validate};
use portico_store::auth as st;
use portico_store::people::{self, StaffUser, UserTable};

use crate::auth::{Role, Staff};
use crate::authz::Permission;
use crate::crypto::{hash_password, random_token, token_hash, verify_password};
use crate::mail::{self, CompanySender, Outgoing, SecretLink};
use crate::{App, AppError, FieldErrors, Origin, audit, now};

/// Token purposes of staff links.
pub mod purpose {
    pub const INVITE: &str = "staff_invite";
    pub const RESET: &str = "staff_reset";
    pub const INVITE_SECS: i64 = 7 * 24 * 60 * 60;
    pub const RESET_SECS: i64 = 60 * 60;
}

/// A staff member as the staff list shows them.
#[derive(Debug, Clone)]
pub struct StaffMember {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
    /// Invited, no password set yet.
    pub invited: bool,
    pub last_login_at: Option<i64>,
    pub is_me: bool,
}

fn member(u: StaffUser, me: i64) -> StaffMember {
    StaffMember {
        id: u.id,
        role: u.role,
        invited: u.password_hash.is_none(),
        is_me: u.id == me,
        name: u.name,
        email: u.email,
        active: u.active,
        last_login_at: u.last_login_at,
    }
}

pub async fn list(app: &App, s: &Staff) -> Result<Vec<StaffMember>, AppError> {
    s.require(Permission::ManageStaff)?;
    let all = people::list_staff(app.db.r(), s.company_id).await?;
    Ok(all.into_iter().map(|u| member(u, s.user.id)).collect())
}

pub async fn get(app: &App, s: &Staff, id: i64) -> Result<StaffMember, AppError> {
    s.require(Permission::ManageStaff)?;
    let u = people::staff_user(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    Ok(member(u, s.user.id))
}

/// The invitation form.
#[derive(Debug, Clone, Default)]
pub struct InviteInput {
    pub name: String,
    pub email: String,
    pub role: String,
}

fn parse_role(raw: &str, e: &mut FieldErrors) -> Option<Role> {
    match raw {
        "admin" => Some(Role::Admin),
        "servicer" => Some(Role::Servicer),
        "readonly" => Some(Role::ReadOnly),
        _ => {
            e.add("role", "Choose a role.");
            None
        }
    }
}

/// Invite a staff member: they get an e-mail with a link (7 days) to choose
/// their password. Returns the new staff member's id.
pub async fn invite(app: &App, s: &Staff, input: &InviteInput, origin: &Origin) -> Result<i64, AppError> {
    s.require(Permission::ManageStaff)?;
    let mut e = FieldErrors::new();
    let name = match validate::line(&input.name, 120) {
        Ok(n) if !n.is_empty() => n,
        _ => {
            e.add("name", "Give the staff member's name (at most 120 characters).");
            String::new()
        }
    };
    let email = validate::email(&input.email).unwrap_or_else(|| {
        e.add("email", "Enter an e-mail address, like name@example.com.");
        String::new()
    });
    let role = parse_role(&input.role, &mut e);
    e.into_result()?;
    let role = role.unwrap_or(Role::ReadOnly);
    let sender = CompanySender::load(app, s.company_id).await?;
    let mut tx = app.db.begin().await?;
    let id = match people::insert_staff(&mut *tx, s.company_id, &email, &name, role, None, now()).await {
        Ok(id) => id,
        Err(portico_store::StoreError::Conflict(_)) => {
            return Err(FieldErrors::single("email", "A staff member of this company already uses this e-mail."));
        }
        Err(err) => return Err(err.into()),
    };
    let user = people::staff_user(&mut *tx, s.company_id, id).await?.ok_or(AppError::NotFound)?;
    send_link(app, &mut tx, &sender, &user, purpose::INVITE).await?;
    audit::staff(&mut *tx, s, origin, Action::StaffInvite, None, &format!("{email} as {}", role.label())).await?;
    tx.commit().await?;
    Ok(id)
}

/// Put a set-password e-mail for a staff member in the outbox (link sealed).
async fn send_link(
    app: &App,
    tx: &mut portico_store::Tx,
    sender: &CompanySender,
    user: &StaffUser,
    purpose_name: &str,
) -> Result<(), AppError> {
    let host = sender.host.as_deref().ok_or_else(|| {
        AppError::Conflict("The company has no portal domain yet. Add one under Settings → Domains.".into())
    })?;
    let t = now();
    let lifetime = if purpose_name == purpose::INVITE { purpose::INVITE_SECS } else { purpose::RESET_SECS };
    st::revoke_staff_tokens(&mut **tx, user.company_id, purpose::INVITE, user.id, t).await?;
    st::revoke_staff_tokens(&mut **tx, user.company_id, purpose::RESET, user.id, t).await?;
    let token = random_token();
    st::insert_token(
        &mut **tx,
        user.company_id,
        purpose_name,
        &token_hash(&token),
        None,
        Some(user.id),
        t + lifetime,
        t,
    )
    .await?;
    let link = app.url(host, &format!("/staff/set-password?token={token}"));
    let expires = crate::enroll::human_time(t + lifetime);
    let company = &sender.company.name;
    let (subject, text) = if purpose_name == purpose::INVITE {
        (
            format!("You're invited to the {company} staff console"),
            format!(
                "Hello {},\n\nYou have been given access to the {company} staff console. Sign in with this \
                 e-mail address ({}).\n\nChoose your password here. The link works once and expires on \
                 {expires}:\n{}\n",
                user.name,
                user.email,
                mail::SECRET_PLACEHOLDER
            ),
        )
    } else {
        (
            format!("Reset your {company} staff console password"),
            format!(
                "Hello {},\n\nAn administrator sent you a link to choose a new password for the {company} staff \
                 console. The link works once and expires on {expires}:\n{}\n\nUntil you use it, your current \
                 password keeps working.",
                user.name,
                mail::SECRET_PLACEHOLDER
            ),
        )
    };
    let m = Outgoing {
        company_id: user.company_id,
        kind: purpose_name,
        to: &user.email,
        from: sender.from(),
        subject: &subject,
        text: &text,
    };
    let secret =
        SecretLink { link: &link, expires_at: t + lifetime, portal_user_id: None, staff_user_id: Some(user.id) };
    mail::enqueue_with_link(&mut **tx, &app.keys, &m, &secret).await?;
    Ok(())
}

/// The company must keep an active administrator.
async fn keeps_an_admin(app: &App, s: &Staff, target: &StaffUser) -> Result<(), AppError> {
    if target.role == Role::Admin
        && target.active
        && people::other_active_admins(app.db.r(), s.company_id, target.id).await? == 0
    {
        return Err(AppError::Conflict("The company needs at least one active administrator.".into()));
    }
    Ok(())
}

pub async fn change_role(app: &App, s: &Staff, id: i64, role: &str, origin: &Origin) -> Result<(), AppError> {
    s.require(Permission::ManageStaff)?;
    let mut e = FieldErrors::new();
    let role = parse_role(role, &mut e);
    e.into_result()?;
    let role = role.unwrap_or(Role::ReadOnly);
    let target = people::staff_user(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    if target.role == role {
        return Ok(());
    }
    if role != Role::Admin {
        keeps_an_admin(app, s, &target).await?;
    }
    let mut tx = app.db.begin().await?;
    people::set_staff_role(&mut *tx, s.company_id, id, role).await?;
    let detail = format!("{}: {} → {}", target.email, target.role.label(), role.label());
    audit::staff(&mut *tx, s, origin, Action::StaffRole, None, &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Deactivate (ends every session at once) or activate a staff member.
pub async fn set_active(app: &App, s: &Staff, id: i64, active: bool, origin: &Origin) -> Result<(), AppError> {
    s.require(Permission::ManageStaff)?;
    let target = people::staff_user(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    if !active {
        if target.id == s.user.id {
            return Err(AppError::Conflict("You can't deactivate yourself.".into()));
        }
        keeps_an_admin(app, s, &target).await?;
    }
    let mut tx = app.db.begin().await?;
    people::set_active(&mut *tx, UserTable::Staff, s.company_id, id, active).await?;
    let ended = if active {
        people::set_locked_until(&mut *tx, UserTable::Staff, s.company_id, id, None).await?;
        0
    } else {
        st::delete_staff_sessions(&mut *tx, s.company_id, id).await?
    };
    let (action, detail) = if active {
        (Action::StaffActivate, target.email.clone())
    } else {
        (Action::StaffDeactivate, format!("{}, {ended} sessions ended", target.email))
    };
    audit::staff(&mut *tx, s, origin, action, None, &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// E-mail a staff member a link (1 hour) to choose a new password; an
/// invited member who never set one gets a new invitation instead.
pub async fn send_reset(app: &App, s: &Staff, id: i64, origin: &Origin) -> Result<(), AppError> {
    s.require(Permission::ManageStaff)?;
    let target = people::staff_user(app.db.r(), s.company_id, id).await?.ok_or(AppError::NotFound)?;
    if !target.active {
        return Err(AppError::Conflict("This staff member is inactive. Activate them first.".into()));
    }
    let sender = CompanySender::load(app, s.company_id).await?;
    let kind = if target.password_hash.is_none() { purpose::INVITE } else { purpose::RESET };
    let mut tx = app.db.begin().await?;
    send_link(app, &mut tx, &sender, &target, kind).await?;
    audit::staff(&mut *tx, s, origin, Action::StaffResetLink, None, &target.email).await?;
    tx.commit().await?;
    Ok(())
}

/// The staff member a set-password link is for (to show the form).
pub async fn link_user(app: &App, company_id: i64, token: &str) -> Result<StaffUser, AppError> {
    let hashed = token_hash(token);
    for p in [purpose::INVITE, purpose::RESET] {
        if let Some(t) = st::token(app.db.r(), company_id, p, &hashed).await? {
            if t.used_at.is_some() || t.expires_at <= now() {
                return Err(AppError::BadToken);
            }
            let id = t.staff_user_id.ok_or(AppError::BadToken)?;
            return people::staff_user(app.db.r(), company_id, id).await?.ok_or(AppError::BadToken);
        }
    }
    Err(AppError::BadToken)
}

fn check_password(company: &str, user: &StaffUser, new_password: &str, confirm: &str) -> Result<(), AppError> {
    let words = password::PersonalWords::new([user.name.as_str(), user.email.as_str(), company]);
    crate::enroll::check_password_pair(new_password, confirm, &words)
}

/// Use a staff set-password link: set the password, end the member's
/// sessions, spend the link.
pub async fn set_password_with_token(
    app: &App,
    company_id: i64,
    token: &str,
    new_password: &str,
    confirm: &str,
    origin: &Origin,
) -> Result<StaffUser, AppError> {
    let user = link_user(app, company_id, token).await?;
    if !user.active {
        return Err(AppError::Inactive);
    }
    let company = portico_store::companies::get(app.db.r(), company_id).await?;
    check_password(&company.name, &user, new_password, confirm)?;
    let hash = hash_password(new_password);
    let mut tx = app.db.begin().await?;
    let tok = crate::auth::take_token(&mut tx, company_id, [purpose::INVITE, purpose::RESET], token).await?;
    if tok.staff_user_id != Some(user.id) {
        return Err(AppError::BadToken);
    }
    people::set_password(&mut *tx, UserTable::Staff, company_id, user.id, &hash).await?;
    st::delete_staff_sessions(&mut *tx, company_id, user.id).await?;
    audit::anonymous(&mut *tx, company_id, origin, Action::PasswordSet, None, None, Some(user.id), &tok.purpose)
        .await?;
    tx.commit().await?;
    Ok(user)
}

/// Change one's own password (the current one is required, ASVS 6.2.3);
/// optionally sign out every other session.
pub async fn change_own_password(
    app: &App,
    s: &Staff,
    current: &str,
    new_password: &str,
    confirm: &str,
    end_others: bool,
    origin: &Origin,
) -> Result<(), AppError> {
    s.require(Permission::OwnAccount)?;
    if !s.user.password_hash.as_deref().is_some_and(|h| verify_password(current, h)) {
        return Err(FieldErrors::single("current_password", "Your current password is not correct."));
    }
    let sender = CompanySender::load(app, s.company_id).await?;
    check_password(&sender.company.name, &s.user, new_password, confirm)?;
    let hash = hash_password(new_password);
    let mut tx = app.db.begin().await?;
    people::set_password(&mut *tx, UserTable::Staff, s.company_id, s.user.id, &hash).await?;
    if end_others {
        st::delete_staff_sessions_except(&mut *tx, s.company_id, s.user.id, &s.session_hash).await?;
    }
    let (subject, text) = mail::staff_password_changed(&sender.company.name, &s.user.name);
    mail::enqueue(
        &mut *tx,
        &Outgoing {
            company_id: s.company_id,
            kind: "password_changed",
            to: &s.user.email,
            from: sender.from(),
            subject: &subject,
            text: &text,
        },
    )
    .await?;
    audit::staff(
        &mut *tx,
        s,
        origin,
        Action::PasswordChange,
        None,
        if end_others { "other sessions ended" } else { "" },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Change one's own sign-in e-mail, re-authenticating with the password
/// (ASVS 7.5.1); the old address is told.
pub async fn change_own_email(
    app: &App,
    s: &Staff,
    current: &str,
    new_email: &str,
    origin: &Origin,
) -> Result<(), AppError> {
    s.require(Permission::OwnAccount)?;
    let mut e = FieldErrors::new();
    let email = validate::email(new_email).unwrap_or_else(|| {
        e.add("email", "Enter an e-mail address, like name@example.com.");
        String::new()
    });
    if !s.user.password_hash.as_deref().is_some_and(|h| verify_password(current, h)) {
        e.add("email_password", "Your password is not correct.");
    }
    e.into_result()?;
    if email == s.user.email {
        return Ok(());
    }
    let sender = CompanySender::load(app, s.company_id).await?;
    let mut tx = app.db.begin().await?;
    match people::set_staff_email(&mut *tx, s.company_id, s.user.id, &email).await {
        Ok(()) => {}
        Err(portico_store::StoreError::Conflict(_)) => {
            return Err(FieldErrors::single("email", "Another staff member of this company uses this e-mail."));
        }
        Err(err) => return Err(err.into()),
    }
    let (subject, text) = mail::staff_email_changed(&sender.company.name, &s.user.name, &email);
    mail::enqueue(
        &mut *tx,
        &Outgoing {
            company_id: s.company_id,
            kind: "email_changed",
            to: &s.user.email,
            from: sender.from(),
            subject: &subject,
            text: &text,
        },
    )
    .await?;
    audit::staff(&mut *tx, s, origin, Action::EmailChange, None, "").await?;
    tx.commit().await?;
    Ok(())
}

/// One of one's own sessions.
#[derive(Debug, Clone)]
pub struct OwnSession {
    pub created_at: i64,
    pub last_seen_at: i64,
    pub ip: String,
    pub user_agent: String,
    pub current: bool,
}

pub async fn own_sessions(app: &App, s: &Staff) -> Result<Vec<OwnSession>, AppError> {
    s.require(Permission::OwnAccount)?;
    let list = st::staff_user_sessions(app.db.r(), s.company_id, s.user.id, now()).await?;
    Ok(list
        .into_iter()
        .map(|x| OwnSession {
            current: x.token_hash == s.session_hash,
            created_at: x.created_at,
            last_seen_at: x.last_seen_at,
            ip: x.ip,
            user_agent: x.user_agent,
        })
        .collect())
}

pub async fn end_own_other_sessions(app: &App, s: &Staff, origin: &Origin) -> Result<u64, AppError> {
    s.require(Permission::OwnAccount)?;
    let n = st::delete_staff_sessions_except(app.db.w(), s.company_id, s.user.id, &s.session_hash).await?;
    audit::staff(app.db.w(), s, origin, Action::SessionsEndOthers, None, &format!("{n} ended")).await?;
    Ok(n)
}
