-- Returns in any channel: the retailer's return policy, which stores staff work at, the
-- returns with their lines, and every step taken on a return (who, when, where). Kept in
-- step with migrations/postgres/0011_returns.sql.
CREATE TABLE return_policy (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    -- days from receipt, unless the category or product says otherwise
    default_days       INTEGER NOT NULL CHECK (default_days >= 0),
    -- products of this category may be tried at home for trial_nights nights
    trial_category     TEXT,
    trial_nights       INTEGER NOT NULL DEFAULT 0 CHECK (trial_nights >= 0),
    -- what sending a parcel back costs the customer (minor units); drop-off is free
    carrier_cost_minor BIGINT NOT NULL DEFAULT 0 CHECK (carrier_cost_minor >= 0),
    conditions_nl      TEXT NOT NULL DEFAULT '',
    conditions_en      TEXT NOT NULL DEFAULT '',
    updated_at         TEXT NOT NULL
);

CREATE TABLE return_policy_categories (
    category TEXT PRIMARY KEY,
    days     INTEGER NOT NULL CHECK (days >= 0)
);

CREATE TABLE staff_stores (
    user_id  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    store_id BIGINT NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, store_id)
);

CREATE TABLE returns (
    id                 INTEGER PRIMARY KEY,
    -- shown as text and QR code; typed or scanned at the desk
    code               TEXT NOT NULL UNIQUE,
    order_id           BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    customer_id        BIGINT REFERENCES customers (id) ON DELETE SET NULL,
    status             TEXT NOT NULL CHECK (status IN ('registered', 'handed_in', 'received', 'inspected',
                           'refunded', 'exchanged', 'credited', 'cancelled')),
    method             TEXT NOT NULL CHECK (method IN ('carrier', 'store', 'pickup')),
    resolution         TEXT NOT NULL CHECK (resolution IN ('refund', 'exchange', 'store_credit')),
    drop_off_store_id  BIGINT REFERENCES stores (id),
    pickup_date        TEXT,
    pickup_slot        TEXT,
    currency           TEXT NOT NULL,
    -- what the customer gets back for the lines accepted, and what the return costs
    refund_minor       BIGINT NOT NULL,
    cost_minor         BIGINT NOT NULL,
    refund_to          TEXT,
    started_by         BIGINT REFERENCES users (id) ON DELETE SET NULL,
    -- online (the customer) or store (at the desk)
    started_in         TEXT NOT NULL CHECK (started_in IN ('online', 'store')),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX returns_order ON returns (order_id);
CREATE INDEX returns_customer ON returns (customer_id, created_at);

CREATE TABLE return_lines (
    return_id      BIGINT NOT NULL REFERENCES returns (id) ON DELETE CASCADE,
    line_no        INTEGER NOT NULL,
    quantity       INTEGER NOT NULL CHECK (quantity > 0),
    reason         TEXT NOT NULL,
    note           TEXT,
    exchange_for   TEXT,
    -- set at inspection
    outcome        TEXT CHECK (outcome IN ('accepted', 'rejected')),
    outcome_reason TEXT,
    PRIMARY KEY (return_id, line_no)
);

-- The audit trail of a return: every step, by whom, in which role and store.
CREATE TABLE return_events (
    id         INTEGER PRIMARY KEY,
    return_id  BIGINT NOT NULL REFERENCES returns (id) ON DELETE CASCADE,
    action     TEXT NOT NULL,
    user_id    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    role       TEXT,
    store_id   BIGINT REFERENCES stores (id),
    details    TEXT,
    at         TEXT NOT NULL
);
CREATE INDEX return_events_return ON return_events (return_id, at);

-- Pieces of a line in a return that is not cancelled and not rejected: the guard
-- against returning the same item twice (a conditional update, atomic on both engines).
ALTER TABLE order_lines ADD COLUMN returned_quantity INTEGER NOT NULL DEFAULT 0;
