//! The SQL of reorder requests.
use super::{Reorder, ReorderLine, ReorderStatus};
use crate::db::{Db, Timestamp, Tx};
use crate::{db_run, tx_run};

#[derive(sqlx::FromRow)]
struct RequestRow {
    id: i64,
    customer: Option<String>,
    note: Option<String>,
    status: String,
    new_order_number: Option<String>,
    decision_note: Option<String>,
    requested_at: Timestamp,
    decided_at: Option<Timestamp>,
}

pub struct NewRequest<'a> {
    pub order_id: i64,
    pub customer_id: i64,
    pub user_id: i64,
    pub note: Option<&'a str>,
    pub lines: &'a [ReorderLine],
}

/// Stores a request with its lines.
pub async fn insert(tx: &mut Tx, r: &NewRequest<'_>, now: Timestamp) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = tx_run!(tx, |conn| {
        sqlx::query_as(
        "INSERT INTO reorder_requests (order_id, customer_id, requested_by, note, status, requested_at) \
         VALUES ($1, $2, $3, $4, 'requested', $5) RETURNING id"
    )
    .bind(r.order_id)
    .bind(r.customer_id)
    .bind(r.user_id)
    .bind(r.note)
    .bind(now)
    .fetch_one(conn)
    .await
    })?;
    for (i, line) in r.lines.iter().enumerate() {
        tx_run!(tx, |conn| sqlx::query(
            "INSERT INTO reorder_request_lines (request_id, line_no, sku, name, quantity) \
             VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(id)
        .bind(i as i32 + 1)
        .bind(&line.sku)
        .bind(&line.name)
        .bind(line.quantity)
        .execute(conn)
        .await
        .map(|_| ()))?;
    }
    Ok(id)
}

const SELECT_REQUEST: &str = "SELECT r.id, c.external_id AS customer, r.note, r.status, \
     r.new_order_number, r.decision_note, r.requested_at, r.decided_at \
     FROM reorder_requests r LEFT JOIN customers c ON c.id = r.customer_id";

async fn complete(db: &Db, order_number: &str, r: RequestRow) -> Result<Reorder, sqlx::Error> {
    let lines: Vec<(String, String, i32)> = db_run!(db, |pool| {
        sqlx::query_as(
        "SELECT sku, name, quantity FROM reorder_request_lines WHERE request_id = $1 ORDER BY line_no"
    )
    .bind(r.id)
    .fetch_all(pool)
    .await
    })?;
    Ok(Reorder {
        id: r.id,
        order: order_number.to_string(),
        status: ReorderStatus::parse(&r.status).unwrap_or(ReorderStatus::Requested),
        customer: r.customer,
        note: r.note,
        lines: lines
            .into_iter()
            .map(|(sku, name, quantity)| ReorderLine {
                sku,
                name,
                quantity,
            })
            .collect(),
        new_order: r.new_order_number,
        decision_note: r.decision_note,
        requested_at: r.requested_at.0,
        decided_at: r.decided_at.map(|t| t.0),
    })
}

/// The order's requests, newest first; at most `limit`.
pub async fn for_order(
    db: &Db,
    order_id: i64,
    order_number: &str,
    limit: i64,
) -> Result<Vec<Reorder>, sqlx::Error> {
    let sql = format!(
        "{SELECT_REQUEST} WHERE r.order_id = $1 ORDER BY r.requested_at DESC, r.id DESC LIMIT $2"
    );
    let rows: Vec<RequestRow> = db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(order_id)
        .bind(limit)
        .fetch_all(pool)
        .await)?;
    let mut found = Vec::with_capacity(rows.len());
    for r in rows {
        found.push(complete(db, order_number, r).await?);
    }
    Ok(found)
}

/// One request of the order (an order has a handful at most).
pub async fn find(
    db: &Db,
    order_id: i64,
    order_number: &str,
    request_id: i64,
) -> Result<Option<Reorder>, sqlx::Error> {
    let all = for_order(db, order_id, order_number, 1000).await?;
    Ok(all.into_iter().find(|r| r.id == request_id))
}

/// The table of the requests (answered through `decisions::record_answer`).
pub const TABLE: &str = "reorder_requests";

/// Erasure: what the customer wrote with a reorder of this order, and the answer.
pub async fn erase_notes(tx: &mut Tx, order_id: i64) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE reorder_requests SET note = NULL, decision_note = NULL WHERE order_id = $1"
    )
    .bind(order_id)
    .execute(conn)
    .await
    .map(|_| ()))
}

/// A customer's newest reorder requests, for customer service: (order number, status,
/// asked at), at most `limit`.
pub async fn of_customer(
    db: &Db,
    customer_id: i64,
    limit: i64,
) -> Result<Vec<(String, String, Timestamp)>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT o.number, r.status, r.requested_at FROM reorder_requests r \
         JOIN orders o ON o.id = r.order_id WHERE r.customer_id = $1 \
         ORDER BY r.requested_at DESC, r.id DESC LIMIT $2"
    )
    .bind(customer_id)
    .bind(limit)
    .fetch_all(pool)
    .await)
}
