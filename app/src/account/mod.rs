//! "My account": the overview a customer lands on after logging in.
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
    pub on_the_way_status: Vec<crate::tracking::StatusLine>,
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
}
