//! Server functions of cancellations: only for the logged-in customer's own orders.
use std::collections::BTreeMap;

use leptos::prelude::*;

use super::CancelOptions;
use crate::error::AppError;

/// The lines of one of the customer's orders that can still be cancelled, or why not.
#[server(prefix = "/api/fn", endpoint = "cancel_choice", input = server_fn::codec::GetUrl)]
pub async fn cancel_choice(number: String) -> Result<CancelOptions, AppError> {
    crate::context::answered(
        async {
            let crate::accounts::current::Asking {
                subject: customer_id,
                ..
            } = crate::accounts::current::asking().await?;
            super::service::cancel_options(&crate::context::db()?, customer_id, number.trim()).await
        }
        .await,
    )
}

/// Asks the back office to cancel the chosen quantities (`quantity[<line>]`), then shows
/// the order with "cancellation requested".
#[server(prefix = "/api/fn", endpoint = "request_cancellation")]
pub async fn request_cancellation(
    number: String,
    #[server(default)] quantity: BTreeMap<String, String>,
    #[server(default)] reason: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let asking = crate::accounts::current::asking().await?;
            let trail = asking.trail(
                "cancellation.requested",
                serde_json::json!({ "order": number.trim(), "reason": reason.trim() }),
            )?;
            let quantities = crate::validate::quantities_by_line(&quantity);
            let form = super::service::CancelForm {
                quantities,
                reason: &reason,
                note: &note,
            };
            super::service::request_cancellation(
                &crate::context::db()?,
                asking.actor.id,
                asking.subject,
                number.trim(),
                form,
                trail.as_ref(),
            )
            .await
            .map_err(|e| {
                let mut kept = crate::validate::kept_quantities(&quantity);
                kept.push(("reason".into(), reason.clone()));
                kept.push(("note".into(), note.clone()));
                e.keeping(kept)
            })?;
            let encoded: String =
                form_urlencoded::byte_serialize(number.trim().as_bytes()).collect();
            leptos_axum::redirect(&format!("/account/orders/{encoded}?cancellation=requested"));
            Ok(())
        }
        .await,
    )
}
