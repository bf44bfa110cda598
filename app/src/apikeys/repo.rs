//! The SQL of API keys.
use crate::db::{Db, Timestamp};
use crate::db_run;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiKeyRow {
    pub id: i64,
    pub name: String,
    pub key_hash: String,
    pub scopes: String,
    pub revoked_at: Option<Timestamp>,
}

pub async fn insert(
    db: &Db,
    name: &str,
    prefix: &str,
    key_hash: &str,
    scopes: &str,
) -> Result<bool, sqlx::Error> {
    let now = Timestamp::now();
    let inserted: Option<(i64,)> = db_run!(db, |pool| {
        sqlx::query_as(
            "INSERT INTO api_keys (name, prefix, key_hash, scopes, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (name) DO NOTHING RETURNING id",
        )
        .bind(name)
        .bind(prefix)
        .bind(key_hash)
        .bind(scopes)
        .bind(now)
        .fetch_optional(pool)
        .await
    })?;
    Ok(inserted.is_some())
}

pub async fn find_by_prefix(db: &Db, prefix: &str) -> Result<Option<ApiKeyRow>, sqlx::Error> {
    db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT id, name, key_hash, scopes, revoked_at FROM api_keys WHERE prefix = $1",
        )
        .bind(prefix)
        .fetch_optional(pool)
        .await
    })
}

/// Revokes the key with this name; false when there is no such (unrevoked) key.
pub async fn revoke(db: &Db, name: &str) -> Result<bool, sqlx::Error> {
    let now = Timestamp::now();
    let affected = db_run!(db, |pool| {
        sqlx::query("UPDATE api_keys SET revoked_at = $2 WHERE name = $1 AND revoked_at IS NULL")
            .bind(name)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(affected > 0)
}

pub async fn touch(db: &Db, id: i64, now: Timestamp) -> Result<(), sqlx::Error> {
    db_run!(db, |pool| {
        sqlx::query("UPDATE api_keys SET last_used_at = $2 WHERE id = $1")
            .bind(id)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// A response kept for an `Idempotency-Key`: (request hash, status, body).
pub async fn find_idempotent_response(
    db: &Db,
    api_key_id: i64,
    key: &str,
) -> Result<Option<(String, i32, String)>, sqlx::Error> {
    db_run!(db, |pool| {
        sqlx::query_as(
        "SELECT request_hash, status, response_body FROM idempotency_keys WHERE api_key_id = $1 AND key = $2"
    )
    .bind(api_key_id)
    .bind(key)
    .fetch_optional(pool)
    .await
    })
}

/// Keeps a response for its `Idempotency-Key`; the first one kept wins.
pub async fn keep_idempotent_response(
    db: &Db,
    api_key_id: i64,
    key: &str,
    request_hash: &str,
    status: i32,
    body: &str,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    db_run!(db, |pool| {
        sqlx::query(
        "INSERT INTO idempotency_keys (api_key_id, key, request_hash, status, response_body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (api_key_id, key) DO NOTHING"
    )
    .bind(api_key_id)
    .bind(key)
    .bind(request_hash)
    .bind(status)
    .bind(body)
    .bind(now)
    .execute(pool)
    .await
    .map(|_| ())
    })
}

/// Forgets idempotency keys older than `before`.
pub async fn purge_idempotency_keys(db: &Db, before: Timestamp) -> Result<u64, sqlx::Error> {
    db_run!(db, |pool| sqlx::query(
        "DELETE FROM idempotency_keys WHERE created_at < $1"
    )
    .bind(before)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))
}
