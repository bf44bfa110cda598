//! Server functions of customer service: the search and the notes. Each starts with who
//! is asking (a support agent, store employee or admin) and writes to the audit trail.
use leptos::prelude::*;

use super::SearchResult;
use crate::error::AppError;

/// Customers matching what the agent typed (a GET: the search stays in the address);
/// `None` before anything is typed (the page still learns whether the asker may search).
/// The search is written to the audit trail with what was typed and how many were found.
#[server(prefix = "/api/fn", endpoint = "find_customers", input = server_fn::codec::GetUrl)]
pub async fn find_customers(
    #[server(default)] q: String,
) -> Result<Option<SearchResult>, AppError> {
    crate::context::answered(
        async {
            use crate::accounts::current;
            let asking = current::staff(super::HELPERS).await?;
            if q.trim().is_empty() {
                return Ok(None);
            }
            let db = crate::context::db()?;
            let found = super::service::search(&db, &q).await?;
            let details = serde_json::json!({
                "query": q.trim(),
                "found": found.customers.len(),
                "more": found.more,
            });
            current::record_audit(
                &db,
                current::audit_entry(&asking, "customer.searched", None, details),
            )
            .await;
            Ok(Some(found))
        }
        .await,
    )
}

/// Keeps a note of a contact with the customer; then the customer's page, at the notes.
#[server(prefix = "/api/fn", endpoint = "add_contact_note")]
pub async fn add_contact_note(
    customer: String,
    #[server(default)] channel: String,
    #[server(default)] topic: String,
    #[server(default)] outcome: String,
    #[server(default)] follow_up_on: String,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            use crate::accounts::current;
            let asking = current::staff(super::HELPERS).await?;
            let customer_id = customer
                .trim()
                .parse::<i64>()
                .map_err(|_| AppError::NotFound)?;
            let db = crate::context::db()?;
            let entry = current::audit_entry(
                &asking,
                "note.added",
                Some(customer_id),
                serde_json::Value::Null,
            );
            super::service::add_note(
                &db,
                &crate::audit::service::key()?,
                entry,
                customer_id,
                &super::service::NoteForm {
                    channel: &channel,
                    topic: &topic,
                    outcome: &outcome,
                    follow_up_on: &follow_up_on,
                },
                crate::db::Timestamp::now(),
            )
            .await
            .map_err(|e| {
                e.keeping(vec![
                    ("channel".into(), channel.clone()),
                    ("topic".into(), topic.clone()),
                    ("outcome".into(), outcome.clone()),
                    ("follow_up_on".into(), follow_up_on.clone()),
                ])
            })?;
            leptos_axum::redirect(&format!("/service/customers/{customer_id}?noted=1#notes"));
            Ok(())
        }
        .await,
    )
}

/// A support agent starts helping a customer in their account: only with the customer's
/// permission, with a reason (and ticket), for 30 minutes at most. Recorded as
/// `help.started`; every page they then look at as `help.viewed`.
#[server(prefix = "/api/fn", endpoint = "start_helping")]
pub async fn start_helping(
    customer: i64,
    #[server(default)] why: String,
    #[server(default)] ticket: String,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            use crate::accounts::current;
            let asking = current::staff(super::HELPERS).await?;
            let db = crate::context::db()?;
            let session = crate::context::session().await?;
            let kept = vec![
                ("why".to_string(), why.clone()),
                ("ticket".to_string(), ticket.clone()),
            ];
            let acting = super::service::start_helping(&db, &asking, customer, &why, &ticket)
                .await
                .map_err(|e| e.keeping(kept))?;
            crate::accounts::session::start_acting(&session, acting).await?;
            leptos_axum::redirect("/account");
            Ok(())
        }
        .await,
    )
}
