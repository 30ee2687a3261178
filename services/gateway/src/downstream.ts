import type { Client, Interceptor } from '@connectrpc/connect';
import { createServiceClient } from '@shop/runtime';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { OrderService } from '@shop/gen/order/v1/order_service_pb';
import { UserService } from '@shop/gen/user/v1/user_service_pb';
import { CartService } from '@shop/gen/cart/v1/cart_service_pb';
import { SearchService } from '@shop/gen/search/v1/search_service_pb';
import type { GatewayConfig } from './config.js';

/** Clients of every service the gateway composes. */
export interface Downstream {
  readonly products: Client<typeof ProductService>;
  readonly orders: Client<typeof OrderService>;
  readonly users: Client<typeof UserService>;
  readonly cart: Client<typeof CartService>;
  readonly search: Client<typeof SearchService>;
}

/** Creates the downstream clients from config; interceptors see every call (used for tracing and call counting). */
export function createDownstream(config: GatewayConfig, interceptors: Interceptor[] = []): Downstream {
  const options = (name: string, address: string) => ({ name, address, defaultTimeoutMs: config.GATEWAY_DOWNSTREAM_TIMEOUT_MS, interceptors });
  return {
    products: createServiceClient(ProductService, options('products', config.PRODUCTS_ADDR)),
    orders: createServiceClient(OrderService, options('orders', config.ORDERS_ADDR)),
    users: createServiceClient(UserService, options('users', config.USERS_ADDR)),
    cart: createServiceClient(CartService, options('cart', config.CART_ADDR)),
    search: createServiceClient(SearchService, options('search', config.SEARCH_ADDR)),
  };
}
