//! Static assets embedded in the binary, the per-company stylesheet and
//! logo, health and metrics.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::ctx::{TenantCtx, origin_of};
use crate::error::WebError;
use crate::state::AppState;

const APP_CSS: &str = include_str!("../static/app.css");
const HTMX_JS: &str = include_str!("../static/htmx.min.js");
const UPLOAD_JS: &str = include_str!("../static/upload.js");
const PAY_JS: &str = include_str!("../static/pay.js");

pub async fn static_file(Path(name): Path<String>) -> Response {
    let (body, ct) = match name.as_str() {
        "app.css" => (APP_CSS, "text/css; charset=utf-8"),
        "htmx.min.js" => (HTMX_JS, "text/javascript; charset=utf-8"),
        "upload.js" => (UPLOAD_JS, "text/javascript; charset=utf-8"),
        "pay.js" => (PAY_JS, "text/javascript; charset=utf-8"),
        _ => return WebError::NotFound.into_response(),
    };
    ([(header::CONTENT_TYPE, ct), (header::CACHE_CONTROL, "public, max-age=3600")], body).into_response()
}

/// Relative luminance of `#rrggbb` (WCAG 2.x).
fn luminance(hex: &str) -> f64 {
    let ch = |i: usize| {
        let v = u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0) as f64 / 255.0;
        if v <= 0.03928 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * ch(1) + 0.7152 * ch(3) + 0.0722 * ch(5)
}

/// Text colour with the better contrast on the brand colour.
pub fn contrast_text(hex: &str) -> &'static str {
    let l = luminance(hex);
    // Contrast with white vs with near-black (#111111, luminance ~0.0056).
    if (1.05 / (l + 0.05)) >= ((l + 0.05) / 0.0556) { "#ffffff" } else { "#111111" }
}

pub async fn brand_css(tenant: TenantCtx) -> Response {
    let color = &tenant.0.settings.brand_color;
    let css = format!(":root{{--brand:{color};--brand-contrast:{};}}\n", contrast_text(color));
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=86400")], css)
        .into_response()
}

pub async fn logo(State(state): State<AppState>, tenant: TenantCtx) -> Response {
    match portico_app::tenancy::logo(&state.app, tenant.id()).await {
        Ok(Some(l)) => (
            [
                (header::CONTENT_TYPE, l.content_type.as_str()),
                (header::CACHE_CONTROL, "public, max-age=86400"),
                (header::CONTENT_DISPOSITION, "inline; filename=\"logo\""),
            ],
            l.data,
        )
            .into_response(),
        Ok(None) => WebError::NotFound.into_response(),
        Err(e) => WebError::Internal(e.to_string()).into_response(),
    }
}

pub async fn healthz(State(state): State<AppState>) -> Response {
    match portico_app::tenancy::healthy(&state.app).await {
        Ok(()) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
        }
    }
}

/// Prometheus metrics, for loopback clients only (put it behind your
/// monitoring network, not the internet).
pub async fn metrics(State(state): State<AppState>, req: axum::extract::Request) -> Response {
    let (parts, _) = req.into_parts();
    let ip = origin_of(&parts, false).ip;
    let local = ip.parse::<std::net::IpAddr>().is_ok_and(|a| a.is_loopback());
    match (&state.metrics, local) {
        (Some(render), true) => {
            ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], render()).into_response()
        }
        _ => WebError::NotFound.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::contrast_text;

    #[test]
    fn picks_readable_text() {
        assert_eq!(contrast_text("#1d4ed8"), "#ffffff");
        assert_eq!(contrast_text("#0f766e"), "#ffffff");
        assert_eq!(contrast_text("#fde047"), "#111111");
        assert_eq!(contrast_text("#ffffff"), "#111111");
    }
}
