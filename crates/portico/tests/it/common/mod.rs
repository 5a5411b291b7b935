//! Test harness: the real app on port 0 against a fresh database — a temp
//! SQLite file, or a uniquely named PostgreSQL database when
//! PORTICO_TEST_DATABASE_URL points at a server — seeded with the demo.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use portico::{Running, Settings};
use portico_app::App;
use portico_store::Db;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub const PASSWORD: &str = "portico-demo";

pub struct TestApp {
    pub addr: SocketAddr,
    pub app: App,
    /// The tests' own connection to the app's database, to look at rows
    /// and to arrange states no page can reach (the app's is private).
    pub db: Db,
    pub running: Option<Running>,
    pub db_url: String,
}

/// A database URL for a fresh, empty database.
pub async fn fresh_database_url() -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let tag = format!("{}_{}_{}", std::process::id(), n, rand_suffix());
    match std::env::var("PORTICO_TEST_DATABASE_URL").ok().filter(|u| u.starts_with("postgres")) {
        Some(admin_url) => {
            use sqlx::Connection;
            let name = format!("portico_t_{tag}");
            let mut conn = sqlx::PgConnection::connect(&admin_url).await.expect("connect to PostgreSQL");
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create database");
            let mut url = url::Url::parse(&admin_url).expect("PORTICO_TEST_DATABASE_URL");
            url.set_path(&format!("/{name}"));
            url.to_string()
        }
        None => {
            let dir = std::env::temp_dir().join(format!("portico-test-{tag}"));
            std::fs::create_dir_all(&dir).expect("temp dir");
            format!("sqlite://{}?mode=rwc", dir.join("portico.db").display())
        }
    }
}

/// Remove a PostgreSQL test database (SQLite temp files are left to the OS).
pub async fn drop_database(db_url: &str) {
    let Some(admin_url) = std::env::var("PORTICO_TEST_DATABASE_URL").ok().filter(|u| u.starts_with("postgres")) else {
        return;
    };
    let Some(name) = url::Url::parse(db_url).ok().map(|u| u.path().trim_start_matches('/').to_string()) else {
        return;
    };
    if !name.starts_with("portico_t_") {
        return;
    }
    use sqlx::Connection;
    if let Ok(mut conn) = sqlx::PgConnection::connect(&admin_url).await {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn).await;
    }
}

fn rand_suffix() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("{nanos:x}")
}

pub fn test_settings(db_url: &str) -> Settings {
    Settings {
        database_url: Some(db_url.to_string()),
        secret_key: Some("dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktIQ==".into()),
        addr: "127.0.0.1:0".into(),
        // Documents: beside the SQLite file, or a temp directory per PostgreSQL database.
        storage_dir: db_url
            .starts_with("postgres")
            .then(|| std::env::temp_dir().join("portico-test-docs").join(db_url.rsplit('/').next().unwrap_or("pg"))),
        // Tests change settings straight in the database; the cache has its
        // own test (`console::the_tenant_cache_…`).
        tenant_cache_ms: 0,
        // The webhook tests' receiver listens on loopback.
        webhooks_allow_private: true,
        ..Settings::default()
    }
}

/// Start Portico with the demo data (no mail worker: tests drive it).
pub async fn spawn() -> TestApp {
    spawn_with(|_| {}).await
}

pub async fn spawn_with(tweak: impl FnOnce(&mut Settings)) -> TestApp {
    let db_url = fresh_database_url().await;
    let mut s = test_settings(&db_url);
    // Links in e-mails carry the configured port: this server's.
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    s.public_port = Some(listener.local_addr().expect("addr").port());
    tweak(&mut s);
    let app = portico::build_app(&s).await.expect("build app");
    portico_app::demo::seed(&app).await.expect("seed").expect("fresh database");
    let running = portico::start(app.clone(), &s, listener, None).await.expect("start");
    let db = Db::connect(&db_url, 2).await.expect("the tests' connection");
    TestApp { addr: running.addr, app, db, running: Some(running), db_url }
}

impl TestApp {
    /// A browser-like client: keeps cookies, doesn't follow redirects, and
    /// resolves the demo hosts to this server.
    pub fn client(&self) -> Client {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .resolve("acme.localhost", self.addr)
            .resolve("northwind.localhost", self.addr)
            .resolve("unknown.localhost", self.addr)
            .build()
            .expect("client");
        Client { http, port: self.addr.port() }
    }

