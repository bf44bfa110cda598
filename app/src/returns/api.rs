//! Server functions of returns: the customer's return form, review and confirmation, their
//! return's page and cancelling it; and the store desk.
use leptos::prelude::*;

use super::{Quote, ReturnFormData, ReturnView};
use crate::error::AppError;

/// The return form of one of the customer's orders.
#[server(prefix = "/api/fn", endpoint = "return_choice", input = server_fn::codec::GetUrl)]
pub async fn return_choice(number: String) -> Result<ReturnFormData, AppError> {
    crate::context::answered(
        async {
            let crate::accounts::current::Asking {
                subject: customer_id,
                ..
            } = crate::accounts::current::asking().await?;
            super::eligibility::return_choice(&crate::context::db()?, customer_id, number.trim())
                .await
        }
        .await,
    )
}

/// What the customer would get back for the form in `query` (the review step).
#[server(prefix = "/api/fn", endpoint = "return_review", input = server_fn::codec::GetUrl)]
pub async fn return_review(number: String, query: String) -> Result<Quote, AppError> {
    crate::context::answered(
        async {
            let crate::accounts::current::Asking {
                subject: customer_id,
                ..
            } = crate::accounts::current::asking().await?;
            super::quote::review(&crate::context::db()?, customer_id, number.trim(), &query).await
        }
        .await,
    )
}

/// Registers the reviewed return, then shows it.
#[server(prefix = "/api/fn", endpoint = "confirm_return")]
pub async fn confirm_return(number: String, query: String) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let asking = crate::accounts::current::asking().await?;
            let trail = asking.trail(
                "return.started",
                serde_json::json!({ "order": number.trim() }),
            )?;
            let ret = super::quote::confirm(
                &crate::context::db()?,
                &crate::context::mail_context()?,
                super::service::Actor::online(&asking),
                asking.subject,
                number.trim(),
                &query,
                trail.as_ref(),
            )
            .await?;
            leptos_axum::redirect(&format!("/account/returns/{}?registered=1", ret.code));
            Ok(())
        }
        .await,
    )
}

/// One of the customer's returns.
#[server(prefix = "/api/fn", endpoint = "my_return", input = server_fn::codec::GetUrl)]
pub async fn my_return(code: String) -> Result<ReturnView, AppError> {
    crate::context::answered(
        async {
            let crate::accounts::current::Asking {
                subject: customer_id,
                ..
            } = crate::accounts::current::asking().await?;
            let db = crate::context::db()?;
            let ret = super::service::my_return(&db, customer_id, code.trim()).await?;
            super::service::view_of(&db, ret).await
        }
        .await,
    )
}

/// Cancels one of the customer's returns not yet handed in.
#[server(prefix = "/api/fn", endpoint = "cancel_return")]
pub async fn cancel_return(code: String) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let asking = crate::accounts::current::asking().await?;
            let trail = asking.trail(
                "return.cancelled",
                serde_json::json!({ "return": code.trim() }),
            )?;
            let ret = super::service::cancel(
                &crate::context::db()?,
                super::service::Actor::online(&asking),
                asking.subject,
                code.trim(),
                trail.as_ref(),
            )
            .await?;
            leptos_axum::redirect(&format!("/account/returns/{}", ret.code));
            Ok(())
        }
        .await,
    )
}

/// The store desk's view of a return.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DeskView {
    pub ret: super::Return,
    /// The desk's store.
    pub store_name: String,
    pub can_inspect: bool,
}

/// Who stands at the desk — store staff, or an admin, each recorded in their own role —
/// as the actor of what they do there, and the store they work at.
#[cfg(feature = "ssr")]
async fn desk() -> Result<(super::service::Actor, crate::stores::Store), AppError> {
    desk_asking().await.map(|(actor, store, _)| (actor, store))
}

/// The same, with who is asking (for the audit trail).
#[cfg(feature = "ssr")]
async fn desk_asking() -> Result<
    (
        super::service::Actor,
        crate::stores::Store,
        crate::accounts::current::Asking,
    ),
    AppError,
> {
    use crate::accounts::Role;
    let asking = crate::accounts::current::staff(&[Role::StoreStaff, Role::Admin]).await?;
    let db = crate::context::db()?;
    let store_id = crate::staff::repo::staff_stores(&db, asking.actor.id)
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::Forbidden)?;
    let store = crate::stores::repo::search(&db, "")
        .await?
        .into_iter()
        .find(|s| s.id == store_id)
        .ok_or(AppError::Forbidden)?;
    let actor = super::service::Actor {
        user_id: Some(asking.actor.id),
        role: asking.role,
        store_id: Some(store.id),
    };
    Ok((actor, store, asking))
}

