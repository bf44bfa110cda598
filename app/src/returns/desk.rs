//! The store desk: finding a purchase, registering a return for it, and inspecting what
//! comes in.

use super::eligibility::{load_order, options_for};
use super::mails::return_mail;
use super::quote::{parse_form, quote};
use super::service::{Actor, find, start};
use super::{Outcome, Quote, Resolution, Return, ReturnStatus, repo};
use crate::db::{Db, Timestamp};
use crate::error::AppError;
use crate::i18n::*;
use crate::mail::MailContext;
use crate::validate::Checks;

/// The desk's verdict on one line.
#[derive(Clone, Debug)]
pub struct Inspection<'a> {
    pub line: i32,
    pub outcome: Outcome,
    pub reason: Option<&'a str>,
}

/// Store staff take the return in and inspect each line: rejected pieces are free again
/// and not refunded; the customer sees the result at once (and gets a mail).
pub async fn inspect(
    db: &Db,
    mail: &MailContext,
    actor: Actor,
    code: &str,
    verdicts: &[Inspection<'_>],
    trail: Option<&crate::audit::service::Trail>,
) -> Result<Return, AppError> {
    let (id, order_id, found) = repo::find_by_code(db, code.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    let mut checks = Checks::new();
    for l in &found.lines {
        match verdicts.iter().find(|v| v.line == l.line) {
            None => checks.push(format!("outcome[{}]", l.line), "required"),
            Some(v)
                if v.outcome == Outcome::Rejected
                    && v.reason.is_none_or(|r| r.trim().is_empty()) =>
            {
                checks.push(format!("outcome_reason[{}]", l.line), "required")
            }
            Some(_) => {}
        }
    }
    checks.finish()?;
    let (_, order) = load_order(db, &found.order).await?;
    let options = options_for(db, order_id, &order).await?;
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    if !repo::set_status(
        &mut tx,
        id,
        &[
            ReturnStatus::Registered,
            ReturnStatus::HandedIn,
            ReturnStatus::Received,
        ],
        ReturnStatus::Inspected,
        now,
    )
    .await?
    {
        return Err(AppError::invalid("return", "already_inspected"));
    }
    let mut value = 0;
    for l in &found.lines {
        let Some(v) = verdicts.iter().find(|v| v.line == l.line) else {
            continue;
        };
        repo::set_outcome(&mut tx, id, l.line, v.outcome, v.reason.map(str::trim)).await?;
        if v.outcome == Outcome::Rejected {
            repo::release(&mut tx, order_id, l.line, l.quantity).await?;
        } else {
            let unit = options
                .lines
                .iter()
                .find(|c| c.line == l.line)
                .map(|c| c.unit_refund)
                .unwrap_or(0);
            value += unit * i64::from(l.quantity);
        }
    }
    let refund = if found.resolution == Resolution::Exchange {
        0
    } else {
        (value - found.cost).max(0)
    };
    repo::set_refund(&mut tx, id, refund, actor.store_id).await?;
    if found.status == ReturnStatus::Registered {
        // Brought to the desk without being handed in first: handed in here.
        repo::set_handed_in_place(&mut tx, id, actor.store_id, None).await?;
    }
    repo::record(
        &mut tx,
        &repo::Step {
            return_id: id,
            action: "inspected",
            user_id: actor.user_id,
            role: actor.role.as_str(),
            store_id: actor.store_id,
            details: None,
        },
        now,
    )
    .await?;
    let message = return_mail(db, mail, order_id, &found.code, |l| {
        (
            td_string!(l, mail.return_inspected_subject, code = found.code.as_str()).to_string(),
            td_string!(l, mail.return_inspected_text).to_string(),
        )
    })
    .await?;
    if let Some(message) = message {
        crate::outbox::repo::enqueue_mail(&mut tx, &message, now).await?;
    }
    crate::audit::service::append_if(&mut tx, trail, now).await?;
    tx.commit().await?;
    find(db, code).await
}

/// What a desk search found, and what the audit trail keeps of it.
#[derive(Debug)]
pub struct DeskSearch {
    pub purchases: Vec<super::FoundPurchase>,
    /// Each customer whose purchases were shown, with how many (the audit trail gets one
    /// row per customer, so it lands in their access log and goes with their erasure).
    pub customers: Vec<(i64, usize)>,
    /// The search as the trail keeps it: an e-mail address or card number in its
    /// normalised form, so erasure finds it in rows that name no customer.
    pub query: String,
}

/// The desk looks a purchase up by receipt code, order number, loyalty card or e-mail.
pub async fn find_purchases(db: &Db, text: &str) -> Result<DeskSearch, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid("q", "required"));
    }
    let card = crate::customers::normalize_loyalty_card(text);
    let email = if text.contains('@') {
        crate::validate::normalize_email(text)
    } else {
        String::new()
    };
    let rows = repo::find_purchases(db, text, card.as_deref(), &email).await?;
    let mut customers: Vec<(i64, usize)> = Vec::new();
    for customer_id in rows.iter().filter_map(|row| row.3) {
        match customers.iter_mut().find(|(id, _)| *id == customer_id) {
            Some((_, count)) => *count += 1,
            None => customers.push((customer_id, 1)),
        }
    }
    let query = if !email.is_empty() {
        email
    } else {
        card.unwrap_or_else(|| text.to_string())
    };
    Ok(DeskSearch {
        purchases: rows
            .into_iter()
            .map(|(number, at, channel, _)| super::FoundPurchase {
                number,
                placed_local: crate::time::local_time(at.0),
                channel,
            })
            .collect(),
        customers,
        query,
    })
}

/// The desk's return form for any purchase (returns are omnichannel).
pub async fn desk_choice(db: &Db, number: &str) -> Result<super::ReturnFormData, AppError> {
    let (order_id, order) = load_order(db, number).await?;
    Ok(super::ReturnFormData {
        options: options_for(db, order_id, &order).await?,
        stores: Vec::new(),
        existing: repo::of_order(db, order_id).await?,
    })
}

fn desk_pairs(query: &str, store_code: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> =
        form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
            .into_owned()
            .filter(|(k, _)| k != "method" && k != "store")
            .collect();
    // At the desk the goods are here: handed in at this store.
    pairs.push(("method".into(), "store".into()));
    pairs.push(("store".into(), store_code.into()));
    pairs
}

/// What the customer at the desk would get (the review step at the desk).
pub async fn desk_review(
    db: &Db,
    number: &str,
    query: &str,
    store_code: &str,
) -> Result<Quote, AppError> {
    let (order_id, order) = load_order(db, number).await?;
    let options = options_for(db, order_id, &order).await?;
    let pairs = desk_pairs(query, store_code);
    quote(db, &options, &parse_form(&pairs)).await
}

/// Staff register a return at the desk: handed in at once, ready to inspect.
pub async fn desk_confirm(
    db: &Db,
    mail: &MailContext,
    actor: Actor,
    number: &str,
    query: &str,
    store_code: &str,
    trail: Option<&crate::audit::service::Trail>,
) -> Result<Return, AppError> {
    let (order_id, order) = load_order(db, number).await?;
    let options = options_for(db, order_id, &order).await?;
    let pairs = desk_pairs(query, store_code);
    let q = quote(db, &options, &parse_form(&pairs)).await?;
    start(db, mail, actor, order_id, &order, &q, trail).await
}
