//! The SMS outbox worker. Messages go through an [`SmsTransport`]; the
//! default one has no provider and only records what would be sent
//! (status `recorded`, shown in the console under "Text messages"), like
//! the e-mail outbox without SMTP. A deployment plugs in its provider by
//! implementing the trait.

use std::future::Future;
use std::pin::Pin;

use portico_app::App;
use portico_app::delivery::{self, Sms, SmsHanded};

use crate::{LEASE_SECS, MAX_ATTEMPTS, now, retry_delay_secs};

/// What a transport did with one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Handed to the provider; its reference, if any.
    Sent(Option<String>),
    /// Kept without sending (no provider configured).
    Recorded,
}

/// Why a transport couldn't send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    pub message: String,
    /// Retrying won't help (invalid number, refused by the provider).
    pub permanent: bool,
}

pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<Outcome, SendError>> + Send + 'a>>;

/// An SMS provider.
pub trait SmsTransport: Send + Sync {
    fn name(&self) -> &'static str;
    fn send<'a>(&'a self, to: &'a str, body: &'a str) -> SendFuture<'a>;
}

/// The default transport: records, never sends.
#[derive(Debug, Clone, Copy, Default)]
pub struct RecordOnly;

impl SmsTransport for RecordOnly {
    fn name(&self) -> &'static str {
        "record-only"
    }

    fn send<'a>(&'a self, _to: &'a str, _body: &'a str) -> SendFuture<'a> {
        Box::pin(async { Ok(Outcome::Recorded) })
    }
}

async fn handle(app: &App, transport: &dyn SmsTransport, m: &Sms) -> anyhow::Result<()> {
    let body = match delivery::sms_body(app, m) {
        Ok(b) => b,
        Err(err) => {
            delivery::sms_failed(app, m.id, &err.to_string(), None).await?;
            tracing::warn!(sms_id = m.id, error = %err, "sms not sent");
            return Ok(());
        }
    };
    match transport.send(&m.to_number, &body).await {
        Ok(Outcome::Recorded) => delivery::sms_done(app, m.id, &SmsHanded::Recorded).await?,
        Ok(Outcome::Sent(reference)) => {
            delivery::sms_done(app, m.id, &SmsHanded::Sent(reference)).await?;
            tracing::info!(sms_id = m.id, kind = %m.kind, "sms sent");
        }
        Err(e) => {
            let give_up = e.permanent || m.attempts >= MAX_ATTEMPTS;
            let retry = (!give_up).then(|| now() + retry_delay_secs(m.attempts));
            delivery::sms_failed(app, m.id, &e.message, retry).await?;
            tracing::warn!(sms_id = m.id, attempts = m.attempts, give_up, error = %e.message, "sms not sent");
        }
    }
    Ok(())
}

/// Handle what is due once. Returns how many messages were handled.
pub async fn run_once(app: &App, transport: &dyn SmsTransport) -> anyhow::Result<usize> {
    let batch = delivery::claim_sms(app, LEASE_SECS, 20).await?;
    let n = batch.len();
    for m in &batch {
        handle(app, transport, m).await?;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn record_only_records() {
        assert_eq!(RecordOnly.send("+15125550199", "hi").await, Ok(Outcome::Recorded));
        assert_eq!(RecordOnly.name(), "record-only");
    }
}
