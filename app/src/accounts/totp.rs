//! Two-step login's pure rules: the authenticator app's secret, the six-digit codes
//! (RFC 6238 through `totp-rs`: SHA-1, 6 digits, 30-second steps, one step of clock
//! drift either way), and the single-use recovery codes. No database, no clock: the
//! caller passes the time.
use rand::RngCore;
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, TOTP};

/// Seconds per code.
pub const STEP: u64 = 30;
/// How many recovery codes a user gets at once.
pub const RECOVERY_CODES: usize = 10;

/// A new secret for an authenticator app: 20 random bytes (160 bits, as RFC 4226
/// recommends), in base32 without padding, as apps expect it typed in.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    base32_encode(&bytes)
}

fn base32_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for byte in bytes {
        buffer = (buffer << 8) | u32::from(*byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn totp(secret: &str, issuer: Option<&str>, account: &str) -> Option<TOTP> {
    let bytes = totp_rs::Secret::Encoded(secret.to_string())
        .to_bytes()
        .ok()?;
    // `new_unchecked`: the issuer and account only label the entry in the app; a ':' in a
    // shop's name must not stop its staff from logging in.
    Some(TOTP::new_unchecked(
        Algorithm::SHA1,
        6,
        1,
        STEP,
        bytes,
        issuer.map(|i| i.replace(':', " ")),
        account.replace(':', " "),
    ))
}

/// The secret in groups of four, for typing it into an app by hand.
pub fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `otpauth://` link an app reads from the QR code: the shop's name and the user's
/// e-mail address label the entry.
pub fn setup_link(secret: &str, issuer: &str, account: &str) -> Option<String> {
    Some(totp(secret, Some(issuer), account)?.get_url())
}

/// The code an app shows for `secret` at `unix_seconds` (tests and the demo use it).
pub fn code_at(secret: &str, unix_seconds: u64) -> Option<String> {
    Some(totp(secret, None, "")?.generate(unix_seconds))
}

/// Only the digits of what was typed ("123 456" and "123-456" are "123456").
pub fn digits_of(typed: &str) -> String {
    typed.chars().filter(|c| c.is_ascii_digit()).collect()
}

/// The 30-second step whose code `typed` is, if it is the code of the step at
/// `unix_seconds` or of the one before or after it (a phone's clock may drift), and that
/// step is after `last_step` (a code works once). Compared in constant time.
pub fn accepted_step(secret: &str, typed: &str, unix_seconds: u64, last_step: u64) -> Option<u64> {
    let typed = digits_of(typed);
    if typed.len() != 6 {
        return None;
    }
    let totp = totp(secret, None, "")?;
    let now_step = unix_seconds / STEP;
    let mut found = None;
    for step in [now_step.saturating_sub(1), now_step, now_step + 1] {
        let expected = totp.generate(step * STEP);
        if same(expected.as_bytes(), typed.as_bytes()) && step > last_step && found.is_none() {
            found = Some(step);
        }
    }
    found
}

fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// New recovery codes, each shown once: ten characters from an alphabet without look-alikes
/// (no 0/O, 1/I/L), written as `xxxxx-xxxxx`. About 48 bits each.
pub fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut code = String::with_capacity(11);
            for i in 0..10 {
                if i == 5 {
                    code.push('-');
                }
                let pick = (rng.next_u32() as usize) % ALPHABET.len();
                code.push(ALPHABET[pick] as char);
            }
            code
        })
        .collect()
}

/// A recovery code as typed, made comparable: lower case, without spaces and dashes.
pub fn normalize_recovery_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// What is stored of a recovery code: the SHA-256 of its normalised form. The codes are
/// random and long enough that a fast hash is safe here.
pub fn recovery_code_hash(typed: &str) -> String {
    hex::encode(Sha256::digest(normalize_recovery_code(typed).as_bytes()))
}

/// Whether what was typed looks like a recovery code rather than a six-digit code.
pub fn looks_like_recovery_code(typed: &str) -> bool {
    normalize_recovery_code(typed).len() == 10
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 appendix B: the SHA-1 secret "12345678901234567890".
    const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn codes_match_rfc_6238() {
        assert_eq!(base32_encode(b"12345678901234567890"), RFC_SECRET);
        // The RFC's 8-digit values, last six digits.
        assert_eq!(code_at(RFC_SECRET, 59).expect("code"), "287082");
        assert_eq!(code_at(RFC_SECRET, 1_111_111_109).expect("code"), "081804");
        assert_eq!(code_at(RFC_SECRET, 1_234_567_890).expect("code"), "005924");
    }

    #[test]
    fn a_code_is_accepted_in_its_step_and_one_either_side_once() {
        let now = 1_234_567_890;
        let step = now / STEP;
        let code = code_at(RFC_SECRET, now).expect("code");
        assert_eq!(accepted_step(RFC_SECRET, &code, now, 0), Some(step));
        assert_eq!(
            accepted_step(
                RFC_SECRET,
                &format!("{} {}", &code[..3], &code[3..]),
                now,
                0
            ),
            Some(step)
        );
        // Thirty seconds late or early still works (clock drift)...
        assert_eq!(accepted_step(RFC_SECRET, &code, now + STEP, 0), Some(step));
        assert_eq!(accepted_step(RFC_SECRET, &code, now - STEP, 0), Some(step));
        // ...a minute later not.
        assert_eq!(accepted_step(RFC_SECRET, &code, now + 2 * STEP, 0), None);
        // Once used, the same step is refused (replay), and so is an older one.
        assert_eq!(accepted_step(RFC_SECRET, &code, now, step), None);
        assert_eq!(accepted_step(RFC_SECRET, "000000", now, 0), None);
        assert_eq!(accepted_step(RFC_SECRET, "12345", now, 0), None);
    }

    #[test]
    fn new_secrets_are_160_bits_and_work() {
        let a = new_secret();
        assert_eq!(a.len(), 32);
        assert_ne!(a, new_secret());
        let code = code_at(&a, 1_000_000).expect("code");
        assert!(accepted_step(&a, &code, 1_000_000, 0).is_some());
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
        let link = setup_link(&a, "Slaap: wereld", "anna@example.nl").expect("link");
        assert!(link.starts_with("otpauth://totp/"), "{link}");
        assert!(link.contains(&format!("secret={a}")), "{link}");
    }

    #[test]
    fn recovery_codes_are_distinct_and_forgiving_to_type() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), RECOVERY_CODES);
        let code = &codes[0];
        assert_eq!(code.len(), 11);
        assert!(looks_like_recovery_code(code));
        assert!(!looks_like_recovery_code("123456"));
        assert_eq!(
            recovery_code_hash(code),
            recovery_code_hash(&format!(" {} ", code.to_uppercase().replace('-', " ")))
        );
        assert_ne!(recovery_code_hash(code), recovery_code_hash(&codes[1]));
    }
}
