-- What visitors do in the advisors' conversations, for the retailer's insights (issue
-- #21): a conversation started, a question answered (a number by its range of ten), the
-- advice shown. Anonymous: no session, user or address, so nothing here names anyone.
-- Kept two years (`advisor::service::EVENTS_DAYS`). Kept in step with
-- migrations/sqlite/0029_advisor_events.sql.
CREATE TABLE advisor_events (
    id          BIGSERIAL PRIMARY KEY,
    advisor_id  BIGINT NOT NULL REFERENCES advisors (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('started', 'answered', 'advised')),
    question    TEXT,
    answer      TEXT,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX advisor_events_by_advisor ON advisor_events (advisor_id, at);
