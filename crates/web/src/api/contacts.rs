//! `/api/v1/contacts`: read, list in change order (cursor and
//! `updated_since`), and `PUT …/by-external-id/{id}` to create or update by
//! the CRM's own id, with `ETag` / `If-Match`.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use portico_app::api::contacts::{self as app, ContactUpsert, ContactView, Outcome};
use serde::{Deserialize, Serialize};

use super::{ApiCtx, Problem, path_id};
use crate::state::AppState;

fn with_etag(status: StatusCode, v: &ContactView, body: impl Serialize) -> Response {
    let mut r = (status, Json(body)).into_response();
    if let Ok(tag) = HeaderValue::from_str(&v.etag) {
        r.headers_mut().insert(header::ETAG, tag);
    }
    if let Ok(loc) = HeaderValue::from_str(&format!("/api/v1/contacts/{}", v.id)) {
        r.headers_mut().insert(header::CONTENT_LOCATION, loc);
    }
    r
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    updated_since: Option<String>,
    cursor: Option<String>,
    limit: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    ApiCtx(client): ApiCtx,
    q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Problem> {
    let Query(q) = q.map_err(|e| Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "Invalid query", e.body_text()))?;
    let page = app::list(&state.app, &client, q.updated_since.as_deref(), q.cursor.as_deref(), q.limit).await?;
    Ok(Json(page).into_response())
}

pub async fn get(
    State(state): State<AppState>,
    ApiCtx(client): ApiCtx,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let v = app::get(&state.app, &client, path_id(&id)?).await?;
    Ok(with_etag(StatusCode::OK, &v, &v))
}

pub async fn get_by_external_id(
    State(state): State<AppState>,
    ApiCtx(client): ApiCtx,
    Path(external_id): Path<String>,
) -> Result<Response, Problem> {
    let v = app::get_by_external_id(&state.app, &client, &external_id).await?;
    Ok(with_etag(StatusCode::OK, &v, &v))
}

#[derive(Serialize)]
struct Upserted<'a> {
    result: Outcome,
    contact: &'a ContactView,
}

pub async fn upsert(
    State(state): State<AppState>,
    ApiCtx(client): ApiCtx,
    Path(external_id): Path<String>,
    headers: HeaderMap,
    body: Result<Json<ContactUpsert>, JsonRejection>,
) -> Result<Response, Problem> {
    let Json(b) = body.map_err(|e| Problem::new(e.status(), "Invalid JSON", e.body_text()))?;
    let if_match = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok());
    let (outcome, v) = app::upsert(&state.app, &client, &external_id, &b, if_match).await?;
    let status = if outcome == Outcome::Created { StatusCode::CREATED } else { StatusCode::OK };
    Ok(with_etag(status, &v, Upserted { result: outcome, contact: &v }))
}
