//! `/api/v1` accounts (read): a contact's accounts, one account with the
//! portal's figures, and its ledger entries.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use portico_app::api::accounts as app;
use serde::Deserialize;

use super::{ApiCtx, Problem, path_id};
use crate::state::AppState;

pub async fn for_contact(
    State(state): State<AppState>,
    ApiCtx(client): ApiCtx,
    Path(contact): Path<String>,
) -> Result<Response, Problem> {
    let list = app::for_contact(&state.app, &client, path_id(&contact)?).await?;
    Ok(Json(serde_json::json!({ "data": list })).into_response())
}

pub async fn get(
    State(state): State<AppState>,
    ApiCtx(client): ApiCtx,
    Path(number): Path<String>,
) -> Result<Response, Problem> {
    Ok(Json(app::get(&state.app, &client, &number).await?).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    cursor: Option<String>,
    limit: Option<i64>,
}

pub async fn transactions(
    State(state): State<AppState>,
    ApiCtx(client): ApiCtx,
    Path(number): Path<String>,
    q: Result<Query<PageQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Problem> {
    let Query(q) = q.map_err(|e| Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "Invalid query", e.body_text()))?;
    let page = app::transactions(&state.app, &client, &number, q.cursor.as_deref(), q.limit).await?;
    Ok(Json(page).into_response())
}
