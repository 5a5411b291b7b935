//! The customer portal, `/` on the company's domain.

pub(crate) mod account;
pub(crate) mod accounts;
mod auth;
mod chrome;
pub(crate) mod debts;
pub(crate) mod documents;
mod home;
pub(crate) mod library;
pub(crate) mod messages;
mod notifications;
pub(crate) mod payments;
mod payoff;
mod program;
pub(crate) mod student_loans;
mod tasks;
pub(crate) mod transactions;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::dashboard))
        .route("/announcements", get(home::announcements))
        .route("/help", get(home::help))
        .route("/faq", get(home::faq))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/forgot-password", get(auth::forgot_page).post(auth::forgot))
        .route("/set-password", get(auth::set_password_page).post(auth::set_password))
        .route("/agent/enter", get(auth::agent_enter))
        .route("/agent/exit", post(auth::agent_exit))
        .route("/onboarding", get(auth::onboarding_page).post(auth::onboarding))
        .route("/onboarding/statements", post(library::onboarding_statements))
        .route("/onboarding/documents", post(library::onboarding_documents).layer(DefaultBodyLimit::disable()))
        .route("/documents", get(library::page).post(library::upload).layer(DefaultBodyLimit::disable()))
        .route("/documents/{id}", get(library::show))
        .route("/documents/{id}/download", get(library::download))
        .route("/documents/{id}/view", get(library::view))
        .route(
            "/accounts/{id}/documents",
            get(accounts::documents).post(accounts::account_upload).layer(DefaultBodyLimit::disable()),
        )
        .route("/accounts", get(accounts::list))
        .route("/accounts/{id}", get(accounts::show))
        .route("/accounts/{id}/summary", get(accounts::summary))
        .route("/accounts/{id}/breakdown", get(accounts::breakdown))
        .route("/accounts/{id}/transactions", get(accounts::transactions))
        .route("/accounts/{id}/collateral", get(accounts::collateral))
        .route("/accounts/{id}/statements", get(accounts::statements))
        .route("/accounts/{id}/statements/{file}", get(documents::statement))
        .route("/advances", get(accounts::advances))
        .route("/advances/{id}", get(accounts::advance))
        .route("/transactions", get(transactions::page))
        .route("/transactions.csv", get(transactions::csv))
        .route("/payoff", get(payoff::choose))
        .route("/payoff/quote", post(payoff::review))
        .route("/payoff/confirm", post(payoff::confirm))
        .route("/payoff/{reference}", get(payoff::done))
        .route("/payoff/{reference}/letter.pdf", get(documents::payoff_letter))
        .route("/tasks", get(tasks::page))
        .route("/tasks/live", get(tasks::live))
        .route("/tasks/dashboard-live", get(tasks::dashboard_live))
        .route("/tasks/{id}/complete", post(tasks::complete))
        .route("/messages", get(messages::list).post(messages::send))
        .route("/messages/new", get(messages::new_form))
        .route("/messages/live", get(messages::list_live))
        .route("/messages/badge", get(messages::badge))
        .route("/messages/request", get(messages::request_form).post(messages::request))
        .route("/messages/{id}", get(messages::show))
        .route("/messages/{id}/live", get(messages::thread_live))
        .route("/messages/{id}/reply", post(messages::reply))
        .route("/account/notifications", get(notifications::page).post(notifications::save))
        .route("/account/notifications/mobile", post(notifications::send_code))
        .route("/account/notifications/mobile/verify", post(notifications::verify))
        .route("/account/notifications/mobile/remove", post(notifications::remove))
        .route("/accounts/{id}/pay", get(payments::pay::pay_account))
        .route(
            "/accounts/{id}/autopay",
            get(payments::autopay::autopay_account).post(payments::autopay::autopay_create),
        )
        .route("/payments", get(payments::manager::manager))
        .route("/payments/multiple", get(payments::pay::pay_multiple))
        .route("/payments/review", post(payments::pay::review))
        .route("/payments/confirm", post(payments::pay::confirm))
        .route("/payments/methods", get(payments::methods::methods_list))
        .route("/payments/methods/bank", post(payments::methods::add_bank))
        .route("/payments/methods/card", post(payments::methods::add_card))
        .route("/payments/methods/card-return", get(payments::methods::card_return))
        .route("/payments/methods/{id}/default", post(payments::methods::make_default))
        .route("/payments/methods/{id}/delete", post(payments::methods::delete_method))
        .route("/payments/autopay", get(payments::autopay::autopay_overview))
        .route("/payments/autopay/{id}/on", post(payments::autopay::autopay_on))
        .route("/payments/autopay/{id}/off", post(payments::autopay::autopay_off))
        .route("/payments/autopay/{id}/delete", post(payments::autopay::autopay_delete))
        .route("/payments/{reference}", get(payments::pay::receipt))
        .route("/payments/{reference}/cancel", post(payments::pay::cancel))
        .route("/account", get(account::page))
        .route("/account/email", post(account::change_email))
        .route("/account/password", post(account::change_password))
        .route("/account/statement-delivery", post(account::change_statement_delivery))
        .route("/account/sessions/end-others", post(account::end_other_sessions))
        .route("/debts", get(debts::page))
        .route("/program", get(program::account))
        .route("/program/statements/{file}", get(program::statement_pdf))
        .route("/schedule", get(program::schedule))
        .route("/profile", get(program::profile))
        .route("/student-loans", get(student_loans::page))
        .route(
            "/student-loans/upload",
            post(student_loans::upload)
                .layer(DefaultBodyLimit::max(portico_app::student_loans::MAX_UPLOAD_BYTES + 64 * 1024)),
        )
        .route("/student-loans/loans", post(student_loans::add_loan))
        .route("/student-loans/loans/{id}/delete", post(student_loans::delete_loan))
        .route("/student-loans/estimate", post(student_loans::estimate))
        .route("/student-loans/share", post(student_loans::share))
        .route("/student-loans/estimates/{id}", get(student_loans::shared_estimate))
        .route("/programs", get(student_loans::programs))
}
