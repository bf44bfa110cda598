//! Two-step login: setting it up, checking a code at login or before an admin action,
//! recovery codes. Required for every staff role (`current::has_role`); a customer may
//! set it up too. The codes' arithmetic is in `totp.rs`, the SQL in `two_factor_repo.rs`.
use super::totp;
use super::two_factor_repo as repo;
use crate::db::{Db, Timestamp};
use crate::error::AppError;

/// What proved the second factor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proof {
    /// A code from the authenticator app.
    AppCode,
    /// One of the recovery codes (now used up).
    RecoveryCode,
}

fn unix(now: Timestamp) -> u64 {
    now.0.timestamp().max(0) as u64
}

/// Checks what an enrolled user typed: a code from their app (accepted once) or an
/// unused recovery code (used up). `None`: wrong, used before, or not enrolled.
pub async fn check(
    db: &Db,
    user_id: i64,
    typed: &str,
    now: Timestamp,
) -> Result<Option<Proof>, AppError> {
    if totp::looks_like_recovery_code(typed) {
        let used =
            repo::use_recovery_code(db, user_id, &totp::recovery_code_hash(typed), now).await?;
        return Ok(used.then_some(Proof::RecoveryCode));
    }
    let Some((secret, last_step)) = repo::find(db, user_id).await? else {
        return Ok(None);
    };
    let Some(step) = totp::accepted_step(&secret, typed, unix(now), last_step.max(0) as u64) else {
        return Ok(None);
    };
    // The update only wins once: the same code sent twice at once is accepted once.
    Ok(repo::use_step(db, user_id, step as i64)
        .await?
        .then_some(Proof::AppCode))
}

/// The field error for a code that did not work.
pub fn wrong_code() -> AppError {
    AppError::invalid("code", "wrong_code")
}

/// Sets two-step login up with the secret the user's app was given, once they typed a
/// code it shows: stores the secret and new recovery codes, and returns the codes (to be
/// shown once).
pub async fn confirm_setup(
    db: &Db,
    user_id: i64,
    secret: &str,
    typed: &str,
    now: Timestamp,
) -> Result<Vec<String>, AppError> {
    if totp::digits_of(typed).is_empty() {
        return Err(AppError::invalid("code", "required"));
    }
    let Some(step) = totp::accepted_step(secret, typed, unix(now), 0) else {
        return Err(wrong_code());
    };
    let codes = totp::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| totp::recovery_code_hash(c)).collect();
    let mut tx = db.begin().await?;
    repo::enrol(&mut tx, user_id, secret, step as i64, &hashes, now).await?;
    tx.commit().await?;
    Ok(codes)
}

/// New recovery codes (the old ones stop working), after a code from the app.
pub async fn renew_recovery_codes(
    db: &Db,
    user_id: i64,
    typed: &str,
    now: Timestamp,
) -> Result<Vec<String>, AppError> {
    if totp::looks_like_recovery_code(typed) {
        // A recovery code cannot make new ones: that needs the phone.
        return Err(AppError::invalid("code", "app_code_needed"));
    }
    if check(db, user_id, typed, now).await? != Some(Proof::AppCode) {
        return Err(wrong_code());
    }
    let codes = totp::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| totp::recovery_code_hash(c)).collect();
    let mut tx = db.begin().await?;
    repo::replace_recovery_codes(&mut tx, user_id, &hashes, now).await?;
    tx.commit().await?;
    Ok(codes)
}
