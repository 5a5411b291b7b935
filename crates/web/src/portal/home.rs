use askama::Template;
use axum::extract::Query;
use axum::http::Request;
use axum::response::{Html, IntoResponse, Response};
use portico_app::auth::Customer;
use portico_app::portal::FaqEntry;
use portico_domain::section::Section;

use crate::ctx::{CsrfToken, CustomerCtx, ReadConn, TenantCtx};
use crate::error::WebResult;
use crate::page::{NavItem, Notice, Page};
use crate::portal::chrome::{MsgQuery, portal_page};
use crate::state::AppState;
use axum::extract::{FromRequestParts, State};

pub struct QuickAction {
    pub label: &'static str,
    pub href: &'static str,
    /// Inline SVG markup (a constant below, never user input).
    pub icon: &'static str,
}

/// Stroke icons drawn in the text colour; inline so no extra request and
/// no reliance on an emoji font.
mod icon {
    pub const ANNOUNCE: &str = concat!(
        "<svg viewBox=\"0 0 24 24\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" stroke-linecap=\"round\" stroke-linejoin=\"round\" focusable=\"false\">",
        "<path d=\"M3 11v2a1 1 0 0 0 1 1h2l5 4V6L6 10H4a1 1 0 0 0-1 1z\"/><path d=\"M15 9a4 4 0 0 1 0 6\"/><path d=\"M18 6a8 8 0 0 1 0 12\"/></svg>"
    );
    pub const PHONE: &str = concat!(
        "<svg viewBox=\"0 0 24 24\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" stroke-linecap=\"round\" stroke-linejoin=\"round\" focusable=\"false\">",
        "<path d=\"M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2\"/></svg>"
    );
    pub const QUESTION: &str = concat!(
        "<svg viewBox=\"0 0 24 24\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" stroke-linecap=\"round\" stroke-linejoin=\"round\" focusable=\"false\">",
        "<circle cx=\"12\" cy=\"12\" r=\"9\"/><path d=\"M9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.7v.5\"/><path d=\"M12 17h.01\"/></svg>"
    );
    pub const WALLET: &str = concat!(
        "<svg viewBox=\"0 0 24 24\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" stroke-linecap=\"round\" stroke-linejoin=\"round\" focusable=\"false\">",
        "<rect x=\"3\" y=\"6\" width=\"18\" height=\"13\" rx=\"2\"/><path d=\"M3 10h18\"/><path d=\"M16 14h2\"/></svg>"
    );
    pub const LIST: &str = concat!(
        "<svg viewBox=\"0 0 24 24\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" stroke-linecap=\"round\" stroke-linejoin=\"round\" focusable=\"false\">",
        "<path d=\"M8 6h13M8 12h13M8 18h13\"/><path d=\"M3 6h.01M3 12h.01M3 18h.01\"/></svg>"
    );
    pub const SEND: &str = concat!(
        "<svg viewBox=\"0 0 24 24\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" stroke-linecap=\"round\" stroke-linejoin=\"round\" focusable=\"false\">",
        "<path d=\"M22 2L11 13\"/><path d=\"M22 2l-7 20-4-9-9-4 20-7z\"/></svg>"
    );
    pub const CHECK: &str = concat!(
        "<svg viewBox=\"0 0 24 24\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" stroke-linecap=\"round\" stroke-linejoin=\"round\" focusable=\"false\">",
        "<circle cx=\"12\" cy=\"12\" r=\"9\"/><path d=\"M8 12.5l2.5 2.5L16 9.5\"/></svg>"
    );
    pub const USER: &str = concat!(
        "<svg viewBox=\"0 0 24 24\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" stroke-linecap=\"round\" stroke-linejoin=\"round\" focusable=\"false\">",
        "<circle cx=\"12\" cy=\"8\" r=\"4\"/><path d=\"M4 21c0-4 4-6 8-6s8 2 8 6\"/></svg>"
    );
}

#[derive(Template)]
#[template(path = "portal/dashboard.html")]
struct Dashboard {
    p: Page,
    display_name: String,
    customer_number: String,
    stage_status: Option<String>,
    announcement: String,
    has_announcement_page: bool,
    quick_actions: Vec<QuickAction>,
    money: Option<MoneySummary>,
    /// Outstanding tasks and "Customer Portal" notes (portal/tasks.rs).
    extras: String,
}