    pub async fn stop(mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await;
        }
        self.db.close().await;
        self.app.close().await;
        drop_database(&self.db_url).await;
    }

    pub async fn scalar(&self, sql: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(sql).fetch_one(self.db.r()).await.expect(sql)
    }

    pub async fn text(&self, sql: &str) -> String {
        sqlx::query_scalar::<_, String>(sql).fetch_one(self.db.r()).await.expect(sql)
    }

    /// Latest outbox e-mail to an address as the recipient gets it:
    /// (subject, text body), a sealed single-use link put in its place.
    pub async fn last_mail_to(&self, to: &str) -> Option<(String, String)> {
        let row = sqlx::query_as::<_, (String, String, Option<String>)>(
            "SELECT subject, body_text, secret_sealed FROM outbox_emails WHERE to_addr = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(to)
        .fetch_optional(self.db.r())
        .await
        .expect("outbox")?;
        let (subject, text, sealed) = row;
        let text = match sealed {
            Some(s) => {
                text.replace(portico_app::mail::SECRET_PLACEHOLDER, &self.app.keys.open(&s).expect("sealed link"))
            }
            None => text,
        };
        Some((subject, text))
    }

    /// The stored copy of the latest e-mail to an address: (subject, text
    /// body) as the database and the console keep it.
    pub async fn stored_mail_to(&self, to: &str) -> Option<(String, String)> {
        sqlx::query_as::<_, (String, String)>(
            "SELECT subject, body_text FROM outbox_emails WHERE to_addr = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(to)
        .fetch_optional(self.db.r())
        .await
        .expect("outbox")
    }
}

pub struct Client {
    pub http: reqwest::Client,
    pub port: u16,
}

pub struct Resp {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
    pub headers: reqwest::header::HeaderMap,
}

impl Client {
    pub fn url(&self, host: &str, path: &str) -> String {
        format!("http://{host}:{}{path}", self.port)
    }

    pub async fn get(&self, host: &str, path: &str) -> Resp {
        let r = self.http.get(self.url(host, path)).send().await.expect("GET");
        Resp::from(r).await
    }

    /// GET a page and return the CSRF token of its first form.
    pub async fn csrf(&self, host: &str, path: &str) -> String {
        let page = self.get(host, path).await;
        csrf_of(&page.body).unwrap_or_else(|| panic!("no csrf token on {path}: {} {}", page.status, page.body))
    }

    /// POST a form; the CSRF token is fetched from `form_page` first.
    pub async fn post(&self, host: &str, form_page: &str, path: &str, fields: &[(&str, &str)]) -> Resp {
        let token = self.csrf(host, form_page).await;
        let mut all: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(host, path, &all).await
    }

    pub async fn post_raw(&self, host: &str, path: &str, fields: &[(&str, &str)]) -> Resp {
        let r = self.http.post(self.url(host, path)).form(fields).send().await.expect("POST");
        Resp::from(r).await
    }

    pub async fn sign_in(&self, host: &str, login: &str, password: &str) -> Resp {
        self.post(host, "/login", "/login", &[("login", login), ("password", password)]).await
    }

    pub async fn staff_sign_in(&self, host: &str, email: &str) -> Resp {
        let r = self.post(host, "/staff/login", "/staff/login", &[("email", email), ("password", PASSWORD)]).await;
        assert_eq!(r.status, 303, "staff sign-in: {}", r.body);
        r
    }
}

impl Resp {
    async fn from(r: reqwest::Response) -> Resp {
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let location = headers.get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
        let body = r.text().await.unwrap_or_default().replace("&#39;", "'");
        Resp { status, location, body, headers }
    }
}

pub fn csrf_of(html: &str) -> Option<String> {
    let i = html.find("name=\"csrf\" value=\"")?;
    let rest = &html[i + 19..];
    Some(rest[..rest.find('"')?].to_string())
}

/// The first `http…` link in a text.
pub fn first_link(text: &str) -> Option<String> {
    let i = text.find("http")?;
    let rest = &text[i..];
    Some(rest[..rest.find(char::is_whitespace).unwrap_or(rest.len())].to_string())
}

/// A minimal SMTP server on loopback that accepts every message and keeps
/// its DATA. It speaks enough of RFC 5321 for lettre: EHLO, MAIL, RCPT,
/// DATA, RSET, NOOP, QUIT.
pub async fn smtp_sink() -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind smtp");
    let addr = listener.local_addr().expect("addr");
    let store = Arc::new(Mutex::new(Vec::new()));
    let kept = store.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let kept = kept.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut r = BufReader::new(r);
                let _ = w.write_all(b"220 sink ESMTP\r\n").await;
                let mut line = String::new();
                loop {
                    line.clear();
                    if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                        break;
                    }
                    let cmd = line.trim_end().to_ascii_uppercase();
                    let reply: &[u8] = if cmd.starts_with("EHLO") {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if cmd.starts_with("HELO")
                        || cmd.starts_with("MAIL")
                        || cmd.starts_with("RCPT")
                        || cmd.starts_with("RSET")
                        || cmd.starts_with("NOOP")
                    {
                        b"250 OK\r\n"
                    } else if cmd.starts_with("DATA") {
                        let _ = w.write_all(b"354 go ahead\r\n").await;
                        let mut data = String::new();
                        loop {
                            line.clear();
                            if r.read_line(&mut line).await.unwrap_or(0) == 0 || line == ".\r\n" {
                                break;
                            }
                            data.push_str(&line);
                        }
                        kept.lock().expect("lock").push(data);
                        b"250 queued\r\n"
                    } else if cmd.starts_with("QUIT") {
                        let _ = w.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"502 not implemented\r\n"
                    };
                    let _ = w.write_all(reply).await;
                }
            });
        }
    });
    (addr, store)
}

/// The value of the hidden input `name` in a page.
pub fn hidden(html: &str, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    let start = html.find(&needle).unwrap_or_else(|| panic!("no {name} in {html}")) + needle.len();
    html[start..].split('"').next().unwrap_or_default().to_string()
}
