//! Server functions of the privacy centre. Each answers only for the logged-in customer.
use leptos::prelude::*;

use super::PrivacyView;
use crate::error::AppError;

/// The privacy page's data, with the texts in `language` (`nl` or `en`).
#[server(prefix = "/api/fn", endpoint = "my_privacy", input = server_fn::codec::GetUrl)]
pub async fn my_privacy(language: String) -> Result<PrivacyView, AppError> {
    crate::context::answered(
        async {
            let crate::accounts::current::Asking {
                actor: user,
                subject: customer_id,
                ..
            } = crate::accounts::current::asking().await?;
            let language = crate::language::Language::parse(&language).unwrap_or_default();
            super::service::view(&crate::context::db()?, &user, customer_id, language).await
        }
        .await,
    )
}

/// Turns one purpose × channel on or off, agreeing to (or withdrawing from) the text
/// version shown; then back to the privacy page at that purpose.
#[server(prefix = "/api/fn", endpoint = "set_consent")]
pub async fn set_consent(
    purpose: String,
    channel: String,
    granted: bool,
    version: i32,
    language: String,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let crate::accounts::current::Asking {
                actor: user,
                subject: customer_id,
                ..
            } = crate::accounts::current::asking().await?;
            let change = super::service::PortalChange {
                purpose,
                channel,
                granted,
                version,
                language,
            };
            let ip = crate::context::client_ip();
            let user_agent = crate::context::user_agent();
            super::service::change_by_customer(
                &crate::context::db()?,
                &user,
                customer_id,
                &change,
                &super::service::Origin {
                    ip: &ip,
                    user_agent: user_agent.as_deref(),
                },
            )
            .await?;
            let anchor: String =
                form_urlencoded::byte_serialize(change.purpose.as_bytes()).collect();
            leptos_axum::redirect(&format!("/account/privacy?saved=1#purpose-{anchor}"));
            Ok(())
        }
        .await,
    )
}
