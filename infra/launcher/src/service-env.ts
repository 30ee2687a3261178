import { natsServiceUrl } from '@shop/local-stack';
import { addressVariable, peersOf, serviceNames, systemMap, variablePrefix, type ServiceName } from '@shop/system-map';
import type { StoreEndpoint, StoreEndpoints } from './stores.js';
import { LOCAL_ORIGINS, LOOPBACK, servicePort, type SystemPorts } from './ports.js';

/** The services in start order (the system map's order): each one's peers come before it. */
export const SERVICE_NAMES = serviceNames;

export type { ServiceName };

/** Options that shape every service's environment. */
export interface EnvironmentOptions {
  readonly jwtSecret: string;
  /** Interface the gateway binds to; internal services always bind to loopback. */
  readonly gatewayHost: string;
  readonly logLevel: string;
  /**
   * The launcher's own environment: a variable named with a service's prefix that the launcher does not set itself
   * (GATEWAY_RATE_LIMIT_PER_SECOND, ORDERS_SAGA_GIVE_UP_MS, …) reaches that service, so `npm start` can be tuned.
   */
  readonly inherited?: NodeJS.ProcessEnv;
}

const address = (port: number) => `${LOOPBACK}:${port}`;

/** The store the launcher started (or was pointed at) behind each store URL variable of the system map. */
function storesByVariable(stores: StoreEndpoints): Record<string, StoreEndpoint | undefined> {
  return {
    ORDERS_DATABASE_URL: stores.ordersDatabase,
    ORDERS_DATABASE_REPLICA_URL: stores.ordersReplica,
    USERS_DATABASE_URL: stores.usersDatabase,
    PRODUCTS_MONGO_URL: stores.productsMongo,
    SEARCH_ELASTICSEARCH_URL: stores.searchElasticsearch,
    CART_REDIS_URL: stores.cartRedis,
    ANALYTICS_DUCKDB_PATH: stores.analyticsDuckdb,
  };
}

/** The service's own store URLs from the map: the primary always, the replica when one runs. */
function storeVariables(name: ServiceName, stores: StoreEndpoints): Record<string, string> {
  const store = systemMap[name].store;
  if (!store) return {};
  const endpoints = storesByVariable(stores);
  const primary = endpoints[store.urlVariable];
  if (!primary) throw new Error(`the launcher starts no store for ${store.urlVariable} (service ${name}); add it to startSystemStores`);
  const replica = store.replicaUrlVariable ? endpoints[store.replicaUrlVariable] : undefined;
  return { [store.urlVariable]: primary.url, ...(replica && store.replicaUrlVariable ? { [store.replicaUrlVariable]: replica.url } : {}) };
}

/** Variables only one service reads, beyond what the map derives. */
function ownVariables(name: ServiceName, ports: SystemPorts, options: EnvironmentOptions): Record<string, string> {
  if (name !== 'gateway') return {};
  return { GATEWAY_GRPC_PORT: String(ports.gatewayGrpc), GATEWAY_HTTP_PORT: String(ports.gatewayHttp), GATEWAY_JWT_SECRET: options.jwtSecret, GATEWAY_CORS_ORIGINS: LOCAL_ORIGINS };
}

/** The bus URL with the service's own NATS user, for a service that publishes or consumes events. */
function busVariables(name: ServiceName, stores: StoreEndpoints): Record<string, string> {
  const spec = systemMap[name];
  if (spec.publishes.length === 0 && spec.consumes.length === 0) return {};
  if (!stores.nats) throw new Error(`service ${name} uses events, but no NATS endpoint was handed over`);
  return { NATS_URL: natsServiceUrl(stores.nats.url, name) };
}

/** One service's environment: host and port, its own store URLs only, the bus if it uses events, and its peers' addresses. */
export function serviceEnvironment(name: ServiceName, stores: StoreEndpoints, ports: SystemPorts, options: EnvironmentOptions): Record<string, string> {
  const spec = systemMap[name];
  const prefix = variablePrefix(name);
  const tuning = Object.entries(options.inherited ?? {}).filter((entry): entry is [string, string] => entry[0].startsWith(`${prefix}_`) && entry[1] !== undefined);
  return {
    ...Object.fromEntries(tuning),
    LOG_LEVEL: options.logLevel,
    ...busVariables(name, stores),
    [`${prefix}_HOST`]: spec.callers.includes('ingress') ? options.gatewayHost : LOOPBACK,
    [`${prefix}_PORT`]: String(servicePort(ports, name)),
    ...storeVariables(name, stores),
    ...Object.fromEntries(peersOf(name).map((peer) => [addressVariable(peer), serviceAddress(ports, peer)])),
    ...ownVariables(name, ports, options),
  };
}

/** Every service's environment, derived from the system map. */
export function serviceEnvironments(stores: StoreEndpoints, ports: SystemPorts, options: EnvironmentOptions): Record<ServiceName, Record<string, string>> {
  return Object.fromEntries(serviceNames.map((name) => [name, serviceEnvironment(name, stores, ports, options)])) as Record<ServiceName, Record<string, string>>;
}

/** The gRPC address a service listens on. */
export function serviceAddress(ports: SystemPorts, name: ServiceName): string {
  return address(servicePort(ports, name));
}
