//! API keys for the company's systems (`/api/v1`): created by an
//! administrator (the key is shown once), revoked at any time. A key is
//! `pk_<prefix>_<secret>`; only a SHA-256 of the secret is stored, and the
//! comparison is constant-time. Each key has scopes (what it may do), an
//! optional expiry and a rate limit (a token bucket per key, per node).

use std::collections::HashMap;
use std::sync::Mutex;

use crate::authz::Permission;
use portico_domain::codes::{Action, ApiScope};
use portico_store::api_keys::{self as store, ApiKey, NewKey};

use crate::auth::Staff;
use crate::crypto::{constant_time_eq, random_token, token_hash};
use crate::{App, AppError, FieldErrors, Origin, audit, now};

/// A company system signed in with an API key.
#[derive(Debug, Clone)]
pub struct ApiClient {
    pub company_id: i64,
    pub key_id: i64,
    pub name: String,
    pub scopes: Vec<ApiScope>,
    pub rate_per_minute: i64,
}

impl ApiClient {
    /// `Forbidden` unless the key has `scope`.
    pub fn require(&self, scope: ApiScope) -> Result<(), AppError> {
        if self.scopes.contains(&scope) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!("This API key lacks the \"{}\" scope.", scope.code())))
        }
    }
}

/// Scopes as stored; unknown codes (none are written) are dropped.
pub fn parse_scopes(stored: &str) -> Vec<ApiScope> {
    stored.split(',').filter_map(|c| ApiScope::from_code(c.trim())).collect()
}

/// What the "New API key" form holds.
#[derive(Debug, Clone, Default)]
pub struct KeyInput {
    pub name: String,
    /// Scope codes ticked.
    pub scopes: Vec<String>,
    /// Days until it expires; empty for never.
    pub expires_in_days: String,
    /// Requests a minute; empty for the default.
    pub rate_per_minute: String,
}

/// The default rate limit: 100 requests a second, sustained.
pub const DEFAULT_RATE_PER_MINUTE: i64 = 6000;

pub async fn list(app: &App, s: &Staff) -> Result<Vec<ApiKey>, AppError> {
    s.require(Permission::ManageApiKeys)?;
    Ok(store::list(app.db.r(), s.company_id).await?)
}

/// Create a key; answers with the whole key, which is never shown again.
pub async fn create(app: &App, s: &Staff, input: &KeyInput, origin: &Origin) -> Result<String, AppError> {
    s.require(Permission::ManageApiKeys)?;
    let mut e = FieldErrors::new();
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 60 || name.chars().any(char::is_control) {
        e.add("name", "Name the key (1 to 60 characters), e.g. \"CRM\".");
    }
    let scopes: Vec<ApiScope> =
        ApiScope::ALL.iter().copied().filter(|c| input.scopes.iter().any(|x| x == c.code())).collect();
    if input.scopes.iter().any(|x| ApiScope::from_code(x).is_none()) {
        e.add("scopes", "Unknown scope.");
    } else if scopes.is_empty() {
        e.add("scopes", "Choose at least one scope.");
    }
    let expires_at = match input.expires_in_days.trim() {
        "" => None,
        d => match d.parse::<i64>() {
            Ok(days) if (1..=3650).contains(&days) => Some(now() + days * 86_400),
            _ => {
                e.add("expires_in_days", "Enter a number of days from 1 to 3650, or leave it empty for no expiry.");
                None
            }
        },
    };
    let rate_per_minute = match input.rate_per_minute.trim() {
        "" => DEFAULT_RATE_PER_MINUTE,
        r => match r.parse::<i64>() {
            Ok(n) if (1..=600_000).contains(&n) => n,
            _ => {
                e.add("rate_per_minute", "Enter requests a minute from 1 to 600000, or leave it empty.");
                DEFAULT_RATE_PER_MINUTE
            }
        },
    };
    e.into_result()?;
    let codes = scopes.iter().map(|c| c.code()).collect::<Vec<_>>().join(",");
    let mut tx = app.db.begin().await?;
    let key = mint(&mut tx, s.company_id, s.user.id, name, &codes, expires_at, rate_per_minute).await?;
    let prefix = key.split('_').nth(1).unwrap_or_default();
    let detail = format!("{name} (pk_{prefix}_…), scopes {codes}, {rate_per_minute}/min");
    audit::staff(&mut *tx, s, origin, Action::ApiKeyCreate, None, &detail).await?;
    tx.commit().await?;
    Ok(key)
}

