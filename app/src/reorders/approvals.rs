//! Approvals: a B2B request over the buyer's limit (per order, or this month's together)
//! waits for an approver or admin of the company — never the buyer themselves. They
//! approve it (only then does it go to the back office) or reject it with a reason; the
//! decision is recorded (who, when, why) and the buyer gets a mail either way.
use super::mails::Which;
use super::requests::{ToBackOffice, send_to_back_office};
use super::{ApprovalState, PendingApproval, repo};
use crate::accounts::UserSummary;
use crate::companies::MemberRole;
use crate::db::{Db, Timestamp};
use crate::error::AppError;
use crate::mail::MailContext;
use crate::validate::Checks;

/// The requests waiting for this customer's decision, oldest first.
pub async fn pending(db: &Db, customer_id: Option<i64>) -> Result<Vec<PendingApproval>, AppError> {
    let Some(customer_id) = customer_id else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for id in repo::awaiting_for(db, customer_id).await? {
        let Some(found) = repo::for_approval(db, id).await? else {
            continue;
        };
        let buyer = match found.buyer_customer_id {
            Some(buyer) => crate::customers::repo::mail_details(db, buyer)
                .await?
                .map(|(name, _, _)| name)
                .unwrap_or_default(),
            None => String::new(),
        };
        let r = found.request;
        out.push(PendingApproval {
            id: r.id,
            order: r.order,
            company: found.company_name,
            buyer,
            total: found.total,
            currency: r.currency.unwrap_or_else(|| "EUR".into()),
            over_limit: r
                .approval
                .and_then(|a| a.over_limit)
                .unwrap_or_else(|| "per_order".into()),
            note: r.note,
            requested_local: crate::time::local_time(r.requested_at),
            lines: r.lines,
        });
    }
    Ok(out)
}

/// The approver's decision on request `request_id`. Not an approver or admin of the
/// request's company: `NotFound` (as for a request that does not exist); their own
/// request: `Forbidden`. Field errors: `note` / `required` (a rejection says why) or
/// `too_long`; `request` / `already_decided`.
pub async fn decide(
    db: &Db,
    ctx: &MailContext,
    approver: &UserSummary,
    approver_customer: Option<i64>,
    request_id: i64,
    approve: bool,
    note: &str,
) -> Result<(), AppError> {
    let approver_customer = approver_customer.ok_or(AppError::NotFound)?;
    let found = repo::for_approval(db, request_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let role = crate::companies::repo::role_in(db, approver_customer, &found.company).await?;
    if !matches!(role, Some(MemberRole::Approver | MemberRole::Admin)) {
        return Err(AppError::NotFound);
    }
    if found.buyer_customer_id == Some(approver_customer)
        || found.buyer_user_id == Some(approver.id)
    {
        return Err(AppError::Forbidden);
    }
    let note = Some(note.trim()).filter(|n| !n.is_empty());
    let mut checks = Checks::new();
    if !approve && note.is_none() {
        checks.push("note", "required");
    }
    checks.optional_text("note", note, 500);
    checks
        .finish()
        .map_err(|e| e.keeping(vec![("note".into(), note.unwrap_or_default().into())]))?;
    let state = if approve {
        ApprovalState::Approved
    } else {
        ApprovalState::Rejected
    };
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    if !repo::record_approval(&mut tx, request_id, state, approver.id, note, now).await? {
        return Err(AppError::invalid("request", "already_decided"));
    }
    if approve {
        let buyer = match found.buyer_customer_id {
            Some(id) => crate::customers::repo::external_id(&mut tx, id).await?,
            None => None,
        };
        let sent = ToBackOffice {
            request_id,
            order: found.request.order.as_deref(),
            company: Some(&found.company),
            buyer: buyer.as_deref(),
            note: found.request.note.as_deref(),
            lines: &found.request.lines,
            deliver_to: found.request.deliver_to.as_ref(),
            approved_by: Some(&approver.name),
        };
        send_to_back_office(&mut tx, sent, now).await?;
    }
    if let Some(buyer) = found.buyer_customer_id
        && let Some(mail) = super::mails::decided(
            ctx,
            db,
            buyer,
            Which::of(&found.request),
            approve,
            &approver.name,
            note,
        )
        .await?
    {
        crate::outbox::repo::enqueue_mail(&mut tx, &mail, now).await?;
    }
    tx.commit().await?;
    Ok(())
}
