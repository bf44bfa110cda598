//! A parcel's current status from its carrier events: events may arrive late, twice or
//! out of order, and some codes we may not know. Pure functions, so every rule is tested
//! without a database.
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use super::TrackingStatus as S;
use crate::orders::{Channel, Fulfilment, OrderStatus};
pub use crate::shipments::carriers::{Event, latest_known};

/// Days without any carrier news after which a parcel on its way gets "no update".
pub const NO_UPDATE_AFTER_DAYS: i64 = 4;

/// What the status of a parcel depends on.
#[derive(Clone, Debug)]
pub struct ParcelFacts<'a> {
    pub carrier: &'a str,
    pub events: &'a [Event],
    /// The delivery date promised to the customer.
    pub promised: Option<NaiveDate>,
    /// When the warehouse announced the parcel.
    pub announced_at: DateTime<Utc>,
}

/// Statuses in which a parcel is still travelling: a passed promised date makes them
/// late, and a long silence makes them "no update".
fn still_travelling(status: S) -> bool {
    matches!(
        status,
        S::BeingPrepared | S::HandedToCarrier | S::InTransit | S::AtCustoms
    )
}

/// The parcel's status for the customer at `now` (`today` is the local date).
pub fn current(facts: &ParcelFacts<'_>, now: DateTime<Utc>, today: NaiveDate) -> S {
    let base = latest_known(facts.carrier, facts.events)
        .map(|(s, _)| s)
        .unwrap_or(S::BeingPrepared);
    if base == S::Delayed || (still_travelling(base) && facts.promised.is_some_and(|p| p < today)) {
        return S::Delayed;
    }
    // Silence counts from the newest event of any kind (an unknown code is still news).
    let last_news = facts
        .events
        .iter()
        .map(|e| e.occurred_at)
        .max()
        .unwrap_or(facts.announced_at);
    if matches!(base, S::HandedToCarrier | S::InTransit | S::AtCustoms)
        && now - last_news > TimeDelta::days(NO_UPDATE_AFTER_DAYS)
    {
        return S::NoUpdate;
    }
    base
}

/// Why the customer gets a message about this status, once per parcel and cause.
pub fn notice_cause(status: S) -> Option<&'static str> {
    match status {
        S::Delayed => Some("late"),
        S::AttemptFailed => Some("attempt_failed"),
        S::Problem => Some("problem"),
        S::ActionRequired => Some("action_required"),
        _ => None,
    }
}

/// What the customer may ask for a parcel in this status.
pub fn possible_requests(carrier: &str, status: S) -> Vec<super::RequestKind> {
    use super::RequestKind as K;
    if carrier == "own_delivery" {
        return match status {
            S::BeingPrepared | S::AppointmentBooked | S::AttemptFailed | S::Delayed => {
                vec![K::DeliverySlot]
            }
            _ => vec![],
        };
    }
    match status {
        S::HandedToCarrier
        | S::InTransit
        | S::OutForDelivery
        | S::AttemptFailed
        | S::Delayed
        | S::NoUpdate => vec![K::AnotherDay, K::Neighbour, K::PickupPoint],
        _ => vec![],
    }
}

