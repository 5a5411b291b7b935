//! The built-in test gateway's hosted card form. It stands for a card
//! processor's own page (a real processor serves it from its domain): the
//! card number is posted here, turned into a token by the gateway, and
//! never stored; Portico's portal only ever receives the session id and
//! asks the gateway for the token, brand, last four and expiry.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect};
use serde::Deserialize;

use crate::ctx::CsrfToken;
use crate::error::{WebError, WebResult};
use crate::page::Form;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "gateway_card.html")]
struct CardPage {
    csrf: String,
    session: String,
    name: String,
    expiry: String,
    errors: portico_app::payments::test_gateway::CardFormErrors,
    cancel: String,
}

#[derive(Deserialize)]
pub struct SessionQuery {
    #[serde(default)]
    session: String,
}

fn cancel_url(return_url: &str) -> String {
    // Back to the portal's payment methods page without a card.
    return_url.replace("/payments/methods/card-return", "/payments/methods")
}

pub async fn card_form(
    State(state): State<AppState>,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<SessionQuery>,
) -> WebResult {
    let gw = &state.app.gateways.test;
    let Some(ret) = gw.session_return_url(&q.session).await.map_err(|e| WebError::Conflict(e.to_string()))? else {
        return Err(WebError::Conflict(
            "This card form has expired. Go back to the portal and add the card again.".into(),
        ));
    };
    let t = CardPage {
        csrf,
        session: q.session,
        name: String::new(),
        expiry: String::new(),
        errors: Default::default(),
        cancel: cancel_url(&ret),
    };
    Ok(Html(t.render()?).into_response())
}

#[derive(Deserialize)]
pub struct CardForm {
    #[serde(default)]
    session: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    expiry: String,
    #[serde(default)]
    cvc: String,
    #[serde(default)]
    name: String,
}

pub async fn card_submit(
    State(state): State<AppState>,
    CsrfToken(csrf): CsrfToken,
    Form(f): Form<CardForm>,
) -> WebResult {
    let gw = &state.app.gateways.test;
    let result = gw
        .submit_card(&f.session, &f.number, &f.expiry, &f.cvc, &f.name)
        .await
        .map_err(|e| WebError::Conflict(e.to_string()))?;
    match result {
        Ok(back) => Ok(Redirect::to(&back).into_response()),
        Err(errors) => {
            let ret = gw.session_return_url(&f.session).await.map_err(|e| WebError::Conflict(e.to_string()))?;
            // The card number and code are never echoed back.
            let t = CardPage {
                csrf,
                session: f.session,
                name: f.name,
                expiry: f.expiry,
                errors,
                cancel: cancel_url(&ret.unwrap_or_default()),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(t.render()?)).into_response())
        }
    }
}
