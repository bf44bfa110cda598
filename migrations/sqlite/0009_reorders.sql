-- Reorder requests: a B2B buyer asks the back office to place an earlier order again
-- (with changed quantities). The back office answers through the API: placed (with the
-- new order's number) or declined. Consumers go to the webshop's basket instead and
-- leave nothing here. Kept in step with migrations/postgres/0009_reorders.sql.
CREATE TABLE reorder_requests (
    id               INTEGER PRIMARY KEY,
    order_id         BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    customer_id      BIGINT REFERENCES customers (id) ON DELETE SET NULL,
    requested_by     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    note             TEXT,
    status           TEXT NOT NULL CHECK (status IN ('requested', 'placed', 'declined')),
    new_order_number TEXT,
    decision_note    TEXT,
    requested_at     TEXT NOT NULL,
    decided_at       TEXT
);
CREATE INDEX reorder_requests_order ON reorder_requests (order_id, requested_at);

-- The products and quantities as asked (name and SKU copied: the order may change).
CREATE TABLE reorder_request_lines (
    request_id BIGINT NOT NULL REFERENCES reorder_requests (id) ON DELETE CASCADE,
    line_no    INTEGER NOT NULL,
    sku        TEXT NOT NULL,
    name       TEXT NOT NULL,
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (request_id, line_no)
);
