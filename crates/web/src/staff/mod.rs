//! The staff console, `/staff` on the company's domain.

mod accounts;
mod api_keys;
mod contacts;
mod debts;
pub(crate) mod documents;
mod groups;
mod inbox;
mod intake;
mod notes;
mod payments;
mod records;
mod settings;
mod signin;
mod sms;
mod student_loans;
pub(crate) mod tasks;
mod team;
mod webhooks;

use std::collections::HashMap;
use std::sync::OnceLock;

use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::Method;
use axum::response::Redirect;
use axum::routing::{MethodRouter, get, post};
use axum::{Extension, Router};
use portico_app::auth::Staff;
use portico_app::authz::Permission;

pub use crate::ctx::Access;
use crate::ctx::TenantCtx;
use crate::page::{NavItem, Page};
use crate::state::AppState;

/// One console route and the access it needs: the table docs/security.md
/// ("Staff roles") describes, and the test walks.
#[derive(Debug, Clone)]
pub struct RouteRule {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

/// The console's router and its rules, built together so that no route can
/// exist without a rule.
struct Routes {
    router: Router<AppState>,
    rules: Vec<RouteRule>,
}

impl Routes {
    /// The route carries its rule in the request (read by
    /// `ctx::route_allows`), so the rule that is checked is the one listed.
    fn add(mut self, method: Method, path: &'static str, access: Access, mr: MethodRouter<AppState>) -> Self {
        self.router = self.router.route(path, mr.layer(Extension(access)));
        self.rules.push(RouteRule { method, path, access });
        self
    }

    fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, p: Permission, h: H) -> Self {
        self.add(Method::GET, path, Access::Staff(p), get(h))
    }

    fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, p: Permission, h: H) -> Self {
        self.add(Method::POST, path, Access::Staff(p), post(h))
    }

    /// A POST route with its own layers (body limits).
    fn post_with(self, path: &'static str, p: Permission, mr: MethodRouter<AppState>) -> Self {
        self.add(Method::POST, path, Access::Staff(p), mr)
    }
}

