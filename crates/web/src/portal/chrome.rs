//! The portal's page frame: navigation by the company's sections, the
//! signed-in name and the Agent banner. Every portal page is built on it.

use portico_app::auth::Customer;
use portico_domain::section::Section;
use serde::Deserialize;

use crate::ctx::TenantCtx;
use crate::page::{NavItem, Page};

#[derive(Deserialize, Default)]
pub struct MsgQuery {
    pub m: Option<String>,
}

/// The portal page frame for a signed-in customer (or Agent).
pub fn portal_page(tenant: &TenantCtx, c: &Customer, title: &str, current: &str, csrf: &str) -> Page {
    let mut p = Page::new(tenant, title, csrf);
    p.nav = nav(tenant, current);
    p.user_name = Some(format!("{} {}", c.contact.first_name, c.contact.last_name));
    p.agent = c.agent.as_ref().map(|a| a.name.clone());
    p
}

pub fn nav(tenant: &TenantCtx, current: &str) -> Vec<NavItem> {
    let s = tenant.sections();
    let mut v = vec![NavItem { label: "Home", href: "/", current: current == "/" }];
    money_nav(&s, current, &mut v);
    if s.contains(Section::Announcement) && !tenant.0.settings.announcement_page.is_empty() {
        v.push(NavItem { label: "Announcements", href: "/announcements", current: current == "/announcements" });
    }
    if s.contains(Section::Help) {
        v.push(NavItem { label: "Help", href: "/help", current: current == "/help" });
    }
    if s.contains(Section::Faq) {
        v.push(NavItem { label: "FAQ", href: "/faq", current: current == "/faq" });
    }
    v.push(NavItem { label: "My account", href: "/account", current: current == "/account" });
    v
}

fn money_nav(s: &portico_domain::section::SectionSet, current: &str, v: &mut Vec<NavItem>) {
    if s.contains(Section::Accounts) {
        v.push(NavItem { label: "Accounts", href: "/accounts", current: current == "/accounts" });
    }
    if s.contains(Section::Advances) {
        v.push(NavItem { label: "Advances", href: "/advances", current: current == "/advances" });
    }
    if s.contains(Section::Transactions) {
        v.push(NavItem { label: "Transactions", href: "/transactions", current: current == "/transactions" });
    }
    if s.contains(Section::Payments) {
        v.push(NavItem { label: "Payments", href: "/payments", current: current == "/payments" });
    }
    if s.contains(Section::Documents) {
        v.push(NavItem { label: "Documents", href: "/documents", current: current == "/documents" });
    }
    if s.contains(Section::Tasks) {
        v.push(NavItem { label: "Tasks", href: "/tasks", current: current == "/tasks" });
    }
    if s.contains(Section::Messages) {
        v.push(NavItem { label: "Messages", href: "/messages", current: current == "/messages" });
    }
    settlement_nav(s, current, v);
}

/// Debt settlement and student loans (issue 6): Debts is named Debts or
/// Creditors as the company prefers.
fn settlement_nav(s: &portico_domain::section::SectionSet, current: &str, v: &mut Vec<NavItem>) {
    if let Some(label) = portico_app::settlement::debts_name(s) {
        v.push(NavItem { label, href: "/debts", current: current == "/debts" });
    }
    if s.contains(Section::ProgramAccount) {
        v.push(NavItem { label: "Program account", href: "/program", current: current == "/program" });
    }
    if s.contains(Section::PaymentSchedule) {
        v.push(NavItem { label: "Payment schedule", href: "/schedule", current: current == "/schedule" });
    }
    if s.contains(Section::StudentLoans) {
        v.push(NavItem { label: "Student loans", href: "/student-loans", current: current == "/student-loans" });
        v.push(NavItem { label: "Programs", href: "/programs", current: current == "/programs" });
    }
    if s.contains(Section::Profile) {
        v.push(NavItem { label: "Profile", href: "/profile", current: current == "/profile" });
    }
}
