-- Customer service (issue #20): finding a customer, and the notes agents keep.
-- Kept in step with migrations/postgres/0022_customer_service.sql.

-- What `/service/customers` finds a customer by, one row per term, written by
-- `customers::repo::refresh_search` whenever a customer's name, phone or addresses change
-- (`customers::search::terms` makes them): `n:` a word of the name (lower case, without
-- accents), `p:` the phone number (+31612345678), `a:` postcode and house number
-- (3511AB|12). A name is found by the start of its words with a range on the index.
CREATE TABLE customer_search (
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    term        TEXT NOT NULL
);
CREATE INDEX customer_search_term ON customer_search (term, customer_id);
CREATE INDEX customer_search_customer ON customer_search (customer_id);

-- An agent's note of a contact, so the customer never tells their story twice. The
-- customer's personal data: in their export, gone with their account.
CREATE TABLE contact_notes (
    id             INTEGER PRIMARY KEY,
    customer_id    INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    author_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- the name the customer sees (as in the audit trail)
    author_label   TEXT NOT NULL,
    channel        TEXT NOT NULL CHECK (channel IN ('phone', 'chat', 'store', 'email')),
    topic          TEXT NOT NULL,
    outcome        TEXT NOT NULL,
    follow_up_on   TEXT,
    created_at     TEXT NOT NULL
);
CREATE INDEX contact_notes_customer ON contact_notes (customer_id, created_at);
