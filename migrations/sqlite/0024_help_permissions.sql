-- Acting for a customer (issue #20): the customer decides. On their privacy page they let
-- customer service help them in their account for an hour, a day or a week, to look or
-- also to make changes; they can withdraw it. One row per permission given; the current
-- one is the newest that has not expired or been withdrawn.
-- Kept in step with migrations/postgres/0024_help_permissions.sql.
CREATE TABLE help_permissions (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    -- 0: customer service may look; 1: and start returns, change addresses, ask for
    -- delivery changes and cancel for them
    may_change  INTEGER NOT NULL,
    granted_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    -- withdrawn before it expired
    ended_at    TEXT
);
CREATE INDEX help_permissions_customer ON help_permissions (customer_id, expires_at);
