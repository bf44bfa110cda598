-- Where a return was handed in, in words the customer knows: the store whose desk took it
-- in, or the drop-off point the carrier reported through the back office. Kept in step
-- with migrations/sqlite/0014_return_handed_in_place.sql.
ALTER TABLE returns ADD COLUMN handed_in_place TEXT;
