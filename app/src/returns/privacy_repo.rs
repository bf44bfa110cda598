//! The returns on a customer's orders as a data export writes them (`privacy::export`)
//! and what erasure removes of them (`privacy::erasure`);
//! the field names are the export's columns, amounts as decimal text.
use serde::Serialize;

use crate::db::{Db, Timestamp, Tx, minor_as_decimal};
use crate::{db_run, tx_run};

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct ReturnRow {
    #[serde(skip)]
    pub id: i64,
    pub code: String,
    pub order_number: String,
    pub status: String,
    pub method: String,
    pub resolution: String,
    pub currency: String,
    #[serde(serialize_with = "minor_as_decimal")]
    pub refund: i64,
    #[serde(serialize_with = "minor_as_decimal")]
    pub cost: i64,
    pub refund_to: Option<String>,
    pub started_in: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Returns on the customer's orders with an id after `after`, at most `limit`.
pub async fn returns(
    db: &Db,
    customer_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<ReturnRow>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT r.id, r.code, o.number AS order_number, r.status, r.method, r.resolution, \
                r.currency, r.refund_minor AS refund, r.cost_minor AS cost, r.refund_to, \
                r.started_in, r.created_at, r.updated_at \
         FROM returns r JOIN orders o ON o.id = r.order_id \
         WHERE o.customer_id = $1 AND r.id > $2 ORDER BY r.id LIMIT $3"
    )
    .bind(customer_id)
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await)
}

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct ReturnLineRow {
    /// The return's id: lines come a page of returns at a time.
    #[serde(skip)]
    pub return_id: i64,
    pub return_code: String,
    /// The order line it returns.
    pub line_no: i32,
    pub quantity: i32,
    pub reason: String,
    pub note: Option<String>,
    pub exchange_for: Option<String>,
    pub outcome: Option<String>,
    pub outcome_reason: Option<String>,
}

/// Every line of the next `limit` returns (on the customer's orders) after id `after`.
pub async fn return_lines(
    db: &Db,
    customer_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<ReturnLineRow>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT l.return_id, r.code AS return_code, l.line_no, l.quantity, l.reason, l.note, \
                l.exchange_for, l.outcome, l.outcome_reason \
         FROM return_lines l JOIN returns r ON r.id = l.return_id \
         WHERE l.return_id IN (SELECT r2.id FROM returns r2 JOIN orders o ON o.id = r2.order_id \
                               WHERE o.customer_id = $1 AND r2.id > $2 ORDER BY r2.id LIMIT $3) \
         ORDER BY l.return_id, l.line_no"
    )
    .bind(customer_id)
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await)
}

/// Codes of returns on the customer's orders that are not settled yet (they hold an
/// erasure back).
pub async fn open_returns(db: &Db, customer_id: i64) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT r.code FROM returns r JOIN orders o ON o.id = r.order_id \
         WHERE o.customer_id = $1 \
         AND r.status NOT IN ('refunded', 'exchanged', 'credited', 'cancelled') \
         ORDER BY r.created_at, r.id"
    )
    .bind(customer_id)
    .fetch_all(pool)
    .await)?;
    Ok(rows.into_iter().map(|(c,)| c).collect())
}

/// Erasure: the photos, the customer's notes and where the refund went, of the returns
/// on the customer's orders (the returns themselves stay with the kept orders).
pub async fn erase(tx: &mut Tx, customer_id: i64) -> Result<(), sqlx::Error> {
    const HERS: &str = "SELECT r.id FROM returns r JOIN orders o ON o.id = r.order_id \
                        WHERE o.customer_id = $1";
    for sql in [
        format!("DELETE FROM return_photos WHERE return_id IN ({HERS})"),
        format!("UPDATE return_lines SET note = NULL WHERE return_id IN ({HERS})"),
        format!(
            "UPDATE returns SET refund_to = NULL, customer_id = NULL, started_by = NULL WHERE id IN ({HERS})"
        ),
    ] {
        tx_run!(tx, |conn| sqlx::query(&sql)
            .bind(customer_id)
            .execute(conn)
            .await
            .map(|_| ()))?;
    }
    Ok(())
}
