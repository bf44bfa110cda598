//! Sending mail: over SMTP when `SMTP_URL` is set. Without it, only where the development
//! mail viewer is on (`serve --demo`, which `make run` uses, or `DEV_MAIL`; see
//! `Config::dev_mail_viewer`) mails are written as `.eml` files to `DATA_DIR/mail` for
//! `/dev/mail` to show; anywhere else they wait in the outbox until `SMTP_URL` is set,
//! never written where someone could read their links.
use std::path::PathBuf;
use std::time::Duration;

use app::outbox::OutgoingMail;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::Config;

pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
    /// No way to send: mails stay in the outbox.
    Held,
}

pub struct MailSender {
    mailer: Mailer,
    from: Mailbox,
}

impl MailSender {
    pub fn from_config(config: &Config) -> Result<MailSender, String> {
        let from: Mailbox = config.mail_from.parse().map_err(|e| {
            format!(
                "MAIL_FROM \"{}\" is not a mail address: {e}",
                config.mail_from
            )
        })?;
        let mailer = match config.smtp_url.as_deref().filter(|u| !u.is_empty()) {
            Some(url) => Mailer::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("SMTP_URL is not valid: {e}"))?
                    .timeout(Some(Duration::from_secs(15)))
                    .build(),
            ),
            None if !config.dev_mail_viewer() => Mailer::Held,
            None => {
                let dir = mail_dir(config);
                std::fs::create_dir_all(&dir).map_err(|e| {
                    format!("cannot create the mail directory {}: {e}", dir.display())
                })?;
                Mailer::Files(AsyncFileTransport::new(dir))
            }
        };
        Ok(MailSender { mailer, from })
    }

    pub fn writes_files(&self) -> bool {
        matches!(self.mailer, Mailer::Files(_))
    }

    /// Whether mails wait in the outbox (no SMTP_URL, no development mail viewer).
    pub fn holds(&self) -> bool {
        matches!(self.mailer, Mailer::Held)
    }

    /// Sends one mail with a plain-text and an HTML part.
    pub async fn send(&self, mail: &OutgoingMail) -> Result<(), String> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|e| format!("bad recipient {}: {e}", mail.to))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&mail.subject)
            .multipart(MultiPart::alternative_plain_html(
                mail.text.clone(),
                mail.html.clone(),
            ))
            .map_err(|e| format!("cannot build the message: {e}"))?;
        match &self.mailer {
            Mailer::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Mailer::Files(files) => files
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Mailer::Held => Err("no SMTP_URL: the mail waits in the outbox".into()),
        }
    }
}

/// Where mails are written without SMTP.
pub fn mail_dir(config: &Config) -> PathBuf {
    config.data_dir.join("mail")
}