/// Seed 000's dashboard figures: aggregated balance, next transaction.
pub struct MoneySummary {
    /// Accounts and advances together ("Total owed").
    pub balance: String,
    pub accounts: usize,
    pub advances: usize,
    /// The Accounts page total and the Advances page total.
    pub accounts_balance: String,
    pub advances_balance: String,
    /// The next payment due on an account (advances' debits apart).
    pub next_amount: String,
    pub next_date: String,
    pub next_debit: Option<String>,
    pub past_due: Option<String>,
    pub can_request_payoff: bool,
}

/// "First name, last initial" (seed 000: "the user's First Name, the
/// Initial of their Last Name, and their identification number").
fn display_name(first: &str, last: &str) -> String {
    match last.chars().next() {
        Some(i) => format!("{first} {i}."),
        None => first.to_string(),
    }
}

pub async fn dashboard(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    conn: ReadConn,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<MsgQuery>,
) -> WebResult {
    let s = &tenant.0.settings;
    let sections = tenant.sections();
    let mut qa = Vec::new();
    if sections.contains(Section::Announcement) && !s.announcement_page.is_empty() {
        qa.push(QuickAction { label: "Read announcements", href: "/announcements", icon: icon::ANNOUNCE });
    }
    if sections.contains(Section::Help) {
        qa.push(QuickAction { label: "Contact us", href: "/help", icon: icon::PHONE });
    }
    if sections.contains(Section::Faq) {
        qa.push(QuickAction { label: "Questions and answers", href: "/faq", icon: icon::QUESTION });
    }
    if sections.contains(Section::Accounts) {
        qa.insert(0, QuickAction { label: "View accounts", href: "/accounts", icon: icon::WALLET });
    }
    if sections.contains(Section::Transactions) {
        qa.insert(
            usize::from(sections.contains(Section::Accounts)),
            QuickAction { label: "View transactions", href: "/transactions", icon: icon::LIST },
        );
    }
    if sections.contains(Section::Payments) {
        qa.insert(0, QuickAction { label: "Make a payment", href: "/payments/multiple", icon: icon::WALLET });
    }
    if sections.contains(Section::Documents) {
        qa.push(QuickAction { label: "Upload documents", href: "/documents", icon: icon::LIST });
    }
    if sections.contains(Section::Messages) {
        qa.push(QuickAction { label: "Send a message", href: "/messages/new", icon: icon::SEND });
    }
    if sections.contains(Section::Tasks) {
        qa.push(QuickAction { label: "View tasks", href: "/tasks", icon: icon::CHECK });
    }
    qa.push(QuickAction { label: "My account", href: "/account", icon: icon::USER });
    // Two statements on one connection: the accounts, then the tasks/notes
    // card. Reading them at once on two connections costs PostgreSQL more
    // (a second connection and its release check) than it saves in latency
    // under load (bench/README.md).
    let money_on = sections.contains(Section::Accounts) || sections.contains(Section::Advances);
    let mut conn = conn.get(&state.app).await?;
    let views = if money_on { Some(portico_app::accounts::views_on(&mut conn, &c).await?) } else { None };
    let extras = crate::portal::tasks::dashboard_extras(&mut conn, &tenant, &c).await?;
    drop(conn);
    let money = if let Some(views) = views {
        let views: Vec<_> = views
            .into_iter()
            .filter(|v| match v.kind {
                portico_domain::codes::AccountKind::CashAdvance => sections.contains(Section::Advances),
                _ => sections.contains(Section::Accounts),
            })
            .collect();
        let t = portico_app::servicing::totals(&views);
        let page = crate::page::balance;
        (t.accounts + t.advances > 0).then(|| MoneySummary {
            balance: page(t.balance),
            accounts: t.accounts,
            advances: t.advances,
            accounts_balance: page(t.accounts_balance),
            advances_balance: page(t.advances_balance),
            next_amount: if t.next_due.is_some() { crate::page::money(t.next_amount) } else { String::new() },
            next_date: t.next_due.map(crate::page::short_date).unwrap_or_default(),
            next_debit: t
                .next_debit
                .map(|d| format!("{} on {}", crate::page::money(t.next_debit_amount), crate::page::short_date(d))),
            past_due: (t.past_due > 0).then(|| crate::page::money(t.past_due)),
            can_request_payoff: views.iter().any(|v| v.payoff_today() > 0),
        })
    } else {
        None
    };
    let stage_status =
        (s.show_stage_status && !(c.contact.stage.is_empty() && c.contact.status.is_empty())).then(|| {
            match (c.contact.stage.is_empty(), c.contact.status.is_empty()) {
                (false, false) => format!("{} · {}", c.contact.stage, c.contact.status),
                (false, true) => c.contact.stage.clone(),
                _ => c.contact.status.clone(),
            }
        });
    let t = Dashboard {
        p: portal_page(&tenant, &c, "Home", "/", &csrf).with_notice(Notice::from_code(q.m.as_deref())),
        display_name: display_name(&c.contact.first_name, &c.contact.last_name),
        customer_number: c.contact.customer_number.clone(),
        stage_status,
        announcement: if sections.contains(Section::Announcement) {
            s.announcement_short.clone()
        } else {
            String::new()
        },
        has_announcement_page: sections.contains(Section::Announcement) && !s.announcement_page.is_empty(),
        quick_actions: qa,
        money,
        extras,
    };
    Ok(Html(t.render()?).into_response())
}

