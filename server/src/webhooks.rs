//! Outbound webhooks: events for the retailer's back office (a cancellation request, later
//! returns and delivery requests), POSTed as JSON to `WEBHOOK_URL` and signed the
//! [Standard Webhooks](https://www.standardwebhooks.com/) way (`webhook-id`,
//! `webhook-timestamp`, `webhook-signature` = HMAC-SHA256 over `id.timestamp.body` with
//! `WEBHOOK_SECRET`), so any of that spec's libraries can verify them. Without
//! `WEBHOOK_URL` (the `make run` default) events are written as JSON files to
//! `DATA_DIR/webhooks`, the way mails are written to `DATA_DIR/mail`.
use std::path::PathBuf;
use std::time::Duration;

use app::outbox::WebhookEvent;
use standardwebhooks::Webhook;

use crate::config::Config;
pub use crate::webhook_secret::{new_secret, parse_secret};

enum Target {
    Http {
        client: reqwest::Client,
        url: String,
        signer: Webhook,
    },
    Files(PathBuf),
}

pub struct WebhookSender {
    target: Target,
}

impl WebhookSender {
    pub fn from_config(config: &Config) -> Result<WebhookSender, String> {
        let target = match config.webhook_url.as_deref().filter(|u| !u.is_empty()) {
            Some(url) => {
                let secret = config
                    .webhook_secret
                    .as_deref()
                    .ok_or("WEBHOOK_URL is set, so WEBHOOK_SECRET is needed too")?;
                let client = reqwest::Client::builder()
                    .timeout(Duration::from_secs(10))
                    .user_agent(concat!("mijn-portaal/", env!("CARGO_PKG_VERSION")))
                    .build()
                    .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
                Target::Http {
                    client,
                    url: url.to_string(),
                    signer: parse_secret(secret)?,
                }
            }
            None => {
                let dir = webhook_dir(config);
                std::fs::create_dir_all(&dir).map_err(|e| {
                    format!("cannot create the webhook directory {}: {e}", dir.display())
                })?;
                Target::Files(dir)
            }
        };
        Ok(WebhookSender { target })
    }

    pub fn writes_files(&self) -> bool {
        matches!(self.target, Target::Files(_))
    }

    /// Delivers one event body (the outbox payload, sent byte for byte). Any answer but
    /// 2xx is a failure, so the outbox tries again later.
    pub async fn send(&self, body: &str) -> Result<(), String> {
        let event: WebhookEvent =
            serde_json::from_str(body).map_err(|e| format!("unreadable webhook payload: {e}"))?;
        match &self.target {
            Target::Files(dir) => {
                let path = dir.join(format!("{}.json", event.id));
                tokio::fs::write(&path, body)
                    .await
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))
            }
            Target::Http {
                client,
                url,
                signer,
            } => {
                let timestamp = chrono::Utc::now().timestamp();
                let signature = signer
                    .sign(&event.id, timestamp, body.as_bytes())
                    .map_err(|e| e.to_string())?;
                let response = client
                    .post(url)
                    .header("content-type", "application/json")
                    .header(standardwebhooks::HEADER_WEBHOOK_ID, &event.id)
                    .header(
                        standardwebhooks::HEADER_WEBHOOK_TIMESTAMP,
                        timestamp.to_string(),
                    )
                    .header(standardwebhooks::HEADER_WEBHOOK_SIGNATURE, signature)
                    .body(body.to_string())
                    .send()
                    .await
                    .map_err(|e| format!("POST {url} failed: {e}"))?;
                let status = response.status();
                if status.is_success() {
                    Ok(())
                } else {
                    Err(format!("POST {url} answered {status}"))
                }
            }
        }
    }
}

pub fn webhook_dir(config: &Config) -> PathBuf {
    config.data_dir.join("webhooks")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_with_the_same_secret_only() {
        let secret = new_secret();
        let body = br#"{"id":"evt_1","type":"t","created_at":"2026-11-24T10:00:00Z","data":{}}"#;
        let now = chrono::Utc::now().timestamp();
        let signature = parse_secret(&secret)
            .expect("valid")
            .sign("evt_1", now, body)
            .expect("signs");
        let mut headers = http::HeaderMap::new();
        headers.insert("webhook-id", "evt_1".parse().expect("header"));
        headers.insert(
            "webhook-timestamp",
            now.to_string().parse().expect("header"),
        );
        headers.insert("webhook-signature", signature.parse().expect("header"));
        assert!(
            Webhook::new(&secret)
                .expect("valid")
                .verify(body, &headers)
                .is_ok()
        );
        assert!(
            Webhook::new(&new_secret())
                .expect("valid")
                .verify(body, &headers)
                .is_err()
        );
    }
}
