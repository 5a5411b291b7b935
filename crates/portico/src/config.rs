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
    /// The port in links Portico sends (e-mails, Agent links) when it is
    /// not the scheme's default; `portico demo` sets its own. Links never
    /// take the port of the request's `Host`.
    pub public_port: Option<u16>,
    /// Trust X-Forwarded-For from a reverse proxy for client addresses.
    pub trust_proxy: bool,
    /// Connections per pool; 0 (the default) sizes them from the cores:
    /// SQLite gets 2 readers per core, PostgreSQL 4 connections per core
    /// (`portico_store::Db::connect`).
    pub db_max_connections: u32,
    /// `text` or `json`.
    pub log_format: String,
    pub mail_poll_seconds: u64,
    /// How often the payment runner looks for due scheduled payments,
    /// AutoPay dates, payments to recover and returns.
    pub payment_poll_seconds: u64,
    /// How long a node keeps a host's company and portal settings (0 turns
    /// the cache off). Changes made on this node show at once.
    pub tenant_cache_ms: u64,
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    /// Where documents are stored: `local` (a directory) or `s3` (any
    /// S3-compatible service).
    pub storage: String,
    /// The local documents directory. Default: `documents` beside the
    /// SQLite database file (the demo's data directory), else
    /// `./documents`.
    pub storage_dir: Option<PathBuf>,
    pub s3_bucket: Option<String>,
    /// `https://s3.example.com` for S3-compatible services; empty for AWS.
    pub s3_endpoint: Option<String>,
    pub s3_region: String,
    pub s3_access_key_id: Option<String>,
    pub s3_secret_access_key: Option<String>,
    /// A file holding the secret access key (for container secrets).
    pub s3_secret_access_key_file: Option<PathBuf>,
    /// Plain http to a non-loopback endpoint (loopback is always allowed).
    pub s3_allow_http: bool,
    /// The largest upload any company may allow, in MB.
    pub max_upload_mb: i64,
    /// Without SMTP, each e-mail as it would have been sent (links
    /// included) is written here as a text file. Default: `mail` beside the
    /// SQLite database file (the demo's data directory); none otherwise.
    pub mail_dir: Option<PathBuf>,
    /// Let webhook endpoints be loopback, private-network or link-local
    /// addresses. Off by default: a company's administrator must not be able
    /// to make the server call its own network (SSRF). The demo turns it on.
    pub webhooks_allow_private: bool,
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
            public_port: None,
            trust_proxy: false,
            db_max_connections: 0,
            log_format: "text".into(),
            mail_poll_seconds: 5,
            payment_poll_seconds: 30,
            tenant_cache_ms: 2000,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            storage: "local".into(),
            storage_dir: None,
            s3_bucket: None,
            s3_endpoint: None,
            s3_region: "us-east-1".into(),
            s3_access_key_id: None,
            s3_secret_access_key: None,
            s3_secret_access_key_file: None,
            s3_allow_http: false,
            max_upload_mb: 25,
            mail_dir: None,
            webhooks_allow_private: false,
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
        if !(1..=1024).contains(&self.max_upload_mb) {
            bail!("max_upload_mb must be between 1 and 1024");
        }
        match self.storage.as_str() {
            "local" => {}
            "s3" => {
                if self.s3_bucket.as_deref().is_none_or(str::is_empty) {
                    bail!("storage = \"s3\" needs s3_bucket (PORTICO_S3_BUCKET)");
                }
                if let Some(ep) = self.s3_endpoint.as_deref().filter(|e| !e.is_empty()) {
                    let u = url::Url::parse(ep).with_context(|| format!("s3_endpoint {ep:?} is not a URL"))?;
                    if u.scheme() == "http" && !self.s3_allow_http && !portico_app::storage::is_loopback_endpoint(ep) {
                        bail!("s3_endpoint uses plain http to another machine: set s3_allow_http = true to allow it");
                    }
                }
            }
            other => bail!("storage must be local or s3, not {other:?}"),
        }
        Ok(())
    }

    /// The document storage from these settings.
    pub fn storage_config(&self) -> anyhow::Result<portico_app::storage::StorageConfig> {
        use portico_app::storage::{S3Config, StorageConfig};
        if self.storage == "s3" {
            let secret = match (&self.s3_secret_access_key, &self.s3_secret_access_key_file) {
                (Some(k), _) => k.clone(),
                (None, Some(f)) => {
                    std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?.trim().to_string()
                }
                (None, None) => String::new(),
            };
            return Ok(StorageConfig::S3(S3Config {
                bucket: self.s3_bucket.clone().unwrap_or_default(),
                endpoint: self.s3_endpoint.clone().unwrap_or_default(),
                region: self.s3_region.clone(),
                access_key_id: self.s3_access_key_id.clone().unwrap_or_default(),
                secret_access_key: secret,
                allow_http: self.s3_allow_http,
            }));
        }
        if let Some(d) = &self.storage_dir {
            return Ok(StorageConfig::Local(d.clone()));
        }
        // Beside a SQLite database file (the demo keeps both in its data directory).
        Ok(StorageConfig::Local(self.beside_sqlite("documents").unwrap_or_else(|| PathBuf::from("documents"))))
    }

    /// `name` in the directory of the SQLite database file, if there is one.
    fn beside_sqlite(&self, name: &str) -> Option<PathBuf> {
        let sqlite_file = self
            .database_url
            .as_deref()
            .and_then(|u| u.strip_prefix("sqlite://").or_else(|| u.strip_prefix("sqlite:")))
            .map(|p| p.split('?').next().unwrap_or_default())
            .filter(|p| !p.is_empty() && !p.contains(":memory:"));
        sqlite_file.and_then(|f| Path::new(f).parent()).map(|d| d.join(name))
    }

    /// Where captured e-mails are written when no SMTP server is configured.
    pub fn mail_capture_dir(&self) -> Option<PathBuf> {
        self.mail_dir.clone().or_else(|| self.beside_sqlite("mail"))
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
    fn document_storage_settings() {
        use portico_app::storage::StorageConfig;
        let s = Settings {
            database_url: Some("sqlite:///var/lib/portico/portico.db?mode=rwc".into()),
            ..Settings::default()
        };
        match s.storage_config().unwrap() {
            StorageConfig::Local(d) => assert_eq!(d, PathBuf::from("/var/lib/portico/documents")),
            other => panic!("{other:?}"),
        }
        let s = Settings { storage: "s3".into(), ..Settings::default() };
        assert!(s.validate().unwrap_err().to_string().contains("s3_bucket"));
        let s = Settings {
            storage: "s3".into(),
            s3_bucket: Some("docs".into()),
            s3_endpoint: Some("http://minio.internal:9000".into()),
            ..Settings::default()
        };
        assert!(s.validate().unwrap_err().to_string().contains("s3_allow_http"));
        let s = Settings { s3_endpoint: Some("http://127.0.0.1:9000".into()), ..s };
        assert!(s.validate().is_ok(), "loopback may use http");
        let s = Settings { storage: "ftp".into(), ..Settings::default() };
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
