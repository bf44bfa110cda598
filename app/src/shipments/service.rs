//! The rules of shipments and carrier events.
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{PickupPoint, Shipment, repo};
use crate::db::{Db, Timestamp, Tx};
use crate::error::AppError;
use crate::validate::{Checks, non_empty};

/// Most events accepted in one call.
pub const MAX_EVENTS: usize = 1000;

/// A shipment as the warehouse (or a store) sends it (`PUT /api/v1/shipments/{id}`).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipmentInput {
    /// The order number.
    pub order: String,
    /// Lower-case carrier code, e.g. `postnl`, `dhl`, `dpd`, `own_delivery`.
    pub carrier: String,
    pub tracking_number: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub promised_date: Option<NaiveDate>,
    /// Store code when the parcel leaves from a store.
    #[serde(default)]
    pub from_store: Option<String>,
    #[serde(default)]
    pub pickup_point: Option<PickupPoint>,
    /// When the carrier expects to deliver, if it gave a window.
    #[serde(default)]
    pub delivery_window: Option<WindowInput>,
    /// What is in the parcel; leave out for "everything not yet shipped".
    #[serde(default)]
    pub lines: Option<Vec<ShipmentLineInput>>,
}

/// A delivery window (RFC 3339; stored in UTC).
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WindowInput {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipmentLineInput {
    pub sku: String,
    pub quantity: i64,
}

/// Carrier events (`POST /api/v1/shipment-events`), one or many.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventsInput {
    pub events: Vec<EventInput>,
}

/// One carrier event. Name the shipment by its `shipment` id, or by `carrier` and
/// `tracking_number` (what a carrier knows).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    #[serde(default)]
    pub shipment: Option<String>,
    #[serde(default)]
    pub carrier: Option<String>,
    #[serde(default)]
    pub tracking_number: Option<String>,
    /// The carrier's own status code, as it sends it.
    pub code: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub location: Option<String>,
    /// RFC 3339; stored in UTC.
    pub occurred_at: DateTime<Utc>,
}

/// What happened to a batch of events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EventsReceipt {
    pub received: usize,
    /// New events stored.
    pub stored: usize,
    /// Events already known (same shipment, code and time): ignored.
    pub duplicates: usize,
    /// The shipments (row ids) that got new events: their customers may need a message.
    #[serde(skip)]
    pub changed_shipments: Vec<i64>,
}

