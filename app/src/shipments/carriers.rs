//! Carrier event codes mapped onto our status model, one table per carrier, plus the
//! warehouse's order statuses. A code missing from its table maps to nothing: the
//! customer keeps seeing the last status we understood, and the code is counted for the
//! admin (see `service::refresh_status`).
//!
//! Sources (public documentation, styles followed; our own codes where a carrier's
//! differ per product):
//! - PostNL: the numeric `StatusCode` of the Shippingstatus webservice
//!   (developer.postnl.nl, "Shippingstatus", status/phase code list) and PostNL's
//!   e-commerce SDK docs (`doc/controllers/shipping-status.md`).
//! - DHL: DHL Parcel (Benelux) track & trace event `type` values, as in the DHL Parcel
//!   API (api-gw.dhlparcel.nl, "Track and trace") and the Shipment Tracking – Unified API
//!   status codes (developer.dhl.com).
//! - DPD: DPD's parcel life cycle status names (DPD Web Services "ParcelLifeCycle",
//!   statusCode / "predict" states) as used by DPD Netherlands and Belgium.
//! - own_delivery: the retailer's own delivery team for beds and mattresses (its planning
//!   tool's statuses).
//! - Categories follow the states AfterShip and Shopify distinguish (see
//!   shared/reference/tracking-statuses.md): info received, in transit, customs, action
//!   required, out for delivery, failed attempt, available for pickup, delivered,
//!   exception, returning to sender.
use chrono::{DateTime, Utc};

use super::TrackingStatus as S;

/// PostNL-style numeric status codes.
pub const POSTNL: &[(&str, S)] = &[
    ("1", S::BeingPrepared), // Zending voorgemeld (label made, not yet with PostNL)
    ("2", S::HandedToCarrier), // Zending in ontvangst genomen
    ("3", S::HandedToCarrier), // Zending afgehaald (collected at the sender)
    ("4", S::Delayed),       // Zending niet afgehaald
    ("5", S::InTransit),     // Zending gesorteerd
    ("6", S::Delayed),       // Zending niet gesorteerd / vertraagd in sortering
    ("7", S::OutForDelivery), // Zending in distributieproces
    ("8", S::AttemptFailed), // Zending niet afgeleverd (niemand thuis, adres gesloten)
    ("9", S::ReturnedToSender), // Zending retour afzender
    ("10", S::Delivered),    // Zending afgeleverd
    ("11", S::Delivered),    // Zending afgeleverd bij buren
    ("12", S::AtPickupPoint), // Zending beschikbaar op afhaallocatie
    ("13", S::Delivered),    // Zending afgehaald op afhaallocatie
    ("14", S::AtCustoms),    // Zending bij douane
    ("15", S::ActionRequired), // Invoerrechten te betalen
    ("16", S::Problem),      // Zending beschadigd
    ("17", S::Problem),      // Zending vermist
    ("18", S::AppointmentBooked), // Bezorgafspraak gemaakt
    ("99", S::Cancelled),    // Voormelding geannuleerd
];

/// DHL-style event types.
pub const DHL: &[(&str, S)] = &[
    ("PRENOTIFICATION_RECEIVED", S::BeingPrepared),
    ("PARCEL_ACCEPTED", S::HandedToCarrier),
    ("PICKED_UP_FROM_SENDER", S::HandedToCarrier),
    ("PARCEL_SORTED_AT_HUB", S::InTransit),
    ("PARCEL_ARRIVED_AT_LOCAL_DEPOT", S::InTransit),
    ("IN_CUSTOMS", S::AtCustoms),
    ("CUSTOMS_DUTIES_TO_PAY", S::ActionRequired),
    ("OUT_FOR_DELIVERY", S::OutForDelivery),
    ("NOT_DELIVERED", S::AttemptFailed),
    ("DELIVERED", S::Delivered),
    ("DELIVERED_AT_NEIGHBOURS", S::Delivered),
    ("IN_PARCELSHOP", S::AtPickupPoint),
    ("PICKED_UP_FROM_PARCELSHOP", S::Delivered),
    ("DELAYED", S::Delayed),
    ("DAMAGED", S::Problem),
    ("LOST", S::Problem),
    ("RETURNED_TO_SHIPPER", S::ReturnedToSender),
    ("CANCELLED", S::Cancelled),
];

