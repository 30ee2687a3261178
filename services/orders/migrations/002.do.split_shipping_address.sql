ALTER TABLE orders
  ADD COLUMN shipping_address_line1 text,
  ADD COLUMN shipping_address_line2 text,
  ADD COLUMN shipping_address_line3 text;

CREATE FUNCTION orders_address_lines(single_line text) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
  WITH parts AS (
    SELECT CASE WHEN single_line ~ '[\r\n]'
                THEN regexp_split_to_array(btrim(single_line, E' \r\n'), '\s*[\r\n]+\s*')
                ELSE regexp_split_to_array(btrim(single_line), '\s*,\s*')
           END AS p
  )
  SELECT ARRAY[coalesce(p[1], ''), coalesce(p[2], ''), coalesce(array_to_string(p[3:], ', '), '')] FROM parts
$$;

CREATE FUNCTION orders_fill_address_lines() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  lines text[];
BEGIN
  IF NEW.shipping_address_line1 IS NULL THEN
    lines := orders_address_lines(NEW.shipping_address);
    NEW.shipping_address_line1 := lines[1];
    NEW.shipping_address_line2 := lines[2];
    NEW.shipping_address_line3 := lines[3];
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER orders_fill_address_lines BEFORE INSERT OR UPDATE ON orders
FOR EACH ROW EXECUTE FUNCTION orders_fill_address_lines();

UPDATE orders SET shipping_address_line1 = NULL WHERE shipping_address_line1 IS NULL;
