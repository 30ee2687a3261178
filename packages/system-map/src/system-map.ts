/** The engines a service's private store can run on. */
export type StoreEngine = 'postgresql' | 'mongodb' | 'elasticsearch' | 'redis' | 'duckdb';

/** The store a service owns, and the identity it reaches that store with. */
export interface StoreSpec {
  readonly engine: StoreEngine;
  /** The npm driver module; a dependency of the owning service only. */
  readonly driver: string;
  /** The variable that carries the store URL, with the service's own credentials. */
  readonly urlVariable: string;
  /** A read replica's URL variable, where the service reads from one. */
  readonly replicaUrlVariable?: string;
  /** Database (PostgreSQL, MongoDB), index pattern (Elasticsearch), key pattern (Redis) or file (DuckDB) the service owns. */
  readonly namespace: string;
  /** The store user (role) the service connects as; no other service has it. An embedded store (DuckDB) has none but its file's owner. */
  readonly user: string;
}

/** One consumed stream: the publishing service and the events taken from it. */
export interface ConsumedEvents {
  readonly source: ServiceName;
  /** Event message names, e.g. `OrderPlaced`. */
  readonly events: readonly string[];
  /** The durable JetStream consumer name. */
  readonly durable: string;
}

/** A callable service of the system. */
export interface ServiceSpec {
  /** The fully qualified gRPC service it serves. */
  readonly api: string;
  /** Default gRPC port. */
  readonly port: number;
  /** Default HTTP port, for a service that also serves HTTP (the gateway's Connect endpoint). */
  readonly httpPort?: number;
  /** The private store; none for a stateless service. */
  readonly store?: StoreSpec;
  /** Who may call it: other services by name, or `ingress` for callers outside the system. */
  readonly callers: readonly Caller[];
  /** Event message names it publishes on its own subjects (through its outbox). */
  readonly publishes: readonly string[];
  /** Events it consumes from other services' streams. */
  readonly consumes: readonly ConsumedEvents[];
}

/** Every service, in an order where each one's peers come before it. */
export const serviceNames = ['products', 'users', 'cart', 'search', 'orders', 'analytics', 'gateway'] as const;

/** A service of the system. */
export type ServiceName = (typeof serviceNames)[number];

/** A caller of a service: another service, or the world outside the system. */
export type Caller = ServiceName | 'ingress';

/** The system map: the single description that ownership at every layer is derived from or checked against. */
export const systemMap: { readonly [name in ServiceName]: ServiceSpec } = {
  products: {
    api: 'shop.product.v1.ProductService',
    port: 20051,
    store: { engine: 'mongodb', driver: 'mongodb', urlVariable: 'PRODUCTS_MONGO_URL', namespace: 'products', user: 'products_svc' },
    callers: ['gateway', 'orders', 'search'],
    publishes: ['ProductCreated', 'ProductUpdated', 'ProductDeleted', 'StockChanged'],
    consumes: [],
  },
  users: {
    api: 'shop.user.v1.UserService',
    port: 20053,
    store: { engine: 'postgresql', driver: 'pg', urlVariable: 'USERS_DATABASE_URL', namespace: 'users', user: 'users_svc' },
    callers: ['gateway', 'orders'],
    publishes: ['UserCreated', 'UserUpdated'],
    consumes: [],
  },
  cart: {
    api: 'shop.cart.v1.CartService',
    port: 20054,
    store: { engine: 'redis', driver: 'ioredis', urlVariable: 'CART_REDIS_URL', namespace: 'cart:*', user: 'cart_svc' },
    callers: ['gateway'],
    publishes: [],
    consumes: [{ source: 'orders', events: ['OrderPlaced'], durable: 'cart-order-placed' }],
  },
  search: {
    api: 'shop.search.v1.SearchService',
    port: 20055,
    store: { engine: 'elasticsearch', driver: '@elastic/elasticsearch', urlVariable: 'SEARCH_ELASTICSEARCH_URL', namespace: 'products*', user: 'search_svc' },
    callers: ['gateway'],
    publishes: [],
    consumes: [{ source: 'products', events: ['ProductCreated', 'ProductUpdated', 'ProductDeleted', 'StockChanged'], durable: 'search-indexer' }],
  },
  orders: {
    api: 'shop.order.v1.OrderService',
    port: 20052,
    store: {
      engine: 'postgresql',
      driver: 'pg',
      urlVariable: 'ORDERS_DATABASE_URL',
      replicaUrlVariable: 'ORDERS_DATABASE_REPLICA_URL',
      namespace: 'orders',
      user: 'orders_svc',
    },
    callers: ['gateway'],
    publishes: ['OrderPlaced', 'OrderConfirmed', 'OrderRejected', 'OrderCancelled'],
    consumes: [{ source: 'users', events: ['UserCreated', 'UserUpdated'], durable: 'orders-customer-names' }],
  },
  analytics: {
    api: 'shop.analytics.v1.AnalyticsService',
    port: 20056,
    store: { engine: 'duckdb', driver: '@duckdb/node-api', urlVariable: 'ANALYTICS_DUCKDB_PATH', namespace: 'analytics.duckdb', user: 'analytics_svc' },
    callers: ['gateway'],
    publishes: [],
    consumes: [
      { source: 'orders', events: ['OrderPlaced', 'OrderConfirmed', 'OrderRejected', 'OrderCancelled'], durable: 'analytics-orders' },
      { source: 'products', events: ['ProductCreated', 'ProductUpdated', 'ProductDeleted'], durable: 'analytics-products' },
      { source: 'users', events: ['UserCreated', 'UserUpdated'], durable: 'analytics-users' },
    ],
  },
  gateway: {
    api: 'shop.storefront.v1.StorefrontService',
    port: 20050,
    httpPort: 8080,
    callers: ['ingress'],
    publishes: [],
    consumes: [],
  },
};
