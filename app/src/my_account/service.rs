//! What the overview and an order's page show, gathered from the areas.
use super::Overview;
use crate::accounts::UserSummary;
use crate::db::Db;
use crate::error::AppError;
use crate::orders::history::{first_rows, order_history};
use crate::orders::service::own_with_shipments;
use crate::orders::{HistoryQuery, StatusGroup};

pub async fn overview(
    db: &Db,
    user: &UserSummary,
    customer_id: Option<i64>,
    retailer: &str,
) -> Result<Overview, AppError> {
    let open = HistoryQuery {
        status: Some(StatusGroup::Open),
        page: 1,
        ..HistoryQuery::default()
    };
    // Every open order (the first page of them) counts for "needs your attention", read
    // from their parcels in a few queries; the newest five are listed with their status.
    let mut on_the_way =
        first_rows(db, customer_id, &open, i64::from(crate::orders::PAGE_SIZE)).await?;
    let numbers: Vec<&str> = on_the_way.iter().map(|r| r.number.as_str()).collect();
    let crate::tracking::service::OnTheWay {
        attention,
        statuses: mut on_the_way_status,
    } = crate::tracking::service::on_the_way(db, &numbers, retailer).await?;
    on_the_way.truncate(5);
    on_the_way_status.truncate(5);
    let all = order_history(
        db,
        customer_id,
        &HistoryQuery {
            page: 1,
            ..HistoryQuery::default()
        },
    )
    .await?;
    let loyalty_card = match customer_id {
        Some(id) => crate::customers::repo::loyalty_card(db, id).await?,
        None => None,
    };
    let guest_orders = crate::orders::history::offered_guest_orders(db, user).await?;
    let open_returns = match customer_id {
        Some(id) => crate::returns::repo::open_of_customer(db, id).await?,
        None => Vec::new(),
    };
    let companies = match customer_id {
        Some(id) => crate::companies::repo::memberships(db, id)
            .await?
            .into_iter()
            .map(|m| m.name)
            .collect(),
        None => Vec::new(),
    };
    Ok(Overview {
        companies,
        guest_orders,
        name: user.name.clone(),
        on_the_way,
        on_the_way_status,
        attention,
        open_returns,
        recent: all.rows.into_iter().take(3).collect(),
        order_count: all.total,
        loyalty_card,
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
    let (order_id, order) = own_with_shipments(db, customer_id, number).await?;
    let customer_id = customer_id.ok_or(AppError::NotFound)?;
    let placed_local = crate::time::local_time(order.placed_at);
    let cancellation =
        crate::cancellations::service::latest_for_order(db, order_id, &order.number).await?;
    let open = cancellation
        .as_ref()
        .is_some_and(|c| c.status == crate::cancellations::CancellationStatus::Requested);
    let cancellable =
        crate::cancellations::service::blocked_reason(&order, !order.shipments.is_empty(), open)
            .is_none();
    let ordered_by = crate::orders::repo::ordered_by_other(db, order_id, customer_id).await?;
    let for_company = crate::reorders::service::is_company_order(&order);
    // A viewer of the company sees its orders but does not order.
    let may_order =
        crate::reorders::service::may_order_for_company(db, Some(customer_id), &order).await?;
    let reorder = if for_company {
        crate::reorders::service::latest_for_order(db, order_id).await?
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
    let returnable = may_order
        && crate::returns::eligibility::options_for(db, order_id, &order)
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
        cancellable: cancellable && may_order,
        ordered_by,
        reorder,
        can_buy_again: if for_company {
            may_order
        } else {
            basket_configured
        },
    })
}
