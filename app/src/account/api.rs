//! Server functions of the overview.
use leptos::prelude::*;

use super::Overview;
use crate::error::AppError;

#[server(prefix = "/api/fn", endpoint = "my_overview", input = server_fn::codec::GetUrl)]
pub async fn my_overview() -> Result<Overview, AppError> {
    let result = async {
        let (user, customer_id) = crate::context::current_customer().await?;
        super::service::overview(&crate::context::db()?, &user, customer_id).await
    }
    .await;
    if let Err(err) = &result {
        crate::context::set_error_status(err);
    }
    result
}
