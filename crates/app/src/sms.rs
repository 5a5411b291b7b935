//! Customers' notification choices and mobile-number verification (seed
//! 002: "set up notifications via email or text message").
//!
//! A mobile number is used for SMS only once verified: a 6-digit code is
//! sent to it by SMS, stored as an HMAC (never the code), valid for ten
//! minutes and for five tries; at most five codes an hour.

use portico_domain::codes::Action;
use portico_store::notify as st;
use portico_store::sms::{self as outbox, NewSms};
use rand::Rng;

use crate::auth::Customer;
use crate::crypto::constant_time_eq;
use crate::mail::CompanySender;
use crate::notify::{Channels, Topic};
use crate::{App, AppError, FieldErrors, Origin, audit, now};

pub const CODE_TTL_SECS: i64 = 10 * 60;
pub const MAX_CODE_ATTEMPTS: i64 = 5;
pub const MAX_CODES_PER_HOUR: i64 = 5;
/// A new code may be asked for this long after the previous one.
pub const RESEND_AFTER_SECS: i64 = 30;

/// A phone number as typed → `+` and digits (E.164). US numbers may be
/// typed without the country code.
pub fn normalize_number(input: &str) -> Result<String, &'static str> {
    let s = input.trim();
    if s.is_empty() {
        return Err("Enter your mobile number.");
    }
    if !s.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c)) || s[1..].contains('+') {
        return Err("Use digits only, for example (512) 555-0199 or +44 7700 900123.");
    }
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let n = if s.starts_with('+') {
        digits
    } else if digits.len() == 10 {
        format!("1{digits}")
    } else if digits.len() == 11 && digits.starts_with('1') {
        digits
    } else {
        return Err("Enter a 10-digit US number, or start with + and the country code.");
    };
    if !(8..=15).contains(&n.len()) || n.starts_with('0') {
        return Err("This doesn't look like a mobile number.");
    }
    Ok(format!("+{n}"))
}

/// `+1 ••• ••• 0199`: enough to recognise a number, not to read it out.
pub fn masked(number: &str) -> String {
    let tail: String = number.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    format!("ending in {tail}")
}

fn code_mac(app: &App, contact_id: i64, number: &str, code: &str) -> String {
    app.keys.mac("sms-verify", &format!("{contact_id}:{number}:{code}"))
}

fn refuse_agent(c: &Customer) -> Result<(), AppError> {
    if c.is_agent() {
        return Err(AppError::Forbidden(
            "Agents can view notification settings but not change them for the customer.".into(),
        ));
    }
    Ok(())
}

async fn refused(app: &App, c: &Customer, origin: &Origin, what: &str) -> Result<(), AppError> {
    audit::portal(app.db.w(), c, origin, Action::AccessRefused, what).await
}

/// Where a customer's SMS verification stands.
#[derive(Debug, Clone, Default)]
pub struct MobileState {
    pub verified: Option<String>,
    /// A code was sent to this number and can still be entered.
    pub pending: Option<String>,
}

pub async fn mobile_state(app: &App, c: &Customer) -> Result<MobileState, AppError> {
    let m = st::mobile(app.db.r(), c.company_id, c.contact.id).await?.unwrap_or_default();
    let live = m.code_expires_at.is_some_and(|t| t > now()) && m.code_attempts < MAX_CODE_ATTEMPTS;
    Ok(MobileState { verified: m.verified_number, pending: m.pending_number.filter(|_| live) })
}

/// Send a verification code to a mobile number.
pub async fn start_verification(app: &App, c: &Customer, number: &str, origin: &Origin) -> Result<(), AppError> {
    if let Err(e) = refuse_agent(c) {
        refused(app, c, origin, "agent tried to verify a mobile number").await?;
        return Err(e);
    }
    let number = normalize_number(number).map_err(|m| FieldErrors::single("mobile", m))?;
    let t = now();
    let m = st::mobile(app.db.r(), c.company_id, c.contact.id).await?.unwrap_or_default();
    if m.code_sent_at.is_some_and(|s| t - s < RESEND_AFTER_SECS) {
        return Err(FieldErrors::single(
            "mobile",
            "We just sent a code. Wait half a minute before asking for another.",
        ));
    }
    let (window, sent) = match m.codes_sent_window_start {
        Some(w) if t - w < 3600 => (w, m.codes_sent),
        _ => (t, 0),
    };
    if sent >= MAX_CODES_PER_HOUR {
        return Err(FieldErrors::single("mobile", "Too many codes were sent in the last hour. Try again later."));
    }
    let code = format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000u32));
    let sender = CompanySender::load(app, c.company_id).await?;
    // The stored copy carries a placeholder; the code goes sealed beside it.
    let body = format!(
        "{}: your verification code is {}. It expires in 10 minutes. If you didn't ask for it, ignore this message.",
        sender.from_name,
        crate::mail::SECRET_PLACEHOLDER
    );
    let sealed = app.keys.seal(&code);
    let mut tx = app.db.begin().await?;
    st::set_pending(
        &mut *tx,
        c.company_id,
        c.contact.id,
        &number,
        &code_mac(app, c.contact.id, &number, &code),
        t + CODE_TTL_SECS,
        window,
        sent + 1,
        t,
    )
    .await?;
    outbox::enqueue(
        &mut *tx,
        &NewSms {
            company_id: c.company_id,
            contact_id: Some(c.contact.id),
            kind: "verify",
            to_number: &number,
            body: &body,
            secret_sealed: Some(&sealed),
        },
        t,
    )
    .await?;
    audit::portal(&mut *tx, c, origin, Action::MobileCodeSent, &masked(&number)).await?;
    tx.commit().await?;
    Ok(())
}

