//! What the overview shows.
use super::Overview;
use crate::accounts::UserSummary;
use crate::db::Db;
use crate::error::AppError;
use crate::orders::{HistoryQuery, StatusGroup, service::order_history};

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
    let mut on_the_way = order_history(db, customer_id, &open).await?.rows;
    let numbers: Vec<&str> = on_the_way.iter().map(|r| r.number.as_str()).collect();
    let attention = crate::tracking::service::attention_in(db, &numbers, retailer).await?;
    on_the_way.truncate(5);
    let mut on_the_way_status = Vec::with_capacity(on_the_way.len());
    for row in &on_the_way {
        if let Some((order_id, mut order)) = crate::orders::repo::find(db, &row.number).await? {
            order.shipments = crate::shipments::repo::for_order(db, order_id).await?;
            on_the_way_status.push(
                crate::tracking::service::order_tracking(
                    db,
                    order_id,
                    &order,
                    retailer,
                    crate::tracking::service::Audience::Owner,
                )
                .await?
                .status,
            );
        }
    }
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
    let guest_orders = crate::orders::service::offered_guest_orders(db, user).await?;
    let open_returns = match customer_id {
        Some(id) => crate::returns::repo::open_of_customer(db, id).await?,
        None => Vec::new(),
    };
    Ok(Overview {
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
