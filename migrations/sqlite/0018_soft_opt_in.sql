-- The soft opt-in (Telecommunicatiewet art. 11.7 lid 3): a marketing purpose the retailer
-- marks may e-mail customers who bought from it until they say no; such a "yes" is shown
-- and answered as soft opt-in, never recorded as consent. Kept in step with
-- migrations/postgres/0018_soft_opt_in.sql.
ALTER TABLE consent_purposes ADD COLUMN soft_opt_in BOOLEAN NOT NULL DEFAULT FALSE;
