//! What every page's layout needs: branding, navigation, the signed-in
//! user, the Agent banner, a notice, the CSRF token.

use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::ctx::TenantCtx;
use crate::error::WebError;

#[derive(Debug, Clone)]
pub struct NavItem {
    pub label: &'static str,
    pub href: &'static str,
    pub current: bool,
}

#[derive(Debug, Clone)]
pub struct Notice {
    /// `success`, `error` or `info`.
    pub kind: &'static str,
    pub text: String,
}

impl Notice {
    pub fn success(t: impl Into<String>) -> Notice {
        Notice { kind: "success", text: t.into() }
    }
    pub fn error(t: impl Into<String>) -> Notice {
        Notice { kind: "error", text: t.into() }
    }
    pub fn info(t: impl Into<String>) -> Notice {
        Notice { kind: "info", text: t.into() }
    }

    /// Fixed messages shown after a redirect (`?m=code`); unknown codes
    /// show nothing, so the query string can't inject text.
    pub fn from_code(code: Option<&str>) -> Option<Notice> {
        Some(match code? {
            "password-changed" => Notice::success("Your password was changed."),
            "email-changed" => Notice::success("Your e-mail address was changed."),
            "password-set" => Notice::success("Your password is set. Sign in with it now."),
            "signed-out" => Notice::info("You are signed out."),
            "sessions-ended" => Notice::success("Your other sessions were signed out."),
            "reset-sent" => Notice::info(
                "If an account matches what you entered, we've sent an e-mail with a link to choose a new password. The link works for one hour.",
            ),
            "verified" => Notice::success("Thank you, your identity is confirmed. Welcome to your portal."),
            "contact-created" => Notice::success("Contact saved. Use \"Create user\" to give them portal access."),
            "enrolled" => Notice::success("Portal user created."),
            "enrolled-welcome" => Notice::success("Portal user created and the welcome e-mail is on its way."),
            "welcome-sent" => Notice::success("The welcome e-mail with a new set-password link is on its way."),
            "activated" => Notice::success("Portal access is active."),
            "deactivated" => Notice::success("Portal access is inactive, and the customer's sessions were ended."),
            "sessions-ended-staff" => Notice::success("All of the customer's sessions were ended."),
            "saved" => Notice::success("Saved. Customers see the change on their next page load."),
            "faq-added" => Notice::success("Question added."),
            "faq-deleted" => Notice::success("Question removed."),
            "domain-added" => Notice::success("Domain added. Point its DNS at this server to use it."),
            "domain-deleted" => Notice::success("Domain removed."),
            "domain-primary" => Notice::success("Primary domain changed. E-mailed links now use it."),
            "logo-saved" => Notice::success("Logo saved."),
            "logo-deleted" => Notice::success("Logo removed."),
            "posted" => Notice::success("Posted. Balances and the portal show it now."),
            "account-hidden" => Notice::success("The account is hidden from the portal."),
            "account-shown" => Notice::success("The account is shown in the portal."),
            "agent-ended" => Notice::info("Agent mode ended."),
            "task-assigned" => Notice::success("Task assigned. The customer is notified and sees it in the portal."),
            "task-confirmed" => Notice::success("Task confirmed as complete."),
            "task-reopened" => Notice::success("Task reopened; the customer sees it as outstanding again."),
            "task-deleted" => Notice::success("Task deleted."),
            "note-added" => Notice::success("Note added."),
            "team-added" => Notice::success("Added to the customer's team."),
            "team-removed" => Notice::success("Removed from the customer's team."),
            "document-uploaded" => Notice::success("Thank you. The document was uploaded."),
            "documents-uploaded" => Notice::success("Thank you. The documents were uploaded."),
            "document-excluded" => Notice::success("The document is excluded from the portal."),
            "document-included" => Notice::success("The document is shown in the portal again."),
            "type-added" => Notice::success("Document type added."),
            "type-deleted" => Notice::success("Document type removed."),
            "statement-delivery-saved" => Notice::success("Your statement delivery choice is saved."),
            "onboarding-done" => Notice::success("Thank you, you're all set. Welcome to your portal."),
            "payment-cancelled" => Notice::success("The scheduled payment is cancelled. Nothing will be charged."),
            "method-added" => Notice::success("Payment method added."),
            "method-default" => Notice::success("Default payment method changed."),
            "method-deleted" => Notice::success("Payment method deleted."),
            "autopay-created" => Notice::success("AutoPay is on. We'll e-mail you after each automatic payment."),
            "autopay-on" => Notice::success("AutoPay is switched on."),
            "autopay-off" => Notice::success("AutoPay is switched off. No automatic payments will be made."),
            "autopay-deleted" => Notice::success("AutoPay deleted."),
            "payment-cancelled-staff" => Notice::success("The payment is cancelled."),
            "payment-reversed" => Notice::success("The payment is reversed; balances show it now."),
            "payment-refunded" => Notice::success("The payment is refunded through the gateway and reversed."),
            "payment-settings-saved" => Notice::success("Payment settings saved."),
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Page {
    pub title: String,
    pub company: String,
    pub brand_css: String,
    pub logo: Option<String>,
    pub csrf: String,
    pub nav: Vec<NavItem>,
    pub user_name: Option<String>,
    pub agent: Option<String>,
    pub notice: Option<Notice>,
}

impl Page {
    pub fn new(tenant: &TenantCtx, title: impl Into<String>, csrf: &str) -> Page {
        let t = &tenant.0;
        Page {
            title: title.into(),
            company: t.company.name.clone(),
            brand_css: format!("/brand.css?v={}", t.settings.updated_at),
            logo: (t.has_logo && t.settings.use_company_logo).then(|| format!("/logo?v={}", t.settings.updated_at)),
            csrf: csrf.to_string(),
            nav: Vec::new(),
            user_name: None,
            agent: None,
            notice: None,
        }
    }

    pub fn with_notice(mut self, n: Option<Notice>) -> Page {
        self.notice = n;
        self
    }
}

/// A url-encoded form (repeated keys become `Vec`s). Malformed input is a
/// clear 400 page, not a framework message.
pub struct Form<T>(pub T);

impl<T, S> FromRequest<S> for Form<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum_extra::extract::Form::<T>::from_request(req, state).await {
            Ok(axum_extra::extract::Form(v)) => Ok(Form(v)),
            Err(e) => {
                tracing::debug!(error = %e, "form rejected");
                Err(WebError::BadRequest("The form could not be read. Go back, reload the page and try again.".into()))
            }
        }
    }
}

/// `24 Nov 2026, 14:05 UTC`, or an empty string.
pub fn when(t: Option<i64>) -> String {
    use time::macros::format_description;
    let f = format_description!("[day padding:none] [month repr:short] [year], [hour]:[minute] UTC");
    t.and_then(|t| time::OffsetDateTime::from_unix_timestamp(t).ok()).and_then(|d| d.format(f).ok()).unwrap_or_default()
}

/// `12 April 1985` from an ISO date.
pub fn long_date(iso: &str) -> String {
    use time::macros::format_description;
    portico_domain::validate::date(iso)
        .and_then(|d| d.format(format_description!("[day padding:none] [month repr:long] [year]")).ok())
        .unwrap_or_else(|| iso.to_string())
}

/// `$1,234.56` / `-$1,234.56` from cents (one formatter for pages, charts and PDFs).
pub use portico_render::fmt_money as money;
pub use portico_render::{fmt_balance as balance, fmt_plain as plain_money, fmt_signed as signed_money};

/// `Nov 24, 2026` from a date.
pub fn short_date(d: time::Date) -> String {
    use time::macros::format_description;
    d.format(format_description!("[month repr:short] [day padding:none], [year]")).unwrap_or_default()
}

/// `Nov 24, 2026` from an ISO date string.
pub fn short_iso(iso: &str) -> String {
    portico_domain::validate::date(iso).map(short_date).unwrap_or_else(|| iso.to_string())
}

/// User input quoted back in a message: at most 40 characters.
pub fn clip(s: &str) -> String {
    let mut out: String = s.chars().filter(|c| !c.is_control()).take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}
