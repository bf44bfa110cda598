//! "My account": the pages that put the areas together for the customer — the overview
//! they land on after logging in, and the page of one of their orders (with its parcels,
//! cancellation, reorder and returns) and its receipt.
use serde::{Deserialize, Serialize};

use crate::orders::HistoryRow;

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub name: String,
    /// Orders not yet with the customer, newest first.
    pub on_the_way: Vec<HistoryRow>,
    /// Where each order on its way is, in plain words (same order as `on_the_way`).
    pub on_the_way_status: Vec<Option<crate::tracking::StatusLine>>,
    /// Parcels that need the customer's attention (late, not delivered, went wrong):
    /// shown first.
    pub attention: Vec<crate::tracking::Attention>,
    /// Returns not yet settled, newest first.
    pub open_returns: Vec<crate::returns::Return>,
    /// The newest orders, whatever their state.
    pub recent: Vec<HistoryRow>,
    pub order_count: i64,
    pub loyalty_card: Option<String>,
    /// Guest orders placed with the customer's e-mail address, offered to attach.
    pub guest_orders: Vec<HistoryRow>,
    /// The companies the customer buys for (B2B), by name.
    #[serde(default)]
    pub companies: Vec<String>,
}

/// An order as its owner sees it: the order, with its times in local time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerOrder {
    pub order: crate::orders::Order,
    pub placed_local: String,
    /// The newest cancellation request, if the customer ever asked for one.
    pub cancellation: Option<crate::cancellations::CancellationView>,
    /// Whether the customer can still ask to cancel (some of) it.
    pub cancellable: bool,
    /// A colleague's name, for a company order someone else placed.
    pub ordered_by: Option<String>,
    /// The newest B2B reorder request of this order.
    pub reorder: Option<crate::reorders::ReorderView>,
    /// Whether "buy again" leads somewhere: a company order (a request to the back
    /// office), or a consumer when the webshop's basket address is configured.
    pub can_buy_again: bool,
    /// Where the order and each parcel are, in plain words.
    pub tracking: crate::tracking::OrderTracking,
    /// Whether some line can be returned today.
    pub returnable: bool,
    /// The order's returns, newest first.
    pub returns: Vec<crate::returns::Return>,
}
