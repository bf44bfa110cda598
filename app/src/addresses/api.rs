//! Server functions of the address book: the logged-in customer's addresses only.
// A form's fields arrive as the server function's arguments, one per field.
#![allow(clippy::too_many_arguments)]
use leptos::prelude::*;

use crate::customers::MyAddress;
use crate::error::AppError;

#[server(prefix = "/api/fn", endpoint = "my_addresses", input = server_fn::codec::GetUrl)]
pub async fn my_addresses() -> Result<Vec<MyAddress>, AppError> {
    crate::context::answered(
        async {
            let crate::accounts::current::Asking {
                subject: customer_id,
                ..
            } = crate::accounts::current::asking().await?;
            super::service::my_addresses(&crate::context::db()?, customer_id).await
        }
        .await,
    )
}

/// Adds (no `id`) or changes an address, then back to the address book.
#[server(prefix = "/api/fn", endpoint = "save_address")]
pub async fn save_address(
    id: Option<String>,
    name: String,
    street: String,
    house_number: String,
    addition: Option<String>,
    postcode: String,
    city: String,
    country: String,
    default_delivery: Option<String>,
    default_billing: Option<String>,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let asking = crate::accounts::current::asking().await?;
            let id = match id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(raw) => Some(raw.parse::<i64>().map_err(|_| AppError::NotFound)?),
                None => None,
            };
            let form = super::service::AddressForm {
                name,
                street,
                house_number,
                addition: addition.unwrap_or_default(),
                postcode,
                city,
                country,
                default_delivery: default_delivery.is_some(),
                default_billing: default_billing.is_some(),
            };
            let action = if id.is_some() {
                "address.changed"
            } else {
                "address.added"
            };
            let trail = asking.trail(action, serde_json::json!({}))?;
            super::service::save_my_address(
                &crate::context::db()?,
                &asking.account,
                id,
                form,
                trail.as_ref(),
            )
            .await?;
            leptos_axum::redirect("/account/addresses?saved=1");
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api/fn", endpoint = "delete_address")]
pub async fn delete_address(id: String) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let asking = crate::accounts::current::asking().await?;
            let id = id.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
            let trail = asking.trail("address.deleted", serde_json::json!({}))?;
            super::service::delete_my_address(
                &crate::context::db()?,
                asking.subject,
                id,
                trail.as_ref(),
            )
            .await?;
            leptos_axum::redirect("/account/addresses?deleted=1");
            Ok(())
        }
        .await,
    )
}
