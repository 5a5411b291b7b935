//! E-mails: composed here, written to the outbox in the caller's
//! transaction, delivered by the jobs crate. Every e-mail has a plain-text
//! and an HTML body; the HTML is derived from the text (escaped, links made
//! clickable), so company-written templates can't inject markup.

use portico_domain::email_template;
use portico_store::companies::{Company, PortalSettings};
use portico_store::outbox::{self, NewEmail};
use sqlx::{Any, Executor};

use crate::AppError;

pub const DEFAULT_WELCOME_SUBJECT: &str = "Welcome to the {{company}} customer portal";
pub const DEFAULT_WELCOME_BODY: &str = "Hello {{first_name}},\n\n\
{{company}} has opened a customer portal account for you. Your user name is {{username}} \
(you can also sign in with this e-mail address).\n\n\
Choose your password here. The link works once and expires on {{link_expires}}:\n{{link}}\n\n\
If you weren't expecting this e-mail, you can ignore it.";

/// `$1,234.56` for plain-text e-mails and audit details (the formatter of
/// pages, charts and PDFs).
pub use portico_render::fmt_money as cents_text;

/// Escape text for HTML and turn http(s) URLs into links.
pub fn text_to_html(text: &str) -> String {
    let mut html =
        String::from("<!doctype html><html><body style=\"font-family:system-ui,sans-serif;line-height:1.5\">");
    for para in text.split("\n\n") {
        html.push_str("<p>");
        let lines: Vec<String> = para.lines().map(linkify).collect();
        html.push_str(&lines.join("<br>"));
        html.push_str("</p>");
    }
    html.push_str("</body></html>");
    html
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn linkify(line: &str) -> String {
    line.split(' ')
        .map(|w| {
            if w.starts_with("https://") || w.starts_with("http://") {
                let e = escape(w);
                format!("<a href=\"{e}\">{e}</a>")
            } else {
                escape(w)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The sender of a company's e-mails.
pub fn sender(settings: &PortalSettings, company: &Company, primary_host: &str) -> (String, String) {
    let addr = if settings.from_address.is_empty() {
        format!("no-reply@{primary_host}")
    } else {
        settings.from_address.clone()
    };
    let name = if settings.from_name.is_empty() { company.name.clone() } else { settings.from_name.clone() };
    (addr, name)
}

/// A company's e-mail identity, read once: the company, its settings and
/// its sender address and name (from its primary domain when no from
/// address is configured).
pub struct CompanySender {
    pub company: Company,
    pub settings: PortalSettings,
    pub from_addr: String,
    pub from_name: String,
    /// The company's primary portal domain, if it has one.
    pub host: Option<String>,
}

impl CompanySender {
    pub async fn load(app: &crate::App, company_id: i64) -> Result<CompanySender, AppError> {
        let company = portico_store::companies::get(app.db.r(), company_id).await?;
        let settings = portico_store::companies::settings(app.db.r(), company_id).await?;
        let host = portico_store::companies::domains(app.db.r(), company_id).await?.into_iter().next().map(|d| d.host);
        let (from_addr, from_name) = sender(&settings, &company, host.as_deref().unwrap_or_default());
        Ok(CompanySender { company, settings, from_addr, from_name, host })
    }

    pub fn from(&self) -> (&str, &str) {
        (&self.from_addr, &self.from_name)
    }
}

pub struct Outgoing<'a> {
    pub company_id: i64,
    pub kind: &'a str,
    pub to: &'a str,
    pub from: (&'a str, &'a str),
    pub subject: &'a str,
    pub text: &'a str,
}

pub async fn enqueue<'c>(ex: impl Executor<'c, Database = Any>, m: &Outgoing<'_>) -> Result<i64, AppError> {
    enqueue_row(ex, m, None).await
}

/// What stands in the stored copy of an e-mail or text message for its
/// single-use secret (a set-password link, a verification code). The
/// secret itself is kept sealed beside it until the message is handed over
/// (docs/security.md 6.4.1): no screen, log or database copy shows a
/// usable link.
pub const SECRET_PLACEHOLDER: &str = "[[single-use secret]]";

/// A single-use link for [`enqueue_with_link`]: the link, when it expires,
/// and whom it is for (so the console can resend it).
pub struct SecretLink<'a> {
    pub link: &'a str,
    pub expires_at: i64,
    pub portal_user_id: Option<i64>,
    pub staff_user_id: Option<i64>,
}

/// Enqueue an e-mail whose `text` carries [`SECRET_PLACEHOLDER`] where
/// `secret.link` goes. The link is sealed with the server's key.
pub async fn enqueue_with_link<'c>(
    ex: impl Executor<'c, Database = Any>,
    keys: &crate::crypto::Keys,
    m: &Outgoing<'_>,
    secret: &SecretLink<'_>,
) -> Result<i64, AppError> {
    debug_assert!(m.text.contains(SECRET_PLACEHOLDER), "the text must place the link");
    let sealed = keys.seal(secret.link);
    enqueue_row(ex, m, Some((&sealed, secret))).await
}

async fn enqueue_row<'c>(
    ex: impl Executor<'c, Database = Any>,
    m: &Outgoing<'_>,
    secret: Option<(&str, &SecretLink<'_>)>,
) -> Result<i64, AppError> {
    let html = text_to_html(m.text);
    Ok(outbox::enqueue(
        ex,
        &NewEmail {
            company_id: Some(m.company_id),
            kind: m.kind,
            to_addr: m.to,
            from_addr: m.from.0,
            from_name: m.from.1,
            subject: m.subject,
            body_text: m.text,
            body_html: &html,
            secret_sealed: secret.map(|s| s.0),
            secret_expires_at: secret.map(|s| s.1.expires_at),
            portal_user_id: secret.and_then(|s| s.1.portal_user_id),
            staff_user_id: secret.and_then(|s| s.1.staff_user_id),
        },
        crate::now(),
    )
    .await?)
}

/// Why an outbox message can't be handed over.
#[derive(Debug, thiserror::Error)]
pub enum RevealError {
    /// Its secret was already erased (handed over once, or given up on).
    #[error("the message's single-use secret is gone")]
    Gone,
    #[error("the message's secret can't be opened with this server's key")]
    Key,
}

/// The text and HTML bodies to hand over: the placeholder replaced by the
/// unsealed secret. Only the mail worker (and tests standing in for a
/// mailbox) call this.
pub fn delivery_bodies(keys: &crate::crypto::Keys, e: &outbox::Email) -> Result<(String, String), RevealError> {
    match &e.secret_sealed {
        None if e.body_text.contains(SECRET_PLACEHOLDER) => Err(RevealError::Gone),
        None => Ok((e.body_text.clone(), e.body_html.clone())),
        Some(sealed) => {
            let secret = keys.open(sealed).map_err(|_| RevealError::Key)?;
            let text = e.body_text.replace(SECRET_PLACEHOLDER, &secret);
            let html = text_to_html(&text);
            Ok((text, html))
        }
    }
}

/// The text of an SMS to hand over (see [`delivery_bodies`]).
pub fn delivery_sms(keys: &crate::crypto::Keys, m: &portico_store::sms::Sms) -> Result<String, RevealError> {
    match &m.secret_sealed {
        None if m.body.contains(SECRET_PLACEHOLDER) => Err(RevealError::Gone),
        None => Ok(m.body.clone()),
        Some(sealed) => Ok(m.body.replace(SECRET_PLACEHOLDER, &keys.open(sealed).map_err(|_| RevealError::Key)?)),
    }
}

/// The stored copy as the console shows it: the secret's place says what
/// it was and until when it works, never the secret.
pub fn console_text(e: &outbox::Email, when: impl Fn(i64) -> String) -> String {
    let expires = e.secret_expires_at.map(&when).unwrap_or_default();
    let shown = match (e.status.as_str(), e.secret_expires_at) {
        (_, Some(t)) if t <= crate::now() => format!("[single-use link, not shown — expired {expires}]"),
        ("pending", _) => format!("[single-use link, not shown — to be sent, expires {expires}]"),
        ("failed", _) => "[single-use link, not shown — not delivered]".to_string(),
        _ => format!("[single-use link, not shown — sent, expires {expires}]"),
    };
    e.body_text.replace(SECRET_PLACEHOLDER, &shown)
}

/// Values for a welcome or reset e-mail.
pub struct LinkMail<'a> {
    pub company: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub username: &'a str,
    pub link: &'a str,
    pub link_expires: &'a str,
}

