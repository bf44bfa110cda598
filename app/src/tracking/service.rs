//! The rules of track & trace: statuses after new events, the tracking view of an order
//! (for its owner and for the public page) and messages when a delivery goes wrong. The
//! customer's delivery change requests are in `requests`, the admin's page in `admin`.
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use super::status::{self, Event, ParcelFacts};
use super::texts::{self, Overrides, Values};
use super::{
    Attention, DeliveryRequest, OrderTracking, ParcelView, RequestStatus, StatusLine,
    TimelineEntry, TrackingStatus, repo,
};
use crate::db::{Db, Timestamp};
use crate::error::AppError;
use crate::language::Language;
use crate::mail::MailContext;
use crate::orders::service::{Whose, load_with_shipments, own_with_shipments};
use crate::orders::{Channel, Fulfilment, Order, OrderStatus};
use crate::shipments::Shipment;
use crate::shipments::carriers;
use crate::time::{clock, local_time};
use crate::validate::Checks;

/// How far back the background check looks for parcels that missed their date.
const LATE_LOOKBACK_DAYS: i64 = 30;

fn events_of(shipment: &Shipment) -> Vec<Event> {
    shipment
        .events
        .iter()
        .map(|e| Event {
            code: e.code.clone(),
            occurred_at: e.occurred_at,
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
        announced_at: shipment.announced_at,
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

/// What the order as a whole says about itself, for its status line.
struct OrderFacts {
    status: OrderStatus,
    channel: Channel,
    fulfilment: Fulfilment,
    /// The store to collect from, else the store it was bought in.
    store: Option<String>,
}

impl OrderFacts {
    fn of(order: &Order) -> OrderFacts {
        OrderFacts {
            status: order.status,
            channel: order.channel,
            fulfilment: order.fulfilment,
            store: order
                .collect_store
                .as_ref()
                .or(order.store.as_ref())
                .map(|s| s.name.clone()),
        }
    }
}

/// What to show for the order as a whole, from the order and its parcels' statuses.
fn order_line(order: &OrderFacts, parcels: &[&StatusLine], overrides: &Overrides) -> StatusLine {
    let values = Values {
        store: order.store.clone(),
        ..Values::default()
    };
    let own = status::order_status(order.status, order.channel, order.fulfilment);
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
    if let Some(p) = parcels.iter().find(|p| p.status.tone() == "attention") {
        return pick(p);
    }
    parcels
        .iter()
        .min_by_key(|p| p.status == TrackingStatus::Delivered)
        .map(|p| pick(p))
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
                        at_local: local_time(e.occurred_at),
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
            let window = s.delivery_window.as_ref().map(|w| {
                (
                    crate::time::local_clock_time(w.from),
                    crate::time::local_clock_time(w.to),
                )
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
        status: order_line(
            &OrderFacts::of(order),
            &parcels.iter().map(|p| &p.current).collect::<Vec<_>>(),
            overrides,
        ),
        parcels,
    }
}

/// The overview's orders on their way, by number: the parcels that need the customer's
/// attention now (in the order given), and each order's status line as its own page
/// shows it (`None` for a number not found). Five queries, however many orders.
pub async fn on_the_way(db: &Db, numbers: &[&str], retailer: &str) -> Result<OnTheWay, AppError> {
    let orders = crate::orders::repo::status_facts(db, numbers).await?;
    let order_ids: Vec<i64> = orders.iter().map(|o| o.id).collect();
    let shipments = crate::shipments::repo::for_orders(db, &order_ids).await?;
    let overrides = repo::overrides(db).await?;
    let (now, today) = clock();
    let mut found = OnTheWay::default();
    for number in numbers {
        let Some(order) = orders.iter().find(|o| o.number == *number) else {
            found.statuses.push(None);
            continue;
        };
        let mut parcels = Vec::new();
        for (_, s) in shipments.iter().filter(|(o, _)| *o == order.id) {
            let current = parcel_status(s, now, today);
            let line = texts::line(current, &overrides, &values_for(s, retailer));
            if status::notice_cause(current).is_some() {
                found.attention.push(Attention {
                    order: (*number).to_string(),
                    status: line.clone(),
                });
            }
            parcels.push(line);
        }
        let facts = OrderFacts {
            status: OrderStatus::parse(&order.status).unwrap_or(OrderStatus::Received),
            channel: Channel::parse(&order.channel).unwrap_or(Channel::Webshop),
            fulfilment: Fulfilment::parse(&order.fulfilment).unwrap_or(Fulfilment::Delivery),
            store: order.store_name.clone(),
        };
        let parcels: Vec<&StatusLine> = parcels.iter().collect();
        found
            .statuses
            .push(Some(order_line(&facts, &parcels, &overrides)));
    }
    Ok(found)
}

/// What [`on_the_way`] found.
#[derive(Debug, Default)]
pub struct OnTheWay {
    pub attention: Vec<Attention>,
    /// One per number asked for, in the same order.
    pub statuses: Vec<Option<StatusLine>>,
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
        let Some((_, order)) = load_with_shipments(db, &target.number, Whose::Anyone).await? else {
            continue;
        };
        let shipments = &order.shipments;
        let external = shipment_external_id(db, shipment_id).await?;
        let Some(shipment) = shipments.iter().find(|s| s.id == external) else {
            continue;
        };
        let current = parcel_status(shipment, now, today);
        let Some(cause) = status::notice_cause(current) else {
            continue;
        };
        if matches!(order.status, OrderStatus::Cancelled) {
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
                    guest: order.customer.is_none(),
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
            crate::shipments::service::refresh_status(&mut tx, id, &[], now).await?;
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
    let Some((order_id, order)) = load_with_shipments(db, number.trim(), Whose::Anyone).await?
    else {
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
    order_tracking(db, order_id, &order, retailer, Audience::Public).await
}

/// One of the customer's own orders and where it is, as its owner sees it; `NotFound`
/// for anyone else's.
pub async fn own_order_tracking(
    db: &Db,
    customer_id: Option<i64>,
    number: &str,
    retailer: &str,
) -> Result<(Order, OrderTracking), AppError> {
    let (order_id, order) = own_with_shipments(db, customer_id, number).await?;
    let tracking = order_tracking(db, order_id, &order, retailer, Audience::Owner).await?;
    Ok((order, tracking))
}
