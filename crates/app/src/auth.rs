//! Sign-in, sessions and single-use tokens.
//!
//! * Sessions live in the database (several nodes share them); the cookie
//!   holds a 256-bit random token and the table only its SHA-256.
//! * A session belongs to one company: it is looked up by (token, company of
//!   the request's host), so a cookie replayed on another company's host is
//!   not signed in there.
//! * Sign-in failures are throttled per account and per client address with
//!   short, progressive locks (domain::throttle).

use portico_domain::codes::Action;
use portico_domain::throttle;
use portico_store::auth::{self as st, NewSession};
use portico_store::people::{self, UserTable};

use crate::crypto::{dummy_verify, random_token, token_hash, verify_password};
use crate::{App, AppError, Origin, audit, now};

pub use crate::actor::{Customer, Role, Staff};

/// Which table a sign-in is against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Portal,
    Staff,
}

impl Audience {
    fn session_kind(self) -> &'static str {
        match self {
            Audience::Portal => "customer",
            Audience::Staff => "staff",
        }
    }
}

/// What a successful sign-in hands back: the new session token (for the
/// cookie) and the user's id.
#[derive(Debug)]
pub struct SignedIn {
    pub token: String,
    pub user_id: i64,
}

fn ip_key(origin: &Origin) -> String {
    format!("ip:{}", origin.ip)
}

async fn ip_locked(app: &App, origin: &Origin, t: i64) -> Result<Option<i64>, AppError> {
    let row = st::throttle(app.db.r(), &ip_key(origin)).await?;
    Ok(row.and_then(|r| r.locked_until).filter(|&u| u > t).map(|u| minutes(u - t)))
}

async fn ip_failed(app: &App, origin: &Origin, t: i64) -> Result<(), AppError> {
    let key = ip_key(origin);
    let n = st::throttle_fail(app.db.w(), &key, t, throttle::IP_WINDOW_SECS).await?;
    if let Some(secs) = throttle::ip_lock_secs(n) {
        st::throttle_lock(app.db.w(), &key, t + secs).await?;
    }
    Ok(())
}

/// How long failures on a name that matches no account are counted.
const UNKNOWN_LOGIN_WINDOW_SECS: i64 = 24 * 60 * 60;

/// The throttle key of a login name that matches no account: per company
/// and audience, case-insensitive, hashed so no typed name is stored.
fn unknown_login_key(company_id: i64, audience: Audience, login: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(login.trim().to_lowercase().as_bytes());
    format!("login:{company_id}:{}:{}", audience.session_kind(), hex::encode(&digest[..16]))
}

fn minutes(secs: i64) -> i64 {
    (secs + 59) / 60
}

/// The uniform part of a sign-in: throttles, password check, lockout,
/// audit. `found` is the account for the login name, if any.
struct Candidate {
    id: i64,
    password_hash: Option<String>,
    active: bool,
    locked_until: Option<i64>,
    contact_id: Option<i64>,
}

