//! The rules of track & trace: statuses after new events, the tracking view of an order
//! (for its owner and for the public page), messages when a delivery goes wrong, the
//! retailer's sentences and the customer's delivery change requests.
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde_json::json;

use super::status::{self, Event, ParcelFacts};
use super::texts::{self, Overrides, Values};
use super::{
    Attention, DeliveryRequest, OrderTracking, ParcelView, RequestKind, RequestStatus, StatusLine,
    TextRow, TimelineEntry, TrackingStatus, UnknownCode, carriers, repo,
};
use crate::accounts::Language;
use crate::accounts::mails::MailContext;
use crate::db::{Db, Timestamp, Tx};
use crate::error::AppError;
use crate::orders::service::{LOCAL_TZ, local_time};
use crate::orders::{Order, OrderStatus};
use crate::shipments::Shipment;
use crate::validate::Checks;

/// The webhook event the back office receives for a delivery change request.
pub const EVENT_DELIVERY_CHANGE: &str = "shipment.delivery_change_requested";

/// How far back the background check looks for parcels that missed their date.
const LATE_LOOKBACK_DAYS: i64 = 30;

/// Now, and today's date where the customers are.
pub fn clock() -> (DateTime<Utc>, NaiveDate) {
    let now = Utc::now();
    (now, now.with_timezone(&LOCAL_TZ).date_naive())
}

/// After new events: counts codes we do not know (and logs them), and stores the
/// shipment's status worked out from all its events. `new_codes` are the codes just
/// stored for it.
pub async fn refresh_status(
    tx: &mut Tx,
    shipment_id: i64,
    new_codes: &[String],
    now: Timestamp,
) -> Result<TrackingStatus, sqlx::Error> {
    let (carrier, events) = repo::carrier_and_events(tx, shipment_id).await?;
    for code in new_codes {
        if carriers::map_event(&carrier, code).is_none() {
            tracing::warn!(%carrier, %code, shipment_id, "unknown carrier code: the customer keeps seeing the last known status");
            repo::record_unknown(tx, &carrier, code, now).await?;
        }
    }
    let base = status::latest_known(&carrier, &events)
        .map(|(s, _)| s)
        .unwrap_or(TrackingStatus::BeingPrepared);
    repo::set_status(tx, shipment_id, base).await?;
    Ok(base)
}

fn parse_time(rfc3339: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn events_of(shipment: &Shipment) -> Vec<Event> {
    shipment
        .events
        .iter()
        .filter_map(|e| {
            parse_time(&e.occurred_at).map(|at| Event {
                code: e.code.clone(),
                occurred_at: at,
            })
        })
        .collect()
}

/// A parcel's status for the customer now.
pub fn parcel_status(shipment: &Shipment, now: DateTime<Utc>, today: NaiveDate) -> TrackingStatus {
    let events = events_of(shipment);
    let facts = ParcelFacts {
        carrier: &shipment.carrier,
        events: &events,
        promised: shipment
            .promised_date
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        announced_at: parse_time(&shipment.announced_at).unwrap_or(now),
    };
    status::current(&facts, now, today)
}

/// The carrier as customers know it; our own delivery team by the retailer's name.
pub fn carrier_name(carrier: &str, retailer: &str) -> String {
    carriers::display_name(carrier, retailer)
}

fn values_for(shipment: &Shipment, retailer: &str) -> Values {
    Values {
        carrier: Some(carrier_name(&shipment.carrier, retailer)),
        store: None,
        pickup_point: shipment
            .pickup_point
            .as_ref()
            .map(|p| format!("{}, {}, {}", p.name, p.street, p.city)),
        deadline: shipment
            .pickup_point
            .as_ref()
            .and_then(|p| p.collect_before.clone()),
    }
}

/// What to show for the order as a whole.
fn order_line(order: &Order, parcels: &[ParcelView], overrides: &Overrides) -> StatusLine {
    let store = order
        .collect_store
        .as_ref()
        .or(order.store.as_ref())
        .map(|s| s.name.clone());
    let values = Values {
        store,
        ..Values::default()
    };
    let own = carriers::order_status(order.status, order.channel, order.fulfilment);
    let pick = |line: &StatusLine| line.clone();
    if parcels.is_empty()
        || matches!(
            own,
            TrackingStatus::Cancelled
                | TrackingStatus::BoughtInStore
                | TrackingStatus::ReadyToCollect
        )
    {
        return texts::line(own, overrides, &values);
    }
    // A parcel that needs attention first; else the one furthest behind.
    if let Some(p) = parcels
        .iter()
        .find(|p| p.current.status.tone() == "attention")
    {
        return pick(&p.current);
    }
    parcels
        .iter()
        .min_by_key(|p| p.current.status == TrackingStatus::Delivered)
        .map(|p| pick(&p.current))
        .unwrap_or_else(|| texts::line(own, overrides, &values))
}

/// What [`order_tracking`] should include.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// The customer (or a colleague buyer): items, requests and what they can ask.
    Owner,
    /// The public tracking page: nothing beyond what a parcel label shows.
    Public,
}

