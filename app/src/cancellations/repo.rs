//! The SQL of cancellation requests.
use super::{Cancellation, CancellationLine, CancellationStatus};
use crate::db::{Db, Timestamp, Tx};
use crate::{db_run, tx_run};

#[derive(sqlx::FromRow)]
struct RequestRow {
    id: i64,
    reason: String,
    note: Option<String>,
    whole_order: bool,
    status: String,
    decision_note: Option<String>,
    requested_at: Timestamp,
    decided_at: Option<Timestamp>,
}

/// Whether the order has a request the back office has not answered yet.
pub async fn has_open(db: &Db, order_id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<(i64,)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT id FROM cancellation_requests WHERE order_id = $1 AND status = 'requested'"
    )
    .bind(order_id)
    .fetch_optional(pool)
    .await)?;
    Ok(found.is_some())
}

pub struct NewRequest<'a> {
    pub order_id: i64,
    pub user_id: i64,
    pub reason: &'a str,
    pub note: Option<&'a str>,
    pub whole_order: bool,
    /// (order line number, quantity)
    pub lines: &'a [(i32, i32)],
}

/// Stores a request with its lines; `Ok(None)` when the order already has an open one
/// (the partial unique index decides, so two clicks at once give one request).
pub async fn insert(
    tx: &mut Tx,
    r: &NewRequest<'_>,
    now: Timestamp,
) -> Result<Option<i64>, sqlx::Error> {
    let inserted: Result<(i64,), sqlx::Error> = tx_run!(tx, |conn| {
        sqlx::query_as(
        "INSERT INTO cancellation_requests (order_id, requested_by, reason, note, whole_order, status, requested_at) \
         VALUES ($1, $2, $3, $4, $5, 'requested', $6) RETURNING id"
    )
    .bind(r.order_id)
    .bind(r.user_id)
    .bind(r.reason)
    .bind(r.note)
    .bind(r.whole_order)
    .bind(now)
    .fetch_one(conn)
    .await
    });
    let Some((id,)) = crate::db::none_if_taken(inserted)? else {
        return Ok(None);
    };
    for &(line_no, quantity) in r.lines {
        tx_run!(tx, |conn| {
            sqlx::query(
            "INSERT INTO cancellation_request_lines (request_id, line_no, quantity) VALUES ($1, $2, $3)"
        )
        .bind(id)
        .bind(line_no)
        .bind(quantity)
        .execute(conn)
        .await
        .map(|_| ())
        })?;
    }
    Ok(Some(id))
}

const SELECT_REQUEST: &str = "SELECT id, reason, note, whole_order, status, decision_note, requested_at, decided_at \
     FROM cancellation_requests";

async fn lines_of(db: &Db, request_id: i64) -> Result<Vec<CancellationLine>, sqlx::Error> {
    let rows: Vec<(i32, String, String, i32)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT l.line_no, ol.sku, ol.name, l.quantity FROM cancellation_request_lines l \
         JOIN cancellation_requests r ON r.id = l.request_id \
         JOIN order_lines ol ON ol.order_id = r.order_id AND ol.line_no = l.line_no \
         WHERE l.request_id = $1 ORDER BY l.line_no"
    )
    .bind(request_id)
    .fetch_all(pool)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(line, sku, name, quantity)| CancellationLine {
            line,
            sku,
            name,
            quantity,
        })
        .collect())
}

async fn complete(db: &Db, order_number: &str, r: RequestRow) -> Result<Cancellation, sqlx::Error> {
    let lines = lines_of(db, r.id).await?;
    Ok(Cancellation {
        id: r.id,
        order: order_number.to_string(),
        status: CancellationStatus::parse(&r.status).unwrap_or(CancellationStatus::Requested),
        reason: r.reason,
        note: r.note,
        whole_order: r.whole_order,
        lines,
        requested_at: r.requested_at.0,
        decided_at: r.decided_at.map(|t| t.0),
        decision_note: r.decision_note,
    })
}

/// Every request on the order, newest first.
pub async fn for_order(
    db: &Db,
    order_id: i64,
    order_number: &str,
) -> Result<Vec<Cancellation>, sqlx::Error> {
    let sql = format!("{SELECT_REQUEST} WHERE order_id = $1 ORDER BY requested_at DESC, id DESC");
    let rows: Vec<RequestRow> = db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(order_id)
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
) -> Result<Option<Cancellation>, sqlx::Error> {
    let all = for_order(db, order_id, order_number).await?;
    Ok(all.into_iter().find(|c| c.id == request_id))
}

/// The table of the requests (answered through `decisions::record_answer`).
pub const TABLE: &str = "cancellation_requests";

/// Adds the request's quantities to the lines' cancelled quantities; returns whether every
/// line of the order is now wholly cancelled.
pub async fn apply_to_lines(
    tx: &mut Tx,
    order_id: i64,
    request_id: i64,
) -> Result<bool, sqlx::Error> {
    tx_run!(tx, |conn| {
        sqlx::query(
        "UPDATE order_lines SET cancelled_quantity = \
           CASE WHEN order_lines.cancelled_quantity + l.quantity > order_lines.quantity THEN order_lines.quantity \
                ELSE order_lines.cancelled_quantity + l.quantity END \
         FROM cancellation_request_lines l \
         WHERE l.request_id = $2 AND order_lines.order_id = $1 AND order_lines.line_no = l.line_no"
    )
    .bind(order_id)
    .bind(request_id)
    .execute(conn)
    .await
    .map(|_| ())
    })?;
    let (left,): (i64,) = tx_run!(tx, |conn| sqlx::query_as(
        "SELECT count(*) FROM order_lines WHERE order_id = $1 AND cancelled_quantity < quantity"
    )
    .bind(order_id)
    .fetch_one(conn)
    .await)?;
    Ok(left == 0)
}

/// Erasure: what the customer wrote with a cancellation of this order, and the answer.
pub async fn erase_notes(tx: &mut Tx, order_id: i64) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE cancellation_requests SET note = NULL, decision_note = NULL WHERE order_id = $1"
    )
    .bind(order_id)
    .execute(conn)
    .await
    .map(|_| ()))
}

/// A customer's newest cancellation requests, for customer service: (order number,
/// status, asked at), at most `limit`.
pub async fn of_customer(
    db: &Db,
    customer_id: i64,
    limit: i64,
) -> Result<Vec<(String, String, Timestamp)>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT o.number, c.status, c.requested_at FROM cancellation_requests c \
         JOIN orders o ON o.id = c.order_id WHERE o.customer_id = $1 \
         ORDER BY c.requested_at DESC, c.id DESC LIMIT $2"
    )
    .bind(customer_id)
    .bind(limit)
    .fetch_all(pool)
    .await)
}
