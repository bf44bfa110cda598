//! Returns in any channel: started online (send it, drop it off in a store, or have it
//! picked up) or at the store desk, whatever channel it was bought in. The policy decides
//! per line whether and until when (`policy`); the same item cannot be returned twice,
//! even by two requests at once; every step is recorded with who, when and where.
#[cfg(feature = "ssr")]
pub mod admin;
#[cfg(feature = "ssr")]
pub mod desk;
#[cfg(feature = "ssr")]
pub mod eligibility;
#[cfg(feature = "ssr")]
pub mod label_pdf;
#[cfg(feature = "ssr")]
mod mails;
#[cfg(feature = "ssr")]
pub mod photo_repo;
#[cfg(feature = "ssr")]
pub mod photos;
#[cfg(feature = "ssr")]
pub mod policy;
#[cfg(feature = "ssr")]
pub mod privacy_repo;
#[cfg(feature = "ssr")]
pub mod quote;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

pub mod admin_pages;
pub mod api;
pub mod desk_pages;
pub mod pages;
pub mod return_page;

use serde::{Deserialize, Serialize};

/// Why a customer returns a line (a fixed list, so the retailer can count them).
pub const REASONS: [&str; 7] = [
    "too_firm",
    "too_soft",
    "wrong_size",
    "damaged",
    "not_as_expected",
    "changed_mind",
    "other",
];

/// Reasons a photo of the item can be added for.
pub const PHOTO_REASONS: [&str; 1] = ["damaged"];
/// Photos per return line.
pub const MAX_PHOTOS_PER_LINE: usize = 3;

macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(value: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == value)
            }
        }
    };
}

string_enum!(
    /// Where a return is.
    ReturnStatus {
        Registered => "registered",
        HandedIn => "handed_in",
        Received => "received",
        Inspected => "inspected",
        Refunded => "refunded",
        Exchanged => "exchanged",
        Credited => "credited",
        Cancelled => "cancelled",
    }
);

string_enum!(
    /// How the goods come back.
    ReturnMethod {
        Carrier => "carrier",
        Store => "store",
        Pickup => "pickup",
    }
);

string_enum!(
    /// What the customer gets.
    Resolution {
        Refund => "refund",
        Exchange => "exchange",
        StoreCredit => "store_credit",
    }
);

string_enum!(
    /// The result of inspecting a line.
    Outcome {
        Accepted => "accepted",
        Rejected => "rejected",
    }
);

/// One line of a return.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReturnLine {
    /// The order line (1-based).
    pub line: i32,
    pub sku: String,
    pub name: String,
    pub quantity: i32,
    /// One of `too_firm`, `too_soft`, `wrong_size`, `damaged`, `not_as_expected`,
    /// `changed_mind`, `other`.
    pub reason: String,
    pub note: Option<String>,
    /// For an exchange: the SKU of the size or variant wanted (one of the line's
    /// `exchange_options`), or what the customer typed when the product has no variants.
    pub exchange_for: Option<String>,
    /// The name of the product wanted, when `exchange_for` is a known SKU.
    #[serde(default)]
    pub exchange_name: Option<String>,
    pub outcome: Option<Outcome>,
    pub outcome_reason: Option<String>,
    /// Photos of the damage, by id (`GET /api/v1/returns/{code}/photos/{id}`).
    #[serde(default)]
    pub photos: Vec<i64>,
}

/// A return as the customer, the store desk and the back office see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Return {
    /// Shown as text and QR code; typed or scanned at the desk.
    pub code: String,
    pub order: String,
    pub customer: Option<String>,
    pub status: ReturnStatus,
    pub method: ReturnMethod,
    pub resolution: Resolution,
    /// Store code where it is (to be) dropped off.
    pub drop_off_store: Option<String>,
    /// `YYYY-MM-DD` and `morning`/`afternoon`, for a pickup at home.
    pub pickup_date: Option<String>,
    pub pickup_slot: Option<String>,
    pub currency: String,
    /// Minor units: what the customer gets back (after inspection: for accepted lines).
    pub refund: i64,
    /// Minor units: what the return costs the customer (taken off the refund).
    pub cost: i64,
    /// The payment method refunded to (refund), else `null`.
    pub refund_to: Option<String>,
    /// `online` or `store`.
    pub started_in: String,
    /// Where it was handed in: the store whose desk took it, or the drop-off point the
    /// back office reported.
    #[serde(default)]
    pub handed_in_place: Option<String>,
    pub lines: Vec<ReturnLine>,
    /// RFC 3339, UTC.
    #[serde(with = "crate::time::rfc3339_secs")]
    pub created_at: chrono::DateTime<chrono::Utc>,
    #[serde(with = "crate::time::rfc3339_secs")]
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// One order line as the return form offers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineChoice {
    pub line: i32,
    pub sku: String,
    pub name: String,
    /// Pieces that may still be returned.
    pub left: i32,
    /// Minor units per piece, as paid.
    pub unit_refund: i64,
    /// `YYYY-MM-DD`: the last day to return it.
    pub until: Option<String>,
    pub trial: bool,
    /// Why it cannot be returned, and the day the window ended.
    pub blocked: Option<String>,
    /// A large item (mattress, bed): may be picked up at home.
    pub large: bool,
    pub ended_on: Option<String>,
    /// Other sizes and variants of the product that are for sale (an exchange picks one).
    #[serde(default)]
    pub exchange_options: Vec<ExchangeOption>,
}

/// A size or variant a returned item can be exchanged for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangeOption {
    pub sku: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnOptions {
    pub number: String,
    pub currency: String,
    pub lines: Vec<LineChoice>,
    /// What sending by carrier costs; dropping off at a store is free.
    pub carrier_cost: i64,
    /// The first payment method, where a refund goes.
    pub refund_to: Option<String>,
    /// The retailer's return conditions, per language.
    pub conditions_nl: String,
    pub conditions_en: String,
}

/// A checked return, before it is stored: what comes back and what the customer gets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub lines: Vec<ReturnLine>,
    pub method: ReturnMethod,
    pub resolution: Resolution,
    pub store: Option<String>,
    pub pickup_date: Option<String>,
    pub pickup_slot: Option<String>,
    pub currency: String,
    /// Minor units: the value of the lines minus the cost.
    pub refund: i64,
    pub cost: i64,
    pub refund_to: Option<String>,
}

/// Categories of large items, which can be picked up at home.
pub const LARGE_CATEGORIES: [&str; 2] = ["mattresses", "bed-frames"];

/// What the return form needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnFormData {
    pub options: ReturnOptions,
    pub stores: Vec<crate::stores::Store>,
    /// The order's earlier returns, newest first.
    pub existing: Vec<Return>,
}

/// A return as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnView {
    pub ret: Return,
    /// Where to drop it off.
    pub store: Option<crate::stores::Store>,
    /// The code as a QR code (inline SVG) to show at the desk or drop-off point.
    pub qr_svg: String,
    pub can_cancel: bool,
    /// Local time it was registered, `YYYY-MM-DDTHH:MM`.
    pub created_local: String,
}

/// A purchase found at the desk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundPurchase {
    pub number: String,
    pub placed_local: String,
    pub channel: String,
}

/// The return policy as the admin's page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyView {
    pub default_days: i32,
    pub trial_category: Option<String>,
    pub trial_nights: i32,
    /// Minor units.
    pub carrier_cost: i64,
    /// Every category in the catalogue with its own window, if it has one.
    pub categories: Vec<(String, Option<i32>)>,
    pub conditions_nl: String,
    pub conditions_en: String,
}
