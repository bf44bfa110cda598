-- B2B roles (issue #22): besides admin and buyer, an approver (approves orders above a
-- buyer's limit) and a viewer (sees the company's orders and invoices, cannot order).
ALTER TABLE company_members DROP CONSTRAINT company_members_role_check;
ALTER TABLE company_members ADD CONSTRAINT company_members_role_check
    CHECK (role IN ('buyer', 'admin', 'approver', 'viewer'));
