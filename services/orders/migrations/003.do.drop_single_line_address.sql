DROP TRIGGER orders_fill_address_lines ON orders;
DROP FUNCTION orders_fill_address_lines();
DROP FUNCTION orders_address_lines(text);

ALTER TABLE orders
  ALTER COLUMN shipping_address_line1 SET NOT NULL,
  ALTER COLUMN shipping_address_line2 SET NOT NULL,
  ALTER COLUMN shipping_address_line3 SET NOT NULL,
  DROP COLUMN shipping_address;
