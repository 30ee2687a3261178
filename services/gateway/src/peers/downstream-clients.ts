import type { Client, Interceptor, Transport } from '@connectrpc/connect';
import { createServiceClient } from '@shop/runtime';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { OrderService } from '@shop/gen/order/v1/order_service_pb';
import { UserService } from '@shop/gen/user/v1/user_service_pb';
import { CartService } from '@shop/gen/cart/v1/cart_service_pb';
import { SearchService } from '@shop/gen/search/v1/search_service_pb';
import { AnalyticsService } from '@shop/gen/analytics/v1/analytics_service_pb';

/** Clients of every service the gateway composes. */
export interface DownstreamClients {
  readonly products: Client<typeof ProductService>;
  readonly orders: Client<typeof OrderService>;
  readonly users: Client<typeof UserService>;
  readonly cart: Client<typeof CartService>;
  readonly search: Client<typeof SearchService>;
  readonly analytics: Client<typeof AnalyticsService>;
}

/** A downstream service's name. */
export type DownstreamName = keyof DownstreamClients;

/** Where the downstream services are and how long a call may take. */
export interface DownstreamSettings {
  readonly addresses: Record<DownstreamName, string>;
  readonly timeoutMs: number;
  /** Interceptors of every downstream call (tracing, call counting). */
  readonly interceptors?: Interceptor[];
  /** Ready transports instead of addresses, for example createRouterTransport in tests. */
  readonly transports?: Partial<Record<DownstreamName, Transport>>;
}

/** Creates the downstream clients: deadlines, retries of idempotent reads and a circuit breaker per service. */
export function createDownstreamClients(settings: DownstreamSettings): DownstreamClients {
  const options = (name: DownstreamName) => ({
    name,
    address: settings.addresses[name],
    transport: settings.transports?.[name],
    defaultTimeoutMs: settings.timeoutMs,
    interceptors: settings.interceptors,
  });
  return {
    products: createServiceClient(ProductService, options('products')),
    orders: createServiceClient(OrderService, options('orders')),
    users: createServiceClient(UserService, options('users')),
    cart: createServiceClient(CartService, options('cart')),
    search: createServiceClient(SearchService, options('search')),
    analytics: createServiceClient(AnalyticsService, options('analytics')),
  };
}
