//! A B2B buyer's order request, whatever it came from — a reorder of an earlier order,
//! a quick order, an order list: stored with its lines, then either sent to the back
//! office (a signed webhook through the outbox) or, over the buyer's limit, kept waiting
//! for an approver of the company (who gets a mail, as does the buyer). One transaction.
use serde_json::json;

use super::mails::{Waiting, Which};
use super::{Reorder, ReorderChoice, ReorderLine, repo};
use crate::customers::PostalAddress;
use crate::db::{Db, Timestamp};
use crate::error::AppError;

/// The webhook event the back office receives for a reorder of an earlier order.
pub const EVENT_REORDER: &str = "order.reorder_requested";
/// The webhook event for a request of no earlier order (quick order, order list).
pub const EVENT_REQUEST: &str = "order.requested";

/// What the buyer asks for.
pub struct NewOrderRequest<'a> {
    /// The earlier order it repeats (row id, number); `None`: a quick order or a list.
    pub order: Option<(i64, &'a str)>,
    /// The company's number; empty for a B2B order of no company.
    pub company: &'a str,
    pub customer_id: i64,
    pub user_id: i64,
    /// The products (as offered now) and how many of each.
    pub chosen: &'a [(ReorderChoice, i32)],
    pub currency: &'a str,
    pub note: Option<&'a str>,
    pub deliver_to: Option<&'a PostalAddress>,
}

/// Stores the request and sends it on, or keeps it for an approver. Field error
/// `lines` / `over_limit_no_approver` when it is over the buyer's limit and nobody else
/// in the company may approve.
pub async fn request(
    db: &Db,
    ctx: &crate::mail::MailContext,
    r: NewOrderRequest<'_>,
) -> Result<Reorder, AppError> {
    let lines: Vec<ReorderLine> = r
        .chosen
        .iter()
        .map(|(c, quantity)| ReorderLine {
            sku: c.sku.clone(),
            name: c.name.clone(),
            quantity: *quantity,
        })
        .collect();
    let total: i64 = r
        .chosen
        .iter()
        .map(|(c, quantity)| c.price_now.unwrap_or(0) * i64::from(*quantity))
        .sum();
    let membership = crate::companies::repo::memberships(db, r.customer_id)
        .await?
        .into_iter()
        .find(|m| m.external_id == r.company);
    let over_limit = match &membership {
        Some(m) => over_limit(db, r.customer_id, r.company, total, m).await?,
        None => None,
    };
    let approvers = match over_limit {
        Some(_) => crate::companies::repo::approvers(db, r.company, r.customer_id).await?,
        None => Vec::new(),
    };
    if over_limit.is_some() && approvers.is_empty() {
        // Nobody but the buyer could ever approve it: say so now, not after a wait.
        return Err(AppError::invalid("lines", "over_limit_no_approver"));
    }
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    let company_id = match &membership {
        Some(m) => Some(m.company_id),
        None if r.company.is_empty() => None,
        None => crate::companies::repo::id_by_external_id(&mut tx, r.company).await?,
    };
    if r.order.is_none() && company_id.is_none() {
        return Err(AppError::NotFound);
    }
    let deliver_to = match r.deliver_to {
        Some(address) => Some(serde_json::to_string(address).map_err(|_| AppError::Internal)?),
        None => None,
    };
    let request_id = repo::insert(
        &mut tx,
        &repo::NewRequest {
            order_id: r.order.map(|(id, _)| id),
            company_id,
            currency: r.currency,
            deliver_to,
            customer_id: r.customer_id,
            user_id: r.user_id,
            note: r.note,
            lines: &lines,
            total,
            over_limit,
        },
        now,
    )
    .await?;
    match over_limit {
        None => {
            let buyer = crate::customers::repo::external_id(&mut tx, r.customer_id).await?;
            let sent = ToBackOffice {
                request_id,
                order: r.order.map(|(_, number)| number),
                company: Some(r.company).filter(|c| !c.is_empty()),
                buyer: buyer.as_deref(),
                note: r.note,
                lines: &lines,
                deliver_to: r.deliver_to,
                approved_by: None,
            };
            send_to_back_office(&mut tx, sent, now).await?;
        }
        Some(limit) => {
            let company_name = membership
                .as_ref()
                .map(|m| m.name.clone())
                .unwrap_or_else(|| r.company.to_string());
            let waiting = Waiting {
                which: match r.order {
                    Some((_, number)) => Which::Reorder(number),
                    None => Which::Request(request_id),
                },
                company: &company_name,
                total,
                currency: r.currency,
                over_limit: limit,
            };
            for mail in
                super::mails::awaiting_approval(ctx, db, r.customer_id, &approvers, &waiting)
                    .await?
            {
                crate::outbox::repo::enqueue_mail(&mut tx, &mail, now).await?;
            }
        }
    }
    tx.commit().await?;
    repo::find(db, request_id).await?.ok_or(AppError::Internal)
}

