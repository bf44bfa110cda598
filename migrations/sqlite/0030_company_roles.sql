-- B2B roles (issue #22): besides admin and buyer, an approver (approves orders above a
-- buyer's limit) and a viewer (sees the company's orders and invoices, cannot order).
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt.
CREATE TABLE company_members_new (
    company_id  BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('buyer', 'admin', 'approver', 'viewer')),
    PRIMARY KEY (company_id, customer_id)
);
INSERT INTO company_members_new (company_id, customer_id, role)
    SELECT company_id, customer_id, role FROM company_members;
DROP TABLE company_members;
ALTER TABLE company_members_new RENAME TO company_members;
CREATE INDEX company_members_customer ON company_members (customer_id);
