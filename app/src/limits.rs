//! Limits on what anyone may ask often: a guess (a tracking lookup, a card or receipt
//! number), a mail sent to an address, an expensive password hash. Each limit is a token
//! bucket per key (a client address, a target address or number, a user), counted in
//! this server process (`governor`); scale-out (#23) moves the counts to the database.
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// What is limited, and how much of it: `burst` at once, then one more every `per / burst`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Limit {
    /// Public tracking lookups per client address.
    TrackingPerClient,
    /// Public tracking lookups per order number.
    TrackingPerOrder,
    /// Registrations (each an argon2 hash and a mail) per client address.
    RegisterPerClient,
    /// Password-reset requests per client address.
    ResetPerClient,
    /// Account mails (verification, "already registered", reset) per target address:
    /// nobody's mailbox is flooded from the portal.
    AccountMailPerAddress,
    /// Loyalty-card links and receipt claims per client address.
    ClaimPerClient,
    /// … per logged-in user.
    ClaimPerUser,
    /// … per number tried (a card or receipt number guessed from many places).
    ClaimPerNumber,
    /// Saved advice opened by its code per client address (store staff are not counted).
    AdviceCodePerClient,
    /// Advice mailed per sender (a store staff member, or a visitor's client address).
    AdviceMailPerSender,
    /// … per address mailed to: nobody's mailbox is flooded with advice.
    AdviceMailPerAddress,
    /// Invitations a company sends (by whichever admin).
    InvitePerCompany,
}

impl Limit {
    fn quota(self) -> (u32, Duration) {
        const MINUTE: Duration = Duration::from_secs(60);
        const HOUR: Duration = Duration::from_secs(3600);
        match self {
            Limit::TrackingPerClient => (10, MINUTE),
            Limit::TrackingPerOrder => (30, HOUR),
            // Generous enough for many people behind one address (an office, a mobile
            // carrier's NAT); the hashing cap guards the machine.
            Limit::RegisterPerClient => (30, HOUR),
            Limit::ResetPerClient => (30, HOUR),
            Limit::AccountMailPerAddress => (3, HOUR),
            Limit::ClaimPerClient => (20, HOUR),
            Limit::ClaimPerUser => (10, HOUR),
            Limit::ClaimPerNumber => (5, HOUR),
            Limit::AdviceCodePerClient => (30, HOUR),
            // A busy Saturday at one counter.
            Limit::AdviceMailPerSender => (20, HOUR),
            Limit::AdviceMailPerAddress => (3, HOUR),
            // A new hotel inviting its whole purchasing team in one sitting.
            Limit::InvitePerCompany => (30, HOUR),
        }
    }

    /// How many may be asked at once before the limit bites.
    pub fn burst(self) -> u32 {
        self.quota().0
    }

    fn limiter(self) -> Quota {
        let (burst, per) = self.quota();
        let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        Quota::with_period(per / burst.get())
            .unwrap_or_else(|| Quota::per_second(burst))
            .allow_burst(burst)
    }
}

type Limiters = Mutex<HashMap<Limit, &'static DefaultKeyedRateLimiter<String>>>;

fn limiter(limit: Limit) -> &'static DefaultKeyedRateLimiter<String> {
    static LIMITERS: OnceLock<Limiters> = OnceLock::new();
    let mut all = LIMITERS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    all.entry(limit)
        .or_insert_with(|| Box::leak(Box::new(RateLimiter::keyed(limit.limiter()))))
}

/// Takes one from `key`'s bucket of `limit`; false when it is empty.
pub fn allow(limit: Limit, key: &str) -> bool {
    limiter(limit).check_key(&key.to_string()).is_ok()
}

/// Password hashes (argon2, 19 MiB and tens of milliseconds each) running at once: the
/// rest wait their turn instead of taking all memory and every core.
pub fn hashing() -> &'static tokio::sync::Semaphore {
    static HASHING: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    HASHING.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::sync::Semaphore::new(cores.clamp(2, 8))
    })
}

/// Photo decodes (returns) running at once: each holds the whole picture in memory.
pub fn decoding() -> &'static tokio::sync::Semaphore {
    static DECODING: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    DECODING.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::sync::Semaphore::new(cores.clamp(1, 4))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_empties_per_key() {
        let key = "test-a-bucket-empties";
        for _ in 0..3 {
            assert!(allow(Limit::AccountMailPerAddress, key));
        }
        assert!(!allow(Limit::AccountMailPerAddress, key));
        assert!(allow(Limit::AccountMailPerAddress, "someone-else"));
    }
}
