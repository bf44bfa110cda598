//! The SQL of data exports: the request and its progress, the ZIP's parts, downloads.
use chrono::TimeDelta;

use crate::db::{Db, Timestamp, Tx, none_if_taken};
use crate::{db_run, tx_run};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportRow {
    pub id: i64,
    pub code: String,
    pub customer_id: i64,
    pub user_id: i64,
    pub language: String,
    pub status: String,
    pub steps_done: i32,
    pub steps_total: i32,
    pub attempts: i32,
    pub parts: i32,
    pub size_bytes: Option<i64>,
    pub requested_at: Timestamp,
    pub ready_at: Option<Timestamp>,
    pub expires_at: Option<Timestamp>,
}

const COLUMNS: &str = "id, code, customer_id, user_id, language, status, steps_done, steps_total, \
                       attempts, parts, size_bytes, requested_at, ready_at, expires_at";

/// The customer's newest export, if any.
pub async fn newest(db: &Db, customer_id: i64) -> Result<Option<ExportRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM data_exports WHERE customer_id = $1 ORDER BY id DESC LIMIT 1"
    );
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(customer_id)
        .fetch_optional(pool)
        .await)
}

pub async fn by_code(db: &Db, code: &str) -> Result<Option<ExportRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM data_exports WHERE code = $1");
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(code)
        .fetch_optional(pool)
        .await)
}

/// A new export request; `None` when one is already queued or building for the customer.
pub async fn insert(
    db: &Db,
    code: &str,
    customer_id: i64,
    user_id: i64,
    language: &str,
    now: Timestamp,
) -> Result<Option<i64>, sqlx::Error> {
    none_if_taken(db_run!(db, |pool| {
        sqlx::query_as::<_, (i64,)>(
            "INSERT INTO data_exports (code, customer_id, user_id, language, status, requested_at) \
             VALUES ($1, $2, $3, $4, 'queued', $5) RETURNING id",
        )
        .bind(code)
        .bind(customer_id)
        .bind(user_id)
        .bind(language)
        .bind(now)
        .fetch_one(pool)
        .await
        .map(|(id,)| id)
    }))
}

/// Claims the oldest export waiting to be built (or one whose builder's lease ran out)
/// for `lease` under `token`; safe with several server processes.
pub async fn claim(
    db: &Db,
    now: Timestamp,
    lease: TimeDelta,
    token: &str,
) -> Result<Option<ExportRow>, sqlx::Error> {
    let row_lock = match db {
        Db::Sqlite(_) => "",
        Db::Postgres(_) => "FOR UPDATE SKIP LOCKED",
    };
    let sql = format!(
        "UPDATE data_exports SET status = 'building', locked_until = $1, claim_token = $3, \
                attempts = attempts + 1, steps_done = 0 \
         WHERE id IN (SELECT id FROM data_exports \
                      WHERE status = 'queued' OR (status = 'building' AND locked_until <= $2) \
                      ORDER BY id LIMIT 1 {row_lock}) \
         RETURNING {COLUMNS}"
    );
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(now + lease)
        .bind(now)
        .bind(token)
        .fetch_optional(pool)
        .await)
}

/// Records how far the build is, while the claim holds.
pub async fn progress(
    db: &Db,
    id: i64,
    token: &str,
    done: i32,
    total: i32,
) -> Result<(), sqlx::Error> {
    db_run!(db, |pool| sqlx::query(
        "UPDATE data_exports SET steps_done = $3, steps_total = $4 \
         WHERE id = $1 AND claim_token = $2"
    )
    .bind(id)
    .bind(token)
    .bind(done)
    .bind(total)
    .execute(pool)
    .await
    .map(|_| ()))
}

/// Removes parts a build left behind (it stopped before it was done).
pub async fn clear_parts(db: &Db, id: i64) -> Result<(), sqlx::Error> {
    db_run!(db, |pool| sqlx::query(
        "DELETE FROM data_export_parts WHERE export_id = $1"
    )
    .bind(id)
    .execute(pool)
    .await
    .map(|_| ()))
}

pub async fn add_part(db: &Db, id: i64, seq: i32, bytes: &[u8]) -> Result<(), sqlx::Error> {
    db_run!(db, |pool| sqlx::query(
        "INSERT INTO data_export_parts (export_id, seq, bytes) VALUES ($1, $2, $3)"
    )
    .bind(id)
    .bind(seq)
    .bind(bytes)
    .execute(pool)
    .await
    .map(|_| ()))
}

