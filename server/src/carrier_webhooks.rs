//! `POST /webhooks/carriers/{carrier}`: carriers push their tracking events here. Each
//! carrier signs with its own secret (`server carrier-secret <carrier>` makes one), the
//! Standard Webhooks way (`webhook-id`, `webhook-timestamp` within 5 minutes,
//! `webhook-signature` = HMAC-SHA256). Events are stored once (the same event again
//! changes nothing, events out of order still give the right status), and a parcel that
//! went wrong gets its customer a message right away.
use app::shipments::carriers::is_known_carrier;
use app::shipments::service::{EventInput, EventsInput, EventsReceipt, record_events};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use http::{HeaderMap, StatusCode};
use serde::Deserialize;

use crate::api::problem::{Problem, parse_json};
use crate::state::AppState;

/// What a carrier sends: one or more events, each naming its parcel by tracking number.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CarrierEvents {
    pub events: Vec<CarrierEvent>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CarrierEvent {
    pub tracking_number: String,
    /// The carrier's own status code.
    pub code: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub location: Option<String>,
    pub occurred_at: DateTime<Utc>,
}

fn not_signed(detail: &str) -> Problem {
    Problem::new(
        StatusCode::UNAUTHORIZED,
        "bad-signature",
        "The webhook signature is missing, wrong or too old",
    )
    .detail(detail.to_string())
}

pub async fn receive(
    State(state): State<AppState>,
    Path(carrier): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<EventsReceipt>, Problem> {
    let body = body.map_err(Problem::from)?;
    if !is_known_carrier(&carrier) {
        return Err(Problem::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "No such carrier",
        ));
    }
    let secret = app::tracking::repo::carrier_secret(&state.db, &carrier)
        .await
        .map_err(|e| Problem::from(app::error::AppError::from(e)))?
        .ok_or_else(|| {
            not_signed("No secret is set for this carrier yet (`server carrier-secret <carrier>`).")
        })?;
    let verifier = standardwebhooks::Webhook::new(&secret)
        .map_err(|_| not_signed("The stored secret is unreadable; make a new one."))?;
    if let Err(err) = verifier.verify(&body, &headers) {
        tracing::warn!(%carrier, %err, "carrier webhook refused");
        return Err(not_signed(&err.to_string()));
    }
    let input: CarrierEvents = parse_json(&body)?;
    let events = input
        .events
        .into_iter()
        .map(|e| EventInput {
            shipment: None,
            carrier: Some(carrier.clone()),
            tracking_number: Some(e.tracking_number),
            code: e.code,
            description: e.description,
            location: e.location,
            occurred_at: e.occurred_at,
        })
        .collect();
    let receipt = record_events(&state.db, EventsInput { events }).await?;
    crate::jobs::notify_parcels(&state, &receipt).await;
    tracing::info!(%carrier, stored = receipt.stored, duplicates = receipt.duplicates, "carrier events received");
    Ok(Json(receipt))
}
