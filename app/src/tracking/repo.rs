//! The SQL of tracking: parcel statuses, messages sent, unknown carrier codes, the
//! retailer's sentences, carrier secrets and delivery change requests.
use chrono::NaiveDate;

use super::texts::Overrides;
use super::{DeliveryRequest, RequestKind, RequestStatus, TrackingStatus};
use crate::db::{Db, Timestamp, Tx};
use crate::{db_run, tx_run};

/// Shipments whose status was never worked out (made before this column existed).
pub async fn without_status(db: &Db, limit: i64) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT id FROM shipments WHERE status IS NULL ORDER BY id LIMIT $1"
    )
    .bind(limit)
    .fetch_all(pool)
    .await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Parcels the customer may need a message about and has not had one for: still
/// travelling after the promised day (looking back `days_back` days), or a failed
/// attempt, problem or action needed reported since `since`.
pub async fn notice_candidates(
    db: &Db,
    today: NaiveDate,
    earliest_promised: NaiveDate,
    since: Timestamp,
    limit: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> = db_run!(db, |pool| {
        sqlx::query_as(
        "SELECT sh.id FROM shipments sh WHERE \
           (sh.promised_date < $1 AND sh.promised_date >= $2 \
            AND sh.status IN ('being_prepared', 'handed_to_carrier', 'in_transit', 'at_customs', 'delayed') \
            AND NOT EXISTS (SELECT 1 FROM tracking_notices n WHERE n.shipment_id = sh.id AND n.cause = 'late')) \
         OR (sh.status IN ('attempt_failed', 'problem', 'action_required', 'delayed') AND sh.latest_event_at >= $3 \
            AND NOT EXISTS (SELECT 1 FROM tracking_notices n WHERE n.shipment_id = sh.id \
              AND n.cause = CASE sh.status WHEN 'delayed' THEN 'late' ELSE sh.status END)) \
         ORDER BY sh.id LIMIT $4"
    )
    .bind(today)
    .bind(earliest_promised)
    .bind(since)
    .bind(limit)
    .fetch_all(pool)
    .await
    })?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Records that the customer was told about this cause; `false` when they already were
/// (the primary key decides, so two workers never send twice).
pub async fn insert_notice(
    tx: &mut Tx,
    shipment_id: i64,
    cause: &str,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> = tx_run!(tx, |conn| sqlx::query_as(
        "INSERT INTO tracking_notices (shipment_id, cause, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (shipment_id, cause) DO NOTHING RETURNING shipment_id"
    )
    .bind(shipment_id)
    .bind(cause)
    .bind(now)
    .fetch_optional(conn)
    .await)?;
    Ok(row.is_some())
}

/// Order id and number, external shipment id and who to write to (name, e-mail,
/// language) for a shipment.
#[derive(sqlx::FromRow)]
pub struct NoticeTarget {
    pub order_id: i64,
    pub number: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub language: Option<String>,
}

pub async fn notice_target(tx: &mut Tx, shipment_id: i64) -> Result<NoticeTarget, sqlx::Error> {
    tx_run!(tx, |conn| {
        sqlx::query_as(
        "SELECT o.id AS order_id, o.number, c.name, COALESCE(u.email, c.email, o.email) AS email, c.language \
         FROM shipments sh JOIN orders o ON o.id = sh.order_id \
         LEFT JOIN customers c ON c.id = o.customer_id LEFT JOIN users u ON u.id = c.user_id \
         WHERE sh.id = $1"
    )
    .bind(shipment_id)
    .fetch_one(conn)
    .await
    })
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UnknownCodeRow {
    pub carrier: String,
    pub code: String,
    pub seen: i64,
    pub first_seen_at: Timestamp,
    pub last_seen_at: Timestamp,
}

pub async fn unknown_codes(db: &Db) -> Result<Vec<UnknownCodeRow>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT carrier, code, seen, first_seen_at, last_seen_at FROM unknown_carrier_codes \
         ORDER BY last_seen_at DESC, carrier, code LIMIT 200"
    )
    .fetch_all(pool)
    .await)
}

/// The retailer's own sentences.
pub async fn overrides(db: &Db) -> Result<Overrides, sqlx::Error> {
    let rows: Vec<(String, String, String)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT status, language, text FROM tracking_texts"
    )
    .fetch_all(pool)
    .await)?;
    Ok(rows
        .into_iter()
        .filter_map(|(status, language, text)| {
            TrackingStatus::parse(&status).map(|s| ((s, language), text))
        })
        .collect())
}

/// Sets (or with `None`, removes) the retailer's sentence for a status and language.
pub async fn save_override(
    tx: &mut Tx,
    status: TrackingStatus,
    language: &str,
    text: Option<&str>,
    user_id: i64,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    match text {
        Some(text) => tx_run!(tx, |conn| {
            sqlx::query(
            "INSERT INTO tracking_texts (status, language, text, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (status, language) DO UPDATE \
             SET text = excluded.text, updated_by = excluded.updated_by, updated_at = excluded.updated_at"
        )
        .bind(status.as_str())
        .bind(language)
        .bind(text)
        .bind(user_id)
        .bind(now)
        .execute(conn)
        .await
        .map(|_| ())
        }),
        None => tx_run!(tx, |conn| sqlx::query(
            "DELETE FROM tracking_texts WHERE status = $1 AND language = $2"
        )
        .bind(status.as_str())
        .bind(language)
        .execute(conn)
        .await
        .map(|_| ())),
    }
}