/// The audit row of a change at the desk, for the service to append in the change's
/// transaction.
#[cfg(feature = "ssr")]
fn desk_trail(
    asking: &crate::accounts::current::Asking,
    store: &crate::stores::Store,
    action: &str,
    subject: Option<i64>,
    details: serde_json::Value,
) -> Result<crate::audit::service::Trail, AppError> {
    let mut entry = crate::accounts::current::audit_entry(asking, action, subject, details);
    entry.store_code = Some(store.code.clone());
    Ok(crate::audit::service::Trail {
        key: crate::audit::service::key()?,
        entry,
    })
}

/// Writes what the desk looked at (a customer's return) to the audit trail.
#[cfg(feature = "ssr")]
async fn audit_desk(
    db: &crate::db::Db,
    asking: &crate::accounts::current::Asking,
    store: &crate::stores::Store,
    action: &str,
    code: &str,
    details: serde_json::Value,
) -> Result<(), AppError> {
    let subject = super::repo::customer_of(db, code).await?;
    let mut entry = crate::accounts::current::audit_entry(asking, action, subject, details);
    entry.store_code = Some(store.code.clone());
    crate::accounts::current::record_audit(db, entry).await;
    Ok(())
}

/// A return by its code (scanned or typed at the desk). Returns are omnichannel: any
/// store's desk takes any return.
#[server(prefix = "/api/fn", endpoint = "desk_return", input = server_fn::codec::GetUrl)]
pub async fn desk_return(code: String) -> Result<DeskView, AppError> {
    crate::context::answered(
        async {
            let (_, store, asking) = desk_asking().await?;
            let code = code.trim().to_uppercase();
            let db = crate::context::db()?;
            let ret = super::service::find(&db, &code).await?;
            audit_desk(
                &db,
                &asking,
                &store,
                "return.viewed",
                &ret.code,
                serde_json::json!({ "return": ret.code }),
            )
            .await?;
            Ok(DeskView {
                can_inspect: matches!(
                    ret.status,
                    super::ReturnStatus::Registered
                        | super::ReturnStatus::HandedIn
                        | super::ReturnStatus::Received
                ),
                ret,
                store_name: store.name,
            })
        }
        .await,
    )
}

/// The desk's verdict per line (`outcome[<line>]` = accepted/rejected, and
/// `outcome_reason[<line>]` for a rejection).
#[server(prefix = "/api/fn", endpoint = "inspect_return")]
pub async fn inspect_return(
    code: String,
    #[server(default)] outcome: std::collections::BTreeMap<String, String>,
    #[server(default)] outcome_reason: std::collections::BTreeMap<String, String>,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let (actor, store, asking) = desk_asking().await?;
            let verdicts: Vec<super::desk::Inspection<'_>> = outcome
                .iter()
                .filter_map(|(line, value)| {
                    Some(super::desk::Inspection {
                        line: line.parse().ok()?,
                        outcome: super::Outcome::parse(value)?,
                        reason: outcome_reason.get(line).map(String::as_str),
                    })
                })
                .collect();
            let db = crate::context::db()?;
            let code = code.trim().to_uppercase();
            let subject = super::repo::customer_of(&db, &code).await?;
            let details = serde_json::json!({
                "return": code,
                "after": { "outcome": outcome, "outcome_reason": outcome_reason },
            });
            let trail = desk_trail(&asking, &store, "return.inspected", subject, details)?;
            let ret = super::desk::inspect(
                &db,
                &crate::context::mail_context()?,
                actor,
                &code,
                &verdicts,
                Some(&trail),
            )
            .await
            .map_err(|e| {
                let mut kept: Vec<(String, String)> = outcome
                    .iter()
                    .map(|(l, v)| (format!("outcome[{l}]"), v.clone()))
                    .collect();
                kept.extend(
                    outcome_reason
                        .iter()
                        .map(|(l, v)| (format!("outcome_reason[{l}]"), v.clone())),
                );
                e.keeping(kept)
            })?;
            leptos_axum::redirect(&format!("/store/returns/{}?inspected=1", ret.code));
            Ok(())
        }
        .await,
    )
}

/// Whether the one asking works at a return desk (store staff or admin): the desk's
/// start page shows its forms only to them.
#[server(prefix = "/api/fn", endpoint = "desk_open", input = server_fn::codec::GetUrl)]
pub async fn desk_open() -> Result<(), AppError> {
    crate::context::answered(async { desk().await.map(|_| ()) }.await)
}

