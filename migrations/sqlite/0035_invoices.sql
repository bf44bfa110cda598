-- Invoices of B2B companies (issue #22 §2): the back office sends them
-- (PUT /api/v1/invoices/{number}) with its PDF or its lines; the company's members see
-- them with the company's orders. Dates are the invoice's own calendar dates
-- (YYYY-MM-DD). Kept in step with migrations/postgres/0035_invoices.sql.
CREATE TABLE invoices (
    id           INTEGER PRIMARY KEY,
    number       TEXT NOT NULL UNIQUE,
    company_id   BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    order_id     BIGINT REFERENCES orders (id) ON DELETE SET NULL,
    issued_on    TEXT NOT NULL,
    due_on       TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency     TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('open', 'paid')),
    pdf          BLOB,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX invoices_company ON invoices (company_id, issued_on);

CREATE TABLE invoice_lines (
    invoice_id   BIGINT NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    line_no      INTEGER NOT NULL,
    description  TEXT NOT NULL,
    quantity     INTEGER NOT NULL,
    unit_minor   BIGINT NOT NULL,
    amount_minor BIGINT NOT NULL,
    PRIMARY KEY (invoice_id, line_no)
);