/// Render the company's welcome template. Templates are validated when
/// staff save them; a broken stored template falls back to the default.
pub fn welcome(settings: &PortalSettings, v: &LinkMail<'_>) -> (String, String) {
    let value = |k: &str| {
        Some(
            match k {
                "first_name" => v.first_name,
                "last_name" => v.last_name,
                "username" => v.username,
                "company" => v.company,
                "link" => v.link,
                "link_expires" => v.link_expires,
                _ => "",
            }
            .to_string(),
        )
    };
    let subject = email_template::render(&settings.welcome_subject, value)
        .or_else(|_| email_template::render(DEFAULT_WELCOME_SUBJECT, value))
        .unwrap_or_default();
    let body = email_template::render(&settings.welcome_body, value)
        .or_else(|_| email_template::render(DEFAULT_WELCOME_BODY, value))
        .unwrap_or_default();
    (subject.replace(['\r', '\n'], " "), body)
}

pub fn reset(v: &LinkMail<'_>) -> (String, String) {
    (
        format!("Reset your {} portal password", v.company),
        format!(
            "Hello {},\n\nSomeone (hopefully you) asked to reset the password of your {} customer portal \
             account ({}).\n\nChoose a new password here. The link works once and expires on {}:\n{}\n\n\
             If you didn't ask for this, you can ignore this e-mail; your password stays as it is.",
            v.first_name, v.company, v.username, v.link_expires, v.link
        ),
    )
}

