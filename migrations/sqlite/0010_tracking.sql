-- Track & trace: the delivery window a carrier gives, the messages sent about parcels
-- (one per parcel and cause), carrier codes we could not map (counted for the admin),
-- the retailer's own status sentences, the secrets carriers sign their webhooks with,
-- and the delivery changes customers ask for. Kept in step with
-- migrations/postgres/0010_tracking.sql.
ALTER TABLE shipments ADD COLUMN window_start TEXT;
ALTER TABLE shipments ADD COLUMN window_end TEXT;
-- The status from the newest carrier event we understand (NULL: not worked out yet);
-- kept up to date when events arrive, so the background check can find parcels to
-- write to the customer about without reading every event.
ALTER TABLE shipments ADD COLUMN status TEXT;
CREATE INDEX shipments_promised ON shipments (promised_date, status);
CREATE INDEX shipments_status ON shipments (status, latest_event_at);

CREATE TABLE tracking_notices (
    shipment_id BIGINT NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    -- late, attempt_failed, problem, action_required
    cause       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (shipment_id, cause)
);

CREATE TABLE unknown_carrier_codes (
    carrier       TEXT NOT NULL,
    code          TEXT NOT NULL,
    seen          BIGINT NOT NULL,
    first_seen_at TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    PRIMARY KEY (carrier, code)
);

CREATE TABLE tracking_texts (
    status     TEXT NOT NULL,
    language   TEXT NOT NULL CHECK (language IN ('nl', 'en')),
    text       TEXT NOT NULL,
    updated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (status, language)
);

CREATE TABLE carrier_secrets (
    carrier    TEXT PRIMARY KEY,
    -- whsec_…: Standard Webhooks signing secret shared with the carrier
    secret     TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE delivery_requests (
    id            INTEGER PRIMARY KEY,
    shipment_id   BIGINT NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('another_day', 'neighbour', 'pickup_point', 'delivery_slot')),
    wanted_date   TEXT,
    slot          TEXT,
    neighbour     TEXT,
    take_away_old BOOLEAN NOT NULL DEFAULT FALSE,
    note          TEXT,
    status        TEXT NOT NULL CHECK (status IN ('requested', 'confirmed', 'declined')),
    decision_note TEXT,
    requested_by  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    requested_at  TEXT NOT NULL,
    decided_at    TEXT
);
CREATE INDEX delivery_requests_shipment ON delivery_requests (shipment_id, requested_at);
CREATE UNIQUE INDEX delivery_requests_one_open ON delivery_requests (shipment_id)
    WHERE status = 'requested';
