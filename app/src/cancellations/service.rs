//! Asking for a cancellation (the customer) and answering it (the back office).
use serde_json::json;

use super::repo;
use super::{
    CancelOptions, CancellableLine, Cancellation, CancellationStatus, CancellationView, REASONS,
};
use crate::db::{Db, Timestamp};
use crate::decisions::{Standing, decide_once, record_answer};
use crate::error::AppError;
use crate::language::Language;
use crate::mail::MailContext;
use crate::orders::{Channel, Fulfilment, Order, OrderStatus};
use crate::validate::{Checks, typed_quantities};

/// The webhook event the back office receives for a new request.
pub const EVENT_REQUESTED: &str = "order.cancellation_requested";

/// Why this order cannot be cancelled by the customer now, if it cannot.
pub fn blocked_reason(
    order: &Order,
    has_shipments: bool,
    open_request: bool,
) -> Option<&'static str> {
    if order.channel == Channel::Store || order.fulfilment == Fulfilment::CarryOut {
        Some("store_purchase")
    } else if order.status == OrderStatus::Cancelled
        || order.lines.iter().all(|l| l.cancelled >= l.quantity)
    {
        Some("nothing_left")
    } else if open_request {
        Some("already_requested")
    } else if !matches!(order.status, OrderStatus::Received | OrderStatus::Paid) || has_shipments {
        Some("being_prepared")
    } else {
        None
    }
}

struct OwnOrder {
    id: i64,
    order: Order,
    blocked: Option<&'static str>,
}

async fn own_order(db: &Db, customer_id: Option<i64>, number: &str) -> Result<OwnOrder, AppError> {
    let (id, order) = crate::orders::service::own_with_shipments(db, customer_id, number).await?;
    let has_shipments = !order.shipments.is_empty();
    let open = repo::has_open(db, id).await?;
    let may_act =
        crate::companies::service::may_act_for(db, customer_id, order.company.as_deref()).await?;
    let blocked = if may_act {
        blocked_reason(&order, has_shipments, open)
    } else {
        // A viewer of the company sees its orders but does not change them.
        Some("viewer")
    };
    Ok(OwnOrder { id, order, blocked })
}

/// The lines the customer may cancel on their own order, or why they cannot.
pub async fn cancel_options(
    db: &Db,
    customer_id: Option<i64>,
    number: &str,
) -> Result<CancelOptions, AppError> {
    let own = own_order(db, customer_id, number).await?;
    Ok(CancelOptions {
        number: own.order.number,
        lines: own
            .order
            .lines
            .iter()
            .filter(|l| l.quantity > l.cancelled)
            .map(|l| CancellableLine {
                line: l.line,
                name: l.name.clone(),
                sku: l.sku.clone(),
                quantity: l.quantity - l.cancelled,
            })
            .collect(),
        blocked: own.blocked.map(str::to_string),
    })
}

/// What the customer filled in on the cancel form.
pub struct CancelForm<'a> {
    /// Order line number and the quantity typed for it (empty or 0: keep it).
    pub quantities: Vec<(i32, &'a str)>,
    pub reason: &'a str,
    pub note: &'a str,
}

/// Stores the request and queues the webhook, in one transaction. Field errors name
/// `quantity[<line>]`, `lines`, `reason` or `note`; an order that cannot be cancelled
/// (any more) gives `order` / `not_cancellable` or `already_requested`.
pub async fn request_cancellation(
    db: &Db,
    user_id: i64,
    customer_id: Option<i64>,
    number: &str,
    form: CancelForm<'_>,
    trail: Option<&crate::audit::service::Trail>,
) -> Result<Cancellation, AppError> {
    let own = own_order(db, customer_id, number).await?;
    match own.blocked {
        None => {}
        Some("already_requested") => return Err(AppError::invalid("order", "already_requested")),
        Some("viewer") => return Err(AppError::invalid("order", "viewer_cannot_act")),
        Some(_) => return Err(AppError::invalid("order", "not_cancellable")),
    }
    let mut checks = Checks::new();
    let mut chosen = Vec::new();
    for typed in typed_quantities(&form.quantities, &own.order.lines, |l| l.line) {
        let Some(typed) = checks.keep(typed) else {
            continue;
        };
        let left = typed.offered.quantity - typed.offered.cancelled;
        if typed.quantity < 0 {
            checks.push(typed.field, "negative");
        } else if typed.quantity > left {
            checks.push(typed.field, "more_than_ordered");
        } else if typed.quantity > 0 {
            chosen.push((typed.line, typed.quantity));
        }
    }
    if chosen.is_empty() && checks.is_empty() {
        checks.push("lines", "nothing_selected");
    }
    if !REASONS.contains(&form.reason) {
        checks.push("reason", "required");
    }
    let note = Some(form.note.trim()).filter(|n| !n.is_empty());
    checks.optional_text("note", note, 500);
    checks.stop_if_any()?;

    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    let whole_order = own.order.lines.iter().all(|l| {
        l.quantity == l.cancelled
            || chosen
                .iter()
                .any(|&(n, q)| n == l.line && q >= l.quantity - l.cancelled)
    });
    let request = repo::NewRequest {
        order_id: own.id,
        user_id,
        reason: form.reason,
        note,
        whole_order,
        lines: &chosen,
    };
    let Some(request_id) = repo::insert(&mut tx, &request, now).await? else {
        return Err(AppError::invalid("order", "already_requested"));
    };
    let lines: Vec<_> = chosen
        .iter()
        .filter_map(|&(n, q)| {
            own.order
                .lines
                .iter()
                .find(|l| l.line == n)
                .map(|l| json!({"line": n, "sku": l.sku, "name": l.name, "quantity": q}))
        })
        .collect();
    crate::outbox::repo::enqueue_webhook(
        &mut tx,
        EVENT_REQUESTED,
        json!({
            "cancellation_id": request_id,
            "order": own.order.number,
            "customer": own.order.customer,
            "whole_order": whole_order,
            "reason": form.reason,
            "note": note,
            "lines": lines,
            "confirm_with": format!("PUT /api/v1/orders/{}/cancellations/{request_id}", own.order.number),
        }),
        now,
    )
    .await?;
    let trail = trail.map(|t| t.clone().with("lines", json!(lines)));
    crate::audit::service::append_if(&mut tx, trail.as_ref(), now).await?;
    tx.commit().await?;
    repo::find(db, own.id, &own.order.number, request_id)
        .await?
        .ok_or(AppError::Internal)
}

