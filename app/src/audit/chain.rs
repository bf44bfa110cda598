//! The seal on each audit row: HMAC-SHA256 over the row's fields and the previous row's
//! hash. Pure functions, so that writing and checking cannot drift apart.
use std::sync::Arc;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::db::Timestamp;

/// Fewest random bytes in a key.
pub const MIN_KEY_BYTES: usize = 32;

/// The key the chain is sealed with (`AUDIT_KEY`, or `DATA_DIR/audit.key`). Every server
/// process writing to one database must use the same key.
#[derive(Clone)]
pub struct AuditKey(Arc<Vec<u8>>);

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(…)")
    }
}

impl AuditKey {
    /// A key from its text form (base64 of at least 32 bytes); says what is wrong otherwise.
    pub fn parse(text: &str) -> Result<AuditKey, String> {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map_err(|_| "the audit key is not base64".to_string())?;
        if bytes.len() < MIN_KEY_BYTES {
            return Err(format!(
                "the audit key is too short: at least {MIN_KEY_BYTES} random bytes"
            ));
        }
        Ok(AuditKey(Arc::new(bytes)))
    }

    /// A fresh random key.
    pub fn generate() -> AuditKey {
        use rand::RngCore;
        let mut bytes = vec![0u8; MIN_KEY_BYTES];
        rand::rng().fill_bytes(&mut bytes);
        AuditKey(Arc::new(bytes))
    }

    /// The text form `parse` reads.
    pub fn to_text(&self) -> String {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(self.0.as_slice())
    }
}

/// The fields a row's seal covers (all of them but `details`, which is covered by its
/// digest so that it can be emptied when the customer is erased).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sealed<'a> {
    pub at: Timestamp,
    pub actor_user_id: Option<i64>,
    pub actor_label: &'a str,
    pub role: &'a str,
    pub subject_customer_id: Option<i64>,
    pub action: &'a str,
    pub reason: Option<&'a str>,
    pub ticket: Option<&'a str>,
    pub store_code: Option<&'a str>,
    pub ip: &'a str,
    pub user_agent: &'a str,
    pub details_digest: &'a str,
}

/// SHA-256 (hex) of a row's details as written.
pub fn digest(details: &str) -> String {
    hex::encode(Sha256::digest(details.as_bytes()))
}

/// The seal of a row that follows the row sealed `prev_hash` (`""` for the first row).
/// The fields go in as one JSON array, so no two different rows give the same input.
pub fn seal(key: &AuditKey, prev_hash: &str, row: &Sealed<'_>) -> String {
    let input = serde_json::json!([
        "audit/v1",
        prev_hash,
        row.at.sqlite_text(),
        row.actor_user_id,
        row.actor_label,
        row.role,
        row.subject_customer_id,
        row.action,
        row.reason,
        row.ticket,
        row.store_code,
        row.ip,
        row.user_agent,
        row.details_digest,
    ]);
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key.0).expect("HMAC takes any key size");
    mac.update(input.to_string().as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Where the chain starts once its oldest rows were removed after the retention period:
/// after row `after_id`, whose hash the first kept row names as its `prev_hash`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainStart<'a> {
    pub after_id: i64,
    pub hash: &'a str,
    /// When the newest removed row was written.
    pub at: Option<Timestamp>,
    /// How many rows were removed, in all.
    pub removed: i64,
}

impl ChainStart<'_> {
    /// The start of a chain that never lost a row: it needs no seal.
    pub fn is_beginning(&self) -> bool {
        self.after_id == 0 && self.hash.is_empty() && self.removed == 0
    }
}

