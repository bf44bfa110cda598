//! Server functions of the orders area: a logged-in customer's own orders only.
use leptos::prelude::*;

use super::{CustomerOrder, HistoryPage};
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
            let (_, customer_id) = crate::context::current_customer().await?;
            let query = super::HistoryQuery::from_params(&channel, &status, &period, &q, &page);
            super::service::order_history(&crate::context::db()?, customer_id, &query).await
        }
        .await,
    )
}

/// One of the logged-in customer's orders; 404 for any other number.
#[server(prefix = "/api/fn", endpoint = "my_order", input = server_fn::codec::GetUrl)]
pub async fn my_order(number: String) -> Result<CustomerOrder, AppError> {
    crate::context::answered(
        async {
            let (_, customer_id) = crate::context::current_customer().await?;
            super::service::my_order(
                &crate::context::db()?,
                customer_id,
                number.trim(),
                crate::context::shop_basket_url().is_some(),
                &crate::branding::Branding::current().retailer_name,
            )
            .await
        }
        .await,
    )
}
