-- The audit trail gets a retention period (issue #20, RETENTION_AUDIT_DAYS): the
-- housekeeping removes the oldest rows once they are past it, and the chain then starts
-- after them. `audit_head` remembers where: the last removed row (`start_after_id`), its
-- hash (which the first kept row must name as `prev_hash`), its time, how many rows went,
-- and `start_seal`, an HMAC over those with the audit key, so moving the start without
-- the key is found by `server audit verify` like any other change.
-- Kept in step with migrations/postgres/0026_audit_retention.sql.
ALTER TABLE audit_head ADD COLUMN start_after_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audit_head ADD COLUMN start_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_head ADD COLUMN start_at TEXT;
ALTER TABLE audit_head ADD COLUMN removed_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audit_head ADD COLUMN start_seal TEXT NOT NULL DEFAULT '';

-- Rows may now be deleted, but only those the chain's start has been moved past (in the
-- same transaction): a guard against mistakes, as before.
DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN OLD.id > (SELECT start_after_id FROM audit_head WHERE id = 1)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only (only rows before the chain''s start may go)');
END;
