//! Track & trace in plain language. Every order and parcel has one status from a single
//! model ([`TrackingStatus`]); carrier event codes are mapped onto it (`shipments::carriers`), the
//! current status is worked out from the events whatever order they arrive in
//! (`status`), and each status has, in Dutch and English, a title, one sentence for the
//! customer, the next step and, where it helps, what the customer can do (`texts`; the
//! retailer may rewrite the sentence). A carrier code never reaches the customer.
#[cfg(feature = "ssr")]
pub mod admin;
#[cfg(feature = "ssr")]
pub mod mails;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod requests;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod status;
#[cfg(feature = "ssr")]
pub mod texts;

pub mod api;
pub mod pages;

use serde::{Deserialize, Serialize};

use crate::shipments::PickupPoint;
pub use crate::shipments::TrackingStatus;

/// A status in one language, placeholders filled in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StatusWords {
    pub title: String,
    /// One sentence: what is going on.
    pub text: String,
    /// What happens next.
    pub next: String,
    /// What the customer can do, when there is something.
    pub action: Option<String>,
}

/// A status with its words in both languages, so switching language in the browser needs
/// no new request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StatusLine {
    pub status: TrackingStatus,
    pub nl: StatusWords,
    pub en: StatusWords,
}

impl StatusLine {
    /// The words in the language with this code (`nl` or `en`).
    pub fn words(&self, language: &str) -> &StatusWords {
        if language == "en" { &self.en } else { &self.nl }
    }
}

/// One step in a parcel's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    pub status: TrackingStatus,
    pub title_nl: String,
    pub title_en: String,
    /// Where it happened, as the carrier says (a town or depot).
    pub location: Option<String>,
    /// Local time (Europe/Amsterdam), `YYYY-MM-DDTHH:MM`.
    pub at_local: String,
}

/// What the customer can ask for a parcel (from a message or the timeline).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// Deliver on another day.
    AnotherDay,
    /// Leave it with a neighbour.
    Neighbour,
    /// Take it to a pickup point.
    PickupPoint,
    /// Large items: book a delivery slot (optionally taking the old mattress away).
    DeliverySlot,
}

impl RequestKind {
    pub const ALL: [RequestKind; 4] = [
        RequestKind::AnotherDay,
        RequestKind::Neighbour,
        RequestKind::PickupPoint,
        RequestKind::DeliverySlot,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::AnotherDay => "another_day",
            RequestKind::Neighbour => "neighbour",
            RequestKind::PickupPoint => "pickup_point",
            RequestKind::DeliverySlot => "delivery_slot",
        }
    }

    pub fn parse(value: &str) -> Option<RequestKind> {
        RequestKind::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Requested,
    Confirmed,
    Declined,
}

impl RequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Requested => "requested",
            RequestStatus::Confirmed => "confirmed",
            RequestStatus::Declined => "declined",
        }
    }

    pub fn parse(value: &str) -> Option<RequestStatus> {
        [
            RequestStatus::Requested,
            RequestStatus::Confirmed,
            RequestStatus::Declined,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }
}

/// Delivery slots for large items.
pub const SLOTS: [&str; 3] = ["morning", "afternoon", "evening"];

/// A delivery change the customer asked for, as the back office and the customer see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeliveryRequest {
    pub id: i64,
    /// The shipment's id.
    pub shipment: String,
    pub kind: RequestKind,
    /// `YYYY-MM-DD`: the day asked for (another day, delivery slot).
    pub date: Option<String>,
    /// `morning`, `afternoon` or `evening` (delivery slot).
    pub slot: Option<String>,
    /// The neighbour's house number (and name), for `neighbour`.
    pub neighbour: Option<String>,
    /// Take the old mattress away (delivery slot).
    pub take_away_old: bool,
    pub note: Option<String>,
    pub status: RequestStatus,
    pub decision_note: Option<String>,
    /// RFC 3339, UTC.
    #[serde(with = "crate::time::rfc3339_secs")]
    pub requested_at: chrono::DateTime<chrono::Utc>,
    #[serde(with = "crate::time::rfc3339_secs::option")]
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// One parcel of an order as the customer follows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParcelView {
    /// The shipment's id (for requests).
    pub id: String,
    pub carrier_name: String,
    pub tracking_number: String,
    /// The carrier's own tracking page, when it has one.
    pub tracking_url: Option<String>,
    /// The name of the store it leaves from, when not from the warehouse.
    pub from_store: Option<String>,
    pub current: StatusLine,
    /// `YYYY-MM-DD`.
    pub expected_date: Option<String>,
    /// Local times `HH:MM`, when the carrier gave a window.
    pub window: Option<(String, String)>,
    pub pickup_point: Option<PickupPoint>,
    /// Newest first.
    pub timeline: Vec<TimelineEntry>,
    /// "2 × Latex pillow".
    pub items: Vec<String>,
    /// The newest delivery change asked for.
    pub request: Option<DeliveryRequest>,
    /// What the customer may ask for now.
    pub can_request: Vec<RequestKind>,
}

/// An order's tracking: the order's own status and each parcel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderTracking {
    pub number: String,
    pub status: StatusLine,
    pub parcels: Vec<ParcelView>,
}

/// A parcel that needs the customer's attention (the overview shows these first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attention {
    pub order: String,
    pub status: StatusLine,
}

/// One row of the admin's text table: the built-in sentence and the retailer's own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextRow {
    pub status: TrackingStatus,
    pub title_nl: String,
    pub title_en: String,
    pub builtin_nl: String,
    pub builtin_en: String,
    pub own_nl: Option<String>,
    pub own_en: Option<String>,
}

/// A carrier code we could not map, as the admin page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnknownCode {
    pub carrier: String,
    pub code: String,
    pub seen: i64,
    pub first_seen_local: String,
    pub last_seen_local: String,
}
