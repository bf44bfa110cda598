//! Server functions of the privacy centre: the customer's page answers only for the
//! logged-in customer, the admin's only for an admin.
// A form's fields are the server function's arguments (the macro makes the function).
#![allow(clippy::too_many_arguments)]
use leptos::prelude::*;

use super::PrivacyView;
use crate::error::AppError;

/// The privacy page's data, with the texts in `language` (`nl` or `en`).
#[server(prefix = "/api/fn", endpoint = "my_privacy", input = server_fn::codec::GetUrl)]
pub async fn my_privacy(language: String) -> Result<PrivacyView, AppError> {
    crate::context::answered(
        async {
            let crate::accounts::current::Asking {
                account: user,
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
                account: user,
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

/// The admin's privacy page.
#[server(prefix = "/api/fn", endpoint = "privacy_admin", input = server_fn::codec::GetUrl)]
pub async fn privacy_admin() -> Result<super::PrivacyAdmin, AppError> {
    crate::context::answered(
        async {
            crate::accounts::current::staff(&[crate::accounts::Role::Admin]).await?;
            super::admin::overview(&crate::context::db()?).await
        }
        .await,
    )
}

/// Saves a purpose (a new code makes a new one); changed words become a new text
/// version. Checkboxes send their name only when ticked.
#[server(prefix = "/api/fn", endpoint = "save_purpose")]
pub async fn save_purpose(
    code: String,
    #[server(default)] position: String,
    #[server(default)] title_nl: String,
    #[server(default)] body_nl: String,
    #[server(default)] title_en: String,
    #[server(default)] body_en: String,
    #[server(default)] channel_email: Option<String>,
    #[server(default)] channel_sms: Option<String>,
    #[server(default)] channel_post: Option<String>,
    #[server(default)] channel_phone: Option<String>,
    #[server(default)] marketing: Option<String>,
    #[server(default)] active: Option<String>,
    #[server(default)] soft_opt_in: Option<String>,
    #[server(default)] asks_again: Option<String>,
) -> Result<(), AppError> {
    use super::ContactChannel;
    crate::context::answered(
        async {
            let asking = crate::accounts::current::staff(&[crate::accounts::Role::Admin]).await?;
            let channels = [
                (ContactChannel::Email, &channel_email),
                (ContactChannel::Sms, &channel_sms),
                (ContactChannel::Post, &channel_post),
                (ContactChannel::Phone, &channel_phone),
            ]
            .into_iter()
            .filter(|(_, ticked)| ticked.is_some())
            .map(|(c, _)| c)
            .collect();
            let form = super::admin::PurposeForm {
                code: &code,
                channels,
                marketing: marketing.is_some(),
                active: active.is_some(),
                soft_opt_in: soft_opt_in.is_some(),
                position: &position,
                title_nl: &title_nl,
                body_nl: &body_nl,
                title_en: &title_en,
                body_en: &body_en,
                asks_again: asks_again.is_some(),
            };
            super::admin::save(&crate::context::db()?, &form)
                .await
                .map_err(|e| {
                    e.keeping(vec![
                        ("code".into(), code.clone()),
                        ("position".into(), position.clone()),
                        ("title_nl".into(), title_nl.clone()),
                        ("body_nl".into(), body_nl.clone()),
                        ("title_en".into(), title_en.clone()),
                        ("body_en".into(), body_en.clone()),
                    ])
                })?;
            let details = serde_json::json!({
                "purpose": code.trim(),
                "after": {
                    "position": position, "title_nl": title_nl, "body_nl": body_nl,
                    "title_en": title_en, "body_en": body_en,
                    "channels": {
                        "email": channel_email.is_some(), "sms": channel_sms.is_some(),
                        "post": channel_post.is_some(), "phone": channel_phone.is_some(),
                    },
                    "marketing": marketing.is_some(), "active": active.is_some(),
                    "soft_opt_in": soft_opt_in.is_some(), "asks_again": asks_again.is_some(),
                },
            });
            crate::accounts::current::record_audit(
                &crate::context::db()?,
                crate::accounts::current::audit_entry(
                    &asking,
                    "settings.purpose_changed",
                    None,
                    details,
                ),
            )
            .await;
            let anchor: String = form_urlencoded::byte_serialize(code.trim().as_bytes()).collect();
            leptos_axum::redirect(&format!("/admin/privacy?saved={anchor}#purpose-{anchor}"));
            Ok(())
        }
        .await,
    )
}

/// "Let customer service help me in my account": `allow=true` with `length` (hour, day,
/// week) and `may_change` (also changes, not only looking), or `allow=false` to withdraw.
#[server(prefix = "/api/fn", endpoint = "set_help")]
pub async fn set_help(
    allow: bool,
    #[server(default)] length: String,
    #[server(default)] may_change: Option<String>,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            use super::help::HelpLength;
            let asking = crate::accounts::current::asking().await?;
            let db = crate::context::db()?;
            let allow = if allow {
                let length = HelpLength::parse(length.trim())
                    .ok_or_else(|| AppError::invalid("length", "required"))?;
                Some((length, may_change.is_some()))
            } else {
                None
            };
            let customer_id = match asking.subject {
                Some(id) => id,
                None => crate::accounts::current::ensure_customer(&db, &asking.account).await?,
            };
            let key = crate::audit::service::key()?;
            super::help::set(
                &db,
                &key,
                &asking,
                customer_id,
                allow,
                crate::db::Timestamp::now(),
            )
            .await?;
            leptos_axum::redirect("/account/privacy?saved=help#help");
            Ok(())
        }
        .await,
    )
}