/// Store a new key and answer it whole (`pk_<prefix>_<secret>`): only the
/// secret's hash is kept.
async fn mint(
    tx: &mut portico_store::Tx,
    company_id: i64,
    staff_user_id: i64,
    name: &str,
    scopes: &str,
    expires_at: Option<i64>,
    rate_per_minute: i64,
) -> Result<String, AppError> {
    let prefix: String = random_token().chars().filter(char::is_ascii_alphanumeric).take(12).collect();
    let secret = random_token();
    let key = NewKey {
        name,
        prefix: &prefix,
        secret_hash: &token_hash(&secret),
        staff_user_id,
        scopes,
        expires_at,
        rate_per_minute,
    };
    store::insert(&mut **tx, company_id, &key, now()).await?;
    Ok(format!("pk_{prefix}_{secret}"))
}

/// The demo's key for a company: every scope, the default rate, no expiry
/// (the demo prints it; made before any staff member could).
pub(crate) async fn demo_key(app: &App, company_id: i64, staff_user_id: i64) -> Result<String, AppError> {
    let codes = ApiScope::ALL.iter().map(|c| c.code()).collect::<Vec<_>>().join(",");
    let mut tx = app.db.begin().await?;
    let key = mint(&mut tx, company_id, staff_user_id, "Demo CRM", &codes, None, DEFAULT_RATE_PER_MINUTE).await?;
    tx.commit().await?;
    Ok(key)
}

pub async fn revoke(app: &App, s: &Staff, id: i64, origin: &Origin) -> Result<(), AppError> {
    s.require(Permission::ManageApiKeys)?;
    let mut tx = app.db.begin().await?;
    if !store::revoke(&mut *tx, s.company_id, id, now()).await? {
        return Err(AppError::NotFound);
    }
    audit::staff(&mut *tx, s, origin, Action::ApiKeyRevoke, None, &id.to_string()).await?;
    tx.commit().await?;
    Ok(())
}

/// The client behind an `Authorization: Bearer pk_…` value, for this
/// company only. `None` for anything else (unknown, revoked, malformed,
/// another company's key): the caller answers 401 without saying which.
pub async fn authenticate(app: &App, company_id: i64, bearer: &str) -> Result<Option<ApiClient>, AppError> {
    let Some(rest) = bearer.strip_prefix("pk_") else { return Ok(None) };
    let Some((prefix, secret)) = rest.split_once('_') else { return Ok(None) };
    if prefix.len() != 12 || secret.is_empty() || secret.len() > 100 {
        return Ok(None);
    }
    let Some(key) = store::by_prefix(app.db.r(), prefix).await? else { return Ok(None) };
    if key.company_id != company_id || !constant_time_eq(token_hash(secret).as_bytes(), key.secret_hash.as_bytes()) {
        return Ok(None);
    }
    if key.expires_at.is_some_and(|t| t <= now()) {
        return Ok(None);
    }
    if key.last_used_at.is_none_or(|t| now() - t > 60) {
        store::touch(app.db.w(), key.id, now()).await?;
    }
    let scopes = parse_scopes(&key.scopes);
    Ok(Some(ApiClient { company_id, key_id: key.id, name: key.name, scopes, rate_per_minute: key.rate_per_minute }))
}

/// Token buckets per key: `rate_per_minute` tokens a minute, as many held
/// at most (a minute's burst). Per node: with N nodes a key may get up to N
/// times its rate (docs/decisions.md §26).
#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<i64, (f64, std::time::Instant)>>,
}

impl RateLimiter {
    /// `Ok` when the request may go ahead, else the seconds until a token.
    pub fn check(&self, client: &ApiClient) -> Result<(), u64> {
        let rate = client.rate_per_minute.max(1) as f64 / 60.0;
        let cap = client.rate_per_minute.max(1) as f64;
        let now = std::time::Instant::now();
        let mut b = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let (tokens, last) = b.entry(client.key_id).or_insert((cap, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * rate).min(cap);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / rate).ceil().max(1.0) as u64)
        }
    }
}

/// Record an API call in the audit log: key, method, route, status (never
/// bodies).
pub async fn record_call(app: &App, client: &ApiClient, detail: &str) -> Result<(), AppError> {
    audit::system(
        app.db.w(),
        client.company_id,
        Action::ApiCall,
        None,
        &format!("API key \"{}\": {detail}", client.name),
    )
    .await
}
