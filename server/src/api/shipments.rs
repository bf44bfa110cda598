//! `/api/v1/shipments/{id}` and `/api/v1/shipment-events`: parcels and carrier events.
use app::shipments::Shipment;
use app::shipments::service::{
    EventsInput, EventsReceipt, ShipmentInput, record_events, upsert_shipment,
};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::Response;
use http::{HeaderMap, StatusCode};

use super::auth::Caller;
use super::idempotency;
use super::problem::{Problem, parse_json};
use crate::state::AppState;

/// Create or update a shipment
///
/// Idempotent by the shipment id. Without `lines` the parcel holds everything of the
/// order not yet in another shipment; with them, no line may exceed what was ordered.
#[utoipa::path(
    put,
    path = "/api/v1/shipments/{id}",
    tag = "shipments",
    params(("id" = String, Path, description = "The warehouse's id for the shipment")),
    request_body = ShipmentInput,
    responses(
        (status = 200, description = "The shipment as stored", body = Shipment),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, unknown or revoked key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks scope shipments:write", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named: unknown order, more than ordered, …", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = ["shipments:write"]))
)]
pub async fn put_shipment(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Shipment>, Problem> {
    caller.require("shipments:write")?;
    let input: ShipmentInput = parse_json(&body.map_err(Problem::from)?)?;
    Ok(Json(upsert_shipment(&state.db, &id, input).await?))
}

/// Record carrier events (one or many)
///
/// Each event names its shipment by `shipment` id, or by `carrier` and `tracking_number`.
/// An event already stored (same shipment, code and time) is counted as a duplicate and
/// changes nothing; events may arrive in any order. One bad event rejects the whole call.
/// Send an `Idempotency-Key` header to make retries safe: the same key and body return
/// the first answer (with `Idempotent-Replayed: true`).
#[utoipa::path(
    post,
    path = "/api/v1/shipment-events",
    tag = "shipments",
    params(("Idempotency-Key" = Option<String>, Header, description = "Any unique string per logical request, e.g. a UUID; remembered 24 h")),
    request_body = EventsInput,
    responses(
        (status = 201, description = "Events stored", body = EventsReceipt),
        (status = 400, description = "The body is not JSON, or a bad Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, unknown or revoked key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks scope shipments:write", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named (e.g. events[3].shipment unknown), or an Idempotency-Key reused for another body", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = ["shipments:write"]))
)]
pub async fn post_events(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    caller.require("shipments:write")?;
    let body = body.map_err(Problem::from)?;
    let db = state.db.clone();
    let bytes = body.clone();
    let notify_state = state.clone();
    Ok(idempotency::once(
        &state,
        &caller,
        &headers,
        "POST /api/v1/shipment-events",
        &body,
        || async move {
            let input: EventsInput = parse_json(&bytes)?;
            let receipt = record_events(&db, input).await?;
            crate::jobs::notify_parcels(&notify_state, &receipt).await;
            Ok((StatusCode::CREATED, receipt))
        },
    )
    .await)
}

/// List the delivery changes customers asked for on a shipment, newest first
#[utoipa::path(
    get,
    path = "/api/v1/shipments/{id}/requests",
    tag = "shipments",
    params(("id" = String, Path, description = "The shipment's id")),
    responses(
        (status = 200, description = "The requests, newest first", body = Vec<app::tracking::DeliveryRequest>),
        (status = 401, description = "Missing, unknown or revoked key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks scope shipments:read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such shipment", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = ["shipments:read"]))
)]
pub async fn list_requests(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<app::tracking::DeliveryRequest>>, Problem> {
    caller.require("shipments:read")?;
    Ok(Json(
        app::tracking::requests::requests_of_shipment(&state.db, &id).await?,
    ))
}

/// Confirm or decline a delivery change request
///
/// The customer asked (from a message or the tracking view) for another day, a
/// neighbour, a pickup point or a delivery slot; the back office hears of it through the
/// `shipment.delivery_change_requested` webhook and answers here. The customer sees the
/// answer (and the note) in the parcel's timeline. The same answer again changes
/// nothing; the other answer to a request already answered is refused (422, `status`
/// `already_decided`).
#[utoipa::path(
    put,
    path = "/api/v1/shipments/{id}/requests/{request_id}",
    tag = "shipments",
    params(
        ("id" = String, Path, description = "The shipment's id"),
        ("request_id" = i64, Path, description = "The request's id (`request_id` in the webhook)"),
    ),
    request_body = app::tracking::requests::RequestDecision,
    responses(
        (status = 200, description = "The request with its answer", body = app::tracking::DeliveryRequest),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, unknown or revoked key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks scope shipments:write", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such shipment or request", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown status, or already answered otherwise", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = ["shipments:write"]))
)]
pub async fn put_request_decision(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<(String, i64)>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<app::tracking::DeliveryRequest>, Problem> {
    let Path((id, request_id)) = path?;
    caller.require("shipments:write")?;
    let decision: app::tracking::requests::RequestDecision =
        parse_json(&body.map_err(Problem::from)?)?;
    Ok(Json(
        app::tracking::requests::decide_request(&state.db, &id, request_id, decision).await?,
    ))
}
