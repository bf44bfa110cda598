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
    enqueue_in_order(tx, kind, payload, None, now).await
}

/// As [`enqueue`]; with a `subject`, the row goes out only after every older row of that
/// subject has (sent, or given up on).
pub async fn enqueue_in_order(
    tx: &mut Tx,
    kind: &str,
    payload: &str,
    subject: Option<&str>,
    now: Timestamp,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = tx_run!(tx, |conn| {
        sqlx::query_as(
            "INSERT INTO outbox (kind, payload, subject, next_attempt_at, created_at) VALUES ($1, $2, $4, $3, $3) RETURNING id",
        )
        .bind(kind)
        .bind(payload)
        .bind(now)
        .bind(subject)
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
/// the back office hears of a change exactly when it is committed. Events of one subject
/// (see [`subject_of`]) reach the back office in the order they were made.
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
    let subject = subject_of(&event.data);
    enqueue_in_order(tx, super::KIND_WEBHOOK, &payload, subject.as_deref(), now).await
}

/// What an event is about, for its order: the company when it names one (members,
/// order requests), else the customer (consent, erasure, cancellations, returns), else
/// the order (delivery changes). An event naming none goes out in no particular order.
pub fn subject_of(data: &serde_json::Value) -> Option<String> {
    ["company", "customer", "order"].iter().find_map(|key| {
        data.get(*key)
            .and_then(serde_json::Value::as_str)
            .filter(|value| !value.is_empty())
            .map(|value| format!("{key}:{value}"))
    })
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxItem {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i32,
    /// The claim this worker holds; only its holder may record the row as sent or failed.
    pub claim_token: String,
}

/// Claims up to `limit` due rows for `lease`: no other worker gets them until the lease
/// ends (a worker that dies mid-send releases its rows that way).
pub async fn claim_due(
    db: &Db,
    now: Timestamp,
    lease: TimeDelta,
    limit: i64,
) -> Result<Vec<OutboxItem>, sqlx::Error> {
    claim_due_except(db, now, lease, limit, None).await
}

/// As [`claim_due`], leaving rows of `skip_kind` where they are (mails wait in the outbox
/// while there is no way to send them).
pub async fn claim_due_except(
    db: &Db,
    now: Timestamp,
    lease: TimeDelta,
    limit: i64,
    skip_kind: Option<&str>,
) -> Result<Vec<OutboxItem>, sqlx::Error> {
    use rand::RngCore;
    let mut token = [0u8; 16];
    rand::rng().fill_bytes(&mut token);
    let token = hex::encode(token);
    let until = now + lease;
    // SQLite has one writer at a time, so the UPDATE is atomic as it stands; on PostgreSQL
    // rows another worker is claiming right now are skipped, not waited for. A row with a
    // subject waits while an older row of its subject is pending (claimed or not): events
    // of one subject go out one after the other, in order, whichever worker sends them.
    let row_lock = match db {
        Db::Sqlite(_) => "",
        Db::Postgres(_) => "FOR UPDATE SKIP LOCKED",
    };
    let sql = format!(
        "UPDATE outbox SET locked_until = $1, claim_token = $4 \
         WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $2 \
                      AND (locked_until IS NULL OR locked_until <= $2) AND kind <> $5 \
                      AND (subject IS NULL OR NOT EXISTS (SELECT 1 FROM outbox older \
                           WHERE older.subject = outbox.subject AND older.status = 'pending' \
                           AND older.id < outbox.id)) \
                      ORDER BY id LIMIT $3 {row_lock}) \
         RETURNING id, kind, payload, attempts, claim_token"
    );
    let mut claimed: Vec<OutboxItem> = db_run!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(until)
            .bind(now)
            .bind(limit)
            .bind(&token)
            .bind(skip_kind.unwrap_or(""))
            .fetch_all(pool)
            .await
    })?;
    // RETURNING gives no order; deliver oldest first.
    claimed.sort_by_key(|item| item.id);
    Ok(claimed)
}

/// What operators see of the outbox, per kind (for /metrics).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Figures {
    pub kind: String,
    /// Not sent yet (due, waiting for a retry, or being sent).
    pub waiting: i64,
    pub oldest_waiting: Option<Timestamp>,
    /// Given up on after every retry, and still kept (see `RETENTION_OUTBOX_DAYS`).
    pub given_up: i64,
}

