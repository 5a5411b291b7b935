//! HTTP: the portal (`/`), the staff console (`/staff`), static assets,
//! health and metrics. Handlers stay thin: parse, call `app`, render.

mod api;
mod assets;
mod charts;
mod cookies;
pub mod ctx;
pub mod error;
mod gateway;
pub mod layers;
pub mod page;
mod portal;
mod staff;
pub mod state;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::Request;
use axum::middleware::from_fn_with_state;
use axum::routing::get;
use tower_http::LatencyUnit;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

pub use api::{ApiAccess, ApiRule, route_table as api_route_table};
pub use staff::{Access, RouteRule, route_table as staff_route_table};
pub use state::{AppState, CookieNames, MetricsRender, TenantCache};

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    let trace = TraceLayer::new_for_http()
        .make_span_with(|req: &Request<_>| {
            // The path only: query strings can carry single-use tokens.
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
        })
        .on_request(())
        .on_response(DefaultOnResponse::new().level(Level::INFO).latency_unit(LatencyUnit::Micros));
    let (api_prefix, api_router) = api::router();
    let api_router = api_router.route_layer(from_fn_with_state(state.clone(), api::authenticate));
    Router::new()
        .merge(portal::router())
        .merge(staff::router())
        .route("/brand.css", get(assets::brand_css))
        .route("/logo", get(assets::logo))
        .route("/static/{name}", get(assets::static_file))
        .nest(api_prefix, api_router)
        .route("/_gateway/test/card", get(gateway::card_form).post(gateway::card_submit))
        .route("/healthz", get(assets::healthz))
        .route("/metrics", get(assets::metrics))
        .fallback(|| async { error::WebError::NotFound })
        .layer(DefaultBodyLimit::max(layers::FORM_LIMIT))
        .layer(from_fn_with_state(state.clone(), layers::csrf))
        .layer(from_fn_with_state(state.clone(), layers::tenant))
        .layer(axum::middleware::from_fn(layers::metrics))
        .layer(from_fn_with_state(state.clone(), layers::security_headers))
        .layer(trace)
        .with_state(state)
}
