//! The rules of orders: what a valid order from any channel is, who it belongs to, and
//! claiming a till receipt.
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{Channel, Fulfilment, Order, OrderStatus, OrderSummary, Payment, history_repo, repo};
use crate::customers::{PostalAddress, normalize_loyalty_card};
use crate::db::{Db, Timestamp, Tx};
use crate::error::AppError;
use crate::validate::{Checks, non_empty};
use crate::validate::{looks_like_email, normalize_email};

/// Most lines one order may have.
pub const MAX_LINES: usize = 500;
/// Most pieces on one line, and the highest price of one piece (minor units): beyond
/// these it is a typo, not an order.
const MAX_QUANTITY: i64 = 10_000;
const MAX_UNIT_PRICE: i64 = 1_000_000_000;

/// An order as the webshop, a till or the back office sends it
/// (`PUT /api/v1/orders/{number}`).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderInput {
    pub channel: Channel,
    /// RFC 3339, e.g. `2026-11-20T14:05:00+01:00`; stored in UTC.
    pub placed_at: DateTime<Utc>,
    pub status: OrderStatus,
    /// Default: `carry_out` for a store purchase, else `delivery`.
    #[serde(default)]
    pub fulfilment: Option<Fulfilment>,
    /// Store code where a click & collect order waits.
    #[serde(default)]
    pub collect_store: Option<String>,
    /// The customer number, when the system knows the customer.
    #[serde(default)]
    pub customer: Option<String>,
    /// The buyer's e-mail address (a guest order, or given at the till).
    #[serde(default)]
    pub email: Option<String>,
    /// The loyalty card scanned at the till: the purchase goes to its holder.
    #[serde(default)]
    pub loyalty_card: Option<String>,
    /// Store code; required for `store` purchases.
    #[serde(default)]
    pub store: Option<String>,
    /// Company id; required for `b2b` orders.
    #[serde(default)]
    pub company: Option<String>,
    /// ISO 4217, e.g. `EUR`; every amount of the order is in it.
    pub currency: String,
    pub lines: Vec<LineInput>,
    /// Order-level discount, minor units.
    #[serde(default)]
    pub discount: i64,
    /// Shipping cost, minor units.
    #[serde(default)]
    pub shipping: i64,
    /// When given, must equal the lines minus discounts plus shipping.
    #[serde(default)]
    pub total: Option<i64>,
    #[serde(default)]
    pub payments: Vec<Payment>,
    #[serde(default)]
    pub delivery_address: Option<PostalAddress>,
    #[serde(default)]
    pub billing_address: Option<PostalAddress>,
    /// The till slip of a store purchase.
    #[serde(default)]
    pub receipt: Option<ReceiptInput>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineInput {
    pub sku: String,
    pub quantity: i64,
    /// Minor units, per piece.
    pub unit_price: i64,
    /// Minor units, for the whole line.
    #[serde(default)]
    pub discount: i64,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptInput {
    /// The code printed on the till slip (letters and digits; spaces and dashes ignored).
    pub code: String,
    #[serde(default)]
    pub till: Option<String>,
}

/// A receipt code as printed, in the one form it is stored and looked up in.
pub fn normalize_receipt_code(code: &str) -> Option<String> {
    let compact: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_uppercase();
    ((6..=32).contains(&compact.len()) && compact.chars().all(|c| c.is_ascii_alphanumeric()))
        .then_some(compact)
}

struct Totals {
    subtotal: i64,
    total: i64,
    item_count: i64,
    line_totals: Vec<i64>,
}

/// Checks everything that needs no database, and computes the totals.
fn check_input(number: &str, input: &mut OrderInput, checks: &mut Checks) -> Totals {
    checks.external_id("number", number);
    checks.currency("currency", &input.currency);
    if input.placed_at > Utc::now() + chrono::TimeDelta::days(1) {
        checks.push("placed_at", "in_future");
    }
    match input.channel {
        Channel::Store if non_empty(input.store.as_deref()).is_none() => {
            checks.push("store", "required")
        }
        Channel::B2b if non_empty(input.company.as_deref()).is_none() => {
            checks.push("company", "required")
        }
        _ => {}
    }
    if input.receipt.is_some() && input.channel != Channel::Store {
        checks.push("receipt", "only_for_store_purchases");
    }
    if let Some(receipt) = &mut input.receipt {
        match normalize_receipt_code(&receipt.code) {
            Some(code) => receipt.code = code,
            None => checks.push("receipt.code", "invalid"),
        }
        checks.optional_text("receipt.till", receipt.till.as_deref(), 32);
    }
    let fulfilment = input
        .fulfilment
        .unwrap_or(if input.channel == Channel::Store {
            Fulfilment::CarryOut
        } else {
            Fulfilment::Delivery
        });
    input.fulfilment = Some(fulfilment);
    if fulfilment == Fulfilment::Collect && non_empty(input.collect_store.as_deref()).is_none() {
        checks.push("collect_store", "required");
    }
    if let Some(email) = non_empty(input.email.as_deref())
        && !looks_like_email(email)
    {
        checks.push("email", "invalid");
    }
    if let Some(card) = non_empty(input.loyalty_card.as_deref()) {
        match normalize_loyalty_card(card) {
            Some(card) => input.loyalty_card = Some(card),
            None => checks.push("loyalty_card", "invalid"),
        }
    }
    if input.lines.is_empty() {
        checks.push("lines", "required");
    } else if input.lines.len() > MAX_LINES {
        checks.push("lines", "too_many");
    }
    let mut totals = Totals {
        subtotal: 0,
        total: 0,
        item_count: 0,
        line_totals: Vec::with_capacity(input.lines.len()),
    };
    for (i, line) in input.lines.iter_mut().enumerate() {
        line.sku = line.sku.trim().to_string();
        checks.external_id(&format!("lines[{i}].sku"), &line.sku);
        if line.quantity <= 0 {
            checks.push(format!("lines[{i}].quantity"), "must_be_positive");
        } else if line.quantity > MAX_QUANTITY {
            checks.push(format!("lines[{i}].quantity"), "too_large");
        }
        if line.unit_price < 0 {
            checks.push(format!("lines[{i}].unit_price"), "negative");
        } else if line.unit_price > MAX_UNIT_PRICE {
            checks.push(format!("lines[{i}].unit_price"), "too_large");
        }
        let gross = line.quantity.clamp(0, MAX_QUANTITY) * line.unit_price.clamp(0, MAX_UNIT_PRICE);
        if line.discount < 0 {
            checks.push(format!("lines[{i}].discount"), "negative");
        } else if line.discount > gross {
            checks.push(format!("lines[{i}].discount"), "exceeds_line");
        }
        let line_total = gross - line.discount.clamp(0, gross);
        totals.line_totals.push(line_total);
        totals.subtotal += line_total;
        totals.item_count += line.quantity.clamp(0, MAX_QUANTITY);
    }
    checks.not_negative("shipping", input.shipping);
    if input.discount < 0 {
        checks.push("discount", "negative");
    } else if input.discount > totals.subtotal {
        checks.push("discount", "exceeds_subtotal");
    }
    totals.total = totals.subtotal - input.discount.max(0) + input.shipping.max(0);
    if input.total.is_some_and(|given| given != totals.total) {
        checks.push("total", "total_mismatch");
    }
    for (i, payment) in input.payments.iter().enumerate() {
        checks.text(&format!("payments[{i}].method"), &payment.method, 32);
        checks.not_negative(&format!("payments[{i}].amount"), payment.amount);
        if payment.currency != input.currency {
            checks.push(format!("payments[{i}].currency"), "currency_mismatch");
        }
    }
    if let Some(a) = &mut input.delivery_address {
        a.check("delivery_address", checks);
    }
    if let Some(a) = &mut input.billing_address {
        a.check("billing_address", checks);
    }
    totals
}

async fn known_store_id(
    tx: &mut Tx,
    code: Option<&str>,
    field: &str,
    checks: &mut Checks,
) -> Result<Option<i64>, AppError> {
    let Some(code) = non_empty(code) else {
        return Ok(None);
    };
    let id = crate::stores::repo::id_by_code(tx, code).await?;
    if id.is_none() {
        checks.push(field, "unknown_store");
    }
    Ok(id)
}

/// Creates or updates an order by its number: all of it in one transaction, or nothing.
pub async fn upsert_order(db: &Db, number: &str, mut input: OrderInput) -> Result<Order, AppError> {
    let mut checks = Checks::new();
    let totals = check_input(number, &mut input, &mut checks);
    checks.stop_if_any()?;
    let now = Timestamp::now();
    let mut tx = db.begin().await?;

    let store_id = known_store_id(&mut tx, input.store.as_deref(), "store", &mut checks).await?;
    let collect_store_id = known_store_id(
        &mut tx,
        input.collect_store.as_deref(),
        "collect_store",
        &mut checks,
    )
    .await?;
    let company_id = match non_empty(input.company.as_deref()) {
        None => None,
        Some(company) => {
            let id = crate::companies::repo::id_by_external_id(&mut tx, company).await?;
            if id.is_none() {
                checks.push("company", "unknown_company");
            }
            id
        }
    };
    // A till purchase is the customer's when they showed their card or gave their e-mail
    // address; an online guest order waits until the customer confirms it is theirs.
    let customer_id = match crate::customers::service::resolve_buyer(
        &mut tx,
        non_empty(input.customer.as_deref()),
        input.loyalty_card.as_deref(),
        non_empty(input.email.as_deref()),
        input.channel == Channel::Store,
    )
    .await?
    {
        Ok(id) => id,
        Err(field) => {
            checks.push(field, "unknown_customer");
            None
        }
    };
    let skus: Vec<&str> = input.lines.iter().map(|l| l.sku.as_str()).collect();
    let products = crate::catalog::repo::ids_by_sku(&mut tx, &skus).await?;
    for (i, line) in input.lines.iter().enumerate() {
        if !products.contains_key(&line.sku) {
            checks.push(format!("lines[{i}].sku"), "unknown_sku");
        }
    }
    let existing = repo::id_by_number(&mut tx, number).await?;
    if let Some(order_id) = existing
        && repo::shipped_beyond(&mut tx, order_id, input.lines.len() as i32).await?
    {
        checks.push("lines", "shipped_line_removed");
    }
    if let Some(receipt) = &input.receipt
        && let Some(owner) = repo::order_by_receipt_code(&mut tx, &receipt.code).await?
        && Some(owner) != existing
    {
        checks.push("receipt.code", "taken");
    }
    checks.finish()?;

    let email = non_empty(input.email.as_deref());
    let email_normalized = email.map(normalize_email);
    let payments_json = serde_json::to_string(&input.payments).map_err(|_| AppError::Internal)?;
    let address_json =
        |a: &Option<PostalAddress>| a.as_ref().and_then(|a| serde_json::to_string(a).ok());
    let delivery = address_json(&input.delivery_address);
    let billing = address_json(&input.billing_address);
    let order_id = repo::upsert(
        &mut tx,
        &repo::OrderFields {
            number,
            channel: input.channel,
            store_id,
            customer_id,
            company_id,
            email,
            email_normalized: email_normalized.as_deref(),
            loyalty_card: input.loyalty_card.as_deref(),
            placed_at: Timestamp(input.placed_at),
            status: input.status,
            fulfilment: input.fulfilment.unwrap_or(Fulfilment::Delivery),
            collect_store_id,
            currency: &input.currency,
            subtotal: totals.subtotal,
            discount: input.discount,
            shipping: input.shipping,
            total: totals.total,
            item_count: totals.item_count as i32,
            payments_json: &payments_json,
            delivery_address_json: delivery.as_deref(),
            billing_address_json: billing.as_deref(),
        },
        now,
    )
    .await?;
    let lines: Vec<repo::LineFields> = input
        .lines
        .iter()
        .zip(&totals.line_totals)
        .enumerate()
        .map(|(i, (line, total))| {
            let (product_id, name) = &products[&line.sku];
            repo::LineFields {
                line_no: i as i32 + 1,
                product_id: *product_id,
                sku: &line.sku,
                name,
                quantity: line.quantity as i32,
                unit_price: line.unit_price,
                discount: line.discount,
                total: *total,
            }
        })
        .collect();
    repo::replace_lines(&mut tx, order_id, &lines).await?;
    if let (Some(receipt), Some(store_id)) = (&input.receipt, store_id) {
        repo::upsert_receipt(
            &mut tx,
            order_id,
            &receipt.code,
            store_id,
            non_empty(receipt.till.as_deref()),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    find_order(db, number).await?.ok_or(AppError::Internal)
}

/// The row id of the order with this number; `NotFound` when there is none.
pub async fn id_of(db: &Db, number: &str) -> Result<i64, AppError> {
    let mut tx = db.begin().await?;
    let id = repo::id_by_number(&mut tx, number).await?;
    tx.commit().await?;
    id.ok_or(AppError::NotFound)
}

/// Whose order may be loaded: anyone's (the integration API, the store desk, background
/// checks) or only this customer's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whose {
    Anyone,
    Customer(i64),
}

/// The whole order with this number — lines, receipt, shipments and their events — and
/// its id; `None` when there is none, or it is not the customer's (the same answer, so
/// order numbers cannot be probed).
pub async fn load_with_shipments(
    db: &Db,
    number: &str,
    whose: Whose,
) -> Result<Option<(i64, Order)>, AppError> {
    let found = match whose {
        Whose::Anyone => repo::find(db, number).await?,
        Whose::Customer(customer_id) => repo::find_for_customer(db, customer_id, number).await?,
    };
    let Some((order_id, mut order)) = found else {
        return Ok(None);
    };
    order.shipments = crate::shipments::repo::for_order(db, order_id).await?;
    Ok(Some((order_id, order)))
}

/// The customer's own order with its shipments; `NotFound` for anyone else's, and for a
/// user no customer is linked to yet.
pub async fn own_with_shipments(
    db: &Db,
    customer_id: Option<i64>,
    number: &str,
) -> Result<(i64, Order), AppError> {
    let customer_id = customer_id.ok_or(AppError::NotFound)?;
    load_with_shipments(db, number, Whose::Customer(customer_id))
        .await?
        .ok_or(AppError::NotFound)
}

/// The whole order with this number, shipments and their events included.
pub async fn find_order(db: &Db, number: &str) -> Result<Option<Order>, AppError> {
    Ok(load_with_shipments(db, number, Whose::Anyone)
        .await?
        .map(|(_, order)| order))
}

/// A customer's newest orders (at most `limit`) and how many they have in all.
pub async fn orders_of_customer(
    db: &Db,
    customer_id: i64,
    limit: i64,
) -> Result<(Vec<OrderSummary>, i64), AppError> {
    Ok(history_repo::for_customer(db, customer_id, limit.clamp(1, 500)).await?)
}

/// A customer, their newest `limit` orders (1–500) and how many orders they have.
pub async fn customer_with_orders(
    db: &Db,
    external_id: &str,
    limit: i64,
) -> Result<(crate::customers::Customer, Vec<super::OrderSummary>, i64), AppError> {
    let (id, customer) = crate::customers::repo::find_by_external_id(db, external_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (orders, count) = orders_of_customer(db, id, limit).await?;
    Ok((customer, orders, count))
}

/// Gives the purchase on a till slip to the customer who has the slip. The same answer
/// for an unknown code and one claimed before, so codes cannot be probed.
pub async fn claim_receipt(db: &Db, customer_id: i64, code: &str) -> Result<String, AppError> {
    let Some(code) = normalize_receipt_code(code) else {
        return Err(AppError::invalid("code", "invalid"));
    };
    let mut tx = db.begin().await?;
    let number = repo::claim_receipt(&mut tx, &code, customer_id, Timestamp::now())
        .await?
        .ok_or_else(|| AppError::invalid("code", "not_claimable"))?;
    tx.commit().await?;
    Ok(number)
}
