//! "Buy again": order the products of an earlier order once more. A consumer is taken to
//! the webshop's basket with the chosen products in it (the webshop sells; the portal
//! does not). A B2B buyer sends a reorder request to the back office instead (a signed
//! webhook through the outbox), which places the order and answers through the API; the
//! buyer sees the request's state on the original order.
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

pub mod api;
pub mod approval_pages;
#[cfg(feature = "ssr")]
pub mod approvals;
#[cfg(feature = "ssr")]
pub mod mails;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod requests;

use serde::{Deserialize, Serialize};

/// Most pieces of one product in one go: more is a typo.
pub const MAX_QUANTITY: i32 = 999;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReorderStatus {
    /// Waiting for the back office.
    Requested,
    /// The back office placed the new order.
    Placed,
    /// Not placed (e.g. the product is no longer sold to the company).
    Declined,
}

impl ReorderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReorderStatus::Requested => "requested",
            ReorderStatus::Placed => "placed",
            ReorderStatus::Declined => "declined",
        }
    }

    pub fn parse(value: &str) -> Option<ReorderStatus> {
        [
            ReorderStatus::Requested,
            ReorderStatus::Placed,
            ReorderStatus::Declined,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }
}

/// One line of the earlier order as the "buy again" form offers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReorderChoice {
    /// The order line's number (1-based).
    pub line: i32,
    pub sku: String,
    /// The name as it is sold now (or as ordered, when no longer in the catalogue).
    pub name: String,
    /// What was ordered then (minus what was cancelled).
    pub ordered: i32,
    /// Today's price per piece, minor units; `None` when no longer sold.
    pub price_now: Option<i64>,
    pub currency: String,
    /// What one piece cost on the earlier order (minor units), to flag a price change.
    #[serde(default)]
    pub price_then: i64,
    /// The line offers the successor of a product no longer sold: the old one's SKU and
    /// name as ordered.
    #[serde(default)]
    pub replaces: Option<(String, String)>,
    /// Pieces in stock, when the back office sends it.
    #[serde(default)]
    pub stock: Option<i32>,
    /// Ordered in multiples of this.
    #[serde(default = "one")]
    pub pack_size: i32,
}

fn one() -> i32 {
    1
}

impl ReorderChoice {
    /// Today's price differs from what one piece cost then (same product, same currency).
    pub fn price_changed(&self) -> Option<(i64, i64)> {
        match self.price_now {
            Some(now) if self.replaces.is_none() && now != self.price_then => {
                Some((self.price_then, now))
            }
            _ => None,
        }
    }

    /// Fewer in stock than were ordered then: worth saying.
    pub fn low_stock(&self) -> Option<i32> {
        self.stock.filter(|&s| s < self.ordered)
    }

    /// What the form starts with: as many as then, rounded up to whole packs; 0 when the
    /// product (or its successor) cannot be ordered.
    pub fn suggested(&self) -> i32 {
        if self.price_now.is_none() || self.stock == Some(0) {
            return 0;
        }
        let pack = self.pack_size.max(1);
        let packs = (self.ordered + pack - 1) / pack;
        let wanted = packs * pack;
        match self.stock {
            Some(stock) if stock < wanted => stock / pack * pack,
            _ => wanted,
        }
    }
}

fn yes() -> bool {
    true
}

/// What the "buy again" page needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReorderOptions {
    pub number: String,
    /// A company order: the request goes to the back office, not to the webshop.
    pub for_company: bool,
    /// Consumers only: whether a webshop basket is configured to send them to.
    pub basket_available: bool,
    /// A company order: whether this member may order for the company (a viewer may not).
    #[serde(default = "yes")]
    pub may_order: bool,
    /// A company order: the delivery locations the member may order to (id, label).
    #[serde(default)]
    pub locations: Vec<(i64, String)>,
    pub lines: Vec<ReorderChoice>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReorderLine {
    pub sku: String,
    pub name: String,
    pub quantity: i32,
}

/// A B2B order request as the back office and the buyer see it: a reorder of an earlier
/// order, or a quick order / order list (no `order`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Reorder {
    pub id: i64,
    /// The earlier order it repeats; `null` for a quick order or an order list.
    pub order: Option<String>,
    /// The company's number (`null` for a B2B order without a company).
    #[serde(default)]
    pub company: Option<String>,
    /// The currency of the prices it was asked at (ISO 4217).
    #[serde(default)]
    pub currency: Option<String>,
    /// Where the company wants it delivered (one of its delivery locations), when chosen.
    #[serde(default)]
    pub deliver_to: Option<crate::customers::PostalAddress>,
    pub status: ReorderStatus,
    /// The buyer's customer number.
    pub customer: Option<String>,
    pub note: Option<String>,
    pub lines: Vec<ReorderLine>,
    /// The number of the order the back office placed.
    pub new_order: Option<String>,
    pub decision_note: Option<String>,
    /// RFC 3339, UTC.
    #[serde(with = "crate::time::rfc3339_secs")]
    pub requested_at: chrono::DateTime<chrono::Utc>,
    #[serde(with = "crate::time::rfc3339_secs::option")]
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Over the buyer's limit: the approval; `null` when none was needed.
    #[serde(default)]
    pub approval: Option<Approval>,
}

/// Where a request over the buyer's limit stands with the company's approvers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApprovalState {
    /// Waiting for an approver; the back office has not been sent it.
    Awaiting,
    /// Approved: sent to the back office.
    Approved,
    /// Rejected by an approver (the request is declined).
    Rejected,
}

impl ApprovalState {
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalState::Awaiting => "awaiting",
            ApprovalState::Approved => "approved",
            ApprovalState::Rejected => "rejected",
        }
    }

    pub fn parse(value: &str) -> Option<ApprovalState> {
        [
            ApprovalState::Awaiting,
            ApprovalState::Approved,
            ApprovalState::Rejected,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }
}

/// A request's approval: which limit it passed, and the approver's decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Approval {
    pub state: ApprovalState,
    /// `per_order` or `per_month`.
    pub over_limit: Option<String>,
    /// The approver's name.
    pub by: Option<String>,
    /// RFC 3339, UTC.
    #[serde(with = "crate::time::rfc3339_secs::option")]
    pub at: Option<chrono::DateTime<chrono::Utc>>,
    /// Why (required when rejected).
    pub note: Option<String>,
}

/// A request waiting for the approver looking at it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingApproval {
    pub id: i64,
    /// The earlier order it repeats (`None`: a quick order or an order list).
    pub order: Option<String>,
    pub company: String,
    pub buyer: String,
    pub lines: Vec<ReorderLine>,
    /// At the prices when it was asked, minor units.
    pub total: i64,
    pub currency: String,
    /// `per_order` or `per_month`.
    pub over_limit: String,
    pub note: Option<String>,
    pub requested_local: String,
}

/// The newest reorder request, as the order page shows it (local times).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReorderView {
    pub status: ReorderStatus,
    pub lines: Vec<ReorderLine>,
    pub new_order: Option<String>,
    pub decision_note: Option<String>,
    pub requested_local: String,
    pub decided_local: Option<String>,
    #[serde(default)]
    pub approval: Option<Approval>,
    #[serde(default)]
    pub approval_local: Option<String>,
}