async fn check_credentials(
    app: &App,
    company_id: i64,
    audience: Audience,
    login: &str,
    found: Option<Candidate>,
    password: &str,
    origin: &Origin,
) -> Result<i64, AppError> {
    let t = now();
    let table = match audience {
        Audience::Portal => UserTable::Portal,
        Audience::Staff => UserTable::Staff,
    };
    let ids = |id: i64| match audience {
        Audience::Portal => (Some(id), None),
        Audience::Staff => (None, Some(id)),
    };
    if let Some(m) = ip_locked(app, origin, t).await? {
        audit::anonymous(app.db.w(), company_id, origin, Action::LoginRefused, None, None, None, "address locked")
            .await?;
        return Err(AppError::Locked { minutes: m });
    }
    let Some(c) = found else {
        // A name that matches no account is throttled like an account, so
        // a paused account and an unknown name answer alike: same text,
        // same status, same work (issue 21 #3).
        let key = unknown_login_key(company_id, audience, login);
        let paused = st::throttle(app.db.r(), &key).await?.and_then(|r| r.locked_until).filter(|&u| u > t);
        if let Some(until) = paused {
            audit::anonymous(app.db.w(), company_id, origin, Action::LoginRefused, None, None, None, "unknown user")
                .await?;
            return Err(AppError::Locked { minutes: minutes(until - t) });
        }
        dummy_verify(password);
        let n = st::throttle_fail(app.db.w(), &key, t, UNKNOWN_LOGIN_WINDOW_SECS).await?;
        ip_failed(app, origin, t).await?;
        audit::anonymous(app.db.w(), company_id, origin, Action::LoginFailed, None, None, None, "unknown user").await?;
        return Err(match throttle::account_lock_secs(n) {
            Some(secs) => {
                st::throttle_lock(app.db.w(), &key, t + secs).await?;
                AppError::Locked { minutes: minutes(secs) }
            }
            None => AppError::BadCredentials,
        });
    };
    let (p, s) = ids(c.id);
    if let Some(until) = c.locked_until.filter(|&u| u > t) {
        audit::anonymous(app.db.w(), company_id, origin, Action::LoginRefused, p, c.contact_id, s, "account locked")
            .await?;
        return Err(AppError::Locked { minutes: minutes(until - t) });
    }
    let ok = match &c.password_hash {
        Some(h) => verify_password(password, h),
        None => {
            dummy_verify(password);
            false
        }
    };
    if !ok {
        let n = people::record_login_failure(app.db.w(), table, company_id, c.id).await?;
        ip_failed(app, origin, t).await?;
        let lock = throttle::account_lock_secs(n);
        if let Some(secs) = lock {
            people::set_locked_until(app.db.w(), table, company_id, c.id, Some(t + secs)).await?;
        }
        let detail = format!("wrong password ({n} in a row)");
        audit::anonymous(app.db.w(), company_id, origin, Action::LoginFailed, p, c.contact_id, s, &detail).await?;
        return Err(match lock {
            Some(secs) => AppError::Locked { minutes: minutes(secs) },
            None => AppError::BadCredentials,
        });
    }
    if !c.active {
        audit::anonymous(app.db.w(), company_id, origin, Action::LoginRefused, p, c.contact_id, s, "inactive").await?;
        return Err(AppError::Inactive);
    }
    let mut tx = app.db.begin().await?;
    people::record_login_success(&mut *tx, table, company_id, c.id, t).await?;
    audit::anonymous(&mut *tx, company_id, origin, Action::LoginSuccess, p, c.contact_id, s, "").await?;
    if let (Some(user), Some(contact)) = (p, c.contact_id) {
        let data = serde_json::json!({ "portal_user_id": user, "contact_id": contact });
        crate::webhooks::emit(&mut tx, company_id, "portal_user.login", data).await?;
    }
    tx.commit().await?;
    Ok(c.id)
}

pub async fn sign_in_customer(
    app: &App,
    company_id: i64,
    login: &str,
    password: &str,
    origin: &Origin,
) -> Result<SignedIn, AppError> {
    let found = people::portal_user_by_login(app.db.r(), company_id, login).await?.map(|u| Candidate {
        id: u.id,
        password_hash: u.password_hash,
        active: u.active,
        locked_until: u.locked_until,
        contact_id: Some(u.contact_id),
    });
    let id = check_credentials(app, company_id, Audience::Portal, login, found, password, origin).await?;
    let token = new_session(app, company_id, Audience::Portal, Some(id), None, origin, None).await?;
    Ok(SignedIn { token, user_id: id })
}

pub async fn sign_in_staff(
    app: &App,
    company_id: i64,
    email: &str,
    password: &str,
    origin: &Origin,
) -> Result<SignedIn, AppError> {
    let found = people::staff_by_email(app.db.r(), company_id, email).await?.map(|u| Candidate {
        id: u.id,
        password_hash: u.password_hash,
        active: u.active,
        locked_until: u.locked_until,
        contact_id: None,
    });
    let id = check_credentials(app, company_id, Audience::Staff, email, found, password, origin).await?;
    let token = new_session(app, company_id, Audience::Staff, None, Some(id), origin, None).await?;
    Ok(SignedIn { token, user_id: id })
}

