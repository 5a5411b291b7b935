//! `/api/v1`: JSON for the company's own systems, authenticated by API key
//! (`Authorization: Bearer pk_…`), errors as RFC 9457 problem details.
//! Contacts (read, list in change order, upsert by the CRM's id with
//! ETags), payments (take one with an `Idempotency-Key`, read, list) and
//! the OpenAPI document. Every route is registered with its access rule.

mod accounts;
mod contacts;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post, put};
use axum::{Extension, Json, Router};
use portico_app::AppError;
use portico_app::api_keys::{self, ApiClient};
use portico_app::payments::api::{self as pay_api, ApiPaymentInput};
use portico_app::payments::api::{Item, Payment};
use portico_app::payments::method_label;
use portico_app::payments::pay::PayError;
use portico_domain::codes::{ApiScope, PaymentKind, PaymentStatus};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::ctx::{OriginCtx, TenantCtx};
use crate::state::AppState;

/// An RFC 9457 problem.
#[derive(Debug)]
pub struct Problem {
    status: StatusCode,
    title: &'static str,
    detail: String,
    errors: Vec<(String, String)>,
}

impl Problem {
    fn new(status: StatusCode, title: &'static str, detail: impl Into<String>) -> Problem {
        Problem { status, title, detail: detail.into(), errors: Vec::new() }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut body = json!({
            "type": "about:blank",
            "title": self.title,
            "status": self.status.as_u16(),
            "detail": self.detail,
        });
        if !self.errors.is_empty() {
            body["errors"] =
                self.errors.iter().map(|(f, m)| json!({ "field": f, "message": m })).collect::<Vec<_>>().into();
        }
        let mut r = (self.status, Json(body)).into_response();
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        r
    }
}

impl From<AppError> for Problem {
    fn from(e: AppError) -> Problem {
        match e {
            AppError::NotFound => Problem::new(StatusCode::NOT_FOUND, "Not found", "There is no such resource."),
            AppError::Forbidden(m) => Problem::new(StatusCode::FORBIDDEN, "Forbidden", m),
            AppError::Conflict(m) => Problem::new(StatusCode::CONFLICT, "Conflict", m),
            AppError::PreconditionFailed(m) => Problem::new(StatusCode::PRECONDITION_FAILED, "Precondition failed", m),
            AppError::Invalid(f) => Problem {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                title: "Invalid request",
                detail: "Some fields are not valid.".into(),
                errors: f.0.into_iter().map(|(k, m)| (k.to_string(), m)).collect(),
            },
            AppError::Store(s) => {
                tracing::error!(error = %s, "api");
                Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal error", "Nothing was changed. Try again.")
            }
            other => Problem::new(StatusCode::BAD_REQUEST, "Bad request", other.to_string()),
        }
    }
}

impl From<PayError> for Problem {
    fn from(e: PayError) -> Problem {
        match e {
            PayError::Invalid(e) => Problem {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                title: "Invalid payment",
                detail: "The payment was not taken: some fields are not valid.".into(),
                errors: e
                    .fields
                    .0
                    .into_iter()
                    .map(|(k, m)| (k.to_string(), m))
                    .chain(e.rows.into_iter().map(|(_, m)| ("amount".to_string(), m)))
                    .collect(),
            },
            PayError::App(a) => a.into(),
        }
    }
}

/// Who may call an API route: anyone (the OpenAPI document), or a client
/// with one of the company's API keys that has the route's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiAccess {
    Public,
    /// A key of the company with this scope.
    Key(ApiScope),
}

/// One API route and the access it needs (docs/security.md, "API routes").
#[derive(Debug, Clone)]
pub struct ApiRule {
    pub method: Method,
    /// The full path, `/api/v1/…`.
    pub path: String,
    pub access: ApiAccess,
}

const PREFIX: &str = "/api/v1";

/// The API's router and its rules, built together: each route carries its
/// rule in the request, and [`ApiCtx`] refuses a route that has none.
struct Routes {
    router: Router<AppState>,
    rules: Vec<ApiRule>,
}

impl Routes {
    fn add(mut self, method: Method, path: &'static str, access: ApiAccess, mr: MethodRouter<AppState>) -> Self {
        self.router = self.router.route(path, mr.layer(Extension(access)));
        self.rules.push(ApiRule { method, path: format!("{PREFIX}{path}"), access });
        self
    }
}

