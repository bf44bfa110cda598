//! Server functions of the overview.
use leptos::prelude::*;

use super::{CustomerOrder, Overview};
use crate::error::AppError;

#[server(prefix = "/api/fn", endpoint = "my_overview", input = server_fn::codec::GetUrl)]
pub async fn my_overview() -> Result<Overview, AppError> {
    crate::context::answered(
        async {
            let crate::accounts::current::Asking {
                account: user,
                subject: customer_id,
                ..
            } = crate::accounts::current::asking().await?;
            super::service::overview(
                &crate::context::db()?,
                &user,
                customer_id,
                &crate::branding::Branding::current().retailer_name,
            )
            .await
        }
        .await,
    )
}

/// Attaches the offered guest orders the customer recognised (numbers, comma-separated).
#[server(prefix = "/api/fn", endpoint = "attach_guest_orders")]
pub async fn attach_guest_orders(numbers: String) -> Result<u64, AppError> {
    crate::context::answered(
        async {
            let crate::accounts::current::Asking { account: user, .. } =
                crate::accounts::current::asking().await?;
            let numbers: Vec<String> = numbers.split(',').map(str::to_string).collect();
            let attached = crate::orders::history::attach_guest_orders(
                &crate::context::db()?,
                &user,
                &numbers,
            )
            .await?;
            leptos_axum::redirect(&format!("/account?attached={attached}"));
            Ok(attached)
        }
        .await,
    )
}

/// One of the logged-in customer's orders; 404 for any other number.
#[server(prefix = "/api/fn", endpoint = "my_order", input = server_fn::codec::GetUrl)]
pub async fn my_order(number: String) -> Result<CustomerOrder, AppError> {
    crate::context::answered(
        async {
            let crate::accounts::current::Asking {
                subject: customer_id,
                ..
            } = crate::accounts::current::asking().await?;
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