/// DPD-style parcel life cycle states.
pub const DPD: &[(&str, S)] = &[
    ("ACCEPTED", S::HandedToCarrier),
    ("PICKED_UP", S::HandedToCarrier),
    ("AT_SENDING_DEPOT", S::InTransit),
    ("ON_THE_ROAD", S::InTransit),
    ("AT_DELIVERY_DEPOT", S::InTransit),
    ("CUSTOMS", S::AtCustoms),
    ("OUT_FOR_DELIVERY", S::OutForDelivery),
    ("NOT_DELIVERED", S::AttemptFailed),
    ("DELIVERED", S::Delivered),
    ("DELIVERED_TO_NEIGHBOUR", S::Delivered),
    ("AT_PICKUP_POINT", S::AtPickupPoint),
    ("PICKED_UP_AT_PICKUP_POINT", S::Delivered),
    ("DELAYED", S::Delayed),
    ("EXCEPTION_DAMAGED", S::Problem),
    ("EXCEPTION_LOST", S::Problem),
    ("RETURN_TO_SENDER", S::ReturnedToSender),
];

/// The retailer's own delivery team (beds, mattresses).
pub const OWN_DELIVERY: &[(&str, S)] = &[
    ("PLANNED", S::BeingPrepared),
    ("APPOINTMENT_BOOKED", S::AppointmentBooked),
    ("ON_ROUTE", S::OutForDelivery),
    ("NOT_DELIVERED", S::AttemptFailed),
    ("DELIVERED", S::Delivered),
    ("CANCELLED", S::Cancelled),
];

/// Every carrier we have a table for, by its code in `shipments.carrier`.
pub const CARRIERS: &[(&str, &[(&str, S)])] = &[
    ("postnl", POSTNL),
    ("dhl", DHL),
    ("dpd", DPD),
    ("own_delivery", OWN_DELIVERY),
];

/// Our status for a carrier's event code; `None` for a code we do not know (or a
/// carrier without a table). Codes are compared without regard to case and spaces.
pub fn map_event(carrier: &str, code: &str) -> Option<S> {
    let table = CARRIERS.iter().find(|(c, _)| *c == carrier)?.1;
    let code = code.trim();
    table
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map(|(_, s)| *s)
}

/// Whether we have a code table (and a webhook endpoint) for this carrier.
pub fn is_known_carrier(carrier: &str) -> bool {
    CARRIERS.iter().any(|(c, _)| *c == carrier)
}

/// The carrier's name as customers know it.
pub fn display_name(carrier: &str, own_delivery: &str) -> String {
    match carrier {
        "postnl" => "PostNL".into(),
        "dhl" => "DHL".into(),
        "dpd" => "DPD".into(),
        "own_delivery" => own_delivery.into(),
        other => other.to_uppercase(),
    }
}

/// The carrier's public tracking page for a parcel (PostNL needs the postcode).
pub fn tracking_url(
    carrier: &str,
    tracking_number: &str,
    postcode: Option<&str>,
) -> Option<String> {
    let enc = |s: &str| -> String { form_urlencoded::byte_serialize(s.as_bytes()).collect() };
    match carrier {
        "postnl" => Some(match postcode {
            Some(pc) => format!(
                "https://jouw.postnl.nl/track-and-trace/{}-NL-{}",
                enc(tracking_number),
                enc(&pc.replace(' ', ""))
            ),
            None => format!(
                "https://jouw.postnl.nl/track-and-trace/{}",
                enc(tracking_number)
            ),
        }),
        "dhl" => Some(format!(
            "https://www.dhl.com/nl-nl/home/tracking/tracking-parcel.html?tracking-id={}",
            enc(tracking_number)
        )),
        "dpd" => Some(format!(
            "https://www.dpdgroup.com/nl/mydpd/my-parcels/track?parcelNumber={}",
            enc(tracking_number)
        )),
        _ => None,
    }
}

