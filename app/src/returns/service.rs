//! The life of a return: starting it (online or at the desk, after `quote`), the
//! customer cancelling it, the back office's status updates, and finding one. Every step
//! is recorded with who, when and where. What can be returned is in `eligibility`, the
//! form and the money in `quote`, the store desk in `desk`, the admin's policy page in
//! `admin`, the customer's mails in `mails`.
use serde_json::json;

use super::mails::{confirmation_mail, return_mail};
use super::{Quote, Return, ReturnStatus, repo};
use crate::accounts::Role;
use crate::audit::service::Trail;
use crate::db::{Db, Timestamp};
use crate::error::AppError;
use crate::i18n::*;
use crate::mail::MailContext;
use crate::orders::Order;
use crate::validate::Checks;

/// The webhook event the back office (WMS/ERP) receives for a new return.
pub const EVENT_CREATED: &str = "return.created";

/// Who acts on a return: the customer online, or staff at a store desk (the back office
/// acts through the API and is recorded as such).
#[derive(Clone, Copy, Debug)]
pub struct Actor {
    pub user_id: Option<i64>,
    /// The role they act in (see `accounts::current::Asking`).
    pub role: Role,
    /// The store whose desk they stand at; `None` online.
    pub store_id: Option<i64>,
}

impl Actor {
    /// Who asks online: the customer, or a support agent helping them in their account.
    pub fn online(asking: &crate::accounts::current::Asking) -> Actor {
        Actor {
            user_id: Some(asking.actor.id),
            role: asking.role,
            store_id: None,
        }
    }

    /// The customer, online.
    pub fn customer(user_id: i64) -> Actor {
        Actor {
            user_id: Some(user_id),
            role: Role::Customer,
            store_id: None,
        }
    }
}

pub(super) fn new_code() -> String {
    format!("R{}", crate::codes::typeable(8))
}

/// Stores a return: takes the pieces (refused as `lines` / `already_returned` when
/// another return took them first), records who started it, queues the back office's
/// webhook and the customer's confirmation mail, all in one transaction — with `trail`'s
/// audit row when someone else starts it for the customer.
pub async fn start(
    db: &Db,
    mail: &MailContext,
    actor: Actor,
    order_id: i64,
    order: &Order,
    quote: &Quote,
    trail: Option<&Trail>,
) -> Result<Return, AppError> {
    let customer_id = match &order.customer {
        Some(ext) => {
            let mut tx = db.begin().await?;
            let id = crate::customers::repo::id_by_external_id(&mut tx, ext).await?;
            tx.commit().await?;
            id
        }
        None => None,
    };
    let store_id = match &quote.store {
        Some(code) => crate::stores::repo::find_by_code(db, code)
            .await?
            .map(|s| s.id),
        None => None,
    };
    let at_desk = actor.store_id.is_some();
    let status = if at_desk {
        ReturnStatus::HandedIn
    } else {
        ReturnStatus::Registered
    };
    let now = Timestamp::now();
    let code = new_code();
    let mut tx = db.begin().await?;
    for l in &quote.lines {
        if !repo::reserve(&mut tx, order_id, l.line, l.quantity).await? {
            return Err(AppError::invalid("lines", "already_returned"));
        }
    }
    let id = repo::insert(
        &mut tx,
        &repo::NewReturn {
            code: &code,
            order_id,
            customer_id,
            method: quote.method,
            resolution: quote.resolution,
            drop_off_store_id: store_id.or(actor.store_id.filter(|_| at_desk)),
            pickup_date: quote.pickup_date.as_deref(),
            pickup_slot: quote.pickup_slot.as_deref(),
            currency: &quote.currency,
            refund: quote.refund,
            cost: quote.cost,
            refund_to: quote.refund_to.as_deref(),
            started_by: actor.user_id,
            started_in: if at_desk { "store" } else { "online" },
            status,
        },
        now,
    )
    .await?;
    for l in &quote.lines {
        repo::insert_line(&mut tx, id, l).await?;
    }
    if at_desk {
        repo::set_handed_in_place(&mut tx, id, actor.store_id, None).await?;
    }
    repo::record(
        &mut tx,
        &repo::Step {
            return_id: id,
            action: if at_desk {
                "started_at_desk"
            } else {
                "started_online"
            },
            user_id: actor.user_id,
            role: actor.role.as_str(),
            store_id: actor.store_id,
            details: None,
        },
        now,
    )
    .await?;
    crate::outbox::repo::enqueue_webhook(
        &mut tx,
        EVENT_CREATED,
        json!({
            "code": code,
            "order": order.number,
            "customer": order.customer,
            "method": quote.method,
            "resolution": quote.resolution,
            "drop_off_store": quote.store,
            "pickup_date": quote.pickup_date,
            "pickup_slot": quote.pickup_slot,
            "refund": quote.refund,
            "cost": quote.cost,
            "currency": quote.currency,
            "lines": quote.lines,
            "update_with": format!("PUT /api/v1/returns/{code}"),
        }),
        now,
    )
    .await?;
    if let Some(message) = confirmation_mail(db, mail, order_id, &code, quote).await? {
        crate::outbox::repo::enqueue_mail(&mut tx, &message, now).await?;
    }
    let trail = trail.map(|t| {
        let mut t = t.clone().with("return", json!(code));
        // At the desk, whose return it is shows only now.
        t.entry.subject_customer_id = t.entry.subject_customer_id.or(customer_id);
        t
    });
    crate::audit::service::append_if(&mut tx, trail.as_ref(), now).await?;
    tx.commit().await?;
    find(db, &code).await
}

