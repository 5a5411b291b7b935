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
        .route(
            "/staff/contacts/{id}/documents",
            get(documents::contact_documents).post(documents::upload).layer(DefaultBodyLimit::disable()),
        )
        .route("/staff/documents/{id}/download", get(documents::download))
        .route("/staff/documents/{id}/exclude", post(documents::exclude))
        .route("/staff/documents/{id}/include", post(documents::include))
        .route("/staff/settings/documents", get(documents::settings_page).post(documents::save_settings))
        .route("/staff/settings/documents/types", post(documents::add_type))
        .route("/staff/settings/documents/types/{id}", post(documents::update_type))
        .route("/staff/settings/documents/types/{id}/delete", post(documents::delete_type))
        .route("/staff/contacts/{id}/tasks/new", get(tasks::new_form).post(tasks::create))
        .route("/staff/contacts/{id}/messages/new", get(inbox::new_form).post(inbox::start))
        .route("/staff/contacts/{id}/notes", get(notes::page).post(notes::add))
        .route("/staff/contacts/{id}/team", post(groups::add_team))
        .route("/staff/contacts/{id}/team/{staff_id}/remove", post(groups::remove_team))
        .route("/staff/tasks", get(tasks::list))
        .route("/staff/tasks/{id}/confirm", post(tasks::confirm))
        .route("/staff/tasks/{id}/reopen", post(tasks::reopen))
        .route("/staff/tasks/{id}/delete", post(tasks::delete))
        .route("/staff/notes/{id}/delete", post(notes::delete))
        .route("/staff/inbox", get(inbox::list))
        .route("/staff/inbox/live", get(inbox::list_live))
        .route("/staff/inbox/{id}", get(inbox::show))
        .route("/staff/inbox/{id}/live", get(inbox::thread_live))
        .route("/staff/inbox/{id}/reply", post(inbox::reply))
        .route("/staff/inbox/{id}/assign", post(inbox::assign))
        .route("/staff/inbox/{id}/close", post(inbox::close))
        .route("/staff/inbox/{id}/reopen", post(inbox::reopen))
        .route("/staff/groups", get(groups::page).post(groups::create))
        .route("/staff/groups/requests", post(groups::save_requests))
        .route("/staff/groups/{id}", post(groups::update))
        .route("/staff/groups/{id}/delete", post(groups::delete))
        .route("/staff/sms", get(sms::list))
        .route("/staff/sms/{id}", get(sms::view))
        .route("/staff/accounts/{id}", get(accounts::show))
        .route("/staff/accounts/{id}/transactions", post(accounts::post))
        .route("/staff/accounts/{id}/hide", post(accounts::hide))
        .route("/staff/accounts/{id}/show", post(accounts::unhide))
        .route("/staff/payoffs", get(accounts::payoffs))
        .route("/staff/payments", get(payments::list))
        .route("/staff/payments/ach", get(payments::ach))
        .route("/staff/payments/ach/export", post(payments::export))
        .route(
            "/staff/payments/ach/returns",
            post(payments::import_returns).layer(DefaultBodyLimit::max(payments::RETURNS_MAX_BYTES + 16 * 1024)),
        )
        .route("/staff/payments/ach/batches/{file}", get(payments::download))
        .route("/staff/payments/{id}", get(payments::show))
        .route("/staff/payments/{id}/cancel", post(payments::cancel))
        .route("/staff/payments/{id}/reverse", post(payments::reverse))
        .route("/staff/payments/{id}/refund", post(payments::refund))
        .route("/staff/settings/payments", get(payments::settings_page).post(payments::settings_save))
        .route("/staff/settings/api", get(api_keys::page).post(api_keys::create))
        .route("/staff/settings/api/{id}/revoke", post(api_keys::revoke))
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
        .route("/staff/contacts/{id}/program", get(debts::page).post(debts::save_program))
        .route("/staff/contacts/{id}/debts", post(debts::add_debt))
        .route("/staff/debts/{id}", get(debts::edit_page).post(debts::update_debt))
        .route("/staff/debts/{id}/delete", post(debts::delete_debt))
        .route("/staff/contacts/{id}/program/entries", post(debts::add_entry))
        .route("/staff/program/entries/{id}/delete", post(debts::delete_entry))
        .route("/staff/contacts/{id}/program/drafts", post(debts::add_draft))
        .route("/staff/program/drafts/{id}/status", post(debts::draft_status))
        .route("/staff/program/drafts/{id}/delete", post(debts::delete_draft))
        .route("/staff/contacts/{id}/intake", get(intake::intake_page).post(intake::save_intake))
        .route("/staff/settings/settlement", get(intake::settings_page).post(intake::save_settings))
        .route("/staff/settings/settlement/fields", post(intake::add_field))
        .route("/staff/settings/settlement/fields/{id}", post(intake::update_field))
        .route("/staff/settings/settlement/fields/{id}/delete", post(intake::delete_field))
        .route("/staff/contacts/{id}/student-loans", get(student_loans::contact_page))
        .route("/staff/contacts/{id}/student-loans/plan", post(student_loans::record_plan))
        .route("/staff/student-loans", get(student_loans::queue))
        .route("/staff/student-loans/estimates/{id}", get(student_loans::estimate))
        .route("/staff/student-loans/estimates/{id}/reviewed", post(student_loans::reviewed))
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
    if s.role == Role::Admin {
        nav.push(NavItem { label: "Portal settings", href: "/staff/settings", current: current == "settings" });
        nav.push(NavItem { label: "Staff groups", href: "/staff/groups", current: current == "groups" });
    }
    p.nav = nav;
    p
}
