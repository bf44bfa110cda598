-- "Delete my account" (issue #19): the request, confirmed by a mailed link, then a
-- cooling-off period the customer can cancel; then the account and everything personal
-- goes, and the orders the retailer must keep (fiscal retention) are anonymised until
-- their period ends. Kept in step with migrations/postgres/0020_erasure.sql.
CREATE TABLE erasure_requests (
    id               INTEGER PRIMARY KEY,
    -- emptied when the erasure is done: the row then holds no personal data
    customer_id      INTEGER REFERENCES customers (id) ON DELETE SET NULL,
    user_id          INTEGER REFERENCES users (id) ON DELETE SET NULL,
    language         TEXT NOT NULL CHECK (language IN ('nl', 'en')),
    status           TEXT NOT NULL CHECK (status IN ('awaiting_confirmation', 'cooling_off', 'cancelled', 'completed')),
    -- SHA-256 of the token in the confirmation link
    token_hash       TEXT UNIQUE,
    token_expires_at TEXT,
    requested_at     TEXT NOT NULL,
    confirmed_at     TEXT,
    -- the end of the cooling-off period: erased from then on (once nothing is open)
    erase_after      TEXT,
    cancelled_at     TEXT,
    completed_at     TEXT
);
CREATE UNIQUE INDEX erasure_requests_one_open ON erasure_requests (customer_id)
    WHERE status IN ('awaiting_confirmation', 'cooling_off');
CREATE INDEX erasure_requests_due ON erasure_requests (status, erase_after);

-- An erased customer's orders: no name, e-mail or phone, the postcode cut to its digits,
-- no customer (nobody sees them in the portal), and deleted when the fiscal retention
-- period ends (7 years after the end of the financial year they were placed in).
ALTER TABLE orders ADD COLUMN anonymised_at TEXT;
ALTER TABLE orders ADD COLUMN retain_until TEXT;
CREATE INDEX orders_retain_until ON orders (retain_until) WHERE retain_until IS NOT NULL;
