-- What a reorder needs to flag (issue #22): the product that replaces one no longer sold
-- (its SKU), the stock when the back office sends it (NULL: not known), and the pack size
-- a product is sold in (quantities are multiples of it).
-- Kept in step with migrations/postgres/0032_product_supply.sql.
ALTER TABLE products ADD COLUMN successor TEXT;
ALTER TABLE products ADD COLUMN stock INTEGER CHECK (stock >= 0);
ALTER TABLE products ADD COLUMN pack_size INTEGER NOT NULL DEFAULT 1 CHECK (pack_size >= 1);
