//! Orders from every channel (webshop, store till, phone, B2B) in one model, with their
//! lines, the till receipt of a store purchase, and the shipments that carry them.
use serde::{Deserialize, Serialize};

use crate::customers::PostalAddress;
use crate::shipments::Shipment;

#[cfg(feature = "ssr")]
pub mod history;
#[cfg(feature = "ssr")]
pub mod history_repo;
#[cfg(feature = "ssr")]
pub mod privacy_repo;
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
    #[serde(with = "crate::time::rfc3339_secs")]
    pub placed_at: chrono::DateTime<chrono::Utc>,
    pub status: OrderStatus,
    pub currency: String,
    /// Minor units (cents).
    pub total: i64,
    pub item_count: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, sqlx::FromRow))]
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
    /// How many of `quantity` the back office confirmed as cancelled.
    #[serde(default)]
    pub cancelled: i32,
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
    #[serde(with = "crate::time::rfc3339_secs")]
    pub placed_at: chrono::DateTime<chrono::Utc>,
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

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod receipt_pdf;

/// Orders per page in the order history.
pub const PAGE_SIZE: u32 = 25;

/// Status groups a customer filters on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusGroup {
    /// Not yet with the customer.
    Open,
    /// Delivered, collected or bought in a store.
    Done,
    Cancelled,
}

impl StatusGroup {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusGroup::Open => "open",
            StatusGroup::Done => "done",
            StatusGroup::Cancelled => "cancelled",
        }
    }

    pub fn parse(value: &str) -> Option<StatusGroup> {
        [StatusGroup::Open, StatusGroup::Done, StatusGroup::Cancelled]
            .into_iter()
            .find(|g| g.as_str() == value)
    }

    pub fn of(status: OrderStatus) -> StatusGroup {
        match status {
            OrderStatus::Delivered | OrderStatus::Completed => StatusGroup::Done,
            OrderStatus::Cancelled => StatusGroup::Cancelled,
            _ => StatusGroup::Open,
        }
    }
}

/// What the customer asked the order history for (from the address bar, so a filtered
/// page can be bookmarked and works without JavaScript).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryQuery {
    pub channel: Option<Channel>,
    pub status: Option<StatusGroup>,
    /// `30d`, `6m`, `12m` or a year such as `2025`.
    pub period: Option<String>,
    /// Order number or (part of) a product name.
    pub q: String,
    /// 1-based.
    pub page: u32,
}

impl HistoryQuery {
    /// Reads the query string values; anything unknown is ignored, not an error.
    pub fn from_params(channel: &str, status: &str, period: &str, q: &str, page: &str) -> Self {
        HistoryQuery {
            channel: Channel::parse(channel),
            status: StatusGroup::parse(status),
            period: Some(period.to_string()).filter(|p| is_period(p)),
            q: q.trim().chars().take(100).collect(),
            page: page.parse().unwrap_or(1).max(1),
        }
    }

    /// The address of this query (page `page`).
    pub fn href(&self, page: u32) -> String {
        let mut params = Vec::new();
        if let Some(c) = self.channel {
            params.push(format!("channel={}", c.as_str()));
        }
        if let Some(s) = self.status {
            params.push(format!("status={}", s.as_str()));
        }
        if let Some(p) = &self.period {
            params.push(format!("period={p}"));
        }
        if !self.q.is_empty() {
            let q: String = form_urlencoded::byte_serialize(self.q.as_bytes()).collect();
            params.push(format!("q={q}"));
        }
        if page > 1 {
            params.push(format!("page={page}"));
        }
        if params.is_empty() {
            "/account/orders".into()
        } else {
            format!("/account/orders?{}", params.join("&"))
        }
    }

    pub fn is_filtered(&self) -> bool {
        self.channel.is_some()
            || self.status.is_some()
            || self.period.is_some()
            || !self.q.is_empty()
    }
}

fn is_period(value: &str) -> bool {
    matches!(value, "30d" | "6m" | "12m")
        || (value.len() == 4
            && value
                .parse::<u32>()
                .is_ok_and(|y| (2000..=2100).contains(&y)))
}

/// One order in the customer's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryRow {
    pub number: String,
    pub channel: Channel,
    pub store_name: Option<String>,
    /// Local time (Europe/Amsterdam), `YYYY-MM-DDTHH:MM`.
    pub placed_local: String,
    pub status: OrderStatus,
    pub currency: String,
    pub total: i64,
    pub first_item: String,
    /// How many more lines there are besides the first.
    pub other_lines: i64,
    /// The customer asked to cancel it and the back office has not answered yet.
    pub cancellation_requested: bool,
    /// A colleague's name, for a company order someone else placed.
    pub ordered_by: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryPage {
    pub rows: Vec<HistoryRow>,
    /// Orders matching the query, on all pages.
    pub total: i64,
    pub page: u32,
    pub pages: u32,
    /// Years with orders, newest first, for the period filter.
    pub years: Vec<i32>,
}

/// Dutch prices include 21 % VAT; the receipt shows the part of the total that is VAT.
pub fn vat_included(total: i64) -> i64 {
    (total * 21 + 60) / 121
}

#[cfg(test)]
mod history_tests {
    use super::*;

    #[test]
    fn queries_round_trip_through_the_address() {
        let q = HistoryQuery::from_params("store", "open", "2025", " matras & kussen ", "3");
        assert_eq!(q.channel, Some(Channel::Store));
        assert_eq!(q.page, 3);
        assert_eq!(
            q.href(2),
            "/account/orders?channel=store&status=open&period=2025&q=matras+%26+kussen&page=2"
        );
        let junk = HistoryQuery::from_params("fax", "x", "1999y", "", "-4");
        assert_eq!(
            junk,
            HistoryQuery {
                page: 1,
                ..HistoryQuery::default()
            }
        );
        assert_eq!(junk.href(1), "/account/orders");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn vat_is_the_21_percent_inside_the_price() {
        assert_eq!(super::vat_included(12100), 2100);
        assert_eq!(super::vat_included(89900), 15602);
        assert_eq!(super::vat_included(0), 0);
    }
}