/// A return by its code.
pub async fn find(db: &Db, code: &str) -> Result<Return, AppError> {
    Ok(repo::find_by_code(db, code.trim())
        .await?
        .ok_or(AppError::NotFound)?
        .2)
}

/// One of the customer's own returns; `NotFound` for anyone else's.
pub async fn my_return(db: &Db, customer_id: Option<i64>, code: &str) -> Result<Return, AppError> {
    let found = find(db, code).await?;
    check_owner(db, customer_id, &found).await?;
    Ok(found)
}

/// `NotFound` unless the return is of one of the customer's orders.
pub async fn check_owner(db: &Db, customer_id: Option<i64>, ret: &Return) -> Result<(), AppError> {
    let customer_id = customer_id.ok_or(AppError::NotFound)?;
    crate::orders::repo::find_for_customer(db, customer_id, &ret.order)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(())
}

/// The customer (or an agent helping them: `trail`) cancels a return not yet handed in:
/// the pieces are free again.
pub async fn cancel(
    db: &Db,
    actor: Actor,
    customer_id: Option<i64>,
    code: &str,
    trail: Option<&Trail>,
) -> Result<Return, AppError> {
    let found = my_return(db, customer_id, code).await?;
    let (id, order_id, _) = repo::find_by_code(db, &found.code)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    if !repo::set_status(
        &mut tx,
        id,
        &[ReturnStatus::Registered],
        ReturnStatus::Cancelled,
        now,
    )
    .await?
    {
        return Err(AppError::invalid("return", "not_cancellable"));
    }
    for l in &found.lines {
        repo::release(&mut tx, order_id, l.line, l.quantity).await?;
    }
    repo::record(
        &mut tx,
        &repo::Step {
            return_id: id,
            action: "cancelled",
            user_id: actor.user_id,
            role: actor.role.as_str(),
            store_id: None,
            details: None,
        },
        now,
    )
    .await?;
    crate::audit::service::append_if(&mut tx, trail, now).await?;
    tx.commit().await?;
    find(db, code).await
}

