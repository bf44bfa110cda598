-- Accounts: users and roles, single-use tokens (e-mail verification, password reset),
-- login attempts for throttling, and the outbox for mail and webhooks.
-- Kept in step with migrations/postgres/0002_accounts.sql.
-- Times are UTC, ISO-8601 text of fixed width (see app::db::Timestamp).

CREATE TABLE users (
    id                 INTEGER PRIMARY KEY,
    email              TEXT NOT NULL,
    -- lower-cased, trimmed: unique regardless of how it was typed
    email_normalized   TEXT NOT NULL UNIQUE,
    name               TEXT NOT NULL,
    language           TEXT NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
    password_hash      TEXT NOT NULL,
    email_verified_at  TEXT,
    -- raised to end every session of the user (password reset, "log out everywhere")
    session_generation INTEGER NOT NULL DEFAULT 0,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);

CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT NOT NULL CHECK (role IN ('customer', 'store_staff', 'support_agent', 'admin')),
    PRIMARY KEY (user_id, role)
);

CREATE TABLE account_tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    -- SHA-256 of the token; the token itself is only in the link that was mailed
    token_hash TEXT NOT NULL UNIQUE,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);

CREATE TABLE login_attempts (
    id               INTEGER PRIMARY KEY,
    email_normalized TEXT NOT NULL,
    ip               TEXT NOT NULL,
    succeeded        INTEGER NOT NULL,
    attempted_at     TEXT NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts (email_normalized, attempted_at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, attempted_at);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    -- JSON: what to send (for mail: to, subject, text, html)
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    -- a worker that claimed the row holds it until then
    locked_until    TEXT,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
