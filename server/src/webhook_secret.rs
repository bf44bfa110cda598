//! The secret outbound webhooks are signed with (`WEBHOOK_SECRET`, Standard Webhooks'
//! `whsec_` form): checked when the configuration is read, made by `server webhook-secret`.
use standardwebhooks::Webhook;

/// Shortest secret we accept: 24 random bytes (the spec asks for 24 to 64).
pub const MIN_SECRET_BYTES: usize = 24;

/// Reads a `whsec_…` secret (base64 after the prefix); says what is wrong otherwise.
pub fn parse_secret(secret: &str) -> Result<Webhook, String> {
    use base64::Engine;
    let encoded = secret
        .strip_prefix("whsec_")
        .ok_or("WEBHOOK_SECRET must start with whsec_ (make one with `server webhook-secret`)")?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .map_err(|_| "WEBHOOK_SECRET is not base64 after whsec_".to_string())?;
    if bytes.len() < MIN_SECRET_BYTES {
        return Err(format!(
            "WEBHOOK_SECRET is too short: at least {MIN_SECRET_BYTES} random bytes"
        ));
    }
    Webhook::from_bytes(bytes).map_err(|e| e.to_string())
}

/// A fresh random secret in the `whsec_` form.
pub fn new_secret() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_checked_and_new_ones_are_valid() {
        assert!(parse_secret(&new_secret()).is_ok());
        let problem = |secret: &str| parse_secret(secret).err().unwrap_or_default();
        assert!(problem("geheim").contains("whsec_"));
        assert!(problem("whsec_c2hvcnQ=").contains("too short"));
        assert!(problem("whsec_***").contains("base64"));
    }
}
