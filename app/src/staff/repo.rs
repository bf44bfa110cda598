//! The SQL of the staff area: which stores a staff member works at.
use crate::db::{Db, Tx};
use crate::{db_run, tx_run};

/// The stores a staff member works at (ids).
pub async fn staff_stores(db: &Db, user_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT store_id FROM staff_stores WHERE user_id = $1 ORDER BY store_id"
    )
    .bind(user_id)
    .fetch_all(pool)
    .await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Links a staff member to a store they work at (a second time changes nothing).
pub async fn add_staff_store(tx: &mut Tx, user_id: i64, store_id: i64) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "INSERT INTO staff_stores (user_id, store_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
    )
    .bind(user_id)
    .bind(store_id)
    .execute(conn)
    .await
    .map(|_| ()))
}
