-- Scale-out (#23). Kept in step with the other backend's (SQLite) 0036_scale_out.sql.

-- Limits on what anyone may ask often (tracking lookups, registrations, API calls per key),
-- counted here so that every server process sees the same counts. One row per limit, key
-- and time slot (a sliding window over the current and the previous slot); the key is
-- hashed (it may be an e-mail or client address) and the row goes after `expires_at`
-- (Unix seconds), when it can no longer count.
CREATE TABLE rate_limit_hits (
    bucket       TEXT NOT NULL,
    subject_hash TEXT NOT NULL,
    slot         BIGINT NOT NULL,
    hits         INTEGER NOT NULL,
    expires_at   BIGINT NOT NULL,
    PRIMARY KEY (bucket, subject_hash, slot)
);
CREATE INDEX rate_limit_hits_expiry ON rate_limit_hits (expires_at);

-- Webhook events go out in order per subject (a customer, a company, an order): a worker
-- takes an event only when no older event of its subject is still waiting.
ALTER TABLE outbox ADD COLUMN subject TEXT;
CREATE INDEX outbox_waiting_per_subject ON outbox (subject, id) WHERE status = 'pending';

-- A background round that should run once per period whichever process gets there first
-- (the hourly housekeeping): the process that moves `held_until` forward runs it.
CREATE TABLE job_leases (
    job        TEXT PRIMARY KEY,
    held_until BIGINT NOT NULL
);
