-- Integration API keys: the webshop, tills, warehouse and carriers push data with these.
-- Kept in step with migrations/postgres/0003_api_keys.sql.
CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    -- the public part of the key, for finding it: mp_<prefix>_<secret>
    prefix       TEXT NOT NULL UNIQUE,
    -- SHA-256 of the whole key (it has 256 bits of randomness; no slow hash needed)
    key_hash     TEXT NOT NULL,
    -- space-separated, e.g. "stores:write orders:write"
    scopes       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    revoked_at   TEXT,
    last_used_at TEXT
);
