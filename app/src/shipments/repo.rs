//! The SQL of shipments and carrier events.
use chrono::NaiveDate;

use super::{PickupPoint, Shipment, ShipmentEvent, ShipmentLine};
use crate::db::{Db, Timestamp, Tx};
use crate::{db_run, tx_run};

pub struct ShipmentFields<'a> {
    pub external_id: &'a str,
    pub order_id: i64,
    pub carrier: &'a str,
    pub tracking_number: &'a str,
    pub promised_date: Option<NaiveDate>,
    pub from_store_id: Option<i64>,
    pub pickup_point_json: Option<&'a str>,
    pub window: Option<(Timestamp, Timestamp)>,
}

pub async fn upsert(
    tx: &mut Tx,
    s: &ShipmentFields<'_>,
    now: Timestamp,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = tx_run!(tx, |conn| {
        sqlx::query_as(
        "INSERT INTO shipments (external_id, order_id, carrier, tracking_number, promised_date, from_store_id, \
         pickup_point, window_start, window_end, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $9, $10, $8, $8) \
         ON CONFLICT (external_id) DO UPDATE SET carrier = excluded.carrier, tracking_number = excluded.tracking_number, \
         promised_date = excluded.promised_date, from_store_id = excluded.from_store_id, \
         pickup_point = excluded.pickup_point, window_start = excluded.window_start, \
         window_end = excluded.window_end, updated_at = excluded.updated_at RETURNING id"
    )
    .bind(s.external_id)
    .bind(s.order_id)
    .bind(s.carrier)
    .bind(s.tracking_number)
    .bind(s.promised_date)
    .bind(s.from_store_id)
    .bind(s.pickup_point_json)
    .bind(now)
    .bind(s.window.map(|w| w.0))
    .bind(s.window.map(|w| w.1))
    .fetch_one(conn)
    .await
    })?;
    Ok(id)
}

/// (shipment id, order id) of the shipment with this external id.
pub async fn by_external_id(
    tx: &mut Tx,
    external_id: &str,
) -> Result<Option<(i64, i64)>, sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query_as(
        "SELECT id, order_id FROM shipments WHERE external_id = $1"
    )
    .bind(external_id)
    .fetch_optional(conn)
    .await)
}

/// (id, external id) of the shipment with this carrier's tracking number.
pub async fn by_tracking_number(
    tx: &mut Tx,
    carrier: &str,
    tracking_number: &str,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query_as(
        "SELECT id, external_id FROM shipments WHERE carrier = $1 AND tracking_number = $2"
    )
    .bind(carrier)
    .bind(tracking_number)
    .fetch_optional(conn)
    .await)
}

/// The order's lines: (line id, line number, sku, quantity ordered, quantity in other
/// shipments than `shipment_id`).
pub async fn order_lines_with_shipped(
    tx: &mut Tx,
    order_id: i64,
    shipment_id: Option<i64>,
) -> Result<Vec<(i64, i32, String, i32, i64)>, sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query_as(
        "SELECT ol.id, ol.line_no, ol.sku, ol.quantity, \
         COALESCE((SELECT sum(sl.quantity) FROM shipment_lines sl WHERE sl.order_line_id = ol.id \
                   AND sl.shipment_id <> COALESCE($2, -1)), 0) AS shipped \
         FROM order_lines ol WHERE ol.order_id = $1 ORDER BY ol.line_no"
    )
    .bind(order_id)
    .bind(shipment_id)
    .fetch_all(conn)
    .await)
}

pub async fn replace_lines(
    tx: &mut Tx,
    shipment_id: i64,
    lines: &[(i64, i32)],
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "DELETE FROM shipment_lines WHERE shipment_id = $1"
    )
    .bind(shipment_id)
    .execute(conn)
    .await
    .map(|_| ()))?;
    for (order_line_id, quantity) in lines {
        tx_run!(tx, |conn| sqlx::query(
            "INSERT INTO shipment_lines (shipment_id, order_line_id, quantity) VALUES ($1, $2, $3)"
        )
        .bind(shipment_id)
        .bind(order_line_id)
        .bind(quantity)
        .execute(conn)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

pub struct EventFields<'a> {
    pub shipment_id: i64,
    pub code: &'a str,
    pub description: &'a str,
    pub location: Option<&'a str>,
    pub occurred_at: Timestamp,
}

/// Stores an event unless the same one (shipment, code, time) is there; `true` if new.
pub async fn insert_event(
    tx: &mut Tx,
    e: &EventFields<'_>,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let inserted: Option<(i64,)> = tx_run!(tx, |conn| {
        sqlx::query_as(
        "INSERT INTO shipment_events (shipment_id, code, description, location, occurred_at, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (shipment_id, code, occurred_at) DO NOTHING RETURNING id"
    )
    .bind(e.shipment_id)
    .bind(e.code)
    .bind(e.description)
    .bind(e.location)
    .bind(e.occurred_at)
    .bind(now)
    .fetch_optional(conn)
    .await
    })?;
    if inserted.is_some() {
        // Events may arrive out of order: the newest by carrier time wins.
        tx_run!(tx, |conn| {
            sqlx::query(
            "UPDATE shipments SET latest_event_at = $2 WHERE id = $1 AND (latest_event_at IS NULL OR latest_event_at < $2)"
        )
        .bind(e.shipment_id)
        .bind(e.occurred_at)
        .execute(conn)
        .await.map(|_| ())
        })?;
    }
    Ok(inserted.is_some())
}

