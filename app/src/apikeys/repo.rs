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
