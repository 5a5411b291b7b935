//! Sessions for the small fragments pages poll (unread badge, new tasks
//! and messages): the session is checked exactly like a page request but
//! NOT touched, so a page left open doesn't keep a session alive past its
//! idle timeout (ASVS 7.3.1), and an Agent's polls are not page views.

use portico_store::auth as st;
use portico_store::people;

use crate::auth::{Customer, Staff};
use crate::crypto::token_hash;
use crate::{App, AppError, now};

fn expired(app: &App, s: &st::Session, t: i64) -> bool {
    s.expires_at <= t || s.last_seen_at + app.config.session_idle_secs <= t
}

/// The signed-in customer (or Agent) of a portal session cookie, without
/// extending the session. Onboarding must be finished.
pub async fn peek_customer(app: &App, company_id: i64, token: &str) -> Result<Option<Customer>, AppError> {
    let hash = token_hash(token);
    let Some(cs) = st::customer_session(app.db.r(), company_id, &hash, false, false).await? else { return Ok(None) };
    if expired(app, &cs.session, now()) || !cs.user.active {
        return Ok(None);
    }
    let agent = match (cs.session.kind.as_str(), cs.session.staff_user_id) {
        ("customer", _) => None,
        ("agent", Some(id)) => match people::staff_user(app.db.r(), company_id, id).await? {
            Some(staff) if staff.active => Some(staff),
            _ => return Ok(None),
        },
        _ => return Ok(None),
    };
    let c = Customer {
        company_id,
        user: cs.user,
        contact: cs.contact,
        agent,
        session_hash: cs.session.token_hash,
        gaps: None,
    };
    if crate::onboarding::next_step(&c) != crate::onboarding::Step::Done {
        return Ok(None);
    }
    Ok(Some(c))
}

/// The staff member of a console session cookie, without extending it.
pub async fn peek_staff(app: &App, company_id: i64, token: &str) -> Result<Option<Staff>, AppError> {
    let hash = token_hash(token);
    let Some(s) = st::session(app.db.r(), company_id, &hash).await? else { return Ok(None) };
    if expired(app, &s, now()) || s.kind != "staff" {
        return Ok(None);
    }
    let Some(id) = s.staff_user_id else { return Ok(None) };
    let Some(user) = people::staff_user(app.db.r(), company_id, id).await? else { return Ok(None) };
    if !user.active {
        return Ok(None);
    }
    let role = user.role;
    Ok(Some(Staff { company_id, user, role, session_hash: s.token_hash }))
}
