import { join } from 'node:path';
import { natsAdminUrl, plannedPostgresUrls, startNats, startOrdersPostgres, startRedis, startUsersPostgres, type LogLine, type Supervision } from '@shop/local-stack';
import { systemMap, type ServiceName } from '@shop/system-map';
import type { LauncherConfig } from './config.js';
import type { SystemPorts } from './ports.js';
import { persistentSecret } from './local-secrets.js';
import { startStandinProcess } from './supervision/standin-processes.js';
import { ES_STANDIN_NODE_FLAGS } from './supervision/node-flags.js';
import type { StatusBoard } from './supervision/status-board.js';

/** Where a store runs: started here from npm packages, a development stand-in, or a server the user named. */
export type StoreKind = 'embedded' | 'stand-in' | 'external';

/** One store as the services see it. */
export interface StoreEndpoint {
  readonly url: string;
  readonly kind: StoreKind;
  /** What the store is, for example "PostgreSQL (orders primary)". */
  readonly label: string;
}

/** The endpoints of the stores, by what the services call them; a store not (yet) at hand is absent. */
export interface StoreEndpoints {
  readonly ordersDatabase?: StoreEndpoint;
  readonly ordersReplica?: StoreEndpoint;
  readonly usersDatabase?: StoreEndpoint;
  readonly productsMongo?: StoreEndpoint;
  readonly searchElasticsearch?: StoreEndpoint;
  readonly cartRedis?: StoreEndpoint;
  readonly analyticsDuckdb?: StoreEndpoint;
  readonly nats?: StoreEndpoint;
}

/** Every store the services use. */
export interface SystemStores extends StoreEndpoints {
  readonly ordersDatabase: StoreEndpoint;
  readonly usersDatabase: StoreEndpoint;
  readonly productsMongo: StoreEndpoint;
  readonly searchElasticsearch: StoreEndpoint;
  readonly cartRedis: StoreEndpoint;
  /** The analytics service's embedded DuckDB file, under the data folder. */
  readonly analyticsDuckdb: StoreEndpoint;
  readonly nats: StoreEndpoint;
  stop(): Promise<void>;
}

/** The stores while they start: each service's own ones as soon as they are at hand, and all of them together. */
export interface StartingStores {
  /** Every store, once all are ready; rejects, having stopped those that started, when one failed. */
  readonly all: Promise<SystemStores>;
  /**
   * The stores a service uses (its own store from the system map, and the bus when it publishes or consumes events).
   * A local store whose URL is known before it listens is handed over at once, so the service loads while the store
   * starts: a PostgreSQL cluster (migrations wait for it to accept connections), NATS (every service connects to the
   * bus in the background) and the MongoDB stand-in (products waits for it in server selection). Redis and the
   * Elasticsearch stand-in are handed over once they are ready.
   */
  storesOf(name: ServiceName): Promise<StoreEndpoints>;
}

/** Which local store stands behind each store URL variable of the system map. */
const STORE_OF_VARIABLE: Readonly<Record<string, StoreName>> = {
  ORDERS_DATABASE_URL: 'orders',
  ORDERS_DATABASE_REPLICA_URL: 'orders',
  USERS_DATABASE_URL: 'users',
  PRODUCTS_MONGO_URL: 'mongo',
  SEARCH_ELASTICSEARCH_URL: 'elasticsearch',
  CART_REDIS_URL: 'redis',
  ANALYTICS_DUCKDB_PATH: 'duckdb',
};

type StoreName = 'orders' | 'users' | 'redis' | 'nats' | 'mongo' | 'elasticsearch' | 'duckdb';

type Started = { endpoints: Record<string, StoreEndpoint>; stop: () => Promise<void> };

const external = (url: string, label: string): Started => ({ endpoints: { main: { url, kind: 'external', label } }, stop: async () => undefined });

/**
 * Starts the local stores that no URL variable replaces, in parallel, under the data folder, and hands each service its
 * own stores as soon as they are at hand (see StartingStores.storesOf); with supervision, each is restarted when it crashes.
 */