/// The tracking view of an order whose shipments are loaded.
pub async fn order_tracking(
    db: &Db,
    order_id: i64,
    order: &Order,
    retailer: &str,
    audience: Audience,
) -> Result<OrderTracking, AppError> {
    let overrides = repo::overrides(db).await?;
    let requests = match audience {
        Audience::Owner => repo::requests_of_order(db, order_id).await?,
        Audience::Public => Vec::new(),
    };
    let (now, today) = clock();
    let mut tracking = build_tracking(order, retailer, audience, &overrides, &requests, now, today);
    // A parcel sent from a store says which store, by the name customers know.
    for parcel in &mut tracking.parcels {
        if let Some(code) = parcel.from_store.clone()
            && let Some(store) = crate::stores::repo::find_by_code(db, &code).await?
        {
            parcel.from_store = Some(store.name);
        }
    }
    Ok(tracking)
}

/// The view itself, from loaded data (no database): what the page and the tests see.
pub fn build_tracking(
    order: &Order,
    retailer: &str,
    audience: Audience,
    overrides: &Overrides,
    requests: &[DeliveryRequest],
    now: DateTime<Utc>,
    today: NaiveDate,
) -> OrderTracking {
    let postcode = order.delivery_address.as_ref().map(|a| a.postcode.as_str());
    let parcels: Vec<ParcelView> = order
        .shipments
        .iter()
        .map(|s| {
            let current = parcel_status(s, now, today);
            let values = values_for(s, retailer);
            let mut timeline: Vec<TimelineEntry> = events_of(s)
                .iter()
                .zip(&s.events)
                .filter_map(|(e, raw)| {
                    let status = carriers::map_event(&s.carrier, &e.code)?;
                    Some(TimelineEntry {
                        status,
                        title_nl: texts::builtin(status, "nl").title,
                        title_en: texts::builtin(status, "en").title,
                        location: raw.location.clone(),
                        at_local: local_time(Timestamp(e.occurred_at)),
                    })
                })
                .collect();
            timeline.reverse();
            let request = requests.iter().find(|r| r.shipment == s.id).cloned();
            let open = request
                .as_ref()
                .is_some_and(|r| r.status == RequestStatus::Requested);
            let can_request = if audience == Audience::Owner && !open {
                status::possible_requests(&s.carrier, current)
            } else {
                Vec::new()
            };
            let items = match audience {
                Audience::Owner => s
                    .lines
                    .iter()
                    .map(|l| {
                        let name = order
                            .lines
                            .iter()
                            .find(|ol| ol.line == l.line)
                            .map(|ol| ol.name.clone())
                            .unwrap_or_else(|| l.sku.clone());
                        format!("{} × {name}", l.quantity)
                    })
                    .collect(),
                Audience::Public => Vec::new(),
            };
            let window = s.delivery_window.as_ref().and_then(|w| {
                let local = |t: &str| {
                    parse_time(t).map(|t| t.with_timezone(&LOCAL_TZ).format("%H:%M").to_string())
                };
                local(&w.from).zip(local(&w.to))
            });
            ParcelView {
                id: s.id.clone(),
                carrier_name: carrier_name(&s.carrier, retailer),
                tracking_number: s.tracking_number.clone(),
                tracking_url: carriers::tracking_url(&s.carrier, &s.tracking_number, postcode),
                from_store: s.from_store.clone(),
                current: texts::line(current, overrides, &values),
                expected_date: s.promised_date.clone(),
                window,
                pickup_point: s.pickup_point.clone(),
                timeline,
                items,
                request: if audience == Audience::Owner {
                    request
                } else {
                    None
                },
                can_request,
            }
        })
        .collect();
    OrderTracking {
        number: order.number.clone(),
        status: order_line(order, &parcels, overrides),
        parcels,
    }
}

