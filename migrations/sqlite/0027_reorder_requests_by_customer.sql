-- The customer's story page (issue #20) lists a customer's reorder requests; without this
-- index that reads the whole table once reorders grow.
CREATE INDEX reorder_requests_customer ON reorder_requests (customer_id, requested_at);
