//! Session cookies: HttpOnly, SameSite=Lax, Secure (and `__Host-`) over https.

use axum_extra::extract::cookie::{Cookie, SameSite};

use crate::state::AppState;

pub fn session_cookie(state: &AppState, name: &str, token: String) -> Cookie<'static> {
    Cookie::build((name.to_string(), token))
        .http_only(true)
        .secure(state.cookies.secure)
        .same_site(SameSite::Lax)
        .path("/")
        .build()
}

pub fn removal_cookie(state: &AppState, name: &str) -> Cookie<'static> {
    let mut c = session_cookie(state, name, String::new());
    c.make_removal();
    c
}
