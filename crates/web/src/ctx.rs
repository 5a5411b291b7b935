//! Request context: the tenant of the Host, the signed-in customer, Agent
//! or staff member, the client's origin, the CSRF token. Authorization
//! starts here, in one place; handlers receive typed contexts.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, MatchedPath, RawPathParams};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use portico_app::auth::{self, Customer, Staff};
use portico_app::authz::Permission;
use portico_app::tenancy::Tenant;
use portico_app::{Origin, PooledConn, audit, onboarding};
use portico_domain::section::{Section, SectionSet};

use crate::error::WebError;
use crate::state::AppState;

/// The company of the request's Host (set by the tenant middleware).
#[derive(Clone)]
pub struct TenantCtx(pub Arc<Tenant>);

impl TenantCtx {
    pub fn id(&self) -> i64 {
        self.0.company.id
    }

    pub fn sections(&self) -> SectionSet {
        SectionSet::parse(&self.0.settings.sections)
    }

    /// 404 unless the company switched this section on.
    pub fn require(&self, s: Section) -> Result<(), WebError> {
        if self.sections().contains(s) { Ok(()) } else { Err(WebError::NotFound) }
    }
}

impl FromRequestParts<AppState> for TenantCtx {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<TenantCtx>().cloned().ok_or(WebError::NotFound)
    }
}

/// The client's address and agent, and the port of the Host header.
pub fn origin_of(parts: &Parts, trust_proxy: bool) -> Origin {
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()).unwrap_or_default();
    let ip = if trust_proxy {
        header(&parts.headers, "x-forwarded-for")
            .and_then(|v| v.rsplit(',').next().map(|s| s.trim().to_string()))
            .filter(|s| !s.is_empty())
            .unwrap_or(peer)
    } else {
        peer
    };
    let user_agent = header(&parts.headers, "user-agent").unwrap_or_default().chars().take(200).collect();
    Origin { ip, user_agent }
}

fn header(h: &HeaderMap, name: &str) -> Option<String> {
    h.get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
}

pub struct OriginCtx(pub Origin);

impl FromRequestParts<AppState> for OriginCtx {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(OriginCtx(origin_of(parts, state.trust_proxy)))
    }
}

/// The CSRF token to put in forms (signed double-submit; see csrf.rs).
#[derive(Clone)]
pub struct CsrfToken(pub String);

impl FromRequestParts<AppState> for CsrfToken {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<CsrfToken>().cloned().ok_or(WebError::Internal("csrf layer missing".into()))
    }
}

/// Only relative paths on our own host may be redirect targets (ASVS 3.7.2).
///
/// Only a path on this origin: it starts with one `/`, holds no control or
/// whitespace character anywhere (browsers drop tabs and newlines, so
/// `/\t/evil.example` would read as `//evil.example`), no backslash, and
/// resolves against this origin to this origin. One rule for the portal
/// and the console (issue 21 #2).
pub fn safe_next(next: &str) -> Option<String> {
    if !next.starts_with('/') || next.starts_with("//") {
        return None;
    }
    if next.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\') {
        return None;
    }
    let base = url::Url::parse("http://origin.invalid/").ok()?;
    let resolved = base.join(next).ok()?;
    (resolved.host_str() == Some("origin.invalid") && resolved.port().is_none() && resolved.username().is_empty())
        .then(|| next.to_string())
}

fn login_redirect(uri: &Uri, login_path: &str) -> Response {
    let next = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let target = if next == "/" || next.is_empty() {
        login_path.to_string()
    } else {
        format!("{login_path}?next={}", url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>())
    };
    Redirect::to(&target).into_response()
}

async fn load_customer(parts: &mut Parts, state: &AppState) -> Result<Option<Customer>, Response> {
    if let Some(c) = parts.extensions.get::<Customer>() {
        return Ok(Some(c.clone()));
    }
    let tenant = parts.extensions.get::<TenantCtx>().cloned().ok_or_else(|| WebError::NotFound.into_response())?;
    let jar = CookieJar::from_headers(&parts.headers);
    let Some(cookie) = jar.get(&state.cookies.portal) else {
        return Ok(None);
    };
    // Only the onboarding checks this company can need (tenant cache).
    let asks = tenant.0.onboarding;
    let docs = asks.required_documents && tenant.sections().contains(Section::Documents);
    // Page views (GET) keep the connection the session was read on for the
    // page's own reads (`ReadConn`).
    let keep = parts.method == axum::http::Method::GET;
    let (c, conn) =
        auth::customer_session(&state.app, tenant.id(), cookie.value(), asks.statement_delivery, docs, keep)
            .await
            .map_err(|e| WebError::from(e).into_response())?;
    if let Some(c) = &c {
        parts.extensions.insert(c.clone());
    }
    if let Some(conn) = conn {
        parts.extensions.insert(HeldConn(Arc::new(std::sync::Mutex::new(Some(conn)))));
    }
    Ok(c)
}

