//! Server functions of `/account/company`: the member's company; the admin's changes to
//! members, invitations and locations; an invitation link opened and accepted. `company`
//! is the company's external id (empty: the customer's first company).
// A form's fields arrive as the server function's arguments, one per field.
#![allow(clippy::too_many_arguments)]
use std::collections::BTreeMap;

use leptos::prelude::*;

use super::{CompanyView, InvitationView};
use crate::error::AppError;

/// Where the company page is after a change: the same company, what changed.
pub fn company_path(company: &str, done: &str) -> String {
    let company: String = form_urlencoded::byte_serialize(company.trim().as_bytes()).collect();
    format!("/account/company?company={company}&done={done}")
}

#[cfg(feature = "ssr")]
fn which(company: &Option<String>) -> Option<&str> {
    company.as_deref().map(str::trim).filter(|c| !c.is_empty())
}

#[cfg(feature = "ssr")]
fn id(raw: &str) -> Result<i64, AppError> {
    raw.trim().parse().map_err(|_| AppError::NotFound)
}

#[server(prefix = "/api/fn", endpoint = "my_company", input = server_fn::codec::GetUrl)]
pub async fn my_company(company: Option<String>) -> Result<CompanyView, AppError> {
    crate::context::answered(
        async {
            let asking = crate::accounts::current::asking().await?;
            super::manage::my_company(&crate::context::db()?, asking.subject, which(&company)).await
        }
        .await,
    )
}

/// The admin saves a member's role, limits (euros, empty: none) and locations
/// (`location[<id>]` ticked; none: every location).
#[server(prefix = "/api/fn", endpoint = "save_company_member")]
pub async fn save_company_member(
    company: Option<String>,
    member: String,
    #[server(default)] role: String,
    limit_per_order: String,
    limit_per_month: String,
    #[server(default)] location: BTreeMap<String, String>,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let asking = crate::accounts::current::asking().await?;
            let form = super::manage::MemberForm {
                role: &role,
                limit_per_order: &limit_per_order,
                limit_per_month: &limit_per_month,
                locations: location.keys().map(String::as_str).collect(),
            };
            super::manage::save_member(
                &crate::context::db()?,
                asking.subject,
                which(&company),
                id(&member)?,
                form,
            )
            .await?;
            leptos_axum::redirect(&company_path(which(&company).unwrap_or(""), "member_saved"));
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api/fn", endpoint = "remove_company_member")]
pub async fn remove_company_member(
    company: Option<String>,
    member: String,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let asking = crate::accounts::current::asking().await?;
            let db = crate::context::db()?;
            super::manage::remove_member(&db, asking.subject, which(&company), id(&member)?)
                .await?;
            // An admin who removed themselves is no longer in the company.
            let path = match super::manage::my_company(&db, asking.subject, which(&company)).await {
                Ok(_) => company_path(which(&company).unwrap_or(""), "member_removed"),
                Err(_) => "/account".to_string(),
            };
            leptos_axum::redirect(&path);
            Ok(())
        }
        .await,
    )
}

/// The admin invites someone by e-mail; `language`: the mail's (`nl`/`en`).
#[server(prefix = "/api/fn", endpoint = "invite_company_member")]
pub async fn invite_company_member(
    company: Option<String>,
    email: String,
    #[server(default)] role: String,
    #[server(default)] language: String,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let asking = crate::accounts::current::asking().await?;
            let form = super::invitations::InviteForm {
                email: &email,
                role: &role,
                language: crate::language::Language::parse(&language)
                    .unwrap_or(asking.account.language),
            };
            super::invitations::invite(
                &crate::context::db()?,
                &crate::context::mail_context()?,
                &asking.account,
                asking.subject,
                which(&company),
                form,
            )
            .await?;
            leptos_axum::redirect(&company_path(which(&company).unwrap_or(""), "invited"));
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api/fn", endpoint = "withdraw_company_invitation")]
pub async fn withdraw_company_invitation(
    company: Option<String>,
    invitation: String,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let asking = crate::accounts::current::asking().await?;
            super::invitations::withdraw(
                &crate::context::db()?,
                asking.subject,
                which(&company),
                id(&invitation)?,
            )
            .await?;
            leptos_axum::redirect(&company_path(which(&company).unwrap_or(""), "withdrawn"));
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api/fn", endpoint = "add_company_location")]
pub async fn add_company_location(
    company: Option<String>,
    name: String,
    street: String,
    house_number: String,
    #[server(default)] addition: String,
    postcode: String,
    city: String,
    country: String,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let asking = crate::accounts::current::asking().await?;
            let address = crate::customers::PostalAddress {
                name,
                street,
                house_number,
                addition: Some(addition),
                postcode,
                city,
                country,
            };
            super::manage::add_location(
                &crate::context::db()?,
                asking.subject,
                which(&company),
                address,
            )
            .await?;
            leptos_axum::redirect(&company_path(
                which(&company).unwrap_or(""),
                "location_added",
            ));
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api/fn", endpoint = "remove_company_location")]
pub async fn remove_company_location(
    company: Option<String>,
    location_id: String,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let asking = crate::accounts::current::asking().await?;
            super::manage::remove_location(
                &crate::context::db()?,
                asking.subject,
                which(&company),
                id(&location_id)?,
            )
            .await?;
            leptos_axum::redirect(&company_path(
                which(&company).unwrap_or(""),
                "location_removed",
            ));
            Ok(())
        }
        .await,
    )
}

/// The page of an invitation link, for whoever opens it (logged in or not).
#[server(prefix = "/api/fn", endpoint = "company_invitation", input = server_fn::codec::GetUrl)]
pub async fn company_invitation(token: String) -> Result<InvitationView, AppError> {
    crate::context::answered(
        async {
            let user = crate::accounts::current::current_user().await?;
            super::invitations::view(&crate::context::db()?, &token, user.as_ref()).await
        }
        .await,
    )
}

/// The logged-in user joins the company of the invitation, then sees its page.
#[server(prefix = "/api/fn", endpoint = "accept_company_invitation")]
pub async fn accept_company_invitation(token: String) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let user = crate::accounts::current::logged_in_user().await?;
            if user.acting_for.is_some() {
                // An agent helping a customer never joins a company for them.
                return Err(AppError::ReadOnlyWhileHelping);
            }
            let company = super::invitations::accept(&crate::context::db()?, &user, &token).await?;
            leptos_axum::redirect(&company_path(&company, "joined"));
            Ok(())
        }
        .await,
    )
}