/// Create a session and return its token. `kind_override` makes Agent sessions.
async fn new_session(
    app: &App,
    company_id: i64,
    audience: Audience,
    portal_user_id: Option<i64>,
    staff_user_id: Option<i64>,
    origin: &Origin,
    kind_override: Option<&str>,
) -> Result<String, AppError> {
    let token = random_token();
    let t = now();
    let kind = kind_override.unwrap_or(audience.session_kind());
    let lifetime = if kind == "agent" { app.config.agent_session_secs } else { app.config.session_absolute_secs };
    let ua: String = origin.user_agent.chars().take(200).collect();
    st::insert_session(
        app.db.w(),
        &NewSession {
            token_hash: &token_hash(&token),
            company_id,
            kind,
            portal_user_id,
            staff_user_id,
            now: t,
            expires_at: t + lifetime,
            ip: &origin.ip,
            user_agent: &ua,
        },
    )
    .await?;
    Ok(token)
}

/// Load a live session of this company. Expired (absolute or idle) sessions
/// are deleted and give `None`. Touches `last_seen_at` at most once a minute.
async fn live_session(app: &App, company_id: i64, token: &str) -> Result<Option<st::Session>, AppError> {
    let hash = token_hash(token);
    let Some(s) = st::session(app.db.r(), company_id, &hash).await? else {
        return Ok(None);
    };
    let t = now();
    if expired(app, &s, t) {
        st::delete_session(app.db.w(), &hash).await?;
        return Ok(None);
    }
    if t - s.last_seen_at >= TOUCH_SECS {
        st::touch_session(app.db.w(), &hash, t).await?;
    }
    Ok(Some(s))
}

/// A session's last page view is written at most this often (seconds).
const TOUCH_SECS: i64 = 60;

/// Whether a session has expired (absolute or idle) at `t`.
fn expired(app: &App, s: &st::Session, t: i64) -> bool {
    s.expires_at <= t || s.last_seen_at + app.config.session_idle_secs <= t
}

/// The portal user (or Agent) of a session cookie on this company's host:
/// session, user and contact in one query; expired sessions are deleted.
/// `statement` / `documents`: the company asks for a statement delivery
/// choice / requires documents at onboarding (with its Documents section
/// on), so those count as onboarding gaps.
///
/// With `keep`, also the connection it was read on when the read was all
/// the session needed (a customer's, not an Agent's, seen less than
/// [`TOUCH_SECS`] ago): the page can read on it, one pool checkout instead
/// of two. Never held while another connection is taken: the connection is
/// let go before any further query here.
pub async fn customer_session(
    app: &App,
    company_id: i64,
    token: &str,
    statement: bool,
    documents: bool,
    keep: bool,
) -> Result<(Option<Customer>, Option<crate::PooledConn>), AppError> {
    let hash = token_hash(token);
    let mut conn = app.read_conn().await?;
    let Some(cs) = st::customer_session(&mut *conn, company_id, &hash, statement, documents).await? else {
        return Ok((None, None));
    };
    let t = now();
    let touch = t - cs.session.last_seen_at >= TOUCH_SECS;
    let only_read = keep && cs.session.kind == "customer" && !touch;
    let conn = if only_read {
        Some(conn)
    } else {
        drop(conn);
        None
    };
    if expired(app, &cs.session, t) {
        drop(conn);
        st::delete_session(app.db.w(), &hash).await?;
        return Ok((None, None));
    }
    if cs.session.kind != "customer" && cs.session.kind != "agent" {
        return Ok((None, None));
    }
    if !cs.user.active {
        return Ok((None, None));
    }
    if touch {
        st::touch_session(app.db.w(), &hash, t).await?;
    }
    let agent = match (cs.session.kind.as_str(), cs.session.staff_user_id) {
        ("agent", Some(id)) => match people::staff_user(app.db.r(), company_id, id).await? {
            Some(staff) if staff.active => Some(staff),
            _ => return Ok((None, None)),
        },
        ("agent", None) => return Ok((None, None)),
        _ => None,
    };
    let customer = Customer {
        company_id,
        user: cs.user,
        contact: cs.contact,
        agent,
        session_hash: cs.session.token_hash,
        gaps: Some(cs.gaps),
    };
    Ok((Some(customer), conn))
}