/// Parcels among these orders (by number) that need the customer's attention now, in the
/// order given: from their shipments alone, four queries however many orders.
pub async fn attention_in(
    db: &Db,
    numbers: &[&str],
    retailer: &str,
) -> Result<Vec<Attention>, AppError> {
    let ids = crate::orders::repo::ids_by_numbers(db, numbers).await?;
    let order_ids: Vec<i64> = ids.iter().map(|(_, id)| *id).collect();
    let shipments = crate::shipments::repo::for_orders(db, &order_ids).await?;
    let overrides = repo::overrides(db).await?;
    let (now, today) = clock();
    let mut found = Vec::new();
    for number in numbers {
        let Some((_, order_id)) = ids.iter().find(|(n, _)| n == number) else {
            continue;
        };
        for (_, s) in shipments.iter().filter(|(o, _)| o == order_id) {
            let current = parcel_status(s, now, today);
            if status::notice_cause(current).is_some() {
                found.push(Attention {
                    order: (*number).to_string(),
                    status: texts::line(current, &overrides, &values_for(s, retailer)),
                });
            }
        }
    }
    Ok(found)
}

/// Sends the customer one message per parcel and cause (late, failed attempt, problem,
/// action needed) for these shipments, when their status calls for it. Returns how many
/// messages were queued.
pub async fn check_parcels(
    db: &Db,
    mail: &MailContext,
    shipment_ids: &[i64],
) -> Result<usize, AppError> {
    let (now, today) = clock();
    let overrides = repo::overrides(db).await?;
    let mut sent = 0;
    for &shipment_id in shipment_ids {
        let mut tx = db.begin().await?;
        let target = repo::notice_target(&mut tx, shipment_id).await?;
        tx.commit().await?;
        let Some(order) = crate::orders::repo::find(db, &target.number).await? else {
            continue;
        };
        let shipments = crate::shipments::repo::for_order(db, target.order_id).await?;
        let external = shipment_external_id(db, shipment_id).await?;
        let Some(shipment) = shipments.iter().find(|s| s.id == external) else {
            continue;
        };
        let current = parcel_status(shipment, now, today);
        let Some(cause) = status::notice_cause(current) else {
            continue;
        };
        if matches!(order.1.status, OrderStatus::Cancelled) {
            continue;
        }
        let line = texts::line(current, &overrides, &values_for(shipment, &mail.retailer));
        let now_ts = Timestamp::now();
        let mut tx = db.begin().await?;
        if !repo::insert_notice(&mut tx, shipment_id, cause, now_ts).await? {
            continue;
        }
        if let Some(email) = target.email.as_deref() {
            let language = target
                .language
                .as_deref()
                .and_then(Language::parse)
                .unwrap_or(Language::Nl);
            let message = super::mails::parcel_notice(
                mail,
                super::mails::Notice {
                    email,
                    name: target.name.as_deref().unwrap_or_default(),
                    language,
                    number: &target.number,
                    words: line.words(language.as_str()),
                    guest: order.1.customer.is_none(),
                },
            );
            crate::outbox::repo::enqueue_mail(&mut tx, &message, now_ts).await?;
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
}

async fn shipment_external_id(db: &Db, shipment_id: i64) -> Result<String, sqlx::Error> {
    let (id,): (String,) = crate::db_run!(db, |pool| sqlx::query_as(
        "SELECT external_id FROM shipments WHERE id = $1"
    )
    .bind(shipment_id)
    .fetch_one(pool)
    .await)?;
    Ok(id)
}

/// The background check: works out statuses never stored yet, then writes to customers
/// whose parcel is late or went wrong (once per parcel and cause).
pub async fn run_checks(db: &Db, mail: &MailContext) -> Result<usize, AppError> {
    loop {
        let missing = repo::without_status(db, 200).await?;
        if missing.is_empty() {
            break;
        }
        let now = Timestamp::now();
        let mut tx = db.begin().await?;
        for id in missing {
            refresh_status(&mut tx, id, &[], now).await?;
        }
        tx.commit().await?;
    }
    let (now, today) = clock();
    let candidates = repo::notice_candidates(
        db,
        today,
        today - TimeDelta::days(LATE_LOOKBACK_DAYS),
        Timestamp(now - TimeDelta::days(LATE_LOOKBACK_DAYS)),
        500,
    )
    .await?;
    check_parcels(db, mail, &candidates).await
}

/// The public tracking page: the order with this number whose delivery postcode matches.
/// A wrong number and a wrong postcode look the same (`NotFound`).
pub async fn public_tracking(
    db: &Db,
    number: &str,
    postcode: &str,
    retailer: &str,
) -> Result<OrderTracking, AppError> {
    let mut checks = Checks::new();
    if number.trim().is_empty() {
        checks.push("number", "required");
    }
    if postcode.trim().is_empty() {
        checks.push("postcode", "required");
    }
    checks.finish()?;
    let Some((order_id, mut order)) = crate::orders::repo::find(db, number.trim()).await? else {
        return Err(AppError::NotFound);
    };
    let normal = |p: &str| -> String {
        p.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_uppercase)
            .collect()
    };
    let matches = order
        .delivery_address
        .as_ref()
        .is_some_and(|a| normal(&a.postcode) == normal(postcode));
    if !matches {
        return Err(AppError::NotFound);
    }
    order.shipments = crate::shipments::repo::for_order(db, order_id).await?;
    order_tracking(db, order_id, &order, retailer, Audience::Public).await
}

/// What the customer filled in on the delivery change form.
pub struct ChangeForm<'a> {
    pub kind: &'a str,
    /// `YYYY-MM-DD`
    pub date: &'a str,
    pub slot: &'a str,
    pub neighbour: &'a str,
    pub take_away_old: bool,
    pub note: &'a str,
}

