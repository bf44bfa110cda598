-- Foundation: settings of this installation and the retailer's stores.
-- Kept in step with migrations/postgres/0001_foundation.sql (same number, same meaning).

CREATE TABLE app_meta (
    key        TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE stores (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    street        TEXT NOT NULL,
    postcode      TEXT NOT NULL,
    city          TEXT NOT NULL,
    phone         TEXT,
    -- JSON: seven entries, Monday first; null = closed, else {"opens":"09:00","closes":"18:00"}
    opening_hours TEXT NOT NULL DEFAULT '[]',
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE INDEX stores_city_name ON stores (city, name);