#[derive(Template)]
#[template(path = "portal/announcement.html")]
struct Announcements {
    p: Page,
    paragraphs: Vec<String>,
}

pub async fn announcements(tenant: TenantCtx, CustomerCtx(c): CustomerCtx, CsrfToken(csrf): CsrfToken) -> WebResult {
    tenant.require(Section::Announcement)?;
    let text = &tenant.0.settings.announcement_page;
    if text.is_empty() {
        return Err(crate::error::WebError::NotFound);
    }
    let t = Announcements {
        p: portal_page(&tenant, &c, "Announcements", "/announcements", &csrf),
        paragraphs: text.split("\n\n").map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
    };
    Ok(Html(t.render()?).into_response())
}

/// Help and FAQ are readable before signing in too (the sign-in page links
/// to Help); signed in, they carry the portal navigation.
async fn optional_customer(parts: &mut axum::http::request::Parts, state: &AppState) -> Option<Customer> {
    CustomerCtx::from_request_parts(parts, state).await.ok().map(|c| c.0)
}

fn public_page(tenant: &TenantCtx, c: Option<&Customer>, title: &str, current: &str, csrf: &str) -> Page {
    match c {
        Some(c) => portal_page(tenant, c, title, current, csrf),
        None => {
            let mut p = Page::new(tenant, title, csrf);
            p.nav = vec![NavItem { label: "Sign in", href: "/login", current: false }];
            p
        }
    }
}

#[derive(Template)]
#[template(path = "portal/help.html")]
struct Help {
    p: Page,
    empty: bool,
    phone: String,
    phone_link: String,
    email: String,
    hours: String,
    address_lines: Vec<String>,
    faq_enabled: bool,
}

pub async fn help(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CsrfToken(csrf): CsrfToken,
    req: Request<axum::body::Body>,
) -> WebResult {
    tenant.require(Section::Help)?;
    let (mut parts, _) = req.into_parts();
    let c = optional_customer(&mut parts, &state).await;
    let s = &tenant.0.settings;
    let t = Help {
        p: public_page(&tenant, c.as_ref(), "Help", "/help", &csrf),
        empty: s.help_phone.is_empty()
            && s.help_email.is_empty()
            && s.help_hours.is_empty()
            && s.help_address.is_empty(),
        phone: s.help_phone.clone(),
        phone_link: s.help_phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect(),
        email: s.help_email.clone(),
        hours: s.help_hours.clone(),
        address_lines: s.help_address.lines().map(str::to_string).collect(),
        faq_enabled: tenant.sections().contains(Section::Faq),
    };
    Ok(Html(t.render()?).into_response())
}

#[derive(Template)]
#[template(path = "portal/faq.html")]
struct Faq {
    p: Page,
    entries: Vec<FaqEntry>,
}

pub async fn faq(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CsrfToken(csrf): CsrfToken,
    req: Request<axum::body::Body>,
) -> WebResult<Response> {
    tenant.require(Section::Faq)?;
    let (mut parts, _) = req.into_parts();
    let c = optional_customer(&mut parts, &state).await;
    let entries = portico_app::portal::faq(&state.app, tenant.id()).await?;
    let t = Faq { p: public_page(&tenant, c.as_ref(), "FAQ", "/faq", &csrf), entries };
    Ok(Html(t.render()?).into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn display_name_is_first_and_initial() {
        assert_eq!(super::display_name("Jane", "Doe"), "Jane D.");
        assert_eq!(super::display_name("Cher", ""), "Cher");
        assert_eq!(super::display_name("Ana", "Ølsen"), "Ana Ø.");
    }
}
