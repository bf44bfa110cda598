//! The SQL of the help a customer allows customer service (`help_permissions`): the
//! privacy page writes it (`privacy::help`), and "who is asking" reads it on every request
//! of an agent acting for the customer, so a withdrawn permission ends the help at once.
use crate::db::{Db, Timestamp, Tx};
use crate::{db_run, tx_run};

/// The help a customer allows at `now`: (may change, until).
pub async fn help_now(
    db: &Db,
    customer_id: i64,
    now: Timestamp,
) -> Result<Option<(bool, Timestamp)>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT may_change, expires_at FROM help_permissions \
         WHERE customer_id = $1 AND ended_at IS NULL AND expires_at > $2 \
         ORDER BY id DESC LIMIT 1"
    )
    .bind(customer_id)
    .bind(now)
    .fetch_optional(pool)
    .await)
}

/// Ends the help a customer allows now (withdrawn, or replaced).
pub async fn end_help(tx: &mut Tx, customer_id: i64, now: Timestamp) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE help_permissions SET ended_at = $2 \
         WHERE customer_id = $1 AND ended_at IS NULL AND expires_at > $2"
    )
    .bind(customer_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ()))
}

/// Records help allowed from `now` until `until`.
pub async fn allow_help(
    tx: &mut Tx,
    customer_id: i64,
    may_change: bool,
    now: Timestamp,
    until: Timestamp,
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "INSERT INTO help_permissions (customer_id, may_change, granted_at, expires_at) \
         VALUES ($1, $2, $3, $4)"
    )
    .bind(customer_id)
    .bind(may_change)
    .bind(now)
    .bind(until)
    .execute(conn)
    .await
    .map(|_| ()))
}

/// The login of a customer (their user id), if they have one.
pub async fn user_of(db: &Db, customer_id: i64) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(Option<i64>,)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT user_id FROM customers WHERE id = $1"
    )
    .bind(customer_id)
    .fetch_optional(pool)
    .await)?;
    Ok(row.and_then(|r| r.0))
}
