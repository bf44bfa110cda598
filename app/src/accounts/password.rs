//! Passwords in the spirit of NIST SP 800-63B: at least 10 characters, up to 128, no
//! composition rules, refused when common or easily guessed (zxcvbn's lists of common
//! passwords, names and words, plus the user's own e-mail and name). Stored as argon2id
//! with OWASP's parameters (19 MiB, 2 iterations, 1 lane), hashed off the async runtime.
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::AppError;

pub const MIN_LEN: usize = 10;
pub const MAX_LEN: usize = 128;

/// Why a new password is refused; the code goes to the form as a field error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weakness {
    TooShort,
    TooLong,
    TooCommon,
}

impl Weakness {
    pub fn code(self) -> &'static str {
        match self {
            Weakness::TooShort => "too_short",
            Weakness::TooLong => "too_long",
            Weakness::TooCommon => "too_common",
        }
    }
}

/// Checks a new password. `context` holds what the user told us (e-mail, name): a password
/// made of those is easy to guess.
pub fn check_new_password(password: &str, context: &[&str]) -> Result<(), Weakness> {
    let length = password.chars().count();
    if length < MIN_LEN {
        return Err(Weakness::TooShort);
    }
    if length > MAX_LEN {
        return Err(Weakness::TooLong);
    }
    // Each detail whole, without separators ("anna.devries" -> "annadevries"), and in parts.
    let mut owned: Vec<String> = Vec::new();
    for item in context {
        let lower = item.to_lowercase();
        let local = lower.split('@').next().unwrap_or_default();
        owned.push(local.chars().filter(|c| c.is_alphanumeric()).collect());
        owned.extend(
            lower
                .split(|c: char| !c.is_alphanumeric())
                .filter(|p| p.len() >= 3)
                .map(String::from),
        );
        owned.push(lower);
    }
    let inputs: Vec<&str> = owned
        .iter()
        .map(String::as_str)
        .filter(|s| !s.is_empty())
        .collect();
    // Score 0–2 means about 10^8 guesses or fewer: on a list, or close to it.
    if (zxcvbn::zxcvbn(password, &inputs).score() as u8) < 3 {
        return Err(Weakness::TooCommon);
    }
    Ok(())
}

fn argon2() -> Argon2<'static> {
    // OWASP Password Storage Cheat Sheet: m=19456 KiB, t=2, p=1.
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_now(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|err| {
            tracing::error!(error = %err, "password hashing failed");
            AppError::Internal
        })
}

fn verify_now(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(err) => {
            tracing::error!(error = %err, "stored password hash is unreadable");
            false
        }
    }
}

/// Hashes on a blocking thread: argon2 takes tens of milliseconds of CPU on purpose. At
/// most a few run at once (`limits::hashing`); the rest wait.
pub async fn hash(password: String) -> Result<String, AppError> {
    let _turn = crate::limits::hashing()
        .acquire()
        .await
        .map_err(|_| AppError::Internal)?;
    tokio::task::spawn_blocking(move || counted(|| hash_now(&password)))
        .await
        .map_err(|_| AppError::Internal)?
}

static RUNNING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static MOST_AT_ONCE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Runs one hash or verification, counting how many run at once.
fn counted<T>(work: impl FnOnce() -> T) -> T {
    use std::sync::atomic::Ordering::SeqCst;
    let now = RUNNING.fetch_add(1, SeqCst) + 1;
    MOST_AT_ONCE.fetch_max(now, SeqCst);
    let result = work();
    RUNNING.fetch_sub(1, SeqCst);
    result
}

/// The most password hashes that ran at once in this process (for tests and metrics).
pub fn most_hashes_at_once() -> usize {
    MOST_AT_ONCE.load(std::sync::atomic::Ordering::SeqCst)
}

/// Verifies on a blocking thread. With no stored hash (no such user) it still does the
/// work against a dummy hash, so the answer takes as long either way.
/// The password "hash" of an account invited by an admin that has not chosen its password
/// yet: no password matches it (checked as long as a real one, see [`verify`]).
pub const NOT_CHOSEN_YET: &str = "!invited";

pub async fn verify(password: String, stored: Option<String>) -> bool {
    let stored = stored.filter(|s| !s.starts_with('!'));
    let Ok(_turn) = crate::limits::hashing().acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || {
        counted(|| match stored {
            Some(stored) => verify_now(&password, &stored),
            None => {
                let _ = verify_now(&password, dummy_hash());
                false
            }
        })
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_now("not a real password, only for timing").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_rules() {
        assert_eq!(check_new_password("kort", &[]), Err(Weakness::TooShort));
        assert_eq!(
            check_new_password(&"zeer lang ".repeat(13), &[]),
            Err(Weakness::TooLong)
        );
        // 128 characters is allowed (NIST: at least 64).
        let long: String = "vlinder-kaas-fiets-".repeat(7).chars().take(128).collect();
        assert_eq!(check_new_password(&long, &[]), Ok(()));
    }

    #[test]
    fn common_passwords_are_refused() {
        for common in [
            "password123",
            "1234567890",
            "qwertyuiop",
            "welkom12345",
            "iloveyou12",
        ] {
            assert_eq!(
                check_new_password(common, &[]),
                Err(Weakness::TooCommon),
                "{common}"
            );
        }
    }

    #[test]
    fn own_details_are_refused() {
        assert_eq!(
            check_new_password(
                "annadevries2024",
                &["anna.devries@example.nl", "Anna de Vries"]
            ),
            Err(Weakness::TooCommon)
        );
    }

    #[test]
    fn no_composition_rules() {
        // Only lower-case letters and spaces, but long and unusual: fine.
        assert_eq!(
            check_new_password("paarse olifant danst op het dak", &[]),
            Ok(())
        );
    }

    #[tokio::test]
    async fn hash_and_verify() {
        let hash = hash("paarse olifant danst".into()).await.expect("hash");
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify("paarse olifant danst".into(), Some(hash.clone())).await);
        assert!(!verify("paarse olifant danst!".into(), Some(hash)).await);
        assert!(!verify("anything".into(), None).await);
    }
}
