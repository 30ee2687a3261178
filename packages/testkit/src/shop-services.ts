import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addressVariable, peersOf, serviceNames, systemMap, variablePrefix, type ServiceName, type StoreSpec } from '@shop/system-map';
import { testStores, type TestStores } from './test-stores.js';
import { isolatedPgDatabase, uniqueName, type IsolatedDatabase } from './databases.js';
import { startServiceProcess, type ServiceProcess } from './service-process.js';

/** A store-owning service: every service of the system map but the stateless gateway. */
export type ShopServiceName = Exclude<ServiceName, 'gateway'>;

/** The store-owning services, each as its own process on private test stores. */
export interface ShopServices {
  readonly processes: Record<ShopServiceName, ServiceProcess>;
  /** The event namespace the services share. */
  readonly namespace: string;
  /** The environment each service was started with. */
  readonly environments: Record<ShopServiceName, Record<string, string>>;
  /** The `<PEER>_ADDR` variables of a service the map says calls these, for example the gateway. */
  peerAddresses(name: ServiceName): Record<string, string>;
  /** Restarts one service with the same environment (for example after stopping it). */
  restart(name: ShopServiceName): Promise<ServiceProcess>;
  stop(): Promise<void>;
}

/** The services startShopServices starts, in the map's order. */
export const shopServiceNames = serviceNames.filter((name): name is ShopServiceName => systemMap[name].store !== undefined);

/** The superuser URL of the PostgreSQL cluster behind each PostgreSQL store variable of the map. */
const pgAdminUrls: Record<string, keyof TestStores> = {
  ORDERS_DATABASE_URL: 'ordersPgAdminUrl',
  ORDERS_DATABASE_REPLICA_URL: 'ordersReplicaPgAdminUrl',
  USERS_DATABASE_URL: 'usersPgAdminUrl',
};

/** Variables a service needs to keep its data apart from other test runs, beyond its store URL. */
const isolationVariables: Partial<Record<ShopServiceName, (namespace: string) => Record<string, string>>> = {
  search: (namespace) => ({ SEARCH_INDEX_ALIAS: namespace }),
};

/** What a test run created for one service's store, removed when the services stop. */
type Disposable = Pick<IsolatedDatabase, 'drop'>;

interface PrivateStore {
  readonly env: Record<string, string>;
  readonly database?: Disposable;
}

/** The service's private share of the test stores: its own database, Mongo database, index alias, Redis user or DuckDB file. */
async function privateStore(name: ShopServiceName, store: StoreSpec, stores: TestStores, namespace: string): Promise<PrivateStore> {
  const extra = isolationVariables[name]?.(namespace) ?? {};
  switch (store.engine) {
    case 'postgresql': {
      const admin = pgAdminUrls[store.urlVariable];
      if (!admin) throw new Error(`no test PostgreSQL cluster for ${store.urlVariable}`);
      const replica = store.replicaUrlVariable ? stores[pgAdminUrls[store.replicaUrlVariable]!] : undefined;
      const database = await isolatedPgDatabase(stores[admin], name, replica);
      const replicaEnv: Record<string, string> = store.replicaUrlVariable && database.replicaUrl ? { [store.replicaUrlVariable]: database.replicaUrl } : {};
      return { env: { [store.urlVariable]: database.url, ...replicaEnv, ...extra }, database };
    }
    case 'mongodb':
      return { env: { [store.urlVariable]: `${stores.mongoUrl.replace(/\/$/, '')}/${namespace}`, ...extra } };
    case 'redis':
      return { env: { [store.urlVariable]: stores.cartRedisUrl, ...extra } };
    case 'elasticsearch':
      return { env: { [store.urlVariable]: stores.elasticsearchUrl, ...extra } };
    case 'duckdb': {
      const folder = await mkdtemp(join(tmpdir(), `shop-${name}-`));
      return { env: { [store.urlVariable]: join(folder, store.namespace), ...extra }, database: { drop: () => rm(folder, { recursive: true, force: true }) } };
    }
  }
}

/** The services in waves: each wave's peers are all in earlier waves, so a wave starts in parallel. */
function startWaves(names: readonly ShopServiceName[]): ShopServiceName[][] {
  const waves: ShopServiceName[][] = [];
  const placed = new Set<ServiceName>();
  let remaining = [...names];
  while (remaining.length > 0) {
    const wave = remaining.filter((name) => peersOf(name).every((peer) => placed.has(peer)));
    if (wave.length === 0) throw new Error(`the system map has a call cycle among ${remaining.join(', ')}`);
    wave.forEach((name) => placed.add(name));
    waves.push(wave);
    remaining = remaining.filter((name) => !wave.includes(name));
  }
  return waves;
}

/** Options of startShopServices. */
export interface ShopServicesOptions {
  /** Added to every service's environment, for example OTEL_* variables. */
  readonly env?: Record<string, string>;
  /** How long each service may take to serve (default 30 s). */
  readonly readyTimeoutMs?: number;
}

/**
 * Starts every store-owning service of the system map as a process on fresh private stores (their own databases,
 * Mongo database, index alias, Redis user, DuckDB file and event namespace), each after the peers it calls, with their addresses.
 */
export async function startShopServices(options: ShopServicesOptions = {}): Promise<ShopServices> {
  const stores = testStores();
  const namespace = uniqueName('shop').replace(/-/g, '_');
  const databases: Disposable[] = [];
  const environments = {} as Record<ShopServiceName, Record<string, string>>;
  const processes = {} as Record<ShopServiceName, ServiceProcess>;
  const start = async (name: ShopServiceName, env: Record<string, string>) => {
    environments[name] = env;
    processes[name] = await startServiceProcess(name, env, options.readyTimeoutMs);
    return processes[name];
  };
  const firstStart = async (name: ShopServiceName) => {
    const store = await privateStore(name, systemMap[name].store!, stores, namespace);
    if (store.database) databases.push(store.database);
    const peers = Object.fromEntries(peersOf(name).map((peer) => [addressVariable(peer), processes[peer as ShopServiceName].address]));
    await start(name, { ...options.env, NATS_URL: stores.natsUrl, EVENTS_NAMESPACE: namespace, [`${variablePrefix(name)}_PORT`]: '0', ...store.env, ...peers });
  };
  const stop = async () => {
    await Promise.all(Object.values(processes).map((process) => process.stop()));
    await Promise.all(databases.map((database) => database.drop()));
  };
  try {
    for (const wave of startWaves(shopServiceNames)) await Promise.all(wave.map(firstStart));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    processes,
    peerAddresses: (name) => Object.fromEntries(peersOf(name).map((peer) => [addressVariable(peer), processes[peer as ShopServiceName].address])),
    namespace,
    environments,
    restart: async (name) => {
      await processes[name].stop();
      return start(name, { ...environments[name], [`${variablePrefix(name)}_PORT`]: processes[name].address.split(':')[1]! });
    },
    stop,
  };
}
