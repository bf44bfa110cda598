//! Server functions of the orders area: a logged-in customer's own orders only.
use leptos::prelude::*;

use super::HistoryPage;
use crate::error::AppError;

/// One page of the logged-in customer's order history. The arguments are the address
/// bar's query values as typed; unknown values are ignored.
#[server(prefix = "/api/fn", endpoint = "my_orders", input = server_fn::codec::GetUrl)]
pub async fn my_orders(
    channel: String,
    status: String,
    period: String,
    q: String,
    page: String,
) -> Result<HistoryPage, AppError> {
    crate::context::answered(
        async {
            let crate::accounts::current::Asking {
                subject: customer_id,
                ..
            } = crate::accounts::current::asking().await?;
            let query = super::HistoryQuery::from_params(&channel, &status, &period, &q, &page);
            super::history::order_history(&crate::context::db()?, customer_id, &query).await
        }
        .await,
    )
}
