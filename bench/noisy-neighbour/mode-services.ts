import { randomBytes } from 'node:crypto';
import { startServiceProcess, type ServiceProcess } from '@shop/testkit';
import type { BenchStores } from './bench-stores.js';
import type { ServiceUrls, Topology } from './topologies.js';

/** The users, products and orders services of one mode, each as its own process. */
export interface ModeServices {
  readonly users: ServiceProcess;
  readonly products: ServiceProcess;
  readonly orders: ServiceProcess;
  stop(): Promise<void>;
}

/**
 * Named (prepared) statements on direct connections only: behind PgBouncer 1.18's transaction pooling a prepared
 * statement stays on the server connection that prepared it, which the next transaction may not get.
 */
const namedOnDirectUrls = (topology: Topology, urls: ServiceUrls) => String(urls === topology.migrationUrls);

function usersEnv(topology: Topology, urls: ServiceUrls): Record<string, string> {
  return { USERS_PORT: '0', USERS_DATABASE_URL: urls.users, USERS_DATABASE_NAMED_STATEMENTS: namedOnDirectUrls(topology, urls) };
}

function ordersEnv(topology: Topology, urls: ServiceUrls, productsAddress: string, usersAddress: string): Record<string, string> {
  return { ORDERS_PORT: '0', ORDERS_DATABASE_URL: urls.orders, ORDERS_DATABASE_NAMED_STATEMENTS: namedOnDirectUrls(topology, urls), PRODUCTS_ADDR: productsAddress, USERS_ADDR: usersAddress };
}

/**
 * Starts users and products, then orders, on the mode's service URLs. When those differ from the migration URLs
 * (behind the transaction pooler), users and orders are first started once on the direct migration URLs and
 * stopped, so their migrations (users' takes a session advisory lock) never run through the pooler.
 */
export async function startModeServices(topology: Topology, stores: BenchStores): Promise<ModeServices> {
  const namespace = `nn_${topology.mode.replace(/-/g, '_')}_${randomBytes(4).toString('hex')}`;
  const common = { NATS_URL: stores.local.natsUrl, EVENTS_NAMESPACE: namespace };
  const started: ServiceProcess[] = [];
  const start = async (name: string, env: Record<string, string>) => {
    const service = await startServiceProcess(name, { ...common, ...env });
    started.push(service);
    return service;
  };
  const stop = async () => {
    await Promise.all(started.map((service) => service.stop()));
  };
  try {
    const products = await start('products', { PRODUCTS_PORT: '0', PRODUCTS_MONGO_URL: `${stores.mongo.url}${namespace}` });
    if (topology.migrationUrls !== topology.serviceUrls) {
      const migratingUsers = await start('users', usersEnv(topology, topology.migrationUrls));
      const migratingOrders = await start('orders', ordersEnv(topology, topology.migrationUrls, products.address, migratingUsers.address));
      await Promise.all([migratingOrders.stop(), migratingUsers.stop()]);
    }
    const users = await start('users', usersEnv(topology, topology.serviceUrls));
    const orders = await start('orders', ordersEnv(topology, topology.serviceUrls, products.address, users.address));
    return { users, products, orders, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
