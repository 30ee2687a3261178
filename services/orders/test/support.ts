import { createServiceClient, createLogger, type RunningServer } from '@shop/runtime';
import { OrderService } from '@shop/gen/order/v1/order_service_pb';
import { testStores, uniqueName, type IsolatedDatabase } from '@shop/testkit';
import { loadConfig } from '../src/config.js';
import { startOrders } from '../src/server.js';

/** The environment of an orders instance on an isolated database, its own event namespace and the given peers. */
export function ordersEnv(database: IsolatedDatabase, namespace: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ORDERS_PORT: '0',
    ORDERS_DATABASE_URL: database.url,
    ...(database.replicaUrl ? { ORDERS_DATABASE_REPLICA_URL: database.replicaUrl } : {}),
    NATS_URL: testStores().natsUrl,
    EVENTS_NAMESPACE: namespace,
    PRODUCTS_ADDR: '127.0.0.1:1',
    USERS_ADDR: '127.0.0.1:1',
    LOG_LEVEL: 'silent',
    ORDERS_SAGA_RECOVERY_INTERVAL_MS: '300',
    ORDERS_SAGA_STALE_MS: '1000',
    ...extra,
  };
}

/** A unique event namespace for one test file. */
export function uniqueNamespace(prefix: string): string {
  return uniqueName(prefix).replace(/[^A-Za-z0-9_-]/g, '_');
}

/** An orders server running in this process, with a client of it. */
export async function startOrdersInProcess(env: Record<string, string>) {
  const config = loadConfig(env);
  const server: RunningServer = await startOrders(config, createLogger('orders', config.LOG_LEVEL));
  const client = createServiceClient(OrderService, { name: 'orders', address: server.address, defaultTimeoutMs: 20_000 });
  return { server, client };
}

/** Polls until check returns a value other than undefined (bounded by the test's own timeout). */
export async function eventually<T>(check: () => Promise<T | undefined>, pauseMs = 100): Promise<T> {
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}