fn routes() -> Routes {
    use ApiAccess::*;
    use ApiScope::*;
    Routes { router: Router::new(), rules: Vec::new() }
        .add(Method::GET, "/openapi.json", Public, get(openapi))
        .add(Method::GET, "/contacts", Key(Read), get(contacts::list))
        .add(Method::GET, "/contacts/{id}", Key(Read), get(contacts::get))
        .add(Method::GET, "/contacts/by-external-id/{external_id}", Key(Read), get(contacts::get_by_external_id))
        .add(Method::PUT, "/contacts/by-external-id/{external_id}", Key(Write), put(contacts::upsert))
        .add(Method::GET, "/contacts/{id}/accounts", Key(Read), get(accounts::for_contact))
        .add(Method::GET, "/accounts/{number}", Key(Read), get(accounts::get))
        .add(Method::GET, "/accounts/{number}/transactions", Key(Read), get(accounts::transactions))
        .add(Method::GET, "/payments", Key(Payments), get(list_payments))
        .add(Method::POST, "/payments", Key(Payments), post(create_payment))
        .add(Method::GET, "/payments/{reference}", Key(Payments), get(get_payment))
        .add(Method::GET, "/accounts/{number}/payment-methods", Key(Payments), get(account_methods))
}

/// `/api/v1`, nested by the caller; unknown paths answer a JSON 404.
pub fn router() -> (&'static str, Router<AppState>) {
    (PREFIX, routes().router.fallback(not_found))
}

/// Every API route with the access it needs.
pub fn route_table() -> Vec<ApiRule> {
    routes().rules
}

/// The company system behind the request's API key.
pub struct ApiCtx(pub ApiClient);

/// The credentials of an `Authorization: Bearer …` value. The scheme name
/// is case-insensitive (RFC 9110 §11.1), so `bearer` and `BEARER` count.
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim_start().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|t| !t.is_empty())
}

/// An id in an API path: 404 problem details unless a positive decimal.
fn path_id(raw: &str) -> Result<i64, Problem> {
    crate::ctx::parse_id(raw).map_err(|_| Problem::from(AppError::NotFound))
}

fn unauthorized() -> Problem {
    Problem::new(StatusCode::UNAUTHORIZED, "Unauthorized", "Send a valid API key: Authorization: Bearer pk_…")
}

impl FromRequestParts<AppState> for ApiCtx {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, Self::Rejection> {
        let Some(&ApiAccess::Key(scope)) = parts.extensions.get::<ApiAccess>() else {
            tracing::error!(path = %parts.uri.path(), "API route without an access rule");
            return Err(Problem::new(StatusCode::FORBIDDEN, "Forbidden", "This route has no access rule yet."));
        };
        let client = parts.extensions.get::<ApiClient>().cloned().ok_or_else(unauthorized)?;
        client.require(scope)?;
        Ok(ApiCtx(client))
    }
}

/// Before every API route: a request with `Authorization` is signed in by
/// its key (401 when that fails), held to the key's rate (429 with
/// `Retry-After`), and recorded in the audit log with its route and status
/// (never its body) once answered. Without the header it goes on
/// unauthenticated (the public routes; [`ApiCtx`] refuses the others).
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else { return next.run(req).await };
    let Some(token) = value.to_str().ok().and_then(bearer_token).map(str::to_string) else {
        return unauthorized().into_response();
    };
    let Some(tenant) = req.extensions().get::<TenantCtx>().cloned() else { return unauthorized().into_response() };
    let client = match api_keys::authenticate(&state.app, tenant.id(), &token).await {
        Ok(Some(c)) => c,
        Ok(None) => return unauthorized().into_response(),
        Err(e) => return Problem::from(e).into_response(),
    };
    let route = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string());
    let call = format!("{} {}", req.method(), route.as_deref().unwrap_or("(no route)"));
    let response = match state.app.api_limiter.check(&client) {
        Ok(()) => {
            req.extensions_mut().insert(client.clone());
            next.run(req).await
        }
        Err(retry_after) => {
            let p = Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                "Too many requests",
                format!("This key may make {} requests a minute; retry in {retry_after} s.", client.rate_per_minute),
            );
            let mut r = p.into_response();
            r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            r
        }
    };
    if let Err(e) =
        api_keys::record_call(&state.app, &client, &format!("{call} → {}", response.status().as_u16())).await
    {
        tracing::error!(error = %e, "recording an API call");
    }
    response
}

#[derive(Serialize)]
pub struct ItemJson {
    account: String,
    amount_cents: i64,
    posted: bool,
    principal_cents: i64,
    interest_cents: i64,
    fees_cents: i64,
}

