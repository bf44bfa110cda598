//! Time in one place: the portal's time zone, "now" and "today" where the customers are,
//! and the text forms times travel in (RFC 3339 in UTC to the API and the browser, local
//! `YYYY-MM-DDTHH:MM` for what a page shows). Every other module asks here instead of
//! formatting or parsing times itself.
use chrono::{DateTime, NaiveDate, SecondsFormat, TimeZone, Utc};

use crate::db::Timestamp;

/// The time zone the portal shows times in (the retailer's).
pub const LOCAL_TZ: chrono_tz::Tz = chrono_tz::Europe::Amsterdam;

/// Now, and today's date where the customers are.
pub fn clock() -> (DateTime<Utc>, NaiveDate) {
    let now = Utc::now();
    (now, local_date(now))
}

/// The date of a moment where the customers are.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&LOCAL_TZ).date_naive()
}

/// `YYYY-MM-DDTHH:MM` in the portal's time zone: what pages format for the reader.
pub fn local_time(at: Timestamp) -> String {
    at.0.with_timezone(&LOCAL_TZ)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// `HH:MM` in the portal's time zone.
pub fn local_clock_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&LOCAL_TZ).format("%H:%M").to_string()
}

/// The year of a moment where the customers are.
pub fn local_year(at: Timestamp) -> i32 {
    use chrono::Datelike;
    at.0.with_timezone(&LOCAL_TZ).year()
}

/// The first moment of a local date, in UTC.
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

/// RFC 3339 in UTC to the second (`2026-11-24T12:00:00Z`): how the API and the shared
/// types carry a moment.
pub fn rfc3339(at: Timestamp) -> String {
    at.0.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A moment from its RFC 3339 text (any offset); `None` when it is not one.
pub fn parse_rfc3339(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The local `YYYY-MM-DDTHH:MM` of an RFC 3339 text; empty when it is not one.
pub fn local_time_of(rfc3339_text: &str) -> String {
    parse_rfc3339(rfc3339_text)
        .map(|t| local_time(Timestamp(t)))
        .unwrap_or_default()
}

/// A date from its `YYYY-MM-DD` text.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        Timestamp(parse_rfc3339(text).expect("a time"))
    }

    #[test]
    fn local_time_follows_summer_and_winter_time() {
        assert_eq!(local_time(at("2026-01-15T11:30:00Z")), "2026-01-15T12:30");
        assert_eq!(local_time(at("2026-07-15T11:30:00Z")), "2026-07-15T13:30");
        assert_eq!(
            local_time_of("2026-07-15T13:30:00+02:00"),
            "2026-07-15T13:30"
        );
        assert_eq!(local_time_of("not a time"), "");
    }

    #[test]
    fn local_dates_and_years_change_at_local_midnight() {
        let late = at("2026-12-31T23:30:00Z");
        assert_eq!(
            local_date(late.0),
            NaiveDate::from_ymd_opt(2027, 1, 1).expect("a date")
        );
        assert_eq!(local_year(late), 2027);
        let midnight = local_midnight(NaiveDate::from_ymd_opt(2026, 7, 1).expect("a date"));
        assert_eq!(rfc3339(midnight), "2026-06-30T22:00:00Z");
    }

    #[test]
    fn rfc3339_round_trips_to_the_second() {
        let text = "2026-11-24T12:00:00Z";
        assert_eq!(rfc3339(at(text)), text);
        assert_eq!(
            parse_date(" 2026-11-24 "),
            NaiveDate::from_ymd_opt(2026, 11, 24)
        );
        assert_eq!(parse_date("24-11-2026"), None);
    }
}
