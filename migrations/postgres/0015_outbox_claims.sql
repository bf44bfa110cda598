-- Who holds a claimed outbox row: a worker records a row as sent only while it still holds
-- the claim it made (a fence), so a row another worker took over after a lease ran out is
-- never marked twice. Kept in step with the other backend's 0015_outbox_claims.sql.
ALTER TABLE outbox ADD COLUMN claim_token TEXT;
