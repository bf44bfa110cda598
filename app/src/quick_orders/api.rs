//! Server functions of quick orders and order lists: only for members of the company,
//! for the company they ask about. Each form answers with a redirect to the quick order
//! page (also without JavaScript), which says what happened.
use leptos::prelude::*;

use super::QuickOrderData;
use crate::error::AppError;

/// Where an uploaded file's text waits for the quick order form: (company, text).
pub const UPLOAD_SESSION_KEY: &str = "quick_order_upload";

#[cfg(feature = "ssr")]
fn page_of(company: &str, outcome: &str) -> String {
    let company: String = form_urlencoded::byte_serialize(company.as_bytes()).collect();
    format!("/account/company/quick-order?company={company}&{outcome}")
}

/// The kept values of a refused form added to the lines' hints.
#[cfg(feature = "ssr")]
fn with_typed(error: AppError, typed: Vec<(String, String)>) -> AppError {
    match error {
        AppError::FormInvalid { errors, mut kept } => {
            kept.extend(typed);
            AppError::FormInvalid { errors, kept }
        }
        other => other.keeping(typed),
    }
}

/// The quick order page of company `company` (empty: the member's first); `list` fills
/// the form with one of its lists, `uploaded` with the file just uploaded.
#[server(prefix = "/api/fn", endpoint = "quick_order", input = server_fn::codec::GetUrl)]
pub async fn quick_order(
    #[server(default)] company: String,
    #[server(default)] list: String,
    #[server(default)] uploaded: String,
) -> Result<QuickOrderData, AppError> {
    crate::context::answered(
        async {
            let asking = crate::accounts::current::asking().await?;
            let text = if uploaded.is_empty() {
                None
            } else {
                let stored: Option<(String, String)> = crate::context::session()
                    .await?
                    .get(UPLOAD_SESSION_KEY)
                    .await
                    .ok()
                    .flatten();
                stored
                    .filter(|(c, _)| company.is_empty() || *c == company)
                    .map(|(_, text)| text)
            };
            super::service::page(
                &crate::context::db()?,
                asking.subject,
                &company,
                list.trim().parse().ok(),
                text,
            )
            .await
        }
        .await,
    )
}

/// Sends the typed lines as an order request (`intent` = `send`) or saves them as the
/// company's order list `list_name` (`intent` = `save`).
#[server(prefix = "/api/fn", endpoint = "send_quick_order")]
pub async fn send_quick_order(
    #[server(default)] company: String,
    #[server(default)] lines: String,
    #[server(default)] note: String,
    #[server(default)] location: String,
    #[server(default)] intent: String,
    #[server(default)] list_name: String,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let asking = crate::accounts::current::asking().await?;
            let db = crate::context::db()?;
            let typed = || {
                vec![
                    ("lines".to_string(), lines.clone()),
                    ("note".to_string(), note.clone()),
                    ("location".to_string(), location.clone()),
                    ("list_name".to_string(), list_name.clone()),
                ]
            };
            if intent == "save" {
                super::service::save_list(
                    &db,
                    asking.account.id,
                    asking.subject,
                    &company,
                    &list_name,
                    &lines,
                )
                .await
                .map_err(|e| with_typed(e, typed()))?;
                leptos_axum::redirect(&page_of(&company, "saved=1"));
                return Ok(());
            }
            let form = super::service::QuickOrderForm {
                company: &company,
                lines: &lines,
                note: &note,
                location: &location,
            };
            let sent = super::service::send(
                &db,
                &crate::context::mail_context()?,
                asking.account.id,
                asking.subject,
                form,
            )
            .await
            .map_err(|e| with_typed(e, typed()))?;
            // The file is ordered: it no longer fills the form.
            let _ = crate::context::session()
                .await?
                .remove::<(String, String)>(UPLOAD_SESSION_KEY)
                .await;
            leptos_axum::redirect(&page_of(&company, &format!("sent={}", sent.id)));
            Ok(())
        }
        .await,
    )
}

/// Orders one of the company's lists in one go.
#[server(prefix = "/api/fn", endpoint = "order_list")]
pub async fn order_list(
    #[server(default)] company: String,
    #[server(default)] list: String,
    #[server(default)] location: String,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let asking = crate::accounts::current::asking().await?;
            let list_id: i64 = list.trim().parse().map_err(|_| AppError::NotFound)?;
            let sent = super::service::order_list(
                &crate::context::db()?,
                &crate::context::mail_context()?,
                asking.account.id,
                asking.subject,
                &company,
                list_id,
                &location,
            )
            .await
            .map_err(|e| with_typed(e, vec![("location".into(), location.clone())]))?;
            leptos_axum::redirect(&page_of(&company, &format!("sent={}", sent.id)));
            Ok(())
        }
        .await,
    )
}

/// Removes one of the company's lists.
#[server(prefix = "/api/fn", endpoint = "delete_order_list")]
pub async fn delete_order_list(
    #[server(default)] company: String,
    #[server(default)] list: String,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let asking = crate::accounts::current::asking().await?;
            let list_id: i64 = list.trim().parse().map_err(|_| AppError::NotFound)?;
            super::service::delete_list(&crate::context::db()?, asking.subject, &company, list_id)
                .await?;
            leptos_axum::redirect(&page_of(&company, "deleted=1"));
            Ok(())
        }
        .await,
    )
}
