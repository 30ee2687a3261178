import pg from 'pg';
import type { Client } from '@connectrpc/connect';
import { createServiceClient, createLogger, type RunningServer } from '@shop/runtime';
import { OrderService } from '@shop/gen/order/v1/order_service_pb';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { UserService } from '@shop/gen/user/v1/user_service_pb';
import { eventually, isolatedPgDatabase, startServiceProcess, testStores, uniqueName, type IsolatedDatabase, type ServiceProcess } from '@shop/testkit';
import { loadConfig } from '../src/config.js';
import { startOrders } from '../src/main.js';

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
  const server: RunningServer = await startOrders(config, { logger: createLogger('orders', config.logLevel) });
  const client = createServiceClient(OrderService, { name: 'orders', address: server.address, defaultTimeoutMs: 20_000 });
  return { server, client };
}

/** A products and a users process on fresh stores, with clients of both. */
export interface Peers {
  readonly products: ServiceProcess;
  readonly users: ServiceProcess;
  readonly productsClient: Client<typeof ProductService>;
  readonly usersClient: Client<typeof UserService>;
  readonly usersDatabase: IsolatedDatabase;
  /** The environment to start products again on the same database and port. */
  readonly productsEnv: Record<string, string>;
  restartProducts(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts products (on a unique Mongo database) and users (on an isolated database of the users cluster). */
export async function startPeers(namespace: string): Promise<Peers> {
  const stores = testStores();
  const usersDatabase = await isolatedPgDatabase(stores.usersPgAdminUrl, 'users');
  const common = { NATS_URL: stores.natsUrl, EVENTS_NAMESPACE: namespace };
  const mongoUrl = new URL(stores.mongoUrl);
  mongoUrl.pathname = `/${uniqueName('orders_products').replace(/-/g, '_')}`;
  const productsEnv = { ...common, PRODUCTS_PORT: '0', PRODUCTS_MONGO_URL: mongoUrl.toString() };
  const [products, users] = await Promise.all([
    startServiceProcess('products', productsEnv),
    startServiceProcess('users', { ...common, USERS_PORT: '0', USERS_DATABASE_URL: usersDatabase.url }),
  ]);
  const peers = {
    products,
    users,
    usersDatabase,
    productsEnv: { ...productsEnv, PRODUCTS_PORT: products.address.split(':')[1]! },
    productsClient: createServiceClient(ProductService, { name: 'products', address: products.address }),
    usersClient: createServiceClient(UserService, { name: 'users', address: users.address }),
    restartProducts: async () => {
      await peers.products.stop();
      peers.products = await startServiceProcess('products', peers.productsEnv);
    },
    stop: async () => {
      await Promise.all([peers.products.stop(), peers.users.stop()]);
      await usersDatabase.drop();
    },
  };
  return peers;
}

/** The peer addresses for an orders instance. */
export function peerEnv(peers: Peers): Record<string, string> {
  return { PRODUCTS_ADDR: peers.products.address, USERS_ADDR: peers.users.address };
}

/** Creates a product with the given price (minor units), stock and currency. */
export async function createProduct(peers: Peers, priceMinor: number, stock: number, currencyCode = 'EUR') {
  const name = uniqueName('product');
  const { product } = await peers.productsClient.createProduct({
    sku: name,
    name: `Product ${name}`,
    categoryId: 'tests',
    price: { amountMinor: BigInt(priceMinor), currencyCode },
    stock,
  });
  return product!;
}

/** Creates a user with the given display name. */
export async function createUser(peers: Peers, displayName: string) {
  const { user } = await peers.usersClient.createUser({ email: `${uniqueName('user')}@example.com`, displayName, address: { line1: 'Street 1' } });
  return user!;
}

/** The current stock of a product, from products. */
export async function stockOf(peers: Peers, productId: string): Promise<number> {
  const { product } = await peers.productsClient.getProduct({ id: productId });
  return product!.stock;
}

/** Waits until the replica has replayed everything the primary had written when called. */
export async function replicaCaughtUp(primaryUrl: string, replicaAdminUrl: string): Promise<void> {
  const primary = new pg.Client({ connectionString: primaryUrl });
  const replica = new pg.Client({ connectionString: replicaAdminUrl });
  await Promise.all([primary.connect(), replica.connect()]);
  try {
    const { rows } = await primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
    await eventually(
      async () => (await replica.query<{ replayed: boolean }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS replayed', [rows[0]!.lsn])).rows[0]!.replayed,
      { description: 'the replica replayed the primary', intervalMs: 20 },
    );
  } finally {
    await Promise.all([primary.end(), replica.end()]);
  }
}

/** Runs one query with a short-lived connection. */
export async function queryOnce<R extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** An orders process (as in production), with a client of it. */
export async function startOrdersProcess(env: Record<string, string>) {
  const process = await startServiceProcess('orders', { ...env, LOG_LEVEL: 'info' });
  const client = createServiceClient(OrderService, { name: 'orders', address: process.address, defaultTimeoutMs: 20_000 });
  return { process, client };
}