/// The status of an order before (or without) parcels, from what the webshop or
/// warehouse reports.
pub fn order_status(status: OrderStatus, channel: Channel, fulfilment: Fulfilment) -> S {
    match status {
        OrderStatus::Received => S::Ordered,
        OrderStatus::Paid => S::PaymentReceived,
        OrderStatus::Processing => S::BeingPrepared,
        OrderStatus::ReadyForPickup => S::ReadyToCollect,
        OrderStatus::Shipped => S::HandedToCarrier,
        OrderStatus::Delivered => S::Delivered,
        OrderStatus::Completed
            if channel == Channel::Store || fulfilment == Fulfilment::CarryOut =>
        {
            S::BoughtInStore
        }
        OrderStatus::Completed => S::Delivered,
        OrderStatus::Cancelled => S::Cancelled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        NaiveDate::from_ymd_opt(2026, 11, day)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .map(|t| t.and_utc())
            .expect("valid time")
    }

    fn event(code: &str, day: u32, hour: u32) -> Event {
        Event {
            code: code.into(),
            occurred_at: at(day, hour),
        }
    }

    fn date(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).expect("date")
    }

    fn status_of(carrier: &str, events: &[Event], promised: Option<u32>, today: u32) -> S {
        let facts = ParcelFacts {
            carrier,
            events,
            promised: promised.map(date),
            announced_at: at(1, 8),
        };
        current(&facts, at(today, 12), date(today))
    }

    #[test]
    fn the_newest_event_by_time_wins_whatever_order_they_arrived_in() {
        let in_order = [event("1", 20, 8), event("5", 20, 20), event("10", 21, 11)];
        let shuffled = [event("10", 21, 11), event("1", 20, 8), event("5", 20, 20)];
        assert_eq!(status_of("postnl", &in_order, Some(21), 21), S::Delivered);
        assert_eq!(status_of("postnl", &shuffled, Some(21), 21), S::Delivered);
        // A late-arriving "sorted" event from before delivery changes nothing.
        let late_arrival = [event("10", 21, 11), event("5", 20, 20)];
        assert_eq!(
            status_of("postnl", &late_arrival, Some(21), 21),
            S::Delivered
        );
    }

    #[test]
    fn the_same_event_twice_is_the_same_status() {
        let once = [event("OUT_FOR_DELIVERY", 21, 7)];
        let twice = [
            event("OUT_FOR_DELIVERY", 21, 7),
            event("OUT_FOR_DELIVERY", 21, 7),
        ];
        assert_eq!(
            status_of("dhl", &once, Some(21), 21),
            status_of("dhl", &twice, Some(21), 21)
        );
    }

    #[test]
    fn events_of_the_same_moment_count_the_furthest_one() {
        let same_time = [
            event("DELIVERED", 21, 11),
            event("OUT_FOR_DELIVERY", 21, 11),
        ];
        assert_eq!(status_of("dpd", &same_time, Some(21), 21), S::Delivered);
    }

    #[test]
    fn an_unknown_code_keeps_the_last_known_status() {
        let events = [event("5", 20, 8), event("X-77", 20, 20)];
        assert_eq!(status_of("postnl", &events, Some(22), 21), S::InTransit);
        assert_eq!(latest_known("postnl", &[event("X-77", 20, 20)]), None);
    }

    #[test]
    fn a_parcel_still_travelling_after_the_promised_day_is_late() {
        let events = [event("5", 19, 8)];
        // On the promised day itself it is not late yet.
        assert_eq!(status_of("postnl", &events, Some(20), 20), S::InTransit);
        assert_eq!(status_of("postnl", &events, Some(20), 21), S::Delayed);
        // Not late once delivered, or once the customer has to act or collect.
        let delivered = [event("5", 19, 8), event("10", 22, 9)];
        assert_eq!(status_of("postnl", &delivered, Some(20), 23), S::Delivered);
        let failed = [event("8", 20, 14)];
        assert_eq!(status_of("postnl", &failed, Some(20), 22), S::AttemptFailed);
        let waiting = [event("12", 20, 14)];
        assert_eq!(
            status_of("postnl", &waiting, Some(20), 22),
            S::AtPickupPoint
        );
        // No promised date: never late by date.
        assert_eq!(status_of("postnl", &events, None, 21), S::InTransit);
        // The carrier itself can say it is delayed.
        assert_eq!(
            status_of("dhl", &[event("DELAYED", 20, 9)], Some(25), 20),
            S::Delayed
        );
    }

    #[test]
    fn days_without_news_become_no_update() {
        let events = [event("5", 10, 8)];
        assert_eq!(status_of("postnl", &events, None, 13), S::InTransit);
        assert_eq!(status_of("postnl", &events, None, 15), S::NoUpdate);
        // Being late says more than silence.
        assert_eq!(status_of("postnl", &events, Some(12), 15), S::Delayed);
    }

    #[test]
    fn a_parcel_without_events_is_packed_and_waiting_for_the_carrier() {
        assert_eq!(status_of("postnl", &[], Some(25), 20), S::BeingPrepared);
        assert_eq!(status_of("postnl", &[], Some(19), 20), S::Delayed);
    }

    #[test]
    fn messages_go_out_for_late_failed_problem_and_action() {
        assert_eq!(notice_cause(S::Delayed), Some("late"));
        assert_eq!(notice_cause(S::AttemptFailed), Some("attempt_failed"));
        assert_eq!(notice_cause(S::Problem), Some("problem"));
        assert_eq!(notice_cause(S::ActionRequired), Some("action_required"));
        assert_eq!(notice_cause(S::InTransit), None);
        assert_eq!(notice_cause(S::Delivered), None);
    }

    #[test]
    fn requests_depend_on_carrier_and_status() {
        use super::super::RequestKind as K;
        assert_eq!(
            possible_requests("postnl", S::AttemptFailed),
            vec![K::AnotherDay, K::Neighbour, K::PickupPoint]
        );
        assert!(possible_requests("postnl", S::Delivered).is_empty());
        assert_eq!(
            possible_requests("own_delivery", S::AppointmentBooked),
            vec![K::DeliverySlot]
        );
        assert!(possible_requests("own_delivery", S::Delivered).is_empty());
    }

    #[test]
    fn warehouse_statuses_become_plain_statuses() {
        let webshop = |s| order_status(s, Channel::Webshop, Fulfilment::Delivery);
        assert_eq!(webshop(OrderStatus::Received), S::Ordered);
        assert_eq!(webshop(OrderStatus::Paid), S::PaymentReceived);
        assert_eq!(webshop(OrderStatus::Processing), S::BeingPrepared);
        assert_eq!(webshop(OrderStatus::Shipped), S::HandedToCarrier);
        assert_eq!(webshop(OrderStatus::Completed), S::Delivered);
        assert_eq!(webshop(OrderStatus::Cancelled), S::Cancelled);
        assert_eq!(
            order_status(OrderStatus::Completed, Channel::Store, Fulfilment::CarryOut),
            S::BoughtInStore
        );
        assert_eq!(
            order_status(
                OrderStatus::ReadyForPickup,
                Channel::Webshop,
                Fulfilment::Collect
            ),
            S::ReadyToCollect
        );
    }
}