/// The connection a page view's session was read on, until a `ReadConn`
/// takes it. It lives in the request's extensions, which axum drops once the
/// handler's arguments are extracted: a handler that doesn't take it gives
/// it back to the pool before its body runs.
#[derive(Clone)]
struct HeldConn(Arc<std::sync::Mutex<Option<PooledConn>>>);

/// A read connection for the page: the one its session was read on when
/// there is one (one pool checkout per page instead of two, and on
/// PostgreSQL one release round trip less; bench/README.md, session 4),
/// otherwise a fresh checkout at `get`. Put it after `CustomerCtx` in the
/// handler's arguments, and don't take another connection while holding it.
pub struct ReadConn(Option<PooledConn>);

impl ReadConn {
    pub async fn get(self, app: &portico_app::App) -> Result<PooledConn, WebError> {
        match self.0 {
            Some(conn) => Ok(conn),
            None => Ok(app.read_conn().await?),
        }
    }
}

impl FromRequestParts<AppState> for ReadConn {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        let held = parts.extensions.remove::<HeldConn>();
        Ok(ReadConn(held.and_then(|h| h.0.lock().ok().and_then(|mut c| c.take()))))
    }
}

/// A record's id from the route's one path parameter (`/…/{id}`). A
/// malformed id — letters, a sign, zero, an overflow — answers 404, exactly
/// like a well-formed id that names nothing (or another company's record),
/// so the two can't be told apart.
pub struct Id(pub i64);

/// The ids of a route with two path parameters (`/…/{id}/…/{other}`), in
/// the order they appear; 404 like [`Id`].
pub struct Ids(pub i64, pub i64);

/// The one rule for an id in a URL: a positive decimal integer.
pub fn parse_id(raw: &str) -> Result<i64, WebError> {
    match raw.parse::<i64>() {
        Ok(id) if id > 0 && !raw.starts_with('+') => Ok(id),
        _ => Err(WebError::NotFound),
    }
}

async fn path_ids<S: Send + Sync>(parts: &mut Parts, state: &S) -> Result<Vec<i64>, WebError> {
    let params = RawPathParams::from_request_parts(parts, state).await.map_err(|_| WebError::NotFound)?;
    params.iter().map(|(_, v)| parse_id(v)).collect()
}

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match path_ids(parts, state).await?.as_slice() {
            [id] => Ok(Id(*id)),
            _ => Err(WebError::NotFound),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ids {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match path_ids(parts, state).await?.as_slice() {
            [a, b] => Ok(Ids(*a, *b)),
            _ => Err(WebError::NotFound),
        }
    }
}

/// A signed-in portal user who may not have finished onboarding yet (for
/// the onboarding pages and sign-out).
pub struct PendingCustomer(pub Customer);

impl FromRequestParts<AppState> for PendingCustomer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match load_customer(parts, state).await? {
            Some(c) => Ok(PendingCustomer(c)),
            None => Err(login_redirect(&parts.uri, "/login")),
        }
    }
}

/// A signed-in customer past onboarding, or an Agent. Agent page views are
/// audited here, so every page an Agent opens is in the log.
pub struct CustomerCtx(pub Customer);

impl FromRequestParts<AppState> for CustomerCtx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Some(c) = load_customer(parts, state).await? else {
            return Err(login_redirect(&parts.uri, "/login"));
        };
        let docs_on = parts.extensions.get::<TenantCtx>().is_some_and(|t| t.sections().contains(Section::Documents));
        let step =
            onboarding::portal_step(&state.app, &c, docs_on).await.map_err(|e| WebError::from(e).into_response())?;
        if step != onboarding::Step::Done {
            return Err(Redirect::to("/onboarding").into_response());
        }
        if c.is_agent() && parts.method == axum::http::Method::GET {
            let origin = origin_of(parts, state.trust_proxy);
            let path = parts.uri.path().to_string();
            audit::agent_view(&state.app, &c, &origin, &path).await.map_err(|e| WebError::from(e).into_response())?;
        }
        Ok(CustomerCtx(c))
    }
}

/// Who may reach a console route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Before sign-in (the sign-in page itself).
    Public,
    /// A signed-in staff member whose role has this permission.
    Staff(Permission),
}