#[derive(sqlx::FromRow)]
struct ShipmentRow {
    id: i64,
    order_id: i64,
    external_id: String,
    carrier: String,
    tracking_number: String,
    promised_date: Option<NaiveDate>,
    from_store: Option<String>,
    pickup_point: Option<String>,
    window_start: Option<Timestamp>,
    window_end: Option<Timestamp>,
    created_at: Timestamp,
}

/// The order's shipments with their lines and events: three queries, whatever the count.
pub async fn for_order(db: &Db, order_id: i64) -> Result<Vec<Shipment>, sqlx::Error> {
    Ok(for_orders(db, &[order_id])
        .await?
        .into_iter()
        .map(|(_, s)| s)
        .collect())
}

/// The shipments of several orders as (order id, shipment), by order and shipment: still
/// three queries, whatever the count (the overview reads every open order's parcels).
pub async fn for_orders(db: &Db, order_ids: &[i64]) -> Result<Vec<(i64, Shipment)>, sqlx::Error> {
    if order_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = serde_json::to_string(order_ids).unwrap_or_else(|_| "[]".into());
    let ids = db.backend().ids_in(1);
    let sql = format!(
        "SELECT sh.id, sh.order_id, sh.external_id, sh.carrier, sh.tracking_number, sh.promised_date, st.code AS from_store, \
         sh.pickup_point, sh.window_start, sh.window_end, sh.created_at FROM shipments sh LEFT JOIN stores st ON st.id = sh.from_store_id \
         WHERE sh.order_id IN {ids} ORDER BY sh.order_id, sh.id"
    );
    let rows: Vec<ShipmentRow> = db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(&list)
        .fetch_all(pool)
        .await)?;
    let sql = format!(
        "SELECT sl.shipment_id, ol.line_no, ol.sku, sl.quantity FROM shipments sh \
         JOIN shipment_lines sl ON sl.shipment_id = sh.id JOIN order_lines ol ON ol.id = sl.order_line_id \
         WHERE sh.order_id IN {ids} ORDER BY ol.line_no"
    );
    let lines: Vec<(i64, i32, String, i32)> = db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(&list)
        .fetch_all(pool)
        .await)?;
    let sql = format!(
        "SELECT e.shipment_id, e.code, e.description, e.location, e.occurred_at FROM shipment_events e \
         JOIN shipments sh ON sh.id = e.shipment_id WHERE sh.order_id IN {ids} ORDER BY e.occurred_at, e.id"
    );
    let events: Vec<(i64, String, String, Option<String>, Timestamp)> = db_run!(db, |pool| {
        sqlx::query_as(&sql).bind(&list).fetch_all(pool).await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.order_id,
                Shipment {
                    lines: lines
                        .iter()
                        .filter(|l| l.0 == r.id)
                        .map(|(_, line, sku, quantity)| ShipmentLine {
                            line: *line,
                            sku: sku.clone(),
                            quantity: *quantity,
                        })
                        .collect(),
                    events: events
                        .iter()
                        .filter(|e| e.0 == r.id)
                        .map(|(_, code, description, location, at)| ShipmentEvent {
                            code: code.clone(),
                            description: description.clone(),
                            location: location.clone(),
                            occurred_at: at.0,
                        })
                        .collect(),
                    id: r.external_id,
                    carrier: r.carrier,
                    tracking_number: r.tracking_number,
                    promised_date: r.promised_date.map(|d| d.to_string()),
                    from_store: r.from_store,
                    pickup_point: r
                        .pickup_point
                        .and_then(|p| serde_json::from_str::<PickupPoint>(&p).ok()),
                    delivery_window: r.window_start.zip(r.window_end).map(|(from, to)| {
                        super::DeliveryWindow {
                            from: from.0,
                            to: to.0,
                        }
                    }),
                    announced_at: r.created_at.0,
                },
            )
        })
        .collect())
}

