//! Configuration: defaults → TOML file → `PORTICO_*` environment variables.
//! Unknown or invalid settings stop start-up with a clear message.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use base64::Engine;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// `sqlite://path/to/portico.db` or `postgres://user@host/db`.
    pub database_url: Option<String>,
    /// Address to listen on.
    pub addr: String,
    /// `smtp://user:pass@host:587`, `smtps://…`, or `smtp://host:25?tls=none`.
    /// Without it, e-mails are kept and shown in the console's Sent mail.
    pub smtp_url: Option<String>,
    /// At least 32 random bytes, base64 or hex. Encrypts personal data and
    /// signs CSRF tokens: keep it secret and keep it stable.
    pub secret_key: Option<String>,
    /// A file holding the secret key (for container secrets).
    pub secret_key_file: Option<PathBuf>,
    /// `https` when users reach Portico over TLS (cookies become Secure and
    /// `__Host-` prefixed, HSTS is sent).
    pub public_scheme: String,
    /// Trust X-Forwarded-For from a reverse proxy for client addresses.
    pub trust_proxy: bool,
    pub db_max_connections: u32,
    /// `text` or `json`.
    pub log_format: String,
    pub mail_poll_seconds: u64,
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: None,
            addr: "127.0.0.1:8080".into(),
            smtp_url: None,
            secret_key: None,
            secret_key_file: None,
            public_scheme: "http".into(),
            trust_proxy: false,
            db_max_connections: 16,
            log_format: "text".into(),
            mail_poll_seconds: 5,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
        }
    }
}

impl Settings {
    /// Load from an optional file and the environment.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Settings> {
        let mut fig = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(f) = file {
            if !f.exists() {
                bail!("configuration file {} does not exist", f.display());
            }
            fig = fig.merge(Toml::file(f));
        }
        // PORTICO_CONFIG names the file, PORTICO_NEW_PASSWORD feeds `portico staff add`,
        // PORTICO_TEST_* and PORTICO_E2E_* belong to the test suites.
        fig = fig.merge(Env::prefixed("PORTICO_").filter(|k| {
            let k = k.as_str().to_ascii_lowercase();
            k != "config" && k != "new_password" && !k.starts_with("test_") && !k.starts_with("e2e_")
        }));
        let s: Settings = fig.extract().map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
        s.validate()?;
        Ok(s)
    }

    pub fn validate(&self) -> anyhow::Result<()> {
        if let Some(url) = &self.database_url {
            portico_store::Backend::from_url(url).map_err(|e| anyhow::anyhow!("PORTICO_DATABASE_URL: {e}"))?;
        }
        if self.public_scheme != "http" && self.public_scheme != "https" {
            bail!("public_scheme must be http or https, not {:?}", self.public_scheme);
        }
        if self.log_format != "text" && self.log_format != "json" {
            bail!("log_format must be text or json, not {:?}", self.log_format);
        }
        self.addr.parse::<std::net::SocketAddr>().with_context(|| format!("addr {:?} is not host:port", self.addr))?;
        if !(1..=24 * 60).contains(&self.session_idle_minutes) {
            bail!("session_idle_minutes must be between 1 and 1440");
        }
        if !(1..=24 * 30).contains(&self.session_absolute_hours) {
            bail!("session_absolute_hours must be between 1 and 720");
        }
        if let Some(url) = &self.smtp_url {
            portico_jobs::Mailer::from_url(url).context("smtp_url")?;
        }
        Ok(())
    }

    pub fn database_url(&self) -> anyhow::Result<&str> {
        self.database_url.as_deref().ok_or_else(|| {
            anyhow::anyhow!("no database configured: set PORTICO_DATABASE_URL (sqlite://… or postgres://…)")
        })
    }

    /// The secret key bytes from `secret_key` or `secret_key_file`.
    pub fn secret(&self) -> anyhow::Result<Vec<u8>> {
        let raw = match (&self.secret_key, &self.secret_key_file) {
            (Some(k), _) => k.clone(),
            (None, Some(f)) => std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?,
            (None, None) => bail!(
                "no secret key configured: set PORTICO_SECRET_KEY (generate one with `portico secret`) or PORTICO_SECRET_KEY_FILE"
            ),
        };
        decode_secret(raw.trim())
    }
}

pub fn decode_secret(s: &str) -> anyhow::Result<Vec<u8>> {
    let bytes = if s.len() >= 64 && s.chars().all(|c| c.is_ascii_hexdigit()) {
        hex::decode(s)?
    } else {
        base64::engine::general_purpose::STANDARD
            .decode(s)
            .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s))
            .context("the secret key must be base64 or hex")?
    };
    if bytes.len() < 32 {
        bail!("the secret key must be at least 32 bytes (it is {})", bytes.len());
    }
    Ok(bytes)
}

pub fn new_secret() -> String {
    use rand::RngCore;
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    base64::engine::general_purpose::STANDARD.encode(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_decode_and_refuse_short_keys() {
        assert_eq!(decode_secret(&new_secret()).unwrap().len(), 32);
        assert_eq!(decode_secret(&"ab".repeat(32)).unwrap().len(), 32);
        assert!(decode_secret("c2hvcnQ=").is_err());
        assert!(decode_secret("not base64 !!").is_err());
    }

    #[test]
    fn invalid_values_are_refused() {
        let mut s = Settings::default();
        assert!(s.validate().is_ok());
        s.public_scheme = "ftp".into();
        assert!(s.validate().is_err());
        let s = Settings { database_url: Some("mysql://x".into()), ..Settings::default() };
        assert!(s.validate().unwrap_err().to_string().contains("sqlite:// or postgres://"));
        let s = Settings { addr: "nope".into(), ..Settings::default() };
        assert!(s.validate().is_err());
    }

    #[test]
    fn unknown_keys_in_a_file_are_refused() {
        let dir = std::env::temp_dir().join(format!("portico-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("portico.toml");
        std::fs::write(&f, "addr = \"127.0.0.1:9000\"\ndatabse_url = \"sqlite://x\"\n").unwrap();
        let err = Settings::load(Some(&f)).unwrap_err().to_string();
        assert!(err.contains("databse_url"), "{err}");
        std::fs::write(&f, "addr = \"127.0.0.1:9000\"\n").unwrap();
        assert_eq!(Settings::load(Some(&f)).unwrap().addr, "127.0.0.1:9000");
    }
}
