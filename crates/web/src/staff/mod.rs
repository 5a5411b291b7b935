//! The staff console, `/staff` on the company's domain.

mod accounts;
mod contacts;
mod records;
mod settings;
mod signin;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::response::Redirect;
use axum::routing::{get, post};
use portico_app::auth::{Role, Staff};

use crate::ctx::TenantCtx;
use crate::page::{NavItem, Page};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff", get(|| async { Redirect::to("/staff/contacts") }))
        .route("/staff/login", get(signin::login_page).post(signin::login))
        .route("/staff/logout", post(signin::logout))
        .route("/staff/contacts", get(contacts::list))
        .route("/staff/contacts/new", get(contacts::new_page).post(contacts::create))
        .route("/staff/contacts/{id}", get(contacts::show))
        .route("/staff/contacts/{id}/portal/create", post(contacts::create_user))
        .route("/staff/contacts/{id}/portal/reset-password", post(contacts::reset_password))
        .route("/staff/contacts/{id}/portal/activate", post(contacts::activate))
        .route("/staff/contacts/{id}/portal/deactivate", post(contacts::deactivate))
        .route("/staff/contacts/{id}/portal/end-sessions", post(contacts::end_sessions))
        .route("/staff/contacts/{id}/portal/login-as", post(contacts::login_as))
        .route("/staff/accounts/{id}", get(accounts::show))
        .route("/staff/accounts/{id}/transactions", post(accounts::post))
        .route("/staff/accounts/{id}/hide", post(accounts::hide))
        .route("/staff/accounts/{id}/show", post(accounts::unhide))
        .route("/staff/payoffs", get(accounts::payoffs))
        .route("/staff/settings", get(settings::page).post(settings::save))
        .route("/staff/settings/accounts", get(settings::accounts_page).post(settings::save_accounts))
        .route("/staff/settings/faq", get(settings::faq_page).post(settings::add_faq))
        .route("/staff/settings/faq/{id}", post(settings::update_faq))
        .route("/staff/settings/faq/{id}/delete", post(settings::delete_faq))
        .route("/staff/settings/domains", get(settings::domains_page).post(settings::add_domain))
        .route("/staff/settings/domains/{id}/delete", post(settings::delete_domain))
        .route("/staff/settings/domains/{id}/primary", post(settings::primary_domain))
        .route(
            "/staff/settings/logo",
            get(settings::logo_page)
                .post(settings::upload_logo)
                .layer(DefaultBodyLimit::max(portico_app::settings::LOGO_MAX_BYTES + 16 * 1024)),
        )
        .route("/staff/settings/logo/delete", post(settings::delete_logo))
        .route("/staff/mail", get(records::mail_list))
        .route("/staff/mail/{id}", get(records::mail_view))
        .route("/staff/audit", get(records::audit))
}

pub fn staff_page(tenant: &TenantCtx, s: &Staff, title: &str, current: &str, csrf: &str) -> Page {
    let mut p = Page::new(tenant, title, csrf);
    p.user_name = Some(format!("{} ({})", s.user.name, s.role.label()));
    let mut nav = vec![
        NavItem { label: "Contacts", href: "/staff/contacts", current: current == "contacts" },
        NavItem { label: "Payoff requests", href: "/staff/payoffs", current: current == "payoffs" },
        NavItem { label: "Sent mail", href: "/staff/mail", current: current == "mail" },
        NavItem { label: "Audit log", href: "/staff/audit", current: current == "audit" },
    ];
    if s.role == Role::Admin {
        nav.push(NavItem { label: "Portal settings", href: "/staff/settings", current: current == "settings" });
    }
    p.nav = nav;
    p
}
