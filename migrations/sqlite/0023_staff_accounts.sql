-- Staff accounts (issue #20): deactivating a staff member, and two-step login (TOTP with
-- recovery codes), required for every staff role.
-- Kept in step with migrations/postgres/0023_staff_accounts.sql.

-- A deactivated account cannot log in; its sessions ended when it was deactivated. Kept
-- (not deleted) so the audit trail and the notes still name who did what.
ALTER TABLE users ADD COLUMN deactivated_at TEXT;

-- The shared secret of a user's authenticator app (base32, RFC 6238: SHA-1, 6 digits,
-- 30 s), written once the user proved their app shows the right code. `last_step` is the
-- newest 30-second step a code was accepted for: a code works once.
CREATE TABLE user_totp (
    user_id      INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret       TEXT NOT NULL,
    last_step    INTEGER NOT NULL DEFAULT 0,
    confirmed_at TEXT NOT NULL
);

-- Single-use codes for when the phone is lost (SHA-256 of the code; the codes themselves
-- were shown once).
CREATE TABLE recovery_codes (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    used_at    TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);