/// The seal on the chain's start, so that it cannot be moved without the key (which
/// would hide rows removed from the chain's beginning).
pub fn seal_start(key: &AuditKey, start: &ChainStart<'_>) -> String {
    let input = serde_json::json!([
        "audit-start/v1",
        start.after_id,
        start.hash,
        start.at.map(|at| at.sqlite_text()),
        start.removed,
    ]);
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key.0).expect("HMAC takes any key size");
    mac.update(input.to_string().as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(at: &str) -> (Timestamp, String) {
        let at = Timestamp(
            chrono::DateTime::parse_from_rfc3339(at)
                .expect("a time")
                .to_utc(),
        );
        (at, digest(r#"{"viewed":"orders"}"#))
    }

    fn sealed<'a>(at: Timestamp, digest: &'a str) -> Sealed<'a> {
        Sealed {
            at,
            actor_user_id: Some(7),
            actor_label: "Sam (support)",
            role: "support_agent",
            subject_customer_id: Some(1),
            action: "customer.viewed",
            reason: Some("phone call"),
            ticket: None,
            store_code: None,
            ip: "127.0.0.1",
            user_agent: "test",
            details_digest: digest,
        }
    }

    #[test]
    fn the_seal_covers_every_field_the_previous_hash_and_the_key() {
        let key = AuditKey::parse(&AuditKey::generate().to_text()).expect("a key");
        let (at, d) = row("2026-11-29T20:00:00.123Z");
        let base = seal(&key, "", &sealed(at, &d));
        assert_eq!(base.len(), 64);
        assert_eq!(
            base,
            seal(&key, "", &sealed(at, &d)),
            "the same row, the same seal"
        );
        assert_ne!(base, seal(&key, "00", &sealed(at, &d)));
        assert_ne!(base, seal(&AuditKey::generate(), "", &sealed(at, &d)));
        let mut other = sealed(at, &d);
        other.ticket = Some("");
        assert_ne!(
            base,
            seal(&key, "", &other),
            "no ticket is not an empty ticket"
        );
        let mut other = sealed(at, &d);
        other.subject_customer_id = Some(2);
        assert_ne!(base, seal(&key, "", &other));
        let (later, _) = row("2026-11-29T20:00:00.124Z");
        assert_ne!(base, seal(&key, "", &sealed(later, &d)));
        // Moving text from one field to the next makes another input.
        let mut a = sealed(at, &d);
        a.actor_label = "ab";
        a.role = "c";
        let mut b = sealed(at, &d);
        b.actor_label = "a";
        b.role = "bc";
        assert_ne!(seal(&key, "", &a), seal(&key, "", &b));
    }

    #[test]
    fn keys_are_read_back_and_short_ones_refused() {
        let key = AuditKey::generate();
        assert_eq!(
            AuditKey::parse(&key.to_text()).expect("a key").to_text(),
            key.to_text()
        );
        assert!(
            AuditKey::parse("c2hvcnQ=")
                .expect_err("refused")
                .contains("too short")
        );
        assert!(
            AuditKey::parse("not base64!")
                .expect_err("refused")
                .contains("base64")
        );
    }

    #[test]
    fn the_start_seal_covers_where_the_chain_starts_and_how_many_rows_went() {
        let key = AuditKey::generate();
        let (at, _) = row("2026-11-29T20:00:00.123Z");
        let start = ChainStart {
            after_id: 40,
            hash: "ab",
            at: Some(at),
            removed: 40,
        };
        let base = seal_start(&key, &start);
        assert_eq!(base, seal_start(&key, &start.clone()));
        for other in [
            ChainStart {
                after_id: 41,
                ..start.clone()
            },
            ChainStart {
                hash: "ac",
                ..start.clone()
            },
            ChainStart {
                removed: 39,
                ..start.clone()
            },
            ChainStart {
                at: None,
                ..start.clone()
            },
        ] {
            assert_ne!(base, seal_start(&key, &other));
        }
        assert_ne!(base, seal_start(&AuditKey::generate(), &start));
        assert!(!start.is_beginning());
        assert!(
            ChainStart {
                after_id: 0,
                hash: "",
                at: None,
                removed: 0
            }
            .is_beginning()
        );
    }
}