fn is_carrier(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 32
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

fn tracking_number_ok(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 64
        && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Creates or updates a shipment by its id; its lines never exceed what was ordered
/// (counting the order's other shipments).
pub async fn upsert_shipment(
    db: &Db,
    external_id: &str,
    mut input: ShipmentInput,
) -> Result<Shipment, AppError> {
    let mut checks = Checks::new();
    checks.external_id("id", external_id);
    checks.external_id("order", input.order.trim());
    input.carrier = input.carrier.trim().to_lowercase();
    if !is_carrier(&input.carrier) {
        checks.push("carrier", "invalid");
    }
    input.tracking_number = input.tracking_number.trim().to_uppercase();
    if !tracking_number_ok(&input.tracking_number) {
        checks.push("tracking_number", "invalid");
    }
    if let Some(p) = &input.pickup_point {
        checks.text("pickup_point.name", &p.name, 200);
        checks.text("pickup_point.street", &p.street, 200);
        checks.text("pickup_point.postcode", &p.postcode, 16);
        checks.text("pickup_point.city", &p.city, 100);
        if p.collect_before
            .as_deref()
            .is_some_and(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err())
        {
            checks.push("pickup_point.collect_before", "invalid_date");
        }
    }
    if input.delivery_window.is_some_and(|w| w.to <= w.from) {
        checks.push("delivery_window.to", "before_start");
    }
    for (i, line) in input.lines.iter().flatten().enumerate() {
        if line.quantity <= 0 {
            checks.push(format!("lines[{i}].quantity"), "must_be_positive");
        }
    }
    if input.lines.as_ref().is_some_and(|l| l.is_empty()) {
        checks.push("lines", "required");
    }
    checks.stop_if_any()?;

    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    let existing = repo::by_external_id(&mut tx, external_id).await?;
    let Some(order_id) = repo::order_id(&mut tx, input.order.trim()).await? else {
        return Err(AppError::invalid("order", "unknown_order"));
    };
    if existing.is_some_and(|(_, current_order)| current_order != order_id) {
        checks.push("order", "cannot_change");
    }
    if let Some((other, _)) =
        repo::by_tracking_number(&mut tx, &input.carrier, &input.tracking_number).await?
        && Some(other) != existing.map(|e| e.0)
    {
        checks.push("tracking_number", "taken");
    }
    let from_store_id = match non_empty(input.from_store.as_deref()) {
        None => None,
        Some(code) => {
            let id = crate::stores::repo::id_by_code(&mut tx, code).await?;
            if id.is_none() {
                checks.push("from_store", "unknown_store");
            }
            id
        }
    };
    let order_lines =
        repo::order_lines_with_shipped(&mut tx, order_id, existing.map(|e| e.0)).await?;
    let mut lines: Vec<(i64, i32)> = Vec::new();
    match &input.lines {
        None => {
            for (id, _, _, ordered, shipped) in &order_lines {
                let left = i64::from(*ordered) - shipped;
                if left > 0 {
                    lines.push((*id, left as i32));
                }
            }
            if lines.is_empty() {
                checks.push("lines", "nothing_left_to_ship");
            }
        }
        Some(wanted) => {
            for (i, line) in wanted.iter().enumerate() {
                let sku = line.sku.trim();
                // The first line of that SKU with room left (an order may list a SKU twice).
                let candidates: Vec<_> = order_lines.iter().filter(|l| l.2 == sku).collect();
                if candidates.is_empty() {
                    checks.push(format!("lines[{i}].sku"), "not_in_order");
                    continue;
                }
                let mut quantity = line.quantity.max(0);
                for (id, _, _, ordered, shipped) in candidates {
                    let already: i64 = lines
                        .iter()
                        .filter(|(l, _)| l == id)
                        .map(|(_, q)| i64::from(*q))
                        .sum();
                    let room = i64::from(*ordered) - shipped - already;
                    let take = quantity.min(room);
                    if take > 0 {
                        match lines.iter_mut().find(|(l, _)| l == id) {
                            Some(entry) => entry.1 += take as i32,
                            None => lines.push((*id, take as i32)),
                        }
                        quantity -= take;
                    }
                }
                if quantity > 0 {
                    checks.push(format!("lines[{i}].quantity"), "exceeds_ordered");
                }
            }
        }
    }
    checks.finish()?;
    let pickup_json = input
        .pickup_point
        .as_ref()
        .and_then(|p| serde_json::to_string(p).ok());
    let shipment_id = repo::upsert(
        &mut tx,
        &repo::ShipmentFields {
            external_id,
            order_id,
            carrier: &input.carrier,
            tracking_number: &input.tracking_number,
            promised_date: input.promised_date,
            from_store_id,
            pickup_point_json: pickup_json.as_deref(),
            window: input
                .delivery_window
                .map(|w| (Timestamp(w.from), Timestamp(w.to))),
        },
        now,
    )
    .await?;
    repo::replace_lines(&mut tx, shipment_id, &lines).await?;
    refresh_status(&mut tx, shipment_id, &[], now).await?;
    tx.commit().await?;
    repo::for_order(db, order_id)
        .await?
        .into_iter()
        .find(|s| s.id == external_id)
        .ok_or(AppError::Internal)
}

/// Stores carrier events: all of them or (on any bad one) none. The same event sent
/// again is counted as a duplicate and changes nothing.
pub async fn record_events(db: &Db, input: EventsInput) -> Result<EventsReceipt, AppError> {
    let mut checks = Checks::new();
    if input.events.is_empty() {
        checks.push("events", "required");
    } else if input.events.len() > MAX_EVENTS {
        checks.push("events", "too_many");
    }
    let latest_allowed = Utc::now() + chrono::TimeDelta::hours(1);
    for (i, e) in input.events.iter().enumerate() {
        let code = e.code.trim();
        if code.is_empty() {
            checks.push(format!("events[{i}].code"), "required");
        } else if code.len() > 64 {
            checks.push(format!("events[{i}].code"), "too_long");
        }
        checks.optional_text(
            &format!("events[{i}].description"),
            Some(&e.description),
            500,
        );
        checks.optional_text(&format!("events[{i}].location"), e.location.as_deref(), 200);
        if e.occurred_at > latest_allowed {
            checks.push(format!("events[{i}].occurred_at"), "in_future");
        }
        if e.shipment.is_none() && (e.carrier.is_none() || e.tracking_number.is_none()) {
            checks.push(format!("events[{i}].shipment"), "required");
        }
    }
    checks.stop_if_any()?;
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    let mut shipment_ids = Vec::with_capacity(input.events.len());
    for (i, e) in input.events.iter().enumerate() {
        let found = match non_empty(e.shipment.as_deref()) {
            Some(id) => repo::by_external_id(&mut tx, id).await?.map(|s| s.0),
            None => repo::by_tracking_number(
                &mut tx,
                &e.carrier
                    .as_deref()
                    .unwrap_or_default()
                    .trim()
                    .to_lowercase(),
                &e.tracking_number
                    .as_deref()
                    .unwrap_or_default()
                    .trim()
                    .to_uppercase(),
            )
            .await?
            .map(|s| s.0),
        };
        match found {
            Some(id) => shipment_ids.push(id),
            None => checks.push(format!("events[{i}].shipment"), "unknown_shipment"),
        }
    }
    checks.finish()?;
    let mut stored = 0;
    let mut new_codes: Vec<(i64, Vec<String>)> = Vec::new();
    for (e, shipment_id) in input.events.iter().zip(shipment_ids) {
        let new = repo::insert_event(
            &mut tx,
            &repo::EventFields {
                shipment_id,
                code: e.code.trim(),
                description: e.description.trim(),
                location: non_empty(e.location.as_deref()),
                occurred_at: Timestamp(e.occurred_at),
            },
            now,
        )
        .await?;
        stored += usize::from(new);
        if new {
            match new_codes.iter_mut().find(|(id, _)| *id == shipment_id) {
                Some((_, codes)) => codes.push(e.code.trim().to_string()),
                None => new_codes.push((shipment_id, vec![e.code.trim().to_string()])),
            }
        }
    }
    // The customer's status follows from all events, whatever order they came in.
    for (shipment_id, codes) in &new_codes {
        refresh_status(&mut tx, *shipment_id, codes, now).await?;
    }
    tx.commit().await?;
    Ok(EventsReceipt {
        received: input.events.len(),
        stored,
        duplicates: input.events.len() - stored,
        changed_shipments: new_codes.into_iter().map(|(id, _)| id).collect(),
    })
}

/// After new events: counts codes we do not know (and logs them), and stores the
/// shipment's status worked out from all its events. `new_codes` are the codes just
/// stored for it.
pub async fn refresh_status(
    tx: &mut Tx,
    shipment_id: i64,
    new_codes: &[String],
    now: Timestamp,
) -> Result<super::TrackingStatus, sqlx::Error> {
    let (carrier, events) = repo::carrier_and_events(tx, shipment_id).await?;
    for code in new_codes {
        if super::carriers::map_event(&carrier, code).is_none() {
            tracing::warn!(%carrier, %code, shipment_id, "unknown carrier code: the customer keeps seeing the last known status");
            repo::record_unknown(tx, &carrier, code, now).await?;
        }
    }
    let base = super::carriers::latest_known(&carrier, &events)
        .map(|(s, _)| s)
        .unwrap_or(super::TrackingStatus::BeingPrepared);
    repo::set_status(tx, shipment_id, base).await?;
    Ok(base)
}
