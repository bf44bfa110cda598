//! The rules of returns: what can be returned, what the customer gets back, starting a
//! return (online or at the desk), cancelling it, inspecting it at the store, and the back
//! office's status updates. Every step is recorded with who, when and where.
use chrono::NaiveDate;
use serde_json::json;

use super::policy::{LineFacts, Policy, Verdict};
use super::{
    LineChoice, Outcome, Quote, REASONS, Resolution, Return, ReturnLine, ReturnMethod,
    ReturnOptions, ReturnStatus, repo,
};
use crate::accounts::Language;
use crate::accounts::mails::{MailContext, Parts, compose, locale, recipient};
use crate::db::{Db, Timestamp};
use crate::error::AppError;
use crate::i18n::*;
use crate::orders::service::LOCAL_TZ;
use crate::orders::{Channel, Fulfilment, Order, OrderStatus};
use crate::validate::Checks;

/// The webhook event the back office (WMS/ERP) receives for a new return.
pub const EVENT_CREATED: &str = "return.created";

/// Who acts on a return: the customer online, or staff at a store desk.
#[derive(Clone, Copy, Debug)]
pub struct Actor<'a> {
    pub user_id: Option<i64>,
    /// `customer`, `store_staff`, `support_agent`, `admin` or `back_office` (API).
    pub role: &'a str,
    pub store_id: Option<i64>,
}

/// The local day each line reached the customer: delivered (its parcel's delivery event),
/// bought in the store, or the order's own delivered/completed status.
fn received_on(order: &Order, line_no: i32) -> Option<NaiveDate> {
    let local = |rfc3339: &str| {
        chrono::DateTime::parse_from_rfc3339(rfc3339)
            .ok()
            .map(|t| t.with_timezone(&LOCAL_TZ).date_naive())
    };
    if order.channel == Channel::Store || order.fulfilment == Fulfilment::CarryOut {
        return local(&order.placed_at);
    }
    let delivered = order
        .shipments
        .iter()
        .filter(|s| s.lines.iter().any(|l| l.line == line_no))
        .filter_map(|s| {
            s.events
                .iter()
                .filter(|e| {
                    crate::tracking::carriers::map_event(&s.carrier, &e.code)
                        == Some(crate::tracking::TrackingStatus::Delivered)
                })
                .filter_map(|e| local(&e.occurred_at))
                .max()
        })
        .max();
    delivered.or_else(|| {
        matches!(
            order.status,
            OrderStatus::Delivered | OrderStatus::Completed
        )
        .then(|| local(&order.placed_at))
        .flatten()
    })
}

