//! Delivery change requests: the customer asks for another day, a neighbour or a pickup
//! point (our own delivery: a slot, taking the old mattress), the back office answers.
use chrono::{NaiveDate, TimeDelta};
use serde_json::json;

use super::service::parcel_status;
use super::status::{self};
use super::{DeliveryRequest, RequestKind, RequestStatus, repo};
use crate::db::{Db, Timestamp};
use crate::decisions::{Standing, decide_once, record_answer_alone};
use crate::error::AppError;
use crate::orders::service::own_with_shipments;
use crate::time::clock;
use crate::validate::Checks;

/// The webhook event the back office receives for a delivery change request.
pub const EVENT_DELIVERY_CHANGE: &str = "shipment.delivery_change_requested";

/// What the customer filled in on the delivery change form.
pub struct ChangeForm<'a> {
    pub kind: &'a str,
    /// `YYYY-MM-DD`
    pub date: &'a str,
    pub slot: &'a str,
    pub neighbour: &'a str,
    pub take_away_old: bool,
    pub note: &'a str,
}

/// Stores a delivery change request for a parcel of the customer's order and queues the
/// webhook, in one transaction. Field errors name `kind`, `date`, `slot`, `neighbour` or
/// `note`; a parcel whose status allows no change gives `kind` / `not_possible_now`.
pub async fn request_change(
    db: &Db,
    user_id: i64,
    customer_id: Option<i64>,
    number: &str,
    shipment: &str,
    form: ChangeForm<'_>,
    trail: Option<&crate::audit::service::Trail>,
) -> Result<DeliveryRequest, AppError> {
    let (_order_id, order) = own_with_shipments(db, customer_id, number).await?;
    let Some(parcel) = order.shipments.iter().find(|s| s.id == shipment) else {
        return Err(AppError::NotFound);
    };
    let open = repo::requests_of_shipment(db, shipment)
        .await?
        .iter()
        .any(|r| r.status == RequestStatus::Requested);
    if open {
        return Err(AppError::invalid("kind", "already_requested"));
    }
    let (now, today) = clock();
    let current = parcel_status(parcel, now, today);
    let allowed = status::possible_requests(&parcel.carrier, current);
    let mut checks = Checks::new();
    let kind = RequestKind::parse(form.kind);
    match kind {
        None => checks.push("kind", "required"),
        Some(k) if !allowed.contains(&k) => checks.push("kind", "not_possible_now"),
        Some(_) => {}
    }
    let needs_date = matches!(
        kind,
        Some(RequestKind::AnotherDay | RequestKind::DeliverySlot)
    );
    let date = NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d").ok();
    if needs_date {
        match date {
            None => checks.push("date", "invalid_date"),
            Some(d) if d <= today => checks.push("date", "not_in_future"),
            Some(d) if d > today + TimeDelta::days(28) => checks.push("date", "too_far"),
            Some(_) => {}
        }
    }
    let slot = Some(form.slot.trim()).filter(|s| !s.is_empty());
    if kind == Some(RequestKind::DeliverySlot) && !slot.is_some_and(|s| super::SLOTS.contains(&s)) {
        checks.push("slot", "required");
    }
    let neighbour = Some(form.neighbour.trim()).filter(|s| !s.is_empty());
    if kind == Some(RequestKind::Neighbour) {
        match neighbour {
            None => checks.push("neighbour", "required"),
            Some(n) => checks.text("neighbour", n, 100),
        }
    }
    let note = Some(form.note.trim()).filter(|n| !n.is_empty());
    checks.optional_text("note", note, 500);
    checks.stop_if_any()?;
    let Some(kind) = kind else {
        return Err(AppError::Internal);
    };
    let date = date.filter(|_| needs_date);
    let now_ts = Timestamp::now();
    let mut tx = db.begin().await?;
    let (shipment_row, _) = crate::shipments::repo::by_external_id(&mut tx, shipment)
        .await?
        .ok_or(AppError::NotFound)?;
    let new = repo::NewRequest {
        shipment_id: shipment_row,
        kind,
        date,
        slot: slot.filter(|_| kind == RequestKind::DeliverySlot),
        neighbour: neighbour.filter(|_| kind == RequestKind::Neighbour),
        take_away_old: form.take_away_old && kind == RequestKind::DeliverySlot,
        note,
        user_id: Some(user_id),
    };
    let Some(request_id) = repo::insert_request(&mut tx, &new, now_ts).await? else {
        return Err(AppError::invalid("kind", "already_requested"));
    };
    crate::outbox::repo::enqueue_webhook(
        &mut tx,
        EVENT_DELIVERY_CHANGE,
        json!({
            "request_id": request_id,
            "order": order.number,
            "shipment": parcel.id,
            "carrier": parcel.carrier,
            "tracking_number": parcel.tracking_number,
            "kind": kind.as_str(),
            "date": date.map(|d| d.to_string()),
            "slot": new.slot,
            "neighbour": new.neighbour,
            "take_away_old": new.take_away_old,
            "note": note,
            "answer_with": format!("PUT /api/v1/shipments/{}/requests/{request_id}", parcel.id),
        }),
        now_ts,
    )
    .await?;
    let trail = trail.map(|t| {
        t.clone().with(
            "after",
            json!({
                "kind": kind.as_str(),
                "date": date.map(|d| d.to_string()),
                "slot": new.slot,
                "neighbour": new.neighbour,
            }),
        )
    });
    crate::audit::service::append_if(&mut tx, trail.as_ref(), now_ts).await?;
    tx.commit().await?;
    repo::requests_of_shipment(db, shipment)
        .await?
        .into_iter()
        .find(|r| r.id == request_id)
        .ok_or(AppError::Internal)
}

/// The back office's answer to a delivery change request.
#[derive(Clone, Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestDecision {
    /// `confirmed` or `declined`.
    pub status: String,
    /// Shown to the customer (e.g. "Delivered on Friday between 9 and 13").
    #[serde(default)]
    pub note: Option<String>,
}

/// Records the answer. The same answer again changes nothing; another answer to a request
/// already answered is refused (`status` / `already_decided`).
pub async fn decide_request(
    db: &Db,
    shipment: &str,
    request_id: i64,
    decision: RequestDecision,
) -> Result<DeliveryRequest, AppError> {
    let mut checks = Checks::new();
    let (status, note) = checks.answer(
        RequestStatus::parse(&decision.status),
        &[RequestStatus::Confirmed, RequestStatus::Declined],
        decision.note.as_deref(),
    );
    let status = checks.stop_or(status)?;
    decide_once(
        || {
            Box::pin(async move {
                Ok(repo::requests_of_shipment(db, shipment)
                    .await?
                    .into_iter()
                    .find(|r| r.id == request_id))
            })
        },
        |request: &DeliveryRequest| Standing::of(request.status, status, RequestStatus::Requested),
        |_: DeliveryRequest| {
            record_answer_alone(
                db,
                repo::REQUESTS_TABLE,
                request_id,
                status.as_str(),
                note,
                &[],
            )
        },
    )
    .await
}

/// Every delivery change request of a shipment (for the back office).
pub async fn requests_of_shipment(
    db: &Db,
    shipment: &str,
) -> Result<Vec<DeliveryRequest>, AppError> {
    let mut tx = db.begin().await?;
    crate::shipments::repo::by_external_id(&mut tx, shipment)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(repo::requests_of_shipment(db, shipment).await?)
}