/// The back office's update (`PUT /api/v1/returns/{code}`).
#[derive(Clone, Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusUpdate {
    /// `handed_in` (the carrier took the parcel at a drop-off point), `received` (at the
    /// warehouse), `refunded`, `exchanged` or `credited`.
    pub status: String,
    /// With `handed_in`: where, as the customer knows it, e.g. `PostNL-punt Primera
    /// Utrecht Centrum`.
    #[serde(default)]
    pub place: Option<String>,
}

/// Moves a return along as the warehouse and finance report it. The same update twice
/// changes nothing; a move backwards is refused (`status` / `not_allowed_now`).
/// The customer gets a mail at each of these steps.
pub async fn update_status(
    db: &Db,
    mail: &MailContext,
    code: &str,
    update: StatusUpdate,
) -> Result<Return, AppError> {
    let to = match ReturnStatus::parse(&update.status) {
        Some(
            s @ (ReturnStatus::HandedIn
            | ReturnStatus::Received
            | ReturnStatus::Refunded
            | ReturnStatus::Exchanged
            | ReturnStatus::Credited),
        ) => s,
        _ => return Err(AppError::invalid("status", "unknown_value")),
    };
    let place = update
        .place
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let mut checks = Checks::new();
    checks.optional_text("place", place, 200);
    checks.stop_if_any()?;
    let (id, order_id, found) = repo::find_by_code(db, code.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    if found.status == to {
        return Ok(found);
    }
    let from: &[ReturnStatus] = match to {
        ReturnStatus::HandedIn => &[ReturnStatus::Registered],
        ReturnStatus::Received => &[ReturnStatus::Registered, ReturnStatus::HandedIn],
        _ => &[
            ReturnStatus::Registered,
            ReturnStatus::HandedIn,
            ReturnStatus::Received,
            ReturnStatus::Inspected,
        ],
    };
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    if !repo::set_status(&mut tx, id, from, to, now).await? {
        return Err(AppError::invalid("status", "not_allowed_now"));
    }
    if to == ReturnStatus::HandedIn {
        repo::set_handed_in_place(&mut tx, id, None, place).await?;
    }
    repo::record(
        &mut tx,
        &repo::Step {
            return_id: id,
            action: to.as_str(),
            user_id: None,
            role: "back_office",
            store_id: None,
            details: place.filter(|_| to == ReturnStatus::HandedIn),
        },
        now,
    )
    .await?;
    // The customer handed it in themselves: no mail for that step.
    let message = if to == ReturnStatus::HandedIn {
        None
    } else {
        return_mail(db, mail, order_id, &found.code, |l| {
            let (title, text) = match to {
                ReturnStatus::Received => (
                    td_string!(l, returns.status_received),
                    td_string!(l, returns.text_received),
                ),
                ReturnStatus::Refunded => (
                    td_string!(l, returns.status_refunded),
                    td_string!(l, returns.text_refunded),
                ),
                ReturnStatus::Exchanged => (
                    td_string!(l, returns.status_exchanged),
                    td_string!(l, returns.text_exchanged),
                ),
                _ => (
                    td_string!(l, returns.status_credited),
                    td_string!(l, returns.text_credited),
                ),
            };
            (format!("{title}: {}", found.code), text.to_string())
        })
        .await?
    };
    if let Some(message) = message {
        crate::outbox::repo::enqueue_mail(&mut tx, &message, now).await?;
    }
    tx.commit().await?;
    find(db, code).await
}

/// A return's page data.
pub async fn view_of(db: &Db, ret: Return) -> Result<super::ReturnView, AppError> {
    let store = match &ret.drop_off_store {
        Some(code) => crate::stores::repo::find_by_code(db, code).await?,
        None => None,
    };
    let created_local = crate::time::local_time(ret.created_at);
    Ok(super::ReturnView {
        qr_svg: crate::codes::qr_svg(&ret.code)?,
        can_cancel: ret.status == ReturnStatus::Registered,
        store,
        created_local,
        ret,
    })
}