/// The matched console route's rule (`Access`, set by staff::routes) for this staff member:
/// its permission, or refused when the route has none. Refusals are a 403
/// page and audited (ASVS 16.3.2). Every extractor that yields a `Staff`
/// calls this.
pub async fn route_allows(parts: &Parts, state: &AppState, s: &Staff) -> Result<(), Response> {
    let denied = match parts.extensions.get::<Access>() {
        Some(Access::Staff(p)) => s.require(*p).err(),
        Some(Access::Public) => None,
        None => {
            let matched = parts.extensions.get::<MatchedPath>().map(|m| m.as_str().to_string()).unwrap_or_default();
            tracing::error!(path = %matched, method = %parts.method, "console route without an access rule");
            Some(portico_app::AppError::Forbidden("This page has no access rule yet.".into()))
        }
    };
    if let Some(e) = denied {
        let origin = origin_of(parts, state.trust_proxy);
        let detail = format!("{} {}", parts.method, parts.uri.path());
        portico_app::authz::record_refusal(&state.app, s, &origin, &detail)
            .await
            .map_err(|e| WebError::from(e).into_response())?;
        return Err(WebError::from(e).into_response());
    }
    Ok(())
}

/// A signed-in staff member of the Host's company, allowed on this route.
pub struct StaffCtx(pub Staff);

impl FromRequestParts<AppState> for StaffCtx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let tenant = parts.extensions.get::<TenantCtx>().cloned().ok_or_else(|| WebError::NotFound.into_response())?;
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(cookie) = jar.get(&state.cookies.staff) else {
            return Err(login_redirect(&parts.uri, "/staff/login"));
        };
        let s = match auth::staff_session(&state.app, tenant.id(), cookie.value()).await {
            Ok(Some(s)) => s,
            Ok(None) => return Err(login_redirect(&parts.uri, "/staff/login")),
            Err(e) => return Err(WebError::from(e).into_response()),
        };
        route_allows(parts, state, &s).await?;
        Ok(StaffCtx(s))
    }
}

// ---------------------------------------------------------------- polled fragments

/// A customer for the polled fragments: the session is checked but not
/// extended (portico_app::live). Without one, answer 286 so htmx stops
/// polling, and swap nothing.
pub struct LiveCustomer(pub Customer);

/// 286 stops htmx polling; nothing is swapped.
fn stop_polling() -> Response {
    let status = StatusCode::from_u16(286).unwrap_or(StatusCode::NO_CONTENT);
    (status, [("hx-reswap", "none")], "").into_response()
}

impl FromRequestParts<AppState> for LiveCustomer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let tenant = parts.extensions.get::<TenantCtx>().cloned().ok_or_else(|| WebError::NotFound.into_response())?;
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(cookie) = jar.get(&state.cookies.portal) else { return Err(stop_polling()) };
        match portico_app::live::peek_customer(&state.app, tenant.id(), cookie.value()).await {
            Ok(Some(c)) => Ok(LiveCustomer(c)),
            Ok(None) => Err(stop_polling()),
            Err(e) => Err(WebError::from(e).into_response()),
        }
    }
}

/// A staff member for polled fragments: the session is checked but not
/// extended; without one, 286 stops the polling and nothing is swapped.
pub struct LiveStaff(pub Staff);

impl FromRequestParts<AppState> for LiveStaff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let tenant = parts.extensions.get::<TenantCtx>().cloned().ok_or_else(|| WebError::NotFound.into_response())?;
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(cookie) = jar.get(&state.cookies.staff) else { return Err(stop_polling()) };
        match portico_app::live::peek_staff(&state.app, tenant.id(), cookie.value()).await {
            Ok(Some(s)) => {
                route_allows(parts, state, &s).await?;
                Ok(LiveStaff(s))
            }
            Ok(None) => Err(stop_polling()),
            Err(e) => Err(WebError::from(e).into_response()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_id, safe_next};

    #[test]
    fn an_id_is_a_positive_decimal_integer() {
        assert_eq!(parse_id("1").ok(), Some(1));
        assert_eq!(parse_id("9223372036854775807").ok(), Some(i64::MAX));
        for bad in ["", "0", "-1", "+1", "1.5", "1e3", "abc", " 1", "1 ", "0x10", "9223372036854775808"] {
            assert!(parse_id(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn next_is_a_path_on_this_origin_only() {
        for ok in ["/", "/accounts", "/accounts/3/summary?tab=1#x", "/staff/contacts?q=a%20b", "/a/%2F%2Fb"] {
            assert_eq!(safe_next(ok).as_deref(), Some(ok), "{ok:?}");
        }
        for hostile in [
            "",
            "accounts",
            "//evil.example/",
            "/\\evil.example",
            "/\t/evil.example/",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/ /evil.example",
            "/\u{a0}/evil.example",
            "/\u{2028}/evil.example",
            "/x\\..\\..\\evil",
            "https://evil.example/",
            "http:/evil.example",
            "\t//evil.example",
            "/\u{0}/evil.example",
        ] {
            assert_eq!(safe_next(hostile), None, "{hostile:?}");
        }
        // Percent-encoded characters stay encoded in the path: harmless.
        assert!(safe_next("/%0D%0ASet-Cookie:x").is_some());
    }
}
