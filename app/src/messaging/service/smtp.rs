//! Sending one outbox mail over SMTP with lettre: a plain-text and an HTML part from the same
//! blocks, links made absolute with the site's address, and the .ics attachment if any.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::messaging::entity::mail;
use crate::messaging::rules::{MailContent, render_html, render_text};

/// The configured mail server, sender and site address.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    base_url: String,
    /// Who signs the mail.
    organisation: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold credentials: never print it.
        f.debug_struct("Mailer").field("from", &self.from).finish()
    }
}

impl Mailer {
    /// `smtp_url`: `smtp://host:port` (plain, for a relay on loopback), `smtp://…?tls=required`
    /// (STARTTLS) or `smtps://…`, optionally with `user:password@`. `from`: `Naam <adres>`.
    pub fn new(smtp_url: &str, from: &str, base_url: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|error| format!("SMTP_URL: {error}"))?
            .timeout(Some(Duration::from_secs(15)))
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|error| format!("MAIL_FROM: {error}"))?;
        Ok(Self {
            transport,
            from,
            base_url: base_url.trim_end_matches('/').to_owned(),
            organisation: crate::messaging::rules::DEFAULT_ORGANISATION.to_owned(),
        })
    }

    /// Mail signed by `organisation` (the configured `ORGANISATION_NAME`).
    pub fn signed_by(mut self, organisation: &str) -> Self {
        self.organisation = organisation.to_owned();
        self
    }

    pub async fn send(&self, stored: &mail::Model, content: &MailContent) -> Result<(), String> {
        let to = stored
            .recipient
            .parse::<Mailbox>()
            .map_err(|_| "het e-mailadres is ongeldig".to_owned())?;
        let body = MultiPart::alternative_plain_html(
            render_text(content, &self.base_url, &self.organisation),
            render_html(content, &self.base_url, &self.organisation),
        );
        let body = match &stored.calendar {
            None => body,
            Some(ics) => MultiPart::mixed()
                .multipart(body)
                .singlepart(calendar_part(ics)?),
        };
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&stored.subject)
            .multipart(body)
            .map_err(|error| format!("mail could not be built: {error}"))?;
        self.transport
            .send(message)
            .await
            .map(drop)
            .map_err(|error| smtp_error(&error))
    }
}

fn calendar_part(ics: &str) -> Result<SinglePart, String> {
    let kind = ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH")
        .map_err(|error| error.to_string())?;
    Ok(Attachment::new("training.ics".to_owned()).body(ics.to_owned(), kind))
}

/// What the admins see and the log shows of an SMTP failure: its kind and the server's code,
/// not the server's text (which may repeat the address).
fn smtp_error(error: &lettre::transport::smtp::Error) -> String {
    let kind = if error.is_transient() {
        "tijdelijke fout van de mailserver"
    } else if error.is_permanent() {
        "blijvende fout van de mailserver"
    } else if error.is_timeout() {
        "de mailserver antwoordde niet op tijd"
    } else if error.is_tls() {
        "TLS-fout met de mailserver"
    } else {
        "mailserver niet bereikbaar"
    };
    match error.status() {
        Some(code) => format!("{kind} (code {code})"),
        None => kind.to_owned(),
    }
}