pub async fn staff_session(app: &App, company_id: i64, token: &str) -> Result<Option<Staff>, AppError> {
    let Some(s) = live_session(app, company_id, token).await? else {
        return Ok(None);
    };
    if s.kind != "staff" {
        return Ok(None);
    }
    let Some(id) = s.staff_user_id else {
        return Ok(None);
    };
    let Some(user) = people::staff_user(app.db.r(), company_id, id).await? else {
        return Ok(None);
    };
    if !user.active {
        return Ok(None);
    }
    let role = user.role;
    Ok(Some(Staff { company_id, user, role, session_hash: s.token_hash }))
}

/// End a session on the server (logout).
pub async fn sign_out(app: &App, session_hash: &str) -> Result<(), AppError> {
    st::delete_session(app.db.w(), session_hash).await?;
    Ok(())
}

pub async fn sign_out_customer(app: &App, c: &Customer, origin: &Origin) -> Result<(), AppError> {
    sign_out(app, &c.session_hash).await?;
    let action = if c.is_agent() { Action::AgentSessionEnd } else { Action::Logout };
    audit::portal(app.db.w(), c, origin, action, "").await
}

pub async fn sign_out_staff(app: &App, s: &Staff, origin: &Origin) -> Result<(), AppError> {
    sign_out(app, &s.session_hash).await?;
    audit::staff(app.db.w(), s, origin, Action::Logout, None, "").await
}

/// Token purposes and lifetimes.
pub mod purpose {
    pub const WELCOME: &str = "welcome";
    pub const RESET: &str = "reset";
    pub const AGENT: &str = "agent";
    pub const WELCOME_SECS: i64 = 7 * 24 * 60 * 60;
    pub const RESET_SECS: i64 = 60 * 60;
    pub const AGENT_SECS: i64 = 2 * 60;
}

/// Use up a set-password token of one of `purposes` inside the caller's
/// transaction: `BadToken` when it is unknown or was already used (a race
/// lost, so tokens are single-use even under concurrent requests).
pub(crate) async fn take_token(
    tx: &mut portico_store::Tx,
    company_id: i64,
    purposes: [&str; 2],
    token: &str,
) -> Result<st::AuthToken, AppError> {
    let hashed = token_hash(token);
    let tok = match st::token(&mut **tx, company_id, purposes[0], &hashed).await? {
        Some(t) => t,
        None => st::token(&mut **tx, company_id, purposes[1], &hashed).await?.ok_or(AppError::BadToken)?,
    };
    if !st::consume_token(&mut **tx, tok.id, now()).await? {
        return Err(AppError::BadToken);
    }
    Ok(tok)
}

/// Look up a token without using it (to show the set-password form).
pub async fn peek_token(app: &App, company_id: i64, purpose: &str, token: &str) -> Result<st::AuthToken, AppError> {
    let t = st::token(app.db.r(), company_id, purpose, &token_hash(token)).await?.ok_or(AppError::BadToken)?;
    if t.used_at.is_some() || t.expires_at <= now() {
        return Err(AppError::BadToken);
    }
    Ok(t)
}

/// Exchange a single-use Agent link for an Agent session on this host.
pub async fn enter_agent_session(app: &App, company_id: i64, token: &str, origin: &Origin) -> Result<String, AppError> {
    let tok = peek_token(app, company_id, purpose::AGENT, token).await?;
    let (Some(pu), Some(staff)) = (tok.portal_user_id, tok.staff_user_id) else {
        return Err(AppError::BadToken);
    };
    if !st::consume_token(app.db.w(), tok.id, now()).await? {
        return Err(AppError::BadToken);
    }
    let session = new_session(app, company_id, Audience::Portal, Some(pu), Some(staff), origin, Some("agent")).await?;
    let user = people::portal_user(app.db.r(), company_id, pu).await?.ok_or(AppError::BadToken)?;
    audit::anonymous(
        app.db.w(),
        company_id,
        origin,
        Action::AgentSessionStart,
        Some(pu),
        Some(user.contact_id),
        Some(staff),
        "login as consumer",
    )
    .await?;
    Ok(session)
}
