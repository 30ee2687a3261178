import { z } from 'zod';
import { systemMap } from '@shop/system-map';
import { addressVar, booleanVar, busSettings, parseEnv, positiveIntVar, serviceBasics, urlVar, type BusSettings, type ServiceBasics } from '@shop/runtime';
import type { SagaCheckpoint } from './domain/checkout-saga.js';

const blankAsUnset = (value: unknown) => (value === '' ? undefined : value);
const optionalUrl = z.preprocess(blankAsUnset, urlVar('postgres', 'postgresql').optional());
const defaultAddress = (peer: 'products' | 'users') => `127.0.0.1:${systemMap[peer].port}`;

const ordersEnv = z.object({
  ORDERS_DATABASE_URL: urlVar('postgres', 'postgresql'),
  ORDERS_DATABASE_REPLICA_URL: optionalUrl,
  ORDERS_DATABASE_NAMED_STATEMENTS: booleanVar(true),
  ORDERS_SCHEMA_TARGET: z.string().regex(/^(max|\d+)$/, 'must be max or a migration version').default('max'),
  PRODUCTS_ADDR: addressVar(defaultAddress('products')),
  USERS_ADDR: addressVar(defaultAddress('users')),
  ORDERS_REPLICA_WAIT_MS: positiveIntVar(200),
  ORDERS_SAGA_RECOVERY_INTERVAL_MS: positiveIntVar(2000),
  ORDERS_SAGA_STALE_MS: positiveIntVar(5000),
  ORDERS_SAGA_GIVE_UP_MS: positiveIntVar(60_000),
  ORDERS_CHECKOUT_CONCURRENCY: positiveIntVar(32),
  ORDERS_CHECKOUT_QUEUE_LIMIT: positiveIntVar(2000),
  ORDERS_CRASH_AFTER_STEP: z.preprocess(blankAsUnset, z.enum(['stored', 'reserved']).optional()),
});

/** The orders service's validated configuration. */
export interface OrdersConfig extends ServiceBasics, BusSettings {
  /** ORDERS_DATABASE_URL: the primary, for writes and fresh reads. */
  readonly databaseUrl: string;
  /** ORDERS_DATABASE_REPLICA_URL: the read replica, when there is one. */
  readonly replicaUrl: string | undefined;
  /**
   * ORDERS_DATABASE_NAMED_STATEMENTS (true): the checkout's statements are prepared once per connection; false behind
   * a transaction pooler that does not keep prepared statements (PgBouncer before 1.21).
   */
  readonly namedStatements: boolean;
  /** ORDERS_SCHEMA_TARGET: "max" or the migration version to stop at (expand/contract rollouts). */
  readonly schemaTarget: string;
  readonly productsAddr: string;
  readonly usersAddr: string;
  /** How long a read waits for the replica to reach the caller's writes before reading the primary. */
  readonly replicaWaitMs: number;
  readonly sagaRecoveryIntervalMs: number;
  /** A saga left unfinished this long is picked up by the recovery loop. */
  readonly sagaStaleMs: number;
  /** After this long an order whose stock could not be reserved is rejected. */
  readonly sagaGiveUpMs: number;
  /** ORDERS_CHECKOUT_CONCURRENCY: checkouts run at once; later ones wait in arrival order. */
  readonly checkoutConcurrency: number;
  /** ORDERS_CHECKOUT_QUEUE_LIMIT: checkouts that may wait; beyond them a checkout is RESOURCE_EXHAUSTED. */
  readonly checkoutQueueLimit: number;
  /** Test-only fault injection: the process kills itself right after this saga step. */
  readonly crashAfterStep: SagaCheckpoint | undefined;
}

/** Reads and validates the configuration; throws a ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): OrdersConfig {
  const basics = serviceBasics('orders', env);
  const bus = busSettings(env);
  const own = parseEnv(ordersEnv, env);
  return {
    ...basics,
    ...bus,
    databaseUrl: own.ORDERS_DATABASE_URL,
    replicaUrl: own.ORDERS_DATABASE_REPLICA_URL,
    namedStatements: own.ORDERS_DATABASE_NAMED_STATEMENTS,
    schemaTarget: own.ORDERS_SCHEMA_TARGET,
    productsAddr: own.PRODUCTS_ADDR,
    usersAddr: own.USERS_ADDR,
    replicaWaitMs: own.ORDERS_REPLICA_WAIT_MS,
    sagaRecoveryIntervalMs: own.ORDERS_SAGA_RECOVERY_INTERVAL_MS,
    sagaStaleMs: own.ORDERS_SAGA_STALE_MS,
    sagaGiveUpMs: own.ORDERS_SAGA_GIVE_UP_MS,
    checkoutConcurrency: own.ORDERS_CHECKOUT_CONCURRENCY,
    checkoutQueueLimit: own.ORDERS_CHECKOUT_QUEUE_LIMIT,
    crashAfterStep: own.ORDERS_CRASH_AFTER_STEP,
  };
}
