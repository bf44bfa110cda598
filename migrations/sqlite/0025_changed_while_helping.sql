-- Changes a support agent makes for a customer while helping them in their account
-- (issue #20) carry both identities: returns (`started_by`), cancellation and delivery
-- requests (`requested_by`) already name the user who asked; an address names the staff
-- member who last saved it for the customer (NULL: the customer or the retailer's
-- systems). The audit trail has the rest (who, why, before and after).
-- Kept in step with migrations/postgres/0025_changed_while_helping.sql.
ALTER TABLE addresses ADD COLUMN changed_by INTEGER REFERENCES users (id) ON DELETE SET NULL;

-- One row per time an agent helps a customer in their account: who, why, from when until
-- when, and when it ended. "Stop helping" ends it; a background job ends the ones whose
-- time ran out (or whose permission was withdrawn) without it, so the customer always
-- gets the mail saying who helped and what was changed. Claimed by a conditional UPDATE,
-- so one mail even with several server processes.
CREATE TABLE help_sessions (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    agent_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- the agent's name as the customer reads it, and the role they helped in
    agent_label   TEXT NOT NULL,
    role          TEXT NOT NULL,
    reason        TEXT NOT NULL,
    ticket        TEXT,
    started_at    TEXT NOT NULL,
    ends_at       TEXT NOT NULL,
    ended_at      TEXT
);
CREATE INDEX help_sessions_open ON help_sessions (ends_at) WHERE ended_at IS NULL;
