-- Sizes and variants: products with the same variant_of (the webshop's parent product,
-- e.g. one mattress model in every size) are offered when a customer returns one for an
-- exchange. Kept in step with migrations/postgres/0013_product_variants.sql.
ALTER TABLE products ADD COLUMN variant_of TEXT;
CREATE INDEX products_variant_of ON products (variant_of, name);
