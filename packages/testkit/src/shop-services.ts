import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testStores } from './test-stores.js';
import { isolatedPgDatabase, uniqueName, type IsolatedDatabase } from './databases.js';
import { startServiceProcess, type ServiceProcess } from './service-process.js';

/** The store-owning services, each as its own process on private test stores. */
export interface ShopServices {
  readonly processes: Record<ShopServiceName, ServiceProcess>;
  /** The event namespace the services share. */
  readonly namespace: string;
  /** The environment each service was started with. */
  readonly environments: Record<ShopServiceName, Record<string, string>>;
  /** Restarts one service with the same environment (for example after stopping it). */
  restart(name: ShopServiceName): Promise<ServiceProcess>;
  stop(): Promise<void>;
}

/** A store-owning service. */
export type ShopServiceName = 'products' | 'users' | 'cart' | 'search' | 'orders' | 'analytics';

/**
 * Starts products, users, cart, search, orders and analytics as processes on fresh private stores (their own databases,
 * Mongo database, index alias, Redis key ids, DuckDB file and event namespace), in dependency order.
 */
export async function startShopServices(): Promise<ShopServices> {
  const stores = testStores();
  const namespace = uniqueName('shop').replace(/-/g, '_');
  const databases: IsolatedDatabase[] = [await isolatedPgDatabase(stores.usersPgAdminUrl, 'users'), await isolatedPgDatabase(stores.ordersPgAdminUrl, 'orders', stores.ordersReplicaPgAdminUrl)];
  const [usersDb, ordersDb] = databases as [IsolatedDatabase, IsolatedDatabase];
  const common = { NATS_URL: stores.natsUrl, EVENTS_NAMESPACE: namespace };
  const environments = {} as Record<ShopServiceName, Record<string, string>>;
  const processes = {} as Record<ShopServiceName, ServiceProcess>;
  const start = async (name: ShopServiceName, env: Record<string, string>) => {
    environments[name] = { ...common, ...env };
    processes[name] = await startServiceProcess(name, environments[name]);
    return processes[name];
  };
  const stop = async () => {
    await Promise.all(Object.values(processes).map((process) => process.stop()));
    await Promise.all(databases.map((database) => database.drop()));
  };
  try {
    await Promise.all([
      start('products', { PRODUCTS_PORT: '0', PRODUCTS_MONGO_URL: `${stores.mongoUrl.replace(/\/$/, '')}/${namespace}` }),
      start('users', { USERS_PORT: '0', USERS_DATABASE_URL: usersDb.url }),
      start('cart', { CART_PORT: '0', CART_REDIS_URL: stores.cartRedisUrl }),
      start('analytics', { ANALYTICS_PORT: '0', ANALYTICS_DUCKDB_PATH: join(mkdtempSync(join(tmpdir(), 'shop-analytics-')), 'analytics.duckdb') }),
    ]);
    await Promise.all([
      start('search', { SEARCH_PORT: '0', SEARCH_ELASTICSEARCH_URL: stores.elasticsearchUrl, SEARCH_INDEX_ALIAS: namespace, PRODUCTS_ADDR: processes.products.address }),
      start('orders', {
        ORDERS_PORT: '0',
        ORDERS_DATABASE_URL: ordersDb.url,
        ORDERS_DATABASE_REPLICA_URL: ordersDb.replicaUrl!,
        PRODUCTS_ADDR: processes.products.address,
        USERS_ADDR: processes.users.address,
      }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    processes,
    namespace,
    environments,
    restart: async (name) => {
      await processes[name].stop();
      return start(name, { ...environments[name], [`${name.toUpperCase()}_PORT`]: processes[name].address.split(':')[1]! });
    },
    stop,
  };
}
