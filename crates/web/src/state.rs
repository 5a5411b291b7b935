use std::sync::Arc;

use portico_app::App;

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
}