pub async fn carrier_secret(db: &Db, carrier: &str) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT secret FROM carrier_secrets WHERE carrier = $1"
    )
    .bind(carrier)
    .fetch_optional(pool)
    .await)?;
    Ok(row.map(|r| r.0))
}

pub async fn set_carrier_secret(
    tx: &mut Tx,
    carrier: &str,
    secret: &str,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| {
        sqlx::query(
        "INSERT INTO carrier_secrets (carrier, secret, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (carrier) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at"
    )
    .bind(carrier)
    .bind(secret)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
    })
}

pub struct NewRequest<'a> {
    pub shipment_id: i64,
    pub kind: RequestKind,
    pub date: Option<NaiveDate>,
    pub slot: Option<&'a str>,
    pub neighbour: Option<&'a str>,
    pub take_away_old: bool,
    pub note: Option<&'a str>,
    pub user_id: Option<i64>,
}

/// Stores a delivery change request; `None` when the parcel already has an open one.
pub async fn insert_request(
    tx: &mut Tx,
    r: &NewRequest<'_>,
    now: Timestamp,
) -> Result<Option<i64>, sqlx::Error> {
    let inserted: Result<(i64,), sqlx::Error> = tx_run!(tx, |conn| {
        sqlx::query_as(
        "INSERT INTO delivery_requests (shipment_id, kind, wanted_date, slot, neighbour, take_away_old, note, \
         status, requested_by, requested_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'requested', $8, $9) RETURNING id"
    )
    .bind(r.shipment_id)
    .bind(r.kind.as_str())
    .bind(r.date.map(|d| d.to_string()))
    .bind(r.slot)
    .bind(r.neighbour)
    .bind(r.take_away_old)
    .bind(r.note)
    .bind(r.user_id)
    .bind(now)
    .fetch_one(conn)
    .await
    });
    Ok(crate::db::none_if_taken(inserted)?.map(|(id,)| id))
}

#[derive(sqlx::FromRow)]
struct RequestRow {
    id: i64,
    shipment: String,
    kind: String,
    wanted_date: Option<String>,
    slot: Option<String>,
    neighbour: Option<String>,
    take_away_old: bool,
    note: Option<String>,
    status: String,
    decision_note: Option<String>,
    requested_at: Timestamp,
    decided_at: Option<Timestamp>,
}

impl From<RequestRow> for DeliveryRequest {
    fn from(r: RequestRow) -> Self {
        DeliveryRequest {
            id: r.id,
            shipment: r.shipment,
            kind: RequestKind::parse(&r.kind).unwrap_or(RequestKind::AnotherDay),
            date: r.wanted_date,
            slot: r.slot,
            neighbour: r.neighbour,
            take_away_old: r.take_away_old,
            note: r.note,
            status: RequestStatus::parse(&r.status).unwrap_or(RequestStatus::Requested),
            decision_note: r.decision_note,
            requested_at: r.requested_at.0,
            decided_at: r.decided_at.map(|t| t.0),
        }
    }
}

const SELECT_REQUEST: &str = "SELECT r.id, sh.external_id AS shipment, r.kind, r.wanted_date, r.slot, \
     r.neighbour, r.take_away_old, r.note, r.status, r.decision_note, r.requested_at, r.decided_at \
     FROM delivery_requests r JOIN shipments sh ON sh.id = r.shipment_id";

/// The requests for the shipments of an order, newest first.
pub async fn requests_of_order(
    db: &Db,
    order_id: i64,
) -> Result<Vec<DeliveryRequest>, sqlx::Error> {
    let sql =
        format!("{SELECT_REQUEST} WHERE sh.order_id = $1 ORDER BY r.requested_at DESC, r.id DESC");
    let rows: Vec<RequestRow> = db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(order_id)
        .fetch_all(pool)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The requests for one shipment (by its external id), newest first.
pub async fn requests_of_shipment(
    db: &Db,
    external_id: &str,
) -> Result<Vec<DeliveryRequest>, sqlx::Error> {
    let sql = format!(
        "{SELECT_REQUEST} WHERE sh.external_id = $1 ORDER BY r.requested_at DESC, r.id DESC"
    );
    let rows: Vec<RequestRow> = db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(external_id)
        .fetch_all(pool)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The table of delivery change requests (answered through `decisions::record_answer`).
pub const REQUESTS_TABLE: &str = "delivery_requests";

/// Erasure: the neighbour's name and the notes of delivery requests for this order's
/// parcels.
pub async fn erase_notes(tx: &mut Tx, order_id: i64) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE delivery_requests SET neighbour = NULL, note = NULL, decision_note = NULL \
         WHERE shipment_id IN (SELECT id FROM shipments WHERE order_id = $1)"
    )
    .bind(order_id)
    .execute(conn)
    .await
    .map(|_| ()))
}

/// A customer's newest delivery change requests, for customer service: (order number,
/// status, asked at), at most `limit`.
pub async fn requests_of_customer(
    db: &Db,
    customer_id: i64,
    limit: i64,
) -> Result<Vec<(String, String, Timestamp)>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT o.number, d.status, d.requested_at FROM delivery_requests d \
         JOIN shipments s ON s.id = d.shipment_id JOIN orders o ON o.id = s.order_id \
         WHERE o.customer_id = $1 ORDER BY d.requested_at DESC, d.id DESC LIMIT $2"
    )
    .bind(customer_id)
    .bind(limit)
    .fetch_all(pool)
    .await)
}
