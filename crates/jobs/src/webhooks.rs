//! The webhook sender: POST each due delivery, signed by `app::webhooks`,
//! and record what the receiver said. A receiver gets 10 seconds; redirects
//! are not followed (an endpoint is the address it was given).

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use portico_app::App;
use portico_app::webhooks::{self, Outcome, Send};
use tokio::sync::watch;

/// How every webhook request is made: 10 seconds, no redirects.
fn builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Portico-Webhooks/", env!("CARGO_PKG_VERSION")))
}

/// An HTTP client for webhook deliveries.
pub fn client() -> reqwest::Client {
    builder().build().unwrap_or_default()
}

/// Whether an address is one the server must not call for a tenant:
/// loopback, private, link-local (cloud metadata), unspecified, multicast.
fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v) => {
            v.is_loopback()
                || v.is_private()
                || v.is_link_local()
                || v.is_unspecified()
                || v.is_multicast()
                || v.is_broadcast()
                || v.octets()[0] == 100 && (v.octets()[1] & 0xc0) == 64
        }
        IpAddr::V6(v) => {
            v.is_loopback()
                || v.is_unspecified()
                || v.is_multicast()
                || (v.segments()[0] & 0xfe00) == 0xfc00
                || (v.segments()[0] & 0xffc0) == 0xfe80
                || v.to_ipv4_mapped().is_some_and(|m| is_private(IpAddr::V4(m)))
        }
    }
}

/// The address to call: the endpoint's host resolved once, refused when
/// private (unless allowed), and pinned for the request so a second lookup
/// can't point it elsewhere (DNS rebinding).
async fn target(url: &str, allow_private: bool) -> Result<(String, SocketAddr), String> {
    let u = url::Url::parse(url).map_err(|e| format!("bad address: {e}"))?;
    let host = u.host_str().ok_or("no host")?.trim_matches(['[', ']']).to_string();
    let port = u.port_or_known_default().ok_or("no port")?;
    let addrs: Vec<SocketAddr> =
        tokio::net::lookup_host((host.as_str(), port)).await.map_err(|e| format!("{host}: {e}"))?.collect();
    let addr = *addrs.first().ok_or_else(|| format!("{host}: no address"))?;
    if !allow_private && addrs.iter().any(|a| is_private(a.ip())) {
        return Err(format!("refused: {host} is a private or local address"));
    }
    Ok((host, addr))
}

async fn send(http: &reqwest::Client, s: &Send, allow_private: bool) -> (Outcome, i64) {
    let started = Instant::now();
    let (host, addr) = match target(&s.url, allow_private).await {
        Ok(t) => t,
        Err(e) => return (Outcome::Error(e), 0),
    };
    let pinned = builder().resolve(&host, addr).build();
    let http = match &pinned {
        Ok(c) => c,
        Err(_) => http,
    };
    let mut rq = http.post(&s.url).body(s.body.clone());
    for (k, v) in &s.headers {
        rq = rq.header(*k, v);
    }
    let outcome = match rq.send().await {
        Ok(r) => Outcome::Status(r.status().as_u16()),
        Err(e) => Outcome::Error(reason(&e.without_url())),
    };
    (outcome, i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX))
}

/// An error with its causes ("error sending request: … Connection
/// refused"), for the delivery log.
fn reason(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push_str(": ");
        out.push_str(&c.to_string());
        cause = c.source();
    }
    out
}

/// Send what is due once, at most `limit` deliveries side by side. Returns
/// how many were attempted.
pub async fn run_once(app: &App, http: &reqwest::Client, limit: i64) -> anyhow::Result<usize> {
    let batch = webhooks::due(app, limit).await?;
    let n = batch.len();
    let allow = app.config.webhooks_allow_private;
    let sent = batch.iter().map(|s| async move { (s, send(http, s, allow).await) });
    for (s, (outcome, ms)) in futures_util::future::join_all(sent).await {
        let id = s.delivery_id;
        match &outcome {
            Outcome::Status(code) => tracing::info!(delivery = id, status = code, ms, "webhook sent"),
            Outcome::Error(e) => tracing::warn!(delivery = id, error = %e, ms, "webhook not delivered"),
        }
        webhooks::record(app, s, &outcome, ms).await?;
    }
    Ok(n)
}

/// Run until `shutdown` turns true, polling every `every`.
pub async fn run(app: App, every: Duration, mut shutdown: watch::Receiver<bool>) {
    let http = client();
    loop {
        match run_once(&app, &http, 20).await {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "webhook sender"),
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => break,
        }
        if *shutdown.borrow() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses() {
        for a in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_private(a.parse().unwrap()), "{a}");
        }
        for a in ["93.184.216.34", "8.8.8.8", "2606:4700::1111"] {
            assert!(!is_private(a.parse().unwrap()), "{a}");
        }
    }

    #[tokio::test]
    async fn a_private_endpoint_is_refused_unless_allowed() {
        assert!(target("http://127.0.0.1:9/h", false).await.unwrap_err().contains("private"));
        assert!(target("http://127.0.0.1:9/h", true).await.is_ok());
        assert!(target("http://localhost:9/h", false).await.is_err());
    }
}
