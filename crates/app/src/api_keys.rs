//! API keys for the company's systems (`/api/v1`): created by an
//! administrator (the key is shown once), revoked at any time. A key is
//! `pk_<prefix>_<secret>`; only a SHA-256 of the secret is stored, and the
//! comparison is constant-time.

use crate::authz::Permission;
use portico_domain::codes::Action;
use portico_store::api_keys::{self as store, ApiKey};

use crate::auth::Staff;
use crate::crypto::{constant_time_eq, random_token, token_hash};
use crate::{App, AppError, FieldErrors, Origin, audit, now};

/// A company system signed in with an API key.
#[derive(Debug, Clone)]
pub struct ApiClient {
    pub company_id: i64,
    pub key_id: i64,
    pub name: String,
}

pub async fn list(app: &App, s: &Staff) -> Result<Vec<ApiKey>, AppError> {
    s.require(Permission::ManageApiKeys)?;
    Ok(store::list(app.db.r(), s.company_id).await?)
}

/// Create a key; answers with the whole key, which is never shown again.
pub async fn create(app: &App, s: &Staff, name: &str, origin: &Origin) -> Result<String, AppError> {
    s.require(Permission::ManageApiKeys)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 || name.chars().any(char::is_control) {
        return Err(FieldErrors::single("name", "Name the key (1 to 60 characters), e.g. \"CRM\"."));
    }
    let prefix: String = random_token().chars().filter(char::is_ascii_alphanumeric).take(12).collect();
    let secret = random_token();
    let mut tx = app.db.begin().await?;
    store::insert(&mut *tx, s.company_id, name, &prefix, &token_hash(&secret), s.user.id, now()).await?;
    audit::staff(&mut *tx, s, origin, Action::ApiKeyCreate, None, &format!("{name} (pk_{prefix}_…)")).await?;
    tx.commit().await?;
    Ok(format!("pk_{prefix}_{secret}"))
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
    if key.last_used_at.is_none_or(|t| now() - t > 60) {
        store::touch(app.db.w(), key.id, now()).await?;
    }
    Ok(Some(ApiClient { company_id, key_id: key.id, name: key.name }))
}
