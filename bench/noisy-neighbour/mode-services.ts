import { randomBytes } from 'node:crypto';
import { startServiceProcess, type ServiceProcess } from '@shop/testkit';
import type { BenchStores } from './bench-stores.js';
import type { Topology } from './topologies.js';

/** The users, products and orders services of one mode, each as its own process. */
export interface ModeServices {
  readonly users: ServiceProcess;
  readonly products: ServiceProcess;
  readonly orders: ServiceProcess;
  stop(): Promise<void>;
}

/** Starts users and products, then orders (which runs its migrations) on the mode's databases. */
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
    const [users, products] = await Promise.all([
      start('users', { USERS_PORT: '0', USERS_DATABASE_URL: topology.usersDatabaseUrl }),
      start('products', { PRODUCTS_PORT: '0', PRODUCTS_MONGO_URL: `${stores.mongo.url}${namespace}` }),
    ]);
    const orders = await start('orders', {
      ORDERS_PORT: '0',
      ORDERS_DATABASE_URL: topology.ordersDatabaseUrl,
      PRODUCTS_ADDR: products.address,
      USERS_ADDR: users.address,
    });
    return { users, products, orders, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
