//! The rules of orders: what a valid order from any channel is, who it belongs to, and
//! claiming a till receipt.
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{Channel, Fulfilment, Order, OrderStatus, OrderSummary, Payment, repo};
use crate::accounts::{looks_like_email, normalize_email};
use crate::customers::{PostalAddress, normalize_loyalty_card};
use crate::db::{Db, Timestamp, Tx};
use crate::error::AppError;
use crate::validate::{Checks, non_empty};

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

/// The whole order with this number, shipments and their events included.
pub async fn find_order(db: &Db, number: &str) -> Result<Option<Order>, AppError> {
    let Some((order_id, mut order)) = repo::find(db, number).await? else {
        return Ok(None);
    };
    order.shipments = crate::shipments::repo::for_order(db, order_id).await?;
    Ok(Some(order))
}

/// A customer's newest orders (at most `limit`) and how many they have in all.
pub async fn orders_of_customer(
    db: &Db,
    customer_id: i64,
    limit: i64,
) -> Result<(Vec<OrderSummary>, i64), AppError> {
    Ok(repo::for_customer(db, customer_id, limit.clamp(1, 500)).await?)
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

/// The time zone the portal shows times in (the retailer's).
pub const LOCAL_TZ: chrono_tz::Tz = chrono_tz::Europe::Amsterdam;

/// `YYYY-MM-DDTHH:MM` in the portal's time zone.
pub fn local_time(at: Timestamp) -> String {
    at.0.with_timezone(&LOCAL_TZ)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

fn local_midnight(date: chrono::NaiveDate) -> Timestamp {
    use chrono::TimeZone;
    let naive = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    Timestamp(
        LOCAL_TZ
            .from_local_datetime(&naive)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| naive.and_utc()),
    )
}

/// The `[from, until)` of a period filter.
fn period_bounds(period: Option<&str>, now: Timestamp) -> (Timestamp, Timestamp) {
    // Four-digit years at both ends: on SQLite times compare as text.
    let open = (
        Timestamp(DateTime::<Utc>::UNIX_EPOCH),
        Timestamp(DateTime::<Utc>::UNIX_EPOCH + chrono::TimeDelta::days(365 * 8000)),
    );
    let ago = |days: i64| (now - chrono::TimeDelta::days(days), open.1);
    match period {
        Some("30d") => ago(30),
        Some("6m") => ago(183),
        Some("12m") => ago(365),
        Some(year) => match year.parse::<i32>() {
            Ok(y) => match (
                chrono::NaiveDate::from_ymd_opt(y, 1, 1),
                chrono::NaiveDate::from_ymd_opt(y + 1, 1, 1),
            ) {
                (Some(a), Some(b)) => (local_midnight(a), local_midnight(b)),
                _ => open,
            },
            Err(_) => open,
        },
        None => open,
    }
}

fn like_pattern(q: &str) -> String {
    if q.is_empty() {
        return String::new();
    }
    let mut out = String::from("%");
    for c in q.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// One page of the order history of a customer (`None`: a user no customer is linked
/// to yet, who has no orders).
pub async fn order_history(
    db: &Db,
    customer_id: Option<i64>,
    query: &super::HistoryQuery,
) -> Result<super::HistoryPage, AppError> {
    use super::{HistoryPage, PAGE_SIZE};
    let Some(customer_id) = customer_id else {
        return Ok(HistoryPage {
            rows: Vec::new(),
            total: 0,
            page: 1,
            pages: 1,
            years: Vec::new(),
        });
    };
    let (from, until) = period_bounds(query.period.as_deref(), Timestamp::now());
    let pattern = like_pattern(&query.q);
    let with_companies = repo::buys_for_a_company(db, customer_id).await?;
    let filter = repo::HistoryFilter {
        customer_id,
        with_companies,
        channel: query.channel,
        status_group: query.status.map(|s| s.as_str()).unwrap_or_default(),
        from,
        until,
        pattern: &pattern,
    };
    let total = repo::history_count(db, &filter).await?;
    let pages = (total.max(1) as u32).div_ceil(PAGE_SIZE);
    let page = query.page.clamp(1, pages);
    let rows = repo::history_page(
        db,
        &filter,
        i64::from(PAGE_SIZE),
        i64::from((page - 1) * PAGE_SIZE),
    )
    .await?;
    let years = match repo::history_span(db, customer_id, with_companies).await? {
        Some((oldest, newest)) => {
            let year = |t: Timestamp| {
                t.0.with_timezone(&LOCAL_TZ)
                    .format("%Y")
                    .to_string()
                    .parse::<i32>()
                    .unwrap_or(2000)
            };
            (year(oldest)..=year(newest)).rev().collect()
        }
        None => Vec::new(),
    };
    Ok(HistoryPage {
        rows: rows.into_iter().map(history_row).collect(),
        total,
        page,
        pages,
        years,
    })
}

/// An order of this customer, with shipments; `NotFound` for anyone else's.
///
/// `basket_configured`: whether the webshop's basket address is set (then consumers can
/// buy again); `retailer`: the name our own delivery team goes by.
pub async fn my_order(
    db: &Db,
    customer_id: Option<i64>,
    number: &str,
    basket_configured: bool,
    retailer: &str,
) -> Result<super::CustomerOrder, AppError> {
    let customer_id = customer_id.ok_or(AppError::NotFound)?;
    let (order_id, mut order) = repo::find_for_customer(db, customer_id, number)
        .await?
        .ok_or(AppError::NotFound)?;
    order.shipments = crate::shipments::repo::for_order(db, order_id).await?;
    let placed_local = chrono::DateTime::parse_from_rfc3339(&order.placed_at)
        .map(|t| local_time(Timestamp(t.with_timezone(&Utc))))
        .unwrap_or_default();
    let cancellation =
        crate::cancellations::service::latest_for_order(db, order_id, &order.number).await?;
    let open = cancellation
        .as_ref()
        .is_some_and(|c| c.status == crate::cancellations::CancellationStatus::Requested);
    let cancellable =
        crate::cancellations::service::blocked_reason(&order, !order.shipments.is_empty(), open)
            .is_none();
    let ordered_by = repo::ordered_by_other(db, order_id, customer_id).await?;
    let for_company = crate::reorders::service::is_company_order(&order);
    let reorder = if for_company {
        crate::reorders::service::latest_for_order(db, order_id, &order.number).await?
    } else {
        None
    };
    let tracking = crate::tracking::service::order_tracking(
        db,
        order_id,
        &order,
        retailer,
        crate::tracking::service::Audience::Owner,
    )
    .await?;
    let returnable = crate::returns::service::options_for(db, order_id, &order)
        .await?
        .lines
        .iter()
        .any(|l| l.blocked.is_none());
    let returns = crate::returns::repo::of_order(db, order_id).await?;
    Ok(super::CustomerOrder {
        returnable,
        returns,
        tracking,
        order,
        placed_local,
        cancellation,
        cancellable,
        ordered_by,
        reorder,
        can_buy_again: for_company || basket_configured,
    })
}

fn history_row(r: repo::HistoryRowData) -> super::HistoryRow {
    super::HistoryRow {
        number: r.number,
        channel: Channel::parse(&r.channel).unwrap_or(Channel::Webshop),
        store_name: r.store_name,
        placed_local: local_time(r.placed_at),
        status: OrderStatus::parse(&r.status).unwrap_or(OrderStatus::Received),
        currency: r.currency,
        total: r.total_minor,
        first_item: r.first_item.unwrap_or_default(),
        other_lines: (r.line_count - 1).max(0),
        cancellation_requested: r.cancellation_requested,
        ordered_by: r.ordered_by,
    }
}

/// Orders placed as a guest with the user's (confirmed) e-mail address: offered to them,
/// attached only when they say they are theirs.
pub async fn offered_guest_orders(
    db: &Db,
    user: &crate::accounts::UserSummary,
) -> Result<Vec<super::HistoryRow>, AppError> {
    if !user.verified {
        return Ok(Vec::new());
    }
    let rows = repo::guest_orders(db, &normalize_email(&user.email)).await?;
    Ok(rows.into_iter().map(history_row).collect())
}

/// Attaches the guest orders the user confirmed (by number); only ones placed with their
/// confirmed e-mail address can be attached. Returns how many.
pub async fn attach_guest_orders(
    db: &Db,
    user: &crate::accounts::UserSummary,
    numbers: &[String],
) -> Result<u64, AppError> {
    if !user.verified {
        return Err(AppError::invalid("orders", "verify_email_first"));
    }
    let customer_id = crate::customers::service::ensure_customer_for_user(db, user).await?;
    let email = normalize_email(&user.email);
    let mut tx = db.begin().await?;
    let mut attached = 0;
    for number in numbers
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .take(50)
    {
        attached += repo::attach_guest_order(&mut tx, customer_id, &email, number).await?;
    }
    tx.commit().await?;
    Ok(attached)
}