fn routes() -> Routes {
    use Permission::*;
    let r = Routes { router: Router::new(), rules: Vec::new() };
    r.add(Method::GET, "/staff", Access::Public, get(|| async { Redirect::to("/staff/contacts") }))
        .add(Method::GET, "/staff/login", Access::Public, get(signin::login_page))
        .add(Method::POST, "/staff/login", Access::Public, post(signin::login))
        .post("/staff/logout", OwnAccount, signin::logout)
        .add(Method::GET, "/staff/set-password", Access::Public, get(team::set_password_page))
        .add(Method::POST, "/staff/set-password", Access::Public, post(team::set_password))
        .get("/staff/me", OwnAccount, team::me)
        .post("/staff/me/password", OwnAccount, team::change_password)
        .post("/staff/me/email", OwnAccount, team::change_email)
        .post("/staff/me/sessions/end-others", OwnAccount, team::end_other_sessions)
        .get("/staff/team", ManageStaff, team::page)
        .post("/staff/team/invite", ManageStaff, team::invite)
        .post("/staff/team/{id}/role", ManageStaff, team::change_role)
        .post("/staff/team/{id}/deactivate", ManageStaff, team::deactivate)
        .post("/staff/team/{id}/activate", ManageStaff, team::activate)
        .post("/staff/team/{id}/reset-password", ManageStaff, team::send_reset)
        .get("/staff/contacts", ViewCustomers, contacts::list)
        .get("/staff/contacts/new", ServiceCustomers, contacts::new_page)
        .post("/staff/contacts/new", ServiceCustomers, contacts::create)
        .get("/staff/contacts/{id}", ViewCustomers, contacts::show)
        .post("/staff/contacts/{id}/portal/create", ManagePortalAccess, contacts::create_user)
        .post("/staff/contacts/{id}/portal/reset-password", ManagePortalAccess, contacts::reset_password)
        .post("/staff/contacts/{id}/portal/activate", ManagePortalAccess, contacts::activate)
        .post("/staff/contacts/{id}/portal/deactivate", ManagePortalAccess, contacts::deactivate)
        .post("/staff/contacts/{id}/portal/end-sessions", ManagePortalAccess, contacts::end_sessions)
        .post("/staff/contacts/{id}/portal/login-as", ViewAsCustomer, contacts::login_as)
        .get("/staff/contacts/{id}/documents", ViewCustomers, documents::contact_documents)
        .post_with(
            "/staff/contacts/{id}/documents",
            ServiceCustomers,
            post(documents::upload).layer(DefaultBodyLimit::disable()),
        )
        .get("/staff/documents/{id}/download", ViewCustomers, documents::download)
        .post("/staff/documents/{id}/exclude", ServiceCustomers, documents::exclude)
        .post("/staff/documents/{id}/include", ServiceCustomers, documents::include)
        .get("/staff/settings/documents", ManageSettings, documents::settings_page)
        .post("/staff/settings/documents", ManageSettings, documents::save_settings)
        .post("/staff/settings/documents/types", ManageSettings, documents::add_type)
        .post("/staff/settings/documents/types/{id}", ManageSettings, documents::update_type)
        .post("/staff/settings/documents/types/{id}/delete", ManageSettings, documents::delete_type)
        .get("/staff/contacts/{id}/tasks/new", ServiceCustomers, tasks::new_form)
        .post("/staff/contacts/{id}/tasks/new", ServiceCustomers, tasks::create)
        .get("/staff/contacts/{id}/messages/new", ServiceCustomers, inbox::new_form)
        .post("/staff/contacts/{id}/messages/new", ServiceCustomers, inbox::start)
        .get("/staff/contacts/{id}/notes", ViewCustomers, notes::page)
        .post("/staff/contacts/{id}/notes", ServiceCustomers, notes::add)
        .post("/staff/contacts/{id}/team", ServiceCustomers, groups::add_team)
        .post("/staff/contacts/{id}/team/{staff_id}/remove", ServiceCustomers, groups::remove_team)
        .get("/staff/tasks", ViewCustomers, tasks::list)
        .post("/staff/tasks/{id}/confirm", ServiceCustomers, tasks::confirm)
        .post("/staff/tasks/{id}/reopen", ServiceCustomers, tasks::reopen)
        .post("/staff/tasks/{id}/delete", ServiceCustomers, tasks::delete)
        .post("/staff/notes/{id}/delete", ServiceCustomers, notes::delete)
        .get("/staff/inbox", ViewCustomers, inbox::list)
        .get("/staff/inbox/live", ViewCustomers, inbox::list_live)
        .get("/staff/inbox/{id}", ViewCustomers, inbox::show)
        .get("/staff/inbox/{id}/live", ViewCustomers, inbox::thread_live)
        .post("/staff/inbox/{id}/reply", ServiceCustomers, inbox::reply)
        .post("/staff/inbox/{id}/assign", ServiceCustomers, inbox::assign)
        .post("/staff/inbox/{id}/close", ServiceCustomers, inbox::close)
        .post("/staff/inbox/{id}/reopen", ServiceCustomers, inbox::reopen)
        .get("/staff/groups", ManageSettings, groups::page)
        .post("/staff/groups", ManageSettings, groups::create)
        .post("/staff/groups/requests", ManageSettings, groups::save_requests)
        .post("/staff/groups/{id}", ManageSettings, groups::update)
        .post("/staff/groups/{id}/delete", ManageSettings, groups::delete)
        .get("/staff/sms", ViewOutbox, sms::list)
        .get("/staff/sms/{id}", ViewOutbox, sms::view)
        .get("/staff/accounts/{id}", ViewCustomers, accounts::show)
        .post("/staff/accounts/{id}/transactions", ServiceCustomers, accounts::post)
        .post("/staff/accounts/{id}/hide", ServiceCustomers, accounts::hide)
        .post("/staff/accounts/{id}/show", ServiceCustomers, accounts::unhide)
        .get("/staff/payoffs", ViewCustomers, accounts::payoffs)
        .get("/staff/payments", ViewPayments, payments::list)
        .get("/staff/payments/ach", ViewPayments, payments::ach)
        .post("/staff/payments/ach/export", AchFiles, payments::export)
        .post_with(
            "/staff/payments/ach/returns",
            AchFiles,
            post(payments::import_returns).layer(DefaultBodyLimit::max(payments::RETURNS_MAX_BYTES + 16 * 1024)),
        )
        .get("/staff/payments/ach/batches/{file}", AchFiles, payments::download)
        .get("/staff/payments/{id}", ViewPayments, payments::show)
        .post("/staff/payments/{id}/cancel", ServicePayments, payments::cancel)
        .post("/staff/payments/{id}/reverse", ServicePayments, payments::reverse)
        .post("/staff/payments/{id}/refund", ServicePayments, payments::refund)
        .get("/staff/settings/payments", ManageSettings, payments::settings_page)
        .post("/staff/settings/payments", ManageSettings, payments::settings_save)
        .get("/staff/settings/api", ManageApiKeys, api_keys::page)
        .post("/staff/settings/api", ManageApiKeys, api_keys::create)
        .post("/staff/settings/api/{id}/revoke", ManageApiKeys, api_keys::revoke)
        .get("/staff/settings/webhooks", ManageApiKeys, webhooks::page)
        .post("/staff/settings/webhooks", ManageApiKeys, webhooks::create)
        .get("/staff/settings/webhooks/{id}", ManageApiKeys, webhooks::show)
        .post("/staff/settings/webhooks/{id}/secret", ManageApiKeys, webhooks::reveal)
        .post("/staff/settings/webhooks/{id}/rotate", ManageApiKeys, webhooks::rotate)
        .post("/staff/settings/webhooks/{id}/test", ManageApiKeys, webhooks::send_test)
        .post("/staff/settings/webhooks/{id}/enable", ManageApiKeys, webhooks::enable)
        .post("/staff/settings/webhooks/{id}/disable", ManageApiKeys, webhooks::disable)
        .post("/staff/settings/webhooks/{id}/delete", ManageApiKeys, webhooks::delete)
        .post("/staff/settings/webhooks/deliveries/{id}/replay", ManageApiKeys, webhooks::replay)
        .get("/staff/settings", ManageSettings, settings::page)
        .post("/staff/settings", ManageSettings, settings::save)
        .get("/staff/settings/accounts", ManageSettings, settings::accounts_page)
        .post("/staff/settings/accounts", ManageSettings, settings::save_accounts)
        .get("/staff/settings/faq", ManageSettings, settings::faq_page)
        .post("/staff/settings/faq", ManageSettings, settings::add_faq)
        .post("/staff/settings/faq/{id}", ManageSettings, settings::update_faq)
        .post("/staff/settings/faq/{id}/delete", ManageSettings, settings::delete_faq)
        .get("/staff/settings/domains", ManageSettings, settings::domains_page)
        .post("/staff/settings/domains", ManageSettings, settings::add_domain)
        .post("/staff/settings/domains/{id}/delete", ManageSettings, settings::delete_domain)
        .post("/staff/settings/domains/{id}/primary", ManageSettings, settings::primary_domain)
        .get("/staff/settings/logo", ManageSettings, settings::logo_page)
        .post_with(
            "/staff/settings/logo",
            ManageSettings,
            post(settings::upload_logo).layer(DefaultBodyLimit::max(portico_app::settings::LOGO_MAX_BYTES + 16 * 1024)),
        )
        .post("/staff/settings/logo/delete", ManageSettings, settings::delete_logo)
        .get("/staff/mail", ViewOutbox, records::mail_list)
        .get("/staff/mail/{id}", ViewOutbox, records::mail_view)
        .post("/staff/mail/{id}/resend", ManagePortalAccess, records::mail_resend)
        .get("/staff/audit", ViewAudit, records::audit)
        .get("/staff/contacts/{id}/program", ViewCustomers, debts::page)
        .post("/staff/contacts/{id}/program", ServiceCustomers, debts::save_program)
        .post("/staff/contacts/{id}/debts", ServiceCustomers, debts::add_debt)
        .get("/staff/debts/{id}", ViewCustomers, debts::edit_page)
        .post("/staff/debts/{id}", ServiceCustomers, debts::update_debt)
        .post("/staff/debts/{id}/delete", ServiceCustomers, debts::delete_debt)
        .post("/staff/contacts/{id}/program/entries", ServiceCustomers, debts::add_entry)
        .post("/staff/program/entries/{id}/delete", ServiceCustomers, debts::delete_entry)
        .post("/staff/contacts/{id}/program/drafts", ServiceCustomers, debts::add_draft)
        .post("/staff/program/drafts/{id}/status", ServiceCustomers, debts::draft_status)
        .post("/staff/program/drafts/{id}/delete", ServiceCustomers, debts::delete_draft)
        .get("/staff/contacts/{id}/intake", ViewCustomers, intake::intake_page)
        .post("/staff/contacts/{id}/intake", ServiceCustomers, intake::save_intake)
        .get("/staff/settings/settlement", ManageSettings, intake::settings_page)
        .post("/staff/settings/settlement", ManageSettings, intake::save_settings)
        .post("/staff/settings/settlement/fields", ManageSettings, intake::add_field)
        .post("/staff/settings/settlement/fields/{id}", ManageSettings, intake::update_field)
        .post("/staff/settings/settlement/fields/{id}/delete", ManageSettings, intake::delete_field)
        .get("/staff/contacts/{id}/student-loans", ViewCustomers, student_loans::contact_page)
        .post("/staff/contacts/{id}/student-loans/plan", ServiceCustomers, student_loans::record_plan)
        .get("/staff/student-loans", ViewCustomers, student_loans::queue)
        .get("/staff/student-loans/estimates/{id}", ViewCustomers, student_loans::estimate)
        .post("/staff/student-loans/estimates/{id}/reviewed", ServiceCustomers, student_loans::reviewed)
}