/// What each line of this (loaded, with shipments) order allows today.
pub async fn options_for(db: &Db, order_id: i64, order: &Order) -> Result<ReturnOptions, AppError> {
    let policy = repo::policy(db).await?;
    let returned = repo::returned_quantities(db, order_id).await?;
    let (_, today) = crate::tracking::service::clock();
    let skus: Vec<&str> = order.lines.iter().map(|l| l.sku.as_str()).collect();
    let products = crate::catalog::repo::return_facts(db, &skus).await?;
    let families: Vec<&str> = products
        .iter()
        .filter_map(|p| p.variant_of.as_deref())
        .collect();
    let variants = crate::catalog::repo::variants(db, &families).await?;
    let mut lines = Vec::with_capacity(order.lines.len());
    for l in &order.lines {
        let rules = products.iter().find(|p| p.sku == l.sku);
        let (category, returnable, product_days) = match rules {
            Some(p) => (Some(p.category.as_str()), p.returnable, p.return_days),
            None => (None, true, None),
        };
        let exchange_options: Vec<super::ExchangeOption> = rules
            .and_then(|p| p.variant_of.as_deref())
            .map(|family| {
                variants
                    .iter()
                    .filter(|(f, sku, _)| f == family && *sku != l.sku)
                    .map(|(_, sku, name)| super::ExchangeOption {
                        sku: sku.clone(),
                        name: name.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let facts = LineFacts {
            category,
            returnable,
            product_days,
            bought: l.quantity - l.cancelled,
            returned: returned
                .iter()
                .find(|(n, _)| *n == l.line)
                .map(|(_, q)| *q)
                .unwrap_or(0),
            received_on: received_on(order, l.line),
        };
        let verdict = policy.verdict(&facts, today);
        let large = category.is_some_and(|c| super::LARGE_CATEGORIES.contains(&c));
        let unit_refund = if l.quantity > 0 {
            l.total / i64::from(l.quantity)
        } else {
            0
        };
        lines.push(match verdict {
            Verdict::Returnable { until, left, trial } => LineChoice {
                line: l.line,
                sku: l.sku.clone(),
                name: l.name.clone(),
                left,
                unit_refund,
                until: Some(until.to_string()),
                trial,
                blocked: None,
                large,
                ended_on: None,
                exchange_options,
            },
            Verdict::NotReturnable { reason, ended_on } => LineChoice {
                line: l.line,
                sku: l.sku.clone(),
                name: l.name.clone(),
                left: 0,
                unit_refund,
                until: None,
                trial: false,
                large,
                blocked: Some(reason),
                ended_on: ended_on.map(|d| d.to_string()),
                exchange_options: Vec::new(),
            },
        });
    }
    Ok(ReturnOptions {
        number: order.number.clone(),
        currency: order.currency.clone(),
        lines,
        carrier_cost: policy.carrier_cost,
        refund_to: order.payments.first().map(|p| p.method.clone()),
        conditions_nl: policy.conditions_nl.clone(),
        conditions_en: policy.conditions_en.clone(),
    })
}

async fn load_order(db: &Db, number: &str) -> Result<(i64, Order), AppError> {
    let (order_id, mut order) = crate::orders::repo::find(db, number)
        .await?
        .ok_or(AppError::NotFound)?;
    order.shipments = crate::shipments::repo::for_order(db, order_id).await?;
    Ok((order_id, order))
}

async fn own_order(
    db: &Db,
    customer_id: Option<i64>,
    number: &str,
) -> Result<(i64, Order), AppError> {
    let customer_id = customer_id.ok_or(AppError::NotFound)?;
    crate::orders::repo::find_for_customer(db, customer_id, number)
        .await?
        .ok_or(AppError::NotFound)?;
    load_order(db, number).await
}

/// The return form of one of the customer's orders.
pub async fn return_options(
    db: &Db,
    customer_id: Option<i64>,
    number: &str,
) -> Result<ReturnOptions, AppError> {
    let (order_id, order) = own_order(db, customer_id, number).await?;
    options_for(db, order_id, &order).await
}

/// What the customer (or staff for them) filled in.
#[derive(Clone, Debug, Default)]
pub struct ReturnForm<'a> {
    /// (order line, quantity typed); empty or 0: not this line.
    pub quantities: Vec<(i32, &'a str)>,
    pub reasons: Vec<(i32, &'a str)>,
    pub notes: Vec<(i32, &'a str)>,
    pub exchange_for: Vec<(i32, &'a str)>,
    pub method: &'a str,
    pub resolution: &'a str,
    /// Store code for a drop-off.
    pub store: &'a str,
    /// `YYYY-MM-DD` and `morning`/`afternoon`, for a pickup at home.
    pub pickup_date: &'a str,
    pub pickup_slot: &'a str,
}

fn value_of<'a>(pairs: &[(i32, &'a str)], line: i32) -> &'a str {
    pairs
        .iter()
        .find(|(n, _)| *n == line)
        .map(|(_, v)| v.trim())
        .unwrap_or_default()
}

/// Checks the form against what the order allows and works out the money. Field errors
/// name `quantity[<line>]`, `reason[<line>]`, `note[<line>]`, `exchange_for[<line>]`,
/// `lines`, `method`, `resolution`, `store`, `pickup_date` and `pickup_slot`; a line whose
/// window has ended says so, with the day it ended, as `window_ended:<YYYY-MM-DD>`.
pub async fn quote(
    db: &Db,
    options: &ReturnOptions,
    form: &ReturnForm<'_>,
) -> Result<Quote, AppError> {
    let mut checks = Checks::new();
    let mut lines = Vec::new();
    let mut value = 0i64;
    for (line_no, typed) in &form.quantities {
        let field = format!("quantity[{line_no}]");
        let typed = typed.trim();
        if typed.is_empty() || typed == "0" {
            continue;
        }
        let Ok(quantity) = typed.parse::<i32>() else {
            checks.push(field, "not_a_number");
            continue;
        };
        let Some(choice) = options.lines.iter().find(|l| l.line == *line_no) else {
            checks.push(field, "unknown_line");
            continue;
        };
        if let Some(blocked) = &choice.blocked {
            match &choice.ended_on {
                Some(day) => checks.push(field, &format!("{blocked}:{day}")),
                None => checks.push(field, blocked),
            }
            continue;
        }
        if quantity < 0 {
            checks.push(field, "negative");
            continue;
        }
        if quantity > choice.left {
            checks.push(field, "more_than_left");
            continue;
        }
        let reason = value_of(&form.reasons, *line_no);
        if !REASONS.contains(&reason) {
            checks.push(format!("reason[{line_no}]"), "required");
        }
        let note = Some(value_of(&form.notes, *line_no)).filter(|n| !n.is_empty());
        checks.optional_text(&format!("note[{line_no}]"), note, 500);
        let exchange_for = Some(value_of(&form.exchange_for, *line_no)).filter(|n| !n.is_empty());
        checks.optional_text(&format!("exchange_for[{line_no}]"), exchange_for, 100);
        // With sizes and variants on offer, the choice must be one of them.
        let exchange_name = match exchange_for {
            Some(sku) if !choice.exchange_options.is_empty() => {
                let offered = choice.exchange_options.iter().find(|o| o.sku == sku);
                if offered.is_none() {
                    checks.push(format!("exchange_for[{line_no}]"), "not_offered");
                }
                offered.map(|o| o.name.clone())
            }
            _ => None,
        };
        value += choice.unit_refund * i64::from(quantity);
        lines.push(ReturnLine {
            line: *line_no,
            sku: choice.sku.clone(),
            name: choice.name.clone(),
            quantity,
            reason: reason.to_string(),
            note: note.map(str::to_string),
            exchange_for: exchange_for.map(str::to_string),
            exchange_name,
            photos: Vec::new(),
            outcome: None,
            outcome_reason: None,
        });
    }
    if lines.is_empty() && checks.is_empty() {
        checks.push("lines", "nothing_chosen");
    }
    let method = ReturnMethod::parse(form.method);
    if method.is_none() {
        checks.push("method", "required");
    }
    let resolution = Resolution::parse(form.resolution);
    if resolution.is_none() {
        checks.push("resolution", "required");
    }
    if resolution == Some(Resolution::Exchange) {
        for l in &lines {
            if l.exchange_for.is_none() {
                checks.push(format!("exchange_for[{}]", l.line), "required");
            }
        }
    }
    let mut store = None;
    if method == Some(ReturnMethod::Store) {
        match crate::stores::repo::find_by_code(db, form.store.trim()).await? {
            Some(s) => store = Some(s.code),
            None => checks.push("store", "required"),
        }
    }
    let (_, today) = crate::tracking::service::clock();
    let mut pickup_date = None;
    let mut pickup_slot = None;
    if method == Some(ReturnMethod::Pickup)
        && !lines
            .iter()
            .any(|l| options.lines.iter().any(|c| c.line == l.line && c.large))
    {
        checks.push("method", "pickup_large_only");
    }
    if method == Some(ReturnMethod::Pickup) {
        match NaiveDate::parse_from_str(form.pickup_date.trim(), "%Y-%m-%d") {
            Ok(d) if d > today && d <= today + chrono::TimeDelta::days(28) => {
                pickup_date = Some(d.to_string())
            }
            Ok(d) if d <= today => checks.push("pickup_date", "not_in_future"),
            Ok(_) => checks.push("pickup_date", "too_far"),
            Err(_) => checks.push("pickup_date", "invalid_date"),
        }
        match form.pickup_slot.trim() {
            s @ ("morning" | "afternoon") => pickup_slot = Some(s.to_string()),
            _ => checks.push("pickup_slot", "required"),
        }
    }
    checks.finish()?;
    let (Some(method), Some(resolution)) = (method, resolution) else {
        return Err(AppError::Internal);
    };
    let cost = if method == ReturnMethod::Carrier {
        options.carrier_cost.min(value)
    } else {
        0
    };
    let refund = match resolution {
        Resolution::Exchange => 0,
        _ => value - cost,
    };
    Ok(Quote {
        lines,
        method,
        resolution,
        store,
        pickup_date,
        pickup_slot,
        currency: options.currency.clone(),
        refund,
        cost,
        refund_to: (resolution == Resolution::Refund)
            .then(|| options.refund_to.clone())
            .flatten(),
    })
}

fn new_code() -> String {
    use rand::Rng;
    // No 0/O or 1/I: read aloud and typed at a desk.
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    let code: String = (0..8)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("R{code}")
}

/// Stores a return: takes the pieces (refused as `lines` / `already_returned` when
/// another return took them first), records who started it, queues the back office's
/// webhook and the customer's confirmation mail, all in one transaction.
pub async fn start(
    db: &Db,
    mail: &MailContext,
    actor: Actor<'_>,
    order_id: i64,
    order: &Order,
    quote: &Quote,
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
    let at_desk = actor.role == "store_staff";
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
            role: actor.role,
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
    tx.commit().await?;
    find(db, &code).await
}

async fn contact(db: &Db, order_id: i64) -> Result<Option<(String, String, Language)>, AppError> {
    let row = crate::cancellations::repo::customer_contact(db, order_id).await?;
    Ok(row.and_then(|(name, email, language)| {
        email.map(|e| (name, e, Language::parse(&language).unwrap_or(Language::Nl)))
    }))
}

/// The customer's mail about one of their returns, linking to its page: `words` gives the
/// subject and the paragraph in their language. `None` when the order has no e-mail.
async fn return_mail(
    db: &Db,
    ctx: &MailContext,
    order_id: i64,
    code: &str,
    words: impl FnOnce(Locale) -> (String, String),
) -> Result<Option<crate::outbox::OutgoingMail>, AppError> {
    let Some((name, email, language)) = contact(db, order_id).await? else {
        return Ok(None);
    };
    let l = locale(language);
    let (subject, paragraph) = words(l);
    let link = format!("{}/account/returns/{code}", ctx.public_url);
    Ok(Some(compose(
        ctx,
        Parts {
            to: recipient(&name, &email),
            name: &name,
            subject,
            language,
            paragraph,
            button: td_string!(l, mail.return_button).to_string(),
            link: &link,
            note: None,
        },
    )))
}

/// "Your return R…": the code and what to do next, by the way it comes back.
async fn confirmation_mail(
    db: &Db,
    ctx: &MailContext,
    order_id: i64,
    code: &str,
    quote: &Quote,
) -> Result<Option<crate::outbox::OutgoingMail>, AppError> {
    return_mail(db, ctx, order_id, code, |l| {
        let how = match quote.method {
            ReturnMethod::Carrier => td_string!(l, mail.return_how_carrier),
            ReturnMethod::Store => td_string!(l, mail.return_how_store),
            ReturnMethod::Pickup => td_string!(l, mail.return_how_pickup),
        };
        (
            td_string!(l, mail.return_subject, code = code).to_string(),
            format!("{} {how}", td_string!(l, mail.return_text, code = code)),
        )
    })
    .await
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

/// The customer cancels a return not yet handed in: the pieces are free again.
pub async fn cancel(
    db: &Db,
    actor: Actor<'_>,
    customer_id: Option<i64>,
    code: &str,
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
            role: actor.role,
            store_id: None,
            details: None,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    find(db, code).await
}

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
    actor: Actor<'_>,
    code: &str,
    verdicts: &[Inspection<'_>],
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
            role: actor.role,
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

/// Sets the policy (admin).
pub async fn save_policy(db: &Db, policy: &Policy) -> Result<(), AppError> {
    let mut checks = Checks::new();
    if !(0..=365).contains(&policy.default_days) {
        checks.push("default_days", "out_of_range");
    }
    if !(0..=365).contains(&policy.trial_nights) {
        checks.push("trial_nights", "out_of_range");
    }
    if policy.carrier_cost < 0 {
        checks.push("carrier_cost", "negative");
    }
    checks.finish()?;
    let mut tx = db.begin().await?;
    repo::save_policy(&mut tx, policy, Timestamp::now()).await?;
    tx.commit().await?;
    Ok(())
}

/// The return form of one of the customer's orders, with the stores to drop off at and the
/// order's earlier returns.
pub async fn return_choice(
    db: &Db,
    customer_id: Option<i64>,
    number: &str,
) -> Result<super::ReturnFormData, AppError> {
    let (order_id, order) = own_order(db, customer_id, number).await?;
    Ok(super::ReturnFormData {
        options: options_for(db, order_id, &order).await?,
        stores: crate::stores::repo::search(db, "").await?,
        existing: repo::of_order(db, order_id).await?,
    })
}

/// Parses a return form sent as a query string (`quantity[1]=2&reason[1]=damaged&…`).
pub fn parse_form(pairs: &[(String, String)]) -> ReturnForm<'_> {
    let mut form = ReturnForm::default();
    for (key, value) in pairs {
        let indexed = |prefix: &str| -> Option<i32> {
            key.strip_prefix(prefix)?
                .strip_prefix('[')?
                .strip_suffix(']')?
                .parse()
                .ok()
        };
        if let Some(n) = indexed("quantity") {
            form.quantities.push((n, value));
        } else if let Some(n) = indexed("reason") {
            form.reasons.push((n, value));
        } else if let Some(n) = indexed("note") {
            form.notes.push((n, value));
        } else if let Some(n) = indexed("exchange_for") {
            form.exchange_for.push((n, value));
        } else {
            match key.as_str() {
                "method" => form.method = value,
                "resolution" => form.resolution = value,
                "store" => form.store = value,
                "pickup_date" => form.pickup_date = value,
                "pickup_slot" => form.pickup_slot = value,
                _ => {}
            }
        }
    }
    form
}

/// What the customer would get for this form, checked (the review step).
pub async fn review(
    db: &Db,
    customer_id: Option<i64>,
    number: &str,
    query: &str,
) -> Result<Quote, AppError> {
    let (order_id, order) = own_order(db, customer_id, number).await?;
    let options = options_for(db, order_id, &order).await?;
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
            .into_owned()
            .collect();
    quote(db, &options, &parse_form(&pairs)).await
}

/// The customer confirms the reviewed return.
pub async fn confirm(
    db: &Db,
    mail: &MailContext,
    user_id: i64,
    customer_id: Option<i64>,
    number: &str,
    query: &str,
) -> Result<Return, AppError> {
    let (order_id, order) = own_order(db, customer_id, number).await?;
    let options = options_for(db, order_id, &order).await?;
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
            .into_owned()
            .collect();
    let q = quote(db, &options, &parse_form(&pairs)).await?;
    let actor = Actor {
        user_id: Some(user_id),
        role: "customer",
        store_id: None,
    };
    start(db, mail, actor, order_id, &order, &q).await
}

/// A return's page data.
pub async fn view_of(db: &Db, ret: Return) -> Result<super::ReturnView, AppError> {
    let store = match &ret.drop_off_store {
        Some(code) => crate::stores::repo::find_by_code(db, code).await?,
        None => None,
    };
    let created_local = chrono::DateTime::parse_from_rfc3339(&ret.created_at)
        .map(|t| crate::orders::service::local_time(Timestamp(t.with_timezone(&chrono::Utc))))
        .unwrap_or_default();
    Ok(super::ReturnView {
        qr_svg: crate::codes::qr_svg(&ret.code)?,
        can_cancel: ret.status == ReturnStatus::Registered,
        store,
        created_local,
        ret,
    })
}

/// The desk looks a purchase up by receipt code, order number, loyalty card or e-mail.
pub async fn find_purchases(db: &Db, text: &str) -> Result<Vec<super::FoundPurchase>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid("q", "required"));
    }
    let card = crate::customers::normalize_loyalty_card(text);
    let email = if text.contains('@') {
        crate::accounts::normalize_email(text)
    } else {
        String::new()
    };
    Ok(repo::find_purchases(db, text, card.as_deref(), &email)
        .await?
        .into_iter()
        .map(|(number, at, channel)| super::FoundPurchase {
            number,
            placed_local: crate::orders::service::local_time(at),
            channel,
        })
        .collect())
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
    actor: Actor<'_>,
    number: &str,
    query: &str,
    store_code: &str,
) -> Result<Return, AppError> {
    let (order_id, order) = load_order(db, number).await?;
    let options = options_for(db, order_id, &order).await?;
    let pairs = desk_pairs(query, store_code);
    let q = quote(db, &options, &parse_form(&pairs)).await?;
    start(db, mail, actor, order_id, &order, &q).await
}

/// The policy with every catalogue category (for the admin's page).
pub async fn policy_view(db: &Db) -> Result<super::PolicyView, AppError> {
    let p = repo::policy(db).await?;
    let categories = repo::categories(db)
        .await?
        .into_iter()
        .map(|c| {
            let days = p.categories.iter().find(|(n, _)| *n == c).map(|(_, d)| *d);
            (c, days)
        })
        .collect();
    Ok(super::PolicyView {
        default_days: p.default_days,
        trial_category: p.trial_category,
        trial_nights: p.trial_nights,
        carrier_cost: p.carrier_cost,
        categories,
        conditions_nl: p.conditions_nl,
        conditions_en: p.conditions_en,
    })
}

/// What the admin typed on the policy page.
pub struct PolicyForm<'a> {
    pub default_days: &'a str,
    pub trial_category: &'a str,
    pub trial_nights: &'a str,
    /// Euros, `4,95` or `4.95`.
    pub carrier_cost: &'a str,
    /// (category, days typed; empty: the default window)
    pub days: Vec<(&'a str, &'a str)>,
    pub conditions_nl: &'a str,
    pub conditions_en: &'a str,
}

