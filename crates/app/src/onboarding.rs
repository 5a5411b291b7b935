//! First sign-in: the customer proves who they are with their date of birth
//! and the last four digits of their SSN (seed 000) before entering the
//! portal. Wrong answers are counted and lock verification for an hour
//! after five (domain::throttle).
//!
//! A contact with neither on file has nothing to verify against: the step
//! is skipped (recorded in the audit log). Agents never pass through
//! onboarding; they view the portal as it is.
//!
//! After verification come the company's requirements (seed 000): a
//! statement delivery choice (paper or paperless) where the company asks
//! for one, then the document types required at onboarding that the
//! customer has no document of yet. They apply whenever they are unmet, so
//! a requirement added later is asked at the customer's next visit.

use portico_domain::codes::Action;
use portico_domain::{throttle, validate};
use portico_store::people;

use crate::auth::Customer;
use crate::{App, AppError, FieldErrors, Origin, audit, now};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    VerifyIdentity,
    /// Paper or paperless statements (the company asks at first login).
    StatementDelivery,
    /// Upload the document types required at onboarding.
    RequiredDocuments,
    Done,
}

/// The identity step alone (no database work): `Done` once identity is
/// verified. Pages use [`portal_step`], which adds the company's
/// requirements.
pub fn next_step(c: &Customer) -> Step {
    if c.is_agent() || c.onboarded() { Step::Done } else { Step::VerifyIdentity }
}

/// What the customer must do before entering the portal: identity, then
/// the statement choice, then required documents. `documents_on`: the
/// company's Documents section is switched on (required documents are only
/// asked for then). One query once identity is verified.
/// [`portal_step`] read from the database now, ignoring what was read with
/// the session (after a step was just completed in this request).
pub async fn portal_step_now(app: &App, c: &Customer, documents_on: bool) -> Result<Step, AppError> {
    let fresh = Customer { gaps: None, ..c.clone() };
    portal_step(app, &fresh, documents_on).await
}

pub async fn portal_step(app: &App, c: &Customer, documents_on: bool) -> Result<Step, AppError> {
    let step = next_step(c);
    if step != Step::Done || c.is_agent() {
        return Ok(step);
    }
    // Read with the session on page requests (one round trip); otherwise now.
    let (statement, missing_docs) = match c.gaps {
        Some(g) => g,
        None => portico_store::documents::onboarding_gaps(app.db.r(), c.company_id, c.contact.id, documents_on).await?,
    };
    Ok(if statement {
        Step::StatementDelivery
    } else if missing_docs > 0 {
        Step::RequiredDocuments
    } else {
        Step::Done
    })
}

/// Whether the contact has identity data to verify against.
pub fn has_identity_data(c: &Customer) -> bool {
    c.contact.dob_enc.is_some() && c.contact.ssn4_mac.is_some()
}

pub fn ssn_context(contact_id: i64) -> String {
    format!("ssn4:contact:{contact_id}")
}

/// Minutes left on a verification lock, if any.
pub fn verify_locked_minutes(c: &Customer) -> Option<i64> {
    let t = now();
    c.user.verify_locked_until.filter(|&u| u > t).map(|u| (u - t + 59) / 60)
}

/// Skip verification for a contact without identity data.
pub async fn complete_without_verification(app: &App, c: &Customer, origin: &Origin) -> Result<(), AppError> {
    if has_identity_data(c) || c.is_agent() {
        return Err(AppError::Forbidden("Identity verification is required.".into()));
    }
    people::set_onboarded(app.db.w(), c.company_id, c.user.id, Some(now())).await?;
    audit::portal(app.db.w(), c, origin, Action::OnboardingComplete, "no identity data on file; verification skipped")
        .await
}

pub async fn verify_identity(
    app: &App,
    c: &Customer,
    dob_input: &str,
    ssn_input: &str,
    origin: &Origin,
) -> Result<(), AppError> {
    if c.is_agent() {
        return Err(AppError::Forbidden("Agents can't verify a customer's identity.".into()));
    }
    if let Some(m) = verify_locked_minutes(c) {
        return Err(AppError::Locked { minutes: m });
    }
    let mut errors = FieldErrors::new();
    let dob = validate::date(dob_input);
    if dob.is_none() {
        errors.add("dob", "Enter your date of birth, for example 1985-04-12.");
    }
    let ssn = validate::ssn_last4(ssn_input);
    if ssn.is_none() {
        errors.add("ssn4", "Enter the last four digits of your Social Security number.");
    }
    errors.into_result()?;
    let (Some(dob), Some(ssn)) = (dob, ssn) else {
        return Err(AppError::BadCredentials);
    };

    let dob_ok = c
        .contact
        .dob_enc
        .as_deref()
        .and_then(|s| app.keys.open(s).ok())
        .is_some_and(|stored| stored == validate::iso_date(dob));
    let ssn_ok = c.contact.ssn4_mac.as_deref().is_some_and(|stored| {
        crate::crypto::constant_time_eq(stored.as_bytes(), app.keys.mac(&ssn_context(c.contact.id), &ssn).as_bytes())
    });
    if dob_ok && ssn_ok {
        let mut tx = app.db.begin().await?;
        people::set_onboarded(&mut *tx, c.company_id, c.user.id, Some(now())).await?;
        audit::portal(&mut *tx, c, origin, Action::OnboardingVerified, "").await?;
        tx.commit().await?;
        return Ok(());
    }
    let n = people::record_verify_failure(app.db.w(), c.company_id, c.user.id).await?;
    let lock = throttle::verify_lock_secs(n);
    if let Some(secs) = lock {
        people::set_verify_lock(app.db.w(), c.company_id, c.user.id, Some(now() + secs), true).await?;
    }
    audit::portal(app.db.w(), c, origin, Action::OnboardingVerifyFailed, &format!("attempt {n}")).await?;
    match lock {
        Some(secs) => Err(AppError::Locked { minutes: secs / 60 }),
        None => Err(AppError::Invalid(FieldErrors(vec![(
            "form",
            format!(
                "These details don't match our records. You have {} more {}.",
                throttle::VERIFY_FREE_FAILURES - n,
                if throttle::VERIFY_FREE_FAILURES - n == 1 { "try" } else { "tries" }
            ),
        )]))),
    }
}