#[derive(Serialize)]
pub struct PaymentJson {
    reference: String,
    status: PaymentStatus,
    kind: PaymentKind,
    amount_cents: i64,
    date: String,
    method_id: i64,
    failure: Option<String>,
    items: Vec<ItemJson>,
    created_at: String,
}

fn payment_json(p: &Payment, items: &[Item]) -> PaymentJson {
    PaymentJson {
        reference: p.reference.clone(),
        status: p.status,
        kind: p.kind,
        amount_cents: p.amount_cents,
        date: p.scheduled_on.clone(),
        method_id: p.method_id,
        failure: p.failure_message.clone(),
        items: items
            .iter()
            .map(|i| ItemJson {
                account: i.account_number.clone(),
                amount_cents: i.amount_cents,
                posted: i.transaction_id.is_some(),
                principal_cents: i.principal_cents,
                interest_cents: i.interest_cents,
                fees_cents: i.fees_cents,
            })
            .collect(),
        created_at: portico_app::api::rfc3339(p.created_at),
    }
}

#[derive(Deserialize)]
pub struct NewPayment {
    account: String,
    method_id: i64,
    /// Decimal dollars as a string, e.g. "125.00".
    amount: String,
    date: Option<String>,
}

pub async fn create_payment(
    State(state): State<AppState>,
    ApiCtx(client): ApiCtx,
    OriginCtx(origin): OriginCtx,
    headers: HeaderMap,
    body: Result<Json<NewPayment>, JsonRejection>,
) -> Result<Response, Problem> {
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    if key.is_empty() {
        return Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "Idempotency-Key required",
            "Every payment request needs an Idempotency-Key header; send the same key when you retry.",
        ));
    }
    let Json(b) = body.map_err(|e| Problem::new(e.status(), "Invalid JSON", e.body_text()))?;
    let input = ApiPaymentInput { account: b.account, method_id: b.method_id, amount: b.amount, date: b.date };
    let (p, items, created) = pay_api::pay(&state.app, &client, &key, &input, &origin).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    let location = format!("/api/v1/payments/{}", p.reference);
    Ok((status, [(header::LOCATION, location)], Json(payment_json(&p, &items))).into_response())
}

pub async fn get_payment(
    State(state): State<AppState>,
    ApiCtx(client): ApiCtx,
    Path(reference): Path<String>,
) -> Result<Response, Problem> {
    let (p, items) = pay_api::get(&state.app, &client, &reference).await?;
    Ok(Json(payment_json(&p, &items)).into_response())
}

#[derive(Deserialize)]
pub struct ListQuery {
    account: Option<String>,
    status: Option<String>,
}

pub async fn list_payments(
    State(state): State<AppState>,
    ApiCtx(client): ApiCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, Problem> {
    let list = pay_api::list(&state.app, &client, q.account.as_deref(), q.status.as_deref()).await?;
    let data: Vec<PaymentJson> = list.iter().map(|(p, i)| payment_json(p, i)).collect();
    Ok(Json(json!({ "data": data })).into_response())
}

/// Payment methods of the account's customer (so a system can choose one).
pub async fn account_methods(
    State(state): State<AppState>,
    ApiCtx(client): ApiCtx,
    Path(number): Path<String>,
) -> Result<Response, Problem> {
    let methods = portico_app::payments::api::account_methods(&state.app, &client, &number).await?;
    let data: Vec<_> = methods
        .iter()
        .map(|m| {
            json!({
                "id": m.id,
                "kind": m.kind,
                "label": method_label(m.kind, &m.brand, &m.last4),
                "default": m.is_default,
                "exp_month": m.exp_month,
                "exp_year": m.exp_year,
            })
        })
        .collect();
    Ok(Json(json!({ "data": data })).into_response())
}

pub async fn not_found() -> Problem {
    Problem::new(StatusCode::NOT_FOUND, "Not found", "There is no such API endpoint.")
}

pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

const OPENAPI: &str = include_str!("../../static/openapi.json");

#[cfg(test)]
mod tests {
    use super::bearer_token;

    #[test]
    fn the_bearer_scheme_is_case_insensitive() {
        for v in ["Bearer pk_x", "bearer pk_x", "BEARER pk_x", "Bearer   pk_x "] {
            assert_eq!(bearer_token(v), Some("pk_x"), "{v:?}");
        }
        for v in ["Basic pk_x", "Bearerpk_x", "Bearer ", "pk_x", ""] {
            assert_eq!(bearer_token(v), None, "{v:?}");
        }
    }
}
