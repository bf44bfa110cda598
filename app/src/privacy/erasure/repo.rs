//! The SQL of erasure requests.
use crate::db::{Db, Timestamp, Tx, none_if_taken};
use crate::{db_run, tx_run};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub customer_id: Option<i64>,
    pub user_id: Option<i64>,
    pub language: String,
    pub status: String,
    pub token_expires_at: Option<Timestamp>,
    pub requested_at: Timestamp,
    pub confirmed_at: Option<Timestamp>,
    pub erase_after: Option<Timestamp>,
    pub cancelled_at: Option<Timestamp>,
}

const COLUMNS: &str = "id, customer_id, user_id, language, status, token_expires_at, \
                       requested_at, confirmed_at, erase_after, cancelled_at";

/// The customer's newest request, if any.
pub async fn newest(db: &Db, customer_id: i64) -> Result<Option<RequestRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM erasure_requests WHERE customer_id = $1 ORDER BY id DESC LIMIT 1"
    );
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(customer_id)
        .fetch_optional(pool)
        .await)
}

pub async fn by_token_hash(db: &Db, hash: &str) -> Result<Option<RequestRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM erasure_requests WHERE token_hash = $1");
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(hash)
        .fetch_optional(pool)
        .await)
}

/// A new request inside the caller's transaction (with its mail); `None` when one is
/// already open for the customer.
pub async fn insert(
    tx: &mut Tx,
    customer_id: i64,
    user_id: i64,
    language: &str,
    token_hash: &str,
    token_expires_at: Timestamp,
    now: Timestamp,
) -> Result<Option<i64>, sqlx::Error> {
    none_if_taken(tx_run!(tx, |conn| {
        sqlx::query_as::<_, (i64,)>(
            "INSERT INTO erasure_requests (customer_id, user_id, language, status, token_hash, \
                                           token_expires_at, requested_at) \
             VALUES ($1, $2, $3, 'awaiting_confirmation', $4, $5, $6) RETURNING id",
        )
        .bind(customer_id)
        .bind(user_id)
        .bind(language)
        .bind(token_hash)
        .bind(token_expires_at)
        .bind(now)
        .fetch_one(conn)
        .await
        .map(|(id,)| id)
    }))
}

/// Confirmed: the cooling-off period runs until `erase_after`; the link is used up.
pub async fn confirm(
    tx: &mut Tx,
    id: i64,
    now: Timestamp,
    erase_after: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = tx_run!(tx, |conn| sqlx::query(
        "UPDATE erasure_requests SET status = 'cooling_off', confirmed_at = $2, \
                erase_after = $3, token_hash = NULL, token_expires_at = NULL \
         WHERE id = $1 AND status = 'awaiting_confirmation'"
    )
    .bind(id)
    .bind(now)
    .bind(erase_after)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// Cancels the customer's open request; false when there is none.
pub async fn cancel(db: &Db, customer_id: i64, now: Timestamp) -> Result<bool, sqlx::Error> {
    let done = db_run!(db, |pool| sqlx::query(
        "UPDATE erasure_requests SET status = 'cancelled', cancelled_at = $2, \
                token_hash = NULL, token_expires_at = NULL \
         WHERE customer_id = $1 AND status IN ('awaiting_confirmation', 'cooling_off')"
    )
    .bind(customer_id)
    .bind(now)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(done > 0)
}

/// Requests whose cooling-off period has ended at `now`, oldest first.
pub async fn due(db: &Db, now: Timestamp) -> Result<Vec<RequestRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM erasure_requests \
         WHERE status = 'cooling_off' AND erase_after <= $1 ORDER BY id"
    );
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(now)
        .fetch_all(pool)
        .await)
}

/// Done: the request keeps no link to anyone, only its dates.
pub async fn complete(tx: &mut Tx, id: i64, now: Timestamp) -> Result<bool, sqlx::Error> {
    let done = tx_run!(tx, |conn| sqlx::query(
        "UPDATE erasure_requests SET status = 'completed', completed_at = $2, \
                customer_id = NULL, user_id = NULL \
         WHERE id = $1 AND status = 'cooling_off'"
    )
    .bind(id)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// Requests per status, for the admin's queue (no personal data).
pub async fn counts(db: &Db) -> Result<Vec<(String, i64)>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT status, COUNT(*) FROM erasure_requests GROUP BY status ORDER BY status"
    )
    .fetch_all(pool)
    .await)
}

/// The newest requests, for the admin's queue.
pub async fn recent(db: &Db, limit: i64) -> Result<Vec<RequestRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM erasure_requests ORDER BY id DESC LIMIT $1");
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(limit)
        .fetch_all(pool)
        .await)
}
