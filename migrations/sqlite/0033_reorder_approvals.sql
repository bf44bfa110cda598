-- Approvals (issue #22): a B2B request over the buyer's limit waits for an approver of the
-- company before it goes to the back office. approval: NULL (no approval needed),
-- 'awaiting', 'approved' or 'rejected' (the request is then declined); over_limit says
-- which limit it passed; the decision records who, when and why. total_minor: what the
-- request comes to at the prices of the moment (the monthly limit adds them up).
-- Kept in step with migrations/postgres/0033_reorder_approvals.sql.
ALTER TABLE reorder_requests ADD COLUMN total_minor BIGINT;
ALTER TABLE reorder_requests ADD COLUMN approval TEXT CHECK (approval IN ('awaiting', 'approved', 'rejected'));
ALTER TABLE reorder_requests ADD COLUMN over_limit TEXT CHECK (over_limit IN ('per_order', 'per_month'));
ALTER TABLE reorder_requests ADD COLUMN approval_by BIGINT REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE reorder_requests ADD COLUMN approval_at TEXT;
ALTER TABLE reorder_requests ADD COLUMN approval_note TEXT;
CREATE INDEX reorder_requests_awaiting ON reorder_requests (approval, requested_at);