fn parse_days(checks: &mut Checks, field: &str, typed: &str) -> Option<i32> {
    match typed.trim().parse::<i32>() {
        Ok(d) if (0..=365).contains(&d) => Some(d),
        Ok(_) => {
            checks.push(field, "out_of_range");
            None
        }
        Err(_) => {
            checks.push(field, "not_a_number");
            None
        }
    }
}

/// `4,95` / `4.95` / `5` euros as cents.
pub fn parse_euros(typed: &str) -> Option<i64> {
    let typed = typed
        .trim()
        .trim_start_matches('€')
        .trim()
        .replace(',', ".");
    let (whole, cents) = match typed.split_once('.') {
        Some((w, c)) if c.len() <= 2 && !c.is_empty() => (w, format!("{c:0<2}")),
        Some(_) => return None,
        None => (typed.as_str(), "00".to_string()),
    };
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let cents: i64 = cents.parse().ok()?;
    (whole >= 0).then_some(whole * 100 + cents)
}

/// Saves the admin's policy; field errors name `default_days`, `trial_nights`,
/// `carrier_cost`, `days[<category>]`, `trial_category`, `conditions_nl`/`_en`.
pub async fn save_policy_form(db: &Db, form: &PolicyForm<'_>) -> Result<(), AppError> {
    let mut checks = Checks::new();
    let default_days = parse_days(&mut checks, "default_days", form.default_days);
    let trial_nights = parse_days(&mut checks, "trial_nights", form.trial_nights);
    let carrier_cost = parse_euros(form.carrier_cost);
    if carrier_cost.is_none_or(|c| c > 100_000) {
        checks.push("carrier_cost", "invalid_amount");
    }
    let known = repo::categories(db).await?;
    let trial_category = Some(form.trial_category.trim()).filter(|c| !c.is_empty());
    if trial_category.is_some_and(|c| !known.iter().any(|k| k == c)) {
        checks.push("trial_category", "unknown_category");
    }
    let mut categories = Vec::new();
    for (category, typed) in &form.days {
        if typed.trim().is_empty() {
            continue;
        }
        if !known.iter().any(|k| k == category) {
            continue;
        }
        if let Some(d) = parse_days(&mut checks, &format!("days[{category}]"), typed) {
            categories.push((category.to_string(), d));
        }
    }
    checks.optional_text("conditions_nl", Some(form.conditions_nl.trim()), 2000);
    checks.optional_text("conditions_en", Some(form.conditions_en.trim()), 2000);
    checks.finish()?;
    let (Some(default_days), Some(trial_nights), Some(carrier_cost)) =
        (default_days, trial_nights, carrier_cost)
    else {
        return Err(AppError::Internal);
    };
    save_policy(
        db,
        &Policy {
            default_days,
            categories,
            trial_category: trial_category.map(str::to_string),
            trial_nights,
            carrier_cost,
            conditions_nl: form.conditions_nl.trim().to_string(),
            conditions_en: form.conditions_en.trim().to_string(),
        },
    )
    .await
}
