//! The outbox: side effects (mail, later outbound webhooks) written as rows in the same
//! transaction as the change that caused them, and delivered by a background worker that
//! retries with backoff and never delivers a row twice, even with several server processes.
#[cfg(feature = "ssr")]
pub mod repo;

use serde::{Deserialize, Serialize};

/// The kind of an outbox row, and so which sender delivers it.
pub const KIND_MAIL: &str = "mail";
/// An event for the retailer's back office, POSTed signed to `WEBHOOK_URL`.
pub const KIND_WEBHOOK: &str = "webhook";

/// A mail, ready to send: both parts are already rendered in the recipient's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// An event for the back office. Serialised, it is exactly the body that is sent (and
/// signed); `id` is stable across retries, so the receiver can drop duplicates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WebhookEvent {
    /// `evt_` and 32 hex digits.
    pub id: String,
    /// What happened, e.g. `order.cancellation_requested`.
    #[serde(rename = "type")]
    pub event_type: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub data: serde_json::Value,
}