export function beginSystemStores(config: LauncherConfig, ports: SystemPorts, log: LogLine, supervision?: StatusBoard): StartingStores {
  const storesDir = join(config.dataDir, 'stores');
  const supervised = supervision ? { supervision } : {};
  const planned = plannedPostgresUrls(storesDir, { ordersPrimary: ports.ordersPrimary, ordersReplica: ports.ordersReplica, users: ports.usersDatabase });
  const localOrders = {
    main: { url: planned.orders.databaseUrl, kind: 'embedded', label: 'PostgreSQL (orders primary)' },
    replica: { url: planned.orders.replicaDatabaseUrl, kind: 'embedded', label: 'PostgreSQL (orders streaming replica)' },
  } as const;
  const localUsers = { main: { url: planned.users, kind: 'embedded', label: 'PostgreSQL (users cluster)' } } as const;
  const localNats = { main: { url: natsAdminUrl(storesDir, ports.nats), kind: 'embedded', label: 'NATS JetStream' } } as const;
  const localMongo = config.PRODUCTS_MONGO_URL ? undefined : mongoStandinEndpoints(config, ports);
  const known: Partial<Record<StoreName, Promise<Record<string, StoreEndpoint>>>> = {
    ...(config.ORDERS_DATABASE_URL ? {} : { orders: Promise.resolve(localOrders) }),
    ...(config.USERS_DATABASE_URL ? {} : { users: Promise.resolve(localUsers) }),
    ...(config.NATS_URL ? {} : { nats: Promise.resolve(localNats) }),
    ...(localMongo ? { mongo: localMongo.then((mongo) => mongo.endpoints) } : {}),
  };
  known.mongo?.catch(() => undefined);
  const starts: Record<StoreName, Promise<Started>> = {
    orders: config.ORDERS_DATABASE_URL
      ? Promise.resolve({
          endpoints: {
            main: { url: config.ORDERS_DATABASE_URL, kind: 'external', label: 'PostgreSQL (orders)' },
            ...(config.ORDERS_DATABASE_REPLICA_URL ? { replica: { url: config.ORDERS_DATABASE_REPLICA_URL, kind: 'external' as const, label: 'PostgreSQL (orders replica)' } } : {}),
          },
          stop: async () => undefined,
        })
      : startOrdersPostgres({ dataDir: storesDir, primaryPort: ports.ordersPrimary, replicaPort: ports.ordersReplica, log, ...supervised }).then((pg) => ({
          endpoints: localOrders,
          stop: () => pg.stop(),
        })),
    users: config.USERS_DATABASE_URL
      ? Promise.resolve(external(config.USERS_DATABASE_URL, 'PostgreSQL (users)'))
      : startUsersPostgres({ dataDir: storesDir, port: ports.usersDatabase, log, ...(supervision ? { supervision: supervision.renamed('users-postgres') } : {}) }).then((pg) => ({
          endpoints: localUsers,
          stop: () => pg.stop(),
        })),
    redis: config.CART_REDIS_URL
      ? Promise.resolve(external(config.CART_REDIS_URL, 'Redis'))
      : startRedis({ dataDir: storesDir, port: ports.redis, log, ...supervised }).then((redis) => ({
          endpoints: { main: { url: redis.cartUrl, kind: 'embedded', label: 'Redis (ACL user cart_svc)' } },
          stop: () => redis.stop(),
        })),
    nats: config.NATS_URL
      ? Promise.resolve(external(config.NATS_URL, 'NATS JetStream'))
      : startNats({ dataDir: storesDir, port: ports.nats, log, ...supervised }).then((nats) => ({
          endpoints: localNats,
          stop: () => nats.stop(),
        })),
    mongo: localMongo ? startMongoStandinWithUser(config, ports, localMongo, log, supervision) : Promise.resolve(external(config.PRODUCTS_MONGO_URL!, 'MongoDB')),
    duckdb: Promise.resolve({
      endpoints: { main: { url: join(config.dataDir, 'analytics', 'analytics.duckdb'), kind: 'embedded', label: 'DuckDB file (analytics, in-process)' } },
      stop: async () => undefined,
    }),
    elasticsearch: config.SEARCH_ELASTICSEARCH_URL
      ? Promise.resolve(external(config.SEARCH_ELASTICSEARCH_URL, 'Elasticsearch'))
      : startElasticsearchStandin(config, ports, log, supervision),
  };
  const all = settleAll(starts);
  all.catch(() => undefined);
  const storesOf = async (name: ServiceName): Promise<StoreEndpoints> => {
    const spec = systemMap[name];
    const variables = spec.store ? [spec.store.urlVariable, ...(spec.store.replicaUrlVariable ? [spec.store.replicaUrlVariable] : [])] : [];
    const wanted = new Set<StoreName>([...variables.flatMap((variable) => STORE_OF_VARIABLE[variable] ?? []), ...(spec.publishes.length + spec.consumes.length > 0 ? ['nats' as const] : [])]);
    const entries = await Promise.all([...wanted].map(async (store) => [store, (await known[store]) ?? (await starts[store]).endpoints] as const));
    return endpointsOf(Object.fromEntries(entries));
  };
  return { all, storesOf };
}

/** Starts the local stores (see beginSystemStores) and resolves once every one is ready. */
export function startSystemStores(config: LauncherConfig, ports: SystemPorts, log: LogLine, supervision?: StatusBoard): Promise<SystemStores> {
  return beginSystemStores(config, ports, log, supervision).all;
}

