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
) -> Result<Overview, AppError> {
    let open = HistoryQuery {
        status: Some(StatusGroup::Open),
        page: 1,
        ..HistoryQuery::default()
    };
    let mut on_the_way = order_history(db, customer_id, &open).await?.rows;
    on_the_way.truncate(5);
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
    Ok(Overview {
        guest_orders,
        name: user.name.clone(),
        on_the_way,
        recent: all.rows.into_iter().take(3).collect(),
        order_count: all.total,
        loyalty_card,
    })
}
