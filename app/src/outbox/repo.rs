//! The SQL of the outbox.
use chrono::TimeDelta;

use crate::db::{Db, Timestamp, Tx};
use crate::{db_run, tx_run};

/// Adds a row to the outbox inside the caller's transaction.
pub async fn enqueue(
    tx: &mut Tx,
    kind: &str,
    payload: &str,
    now: Timestamp,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = tx_run!(tx, |conn| {
        sqlx::query_as(
            "INSERT INTO outbox (kind, payload, next_attempt_at, created_at) VALUES ($1, $2, $3, $3) RETURNING id",
        )
        .bind(kind)
        .bind(payload)
        .bind(now)
        .fetch_one(conn)
        .await
    })?;
    Ok(id)
}

/// Adds a mail inside the caller's transaction: it is sent only if the change commits.
pub async fn enqueue_mail(
    tx: &mut Tx,
    mail: &super::OutgoingMail,
    now: Timestamp,
) -> Result<i64, sqlx::Error> {
    let payload = serde_json::to_string(mail).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    enqueue(tx, super::KIND_MAIL, &payload, now).await
}

/// Adds a webhook event of `event_type` with `data` inside the caller's transaction, so
/// the back office hears of a change exactly when it is committed.
pub async fn enqueue_webhook(
    tx: &mut Tx,
    event_type: &str,
    data: serde_json::Value,
    now: Timestamp,
) -> Result<i64, sqlx::Error> {
    use rand::RngCore;
    let mut id = [0u8; 16];
    rand::rng().fill_bytes(&mut id);
    let event = super::WebhookEvent {
        id: format!("evt_{}", hex::encode(id)),
        event_type: event_type.to_string(),
        created_at: now.0.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        data,
    };
    let payload = serde_json::to_string(&event).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    enqueue(tx, super::KIND_WEBHOOK, &payload, now).await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxItem {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i32,
}

/// Claims up to `limit` due rows for `lease`: no other worker gets them until the lease
/// ends (a worker that dies mid-send releases its rows that way).
pub async fn claim_due(
    db: &Db,
    now: Timestamp,
    lease: TimeDelta,
    limit: i64,
) -> Result<Vec<OutboxItem>, sqlx::Error> {
    let until = now + lease;
    // SQLite has one writer at a time, so the UPDATE is atomic as it stands; on PostgreSQL
    // rows another worker is claiming right now are skipped, not waited for.
    let row_lock = match db {
        Db::Sqlite(_) => "",
        Db::Postgres(_) => "FOR UPDATE SKIP LOCKED",
    };
    let sql = format!(
        "UPDATE outbox SET locked_until = $1 \
         WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $2 \
                      AND (locked_until IS NULL OR locked_until <= $2) ORDER BY id LIMIT $3 {row_lock}) \
         RETURNING id, kind, payload, attempts"
    );
    db_run!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(until)
            .bind(now)
            .bind(limit)
            .fetch_all(pool)
            .await
    })
}

pub async fn mark_sent(db: &Db, id: i64, now: Timestamp) -> Result<(), sqlx::Error> {
    db_run!(db, |pool| {
        sqlx::query(
            "UPDATE outbox SET status = 'sent', sent_at = $2, locked_until = NULL, \
             attempts = attempts + 1, last_error = NULL WHERE id = $1",
        )
        .bind(id)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// Records a failed attempt: try again at `retry_at`, or give up (`None`).
pub async fn mark_attempt_failed(
    db: &Db,
    id: i64,
    error: &str,
    retry_at: Option<Timestamp>,
) -> Result<(), sqlx::Error> {
    let error: String = error.chars().take(1000).collect();
    db_run!(db, |pool| {
        sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, last_error = $2, locked_until = NULL, \
             status = CASE WHEN $3 IS NULL THEN 'failed' ELSE 'pending' END, \
             next_attempt_at = COALESCE($3, next_attempt_at) WHERE id = $1",
        )
        .bind(id)
        .bind(&error)
        .bind(retry_at)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// Status, attempts and last error of one row (for tests and the admin pages).
pub async fn status(db: &Db, id: i64) -> Result<(String, i32, Option<String>), sqlx::Error> {
    db_run!(db, |pool| {
        sqlx::query_as("SELECT status, attempts, last_error FROM outbox WHERE id = $1")
            .bind(id)
            .fetch_one(pool)
            .await
    })
}
