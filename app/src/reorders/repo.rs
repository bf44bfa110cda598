//! The SQL of reorder requests.
use super::{Approval, ApprovalState, Reorder, ReorderLine, ReorderStatus};
use crate::db::{Db, Timestamp, Tx};
use crate::{db_run, tx_run};

#[derive(sqlx::FromRow)]
struct RequestRow {
    id: i64,
    order_number: Option<String>,
    company: Option<String>,
    currency: Option<String>,
    deliver_to: Option<String>,
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
    /// The earlier order it repeats (`None`: a quick order or an order list).
    pub order_id: Option<i64>,
    pub company_id: Option<i64>,
    pub currency: &'a str,
    /// Where it goes, as chosen (JSON of a `PostalAddress`).
    pub deliver_to: Option<String>,
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
         total_minor, approval, over_limit, company_id, currency, deliver_to) \
         VALUES ($1, $2, $3, $4, 'requested', $5, $6, $7, $8, $9, $10, $11) RETURNING id"
    )
    .bind(r.order_id)
    .bind(r.customer_id)
    .bind(r.user_id)
    .bind(r.note)
    .bind(now)
    .bind(r.total)
    .bind(r.over_limit.map(|_| ApprovalState::Awaiting.as_str()))
    .bind(r.over_limit)
    .bind(r.company_id)
    .bind(r.currency)
    .bind(r.deliver_to.as_deref())
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

const SELECT_REQUEST: &str = "SELECT r.id, o.number AS order_number, co.external_id AS company, \
     r.currency, r.deliver_to, c.external_id AS customer, r.note, r.status, \
     r.new_order_number, r.decision_note, r.requested_at, r.decided_at, \
     r.approval, r.over_limit, u.name AS approval_by, r.approval_at, r.approval_note \
     FROM reorder_requests r LEFT JOIN orders o ON o.id = r.order_id \
     LEFT JOIN companies co ON co.id = r.company_id \
     LEFT JOIN customers c ON c.id = r.customer_id \
     LEFT JOIN users u ON u.id = r.approval_by";

async fn complete(db: &Db, r: RequestRow) -> Result<Reorder, sqlx::Error> {
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
        order: r.order_number,
        company: r.company,
        currency: r.currency,
        deliver_to: r
            .deliver_to
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok()),
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
pub async fn for_order(db: &Db, order_id: i64, limit: i64) -> Result<Vec<Reorder>, sqlx::Error> {
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
        found.push(complete(db, r).await?);
    }
    Ok(found)
}

/// One request by its id.
pub async fn find(db: &Db, request_id: i64) -> Result<Option<Reorder>, sqlx::Error> {
    let sql = format!("{SELECT_REQUEST} WHERE r.id = $1");
    let row: Option<RequestRow> = db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(request_id)
        .fetch_optional(pool)
        .await)?;
    match row {
        Some(r) => Ok(Some(complete(db, r).await?)),
        None => Ok(None),
    }
}

/// The company's requests that repeat no earlier order (quick orders and order lists),
/// newest first; at most `limit`.
pub async fn without_order(
    db: &Db,
    company_id: i64,
    limit: i64,
) -> Result<Vec<Reorder>, sqlx::Error> {
    let sql = format!(
        "{SELECT_REQUEST} WHERE r.company_id = $1 AND r.order_id IS NULL \
         ORDER BY r.requested_at DESC, r.id DESC LIMIT $2"
    );
    let rows: Vec<RequestRow> = db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(company_id)
        .bind(limit)
        .fetch_all(pool)
        .await)?;
    let mut found = Vec::with_capacity(rows.len());
    for r in rows {
        found.push(complete(db, r).await?);
    }
    Ok(found)
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

/// Erasure: what the customer wrote with any request (those of no order too), and the
/// answers to them.
pub async fn erase_customer_notes(tx: &mut Tx, customer_id: i64) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| {
        sqlx::query(
        "UPDATE reorder_requests SET note = NULL, decision_note = NULL, approval_note = NULL WHERE customer_id = $1"
    )
    .bind(customer_id)
    .execute(conn)
    .await
    .map(|_| ())
    })
}

/// A customer's newest order requests, for customer service: (order number — `None` for a
/// quick order or an order list —, status, asked at), at most `limit`.
pub async fn of_customer(
    db: &Db,
    customer_id: i64,
    limit: i64,
) -> Result<Vec<(Option<String>, String, Timestamp)>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT o.number, r.status, r.requested_at FROM reorder_requests r \
         LEFT JOIN orders o ON o.id = r.order_id WHERE r.customer_id = $1 \
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
         JOIN companies co ON co.id = r.company_id \
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
    pub company: String,
    pub company_name: String,
    pub buyer_customer_id: Option<i64>,
    pub buyer_user_id: Option<i64>,
    pub total: i64,
    pub request: Reorder,
}

/// One request by its id, with its company (`None`: no such request, or no company's).
pub async fn for_approval(db: &Db, request_id: i64) -> Result<Option<ForApproval>, sqlx::Error> {
    type Row = (String, String, Option<i64>, Option<i64>, Option<i64>);
    let row: Option<Row> = db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT co.external_id, co.name, r.customer_id, r.requested_by, r.total_minor \
             FROM reorder_requests r JOIN companies co ON co.id = r.company_id WHERE r.id = $1",
        )
        .bind(request_id)
        .fetch_optional(pool)
        .await
    })?;
    let Some((company, company_name, buyer, requested_by, total)) = row else {
        return Ok(None);
    };
    let Some(request) = find(db, request_id).await? else {
        return Ok(None);
    };
    Ok(Some(ForApproval {
        company,
        company_name,
        buyer_customer_id: buyer,
        buyer_user_id: requested_by,
        total: total.unwrap_or(0),
        request,
    }))
}

/// The ids of requests waiting for approval in the companies where `customer_id` approves
/// (approver or admin), not their own; oldest first.
pub async fn awaiting_for(db: &Db, customer_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT r.id FROM reorder_requests r \
         JOIN company_members m ON m.company_id = r.company_id \
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
