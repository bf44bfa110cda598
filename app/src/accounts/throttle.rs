//! How failed logins slow down guessing without letting anyone lock a customer out.
//!
//! Every attempt is recorded *before* its password is checked, so guesses sent in
//! parallel see each other. Then, in the last [`WINDOW`]:
//! - **this account from this client**: the first [`FREE_FAILURES`] failures cost
//!   nothing; after that each next try waits 1, 2, 4, 8, then at most 15 minutes after
//!   the last failure (a success from that client starts the count afresh);
//! - **this client, any account**: after [`CLIENT_FAILURES`] failures the client waits
//!   until the oldest leaves the window (someone trying many accounts);
//! - **this account, any client**: after [`ACCOUNT_FAILURES`] failures (guessing from
//!   many addresses) only clients that never logged in to it (in [`KNOWN_FOR`]) wait;
//!   the customer's own devices still get in. There is no hard account lock.
use chrono::TimeDelta;

use crate::db::Timestamp;

pub const WINDOW: TimeDelta = TimeDelta::minutes(15);
pub const FREE_FAILURES: i64 = 5;
pub const CLIENT_FAILURES: i64 = 20;
pub const ACCOUNT_FAILURES: i64 = 50;
pub const LONGEST_WAIT: TimeDelta = TimeDelta::minutes(15);
/// A client that logged in to an account within this time is one of its own.
pub const KNOWN_FOR: TimeDelta = TimeDelta::days(90);

/// The failures that count for one attempt (the attempt itself not included).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Failures {
    /// This account from this client, since its last success there.
    pub pair: i64,
    pub pair_last: Option<Timestamp>,
    /// This client, any account.
    pub client: i64,
    pub client_oldest: Option<Timestamp>,
    /// This account, any client.
    pub account: i64,
    pub account_oldest: Option<Timestamp>,
    /// This client logged in to this account within [`KNOWN_FOR`].
    pub known_client: bool,
}

/// The wait before the pair may try again after `failures` failures (none for the free ones).
pub fn pair_delay(failures: i64) -> Option<TimeDelta> {
    let over = failures - FREE_FAILURES;
    (over >= 0).then(|| TimeDelta::minutes(1i64 << over.min(4)).min(LONGEST_WAIT))
}

/// When this attempt may be made, if not now.
pub fn free_at(f: &Failures, now: Timestamp) -> Option<Timestamp> {
    let pair = pair_delay(f.pair)
        .zip(f.pair_last)
        .map(|(delay, last)| last + delay);
    let client = (f.client >= CLIENT_FAILURES)
        .then_some(f.client_oldest)
        .flatten()
        .map(|oldest| oldest + WINDOW);
    let account = (f.account >= ACCOUNT_FAILURES && !f.known_client)
        .then_some(f.account_oldest)
        .flatten()
        .map(|oldest| oldest + WINDOW);
    [pair, client, account]
        .into_iter()
        .flatten()
        .max()
        .filter(|at| *at > now)
}

/// Whole minutes to say in "try again in … minutes" (at least one).
pub fn minutes_until(at: Timestamp, now: Timestamp) -> i64 {
    let seconds = (at.0 - now.0).num_seconds().max(1);
    (seconds + 59) / 60
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One fixed moment per test: reading the clock twice could give two different
    /// milliseconds (CI once failed on 22:34:07.670 vs .671).
    fn at(now: Timestamp, minutes: i64) -> Timestamp {
        now + TimeDelta::minutes(minutes)
    }

    #[test]
    fn the_first_failures_are_free_then_the_wait_grows_to_fifteen_minutes() {
        assert_eq!(pair_delay(4), None);
        let waits: Vec<i64> = (5..11)
            .map(|n| pair_delay(n).map(|d| d.num_minutes()).unwrap_or(0))
            .collect();
        assert_eq!(waits, [1, 2, 4, 8, 15, 15]);
    }

    #[test]
    fn a_pair_waits_from_its_last_failure() {
        let now = Timestamp::now();
        let f = Failures {
            pair: 6,
            pair_last: Some(now),
            ..Failures::default()
        };
        assert_eq!(free_at(&f, now), Some(now + TimeDelta::minutes(2)));
        assert_eq!(free_at(&f, now + TimeDelta::minutes(3)), None);
    }

    #[test]
    fn many_failures_on_an_account_slow_strangers_not_its_own_clients() {
        let now = Timestamp::now();
        let stranger = Failures {
            account: ACCOUNT_FAILURES,
            account_oldest: Some(at(now, -5)),
            ..Failures::default()
        };
        assert_eq!(free_at(&stranger, now), Some(at(now, -5) + WINDOW));
        let own = Failures {
            known_client: true,
            ..stranger
        };
        assert_eq!(free_at(&own, now), None);
    }

    #[test]
    fn a_client_trying_many_accounts_waits_for_the_window() {
        let now = Timestamp::now();
        let f = Failures {
            client: CLIENT_FAILURES,
            client_oldest: Some(at(now, -10)),
            ..Failures::default()
        };
        assert_eq!(minutes_until(free_at(&f, now).expect("wait"), now), 5);
    }
}
