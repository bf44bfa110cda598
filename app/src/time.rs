//! Time in one place: the portal's time zone, "now" and "today" where the customers are,
//! and the forms times travel in. Types shared with the browser carry `chrono` values
//! (`DateTime<Utc>`, `NaiveDate`), sent as RFC 3339 in UTC to the second
//! ([`rfc3339_secs`]); pages show local `YYYY-MM-DDTHH:MM` worked out on the server.
//! Every other module asks here instead of formatting or parsing times itself. The
//! browser has no clock and no time zone database: those parts are server-only.
use chrono::{DateTime, SecondsFormat, Utc};
#[cfg(feature = "ssr")]
use chrono::{NaiveDate, TimeZone};

#[cfg(feature = "ssr")]
use crate::db::Timestamp;

/// Serde for a moment as RFC 3339 in UTC to the second (`2026-11-24T12:00:00Z`), the
/// form the API has always used: `#[serde(with = "crate::time::rfc3339_secs")]`.
pub mod rfc3339_secs {
    use chrono::{DateTime, SecondsFormat, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&at.to_rfc3339_opts(SecondsFormat::Secs, true))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        DateTime::<Utc>::deserialize(d)
    }

    /// The same for a moment that may not be there yet (`null`).
    pub mod option {
        use chrono::{DateTime, Utc};
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(
            at: &Option<DateTime<Utc>>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match at {
                Some(at) => super::serialize(at, s),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<DateTime<Utc>>, D::Error> {
            Option::<DateTime<Utc>>::deserialize(d)
        }
    }
}

/// RFC 3339 in UTC to the second (`2026-11-24T12:00:00Z`), as text.
pub fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The time zone the portal shows times in (the retailer's).
#[cfg(feature = "ssr")]
pub const LOCAL_TZ: chrono_tz::Tz = chrono_tz::Europe::Amsterdam;

/// Now, and today's date where the customers are.
#[cfg(feature = "ssr")]
pub fn clock() -> (DateTime<Utc>, NaiveDate) {
    let now = Utc::now();
    (now, local_date(now))
}

/// The date of a moment where the customers are.
#[cfg(feature = "ssr")]
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&LOCAL_TZ).date_naive()
}

/// `YYYY-MM-DDTHH:MM` in the portal's time zone: what pages format for the reader.
#[cfg(feature = "ssr")]
pub fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&LOCAL_TZ)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// `HH:MM:SS` in the portal's time zone.
#[cfg(feature = "ssr")]
pub fn local_time_of_day(at: DateTime<Utc>) -> String {
    at.with_timezone(&LOCAL_TZ).format("%H:%M:%S").to_string()
}

/// `HH:MM` in the portal's time zone.
#[cfg(feature = "ssr")]
pub fn local_clock_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&LOCAL_TZ).format("%H:%M").to_string()
}

/// The year of a moment where the customers are.
#[cfg(feature = "ssr")]
pub fn local_year(at: DateTime<Utc>) -> i32 {
    use chrono::Datelike;
    at.with_timezone(&LOCAL_TZ).year()
}

/// The first moment of a local date, in UTC.
#[cfg(feature = "ssr")]
pub fn local_midnight(date: NaiveDate) -> Timestamp {
    let naive = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    Timestamp(
        LOCAL_TZ
            .from_local_datetime(&naive)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| naive.and_utc()),
    )
}

/// A moment from its RFC 3339 text (any offset); `None` when it is not one.
#[cfg(feature = "ssr")]
pub fn parse_rfc3339(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// A date from its `YYYY-MM-DD` text.
#[cfg(feature = "ssr")]
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        parse_rfc3339(text).expect("a time")
    }

    #[test]
    fn local_time_follows_summer_and_winter_time() {
        assert_eq!(local_time(at("2026-01-15T11:30:00Z")), "2026-01-15T12:30");
        assert_eq!(local_time(at("2026-07-15T11:30:00Z")), "2026-07-15T13:30");
        assert_eq!(
            local_time(at("2026-07-15T13:30:00+02:00")),
            "2026-07-15T13:30"
        );
        assert_eq!(parse_rfc3339("not a time"), None);
    }

    #[test]
    fn local_dates_and_years_change_at_local_midnight() {
        let late = at("2026-12-31T23:30:00Z");
        assert_eq!(
            local_date(late),
            NaiveDate::from_ymd_opt(2027, 1, 1).expect("a date")
        );
        assert_eq!(local_year(late), 2027);
        let midnight = local_midnight(NaiveDate::from_ymd_opt(2026, 7, 1).expect("a date"));
        assert_eq!(rfc3339(midnight.0), "2026-06-30T22:00:00Z");
    }

    #[test]
    fn moments_travel_as_rfc3339_to_the_second() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Shared {
            #[serde(with = "rfc3339_secs")]
            at: DateTime<Utc>,
            #[serde(with = "rfc3339_secs::option")]
            maybe: Option<DateTime<Utc>>,
        }
        let with_millis = at("2026-11-24T12:00:00.123Z");
        let json = serde_json::to_string(&Shared {
            at: with_millis,
            maybe: None,
        })
        .expect("serialises");
        assert_eq!(json, r#"{"at":"2026-11-24T12:00:00Z","maybe":null}"#);
        let back: Shared = serde_json::from_str(&json).expect("deserialises");
        assert_eq!(back.at, at("2026-11-24T12:00:00Z"));
        assert_eq!(
            parse_date(" 2026-11-24 "),
            NaiveDate::from_ymd_opt(2026, 11, 24)
        );
        assert_eq!(parse_date("24-11-2026"), None);
    }
}