/// Check a code; the pending number becomes the verified one.
pub async fn confirm(app: &App, c: &Customer, code: &str, origin: &Origin) -> Result<(), AppError> {
    if let Err(e) = refuse_agent(c) {
        refused(app, c, origin, "agent tried to verify a mobile number").await?;
        return Err(e);
    }
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let m = st::mobile(app.db.r(), c.company_id, c.contact.id).await?.unwrap_or_default();
    let (Some(number), Some(hash), Some(expires)) = (m.pending_number.clone(), m.code_hash.clone(), m.code_expires_at)
    else {
        return Err(FieldErrors::single("code", "Ask for a code first."));
    };
    if expires <= now() {
        return Err(FieldErrors::single("code", "This code has expired. Ask for a new one."));
    }
    if m.code_attempts >= MAX_CODE_ATTEMPTS {
        return Err(FieldErrors::single("code", "Too many wrong codes. Ask for a new one."));
    }
    let ok = code.len() == 6
        && code.chars().all(|c| c.is_ascii_digit())
        && constant_time_eq(code_mac(app, c.contact.id, &number, &code).as_bytes(), hash.as_bytes());
    if !ok {
        st::record_code_failure(app.db.w(), c.company_id, c.contact.id).await?;
        audit::portal(app.db.w(), c, origin, Action::MobileCodeFailed, &masked(&number)).await?;
        let left = MAX_CODE_ATTEMPTS - m.code_attempts - 1;
        let msg = if left > 0 {
            format!("That code isn't right. {left} tr{} left.", if left == 1 { "y" } else { "ies" })
        } else {
            "That code isn't right, and it can't be used any more. Ask for a new one.".into()
        };
        return Err(FieldErrors::single("code", msg));
    }
    let mut tx = app.db.begin().await?;
    st::verify(&mut *tx, c.company_id, c.contact.id, now()).await?;
    audit::portal(&mut *tx, c, origin, Action::MobileVerified, &masked(&number)).await?;
    tx.commit().await?;
    Ok(())
}

/// Forget the mobile number; SMS choices are switched off.
pub async fn remove(app: &App, c: &Customer, origin: &Origin) -> Result<(), AppError> {
    if let Err(e) = refuse_agent(c) {
        refused(app, c, origin, "agent tried to remove a mobile number").await?;
        return Err(e);
    }
    let prefs = crate::notify::preferences(app, c.company_id, c.contact.id).await?;
    let mut tx = app.db.begin().await?;
    st::remove(&mut *tx, c.company_id, c.contact.id).await?;
    for (t, ch) in prefs.iter().filter(|(_, ch)| ch.sms) {
        st::set_pref(&mut *tx, c.company_id, c.contact.id, t.key(), ch.email, false).await?;
    }
    audit::portal(&mut *tx, c, origin, Action::MobileRemoved, "").await?;
    tx.commit().await?;
    Ok(())
}

/// Save the customer's channels per topic. SMS needs a verified number.
pub async fn save_preferences(
    app: &App,
    c: &Customer,
    choices: &[(Topic, Channels)],
    origin: &Origin,
) -> Result<(), AppError> {
    if let Err(e) = refuse_agent(c) {
        refused(app, c, origin, "agent tried to change notification settings").await?;
        return Err(e);
    }
    if choices.iter().any(|(_, ch)| ch.sms) && mobile_state(app, c).await?.verified.is_none() {
        return Err(FieldErrors::single("sms", "Verify a mobile number below before choosing text messages."));
    }
    let mut tx = app.db.begin().await?;
    let mut summary = Vec::new();
    for (t, ch) in choices {
        st::set_pref(&mut *tx, c.company_id, c.contact.id, t.key(), ch.email, ch.sms).await?;
        let chans = match (ch.email, ch.sms) {
            (true, true) => "e-mail+SMS",
            (true, false) => "e-mail",
            (false, true) => "SMS",
            (false, false) => "none",
        };
        summary.push(format!("{}: {chans}", t.key()));
    }
    audit::portal(&mut *tx, c, origin, Action::NotificationsUpdate, &summary.join(", ")).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_normalised() {
        assert_eq!(normalize_number("(512) 555-0199").unwrap(), "+15125550199");
        assert_eq!(normalize_number("1 512 555 0199").unwrap(), "+15125550199");
        assert_eq!(normalize_number("+44 7700 900123").unwrap(), "+447700900123");
        assert!(normalize_number("").is_err());
        assert!(normalize_number("555-0199").is_err());
        assert!(normalize_number("call me").is_err());
        assert!(normalize_number("+1+2").is_err());
        assert!(normalize_number("+0123456789").is_err());
    }

    #[test]
    fn masked_shows_last_four() {
        assert_eq!(masked("+15125550199"), "ending in 0199");
    }
}
