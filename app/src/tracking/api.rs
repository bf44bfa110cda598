//! Server functions of track & trace: the public tracking page (rate-limited), delivery
//! change requests on the customer's own parcels, and the admin's status sentences.
// A server function's arguments are its form's fields, one each (the form must also work
// as a plain HTML POST); the delivery change form has eight.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{OrderTracking, ParcelView, TextRow, UnknownCode};
use crate::error::AppError;

/// The public tracking page: order number and the delivery postcode. A wrong pair is
/// "not found", whichever part is wrong; too many tries give `order` / `throttled`.
#[server(prefix = "/api/fn", endpoint = "track_order", input = server_fn::codec::GetUrl)]
pub async fn track_order(order: String, postcode: String) -> Result<OrderTracking, AppError> {
    crate::context::answered(
        async {
            let number = order.trim().to_uppercase();
            // Per client address per minute and per order number per hour: enough for a
            // person following a parcel, far too few to guess a postcode.
            use crate::limits::{Limit, allow};
            let db = crate::context::db()?;
            if !allow(&db, Limit::TrackingPerClient, &crate::context::client_ip()).await
                || !allow(&db, Limit::TrackingPerOrder, &number).await
            {
                return Err(AppError::invalid("order", "throttled"));
            }
            let retailer = crate::branding::Branding::current().retailer_name;
            super::service::public_tracking(&db, &number, &postcode, &retailer).await
        }
        .await,
    )
}

/// What the delivery change form needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeOptions {
    pub number: String,
    pub parcel: ParcelView,
    /// `YYYY-MM-DD`: the first and last day that may be chosen.
    pub first_day: String,
    pub last_day: String,
}

/// A parcel of the customer's order and the changes they may ask for now.
#[server(prefix = "/api/fn", endpoint = "change_choice", input = server_fn::codec::GetUrl)]
pub async fn change_choice(number: String, shipment: String) -> Result<ChangeOptions, AppError> {
    crate::context::answered(
        async {
            let crate::accounts::current::Asking {
                subject: customer_id,
                ..
            } = crate::accounts::current::asking().await?;
            let db = crate::context::db()?;
            let (order, tracking) = super::service::own_order_tracking(
                &db,
                customer_id,
                number.trim(),
                &crate::branding::Branding::current().retailer_name,
            )
            .await?;
            let parcel = tracking
                .parcels
                .into_iter()
                .find(|p| p.id == shipment)
                .ok_or(AppError::NotFound)?;
            let (_, today) = crate::time::clock();
            Ok(ChangeOptions {
                number: order.number,
                parcel,
                first_day: (today + chrono::TimeDelta::days(1)).to_string(),
                last_day: (today + chrono::TimeDelta::days(28)).to_string(),
            })
        }
        .await,
    )
}

/// Asks for a delivery change on one of the customer's parcels, then shows the order.
#[server(prefix = "/api/fn", endpoint = "request_delivery_change")]
pub async fn request_delivery_change(
    number: String,
    shipment: String,
    #[server(default)] kind: String,
    #[server(default)] date: String,
    #[server(default)] slot: String,
    #[server(default)] neighbour: String,
    #[server(default)] take_away_old: Option<String>,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let asking = crate::accounts::current::asking().await?;
            let trail = asking.trail(
                "delivery_change.requested",
                serde_json::json!({ "order": number.trim(), "shipment": shipment.trim() }),
            )?;
            let form = super::requests::ChangeForm {
                kind: &kind,
                date: &date,
                slot: &slot,
                neighbour: &neighbour,
                take_away_old: take_away_old.is_some(),
                note: &note,
            };
            super::requests::request_change(
                &crate::context::db()?,
                asking.actor.id,
                asking.subject,
                number.trim(),
                &shipment,
                form,
                trail.as_ref(),
            )
            .await
            .map_err(|e| {
                e.keeping(vec![
                    ("kind".into(), kind.clone()),
                    ("date".into(), date.clone()),
                    ("slot".into(), slot.clone()),
                    ("neighbour".into(), neighbour.clone()),
                    (
                        "take_away_old".into(),
                        take_away_old.clone().unwrap_or_default(),
                    ),
                    ("note".into(), note.clone()),
                ])
            })?;
            let encoded: String =
                form_urlencoded::byte_serialize(number.trim().as_bytes()).collect();
            leptos_axum::redirect(&format!(
                "/account/orders/{encoded}?delivery=requested#parcels"
            ));
            Ok(())
        }
        .await,
    )
}

/// The admin's page: every status sentence (built-in and own), and unknown carrier codes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackingAdminData {
    pub rows: Vec<TextRow>,
    pub unknown: Vec<UnknownCode>,
}

#[server(prefix = "/api/fn", endpoint = "tracking_admin", input = server_fn::codec::GetUrl)]
pub async fn tracking_admin() -> Result<TrackingAdminData, AppError> {
    crate::context::answered(
        async {
            crate::accounts::current::staff(&[crate::accounts::Role::Admin]).await?;
            let db = crate::context::db()?;
            Ok(TrackingAdminData {
                rows: super::admin::text_rows(&db).await?,
                unknown: super::admin::unknown_codes(&db).await?,
            })
        }
        .await,
    )
}

/// Saves the retailer's sentences of one status; empty means the built-in one.
#[server(prefix = "/api/fn", endpoint = "save_tracking_texts")]
pub async fn save_tracking_texts(
    status: String,
    #[server(default)] text_nl: String,
    #[server(default)] text_en: String,
) -> Result<(), AppError> {
    crate::context::answered(
        async {
            let admin = crate::accounts::current::staff(&[crate::accounts::Role::Admin]).await?;
            super::admin::save_texts(
                &crate::context::db()?,
                admin.actor.id,
                &status,
                &text_nl,
                &text_en,
            )
            .await
            .map_err(|e| {
                e.keeping(vec![
                    ("status".into(), status.clone()),
                    ("text_nl".into(), text_nl.clone()),
                    ("text_en".into(), text_en.clone()),
                ])
            })?;
            let details = serde_json::json!({
                "status": status,
                "after": { "text_nl": text_nl.trim(), "text_en": text_en.trim() },
            });
            crate::accounts::current::record_audit(
                &crate::context::db()?,
                crate::accounts::current::audit_entry(
                    &admin,
                    "settings.tracking_text_changed",
                    None,
                    details,
                ),
            )
            .await;
            leptos_axum::redirect(&format!("/admin/tracking?saved={status}#status-{status}"));
            Ok(())
        }
        .await,
    )
}
