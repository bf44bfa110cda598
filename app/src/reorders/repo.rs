//! The SQL of reorder requests.
use super::{Approval, ApprovalState, Reorder, ReorderLine, ReorderStatus};
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
    approval: Option<String>,
    over_limit: Option<String>,
    approval_by: Option<String>,
    approval_at: Option<Timestamp>,
    approval_note: Option<String>,
}

pub struct NewRequest<'a> {
    pub order_id: i64,
    pub customer_id: i64,
    pub user_id: i64,
    pub note: Option<&'a str>,
    pub lines: &'a [ReorderLine],
    /// At today's prices, minor units.
    pub total: i64,
    /// The limit it passes (`per_order` / `per_month`): it waits for an approver.
    pub over_limit: Option<&'a str>,
}

/// Stores a request with its lines.
pub async fn insert(tx: &mut Tx, r: &NewRequest<'_>, now: Timestamp) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = tx_run!(tx, |conn| {
        sqlx::query_as(
        "INSERT INTO reorder_requests (order_id, customer_id, requested_by, note, status, requested_at, \
         total_minor, approval, over_limit) VALUES ($1, $2, $3, $4, 'requested', $5, $6, $7, $8) RETURNING id"
    )
    .bind(r.order_id)
    .bind(r.customer_id)
    .bind(r.user_id)
    .bind(r.note)
    .bind(now)
    .bind(r.total)
    .bind(r.over_limit.map(|_| ApprovalState::Awaiting.as_str()))
    .bind(r.over_limit)
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
     r.new_order_number, r.decision_note, r.requested_at, r.decided_at, \
     r.approval, r.over_limit, u.name AS approval_by, r.approval_at, r.approval_note \
     FROM reorder_requests r LEFT JOIN customers c ON c.id = r.customer_id \
     LEFT JOIN users u ON u.id = r.approval_by";

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
        approval: r
            .approval
            .as_deref()
            .and_then(ApprovalState::parse)
            .map(|state| Approval {
                state,
                over_limit: r.over_limit,
                by: r.approval_by,
                at: r.approval_at.map(|t| t.0),
                note: r.approval_note,
            }),
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
    tx_run!(tx, |conn| {
        sqlx::query(
        "UPDATE reorder_requests SET note = NULL, decision_note = NULL, approval_note = NULL WHERE order_id = $1"
    )
    .bind(order_id)
    .execute(conn)
    .await
    .map(|_| ())
    })
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

/// What this customer's requests for the company came to since `since` (waiting, sent or
/// placed; not rejected or declined), minor units.
pub async fn spent_since(
    db: &Db,
    customer_id: i64,
    company: &str,
    since: Timestamp,
) -> Result<i64, sqlx::Error> {
    let (total,): (Option<i64>,) = db_run!(db, |pool| sqlx::query_as(
        "SELECT CAST(SUM(r.total_minor) AS BIGINT) FROM reorder_requests r \
         JOIN orders o ON o.id = r.order_id JOIN companies co ON co.id = o.company_id \
         WHERE r.customer_id = $1 AND co.external_id = $2 AND r.requested_at >= $3 \
         AND r.status <> 'declined' AND (r.approval IS NULL OR r.approval <> 'rejected')"
    )
    .bind(customer_id)
    .bind(company)
    .bind(since)
    .fetch_one(pool)
    .await)?;
    Ok(total.unwrap_or(0))
}

/// A request as an approver acts on it.
pub struct ForApproval {
    pub order_id: i64,
    pub order_number: String,
    pub company: String,
    pub company_name: String,
    pub buyer_customer_id: Option<i64>,
    pub buyer_user_id: Option<i64>,
    pub currency: String,
    pub request: Reorder,
}

/// One request by its id, with its order and company (`None`: no such request, or not a
/// company order).
pub async fn for_approval(db: &Db, request_id: i64) -> Result<Option<ForApproval>, sqlx::Error> {
    type Row = (
        i64,
        String,
        String,
        String,
        Option<i64>,
        Option<i64>,
        String,
    );
    let row: Option<Row> = db_run!(db, |pool| {
        sqlx::query_as(
        "SELECT o.id, o.number, co.external_id, co.name, r.customer_id, r.requested_by, o.currency \
         FROM reorder_requests r JOIN orders o ON o.id = r.order_id \
         JOIN companies co ON co.id = o.company_id WHERE r.id = $1"
    )
    .bind(request_id)
    .fetch_optional(pool)
    .await
    })?;
    let Some((order_id, order_number, company, company_name, buyer, requested_by, currency)) = row
    else {
        return Ok(None);
    };
    let Some(request) = find(db, order_id, &order_number, request_id).await? else {
        return Ok(None);
    };
    Ok(Some(ForApproval {
        order_id,
        order_number,
        company,
        company_name,
        buyer_customer_id: buyer,
        buyer_user_id: requested_by,
        currency,
        request,
    }))
}

/// The ids of requests waiting for approval in the companies where `customer_id` approves
/// (approver or admin), not their own; oldest first.
pub async fn awaiting_for(db: &Db, customer_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT r.id FROM reorder_requests r JOIN orders o ON o.id = r.order_id \
         JOIN company_members m ON m.company_id = o.company_id \
         WHERE r.approval = 'awaiting' AND m.customer_id = $1 AND m.role IN ('approver', 'admin') \
         AND (r.customer_id IS NULL OR r.customer_id <> $1) \
         ORDER BY r.requested_at, r.id"
    )
    .bind(customer_id)
    .fetch_all(pool)
    .await)?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Records an approver's decision on a request still waiting; `false` when it no longer
/// waits (decided a moment ago). A rejection declines the request.
pub async fn record_approval(
    tx: &mut Tx,
    request_id: i64,
    state: ApprovalState,
    user_id: i64,
    note: Option<&str>,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let rejected = state == ApprovalState::Rejected;
    tx_run!(tx, |conn| {
        sqlx::query(
        "UPDATE reorder_requests SET approval = $2, approval_by = $3, approval_at = $4, approval_note = $5, \
         status = CASE WHEN $6 THEN 'declined' ELSE status END, \
         decided_at = CASE WHEN $6 THEN $4 ELSE decided_at END \
         WHERE id = $1 AND approval = 'awaiting'"
    )
    .bind(request_id)
    .bind(state.as_str())
    .bind(user_id)
    .bind(now)
    .bind(note)
    .bind(rejected)
    .execute(conn)
    .await
    .map(|r| r.rows_affected() == 1)
    })
}

/// What the request came to when it was asked (minor units; `None` for requests from
/// before approvals).
pub async fn total_of(db: &Db, request_id: i64) -> Result<Option<i64>, sqlx::Error> {
    let (total,): (Option<i64>,) = db_run!(db, |pool| sqlx::query_as(
        "SELECT total_minor FROM reorder_requests WHERE id = $1"
    )
    .bind(request_id)
    .fetch_one(pool)
    .await)?;
    Ok(total)
}