/// A request as the back office receives it.
pub(super) struct ToBackOffice<'a> {
    pub request_id: i64,
    pub order: Option<&'a str>,
    pub company: Option<&'a str>,
    pub buyer: Option<&'a str>,
    pub note: Option<&'a str>,
    pub lines: &'a [ReorderLine],
    pub deliver_to: Option<&'a PostalAddress>,
    /// The approver's name, when the request needed one.
    pub approved_by: Option<&'a str>,
}

/// Queues the request's webhook, in the caller's transaction: `order.reorder_requested`
/// for a reorder, `order.requested` for a quick order or an order list.
pub(super) async fn send_to_back_office(
    tx: &mut crate::db::Tx,
    r: ToBackOffice<'_>,
    now: Timestamp,
) -> Result<(), AppError> {
    let (event, answer_with) = match r.order {
        Some(order) => (
            EVENT_REORDER,
            format!("PUT /api/v1/orders/{order}/reorders/{}", r.request_id),
        ),
        None => (
            EVENT_REQUEST,
            format!("PUT /api/v1/order-requests/{}", r.request_id),
        ),
    };
    crate::outbox::repo::enqueue_webhook(
        tx,
        event,
        json!({
            "reorder_id": r.request_id,
            "order": r.order,
            "company": r.company,
            "customer": r.buyer,
            "note": r.note,
            "lines": r.lines,
            "deliver_to": r.deliver_to,
            "approved_by": r.approved_by,
            "answer_with": answer_with,
        }),
        now,
    )
    .await?;
    Ok(())
}

/// Which of the buyer's limits a request of `total` passes, if any: `per_order` first,
/// else `per_month` (all of this calendar month's requests together, not counting
/// rejected or declined ones).
pub fn limit_passed(
    total: i64,
    spent_this_month: i64,
    per_order: Option<i64>,
    per_month: Option<i64>,
) -> Option<&'static str> {
    if per_order.is_some_and(|limit| total > limit) {
        Some("per_order")
    } else if per_month.is_some_and(|limit| spent_this_month + total > limit) {
        Some("per_month")
    } else {
        None
    }
}

async fn over_limit(
    db: &Db,
    customer_id: i64,
    company: &str,
    total: i64,
    member: &crate::companies::repo::Membership,
) -> Result<Option<&'static str>, AppError> {
    let spent = match member.limit_per_month {
        Some(_) => {
            use chrono::Datelike;
            let (_, today) = crate::time::clock();
            let first = today.with_day(1).unwrap_or(today);
            repo::spent_since(db, customer_id, company, crate::time::local_midnight(first)).await?
        }
        None => 0,
    };
    Ok(limit_passed(
        total,
        spent,
        member.limit_per_order,
        member.limit_per_month,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_over_a_limit_needs_an_approver() {
        assert_eq!(limit_passed(10_000, 0, None, None), None);
        assert_eq!(
            limit_passed(10_000, 0, Some(10_000), None),
            None,
            "up to the limit"
        );
        assert_eq!(
            limit_passed(10_001, 0, Some(10_000), None),
            Some("per_order")
        );
        assert_eq!(
            limit_passed(5_000, 46_000, Some(10_000), Some(50_000)),
            Some("per_month")
        );
        assert_eq!(
            limit_passed(20_000, 46_000, Some(10_000), Some(50_000)),
            Some("per_order")
        );
        assert_eq!(limit_passed(4_000, 46_000, None, Some(50_000)), None);
    }
}
