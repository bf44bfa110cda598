-- Commerce data pushed in by the retailer's webshop, tills, warehouse and carriers:
-- customers and their addresses, products, B2B companies, orders from every channel with
-- their lines, till receipts, shipments and raw carrier events; and the Idempotency-Key
-- record of the integration API. Money is integer minor units next to an ISO 4217
-- currency; times are UTC. Kept in step with migrations/postgres/0004_commerce.sql.

CREATE TABLE customers (
    id               INTEGER PRIMARY KEY,
    external_id      TEXT UNIQUE,
    user_id          BIGINT UNIQUE REFERENCES users (id) ON DELETE SET NULL,
    email            TEXT,
    email_normalized TEXT,
    name             TEXT NOT NULL,
    phone            TEXT,
    language         TEXT NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
    loyalty_card     TEXT UNIQUE,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX customers_email ON customers (email_normalized);

CREATE TABLE addresses (
    id                  INTEGER PRIMARY KEY,
    customer_id         BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    external_id         TEXT,
    name                TEXT NOT NULL,
    street              TEXT NOT NULL,
    house_number        TEXT NOT NULL,
    addition            TEXT,
    postcode            TEXT NOT NULL,
    city                TEXT NOT NULL,
    country             TEXT NOT NULL,
    is_default_delivery INTEGER NOT NULL DEFAULT 0,
    is_default_billing  INTEGER NOT NULL DEFAULT 0,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    UNIQUE (customer_id, external_id)
);

CREATE TABLE products (
    id          INTEGER PRIMARY KEY,
    sku         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    category    TEXT NOT NULL,
    price_minor BIGINT NOT NULL CHECK (price_minor >= 0),
    currency    TEXT NOT NULL,
    -- JSON object of what an advisor can use, e.g. {"firmness": "medium", "width_cm": 160}
    attributes  TEXT NOT NULL DEFAULT '{}',
    returnable  INTEGER NOT NULL DEFAULT 1,
    -- NULL: the return policy's window for the category applies
    return_days INTEGER CHECK (return_days >= 0),
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX products_category ON products (category, name);

CREATE TABLE companies (
    id          INTEGER PRIMARY KEY,
    external_id TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    vat_number  TEXT,
    kvk_number  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE company_members (
    company_id  BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('buyer', 'admin')),
    PRIMARY KEY (company_id, customer_id)
);
CREATE INDEX company_members_customer ON company_members (customer_id);

CREATE TABLE orders (
    id               INTEGER PRIMARY KEY,
    number           TEXT NOT NULL UNIQUE,
    channel          TEXT NOT NULL CHECK (channel IN ('webshop', 'store', 'phone', 'b2b')),
    store_id         BIGINT REFERENCES stores (id),
    customer_id      BIGINT REFERENCES customers (id) ON DELETE SET NULL,
    company_id       BIGINT REFERENCES companies (id),
    email            TEXT,
    email_normalized TEXT,
    loyalty_card     TEXT,
    placed_at        TEXT NOT NULL,
    status           TEXT NOT NULL,
    fulfilment       TEXT NOT NULL CHECK (fulfilment IN ('delivery', 'collect', 'carry_out')),
    collect_store_id BIGINT REFERENCES stores (id),
    currency         TEXT NOT NULL,
    subtotal_minor   BIGINT NOT NULL,
    discount_minor   BIGINT NOT NULL,
    shipping_minor   BIGINT NOT NULL,
    total_minor      BIGINT NOT NULL,
    item_count       INTEGER NOT NULL,
    -- JSON: [{"method": "ideal", "amount": 12900, "currency": "EUR"}]
    payments         TEXT NOT NULL DEFAULT '[]',
    -- JSON snapshots: the addresses as they were when the order was placed
    delivery_address TEXT,
    billing_address  TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX orders_customer ON orders (customer_id, placed_at DESC, id DESC);
CREATE INDEX orders_company ON orders (company_id, placed_at DESC, id DESC);
CREATE INDEX orders_guest_email ON orders (email_normalized) WHERE customer_id IS NULL;
CREATE INDEX orders_store ON orders (store_id, placed_at);

CREATE TABLE order_lines (
    id               INTEGER PRIMARY KEY,
    order_id         BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no          INTEGER NOT NULL,
    product_id       BIGINT REFERENCES products (id),
    sku              TEXT NOT NULL,
    name             TEXT NOT NULL,
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_minor BIGINT NOT NULL,
    discount_minor   BIGINT NOT NULL,
    total_minor      BIGINT NOT NULL,
    UNIQUE (order_id, line_no)
);
CREATE INDEX order_lines_product ON order_lines (product_id);

CREATE TABLE receipts (
    id         INTEGER PRIMARY KEY,
    order_id   BIGINT NOT NULL UNIQUE REFERENCES orders (id) ON DELETE CASCADE,
    code       TEXT NOT NULL UNIQUE,
    store_id   BIGINT NOT NULL REFERENCES stores (id),
    till       TEXT,
    claimed_at TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE shipments (
    id              INTEGER PRIMARY KEY,
    external_id     TEXT NOT NULL UNIQUE,
    order_id        BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    carrier         TEXT NOT NULL,
    tracking_number TEXT NOT NULL,
    promised_date   TEXT,
    from_store_id   BIGINT REFERENCES stores (id),
    -- JSON: {"name": "...", "street": "...", "postcode": "...", "city": "...", "collect_before": "..."}
    pickup_point    TEXT,
    latest_event_at TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (carrier, tracking_number)
);
CREATE INDEX shipments_order ON shipments (order_id);

CREATE TABLE shipment_lines (
    shipment_id   BIGINT NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    order_line_id BIGINT NOT NULL REFERENCES order_lines (id) ON DELETE CASCADE,
    quantity      INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (shipment_id, order_line_id)
);

CREATE TABLE shipment_events (
    id          INTEGER PRIMARY KEY,
    shipment_id BIGINT NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    -- the carrier's own status code, as sent; mapped to plain language when shown
    code        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    location    TEXT,
    occurred_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    -- the same event sent twice is stored once
    UNIQUE (shipment_id, code, occurred_at)
);

CREATE TABLE idempotency_keys (
    api_key_id    BIGINT NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    key           TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    status        INTEGER NOT NULL,
    response_body TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (api_key_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
