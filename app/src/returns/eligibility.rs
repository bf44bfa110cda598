//! What can be returned: the day each line reached the customer, and what each line of
//! an order allows today under the policy (`policy`).
use chrono::NaiveDate;

use super::policy::{LineFacts, Verdict};
use super::{LineChoice, ReturnOptions, repo};
use crate::db::Db;
use crate::error::AppError;
use crate::orders::{Channel, Fulfilment, Order, OrderStatus};

/// The local day each line reached the customer: delivered (its parcel's delivery event),
/// bought in the store, or the order's own delivered/completed status.
pub(super) fn received_on(order: &Order, line_no: i32) -> Option<NaiveDate> {
    let local = crate::time::local_date;
    if order.channel == Channel::Store || order.fulfilment == Fulfilment::CarryOut {
        return Some(local(order.placed_at));
    }
    let delivered = order
        .shipments
        .iter()
        .filter(|s| s.lines.iter().any(|l| l.line == line_no))
        .filter_map(|s| {
            s.events
                .iter()
                .filter(|e| {
                    crate::shipments::carriers::map_event(&s.carrier, &e.code)
                        == Some(crate::shipments::TrackingStatus::Delivered)
                })
                .map(|e| local(e.occurred_at))
                .max()
        })
        .max();
    delivered.or_else(|| {
        matches!(
            order.status,
            OrderStatus::Delivered | OrderStatus::Completed
        )
        .then(|| local(order.placed_at))
    })
}

/// What each line of this (loaded, with shipments) order allows today.
pub async fn options_for(db: &Db, order_id: i64, order: &Order) -> Result<ReturnOptions, AppError> {
    let policy = repo::policy(db).await?;
    let returned = repo::returned_quantities(db, order_id).await?;
    let (_, today) = crate::time::clock();
    let skus: Vec<&str> = order.lines.iter().map(|l| l.sku.as_str()).collect();
    let products = crate::catalog::repo::return_facts(db, &skus).await?;
    let families: Vec<&str> = products
        .iter()
        .filter_map(|p| p.variant_of.as_deref())
        .collect();
    let variants = crate::catalog::repo::variants(db, &families).await?;
    let mut lines = Vec::with_capacity(order.lines.len());
    for l in &order.lines {
        let rules = products.iter().find(|p| p.sku == l.sku);
        let (category, returnable, product_days) = match rules {
            Some(p) => (Some(p.category.as_str()), p.returnable, p.return_days),
            None => (None, true, None),
        };
        let exchange_options: Vec<super::ExchangeOption> = rules
            .and_then(|p| p.variant_of.as_deref())
            .map(|family| {
                variants
                    .iter()
                    .filter(|(f, sku, _)| f == family && *sku != l.sku)
                    .map(|(_, sku, name)| super::ExchangeOption {
                        sku: sku.clone(),
                        name: name.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let facts = LineFacts {
            category,
            returnable,
            product_days,
            bought: l.quantity - l.cancelled,
            returned: returned
                .iter()
                .find(|(n, _)| *n == l.line)
                .map(|(_, q)| *q)
                .unwrap_or(0),
            received_on: received_on(order, l.line),
        };
        let verdict = policy.verdict(&facts, today);
        let large = category.is_some_and(|c| super::LARGE_CATEGORIES.contains(&c));
        let unit_refund = if l.quantity > 0 {
            l.total / i64::from(l.quantity)
        } else {
            0
        };
        lines.push(match verdict {
            Verdict::Returnable { until, left, trial } => LineChoice {
                line: l.line,
                sku: l.sku.clone(),
                name: l.name.clone(),
                left,
                unit_refund,
                until: Some(until.to_string()),
                trial,
                blocked: None,
                large,
                ended_on: None,
                exchange_options,
            },
            Verdict::NotReturnable { reason, ended_on } => LineChoice {
                line: l.line,
                sku: l.sku.clone(),
                name: l.name.clone(),
                left: 0,
                unit_refund,
                until: None,
                trial: false,
                large,
                blocked: Some(reason),
                ended_on: ended_on.map(|d| d.to_string()),
                exchange_options: Vec::new(),
            },
        });
    }
    Ok(ReturnOptions {
        number: order.number.clone(),
        currency: order.currency.clone(),
        lines,
        carrier_cost: policy.carrier_cost,
        refund_to: order.payments.first().map(|p| p.method.clone()),
        conditions_nl: policy.conditions_nl.clone(),
        conditions_en: policy.conditions_en.clone(),
    })
}

pub(super) async fn load_order(db: &Db, number: &str) -> Result<(i64, Order), AppError> {
    crate::orders::service::load_with_shipments(db, number, crate::orders::service::Whose::Anyone)
        .await?
        .ok_or(AppError::NotFound)
}

/// One of the customer's orders and what each of its lines allows them: a viewer of the
/// company that placed it may return nothing (every line blocked as `viewer`).
pub(super) async fn own_order_options(
    db: &Db,
    customer_id: Option<i64>,
    number: &str,
) -> Result<(i64, Order, ReturnOptions), AppError> {
    let (order_id, order) =
        crate::orders::service::own_with_shipments(db, customer_id, number).await?;
    let mut options = options_for(db, order_id, &order).await?;
    if !crate::companies::service::may_act_for(db, customer_id, order.company.as_deref()).await? {
        for line in &mut options.lines {
            *line = LineChoice {
                left: 0,
                until: None,
                trial: false,
                blocked: Some("viewer".into()),
                ended_on: None,
                exchange_options: Vec::new(),
                ..line.clone()
            };
        }
    }
    Ok((order_id, order, options))
}

/// The return form of one of the customer's orders.
pub async fn return_options(
    db: &Db,
    customer_id: Option<i64>,
    number: &str,
) -> Result<ReturnOptions, AppError> {
    Ok(own_order_options(db, customer_id, number).await?.2)
}

/// The return form of one of the customer's orders, with the stores to drop off at and the
/// order's earlier returns.
pub async fn return_choice(
    db: &Db,
    customer_id: Option<i64>,
    number: &str,
) -> Result<super::ReturnFormData, AppError> {
    let (order_id, _, options) = own_order_options(db, customer_id, number).await?;
    Ok(super::ReturnFormData {
        options,
        stores: crate::stores::repo::search(db, "").await?,
        existing: repo::of_order(db, order_id).await?,
    })
}
