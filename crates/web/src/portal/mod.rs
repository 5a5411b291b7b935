//! The customer portal, `/` on the company's domain.

mod account;
mod auth;
mod home;

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
        .route("/account", get(account::page))
        .route("/account/email", post(account::change_email))
        .route("/account/password", post(account::change_password))
        .route("/account/sessions/end-others", post(account::end_other_sessions))
}
