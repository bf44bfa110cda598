-- The audit trail (issue #20): every staff action and every action taken for a customer,
-- append-only and tamper-evident. Each row's `hash` is an HMAC (key from AUDIT_KEY or
-- DATA_DIR/audit.key) over its fields and the hash of the row before it, so an edited,
-- inserted or removed row breaks the chain (`server audit verify` names the first one).
-- `details` (what changed, before/after) may hold a customer's personal data: erasing the
-- customer empties it, and the row keeps `details_digest`, which the hash covers, so the
-- chain stays whole. Kept in step with migrations/postgres/0021_audit_log.sql.
CREATE TABLE audit_log (
    id                  INTEGER PRIMARY KEY,
    at                  TEXT NOT NULL,
    -- no foreign keys: the trail outlives the accounts it names
    actor_user_id       INTEGER,
    -- the name or staff number the customer sees in their access log
    actor_label         TEXT NOT NULL,
    role                TEXT NOT NULL,
    subject_customer_id INTEGER,
    action              TEXT NOT NULL,
    reason              TEXT,
    ticket              TEXT,
    store_code          TEXT,
    ip                  TEXT NOT NULL,
    user_agent          TEXT NOT NULL,
    -- JSON; NULL once redacted
    details             TEXT,
    -- SHA-256 (hex) of the JSON in `details` as written
    details_digest      TEXT NOT NULL,
    prev_hash           TEXT NOT NULL,
    hash                TEXT NOT NULL
);
CREATE INDEX audit_log_subject ON audit_log (subject_customer_id, id);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id, id);
CREATE INDEX audit_log_at ON audit_log (at);

-- The end of the chain: how many rows and the last hash. Appending writes here first,
-- which makes appenders wait for each other (a row lock on PostgreSQL, the write lock on
-- SQLite), and `audit verify` compares it with the rows, so removing the newest rows is
-- found too.
CREATE TABLE audit_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    row_count BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, row_count, last_hash) VALUES (1, 0, '');

-- Append-only: rows are never deleted, and only `details` may be emptied (redaction).
-- A guard against mistakes; the HMAC chain is the guard against people.
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_only_redact BEFORE UPDATE ON audit_log
WHEN NEW.details IS NOT NULL
  OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at
  OR NEW.actor_user_id IS NOT OLD.actor_user_id OR NEW.actor_label IS NOT OLD.actor_label
  OR NEW.role IS NOT OLD.role OR NEW.subject_customer_id IS NOT OLD.subject_customer_id
  OR NEW.action IS NOT OLD.action OR NEW.reason IS NOT OLD.reason
  OR NEW.ticket IS NOT OLD.ticket OR NEW.store_code IS NOT OLD.store_code
  OR NEW.ip IS NOT OLD.ip OR NEW.user_agent IS NOT OLD.user_agent
  OR NEW.details_digest IS NOT OLD.details_digest
  OR NEW.prev_hash IS NOT OLD.prev_hash OR NEW.hash IS NOT OLD.hash
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only (only details may be emptied)');
END;
