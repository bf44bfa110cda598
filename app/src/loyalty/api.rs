//! Server functions of the loyalty card. Each answers only for the logged-in customer.
use leptos::prelude::*;

use super::LoyaltyView;
use crate::error::AppError;

#[server(prefix = "/api/fn", endpoint = "my_loyalty", input = server_fn::codec::GetUrl)]
pub async fn my_loyalty() -> Result<LoyaltyView, AppError> {
    crate::context::answered(
        async {
            let crate::accounts::current::Asking {
                account: user,
                subject: customer_id,
                ..
            } = crate::accounts::current::asking().await?;
            super::service::view(&crate::context::db()?, &user, customer_id).await
        }
        .await,
    )
}

/// Links a physical card; then back to the card page, saying how many store purchases
/// were added.
#[server(prefix = "/api/fn", endpoint = "add_loyalty_card")]
pub async fn add_loyalty_card(card_number: String) -> Result<u64, AppError> {
    crate::context::answered(
        async {
            let crate::accounts::current::Asking { account: user, .. } =
                crate::accounts::current::asking().await?;
            let linked = super::service::add_card(
                &crate::context::db()?,
                &user,
                &card_number,
                &crate::context::client_ip(),
            )
            .await
            .map_err(|e| e.keeping(vec![("card_number".into(), card_number.clone())]))?;
            leptos_axum::redirect(&format!("/account/loyalty?linked={linked}"));
            Ok(linked)
        }
        .await,
    )
}

#[server(prefix = "/api/fn", endpoint = "request_digital_card")]
pub async fn request_digital_card() -> Result<String, AppError> {
    crate::context::answered(
        async {
            let crate::accounts::current::Asking { account: user, .. } =
                crate::accounts::current::asking().await?;
            let number =
                super::service::request_digital_card(&crate::context::db()?, &user).await?;
            leptos_axum::redirect("/account/loyalty?issued=1");
            Ok(number)
        }
        .await,
    )
}

/// Claims the purchase on a till slip; then back to the card page, naming the order.
#[server(prefix = "/api/fn", endpoint = "claim_receipt")]
pub async fn claim_receipt(code: String) -> Result<String, AppError> {
    crate::context::answered(
        async {
            let crate::accounts::current::Asking { account: user, .. } =
                crate::accounts::current::asking().await?;
            let number = super::service::claim_receipt(
                &crate::context::db()?,
                &user,
                &code,
                &crate::context::client_ip(),
            )
            .await
            .map_err(|e| e.keeping(vec![("code".into(), code.clone())]))?;
            let encoded: String = form_urlencoded::byte_serialize(number.as_bytes()).collect();
            leptos_axum::redirect(&format!("/account/loyalty?claimed={encoded}"));
            Ok(number)
        }
        .await,
    )
}
