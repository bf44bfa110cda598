//! Server functions of the company's orders page: only for members of the company.
use leptos::prelude::*;

use super::CompanyOrdersData;
use crate::error::AppError;

/// The company's orders (filtered), its totals per month (admin) and its invoices.
#[server(prefix = "/api/fn", endpoint = "company_orders", input = server_fn::codec::GetUrl)]
pub async fn company_orders(
    #[server(default)] company: String,
    #[server(default)] buyer: String,
    #[server(default)] location: String,
    #[server(default)] period: String,
) -> Result<CompanyOrdersData, AppError> {
    crate::context::answered(
        async {
            let asking = crate::accounts::current::asking().await?;
            let query = super::CompanyOrdersQuery {
                company,
                buyer,
                location,
                period,
            };
            super::service::page(&crate::context::db()?, asking.subject, &query).await
        }
        .await,
    )
}
