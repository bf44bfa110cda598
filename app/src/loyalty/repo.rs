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

/// A try at linking a card or claiming a receipt, as a data export writes it.
#[derive(Debug, serde::Serialize, sqlx::FromRow)]
pub struct ClaimExportRow {
    #[serde(skip)]
    pub id: i64,
    /// `loyalty_card` or `receipt`.
    pub kind: String,
    pub number: String,
    pub outcome: String,
    pub ip: String,
    pub attempted_at: Timestamp,
}

/// The user's tries with an id after `after`, at most `limit`, oldest first.
pub async fn export_claims(
    db: &Db,
    user_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<ClaimExportRow>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT id, kind, number, outcome, ip, attempted_at FROM claim_attempts \
         WHERE user_id = $1 AND id > $2 ORDER BY id LIMIT $3"
    )
    .bind(user_id)
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await)
}
