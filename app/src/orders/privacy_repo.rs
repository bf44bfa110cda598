//! A customer's orders, their lines and till receipts as a data export writes them
//! (`privacy::export`), a page at a time so a long history never sits in memory whole
//! (the field names are the export's columns, amounts as decimal text); and how erasure
//! anonymises the orders the retailer must keep (`privacy::erasure`).
use serde::Serialize;

use crate::db::{Db, Timestamp, Tx, minor_as_decimal};
use crate::{db_run, tx_run};

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct OrderRow {
    #[serde(skip)]
    pub id: i64,
    pub number: String,
    pub channel: String,
    pub store: Option<String>,
    pub placed_at: Timestamp,
    pub status: String,
    pub fulfilment: String,
    pub currency: String,
    #[serde(serialize_with = "minor_as_decimal")]
    pub subtotal: i64,
    #[serde(serialize_with = "minor_as_decimal")]
    pub discount: i64,
    #[serde(serialize_with = "minor_as_decimal")]
    pub shipping: i64,
    #[serde(serialize_with = "minor_as_decimal")]
    pub total: i64,
    pub item_count: i32,
    /// JSON text, as the order recorded it.
    pub payments: String,
    pub delivery_address: Option<String>,
    pub billing_address: Option<String>,
    pub email: Option<String>,
}

/// The customer's orders with an id after `after`, at most `limit`, in id order.
pub async fn orders(
    db: &Db,
    customer_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<OrderRow>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT o.id, o.number, o.channel, s.name AS store, o.placed_at, o.status, o.fulfilment, \
                o.currency, o.subtotal_minor AS subtotal, o.discount_minor AS discount, \
                o.shipping_minor AS shipping, o.total_minor AS total, o.item_count, o.payments, \
                o.delivery_address, o.billing_address, o.email \
         FROM orders o LEFT JOIN stores s ON s.id = o.store_id \
         WHERE o.customer_id = $1 AND o.id > $2 ORDER BY o.id LIMIT $3"
    )
    .bind(customer_id)
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await)
}

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct OrderLineRow {
    /// The order's id: lines come a page of orders at a time.
    #[serde(skip)]
    pub order_id: i64,
    pub order_number: String,
    pub line_no: i32,
    pub sku: String,
    pub name: String,
    pub quantity: i32,
    #[serde(serialize_with = "minor_as_decimal")]
    pub unit_price: i64,
    #[serde(serialize_with = "minor_as_decimal")]
    pub discount: i64,
    #[serde(serialize_with = "minor_as_decimal")]
    pub total: i64,
    pub cancelled_quantity: i32,
    pub returned_quantity: i32,
}

/// Every line of the customer's next `limit` orders after order id `after`.
pub async fn order_lines(
    db: &Db,
    customer_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<OrderLineRow>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT l.order_id, o.number AS order_number, l.line_no, l.sku, l.name, l.quantity, \
                l.unit_price_minor AS unit_price, l.discount_minor AS discount, \
                l.total_minor AS total, l.cancelled_quantity, l.returned_quantity \
         FROM order_lines l JOIN orders o ON o.id = l.order_id \
         WHERE l.order_id IN (SELECT id FROM orders WHERE customer_id = $1 AND id > $2 \
                              ORDER BY id LIMIT $3) \
         ORDER BY l.order_id, l.line_no"
    )
    .bind(customer_id)
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await)
}

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct StorePurchaseRow {
    #[serde(skip)]
    pub id: i64,
    pub order_number: String,
    pub receipt_code: String,
    pub store: String,
    pub till: Option<String>,
    pub bought_at: Timestamp,
    /// When the customer added the receipt to their account (else it came with their card).
    pub claimed_at: Option<Timestamp>,
    pub currency: String,
    #[serde(serialize_with = "minor_as_decimal")]
    pub total: i64,
}

/// The customer's till receipts with an id after `after`, at most `limit`.
pub async fn store_purchases(
    db: &Db,
    customer_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<StorePurchaseRow>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT r.id, o.number AS order_number, r.code AS receipt_code, s.name AS store, r.till, \
                o.placed_at AS bought_at, r.claimed_at, o.currency, o.total_minor AS total \
         FROM receipts r JOIN orders o ON o.id = r.order_id JOIN stores s ON s.id = r.store_id \
         WHERE o.customer_id = $1 AND r.id > $2 ORDER BY r.id LIMIT $3"
    )
    .bind(customer_id)
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await)
}

/// The customer's orders, and guest orders placed with their (normalised) e-mail address
/// that were never linked to them: theirs too when it comes to their data.
const THEIRS: &str = "(customer_id = $1 OR (customer_id IS NULL AND email_normalized = $2 AND anonymised_at IS NULL))";

/// Numbers of the customer's orders that are not done yet (they hold an erasure back).
pub async fn open_orders(
    db: &Db,
    customer_id: i64,
    email_normalized: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let sql = format!(
        "SELECT number FROM orders WHERE {THEIRS} \
         AND status NOT IN ('delivered', 'completed', 'cancelled') ORDER BY placed_at, id"
    );
    let rows: Vec<(String,)> = db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(customer_id)
        .bind(email_normalized)
        .fetch_all(pool)
        .await)?;
    Ok(rows.into_iter().map(|(n,)| n).collect())
}

/// When the customer's newest order was placed (what keeps records longest).
pub async fn newest_placed_at(db: &Db, customer_id: i64) -> Result<Option<Timestamp>, sqlx::Error> {
    let row: (Option<Timestamp>,) = db_run!(db, |pool| sqlx::query_as(
        "SELECT MAX(placed_at) FROM orders WHERE customer_id = $1"
    )
    .bind(customer_id)
    .fetch_one(pool)
    .await)?;
    Ok(row.0)
}

/// An order to anonymise: id, when placed, the address snapshots.
pub type OrderToAnonymise = (i64, Timestamp, Option<String>, Option<String>);

pub async fn to_anonymise(
    tx: &mut Tx,
    customer_id: i64,
    email_normalized: &str,
) -> Result<Vec<OrderToAnonymise>, sqlx::Error> {
    let sql = format!(
        "SELECT id, placed_at, delivery_address, billing_address FROM orders WHERE {THEIRS}"
    );
    tx_run!(tx, |conn| sqlx::query_as(&sql)
        .bind(customer_id)
        .bind(email_normalized)
        .fetch_all(conn)
        .await)
}

/// Keeps an order only as the law needs it: no e-mail or loyalty card, the addresses as
/// given (already reduced), nobody's (the customer goes), deleted after `retain_until`.
pub async fn anonymise(
    tx: &mut Tx,
    order_id: i64,
    delivery_address: Option<&str>,
    billing_address: Option<&str>,
    now: Timestamp,
    retain_until: Timestamp,
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE orders SET email = NULL, email_normalized = NULL, loyalty_card = NULL, \
                delivery_address = $2, billing_address = $3, anonymised_at = $4, \
                retain_until = $5, customer_id = NULL, updated_at = $4 \
         WHERE id = $1"
    )
    .bind(order_id)
    .bind(delivery_address)
    .bind(billing_address)
    .bind(now)
    .bind(retain_until)
    .execute(conn)
    .await
    .map(|_| ()))
}

/// Deletes anonymised orders whose retention period has ended (with their lines,
/// receipts, parcels and returns). How many.
pub async fn purge_kept(db: &Db, now: Timestamp) -> Result<u64, sqlx::Error> {
    db_run!(db, |pool| sqlx::query(
        "DELETE FROM orders WHERE retain_until IS NOT NULL AND retain_until <= $1"
    )
    .bind(now)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
}