/// Every cancellation request of an order (for the back office).
pub async fn for_order(db: &Db, number: &str) -> Result<Vec<Cancellation>, AppError> {
    let id = crate::orders::service::id_of(db, number).await?;
    Ok(repo::for_order(db, id, number).await?)
}

/// The newest request of one of the customer's own orders (for the order page).
pub async fn latest_for_order(
    db: &Db,
    order_id: i64,
    number: &str,
) -> Result<Option<CancellationView>, AppError> {
    let Some(c) = repo::for_order(db, order_id, number)
        .await?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let local = crate::time::local_time;
    Ok(Some(CancellationView {
        status: c.status,
        whole_order: c.whole_order,
        requested_local: local(c.requested_at),
        decided_local: c.decided_at.map(local),
        lines: c.lines,
        decision_note: c.decision_note,
    }))
}

/// The back office's answer.
#[derive(Clone, Debug, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// `confirmed` (the lines are cancelled) or `declined` (the order goes on).
    pub status: String,
    /// Shown to the customer; say why when declining (e.g. "already packed").
    pub note: Option<String>,
}

/// Confirms or declines a request. Confirming cancels the requested quantities (and the
/// order, when nothing is left). Sending the same answer again changes nothing; the
/// other answer to a request already answered is refused. The customer gets a mail.
pub async fn decide(
    db: &Db,
    mail: &MailContext,
    number: &str,
    request_id: i64,
    decision: Decision,
) -> Result<Cancellation, AppError> {
    let mut checks = Checks::new();
    let (status, note) = checks.answer(
        CancellationStatus::parse(&decision.status),
        &[CancellationStatus::Confirmed, CancellationStatus::Declined],
        decision.note.as_deref(),
    );
    let status = checks.stop_or(status)?;

    let order_id = crate::orders::service::id_of(db, number).await?;
    decide_once(
        || Box::pin(async move { Ok(repo::find(db, order_id, number, request_id).await?) }),
        |request: &Cancellation| {
            Standing::of(request.status, status, CancellationStatus::Requested)
        },
        |request: Cancellation| {
            Box::pin(async move {
                let contact = crate::orders::repo::customer_contact(db, order_id).await?;
                let now = Timestamp::now();
                let mut tx = db.begin().await?;
                if !record_answer(
                    &mut tx,
                    repo::TABLE,
                    request_id,
                    status.as_str(),
                    note,
                    now,
                    &[],
                )
                .await?
                {
                    return Ok(false);
                }
                if status == CancellationStatus::Confirmed
                    && repo::apply_to_lines(&mut tx, order_id, request_id).await?
                {
                    crate::orders::repo::set_status(&mut tx, order_id, OrderStatus::Cancelled, now)
                        .await?;
                }
                if let Some((name, Some(email), language)) = contact {
                    let language = Language::parse(&language).unwrap_or(Language::Nl);
                    let message = super::mails::decided(
                        mail,
                        &email,
                        &name,
                        language,
                        number,
                        status,
                        request.whole_order,
                        note,
                    );
                    crate::outbox::repo::enqueue_mail(&mut tx, &message, now).await?;
                }
                tx.commit().await?;
                Ok(true)
            })
        },
    )
    .await
}