/// Purchases matching a receipt code, order number, loyalty card or e-mail address.
#[server(prefix = "/api/fn", endpoint = "desk_find", input = server_fn::codec::GetUrl)]
pub async fn desk_find(q: String) -> Result<Vec<super::FoundPurchase>, AppError> {
    crate::context::answered(
        async {
            let (_, store, asking) = desk_asking().await?;
            let db = crate::context::db()?;
            let found = super::desk::find_purchases(&db, &q).await?;
            // One row per customer whose purchases were shown (their access log, their
            // erasure); a search that showed no one's is kept without a customer.
            let shown: Vec<(Option<i64>, usize)> = if found.customers.is_empty() {
                vec![(None, found.purchases.len())]
            } else {
                found
                    .customers
                    .iter()
                    .map(|(id, n)| (Some(*id), *n))
                    .collect()
            };
            for (subject, count) in shown {
                let mut entry = crate::accounts::current::audit_entry(
                    &asking,
                    "purchases.searched",
                    subject,
                    serde_json::json!({ "query": found.query, "found": count }),
                );
                entry.store_code = Some(store.code.clone());
                crate::accounts::current::record_audit(&db, entry).await;
            }
            Ok(found.purchases)
        }
        .await,
    )
}

/// The desk's return form for a purchase.
#[server(prefix = "/api/fn", endpoint = "desk_choice", input = server_fn::codec::GetUrl)]
pub async fn desk_choice(number: String) -> Result<ReturnFormData, AppError> {
    crate::context::answered(
        async {
            desk().await?;
            super::desk::desk_choice(&crate::context::db()?, number.trim()).await
        }
        .await,
    )
}

/// The review step at the desk.
#[server(prefix = "/api/fn", endpoint = "desk_review", input = server_fn::codec::GetUrl)]
pub async fn desk_review(number: String, query: String) -> Result<Quote, AppError> {
    crate::context::answered(
        async {
            let (_, store) = desk().await?;
            super::desk::desk_review(&crate::context::db()?, number.trim(), &query, &store.code)
                .await
        }
        .await,
    )
}

/// Registers the return at the desk, then opens it for inspection.
#[server(prefix = "/api/fn", endpoint = "desk_confirm")]
pub async fn desk_confirm(number: String, query: String) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let (actor, store, asking) = desk_asking().await?;
            // Recorded in the return's own transaction; start() adds the code and customer.
            let trail = desk_trail(
                &asking,
                &store,
                "return.registered",
                None,
                serde_json::json!({ "purchase": number.trim() }),
            )?;
            let ret = super::desk::desk_confirm(
                &crate::context::db()?,
                &crate::context::mail_context()?,
                actor,
                number.trim(),
                &query,
                &store.code,
                Some(&trail),
            )
            .await?;
            leptos_axum::redirect(&format!("/store/returns/{}", ret.code));
            Ok(())
        }
        .await,
    )
}

/// The return policy, for the admin.
#[server(prefix = "/api/fn", endpoint = "return_policy", input = server_fn::codec::GetUrl)]
pub async fn return_policy() -> Result<super::PolicyView, AppError> {
    crate::context::answered(
        async {
            crate::accounts::current::staff(&[crate::accounts::Role::Admin]).await?;
            super::admin::policy_view(&crate::context::db()?).await
        }
        .await,
    )
}

/// Saves the return policy (`days[<category>]` per category; empty: the default).
#[server(prefix = "/api/fn", endpoint = "save_return_policy")]
pub async fn save_return_policy(
    #[server(default)] default_days: String,
    #[server(default)] trial_category: String,
    #[server(default)] trial_nights: String,
    #[server(default)] carrier_cost: String,
    #[server(default)] days: std::collections::BTreeMap<String, String>,
    #[server(default)] conditions_nl: String,
    #[server(default)] conditions_en: String,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let asking = crate::accounts::current::staff(&[crate::accounts::Role::Admin]).await?;
            let db = crate::context::db()?;
            let before = super::admin::policy_view(&db).await?;
            let form = super::admin::PolicyForm {
                default_days: &default_days,
                trial_category: &trial_category,
                trial_nights: &trial_nights,
                carrier_cost: &carrier_cost,
                days: days.iter().map(|(c, d)| (c.as_str(), d.as_str())).collect(),
                conditions_nl: &conditions_nl,
                conditions_en: &conditions_en,
            };
            super::admin::save_policy_form(&db, &form)
                .await
                .map_err(|e| {
                    let mut kept: Vec<(String, String)> = vec![
                        ("default_days".into(), default_days.clone()),
                        ("trial_category".into(), trial_category.clone()),
                        ("trial_nights".into(), trial_nights.clone()),
                        ("carrier_cost".into(), carrier_cost.clone()),
                        ("conditions_nl".into(), conditions_nl.clone()),
                        ("conditions_en".into(), conditions_en.clone()),
                    ];
                    kept.extend(days.iter().map(|(c, d)| (format!("days[{c}]"), d.clone())));
                    e.keeping(kept)
                })?;
            let after = super::admin::policy_view(&db).await?;
            let details = serde_json::json!({ "before": before, "after": after });
            crate::accounts::current::record_audit(
                &db,
                crate::accounts::current::audit_entry(
                    &asking,
                    "settings.return_policy_changed",
                    None,
                    details,
                ),
            )
            .await;
            leptos_axum::redirect("/admin/returns?saved=1");
            Ok(())
        }
        .await,
    )
}
