//! The customer portal, `/` on the company's domain.

mod account;
pub(crate) mod accounts;
mod auth;
pub(crate) mod documents;
mod home;
mod payoff;
pub(crate) mod transactions;

use axum::Router;
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
        .route("/account", get(account::page))
        .route("/account/email", post(account::change_email))
        .route("/account/password", post(account::change_password))
        .route("/account/sessions/end-others", post(account::end_other_sessions))
}
