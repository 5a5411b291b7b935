use std::sync::Arc;

use portico_app::App;
use portico_app::tenancy::Tenant;

/// Names of the cookies. Over https they carry the `__Host-` prefix, which
/// browsers only accept with Secure, Path=/ and no Domain (ASVS 3.3.3).
#[derive(Debug, Clone)]
pub struct CookieNames {
    pub portal: String,
    pub staff: String,
    pub csrf: String,
    pub secure: bool,
}

impl CookieNames {
    pub fn new(secure: bool) -> CookieNames {
        let p = if secure { "__Host-" } else { "" };
        CookieNames {
            portal: format!("{p}portico"),
            staff: format!("{p}portico-staff"),
            csrf: format!("{p}portico-csrf"),
            secure,
        }
    }
}

/// Renders the Prometheus exposition text.
pub type MetricsRender = Arc<dyn Fn() -> String + Send + Sync>;

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub cookies: Arc<CookieNames>,
    pub metrics: Option<MetricsRender>,
    /// Take the client address from X-Forwarded-For (behind a trusted proxy).
    pub trust_proxy: bool,
    pub tenants: Arc<TenantCache>,
}

/// When a host was looked up, and what was found (`None`: unknown host).
type Cached = (std::time::Instant, Option<Arc<Tenant>>);

/// Host → company and portal settings, kept for a moment so that a page
/// view doesn't read them again (docs/decisions.md §21). This node drops
/// the whole cache after every change made in the console, so a change
/// shows on the next page load here; other nodes see it within `ttl`.
#[derive(Debug)]
pub struct TenantCache {
    ttl: std::time::Duration,
    map: std::sync::RwLock<std::collections::HashMap<String, Cached>>,
}

impl TenantCache {
    pub fn new(ttl: std::time::Duration) -> TenantCache {
        TenantCache { ttl, map: std::sync::RwLock::new(std::collections::HashMap::new()) }
    }

    /// `Some(entry)` when the host was looked up less than `ttl` ago (the
    /// entry itself is `None` for an unknown host).
    pub fn get(&self, host: &str) -> Option<Option<Arc<Tenant>>> {
        if self.ttl.is_zero() {
            return None;
        }
        let map = self.map.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.get(host).filter(|(at, _)| at.elapsed() < self.ttl).map(|(_, t)| t.clone())
    }

    pub fn put(&self, host: &str, t: Option<Arc<Tenant>>) {
        if self.ttl.is_zero() {
            return;
        }
        let mut map = self.map.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() > 10_000 {
            map.clear();
        }
        map.insert(host.to_string(), (std::time::Instant::now(), t));
    }

    pub fn clear(&self) {
        self.map.write().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }
}
