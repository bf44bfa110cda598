-- Every try to link a loyalty card or claim a till receipt: who (user and client address),
-- what number, whether it matched. Evidence when numbers are guessed; removed after 90
-- days (server/src/jobs.rs). Kept in step with migrations/postgres/0016_claim_attempts.sql.
CREATE TABLE claim_attempts (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('loyalty_card', 'receipt')),
    number       TEXT NOT NULL,
    ip           TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    attempted_at TEXT NOT NULL
);
CREATE INDEX claim_attempts_user ON claim_attempts (user_id, attempted_at);
CREATE INDEX claim_attempts_time ON claim_attempts (attempted_at);
