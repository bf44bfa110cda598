//! Server functions of "buy again": only for orders the logged-in customer may see.
use std::collections::BTreeMap;

use leptos::prelude::*;

use super::ReorderOptions;
use crate::error::AppError;

/// The lines of one of the customer's orders with today's prices.
#[server(prefix = "/api/fn", endpoint = "reorder_choice", input = server_fn::codec::GetUrl)]
pub async fn reorder_choice(number: String) -> Result<ReorderOptions, AppError> {
    crate::context::answered(
        async {
            let crate::accounts::current::Asking {
                subject: customer_id,
                ..
            } = crate::accounts::current::asking().await?;
            super::service::reorder_options(
                &crate::context::db()?,
                customer_id,
                number.trim(),
                crate::context::shop_basket_url().as_deref(),
            )
            .await
        }
        .await,
    )
}

/// Orders the chosen quantities (`quantity[<line>]`) again: a consumer is sent on to the
/// webshop's basket, a B2B buyer's request goes to the back office and they come back to
/// the order, which shows it.
#[server(prefix = "/api/fn", endpoint = "buy_again")]
pub async fn buy_again(
    number: String,
    #[server(default)] quantity: BTreeMap<String, String>,
    #[server(default)] note: String,
    #[server(default)] location: String,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let crate::accounts::current::Asking {
                account: user,
                subject: customer_id,
                ..
            } = crate::accounts::current::asking().await?;
            let quantities = crate::validate::quantities_by_line(&quantity);
            let form = super::service::BuyAgainForm {
                quantities,
                note: &note,
                location: &location,
            };
            let outcome = super::service::buy_again(
                &crate::context::db()?,
                &crate::context::mail_context()?,
                user.id,
                customer_id,
                number.trim(),
                form,
                crate::context::shop_basket_url().as_deref(),
            )
            .await
            .map_err(|e| {
                let mut kept = crate::validate::kept_quantities(&quantity);
                kept.push(("note".into(), note.clone()));
                kept.push(("location".into(), location.clone()));
                e.keeping(kept)
            })?;
            match outcome {
                super::service::BuyAgain::Basket(url) => leptos_axum::redirect(&url),
                super::service::BuyAgain::Requested(_) => {
                    let encoded: String =
                        form_urlencoded::byte_serialize(number.trim().as_bytes()).collect();
                    leptos_axum::redirect(&format!("/account/orders/{encoded}?reorder=requested"));
                }
            }
            Ok(())
        }
        .await,
    )
}

/// The reorder requests waiting for the approver asking (approvers and admins of a company).
#[server(prefix = "/api/fn", endpoint = "pending_approvals", input = server_fn::codec::GetUrl)]
pub async fn pending_approvals() -> Result<Vec<super::PendingApproval>, AppError> {
    crate::context::answered(
        async {
            let asking = crate::accounts::current::asking().await?;
            super::approvals::pending(&crate::context::db()?, asking.subject).await
        }
        .await,
    )
}

/// An approver approves (`decision` = `approve`) or rejects (`reject`, `note` says why)
/// a request over a buyer's limit, then sees the list again.
#[server(prefix = "/api/fn", endpoint = "decide_approval")]
pub async fn decide_approval(
    request: String,
    decision: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let asking = crate::accounts::current::asking().await?;
            let request_id: i64 = request.trim().parse().map_err(|_| AppError::NotFound)?;
            let approve = match decision.as_str() {
                "approve" => true,
                "reject" => false,
                _ => return Err(AppError::invalid("decision", "required")),
            };
            super::approvals::decide(
                &crate::context::db()?,
                &crate::context::mail_context()?,
                &asking.account,
                asking.subject,
                request_id,
                approve,
                &note,
            )
            .await?;
            leptos_axum::redirect(&format!(
                "/account/company/approvals?done={}",
                if approve { "approved" } else { "rejected" }
            ));
            Ok(())
        }
        .await,
    )
}
