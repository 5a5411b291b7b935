//! Customer notifications: each customer chooses per topic whether to be
//! told by e-mail and/or SMS (seed 002). Callers build the text (a link,
//! never private content such as a message body) and call [`notify`] in
//! their own transaction, so the notification is queued if and only if the
//! action commits.

use portico_store::notify::{self as st, Pref};
use portico_store::people;
use portico_store::sms::{self as sms_store, NewSms};

use crate::mail::{self, CompanySender, Outgoing};
use crate::{App, AppError, now};

/// What a notification is about; each customer chooses the channels per topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    Messages,
    Tasks,
    Documents,
    Payments,
    Statements,
}

impl Topic {
    pub const ALL: [Topic; 5] = [Topic::Messages, Topic::Tasks, Topic::Documents, Topic::Payments, Topic::Statements];

    pub fn key(self) -> &'static str {
        match self {
            Topic::Messages => "messages",
            Topic::Tasks => "tasks",
            Topic::Documents => "documents",
            Topic::Payments => "payments",
            Topic::Statements => "statements",
        }
    }

    pub fn parse(s: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.key() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Topic::Messages => "Messages",
            Topic::Tasks => "Tasks",
            Topic::Documents => "Documents",
            Topic::Payments => "Payments",
            Topic::Statements => "Statements",
        }
    }

    pub fn hint(self) -> &'static str {
        match self {
            Topic::Messages => "A new message or reply from the team.",
            Topic::Tasks => "A new task to complete.",
            Topic::Documents => "A new document shared with you.",
            Topic::Payments => "Payments received, declined or scheduled.",
            Topic::Statements => "A new statement is ready.",
        }
    }
}

/// A customer's channels for one topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Channels {
    pub email: bool,
    pub sms: bool,
}

/// Without a stored choice: e-mail on, SMS off.
pub const DEFAULT_CHANNELS: Channels = Channels { email: true, sms: false };

fn channels(p: Option<&Pref>) -> Channels {
    p.map(|p| Channels { email: p.email, sms: p.sms }).unwrap_or(DEFAULT_CHANNELS)
}

/// The customer's choices for every topic, defaults filled in.
pub async fn preferences(app: &App, company_id: i64, contact_id: i64) -> Result<Vec<(Topic, Channels)>, AppError> {
    let stored = st::prefs(app.db.r(), company_id, contact_id).await?;
    Ok(Topic::ALL.into_iter().map(|t| (t, channels(stored.iter().find(|p| p.topic == t.key())))).collect())
}

/// The company's primary host (domains come primary first).
pub async fn primary_host(app: &App, company_id: i64) -> Result<String, AppError> {
    Ok(portico_store::companies::domains(app.db.r(), company_id)
        .await?
        .into_iter()
        .next()
        .map(|d| d.host)
        .unwrap_or_default())
}

/// An absolute link into the portal on the company's primary domain.
pub async fn portal_link(app: &App, company_id: i64, path: &str) -> Result<String, AppError> {
    let host = primary_host(app, company_id).await?;
    Ok(app.url(&host, path))
}

/// An absolute link into the staff console on the company's primary domain.
pub async fn console_link(app: &App, company_id: i64, path: &str) -> Result<String, AppError> {
    portal_link(app, company_id, path).await
}

/// SMS text: the company and the subject only, at most 160 characters.
pub fn sms_text(company: &str, subject: &str) -> String {
    let s = format!("{company}: {subject}");
    let s: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if s.chars().count() <= 160 { s } else { s.chars().take(157).collect::<String>() + "..." }
}

/// Tell a customer about something, by the channels they chose for
/// `topic`, in the caller's transaction.
///
/// * E-mail goes to the customer's portal login address (an active portal
///   user only: the notification is about something to see in the portal),
///   from the company's sender, with `subject` and `text` as written by the
///   caller — put a link in `text`, never private content.
/// * SMS goes to the customer's verified mobile number only, and says the
///   company name and `subject` (SMS is not a private channel).
///
/// A customer without a portal user, or with neither channel on, gets
/// nothing; that is not an error.
pub async fn notify(
    tx: &mut portico_store::Tx,
    app: &App,
    company_id: i64,
    contact_id: i64,
    topic: Topic,
    subject: &str,
    text: &str,
) -> Result<(), AppError> {
    let pref = st::pref(&mut **tx, company_id, contact_id, topic.key()).await?;
    let ch = channels(pref.as_ref());
    if !ch.email && !ch.sms {
        return Ok(());
    }
    let Some(user) = people::portal_user_by_contact(&mut **tx, company_id, contact_id).await? else {
        return Ok(());
    };
    if !user.active {
        return Ok(());
    }
    let sender = CompanySender::load(app, company_id).await?;
    let subject = subject.replace(['\r', '\n'], " ");
    if ch.email && !user.email.is_empty() {
        mail::enqueue(
            &mut **tx,
            &Outgoing {
                company_id,
                kind: &format!("notify_{}", topic.key()),
                to: &user.email,
                from: sender.from(),
                subject: &subject,
                text,
            },
        )
        .await?;
    }
    if ch.sms {
        let mobile = st::mobile(&mut **tx, company_id, contact_id).await?;
        if let Some(number) = mobile.and_then(|m| m.verified_number) {
            let body = sms_text(&sender.from_name, &subject);
            sms_store::enqueue(
                &mut **tx,
                &NewSms {
                    company_id,
                    contact_id: Some(contact_id),
                    kind: &format!("notify_{}", topic.key()),
                    to_number: &number,
                    body: &body,
                    secret_sealed: None,
                },
                now(),
            )
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_round_trip() {
        for t in Topic::ALL {
            assert_eq!(Topic::parse(t.key()), Some(t));
        }
        assert_eq!(Topic::parse("nope"), None);
    }

    #[test]
    fn sms_text_is_bounded_and_single_line() {
        assert_eq!(sms_text("Acme", "New message"), "Acme: New message");
        let long = sms_text("Acme", &"x".repeat(400));
        assert_eq!(long.chars().count(), 160);
        assert!(long.ends_with("..."));
        assert!(!sms_text("A", "a\nb").contains('\n'));
    }
}