pub fn password_changed(company: &str, first_name: &str) -> (String, String) {
    (
        format!("Your {company} portal password was changed"),
        format!(
            "Hello {first_name},\n\nThe password of your {company} customer portal account was just changed. \
             If this wasn't you, contact {company} right away."
        ),
    )
}

pub fn email_changed(company: &str, first_name: &str, new_email: &str) -> (String, String) {
    (
        format!("Your {company} portal e-mail address was changed"),
        format!(
            "Hello {first_name},\n\nThe e-mail address of your {company} customer portal account was changed \
             to {new_email}. If this wasn't you, contact {company} right away."
        ),
    )
}

pub fn staff_password_changed(company: &str, name: &str) -> (String, String) {
    (
        format!("Your {company} staff console password was changed"),
        format!(
            "Hello {name},\n\nThe password of your {company} staff console account was just changed. If this \
             wasn't you, tell an administrator of {company} right away."
        ),
    )
}

pub fn staff_email_changed(company: &str, name: &str, new_email: &str) -> (String, String) {
    (
        format!("Your {company} staff console e-mail address was changed"),
        format!(
            "Hello {name},\n\nThe sign-in e-mail of your {company} staff console account was changed to \
             {new_email}. If this wasn't you, tell an administrator of {company} right away."
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_escaped_and_links_clickable() {
        let h = text_to_html("Hi <b>x</b>\n\nGo https://a.example/p?t=1&u=2 now");
        assert!(h.contains("Hi &lt;b&gt;x&lt;/b&gt;"));
        assert!(h.contains("<a href=\"https://a.example/p?t=1&amp;u=2\">"));
    }

    #[test]
    fn welcome_falls_back_on_broken_template() {
        let s = PortalSettings {
            welcome_subject: "{{nope}}".into(),
            welcome_body: "Hi {{first_name}}: {{link}}".into(),
            ..Default::default()
        };
        let v = LinkMail {
            company: "Acme",
            first_name: "Jane",
            last_name: "Doe",
            username: "jane.doe",
            link: "http://x/y",
            link_expires: "1 Dec",
        };
        let (subj, body) = welcome(&s, &v);
        assert_eq!(subj, "Welcome to the Acme customer portal");
        assert_eq!(body, "Hi Jane: http://x/y");
    }
}