/// A carrier event as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub code: String,
    pub occurred_at: DateTime<Utc>,
}

/// How far along the journey a status is: breaks ties between events of the same moment.
fn progress(status: S) -> u8 {
    match status {
        S::Ordered | S::PaymentReceived | S::BeingPrepared => 1,
        S::HandedToCarrier => 2,
        S::InTransit | S::NoUpdate => 3,
        S::AtCustoms | S::ActionRequired | S::Delayed => 4,
        S::AppointmentBooked => 5,
        S::OutForDelivery => 6,
        S::AttemptFailed => 7,
        S::AtPickupPoint => 8,
        S::Problem | S::ReturnedToSender => 9,
        S::Delivered | S::ReadyToCollect | S::BoughtInStore => 10,
        S::Cancelled => 11,
    }
}

/// The newest event we understand, by when it happened (not when it arrived).
pub fn latest_known(carrier: &str, events: &[Event]) -> Option<(S, DateTime<Utc>)> {
    events
        .iter()
        .filter_map(|e| map_event(carrier, &e.code).map(|s| (s, e.occurred_at)))
        .max_by_key(|(s, at)| (*at, progress(*s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_of_every_table_maps_to_its_status() {
        for (carrier, table) in CARRIERS {
            for (code, status) in *table {
                assert_eq!(map_event(carrier, code), Some(*status), "{carrier} {code}");
                assert_eq!(
                    map_event(carrier, &format!(" {} ", code.to_lowercase())),
                    Some(*status),
                    "{carrier} {code}, other case and spaces"
                );
            }
        }
    }

    #[test]
    fn codes_are_unique_within_a_table() {
        for (carrier, table) in CARRIERS {
            let mut codes: Vec<&str> = table.iter().map(|(c, _)| *c).collect();
            codes.sort_unstable();
            let before = codes.len();
            codes.dedup();
            assert_eq!(before, codes.len(), "{carrier} lists a code twice");
        }
    }

    #[test]
    fn each_carrier_covers_the_journey_a_parcel_makes() {
        for (carrier, table) in CARRIERS {
            let has = |s: S| table.iter().any(|(_, t)| *t == s);
            for needed in [S::OutForDelivery, S::AttemptFailed, S::Delivered] {
                assert!(has(needed), "{carrier} cannot say {needed:?}");
            }
        }
        for (carrier, table) in &CARRIERS[..3] {
            let has = |s: S| table.iter().any(|(_, t)| *t == s);
            for needed in [
                S::InTransit,
                S::AtPickupPoint,
                S::Problem,
                S::ReturnedToSender,
            ] {
                assert!(has(needed), "{carrier} cannot say {needed:?}");
            }
        }
    }

    #[test]
    fn unknown_codes_and_carriers_map_to_nothing() {
        assert_eq!(map_event("postnl", "42"), None);
        assert_eq!(map_event("dhl", ""), None);
        assert_eq!(map_event("pigeon", "DELIVERED"), None);
    }

    #[test]
    fn carrier_links_name_the_parcel() {
        assert_eq!(
            tracking_url("postnl", "3SSLPW240310", Some("3512 AB")).as_deref(),
            Some("https://jouw.postnl.nl/track-and-trace/3SSLPW240310-NL-3512AB")
        );
        assert!(tracking_url("dhl", "JVGL1", None).is_some_and(|u| u.ends_with("JVGL1")));
        assert_eq!(tracking_url("own_delivery", "X", None), None);
    }
}
