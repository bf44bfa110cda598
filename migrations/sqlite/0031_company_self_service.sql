-- The company manages itself (issue #22): a buyer's order limits, the company's delivery
-- locations (and which a buyer may use; none listed: all), and invitations by e-mail.
-- Kept in step with migrations/postgres/0031_company_self_service.sql.
ALTER TABLE company_members ADD COLUMN limit_per_order BIGINT CHECK (limit_per_order >= 0);
ALTER TABLE company_members ADD COLUMN limit_per_month BIGINT CHECK (limit_per_month >= 0);

CREATE TABLE company_locations (
    id           INTEGER PRIMARY KEY,
    company_id   BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    street       TEXT NOT NULL,
    house_number TEXT NOT NULL,
    addition     TEXT,
    postcode     TEXT NOT NULL,
    city         TEXT NOT NULL,
    country      TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX company_locations_company ON company_locations (company_id, name);

CREATE TABLE company_member_locations (
    company_id  BIGINT NOT NULL,
    customer_id BIGINT NOT NULL,
    location_id BIGINT NOT NULL REFERENCES company_locations (id) ON DELETE CASCADE,
    PRIMARY KEY (company_id, customer_id, location_id),
    FOREIGN KEY (company_id, customer_id)
        REFERENCES company_members (company_id, customer_id) ON DELETE CASCADE
);

-- The link's token is stored hashed; the address goes with the invitation once it is
-- accepted, withdrawn or expired past the links' retention (housekeeping).
CREATE TABLE company_invitations (
    id               INTEGER PRIMARY KEY,
    company_id       BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    email            TEXT NOT NULL,
    email_normalized TEXT NOT NULL,
    role             TEXT NOT NULL CHECK (role IN ('buyer', 'admin', 'approver', 'viewer')),
    token_hash       TEXT NOT NULL UNIQUE,
    invited_by       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at       TEXT NOT NULL,
    expires_at       TEXT NOT NULL,
    accepted_at      TEXT,
    withdrawn_at     TEXT
);
CREATE INDEX company_invitations_company ON company_invitations (company_id, created_at);