/// Marks the export ready inside the caller's transaction (with its mail), if the claim
/// still holds; false when another worker took it over.
pub async fn mark_ready(
    tx: &mut Tx,
    id: i64,
    token: &str,
    parts: i32,
    size: i64,
    now: Timestamp,
    expires: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = tx_run!(tx, |conn| sqlx::query(
        "UPDATE data_exports SET status = 'ready', parts = $3, size_bytes = $4, ready_at = $5, \
                expires_at = $6, steps_done = steps_total, locked_until = NULL, \
                claim_token = NULL, last_error = NULL \
         WHERE id = $1 AND claim_token = $2 AND status = 'building'"
    )
    .bind(id)
    .bind(token)
    .bind(parts)
    .bind(size)
    .bind(now)
    .bind(expires)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// A build that went wrong: back in the queue (after the lease), or `failed` for good.
pub async fn mark_failed(
    db: &Db,
    id: i64,
    token: &str,
    error: &str,
    give_up: bool,
    retry_at: Timestamp,
) -> Result<(), sqlx::Error> {
    let status = if give_up { "failed" } else { "building" };
    db_run!(db, |pool| sqlx::query(
        "UPDATE data_exports SET status = $3, last_error = $4, locked_until = $5, \
                claim_token = NULL \
         WHERE id = $1 AND claim_token = $2"
    )
    .bind(id)
    .bind(token)
    .bind(status)
    .bind(error)
    .bind(retry_at)
    .execute(pool)
    .await
    .map(|_| ()))
}

/// One part of the ZIP.
pub async fn part(db: &Db, id: i64, seq: i32) -> Result<Option<Vec<u8>>, sqlx::Error> {
    let row: Option<(Vec<u8>,)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT bytes FROM data_export_parts WHERE export_id = $1 AND seq = $2"
    )
    .bind(id)
    .bind(seq)
    .fetch_optional(pool)
    .await)?;
    Ok(row.map(|(bytes,)| bytes))
}

pub async fn record_download(
    db: &Db,
    id: i64,
    user_id: i64,
    ip: &str,
    user_agent: Option<&str>,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    db_run!(db, |pool| sqlx::query(
        "INSERT INTO data_export_downloads (export_id, user_id, ip, user_agent, downloaded_at) \
         VALUES ($1, $2, $3, $4, $5)"
    )
    .bind(id)
    .bind(user_id)
    .bind(ip)
    .bind(user_agent)
    .bind(now)
    .execute(pool)
    .await
    .map(|_| ()))
}

pub async fn downloads(db: &Db, id: i64) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = db_run!(db, |pool| sqlx::query_as(
        "SELECT COUNT(*) FROM data_export_downloads WHERE export_id = $1"
    )
    .bind(id)
    .fetch_one(pool)
    .await)?;
    Ok(n)
}

/// How often each of these exports was downloaded (those never downloaded are left out),
/// in one query.
pub async fn downloads_of(
    db: &Db,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, i64>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let list = crate::db::id_list(ids);
    let sql = format!(
        "SELECT export_id, COUNT(*) FROM data_export_downloads \
         WHERE export_id IN ({list}) GROUP BY export_id"
    );
    let rows: Vec<(i64, i64)> = db_run!(db, |pool| sqlx::query_as(&sql).fetch_all(pool).await)?;
    Ok(rows.into_iter().collect())
}

/// Ready exports past their date become `expired` and lose their file. How many.
pub async fn expire(db: &Db, now: Timestamp) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin().await?;
    tx_run!(&mut tx, |conn| sqlx::query(
        "DELETE FROM data_export_parts WHERE export_id IN \
         (SELECT id FROM data_exports WHERE status = 'ready' AND expires_at <= $1)"
    )
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ()))?;
    let done = tx_run!(&mut tx, |conn| sqlx::query(
        "UPDATE data_exports SET status = 'expired' WHERE status = 'ready' AND expires_at <= $1"
    )
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    tx.commit().await?;
    Ok(done)
}

/// The newest exports, for the admin's queue: code, status, when asked, when ready,
/// attempts, size.
pub async fn recent(db: &Db, limit: i64) -> Result<Vec<ExportRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM data_exports ORDER BY id DESC LIMIT $1");
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(limit)
        .fetch_all(pool)
        .await)
}
