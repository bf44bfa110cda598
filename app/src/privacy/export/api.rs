//! The server function behind "Request my data": only for the logged-in customer.
use leptos::prelude::*;

use crate::error::AppError;

/// Asks for an export of the customer's data (or finds the one being built), then back
/// to the privacy page at the export's section.
#[server(prefix = "/api/fn", endpoint = "request_export")]
pub async fn request_export(language: String) -> Result<(), AppError> {
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
            super::service::request(&crate::context::db()?, &user, customer_id, language).await?;
            leptos_axum::redirect("/account/privacy?export=requested#export");
            Ok(())
        }
        .await,
    )
}
