-- My account: store purchases waiting for the holder of their loyalty card to link it.
CREATE INDEX orders_unlinked_card ON orders (loyalty_card) WHERE customer_id IS NULL;
