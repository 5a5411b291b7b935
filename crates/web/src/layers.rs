//! Middleware: tenant resolution, CSRF, security headers, metrics.

use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, to_bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use portico_app::crypto::random_token;
use portico_domain::validate;

use crate::ctx::{CsrfToken, TenantCtx};
use crate::error::{WebError, error_page};
use crate::state::AppState;

/// Paths served on every host, without a tenant.
fn tenantless(path: &str) -> bool {
    path == "/healthz" || path == "/metrics" || path.starts_with("/static/")
}

/// Host → domain → company. An unknown host gets a plain 404, never
/// another company's portal.
pub async fn tenant(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if tenantless(req.uri().path()) {
        return next.run(req).await;
    }
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(validate::host_header)
        .or_else(|| req.uri().host().map(str::to_lowercase))
        .unwrap_or_default();
    let found = match state.tenants.get(&host) {
        Some(cached) => cached,
        None => match portico_app::tenancy::tenant_by_host(&state.app, &host).await {
            Ok(t) => {
                let t = t.map(Arc::new);
                state.tenants.put(&host, t.clone());
                t
            }
            Err(e) => return WebError::Internal(e.to_string()).into_response(),
        },
    };
    let Some(t) = found else {
        return (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "Not found")
            .into_response();
    };
    // A change in the console (settings, logo, domains…) shows on the next
    // page load: drop what this node remembers once the change is done.
    let console_change = req.method() != Method::GET && req.uri().path().starts_with("/staff/");
    req.extensions_mut().insert(TenantCtx(t));
    let resp = next.run(req).await;
    if console_change {
        state.tenants.clear();
    }
    resp
}

/// The seed behind a request's CSRF token, for handlers that read
/// multipart bodies themselves (the layer can't look inside those).
#[derive(Clone)]
pub struct CsrfSeed(pub String);

/// Largest url-encoded form the CSRF layer reads (and so any form accepts).
pub const FORM_LIMIT: usize = 64 * 1024;

fn same_origin(origin: &str, host: &str) -> bool {
    match url::Url::parse(origin) {
        Ok(u) => {
            let h = u.host_str().unwrap_or_default();
            let with_port = match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_string(),
            };
            with_port.eq_ignore_ascii_case(host)
        }
        Err(_) => false,
    }
}

fn csrf_refused() -> Response {
    error_page(
        StatusCode::FORBIDDEN,
        "This form has expired",
        "For your security, forms stop working after a while or when opened from another site. Go back, reload the page and try again. Nothing was changed.",
    )
}

/// CSRF protection on every state-changing request (ASVS 3.5.1–3.5.3):
/// the Origin header, when present, must be this host; and the form must
/// carry a token that is the HMAC of this browser's CSRF cookie (a signed
/// double-submit cookie). The API under /api uses keys, not cookies.
pub async fn csrf(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(req.headers());
    let (seed, fresh) = match jar.get(&state.cookies.csrf) {
        Some(c) if c.value().len() >= 32 => (c.value().to_string(), false),
        _ => (random_token(), true),
    };
    let token = state.app.keys.csrf_token(&seed);
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let mut req = req;
    if unsafe_method && !req.uri().path().starts_with("/api/") {
        let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default().to_string();
        let origin = req.headers().get(header::ORIGIN).and_then(|o| o.to_str().ok());
        if origin.is_some_and(|o| !same_origin(o, &host)) {
            return csrf_refused();
        }
        if fresh {
            return csrf_refused();
        }
        let ct = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        if ct.starts_with("application/x-www-form-urlencoded") {
            let (parts, body) = req.into_parts();
            let bytes = match to_bytes(body, FORM_LIMIT).await {
                Ok(b) => b,
                Err(_) => return WebError::PayloadTooLarge.into_response(),
            };
            let sent = url::form_urlencoded::parse(&bytes).find(|(k, _)| k == "csrf").map(|(_, v)| v.into_owned());
            if !sent.is_some_and(|t| state.app.keys.csrf_ok(&seed, &t)) {
                return csrf_refused();
            }
            req = Request::from_parts(parts, Body::from(bytes));
        } else if ct.starts_with("multipart/form-data") {
            // Checked by the handler from the multipart field `csrf`.
            req.extensions_mut().insert(CsrfSeed(seed.clone()));
        } else if let Some(h) = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()) {
            if !state.app.keys.csrf_ok(&seed, h) {
                return csrf_refused();
            }
        } else {
            return csrf_refused();
        }
    }
    req.extensions_mut().insert(CsrfToken(token));
    let mut resp = next.run(req).await;
    if fresh {
        let c = Cookie::build((state.cookies.csrf.clone(), seed))
            .http_only(true)
            .secure(state.cookies.secure)
            .same_site(SameSite::Strict)
            .path("/")
            .build();
        if let Ok(v) = HeaderValue::from_str(&c.to_string()) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    resp
}

/// Verify the `csrf` field of a multipart form.
pub fn multipart_csrf_ok(state: &AppState, seed: Option<&CsrfSeed>, sent: &str) -> bool {
    seed.is_some_and(|s| state.app.keys.csrf_ok(&s.0, sent))
}

pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; \
    object-src 'none'";

/// Security headers on every response (ASVS 3.4). HTML is never cached:
/// pages carry personal data (ASVS 14.3.2).
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let is_static = req.uri().path().starts_with("/static/");
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, k: &'static str, v: &'static str| {
        if !h.contains_key(k) {
            h.insert(k, HeaderValue::from_static(v));
        }
    };
    set(h, "content-security-policy", CSP);
    set(h, "x-content-type-options", "nosniff");
    set(h, "x-frame-options", "DENY");
    set(h, "referrer-policy", "same-origin");
    set(h, "cross-origin-opener-policy", "same-origin");
    set(h, "cross-origin-resource-policy", "same-origin");
    set(h, "permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()");
    if state.cookies.secure {
        set(h, "strict-transport-security", "max-age=31536000; includeSubDomains");
    }
    if !is_static {
        set(h, "cache-control", "no-store");
    }
    resp
}

/// Request counts and latencies for /metrics, labelled by route template
/// (never by raw path, which could carry ids or tokens).
pub async fn metrics(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().as_str().to_string();
    let route =
        req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string()).unwrap_or_else(|| "unmatched".into());
    let resp = next.run(req).await;
    let status = resp.status().as_u16().to_string();
    metrics::counter!("portico_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("portico_http_request_duration_seconds", "method" => method, "route" => route)
        .record(start.elapsed().as_secs_f64());
    resp
}