/// Stores a delivery change request for a parcel of the customer's order and queues the
/// webhook, in one transaction. Field errors name `kind`, `date`, `slot`, `neighbour` or
/// `note`; a parcel whose status allows no change gives `kind` / `not_possible_now`.
pub async fn request_change(
    db: &Db,
    user_id: i64,
    customer_id: Option<i64>,
    number: &str,
    shipment: &str,
    form: ChangeForm<'_>,
) -> Result<DeliveryRequest, AppError> {
    let customer_id = customer_id.ok_or(AppError::NotFound)?;
    let (order_id, mut order) = crate::orders::repo::find_for_customer(db, customer_id, number)
        .await?
        .ok_or(AppError::NotFound)?;
    order.shipments = crate::shipments::repo::for_order(db, order_id).await?;
    let Some(parcel) = order.shipments.iter().find(|s| s.id == shipment) else {
        return Err(AppError::NotFound);
    };
    let open = repo::requests_of_shipment(db, shipment)
        .await?
        .iter()
        .any(|r| r.status == RequestStatus::Requested);
    if open {
        return Err(AppError::invalid("kind", "already_requested"));
    }
    let (now, today) = clock();
    let current = parcel_status(parcel, now, today);
    let allowed = status::possible_requests(&parcel.carrier, current);
    let mut checks = Checks::new();
    let kind = RequestKind::parse(form.kind);
    match kind {
        None => checks.push("kind", "required"),
        Some(k) if !allowed.contains(&k) => checks.push("kind", "not_possible_now"),
        Some(_) => {}
    }
    let needs_date = matches!(
        kind,
        Some(RequestKind::AnotherDay | RequestKind::DeliverySlot)
    );
    let date = NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d").ok();
    if needs_date {
        match date {
            None => checks.push("date", "invalid_date"),
            Some(d) if d <= today => checks.push("date", "not_in_future"),
            Some(d) if d > today + TimeDelta::days(28) => checks.push("date", "too_far"),
            Some(_) => {}
        }
    }
    let slot = Some(form.slot.trim()).filter(|s| !s.is_empty());
    if kind == Some(RequestKind::DeliverySlot) && !slot.is_some_and(|s| super::SLOTS.contains(&s)) {
        checks.push("slot", "required");
    }
    let neighbour = Some(form.neighbour.trim()).filter(|s| !s.is_empty());
    if kind == Some(RequestKind::Neighbour) {
        match neighbour {
            None => checks.push("neighbour", "required"),
            Some(n) => checks.text("neighbour", n, 100),
        }
    }
    let note = Some(form.note.trim()).filter(|n| !n.is_empty());
    checks.optional_text("note", note, 500);
    checks.stop_if_any()?;
    let Some(kind) = kind else {
        return Err(AppError::Internal);
    };
    let date = date.filter(|_| needs_date);
    let now_ts = Timestamp::now();
    let mut tx = db.begin().await?;
    let (shipment_row, _) = crate::shipments::repo::by_external_id(&mut tx, shipment)
        .await?
        .ok_or(AppError::NotFound)?;
    let new = repo::NewRequest {
        shipment_id: shipment_row,
        kind,
        date,
        slot: slot.filter(|_| kind == RequestKind::DeliverySlot),
        neighbour: neighbour.filter(|_| kind == RequestKind::Neighbour),
        take_away_old: form.take_away_old && kind == RequestKind::DeliverySlot,
        note,
        user_id: Some(user_id),
    };
    let Some(request_id) = repo::insert_request(&mut tx, &new, now_ts).await? else {
        return Err(AppError::invalid("kind", "already_requested"));
    };
    crate::outbox::repo::enqueue_webhook(
        &mut tx,
        EVENT_DELIVERY_CHANGE,
        json!({
            "request_id": request_id,
            "order": order.number,
            "shipment": parcel.id,
            "carrier": parcel.carrier,
            "tracking_number": parcel.tracking_number,
            "kind": kind.as_str(),
            "date": date.map(|d| d.to_string()),
            "slot": new.slot,
            "neighbour": new.neighbour,
            "take_away_old": new.take_away_old,
            "note": note,
            "answer_with": format!("PUT /api/v1/shipments/{}/requests/{request_id}", parcel.id),
        }),
        now_ts,
    )
    .await?;
    tx.commit().await?;
    repo::requests_of_shipment(db, shipment)
        .await?
        .into_iter()
        .find(|r| r.id == request_id)
        .ok_or(AppError::Internal)
}

