//! Shipments: the parcels that carry an order (several per order, some from a store),
//! and the raw events their carrier reports, with what each carrier's codes mean
//! (`carriers`) and the parcel's status worked out from them. Turning that status into
//! plain language for the customer is the tracking area's job.
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod carriers;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Shipment {
    /// The id the warehouse gave the shipment.
    pub id: String,
    /// e.g. `postnl`, `dhl`, `dpd`, `own_delivery`.
    pub carrier: String,
    pub tracking_number: String,
    /// `YYYY-MM-DD`: the delivery date promised to the customer.
    pub promised_date: Option<String>,
    /// Store code when it leaves from a store instead of the warehouse.
    pub from_store: Option<String>,
    pub pickup_point: Option<PickupPoint>,
    /// When the carrier expects to deliver (a window on the promised day).
    #[serde(default)]
    pub delivery_window: Option<DeliveryWindow>,
    /// RFC 3339: when the warehouse announced the parcel (for "no news for days").
    #[serde(skip)]
    pub announced_at: chrono::DateTime<chrono::Utc>,
    pub lines: Vec<ShipmentLine>,
    /// Oldest first, as the carrier reported them.
    pub events: Vec<ShipmentEvent>,
}

/// A delivery window, RFC 3339 (e.g. `2026-11-25T09:00:00Z` to `…T11:00:00Z`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeliveryWindow {
    #[serde(with = "crate::time::rfc3339_secs")]
    pub from: chrono::DateTime<chrono::Utc>,
    #[serde(with = "crate::time::rfc3339_secs")]
    pub to: chrono::DateTime<chrono::Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ShipmentLine {
    /// The order line (1-based).
    pub line: i32,
    pub sku: String,
    pub quantity: i32,
}

/// Where a parcel waits when the carrier could not deliver it, or was told to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PickupPoint {
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    /// `YYYY-MM-DD`: the last day it can be collected.
    #[serde(default)]
    pub collect_before: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ShipmentEvent {
    /// The carrier's own status code, as sent.
    pub code: String,
    pub description: String,
    pub location: Option<String>,
    /// RFC 3339, UTC.
    #[serde(with = "crate::time::rfc3339_secs")]
    pub occurred_at: chrono::DateTime<chrono::Utc>,
}

/// Where an order or parcel is, in the customer's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TrackingStatus {
    Ordered,
    PaymentReceived,
    BeingPrepared,
    HandedToCarrier,
    InTransit,
    AtCustoms,
    ActionRequired,
    AppointmentBooked,
    OutForDelivery,
    AttemptFailed,
    AtPickupPoint,
    Delivered,
    Delayed,
    NoUpdate,
    Problem,
    ReturnedToSender,
    Cancelled,
    BoughtInStore,
    ReadyToCollect,
}

impl TrackingStatus {
    pub const ALL: [TrackingStatus; 19] = [
        TrackingStatus::Ordered,
        TrackingStatus::PaymentReceived,
        TrackingStatus::BeingPrepared,
        TrackingStatus::HandedToCarrier,
        TrackingStatus::InTransit,
        TrackingStatus::AtCustoms,
        TrackingStatus::ActionRequired,
        TrackingStatus::AppointmentBooked,
        TrackingStatus::OutForDelivery,
        TrackingStatus::AttemptFailed,
        TrackingStatus::AtPickupPoint,
        TrackingStatus::Delivered,
        TrackingStatus::Delayed,
        TrackingStatus::NoUpdate,
        TrackingStatus::Problem,
        TrackingStatus::ReturnedToSender,
        TrackingStatus::Cancelled,
        TrackingStatus::BoughtInStore,
        TrackingStatus::ReadyToCollect,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TrackingStatus::Ordered => "ordered",
            TrackingStatus::PaymentReceived => "payment_received",
            TrackingStatus::BeingPrepared => "being_prepared",
            TrackingStatus::HandedToCarrier => "handed_to_carrier",
            TrackingStatus::InTransit => "in_transit",
            TrackingStatus::AtCustoms => "at_customs",
            TrackingStatus::ActionRequired => "action_required",
            TrackingStatus::AppointmentBooked => "appointment_booked",
            TrackingStatus::OutForDelivery => "out_for_delivery",
            TrackingStatus::AttemptFailed => "attempt_failed",
            TrackingStatus::AtPickupPoint => "at_pickup_point",
            TrackingStatus::Delivered => "delivered",
            TrackingStatus::Delayed => "delayed",
            TrackingStatus::NoUpdate => "no_update",
            TrackingStatus::Problem => "problem",
            TrackingStatus::ReturnedToSender => "returned_to_sender",
            TrackingStatus::Cancelled => "cancelled",
            TrackingStatus::BoughtInStore => "bought_in_store",
            TrackingStatus::ReadyToCollect => "ready_to_collect",
        }
    }

    pub fn parse(value: &str) -> Option<TrackingStatus> {
        TrackingStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
    }

    /// How the page colours it: `done`, `attention` (the customer may need to act or we
    /// are sorry) or `progress`.
    pub fn tone(self) -> &'static str {
        match self {
            TrackingStatus::Delivered | TrackingStatus::BoughtInStore => "done",
            TrackingStatus::AttemptFailed
            | TrackingStatus::Delayed
            | TrackingStatus::NoUpdate
            | TrackingStatus::Problem
            | TrackingStatus::ReturnedToSender
            | TrackingStatus::ActionRequired
            | TrackingStatus::Cancelled => "attention",
            _ => "progress",
        }
    }
}