/// Carrier and events of a shipment (by its row id), oldest first.
pub async fn carrier_and_events(
    tx: &mut Tx,
    shipment_id: i64,
) -> Result<(String, Vec<super::carriers::Event>), sqlx::Error> {
    let (carrier,): (String,) = tx_run!(tx, |conn| sqlx::query_as(
        "SELECT carrier FROM shipments WHERE id = $1"
    )
    .bind(shipment_id)
    .fetch_one(conn)
    .await)?;
    let rows: Vec<(String, Timestamp)> = tx_run!(tx, |conn| {
        sqlx::query_as(
        "SELECT code, occurred_at FROM shipment_events WHERE shipment_id = $1 ORDER BY occurred_at, id"
    )
    .bind(shipment_id)
    .fetch_all(conn)
    .await
    })?;
    Ok((
        carrier,
        rows.into_iter()
            .map(|(code, at)| super::carriers::Event {
                code,
                occurred_at: at.0,
            })
            .collect(),
    ))
}

/// Stores the status worked out from the shipment's events.
pub async fn set_status(
    tx: &mut Tx,
    shipment_id: i64,
    status: super::TrackingStatus,
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE shipments SET status = $2 WHERE id = $1"
    )
    .bind(shipment_id)
    .bind(status.as_str())
    .execute(conn)
    .await
    .map(|_| ()))
}

/// Counts a carrier code we could not map.
pub async fn record_unknown(
    tx: &mut Tx,
    carrier: &str,
    code: &str,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "INSERT INTO unknown_carrier_codes (carrier, code, seen, first_seen_at, last_seen_at) \
         VALUES ($1, $2, 1, $3, $3) ON CONFLICT (carrier, code) DO UPDATE \
         SET seen = unknown_carrier_codes.seen + 1, last_seen_at = excluded.last_seen_at"
    )
    .bind(carrier)
    .bind(code)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ()))
}

/// The row id of the order a shipment belongs to, by the order's number. Shipments sit
/// below orders (an order lists its shipments), so this look-up of the parent row is made
/// here rather than borrowed from the orders area.
pub async fn order_id(tx: &mut Tx, number: &str) -> Result<Option<i64>, sqlx::Error> {
    crate::db::id_by_key(tx, "orders", "number", number).await
}

/// A parcel as a customer's data export writes it (`privacy::export`).
#[derive(Debug, serde::Serialize, sqlx::FromRow)]
pub struct ParcelExportRow {
    #[serde(skip)]
    pub id: i64,
    pub order_number: String,
    pub carrier: String,
    pub tracking_number: String,
    /// The latest plain status (`in_transit`, `delivered`, …), if the carrier sent one.
    pub status: Option<String>,
    pub promised_date: Option<String>,
    /// JSON text: the pickup point it waits at, if any.
    pub pickup_point: Option<String>,
    pub latest_event_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

/// Parcels of the customer's orders with an id after `after`, at most `limit`.
pub async fn export_parcels(
    db: &Db,
    customer_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<ParcelExportRow>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT s.id, o.number AS order_number, s.carrier, s.tracking_number, s.status, \
                CAST(s.promised_date AS TEXT) AS promised_date, s.pickup_point, \
                s.latest_event_at, s.created_at \
         FROM shipments s JOIN orders o ON o.id = s.order_id \
         WHERE o.customer_id = $1 AND s.id > $2 ORDER BY s.id LIMIT $3"
    )
    .bind(customer_id)
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await)
}

/// Erasure: where the order's parcels were collected or scanned (a pickup point near the
/// customer's home, a carrier's scan at their street) goes; the parcels stay with the
/// kept order.
pub async fn erase_places(tx: &mut Tx, order_id: i64) -> Result<(), sqlx::Error> {
    for sql in [
        "UPDATE shipment_events SET location = NULL \
         WHERE shipment_id IN (SELECT id FROM shipments WHERE order_id = $1)",
        "UPDATE shipments SET pickup_point = NULL WHERE order_id = $1",
    ] {
        tx_run!(tx, |conn| sqlx::query(sql)
            .bind(order_id)
            .execute(conn)
            .await
            .map(|_| ()))?;
    }
    Ok(())
}