/// The back office's answer to a delivery change request.
#[derive(Clone, Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestDecision {
    /// `confirmed` or `declined`.
    pub status: String,
    /// Shown to the customer (e.g. "Delivered on Friday between 9 and 13").
    #[serde(default)]
    pub note: Option<String>,
}

/// Records the answer. The same answer again changes nothing; another answer to a request
/// already answered is refused (`status` / `already_decided`).
pub async fn decide_request(
    db: &Db,
    shipment: &str,
    request_id: i64,
    decision: RequestDecision,
) -> Result<DeliveryRequest, AppError> {
    let mut checks = Checks::new();
    let (status, note) = checks.answer(
        RequestStatus::parse(&decision.status),
        &[RequestStatus::Confirmed, RequestStatus::Declined],
        decision.note.as_deref(),
    );
    checks.stop_if_any()?;
    let Some(status) = status else {
        return Err(AppError::Internal);
    };
    let find = || async {
        Ok::<_, AppError>(
            repo::requests_of_shipment(db, shipment)
                .await?
                .into_iter()
                .find(|r| r.id == request_id),
        )
    };
    let request = find().await?.ok_or(AppError::NotFound)?;
    if request.status == status {
        return Ok(request);
    }
    if request.status != RequestStatus::Requested {
        return Err(AppError::invalid("status", "already_decided"));
    }
    let mut tx = db.begin().await?;
    if !repo::decide_request(&mut tx, request_id, status, note, Timestamp::now()).await? {
        return Err(AppError::invalid("status", "already_decided"));
    }
    tx.commit().await?;
    find().await?.ok_or(AppError::Internal)
}

