//! The SQL of the loyalty area: the record of card links and receipt claims.
use crate::db::{Db, Timestamp};
use crate::db_run;

pub const KIND_CARD: &str = "loyalty_card";
pub const KIND_RECEIPT: &str = "receipt";

/// Records one try at linking a card or claiming a receipt, and how it ended.
pub async fn record_claim(
    db: &Db,
    user_id: i64,
    kind: &str,
    number: &str,
    ip: &str,
    outcome: &str,
    at: Timestamp,
) -> Result<(), sqlx::Error> {
    db_run!(db, |pool| {
        sqlx::query(
            "INSERT INTO claim_attempts (user_id, kind, number, ip, outcome, attempted_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(user_id)
        .bind(kind)
        .bind(number)
        .bind(ip)
        .bind(outcome)
        .bind(at)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// Removes the record of tries made before `before`.
pub async fn purge_claims(db: &Db, before: Timestamp) -> Result<u64, sqlx::Error> {
    db_run!(db, |pool| {
        sqlx::query("DELETE FROM claim_attempts WHERE attempted_at < $1")
            .bind(before)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
    })
}
