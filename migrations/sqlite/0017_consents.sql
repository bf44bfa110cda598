-- The consent centre (issue #19): what a customer agreed to, per purpose and channel,
-- with proof. Kept in step with migrations/postgres/0017_consents.sql.

-- A reason the retailer may contact a customer (newsletter, personal offers, …), with
-- the channels it may use. Defined by the admin; never deleted, only deactivated.
CREATE TABLE consent_purposes (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    -- Comma-separated, from email, sms, post, phone.
    channels    TEXT NOT NULL,
    -- Marketing purposes only ever contact with consent; others (sharing with delivery
    -- partners) are shown and recorded the same way.
    marketing   BOOLEAN NOT NULL DEFAULT TRUE,
    position    INTEGER NOT NULL DEFAULT 0,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TEXT NOT NULL
);

-- The words a customer agrees to, per purpose, version and language. A new version is a
-- new row, never an edit; `asks_again` marks a version whose change needs fresh consent
-- (consent given to an older text then no longer counts).
CREATE TABLE consent_texts (
    id           INTEGER PRIMARY KEY,
    purpose_id   INTEGER NOT NULL REFERENCES consent_purposes (id),
    version      INTEGER NOT NULL CHECK (version > 0),
    language     TEXT NOT NULL CHECK (language IN ('nl', 'en')),
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    -- SHA-256 (hex) of title, a newline and body: what the proof refers to.
    sha256       TEXT NOT NULL,
    asks_again   BOOLEAN NOT NULL DEFAULT FALSE,
    published_at TEXT NOT NULL,
    UNIQUE (purpose_id, version, language)
);

-- Proof, append-only: every grant and withdrawal with the text it was given on, how and
-- by whom. The customer's erasure keeps purpose and time only (customer_id, ip and
-- user agent emptied).
CREATE TABLE consent_events (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER REFERENCES customers (id) ON DELETE SET NULL,
    purpose_id    INTEGER NOT NULL REFERENCES consent_purposes (id),
    channel       TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'post', 'phone')),
    granted       BOOLEAN NOT NULL,
    text_version  INTEGER NOT NULL,
    text_language TEXT NOT NULL CHECK (text_language IN ('nl', 'en')),
    text_snapshot TEXT NOT NULL,
    text_sha256   TEXT NOT NULL,
    source        TEXT NOT NULL CHECK (source IN ('portal', 'store', 'customer_service', 'till', 'api')),
    -- The portal user who made the change: the customer, or staff on their behalf.
    actor_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- Who at the till or on the phone, as the back office names them (API changes).
    actor_name    TEXT,
    ip            TEXT,
    user_agent    TEXT,
    recorded_at   TEXT NOT NULL
);
CREATE INDEX consent_events_customer ON consent_events (customer_id, id);

-- The state now, one row per customer, purpose and channel: the newest event, kept in
-- the same transaction as the event.
CREATE TABLE consents (
    customer_id  INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    purpose_id   INTEGER NOT NULL REFERENCES consent_purposes (id),
    channel      TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'post', 'phone')),
    granted      BOOLEAN NOT NULL,
    text_version INTEGER NOT NULL,
    event_id     INTEGER NOT NULL REFERENCES consent_events (id),
    changed_at   TEXT NOT NULL,
    PRIMARY KEY (customer_id, purpose_id, channel)
);
CREATE INDEX consents_purpose ON consents (purpose_id, channel, granted);
