//! Server functions of the staff tools: the admin's search of the audit trail, and the
//! staff accounts (`/admin/staff`).
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

/// `/admin/staff`: every staff member, the stores, and whether a change needs a code first.
#[server(prefix = "/api/fn", endpoint = "load_staff")]
pub async fn load_staff() -> Result<super::StaffOverview, AppError> {
    crate::context::answered(
        async {
            use crate::accounts::{Role, current};
            let asking = current::staff(&[Role::Admin]).await?;
            let db = crate::context::db()?;
            let code_needed = current::code_needed().await?;
            super::accounts::overview(&db, asking.actor.id, code_needed).await
        }
        .await,
    )
}

/// `/admin/staff/{id}`: one staff member, with the stores to choose from.
#[server(prefix = "/api/fn", endpoint = "load_staff_member")]
pub async fn load_staff_member(user: i64) -> Result<super::StaffOverview, AppError> {
    crate::context::answered(
        async {
            use crate::accounts::{Role, current};
            let asking = current::staff(&[Role::Admin]).await?;
            let db = crate::context::db()?;
            let member = super::accounts::member(&db, asking.actor.id, user).await?;
            let code_needed = current::code_needed().await?;
            let mut overview = super::accounts::overview(&db, asking.actor.id, code_needed).await?;
            overview.members = vec![member];
            Ok(overview)
        }
        .await,
    )
}

/// Invites a staff member by mail (admin; a code first when the last one is old).
#[server(prefix = "/api/fn", endpoint = "invite_staff")]
pub async fn invite_staff(
    email: String,
    name: String,
    #[server(default)] language: String,
    #[server(default)] role: std::collections::BTreeMap<String, String>,
    #[server(default)] store: std::collections::BTreeMap<String, String>,
    #[server(default)] code: String,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            use crate::accounts::{Language, Role, current};
            let asking = current::staff(&[Role::Admin]).await?;
            let db = crate::context::db()?;
            let key = crate::audit::service::key()?;
            let mail = crate::context::mail_context()?;
            let form = super::accounts::form_of(&role, &store);
            let parsed = Language::parse(&language).unwrap_or_default();
            let invited = async {
                current::reauthenticated(&asking.actor, &code).await?;
                super::accounts::invite(&db, &key, &mail, &asking, &email, &name, parsed, &form)
                    .await
            }
            .await;
            let id = invited.map_err(|e| {
                // Refused: the form comes back as it was typed (not the code).
                let mut kept = vec![
                    ("email".to_string(), email.clone()),
                    ("name".to_string(), name.clone()),
                    ("language".to_string(), language.clone()),
                ];
                kept.extend(
                    role.keys()
                        .map(|r| (format!("role[{r}]"), "on".to_string())),
                );
                kept.extend(
                    store
                        .keys()
                        .map(|s| (format!("store[{s}]"), "on".to_string())),
                );
                e.keeping(kept)
            })?;
            leptos_axum::redirect(&format!("/admin/staff?invited={id}#staff-{id}"));
            Ok(())
        }
        .await,
    )
}

/// Changes a staff member's roles and stores.
#[server(prefix = "/api/fn", endpoint = "change_staff")]
pub async fn change_staff(
    user: i64,
    #[server(default)] role: std::collections::BTreeMap<String, String>,
    #[server(default)] store: std::collections::BTreeMap<String, String>,
    #[server(default)] code: String,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            use crate::accounts::{Role, current};
            let asking = current::staff(&[Role::Admin]).await?;
            current::reauthenticated(&asking.actor, &code).await?;
            let db = crate::context::db()?;
            let key = crate::audit::service::key()?;
            let form = super::accounts::form_of(&role, &store);
            super::accounts::change(&db, &key, &asking, user, &form).await?;
            leptos_axum::redirect(&format!("/admin/staff/{user}?saved=1"));
            Ok(())
        }
        .await,
    )
}

/// Deactivates (`active=false`) or reactivates a staff member.
#[server(prefix = "/api/fn", endpoint = "set_staff_active")]
pub async fn set_staff_active(
    user: i64,
    active: bool,
    #[server(default)] code: String,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            use crate::accounts::{Role, current};
            let asking = current::staff(&[Role::Admin]).await?;
            current::reauthenticated(&asking.actor, &code).await?;
            let db = crate::context::db()?;
            let key = crate::audit::service::key()?;
            super::accounts::set_active(&db, &key, &asking, user, active).await?;
            leptos_axum::redirect(&format!("/admin/staff/{user}?saved=1"));
            Ok(())
        }
        .await,
    )
}

/// Resets a staff member's two-step login (a lost phone).
#[server(prefix = "/api/fn", endpoint = "reset_staff_two_factor")]
pub async fn reset_staff_two_factor(
    user: i64,
    #[server(default)] code: String,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            use crate::accounts::{Role, current};
            let asking = current::staff(&[Role::Admin]).await?;
            current::reauthenticated(&asking.actor, &code).await?;
            let db = crate::context::db()?;
            let key = crate::audit::service::key()?;
            super::accounts::reset_two_factor(&db, &key, &asking, user).await?;
            leptos_axum::redirect(&format!("/admin/staff/{user}?saved=1"));
            Ok(())
        }
        .await,
    )
}
