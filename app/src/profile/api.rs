//! Server functions of "my details": only ever the logged-in user's own.
use leptos::prelude::*;

use super::{Details, EmailChangeOutcome};
use crate::error::AppError;

#[server(prefix = "/api/fn", endpoint = "my_details", input = server_fn::codec::GetUrl)]
pub async fn my_details() -> Result<Details, AppError> {
    crate::context::answered(
        async {
            let user = crate::accounts::current::asking().await?.account;
            super::service::details(&crate::context::db()?, &user).await
        }
        .await,
    )
}

#[server(prefix = "/api/fn", endpoint = "save_details")]
pub async fn save_details(
    name: String,
    phone: String,
    birth_date: String,
    language: String,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let user = crate::accounts::current::asking().await?.account;
            super::service::save_details(
                &crate::context::db()?,
                &user,
                &name,
                &phone,
                &birth_date,
                &language,
            )
            .await
            .map_err(|e| {
                e.keeping(vec![
                    ("name".into(), name.clone()),
                    ("phone".into(), phone.clone()),
                    ("birth_date".into(), birth_date.clone()),
                    ("language".into(), language.clone()),
                ])
            })?;
            leptos_axum::redirect("/account/details?saved=details");
            Ok(())
        }
        .await,
    )
}

/// Changes the password; this session stays, every other one ends.
#[server(prefix = "/api/fn", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let user = crate::accounts::current::asking().await?.account;
            let generation = super::service::change_password(
                &crate::context::db()?,
                &crate::context::mail_context()?,
                &user,
                &current_password,
                &new_password,
                &crate::context::client_ip(),
            )
            .await?;
            let session = crate::context::session().await?;
            crate::accounts::session::keep_after_credentials_change(&session, generation).await?;
            leptos_axum::redirect("/account/details?saved=password");
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api/fn", endpoint = "change_email")]
pub async fn change_email(new_email: String, email_password: String) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let user = crate::accounts::current::asking().await?.account;
            super::service::request_email_change(
                &crate::context::db()?,
                &crate::context::mail_context()?,
                &user,
                &new_email,
                &email_password,
                &crate::context::client_ip(),
            )
            .await
            .map_err(|e| e.keeping(vec![("new_email".into(), new_email.clone())]))?;
            leptos_axum::redirect("/account/details?saved=email");
            Ok(())
        }
        .await,
    )
}

/// The link in the confirmation mail (works without being logged in: the link is the proof).
#[server(prefix = "/api/fn", endpoint = "confirm_email_change")]
pub async fn confirm_email_change(token: String) -> Result<EmailChangeOutcome, AppError> {
    // Who is logged in here, asked before the change ends the user's sessions.
    let here = crate::accounts::current::current_user()
        .await
        .ok()
        .flatten();
    let (outcome, changed) =
        super::service::confirm_email_change_ending_sessions(&crate::context::db()?, &token)
            .await?;
    if let (Some(here), Some((user_id, generation))) = (here, changed)
        && here.id == user_id
    {
        // Every other session of the user ended; this one stays (under a new id).
        let session = crate::context::session().await?;
        crate::accounts::session::keep_after_credentials_change(&session, generation).await?;
    }
    Ok(outcome)
}
