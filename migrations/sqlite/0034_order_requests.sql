-- Quick orders and order lists (issue #22 §4): a B2B order request need not repeat an
-- earlier order, so reorder_requests.order_id may be NULL and the request names its
-- company itself (company_id, filled in from the order for older requests), its currency
-- and, when the company has delivery locations, where it goes (deliver_to: the address
-- as chosen, JSON, so a location removed later does not change a request already made).
-- SQLite cannot drop NOT NULL in place: the table is built anew. Its lines are moved
-- first (dropping reorder_requests with foreign keys on would delete them by cascade).
-- Order lists: products and quantities a company saves to order again in one go
-- ("maandelijkse linnenbestelling"), shared by its members.
-- Kept in step with migrations/postgres/0034_order_requests.sql.
CREATE TABLE order_requests_new (
    id               INTEGER PRIMARY KEY,
    order_id         BIGINT REFERENCES orders (id) ON DELETE CASCADE,
    company_id       BIGINT REFERENCES companies (id) ON DELETE CASCADE,
    customer_id      BIGINT REFERENCES customers (id) ON DELETE SET NULL,
    requested_by     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    note             TEXT,
    status           TEXT NOT NULL CHECK (status IN ('requested', 'placed', 'declined')),
    new_order_number TEXT,
    decision_note    TEXT,
    requested_at     TEXT NOT NULL,
    decided_at       TEXT,
    total_minor      BIGINT,
    approval         TEXT CHECK (approval IN ('awaiting', 'approved', 'rejected')),
    over_limit       TEXT CHECK (over_limit IN ('per_order', 'per_month')),
    approval_by      BIGINT REFERENCES users (id) ON DELETE SET NULL,
    approval_at      TEXT,
    approval_note    TEXT,
    currency         TEXT,
    deliver_to       TEXT,
    CHECK (order_id IS NOT NULL OR company_id IS NOT NULL)
);
INSERT INTO order_requests_new (id, order_id, company_id, customer_id, requested_by, note,
    status, new_order_number, decision_note, requested_at, decided_at, total_minor, approval,
    over_limit, approval_by, approval_at, approval_note, currency)
SELECT r.id, r.order_id, o.company_id, r.customer_id, r.requested_by, r.note, r.status,
    r.new_order_number, r.decision_note, r.requested_at, r.decided_at, r.total_minor,
    r.approval, r.over_limit, r.approval_by, r.approval_at, r.approval_note, o.currency
FROM reorder_requests r JOIN orders o ON o.id = r.order_id;

CREATE TABLE order_request_lines_new (
    request_id BIGINT NOT NULL REFERENCES order_requests_new (id) ON DELETE CASCADE,
    line_no    INTEGER NOT NULL,
    sku        TEXT NOT NULL,
    name       TEXT NOT NULL,
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (request_id, line_no)
);
INSERT INTO order_request_lines_new (request_id, line_no, sku, name, quantity)
SELECT request_id, line_no, sku, name, quantity FROM reorder_request_lines;

DROP TABLE reorder_request_lines;
DROP TABLE reorder_requests;
-- Renaming also renames the lines' reference to it.
ALTER TABLE order_requests_new RENAME TO reorder_requests;
ALTER TABLE order_request_lines_new RENAME TO reorder_request_lines;
CREATE INDEX reorder_requests_order ON reorder_requests (order_id, requested_at);
CREATE INDEX reorder_requests_customer ON reorder_requests (customer_id, requested_at);
CREATE INDEX reorder_requests_awaiting ON reorder_requests (approval, requested_at);
CREATE INDEX reorder_requests_company ON reorder_requests (company_id, requested_at);

CREATE TABLE order_lists (
    id         INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX order_lists_company ON order_lists (company_id, name);

-- price_minor: today's price when the list was saved, to flag a change when it is ordered.
CREATE TABLE order_list_lines (
    list_id     BIGINT NOT NULL REFERENCES order_lists (id) ON DELETE CASCADE,
    line_no     INTEGER NOT NULL,
    sku         TEXT NOT NULL,
    name        TEXT NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    price_minor BIGINT NOT NULL,
    currency    TEXT NOT NULL,
    PRIMARY KEY (list_id, line_no)
);
