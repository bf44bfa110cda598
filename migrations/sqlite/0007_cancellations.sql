-- Cancellation requests: a customer asks to cancel an order (or some of its lines) while
-- it is not yet being prepared; the back office confirms or declines through the API.
-- At most one open request per order. Kept in step with
-- migrations/postgres/0007_cancellations.sql.
CREATE TABLE cancellation_requests (
    id            INTEGER PRIMARY KEY,
    order_id      BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    requested_by  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    reason        TEXT NOT NULL,
    note          TEXT,
    -- every line, every piece still open when asked
    whole_order   BOOLEAN NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('requested', 'confirmed', 'declined')),
    decision_note TEXT,
    requested_at  TEXT NOT NULL,
    decided_at    TEXT
);
CREATE INDEX cancellation_requests_order ON cancellation_requests (order_id, requested_at);
CREATE UNIQUE INDEX cancellation_requests_one_open ON cancellation_requests (order_id)
    WHERE status = 'requested';

CREATE TABLE cancellation_request_lines (
    request_id BIGINT NOT NULL REFERENCES cancellation_requests (id) ON DELETE CASCADE,
    line_no    INTEGER NOT NULL,
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (request_id, line_no)
);

-- How much of a line the back office confirmed as cancelled.
ALTER TABLE order_lines ADD COLUMN cancelled_quantity INTEGER NOT NULL DEFAULT 0;
