//! The SQL of the photos of damage on return lines.
use crate::db::{Db, Timestamp, Tx};
use crate::{db_run, tx_run};

/// A stored photo of a return line.
pub struct NewPhoto<'a> {
    pub return_id: i64,
    pub line_no: i32,
    pub jpeg: &'a [u8],
    pub width: i32,
    pub height: i32,
    pub uploaded_by: Option<i64>,
}

pub async fn insert_photo(
    tx: &mut Tx,
    p: &NewPhoto<'_>,
    now: Timestamp,
) -> Result<i64, sqlx::Error> {
    tx_run!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO return_photos (return_id, line_no, content_type, width, height, bytes, uploaded_by, uploaded_at) \
             VALUES ($1, $2, 'image/jpeg', $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(p.return_id)
        .bind(p.line_no)
        .bind(p.width)
        .bind(p.height)
        .bind(p.jpeg)
        .bind(p.uploaded_by)
        .bind(now)
        .fetch_one(conn)
        .await
    })
}

/// Photos of a line so far, counted inside the transaction that adds one.
pub async fn photo_count(tx: &mut Tx, return_id: i64, line_no: i32) -> Result<i64, sqlx::Error> {
    tx_run!(tx, |conn| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM return_photos WHERE return_id = $1 AND line_no = $2",
        )
        .bind(return_id)
        .bind(line_no)
        .fetch_one(conn)
        .await
    })
}

/// A photo's JPEG bytes, if it belongs to this return.
pub async fn photo(db: &Db, return_id: i64, id: i64) -> Result<Option<Vec<u8>>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_scalar(
        "SELECT bytes FROM return_photos WHERE return_id = $1 AND id = $2"
    )
    .bind(return_id)
    .bind(id)
    .fetch_optional(pool)
    .await)
}

/// Removes a photo of this return; false when there was none.
pub async fn delete_photo(tx: &mut Tx, return_id: i64, id: i64) -> Result<bool, sqlx::Error> {
    tx_run!(tx, |conn| {
        sqlx::query("DELETE FROM return_photos WHERE return_id = $1 AND id = $2")
            .bind(return_id)
            .bind(id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected() == 1)
    })
}

/// Removes the photos of returns settled (refunded, exchanged, credited or cancelled)
/// before `before`: the damage is judged and paid for; how many went.
pub async fn purge_of_settled(db: &Db, before: Timestamp) -> Result<u64, sqlx::Error> {
    db_run!(db, |pool| {
        sqlx::query(
            "DELETE FROM return_photos WHERE return_id IN (SELECT r.id FROM returns r \
             WHERE r.status IN ('refunded', 'exchanged', 'credited', 'cancelled') AND r.updated_at < $1)",
        )
        .bind(before)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
    })
}
