//! Orders from every channel (webshop, store till, phone, B2B) in one model, with their
//! lines, the till receipt of a store purchase, and the shipments that carry them.
use serde::{Deserialize, Serialize};

use crate::customers::PostalAddress;
use crate::shipments::Shipment;

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

/// Where the order was placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Webshop,
    Store,
    Phone,
    B2b,
}

impl Channel {
    pub const ALL: [Channel; 4] = [
        Channel::Webshop,
        Channel::Store,
        Channel::Phone,
        Channel::B2b,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Webshop => "webshop",
            Channel::Store => "store",
            Channel::Phone => "phone",
            Channel::B2b => "b2b",
        }
    }

    pub fn parse(value: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == value)
    }
}

/// The order status as the webshop or warehouse reports it. Shipments carry their own,
/// finer status (carrier events).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Placed, not yet paid.
    Received,
    Paid,
    /// Being picked and packed.
    Processing,
    /// Click & collect: waiting in the store.
    ReadyForPickup,
    /// Handed to the carrier (partly or fully).
    Shipped,
    Delivered,
    /// Done at the till, or collected.
    Completed,
    Cancelled,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 8] = [
        OrderStatus::Received,
        OrderStatus::Paid,
        OrderStatus::Processing,
        OrderStatus::ReadyForPickup,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Completed,
        OrderStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Received => "received",
            OrderStatus::Paid => "paid",
            OrderStatus::Processing => "processing",
            OrderStatus::ReadyForPickup => "ready_for_pickup",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Completed => "completed",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(value: &str) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// How the goods reach the customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Fulfilment {
    /// Sent by a carrier (or the retailer's own delivery service).
    Delivery,
    /// Click & collect in a store.
    Collect,
    /// Taken home from the store at purchase.
    CarryOut,
}

impl Fulfilment {
    pub fn as_str(self) -> &'static str {
        match self {
            Fulfilment::Delivery => "delivery",
            Fulfilment::Collect => "collect",
            Fulfilment::CarryOut => "carry_out",
        }
    }

    pub fn parse(value: &str) -> Option<Fulfilment> {
        [
            Fulfilment::Delivery,
            Fulfilment::Collect,
            Fulfilment::CarryOut,
        ]
        .into_iter()
        .find(|f| f.as_str() == value)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Payment {
    /// e.g. `ideal`, `card`, `pin`, `cash`, `invoice`, `gift_card`, `klarna`.
    pub method: String,
    /// Minor units (cents).
    pub amount: i64,
    pub currency: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StoreRef {
    pub code: String,
    pub name: String,
}

/// An order in a list: enough for one row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderSummary {
    pub number: String,
    pub channel: Channel,
    pub store: Option<StoreRef>,
    /// RFC 3339, UTC.
    pub placed_at: String,
    pub status: OrderStatus,
    pub currency: String,
    /// Minor units (cents).
    pub total: i64,
    pub item_count: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderLine {
    /// 1-based position in the order.
    pub line: i32,
    pub sku: String,
    /// The product name as it was when ordered.
    pub name: String,
    pub quantity: i32,
    /// Minor units (cents), per piece.
    pub unit_price: i64,
    /// Minor units (cents), for the whole line.
    pub discount: i64,
    /// quantity × unit_price − discount.
    pub total: i64,
}

/// The digital version of a till slip.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Receipt {
    /// The code printed on the slip; the customer can claim the purchase with it.
    pub code: String,
    pub store: String,
    pub till: Option<String>,
    /// Whether a customer claimed it by its code.
    pub claimed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Order {
    pub number: String,
    pub channel: Channel,
    pub store: Option<StoreRef>,
    /// The customer number it belongs to; `null` for a guest order or unclaimed receipt.
    pub customer: Option<String>,
    /// The B2B company it was ordered for.
    pub company: Option<String>,
    pub email: Option<String>,
    /// RFC 3339, UTC.
    pub placed_at: String,
    pub status: OrderStatus,
    pub fulfilment: Fulfilment,
    pub collect_store: Option<StoreRef>,
    pub currency: String,
    pub subtotal: i64,
    pub discount: i64,
    pub shipping: i64,
    pub total: i64,
    pub payments: Vec<Payment>,
    pub delivery_address: Option<PostalAddress>,
    pub billing_address: Option<PostalAddress>,
    pub lines: Vec<OrderLine>,
    pub receipt: Option<Receipt>,
    pub shipments: Vec<Shipment>,
}
