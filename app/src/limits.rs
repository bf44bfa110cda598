//! Limits on what anyone may ask often: a guess (a tracking lookup, a card or receipt
//! number), a mail sent to an address, an expensive password hash, calls per API key.
//! Counted in the database, so several server processes behind a load balancer share one
//! count (#23): a sliding window per key over the current and the previous time slot.
use std::sync::OnceLock;
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::db::{Db, Timestamp};
use crate::db_run;

/// What is limited, and how much of it: `burst` within any `per`.
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

    /// How many may be asked within the limit's period before it bites.
    pub fn burst(self) -> u32 {
        self.quota().0
    }

    /// The name its counts are kept under.
    pub fn bucket(self) -> &'static str {
        match self {
            Limit::TrackingPerClient => "tracking_per_client",
            Limit::TrackingPerOrder => "tracking_per_order",
            Limit::RegisterPerClient => "register_per_client",
            Limit::ResetPerClient => "reset_per_client",
            Limit::AccountMailPerAddress => "account_mail_per_address",
            Limit::ClaimPerClient => "claim_per_client",
            Limit::ClaimPerUser => "claim_per_user",
            Limit::ClaimPerNumber => "claim_per_number",
            Limit::AdviceCodePerClient => "advice_code_per_client",
            Limit::AdviceMailPerSender => "advice_mail_per_sender",
            Limit::AdviceMailPerAddress => "advice_mail_per_address",
            Limit::InvitePerCompany => "invite_per_company",
        }
    }
}

/// A limit's answer: go ahead, or wait this many seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    RetryAfter(u64),
}

/// The sliding-window estimate: all of this slot's hits plus the share of the previous
/// slot's hits that still falls within one period back from now. Pure, for the tests.
pub fn estimate(previous: i64, current: i64, elapsed_in_slot: Duration, per: Duration) -> f64 {
    let fraction = (elapsed_in_slot.as_secs_f64() / per.as_secs_f64()).clamp(0.0, 1.0);
    previous as f64 * (1.0 - fraction) + current as f64
}

/// Counts one more of `bucket` for `key` at `now` and says whether it stays within `burst`
/// per `per`. Refused tries count too: who keeps hammering stays refused.
pub async fn take(
    db: &Db,
    bucket: &str,
    key: &str,
    burst: u32,
    per: Duration,
    now: Timestamp,
) -> Result<Verdict, sqlx::Error> {
    let per_secs = per.as_secs().max(1) as i64;
    let now_ms = now.0.timestamp_millis();
    let slot = now_ms.div_euclid(per_secs * 1000);
    let elapsed = Duration::from_millis((now_ms - slot * per_secs * 1000) as u64);
    let subject = hex::encode(Sha256::digest(key.as_bytes()));
    let expires_at = (slot + 2) * per_secs;
    let (current,): (i64,) = db_run!(db, |pool| {
        sqlx::query_as(
            "INSERT INTO rate_limit_hits (bucket, subject_hash, slot, hits, expires_at) \
             VALUES ($1, $2, $3, 1, $4) \
             ON CONFLICT (bucket, subject_hash, slot) DO UPDATE SET hits = rate_limit_hits.hits + 1 \
             RETURNING CAST(hits AS BIGINT)",
        )
        .bind(bucket)
        .bind(&subject)
        .bind(slot)
        .bind(expires_at)
        .fetch_one(pool)
        .await
    })?;
    let previous: Option<(i64,)> = db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT CAST(hits AS BIGINT) FROM rate_limit_hits \
             WHERE bucket = $1 AND subject_hash = $2 AND slot = $3",
        )
        .bind(bucket)
        .bind(&subject)
        .bind(slot - 1)
        .fetch_optional(pool)
        .await
    })?;
    let previous = previous.map_or(0, |(n,)| n);
    if estimate(previous, current, elapsed, per) <= f64::from(burst) {
        return Ok(Verdict::Allowed);
    }
    // The earliest moment the estimate can be back within the limit: when this slot ends
    // (the previous slot's share is gone by then); sooner only by luck.
    let left = per.saturating_sub(elapsed).as_secs().max(1);
    Ok(Verdict::RetryAfter(left))
}

/// Takes one from `key`'s allowance of `limit`; false when it is used up. When the count
/// cannot be read (the database is away) the try is let through and logged: what it
/// guards needs the same database, so nothing is gained by refusing.
pub async fn allow(db: &Db, limit: Limit, key: &str) -> bool {
    let (burst, per) = limit.quota();
    match take(db, limit.bucket(), key, burst, per, Timestamp::now()).await {
        Ok(Verdict::Allowed) => true,
        Ok(Verdict::RetryAfter(_)) => {
            tracing::info!(limit = limit.bucket(), "rate limit reached");
            metrics::counter!("portal_rate_limited_total", "limit" => limit.bucket()).increment(1);
            false
        }
        Err(error) => {
            tracing::warn!(limit = limit.bucket(), %error, "rate limit not counted: database error");
            true
        }
    }
}

/// Takes the round of `job` for `period` from `now` when nobody holds it: true for exactly
/// one of several processes asking at once (the one whose write moved the lease on).
pub async fn take_turn(
    db: &Db,
    job: &str,
    period: Duration,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let now_s = now.0.timestamp();
    let until = now_s + period.as_secs() as i64;
    let done = db_run!(db, |pool| {
        sqlx::query(
            "INSERT INTO job_leases (job, held_until) VALUES ($1, $2) \
             ON CONFLICT (job) DO UPDATE SET held_until = excluded.held_until \
             WHERE job_leases.held_until <= $3",
        )
        .bind(job)
        .bind(until)
        .bind(now_s)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(done == 1)
}

/// Removes counts that can no longer count (their window passed).
pub async fn purge(db: &Db, now: Timestamp) -> Result<u64, sqlx::Error> {
    let done = db_run!(db, |pool| {
        sqlx::query("DELETE FROM rate_limit_hits WHERE expires_at < $1")
            .bind(now.0.timestamp())
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(done)
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
    fn the_previous_slot_counts_less_as_the_current_one_goes_on() {
        let minute = Duration::from_secs(60);
        assert_eq!(estimate(10, 0, Duration::ZERO, minute), 10.0);
        assert_eq!(estimate(10, 2, Duration::from_secs(30), minute), 7.0);
        assert_eq!(estimate(10, 2, minute, minute), 2.0);
        assert_eq!(estimate(0, 11, Duration::from_secs(59), minute), 11.0);
    }
}
