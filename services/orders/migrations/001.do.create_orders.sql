CREATE TABLE orders (
  id uuid PRIMARY KEY,
  seq bigserial NOT NULL UNIQUE,
  idempotency_key text NOT NULL,
  customer_id text NOT NULL,
  customer_name text NOT NULL,
  status text NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'REJECTED', 'CANCELLED')),
  status_reason text NOT NULL DEFAULT '',
  saga_step text NOT NULL CHECK (saga_step IN ('reserve', 'release', 'done')),
  saga_attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  total_minor bigint NOT NULL,
  currency_code text NOT NULL,
  shipping_address text NOT NULL,
  version bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX orders_idempotency_key ON orders (idempotency_key);
CREATE INDEX orders_customer_newest_first ON orders (customer_id, seq DESC);
CREATE INDEX orders_unfinished_sagas ON orders (next_attempt_at) WHERE saga_step <> 'done';

CREATE TABLE order_items (
  order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  position integer NOT NULL,
  product_id text NOT NULL,
  product_name text NOT NULL,
  unit_price_minor bigint NOT NULL,
  currency_code text NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (order_id, position)
);

CREATE TABLE outbox (
  seq bigserial PRIMARY KEY,
  id uuid NOT NULL UNIQUE,
  subject text NOT NULL,
  type text NOT NULL,
  payload bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);

CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;

CREATE TABLE customer_names (
  customer_id text PRIMARY KEY,
  display_name text NOT NULL,
  version bigint NOT NULL
);
