-- My details: date of birth, and e-mail address changes waiting for their confirmation.
-- Kept in step with migrations/postgres/0006_profile.sql.
ALTER TABLE customers ADD COLUMN birth_date TEXT;

CREATE TABLE email_changes (
    id                   INTEGER PRIMARY KEY,
    user_id              BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    new_email            TEXT NOT NULL,
    new_email_normalized TEXT NOT NULL,
    token_hash           TEXT NOT NULL UNIQUE,
    expires_at           TEXT NOT NULL,
    used_at              TEXT,
    created_at           TEXT NOT NULL
);
CREATE INDEX email_changes_user ON email_changes (user_id);