/// Every delivery change request of a shipment (for the back office).
pub async fn requests_of_shipment(
    db: &Db,
    shipment: &str,
) -> Result<Vec<DeliveryRequest>, AppError> {
    let mut tx = db.begin().await?;
    crate::shipments::repo::by_external_id(&mut tx, shipment)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(repo::requests_of_shipment(db, shipment).await?)
}

pub async fn text_rows(db: &Db) -> Result<Vec<TextRow>, AppError> {
    let overrides = repo::overrides(db).await?;
    Ok(TrackingStatus::ALL
        .into_iter()
        .map(|s| TextRow {
            status: s,
            title_nl: texts::builtin(s, "nl").title,
            title_en: texts::builtin(s, "en").title,
            builtin_nl: texts::builtin(s, "nl").text,
            builtin_en: texts::builtin(s, "en").text,
            own_nl: overrides.get(&(s, "nl".to_string())).cloned(),
            own_en: overrides.get(&(s, "en".to_string())).cloned(),
        })
        .collect())
}

/// Saves the retailer's sentences of one status (empty: back to the built-in text).
/// Field errors name `text_nl` / `text_en`.
pub async fn save_texts(
    db: &Db,
    user_id: i64,
    status: &str,
    text_nl: &str,
    text_en: &str,
) -> Result<(), AppError> {
    let status = TrackingStatus::parse(status).ok_or(AppError::NotFound)?;
    let mut checks = Checks::new();
    let mut wanted = Vec::new();
    for (language, field, text) in [("nl", "text_nl", text_nl), ("en", "text_en", text_en)] {
        let text = text.trim();
        let own = if text.is_empty() || text == texts::builtin(status, language).text {
            None
        } else {
            if let Some(code) = texts::check_own_text(text) {
                checks.push(field, code);
            }
            Some(text)
        };
        wanted.push((language, own));
    }
    checks.finish()?;
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    for (language, own) in wanted {
        repo::save_override(&mut tx, status, language, own, user_id, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn unknown_codes(db: &Db) -> Result<Vec<UnknownCode>, AppError> {
    Ok(repo::unknown_codes(db)
        .await?
        .into_iter()
        .map(|r| UnknownCode {
            carrier: r.carrier,
            code: r.code,
            seen: r.seen,
            first_seen_local: local_time(r.first_seen_at),
            last_seen_local: local_time(r.last_seen_at),
        })
        .collect())
}

/// Makes (or replaces) the secret a carrier signs its webhooks with, and returns it.
pub async fn new_carrier_secret(db: &Db, carrier: &str, secret: &str) -> Result<(), AppError> {
    if !carriers::is_known_carrier(carrier) {
        return Err(AppError::invalid("carrier", "unknown_carrier"));
    }
    let mut tx = db.begin().await?;
    repo::set_carrier_secret(&mut tx, carrier, secret, Timestamp::now()).await?;
    tx.commit().await?;
    Ok(())
}
