//! Cancellations: a customer asks to cancel an order, or some of its lines, while it is not
//! yet being prepared. The request is stored, sent to the back office as a signed webhook
//! (through the outbox), and shown as "cancellation requested" until the back office
//! confirms or declines it through the integration API.
#[cfg(feature = "ssr")]
pub mod mails;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

pub mod api;
pub mod pages;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CancellationStatus {
    /// Waiting for the back office.
    Requested,
    /// The back office cancelled the lines.
    Confirmed,
    /// Too late after all (e.g. already packed); the order goes on.
    Declined,
}

impl CancellationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CancellationStatus::Requested => "requested",
            CancellationStatus::Confirmed => "confirmed",
            CancellationStatus::Declined => "declined",
        }
    }

    pub fn parse(value: &str) -> Option<CancellationStatus> {
        [
            CancellationStatus::Requested,
            CancellationStatus::Confirmed,
            CancellationStatus::Declined,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }
}

/// Why the customer cancels (a fixed list, so the back office can count them).
pub const REASONS: [&str; 5] = [
    "changed_mind",
    "ordered_by_mistake",
    "found_cheaper",
    "delivery_too_late",
    "other",
];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CancellationLine {
    /// The order line's number (1-based).
    pub line: i32,
    pub sku: String,
    pub name: String,
    pub quantity: i32,
}

/// A cancellation request as the back office and the customer see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Cancellation {
    pub id: i64,
    pub order: String,
    pub status: CancellationStatus,
    /// One of `changed_mind`, `ordered_by_mistake`, `found_cheaper`, `delivery_too_late`,
    /// `other`.
    pub reason: String,
    /// The customer's own words, if any.
    pub note: Option<String>,
    /// Every line and quantity of the order: the whole order is cancelled.
    pub whole_order: bool,
    pub lines: Vec<CancellationLine>,
    /// RFC 3339, UTC.
    #[serde(with = "crate::time::rfc3339_secs")]
    pub requested_at: chrono::DateTime<chrono::Utc>,
    #[serde(with = "crate::time::rfc3339_secs::option")]
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The back office's explanation (shown to the customer when declined).
    pub decision_note: Option<String>,
}

/// A request as the customer sees it on the order page: times in local time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancellationView {
    pub status: CancellationStatus,
    pub whole_order: bool,
    pub lines: Vec<CancellationLine>,
    /// `YYYY-MM-DDTHH:MM`, the portal's time zone.
    pub requested_local: String,
    pub decided_local: Option<String>,
    pub decision_note: Option<String>,
}

/// An order line the customer may still cancel, and how many of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancellableLine {
    pub line: i32,
    pub name: String,
    pub sku: String,
    pub quantity: i32,
}

/// What the cancel page needs: the lines that can go, or why nothing can.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelOptions {
    pub number: String,
    pub lines: Vec<CancellableLine>,
    /// `None` when the order can be cancelled; else `being_prepared`, `store_purchase`,
    /// `already_requested` or `nothing_left`.
    pub blocked: Option<String>,
}