/** Waits for every start; when one failed, stops the others and rejects with its error. */
async function settleAll(starts: Record<StoreName, Promise<Started>>): Promise<SystemStores> {
  const names = Object.keys(starts);
  const results = await Promise.allSettled(Object.values(starts));
  const started = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stopAll = async () => {
    await Promise.allSettled(started.map((store) => store.stop()));
  };
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) {
    await stopAll();
    throw failure.reason;
  }
  const byName = Object.fromEntries(names.map((name, index) => [name, (results[index] as PromiseFulfilledResult<Started>).value.endpoints]));
  return { ...(endpointsOf(byName) as Omit<SystemStores, 'stop'>), stop: stopAll };
}

/** The endpoints of the started stores, by what the services call them. */
function endpointsOf(byName: Partial<Record<StoreName, Record<string, StoreEndpoint>>>): StoreEndpoints {
  const entries: Array<[keyof StoreEndpoints, StoreEndpoint | undefined]> = [
    ['ordersDatabase', byName.orders?.main],
    ['ordersReplica', byName.orders?.replica],
    ['usersDatabase', byName.users?.main],
    ['productsMongo', byName.mongo?.main],
    ['searchElasticsearch', byName.elasticsearch?.main],
    ['cartRedis', byName.redis?.main],
    ['analyticsDuckdb', byName.duckdb?.main],
    ['nats', byName.nats?.main],
  ];
  return Object.fromEntries(entries.filter(([, endpoint]) => endpoint !== undefined));
}

/** The Elasticsearch stand-in with one user, search_svc, allowed only the product indices and their alias. */
async function startElasticsearchStandin(config: LauncherConfig, ports: SystemPorts, log: LogLine, supervision?: Supervision): Promise<Started> {
  const password = await persistentSecret(join(config.dataDir, 'search-elasticsearch-password'));
  const es = await startStandinProcess({
    packageName: '@shop/es-standin',
    name: 'elasticsearch-standin',
    port: ports.elasticsearch,
    dataDir: join(config.dataDir, 'elasticsearch'),
    logFile: join(config.dataDir, 'logs', 'elasticsearch-standin.log'),
    users: [{ username: 'search_svc', password, indices: ['products*'] }],
    usersFile: join(config.dataDir, 'elasticsearch-users.json'),
    nodeFlags: ES_STANDIN_NODE_FLAGS,
    ...(supervision ? { supervision } : {}),
  });
  const url = `http://127.0.0.1:${ports.elasticsearch}`;
  log(`elasticsearch-standin: ready on ${url} (dev/test only)`);
  return {
    endpoints: { main: { url: withCredentials(url, 'search_svc', password), kind: 'stand-in', label: 'Elasticsearch REST stand-in (dev/test only)' } },
    stop: () => es.stop(),
  };
}

/** products_svc's roles: readWrite for its data, dbAdmin for its migrations (collMod), on the products database only. */
const PRODUCTS_MONGO_ROLES = [
  { role: 'readWrite', db: 'products' },
  { role: 'dbAdmin', db: 'products' },
];

/** The MongoDB stand-in's URL for products_svc, and that user's password, known before the stand-in starts. */
async function mongoStandinEndpoints(config: LauncherConfig, ports: SystemPorts): Promise<{ password: string; endpoints: Record<string, StoreEndpoint> }> {
  const password = await persistentSecret(join(config.dataDir, 'products-mongo-password'));
  const url = `${withCredentials(`mongodb://127.0.0.1:${ports.mongo}/`, 'products_svc', password).replace(/\/$/, '')}/products?authSource=admin`;
  return { password, endpoints: { main: { url, kind: 'stand-in', label: 'MongoDB wire stand-in (dev/test only)' } } };
}

/** The MongoDB stand-in with one user, products_svc, allowed only the products database. */
async function startMongoStandinWithUser(
  config: LauncherConfig,
  ports: SystemPorts,
  planned: ReturnType<typeof mongoStandinEndpoints>,
  log: LogLine,
  supervision?: Supervision,
): Promise<Started> {
  const { password, endpoints } = await planned;
  const mongo = await startStandinProcess({
    packageName: '@shop/mongo-standin',
    name: 'mongo-standin',
    port: ports.mongo,
    dataDir: join(config.dataDir, 'mongo'),
    logFile: join(config.dataDir, 'logs', 'mongo-standin.log'),
    users: [{ username: 'products_svc', password, authDb: 'admin', roles: PRODUCTS_MONGO_ROLES }],
    usersFile: join(config.dataDir, 'mongo-users.json'),
    ...(supervision ? { supervision } : {}),
  });
  log(`mongo-standin: ready on 127.0.0.1:${ports.mongo} (dev/test only)`);
  return { endpoints, stop: () => mongo.stop() };
}

/** The URL with a user and password in it. */
function withCredentials(url: string, username: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = username;
  parsed.password = password;
  return parsed.toString();
}
