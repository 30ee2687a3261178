import type { SystemStores } from './stores.js';
import { LOOPBACK, SERVICE_PORTS } from './ports.js';

/** The services in start order: each one's dependencies come before it. */
export const SERVICE_NAMES = ['products', 'users', 'cart', 'search', 'orders', 'gateway'] as const;

/** A service of the system. */
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Options that shape every service's environment. */
export interface EnvironmentOptions {
  readonly jwtSecret: string;
  /** Interface the gateway binds to; internal services always bind to loopback. */
  readonly gatewayHost: string;
  readonly logLevel: string;
}

const address = (port: number) => `${LOOPBACK}:${port}`;

/** Each service's environment: its own store credentials only, its port on loopback, and its peers' addresses. */
export function serviceEnvironments(stores: SystemStores, options: EnvironmentOptions): Record<ServiceName, Record<string, string>> {
  const common = { NATS_URL: stores.nats.url, LOG_LEVEL: options.logLevel };
  return {
    products: { ...common, PRODUCTS_HOST: LOOPBACK, PRODUCTS_PORT: String(SERVICE_PORTS.products), PRODUCTS_MONGO_URL: stores.productsMongo.url },
    users: { ...common, USERS_HOST: LOOPBACK, USERS_PORT: String(SERVICE_PORTS.users), USERS_DATABASE_URL: stores.usersDatabase.url },
    cart: { ...common, CART_HOST: LOOPBACK, CART_PORT: String(SERVICE_PORTS.cart), CART_REDIS_URL: stores.cartRedis.url },
    search: {
      ...common,
      SEARCH_HOST: LOOPBACK,
      SEARCH_PORT: String(SERVICE_PORTS.search),
      SEARCH_ELASTICSEARCH_URL: stores.searchElasticsearch.url,
      PRODUCTS_ADDR: address(SERVICE_PORTS.products),
    },
    orders: {
      ...common,
      ORDERS_HOST: LOOPBACK,
      ORDERS_PORT: String(SERVICE_PORTS.orders),
      ORDERS_DATABASE_URL: stores.ordersDatabase.url,
      ...(stores.ordersReplica ? { ORDERS_DATABASE_REPLICA_URL: stores.ordersReplica.url } : {}),
      PRODUCTS_ADDR: address(SERVICE_PORTS.products),
      USERS_ADDR: address(SERVICE_PORTS.users),
    },
    gateway: {
      LOG_LEVEL: options.logLevel,
      GATEWAY_HOST: options.gatewayHost,
      GATEWAY_GRPC_PORT: String(SERVICE_PORTS.gatewayGrpc),
      GATEWAY_HTTP_PORT: String(SERVICE_PORTS.gatewayHttp),
      GATEWAY_JWT_SECRET: options.jwtSecret,
      PRODUCTS_ADDR: address(SERVICE_PORTS.products),
      ORDERS_ADDR: address(SERVICE_PORTS.orders),
      USERS_ADDR: address(SERVICE_PORTS.users),
      CART_ADDR: address(SERVICE_PORTS.cart),
      SEARCH_ADDR: address(SERVICE_PORTS.search),
    },
  };
}

/** The gRPC address a service listens on. */
export function serviceAddress(name: ServiceName): string {
  return address(name === 'gateway' ? SERVICE_PORTS.gatewayGrpc : SERVICE_PORTS[name]);
}
