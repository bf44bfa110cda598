-- Guided product advisors (issue #21). An advisor (`/advies/{key}`) has versions: one
-- draft that admins edit and preview, and published versions that never change, so saved
-- advice keeps pointing at the version it was given with. The definition is JSON (README
-- "Product advisors"; app/src/advisor/definition.rs). Kept in step with migrations/postgres/0028_advisors.sql.
CREATE TABLE advisors (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

CREATE TABLE advisor_versions (
    id           INTEGER PRIMARY KEY,
    advisor_id   BIGINT NOT NULL REFERENCES advisors (id) ON DELETE CASCADE,
    -- 0 for the draft, 1, 2, … once published
    version      INTEGER NOT NULL,
    definition   TEXT NOT NULL,
    saved_at     TEXT NOT NULL,
    saved_by     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    published_at TEXT,
    UNIQUE (advisor_id, version)
);

-- Advice given: for a guest under its code (and QR), for a customer in their account.
-- Answers to personal questions (weight, complaints) are kept only with the visitor's
-- consent (`keeps_personal`); otherwise they live in the session only.
CREATE TABLE advice (
    id                INTEGER PRIMARY KEY,
    code              TEXT NOT NULL UNIQUE,
    advisor_version_id BIGINT NOT NULL REFERENCES advisor_versions (id),
    customer_id       BIGINT REFERENCES customers (id) ON DELETE CASCADE,
    answers           TEXT NOT NULL,
    keeps_personal    INTEGER NOT NULL DEFAULT 0,
    -- the advised SKUs with their scores, best first (JSON)
    picks             TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    -- a guest's advice goes after this; a customer's stays with the account
    expires_at        TEXT,
    order_id          BIGINT REFERENCES orders (id) ON DELETE SET NULL
);
CREATE INDEX advice_customer ON advice (customer_id, created_at);
