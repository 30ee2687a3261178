-- The read model is append-only: every fact is kept at its entity version, and queries take the newest version
-- (now) or the version in force at order time (ASOF). Redelivered and out-of-order events therefore change nothing twice.
CREATE TABLE processed_events (
  event_id   VARCHAR PRIMARY KEY,
  kind       VARCHAR NOT NULL,
  applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE orders (
  order_id      VARCHAR PRIMARY KEY,
  customer_id   VARCHAR NOT NULL,
  placed_at     TIMESTAMP NOT NULL,
  total_minor   BIGINT,
  currency_code VARCHAR
);

CREATE TABLE order_lines (
  order_id   VARCHAR NOT NULL,
  line_no    INTEGER NOT NULL,
  product_id VARCHAR NOT NULL,
  quantity   INTEGER NOT NULL,
  PRIMARY KEY (order_id, line_no)
);

CREATE TABLE order_statuses (
  order_id    VARCHAR NOT NULL,
  version     BIGINT NOT NULL,
  status      VARCHAR NOT NULL,
  occurred_at TIMESTAMP NOT NULL,
  PRIMARY KEY (order_id, version)
);

CREATE TABLE product_versions (
  product_id    VARCHAR NOT NULL,
  version       BIGINT NOT NULL,
  valid_from    TIMESTAMP NOT NULL,
  deleted       BOOLEAN NOT NULL,
  name          VARCHAR NOT NULL,
  category_id   VARCHAR NOT NULL,
  price_minor   BIGINT,
  currency_code VARCHAR,
  PRIMARY KEY (product_id, version)
);

CREATE TABLE user_versions (
  user_id      VARCHAR NOT NULL,
  version      BIGINT NOT NULL,
  valid_from   TIMESTAMP NOT NULL,
  display_name VARCHAR NOT NULL,
  signed_up_at TIMESTAMP,
  PRIMARY KEY (user_id, version)
);
