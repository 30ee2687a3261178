import { join } from 'node:path';
import type { SystemStores } from './stores.js';
import { LOOPBACK, type SystemPorts } from './ports.js';

/** The services in start order: each one's dependencies come before it. */
export const SERVICE_NAMES = ['products', 'users', 'cart', 'search', 'orders', 'analytics', 'gateway'] as const;

/** A service of the system. */
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Options that shape every service's environment. */
export interface EnvironmentOptions {
  readonly jwtSecret: string;
  /** Interface the gateway binds to; internal services always bind to loopback. */
  readonly gatewayHost: string;
  readonly logLevel: string;
  /** The folder the analytics service keeps its DuckDB file in. */
  readonly dataDir: string;
}

const address = (port: number) => `${LOOPBACK}:${port}`;

/** Each service's environment: its own store credentials only, its port on loopback, and its peers' addresses. */
export function serviceEnvironments(stores: SystemStores, ports: SystemPorts, options: EnvironmentOptions): Record<ServiceName, Record<string, string>> {
  const common = { NATS_URL: stores.nats.url, LOG_LEVEL: options.logLevel };
  return {
    products: { ...common, PRODUCTS_HOST: LOOPBACK, PRODUCTS_PORT: String(ports.products), PRODUCTS_MONGO_URL: stores.productsMongo.url },
    users: { ...common, USERS_HOST: LOOPBACK, USERS_PORT: String(ports.users), USERS_DATABASE_URL: stores.usersDatabase.url },
    cart: { ...common, CART_HOST: LOOPBACK, CART_PORT: String(ports.cart), CART_REDIS_URL: stores.cartRedis.url },
    search: {
      ...common,
      SEARCH_HOST: LOOPBACK,
      SEARCH_PORT: String(ports.search),
      SEARCH_ELASTICSEARCH_URL: stores.searchElasticsearch.url,
      PRODUCTS_ADDR: address(ports.products),
    },
    orders: {
      ...common,
      ORDERS_HOST: LOOPBACK,
      ORDERS_PORT: String(ports.orders),
      ORDERS_DATABASE_URL: stores.ordersDatabase.url,
      ...(stores.ordersReplica ? { ORDERS_DATABASE_REPLICA_URL: stores.ordersReplica.url } : {}),
      PRODUCTS_ADDR: address(ports.products),
      USERS_ADDR: address(ports.users),
    },
    analytics: {
      ...common,
      ANALYTICS_HOST: LOOPBACK,
      ANALYTICS_PORT: String(ports.analytics),
      ANALYTICS_DUCKDB_PATH: join(options.dataDir, 'analytics', 'analytics.duckdb'),
    },
    gateway: {
      LOG_LEVEL: options.logLevel,
      GATEWAY_HOST: options.gatewayHost,
      GATEWAY_GRPC_PORT: String(ports.gatewayGrpc),
      GATEWAY_HTTP_PORT: String(ports.gatewayHttp),
      GATEWAY_JWT_SECRET: options.jwtSecret,
      PRODUCTS_ADDR: address(ports.products),
      ORDERS_ADDR: address(ports.orders),
      USERS_ADDR: address(ports.users),
      CART_ADDR: address(ports.cart),
      SEARCH_ADDR: address(ports.search),
      ANALYTICS_ADDR: address(ports.analytics),
    },
  };
}

/** The gRPC address a service listens on. */
export function serviceAddress(ports: SystemPorts, name: ServiceName): string {
  return address(name === 'gateway' ? ports.gatewayGrpc : ports[name]);
}
