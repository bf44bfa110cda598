//! The server function of the customer's story.
use leptos::prelude::*;

use super::CustomerStory;
use crate::error::AppError;

/// The customer's whole story for customer service; opening it is written to the audit
/// trail as `customer.viewed` (it shows in the customer's access log).
#[server(prefix = "/api/fn", endpoint = "customer_story", input = server_fn::codec::GetUrl)]
pub async fn load_customer_story(id: String) -> Result<CustomerStory, AppError> {
    crate::context::answered(
        async {
            use crate::accounts::current;
            let asking = current::staff(crate::customer_service::HELPERS).await?;
            let customer_id = id.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
            let db = crate::context::db()?;
            let story = super::service::story(
                &db,
                customer_id,
                &crate::branding::Branding::current().retailer_name,
            )
            .await?;
            let details = serde_json::json!({
                "orders": story.orders.len(),
                "notes": story.notes.len(),
            });
            current::record_audit(
                &db,
                current::audit_entry(&asking, "customer.viewed", Some(customer_id), details),
            )
            .await;
            Ok(story)
        }
        .await,
    )
}