/// The outbox's figures per kind, over every process.
pub async fn figures(db: &Db) -> Result<Vec<Figures>, sqlx::Error> {
    db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT kind, \
                    CAST(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) AS BIGINT) AS waiting, \
                    MIN(CASE WHEN status = 'pending' THEN created_at END) AS oldest_waiting, \
                    CAST(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS BIGINT) AS given_up \
             FROM outbox WHERE status IN ('pending', 'failed') GROUP BY kind",
        )
        .fetch_all(pool)
        .await
    })
}

/// Records a row as sent, if `item`'s claim still holds (false: the lease ran out and
/// another worker took the row over; it is theirs to record). A sent mail's payload is
/// blanked: it held links (password reset, verification) that must not outlive the mail.
pub async fn mark_sent(db: &Db, item: &OutboxItem, now: Timestamp) -> Result<bool, sqlx::Error> {
    let done = db_run!(db, |pool| {
        sqlx::query(
            "UPDATE outbox SET status = 'sent', sent_at = $2, locked_until = NULL, claim_token = NULL, \
             attempts = attempts + 1, last_error = NULL, \
             payload = CASE WHEN kind = $4 THEN '' ELSE payload END \
             WHERE id = $1 AND claim_token = $3 AND status = 'pending'",
        )
        .bind(item.id)
        .bind(now)
        .bind(&item.claim_token)
        .bind(super::KIND_MAIL)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(done == 1)
}

/// Gives rows back unsent (a worker running out of its lease): they are due again at once.
pub async fn release(db: &Db, items: &[OutboxItem]) -> Result<(), sqlx::Error> {
    for item in items {
        db_run!(db, |pool| {
            sqlx::query(
                "UPDATE outbox SET locked_until = NULL, claim_token = NULL \
                 WHERE id = $1 AND claim_token = $2",
            )
            .bind(item.id)
            .bind(&item.claim_token)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
    }
    Ok(())
}

/// Records a failed attempt of a claimed row: try again at `retry_at`, or give up
/// (`None`). Like [`mark_sent`], only while the claim holds.
pub async fn mark_attempt_failed(
    db: &Db,
    item: &OutboxItem,
    error: &str,
    retry_at: Option<Timestamp>,
) -> Result<(), sqlx::Error> {
    let error: String = error.chars().take(1000).collect();
    db_run!(db, |pool| {
        sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, last_error = $2, locked_until = NULL, \
             claim_token = NULL, status = CASE WHEN $3 IS NULL THEN 'failed' ELSE 'pending' END, \
             next_attempt_at = COALESCE($3, next_attempt_at) WHERE id = $1 AND claim_token = $4",
        )
        .bind(item.id)
        .bind(&error)
        .bind(retry_at)
        .bind(&item.claim_token)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// Removes rows sent or given up before `before` (the outbox is a queue, not an archive;
/// webhook payloads carry personal data).
pub async fn purge_finished(db: &Db, before: Timestamp) -> Result<u64, sqlx::Error> {
    db_run!(db, |pool| {
        sqlx::query(
            "DELETE FROM outbox WHERE status IN ('sent', 'failed') AND COALESCE(sent_at, created_at) < $1",
        )
        .bind(before)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
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

/// Erasure: mails not sent yet to any of `addresses` are dropped (nobody to write to any
/// more), and rows already sent or given up that name any of `traces` (addresses, name,
/// phone, card number, streets) keep no copy of their text. Webhooks still to go are
/// delivered: the back office must hear of the changes, and erase its own copy too.
pub async fn forget(
    tx: &mut Tx,
    addresses: &[String],
    traces: &[String],
) -> Result<(), sqlx::Error> {
    let pattern = |text: &str| format!("%{}%", text.replace(['\\', '%'], "").replace('_', "\\_"));
    for address in addresses.iter().filter(|a| !a.trim().is_empty()) {
        tx_run!(tx, |conn| sqlx::query(
            "DELETE FROM outbox WHERE kind = 'mail' AND status <> 'sent' \
             AND payload LIKE $1 ESCAPE '\\'"
        )
        .bind(pattern(address))
        .execute(conn)
        .await
        .map(|_| ()))?;
    }
    for trace in traces.iter().filter(|t| t.trim().len() >= 4) {
        tx_run!(tx, |conn| sqlx::query(
            "UPDATE outbox SET payload = '' WHERE status <> 'pending' \
             AND payload LIKE $1 ESCAPE '\\'"
        )
        .bind(pattern(trace))
        .execute(conn)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}
