//! `portico-bench reference`: the machine's yardstick. The targets
//! were set against "a bare axum + sqlx page doing 3 indexed queries and an
//! askama render"; this is that page, on the benchmark's own database, so
//! one run of `bench/run.sh` measures how fast this machine is today beside
//! Portico's pages. It has none of Portico's middleware, security headers,
//! CSRF, tenant lookup, onboarding checks or business logic.
//!
//! `GET /` reads the session cookie, then (1) the session by token hash,
//! (2) its portal user, (3) the user's accounts, and renders them. The pool
//! is Portico's own (`portico_store::Db`, same options), so the difference
//! between this and the dashboard is Portico's work, not the driver's.

use std::net::SocketAddr;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use portico_store::Db;

#[derive(Template)]
#[template(
    ext = "html",
    source = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Accounts</title></head>\
<body><h1>{{ username }}</h1><ul>{% for a in accounts %}<li>{{ a.1 }} ({{ a.2 }}) #{{ a.0 }}</li>{% endfor %}</ul>\
</body></html>"
)]
struct Page {
    username: String,
    accounts: Vec<(i64, String, String)>,
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

async fn page(State(db): State<Db>, headers: HeaderMap) -> Response {
    match render(&db, &headers).await {
        Ok(Some(html)) => Html(html).into_response(),
        Ok(None) => StatusCode::UNAUTHORIZED.into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

async fn render(db: &Db, headers: &HeaderMap) -> anyhow::Result<Option<String>> {
    let Some(token) = cookie(headers, "portico") else { return Ok(None) };
    let hash = portico_app::crypto::token_hash(&token);
    let session: Option<(i64, i64)> =
        sqlx::query_as("SELECT company_id, portal_user_id FROM sessions WHERE token_hash = $1 AND kind = 'customer'")
            .bind(&hash)
            .fetch_optional(db.r())
            .await?;
    let Some((company_id, user_id)) = session else { return Ok(None) };
    let (contact_id, username): (i64, String) =
        sqlx::query_as("SELECT contact_id, username FROM portal_users WHERE id = $1 AND company_id = $2")
            .bind(user_id)
            .bind(company_id)
            .fetch_one(db.r())
            .await?;
    let accounts: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, number, kind FROM accounts WHERE company_id = $1 AND contact_id = $2 ORDER BY opened_on DESC",
    )
    .bind(company_id)
    .bind(contact_id)
    .fetch_all(db.r())
    .await?;
    Ok(Some(Page { username, accounts }.render()?))
}

/// Serve the reference page until interrupted.
pub async fn serve(database_url: &str, addr: SocketAddr, connections: u32) -> anyhow::Result<()> {
    let db = Db::connect(database_url, connections).await?;
    let app = Router::new().route("/", get(page)).route("/healthz", get(|| async { "ok\n" })).with_state(db);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!("reference page on http://{addr}/");
    axum::serve(listener, app).await?;
    Ok(())
}
