//! The admin's tracking page: the retailer's own sentence per status and language, the
//! carrier codes we did not know, and carrier webhook secrets.

use super::texts::{self};
use super::{TextRow, TrackingStatus, UnknownCode, repo};
use crate::db::{Db, Timestamp};
use crate::error::AppError;
use crate::shipments::carriers;
use crate::time::local_time;
use crate::validate::Checks;

pub async fn text_rows(db: &Db) -> Result<Vec<TextRow>, AppError> {
    let overrides = repo::overrides(db).await?;
    Ok(TrackingStatus::ALL
        .into_iter()
        .map(|s| TextRow {
            status: s,
            title_nl: texts::builtin(s, "nl").title,
            title_en: texts::builtin(s, "en").title,
            builtin_nl: texts::builtin(s, "nl").text,
            builtin_en: texts::builtin(s, "en").text,
            own_nl: overrides.get(&(s, "nl".to_string())).cloned(),
            own_en: overrides.get(&(s, "en".to_string())).cloned(),
        })
        .collect())
}

/// Saves the retailer's sentences of one status (empty: back to the built-in text).
/// Field errors name `text_nl` / `text_en`.
pub async fn save_texts(
    db: &Db,
    user_id: i64,
    status: &str,
    text_nl: &str,
    text_en: &str,
) -> Result<(), AppError> {
    let status = TrackingStatus::parse(status).ok_or(AppError::NotFound)?;
    let mut checks = Checks::new();
    let mut wanted = Vec::new();
    for (language, field, text) in [("nl", "text_nl", text_nl), ("en", "text_en", text_en)] {
        let text = text.trim();
        let own = if text.is_empty() || text == texts::builtin(status, language).text {
            None
        } else {
            if let Some(code) = texts::check_own_text(text) {
                checks.push(field, code);
            }
            Some(text)
        };
        wanted.push((language, own));
    }
    checks.finish()?;
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    for (language, own) in wanted {
        repo::save_override(&mut tx, status, language, own, user_id, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn unknown_codes(db: &Db) -> Result<Vec<UnknownCode>, AppError> {
    Ok(repo::unknown_codes(db)
        .await?
        .into_iter()
        .map(|r| UnknownCode {
            carrier: r.carrier,
            code: r.code,
            seen: r.seen,
            first_seen_local: local_time(r.first_seen_at.0),
            last_seen_local: local_time(r.last_seen_at.0),
        })
        .collect())
}

/// Makes (or replaces) the secret a carrier signs its webhooks with, and returns it.
pub async fn new_carrier_secret(db: &Db, carrier: &str, secret: &str) -> Result<(), AppError> {
    if !carriers::is_known_carrier(carrier) {
        return Err(AppError::invalid("carrier", "unknown_carrier"));
    }
    let mut tx = db.begin().await?;
    repo::set_carrier_secret(&mut tx, carrier, secret, Timestamp::now()).await?;
    tx.commit().await?;
    Ok(())
}
