//! The customer's story on one page (`/service/customers/{id}`), for customer service:
//! details, every order from every channel with its status, parcels needing attention,
//! open returns, consents (read only) and the notes of earlier contacts, with a form for
//! the next. A composition page: it gathers from the areas, so none of them has to know
//! the others. Opening it is written to the audit trail (`customer.viewed`).
pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use serde::{Deserialize, Serialize};

use crate::customer_service::ContactNote;
use crate::customers::Customer;
use crate::orders::HistoryRow;
use crate::returns::ReturnStatus;
use crate::tracking::Attention;

/// How many of the newest orders and notes the page lists.
pub const ORDERS_SHOWN: usize = 10;
pub const NOTES_SHOWN: i64 = 20;
/// How many of the newest requests of each kind (cancellation, reorder, delivery change).
pub const REQUESTS_SHOWN: i64 = 10;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerStory {
    pub id: i64,
    pub customer: Customer,
    /// The newest orders, from every channel.
    pub orders: Vec<HistoryRow>,
    pub order_count: i64,
    /// Parcels that need the customer's (and so the agent's) attention.
    pub attention: Vec<Attention>,
    pub open_returns: Vec<OpenReturn>,
    /// Cancellation, reorder and delivery change requests, newest first.
    pub requests: Vec<RequestLine>,
    pub consents: Vec<ConsentLine>,
    pub notes: Vec<ContactNote>,
    /// The help the customer allows in their account now (`None`: not allowed).
    pub help: Option<crate::privacy::help::HelpPermission>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenReturn {
    pub code: String,
    pub order: String,
    pub status: ReturnStatus,
    /// The products, comma separated.
    pub items: String,
}

/// A request the customer (or someone for them) made about an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestLine {
    /// `cancellation`, `reorder`, `order_request` (a quick order or an order list) or
    /// `delivery_change`.
    pub kind: String,
    /// The order it is about (empty for an `order_request`).
    pub order: String,
    /// `requested` (no answer yet), `confirmed`, `placed` (a reorder) or `declined`.
    pub status: String,
    /// Local `YYYY-MM-DDTHH:MM`.
    pub at_local: String,
}

/// A consent as it counts now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentLine {
    pub purpose: String,
    /// `email`, `sms`, `post`, `phone`.
    pub channel: String,
    pub granted: bool,
    /// Granted without asking: the soft opt-in for existing customers.
    pub soft_opt_in: bool,
}