pub fn router() -> Router<AppState> {
    routes().router
}

/// Every console route with the access it needs.
pub fn route_table() -> Vec<RouteRule> {
    routes().rules
}

/// The access the route `path` (as registered, with `{id}` placeholders)
/// needs for `method`, for the navigation to offer only what a role may open.
fn access(method: &Method, path: &str) -> Option<Access> {
    static RULES: OnceLock<HashMap<(Method, &'static str), Access>> = OnceLock::new();
    let rules = RULES.get_or_init(|| route_table().into_iter().map(|r| ((r.method, r.path), r.access)).collect());
    rules.get(&(method.clone(), path)).copied()
}

pub fn staff_page(tenant: &TenantCtx, s: &Staff, title: &str, current: &str, csrf: &str) -> Page {
    let mut p = Page::new(tenant, title, csrf);
    p.user_name = Some(format!("{} ({})", s.user.name, s.role.label()));
    let mut nav = vec![
        NavItem { label: "Contacts", href: "/staff/contacts", current: current == "contacts" },
        NavItem { label: "Inbox", href: "/staff/inbox", current: current == "inbox" },
        NavItem { label: "Tasks", href: "/staff/tasks", current: current == "tasks" },
        NavItem { label: "Payments", href: "/staff/payments", current: current == "payments" },
        NavItem { label: "Payoff requests", href: "/staff/payoffs", current: current == "payoffs" },
        NavItem { label: "Shared estimates", href: "/staff/student-loans", current: current == "student-loans" },
        NavItem { label: "Sent mail", href: "/staff/mail", current: current == "mail" },
        NavItem { label: "Text messages", href: "/staff/sms", current: current == "sms" },
        NavItem { label: "Audit log", href: "/staff/audit", current: current == "audit" },
    ];
    if s.role.allows(Permission::ManageSettings) {
        nav.push(NavItem { label: "Portal settings", href: "/staff/settings", current: current == "settings" });
        nav.push(NavItem { label: "Staff groups", href: "/staff/groups", current: current == "groups" });
    }
    nav.push(NavItem { label: "Staff", href: "/staff/team", current: current == "team" });
    nav.push(NavItem { label: "My account", href: "/staff/me", current: current == "me" });
    // Only the items this role may open (every route checks again).
    p.nav = nav
        .into_iter()
        .filter(|n| match access(&Method::GET, n.href) {
            Some(Access::Staff(perm)) => s.role.allows(perm),
            _ => true,
        })
        .collect();
    p
}
