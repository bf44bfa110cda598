-- The audit trail gets a retention period (issue #20, RETENTION_AUDIT_DAYS): the
-- housekeeping removes the oldest rows once they are past it, and the chain then starts
-- after them. `audit_head` remembers where: the last removed row (`start_after_id`), its
-- hash (which the first kept row must name as `prev_hash`), its time, how many rows went,
-- and `start_seal`, an HMAC over those with the audit key, so moving the start without
-- the key is found by `server audit verify` like any other change.
-- Kept in step with migrations/sqlite/0026_audit_retention.sql.
ALTER TABLE audit_head ADD COLUMN start_after_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audit_head ADD COLUMN start_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_head ADD COLUMN start_at TIMESTAMPTZ;
ALTER TABLE audit_head ADD COLUMN removed_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audit_head ADD COLUMN start_seal TEXT NOT NULL DEFAULT '';

-- Rows may now be deleted, but only those the chain's start has been moved past (in the
-- same transaction): a guard against mistakes, as before.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.id > (SELECT start_after_id FROM audit_head WHERE id = 1) THEN
            RAISE EXCEPTION 'audit_log is append-only (only rows before the chain''s start may go)';
        END IF;
        RETURN OLD;
    END IF;
    IF NEW.details IS NOT NULL
       OR (to_jsonb(NEW) - 'details') IS DISTINCT FROM (to_jsonb(OLD) - 'details') THEN
        RAISE EXCEPTION 'audit_log is append-only (only details may be emptied)';
    END IF;
    RETURN NEW;
END;
$$;
