//! Server functions of the staff tools: the admin's search of the audit trail.
use leptos::prelude::*;

use super::AuditPage;
use crate::error::AppError;

/// A page of the audit trail for the admin, newest first (`before`: the row the previous
/// page ended at). Reading the trail is itself written to it, with what was searched.
#[server(prefix = "/api/fn", endpoint = "audit_search", input = server_fn::codec::GetUrl)]
pub async fn audit_search(
    #[server(default)] who: String,
    #[server(default)] customer: String,
    #[server(default)] action: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] before: String,
) -> Result<AuditPage, AppError> {
    crate::context::answered(
        async {
            use crate::accounts::{Role, current};
            let asking = current::staff(&[Role::Admin]).await?;
            let db = crate::context::db()?;
            let filter = super::AuditFilter {
                who,
                customer,
                action,
                from,
                to,
            };
            let before = before.trim().parse::<i64>().ok();
            // A search is a GET: what was typed stays in the address and in the form.
            let page = super::service::search(&db, &filter, before).await?;
            let details = serde_json::json!({ "search": filter, "before": before });
            current::record_audit(
                &db,
                current::audit_entry(&asking, "audit.read", None, details),
            )
            .await;
            Ok(page)
        }
        .await,
    )
}
