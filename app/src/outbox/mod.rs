//! The outbox: side effects (mail, later outbound webhooks) written as rows in the same
//! transaction as the change that caused them, and delivered by a background worker that
//! retries with backoff and never delivers a row twice, even with several server processes.
#[cfg(feature = "ssr")]
pub mod repo;

use serde::{Deserialize, Serialize};

/// The kind of an outbox row, and so which sender delivers it.
pub const KIND_MAIL: &str = "mail";

/// A mail, ready to send: both parts are already rendered in the recipient's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}
