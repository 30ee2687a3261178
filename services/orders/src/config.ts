import { z } from 'zod';
import { addressVar, logLevelVar, parseEnv, portVar, positiveIntVar, urlVar } from '@shop/runtime';

const blankAsUnset = (value: unknown) => (value === '' ? undefined : value);
const optionalUrl = z.preprocess(blankAsUnset, urlVar('postgres', 'postgresql').optional());

const schema = z.object({
  ORDERS_HOST: z.string().min(1).default('127.0.0.1'),
  ORDERS_PORT: portVar(50052),
  ORDERS_DATABASE_URL: urlVar('postgres', 'postgresql'),
  ORDERS_DATABASE_REPLICA_URL: optionalUrl,
  ORDERS_SCHEMA_TARGET: z.string().regex(/^(max|\d+)$/, 'must be max or a migration version').default('max'),
  PRODUCTS_ADDR: addressVar('127.0.0.1:50051'),
  USERS_ADDR: addressVar('127.0.0.1:50053'),
  NATS_URL: urlVar('nats', 'tls', 'ws', 'wss'),
  EVENTS_NAMESPACE: z.string().regex(/^[A-Za-z0-9_-]*$/, 'must be letters, digits, _ or -').default(''),
  LOG_LEVEL: logLevelVar,
  ORDERS_REPLICA_WAIT_MS: positiveIntVar(200),
  ORDERS_SAGA_RECOVERY_INTERVAL_MS: positiveIntVar(2000),
  ORDERS_SAGA_STALE_MS: positiveIntVar(5000),
  ORDERS_SAGA_GIVE_UP_MS: positiveIntVar(60_000),
  ORDERS_CRASH_AFTER_STEP: z.preprocess(blankAsUnset, z.enum(['stored', 'reserved']).optional()),
});

/** The orders service's validated configuration. */
export type OrdersConfig = z.infer<typeof schema>;

/** Reads and validates the configuration; throws a ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): OrdersConfig {
  return parseEnv(schema, env);
}
