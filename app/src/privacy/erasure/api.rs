//! Server functions of "Delete my account": only for the logged-in customer themself.
use leptos::prelude::*;

use super::ErasureView;
use crate::error::AppError;

#[cfg(feature = "ssr")]
fn cooling_off_days() -> i64 {
    use_context::<super::CoolingOffDays>().map_or(super::DEFAULT_COOLING_OFF_DAYS, |d| d.0)
}

/// The erasure page's data: the newest request, what is still open, what is kept.
#[server(prefix = "/api/fn", endpoint = "my_erasure", input = server_fn::codec::GetUrl)]
pub async fn my_erasure() -> Result<ErasureView, AppError> {
    crate::context::answered(
        async {
            let crate::accounts::current::Asking {
                account: user,
                subject: customer_id,
                ..
            } = crate::accounts::current::asking().await?;
            super::service::view(
                &crate::context::db()?,
                &user,
                customer_id,
                cooling_off_days(),
            )
            .await
        }
        .await,
    )
}

/// Asks to erase the account: a confirmation link goes to the customer's address.
#[server(prefix = "/api/fn", endpoint = "request_erasure")]
pub async fn request_erasure(language: String) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let crate::accounts::current::Asking {
                account: user,
                subject: customer_id,
                ..
            } = crate::accounts::current::asking().await?;
            // The form's hidden field: anything else is not our form.
            let language = crate::language::Language::parse(&language)
                .ok_or_else(|| AppError::invalid("language", "invalid"))?;
            super::service::request(
                &crate::context::db()?,
                &crate::context::mail_context()?,
                &user,
                customer_id,
                language,
            )
            .await?;
            leptos_axum::redirect("/account/privacy/erasure?sent=1");
            Ok(())
        }
        .await,
    )
}

/// Confirms with the token from the mailed link: the cooling-off period starts.
#[server(prefix = "/api/fn", endpoint = "confirm_erasure")]
pub async fn confirm_erasure(token: String) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let crate::accounts::current::Asking {
                account: user,
                subject: customer_id,
                ..
            } = crate::accounts::current::asking().await?;
            super::service::confirm(
                &crate::context::db()?,
                &crate::context::mail_context()?,
                &user,
                customer_id,
                &token,
                cooling_off_days(),
            )
            .await?;
            leptos_axum::redirect("/account/privacy/erasure?confirmed=1");
            Ok(())
        }
        .await,
    )
}

/// Cancels the open request: the account stays.
#[server(prefix = "/api/fn", endpoint = "cancel_erasure")]
pub async fn cancel_erasure() -> Result<(), AppError> {
    crate::context::answered(
        async {
            let crate::accounts::current::Asking {
                subject: customer_id,
                ..
            } = crate::accounts::current::asking().await?;
            super::service::cancel(&crate::context::db()?, customer_id).await?;
            leptos_axum::redirect("/account/privacy/erasure?cancelled=1");
            Ok(())
        }
        .await,
    )
}
